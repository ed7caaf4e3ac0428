//! Small-cell suppression for public statistics (P19): a figure that counts fewer than
//! [`K`] people could single someone out, so such cells are merged into "其他" and, if
//! the merged cell is still small, hidden.

/// The smallest number of people a published cell may count.
pub const K: u64 = 10;

/// One cell of a distribution: a label and how many it counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub label: String,
    pub count: u64,
}

/// The label of the merged small cells.
pub const MERGED: &str = "其他";

/// Cells of at least `K` as they are (in the given order); the rest merged into one "其他" cell
/// at the end when that reaches `K`, or left out. Also returns how many were counted but not
/// shown, so a chart can say so.
pub fn suppress(cells: Vec<Cell>) -> (Vec<Cell>, u64) {
    let (mut shown, small): (Vec<Cell>, Vec<Cell>) = cells.into_iter().partition(|c| c.count >= K);
    let merged: u64 = small.iter().map(|c| c.count).sum();
    if merged >= K {
        shown.push(Cell { label: MERGED.into(), count: merged });
        (shown, 0)
    } else {
        (shown, merged)
    }
}

/// A count shown alone (a total, a point of a trend): hidden below `K`.
pub fn suppress_one(count: u64) -> Option<u64> {
    (count >= K).then_some(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cell(label: &str, count: u64) -> Cell {
        Cell { label: label.into(), count }
    }

    #[test]
    fn small_cells_merge_into_other_or_disappear() {
        let (shown, hidden) = suppress(vec![cell("万州", 40), cell("龙宝", 6), cell("天城", 5), cell("五桥", 12)]);
        assert_eq!(shown, vec![cell("万州", 40), cell("五桥", 12), cell(MERGED, 11)]);
        assert_eq!(hidden, 0);
        let (shown, hidden) = suppress(vec![cell("万州", 40), cell("龙宝", 3), cell("天城", 2)]);
        assert_eq!(shown, vec![cell("万州", 40)]);
        assert_eq!(hidden, 5);
    }

    #[test]
    fn totals_below_k_are_hidden() {
        assert_eq!(suppress_one(9), None);
        assert_eq!(suppress_one(10), Some(10));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        /// Whatever the input: no shown cell counts fewer than K, nothing is counted twice, and
        /// shown plus hidden is the whole.
        #[test]
        fn no_published_cell_is_small(counts in proptest::collection::vec(0u64..40, 0..12)) {
            let cells: Vec<Cell> = counts.iter().enumerate().map(|(i, c)| cell(&format!("c{i}"), *c)).collect();
            let total: u64 = counts.iter().sum();
            let (shown, hidden) = suppress(cells);
            prop_assert!(shown.iter().all(|c| c.count >= K));
            prop_assert_eq!(shown.iter().map(|c| c.count).sum::<u64>() + hidden, total);
        }
    }
}

//! Chinese text for the index and for queries: jieba segmentation, single-character tokens for
//! one-character queries, pinyin spellings, and turning what a person typed into search words.
//!
//! Documents are indexed in jieba's search mode (a long word also yields the words inside it),
//! so "软件工程师" is found by "软件", "工程师" and itself. Queries are cut in the default mode
//! (coarse words) and each word is then split into its smallest dictionary pieces, so
//! "软件工程师" also finds "软件开发工程师" — see [`QueryWord`].

use std::sync::LazyLock;

use jieba_rs::{Jieba, TokenizeMode};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The dictionary is large (≈ 50 ms to load, ≈ 30 MB); one per process.
static JIEBA: LazyLock<Jieba> = LazyLock::new(|| {
    let mut j = Jieba::new();
    // Words of this trade the stock dictionary cuts apart.
    for w in JOB_WORDS {
        j.add_word(w, Some(20_000), None);
    }
    j
});

/// Trade vocabulary added to jieba's dictionary, so a query and a title cut the same way.
const JOB_WORDS: &[&str] = &[
    "前端",
    "后端",
    "全栈",
    "运维",
    "测试工程师",
    "产品经理",
    "新媒体",
    "短视频",
    "直播",
    "电商",
    "跨境电商",
    "客服",
    "文员",
    "前台",
    "出纳",
    "会计",
    "审计",
    "收银员",
    "导购",
    "店长",
    "理货员",
    "普工",
    "操作工",
    "叉车工",
    "电工",
    "焊工",
    "钳工",
    "数控",
    "质检",
    "仓管",
    "快递员",
    "外卖",
    "骑手",
    "网约车",
    "保安",
    "保洁",
    "月嫂",
    "育婴师",
    "护工",
    "厨师",
    "面点师",
    "服务员",
    "传菜员",
    "洗碗工",
    "幼师",
    "家教",
    "辅导老师",
    "销售代表",
    "地推",
    "房产经纪人",
    "置业顾问",
    "保险代理人",
    "Java",
    "Python",
    "UI设计",
    "平面设计",
    "室内设计",
    "装修",
    "水电工",
    "驾驶员",
    "司机",
];

/// Warms the dictionary (called on start so the first search is not the slow one).
pub fn warm_up() {
    LazyLock::force(&JIEBA);
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn keep(word: &str) -> bool {
    word.chars().any(is_word_char)
}

fn normalise(word: &str) -> String {
    word.trim().to_lowercase()
}

/// The tokenizer registered as `zh`: jieba search mode, lower-cased, punctuation and spaces
/// dropped. Offsets are bytes of the original text (highlighting relies on them).
#[derive(Clone, Default)]
pub struct ChineseTokenizer;

/// The tokenizer registered as `zh_chars`: every Chinese character on its own, and runs of
/// letters or digits as words. Only titles and company names use it, for one-character queries.
#[derive(Clone, Default)]
pub struct CharTokenizer;

pub struct VecTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

impl Tokenizer for ChineseTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let tokens = JIEBA
            .tokenize(text, TokenizeMode::Search, true)
            .into_iter()
            .filter(|t| keep(t.word))
            .map(|t| Token {
                offset_from: t.byte_start,
                offset_to: t.byte_end,
                position: t.start,
                text: normalise(t.word),
                position_length: t.end - t.start,
            })
            .collect();
        VecTokenStream { tokens, next: 0 }
    }
}

/// The words a text is indexed as in the `zh` fields (peers in the benchmark index the same).
pub fn index_words(text: &str) -> Vec<String> {
    let mut s = ChineseTokenizer.token_stream(text);
    let mut out = Vec::new();
    while s.advance() {
        out.push(s.token().text.clone());
    }
    out
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF)
}

impl Tokenizer for CharTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let mut tokens = Vec::new();
        let mut run: Option<usize> = None;
        let mut position = 0;
        let mut push = |tokens: &mut Vec<Token>, from: usize, to: usize| {
            tokens.push(Token {
                offset_from: from,
                offset_to: to,
                position,
                text: normalise(&text[from..to]),
                position_length: 1,
            });
            position += 1;
        };
        for (i, c) in text.char_indices() {
            let alnum = c.is_alphanumeric() && !is_han(c);
            match (run, alnum) {
                (None, true) => run = Some(i),
                (Some(start), false) => {
                    push(&mut tokens, start, i);
                    run = None;
                }
                _ => {}
            }
            if is_han(c) {
                push(&mut tokens, i, i + c.len_utf8());
            }
        }
        if let Some(start) = run {
            push(&mut tokens, start, text.len());
        }
        VecTokenStream { tokens, next: 0 }
    }
}

/// Pinyin spellings of a text's words, for a field that lets "kuaiji" or "kj" find 会计:
/// each word's full spelling (every reading of a character with several, up to a few
/// combinations) and its initials, separated by spaces.
pub fn pinyin_words(text: &str) -> String {
    use pinyin::ToPinyinMulti;
    let mut out = String::new();
    for t in JIEBA.cut(text, true) {
        if !t.word.chars().all(is_han) {
            continue;
        }
        // Spellings of the word so far; a character with several readings multiplies them.
        let mut spellings: Vec<(String, String)> = vec![(String::new(), String::new())];
        for multi in t.word.to_pinyin_multi() {
            let Some(multi) = multi else { continue };
            let mut next = Vec::new();
            for (full, initials) in &spellings {
                for reading in multi.into_iter().take(2) {
                    next.push((format!("{full}{}", reading.plain()), format!("{initials}{}", reading.first_letter())));
                }
            }
            next.truncate(4);
            spellings = next;
        }
        for (full, initials) in spellings {
            if !full.is_empty() {
                out.push_str(&full);
                out.push(' ');
                if initials.len() > 1 {
                    out.push_str(&initials);
                    out.push(' ');
                }
            }
        }
    }
    out
}

/// Words of a query that say nothing about the job ("我想找一份…的工作"). Dropped unless
/// the query has nothing else.
const FILLER: &[&str] = &[
    "我",
    "我想",
    "想",
    "想要",
    "要",
    "我要",
    "找",
    "寻找",
    "求",
    "求职",
    "应聘",
    "一份",
    "一个",
    "份",
    "个",
    "的",
    "地",
    "工作",
    "职位",
    "岗位",
    "招聘",
    "招",
    "有没有",
    "有",
    "没有",
    "吗",
    "呢",
    "吧",
    "啊",
    "在",
    "做",
    "干",
    "当",
    "能",
    "可以",
    "会",
    "和",
    "或",
    "或者",
    "及",
    "与",
    "了",
    "是",
    "哪里",
    "哪儿",
    "什么",
    "请问",
    "帮",
    "帮我",
    "看看",
    "一下",
    "相关",
    "方面",
    "类",
    "类的",
    "之类",
];

/// One word of a query: the word as cut, and the smallest pieces the index holds it as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryWord {
    pub word: String,
    /// Dictionary pieces that together mean the word; equal to `[word]` when it is one piece.
    pub pieces: Vec<String>,
    /// Latin letters only: may be pinyin.
    pub latin: bool,
}

/// Cuts a query into words a person meant. Filler words are dropped unless nothing else is left.
pub fn query_words(query: &str) -> Vec<QueryWord> {
    let query: String = query.chars().take(64).collect();
    let cut: Vec<String> = JIEBA.cut(&query, true).into_iter().map(|t| normalise(t.word)).filter(|w| keep(w)).collect();
    let meaningful: Vec<&String> = cut.iter().filter(|w| !FILLER.contains(&w.as_str())).collect();
    let chosen: Vec<&String> = if meaningful.is_empty() { cut.iter().collect() } else { meaningful };
    let mut out: Vec<QueryWord> = Vec::new();
    for w in chosen {
        if out.iter().any(|q| &q.word == w) {
            continue;
        }
        let latin = w.chars().all(|c| c.is_ascii_alphabetic());
        out.push(QueryWord { pieces: pieces(w), word: w.clone(), latin });
    }
    out
}

/// The fewest search-mode sub-words that together cover a word ("软件工程师" → 软件 + 工程师).
/// A document indexed in search mode holds these for the word itself and for longer phrases
/// around the same parts ("软件开发工程师"). A word with no such cover is its own single piece.
fn pieces(word: &str) -> Vec<String> {
    let n = word.chars().count();
    let subs: Vec<(usize, usize, String)> = JIEBA
        .tokenize(word, TokenizeMode::Search, true)
        .into_iter()
        .filter(|t| keep(t.word) && t.end - t.start < n)
        .map(|t| (t.start, t.end, normalise(t.word)))
        .collect();
    // best[i]: the fewest pieces covering the first i characters, and the piece that ends there.
    let mut best: Vec<Option<(usize, usize)>> = vec![None; n + 1];
    best[0] = Some((0, usize::MAX));
    for i in 0..n {
        let Some((count, _)) = best[i] else { continue };
        for (k, (start, end, _)) in subs.iter().enumerate() {
            if *start == i && best[*end].is_none_or(|(c, _)| c > count + 1) {
                best[*end] = Some((count + 1, k));
            }
        }
    }
    if n < 2 || best[n].is_none() {
        return vec![normalise(word)];
    }
    let mut out = Vec::new();
    let mut at = n;
    while at > 0 {
        let Some((_, k)) = best[at] else { break };
        out.push(subs[k].2.clone());
        at = subs[k].0;
    }
    out.reverse();
    out
}

/// Whether a text is a single Chinese character (searched in the per-character field).
pub fn is_single_han(word: &str) -> bool {
    let mut chars = word.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if is_han(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(t: &mut impl Tokenizer, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut s = t.token_stream(text);
        while s.advance() {
            out.push(s.token().text.clone());
        }
        out
    }

    #[test]
    fn titles_yield_the_words_inside_long_words() {
        let t = tokens(&mut ChineseTokenizer, "高级软件工程师（Java）");
        for w in ["软件", "工程师", "java"] {
            assert!(t.contains(&w.to_string()), "{w} missing from {t:?}");
        }
        assert!(!t.iter().any(|w| w.contains('（')), "punctuation kept: {t:?}");
    }

    #[test]
    fn offsets_point_at_the_original_bytes() {
        let text = "招聘会计，五险一金";
        let mut s = ChineseTokenizer.token_stream(text);
        while s.advance() {
            let tok = s.token();
            assert_eq!(normalise(&text[tok.offset_from..tok.offset_to]), tok.text);
        }
    }

    #[test]
    fn single_characters_and_latin_runs() {
        assert_eq!(tokens(&mut CharTokenizer, "厨师A2岗"), vec!["厨", "师", "a2", "岗"]);
    }

    #[test]
    fn sentences_lose_their_filler() {
        let words: Vec<String> = query_words("我想找一份会计的工作").into_iter().map(|w| w.word).collect();
        assert_eq!(words, vec!["会计"]);
        // A query of filler alone is kept as typed.
        let words: Vec<String> = query_words("工作").into_iter().map(|w| w.word).collect();
        assert_eq!(words, vec!["工作"]);
    }

    #[test]
    fn long_words_split_into_pieces_that_cover_them() {
        // Cut whole by the default mode, split by the search mode.
        let w = &query_words("北京大学")[0];
        assert_eq!(w.word, "北京大学");
        assert_eq!(w.pieces, vec!["北京", "大学"]);
    }

    #[test]
    fn pinyin_spells_words_with_every_reading() {
        let p = pinyin_words("会计助理");
        assert!(p.contains("kuaiji"), "{p}");
        assert!(p.contains("kj"), "{p}");
        assert!(p.contains("zhuli"), "{p}");
    }

    #[test]
    fn one_han_character_is_recognised() {
        assert!(is_single_han("厨"));
        assert!(!is_single_han("厨师"));
        assert!(!is_single_han("a"));
    }
}

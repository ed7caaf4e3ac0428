//! Real-name verification of recruiters (实名认证): the resident identity card number (居民身份证
//! 号码, GB 11643-1999) and the name checked together with it.
//!
//! The number is personal data of the most sensitive kind: [`IdNumber`]'s `Debug` and `Display`
//! only ever show the masked form, so a stray `{:?}` cannot leak it.

use std::fmt;

use chrono::{Datelike, NaiveDate};

/// GB 11643-1999 weights of the first 17 digits (2^(18-i) mod 11, i = 1..17).
const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// The check character for each remainder of the weighted sum modulo 11.
const ID_CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
/// Birth years before this are refused: nobody alive was born earlier.
const MIN_BIRTH_YEAR: i32 = 1900;

/// The check character (the 18th) for the first 17 digits of an identity card number, or `None`
/// when `first17` is not exactly 17 ASCII digits.
pub fn id_check_char(first17: &str) -> Option<char> {
    let mut sum = 0u32;
    let mut count = 0usize;
    for c in first17.chars() {
        let weight = ID_WEIGHTS.get(count)?;
        if !c.is_ascii_digit() {
            return None;
        }
        sum += c.to_digit(10)? * weight;
        count += 1;
    }
    if count != ID_WEIGHTS.len() {
        return None;
    }
    ID_CHECK_CHARS.get(usize::try_from(sum % 11).ok()?).copied()
}

/// An 18-character resident identity card number: 6-digit region code, 8-digit birth date
/// (`YYYYMMDD`), 3-digit sequence (odd for men, even for women) and a check character that is a
/// digit or `X`. Stored with an upper-case `X`, so two spellings of one number compare equal.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdNumber {
    number: String,
    birth_date: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdNumberError {
    #[error("身份证号码应为18位")]
    Length,
    #[error("身份证号码前17位应为数字，最后一位为数字或 X，请核对")]
    BadCharacter,
    #[error("身份证号码中的出生日期不正确，请核对")]
    BirthDate,
    #[error("身份证号码校验位不正确，请对照身份证核对")]
    CheckDigit,
}

impl IdNumberError {
    /// Stable code for the API and forms.
    pub fn code(self) -> &'static str {
        match self {
            IdNumberError::Length => "identity.id_number_length",
            IdNumberError::BadCharacter => "identity.id_number_character",
            IdNumberError::BirthDate => "identity.id_number_birth_date",
            IdNumberError::CheckDigit => "identity.id_number_check",
        }
    }
}

impl IdNumber {
    /// Parses a number as typed (surrounding blanks trimmed, a lower-case `x` accepted). `today`
    /// is the calendar day in China, so a birth date after it is refused.
    pub fn parse(input: &str, today: NaiveDate) -> Result<Self, IdNumberError> {
        let number = input.trim().to_uppercase();
        if number.chars().count() != 18 {
            return Err(IdNumberError::Length);
        }
        let characters_ok = number.chars().enumerate().all(|(i, c)| c.is_ascii_digit() || (i == 17 && c == 'X'));
        if !characters_ok {
            return Err(IdNumberError::BadCharacter);
        }
        // All 18 characters are ASCII now, so byte slicing is character slicing.
        let birth_date = birth_date_of(&number[6..14]).ok_or(IdNumberError::BirthDate)?;
        if birth_date > today || birth_date.year() < MIN_BIRTH_YEAR {
            return Err(IdNumberError::BirthDate);
        }
        let (body, check) = number.split_at(17);
        match id_check_char(body) {
            Some(expected) if check.starts_with(expected) => Ok(Self { number, birth_date }),
            _ => Err(IdNumberError::CheckDigit),
        }
    }

    /// The 18 characters, for sealing and for the verification provider. Never for logs or pages.
    pub fn as_str(&self) -> &str {
        &self.number
    }

    /// The 6-digit administrative region code where the number was first issued.
    pub fn region_code(&self) -> &str {
        &self.number[..6]
    }

    /// The birth date the number carries.
    pub fn birth_date(&self) -> NaiveDate {
        self.birth_date
    }

    /// The 3-digit sequence number (positions 15–17).
    pub fn sequence(&self) -> &str {
        &self.number[14..17]
    }

    /// `500***********123X`: the first 3 and the last 4 characters, how a number is shown back.
    pub fn masked(&self) -> String {
        format!("{}***********{}", &self.number[..3], &self.number[14..])
    }
}

/// The date in 8 ASCII digits `YYYYMMDD`, if it exists on the calendar.
fn birth_date_of(digits: &str) -> Option<NaiveDate> {
    let year: i32 = digits.get(..4)?.parse().ok()?;
    let month: u32 = digits.get(4..6)?.parse().ok()?;
    let day: u32 = digits.get(6..8)?.parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

impl fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdNumber({})", self.masked())
    }
}

impl fmt::Display for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

/// The separator of minority and transliterated names on identity cards (U+00B7, 间隔号), as in
/// 买买提·艾力.
pub const NAME_SEPARATOR: char = '\u{00B7}';

/// Whether `name` can be a real name as written on an identity document, so it is worth sending
/// to the verification provider: 2–20 characters, either Chinese characters (parts separated by
/// single `·`, none empty), or Latin letters in words separated by single spaces (foreigners).
/// The caller trims; blanks at either end, doubled separators and mixed scripts are refused.
pub fn real_name_ok(name: &str) -> bool {
    let count = name.chars().count();
    if !(2..=20).contains(&count) {
        return false;
    }
    let chinese = name.split(NAME_SEPARATOR).all(|part| !part.is_empty() && part.chars().all(is_han));
    let latin = name.split(' ').all(|word| !word.is_empty() && word.chars().all(|c| c.is_ascii_alphabetic()));
    chinese || latin
}

/// CJK unified ideographs: the basic block, extension A, and extensions B to I (rare characters
/// do occur in names).
fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{20000}'..='\u{323AF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 15).unwrap()
    }

    /// A number built from region 500101 (重庆市万州区), birth 1990-03-07 and sequence 123, with
    /// the check character computed here by the standard's definition, independently of
    /// [`id_check_char`]: Σ digit × 2^(17-i) mod 11, then the character whose value v satisfies
    /// (Σ + v) ≡ 1 (mod 11), `X` standing for 10.
    fn built_number() -> String {
        let first17 = "50010119900307123";
        let sum: u32 =
            first17.chars().enumerate().map(|(i, c)| c.to_digit(10).unwrap() * (2u32.pow(17 - i as u32) % 11)).sum();
        let value = (0u32..=10).find(|v| (sum + v) % 11 == 1).unwrap();
        let check = if value == 10 { 'X' } else { char::from_digit(value, 10).unwrap() };
        format!("{first17}{check}")
    }

    #[test]
    fn built_number_verifies_and_exposes_its_parts() {
        let number = built_number();
        assert_eq!(number, "500101199003071236", "by hand: Σ = 193, 193 mod 11 = 6 → '6'");
        let id = IdNumber::parse(&number, today()).unwrap();
        assert_eq!(id.as_str(), "500101199003071236");
        assert_eq!(id.region_code(), "500101");
        assert_eq!(id.birth_date(), NaiveDate::from_ymd_opt(1990, 3, 7).unwrap());
        assert_eq!(id.sequence(), "123");
    }

    #[test]
    fn published_sample_with_x_verifies() {
        // The example number of GB 11643-1999 (a woman born 1949-12-31 in Beijing's 朝阳区).
        let id = IdNumber::parse("11010519491231002X", today()).unwrap();
        assert_eq!(id.birth_date(), NaiveDate::from_ymd_opt(1949, 12, 31).unwrap());
        assert_eq!(id.sequence(), "002");
        assert_eq!(id_check_char("11010519491231002"), Some('X'));
    }

    #[test]
    fn lower_case_x_and_blanks_are_normalised() {
        let id = IdNumber::parse("  11010519491231002x ", today()).unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
        assert_eq!(id, IdNumber::parse("11010519491231002X", today()).unwrap());
    }

    #[test]
    fn a_leap_day_is_a_birth_date() {
        assert!(IdNumber::parse("11010120000229123X", today()).is_ok());
    }

    #[test]
    fn wrong_lengths_are_refused() {
        for input in ["", "50010119900307123", "5001011990030712366", "500101900307123"] {
            assert_eq!(IdNumber::parse(input, today()), Err(IdNumberError::Length), "{input}");
        }
    }

    #[test]
    fn wrong_characters_are_refused() {
        for input in [
            "50010119900307123A",
            "5001011990030712X6",
            "X00101199003071236",
            "500101 99003071236",
            "５００１０１１９９００３０７１２３６",
        ] {
            assert_eq!(IdNumber::parse(input, today()), Err(IdNumberError::BadCharacter), "{input}");
        }
    }

    #[test]
    fn impossible_or_future_birth_dates_are_refused() {
        // Each body gets its correct check character, so only the date can be wrong.
        let with_check = |first17: &str| format!("{first17}{}", id_check_char(first17).unwrap());
        for first17 in [
            "50010119900230123", // 30 February
            "50010119901301123", // month 13
            "50010119900007123", // month 0
            "50010119900300123", // day 0
            "50010119000229123", // 1900 was not a leap year
            "50010118991231123", // before 1900
            "50010120260116123", // the day after `today`
            "50010130000101123", // far future
        ] {
            assert_eq!(IdNumber::parse(&with_check(first17), today()), Err(IdNumberError::BirthDate), "{first17}");
        }
        assert!(IdNumber::parse(&with_check("50010120260115123"), today()).is_ok(), "born today");
        assert!(IdNumber::parse(&with_check("50010119000101123"), today()).is_ok(), "born 1900-01-01");
    }

    #[test]
    fn one_changed_character_fails_the_check() {
        assert_eq!(IdNumber::parse("500101199003071237", today()), Err(IdNumberError::CheckDigit));
        assert_eq!(IdNumber::parse("500101199003071326", today()), Err(IdNumberError::CheckDigit));
        assert_eq!(IdNumber::parse("110105194912310020", today()), Err(IdNumberError::CheckDigit));
        assert_eq!(IdNumber::parse("500101199003071230", today()), Err(IdNumberError::CheckDigit));
    }

    #[test]
    fn check_char_refuses_what_is_not_17_digits() {
        assert_eq!(id_check_char("5001011990030712"), None, "16 digits");
        assert_eq!(id_check_char("500101199003071236"), None, "18 digits");
        assert_eq!(id_check_char("5001011990030712X"), None, "X is only a check character");
        assert_eq!(id_check_char("５0010119900307123"), None, "full-width digit");
        assert_eq!(id_check_char(""), None);
    }

    #[test]
    fn errors_have_codes_and_chinese_messages() {
        assert_eq!(IdNumberError::CheckDigit.code(), "identity.id_number_check");
        assert!(IdNumberError::Length.to_string().contains("18位"));
        assert!(IdNumberError::BirthDate.to_string().contains("出生日期"));
    }

    #[test]
    fn debug_and_display_mask() {
        let id = IdNumber::parse("500101199003071236", today()).unwrap();
        assert_eq!(id.masked(), "500***********1236");
        assert_eq!(id.masked().chars().count(), 18);
        assert_eq!(format!("{id:?}"), "IdNumber(500***********1236)");
        assert_eq!(id.to_string(), "500***********1236");
        let x = IdNumber::parse("11010519491231002X", today()).unwrap();
        assert_eq!(x.masked(), "110***********002X");
        assert!(!format!("{x:?}").contains("19491231"));
    }

    #[test]
    fn real_names() {
        for name in ["张三", "欧阳娜娜", "买买提·艾力", "阿依古丽·买买提·吐尔逊", "John Smith", "Li", "𠇔明"]
        {
            assert!(real_name_ok(name), "{name}");
        }
        for name in [
            "",
            "张",
            " 张三",
            "张三 ",
            "张 三",
            "·张三",
            "张三·",
            "买买提··艾力",
            "买买提.艾力",
            "张三John",
            "John  Smith",
            "John Smith ",
            "张三3",
            "A",
            "Jean-Luc Picard",
            "一二三四五六七八九十一二三四五六七八九十一",
        ] {
            assert!(!real_name_ok(name), "{name}");
        }
        assert!(real_name_ok("一二三四五六七八九十一二三四五六七八九十"), "20 characters");
    }
}

//! How a seeker's contact details look to a recruiter who has not earned them yet (P6): the
//! name becomes surname + 先生/女士, the phone and e-mail keep only enough to recognise them.
//! Whether a viewer gets the masked or the clear form is decided in [`crate::access`]; these
//! functions only produce the masked form, and are total so no input can make them leak more.

/// A seeker's gender as they chose to state it on a resume. It is optional (P4), and it only
/// picks the polite form of address in a masked name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
    #[default]
    Unspecified,
}

impl Gender {
    pub const ALL: [Gender; 3] = [Gender::Male, Gender::Female, Gender::Unspecified];

    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
            Gender::Unspecified => "unspecified",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Gender::Male => "男",
            Gender::Female => "女",
            Gender::Unspecified => "未填写",
        }
    }
}

/// Two-character surnames (复姓) from the 百家姓 that are still in use. Mistaking a compound
/// surname for a single one only hides one more character; the opposite mistake shows the first
/// character of the given name. So surnames whose first character is itself a common surname
/// and whose second is a common first character of given names (梁丘, 左丘, 段干, 谷梁, 乐正,
/// 宗政) are left out on purpose.
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文", "司徒", "夏侯",
    "端木", "独孤", "南宫", "西门", "闻人", "轩辕", "澹台", "申屠", "太史", "钟离", "万俟", "司空", "呼延", "赫连",
    "拓跋", "濮阳", "公羊", "公冶", "仲孙", "鲜于", "闾丘", "亓官", "司寇", "巫马", "公西", "颛孙", "壤驷", "公良",
    "漆雕", "宰父", "夹谷", "百里", "东郭", "南门", "羊舌", "微生", "第五", "太叔",
];

/// The surname of a Chinese name: a compound surname when the name starts with one and has a
/// given name after it, otherwise the first character. Blank input gives "".
pub fn surname(full_name: &str) -> &str {
    let name = full_name.trim();
    for compound in COMPOUND_SURNAMES {
        // A two-character name such as 欧阳 is more likely 欧 + given name 阳 than a bare
        // compound surname, and the shorter reading reveals less.
        if let Some(given) = name.strip_prefix(compound)
            && !given.trim().is_empty()
        {
            return &name[..compound.len()];
        }
    }
    match name.chars().next() {
        Some(first) => &name[..first.len_utf8()],
        None => "",
    }
}

/// CJK unified ideographs, with extension A, the compatibility block and extensions B onwards,
/// where rare characters of real names live.
fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3134F}')
}

/// The name a recruiter sees before the seeker shared it: 王先生, 欧阳女士, or 王** when the
/// gender is not given (we do not guess it from the name). A name not written in Chinese
/// characters keeps only its initial: `J**`.
pub fn mask_name(full_name: &str, gender: Gender) -> String {
    let name = full_name.trim();
    let Some(first) = name.chars().next() else {
        return "**".to_string();
    };
    if !is_han(first) {
        return format!("{}**", first.to_uppercase());
    }
    let suffix = match gender {
        Gender::Male => "先生",
        Gender::Female => "女士",
        Gender::Unspecified => "**",
    };
    format!("{}{suffix}", surname(name))
}

/// A phone number as a recruiter sees it masked. A mainland mobile keeps its carrier prefix and
/// last four digits (`138****5678`), the form people know from receipts. Anything else — a
/// landline, a foreign number, garbage — keeps at most its last two digits, and only when it
/// is long enough that two digits say little about it.
pub fn mask_phone(digits: &str) -> String {
    let digits = digits.trim();
    if digits.len() == 11 && digits.bytes().all(|b| b.is_ascii_digit()) && digits.starts_with('1') {
        return format!("{}****{}", &digits[..3], &digits[7..]);
    }
    let only_digits: Vec<char> = digits.chars().filter(char::is_ascii_digit).collect();
    // Seven digits is the shortest local landline number; a shorter string would be mostly
    // revealed by its last two digits.
    if only_digits.len() < 7 {
        return "****".to_string();
    }
    let tail: String = only_digits[only_digits.len() - 2..].iter().collect();
    format!("****{tail}")
}

/// An e-mail address as a recruiter sees it masked: `z***@qq.com`. The domain stays because it
/// identifies a provider, not a person. Anything that is not plainly an address becomes `***`
/// rather than risk showing part of something else in clear.
pub fn mask_email(email: &str) -> String {
    let email = email.trim();
    let Some((local, domain)) = email.split_once('@') else {
        return "***".to_string();
    };
    let well_formed = !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(char::is_whitespace);
    match local.chars().next() {
        Some(first) if well_formed => format!("{first}***@{domain}"),
        _ => "***".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn genders_round_trip() {
        for g in Gender::ALL {
            assert_eq!(Gender::parse(g.as_str()), Some(g));
        }
        assert_eq!(Gender::parse("男"), None);
        assert_eq!(Gender::Male.label(), "男");
        assert_eq!(Gender::Female.label(), "女");
        assert_eq!(Gender::Unspecified.label(), "未填写");
        assert_eq!(Gender::default(), Gender::Unspecified);
    }

    #[test]
    fn single_surnames_are_the_first_character() {
        assert_eq!(surname("王小明"), "王");
        assert_eq!(surname("李白"), "李");
        assert_eq!(surname(" 张三 "), "张");
        assert_eq!(surname("王"), "王");
        assert_eq!(surname("𠀀明"), "𠀀", "a character outside the basic plane stays whole");
    }

    #[test]
    fn compound_surnames_are_kept_whole() {
        for (name, expected) in [
            ("欧阳娜娜", "欧阳"),
            ("司马光", "司马"),
            ("上官婉儿", "上官"),
            ("诸葛亮", "诸葛"),
            ("东方明", "东方"),
            ("皇甫嵩", "皇甫"),
            ("尉迟恭", "尉迟"),
            ("公孙胜", "公孙"),
            ("慕容复", "慕容"),
            ("令狐冲", "令狐"),
            ("长孙无忌", "长孙"),
            ("宇文泰", "宇文"),
            ("司徒雷", "司徒"),
            ("夏侯惇", "夏侯"),
            ("端木蓉", "端木"),
            ("独孤求", "独孤"),
            ("南宫月", "南宫"),
            ("西门庆", "西门"),
            ("闻人杰", "闻人"),
            ("轩辕宇", "轩辕"),
            ("澹台灭明", "澹台"),
            ("申屠嘉", "申屠"),
            ("太史慈", "太史"),
            ("钟离春", "钟离"),
        ] {
            assert_eq!(surname(name), expected, "{name}");
        }
    }

    #[test]
    fn a_bare_compound_is_read_as_surname_and_given_name() {
        assert_eq!(surname("欧阳"), "欧");
        assert_eq!(surname("欧阳 "), "欧");
    }

    #[test]
    fn ambiguous_compounds_are_read_as_single_surnames() {
        assert_eq!(surname("梁丘明"), "梁");
        assert_eq!(surname("宗政华"), "宗");
    }

    #[test]
    fn blank_names_have_no_surname() {
        assert_eq!(surname(""), "");
        assert_eq!(surname("   "), "");
    }

    #[test]
    fn names_become_surname_and_form_of_address() {
        assert_eq!(mask_name("王小明", Gender::Male), "王先生");
        assert_eq!(mask_name("欧阳娜娜", Gender::Female), "欧阳女士");
        assert_eq!(mask_name("李四", Gender::Unspecified), "李**");
        assert_eq!(mask_name("  诸葛亮 ", Gender::Male), "诸葛先生");
    }

    #[test]
    fn non_chinese_names_keep_only_an_initial() {
        assert_eq!(mask_name("John Smith", Gender::Male), "J**");
        assert_eq!(mask_name("anna", Gender::Female), "A**");
        assert_eq!(mask_name("Élodie", Gender::Female), "É**");
        assert_eq!(mask_name("", Gender::Male), "**");
        assert_eq!(mask_name("  ", Gender::Unspecified), "**");
    }

    #[test]
    fn masked_names_never_contain_the_given_name() {
        for (name, given) in [("王小明", "小明"), ("欧阳娜娜", "娜娜"), ("司马光", "光")] {
            for g in Gender::ALL {
                assert!(!mask_name(name, g).contains(given), "{name} {g:?}");
            }
        }
    }

    #[test]
    fn mobiles_keep_prefix_and_last_four() {
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone(" 19912345678 "), "199****5678");
    }

    #[test]
    fn other_numbers_keep_at_most_two_digits() {
        assert_eq!(mask_phone("02358123456"), "****56", "11 digits but a landline");
        assert_eq!(mask_phone("023-5812-3456"), "****56");
        assert_eq!(mask_phone("5812345"), "****45");
        assert_eq!(mask_phone("138123456789"), "****89");
        assert_eq!(mask_phone("123456"), "****");
        assert_eq!(mask_phone("12"), "****");
        assert_eq!(mask_phone(""), "****");
        assert_eq!(mask_phone("电话一二三"), "****");
        assert_eq!(mask_phone("1381234567８"), "****67", "a full-width digit is not a digit");
    }

    #[test]
    fn emails_keep_first_character_and_domain() {
        assert_eq!(mask_email("zhangsan@qq.com"), "z***@qq.com");
        assert_eq!(mask_email(" li.si@example.com.cn "), "l***@example.com.cn");
        assert_eq!(mask_email("王@163.com"), "王***@163.com");
        assert_eq!(mask_email("a@b.cn"), "a***@b.cn");
    }

    #[test]
    fn malformed_emails_show_nothing() {
        for bad in ["", "zhangsan", "@qq.com", "zhangsan@", "a@b@c.com", "a@localhost", "a@.com", "a@qq.", "a b@qq.com"]
        {
            assert_eq!(mask_email(bad), "***", "{bad}");
        }
    }
}

//! Masking of personal data on everything that leaves the counter (PIPL §51, GB/T 35273 §7.2).

use unicode_segmentation::UnicodeSegmentation;

/// `621122********1238`: first 6 and last 4 characters.
pub fn mask_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 10 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..6].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 10))
}

/// `138****1234` for a mobile; a landline keeps its area code and last 4 digits.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if let Some(dash) = phone.find('-') {
        let area = &phone[..dash];
        let number: Vec<char> = phone[dash + 1..].chars().collect();
        let keep = number.len().saturating_sub(4);
        let tail: String = number[keep..].iter().collect();
        return format!("{area}-{}{tail}", "*".repeat(keep));
    }
    if chars.len() < 8 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 7))
}

/// `张某某` for public lists: the surname, then 某 for each further character (at least two, so a
/// two-character name does not reveal its length).
pub fn mask_name(name: &str) -> String {
    let graphemes: Vec<&str> = name.trim().graphemes(true).collect();
    match graphemes.first() {
        None => String::new(),
        Some(first) => {
            // Common two-character surnames keep both characters.
            let two: String = graphemes.iter().take(2).copied().collect();
            let (surname, rest) =
                if graphemes.len() > 2 && COMPOUND_SURNAMES.contains(&two.as_str()) {
                    (two, graphemes.len() - 2)
                } else {
                    ((*first).to_string(), graphemes.len() - 1)
                };
            format!("{surname}{}", "某".repeat(rest.max(2)))
        }
    }
}

const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "令狐", "独孤", "端木", "南宫", "西门", "轩辕", "呼延",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_keeps_first_six_and_last_four() {
        assert_eq!(mask_id("621122199001011238"), "621122********1238");
    }

    #[test]
    fn phone_keeps_three_and_four() {
        assert_eq!(mask_phone("13812341234"), "138****1234");
        assert_eq!(mask_phone("0932-6623110"), "0932-***3110");
    }

    #[test]
    fn names_become_surname_mou_mou() {
        assert_eq!(mask_name("张三"), "张某某");
        assert_eq!(mask_name("张三丰"), "张某某");
        assert_eq!(mask_name("欧阳修文"), "欧阳某某");
        assert_eq!(mask_name("王𬌗"), "王某某");
        assert_eq!(mask_name(""), "");
    }
}

//! Characters that must not travel from people to terminals: one classification of the hazardous
//! ones (control characters, bidi controls, invisible format characters…), used three ways —
//! intake refuses them (`domain::check_text`), typing drops them (`clean_typed`), and every text
//! output shows them as visible stand-ins (`neutralize`), so that old or foreign data cannot
//! move a cursor, set a clipboard or reorder a line on a clerk's screen.

use std::borrow::Cow;

use unicode_general_category::{GeneralCategory, get_general_category};

/// Why a character may not stand in stored text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hazard {
    /// C0 and C1 control characters and DEL (ESC starts terminal escape sequences, BEL rings).
    Control,
    /// Bidirectional controls: U+202E shows what follows right to left.
    Bidi,
    /// Zero-width and other format characters (category Cf): invisible, they make two equal-looking
    /// names differ.
    Format,
    /// U+2028 and U+2029: line breaks that tables and terminals do not treat as such.
    LineSeparator,
    /// Private-use characters: no font prints them; they mean something on one machine only.
    PrivateUse,
    /// Code points not assigned in Unicode 16, and the noncharacters (U+FFFE, U+FDD0…).
    Unassigned,
}

impl Hazard {
    /// What the character is, for a clerk.
    pub fn label(&self) -> &'static str {
        match self {
            Hazard::Control => "控制字符",
            Hazard::Bidi => "文字方向控制符",
            Hazard::Format => "零宽或格式字符（看不见）",
            Hazard::LineSeparator => "行分隔符",
            Hazard::PrivateUse => "私用区字符（各电脑显示不同，无法打印）",
            Hazard::Unassigned => "未定义的字符",
        }
    }
}

/// The bidirectional controls: ALM, LRM, RLM, the embeddings and overrides, the isolates.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Whether `c` is hazardous in stored text, and why. Ordinary whitespace (space, U+3000) is not;
/// line feed and tab are control characters here (callers decide where a line break may stand).
pub fn hazard(c: char) -> Option<Hazard> {
    if c.is_ascii() && !c.is_ascii_control() {
        return None;
    }
    if is_bidi_control(c) {
        return Some(Hazard::Bidi);
    }
    match get_general_category(c) {
        GeneralCategory::Control => Some(Hazard::Control),
        GeneralCategory::Format => Some(Hazard::Format),
        GeneralCategory::LineSeparator | GeneralCategory::ParagraphSeparator => {
            Some(Hazard::LineSeparator)
        }
        GeneralCategory::PrivateUse => Some(Hazard::PrivateUse),
        GeneralCategory::Unassigned | GeneralCategory::Surrogate => Some(Hazard::Unassigned),
        _ => None,
    }
}

/// Text made harmless for a terminal: control characters become their visible pictures (ESC
/// shows as ␛), bidi controls, format characters and undefined code points become `<U+202E>`,
/// and — unless `multiline` — line breaks become ⏎ and tabs ␉, so a cell stays one row.
/// Private-use characters are left alone: a terminal shows them as a box and they do nothing.
/// Text without any of these is returned as it is, without copying.
pub fn neutralize(s: &str, multiline: bool) -> Cow<'_, str> {
    let needs = |c: char| match c {
        '\n' | '\t' if multiline => false,
        c => hazard(c).is_some_and(|h| h != Hazard::PrivateUse),
    };
    if !s.chars().any(needs) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if !needs(c) => out.push(c),
            '\r' if chars.peek() == Some(&'\n') && multiline => {}
            '\r' if chars.peek() == Some(&'\n') => {
                chars.next();
                out.push('⏎');
            }
            '\n' | '\u{2028}' | '\u{2029}' if !multiline => out.push('⏎'),
            '\u{2028}' | '\u{2029}' => out.push('\n'),
            // C0 controls have pictures at U+2400 + code (␀ … ␛ … ␟), DEL at U+2421.
            c @ '\0'..='\u{1F}' => {
                out.push(char::from_u32(0x2400 + u32::from(c)).unwrap_or('\u{FFFD}'))
            }
            '\u{7F}' => out.push('␡'),
            c => out.push_str(&format!("<U+{:04X}>", u32::from(c))),
        }
    }
    Cow::Owned(out)
}

/// What a clerk typed or pasted, made fit for a field: pasted line breaks (`\r`, `\r\n`, U+2028)
/// become `\n` in a multi-line field and a space in a single-line one, tabs a space; other
/// control, bidi and format characters are dropped (a zero-width space pasted from a web page is
/// never what the clerk meant). Private-use and undefined characters stay, so that validation
/// can point at them.
pub fn clean_typed(s: &str, multiline: bool) -> String {
    let s = s.replace("\r\n", "\n");
    let mut clean = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\r' | '\u{2028}' | '\u{2029}' if multiline => clean.push('\n'),
            '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\t' => clean.push(' '),
            c => match hazard(c) {
                Some(Hazard::Control | Hazard::Bidi | Hazard::Format) => {}
                _ => clean.push(c),
            },
        }
    }
    clean
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_chinese_text_is_not_copied() {
        let s = "王芳，首阳镇南门村3社12号（〔2026〕）\u{3000}葛\u{E0100}亮";
        assert!(matches!(neutralize(s, false), Cow::Borrowed(_)));
        assert!(matches!(neutralize("一\n二\t三", true), Cow::Borrowed(_)));
    }

    #[test]
    fn escape_sequences_lose_their_escape() {
        let s = "张三\u{1B}]52;c;aGk=\u{7}\u{1B}[2J\0";
        let out = neutralize(s, false);
        assert_eq!(out, "张三␛]52;c;aGk=␇␛[2J␀");
        assert!(!out.bytes().any(|b| b == 0x1B || b == 0x07 || b == 0));
    }

    #[test]
    fn c1_controls_and_bidi_and_invisible_characters_are_spelled_out() {
        assert_eq!(neutralize("a\u{9B}b", false), "a<U+009B>b");
        assert_eq!(neutralize("\u{202E}gpj.exe", false), "<U+202E>gpj.exe");
        assert_eq!(
            neutralize("王\u{200B}芳\u{FEFF}", true),
            "王<U+200B>芳<U+FEFF>"
        );
        assert_eq!(neutralize("\u{FFFF}", false), "<U+FFFF>");
        assert_eq!(neutralize("\u{7F}", false), "␡");
    }

    #[test]
    fn line_breaks_stay_only_where_lines_are_allowed() {
        assert_eq!(neutralize("王\n芳\r\n\t", false), "王⏎芳⏎␉");
        assert_eq!(neutralize("一\r\n二\u{2028}三\r", true), "一\n二\n三␍");
    }

    #[test]
    fn private_use_is_shown_as_it_is() {
        assert_eq!(neutralize("张\u{E000}三", false), "张\u{E000}三");
    }

    #[test]
    fn hazards_are_classified() {
        assert_eq!(hazard('a'), None);
        assert_eq!(hazard('中'), None);
        assert_eq!(hazard(' '), None);
        assert_eq!(hazard('\u{3000}'), None);
        assert_eq!(hazard('\u{FE0F}'), None, "variation selectors are marks");
        assert_eq!(hazard('\n'), Some(Hazard::Control));
        assert_eq!(hazard('\u{85}'), Some(Hazard::Control));
        assert_eq!(hazard('\u{61C}'), Some(Hazard::Bidi));
        assert_eq!(hazard('\u{2067}'), Some(Hazard::Bidi));
        assert_eq!(hazard('\u{200D}'), Some(Hazard::Format));
        assert_eq!(hazard('\u{2060}'), Some(Hazard::Format));
        assert_eq!(hazard('\u{AD}'), Some(Hazard::Format));
        assert_eq!(hazard('\u{2029}'), Some(Hazard::LineSeparator));
        assert_eq!(hazard('\u{E000}'), Some(Hazard::PrivateUse));
        assert_eq!(hazard('\u{F0000}'), Some(Hazard::PrivateUse));
        assert_eq!(hazard('\u{FDD0}'), Some(Hazard::Unassigned));
        assert_eq!(hazard('\u{10FFFF}'), Some(Hazard::Unassigned));
        assert_eq!(hazard('\u{50000}'), Some(Hazard::Unassigned));
    }

    #[test]
    fn typed_text_loses_what_cannot_be_meant() {
        assert_eq!(clean_typed("王\u{200B}芳\u{202E}", false), "王芳");
        assert_eq!(clean_typed("一\r二\r\n三\t四\u{1B}", false), "一 二 三 四");
        assert_eq!(
            clean_typed("一\r二\r\n三\u{2028}四", true),
            "一\n二\n三\n四"
        );
        assert_eq!(clean_typed("张\u{E000}三", false), "张\u{E000}三");
    }
}

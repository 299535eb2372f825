//! Text in lines, one set of rules for the screen, the command line and paper: display width
//! in terminal columns, fitting and padding to a width, and Chinese line breaking (no line
//! starts with closing punctuation, none ends with an opening bracket, a run of narrow
//! characters — a date, a number, a Latin word — is a word). Paper measures with the faces'
//! advances (`print::layout`) but breaks by these rules.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Characters that must not begin a line (closing punctuation and the like).
const NO_LINE_START: &str =
    "，。、；：？！）》」』】〕〉〗｝］”’…‥·・～％‰℃,.;:?!)]}%·ー々〻ゝゞヽヾ";
/// Characters that must not end a line (opening punctuation).
const NO_LINE_END: &str = "（《「『【〔〈〖｛［“‘([{";

pub fn may_start_line(c: char) -> bool {
    !NO_LINE_START.contains(c)
}

pub fn may_end_line(c: char) -> bool {
    !NO_LINE_END.contains(c)
}

/// A narrow (Latin, digit, ASCII punctuation) character: runs of them are words.
pub fn is_narrow(c: char) -> bool {
    (c as u32) < 0x2000 && !c.is_whitespace()
}

/// A space a line may break at. The ideographic space U+3000 is deliberate layout
/// (姓名：张三　性别：男): not one.
pub fn is_break_space(c: char) -> bool {
    c.is_whitespace() && c != '\u{3000}'
}

/// Display width of a grapheme: at least 1 for anything visible, 0 for a line break.
pub fn grapheme_width(g: &str) -> usize {
    if g == "\n" || g == "\r\n" {
        0
    } else {
        g.width().max(1)
    }
}

pub fn width(s: &str) -> usize {
    s.graphemes(true).map(grapheme_width).sum()
}

/// `s` cut to at most `max` columns, with `…` when something was left off; never half a
/// character.
pub fn fit(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let w = grapheme_width(g);
        if used + w > max - 1 {
            break;
        }
        used += w;
        out.push_str(g);
    }
    out.push('…');
    out
}

/// `s` padded with spaces (or cut) to exactly `cols` columns.
pub fn pad(s: &str, cols: usize) -> String {
    let s = fit(s, cols);
    let w = width(&s);
    format!("{s}{}", " ".repeat(cols.saturating_sub(w)))
}

/// One visual line of wrapped text: the byte range it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VisualLine {
    pub start: usize,
    pub end: usize,
}

/// A grapheme that may not begin a line: when one would, the character before it moves down.
fn no_line_start(g: &str) -> bool {
    g.chars().next().is_some_and(|c| !may_start_line(c))
}

/// A grapheme that may not end a line: an opening bracket moves down to what it opens.
fn no_line_end(g: &str) -> bool {
    g.chars().next().is_some_and(|c| !may_end_line(c))
}

/// Two graphemes of one word (a date, a number, a Latin word): not broken apart.
fn same_word(a: &str, b: &str) -> bool {
    let narrow = |g: &str| g.chars().next().is_some_and(is_narrow);
    narrow(a) && narrow(b)
}

/// Wrap `text` into lines at most `cols` wide, breaking only between graphemes; `\n` breaks too.
/// No line begins with closing punctuation nor ends with an opening bracket, and a run of
/// narrow characters (2026-11-29, 13812341234) stays whole: the break moves back over them
/// (never emptying a line, never making the next one too wide).
pub fn wrap(text: &str, cols: usize) -> Vec<VisualLine> {
    let cols = cols.max(2);
    let mut lines = Vec::new();
    let mut start = 0;
    let mut used = 0;
    // The graphemes of the current line: (byte index, width, text).
    let mut line: Vec<(usize, usize, &str)> = Vec::new();
    for (i, g) in text.grapheme_indices(true) {
        if g == "\n" || g == "\r\n" {
            lines.push(VisualLine { start, end: i });
            start = i + g.len();
            used = 0;
            line.clear();
            continue;
        }
        let w = grapheme_width(g);
        if used + w > cols && i > start {
            // Break before `g`, or earlier to keep the rules.
            let mut cut = line.len();
            if no_line_start(g) && cut > 1 {
                cut -= 1;
            }
            while cut > 1 && no_line_end(line[cut - 1].2) {
                cut -= 1;
            }
            if cut == line.len() && same_word(line[cut - 1].2, g) {
                let mut word = cut;
                while word > 1 && same_word(line[word - 1].2, line[word - 1 - 1].2) {
                    word -= 1;
                }
                if word > 1 {
                    cut = word - 1;
                }
            }
            let carried: usize = line[cut..].iter().map(|(_, w, _)| w).sum();
            if carried + w > cols {
                cut = line.len();
            }
            let at = line.get(cut).map_or(i, |(p, _, _)| *p);
            lines.push(VisualLine { start, end: at });
            start = at;
            line.drain(..cut);
            used = line.iter().map(|(_, w, _)| w).sum();
        }
        used += w;
        line.push((i, w, g));
    }
    lines.push(VisualLine {
        start,
        end: text.len(),
    });
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str, cols: usize) -> Vec<&str> {
        wrap(text, cols)
            .iter()
            .map(|l| &text[l.start..l.end])
            .collect()
    }

    #[test]
    fn a_date_is_not_split_and_no_line_starts_with_a_comma() {
        let text = "调解成功：双方达成协议，2026-11-29";
        for cols in 8..30 {
            for l in lines(text, cols) {
                assert!(!l.starts_with('，'), "{cols}: {l:?}");
                assert!(
                    !l.starts_with("26") && !l.ends_with("20"),
                    "the date split at {cols}: {:?}",
                    lines(text, cols)
                );
            }
        }
    }

    #[test]
    fn a_word_longer_than_the_line_still_breaks() {
        let l = lines("13812341234138123412341381234123413812341234", 10);
        assert!(l.iter().all(|l| width(l) <= 10), "{l:?}");
    }

    #[test]
    fn padding_counts_chinese_as_two_columns() {
        assert_eq!(pad("王芳", 6), "王芳  ");
        assert_eq!(width(&pad("陇综民〔2026〕12号", 8)), 8);
    }
}

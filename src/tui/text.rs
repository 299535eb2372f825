//! Editing and laying out what a clerk types: a field that moves and deletes by grapheme (a name
//! with a variation selector is one character to the clerk), and our own wrapping by display
//! width, so that a wide character is never cut at a field edge nor drawn over a border.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use unicode_segmentation::UnicodeSegmentation;

pub use crate::lines::{VisualLine, fit, grapheme_width, pad, width, wrap};

/// Where the cursor at byte `cursor` sits in wrapped lines: (row, column).
pub fn cursor_in(text: &str, lines: &[VisualLine], cursor: usize) -> (usize, usize) {
    for (row, line) in lines.iter().enumerate() {
        let next_starts_here = lines.get(row + 1).is_some_and(|n| n.start == cursor);
        if cursor >= line.start && cursor <= line.end && !(cursor == line.end && next_starts_here) {
            return (row, width(&text[line.start..cursor]));
        }
    }
    let last = lines.len().saturating_sub(1);
    (last, width(&text[lines[last].start..]))
}

/// A text field's contents and cursor (a byte offset, always on a grapheme boundary).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextField {
    text: String,
    cursor: usize,
    multiline: bool,
}

impl TextField {
    pub fn new(multiline: bool) -> TextField {
        TextField {
            text: String::new(),
            cursor: 0,
            multiline,
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
    }

    /// Replace the contents; the cursor goes to the end.
    pub fn set(&mut self, text: &str) {
        self.text.clear();
        self.cursor = 0;
        self.insert(text);
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
    }

    /// Insert typed or pasted text at the cursor. Pasted line breaks arrive as `\r`: a
    /// single-line field turns each into a space; control, bidi and zero-width characters are
    /// dropped (`crate::text::clean_typed`).
    pub fn insert(&mut self, s: &str) {
        let clean = crate::text::clean_typed(s, self.multiline);
        self.text.insert_str(self.cursor, &clean);
        self.cursor += clean.len();
    }

    fn prev_boundary(&self) -> Option<usize> {
        self.text[..self.cursor]
            .grapheme_indices(true)
            .next_back()
            .map(|(i, _)| i)
    }

    fn next_boundary(&self) -> Option<usize> {
        self.text[self.cursor..]
            .graphemes(true)
            .next()
            .map(|g| self.cursor + g.len())
    }

    /// Backspace: the whole character before the cursor.
    pub fn delete_back(&mut self) -> bool {
        match self.prev_boundary() {
            Some(p) => {
                self.text.replace_range(p..self.cursor, "");
                self.cursor = p;
                true
            }
            None => false,
        }
    }

    /// Delete: the whole character under the cursor.
    pub fn delete_forward(&mut self) -> bool {
        match self.next_boundary() {
            Some(n) => {
                self.text.replace_range(self.cursor..n, "");
                true
            }
            None => false,
        }
    }

    pub fn left(&mut self) -> bool {
        self.prev_boundary().map(|p| self.cursor = p).is_some()
    }

    pub fn right(&mut self) -> bool {
        self.next_boundary().map(|n| self.cursor = n).is_some()
    }

    /// Start of the current (logical) line.
    pub fn home(&mut self) {
        self.cursor = self.text[..self.cursor].rfind('\n').map_or(0, |i| i + 1);
    }

    pub fn end(&mut self) {
        self.cursor = self.text[self.cursor..]
            .find('\n')
            .map_or(self.text.len(), |i| self.cursor + i);
    }

    /// Move one visual row up or down in text wrapped at `cols`; false at the first/last row.
    pub fn vertical(&mut self, cols: usize, down: bool) -> bool {
        let lines = wrap(&self.text, cols);
        let (row, col) = cursor_in(&self.text, &lines, self.cursor);
        let target = if down {
            if row + 1 >= lines.len() {
                return false;
            }
            row + 1
        } else {
            if row == 0 {
                return false;
            }
            row - 1
        };
        let line = lines[target];
        let mut pos = line.start;
        let mut used = 0;
        // The end of a soft-wrapped row is the start of the next: stop one character short.
        let soft = lines.get(target + 1).is_some_and(|n| n.start == line.end);
        for (i, g) in self.text[line.start..line.end].grapheme_indices(true) {
            let w = grapheme_width(g);
            if used + w > col || (soft && line.start + i + g.len() == line.end) {
                break;
            }
            used += w;
            pos = line.start + i + g.len();
        }
        self.cursor = pos;
        true
    }

    /// Draw a single-line field into `area` (one row), scrolled so the cursor shows; returns
    /// the cursor's screen position.
    pub fn render_line(&self, buf: &mut Buffer, area: Rect, style: Style) -> (u16, u16) {
        let cols = area.width as usize;
        // Leave one column for the cursor after the last character.
        let before: Vec<&str> = self.text[..self.cursor].graphemes(true).collect();
        let mut first = 0;
        let mut w: usize = before.iter().map(|g| grapheme_width(g)).sum();
        while w + 1 > cols && first < before.len() {
            w -= grapheme_width(before[first]);
            first += 1;
        }
        let skip: usize = before[..first].iter().map(|g| g.len()).sum();
        let shown = &self.text[skip..];
        let mut x = area.x as usize;
        let right = area.x as usize + cols;
        for g in shown.graphemes(true) {
            let gw = grapheme_width(g);
            if x + gw > right {
                break;
            }
            buf.set_stringn(x as u16, area.y, g, gw, style);
            x += gw;
        }
        (area.x + w as u16, area.y)
    }

    /// Draw a multi-line field into `area`, wrapped at its width and scrolled so the cursor
    /// shows; returns the cursor's screen position.
    pub fn render_block(&self, buf: &mut Buffer, area: Rect, style: Style) -> (u16, u16) {
        // One spare column keeps the cursor inside the field at the end of a full line.
        let cols = (area.width as usize).saturating_sub(1).max(2);
        let lines = wrap(&self.text, cols);
        let (row, col) = cursor_in(&self.text, &lines, self.cursor);
        let rows = area.height as usize;
        let top = (row + 1).saturating_sub(rows);
        for (i, line) in lines.iter().skip(top).take(rows).enumerate() {
            buf.set_stringn(
                area.x,
                area.y + i as u16,
                &self.text[line.start..line.end],
                cols,
                style,
            );
        }
        (area.x + col as u16, area.y + (row - top) as u16)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backspace_removes_a_whole_grapheme() {
        let mut f = TextField::new(false);
        // 𠮷 is outside the BMP; 葛󠄀 carries a variation selector: each is one character.
        f.insert("王𠮷葛\u{E0100}");
        assert!(f.delete_back());
        assert_eq!(f.text(), "王𠮷");
        assert!(f.delete_back());
        assert_eq!(f.text(), "王");
        f.home();
        assert!(f.delete_forward());
        assert_eq!(f.text(), "");
    }

    #[test]
    fn pasted_breaks_become_spaces_in_a_single_line_field() {
        let mut f = TextField::new(false);
        f.insert("首阳镇\r南门村\r\n3号");
        assert_eq!(f.text(), "首阳镇 南门村 3号");
        let mut m = TextField::new(true);
        m.insert("第一行\r第二行");
        assert_eq!(m.text(), "第一行\n第二行");
    }

    #[test]
    fn wrapping_never_splits_a_wide_character() {
        let text = "一二三四五六七";
        let lines = wrap(text, 5);
        let shown: Vec<&str> = lines.iter().map(|l| &text[l.start..l.end]).collect();
        assert_eq!(shown, ["一二", "三四", "五六", "七"]);
        for s in shown {
            assert!(width(s) <= 5);
        }
    }

    #[test]
    fn a_comma_never_begins_a_line() {
        let text = "一二三，四";
        let lines = wrap(text, 6);
        let shown: Vec<&str> = lines.iter().map(|l| &text[l.start..l.end]).collect();
        assert_eq!(shown, ["一二", "三，四"]);
    }

    #[test]
    fn an_opening_bracket_never_ends_a_line() {
        let text = "一二三（四五）";
        let lines = wrap(text, 8);
        let shown: Vec<&str> = lines.iter().map(|l| &text[l.start..l.end]).collect();
        assert_eq!(shown, ["一二三", "（四五）"]);
        // Both rules at once: the bracket and the character before a comma move down together.
        let text = "一《二，";
        let lines = wrap(text, 6);
        let shown: Vec<&str> = lines.iter().map(|l| &text[l.start..l.end]).collect();
        assert_eq!(shown, ["一", "《二，"]);
        // A run of nothing but brackets still breaks, into lines that fit.
        let text = "（（（（";
        for l in wrap(text, 4) {
            assert!(l.end > l.start && width(&text[l.start..l.end]) <= 4);
        }
    }

    #[test]
    fn fit_marks_what_was_cut() {
        assert_eq!(fit("首阳镇司法所", 7), "首阳镇…");
        assert_eq!(fit("王芳", 4), "王芳");
        assert_eq!(pad("王", 4), "王  ");
    }

    fn f_lines(f: &TextField) -> Vec<VisualLine> {
        wrap(f.text(), 4)
    }

    #[test]
    fn cursor_moves_between_wrapped_rows() {
        let mut f = TextField::new(true);
        f.insert("一二三四五六");
        assert!(f.vertical(4, false));
        let lines = wrap(f.text(), 4);
        assert_eq!(cursor_in(f.text(), &lines, f.cursor()), (1, 2));
        assert!(f.vertical(4, false));
        assert_eq!(cursor_in(f.text(), &f_lines(&f), f.cursor()), (0, 2));
    }
}

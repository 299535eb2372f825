//! The one pick list of the program: the form's choice fields, the dialogs' choice fields, the
//! board's filters and the action menu all choose through `Pick`, so they behave alike. Typing
//! filters; ↑↓ move the highlight; Enter (or Tab after moving or typing) takes the highlighted
//! item; a value already there is shown selected, and typing replaces it instead of appending.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::text::{self, TextField};
use super::widgets::{self, put};
use crate::text::neutralize;

#[derive(Debug, Clone)]
pub struct Pick {
    options: Vec<String>,
    input: TextField,
    /// Index into `visible()` of the highlighted item.
    sel: usize,
    /// The text is a chosen value (taken, or there from the start), not a filter: it is shown
    /// selected, every option is listed, and typing replaces it.
    chosen: bool,
    /// The clerk typed or moved since entering the field: leaving it takes the highlight.
    moved: bool,
}

impl Pick {
    /// A choice field holding `initial` (empty for none).
    pub fn new(options: Vec<String>, initial: &str) -> Pick {
        let mut p = Pick {
            options,
            input: TextField::new(false),
            sel: 0,
            chosen: false,
            moved: false,
        };
        p.set(initial);
        p
    }

    /// A list opened to choose from (a menu, a filter): nothing typed, the highlight on
    /// `current` when it is one of the options.
    pub fn menu(options: Vec<String>, current: Option<&str>) -> Pick {
        let sel = current
            .and_then(|c| options.iter().position(|o| o == c))
            .unwrap_or(0);
        Pick {
            options,
            input: TextField::new(false),
            sel,
            chosen: false,
            moved: false,
        }
    }

    pub fn options(&self) -> &[String] {
        &self.options
    }

    /// New choices (the villages follow the town, the units the level). A value no longer
    /// among them stays as typed text (nothing is lost), for validation to name.
    pub fn set_options(&mut self, options: Vec<String>) {
        if self.options == options {
            return;
        }
        self.options = options;
        if self.chosen && !self.options.iter().any(|o| o == self.value()) {
            self.chosen = false;
        }
        self.sel = self.position_of_value();
    }

    /// What the field holds, trimmed.
    pub fn value(&self) -> &str {
        self.input.text().trim()
    }

    /// What the clerk typed to filter, when not a chosen value.
    pub fn typed(&self) -> &str {
        if self.chosen { "" } else { self.input.text() }
    }

    pub fn set(&mut self, value: &str) {
        self.input.set(value.trim());
        self.chosen = !value.trim().is_empty();
        self.sel = self.position_of_value();
        self.moved = false;
    }

    pub fn clear(&mut self) {
        self.input.clear();
        self.chosen = false;
        self.sel = 0;
    }

    fn position_of_value(&self) -> usize {
        let v = self.value();
        self.visible()
            .iter()
            .position(|&i| self.options[i] == v)
            .unwrap_or(0)
    }

    /// The indexes of the options on show: all for a chosen value or nothing typed, else those
    /// containing what was typed.
    pub fn visible(&self) -> Vec<usize> {
        let f = self.typed().trim().to_lowercase();
        if f.is_empty() {
            return (0..self.options.len()).collect();
        }
        self.options
            .iter()
            .enumerate()
            .filter(|(_, o)| o.to_lowercase().contains(&f))
            .map(|(i, _)| i)
            .collect()
    }

    pub fn highlighted(&self) -> Option<&str> {
        self.visible()
            .get(self.sel)
            .map(|&i| self.options[i].as_str())
    }

    /// The field gets the focus: the highlight on its value, nothing moved yet.
    pub fn enter(&mut self) {
        self.sel = self.position_of_value();
        self.moved = false;
    }

    /// Typed or pasted text: replaces a chosen value, else adds to the filter.
    pub fn type_str(&mut self, s: &str) {
        if self.chosen {
            self.input.clear();
            self.chosen = false;
        }
        self.input.insert(s);
        self.refiltered();
    }

    /// Backspace: a chosen value goes as a whole (it is selected); typed text by one character.
    pub fn delete_back(&mut self) -> bool {
        if self.chosen {
            self.clear();
            self.moved = true;
            return true;
        }
        let changed = self.input.delete_back();
        self.refiltered();
        changed
    }

    /// ←→ Home End: start editing the value as text.
    pub fn edit(&mut self, f: impl FnOnce(&mut TextField)) {
        self.chosen = false;
        f(&mut self.input);
    }

    fn refiltered(&mut self) {
        self.moved = true;
        let typed = self.input.text().trim().to_string();
        let visible = self.visible();
        // An option typed in full is highlighted; else the first that matches.
        self.sel = visible
            .iter()
            .position(|&i| self.options[i] == typed)
            .unwrap_or(0);
    }

    pub fn up(&mut self) {
        self.sel = self.sel.saturating_sub(1);
        self.moved = true;
    }

    pub fn down(&mut self) {
        if self.sel + 1 < self.visible().len() {
            self.sel += 1;
        }
        self.moved = true;
    }

    /// Take the highlighted item as the value (Enter, Tab, leaving the field) — only when the
    /// clerk typed or moved: passing through a field, or Enter on an empty one, changes nothing
    /// (the first item is never recorded just because it happens to be highlighted). True when
    /// the value changed.
    pub fn take(&mut self) -> bool {
        if !self.moved {
            return false;
        }
        self.moved = false;
        let Some(choice) = self.highlighted().map(str::to_string) else {
            // Nothing matches what was typed: it stays, for validation to name.
            return false;
        };
        let changed = choice != self.value();
        self.input.set(&choice);
        self.chosen = true;
        self.sel = self.position_of_value();
        changed
    }

    /// The value (or the filter) in one row; a chosen value is drawn selected while focused.
    /// Returns where the cursor goes.
    pub fn render_value(
        &self,
        buf: &mut Buffer,
        area: Rect,
        style: Style,
        focused: bool,
    ) -> (u16, u16) {
        if focused && self.chosen {
            let w = text::width(self.value()) as u16;
            put(
                buf,
                area.x,
                area.y,
                self.value(),
                area.width,
                widgets::selected(),
            );
            return (area.x + w.min(area.width.saturating_sub(1)), area.y);
        }
        self.input.render_line(buf, area, style)
    }

    /// The options on show in `area`, the highlighted one marked, scrolled to keep it in view.
    pub fn render_list(&self, buf: &mut Buffer, area: Rect) {
        if area.height == 0 {
            return;
        }
        let visible = self.visible();
        if visible.is_empty() {
            put(
                buf,
                area.x,
                area.y,
                "（无匹配项）",
                area.width,
                widgets::dim(),
            );
            return;
        }
        let rows = area.height as usize;
        let top = (self.sel + 1).saturating_sub(rows);
        for (row, &i) in visible.iter().enumerate().skip(top).take(rows) {
            let y = area.y + (row - top) as u16;
            let style = if row == self.sel {
                widgets::selected()
            } else {
                Style::new()
            };
            let line = text::pad(&neutralize(&self.options[i], false), area.width as usize);
            buf.set_stringn(area.x, y, &line, area.width as usize, style);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ways() -> Vec<String> {
        ["电话", "上门", "短信", "微信", "来访"]
            .map(String::from)
            .to_vec()
    }

    #[test]
    fn down_and_enter_replace_a_value_already_there() {
        let mut p = Pick::new(ways(), "电话");
        p.enter();
        p.down();
        assert!(p.take());
        assert_eq!(p.value(), "上门");
    }

    #[test]
    fn typing_replaces_a_prefilled_value_instead_of_appending() {
        let mut p = Pick::new(ways(), "电话");
        p.enter();
        p.type_str("微");
        assert_eq!(p.typed(), "微");
        assert!(p.take());
        assert_eq!(p.value(), "微信");
    }

    #[test]
    fn passing_through_changes_nothing_and_an_empty_field_stays_empty() {
        let mut p = Pick::new(ways(), "短信");
        p.enter();
        assert!(!p.take());
        assert_eq!(p.value(), "短信");
        // Enter on an empty field nobody touched leaves it empty.
        let mut empty = Pick::new(ways(), "");
        empty.enter();
        assert!(!empty.take());
        assert_eq!(empty.value(), "");
    }

    #[test]
    fn backspace_removes_a_chosen_value_whole() {
        let mut p = Pick::new(ways(), "电话");
        p.enter();
        p.delete_back();
        assert_eq!(p.value(), "");
        assert_eq!(p.visible().len(), 5);
    }

    #[test]
    fn text_matching_nothing_stays_for_validation() {
        let mut p = Pick::new(ways(), "");
        p.enter();
        p.type_str("传真");
        assert!(p.visible().is_empty());
        assert!(!p.take());
        assert_eq!(p.value(), "传真");
    }

    #[test]
    fn a_menu_starts_on_the_current_item() {
        let p = Pick::menu(ways(), Some("微信"));
        assert_eq!(p.highlighted(), Some("微信"));
    }
}

//! Small drawing helpers shared by the screens: colours, popups, lists to choose from, and text
//! wrapped by our own rule (never over a border).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Widget};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::keys::{self, Cmd, Scope};
use super::pick::Pick;
use super::text;
use crate::calendar::Band;
use crate::text::neutralize;

pub fn title() -> Style {
    Style::new().fg(Color::Black).bg(Color::Cyan)
}
pub fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}
pub fn label() -> Style {
    Style::new().fg(Color::Gray)
}
pub fn focus_label() -> Style {
    Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
}
pub fn field() -> Style {
    Style::new().bg(Color::Rgb(40, 40, 48)).fg(Color::White)
}
pub fn focus_field() -> Style {
    Style::new().bg(Color::Rgb(20, 60, 90)).fg(Color::White)
}
pub fn error() -> Style {
    Style::new().fg(Color::LightRed)
}
pub fn ok() -> Style {
    Style::new().fg(Color::LightGreen)
}
pub fn warn() -> Style {
    Style::new().fg(Color::Yellow)
}
pub fn selected() -> Style {
    Style::new().bg(Color::Blue).fg(Color::White)
}

/// The colour of a board row by time left: overdue must be unmissable.
pub fn band(b: Band) -> Style {
    match b {
        Band::Overdue => Style::new().fg(Color::White).bg(Color::Red),
        Band::Within1 => Style::new().fg(Color::LightRed),
        Band::Within3 => Style::new().fg(Color::Yellow),
        Band::Later => Style::new(),
    }
}

/// A rectangle of `w`×`h` centred in `area` (clipped to it).
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// Clear `area`, draw a bordered box titled `title`, return the inside.
pub fn popup(buf: &mut Buffer, area: Rect, title: &str) -> Rect {
    // A wide character just left of the box would spill into its border: blank it.
    if area.x > buf.area.x {
        for y in area.top()..area.bottom() {
            if let Some(cell) = buf.cell_mut((area.x - 1, y))
                && text::width(cell.symbol()) > 1
            {
                cell.set_symbol(" ");
            }
        }
    }
    Clear.render(area, buf);
    let mut block = Block::new()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(Style::new().fg(Color::Cyan));
    if !title.is_empty() {
        block = block.title(format!(" {title} "));
    }
    let inner = block.inner(area);
    block.render(area, buf);
    inner
}

/// A string drawn at (x, y), cut to `cols` columns with `…`; control and bidi characters shown
/// as visible stand-ins (`crate::text::neutralize`).
pub fn put(buf: &mut Buffer, x: u16, y: u16, s: &str, cols: u16, style: Style) -> u16 {
    let s = text::fit(&neutralize(s, false), cols as usize);
    let (end, _) = buf.set_stringn(x, y, &s, cols as usize, style);
    end - x
}

/// Text wrapped into `area` by our own rule; returns the rows used.
pub fn wrapped(buf: &mut Buffer, area: Rect, s: &str, style: Style) -> u16 {
    let lines = text::wrap(s, area.width as usize);
    let mut y = area.y;
    for l in lines.iter() {
        if y >= area.bottom() {
            break;
        }
        let mut line = &s[l.start..l.end];
        // A soft break before a space leaves the space at the start of the next row: drop it.
        if l.start > 0 && !s[..l.start].ends_with('\n') {
            line = line.strip_prefix(' ').unwrap_or(line);
        }
        buf.set_stringn(
            area.x,
            y,
            neutralize(line, false),
            area.width as usize,
            style,
        );
        y += 1;
    }
    y - area.y
}

/// How many rows `s` takes wrapped at `cols`.
pub fn wrapped_height(s: &str, cols: u16) -> u16 {
    text::wrap(s, cols as usize).len() as u16
}

/// A login name and a password (shown as dots), one under the other `step` rows apart, labels
/// `label_w` wide, from (`x`, `y`) across `width`; returns the cursor and the row after them.
/// A login put there for the clerk (`login_selected`) is drawn selected while it has the focus.
pub fn credentials(
    buf: &mut Buffer,
    (x, y, width): (u16, u16, u16),
    (login_label, label_w): (&str, u16),
    (login, login_selected): (&super::text::TextField, bool),
    password: &super::text::TextField,
    on_password: bool,
    step: u16,
) -> (Option<(u16, u16)>, u16) {
    let field_w = width.saturating_sub(label_w + 1);
    let mut cursor = None;
    let mut y = y;
    for (i, (label, field)) in [(login_label, login), ("密码", password)]
        .into_iter()
        .enumerate()
    {
        let focused = (i == 1) == on_password;
        let (ls, fs) = if focused {
            (focus_label(), focus_field())
        } else {
            (self::label(), self::field())
        };
        put(buf, x, y, label, label_w, ls);
        let fa = Rect::new(x + label_w + 1, y, field_w, 1);
        buf.set_style(fa, fs);
        let pos = if i == 1 {
            // The password shows as dots, one per character typed.
            let dots = "•".repeat(field.text().chars().count().min(field_w as usize - 1));
            put(buf, fa.x, y, &dots, field_w, fs);
            (fa.x + dots.chars().count() as u16, y)
        } else if focused && login_selected {
            // A login put there for the clerk: selected, as typing replaces it.
            put(buf, fa.x, y, field.text(), field_w, selected());
            let w = text::width(field.text()) as u16;
            (fa.x + w.min(field_w.saturating_sub(1)), y)
        } else {
            field.render_line(buf, fa, fs)
        };
        if focused {
            cursor = Some(pos);
        }
        y += step;
    }
    (cursor, y)
}

/// A list to choose from in a box of its own, with a filter line: the board's filters and the
/// action menu. The choosing is `Pick`'s, as everywhere.
#[derive(Debug, Clone)]
pub struct Picker {
    pub title: String,
    pub pick: Pick,
}

impl Picker {
    pub fn new(title: &str, options: Vec<String>, current: Option<&str>) -> Picker {
        Picker {
            title: title.to_string(),
            pick: Pick::menu(options, current),
        }
    }

    pub fn chosen(&self) -> Option<String> {
        self.pick.highlighted().map(str::to_string)
    }

    /// A key for the list: ↑↓, Backspace and typed characters. True when used.
    pub fn key(&mut self, ev: &KeyEvent) -> bool {
        match keys::lookup(Scope::Picker, ev) {
            Some(Cmd::Up) => self.pick.up(),
            Some(Cmd::Down) => self.pick.down(),
            _ => match keys::lookup(Scope::Field, ev) {
                Some(Cmd::DeleteBack) => {
                    self.pick.delete_back();
                }
                _ => match ev.code {
                    KeyCode::Char(c)
                        if !ev
                            .modifiers
                            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
                    {
                        self.pick.type_str(&c.to_string())
                    }
                    _ => return false,
                },
            },
        }
        true
    }

    /// Draw centred in `area`; returns where the cursor goes (the filter line).
    pub fn render(&self, buf: &mut Buffer, area: Rect) -> (u16, u16) {
        let options = self.pick.options();
        let widest = options
            .iter()
            .map(|o| text::width(o))
            .max()
            .unwrap_or(10)
            .max(text::width(&self.title) + 4)
            .max(24) as u16;
        let h = (options.len() as u16 + 4)
            .min(area.height.saturating_sub(2))
            .max(6);
        let rect = centered(area, widest + 4, h);
        let inner = popup(buf, rect, &self.title);
        put(buf, inner.x, inner.y, "筛选：", 6, label());
        let field = Rect::new(inner.x + 6, inner.y, inner.width.saturating_sub(6), 1);
        buf.set_style(field, self::field());
        let cursor = self.pick.render_value(buf, field, self::field(), true);
        let list_area = Rect::new(
            inner.x,
            inner.y + 1,
            inner.width,
            inner.height.saturating_sub(1),
        );
        self.pick.render_list(buf, list_area);
        cursor
    }
}

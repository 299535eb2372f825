//! Small drawing helpers shared by the screens: colours, popups, lists to choose from, and text
//! wrapped by our own rule (never over a border).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Widget};

use super::text::{self, TextField};
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

/// The indexes of `options` that contain `filter` (all when the filter is empty or names an
/// option exactly, so that a chosen value can still be changed by moving).
pub fn filter_options(options: &[String], filter: &str) -> Vec<usize> {
    let f = filter.trim().to_lowercase();
    if f.is_empty() || options.iter().any(|o| o.to_lowercase() == f) {
        return (0..options.len()).collect();
    }
    options
        .iter()
        .enumerate()
        .filter(|(_, o)| o.to_lowercase().contains(&f))
        .map(|(i, _)| i)
        .collect()
}

/// Where the highlight starts in a filtered list: on the option typed in full, else the first.
pub fn initial_sel(options: &[String], visible: &[usize], typed: &str) -> usize {
    let typed = typed.trim();
    visible
        .iter()
        .position(|&i| options[i] == typed)
        .unwrap_or(0)
}

/// A list of choices with the selected one highlighted, scrolled to keep it in view.
pub fn list(buf: &mut Buffer, area: Rect, items: &[&str], sel: usize) {
    if area.height == 0 {
        return;
    }
    if items.is_empty() {
        put(buf, area.x, area.y, "（无匹配项）", area.width, dim());
        return;
    }
    let rows = area.height as usize;
    let top = (sel + 1).saturating_sub(rows);
    for (i, item) in items.iter().enumerate().skip(top).take(rows) {
        let y = area.y + (i - top) as u16;
        let style = if i == sel { selected() } else { Style::new() };
        let line = text::pad(&neutralize(item, false), area.width as usize);
        buf.set_stringn(area.x, y, &line, area.width as usize, style);
    }
}

/// A list to choose from with its own filter line: the board's filters and the action menu.
#[derive(Debug, Clone)]
pub struct Picker {
    pub title: String,
    pub options: Vec<String>,
    pub filter: TextField,
    pub sel: usize,
}

impl Picker {
    pub fn new(title: &str, options: Vec<String>, current: Option<&str>) -> Picker {
        let sel = current
            .and_then(|c| options.iter().position(|o| o == c))
            .unwrap_or(0);
        Picker {
            title: title.to_string(),
            options,
            filter: TextField::new(false),
            sel,
        }
    }

    pub fn visible(&self) -> Vec<usize> {
        filter_options(&self.options, self.filter.text())
    }

    pub fn chosen(&self) -> Option<String> {
        self.visible()
            .get(self.sel)
            .map(|&i| self.options[i].clone())
    }

    pub fn up(&mut self) {
        self.sel = self.sel.saturating_sub(1);
    }

    pub fn down(&mut self) {
        let n = self.visible().len();
        if self.sel + 1 < n {
            self.sel += 1;
        }
    }

    /// The filter changed: start again at the top (or at the option typed in full).
    pub fn refiltered(&mut self) {
        self.sel = initial_sel(&self.options, &self.visible(), self.filter.text());
    }

    /// Draw centred in `area`; returns where the cursor goes (the filter line).
    pub fn render(&self, buf: &mut Buffer, area: Rect) -> (u16, u16) {
        let widest = self
            .options
            .iter()
            .map(|o| text::width(o))
            .max()
            .unwrap_or(10)
            .max(text::width(&self.title) + 4)
            .max(24) as u16;
        let h = (self.options.len() as u16 + 4)
            .min(area.height.saturating_sub(2))
            .max(6);
        let rect = centered(area, widest + 4, h);
        let inner = popup(buf, rect, &self.title);
        put(buf, inner.x, inner.y, "筛选：", 6, label());
        let field = Rect::new(inner.x + 6, inner.y, inner.width.saturating_sub(6), 1);
        buf.set_style(field, super::widgets::field());
        let cursor = self.filter.render_line(buf, field, super::widgets::field());
        let items: Vec<&str> = self
            .visible()
            .iter()
            .map(|&i| self.options[i].as_str())
            .collect();
        let list_area = Rect::new(
            inner.x,
            inner.y + 1,
            inner.width,
            inner.height.saturating_sub(1),
        );
        list(buf, list_area, &items, self.sel);
        cursor
    }
}

//! Setting text on paper: widths from the faces' advances, line breaking with the Chinese rule
//! (no line starts with closing punctuation, none ends with opening punctuation), and a page flow
//! with ruled tables whose rows grow with their text and continue on the next page under a
//! repeated header. Positions are in points, measured from the top-left corner of the page; the
//! conversion to PDF's bottom-up coordinates happens only when the PDF is written.

use super::fonts::{Face, loaded};
use crate::lines::{is_break_space, is_narrow};
pub use crate::lines::{may_end_line, may_start_line};

/// Millimetres to points.
pub const fn mm(v: f32) -> f32 {
    v * 72.0 / 25.4
}

/// Where the ideographic em box sits in a line box: its bottom is 0.12 em below the baseline in
/// the Noto CJK faces, so the baseline is 0.88 em below the top of the box.
const BASELINE_IN_EM: f32 = 0.88;
const EPSILON: f32 = 0.01;

/// Variation selectors and zero-width marks: a name may carry them (an IVS picks a glyph
/// variant the faces do not have), and they print as nothing, so they are dropped before setting
/// and never reported as unprintable.
pub fn is_ignorable(c: char) -> bool {
    matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// The text as it is set: line breaks unified to `\n`, ignorable marks dropped.
fn normalize(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .map(|c| if c == '\r' { '\n' } else { c })
        .filter(|&c| !is_ignorable(c))
        .collect()
}

/// Width of `text` set in `face` at `size` points, in points.
pub fn text_width(face: Face, size: f32, text: &str) -> f32 {
    let font = loaded(face);
    text.chars().map(|c| char_width(font, c)).sum::<f32>() * size
}

fn char_width(font: &super::fonts::LoadedFace, c: char) -> f32 {
    match c {
        '\t' => font.advance_em(' '),
        c if c.is_control() => 0.0,
        c => font.advance_em(c),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AtomKind {
    /// Breakable space, dropped at either end of a wrapped line.
    Space,
    /// A run of Latin letters, digits and their punctuation: kept whole when it fits a line.
    Word,
    /// One ideograph or full-width mark: a line may break on either side of it (rule permitting).
    Char,
}

#[derive(Debug, Clone, Copy)]
struct Atom<'a> {
    text: &'a str,
    kind: AtomKind,
    width: f32,
}

impl Atom<'_> {
    fn first(&self) -> char {
        self.text.chars().next().unwrap_or(' ')
    }
    fn last(&self) -> char {
        self.text.chars().next_back().unwrap_or(' ')
    }
}

/// Splits a paragraph (no line breaks) into atoms; words wider than `max_width` are split into
/// single characters so that they can break anywhere.
fn atoms(face: Face, size: f32, text: &str, max_width: f32) -> Vec<Atom<'_>> {
    let font = loaded(face);
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let kind = if is_break_space(c) {
            AtomKind::Space
        } else if is_narrow(c) {
            AtomKind::Word
        } else {
            AtomKind::Char
        };
        let mut end = start + c.len_utf8();
        if kind != AtomKind::Char {
            while let Some(&(i, next)) = chars.peek() {
                let same = match kind {
                    AtomKind::Space => is_break_space(next),
                    _ => is_narrow(next),
                };
                if !same {
                    break;
                }
                end = i + next.len_utf8();
                chars.next();
            }
        }
        let piece = &text[start..end];
        let width = piece.chars().map(|c| char_width(font, c)).sum::<f32>() * size;
        if kind == AtomKind::Word && width > max_width {
            for (i, c) in piece.char_indices() {
                out.push(Atom {
                    text: &piece[i..i + c.len_utf8()],
                    kind: AtomKind::Word,
                    width: char_width(font, c) * size,
                });
            }
        } else {
            out.push(Atom {
                text: piece,
                kind,
                width,
            });
        }
    }
    out
}

/// Whether a line may break between `atoms[b - 1]` and `atoms[b]`.
fn may_break_before(atoms: &[Atom], b: usize) -> bool {
    let (prev, next) = (&atoms[b - 1], &atoms[b]);
    if prev.kind == AtomKind::Space || next.kind == AtomKind::Space {
        return true;
    }
    if prev.kind == AtomKind::Word && next.kind == AtomKind::Word {
        // Pieces of a word too long for any line.
        return true;
    }
    may_start_line(next.first()) && may_end_line(prev.last())
}

/// Wraps one paragraph: the first line `first_width` wide, the others `rest_width`.
fn wrap_paragraph(
    face: Face,
    size: f32,
    text: &str,
    first_width: f32,
    rest_width: f32,
    out: &mut Vec<String>,
) {
    let atoms = atoms(face, size, text, first_width.min(rest_width));
    let mut start = 0;
    let mut first_line = true;
    while start < atoms.len() {
        if !first_line {
            while start < atoms.len() && atoms[start].kind == AtomKind::Space {
                start += 1;
            }
            if start == atoms.len() {
                break;
            }
        }
        let max_width = if first_line { first_width } else { rest_width };
        let mut width = 0.0;
        let mut end = start;
        while end < atoms.len() && (end == start || width + atoms[end].width <= max_width + EPSILON)
        {
            width += atoms[end].width;
            end += 1;
        }
        if end < atoms.len() {
            // Move the break back until the rule allows it; if nothing on this line allows it
            // (a column one character wide), break where the line is full.
            let mut b = end;
            while b > start + 1 && !may_break_before(&atoms, b) {
                b -= 1;
            }
            if b > start && may_break_before(&atoms, b) {
                end = b;
            }
        }
        let mut last = end;
        while last > start && atoms[last - 1].kind == AtomKind::Space {
            last -= 1;
        }
        out.push(atoms[start..last].iter().map(|a| a.text).collect());
        start = end;
        first_line = false;
    }
    if first_line {
        out.push(String::new());
    }
}

/// Breaks `text` into lines no wider than `max_width` points. Explicit line breaks are kept; an
/// empty paragraph gives an empty line.
pub fn wrap(face: Face, size: f32, text: &str, max_width: f32) -> Vec<String> {
    let normalized = normalize(text);
    let mut lines = Vec::new();
    for paragraph in normalized.split('\n') {
        wrap_paragraph(face, size, paragraph, max_width, max_width, &mut lines);
    }
    lines
}

/// Like [`wrap`], with a hanging indent: the lines after the first of each paragraph are
/// indented by the width of the paragraph's text up to its first ideographic space (so a
/// timeline's entries continue under their text, not under their date). Returns each line
/// with its indent in points.
pub fn wrap_hanging(face: Face, size: f32, text: &str, max_width: f32) -> Vec<(f32, String)> {
    let normalized = normalize(text);
    let mut out = Vec::new();
    for paragraph in normalized.split('\n') {
        let hang = paragraph
            .find('\u{3000}')
            .map(|i| text_width(face, size, &paragraph[..i + '\u{3000}'.len_utf8()]))
            .filter(|&h| h < max_width / 2.0)
            .unwrap_or(0.0);
        let mut lines = Vec::new();
        wrap_paragraph(
            face,
            size,
            paragraph,
            max_width,
            max_width - hang,
            &mut lines,
        );
        out.extend(
            lines
                .into_iter()
                .enumerate()
                .map(|(i, l)| (if i == 0 { 0.0 } else { hang }, l)),
        );
    }
    out
}

/// Like [`wrap`], but at most `max_lines` lines: a longer text ends with "……" on its last line.
pub fn wrap_at_most(
    face: Face,
    size: f32,
    text: &str,
    max_width: f32,
    max_lines: usize,
) -> Vec<String> {
    let mut lines = wrap(face, size, text, max_width);
    if lines.len() <= max_lines || max_lines == 0 {
        lines.truncate(max_lines);
        return lines;
    }
    lines.truncate(max_lines);
    let ellipsis = "……";
    let room = max_width - text_width(face, size, ellipsis);
    let last = lines.last_mut().expect("max_lines > 0");
    while !last.is_empty()
        && (text_width(face, size, last) > room
            || last.chars().next_back().is_some_and(|c| !may_end_line(c)))
    {
        last.pop();
    }
    let trimmed = last.trim_end_matches(['，', '。', '、', '；', '：', ',', '.', ' ']);
    *last = format!("{trimmed}{ellipsis}");
    lines
}

/// Horizontal placement of a line in its box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Center,
    Right,
}

/// One thing drawn on a page. Coordinates in points from the page's top-left corner.
#[derive(Debug, Clone)]
pub(crate) enum Item {
    Text {
        face: Face,
        size: f32,
        x: f32,
        baseline: f32,
        text: String,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
    },
    /// A stroked rectangle.
    Frame {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        width: f32,
    },
    /// Filled black rectangles, one path (the modules of a QR code).
    Fill { rects: Vec<[f32; 4]> },
    /// Filled rectangles in a shade of grey (0 black … 1 white), drawn under the rules and the
    /// text: the bars of a chart, a shaded table cell.
    Shade { rects: Vec<[f32; 4]>, grey: f32 },
    /// Text in light grey turned by `angle` degrees (counter-clockwise) about the centre of its
    /// box at (`cx`, `cy`): the 草稿 mark across a draft's pages.
    Watermark {
        face: Face,
        size: f32,
        cx: f32,
        cy: f32,
        angle: f32,
        grey: f32,
        text: String,
    },
    /// An image XObject of the document, by index, stretched over the box.
    Image {
        index: usize,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct Page {
    pub width: f32,
    pub height: f32,
    pub items: Vec<Item>,
}

/// A paper size and its text block.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sheet {
    pub width: f32,
    pub height: f32,
    pub left: f32,
    pub top: f32,
    pub block_width: f32,
    pub block_height: f32,
    /// `— 1 —` under the text block of every page.
    pub page_numbers: bool,
}

impl Sheet {
    /// A4 with the GB/T 9704-2012 text block: top 37 mm, left 28 mm, 156 × 225 mm.
    pub fn a4_official() -> Sheet {
        Sheet {
            width: mm(210.0),
            height: mm(297.0),
            left: mm(28.0),
            top: mm(37.0),
            block_width: mm(156.0),
            block_height: mm(225.0),
            page_numbers: true,
        }
    }

    /// Landscape A4 for the register: binding edge on the left.
    pub fn a4_landscape() -> Sheet {
        Sheet {
            width: mm(297.0),
            height: mm(210.0),
            left: mm(22.0),
            top: mm(16.0),
            block_width: mm(260.0),
            block_height: mm(168.0),
            page_numbers: true,
        }
    }

    /// Portrait A4 with narrow margins, for reports that carry wide tables and charts.
    pub fn a4_report() -> Sheet {
        Sheet {
            width: mm(210.0),
            height: mm(297.0),
            left: mm(20.0),
            top: mm(18.0),
            block_width: mm(170.0),
            block_height: mm(255.0),
            page_numbers: true,
        }
    }

    pub fn a5() -> Sheet {
        Sheet {
            width: mm(148.0),
            height: mm(210.0),
            left: mm(14.0),
            top: mm(14.0),
            block_width: mm(120.0),
            block_height: mm(182.0),
            page_numbers: false,
        }
    }

    /// An 80 mm receipt roll (72 mm printable); the page is cut to its content when finished.
    pub fn roll_80mm() -> Sheet {
        Sheet {
            width: mm(80.0),
            height: mm(2000.0),
            left: mm(5.0),
            top: mm(5.0),
            block_width: mm(70.0),
            block_height: mm(1990.0),
            page_numbers: false,
        }
    }

    pub fn right(&self) -> f32 {
        self.left + self.block_width
    }

    pub fn bottom(&self) -> f32 {
        self.top + self.block_height
    }
}

/// The baseline of a line of `size` points centred in a line box of `leading` points at `top`.
pub(crate) fn baseline(top: f32, size: f32, leading: f32) -> f32 {
    top + (leading - size) / 2.0 + BASELINE_IN_EM * size
}

/// A table cell: its text, how many columns it spans, and how it is set.
#[derive(Debug, Clone)]
pub(crate) struct Cell {
    pub text: String,
    pub span: usize,
    pub face: Face,
    pub align: Align,
    /// A label: centred vertically, and shown again with "（续）" on every page a split row
    /// continues on.
    pub label: bool,
    /// Paragraphs set with a hanging indent (see [`wrap_hanging`]).
    pub hanging: bool,
    /// A row split over pages is split between paragraphs, never inside one (unless a paragraph
    /// is taller than a page): the entries of a timeline stay whole.
    pub keep_paragraphs: bool,
    /// A grey (0 black … 1 white) the cell is filled with.
    pub shade: Option<f32>,
}

impl Cell {
    /// Body text, left-aligned, top of the cell.
    pub fn value(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            span: 1,
            face: Face::Body,
            align: Align::Left,
            label: false,
            hanging: false,
            keep_paragraphs: false,
            shade: None,
        }
    }

    /// Body text centred (numbers, dates, short codes).
    pub fn centered(text: impl Into<String>) -> Cell {
        Cell {
            align: Align::Center,
            ..Cell::value(text)
        }
    }

    /// A label in the label face, centred both ways.
    pub fn label(text: impl Into<String>) -> Cell {
        Cell {
            face: Face::Label,
            align: Align::Center,
            label: true,
            ..Cell::value(text)
        }
    }

    /// A list of entries, one a paragraph: hanging indent, and each entry kept on one page.
    pub fn entries(mut self) -> Cell {
        self.hanging = true;
        self.keep_paragraphs = true;
        self
    }

    pub fn face(mut self, face: Face) -> Cell {
        self.face = face;
        self
    }

    pub fn shade(mut self, grey: f32) -> Cell {
        self.shade = Some(grey);
        self
    }

    pub fn span(mut self, columns: usize) -> Cell {
        self.span = columns.max(1);
        self
    }
}

/// A ruled table: fixed column widths (points), header rows repeated on every page the table
/// runs onto, and body rows as tall as their wrapped text.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub columns: Vec<f32>,
    pub header: Vec<Vec<Cell>>,
    pub rows: Vec<Vec<Cell>>,
    pub size: f32,
    pub leading: f32,
    pub pad_x: f32,
    pub pad_y: f32,
}

impl Table {
    pub fn new(columns_mm: &[f32], size: f32) -> Table {
        Table {
            columns: columns_mm.iter().map(|&w| mm(w)).collect(),
            header: Vec::new(),
            rows: Vec::new(),
            size,
            leading: size * 1.5,
            pad_x: mm(1.8),
            pad_y: mm(1.2),
        }
    }

    fn width(&self) -> f32 {
        self.columns.iter().sum()
    }

    /// How many lines of a row fit in `height` points.
    fn lines_in(&self, height: f32) -> usize {
        ((height - 2.0 * self.pad_y) / self.leading + EPSILON)
            .floor()
            .max(0.0) as usize
    }

    fn lay_out(&self, row: &[Cell]) -> RowLayout {
        let mut x = 0.0;
        let mut col = 0;
        let mut cells = Vec::new();
        for cell in row {
            let span = cell.span.min(self.columns.len().saturating_sub(col)).max(1);
            let w: f32 = self.columns[col.min(self.columns.len() - 1)..]
                .iter()
                .take(span)
                .sum();
            let inner = (w - 2.0 * self.pad_x).max(self.size);
            let set = |text: &str| -> Vec<(f32, String)> {
                if cell.hanging {
                    wrap_hanging(cell.face, self.size, text, inner)
                } else {
                    wrap(cell.face, self.size, text, inner)
                        .into_iter()
                        .map(|l| (0.0, l))
                        .collect()
                }
            };
            let (lines, starts) = if cell.keep_paragraphs {
                let mut lines = Vec::new();
                let mut starts = Vec::new();
                for paragraph in normalize(&cell.text).split('\n') {
                    starts.push(lines.len());
                    lines.extend(set(paragraph));
                }
                (lines, Some(starts))
            } else {
                (set(&cell.text), None)
            };
            let continued = if cell.label {
                wrap(cell.face, self.size, &format!("{}（续）", cell.text), inner)
                    .into_iter()
                    .map(|l| (0.0, l))
                    .collect()
            } else {
                Vec::new()
            };
            cells.push(CellLayout {
                x,
                w,
                shade: cell.shade,
                face: cell.face,
                align: cell.align,
                label: cell.label,
                lines,
                continued,
                starts,
            });
            x += w;
            col += span;
        }
        RowLayout { cells }
    }
}

#[derive(Debug)]
struct CellLayout {
    x: f32,
    w: f32,
    shade: Option<f32>,
    face: Face,
    align: Align,
    label: bool,
    /// Each line with its indent.
    lines: Vec<(f32, String)>,
    continued: Vec<(f32, String)>,
    /// For a cell that keeps its paragraphs whole: the line each paragraph starts on.
    starts: Option<Vec<usize>>,
}

impl CellLayout {
    /// Whether a page may end before line `line` of this cell.
    fn may_break_before(&self, line: usize) -> bool {
        match &self.starts {
            Some(starts) => line >= self.lines.len() || starts.binary_search(&line).is_ok(),
            None => true,
        }
    }

    /// For a cell that keeps its paragraphs whole: where the paragraph holding `line` ends.
    fn paragraph_end(&self, line: usize) -> Option<usize> {
        let starts = self.starts.as_ref()?;
        Some(
            starts
                .iter()
                .copied()
                .find(|&s| s > line)
                .unwrap_or(self.lines.len()),
        )
    }
}

#[derive(Debug)]
struct RowLayout {
    cells: Vec<CellLayout>,
}

impl RowLayout {
    /// Lines of the longest non-label cell: what a split divides.
    fn body_lines(&self) -> usize {
        self.cells
            .iter()
            .filter(|c| !c.label)
            .map(|c| c.lines.len())
            .max()
            .unwrap_or(0)
    }

    /// How many lines from `from` on, at most `max`, may go on this page before a break: at a
    /// paragraph boundary of every cell that keeps its paragraphs whole (a paragraph longer than
    /// `page_lines`, what a fresh page holds, is split anyway, so it starts on this page);
    /// otherwise at least two lines on each side of the break. 0 when no break is allowed
    /// within `max` lines.
    fn take(&self, from: usize, max: usize, page_lines: usize) -> usize {
        let left = self.body_lines().saturating_sub(from);
        let most = max.min(left.saturating_sub(1));
        if self.cells.iter().all(|c| c.starts.is_none()) {
            let take = max.min(left.saturating_sub(2));
            return if take >= 2 { take } else { 0 };
        }
        let boundary = (1..=most)
            .rev()
            .find(|&t| self.cells.iter().all(|c| c.may_break_before(from + t)))
            .unwrap_or(0);
        let next = from + boundary;
        let next_end = self
            .cells
            .iter()
            .filter_map(|c| c.paragraph_end(next))
            .max()
            .unwrap_or(next);
        if next_end - next > page_lines {
            most
        } else {
            boundary
        }
    }

    fn label_lines(&self, continued: bool) -> usize {
        self.cells
            .iter()
            .filter(|c| c.label)
            .map(|c| {
                if continued {
                    c.continued.len()
                } else {
                    c.lines.len()
                }
            })
            .max()
            .unwrap_or(0)
    }
}

/// The page number as GB/T 9704-2012 §7.5 sets it: `— n —` in 4号 (14 pt) 宋体, 7 mm below the
/// text block, on the outer edge one character in from it — odd pages right, even pages left.
fn page_number(sheet: &Sheet, n: usize) -> Item {
    let size = 14.0;
    let text = format!("— {n} —");
    let w = text_width(Face::Body, size, &text);
    let x = if n % 2 == 1 {
        sheet.right() - size - w
    } else {
        sheet.left + size
    };
    Item::Text {
        face: Face::Body,
        size,
        x,
        baseline: sheet.bottom() + mm(7.0) + BASELINE_IN_EM * size,
        text,
    }
}

const RULE: f32 = 0.5;
const FRAME: f32 = 1.0;

/// Pages being filled top to bottom inside a sheet's text block.
pub(crate) struct Flow {
    pub sheet: Sheet,
    pages: Vec<Page>,
    items: Vec<Item>,
    /// The top of the free space on the current page.
    pub y: f32,
    /// Set across every page when the pages are finished (a draft's 草稿).
    watermark: Option<String>,
}

impl Flow {
    pub fn new(sheet: Sheet) -> Flow {
        Flow {
            sheet,
            pages: Vec::new(),
            items: Vec::new(),
            y: sheet.top,
            watermark: None,
        }
    }

    /// Marks every page with `text` set large and diagonally in light grey.
    pub fn watermark(&mut self, text: &str) {
        self.watermark = Some(text.to_string());
    }

    pub fn remaining(&self) -> f32 {
        self.sheet.bottom() - self.y
    }

    pub fn new_page(&mut self) {
        let items = std::mem::take(&mut self.items);
        self.pages.push(Page {
            width: self.sheet.width,
            height: self.sheet.height,
            items,
        });
        self.y = self.sheet.top;
    }

    /// Starts a new page unless `height` points still fit on this one.
    pub fn keep(&mut self, height: f32) {
        if self.remaining() + EPSILON < height && self.y > self.sheet.top + EPSILON {
            self.new_page();
        }
    }

    pub fn gap(&mut self, height: f32) {
        self.y = (self.y + height).min(self.sheet.bottom());
    }

    pub fn push(&mut self, item: Item) {
        self.items.push(item);
    }

    /// One line of text in a line box of `leading` at the cursor, placed within the text block.
    pub fn line(&mut self, face: Face, size: f32, leading: f32, align: Align, text: &str) {
        self.keep(leading);
        let text = normalize(text).replace('\n', " ");
        let x = self.aligned_x(
            face,
            size,
            align,
            &text,
            self.sheet.left,
            self.sheet.block_width,
        );
        self.items.push(Item::Text {
            face,
            size,
            x,
            baseline: baseline(self.y, size, leading),
            text,
        });
        self.y += leading;
    }

    /// Wrapped text across the text block (or indented by `indent` points), page breaks allowed
    /// between lines.
    pub fn paragraph(
        &mut self,
        face: Face,
        size: f32,
        leading: f32,
        align: Align,
        indent: f32,
        text: &str,
    ) {
        let width = self.sheet.block_width - indent;
        for l in wrap(face, size, text, width) {
            self.keep(leading);
            let x = self.aligned_x(face, size, align, &l, self.sheet.left + indent, width);
            self.items.push(Item::Text {
                face,
                size,
                x,
                baseline: baseline(self.y, size, leading),
                text: l,
            });
            self.y += leading;
        }
    }

    fn aligned_x(&self, face: Face, size: f32, align: Align, text: &str, x: f32, w: f32) -> f32 {
        match align {
            Align::Left => x,
            Align::Center => x + (w - text_width(face, size, text)) / 2.0,
            Align::Right => x + w - text_width(face, size, text),
        }
    }

    /// Draws a ruled table at the cursor, across pages as needed.
    pub fn table(&mut self, t: &Table) {
        let header: Vec<RowLayout> = t.header.iter().map(|r| t.lay_out(r)).collect();
        let header_height: f32 = header.iter().map(|r| self.row_height(t, r, 0, None)).sum();
        let min_row = t.leading + 2.0 * t.pad_y;
        let fresh_room = self.sheet.block_height - header_height;
        let page_lines = t.lines_in(fresh_room);
        let mut segment_top: Option<f32> = None;

        for row in t.rows.iter().map(|r| t.lay_out(r)) {
            let total = row.body_lines();
            let mut from = 0;
            loop {
                if segment_top.is_none() {
                    // The header goes on a page only with a row (or the first part of one).
                    let opening = if from == 0 {
                        self.opening(t, &row, fresh_room)
                    } else {
                        min_row
                    };
                    self.keep(header_height + opening);
                    segment_top = Some(self.y);
                    for h in &header {
                        let height = self.row_height(t, h, 0, None);
                        self.draw_row(t, h, 0, None, height);
                    }
                }
                let continued = from > 0;
                let left = total - from;
                let need = self.part_height(t, &row, left, continued);
                if need <= self.remaining() + EPSILON {
                    self.draw_row(t, &row, from, None, need);
                    break;
                }
                let fits_here = t.lines_in(self.remaining());
                let fits_fresh = need <= fresh_room + EPSILON;
                // Split a long row to use the page rather than leave it half empty, where a
                // break is allowed (see `RowLayout::take`).
                let mut take = row.take(from, fits_here, page_lines);
                if take > 0 && take < row.label_lines(continued) {
                    take = 0;
                }
                let split = take > 0 && (left > 6 || !fits_fresh);
                if split {
                    let height = self.part_height(t, &row, take, continued);
                    self.draw_row(t, &row, from, Some(from + take), height);
                    from += take;
                } else if self.y <= self.sheet.top + header_height + EPSILON {
                    // Already on a fresh page and no allowed break fits (a paragraph taller
                    // than a page): take what fits.
                    let take = fits_here.max(1).min(left);
                    let height = self.part_height(t, &row, take, continued);
                    self.draw_row(t, &row, from, Some(from + take), height);
                    from += take;
                    if from >= total {
                        break;
                    }
                }
                self.close_segment(t, segment_top.take());
                self.new_page();
            }
        }
        self.close_segment(t, segment_top);
    }

    /// The height of a table's header rows and the start of its first row: what a heading
    /// above the table must keep with it on the page.
    pub fn opening_height(&self, t: &Table) -> f32 {
        let header: f32 = t
            .header
            .iter()
            .map(|r| self.row_height(t, &t.lay_out(r), 0, None))
            .sum();
        let fresh_room = self.sheet.block_height - header;
        let first = t
            .rows
            .first()
            .map_or(0.0, |r| self.opening(t, &t.lay_out(r), fresh_room));
        header + first
    }

    /// What of a row must fit under the header where the table starts: all of it when the row
    /// would move whole to the next page rather than split, else the first lines before a break.
    fn opening(&self, t: &Table, row: &RowLayout, fresh_room: f32) -> f32 {
        let total = row.body_lines();
        let whole = self.part_height(t, row, total, false);
        if total <= 6 && whole <= fresh_room + EPSILON {
            return whole;
        }
        // The first allowed break; a row with none moves whole (or is cut on a fresh page).
        let page_lines = t.lines_in(fresh_room);
        let first = (1..total)
            .find(|&n| row.take(0, n, page_lines) > 0)
            .unwrap_or(total);
        self.part_height(t, row, first, false)
    }

    fn part_height(&self, t: &Table, row: &RowLayout, lines: usize, continued: bool) -> f32 {
        let lines = lines.max(row.label_lines(continued)).max(1);
        lines as f32 * t.leading + 2.0 * t.pad_y
    }

    fn row_height(&self, t: &Table, row: &RowLayout, from: usize, to: Option<usize>) -> f32 {
        let lines = to.unwrap_or(row.body_lines()) - from;
        self.part_height(t, row, lines, from > 0)
    }

    fn close_segment(&mut self, t: &Table, top: Option<f32>) {
        if let Some(top) = top
            && self.y > top + EPSILON
        {
            self.items.push(Item::Frame {
                x: self.table_left(t),
                y: top,
                w: t.width(),
                h: self.y - top,
                width: FRAME,
            });
        }
    }

    fn table_left(&self, t: &Table) -> f32 {
        self.sheet.left + (self.sheet.block_width - t.width()).max(0.0) / 2.0
    }

    /// Draws lines `from..to` of a row (all of them when `to` is `None`) in a box of `height`.
    fn draw_row(
        &mut self,
        t: &Table,
        row: &RowLayout,
        from: usize,
        to: Option<usize>,
        height: f32,
    ) {
        let left = self.table_left(t);
        let top = self.y;
        for cell in &row.cells {
            let x = left + cell.x;
            if let Some(grey) = cell.shade {
                self.items.push(Item::Shade {
                    rects: vec![[x, top, cell.w, height]],
                    grey,
                });
            }
            self.items.push(Item::Frame {
                x,
                y: top,
                w: cell.w,
                h: height,
                width: RULE,
            });
            let lines: &[(f32, String)] = if cell.label {
                if from > 0 {
                    &cell.continued
                } else {
                    &cell.lines
                }
            } else {
                let end = to.unwrap_or(cell.lines.len()).min(cell.lines.len());
                &cell.lines[from.min(end)..end]
            };
            let text_top = if cell.label {
                top + (height - lines.len() as f32 * t.leading) / 2.0
            } else {
                top + t.pad_y
            };
            for (i, (indent, l)) in lines.iter().enumerate() {
                if l.is_empty() {
                    continue;
                }
                let inner_x = x + t.pad_x + indent;
                let inner_w = cell.w - 2.0 * t.pad_x - indent;
                let lx = self.aligned_x(cell.face, t.size, cell.align, l, inner_x, inner_w);
                self.items.push(Item::Text {
                    face: cell.face,
                    size: t.size,
                    x: lx,
                    baseline: baseline(text_top + i as f32 * t.leading, t.size, t.leading),
                    text: l.clone(),
                });
            }
        }
        self.y = top + height;
    }

    /// The pages, each numbered `— n —` under its text block when the sheet asks for it, and
    /// watermarked when asked.
    pub fn finish(mut self) -> Vec<Page> {
        if !self.items.is_empty() || self.pages.is_empty() {
            self.new_page();
        }
        if self.sheet.page_numbers {
            for (i, page) in self.pages.iter_mut().enumerate() {
                page.items.push(page_number(&self.sheet, i + 1));
            }
        }
        if let Some(text) = &self.watermark {
            for page in &mut self.pages {
                let size = (page.width.min(page.height) / 3.0).min(120.0);
                page.items.push(Item::Watermark {
                    face: Face::Label,
                    size,
                    cx: page.width / 2.0,
                    cy: page.height / 2.0,
                    angle: 35.0,
                    grey: 0.85,
                    text: text.clone(),
                });
            }
        }
        self.pages
    }

    /// One page cut to its content plus `bottom_margin` (a receipt roll).
    pub fn finish_fitted(mut self, bottom_margin: f32) -> Vec<Page> {
        let height = self.y + bottom_margin;
        self.sheet.page_numbers = false;
        let mut pages = self.finish();
        for p in &mut pages {
            p.height = height;
        }
        pages
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIZE: f32 = 12.0;

    fn em(n: f32) -> f32 {
        n * SIZE + 0.001
    }

    fn lines(text: &str, ems: f32) -> Vec<String> {
        wrap(Face::Body, SIZE, text, em(ems))
    }

    #[test]
    fn ideographs_fill_each_line() {
        assert_eq!(lines("一二三四五六七", 3.0), ["一二三", "四五六", "七"]);
    }

    #[test]
    fn closing_punctuation_never_starts_a_line() {
        // "，" would start the second line: "三" moves down with it.
        assert_eq!(lines("一二三，四五", 3.0), ["一二", "三，四", "五"]);
        assert_eq!(lines("一二三。", 3.0), ["一二", "三。"]);
        for text in [
            "甲乙丙）丁",
            "甲乙丙》丁",
            "甲乙丙」丁",
            "甲乙丙』丁",
            "甲乙丙、丁",
            "甲乙丙！丁",
        ] {
            for l in lines(text, 3.0) {
                assert!(may_start_line(l.chars().next().unwrap()), "{text}: {l}");
            }
        }
    }

    #[test]
    fn opening_punctuation_never_ends_a_line() {
        assert_eq!(lines("一二（三四", 3.0), ["一二", "（三四"]);
        assert_eq!(lines("一二《三》", 3.0), ["一二", "《三》"]);
        for text in ["甲乙「丙丁", "甲乙『丙丁", "甲乙（丙丁"] {
            for l in lines(text, 3.0) {
                assert!(may_end_line(l.chars().next_back().unwrap()), "{text}: {l}");
            }
        }
    }

    #[test]
    fn latin_words_and_numbers_stay_whole() {
        let ls = lines("电话13812341234号", 8.0);
        assert!(ls.iter().any(|l| l.contains("13812341234")), "{ls:?}");
        let ls = lines("see the report of 2026", 6.0);
        assert!(ls.iter().all(|l| !l.starts_with(' ') && !l.ends_with(' ')));
        assert!(ls.iter().any(|l| l.contains("report")), "{ls:?}");
    }

    #[test]
    fn words_longer_than_a_line_are_split() {
        let long = "a".repeat(60);
        let ls = lines(&long, 5.0);
        assert!(ls.len() > 1);
        assert_eq!(ls.concat(), long);
        for l in &ls {
            assert!(text_width(Face::Body, SIZE, l) <= em(5.0));
        }
    }

    #[test]
    fn variation_selectors_are_dropped() {
        assert_eq!(lines("葛\u{E0100}亮\u{FE00}", 10.0), ["葛亮"]);
    }

    #[test]
    fn explicit_newlines_are_kept() {
        assert_eq!(lines("一\n\n二\r\n三", 10.0), ["一", "", "二", "三"]);
        assert_eq!(lines("", 10.0), [""]);
    }

    #[test]
    fn no_line_is_wider_than_the_box() {
        let text =
            "群众反映：2026年3月，本村（某组）修路时占用其承包地约0.3亩，未给补偿。".repeat(5);
        for l in lines(&text, 9.0) {
            assert!(text_width(Face::Body, SIZE, &l) <= em(9.0), "{l}");
        }
    }

    #[test]
    fn truncated_text_ends_with_ellipsis() {
        let text = "一二三四五六七八九十".repeat(5);
        let ls = wrap_at_most(Face::Body, SIZE, &text, em(5.0), 2);
        assert_eq!(ls.len(), 2);
        assert!(ls[1].ends_with("……"), "{ls:?}");
        assert!(text_width(Face::Body, SIZE, &ls[1]) <= em(5.0));
        assert_eq!(wrap_at_most(Face::Body, SIZE, "短", em(5.0), 2), ["短"]);
    }

    #[test]
    fn hanging_indent_aligns_continuations_after_the_date() {
        let text = format!("3月5日　{}", "内容".repeat(20));
        let ls = wrap_hanging(Face::Body, SIZE, &text, em(10.0));
        assert!(ls.len() > 2);
        assert_eq!(ls[0].0, 0.0);
        let hang = text_width(Face::Body, SIZE, "3月5日　");
        for (indent, l) in &ls[1..] {
            assert_eq!(*indent, hang);
            assert!(text_width(Face::Body, SIZE, l) + indent <= em(10.0));
        }
    }

    fn table_with(rows: usize, text: &str) -> Table {
        let mut t = Table::new(&[30.0, 126.0], 12.0);
        t.header = vec![vec![Cell::label("项目"), Cell::label("内容")]];
        for i in 0..rows {
            t.rows
                .push(vec![Cell::label(format!("第{i}项")), Cell::value(text)]);
        }
        t
    }

    fn texts(page: &Page) -> Vec<&str> {
        page.items
            .iter()
            .filter_map(|i| match i {
                Item::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn table_header_repeats_on_every_page() {
        let mut flow = Flow::new(Sheet::a4_official());
        flow.table(&table_with(80, "内容"));
        let pages = flow.finish();
        assert!(pages.len() > 1);
        for p in &pages {
            assert!(texts(p).contains(&"项目"));
        }
        assert!(texts(&pages[1]).contains(&"— 2 —"));
    }

    #[test]
    fn a_cell_taller_than_a_page_continues() {
        let mut flow = Flow::new(Sheet::a4_official());
        let long = "很长的诉求内容".repeat(400);
        flow.table(&table_with(1, &long));
        let pages = flow.finish();
        assert!(pages.len() >= 3, "{}", pages.len());
        assert!(texts(&pages[1]).iter().any(|t| t.contains("（续）")));
        let printed: usize = pages
            .iter()
            .flat_map(|p| texts(p))
            .filter(|t| t.contains("很长") || t.contains("诉求") || t.contains("内容"))
            .map(|t| t.chars().count())
            .sum();
        assert!(printed >= long.chars().count());
        for p in &pages {
            for item in &p.items {
                if let Item::Text { baseline, .. } = item {
                    assert!(*baseline < p.height);
                }
            }
        }
    }

    fn text_items(page: &Page) -> Vec<(f32, f32, &str)> {
        page.items
            .iter()
            .filter_map(|i| match i {
                Item::Text {
                    x, baseline, text, ..
                } => Some((*x, *baseline, text.as_str())),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn entries_are_not_split_across_pages() {
        let mut flow = Flow::new(Sheet::a4_official());
        flow.gap(mm(150.0));
        let entries: Vec<String> = (0..30)
            .map(|i| format!("第{i}条　{}", "内容".repeat(10 + i % 25)))
            .collect();
        let mut t = Table::new(&[30.0, 126.0], 12.0);
        t.rows.push(vec![
            Cell::label("办理过程"),
            Cell::value(entries.join("\n")).entries(),
        ]);
        flow.table(&t);
        let pages = flow.finish();
        assert!(pages.len() >= 2);
        for page in &pages[1..] {
            // The topmost line of the cell on a continued page begins an entry.
            let first = text_items(page)
                .into_iter()
                .filter(|(x, _, text)| *x > mm(58.0) && !text.starts_with('—'))
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .unwrap();
            assert!(first.2.starts_with('第'), "{:?}", first.2);
        }
        let printed: usize = pages
            .iter()
            .flat_map(|p| texts(p))
            .filter(|t| t.starts_with('第'))
            .count();
        assert_eq!(printed, entries.len());
    }

    #[test]
    fn an_entry_taller_than_a_page_is_split() {
        let mut flow = Flow::new(Sheet::a4_official());
        let huge = format!("第1条　{}", "很长的进展记录".repeat(500));
        let mut t = Table::new(&[30.0, 126.0], 12.0);
        t.rows.push(vec![
            Cell::label("办理过程"),
            Cell::value(format!("第0条　短\n{huge}")).entries(),
        ]);
        flow.table(&t);
        let pages = flow.finish();
        assert!(pages.len() >= 3, "{}", pages.len());
        // The first page is used, not left with one short entry.
        assert!(
            texts(&pages[0])
                .iter()
                .filter(|t| t.contains("很长"))
                .count()
                > 5
        );
    }

    #[test]
    fn a_table_header_never_stands_alone_at_the_foot_of_a_page() {
        let mut flow = Flow::new(Sheet::a4_official());
        let t = table_with(1, &"内容".repeat(60));
        // Room for the header and one line, not for the three-line row.
        let header = 12.0 * 1.5 + 2.0 * mm(1.2);
        flow.y = flow.sheet.bottom() - header - 12.0 * 1.5 - 2.0 * mm(1.2) - 1.0;
        flow.table(&t);
        let pages = flow.finish();
        assert_eq!(pages.len(), 2);
        assert!(!texts(&pages[0]).contains(&"项目"), "header left alone");
        assert!(texts(&pages[1]).contains(&"项目"));
    }

    #[test]
    fn page_numbers_go_on_the_outer_edge() {
        let mut flow = Flow::new(Sheet::a4_official());
        flow.new_page();
        flow.line(Face::Body, 14.0, 20.0, Align::Left, "二");
        let pages = flow.finish();
        let number = |p: &Page, n: &str| {
            text_items(p)
                .into_iter()
                .find(|t| t.2 == n)
                .map(|t| t.0)
                .unwrap()
        };
        let sheet = Sheet::a4_official();
        let w = text_width(Face::Body, 14.0, "— 1 —");
        assert!((number(&pages[0], "— 1 —") - (sheet.right() - 14.0 - w)).abs() < 0.01);
        assert!((number(&pages[1], "— 2 —") - (sheet.left + 14.0)).abs() < 0.01);
    }
}

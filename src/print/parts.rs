//! Pieces the papers of 一本、一单、一会 share: the number at the top right, numbered headings
//! (一、 in the label face), body paragraphs, signature lines with their date, boxes to tick,
//! and how much personal data a paper may carry.

use chrono::NaiveDate;

use super::fonts::Face;
use super::format::date;
use super::layout::{Align, Flow, Item, Sheet, Table, baseline, mm, text_width};
use crate::domain::{IdNumber, Phone, mask_id, mask_phone};

/// How much of a person's ID number and phone a paper shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonalData {
    /// In full: for the roles that see personal data (值班长, 管理员).
    Full,
    /// `621122********1238`, `139****5678`: for everyone else.
    Masked,
}

impl PersonalData {
    pub(crate) fn phone(self, p: Option<&Phone>) -> String {
        match (p, self) {
            (None, _) => "—".into(),
            (Some(p), PersonalData::Full) => p.as_str().to_string(),
            (Some(p), PersonalData::Masked) => mask_phone(p.as_str()),
        }
    }

    pub(crate) fn id_number(self, id: Option<&IdNumber>) -> String {
        match (id, self) {
            (None, _) => "—".into(),
            (Some(id), PersonalData::Full) => id.as_str().to_string(),
            (Some(id), PersonalData::Masked) => mask_id(id.as_str()),
        }
    }
}

/// How tall `t` is set on `sheet`, if it fits on one page: a block worth keeping whole.
pub(crate) fn whole_height(sheet: Sheet, t: &Table) -> Option<f32> {
    let mut scratch = Flow::new(sheet);
    scratch.table(t);
    let height = scratch.y - sheet.top;
    (scratch.finish().len() == 1).then_some(height)
}

/// Where a date is written by hand: `　　年　　月　　日`.
pub(crate) const BLANK_DATE: &str = "　　年　　月　　日";

/// The document's number at the top right of the text block.
pub(crate) fn number(flow: &mut Flow, size: f32, text: &str) {
    flow.line(Face::Body, size, size * 1.6, Align::Right, text);
}

/// A numbered heading (`一、通报事项`) in the label face, kept on its page with `keep_with`
/// points of what follows it.
pub(crate) fn heading(flow: &mut Flow, size: f32, text: &str, keep_with: f32) {
    flow.gap(mm(2.0));
    let leading = size * 1.8;
    flow.keep(leading + keep_with);
    flow.line(Face::Label, size, leading, Align::Left, text);
}

/// A body paragraph indented by two characters on its first line, as official documents set
/// them; several paragraphs (one per line of `text`) each indented.
pub(crate) fn body(flow: &mut Flow, size: f32, leading: f32, text: &str) {
    for paragraph in text.lines().map(str::trim).filter(|p| !p.is_empty()) {
        flow.paragraph(
            Face::Body,
            size,
            leading,
            Align::Left,
            0.0,
            &format!("\u{3000}\u{3000}{paragraph}"),
        );
    }
}

/// Signature lines side by side and the date at the right, all on one line:
/// `主持人（签字）：______　记录人（签字）：______　2026年3月20日` (the date left to be written
/// by hand when not known). Each line to sign on is at most `rule` long, shorter if the line
/// needs it.
pub(crate) fn signatures(
    flow: &mut Flow,
    size: f32,
    who: &[&str],
    date_of: Option<NaiveDate>,
    rule: f32,
) {
    let leading = size * 2.2;
    flow.keep(leading);
    let top = flow.y;
    let base = baseline(top, size, leading);
    let labels: Vec<String> = who.iter().map(|w| format!("{w}（签字）：")).collect();
    let when = date_of.map_or_else(|| BLANK_DATE.to_string(), date);
    let gap = mm(5.0);
    let fixed: f32 = labels
        .iter()
        .map(|l| text_width(Face::Body, size, l) + gap)
        .sum::<f32>()
        + text_width(Face::Body, size, &when);
    let rule = ((flow.sheet.block_width - fixed) / labels.len().max(1) as f32)
        .min(rule)
        .max(mm(12.0));
    let mut x = flow.sheet.left;
    for label in labels {
        let w = text_width(Face::Body, size, &label);
        flow.push(Item::Text {
            face: Face::Body,
            size,
            x,
            baseline: base,
            text: label,
        });
        x += w;
        flow.push(Item::Line {
            x1: x,
            y1: base + mm(1.0),
            x2: x + rule,
            y2: base + mm(1.0),
            width: 0.5,
        });
        x += rule + gap;
    }
    flow.line(Face::Body, size, leading, Align::Right, &when);
    flow.y = top + leading;
}

/// Between two choices to tick: wide enough to tell them apart, narrow enough to keep a list
/// of ten sources on two lines of an A5 form.
const TICK_GAP: &str = "  ";

/// Empty lines for a box filled in by hand: a cell's text that makes it `lines` lines tall.
pub(crate) fn blank_lines(lines: usize) -> String {
    "\n".repeat(lines.saturating_sub(1))
}

/// `□入户走访  □微信群…`: choices to tick by hand, as many on a line of `width` points as fit,
/// never one broken over two lines.
pub(crate) fn tick_boxes<S: AsRef<str>>(choices: &[S], size: f32, width: f32) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for c in choices {
        let item = format!("□{}", c.as_ref());
        let joined = if line.is_empty() {
            item.clone()
        } else {
            format!("{line}{TICK_GAP}{item}")
        };
        if line.is_empty() || text_width(Face::Body, size, &joined) <= width {
            line = joined;
        } else {
            lines.push(std::mem::replace(&mut line, item));
        }
    }
    lines.push(line);
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::fonts::check_coverage_in;

    #[test]
    fn personal_data_is_masked_unless_full() {
        let phone = Phone::parse("13912345678").unwrap();
        let id = IdNumber::parse("11010519491231002X").unwrap();
        assert_eq!(PersonalData::Masked.phone(Some(&phone)), "139****5678");
        assert_eq!(PersonalData::Full.phone(Some(&phone)), "13912345678");
        assert_eq!(
            PersonalData::Masked.id_number(Some(&id)),
            "110105********002X"
        );
        assert_eq!(PersonalData::Full.id_number(None), "—");
    }

    #[test]
    fn tick_boxes_and_blank_dates_print() {
        assert_eq!(tick_boxes(&["立案", "引导"], 10.0, 100.0), "□立案  □引导");
        // Six ems do not fit in five: the second item goes on a line of its own, whole.
        assert_eq!(tick_boxes(&["立案", "引导"], 10.0, 50.0), "□立案\n□引导");
        assert_eq!(blank_lines(3), "\n\n");
        let text = format!("{}{}", tick_boxes(&["立案"], 10.0, 100.0), BLANK_DATE);
        assert_eq!(check_coverage_in(Face::Body, &[("", &text)]), Ok(()));
    }
}

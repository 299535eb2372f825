//! A cadre's 民情笔记本 for a period, A4: under a heading with the cadre's name and the period,
//! each visit as a ruled block (走访时间, 走访对象, 村/社/住址, 走访类型, 同行人员, 家庭基本情况,
//! 反映的问题和建议, 当场答复, 后续工作, and the report forms it sent up with where they stand),
//! oldest first, every page after the first headed with the cadre and the period.

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::PrintError;
use super::fonts::{Face, check_coverage, check_coverage_in};
use super::format::{date, or_dash};
use super::layout::{Align, Cell, Flow, Item, Page, Sheet, Table, baseline, mm, text_width};
use super::parts::{PersonalData, whole_height};
use super::pdf::{Meta, render};
use crate::config::Config;
use crate::domain::records::Visit;

const TITLE: &str = "民情笔记本";
const SIZE: f32 = 10.5;

/// Everything printed in a notebook.
#[derive(Debug, Clone)]
pub struct NotebookInput<'a> {
    /// The cadre's real name, as the heading shows it.
    pub cadre_name: &'a str,
    /// Where the cadre works: `首阳镇综治中心`.
    pub center: &'a str,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The cadre's visits in the period, in any order (printed oldest first).
    pub visits: &'a [Visit],
    pub personal: PersonalData,
    pub config: &'a Config,
    pub printed_at: DateTime<FixedOffset>,
}

/// The notebook's pages as PDF bytes.
pub fn notebook_pdf(input: &NotebookInput) -> Result<Vec<u8>, PrintError> {
    check(input)?;
    let mut visits: Vec<&Visit> = input.visits.iter().collect();
    visits.sort_by_key(|v| (v.visited_on, v.id));
    let period = format!("{}至{}", date(input.from), date(input.to));

    let mut flow = Flow::new(Sheet::a4_official());
    flow.line(Face::Title, 22.0, 36.0, Align::Center, TITLE);
    let reports: usize = visits.iter().map(|v| v.reports.len()).sum();
    for line in [
        format!("走访人：{}（{}）", input.cadre_name, input.center),
        format!(
            "期间：{period}\u{3000}走访{}次，上报事项{reports}件",
            visits.len()
        ),
    ] {
        flow.paragraph(Face::Body, 12.0, 20.0, Align::Center, 0.0, &line);
    }
    flow.gap(mm(4.0));
    if visits.is_empty() {
        flow.paragraph(
            Face::Body,
            12.0,
            20.0,
            Align::Center,
            0.0,
            "本期间没有走访记录。",
        );
    }
    for (i, v) in visits.iter().enumerate() {
        let t = visit_table(v, input.personal);
        let label = format!("第{}次走访", i + 1);
        let leading = 20.0;
        // A visit stays on one page when it fits one; a longer one starts where its first rows
        // fit.
        let block = whole_height(flow.sheet, &t).unwrap_or_else(|| flow.opening_height(&t));
        flow.keep(leading + block);
        flow.line(Face::Label, 12.0, leading, Align::Left, &label);
        flow.table(&t);
        flow.gap(mm(5.0));
    }
    let mut pages = flow.finish();
    running_heads(
        &mut pages,
        &format!("{TITLE}\u{3000}{}", input.cadre_name),
        &period,
    );
    let meta = Meta {
        title: &format!("{TITLE} {} {period}", input.cadre_name),
        author: &input.config.center.name,
        created: input.printed_at,
    };
    Ok(render(&meta, &pages, &[]))
}

fn check(input: &NotebookInput) -> Result<(), PrintError> {
    let mut fields: Vec<(String, &str)> = vec![
        ("走访人".into(), input.cadre_name),
        ("所属中心".into(), input.center),
    ];
    for v in input.visits {
        let at = |what: &str| format!("{}的走访记录{}的{what}", v.visited_on, v.id);
        for (what, text) in [
            ("走访对象", &v.name),
            ("乡镇", &v.town),
            ("村", &v.village),
            ("社/组", &v.group),
            ("住址", &v.address),
            ("走访类型", &v.kind),
            ("家庭基本情况", &v.situation),
            ("反映的问题和建议", &v.raised),
            ("当场答复", &v.answered),
            ("后续工作", &v.follow_up),
        ] {
            fields.push((at(what), text.as_str()));
        }
        for c in &v.companions {
            fields.push((at("同行人员"), c.as_str()));
        }
        for r in &v.reports {
            fields.push((at("上报事项"), r.request.as_str()));
        }
    }
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(l, t)| (l.as_str(), *t)).collect();
    check_coverage(&borrowed)
        .and_then(|()| check_coverage_in(Face::Title, &[("标题", TITLE)]))
        .map_err(PrintError::Unprintable)
}

/// Town, village, 社/组 and address without repeating what the address already names.
fn place(v: &Visit) -> String {
    let mut out = String::new();
    for part in [&v.town, &v.village, &v.group] {
        if !part.is_empty() && !v.address.contains(part.as_str()) {
            out.push_str(part);
        }
    }
    out.push_str(&v.address);
    out
}

fn visit_table(v: &Visit, personal: PersonalData) -> Table {
    let mut t = Table::new(&[30.0, 48.0, 30.0, 48.0], SIZE);
    let pair = |l1: &str, v1: String, l2: &str, v2: String| {
        vec![
            Cell::label(l1),
            Cell::value(v1),
            Cell::label(l2),
            Cell::value(v2),
        ]
    };
    let wide = |l: &str, v: String| vec![Cell::label(l), Cell::value(v).span(3)];
    let reports = if v.reports.is_empty() {
        "无".to_string()
    } else {
        v.reports
            .iter()
            .map(|r| {
                format!(
                    "{}（{}）\u{3000}{}",
                    r.report_no,
                    r.status.label(),
                    r.request
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    t.rows = vec![
        pair(
            "走访时间",
            date(v.visited_on),
            "走访类型",
            or_dash(&v.kind).to_string(),
        ),
        pair(
            "走访对象",
            v.name.clone(),
            "联系电话",
            personal.phone(v.phone.as_ref()),
        ),
        wide("村/社/住址", or_dash(&place(v)).to_string()),
        wide(
            "同行人员",
            if v.companions.is_empty() {
                "无".into()
            } else {
                v.companions.join("、")
            },
        ),
        wide("家庭基本情况", or_dash(&v.situation).to_string()),
        wide("反映的问题\n和建议", or_dash(&v.raised).to_string()),
        wide("当场答复", or_dash(&v.answered).to_string()),
        wide("后续工作", or_dash(&v.follow_up).to_string()),
        vec![
            Cell::label("上报事项"),
            Cell::value(reports).span(3).entries(),
        ],
    ];
    t
}

/// The cadre and the period over the text block of every page after the first, over a thin
/// rule.
fn running_heads(pages: &mut [Page], left: &str, right: &str) {
    let sheet = Sheet::a4_official();
    let size = 10.5;
    let top = sheet.top - mm(12.0);
    let leading = size * 1.5;
    for page in pages.iter_mut().skip(1) {
        page.items.push(Item::Text {
            face: Face::Body,
            size,
            x: sheet.left,
            baseline: baseline(top, size, leading),
            text: left.to_string(),
        });
        page.items.push(Item::Text {
            face: Face::Body,
            size,
            x: sheet.right() - text_width(Face::Body, size, right),
            baseline: baseline(top, size, leading),
            text: right.to_string(),
        });
        page.items.push(Item::Line {
            x1: sheet.left,
            y1: top + leading + mm(1.0),
            x2: sheet.right(),
            y2: top + leading + mm(1.0),
            width: 0.5,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_wording_is_in_the_faces() {
        assert_eq!(
            check_coverage_in(
                Face::Label,
                &[(
                    "",
                    "走访时间类型对象联系电话村/社/住址同行人员家庭基本情况反映的问题和建议当场答复后续工作上报事项第次"
                )]
            ),
            Ok(())
        );
        assert_eq!(
            check_coverage(&[(
                "",
                "走访人：（）期间：至次，上报事项件本期间没有走访记录。无"
            )]),
            Ok(())
        );
        assert_eq!(check_coverage_in(Face::Title, &[("", TITLE)]), Ok(()));
    }
}

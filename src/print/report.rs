//! The 民意报告单 on A5, one matter per form (一事一单): a report's matter in a ruled table, how
//! its triage (研判) ended — or room to write it by hand while it waits — and the boxes where
//! reporter and 研判人 sign, with their dates. The blank form is the same sheet with room to
//! write in every box and a 编号 box instead of a number: cadres carry it on their visits.

use chrono::{DateTime, FixedOffset};

use super::PrintError;
use super::fonts::{Face, check_coverage, check_coverage_in};
use super::format::{date, date_time, or_dash};
use super::layout::{Align, Cell, Flow, Item, Page, Sheet, Table, baseline, mm, text_width};
use super::parts::{BLANK_DATE, PersonalData, blank_lines, number, tick_boxes};
use super::pdf::{Meta, render};
use crate::config::Config;
use crate::domain::records::{Report, ReportStatus};

const TITLE: &str = "民意报告单";
const SIZE: f32 = 10.0;
/// Label column, value column, label column, value column (120 mm, the A5 text block).
const COLUMNS: [f32; 4] = [22.0, 38.0, 22.0, 38.0];

/// The ways triage may end, as the blank boxes offer them.
const RESULTS: [ReportStatus; 4] = [
    ReportStatus::Registered,
    ReportStatus::Answered,
    ReportStatus::Merged,
    ReportStatus::Guided,
];

/// A filled 民意报告单 as PDF bytes; `personal` says whether ID numbers and phones print in
/// full.
pub fn report_pdf(
    report: &Report,
    personal: PersonalData,
    config: &Config,
    printed_at: DateTime<FixedOffset>,
) -> Result<Vec<u8>, PrintError> {
    check(report, config)?;
    let mut flow = Flow::new(Sheet::a5());
    number(&mut flow, 10.5, &report.report_no);
    title(&mut flow);
    flow.table(&filled_table(report, personal, config));
    let mut pages = flow.finish();
    page_marks(&mut pages, &report.report_no);
    let meta = Meta {
        title: &format!("{TITLE} {}", report.report_no),
        author: &config.center.name,
        created: printed_at,
    };
    Ok(render(&meta, &pages, &[]))
}

/// The blank 民意报告单, to be filled in by hand: one sheet.
pub fn blank_report_pdf(
    config: &Config,
    printed_at: DateTime<FixedOffset>,
) -> Result<Vec<u8>, PrintError> {
    check_coverage(&[("报告来源", &config.records.report_sources.join(""))])
        .map_err(PrintError::Unprintable)?;
    let mut flow = Flow::new(Sheet::a5());
    number_box(&mut flow);
    title(&mut flow);
    flow.table(&blank_table(config));
    let pages: Vec<Page> = flow.finish();
    let meta = Meta {
        title: &format!("{TITLE}（空白）"),
        author: &config.center.name,
        created: printed_at,
    };
    Ok(render(&meta, &pages, &[]))
}

/// A form that runs onto a second sheet says on each which sheet of how many it is, with its
/// number, so that the sheets stay together.
fn page_marks(pages: &mut [Page], report_no: &str) {
    let n = pages.len();
    if n < 2 {
        return;
    }
    let sheet = Sheet::a5();
    let size = 8.0;
    for (i, page) in pages.iter_mut().enumerate() {
        let text = format!("{report_no}\u{3000}第{}页 共{n}页", i + 1);
        page.items.push(Item::Text {
            face: Face::Body,
            size,
            x: sheet.left + (sheet.block_width - text_width(Face::Body, size, &text)) / 2.0,
            baseline: sheet.bottom() + mm(6.0),
            text,
        });
    }
}

fn check(r: &Report, config: &Config) -> Result<(), PrintError> {
    let center = r.center.label(config);
    let mut fields: Vec<(&str, &str)> = vec![
        ("报告单编号", &r.report_no),
        ("来源", &r.source),
        ("报告人", &r.reporter),
        ("当事人", &r.name),
        ("乡镇", &r.town),
        ("村", &r.village),
        ("住址", &r.address),
        ("反映事项", &r.request),
        ("基本情况", &r.facts),
        ("初步意见", &r.opinion),
        ("报送中心", &center),
    ];
    if let Some(t) = &r.triage {
        fields.push(("研判人", &t.by_name));
        fields.push(("研判意见", &t.text));
    }
    if let Some(no) = &r.case_no {
        fields.push(("案件编号", no));
    }
    check_coverage(&fields)
        .and_then(|()| check_coverage_in(Face::Title, &[("标题", TITLE)]))
        .map_err(PrintError::Unprintable)
}

fn title(flow: &mut Flow) {
    flow.line(Face::Title, 20.0, 28.0, Align::Center, TITLE);
    flow.line(Face::Body, 9.0, 13.0, Align::Center, "（一事一单）");
    flow.gap(mm(2.0));
}

/// `编号 [        ]` where the filled form has its number: a box to write the number in when
/// the center receives the form.
fn number_box(flow: &mut Flow) {
    let size = 10.5;
    let leading = size * 1.6;
    let w = mm(40.0);
    let x = flow.sheet.right() - w;
    let top = flow.y;
    flow.push(Item::Frame {
        x,
        y: top,
        w,
        h: leading,
        width: 0.6,
    });
    let label = "编号";
    flow.push(Item::Text {
        face: Face::Label,
        size,
        x: x - text_width(Face::Label, size, label) - mm(1.5),
        baseline: baseline(top, size, leading),
        text: label.into(),
    });
    flow.y = top + leading;
}

fn pair(l1: &str, v1: String, l2: &str, v2: String) -> Vec<Cell> {
    vec![
        Cell::label(l1),
        Cell::value(v1),
        Cell::label(l2),
        Cell::value(v2),
    ]
}

fn wide(label: &str, value: String) -> Vec<Cell> {
    vec![Cell::label(label), Cell::value(value).span(3)]
}

fn section(label: &str) -> Vec<Cell> {
    vec![Cell::label(label).span(4)]
}

/// The inner width of a value cell spanning three columns, in points.
fn wide_inner(t: &Table) -> f32 {
    mm(COLUMNS[1] + COLUMNS[2] + COLUMNS[3]) - 2.0 * t.pad_x
}

fn filled_table(r: &Report, personal: PersonalData, config: &Config) -> Table {
    let mut t = Table::new(&COLUMNS, SIZE);
    t.rows = vec![
        pair(
            "来　　源",
            r.source.clone(),
            "收到时间",
            date_time(r.received_at),
        ),
        wide("报送中心", r.center.label(config)),
        pair(
            "报 告 人",
            or_dash(&r.reporter).to_string(),
            "联系电话",
            personal.phone(r.reporter_phone.as_ref()),
        ),
        pair(
            "当 事 人",
            if r.name.trim().is_empty() {
                "未具名".into()
            } else {
                r.name.clone()
            },
            "联系电话",
            personal.phone(r.phone.as_ref()),
        ),
        wide("身份证号", personal.id_number(r.id_number.as_ref())),
        pair(
            "乡　　镇",
            or_dash(&r.town).to_string(),
            "村（社区）",
            or_dash(&r.village).to_string(),
        ),
        wide("住　　址", or_dash(&r.address).to_string()),
        wide("反映事项", r.request.clone()),
        wide("基本情况", or_dash(&r.facts).to_string()),
        wide("初步意见", or_dash(&r.opinion).to_string()),
        pair(
            "报告人签字",
            String::new(),
            "日　　期",
            date(r.received_at.date_naive()),
        ),
        section("研　判　情　况"),
    ];
    match &r.triage {
        Some(triage) => {
            t.rows.push(wide("研判结果", r.status.label().to_string()));
            let case = r.case_no.clone().unwrap_or_default();
            let (label, text) = match r.status {
                ReportStatus::Registered => ("立案编号", case),
                ReportStatus::Merged => (
                    "并入案件",
                    [case.as_str(), triage.text.trim()]
                        .into_iter()
                        .filter(|s| !s.is_empty())
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
                ReportStatus::Guided => ("引导渠道", triage.text.clone()),
                _ => ("答复内容", triage.text.clone()),
            };
            t.rows.push(wide(label, or_dash(&text).to_string()));
            t.rows.push(pair(
                "研 判 人",
                triage.by_name.clone(),
                "研判时间",
                date_time(triage.at),
            ));
            t.rows.push(pair(
                "研判人签字",
                String::new(),
                "日　　期",
                date(triage.at.date_naive()),
            ));
        }
        None => {
            let inner = wide_inner(&t);
            t.rows
                .push(wide("研判结果", tick_boxes(&result_labels(), SIZE, inner)));
            t.rows.push(wide("研判意见", blank_lines(3)));
            t.rows.push(pair(
                "研判人签字",
                String::new(),
                "日　　期",
                BLANK_DATE.to_string(),
            ));
        }
    }
    t
}

fn result_labels() -> Vec<&'static str> {
    RESULTS.iter().map(ReportStatus::label).collect()
}

/// Every box of the form empty, with room to write by hand: a taller line than the filled
/// form's, and several lines where the matter and its facts go. It fits one A5 sheet.
fn blank_table(config: &Config) -> Table {
    let mut t = Table::new(&COLUMNS, SIZE);
    // A line to write on is a little taller than a printed one; the padding a little less, so
    // that every box still fits one sheet.
    t.leading = 17.0;
    t.pad_y = mm(0.9);
    let inner = wide_inner(&t);
    let empty = String::new;
    let place = "\u{3000}".repeat(7) + "乡（镇）" + &"\u{3000}".repeat(7) + "村（社区）";
    t.rows = vec![
        wide(
            "来　　源",
            tick_boxes(&config.records.report_sources, SIZE, inner),
        ),
        pair("收到时间", empty(), "报送中心", empty()),
        pair("报 告 人", empty(), "联系电话", empty()),
        pair("当 事 人", empty(), "联系电话", empty()),
        wide("身份证号", empty()),
        wide("住　　址", format!("{place}\n")),
        wide("反映事项", blank_lines(2)),
        wide("基本情况", blank_lines(4)),
        wide("初步意见", blank_lines(2)),
        pair("报告人签字", empty(), "日　　期", BLANK_DATE.to_string()),
        section("研　判　情　况"),
        wide("研判结果", tick_boxes(&result_labels(), SIZE, inner)),
        wide("研判意见", blank_lines(2)),
        pair("研判人签字", empty(), "日　　期", BLANK_DATE.to_string()),
    ];
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_wording_is_in_the_faces() {
        let labels = "来源收到时间报告人联系电话当事人身份证号报送中心乡镇村（社区）住址反映事项基本情况\
            初步意见研判情况结果答复内容案件编号立案并入渠道意见签字日期";
        assert_eq!(check_coverage_in(Face::Label, &[("", labels)]), Ok(()));
        assert_eq!(
            check_coverage(&[(
                "",
                "（一事一单）未具名□立案当场答复并案引导乡（镇）村（社区）第页共"
            )]),
            Ok(())
        );
    }
}

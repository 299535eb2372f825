//! The 月度统计报表: a month's figures beside the month before and the same month a year
//! earlier, the tables by town and by category, a bar chart of 受理/办结 by town drawn as
//! vectors, satisfaction, and the overdue open cases by unit — with the definition of every
//! figure as a footnote. Two pages of A4 for a county of seventeen towns.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};

use super::PrintError;
use super::chart::{self, Bars, Series};
use super::fonts::{Face, check_coverage, check_coverage_in};
use super::format::{date, date_time};
use super::layout::{Align, Cell, Flow, Item, Sheet, Table, baseline, mm, text_width};
use super::pdf::{Meta, render};
use crate::config::Config;
use crate::domain::stats::{Figure, Figures, NOT_YET, Period};

const SIZE: f32 = 8.0;
const NOTE_SIZE: f32 = 7.0;
/// Units listed one by one in the overdue table; the rest are summed in one row.
pub const UNITS_LISTED: usize = 16;

/// A unit with open cases past their due date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueUnit {
    pub unit: String,
    pub cases: u64,
    /// The earliest due date among them.
    pub oldest_due: NaiveDate,
}

/// Everything the monthly report prints.
#[derive(Debug, Clone)]
pub struct MonthlyInput<'a> {
    /// The month: its first and last day.
    pub month: Period,
    /// The area counted: 全县, or a town's or village's name.
    pub area: String,
    /// The day 超期在办 is counted at: the month's end, or today if earlier.
    pub reference: NaiveDate,
    pub total: Figures,
    /// The month before and the same month a year earlier, over the same area.
    pub previous: Figures,
    pub year_ago: Figures,
    /// One row per town, in the order to print.
    pub by_town: &'a [(String, Figures)],
    pub by_category: &'a [(String, Figures)],
    /// Units with overdue open cases as of `reference`, most cases first.
    pub overdue_units: &'a [OverdueUnit],
    pub config: &'a Config,
    pub printed_at: DateTime<FixedOffset>,
}

/// `2026年11月`
fn month_name(d: NaiveDate) -> String {
    format!("{}年{}月", d.year(), d.month())
}

fn previous_month(p: &Period) -> NaiveDate {
    p.from.pred_opt().unwrap_or(p.from)
}

fn year_ago(p: &Period) -> NaiveDate {
    p.from.with_year(p.from.year() - 1).unwrap_or(p.from)
}

/// The change from `before` to `now`: a difference of counts or days, of percentage points for
/// rates; — when either side has no value.
fn change(now: &Figures, before: &Figures, figure: Figure) -> String {
    let (Some(a), Some(b)) = (now.value(figure), before.value(figure)) else {
        return "—".into();
    };
    let d = if figure.is_rate() {
        (a - b) * 100.0
    } else {
        a - b
    };
    let text = if figure.is_rate() || figure == Figure::AvgDays {
        format!("{d:+.1}")
    } else {
        format!("{d:+.0}")
    };
    match text.as_str() {
        "+0" | "-0" | "+0.0" | "-0.0" => "0".into(),
        _ => text,
    }
}

/// The monthly report as PDF bytes.
pub fn monthly_pdf(input: &MonthlyInput) -> Result<Vec<u8>, PrintError> {
    check(input)?;
    let mut flow = Flow::new(Sheet::a4_report());
    let month = month_name(input.month.from);
    flow.line(Face::Title, 20.0, 28.0, Align::Center, "月度统计报表");
    flow.line(
        Face::Body,
        10.5,
        17.0,
        Align::Center,
        &format!(
            "{}　　{month}　　统计范围：{}　　打印时间：{}",
            input.config.center.name,
            input.area,
            date_time(input.printed_at)
        ),
    );
    let upto = if input.reference < input.month.to {
        format!("（本月尚未结束，数据截至{}）", date(input.reference))
    } else {
        String::new()
    };
    flow.line(
        Face::Body,
        9.0,
        15.0,
        Align::Center,
        &format!(
            "统计期间：{}至{}{upto}",
            date(input.month.from),
            date(input.month.to),
        ),
    );
    flow.gap(mm(2.0));

    totals(&mut flow, input);
    by_town(&mut flow, input);
    by_category(&mut flow, input);
    town_chart(&mut flow, input);
    satisfaction(&mut flow, input);
    overdue_units(&mut flow, input);
    notes(&mut flow, input);

    let pages = flow.finish();
    let meta = Meta {
        title: &format!("月度统计报表 {month}"),
        author: &input.config.center.name,
        created: input.printed_at,
    };
    Ok(render(&meta, &pages, &[]))
}

/// A figure's name as a column header, broken where it reads well when it is too long for
/// one line of a narrow column.
fn header(f: Figure) -> &'static str {
    match f {
        Figure::OnTimeRate => "按期\n办结率",
        Figure::OverdueOpen => "超期\n在办",
        Figure::AvgDays => "平均办理\n天数",
        Figure::FollowUpRate => "回访率",
        Figure::VillageShare => "村级化解\n占比",
        Figure::TownshipShare => "乡镇化解\n占比",
        Figure::CountyShare => "县级化解\n占比",
        Figure::TriageOnTimeRate => "研判\n及时率",
        other => other.label(),
    }
}

fn heading(flow: &mut Flow, text: &str, keep: f32) {
    heading_with_note(flow, text, "", keep);
}

/// A section heading, with a note in small type at the right end of its line.
fn heading_with_note(flow: &mut Flow, text: &str, note: &str, keep: f32) {
    let leading = 19.0;
    flow.gap(mm(2.5));
    flow.keep(leading + keep);
    if !note.is_empty() {
        let x = flow.sheet.right() - text_width(Face::Body, NOTE_SIZE, note);
        flow.push(Item::Text {
            face: Face::Body,
            size: NOTE_SIZE,
            x,
            baseline: baseline(flow.y, 11.0, leading),
            text: note.to_string(),
        });
    }
    flow.line(Face::Label, 11.0, leading, Align::Left, text);
}

fn table(widths_mm: &[f32]) -> Table {
    let mut t = Table::new(widths_mm, SIZE);
    t.pad_x = mm(0.6);
    t.pad_y = mm(0.45);
    t.leading = SIZE * 1.25;
    t
}

/// Widths in millimetres that fill the text block: the first `fixed` as given, the rest share
/// what is left.
fn fill(flow: &Flow, fixed: &[f32], rest: usize) -> Vec<f32> {
    let block = flow.sheet.block_width * 25.4 / 72.0;
    let used: f32 = fixed.iter().sum();
    let each = (block - used) / rest.max(1) as f32;
    let mut w = fixed.to_vec();
    w.extend(std::iter::repeat_n(each, rest));
    w
}

/// A table whose rows are set in two halves side by side, to use the width of the page: the
/// header is repeated over each half, and an odd last row leaves the right half empty.
fn halves(flow: &Flow, header: &[&str], first_mm: f32, rows: Vec<Vec<Cell>>) -> Table {
    let block = flow.sheet.block_width * 25.4 / 72.0;
    let half = block / 2.0;
    let each = (half - first_mm) / (header.len() - 1).max(1) as f32;
    let mut widths = Vec::new();
    for _ in 0..2 {
        widths.push(first_mm);
        widths.extend(std::iter::repeat_n(each, header.len() - 1));
    }
    let mut t = table(&widths);
    t.header = vec![
        header
            .iter()
            .chain(header.iter())
            .map(|h| Cell::label(*h))
            .collect(),
    ];
    let per_half = rows.len().div_ceil(2);
    let (left, right) = rows.split_at(per_half.min(rows.len()));
    for (i, l) in left.iter().enumerate() {
        let mut row = l.clone();
        match right.get(i) {
            Some(r) => row.extend(r.iter().cloned()),
            None => row.extend((0..header.len()).map(|_| Cell::centered(""))),
        }
        t.rows.push(row);
    }
    t
}

/// 一、总体情况: every figure of the month, the month before and a year earlier, and the
/// changes.
fn totals(flow: &mut Flow, input: &MonthlyInput) {
    let before = month_name(previous_month(&input.month));
    let last_year = month_name(year_ago(&input.month));
    let rows: Vec<Vec<Cell>> = Figure::ALL
        .iter()
        .map(|&f| {
            vec![
                Cell::centered(f.label()),
                Cell::centered(f.shown(&input.total)),
                Cell::centered(f.shown(&input.previous)),
                Cell::centered(change(&input.total, &input.previous, f)),
                Cell::centered(f.shown(&input.year_ago)),
                Cell::centered(change(&input.total, &input.year_ago, f)),
            ]
        })
        .collect();
    let t = halves(
        flow,
        &[
            "指标",
            "本月",
            "上月",
            "较上月",
            "去年\n同月",
            "较去年\n同月",
        ],
        20.0,
        rows,
    );
    let keep = flow.opening_height(&t);
    let note = format!(
        "本月：{}；上月：{before}；去年同月：{last_year}",
        month_name(input.month.from)
    );
    heading_with_note(flow, "一、总体情况", &note, keep);
    flow.table(&t);
}

/// The figures of the town and category tables.
const ROW_FIGURES: [Figure; 12] = [
    Figure::Received,
    Figure::Ended,
    Figure::Resolved,
    Figure::ResolvedRate,
    Figure::OnTimeRate,
    Figure::OverdueOpen,
    Figure::AvgDays,
    Figure::FollowUpRate,
    Figure::SatisfactionRate,
    Figure::RepeatRate,
    Figure::TriageOnTimeRate,
    Figure::FeedbackRate,
];

/// 二、分乡镇情况: a row per town and the total.
fn by_town(flow: &mut Flow, input: &MonthlyInput) {
    let first = input
        .by_town
        .iter()
        .map(|(n, _)| text_width(Face::Body, SIZE, n))
        .fold(text_width(Face::Label, SIZE, "合计"), f32::max)
        * 25.4
        / 72.0
        + 3.0;
    let mut t = table(&fill(flow, &[first.max(16.0)], ROW_FIGURES.len()));
    let mut head = vec![Cell::label("乡镇")];
    head.extend(ROW_FIGURES.iter().map(|&f| Cell::label(header(f))));
    t.header = vec![head];
    let row = |name: Cell, f: &Figures| {
        let mut r = vec![name];
        r.extend(ROW_FIGURES.iter().map(|&x| Cell::centered(x.shown(f))));
        r
    };
    for (name, f) in input.by_town {
        t.rows.push(row(Cell::centered(name.as_str()), f));
    }
    t.rows.push(
        row(Cell::centered("合计"), &input.total)
            .into_iter()
            .map(|c| c.face(Face::Label))
            .collect(),
    );
    let keep = flow.opening_height(&t);
    heading(flow, "二、分乡镇情况", keep);
    flow.table(&t);
}

/// 三、分类别情况: the categories with any figure, in two halves.
fn by_category(flow: &mut Flow, input: &MonthlyInput) {
    let figures = [
        Figure::Received,
        Figure::Ended,
        Figure::ResolvedRate,
        Figure::OverdueOpen,
    ];
    let rows: Vec<Vec<Cell>> = input
        .by_category
        .iter()
        .map(|(name, f)| {
            let mut r = vec![Cell::centered(name.as_str())];
            r.extend(figures.iter().map(|&x| Cell::centered(x.shown(f))));
            r
        })
        .collect();
    let mut header = vec!["类别"];
    header.extend(figures.iter().map(|&f| self::header(f)));
    let t = if rows.is_empty() {
        let mut t = table(&fill(flow, &[], 1));
        t.rows.push(vec![Cell::centered("本月无数据")]);
        t
    } else {
        halves(flow, &header, 22.0, rows)
    };
    let keep = flow.opening_height(&t);
    heading(flow, "三、分类别情况", keep);
    flow.table(&t);
}

/// 图1: 受理数 and 办结数 by town as bars.
fn town_chart(flow: &mut Flow, input: &MonthlyInput) {
    let title = format!(
        "图1　各乡镇受理数与办结数（{}）",
        month_name(input.month.from)
    );
    let chart = Bars {
        title: &title,
        labels: input.by_town.iter().map(|(n, _)| n.clone()).collect(),
        series: vec![
            Series {
                name: Figure::Received.label(),
                grey: 0.3,
                values: input
                    .by_town
                    .iter()
                    .map(|(_, f)| f.received() as f64)
                    .collect(),
            },
            Series {
                name: Figure::Ended.label(),
                grey: 0.7,
                values: input
                    .by_town
                    .iter()
                    .map(|(_, f)| f.ended() as f64)
                    .collect(),
            },
        ],
    };
    flow.gap(mm(3.0));
    chart::bars(flow, &chart);
}

/// 四、群众满意度: 回访 and how satisfied, this month beside the others.
fn satisfaction(flow: &mut Flow, input: &MonthlyInput) {
    let mut t = table(&fill(flow, &[40.0], 5));
    t.header = vec![
        [
            "期间",
            "回访（件）",
            "满意（件）",
            "不满意（件）",
            "满意率",
            "回访率",
        ]
        .map(Cell::label)
        .to_vec(),
    ];
    for (name, f) in [
        (
            format!("本月（{}）", month_name(input.month.from)),
            &input.total,
        ),
        (
            format!("上月（{}）", month_name(previous_month(&input.month))),
            &input.previous,
        ),
        (
            format!("去年同月（{}）", month_name(year_ago(&input.month))),
            &input.year_ago,
        ),
    ] {
        t.rows.push(vec![
            Cell::centered(name),
            Cell::centered(f.follow_ups().to_string()),
            Cell::centered(f.satisfied().to_string()),
            Cell::centered((f.follow_ups() - f.satisfied()).to_string()),
            Cell::centered(Figure::SatisfactionRate.shown(f)),
            Cell::centered(Figure::FollowUpRate.shown(f)),
        ]);
    }
    let keep = flow.opening_height(&t);
    heading(flow, "四、群众满意度", keep);
    flow.table(&t);
}

/// 五、超期在办案件: by unit, the count and how long the oldest is overdue.
fn overdue_units(flow: &mut Flow, input: &MonthlyInput) {
    let days = |u: &OverdueUnit| (input.reference - u.oldest_due).num_days().max(0);
    let mut rows: Vec<Vec<Cell>> = input
        .overdue_units
        .iter()
        .take(UNITS_LISTED)
        .map(|u| {
            vec![
                Cell::value(u.unit.as_str()),
                Cell::centered(u.cases.to_string()),
                Cell::centered(days(u).to_string()),
            ]
        })
        .collect();
    let rest = input.overdue_units.get(UNITS_LISTED..).unwrap_or(&[]);
    if !rest.is_empty() {
        let n: u64 = rest.iter().map(|u| u.cases).sum();
        let oldest = rest.iter().map(days).max().unwrap_or(0);
        rows.push(vec![
            Cell::value(format!("其他{}个单位", rest.len())),
            Cell::centered(n.to_string()),
            Cell::centered(oldest.to_string()),
        ]);
    }
    let total: u64 = input.overdue_units.iter().map(|u| u.cases).sum();
    let title = format!(
        "五、超期在办案件（按责任单位，截至{}，共{total}件）",
        date(input.reference)
    );
    let t = if rows.is_empty() {
        let mut t = table(&fill(flow, &[], 1));
        t.rows.push(vec![Cell::centered("无超期在办案件")]);
        t
    } else {
        halves(
            flow,
            &["责任单位", "超期（件）", "最长超期（天）"],
            52.0,
            rows,
        )
    };
    let keep = flow.opening_height(&t);
    heading(flow, &title, keep);
    flow.table(&t);
}

/// 注: the definition of every figure printed, and how the changes read.
fn notes(flow: &mut Flow, input: &MonthlyInput) {
    let leading = NOTE_SIZE * 1.45;
    let mut lines = vec![format!(
        "注：统计口径如下（期间按北京时间，首尾两日均含在内；“办结”含办结、不予受理/引导、合并）。“较上月”“较去年同月”：件数、天数为差值，比率为百分点之差。超期在办截至{}。",
        date(input.reference)
    )];
    // A definition that names its figure itself (报告单研判及时率：…) is printed as it is.
    lines.extend(Figure::ALL.iter().map(|f| {
        let d = f.definition();
        match d.split_once('：') {
            Some((head, _)) if head.ends_with(f.label()) => format!("{d}。"),
            _ => format!("{}：{d}。", f.label()),
        }
    }));
    lines.push(NOT_YET.to_string());
    let text = lines.join("\n");
    let width = flow.sheet.block_width;
    let count = super::layout::wrap(Face::Body, NOTE_SIZE, &text, width).len();
    flow.gap(mm(2.0));
    flow.keep((count as f32 * leading).min(flow.sheet.block_height / 3.0));
    flow.paragraph(Face::Body, NOTE_SIZE, leading, Align::Left, 0.0, &text);
}

fn check(input: &MonthlyInput) -> Result<(), PrintError> {
    let mut fields: Vec<(&str, &str)> = vec![
        ("中心名称", input.config.center.name.as_str()),
        ("统计范围", input.area.as_str()),
    ];
    for (n, _) in input.by_town {
        fields.push(("乡镇", n));
    }
    for (n, _) in input.by_category {
        fields.push(("类别", n));
    }
    for u in input.overdue_units {
        fields.push(("责任单位", &u.unit));
    }
    check_coverage(&fields)
        .and_then(|()| check_coverage_in(Face::Title, &[("中心名称", &input.config.center.name)]))
        .map_err(PrintError::Unprintable)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::stats::Counter;

    fn figures(received: i64, resolved: i64) -> Figures {
        let mut f = Figures::default();
        f.counts[Counter::Received as usize] = received;
        f.counts[Counter::Resolved as usize] = resolved;
        f
    }

    #[test]
    fn changes_are_differences_and_points() {
        let now = figures(120, 90);
        let before = figures(100, 80);
        assert_eq!(change(&now, &before, Figure::Received), "+20");
        assert_eq!(change(&before, &now, Figure::Received), "-20");
        // 75.0% against 80.0%.
        assert_eq!(change(&now, &before, Figure::ResolvedRate), "-5.0");
        assert_eq!(change(&now, &now, Figure::ResolvedRate), "0");
        assert_eq!(change(&now, &Figures::default(), Figure::ResolvedRate), "—");
        assert_eq!(Figure::ResolvedRate.shown(&now), "75.0%");
        assert_eq!(Figure::AvgDays.shown(&Figures::default()), "—");
    }
}

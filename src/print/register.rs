//! The 民声登记簿: every case received in a period, one ruled row each, on landscape A4 with the
//! header repeated on every page, and totals by status and category at the end. An internal
//! ledger: names in full, phone numbers masked, ID numbers left out.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::PrintError;
use super::fonts::{Face, check_coverage, check_coverage_in};
use super::format::{date, date_time};
use super::layout::{Align, Cell, Flow, Sheet, Table, mm, wrap_at_most};
use super::pdf::{Meta, render};
use crate::config::Config;
use crate::domain::{Case, Status, mask_phone};

const COLUMNS: [f32; 12] = [
    9.0, 34.0, 20.0, 13.0, 24.0, 20.0, 18.0, 50.0, 16.0, 24.0, 20.0, 12.0,
];
const SIZE: f32 = 9.0;
const SUMMARY_LINES: usize = 2;

/// The register of the cases received from `from` to `to` (inclusive) as PDF bytes. The caller
/// passes the cases of that period, in the order they are to be listed.
pub fn register_pdf(
    cases: &[Case],
    from: NaiveDate,
    to: NaiveDate,
    config: &Config,
    printed_at: DateTime<FixedOffset>,
) -> Result<Vec<u8>, PrintError> {
    if from > to {
        return Err(PrintError::Period { from, to });
    }
    check(cases, config)?;

    let mut flow = Flow::new(Sheet::a4_landscape());
    flow.line(Face::Title, 22.0, 34.0, Align::Center, "民声登记簿");
    flow.line(
        Face::Body,
        11.0,
        18.0,
        Align::Center,
        &format!(
            "{}　　登记期间：{}至{}　　打印时间：{}",
            config.center.name,
            date(from),
            date(to),
            date_time(printed_at)
        ),
    );
    flow.gap(mm(2.0));

    let today = printed_at.date_naive();
    let mut t = Table::new(&COLUMNS, SIZE);
    t.pad_x = mm(1.2);
    t.pad_y = mm(1.0);
    t.leading = SIZE * 1.45;
    t.header = vec![
        [
            "序号",
            "案件编号",
            "受理日期",
            "渠道",
            "当事人",
            "乡镇/村",
            "类别",
            "诉求摘要",
            "办理方式",
            "责任单位",
            "期限",
            "状态",
        ]
        .map(Cell::label)
        .to_vec(),
    ];
    let summary_width = mm(COLUMNS[7]) - 2.0 * t.pad_x;
    for (i, c) in cases.iter().enumerate() {
        let p = &c.person;
        let person = match &p.phone {
            Some(phone) => format!("{}\n{}", p.name, mask_phone(phone.as_str())),
            None => p.name.clone(),
        };
        let place = [p.town.as_str(), p.village.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        let flat = c.request.split_whitespace().collect::<Vec<_>>().join(" ");
        let summary =
            wrap_at_most(Face::Body, SIZE, &flat, summary_width, SUMMARY_LINES).join("\n");
        // Overdue cases stand out in the label face.
        let status = if c.is_overdue(today) {
            Cell::centered(format!("{}\n超期", c.status.label())).face(Face::Label)
        } else {
            Cell::centered(c.status.label())
        };
        t.rows.push(vec![
            Cell::centered((i + 1).to_string()),
            Cell::centered(c.case_no.clone()),
            Cell::centered(short_date(c.received_at.date_naive())),
            Cell::centered(c.channel.clone()),
            Cell::centered(person),
            Cell::centered(place),
            Cell::centered(c.category.clone()),
            Cell::value(summary),
            Cell::centered(c.route.label()),
            Cell::centered(c.unit.clone().unwrap_or_else(|| "待分流".into())),
            Cell::centered(short_date(c.due_date)),
            status,
        ]);
    }
    if t.rows.is_empty() {
        t.rows
            .push(vec![Cell::centered("本期间无登记事项").span(COLUMNS.len())]);
    }
    flow.table(&t);
    totals(&mut flow, cases, today);

    let pages = flow.finish();
    let meta = Meta {
        title: &format!("民声登记簿 {}至{}", date(from), date(to)),
        author: &config.center.name,
        created: printed_at,
    };
    Ok(render(&meta, &pages, &[]))
}

/// `2026-03-05`: the ledger's narrow date columns.
fn short_date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn check(cases: &[Case], config: &Config) -> Result<(), PrintError> {
    let mut fields: Vec<(String, &str)> = Vec::new();
    for c in cases {
        let at = |what: &str| format!("{}的{what}", c.case_no);
        fields.push(("案件编号".into(), &c.case_no));
        fields.push((at("来源渠道"), &c.channel));
        fields.push((at("姓名"), &c.person.name));
        fields.push((at("乡镇"), &c.person.town));
        fields.push((at("村"), &c.person.village));
        fields.push((at("事项类别"), &c.category));
        fields.push((at("诉求内容"), &c.request));
        if let Some(u) = &c.unit {
            fields.push((at("责任单位"), u));
        }
    }
    fields.push(("中心名称".into(), &config.center.name));
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(l, t)| (l.as_str(), *t)).collect();
    check_coverage(&borrowed)
        .and_then(|()| check_coverage_in(Face::Title, &[("中心名称", &config.center.name)]))
        .map_err(PrintError::Unprintable)
}

fn totals(flow: &mut Flow, cases: &[Case], today: NaiveDate) {
    let mut by_status: BTreeMap<Status, usize> = BTreeMap::new();
    let mut by_category: BTreeMap<&str, usize> = BTreeMap::new();
    for c in cases {
        *by_status.entry(c.status).or_default() += 1;
        *by_category.entry(c.category.as_str()).or_default() += 1;
    }
    let overdue = cases.iter().filter(|c| c.is_overdue(today)).count();

    flow.gap(mm(5.0));
    flow.keep(mm(40.0));
    flow.line(Face::Label, 12.0, 20.0, Align::Left, "合计");
    flow.paragraph(
        Face::Body,
        11.0,
        18.0,
        Align::Left,
        0.0,
        &format!(
            "本期登记{}件，其中超期未办结{}件（截至{}）。",
            cases.len(),
            overdue,
            date(today)
        ),
    );
    flow.gap(mm(2.0));
    let statuses: Vec<(String, usize)> = by_status
        .into_iter()
        .map(|(s, n)| (s.label().to_string(), n))
        .collect();
    let mut categories: Vec<(String, usize)> = by_category
        .into_iter()
        .map(|(c, n)| (c.to_string(), n))
        .collect();
    categories.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    count_table(flow, "按状态", &statuses);
    flow.gap(mm(3.0));
    count_table(flow, "按类别", &categories);
}

/// A compact table of counts, six per row.
fn count_table(flow: &mut Flow, title: &str, counts: &[(String, usize)]) {
    const PER_ROW: usize = 6;
    let label_w = 20.0;
    let cell_w = (260.0 - label_w) / PER_ROW as f32;
    let mut widths = vec![label_w];
    widths.extend(std::iter::repeat_n(cell_w, PER_ROW));
    let mut t = Table::new(&widths, 10.0);
    for (i, chunk) in counts.chunks(PER_ROW).enumerate() {
        let mut row = vec![if i == 0 {
            Cell::label(title)
        } else {
            Cell::label("")
        }];
        for (name, n) in chunk {
            row.push(Cell::centered(format!("{name}：{n}件")));
        }
        for _ in chunk.len()..PER_ROW {
            row.push(Cell::centered(""));
        }
        t.rows.push(row);
    }
    if t.rows.is_empty() {
        t.rows
            .push(vec![Cell::label(title), Cell::centered("—").span(PER_ROW)]);
    }
    flow.table(&t);
}

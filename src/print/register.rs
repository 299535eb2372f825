//! The 民声登记簿: every case received in a period, one ruled row each — from registration to
//! closing, result and follow-up — on landscape A4 with the header repeated on every page, and
//! totals by status, category, town and route at the end. An internal ledger: names in full,
//! phone numbers masked, ID numbers left out.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};

use super::PrintError;
use super::fonts::{Face, check_coverage, check_coverage_in};
use super::format::{date, date_time};
use super::layout::{Align, Cell, Flow, Sheet, Table, mm, text_width, wrap_at_most};
use super::pdf::{Meta, render};
use crate::config::Config;
use crate::domain::{Case, Outcome, Route, Satisfaction, Status, mask_phone};

const SIZE: f32 = 8.5;
const SUMMARY_LINES: usize = 3;

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
    let mut t = Table::new(&[], SIZE);
    t.pad_x = mm(1.2);
    t.pad_y = mm(1.0);
    t.leading = SIZE * 1.45;
    let columns = Columns::new(cases, config, to, t.pad_x, flow.sheet.block_width);
    t.columns = columns.widths();
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
            "办理方式\n责任单位",
            "期限",
            "状态",
            "办结日期",
            "办理结果",
            "回访\n满意度",
        ]
        .map(Cell::label)
        .to_vec(),
    ];
    let summary_width = columns.summary - 2.0 * t.pad_x;
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
            Cell::centered(handling(c)),
            Cell::centered(short_date(c.due_date)),
            status,
            Cell::centered(closed(c)),
            Cell::centered(result(c)),
            Cell::centered(follow_up(c)),
        ]);
    }
    if t.rows.is_empty() {
        t.rows.push(vec![
            Cell::centered("本期间无登记事项").span(t.columns.len()),
        ]);
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

/// The ledger's column widths in points. The columns of numbers, dates, channels and short
/// labels are as wide as their widest text so that none wraps (a case number of up to five
/// digits stays on one line); the request summary takes what is left.
struct Columns {
    fixed_before: Vec<f32>,
    summary: f32,
    fixed_after: Vec<f32>,
}

impl Columns {
    fn new(cases: &[Case], config: &Config, to: NaiveDate, pad: f32, block: f32) -> Columns {
        let body = |s: &str| text_width(Face::Body, SIZE, s);
        let label = |s: &str| text_width(Face::Label, SIZE, s);
        let widest = |texts: &mut dyn Iterator<Item = f32>, header: &str| {
            texts.fold(label(header), f32::max) + 2.0 * pad + 1.0
        };
        // Room for `n` characters of text a line, for cells that wrap (places, units).
        let chars = |n: f32| n * SIZE + 2.0 * pad + 1.0;
        let date_w = body("2026-12-28");
        let number = widest(
            &mut cases
                .iter()
                .map(|c| body(&c.case_no))
                .chain([body(&config.case_number(to.year(), 99_999))]),
            "案件编号",
        );
        let channel = widest(
            &mut config
                .channels
                .iter()
                .chain(cases.iter().map(|c| &c.channel))
                .map(|s| body(s)),
            "渠道",
        );
        let person = widest(
            &mut [body("138****1234"), body("欧阳修文")].into_iter(),
            "当事人",
        );
        let statuses = Status::ALL.map(|s| body(s.label()));
        let outcomes = Outcome::ALL.map(|o| body(o.label()));
        let satisfaction = Satisfaction::ALL.map(|s| body(s.label()));
        let fixed_before = vec![
            widest(
                &mut [body(&cases.len().max(99).to_string())].into_iter(),
                "序号",
            ),
            number,
            widest(&mut [date_w].into_iter(), "受理日期"),
            channel,
            person,
            chars(4.0),
            chars(4.0),
        ];
        let fixed_after = vec![
            chars(5.0),
            widest(&mut [date_w].into_iter(), "期限"),
            widest(&mut statuses.into_iter(), "状态"),
            widest(&mut [date_w].into_iter(), "办结日期"),
            widest(
                &mut outcomes.into_iter().chain([body(Status::Declined.label())]),
                "办理结果",
            ),
            widest(&mut satisfaction.into_iter().chain([date_w]), "满意度"),
        ];
        let used: f32 = fixed_before.iter().chain(&fixed_after).sum();
        Columns {
            summary: (block - used).max(chars(6.0)),
            fixed_before,
            fixed_after,
        }
    }

    /// The widths in points, left to right.
    fn widths(&self) -> Vec<f32> {
        self.fixed_before
            .iter()
            .chain([&self.summary])
            .chain(&self.fixed_after)
            .copied()
            .collect()
    }
}

/// How the case is handled and by whom: the route, and the unit it went to. A case not yet
/// routed says 待分流; one closed at the counter or declined names no unit.
fn handling(c: &Case) -> String {
    let unit = c.unit.as_deref().filter(|u| !u.trim().is_empty());
    match unit {
        Some(unit) => format!("{}\n{unit}", c.route.label()),
        None if c.status.is_open() && c.route != Route::OnTheSpot => {
            format!("{}\n待分流", c.route.label())
        }
        None => c.route.label().to_string(),
    }
}

/// The day handling ended, marked 超期 when it was late. A reopened case has not ended.
fn closed(c: &Case) -> String {
    match &c.resolution {
        _ if c.status.is_open() => "—".into(),
        Some(r) if r.on_time => short_date(r.closed_at.date_naive()),
        Some(r) => format!("{}\n超期", short_date(r.closed_at.date_naive())),
        None => "—".into(),
    }
}

/// The outcome in a word or two; none while the case is open.
fn result(c: &Case) -> String {
    match (&c.resolution, c.status) {
        _ if c.status.is_open() => "—".into(),
        (Some(r), _) => r.outcome.label().to_string(),
        (None, Status::Declined) => Status::Declined.label().to_string(),
        _ => "—".into(),
    }
}

/// The follow-up's satisfaction and day.
fn follow_up(c: &Case) -> String {
    match &c.follow_up {
        Some(f) => format!("{}\n{}", f.satisfaction.label(), short_date(f.date)),
        None => "—".into(),
    }
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
    // States and routes in their own order, categories and towns by count.
    let statuses = counts(cases, |c| c.status)
        .into_iter()
        .map(|(s, n)| (s.label().to_string(), n))
        .collect();
    let routes = counts(cases, |c| c.route)
        .into_iter()
        .map(|(r, n)| (r.label().to_string(), n))
        .collect();
    let by_count = |key: fn(&Case) -> &str| {
        let mut list: Vec<(String, usize)> = counts(cases, key)
            .into_iter()
            .map(|(k, n)| (k.to_string(), n))
            .collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        list
    };
    let tables: [(&str, Vec<(String, usize)>); 4] = [
        ("按状态", statuses),
        ("按类别", by_count(|c| c.category.as_str())),
        ("按乡镇", by_count(town)),
        ("按办理方式", routes),
    ];
    for (i, (title, list)) in tables.iter().enumerate() {
        if i > 0 {
            flow.gap(mm(3.0));
        }
        count_table(flow, title, list);
    }
}

fn town(c: &Case) -> &str {
    if c.person.town.trim().is_empty() {
        "未填乡镇"
    } else {
        c.person.town.as_str()
    }
}

/// How many cases have each value of `key`, in the key's order.
fn counts<'a, K: Ord>(cases: &'a [Case], key: impl Fn(&'a Case) -> K) -> BTreeMap<K, usize> {
    let mut map = BTreeMap::new();
    for c in cases {
        *map.entry(key(c)).or_default() += 1;
    }
    map
}

/// A compact table of counts, six per row.
fn count_table(flow: &mut Flow, title: &str, counts: &[(String, usize)]) {
    const PER_ROW: usize = 6;
    let width = flow.sheet.block_width * 25.4 / 72.0;
    let label_w = 24.0;
    let cell_w = (width - label_w) / PER_ROW as f32;
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

//! What the exported register says of a case: the ledger's columns, then how the case ended
//! (first ending, outcome, 回访, extension, overdue days), each cell typed so that a workbook
//! writes dates as dates. Stored text is neutralised; personal data masked when asked.

use chrono::NaiveDate;

use crate::clock;
use crate::domain::{mask_id, mask_phone};
use crate::store::ExportCase;
use crate::text::neutralize;

/// The columns of the exported register: the ledger's, then how each case ended.
pub const COLUMNS: [&str; 37] = [
    "案件编号",
    "受理时间",
    "受理日期",
    "渠道",
    "受理人",
    "当事人",
    "身份证号",
    "联系电话",
    "乡镇",
    "村",
    "地址",
    "类别",
    "诉求",
    "办理方式",
    "层级",
    "责任单位",
    "办理期限",
    "状态",
    "重复来访",
    "合并至",
    "首次办结日期",
    "首次结束方式",
    "首次办结按期",
    "办结日期",
    "办理结果",
    "结果说明",
    "不予受理理由",
    "回访日期",
    "满意度",
    "回访次数",
    "回访记录",
    "延期天数",
    "延期前期限",
    "延期理由",
    "延期批准人",
    "超期天数",
    "紧急",
];

/// A cell of the export: text, a date (a real date cell in XLSX), or a number.
pub(super) enum Cell {
    Text(String),
    Date(Option<NaiveDate>),
    Number(Option<i64>),
}

fn yes(b: bool) -> String {
    if b { "是" } else { "否" }.to_string()
}

/// How many days a case is or was late: open, today past its due date; ended, its ending
/// past its due date.
fn overdue_days(e: &ExportCase, today: NaiveDate) -> i64 {
    let c = &e.case;
    let until = if c.status.is_open() {
        today
    } else if let Some(r) = &c.resolution {
        r.closed_at.date_naive()
    } else if let Some(end) = &e.stat.first_end {
        end.date
    } else {
        return 0;
    };
    (until - c.due_date).num_days().max(0)
}

pub(super) fn cells(e: &ExportCase, mask: bool, today: NaiveDate) -> Vec<Cell> {
    use Cell::*;
    let c = &e.case;
    let s = &e.stat;
    let t = |s: &str| Text(neutralize(s, false).into_owned());
    let id = c.person.id_number.as_ref().map(|i| i.as_str().to_string());
    let phone = c.person.phone.as_ref().map(|p| p.as_str().to_string());
    let (id, phone, name) = if mask {
        (
            id.map(|i| mask_id(&i)),
            phone.map(|p| mask_phone(&p)),
            crate::domain::mask_name(&c.person.name),
        )
    } else {
        (id, phone, c.person.name.clone())
    };
    let follow_ups = s
        .follow_ups
        .iter()
        .map(|(d, sat)| format!("{} {}", d.format("%Y-%m-%d"), sat.label()))
        .collect::<Vec<_>>()
        .join("；");
    vec![
        t(&c.case_no),
        t(&clock::format(&c.received_at)),
        Date(Some(c.received_at.date_naive())),
        t(&c.channel),
        t(&c.clerk),
        t(&name),
        t(&id.unwrap_or_default()),
        t(&phone.unwrap_or_default()),
        t(&c.person.town),
        t(&c.person.village),
        t(&c.person.address),
        t(&c.category),
        t(&c.request),
        t(c.route.label()),
        t(c.level.map_or("", |l| l.label())),
        t(c.unit.as_deref().unwrap_or("")),
        Date(Some(c.due_date)),
        t(c.status.label()),
        t(&yes(c.repeat)),
        t(&c.duplicate_of.map(|k| k.to_string()).unwrap_or_default()),
        Date(s.first_end.map(|f| f.date)),
        t(s.first_end.map_or("", |f| f.kind.label())),
        t(&s.first_end.map_or(String::new(), |f| yes(f.on_time))),
        Date(c.resolution.as_ref().map(|r| r.closed_at.date_naive())),
        t(c.resolution.as_ref().map_or("", |r| r.outcome.label())),
        t(c.resolution.as_ref().map_or("", |r| r.result.as_str())),
        t(c.decline_reason.as_deref().unwrap_or("")),
        Date(c.follow_up.as_ref().map(|f| f.date)),
        t(c.follow_up.as_ref().map_or("", |f| f.satisfaction.label())),
        Number(Some(s.follow_ups.len() as i64)),
        t(&follow_ups),
        Number(c.extension.as_ref().map(|x| i64::from(x.days))),
        Date(c.extension.as_ref().map(|x| x.previous_due)),
        t(c.extension.as_ref().map_or("", |x| x.reason.as_str())),
        t(c.extension.as_ref().map_or("", |x| x.approver.as_str())),
        Number(Some(overdue_days(e, today))),
        t(&yes(c.urgent)),
    ]
}

pub(super) fn cell_text(c: &Cell) -> String {
    match c {
        Cell::Text(s) => s.clone(),
        Cell::Date(d) => d.map_or(String::new(), |d| d.format("%Y-%m-%d").to_string()),
        Cell::Number(n) => n.map_or(String::new(), |n| n.to_string()),
    }
}

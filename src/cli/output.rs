//! What the commands print: JSON with stable English keys for scripts, aligned tables for people.

use std::borrow::Cow;

use anyhow::Result;
use chrono::NaiveDate;
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::config::Config;
use crate::domain::{Case, CaseKey, Event, Extension, FollowUp, Resolution, mask_id, mask_phone};
use crate::store::BoardRow;

pub fn print_json<T: Serialize>(value: &T) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// serde_json's reason without its own "at line" suffix, with unknown keys explained.
pub fn json_reason(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
    if let Some(rest) = msg.strip_prefix("unknown field ") {
        let field = rest.split(',').next().unwrap_or(rest);
        return format!("不认识的字段 {field}");
    }
    if msg.starts_with("invalid type") {
        return format!("字段类型不对（{msg}）");
    }
    if msg.starts_with("EOF") {
        return "内容不完整".to_string();
    }
    msg
}

/// The deadline warning when a year the deadline crosses has no holiday table.
pub fn due_warning(case: &Case, config: &Config) -> Option<String> {
    let years = config
        .calendar
        .missing_between(case.received_at.date_naive(), case.due_date);
    crate::calendar::missing_tables_warning(&years)
}

/// A case as JSON.
#[derive(Debug, Serialize)]
pub struct CaseView<'a> {
    pub key: CaseKey,
    pub case_no: &'a str,
    pub status: &'static str,
    pub received_at: String,
    pub due_date: NaiveDate,
    pub time_left: String,
    pub overdue: bool,
    pub due_basis: &'a str,
    pub due_warning: Option<String>,
    pub name: &'a str,
    pub gender: Option<&'static str>,
    pub birth_date: Option<NaiveDate>,
    pub id_number: Option<Cow<'a, str>>,
    pub phone: Option<Cow<'a, str>>,
    pub town: &'a str,
    pub village: &'a str,
    pub address: &'a str,
    pub channel: &'a str,
    pub category: &'a str,
    pub route: &'static str,
    pub level: Option<&'static str>,
    pub unit: Option<&'a str>,
    pub request: &'a str,
    pub facts: &'a str,
    pub reasons: &'a str,
    pub place: &'a str,
    pub urgent: bool,
    pub legal: bool,
    pub repeat: bool,
    pub group_size: u32,
    pub representatives: &'a [String],
    pub clerk: &'a str,
    pub extension: Option<&'a Extension>,
    pub resolution: Option<&'a Resolution>,
    pub follow_up: Option<&'a FollowUp>,
    pub decline_reason: Option<&'a str>,
    pub duplicate_of: Option<CaseKey>,
    pub duplicates: &'a [CaseKey],
    pub updated_at: String,
}

impl<'a> CaseView<'a> {
    pub fn new(c: &'a Case, config: &Config, today: NaiveDate) -> CaseView<'a> {
        CaseView {
            key: c.key,
            case_no: &c.case_no,
            status: c.status.label(),
            received_at: crate::clock::format(&c.received_at),
            due_date: c.due_date,
            time_left: if c.status.is_open() {
                config.calendar.time_left(today, c.due_date).text
            } else {
                String::new()
            },
            overdue: c.is_overdue(today),
            due_basis: &c.due_basis,
            due_warning: due_warning(c, config),
            name: &c.person.name,
            gender: c.person.gender.map(|g| g.label()),
            birth_date: c.person.birth_date,
            id_number: c.person.id_number.as_ref().map(|i| i.as_str().into()),
            phone: c.person.phone.as_ref().map(|p| p.as_str().into()),
            town: &c.person.town,
            village: &c.person.village,
            address: &c.person.address,
            channel: &c.channel,
            category: &c.category,
            route: c.route.label(),
            level: c.level.map(|l| l.label()),
            unit: c.unit.as_deref(),
            request: &c.request,
            facts: &c.facts,
            reasons: &c.reasons,
            place: &c.place,
            urgent: c.urgent,
            legal: c.legal,
            repeat: c.repeat,
            group_size: c.group_size,
            representatives: &c.representatives,
            clerk: &c.clerk,
            extension: c.extension.as_ref(),
            resolution: c.resolution.as_ref(),
            follow_up: c.follow_up.as_ref(),
            decline_reason: c.decline_reason.as_deref(),
            duplicate_of: c.duplicate_of,
            duplicates: &c.duplicates,
            updated_at: crate::clock::format(&c.updated_at),
        }
    }

    /// ID number, phone and birth date masked, for roles that may not see them in full.
    pub fn masked(mut self, yes: bool) -> CaseView<'a> {
        if yes {
            self.id_number = self.id_number.map(|i| mask_id(&i).into());
            self.phone = self.phone.map(|p| mask_phone(&p).into());
            self.birth_date = None;
        }
        self
    }
}

/// A board or search row as JSON.
#[derive(Debug, Serialize)]
pub struct RowView<'a> {
    pub key: CaseKey,
    pub case_no: &'a str,
    pub status: &'static str,
    pub received_at: String,
    pub due_date: NaiveDate,
    pub time_left: String,
    pub overdue: bool,
    pub name: &'a str,
    pub phone: Option<Cow<'a, str>>,
    pub town: &'a str,
    pub village: &'a str,
    pub category: &'a str,
    pub route: &'static str,
    pub unit: Option<&'a str>,
    pub urgent: bool,
    pub request: &'a str,
}

impl<'a> RowView<'a> {
    pub fn new(r: &'a BoardRow, config: &Config, today: NaiveDate) -> RowView<'a> {
        RowView {
            key: r.key,
            case_no: &r.case_no,
            status: r.status.label(),
            received_at: crate::clock::format(&r.received_at),
            due_date: r.due_date,
            time_left: if r.status.is_open() {
                config.calendar.time_left(today, r.due_date).text
            } else {
                String::new()
            },
            overdue: r.status.is_open() && r.due_date < today,
            name: &r.name,
            phone: r.phone.as_deref().map(Cow::from),
            town: &r.town,
            village: &r.village,
            category: &r.category,
            route: r.route.label(),
            unit: r.unit.as_deref(),
            urgent: r.urgent,
            request: &r.request,
        }
    }

    /// The phone masked, for roles that may not see it in full.
    pub fn masked(mut self, yes: bool) -> RowView<'a> {
        if yes {
            self.phone = self.phone.map(|p| mask_phone(&p).into());
        }
        self
    }
}

/// Pad to a display width (Chinese characters are two columns), cutting with … when too long.
pub fn pad(s: &str, width: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    let total = UnicodeWidthStr::width(s);
    for ch in s.chars() {
        let w = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
        if total > width && used + w + 1 > width {
            out.push('…');
            used += 1;
            break;
        }
        out.push(ch);
        used += w;
    }
    out.push_str(&" ".repeat(width.saturating_sub(used)));
    out
}

pub fn print_rows(rows: &[BoardRow], config: &Config, today: NaiveDate) {
    println!(
        "{} {} {} {} {} {} {} 期限",
        pad("案件编号", 12),
        pad("受理日期", 10),
        pad("当事人", 8),
        pad("电话", 11),
        pad("乡镇", 8),
        pad("类别", 10),
        pad("状态", 6),
    );
    for r in rows {
        let left = if r.status.is_open() {
            config.calendar.time_left(today, r.due_date).text
        } else {
            String::new()
        };
        println!(
            "{} {} {} {} {} {} {} {} {}",
            pad(&r.key.to_string(), 12),
            r.received_at.format("%Y-%m-%d"),
            pad(&r.name, 8),
            pad(&r.phone.as_deref().map(mask_phone).unwrap_or_default(), 11),
            pad(&r.town, 8),
            pad(&r.category, 10),
            pad(r.status.label(), 6),
            r.due_date.format("%Y-%m-%d"),
            left
        );
    }
}

pub fn print_board(rows: &[BoardRow], total: u64, config: &Config, today: NaiveDate) {
    if rows.is_empty() {
        println!("没有符合条件的在办案件");
        return;
    }
    print_rows(rows, config, today);
    println!("共{total}件在办，显示前{}件", rows.len());
}

pub fn print_case(c: &Case, events: &[Event], config: &Config, today: NaiveDate) {
    let line = |label: &str, value: &str| {
        if !value.is_empty() {
            println!("{}{value}", pad(label, 12));
        }
    };
    println!("{}（{}）", c.case_no, c.key);
    line("状态", c.status.label());
    line(
        "受理时间",
        &c.received_at.format("%Y-%m-%d %H:%M").to_string(),
    );
    line("来源渠道", &c.channel);
    line("受理人", &c.clerk);
    let gender = c.person.gender.map(|g| g.label()).unwrap_or("");
    line("当事人", &format!("{} {gender}", c.person.name));
    if let Some(id) = &c.person.id_number {
        line("身份证号", &mask_id(id.as_str()));
    }
    if let Some(p) = &c.person.phone {
        line("联系电话", &mask_phone(p.as_str()));
    }
    line(
        "地址",
        &format!("{}{}{}", c.person.town, c.person.village, c.person.address),
    );
    if c.group_size > 1 {
        line(
            "人数",
            &format!("{}人，代表：{}", c.group_size, c.representatives.join("、")),
        );
    }
    line("事项类别", &c.category);
    line("诉求内容", &c.request);
    line("事实与理由", &c.facts);
    line("理由", &c.reasons);
    line("事发地点", &c.place);
    let mut flags = Vec::new();
    if c.urgent {
        flags.push("紧急");
    }
    if c.legal {
        flags.push("涉法涉诉");
    }
    if c.repeat {
        flags.push("重复来访");
    }
    line("标记", &flags.join("、"));
    line("办理方式", c.route.label());
    if let Some(u) = &c.unit {
        let level = c
            .level
            .map(|l| format!("（{}级）", l.label()))
            .unwrap_or_default();
        line("责任单位", &format!("{u}{level}"));
    }
    let left = if c.status.is_open() {
        format!("，{}", config.calendar.time_left(today, c.due_date).text)
    } else {
        String::new()
    };
    line(
        "办理期限",
        &format!("{}{left}（{}）", c.due_date.format("%Y-%m-%d"), c.due_basis),
    );
    if let Some(w) = due_warning(c, config) {
        line("注意", &w);
    }
    if let Some(e) = &c.extension {
        line(
            "延期",
            &format!(
                "{}日（原期限{}），{}，批准人{}",
                e.days, e.previous_due, e.reason, e.approver
            ),
        );
    }
    if let Some(r) = &c.resolution {
        let late = if r.on_time { "" } else { "（超期）" };
        line(
            "办理结果",
            &format!(
                "{}：{}{late}，{}",
                r.outcome.label(),
                r.result,
                r.closed_at.format("%Y-%m-%d")
            ),
        );
        line("依据", &r.basis);
    }
    if let Some(f) = &c.follow_up {
        line(
            "回访",
            &format!(
                "{} {}，{}。{}",
                f.date,
                f.way,
                f.satisfaction.label(),
                f.notes
            ),
        );
    }
    if let Some(d) = &c.decline_reason {
        line("不予受理", d);
    }
    if let Some(k) = c.duplicate_of {
        line("合并至", &k.to_string());
    }
    if !c.duplicates.is_empty() {
        let list: Vec<String> = c.duplicates.iter().map(ToString::to_string).collect();
        line("重复件", &list.join("、"));
    }
    println!("\n时间线：");
    for e in events {
        println!(
            "  {}  {}  {}  {}",
            e.at.format("%Y-%m-%d %H:%M"),
            pad(&e.action, 8),
            pad(&e.actor, 10),
            e.details
        );
    }
}

//! What the commands print: JSON with stable English keys for scripts, aligned tables for people.

use std::borrow::Cow;
use std::collections::BTreeSet;

use anyhow::Result;
use chrono::NaiveDate;
use serde::Serialize;

use crate::config::Config;
use crate::domain::{Case, CaseKey, Event, Extension, FollowUp, Resolution, mask_id, mask_phone};
use crate::store::BoardRow;
use crate::text::neutralize;

pub fn print_json<T: Serialize>(value: &T) -> Result<()> {
    println!("{}", escape_json(serde_json::to_string_pretty(value)?));
    Ok(())
}

/// One JSON line (the cases of `register` with an array, as each is committed).
pub fn print_json_line<T: Serialize>(value: &T) -> Result<()> {
    println!("{}", escape_json(serde_json::to_string(value)?));
    Ok(())
}

/// serde escapes the C0 controls in strings but writes C1 controls (U+009B is CSI), bidi
/// controls and zero-width characters as they are: write those as `\uXXXX` too. The value a
/// script decodes is the same; a terminal showing the JSON gets nothing it would act on.
fn escape_json(json: String) -> String {
    let hazardous = |c: char| {
        !c.is_ascii()
            && crate::text::hazard(c).is_some_and(|h| h != crate::text::Hazard::PrivateUse)
    };
    if !json.chars().any(hazardous) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if hazardous(c) {
            for unit in c.encode_utf16(&mut [0; 2]) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Why `text` is not the JSON `register` reads, in Chinese: where (line and column, and the
/// field when the error is inside one) and what is wrong.
pub fn json_error(text: &str, e: &serde_json::Error) -> String {
    let field = field_at(text, e.line(), e.column())
        .map(|f| match crate::domain::Field::from_key(&f) {
            None => format!("（字段 {f}）"),
            Some(field) => format!("（{} {f}）", field.label()),
        })
        .unwrap_or_default();
    format!(
        "JSON 格式有误（第{}行第{}列）{field}：{}",
        e.line(),
        e.column(),
        json_reason(e)
    )
}

/// serde_json's reason in Chinese, for every class of error it reports: syntax, an early end,
/// and data of the wrong type, value or shape.
pub fn json_reason(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    let msg = msg.split(" at line ").next().unwrap_or(&msg);
    let syntax = match msg {
        "EOF while parsing a list" => "数组没有结束（缺少 ]）",
        "EOF while parsing an object" => "对象没有结束（缺少 }）",
        "EOF while parsing a string" => "文字没有结束（缺少右双引号）",
        "EOF while parsing a value" => "内容不完整或为空",
        "expected `:`" => "字段名后应为冒号 :",
        "expected `,` or `]`" => "数组中的各项之间应为逗号 , 或在末尾用 ] 结束",
        "expected `,` or `}`" => "各字段之间应为逗号 , 或在末尾用 } 结束",
        "expected ident" => "无法识别的词（true、false、null 须小写，文字须用双引号）",
        "expected value" => "此处应为一个值（文字须用英文双引号括起）",
        "expected `\"`" => "字段名应使用英文双引号括起",
        "invalid escape" => "文字中的反斜杠转义无效（反斜杠本身要写成 \\\\）",
        "invalid number" => "数字写法无效",
        "number out of range" => "数字超出范围",
        "invalid unicode code point" => "\\u 转义的字符编码无效",
        "control character (\\u0000-\\u001F) found while parsing a string" => {
            "文字中有未转义的控制字符（换行须写成 \\n）"
        }
        "key must be a string" => "字段名必须是带双引号的文字",
        "lone leading surrogate in hex escape" => "\\u 转义的代理对不完整",
        "trailing comma" => "最后一项后面多了逗号",
        "trailing characters" => "JSON 结束后还有多余的内容（多个案件请放在数组 [ ] 中）",
        "unexpected end of hex escape" => "\\u 转义不完整（应为4位十六进制数）",
        "recursion limit exceeded" => "嵌套层数过多",
        "invalid value: expected key to be a number in quotes" => "字段名应为带引号的数字",
        "float key must be finite (got NaN or +/-inf)" => "字段名不能是无穷大或非数",
        _ => "",
    };
    if !syntax.is_empty() {
        return syntax.to_string();
    }
    if let Some(rest) = msg.strip_prefix("unknown field ") {
        let field = rest.split(',').next().unwrap_or(rest);
        return format!("不认识的字段 {field}");
    }
    if let Some(field) = msg.strip_prefix("missing field ") {
        return format!("缺少字段 {field}");
    }
    if let Some(field) = msg.strip_prefix("duplicate field ") {
        return format!("字段 {field} 重复出现");
    }
    if let Some(rest) = msg.strip_prefix("unknown variant ") {
        let value = rest.split(',').next().unwrap_or(rest);
        return format!("不认识的值 {value}");
    }
    for (prefix, what) in [
        ("invalid type: ", "类型不对"),
        ("invalid value: ", "值不对"),
    ] {
        if let Some(rest) = msg.strip_prefix(prefix)
            && let Some((found, expected)) = rest.split_once(", expected ")
        {
            return format!(
                "{what}：应为{}，实际是{}",
                expected_zh(expected),
                found_zh(found)
            );
        }
    }
    if let Some(rest) = msg.strip_prefix("invalid length ")
        && let Some((len, expected)) = rest.split_once(", expected ")
    {
        return format!("长度不对：应为{}，实际为{len}项", expected_zh(expected));
    }
    // chrono's reasons for a received time that does not parse.
    let time = match msg {
        "input is out of range" => "日期或时间超出范围（如13月、25时）",
        "no possible date and time matching input" => "不存在这样的日期或时间",
        "input is not enough for unique date and time" => "日期时间不完整",
        "input contains invalid characters" => "日期时间中有无效字符",
        "premature end of input" => "日期时间不完整",
        "trailing input" => "日期时间后面有多余的内容",
        "bad or unsupported format string" => "日期时间格式无效",
        _ => "",
    };
    if !time.is_empty() {
        return format!("{time}，受理时间应写成 2026-03-05T14:30:00+08:00");
    }
    format!("无法识别的内容（{msg}）")
}

/// What serde expected, in words for a clerk.
fn expected_zh(expected: &str) -> String {
    match expected {
        "a string" => "文字（用英文双引号括起）".into(),
        "a boolean" => "true 或 false".into(),
        "u32" => "0 到 4294967295 之间的整数".into(),
        "a sequence" => "数组 [ ]".into(),
        "struct NewCaseInput" => "一个案件对象 { }".into(),
        "an RFC 3339 formatted date and time string" => {
            "日期时间文字，如 \"2026-03-05T14:30:00+08:00\"".into()
        }
        other => other.replace('`', ""),
    }
}

/// What serde found instead, in words for a clerk.
fn found_zh(found: &str) -> String {
    let value = |s: &str| s.trim_matches('`').to_string();
    if let Some(n) = found.strip_prefix("integer ") {
        format!("整数 {}", value(n))
    } else if let Some(n) = found.strip_prefix("floating point ") {
        format!("小数 {}", value(n))
    } else if let Some(b) = found.strip_prefix("boolean ") {
        format!("布尔值 {}", value(b))
    } else if let Some(s) = found.strip_prefix("string ") {
        format!("文字 {s}")
    } else {
        match found {
            "map" => "对象 { }".into(),
            "sequence" => "数组 [ ]".into(),
            "unit value" | "null" => "null".into(),
            other => other.into(),
        }
    }
}

/// The key whose value holds (line, column) of `text`, if any: a small scan that keeps track
/// of strings, so a colon inside a value is not taken for one after a key.
fn field_at(text: &str, line: usize, column: usize) -> Option<String> {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let end = text.len().min(line_start + column);
    let mut end = end;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let (mut key, mut last_string) = (None, None);
    let (mut in_string, mut escaped, mut start) = (false, false, 0);
    for (i, c) in text[..end].char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => {
                    in_string = false;
                    last_string = Some(&text[start..i]);
                }
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                start = i + 1;
            }
            ':' => key = last_string,
            '{' | '}' => key = None,
            _ => {}
        }
    }
    key.map(str::to_string)
}

/// The years a case's deadline crosses that have no holiday table.
pub fn assumed_years(case: &Case, config: &Config) -> BTreeSet<i32> {
    config
        .calendar
        .missing_between(case.received_at.date_naive(), case.due_date)
}

/// The deadline warning when a year the deadline crosses has no holiday table (the case JSON's
/// `due_warning`).
pub fn due_warning(case: &Case, config: &Config) -> Option<String> {
    crate::calendar::missing_tables_warning(&assumed_years(case, config))
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
                config
                    .time_left(today, c.due_date, c.route, &c.category)
                    .text
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
                config
                    .time_left(today, r.due_date, r.route, &r.category)
                    .text
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
/// Control and bidi characters and line breaks are shown as visible stand-ins
/// (`crate::text::neutralize`): a cell is one row, and stored text never drives the terminal.
pub fn pad(s: &str, width: usize) -> String {
    crate::lines::pad(&neutralize(s, false), width)
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
            config
                .time_left(today, r.due_date, r.route, &r.category)
                .text
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

/// "共120件在办，显示第1–50件": how many matched in all and which of them are shown.
pub fn page_line(total: u64, what: &str, offset: usize, shown: usize) -> String {
    if total == 0 {
        return format!("共0件{what}");
    }
    if shown == 0 {
        return format!("共{total}件{what}，第{offset}件之后没有了");
    }
    format!(
        "共{total}件{what}，显示第{}–{}件",
        offset + 1,
        offset + shown
    )
}

pub fn print_case(c: &Case, events: &[Event], config: &Config, today: NaiveDate) {
    let line = |label: &str, value: &str| {
        if !value.is_empty() {
            println!("{}{}", pad(label, 12), neutralize(value, false));
        }
    };
    // Fields of several lines keep their breaks, indented under the first.
    let block = |label: &str, value: &str| {
        if !value.is_empty() {
            let indented = neutralize(value, true).replace('\n', &format!("\n{}", " ".repeat(12)));
            println!("{}{indented}", pad(label, 12));
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
    block("诉求内容", &c.request);
    block("事实与理由", &c.facts);
    block("理由", &c.reasons);
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
        format!(
            "，{}",
            config
                .time_left(today, c.due_date, c.route, &c.category)
                .text
        )
    } else {
        String::new()
    };
    line(
        "办理期限",
        &format!("{}{left}（{}）", c.due_date.format("%Y-%m-%d"), c.due_basis),
    );
    if let Some(w) = crate::calendar::clerk_notice(&assumed_years(c, config)) {
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
            neutralize(&e.details, false)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_escapes_what_serde_leaves_raw_and_decodes_to_the_same_value() {
        let value =
            serde_json::json!({ "name": "王\u{202E}芳\u{9B}2J\u{200B}\u{E000}\u{E0001}\n" });
        let json = escape_json(serde_json::to_string(&value).unwrap());
        assert_eq!(
            json,
            "{\"name\":\"王\\u202e芳\\u009b2J\\u200b\u{E000}\\udb40\\udc01\\n\"}"
        );
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn json_reasons_name_the_field() {
        let text = "{\n  \"name\": \"王芳\",\n  \"received_at\": \"2026-13-01T09:00:00+08:00\"\n}";
        let e = serde_json::from_str::<crate::domain::NewCaseInput>(text).unwrap_err();
        assert_eq!(
            json_error(text, &e),
            "JSON 格式有误（第3行第44列）（受理时间 received_at）：日期或时间超出范围（如13月、25时），\
             受理时间应写成 2026-03-05T14:30:00+08:00"
        );
    }
}

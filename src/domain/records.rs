//! 一本、一单、一会: the cadres' visit notebook (民情笔记本), the report forms (民意报告单, one
//! matter per form) and the meetings that report back (民心沟通会). What each record holds, how
//! its input is checked, and the four ways a report's triage (研判) ends. Nothing here knows
//! about storage: the store persists these as rows and chained events, like cases.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{CaseKey, Center, IdNumber, Phone, Printable, Satisfaction, Status, check_text};
use crate::config::Config;

labeled!(
    /// Where a report stands: waiting for triage, or how triage ended it.
    ReportStatus {
        Pending => "待研判",
        Registered => "立案",
        Answered => "当场答复",
        Merged => "并案",
        Guided => "引导",
    }
);

impl ReportStatus {
    /// What a person types for a way of ending triage: 立案, 答复 or 当场答复, 并案, 引导.
    pub fn parse_triage(s: &str) -> Option<ReportStatus> {
        match s.trim() {
            "答复" | "当场答复" | "answer" => Some(ReportStatus::Answered),
            "立案" | "register" => Some(ReportStatus::Registered),
            "并案" | "merge" => Some(ReportStatus::Merged),
            "引导" | "guide" => Some(ReportStatus::Guided),
            _ => None,
        }
    }

    /// JSON's stable English word.
    pub fn key(&self) -> &'static str {
        match self {
            ReportStatus::Pending => "pending",
            ReportStatus::Registered => "registered",
            ReportStatus::Answered => "answered",
            ReportStatus::Merged => "merged",
            ReportStatus::Guided => "guided",
        }
    }
}

/// A report's or a meeting's key: its year and its number in that year's series. Written
/// `2026-000005`; typed as that, `2026-5`, or the printed number `陇民报〔2026〕5号`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordKey {
    pub year: i32,
    pub seq: u32,
}

impl fmt::Display for RecordKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:06}", self.year, self.seq)
    }
}

impl FromStr for RecordKey {
    type Err = String;

    fn from_str(s: &str) -> Result<RecordKey, String> {
        let k: CaseKey = s.parse().map_err(|_| {
            format!(
                "「{}」不是编号，应为 2026-000005 或 陇民报〔2026〕5号 的形式",
                s.trim()
            )
        })?;
        Ok(RecordKey {
            year: k.year,
            seq: k.seq,
        })
    }
}

impl Serialize for RecordKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A field of a record's input that does not pass: the JSON key, its label and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    pub key: &'static str,
    pub label: &'static str,
    pub message: String,
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}（{}）：{}", self.label, self.key, self.message)
    }
}

/// Checks fields one at a time, collecting every error so the clerk sees them all at once.
struct Checker<'a> {
    errors: Vec<RecordError>,
    printable: Printable<'a>,
    config: &'a Config,
}

impl<'a> Checker<'a> {
    fn fail(&mut self, key: &'static str, label: &'static str, message: String) {
        self.errors.push(RecordError {
            key,
            label,
            message,
        });
    }

    fn text(
        &mut self,
        (key, label): (&'static str, &'static str),
        value: &str,
        multiline: bool,
        max: usize,
        required: bool,
    ) -> String {
        let value = value.trim().replace("\r\n", "\n");
        if required && value.is_empty() {
            self.fail(key, label, "必填".into());
        } else if let Err(e) = check_text(label, &value, multiline, max, self.printable) {
            let message = e
                .strip_prefix(&format!("{label}："))
                .unwrap_or(&e)
                .to_string();
            self.fail(key, label, message);
        }
        value
    }

    fn line(&mut self, field: (&'static str, &'static str), value: &str, max: usize) -> String {
        self.text(field, value, false, max, false)
    }

    fn required(&mut self, field: (&'static str, &'static str), value: &str, max: usize) -> String {
        self.text(field, value, false, max, true)
    }

    fn para(&mut self, field: (&'static str, &'static str), value: &str, required: bool) -> String {
        let max = self.config.limits.facts;
        self.text(field, value, true, max, required)
    }

    fn choice(
        &mut self,
        (key, label): (&'static str, &'static str),
        value: &str,
        choices: &[String],
    ) -> String {
        let value = value.trim();
        if value.is_empty() {
            self.fail(key, label, format!("必填，可选：{}", choices.join("、")));
        } else if !choices.iter().any(|c| c == value) {
            self.fail(
                key,
                label,
                format!("「{value}」不可选，可选：{}", choices.join("、")),
            );
        }
        value.to_string()
    }

    fn phone(&mut self, (key, label): (&'static str, &'static str), value: &str) -> Option<Phone> {
        let value = value.trim();
        if value.is_empty() {
            return None;
        }
        match Phone::parse(value) {
            Ok(p) => Some(p),
            Err(e) => {
                self.fail(key, label, e.to_string());
                None
            }
        }
    }

    fn id_number(&mut self, value: &str) -> Option<IdNumber> {
        let value = value.trim();
        if value.is_empty() {
            return None;
        }
        match IdNumber::parse(value) {
            Ok(id) => Some(id),
            Err(e) => {
                self.fail("id_number", "身份证号", e.to_string());
                None
            }
        }
    }

    /// A town of the county and, if given, one of its villages.
    fn place(&mut self, town: &str, village: &str, village_required: bool) -> (String, String) {
        let names: Vec<String> = self.config.towns.iter().map(|t| t.name.clone()).collect();
        let town = self.choice(("town", "乡镇"), town, &names);
        let village = self.text(("village", "村"), village, false, 30, village_required);
        if let Some(t) = self.config.town(&town)
            && !village.is_empty()
            && !t.villages.is_empty()
            && !t.villages.contains(&village)
        {
            self.fail(
                "village",
                "村",
                format!("{town}没有「{village}」，可选：{}", t.villages.join("、")),
            );
        }
        (town, village)
    }

    fn names(
        &mut self,
        field: (&'static str, &'static str),
        list: &[String],
        max: usize,
    ) -> Vec<String> {
        if list.len() > max {
            self.fail(
                field.0,
                field.1,
                format!("最多{max}人（现为{}人）", list.len()),
            );
        }
        list.iter()
            .map(|n| self.required(field, n, self.config.limits.name))
            .filter(|n| !n.is_empty())
            .collect()
    }

    fn finish<T>(self, value: T) -> Result<T, Vec<RecordError>> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(self.errors)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 一本: a visit of the notebook

/// A visit as typed (`minshi visit add --json`): English keys, every one optional to serde so
/// that a missing field is reported by name with the others.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VisitInput {
    /// The day of the visit; today if absent.
    #[serde(default)]
    pub visited_on: Option<NaiveDate>,
    /// Who went along (the cadre who records the visit is the first visitor).
    #[serde(default)]
    pub companions: Vec<String>,
    /// The person visited.
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub town: String,
    #[serde(default)]
    pub village: String,
    /// 社/组.
    #[serde(default)]
    pub group: String,
    #[serde(default)]
    pub address: String,
    /// A kind of the configured list (双包一访, 入户走访, 矛盾纠纷排查…).
    #[serde(default)]
    pub kind: String,
    /// 家庭基本情况.
    #[serde(default)]
    pub situation: String,
    /// 反映的问题、意见和建议.
    #[serde(default)]
    pub raised: String,
    /// 当场答复.
    #[serde(default)]
    pub answered: String,
    /// 后续工作.
    #[serde(default)]
    pub follow_up: String,
    /// The matters that must go up: each becomes one 民意报告单 linked to this visit, in the
    /// same transaction. Their `source` defaults to 入户走访, their place to the visit's.
    #[serde(default)]
    pub reports: Vec<ReportInput>,
}

/// A visit ready to be recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct NewVisit {
    pub visited_on: NaiveDate,
    pub companions: Vec<String>,
    pub name: String,
    pub phone: Option<Phone>,
    pub town: String,
    pub village: String,
    pub group: String,
    pub address: String,
    pub kind: String,
    pub situation: String,
    pub raised: String,
    pub answered: String,
    pub follow_up: String,
    pub reports: Vec<NewReport>,
}

/// A visit as recorded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Visit {
    pub id: i64,
    pub visited_on: NaiveDate,
    /// The cadre's login and real name.
    pub cadre: String,
    pub cadre_name: String,
    pub companions: Vec<String>,
    pub name: String,
    #[serde(skip)]
    pub phone: Option<Phone>,
    pub town: String,
    pub village: String,
    pub group: String,
    pub address: String,
    pub kind: String,
    pub situation: String,
    pub raised: String,
    pub answered: String,
    pub follow_up: String,
    pub recorded_at: DateTime<FixedOffset>,
    /// The reports that came of it.
    pub reports: Vec<ReportBrief>,
}

/// A report as a line in another record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportBrief {
    pub key: RecordKey,
    pub report_no: String,
    pub request: String,
    pub status: ReportStatus,
}

/// Check a visit; `today` is the default day and the latest a visit may be dated.
pub fn validate_visit(
    input: &VisitInput,
    config: &Config,
    now: DateTime<FixedOffset>,
    printable: Printable,
) -> Result<NewVisit, Vec<RecordError>> {
    let mut c = Checker {
        errors: Vec::new(),
        printable,
        config,
    };
    let today = now.date_naive();
    let visited_on = input.visited_on.unwrap_or(today);
    if visited_on > today {
        c.fail(
            "visited_on",
            "走访日期",
            format!("{visited_on}在今天（{today}）之后"),
        );
    }
    let companions = c.names(("companions", "同行人员"), &input.companions, 10);
    let name = c.required(("name", "走访对象"), &input.name, config.limits.name);
    let phone = c.phone(("phone", "联系电话"), &input.phone);
    let (town, village) = c.place(&input.town, &input.village, true);
    let group = c.line(("group", "社/组"), &input.group, 20);
    let address = c.line(("address", "住址"), &input.address, config.limits.address);
    let kind = c.choice(
        ("kind", "走访类型"),
        &input.kind,
        &config.records.visit_kinds,
    );
    let situation = c.para(("situation", "家庭基本情况"), &input.situation, false);
    let raised = c.para(("raised", "反映的问题和建议"), &input.raised, false);
    let answered = c.para(("answered", "当场答复"), &input.answered, false);
    let follow_up = c.para(("follow_up", "后续工作"), &input.follow_up, false);
    if raised.is_empty() && situation.is_empty() {
        c.fail(
            "raised",
            "反映的问题和建议",
            "家庭基本情况和反映的问题至少写一项".into(),
        );
    }
    let mut reports = Vec::new();
    for (i, r) in input.reports.iter().enumerate() {
        let mut r = r.clone();
        if r.source.trim().is_empty() {
            r.source = "入户走访".into();
        }
        if r.town.trim().is_empty() {
            r.town = town.clone();
            if r.village.trim().is_empty() {
                r.village = village.clone();
            }
        }
        if r.received_at.is_none() {
            r.received_at = Some(now);
        }
        match validate_report(&r, config, now, printable) {
            Ok(r) => reports.push(r),
            Err(errors) => {
                for e in errors {
                    c.fail(
                        "reports",
                        "报告事项",
                        format!("第{}项 {}：{}", i + 1, e.label, e.message),
                    );
                }
            }
        }
    }
    c.finish(NewVisit {
        visited_on,
        companions,
        name,
        phone,
        town,
        village,
        group,
        address,
        kind,
        situation,
        raised,
        answered,
        follow_up,
        reports,
    })
}

// ---------------------------------------------------------------------------------------------
// 一单: a report form

/// A report as typed (`minshi report add --json`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportInput {
    /// One of the configured report sources (入户走访, 微信群, 民心沟通会…).
    #[serde(default)]
    pub source: String,
    /// Who reports it, when not the account recording it (a villager calling in).
    #[serde(default)]
    pub reporter: String,
    #[serde(default)]
    pub reporter_phone: String,
    /// The person or people concerned (several names separated by 、), or empty if unnamed.
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub id_number: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub town: String,
    #[serde(default)]
    pub village: String,
    #[serde(default)]
    pub address: String,
    /// The matter, in a line.
    #[serde(default)]
    pub request: String,
    #[serde(default)]
    pub facts: String,
    /// The reporter's first opinion (初步意见).
    #[serde(default)]
    pub opinion: String,
    /// The center it is sent to: a town (`首阳镇`) or a village center (`首阳镇/南门村`);
    /// the recording account's own center if absent.
    #[serde(default)]
    pub center: String,
    /// The visit it came of.
    #[serde(default)]
    pub visit: Option<i64>,
    #[serde(default)]
    pub received_at: Option<DateTime<FixedOffset>>,
}

/// A report ready to be recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct NewReport {
    pub source: String,
    pub reporter: String,
    pub reporter_phone: Option<Phone>,
    pub name: String,
    pub id_number: Option<IdNumber>,
    pub phone: Option<Phone>,
    pub town: String,
    pub village: String,
    pub address: String,
    pub request: String,
    pub facts: String,
    pub opinion: String,
    /// `None`: the recording account's center.
    pub center: Option<Center>,
    pub visit: Option<i64>,
    pub received_at: Option<DateTime<FixedOffset>>,
}

/// How a report's triage ended.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TriageRecord {
    pub at: DateTime<FixedOffset>,
    pub by: String,
    pub by_name: String,
    /// The answer given (当场答复), the channel it was guided to (引导) or a note (并案).
    pub text: String,
}

/// A report as recorded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    #[serde(skip)]
    pub id: i64,
    pub key: RecordKey,
    pub report_no: String,
    pub source: String,
    pub reporter: String,
    /// The cadre account that reported it, if one did.
    pub reporter_login: Option<String>,
    #[serde(skip)]
    pub reporter_phone: Option<Phone>,
    pub name: String,
    #[serde(skip)]
    pub id_number: Option<IdNumber>,
    #[serde(skip)]
    pub phone: Option<Phone>,
    pub town: String,
    pub village: String,
    pub address: String,
    pub request: String,
    pub facts: String,
    pub opinion: String,
    #[serde(skip)]
    pub center: Center,
    pub visit: Option<i64>,
    pub meeting: Option<RecordKey>,
    pub received_at: DateTime<FixedOffset>,
    /// Who recorded it: real name and login.
    pub recorded_by: String,
    pub recorded_by_login: String,
    pub recorded_at: DateTime<FixedOffset>,
    pub status: ReportStatus,
    pub triage: Option<TriageRecord>,
    /// The case it was registered as (立案) or merged into (并案).
    pub case: Option<CaseKey>,
    pub case_no: Option<String>,
    /// How often the filled form was printed.
    pub prints: u32,
}

/// Check a report.
pub fn validate_report(
    input: &ReportInput,
    config: &Config,
    now: DateTime<FixedOffset>,
    printable: Printable,
) -> Result<NewReport, Vec<RecordError>> {
    let mut c = Checker {
        errors: Vec::new(),
        printable,
        config,
    };
    let source = c.choice(
        ("source", "来源"),
        &input.source,
        &config.records.report_sources,
    );
    let reporter = c.line(("reporter", "报告人"), &input.reporter, config.limits.name);
    let reporter_phone = c.phone(("reporter_phone", "报告人电话"), &input.reporter_phone);
    let name = c.line(("name", "当事人"), &input.name, config.limits.name * 4);
    let id_number = c.id_number(&input.id_number);
    let phone = c.phone(("phone", "当事人电话"), &input.phone);
    let (town, village) = c.place(&input.town, &input.village, false);
    let address = c.line(("address", "住址"), &input.address, config.limits.address);
    let request = c.required(("request", "反映事项"), &input.request, 200);
    let facts = c.para(("facts", "基本情况"), &input.facts, false);
    let opinion = c.para(("opinion", "初步意见"), &input.opinion, false);
    let center = match input.center.trim() {
        "" => None,
        s => match Center::parse(s, config) {
            Ok(center) => Some(center),
            Err(e) => {
                c.fail("center", "报送中心", e);
                None
            }
        },
    };
    if let Some(at) = input.received_at
        && at > now + chrono::Duration::minutes(5)
    {
        c.fail(
            "received_at",
            "收到时间",
            format!("{}在现在之后", crate::clock::format(&at)),
        );
    }
    c.finish(NewReport {
        source,
        reporter,
        reporter_phone,
        name,
        id_number,
        phone,
        town,
        village,
        address,
        request,
        facts,
        opinion,
        center,
        visit: input.visit,
        received_at: input.received_at,
    })
}

/// The registration of a report as a case, prefilled from the report: the clerk completes
/// category and route (and anything the report lacks); what they type wins.
pub fn case_input_from(report: &Report) -> super::NewCaseInput {
    super::NewCaseInput {
        name: report.name.clone(),
        id_number: report
            .id_number
            .as_ref()
            .map(|i| i.as_str().to_string())
            .unwrap_or_default(),
        phone: report
            .phone
            .as_ref()
            .map(|p| p.as_str().to_string())
            .unwrap_or_default(),
        town: report.town.clone(),
        village: report.village.clone(),
        address: report.address.clone(),
        channel: report.source.clone(),
        request: report.request.clone(),
        facts: report.facts.clone(),
        received_at: Some(report.received_at),
        ..super::NewCaseInput::default()
    }
}

// ---------------------------------------------------------------------------------------------
// 一会: a meeting that reports back

/// A meeting as typed (`minshi meeting add --json`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeetingInput {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub held_at: Option<DateTime<FixedOffset>>,
    #[serde(default)]
    pub place: String,
    /// The party organisation holding it (首阳镇党委, 南门村党支部).
    #[serde(default)]
    pub host: String,
    #[serde(default)]
    pub chair: String,
    #[serde(default)]
    pub recorder: String,
    /// Units attending (综治中心, 司法所, 派出所, 法庭…).
    #[serde(default)]
    pub units: Vec<String>,
    /// How many people came.
    #[serde(default)]
    pub attendance: u32,
    /// Named representatives of the public.
    #[serde(default)]
    pub representatives: Vec<String>,
    #[serde(default)]
    pub town: String,
    /// Empty for a town's meeting.
    #[serde(default)]
    pub village: String,
    /// Items reported: progress, plans, what the public should know.
    #[serde(default)]
    pub items: String,
    /// Next steps.
    #[serde(default)]
    pub plans: String,
}

/// A meeting ready to be recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMeeting {
    pub title: String,
    pub held_at: DateTime<FixedOffset>,
    pub place: String,
    pub host: String,
    pub chair: String,
    pub recorder: String,
    pub units: Vec<String>,
    pub attendance: u32,
    pub representatives: Vec<String>,
    pub town: String,
    pub village: String,
    pub items: String,
    pub plans: String,
}

/// A case fed back at a meeting, with the outcome as it was told.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Feedback {
    pub case: CaseKey,
    pub case_no: String,
    /// The person concerned, as the notice shows them: masked.
    pub name_masked: String,
    pub category: String,
    pub told: String,
    /// The revisit at the meeting, if the party was revisited there.
    pub satisfaction: Option<Satisfaction>,
    pub revisit_note: String,
    /// The case's state now: whether its party can still be revisited (`revisit_refusal`).
    pub status: Status,
}

/// Why a case's party cannot be revisited (a 回访 at a meeting) in the state the case is in
/// now, if not: only a case 已办结 and not yet revisited can be (the lifecycle allows
/// `FollowUp` in that state alone). The words a meeting's list marks the case with, and why.
pub fn revisit_refusal(status: Status) -> Option<(&'static str, &'static str)> {
    match status {
        Status::Resolved => None,
        Status::FollowedUp => Some(("已回访", "已回访过，一件案件只回访一次")),
        Status::Archived => Some(("已归档", "已回访并归档")),
        Status::Registered | Status::Dispatched | Status::InProgress => {
            Some(("重办中", "案件已重新办理，办结后才能回访"))
        }
        Status::Declined => Some(("不予受理", "不予受理的事项不回访")),
        Status::Merged => Some(("已合并", "已合并到另一件案件，请回访那一件")),
    }
}

/// An opinion raised at a meeting, and the report it became.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Opinion {
    pub seq: u32,
    pub speaker: String,
    pub text: String,
    pub report: Option<RecordKey>,
    pub report_no: Option<String>,
}

/// A meeting as recorded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Meeting {
    #[serde(skip)]
    pub id: i64,
    pub key: RecordKey,
    pub meeting_no: String,
    pub title: String,
    pub held_at: DateTime<FixedOffset>,
    pub place: String,
    pub host: String,
    pub chair: String,
    pub recorder: String,
    pub units: Vec<String>,
    pub attendance: u32,
    pub representatives: Vec<String>,
    pub town: String,
    pub village: String,
    pub items: String,
    pub plans: String,
    pub recorded_by: String,
    pub recorded_at: DateTime<FixedOffset>,
    /// How often its 会议记录 and its 情况通报 (the notice-board 公示) were printed.
    pub minutes_prints: u32,
    pub notice_prints: u32,
    pub feedback: Vec<Feedback>,
    pub opinions: Vec<Opinion>,
}

impl Meeting {
    /// Where it was held, in words: `首阳镇` or `首阳镇南门村`.
    pub fn area(&self) -> String {
        format!("{}{}", self.town, self.village)
    }

    /// How often its papers were printed, in words (`已打印会议记录 1 次、公示 2 次`), if at all.
    pub fn printed(&self) -> Option<String> {
        let mut said = Vec::new();
        if self.minutes_prints > 0 {
            said.push(format!("会议记录 {} 次", self.minutes_prints));
        }
        if self.notice_prints > 0 {
            said.push(format!("公示 {} 次", self.notice_prints));
        }
        (!said.is_empty()).then(|| format!("已打印{}", said.join("、")))
    }
}

/// Check a meeting.
pub fn validate_meeting(
    input: &MeetingInput,
    config: &Config,
    now: DateTime<FixedOffset>,
    printable: Printable,
) -> Result<NewMeeting, Vec<RecordError>> {
    let mut c = Checker {
        errors: Vec::new(),
        printable,
        config,
    };
    let title = c.required(("title", "会议主题"), &input.title, 60);
    let held_at = match input.held_at {
        Some(at) if at > now + chrono::Duration::days(60) => {
            c.fail(
                "held_at",
                "会议时间",
                format!("{}太远，请核对", crate::clock::format(&at)),
            );
            at
        }
        Some(at) => at,
        None => {
            c.fail(
                "held_at",
                "会议时间",
                "必填，如 2026-11-20T09:30:00+08:00".into(),
            );
            now
        }
    };
    let place = c.required(("place", "会议地点"), &input.place, 60);
    let host = c.required(("host", "主办组织"), &input.host, 60);
    let chair = c.required(("chair", "主持人"), &input.chair, config.limits.name);
    let recorder = c.required(("recorder", "记录人"), &input.recorder, config.limits.name);
    let units = c.names(("units", "参会单位"), &input.units, 30);
    let representatives = c.names(("representatives", "群众代表"), &input.representatives, 50);
    if input.attendance == 0 {
        c.fail("attendance", "参会人数", "必填，应大于0".into());
    } else if input.attendance > 100_000 {
        c.fail(
            "attendance",
            "参会人数",
            format!("{}人太多，请核对", input.attendance),
        );
    }
    let (town, village) = c.place(&input.town, &input.village, false);
    let items = c.para(("items", "通报事项"), &input.items, false);
    let plans = c.para(("plans", "后续工作"), &input.plans, false);
    c.finish(NewMeeting {
        title,
        held_at,
        place,
        host,
        chair,
        recorder,
        units,
        attendance: input.attendance,
        representatives,
        town,
        village,
        items,
        plans,
    })
}

/// Whether a meeting's area covers a case's town and village: a town's meeting covers the
/// whole town, a village's its village.
pub fn meeting_covers(
    meeting_town: &str,
    meeting_village: &str,
    town: &str,
    village: &str,
) -> bool {
    meeting_town == town && (meeting_village.is_empty() || meeting_village == village)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::any_char;

    fn now() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-11-20T10:00:00+08:00").unwrap()
    }

    #[test]
    fn a_meeting_marks_as_not_revisitable_what_the_lifecycle_refuses() {
        use crate::domain::{ActionKind, Route, allowed_actions};
        for status in Status::ALL {
            for route in Route::ALL {
                let allowed = allowed_actions(status, route).contains(&ActionKind::FollowUp);
                assert_eq!(revisit_refusal(status).is_none(), allowed, "{status:?}");
            }
        }
    }

    #[test]
    fn keys_take_the_printed_numbers() {
        let k: RecordKey = "陇民报〔2026〕5号".parse().unwrap();
        assert_eq!(k, RecordKey { year: 2026, seq: 5 });
        assert_eq!(k.to_string(), "2026-000005");
        assert_eq!("2026-5".parse::<RecordKey>().unwrap(), k);
        assert!("abc".parse::<RecordKey>().unwrap_err().contains("不是编号"));
    }

    #[test]
    fn triage_words() {
        assert_eq!(
            ReportStatus::parse_triage("答复"),
            Some(ReportStatus::Answered)
        );
        assert_eq!(
            ReportStatus::parse_triage("立案"),
            Some(ReportStatus::Registered)
        );
        assert_eq!(ReportStatus::parse_triage("待研判"), None);
    }

    #[test]
    fn a_report_names_every_bad_field() {
        let config = Config::embedded();
        let input = ReportInput {
            source: "飞鸽".into(),
            town: "首阳镇".into(),
            village: "不存在村".into(),
            phone: "123".into(),
            ..ReportInput::default()
        };
        let errors = validate_report(&input, &config, now(), &any_char).unwrap_err();
        let keys: Vec<&str> = errors.iter().map(|e| e.key).collect();
        assert_eq!(keys, ["source", "phone", "village", "request"]);
        assert!(errors[0].message.contains("微信群"));
    }

    #[test]
    fn a_visit_carries_its_reports_with_its_place_and_source() {
        let config = Config::embedded();
        let input = VisitInput {
            name: "张桂兰".into(),
            town: "首阳镇".into(),
            village: "南门村".into(),
            kind: "入户走访".into(),
            raised: "灌溉渠堵塞".into(),
            reports: vec![ReportInput {
                request: "灌溉渠堵塞需清淤".into(),
                ..ReportInput::default()
            }],
            ..VisitInput::default()
        };
        let v = validate_visit(&input, &config, now(), &any_char).unwrap();
        assert_eq!(v.visited_on, now().date_naive());
        assert_eq!(v.reports.len(), 1);
        assert_eq!(v.reports[0].source, "入户走访");
        assert_eq!(v.reports[0].village, "南门村");
    }

    #[test]
    fn a_meeting_needs_its_time_and_people() {
        let config = Config::embedded();
        let errors =
            validate_meeting(&MeetingInput::default(), &config, now(), &any_char).unwrap_err();
        let keys: Vec<&str> = errors.iter().map(|e| e.key).collect();
        for k in [
            "title",
            "held_at",
            "place",
            "host",
            "chair",
            "recorder",
            "attendance",
            "town",
        ] {
            assert!(keys.contains(&k), "{k} missing from {keys:?}");
        }
    }

    #[test]
    fn a_town_meeting_covers_its_villages() {
        assert!(meeting_covers("首阳镇", "", "首阳镇", "南门村"));
        assert!(meeting_covers("首阳镇", "南门村", "首阳镇", "南门村"));
        assert!(!meeting_covers("首阳镇", "南门村", "首阳镇", "首阳村"));
        assert!(!meeting_covers("首阳镇", "", "巩昌镇", "南门村"));
    }
}

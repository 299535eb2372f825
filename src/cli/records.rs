//! `minshi visit`, `minshi report` and `minshi meeting`: the notebook, the report forms and the
//! meetings on the command line, each a few lines over the store.

use anyhow::{Result, bail};
use chrono::NaiveDate;
use clap::Subcommand;
use serde_json::{Value, json};

use super::{identify, numbers, output, parse_key, read_json_text, require};
use crate::clock;
use crate::domain::records::{
    MeetingInput, RecordKey, Report, ReportInput, ReportStatus, Visit, VisitInput, case_input_from,
};
use crate::domain::{Satisfaction, mask_id, mask_phone};
use crate::home::Home;
use crate::store::{ReportFilter, VisitFilter};
use crate::text::neutralize;

#[derive(Debug, Subcommand)]
pub enum VisitCommand {
    /// 记录一次入户走访（JSON：visited_on、companions、name、phone、town、village、group、address、
    /// kind、situation、raised、answered、follow_up，以及要上报的事项 reports 数组，每项成为一张民意报告单）
    Add {
        /// JSON 文件，- 表示标准输入
        #[arg(long, value_name = "文件|-")]
        json: String,
    },
    /// 列出走访记录（网格员只看自己的），从新到旧
    List {
        /// 走访人的登录名
        #[arg(long, value_name = "登录名")]
        cadre: Option<String>,
        /// 乡镇
        #[arg(long, value_name = "乡镇")]
        town: Option<String>,
        /// 村
        #[arg(long, value_name = "村")]
        village: Option<String>,
        /// 走访日期不早于此日（YYYY-MM-DD）
        #[arg(long, value_name = "日期", value_parser = numbers::date)]
        from: Option<NaiveDate>,
        /// 走访日期不晚于此日（YYYY-MM-DD）
        #[arg(long, value_name = "日期", value_parser = numbers::date)]
        to: Option<NaiveDate>,
        /// 输出 JSON（英文键名）
        #[arg(long)]
        json: bool,
    },
    /// 查看一次走访和由它上报的报告单
    Show {
        /// 走访记录的编号（visit list 的第一栏）
        #[arg(value_name = "编号")]
        id: i64,
        /// 输出 JSON（英文键名）
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// 填报一张民意报告单（JSON：source、reporter、name、id_number、phone、town、village、address、
    /// request、facts、opinion、center、visit、received_at）
    Add {
        /// JSON 文件，- 表示标准输入
        #[arg(long, value_name = "文件|-")]
        json: String,
    },
    /// 列出报告单：--pending 为待研判的队列（从旧到新）
    List {
        /// 只列待研判的
        #[arg(long)]
        pending: bool,
        /// 最多列出几张（1到100000）
        #[arg(long, value_name = "N", default_value_t = 50, value_parser = numbers::limit, allow_negative_numbers = true)]
        limit: usize,
        /// 输出 JSON（英文键名）
        #[arg(long)]
        json: bool,
    },
    /// 查看一张报告单
    Show {
        /// 报告单编号：2026-000005 或 陇民报〔2026〕5号
        #[arg(value_name = "编号")]
        key: String,
        /// 输出 JSON（英文键名）
        #[arg(long)]
        json: bool,
    },
    /// 研判：立案（登记为案件）、答复（当场答复）、并案（与已有案件为同一事项）、引导（引导依法解决）
    Triage {
        /// 报告单编号
        #[arg(value_name = "编号")]
        key: String,
        /// 研判结果：立案、答复、并案、引导
        #[arg(value_name = "结果")]
        how: String,
        /// 答复内容（答复时必填）
        #[arg(long, value_name = "文字")]
        answer: Option<String>,
        /// 并入的案件编号（并案时必填）
        #[arg(long = "case", value_name = "案件编号")]
        case: Option<String>,
        /// 引导的渠道和理由（引导时必填）；并案时为说明
        #[arg(long, value_name = "文字")]
        reason: Option<String>,
        /// 立案时补充或改写登记内容的 JSON（与 minshi register 相同的键；至少要有 category、route）
        #[arg(long, value_name = "文件|-")]
        json: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum MeetingCommand {
    /// 记录一次民心沟通会（JSON：title、held_at、place、host、chair、recorder、units、attendance、
    /// representatives、town、village、items、plans）
    Add {
        /// JSON 文件，- 表示标准输入
        #[arg(long, value_name = "文件|-")]
        json: String,
    },
    /// 列出民心沟通会，从新到旧
    List {
        /// 输出 JSON（英文键名）
        #[arg(long)]
        json: bool,
    },
    /// 在会上反馈案件的办理结果（结果按案件的办结情况；--told 改写）
    Feedback {
        /// 沟通会编号：2026-000003 或 陇沟通〔2026〕3号
        #[arg(value_name = "会议编号")]
        key: String,
        /// 案件编号（可写多个）；不写则列出建议反馈的案件
        #[arg(value_name = "案件编号")]
        cases: Vec<String>,
        /// 会上通报的结果（只反馈一件时可用）
        #[arg(long, value_name = "文字")]
        told: Option<String>,
    },
    /// 在会上回访已化解纠纷的当事人（记为案件的一次沟通会回访）
    Revisit {
        /// 沟通会编号
        #[arg(value_name = "会议编号")]
        key: String,
        /// 案件编号
        #[arg(value_name = "案件编号")]
        case: String,
        /// 满意度：满意、基本满意、不满意
        #[arg(long, value_name = "满意度")]
        satisfaction: String,
        /// 回访情况
        #[arg(long, value_name = "文字")]
        note: Option<String>,
    },
    /// 记录会上群众提出的意见建议；--report 同时转为一张民意报告单（来源：民心沟通会）
    Opinion {
        /// 沟通会编号
        #[arg(value_name = "会议编号")]
        key: String,
        /// 意见内容
        #[arg(long, value_name = "文字")]
        text: String,
        /// 发言人
        #[arg(long, value_name = "姓名", default_value = "")]
        speaker: String,
        /// 转为民意报告单
        #[arg(long)]
        report: bool,
    },
    /// 查看一次沟通会：反馈的案件、回访、意见
    Show {
        /// 沟通会编号
        #[arg(value_name = "会议编号")]
        key: String,
        /// 输出 JSON（英文键名）
        #[arg(long)]
        json: bool,
    },
}

pub(super) fn record_key(s: &str) -> Result<RecordKey> {
    s.parse::<RecordKey>().map_err(|e| anyhow::anyhow!(e))
}

fn parse_json<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    serde_json::from_str(text)
        .map_err(|e| anyhow::anyhow!("{what}：{}", output::json_error(text, &e)))
}

/// A visit as JSON: the phone masked unless the role may see it.
fn visit_json(v: &Visit, full: bool) -> Result<Value> {
    let mut j = serde_json::to_value(v)?;
    j["phone"] = match &v.phone {
        Some(p) if full => json!(p.as_str()),
        Some(p) => json!(mask_phone(p.as_str())),
        None => Value::Null,
    };
    Ok(j)
}

/// A report as JSON: personal data masked unless the role may see it.
pub fn report_json(r: &Report, full: bool) -> Result<Value> {
    let mut j = serde_json::to_value(r)?;
    let phone = |p: &Option<crate::domain::Phone>| match p {
        Some(p) if full => json!(p.as_str()),
        Some(p) => json!(mask_phone(p.as_str())),
        None => Value::Null,
    };
    j["phone"] = phone(&r.phone);
    j["reporter_phone"] = phone(&r.reporter_phone);
    j["id_number"] = match &r.id_number {
        Some(i) if full => json!(i.as_str()),
        Some(i) => json!(mask_id(i.as_str())),
        None => Value::Null,
    };
    j["status_key"] = json!(r.status.key());
    j["center"] = json!(r.center.code());
    Ok(j)
}

fn print_visit_line(v: &Visit) {
    println!(
        "{:>6}  {}  {}  {}{}{}  {}  {}（报告单{}张）",
        v.id,
        v.visited_on,
        neutralize(&v.cadre_name, false),
        neutralize(&v.town, false),
        neutralize(&v.village, false),
        neutralize(&v.group, false),
        neutralize(&v.name, false),
        neutralize(&v.kind, false),
        v.reports.len()
    );
}

fn print_report(r: &Report) {
    let n = |s: &str| neutralize(s, true).into_owned();
    println!("{}（{}）  {}", r.report_no, r.key, r.status.label());
    println!("来源：{}　报告人：{}", n(&r.source), n(&r.reporter));
    println!(
        "当事人：{}　地点：{}{}{}",
        if r.name.is_empty() {
            "（未具名）".into()
        } else {
            n(&r.name)
        },
        n(&r.town),
        n(&r.village),
        n(&r.address)
    );
    println!("反映事项：{}", n(&r.request));
    if !r.facts.is_empty() {
        println!("基本情况：{}", n(&r.facts));
    }
    if !r.opinion.is_empty() {
        println!("初步意见：{}", n(&r.opinion));
    }
    println!(
        "收到：{}　登记：{}",
        r.received_at.format("%Y-%m-%d %H:%M"),
        n(&r.recorded_by)
    );
    if let Some(t) = &r.triage {
        println!(
            "研判：{}，{} {}{}",
            r.status.label(),
            n(&t.by_name),
            t.at.format("%Y-%m-%d %H:%M"),
            if t.text.is_empty() {
                String::new()
            } else {
                format!("：{}", n(&t.text))
            }
        );
    }
    if let Some(no) = &r.case_no {
        println!("案件：{}", n(no));
    }
    if r.prints > 0 {
        println!("已打印 {} 次", r.prints);
    }
}

fn print_report_line(r: &Report, today: NaiveDate) {
    let age = (today - r.received_at.date_naive()).num_days();
    println!(
        "{}  {}  {}  {}{}  {}  {}（{}天）",
        r.key,
        r.report_no,
        r.status.label(),
        neutralize(&r.town, false),
        neutralize(&r.village, false),
        neutralize(&r.source, false),
        neutralize(&r.request, false),
        age
    );
}

pub fn run_visit(cmd: VisitCommand, home: &Home, as_login: Option<&str>) -> Result<()> {
    match cmd {
        VisitCommand::Add { json } => {
            let input: VisitInput = parse_json(&read_json_text(&json)?, "走访记录")?;
            let mut store = home.open()?;
            let who = require(&mut store, as_login)?;
            let (visit, keys) = store.add_visit(&input, &who, clock::now())?;
            let full = who.sees_personal_data();
            let mut j = visit_json(&visit, full)?;
            j["report_keys"] = json!(keys.iter().map(ToString::to_string).collect::<Vec<_>>());
            output::print_json(&j)?;
        }
        VisitCommand::List {
            cadre,
            town,
            village,
            from,
            to,
            json,
        } => {
            let mut store = home.open_read()?;
            let who = require(&mut store, as_login)?;
            let list = store.visits(
                &VisitFilter {
                    cadre,
                    town,
                    village,
                    from,
                    to,
                    limit: None,
                },
                &who,
            )?;
            if json {
                let full = who.sees_personal_data();
                let all: Vec<Value> = list
                    .iter()
                    .map(|v| visit_json(v, full))
                    .collect::<Result<_>>()?;
                output::print_json(&all)?;
            } else {
                for v in &list {
                    print_visit_line(v);
                }
                eprintln!("共{}次走访", list.len());
            }
        }
        VisitCommand::Show { id, json } => {
            let mut store = home.open_read()?;
            let who = require(&mut store, as_login)?;
            let v = store.visit(id, &who)?;
            if json {
                output::print_json(&visit_json(&v, who.sees_personal_data())?)?;
            } else {
                let n = |s: &str| neutralize(s, true).into_owned();
                print_visit_line(&v);
                for (label, text) in [
                    ("家庭基本情况", &v.situation),
                    ("反映的问题和建议", &v.raised),
                    ("当场答复", &v.answered),
                    ("后续工作", &v.follow_up),
                ] {
                    if !text.is_empty() {
                        println!("{label}：{}", n(text));
                    }
                }
                for r in &v.reports {
                    println!(
                        "  报告单 {}（{}）{}：{}",
                        r.report_no,
                        r.key,
                        r.status.label(),
                        n(&r.request)
                    );
                }
            }
        }
    }
    Ok(())
}

pub fn run_report(cmd: ReportCommand, home: &Home, as_login: Option<&str>) -> Result<()> {
    match cmd {
        ReportCommand::Add { json } => {
            let input: ReportInput = parse_json(&read_json_text(&json)?, "民意报告单")?;
            let mut store = home.open()?;
            let who = require(&mut store, as_login)?;
            let r = store.add_report(&input, &who, clock::now())?;
            output::print_json(&report_json(&r, who.sees_personal_data())?)?;
        }
        ReportCommand::List {
            pending,
            limit,
            json,
        } => {
            let mut store = home.open_read()?;
            let who = require(&mut store, as_login)?;
            let list = store.reports(
                &ReportFilter {
                    pending,
                    limit: Some(limit),
                    offset: 0,
                },
                &who,
            )?;
            if json {
                let full = who.sees_personal_data();
                let all: Vec<Value> = list
                    .iter()
                    .map(|r| report_json(r, full))
                    .collect::<Result<_>>()?;
                output::print_json(&all)?;
            } else {
                let today = clock::today();
                for r in &list {
                    print_report_line(r, today);
                }
                eprintln!("共{}张", list.len());
            }
        }
        ReportCommand::Show { key, json } => {
            let mut store = home.open_read()?;
            let who = require(&mut store, as_login)?;
            let r = store.report(record_key(&key)?, &who)?;
            if json {
                output::print_json(&report_json(&r, who.sees_personal_data())?)?;
            } else {
                print_report(&r);
            }
        }
        ReportCommand::Triage {
            key,
            how,
            answer,
            case,
            reason,
            json,
        } => {
            let key = record_key(&key)?;
            let Some(status) = ReportStatus::parse_triage(&how) else {
                return Err(super::choices::UsageError(format!(
                    "「{how}」不是研判结果，应为：立案、答复、并案、引导"
                ))
                .into());
            };
            let mut store = home.open()?;
            let who = require(&mut store, as_login)?;
            let now = clock::now();
            let full = who.sees_personal_data();
            match status {
                ReportStatus::Registered => {
                    let report = store.report(key, &who)?;
                    let mut input = case_input_from(&report);
                    if let Some(src) = json {
                        let over: serde_json::Map<String, Value> =
                            parse_json(&read_json_text(&src)?, "立案内容")?;
                        let mut merged = serde_json::to_value(&input)?;
                        for (k, v) in over {
                            merged[k] = v;
                        }
                        input = serde_json::from_value(merged)
                            .map_err(|e| anyhow::anyhow!("立案内容的 JSON 有误：{e}"))?;
                    }
                    let (report, case) = store.triage_register(key, &input, &who, now)?;
                    let config = store.config();
                    let mut view = serde_json::to_value(
                        output::CaseView::new(&case, config, clock::today()).masked(!full),
                    )?;
                    view["report"] = json!(report.key.to_string());
                    view["report_no"] = json!(report.report_no);
                    output::print_json(&view)?;
                }
                ReportStatus::Answered => {
                    let Some(text) = answer else {
                        bail!("答复时须用 --answer 写明答复内容");
                    };
                    let r = store.triage_answer(key, status, &text, &who, now)?;
                    output::print_json(&report_json(&r, full)?)?;
                }
                ReportStatus::Guided => {
                    let Some(text) = reason else {
                        bail!("引导时须用 --reason 写明引导的渠道和理由");
                    };
                    let r = store.triage_answer(key, status, &text, &who, now)?;
                    output::print_json(&report_json(&r, full)?)?;
                }
                ReportStatus::Merged => {
                    let Some(case) = case else {
                        bail!("并案时须用 --case 写明并入的案件编号");
                    };
                    let case = parse_key(&case)?;
                    let r = store.triage_merge(
                        key,
                        case,
                        reason.as_deref().unwrap_or(""),
                        &who,
                        now,
                    )?;
                    output::print_json(&report_json(&r, full)?)?;
                }
                ReportStatus::Pending => unreachable!("parse_triage never gives 待研判"),
            }
        }
    }
    Ok(())
}

fn meeting_json(m: &crate::domain::records::Meeting) -> Result<Value> {
    let mut j = serde_json::to_value(m)?;
    j["key"] = json!(m.key.to_string());
    Ok(j)
}

fn print_meeting(m: &crate::domain::records::Meeting) {
    let n = |s: &str| neutralize(s, true).into_owned();
    println!("{}（{}）  {}", m.meeting_no, m.key, n(&m.title));
    println!(
        "时间：{}　地点：{}　主办：{}",
        m.held_at.format("%Y-%m-%d %H:%M"),
        n(&m.place),
        n(&m.host)
    );
    println!(
        "主持人：{}　记录人：{}　参会{}人",
        n(&m.chair),
        n(&m.recorder),
        m.attendance
    );
    if !m.units.is_empty() {
        println!("参会单位：{}", n(&m.units.join("、")));
    }
    if !m.representatives.is_empty() {
        println!("群众代表：{}", n(&m.representatives.join("、")));
    }
    if !m.items.is_empty() {
        println!("通报事项：{}", n(&m.items));
    }
    for f in &m.feedback {
        let revisit = match f.satisfaction {
            Some(s) => format!("；会上回访：{}", s.label()),
            None => String::new(),
        };
        println!(
            "  反馈 {} {} {}：{}{revisit}",
            f.case_no,
            f.name_masked,
            n(&f.category),
            n(&f.told)
        );
    }
    for o in &m.opinions {
        println!(
            "  意见{} {}：{}{}",
            o.seq,
            n(&o.speaker),
            n(&o.text),
            o.report_no
                .as_ref()
                .map(|r| format!("（转为报告单{r}）"))
                .unwrap_or_default()
        );
    }
    if !m.plans.is_empty() {
        println!("后续工作：{}", n(&m.plans));
    }
    if let Some(printed) = m.printed() {
        println!("{printed}");
    }
}

pub fn run_meeting(cmd: MeetingCommand, home: &Home, as_login: Option<&str>) -> Result<()> {
    match cmd {
        MeetingCommand::Add { json } => {
            let input: MeetingInput = parse_json(&read_json_text(&json)?, "民心沟通会")?;
            let mut store = home.open()?;
            let who = require(&mut store, as_login)?;
            let m = store.add_meeting(&input, &who, clock::now())?;
            output::print_json(&meeting_json(&m)?)?;
        }
        MeetingCommand::List { json } => {
            let mut store = home.open_read()?;
            let who = require(&mut store, as_login)?;
            let list = store.meetings(&who, 10_000)?;
            if json {
                let all: Vec<Value> = list.iter().map(meeting_json).collect::<Result<_>>()?;
                output::print_json(&all)?;
            } else {
                for m in &list {
                    println!(
                        "{}  {}  {}  {}{}  {}",
                        m.key,
                        m.meeting_no,
                        m.held_at.format("%Y-%m-%d"),
                        neutralize(&m.town, false),
                        neutralize(&m.village, false),
                        neutralize(&m.title, false)
                    );
                }
                eprintln!("共{}次", list.len());
            }
        }
        MeetingCommand::Feedback { key, cases, told } => {
            let key = record_key(&key)?;
            let mut store = home.open()?;
            let who = require(&mut store, as_login)?;
            if cases.is_empty() {
                let list = store.suggested_cases(key, 200)?;
                for s in &list {
                    println!(
                        "{}  {}  {}  {}  {}  {}",
                        s.case,
                        s.case_no,
                        s.closed_on,
                        neutralize(&s.village, false),
                        neutralize(&s.category, false),
                        neutralize(&s.told, false)
                    );
                }
                eprintln!("建议反馈{}件（自上次沟通会以来办结的案件）", list.len());
                return Ok(());
            }
            if told.is_some() && cases.len() > 1 {
                bail!("--told 只能在反馈一件案件时使用");
            }
            let list: Vec<(crate::domain::CaseKey, String)> = cases
                .iter()
                .map(|c| Ok((parse_key(c)?, told.clone().unwrap_or_default())))
                .collect::<Result<_>>()?;
            let m = store.feedback(key, &list, &who, clock::now())?;
            print_meeting(&m);
        }
        MeetingCommand::Revisit {
            key,
            case,
            satisfaction,
            note,
        } => {
            let Some(s) = Satisfaction::from_label(&satisfaction) else {
                return Err(super::choices::UsageError(format!(
                    "「{satisfaction}」不是满意度，应为：{}",
                    Satisfaction::labels().join("、")
                ))
                .into());
            };
            let mut store = home.open()?;
            let who = require(&mut store, as_login)?;
            let m = store.revisit(
                record_key(&key)?,
                parse_key(&case)?,
                s,
                note.as_deref().unwrap_or(""),
                &who,
                clock::now(),
            )?;
            print_meeting(&m);
        }
        MeetingCommand::Opinion {
            key,
            text,
            speaker,
            report,
        } => {
            let mut store = home.open()?;
            let who = require(&mut store, as_login)?;
            let (m, made) = store.opinion(
                record_key(&key)?,
                &speaker,
                &text,
                report,
                &who,
                clock::now(),
            )?;
            if let Some(k) = made {
                let r = store.report(k, &who)?;
                println!("已转为民意报告单 {}（{}），待研判", r.report_no, r.key);
            }
            print_meeting(&m);
        }
        MeetingCommand::Show { key, json } => {
            let mut store = home.open_read()?;
            let who = identify(&mut store, as_login)?;
            let Some(who) = who else {
                bail!("请用 --as 登录名 表明身份");
            };
            let m = store.meeting(record_key(&key)?, &who)?;
            if json {
                output::print_json(&meeting_json(&m)?)?;
            } else {
                print_meeting(&m);
            }
        }
    }
    Ok(())
}

/// One line for a visit, report or meeting found by search.
pub fn hit_line(hit: &crate::store::RecordHit) -> String {
    use crate::store::RecordHit;
    let n = |s: &str| neutralize(s, false).into_owned();
    match hit {
        RecordHit::Visit(v) => format!(
            "走访 {}  {}  {}{}  {}：{}",
            v.id,
            v.visited_on,
            n(&v.town),
            n(&v.village),
            n(&v.name),
            n(&v.raised)
        ),
        RecordHit::Report(r) => format!(
            "报告单 {}（{}）  {}  {}{}：{}",
            r.report_no,
            r.key,
            r.status.label(),
            n(&r.town),
            n(&r.village),
            n(&r.request)
        ),
        RecordHit::Meeting(m) => format!(
            "沟通会 {}（{}）  {}  {}",
            m.meeting_no,
            m.key,
            m.held_at.format("%Y-%m-%d"),
            n(&m.title)
        ),
    }
}

//! `minshi stats` and `minshi export register`: the statistics table (text, JSON, CSV, XLSX
//! with a native chart) and the register as a spreadsheet, one row per case. Every figure is
//! `domain::stats`'s, every definition travels with it (JSON `definitions`, the 说明 sheet);
//! the files themselves are written by `crate::export`.

use std::ops::ControlFlow;
use std::path::PathBuf;

use anyhow::{Result, bail};
use chrono::NaiveDate;
use serde_json::{Map, Value, json};
use unicode_width::UnicodeWidthStr;

use super::{output, parse_date, require};
use crate::clock;
use crate::domain::stats::{Counter, Dim, Figure, Figures, NOT_YET, Period};
use crate::domain::{Level, Status};
use crate::export::{self, Format, Progress};
use crate::home::Home;
use crate::store::{ExportFilter, StatsTable};

/// The period of a command: `--period 本月` or `--from D --to D`.
#[derive(Debug, clap::Args)]
pub struct PeriodArgs {
    /// 起始日期 YYYY-MM-DD（北京时间，含当日）
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// 截止日期 YYYY-MM-DD（含当日）
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// 期间：本月、上月、本季度、上季度、本年、上年，或 2026-11（某月）、2026（某年）
    #[arg(long, value_name = "期间", conflicts_with_all = ["from", "to"])]
    pub period: Option<String>,
}

impl PeriodArgs {
    /// The period asked for; this year when none was.
    pub fn period(&self, today: NaiveDate) -> Result<Period> {
        if let Some(word) = &self.period {
            return Period::named(word, today).map_err(anyhow::Error::msg);
        }
        let from = match &self.from {
            Some(f) => Period::named(f, today)
                .map(|p| p.from)
                .or_else(|_| parse_date(f, "起始日期"))?,
            None => {
                Period::named("本年", today)
                    .map_err(anyhow::Error::msg)?
                    .from
            }
        };
        let to = match &self.to {
            Some(t) => Period::named(t, today)
                .map(|p| p.to)
                .or_else(|_| parse_date(t, "截止日期"))?,
            None => today,
        };
        Period::new(from, to).map_err(anyhow::Error::msg)
    }
}

#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub period: PeriodArgs,
    /// 分组：乡镇、村、责任单位、类别、渠道、办理方式、层级、受理人、月份（或 town、village、unit、category、channel、route、level、clerk、month）
    #[arg(long, value_name = "分组", default_value = "乡镇")]
    pub by: String,
    /// 输出 JSON（英文键名，比率为小数，附各项指标的定义）
    #[arg(long)]
    pub json: bool,
    /// 另存为 Excel 工作簿（统计表、图表、说明）
    #[arg(long, value_name = "FILE")]
    pub xlsx: Option<PathBuf>,
    /// 另存为 CSV（UTF-8 带 BOM，WPS、Excel 可直接打开）
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
}

#[derive(Debug, clap::Subcommand)]
pub enum ExportCommand {
    /// 导出登记簿：期间内受理的每件案件一行（含办结、回访、延期、超期天数）
    Register(RegisterArgs),
}

#[derive(Debug, clap::Args)]
pub struct RegisterArgs {
    #[command(flatten)]
    pub period: PeriodArgs,
    /// 只导出该乡镇的案件
    #[arg(long, value_name = "乡镇")]
    pub town: Option<String>,
    /// 只导出该责任单位的案件
    #[arg(long, value_name = "单位")]
    pub unit: Option<String>,
    /// 只导出该类别的案件
    #[arg(long, value_name = "类别")]
    pub category: Option<String>,
    /// 状态：已登记、已分流、办理中、已办结、已回访、已归档、不予受理、已合并
    #[arg(long, value_name = "状态")]
    pub status: Option<String>,
    /// 遮蔽身份证号、电话和姓名（文件要离开中心时）
    #[arg(long)]
    pub mask: bool,
    /// 导出为 Excel 工作簿（日期为日期格式，首行冻结、可筛选，附说明页）
    #[arg(long, value_name = "FILE", required_unless_present = "csv")]
    pub xlsx: Option<PathBuf>,
    /// 导出为 CSV（UTF-8 带 BOM，表头为中文，一行一件）
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
}

/// The JSON object of one row: every figure under its English key, rates as fractions.
fn row_json(key: &str, f: &Figures) -> Value {
    let mut m = Map::new();
    m.insert("key".into(), key.into());
    for figure in Figure::ALL {
        let v = match figure {
            Figure::VillageShare | Figure::TownshipShare | Figure::CountyShare => continue,
            Figure::Received
            | Figure::Ended
            | Figure::Resolved
            | Figure::OverdueOpen
            | Figure::Repeated => json!(f.value(figure).map(|v| v as i64)),
            _ => json!(f.value(figure)),
        };
        m.insert(figure.key().into(), v);
    }
    m.insert(
        "level_shares".into(),
        json!({
            "village": f.level_share(Level::Village),
            "township": f.level_share(Level::Township),
            "county": f.level_share(Level::County),
        }),
    );
    m.insert(
        "counts".into(),
        json!({
            "on_time": f.on_time(),
            "days": f.get(Counter::Days),
            "ended_closed": f.get(Counter::EndedClosed),
            "closed_followed_up": f.get(Counter::ClosedFollowedUp),
            "follow_ups": f.follow_ups(),
            "satisfied": f.satisfied(),
            "resolved_village": f.resolved_at(Level::Village),
            "resolved_township": f.resolved_at(Level::Township),
            "resolved_county": f.resolved_at(Level::County),
        }),
    );
    Value::Object(m)
}

fn definitions_json() -> Value {
    let mut m = Map::new();
    for f in Figure::ALL {
        m.insert(
            f.key().into(),
            json!({ "name": f.label(), "definition": f.definition() }),
        );
    }
    m.insert("not_computed".into(), NOT_YET.into());
    Value::Object(m)
}

pub fn table_json(t: &StatsTable) -> Value {
    json!({
        "period": { "from": t.period.from.format("%Y-%m-%d").to_string(),
                    "to": t.period.to.format("%Y-%m-%d").to_string() },
        "by": t.by.word(),
        "by_label": t.by.label(),
        "scope": t.filter.describe(),
        "today": t.today.format("%Y-%m-%d").to_string(),
        "rows": t.rows.iter().map(|(k, f)| row_json(k, f)).collect::<Vec<_>>(),
        "total": row_json("合计", &t.total),
        "definitions": definitions_json(),
    })
}

fn pad(s: &str, width: usize) -> String {
    output::pad(s, width)
}

fn print_table(t: &StatsTable) {
    println!(
        "统计期间：{}（{}，按{}分组）",
        t.period.describe(),
        t.filter.describe(),
        t.by.label()
    );
    let key_width = t
        .rows
        .iter()
        .map(|(k, _)| UnicodeWidthStr::width(k.as_str()))
        .max()
        .unwrap_or(4)
        .clamp(4, 24);
    let mut head = pad(t.by.label(), key_width);
    for f in Figure::ALL {
        head.push_str("  ");
        head.push_str(&pad(f.label(), UnicodeWidthStr::width(f.label()).max(6)));
    }
    println!("{}", head.trim_end());
    let line = |key: &str, fig: &Figures| {
        let mut s = pad(key, key_width);
        for f in Figure::ALL {
            let w = UnicodeWidthStr::width(f.label()).max(6);
            let v = f.shown(fig);
            s.push_str("  ");
            s.push_str(&" ".repeat(w.saturating_sub(UnicodeWidthStr::width(v.as_str()))));
            s.push_str(&v);
        }
        println!("{s}");
    };
    for (k, f) in &t.rows {
        line(k, f);
    }
    line("合计", &t.total);
    println!();
    println!("说明：");
    for f in Figure::ALL {
        println!("  {}：{}", f.label(), f.definition());
    }
    println!("  {NOT_YET}");
}

pub fn run_stats(args: StatsArgs, home: &Home, as_login: Option<&str>) -> Result<()> {
    let mut store = home.open_read()?;
    let who = require(&mut store, as_login)?;
    let Some(by) = Dim::parse(&args.by) else {
        bail!(
            "「{}」不是分组方式：可用 {}",
            args.by,
            Dim::labels().join("、")
        );
    };
    let today = clock::today();
    let period = args.period.period(today)?;
    let table = store.statistics(&who, period, by, today)?;
    for (format, path) in [(Format::Xlsx, &args.xlsx), (Format::Csv, &args.csv)] {
        if let Some(path) = path {
            let mut progress = Meter::new();
            export::statistics(&table, &who, clock::now(), format, path, &mut |p| {
                progress.show(p)
            })?;
            eprintln!("已写入 {}", path.display());
        }
    }
    if args.json {
        output::print_json(&table_json(&table))?;
    } else if args.xlsx.is_none() && args.csv.is_none() {
        print_table(&table);
    }
    Ok(())
}

/// Progress on stderr while an export runs, when a person watches it there: one line redrawn
/// at each whole percent, wiped at the end. Nothing when stderr is a file or a pipe.
struct Meter {
    shown: Option<u64>,
    saving: bool,
    on: bool,
}

impl Meter {
    fn new() -> Meter {
        use std::io::IsTerminal;
        Meter {
            shown: None,
            saving: false,
            on: std::io::stderr().is_terminal(),
        }
    }

    fn show(&mut self, p: Progress) -> ControlFlow<()> {
        if !self.on {
            return ControlFlow::Continue(());
        }
        if p.saving {
            if !std::mem::replace(&mut self.saving, true) {
                eprint!("\r\x1b[2K已写完，正在保存……");
            }
            return ControlFlow::Continue(());
        }
        let percent = (p.ratio() * 100.0) as u64;
        if self.shown != Some(percent) {
            self.shown = Some(percent);
            eprint!("\r\x1b[2K导出中：{}/{}（{percent}%）", p.done, p.total);
        }
        ControlFlow::Continue(())
    }
}

impl Drop for Meter {
    /// The progress line goes before what is said next.
    fn drop(&mut self) {
        if self.on && self.shown.is_some() {
            eprint!("\r\x1b[2K");
        }
    }
}

pub fn run_export(cmd: ExportCommand, home: &Home, as_login: Option<&str>) -> Result<()> {
    let ExportCommand::Register(args) = cmd;
    let mut store = home.open_read()?;
    let who = require(&mut store, as_login)?;
    let today = clock::today();
    let period = args.period.period(today)?;
    let status = match &args.status {
        None => None,
        Some(s) => Some(Status::from_label(s).ok_or_else(|| {
            anyhow::anyhow!("「{s}」不是案件状态：可用 {}", Status::labels().join("、"))
        })?),
    };
    let filter = ExportFilter {
        period,
        town: args.town.clone(),
        unit: args.unit.clone(),
        category: args.category.clone(),
        status,
    };
    let mut described = vec![format!("受理日期 {}", period.describe())];
    for (k, v) in [
        ("乡镇", &args.town),
        ("责任单位", &args.unit),
        ("类别", &args.category),
        ("状态", &args.status),
    ] {
        if let Some(v) = v {
            described.push(format!("{k}：{v}"));
        }
    }
    let spec = export::Register {
        who: &who,
        selection: filter.selection(),
        described: described.join("，"),
        mask: export::masks(&who, args.mask),
        today,
        now: clock::now(),
    };
    for (format, path) in [(Format::Csv, &args.csv), (Format::Xlsx, &args.xlsx)] {
        if let Some(path) = path {
            let mut progress = Meter::new();
            let n = export::register(&store, &spec, format, path, &mut |p| progress.show(p))?;
            eprintln!("已导出{n}件案件到 {}", path.display());
        }
    }
    Ok(())
}

//! `minshi <command>`: every operation of the register for scripts and tests. The TUI and these
//! commands call the same library functions.

mod act;
mod numbers;
mod output;

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use crate::calendar::missing_tables_warning;
use crate::config::Span;
use crate::domain::{CaseKey, NewCaseInput, Status};
use crate::home::Home;
use crate::store::BoardFilter;
use crate::text::neutralize;
use crate::{clock, demo};

pub use act::ActArgs;

/// 民事直通车 — 综治中心民声登记簿
#[derive(Debug, Parser)]
#[command(
    name = "minshi",
    version,
    about = "民事直通车：综治中心的民声登记簿、期限看板与民事办理书",
    long_about = "民事直通车：综治中心的民声登记簿、期限看板与民事办理书。\n\
                  不带命令时打开全屏终端界面；带命令时供脚本使用。",
    after_help = "主目录依次取 --home、环境变量 MINSHI_HOME、用户数据目录（~/.local/share/minshi）。\n\
                  示例：\n  minshi --home ./中心 init\n  minshi register --json 案件.json\n  \
                  minshi list --overdue --town 首阳镇\n  minshi act 2026-000012 分流 --unit 首阳镇司法所"
)]
pub struct Cli {
    /// 主目录（数据库、证据、草稿、打印件都在这里）
    #[arg(long, global = true, value_name = "DIR")]
    pub home: Option<PathBuf>,
    /// 记入时间线的操作人（默认为系统用户名）
    #[arg(long, global = true, value_name = "NAME")]
    pub user: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 新建主目录和数据库（已存在则只检查能否打开）
    Init,
    /// 登记新事项：读入一个 JSON 对象（或对象数组），打印新案件（JSON；数组时每行一件）
    Register {
        /// JSON 文件，- 表示标准输入
        #[arg(long, value_name = "FILE|-")]
        json: String,
    },
    /// 期限看板：在办案件按期限排序
    List {
        /// 只看已超期的
        #[arg(long)]
        overdue: bool,
        #[arg(long, value_name = "乡镇")]
        town: Option<String>,
        #[arg(long, value_name = "单位")]
        unit: Option<String>,
        #[arg(long, value_name = "类别")]
        category: Option<String>,
        /// 状态：已登记、已分流、办理中
        #[arg(long, value_name = "状态")]
        status: Option<String>,
        #[arg(long, default_value_t = 50, value_parser = numbers::limit, allow_negative_numbers = true)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// 查看一件案件的全部信息和时间线
    Show {
        /// 案件编号：2026-000012 或 陇综民〔2026〕12号
        key: String,
        #[arg(long)]
        json: bool,
    },
    /// 对案件做一项操作（分流、签收、退单、进展、延期、督办、办结、回访、归档、重办、不予受理、合并）
    Act(Box<ActArgs>),
    /// 搜索：姓名、地址、诉求中任意2个以上的字，电话的4位以上数字，身份证号
    Search {
        text: String,
        #[arg(long, default_value_t = 50, value_parser = numbers::limit, allow_negative_numbers = true)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// 计算期限：受理日之后 N 日（或 N 个工作日）
    Due {
        /// 受理日期 YYYY-MM-DD
        #[arg(long, value_name = "DATE")]
        from: String,
        #[arg(long, value_name = "N", value_parser = numbers::days, allow_negative_numbers = true)]
        days: u32,
        /// 按工作日计算
        #[arg(long)]
        working: bool,
        #[arg(long)]
        json: bool,
    },
    /// 生成演示数据：各状态、各乡镇、各类别的模拟案件，部分超期
    Demo {
        #[arg(long, value_name = "N", value_parser = numbers::cases, allow_negative_numbers = true)]
        cases: u64,
        #[arg(long, value_name = "S", default_value_t = 1, value_parser = numbers::seed, allow_negative_numbers = true)]
        seed: u64,
    },
    /// 检查数据库：完整性、编号是否连续、时间线是否一致；有问题时退出码非零
    Check {
        #[arg(long)]
        json: bool,
    },
    /// 证据：添加、列出、校验
    #[command(subcommand)]
    Evidence(EvidenceCommand),
    /// 打印：受理回执、民事办理书、民声登记簿（生成 PDF，可直接送打印机）
    #[command(subcommand)]
    Print(PrintCommand),
    /// 在线备份数据库（其他人可同时写入）
    Backup {
        /// 备份文件路径
        file: PathBuf,
    },
}

/// Where a document goes: a file, and optionally the printer.
#[derive(Debug, clap::Args)]
pub struct PrintTarget {
    /// 输出文件（默认写入主目录的 printouts/）
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// 同时用 lp 送打印机（可写打印机名；不写则用默认打印机）
    #[arg(long, value_name = "PRINTER", num_args = 0..=1, default_missing_value = "")]
    pub lp: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum PrintCommand {
    /// 受理回执（默认 A5；--roll 为 80 毫米热敏纸）
    Slip {
        key: String,
        #[arg(long)]
        roll: bool,
        #[command(flatten)]
        target: PrintTarget,
    },
    /// 民事办理书（首次打印时编号；再次打印标“补打”）
    Form {
        key: String,
        /// 把 JPEG、PNG 证据作为附件页附在后面
        #[arg(long)]
        annex: bool,
        #[command(flatten)]
        target: PrintTarget,
    },
    /// 民声登记簿：某期间受理的全部案件
    Register {
        #[arg(long, value_name = "DATE")]
        from: String,
        #[arg(long, value_name = "DATE")]
        to: String,
        #[command(flatten)]
        target: PrintTarget,
    },
}

#[derive(Debug, Subcommand)]
pub enum EvidenceCommand {
    /// 把文件作为证据附到案件上（原样复制进主目录，按内容去重）
    Add {
        /// 案件编号
        key: String,
        /// 证据文件
        file: PathBuf,
        /// 类型：事项来源、会议记录、调解笔录、调解协议书、文件资料、现场照片、回访记录、其他
        #[arg(long)]
        kind: String,
        /// 名称（默认为文件名）
        #[arg(long)]
        title: Option<String>,
        /// 页数
        #[arg(long, default_value_t = 1, value_parser = numbers::pages, allow_negative_numbers = true)]
        pages: u32,
        #[arg(long)]
        json: bool,
    },
    /// 列出案件的证据
    List {
        key: String,
        #[arg(long)]
        json: bool,
    },
    /// 校验主目录中每个证据文件与登记的 SHA-256 是否一致；有问题时退出码为 2
    Verify {
        #[arg(long)]
        json: bool,
    },
}

pub fn main() -> ExitCode {
    // `minshi list | head -1`: when the reader goes away, end quietly as other command-line
    // tools do (SIGPIPE, status 141) instead of panicking in `println!`.
    #[cfg(unix)]
    let _ = signal_hook::flag::register_conditional_default(
        signal_hook::consts::SIGPIPE,
        std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true)),
    );
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return refuse_arguments(e),
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            // Each cause once: library errors often repeat their source in their own message.
            let mut message = String::new();
            for cause in e.chain() {
                let text = cause.to_string();
                if !message.contains(&text) {
                    if !message.is_empty() {
                        message.push('：');
                    }
                    message.push_str(&text);
                }
            }
            // Messages quote what was typed or stored: never let it drive the terminal.
            eprintln!("错误：{}", neutralize(&message, true));
            ExitCode::from(1)
        }
    }
}

/// clap's refusal of a command line. A value our own parsers refuse (the numbers) is reported
/// in Chinese; the rest (help, version, unknown options) as clap words it.
fn refuse_arguments(e: clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if e.kind() == ErrorKind::ValueValidation
        && let Some(reason) = std::error::Error::source(&e)
    {
        let arg = match e.get(ContextKind::InvalidArg) {
            Some(ContextValue::String(arg)) => format!("{arg}："),
            _ => String::new(),
        };
        eprintln!(
            "错误：{}{}\n（运行 minshi help 查看用法）",
            neutralize(&arg, false),
            neutralize(&reason.to_string(), false)
        );
        return ExitCode::from(2);
    }
    e.exit()
}

fn actor(cli_user: &Option<String>) -> String {
    cli_user.clone().unwrap_or_else(clock::os_user)
}

fn parse_key(s: &str) -> Result<CaseKey> {
    s.parse::<CaseKey>().map_err(anyhow::Error::msg)
}

fn parse_date(s: &str, what: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .with_context(|| format!("{what}「{s}」不是有效日期，应为 YYYY-MM-DD，如 2026-03-05"))
}

/// What `register` read: one case, or an array of them.
struct RegisterBatch {
    inputs: Vec<NewCaseInput>,
    many: bool,
}

fn parse_register_input(text: &str) -> Result<RegisterBatch> {
    // Notepad on Windows starts UTF-8 files with a byte-order mark.
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let explain = |e: serde_json::Error| anyhow::anyhow!(output::json_error(text, &e));
    if text.trim_start().starts_with('[') {
        let inputs: Vec<NewCaseInput> = serde_json::from_str(text).map_err(explain)?;
        if inputs.is_empty() {
            bail!("JSON 数组是空的（[]），没有要登记的案件");
        }
        Ok(RegisterBatch { inputs, many: true })
    } else {
        let input: NewCaseInput = serde_json::from_str(text).map_err(explain)?;
        Ok(RegisterBatch {
            inputs: vec![input],
            many: false,
        })
    }
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    let home = Home::resolve(cli.home.clone())?;
    crate::logging::init(&home);
    let user = actor(&cli.user);
    let Some(command) = cli.command else {
        return crate::tui_entry(&home, &user);
    };
    match command {
        Command::Init => {
            let store = home.open()?;
            println!("主目录：{}", home.root().display());
            println!("数据库：{}", store.path().display());
            println!("中心：{}", neutralize(&store.config().center.name, false));
        }
        Command::Register { json } => {
            let bytes = if json == "-" {
                let mut bytes = Vec::new();
                std::io::stdin()
                    .read_to_end(&mut bytes)
                    .context("无法读取标准输入")?;
                bytes
            } else {
                std::fs::read(&json).with_context(|| format!("无法读取文件 {json}"))?
            };
            let text = String::from_utf8(bytes).map_err(|e| {
                anyhow::anyhow!(
                    "输入不是 UTF-8 编码的文字（第{}个字节起无法识别），请另存为 UTF-8 后重试",
                    e.utf8_error().valid_up_to() + 1
                )
            })?;
            let batch = parse_register_input(&text)?;
            let mut store = home.open()?;
            // Check every case before writing any: bad input writes nothing.
            for (i, input) in batch.inputs.iter().enumerate() {
                if let Err(errors) = crate::intake::validate(input, store.config(), clock::now()) {
                    let at = if batch.many {
                        format!("第{}个案件：", i + 1)
                    } else {
                        String::new()
                    };
                    let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
                    bail!("{at}{}", list.join("\n"));
                }
            }
            for input in &batch.inputs {
                let case = store.register(input, &user, clock::now())?;
                let config = store.config();
                if let Some(w) = output::due_warning(&case, config) {
                    eprintln!("注意：{} {w}", case.case_no);
                }
                let view = output::CaseView::new(&case, config, clock::today());
                if batch.many {
                    // One line per case, written as soon as it is committed.
                    output::print_json_line(&view)?;
                } else {
                    output::print_json(&view)?;
                }
            }
        }
        Command::List {
            overdue,
            town,
            unit,
            category,
            status,
            limit,
            json,
        } => {
            let store = home.open_read()?;
            let config = store.config();
            if let Some(t) = &town
                && config.town(t).is_none()
            {
                bail!("没有「{t}」这个乡镇");
            }
            let status = match status {
                None => None,
                Some(s) => match Status::from_label(&s) {
                    Some(st) if st.is_open() => Some(st),
                    _ => bail!("看板只列在办案件，--status 应为 已登记、已分流 或 办理中"),
                },
            };
            let filter = BoardFilter {
                town,
                unit,
                category,
                status,
                overdue_only: overdue,
            };
            let today = clock::today();
            let rows = store.board(&filter, today, 0, limit)?;
            if json {
                let views: Vec<_> = rows
                    .iter()
                    .map(|r| output::RowView::new(r, config, today))
                    .collect();
                output::print_json(&views)?;
            } else {
                let total = store.board_count(&filter, today)?;
                output::print_board(&rows, total, config, today);
            }
        }
        Command::Show { key, json } => {
            let store = home.open_read()?;
            let key = parse_key(&key)?;
            let case = store.case(key)?;
            let events = store.timeline(key)?;
            let config = store.config();
            if json {
                let mut view =
                    serde_json::to_value(output::CaseView::new(&case, config, clock::today()))?;
                view["timeline"] = serde_json::to_value(&events)?;
                output::print_json(&view)?;
            } else {
                output::print_case(&case, &events, config, clock::today());
            }
        }
        Command::Act(args) => {
            let mut store = home.open()?;
            let key = parse_key(&args.key)?;
            let action = args.to_action(store.config())?;
            let case = store.act(key, &action, &user, clock::now())?;
            if args.json {
                output::print_json(&output::CaseView::new(
                    &case,
                    store.config(),
                    clock::today(),
                ))?;
            } else {
                println!(
                    "{} {}：已{}，当前状态「{}」，期限 {}",
                    case.case_no,
                    neutralize(&case.person.name, false),
                    action.kind().label(),
                    case.status.label(),
                    case.due_date.format("%Y-%m-%d")
                );
            }
        }
        Command::Search { text, limit, json } => {
            let store = home.open_read()?;
            let rows = store.search(&text, limit)?.map_err(anyhow::Error::msg)?;
            let config = store.config();
            let today = clock::today();
            if json {
                let views: Vec<_> = rows
                    .iter()
                    .map(|r| output::RowView::new(r, config, today))
                    .collect();
                output::print_json(&views)?;
            } else if rows.is_empty() {
                println!("没有找到包含「{}」的案件", neutralize(&text, false));
            } else {
                output::print_rows(&rows, config, today);
            }
        }
        Command::Due {
            from,
            days,
            working,
            json,
        } => {
            let config = home.config()?;
            let from = parse_date(&from, "受理日期")?;
            let span = if working {
                Span::WorkingDays(days)
            } else {
                Span::Days(days)
            };
            let due = config.calendar.due(from, span);
            if let Some(w) = missing_tables_warning(&due.assumed_years) {
                eprintln!("注意：{w}");
            }
            if json {
                output::print_json(&serde_json::json!({
                    "from": from,
                    "days": days,
                    "working": working,
                    "due_date": due.date,
                    "assumed_years": due.assumed_years,
                }))?;
            } else {
                println!("{}", due.date.format("%Y-%m-%d"));
            }
        }
        Command::Demo { cases, seed } => {
            let mut store = home.open()?;
            let started = std::time::Instant::now();
            let made = demo::generate(&mut store, cases, seed, clock::now(), &mut |done| {
                eprint!("\r已生成 {done} / {cases} 件");
            })?;
            eprintln!();
            println!(
                "已生成 {made} 件演示案件，用时 {:.1} 秒",
                started.elapsed().as_secs_f64()
            );
        }
        Command::Check { json } => {
            let store = home.open_read()?;
            let problems = store.check()?;
            if json {
                let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
                output::print_json(
                    &serde_json::json!({ "ok": list.is_empty(), "problems": list }),
                )?;
            } else if problems.is_empty() {
                println!("检查通过：数据库完整，编号连续，时间线一致");
            } else {
                for p in &problems {
                    println!("问题：{}", neutralize(&p.to_string(), false));
                }
            }
            if !problems.is_empty() {
                return Ok(ExitCode::from(2));
            }
        }
        Command::Evidence(command) => return evidence(command, &home, &user),
        Command::Print(command) => print(command, &home, &user)?,
        Command::Backup { file } => {
            let store = home.open()?;
            if file.exists() {
                bail!(
                    "{} 已存在，请换一个文件名（不会覆盖已有文件）",
                    file.display()
                );
            }
            store.backup(&file)?;
            println!("已备份到 {}", file.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn evidence(command: EvidenceCommand, home: &Home, user: &str) -> Result<ExitCode> {
    use crate::domain::EvidenceKind;
    use crate::evidence_files;
    let mut store = match command {
        EvidenceCommand::Add { .. } => home.open()?,
        EvidenceCommand::List { .. } | EvidenceCommand::Verify { .. } => home.open_read()?,
    };
    match command {
        EvidenceCommand::Add {
            key,
            file,
            kind,
            title,
            pages,
            json,
        } => {
            let key = parse_key(&key)?;
            let Some(kind) = EvidenceKind::from_label(&kind) else {
                let all: Vec<&str> = EvidenceKind::ALL.iter().map(EvidenceKind::label).collect();
                bail!("证据类型「{kind}」不对，应为：{}", all.join("、"));
            };
            if pages == 0 {
                bail!("--pages 至少为1");
            }
            store.case(key)?;
            let file_name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let typed = title.as_ref().is_some_and(|t| !t.trim().is_empty());
            let title = title
                .filter(|t| !t.trim().is_empty())
                .unwrap_or_else(|| file_name.clone());
            // The default title is the file's name, which may hold anything a file system allows.
            crate::domain::check_text("证据名称", &title, false, 100, &crate::intake::printable)
                .map_err(|e| match typed {
                    true => anyhow::anyhow!(e),
                    false => anyhow::anyhow!("{e}（文件名不宜作名称，请用 --title 另起名称）"),
                })?;
            let stored = evidence_files::store(&home.evidence_dir(), &file)?;
            let added = store.add_evidence(
                key,
                &crate::store::NewEvidence {
                    kind,
                    title: title.trim().to_string(),
                    pages,
                    file_name,
                    size: stored.size,
                    sha256: stored.sha256.clone(),
                },
                user,
                clock::now(),
            )?;
            if json {
                output::print_json(&added)?;
            } else {
                let again = if stored.new {
                    ""
                } else {
                    "（相同文件已存过，未重复保存）"
                };
                println!(
                    "已添加证据{}：{}（{}，{}页，SHA-256 {}）{again}",
                    added.seq,
                    neutralize(&added.title, false),
                    added.kind.label(),
                    added.pages,
                    &added.sha256[..12]
                );
            }
        }
        EvidenceCommand::List { key, json } => {
            let list = store.evidence(parse_key(&key)?)?;
            if json {
                output::print_json(&list)?;
            } else if list.is_empty() {
                println!("该案件还没有证据");
            } else {
                for e in &list {
                    println!(
                        "{:>3}  {}  {}  {}页  {}  {}",
                        e.seq,
                        output::pad(e.kind.label(), 10),
                        output::pad(&e.title, 30),
                        e.pages,
                        e.added_at.format("%Y-%m-%d %H:%M"),
                        &e.sha256[..12]
                    );
                }
            }
        }
        EvidenceCommand::Verify { json } => {
            let dir = home.evidence_dir();
            let mut problems = Vec::new();
            let files = store.evidence_files()?;
            for (case_no, seq, sha, _) in &files {
                match evidence_files::verify(&dir, sha) {
                    Ok(true) => {}
                    Ok(false) => problems.push(format!(
                        "{case_no} 证据{seq}：文件内容与登记的 SHA-256 不符（已被改动）"
                    )),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => problems.push(format!(
                        "{case_no} 证据{seq}：文件丢失（{}）",
                        evidence_files::path_of(&dir, sha).display()
                    )),
                    Err(e) => problems.push(format!("{case_no} 证据{seq}：{e}")),
                }
            }
            if json {
                output::print_json(
                    &serde_json::json!({ "checked": files.len(), "ok": problems.is_empty(), "problems": problems }),
                )?;
            } else if problems.is_empty() {
                println!("已校验{}个证据文件，全部完好", files.len());
            } else {
                for p in &problems {
                    println!("问题：{}", neutralize(p, false));
                }
            }
            if !problems.is_empty() {
                return Ok(ExitCode::from(2));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print(command: PrintCommand, home: &Home, user: &str) -> Result<()> {
    use crate::printing;
    let mut store = home.open()?;
    let now = clock::now();
    let (printed, target) = match command {
        PrintCommand::Slip { key, roll, target } => {
            let layout = if roll {
                crate::print::SlipLayout::Roll80mm
            } else {
                crate::print::SlipLayout::A5
            };
            let p = printing::slip(
                &mut store,
                home,
                parse_key(&key)?,
                layout,
                target.output.as_deref(),
                user,
                now,
            )?;
            (p, target)
        }
        PrintCommand::Form { key, annex, target } => {
            let p = printing::form(
                &mut store,
                home,
                parse_key(&key)?,
                annex,
                target.output.as_deref(),
                user,
                now,
            )?;
            (p, target)
        }
        PrintCommand::Register { from, to, target } => {
            let from = parse_date(&from, "起始日期")?;
            let to = parse_date(&to, "截止日期")?;
            let p = printing::register(&store, home, from, to, target.output.as_deref(), now)?;
            (p, target)
        }
    };
    for w in &printed.warnings {
        eprintln!("注意：{}", neutralize(w, false));
    }
    if let Some(form) = &printed.form {
        if form.is_reprint() {
            println!(
                "民事办理书 {}（补打，第{}次打印）",
                form.form_no, form.print_count
            );
        } else {
            println!("民事办理书 {}（首次打印）", form.form_no);
        }
    }
    println!(
        "已生成 {}（{} KB）",
        printed.path.display(),
        printed.bytes.div_ceil(1024)
    );
    if let Some(printer) = target.lp {
        let job = printing::send_to_lp(&printed.path, Some(printer.as_str()))?;
        println!("已送打印机：{job}");
    }
    Ok(())
}

//! `minshi <command>`: every operation of the register for scripts and tests. The TUI and these
//! commands call the same library functions.

mod act;
mod choices;
mod clap_zh;
mod numbers;
mod output;
mod records;
mod stats;

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use crate::calendar::{admin_instruction, clerk_notice, missing_tables_warning};
use crate::config::Span;
use crate::domain::{CaseKey, Center, NewCaseInput, Role, Session, Status};
use crate::home::Home;
use crate::store::{BoardFilter, Held, ListFilter, Listing, NewAccount, Store};
use crate::text::neutralize;
use crate::{clock, demo};

pub use act::ActArgs;
use choices::UsageError;

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
    #[arg(long, global = true, value_name = "目录")]
    pub home: Option<PathBuf>,
    /// 以此账号操作（密码从提示或环境变量 MINSHI_PASSWORD 读取）；不写则用绑定到当前系统用户的账号
    #[arg(long = "as", global = true, value_name = "登录名")]
    pub as_login: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 新建主目录、登记簿和第一个管理员账号（已存在则只检查能否打开）
    Init {
        /// 管理员的登录名（默认为当前系统用户名）
        #[arg(long, value_name = "登录名")]
        admin: Option<String>,
        /// 管理员的真实姓名（打印在文书上；不写则提示输入）
        #[arg(long, value_name = "姓名")]
        admin_name: Option<String>,
    },
    /// 账号：新建、列出、改密码、停用、绑定系统用户（管理员）
    #[command(subcommand)]
    User(UserCommand),
    /// 打印时间线哈希链的链头（摘要）；另行保存，日后可用 check --digest 证明历史未被改动
    Digest {
        /// 输出 JSON（英文键名）
        #[arg(long)]
        json: bool,
    },
    /// 登记新事项：读入一个 JSON 对象（或对象数组），打印新案件（JSON；数组时每行一件）
    Register {
        /// JSON 文件，- 表示标准输入
        #[arg(long, value_name = "文件|-")]
        json: String,
    },
    /// 民情笔记本：记录、列出、查看入户走访（网格员、驻村干部）
    #[command(subcommand)]
    Visit(records::VisitCommand),
    /// 民意报告单：填报、列出待研判的队列、查看、研判（立案、答复、并案、引导）
    #[command(subcommand)]
    Report(records::ReportCommand),
    /// 民心沟通会：记录会议，反馈案件，会上回访，记录意见（可转为报告单）
    #[command(subcommand)]
    Meeting(records::MeetingCommand),
    /// 期限看板：在办案件按期限排序；--all、--closed 列出全部或已结束的案件
    #[command(
        after_help = "乡镇、单位、类别须为配置中的名称（或登记簿里已有的名称）；写错时列出可选或相近的名称，退出码为 2。\n\
        示例：\n  minshi list --overdue --town 首阳镇\n  minshi list --all --from 2026-03-01 --to 2026-03-31 --limit 100000 --json"
    )]
    List {
        /// 只看已超期的在办案件
        #[arg(long, conflicts_with_all = ["all", "closed"])]
        overdue: bool,
        /// 全部案件（在办的和已结束的），按受理时间从新到旧
        #[arg(long, conflicts_with = "closed")]
        all: bool,
        /// 只看已结束的（已办结、已回访、已归档、不予受理、已合并），按受理时间从新到旧
        #[arg(long)]
        closed: bool,
        /// 受理日期不早于此日（YYYY-MM-DD，北京时间，含当天）
        #[arg(long, value_name = "日期", value_parser = numbers::date)]
        from: Option<NaiveDate>,
        /// 受理日期不晚于此日（YYYY-MM-DD，北京时间，含当天）
        #[arg(long, value_name = "日期", value_parser = numbers::date)]
        to: Option<NaiveDate>,
        /// 乡镇，如 首阳镇
        #[arg(long, value_name = "乡镇")]
        town: Option<String>,
        /// 责任单位，如 首阳镇司法所、县人力资源和社会保障局
        #[arg(long, value_name = "单位")]
        unit: Option<String>,
        /// 事项类别，如 劳动争议、邻里
        #[arg(long, value_name = "类别")]
        category: Option<String>,
        /// 状态：在办的为已登记、已分流、办理中；--closed、--all 时另可写已办结、已回访、已归档、不予受理、已合并
        #[arg(long, value_name = "状态")]
        status: Option<String>,
        /// 最多列出几件（1到100000）
        #[arg(long, value_name = "N", default_value_t = 50, value_parser = numbers::limit, allow_negative_numbers = true)]
        limit: usize,
        /// 跳过前 N 件（翻页用）
        #[arg(long, value_name = "N", default_value_t = 0, value_parser = numbers::offset, allow_negative_numbers = true)]
        offset: usize,
        /// 输出 JSON（案件数组，英文键名）；总数写在标准错误
        #[arg(long)]
        json: bool,
    },
    /// 查看一件案件的全部信息和时间线
    Show {
        /// 案件编号：2026-000012 或 陇综民〔2026〕12号
        #[arg(value_name = "编号")]
        key: String,
        /// 输出 JSON（英文键名）
        #[arg(long)]
        json: bool,
    },
    /// 对案件做一项操作（分流、签收、退单、进展、延期、督办、办结、回访、归档、重办、不予受理、合并）
    Act(Box<ActArgs>),
    /// 搜索：姓名、地址、诉求中任意2个以上的字，电话的4位以上数字，身份证号
    Search {
        #[arg(value_name = "文字")]
        /// 要找的文字（2个字以上，号码4位以上；空格分开的几段须都出现）
        text: String,
        /// 最多列出几件（1到100000）
        #[arg(long, value_name = "N", default_value_t = 50, value_parser = numbers::limit, allow_negative_numbers = true)]
        limit: usize,
        /// 跳过最新的 N 件（翻页用）
        #[arg(long, value_name = "N", default_value_t = 0, value_parser = numbers::offset, allow_negative_numbers = true)]
        offset: usize,
        /// 输出 JSON（案件数组，英文键名）；总数写在标准错误
        #[arg(long)]
        json: bool,
    },
    /// 计算期限：受理日之后 N 日（或 N 个工作日）
    Due {
        /// 受理日期 YYYY-MM-DD（当天不计入）
        #[arg(long, value_name = "日期")]
        from: String,
        /// 期限的天数（1到3650）；与 --working 一起为工作日数
        #[arg(long, value_name = "N", value_parser = numbers::days, allow_negative_numbers = true)]
        days: u32,
        /// 按工作日计算（跳过周末和法定节假日，调休上班日算工作日）
        #[arg(long)]
        working: bool,
        /// 输出 JSON（英文键名）
        #[arg(long)]
        json: bool,
    },
    /// 生成演示数据：各状态、各乡镇、各类别的模拟案件，部分超期
    Demo {
        /// 生成多少件（1到10000000）
        #[arg(long, value_name = "N", value_parser = numbers::cases, allow_negative_numbers = true)]
        cases: u64,
        /// 随机种子：同一种子生成同样的数据
        #[arg(long, value_name = "S", default_value_t = 1, value_parser = numbers::seed, allow_negative_numbers = true)]
        seed: u64,
    },
    /// 检查数据库：完整性、编号是否连续、哈希链与重放是否一致；有问题时退出码非零
    Check {
        /// 输出 JSON（英文键名）
        #[arg(long)]
        json: bool,
        /// 证明到此摘要（minshi digest 的输出）为止的历史未被改动
        #[arg(long, value_name = "N:HEX")]
        digest: Option<String>,
        /// 另做 SQLite 的完整检查（逐个核对索引与表，100 万件约多 25 秒）
        #[arg(long)]
        full: bool,
    },
    /// 证据：添加、列出、校验
    #[command(subcommand)]
    Evidence(EvidenceCommand),
    /// 打印：受理回执、民事办理书、民声登记簿、月度统计报表、在办案件期限表、督办通知单（生成 PDF，可直接送打印机）
    #[command(subcommand)]
    Print(PrintCommand),
    /// 备份整个登记簿（数据库快照、证据文件、清单和摘要）为一个只有本人可读的文件；他人可同时写入（管理员）
    Backup {
        /// 备份文件路径（默认为主目录的 backups/minshi-日期-时间.tar）
        #[arg(value_name = "文件")]
        file: Option<PathBuf>,
    },
    /// 统计：某期间按乡镇、村、单位、类别、渠道、办理方式、层级、受理人或月份分组的各项指标（值班长、管理员）
    Stats(stats::StatsArgs),
    /// 导出登记簿为 Excel 或 CSV（值班长、管理员）
    #[command(subcommand)]
    Export(stats::ExportCommand),
    /// 从备份恢复：先完整校验，现有文件移到 restore-kept-… 保留；须无其他 minshi 程序在用（管理员）
    Restore {
        /// minshi backup 生成的备份文件
        #[arg(value_name = "文件")]
        file: PathBuf,
    },
}

/// Where a document goes: a file, and optionally the printer.
#[derive(Debug, clap::Args)]
pub struct PrintTarget {
    /// 输出文件（默认写入主目录的 printouts/）
    #[arg(short = 'o', long = "output", value_name = "文件")]
    pub output: Option<PathBuf>,
    /// 同时用 lp 送打印机（可写打印机名；不写则用默认打印机）
    #[arg(long, value_name = "打印机", num_args = 0..=1, default_missing_value = "")]
    pub lp: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum PrintCommand {
    /// 受理回执（默认 A5；--roll 为 80 毫米热敏纸）
    Slip {
        /// 案件编号
        #[arg(value_name = "编号")]
        key: String,
        /// 打在 80 毫米热敏卷纸上（默认 A5）
        #[arg(long)]
        roll: bool,
        #[command(flatten)]
        target: PrintTarget,
    },
    /// 民事办理书（首次打印时编号；再次打印标“补打”）
    Form {
        /// 案件编号
        #[arg(value_name = "编号")]
        key: String,
        /// 把 JPEG、PNG 证据作为附件页附在后面
        #[arg(long)]
        annex: bool,
        /// 缺少必需证据仍要打印时，由值班长确认：值班长的登录名（本人是值班长时写自己的）；
        /// 其密码从提示或环境变量 MINSHI_CONFIRM_PASSWORD 读取
        #[arg(long, value_name = "登录名")]
        confirmed_by: Option<String>,
        #[command(flatten)]
        target: PrintTarget,
    },
    /// 民声登记簿：某期间受理的全部案件
    Register {
        /// 受理日期从（YYYY-MM-DD，含当天）
        #[arg(long, value_name = "日期")]
        from: String,
        /// 受理日期到（YYYY-MM-DD，含当天）
        #[arg(long, value_name = "日期")]
        to: String,
        #[command(flatten)]
        target: PrintTarget,
    },
    /// 民意报告单（A5）：填好的一张；--blank 为空白表，供入户走访时手填
    Report {
        /// 报告单编号：2026-000005 或 陇民报〔2026〕5号
        #[arg(value_name = "编号", required_unless_present = "blank")]
        key: Option<String>,
        /// 打印空白的报告单（无编号，每栏留有书写位置）
        #[arg(long, conflicts_with = "key")]
        blank: bool,
        #[command(flatten)]
        target: PrintTarget,
    },
    /// 民心沟通会会议记录（A4），后附参会人员签到表
    Minutes {
        /// 沟通会编号：2026-000003 或 陇沟通〔2026〕3号
        #[arg(value_name = "会议编号")]
        key: String,
        #[command(flatten)]
        target: PrintTarget,
    },
    /// 民心沟通会情况通报（A4），供村务公开栏张贴：当事人姓名隐去（张某某），不印身份证号、电话和住址
    Notice {
        /// 沟通会编号：2026-000003 或 陇沟通〔2026〕3号
        #[arg(value_name = "会议编号")]
        key: String,
        #[command(flatten)]
        target: PrintTarget,
    },
    /// 民情笔记本：某人某期间的走访记录（本人可打印自己的；值班长、管理员可打印本中心范围内的）
    Notebook {
        /// 走访人的登录名
        #[arg(long, value_name = "登录名")]
        cadre: String,
        /// 走访日期从（YYYY-MM-DD，含当天）
        #[arg(long, value_name = "日期")]
        from: String,
        /// 走访日期到（YYYY-MM-DD，含当天）
        #[arg(long, value_name = "日期")]
        to: String,
        #[command(flatten)]
        target: PrintTarget,
    },
    /// 月度统计报表：本月与上月、去年同月对比，分乡镇、分类别，图表，满意度，超期单位（值班长、管理员）
    Monthly {
        /// 月份：YYYY-MM（如 2026-11），或 本月、上月（默认上月）
        #[arg(long, value_name = "月份", default_value = "上月")]
        month: String,
        #[command(flatten)]
        target: PrintTarget,
    },
    /// 在办案件期限表（看板）：按剩余时间排列，超期在前，横向 A4，可张贴（当事人姓名隐去）
    Board {
        /// 只列此乡镇
        #[arg(long, value_name = "乡镇")]
        town: Option<String>,
        /// 只列此责任单位
        #[arg(long, value_name = "单位")]
        unit: Option<String>,
        /// 只列已超期的
        #[arg(long)]
        overdue: bool,
        #[command(flatten)]
        target: PrintTarget,
    },
    /// 督办通知单：列出某责任单位的超期未办结案件，编号，并在各案件办理过程中记入督办（值班长、管理员）
    Urge {
        /// 责任单位
        #[arg(long, value_name = "单位")]
        unit: String,
        /// 回复期限 YYYY-MM-DD（默认今天起3个工作日后）
        #[arg(long, value_name = "日期")]
        reply_by: Option<String>,
        /// 督办意见（默认写明超期天数和回复期限）
        #[arg(long, value_name = "文字")]
        note: Option<String>,
        #[command(flatten)]
        target: PrintTarget,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// 新建账号（新账号的密码从提示或环境变量 MINSHI_NEW_PASSWORD 读取）
    Add {
        /// 登录名：英文字母、数字或 . _ -
        #[arg(value_name = "登录名")]
        login: String,
        /// 真实姓名（打印为受理人、经办人）
        #[arg(long, value_name = "姓名")]
        name: String,
        /// 角色：受理员、值班长、管理员、网格员（驻村干部）
        #[arg(long, value_name = "角色")]
        role: String,
        /// 所属中心：县（陇西县）、乡镇（首阳镇）或 乡镇/村（首阳镇/首阳村）
        #[arg(long, value_name = "中心")]
        center: String,
        /// 绑定的系统用户：此用户运行命令时即以本账号操作
        #[arg(long, value_name = "系统用户")]
        os_user: Option<String>,
    },
    /// 列出账号
    List {
        /// 输出 JSON（英文键名）
        #[arg(long)]
        json: bool,
    },
    /// 修改密码（新密码从提示或环境变量 MINSHI_NEW_PASSWORD 读取）
    Passwd {
        /// 登录名
        #[arg(value_name = "登录名")]
        login: String,
    },
    /// 停用账号（记录保留，不能再登录或操作）
    Disable {
        /// 登录名
        #[arg(value_name = "登录名")]
        login: String,
    },
    /// 把账号绑定到系统用户
    Bind {
        /// 登录名
        #[arg(value_name = "登录名")]
        login: String,
        /// 系统用户名：此用户运行命令时即以本账号操作
        #[arg(long, value_name = "系统用户")]
        os_user: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum EvidenceCommand {
    /// 把文件作为证据附到案件上（原样复制进主目录，按内容去重）
    Add {
        /// 案件编号
        #[arg(value_name = "编号")]
        key: String,
        /// 证据文件
        #[arg(value_name = "文件")]
        file: PathBuf,
        /// 类型：事项来源、会议记录、调解笔录、调解协议书、文件资料、现场照片、回访记录、其他
        #[arg(long, value_name = "类型")]
        kind: String,
        /// 名称（默认为文件名）
        #[arg(long, value_name = "名称")]
        title: Option<String>,
        /// 页数（1到10000）
        #[arg(long, value_name = "N", default_value_t = 1, value_parser = numbers::pages, allow_negative_numbers = true)]
        pages: u32,
        /// 输出 JSON（英文键名）
        #[arg(long)]
        json: bool,
    },
    /// 列出案件的证据
    List {
        /// 案件编号
        #[arg(value_name = "编号")]
        key: String,
        /// 输出 JSON（英文键名）
        #[arg(long)]
        json: bool,
    },
    /// 校验主目录中每个证据文件与登记的 SHA-256 是否一致；有问题时退出码为 2
    Verify {
        /// 输出 JSON（英文键名）
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
        Err(e) => return clap_zh::refuse(e),
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            // Each cause once: library errors often repeat their source in their own message.
            let mut message = String::new();
            for cause in e.chain() {
                // The system's words for a failed read or write are English.
                let text = match cause.downcast_ref::<std::io::Error>() {
                    Some(io) if io.get_ref().is_none() => io_reason(io),
                    _ => cause.to_string(),
                };
                if !message.contains(&text) {
                    if !message.is_empty() {
                        message.push('：');
                    }
                    message.push_str(&text);
                }
            }
            // Messages quote what was typed or stored: never let it drive the terminal.
            eprintln!("错误：{}", neutralize(&message, true));
            if e.downcast_ref::<UsageError>().is_some() {
                // A command line that names what does not exist, as clap's refusals.
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}

/// Why a file could not be read or written, in Chinese.
fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "文件或目录不存在".to_string(),
        K::PermissionDenied => "没有权限".to_string(),
        K::AlreadyExists => "文件已存在".to_string(),
        K::IsADirectory => "这是一个目录，不是文件".to_string(),
        K::NotADirectory => "路径中有一段不是目录".to_string(),
        K::StorageFull => "磁盘已满".to_string(),
        K::ReadOnlyFilesystem => "文件系统是只读的".to_string(),
        K::InvalidData => "内容无法识别".to_string(),
        _ => match e.raw_os_error() {
            Some(code) => format!("读写出错（系统错误代码 {code}）"),
            None => "读写出错".to_string(),
        },
    }
}

/// A password from the environment variable, or typed at the terminal without echo.
fn password(prompt: &str, env: &str) -> Result<String> {
    if let Ok(p) = std::env::var(env)
        && !p.is_empty()
    {
        return Ok(p);
    }
    rpassword::prompt_password(prompt)
        .map_err(|_| anyhow::anyhow!("需要密码：请在终端中运行以输入密码，或设置环境变量 {env}"))
}

/// A new password, typed twice at a terminal (or taken from the environment).
fn new_password(env: &str) -> Result<String> {
    if let Ok(p) = std::env::var(env)
        && !p.is_empty()
    {
        return Ok(p);
    }
    let first = password("新密码（至少8个字符）：", env)?;
    let again = password("再输入一次：", env)?;
    if first != again {
        bail!("两次输入的密码不一致，未做任何改动");
    }
    Ok(first)
}

/// Who runs this command: `--as LOGIN` with a password, else the account bound to the OS user.
fn identify(store: &mut Store, as_login: Option<&str>) -> Result<Option<Session>> {
    if let Some(login) = as_login {
        let pw = password(&format!("{login} 的密码："), "MINSHI_PASSWORD")?;
        return match store.login(login, &pw, clock::now())? {
            Ok(session) => Ok(Some(session)),
            Err(e) => bail!("{e}"),
        };
    }
    Ok(store.session_for_os_user(&clock::os_user())?)
}

/// The 值班长 who confirms a print or 归档 with evidence missing: the one acting when it is
/// their own login (already proved), else that account with its own password.
fn confirmer(store: &mut Store, who: &Session, login: Option<&str>) -> Result<Option<Session>> {
    let Some(login) = login.map(str::trim) else {
        return Ok(None);
    };
    if login == who.login() {
        return Ok(Some(who.clone()));
    }
    let pw = password(
        &format!("确认人 {login} 的密码："),
        "MINSHI_CONFIRM_PASSWORD",
    )?;
    match store.login(login, &pw, clock::now())? {
        Ok(session) => Ok(Some(session)),
        Err(e) => bail!("确认人{login}：{e}"),
    }
}

/// As `identify`, for commands that write: someone must be named.
fn require(store: &mut Store, as_login: Option<&str>) -> Result<Session> {
    match identify(store, as_login)? {
        Some(s) => Ok(s),
        None => bail!(
            "不知道是谁在操作：请用 --as 登录名（密码从提示或环境变量 MINSHI_PASSWORD 读取），\
             或请管理员用 minshi user bind 登录名 --os-user {} 把本系统用户绑定到你的账号",
            clock::os_user()
        ),
    }
}

/// The town a list is limited to: a town or village center's account sees its own town.
fn scoped_town(who: &Option<Session>, asked: Option<String>) -> Result<Option<String>> {
    let own = match who.as_ref().map(Session::center) {
        Some(Center::Town(t)) | Some(Center::Village { town: t, .. }) => t.clone(),
        _ => return Ok(asked),
    };
    match asked {
        Some(t) if t != own => bail!("只能查看本中心（{own}）的案件"),
        _ => Ok(Some(own)),
    }
}

fn town_names(config: &crate::config::Config) -> Vec<String> {
    config.towns.iter().map(|t| t.name.clone()).collect()
}

/// A town, unit or category as typed: configured, or held by some case of the register (a
/// name since renamed); otherwise a usage error naming the choices or the closest ones.
fn known(
    store: &Store,
    held: Held,
    option: &str,
    typed: Option<String>,
    choices: &[String],
) -> Result<Option<String>> {
    let Some(typed) = typed else {
        return Ok(None);
    };
    let typed = typed.trim().to_string();
    if choices.contains(&typed) || store.holds(held, &typed)? {
        return Ok(Some(typed));
    }
    let what = match held {
        Held::Town => "乡镇",
        Held::Unit => "单位",
        Held::Category => "类别",
    };
    Err(choices::unknown(what, option, &typed, choices).into())
}

/// `list --status`: a state the listing can hold.
fn list_status(typed: &str, listing: Listing) -> Result<Status> {
    let allowed: Vec<Status> = Status::ALL
        .into_iter()
        .filter(|s| match listing {
            Listing::Open => s.is_open(),
            Listing::Closed => !s.is_open(),
            Listing::All => true,
        })
        .collect();
    match Status::from_label(typed) {
        Some(s) if allowed.contains(&s) => Ok(s),
        found => {
            let names: Vec<&str> = allowed.iter().map(Status::label).collect();
            let why = match (found, listing) {
                (Some(_), Listing::Open) => {
                    "在办案件没有这个状态（已结束的案件请加 --closed 或 --all）"
                }
                (Some(_), _) => "已结束的案件没有这个状态（在办案件请去掉 --closed）",
                (None, _) => "没有这个状态",
            };
            Err(UsageError(format!(
                "--status「{typed}」：{why}，可选：{}",
                names.join("、")
            ))
            .into())
        }
    }
}

/// Refuse to show a case outside the area of whoever asks.
fn in_scope(
    who: &Option<Session>,
    case: &crate::domain::Case,
    config: &crate::config::Config,
) -> Result<()> {
    if let Some(s) = who {
        crate::domain::authorize_case(
            s.account(),
            &case.case_no,
            &case.person.town,
            &case.person.village,
            case.unit.as_deref(),
            config,
        )?;
    }
    Ok(())
}

/// Whether full ID numbers and phones may be shown to whoever runs this command.
fn sees_personal_data(who: &Option<Session>) -> bool {
    who.as_ref().is_some_and(Session::sees_personal_data)
}

/// A case number as people type it; a plain serial (`2002`) is this year's.
fn parse_key(s: &str) -> Result<CaseKey> {
    let t = s.trim();
    if !t.is_empty() && t.len() <= 6 && t.chars().all(|c| c.is_ascii_digit()) {
        let seq: u32 = t
            .parse()
            .map_err(|_| anyhow::anyhow!("「{t}」不是案件编号"))?;
        if seq > 0 {
            return Ok(CaseKey {
                year: chrono::Datelike::year(&clock::today()),
                seq,
            });
        }
    }
    s.parse::<CaseKey>().map_err(anyhow::Error::msg)
}

fn parse_date(s: &str, what: &str) -> Result<NaiveDate> {
    // chrono's reason ("input is out of range") is English and adds nothing.
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| anyhow::anyhow!("{what}「{s}」不是有效日期，应为 YYYY-MM-DD，如 2026-03-05"))
}

/// The text of a `--json` argument: a file, or standard input for `-`; UTF-8 or refused.
fn read_json_text(json: &str) -> Result<String> {
    let bytes = if json == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("无法读取标准输入")?;
        bytes
    } else {
        std::fs::read(json).with_context(|| format!("无法读取文件 {json}"))?
    };
    String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "输入不是 UTF-8 编码的文字（第{}个字节起无法识别），请另存为 UTF-8 后重试",
            e.utf8_error().valid_up_to() + 1
        )
    })
}

/// `--month`: a month as `YYYY-MM`, or 本月 / 上月.
fn parse_month(s: &str, today: NaiveDate) -> Result<crate::domain::stats::Period> {
    let t = s.trim();
    let is_month = matches!(t, "本月" | "上月" | "this-month" | "last-month")
        || (t.len() == 7 && t.as_bytes()[4] == b'-');
    match crate::domain::stats::Period::named(t, today) {
        Ok(p) if is_month => Ok(p),
        _ => Err(UsageError(format!(
            "--month「{t}」不是月份：应为 YYYY-MM（如 2026-11），或 本月、上月"
        ))
        .into()),
    }
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
    let as_login = cli.as_login.as_deref();
    let Some(command) = cli.command else {
        return crate::tui_entry(&home);
    };
    match command {
        Command::Init { admin, admin_name } => init(&home, admin, admin_name)?,
        Command::User(command) => user(command, &home, as_login)?,
        Command::Digest { json } => {
            let store = home.open()?;
            match store.head()? {
                None => bail!("登记簿还没有任何记录，没有摘要"),
                Some(head) => {
                    if json {
                        output::print_json(&serde_json::json!({
                            "events": head.count,
                            "digest": head.digest(),
                        }))?;
                    } else {
                        println!("{}", head.digest());
                        eprintln!(
                            "（共{}条事件。请把这行摘要另外保存，日后用 minshi check --digest 证明此前的历史未被改动）",
                            head.count
                        );
                    }
                }
            }
        }
        Command::Register { json } => {
            let text = read_json_text(&json)?;
            let batch = parse_register_input(&text)?;
            let mut store = home.open()?;
            let who = require(&mut store, as_login)?;
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
            // Each year without a holiday table is mentioned once, however many cases it touches.
            let mut told = std::collections::BTreeSet::new();
            for input in &batch.inputs {
                let case = store.register(input, &who, clock::now())?;
                let config = store.config();
                let years: std::collections::BTreeSet<i32> = output::assumed_years(&case, config)
                    .difference(&told)
                    .copied()
                    .collect();
                if let Some(notice) = clerk_notice(&years) {
                    eprintln!("注意：{notice}");
                    told.extend(years);
                }
                let view = output::CaseView::new(&case, config, clock::today())
                    .masked(!who.sees_personal_data());
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
            all,
            closed,
            from,
            to,
            town,
            unit,
            category,
            status,
            limit,
            offset,
            json,
        } => {
            let mut store = home.open_read()?;
            let who = identify(&mut store, as_login)?;
            let full = sees_personal_data(&who);
            let listing = match (all, closed) {
                (true, _) => Listing::All,
                (_, true) => Listing::Closed,
                _ => Listing::Open,
            };
            if let (Some(f), Some(t)) = (from, to)
                && f > t
            {
                return Err(UsageError(format!("--from {f} 晚于 --to {t}：起止日期写反了")).into());
            }
            let config = store.config();
            let town = known(&store, Held::Town, "--town", town, &town_names(config))?;
            let town = scoped_town(&who, town)?;
            let unit = known(&store, Held::Unit, "--unit", unit, config.units())?;
            let categories: Vec<String> = config.categories().cloned().collect();
            let category = known(&store, Held::Category, "--category", category, &categories)?;
            let status = match status {
                None => None,
                Some(s) => Some(list_status(&s, listing)?),
            };
            let filter = ListFilter {
                listing,
                board: BoardFilter {
                    town,
                    unit,
                    category,
                    status,
                    overdue_only: overdue,
                },
                received_from: from,
                received_to: to,
            };
            let today = clock::today();
            let rows = store.list(&filter, today, offset, limit)?;
            let total = store.list_count(&filter, today)?;
            let what = match listing {
                Listing::Open => "在办",
                Listing::Closed => "已结束",
                Listing::All => "",
            };
            if json {
                let views: Vec<_> = rows
                    .iter()
                    .map(|r| output::RowView::new(r, config, today).masked(!full))
                    .collect();
                output::print_json(&views)?;
                eprintln!("{}", output::page_line(total, what, offset, rows.len()));
            } else if rows.is_empty() && total == 0 {
                println!("没有符合条件的{what}案件");
            } else {
                if !rows.is_empty() {
                    output::print_rows(&rows, config, today);
                }
                println!("{}", output::page_line(total, what, offset, rows.len()));
            }
        }
        Command::Show { key, json } => {
            let mut store = home.open_read()?;
            let who = identify(&mut store, as_login)?;
            let full = sees_personal_data(&who);
            let key = parse_key(&key)?;
            let case = store.case(key)?;
            in_scope(&who, &case, store.config())?;
            let events = store.timeline(key)?;
            let config = store.config();
            if json {
                let mut view = serde_json::to_value(
                    output::CaseView::new(&case, config, clock::today()).masked(!full),
                )?;
                view["timeline"] = serde_json::to_value(&events)?;
                let reports = store.reports_of_case(case.id)?;
                view["report"] = serde_json::to_value(
                    reports
                        .iter()
                        .find(|r| r.status == crate::domain::records::ReportStatus::Registered)
                        .map(|r| r.key),
                )?;
                view["reports"] = serde_json::to_value(&reports)?;
                output::print_json(&view)?;
            } else {
                output::print_case(&case, &events, config, clock::today());
            }
        }
        Command::Act(args) => {
            let mut store = home.open()?;
            let who = require(&mut store, as_login)?;
            let key = parse_key(&args.key)?;
            let confirmer = confirmer(&mut store, &who, args.confirmed_by.as_deref())?;
            let due_before = store.case(key).ok().map(|c| c.due_date);
            let (case, done) = match args.asked(store.config())? {
                act::Asked::Action(action) => (
                    store.act_confirmed(key, &action, &who, confirmer.as_ref(), clock::now())?,
                    action.kind().label().to_string(),
                ),
                act::Asked::Correct {
                    field,
                    value,
                    reason,
                } => (
                    store.correct(key, (&field, &value, &reason), &who, clock::now())?,
                    "更正".to_string(),
                ),
            };
            // A new deadline (延期, 重办) may fall in a year without a holiday table.
            if due_before != Some(case.due_date)
                && let Some(notice) = clerk_notice(&output::assumed_years(&case, store.config()))
            {
                eprintln!("注意：{notice}");
            }
            if args.json {
                output::print_json(
                    &output::CaseView::new(&case, store.config(), clock::today())
                        .masked(!who.sees_personal_data()),
                )?;
            } else {
                println!(
                    "{} {}：已{done}，当前状态「{}」，期限 {}",
                    case.case_no,
                    neutralize(&case.person.name, false),
                    case.status.label(),
                    case.due_date.format("%Y-%m-%d")
                );
            }
        }
        Command::Search {
            text,
            limit,
            offset,
            json,
        } => {
            let mut store = home.open_read()?;
            let who = identify(&mut store, as_login)?;
            let full = sees_personal_data(&who);
            // Only the cases of the asking account's center (the county's see every case).
            let center = who.as_ref().map_or(Center::County, |w| w.center().clone());
            let page = store
                .search_within(&text, &center, offset, limit)?
                .map_err(|e| UsageError(e.to_string()))?;
            let rows = &page.rows;
            let config = store.config();
            let today = clock::today();
            if json {
                let views: Vec<_> = rows
                    .iter()
                    .map(|r| output::RowView::new(r, config, today).masked(!full))
                    .collect();
                output::print_json(&views)?;
                eprintln!("{}", output::page_line(page.total, "", offset, rows.len()));
            } else {
                if page.total == 0 {
                    println!("没有找到包含「{}」的案件", neutralize(&text, false));
                } else {
                    if !rows.is_empty() {
                        output::print_rows(rows, config, today);
                    }
                    println!("{}", output::page_line(page.total, "", offset, rows.len()));
                }
                // Reports, visits and meetings, found as cases are (text output only: the
                // JSON stays an array of cases).
                if let Some(who) = &who
                    && offset == 0
                    && let Ok(hits) = store.search_records(&text, who, limit)?
                    && !hits.is_empty()
                {
                    println!("走访记录、民意报告单和沟通会：");
                    for hit in &hits {
                        println!("  {}", records::hit_line(hit));
                    }
                }
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
            let mut store = home.open_or_create()?;
            let accounts = demo::accounts(&mut store, clock::now())?;
            let started = std::time::Instant::now();
            let made = demo::generate(&mut store, cases, seed, clock::now(), &mut |done| {
                eprint!("\r已生成 {done} / {cases} 件");
            })?;
            eprintln!();
            println!(
                "已生成 {} 件演示案件，用时 {:.1} 秒",
                made.cases,
                started.elapsed().as_secs_f64()
            );
            let r = made.records;
            if r.visits + r.reports + r.meetings > 0 {
                println!(
                    "另有走访记录 {} 条、民意报告单 {} 份（待研判 {} 份）、民心沟通会 {} 次",
                    r.visits, r.reports, r.pending, r.meetings
                );
            }
            if !accounts.is_empty() {
                println!("演示账号（密码均为 {}）：", demo::DEMO_PASSWORD);
                for a in &accounts {
                    println!("  {:<10} {}  {}", a.login, a.real_name, a.role.label());
                }
                println!("在终端界面登录时输入登录名和密码；命令行用 --as 登录名。");
            }
        }
        Command::Check { json, digest, full } => {
            let store = home.open_read()?;
            let depth = if full {
                crate::store::Depth::Full
            } else {
                crate::store::Depth::Quick
            };
            let (problems, proven) = store.check_against(digest.as_deref(), depth)?;
            // Not a fault of the register: reported, and the exit code stays as it was.
            let missing = store
                .config()
                .calendar
                .missing_ahead(clock::today(), store.latest_open_due()?);
            let warnings: Vec<String> = admin_instruction(&missing).into_iter().collect();
            if json {
                let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
                output::print_json(&serde_json::json!({
                    "ok": list.is_empty() && proven != Some(false),
                    "problems": list,
                    "digest_proven": proven,
                    "warnings": warnings,
                }))?;
            } else {
                if problems.is_empty() {
                    println!("检查通过：数据库完整，编号连续，哈希链完好，案件与时间线一致");
                } else {
                    for p in &problems {
                        println!("问题：{}", neutralize(&p.to_string(), false));
                    }
                }
                match proven {
                    Some(true) => println!("摘要相符：到该摘要为止的历史未被改动"),
                    Some(false) => println!("摘要不符：到该摘要为止的历史已被改动"),
                    None => {}
                }
                for w in &warnings {
                    println!("提醒：{w}");
                }
            }
            if !problems.is_empty() || proven == Some(false) {
                return Ok(ExitCode::from(2));
            }
        }
        Command::Evidence(command) => return evidence(command, &home, as_login),
        Command::Print(command) => print(command, &home, as_login)?,
        Command::Stats(args) => stats::run_stats(args, &home, as_login)?,
        Command::Visit(cmd) => records::run_visit(cmd, &home, as_login)?,
        Command::Report(cmd) => records::run_report(cmd, &home, as_login)?,
        Command::Meeting(cmd) => records::run_meeting(cmd, &home, as_login)?,
        Command::Export(cmd) => stats::run_export(cmd, &home, as_login)?,
        Command::Backup { file } => {
            let mut store = home.open()?;
            let who = require(&mut store, as_login)?;
            crate::domain::authorize(who.account(), crate::domain::Op::Backup)?;
            let now = clock::now();
            let file = file.unwrap_or_else(|| crate::backup::default_path(&home, now));
            let made = crate::backup::make(&store, &home, &file, now)?;
            println!(
                "已备份到 {}（{} 件案件，{} 个证据文件，{} KB）",
                made.path.display(),
                made.manifest.cases,
                made.manifest.files.len() - 1,
                made.bytes.div_ceil(1024)
            );
            if !made.manifest.digest.is_empty() {
                println!("摘要：{}", made.manifest.digest);
            }
        }
        Command::Restore { file } => {
            // A register that still opens names who may replace it; a lost one can only be
            // restored by whoever can write its folder.
            if home.db_path().exists()
                && let Ok(mut store) = home.open()
            {
                let who = require(&mut store, as_login)?;
                crate::domain::authorize(who.account(), crate::domain::Op::Restore)?;
            }
            let restored = crate::backup::restore(&home, &file, clock::now())?;
            println!(
                "已从 {} 恢复登记簿（{} 件案件，备份于 {}），检查通过",
                file.display(),
                restored.manifest.cases,
                restored.manifest.created_at
            );
            if let Some(aside) = restored.kept_aside {
                println!("原有的数据库和证据文件已移到 {}", aside.display());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn evidence(command: EvidenceCommand, home: &Home, as_login: Option<&str>) -> Result<ExitCode> {
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
            let who = require(&mut store, as_login)?;
            let key = parse_key(&key)?;
            let Some(kind) = EvidenceKind::from_label(&kind) else {
                let all: Vec<&str> = EvidenceKind::ALL.iter().map(EvidenceKind::label).collect();
                bail!("证据类型「{kind}」不对，应为：{}", all.join("、"));
            };
            let what = crate::attaching::Attach {
                file: &file,
                kind,
                title: title.as_deref().unwrap_or(""),
                pages,
            };
            let attached =
                crate::attaching::attach(&mut store, home, key, &what, &who, clock::now())?;
            if json {
                output::print_json(&attached.evidence)?;
            } else {
                println!("{}", attached.message());
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

fn print(command: PrintCommand, home: &Home, as_login: Option<&str>) -> Result<()> {
    use crate::printing;
    let mut store = home.open()?;
    let who = require(&mut store, as_login)?;
    let user = &who;
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
        PrintCommand::Form {
            key,
            annex,
            confirmed_by,
            target,
        } => {
            let confirmer = confirmer(&mut store, user, confirmed_by.as_deref())?;
            let p = printing::form(
                &mut store,
                home,
                parse_key(&key)?,
                (annex, target.output.as_deref()),
                user,
                confirmer.as_ref(),
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
        PrintCommand::Report { key, blank, target } => {
            let out = target.output.as_deref();
            let p = match key {
                Some(key) if !blank => {
                    let key = records::record_key(&key)?;
                    printing::report_form(&mut store, home, key, out, user, now)?
                }
                _ => printing::blank_report_form(&store, home, out, now)?,
            };
            (p, target)
        }
        PrintCommand::Minutes { key, target } => {
            let key = records::record_key(&key)?;
            let p = printing::minutes(&mut store, home, key, target.output.as_deref(), user, now)?;
            (p, target)
        }
        PrintCommand::Notice { key, target } => {
            let key = records::record_key(&key)?;
            let p = printing::notice(&mut store, home, key, target.output.as_deref(), user, now)?;
            (p, target)
        }
        PrintCommand::Notebook {
            cadre,
            from,
            to,
            target,
        } => {
            let period = (parse_date(&from, "起始日期")?, parse_date(&to, "截止日期")?);
            let out = target.output.as_deref();
            let p = printing::notebook(&mut store, home, &cadre, period, out, user, now)?;
            (p, target)
        }
        PrintCommand::Monthly { month, target } => {
            let month = parse_month(&month, now.date_naive())?;
            let p = printing::monthly(&store, home, month, target.output.as_deref(), user, now)?;
            (p, target)
        }
        PrintCommand::Board {
            town,
            unit,
            overdue,
            target,
        } => {
            let config = store.config();
            let town = known(&store, Held::Town, "--town", town, &town_names(config))?;
            let town = scoped_town(&Some(user.clone()), town)?;
            let unit = known(&store, Held::Unit, "--unit", unit, config.units())?;
            let filter = BoardFilter {
                town,
                unit,
                overdue_only: overdue,
                ..BoardFilter::default()
            };
            let p = printing::board(&store, home, &filter, target.output.as_deref(), user, now)?;
            (p, target)
        }
        PrintCommand::Urge {
            unit,
            reply_by,
            note,
            target,
        } => {
            let units = store.config().units().to_vec();
            let unit = known(&store, Held::Unit, "--unit", Some(unit), &units)?.unwrap_or_default();
            let reply_by = reply_by.map(|d| parse_date(&d, "回复期限")).transpose()?;
            let (p, notice) = printing::urge(
                &mut store,
                home,
                &unit,
                (reply_by, note.as_deref().unwrap_or("")),
                target.output.as_deref(),
                user,
                now,
            )?;
            println!(
                "督办通知单 {}：{}，超期未办结案件{}件，回复期限{}；已记入各案件的办理过程",
                notice.number,
                neutralize(&notice.unit, false),
                notice.cases.len(),
                notice.reply_by.format("%Y-%m-%d")
            );
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

/// `minshi init`: the home, the register and its first 管理员, bound to the OS user running it.
fn init(home: &Home, admin: Option<String>, admin_name: Option<String>) -> Result<()> {
    let mut store = home.open_or_create()?;
    println!("主目录：{}", home.root().display());
    println!("数据库：{}", store.path().display());
    println!("中心：{}", store.config().center.name);
    if store.has_accounts()? {
        println!("登记簿已有账号，未做改动（新建账号请用 minshi user add）");
        return Ok(());
    }
    let os_user = clock::os_user();
    let login = admin.unwrap_or_else(|| os_user.clone());
    crate::domain::check_login(&login)
        .map_err(|e| anyhow::anyhow!("{e}；请用 --admin 指定登录名"))?;
    let real_name = match admin_name {
        Some(n) => n,
        None => {
            use std::io::IsTerminal;
            if !std::io::stdin().is_terminal() {
                bail!("请用 --admin-name 写明管理员的真实姓名（打印在文书上）");
            }
            eprint!("管理员的真实姓名：");
            let mut line = String::new();
            std::io::stdin().read_line(&mut line)?;
            line.trim().to_string()
        }
    };
    let pw = new_password("MINSHI_PASSWORD")?;
    let account = store.add_account(
        &NewAccount {
            login: login.clone(),
            real_name,
            role: Role::Admin,
            center: Center::County,
            os_user: Some(os_user.clone()),
        },
        &pw,
        None,
        clock::now(),
    )?;
    println!(
        "已建立管理员账号 {}（{}），绑定系统用户 {os_user}",
        account.login, account.real_name
    );
    println!("下一步：用 minshi user add 为受理员、值班长建立账号");
    Ok(())
}

fn user(command: UserCommand, home: &Home, as_login: Option<&str>) -> Result<()> {
    let mut store = home.open()?;
    let now = clock::now();
    match command {
        UserCommand::List { json } => {
            let who = require(&mut store, as_login)?;
            crate::domain::authorize(who.account(), crate::domain::Op::ManageAccounts)?;
            let list = store.accounts()?;
            if json {
                output::print_json(&list)?;
            } else {
                let config = store.config();
                for a in &list {
                    println!(
                        "{}  {}  {}  {}  {}{}",
                        output::pad(&a.login, 12),
                        output::pad(&a.real_name, 8),
                        output::pad(a.role.label(), 6),
                        output::pad(&a.center.label(config), 20),
                        if a.active { "在用" } else { "停用" },
                        a.os_user
                            .as_ref()
                            .map(|u| format!("  系统用户 {u}"))
                            .unwrap_or_default()
                    );
                }
            }
        }
        UserCommand::Add {
            login,
            name,
            role,
            center,
            os_user,
        } => {
            let who = require(&mut store, as_login)?;
            crate::domain::authorize(who.account(), crate::domain::Op::ManageAccounts)?;
            let Some(role) = Role::parse(&role) else {
                bail!("角色「{role}」不对，应为：受理员、值班长、管理员、网格员（驻村干部）");
            };
            let center = Center::parse(&center, store.config()).map_err(anyhow::Error::msg)?;
            crate::domain::check_login(&login).map_err(anyhow::Error::msg)?;
            let pw = new_password("MINSHI_NEW_PASSWORD")?;
            let a = store.add_account(
                &NewAccount {
                    login,
                    real_name: name,
                    role,
                    center,
                    os_user,
                },
                &pw,
                Some(&who),
                now,
            )?;
            println!(
                "已建立账号 {}（{}，{}，{}）",
                a.login,
                a.real_name,
                a.role.label(),
                a.center.label(store.config())
            );
        }
        UserCommand::Passwd { login } => {
            let who = require(&mut store, as_login)?;
            let pw = new_password("MINSHI_NEW_PASSWORD")?;
            let a = store.set_password(&login, &pw, &who, now)?;
            println!("已修改 {} 的密码", a.login);
        }
        UserCommand::Disable { login } => {
            let who = require(&mut store, as_login)?;
            let a = store.disable_account(&login, &who, now)?;
            println!("已停用账号 {}（{}）", a.login, a.real_name);
        }
        UserCommand::Bind { login, os_user } => {
            let who = require(&mut store, as_login)?;
            let a = store.bind_os_user(&login, &os_user, &who, now)?;
            println!(
                "已把系统用户 {os_user} 绑定到账号 {}（{}）",
                a.login, a.real_name
            );
        }
    }
    Ok(())
}

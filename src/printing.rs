//! Paper from the register, for every front end: load what a document needs, make it with
//! `print`, record the print on the timeline, write the PDF under `printouts/` (or where asked)
//! and, if asked, hand it to the system's `lp`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};

use crate::domain::records::RecordKey;
use crate::domain::stats::{Dim, Figures, Period, UNROUTED, month_end, overdue_reference};
use crate::domain::{
    CaseKey, Center, EventKind, EvidenceKind, IdNumber, Op, Phone, Session, authorize,
    authorize_notebook,
};
use crate::evidence_files;
use crate::home::Home;
use crate::print::{
    self, AnnexImage, FormInput, ImageFormat, NotebookInput, PersonalData, SlipLayout,
};
use crate::store::{
    BoardFilter, FormPrint, PrintFormError, RecordPaper, Store, UrgeError, UrgeNotice, VisitFilter,
};

/// A document written to disk, with what the clerk should know about it.
#[derive(Debug, Clone)]
pub struct Printed {
    pub path: PathBuf,
    pub bytes: usize,
    /// For a 办理书: its number and how often it has been printed (`None` for a draft).
    pub form: Option<FormPrint>,
    /// Things to tell the clerk (a draft, missing evidence, evidence files that are not images).
    pub warnings: Vec<String>,
}

/// Write atomically, so a half-written PDF never sits where a printer spooler might take it.
/// Owner-only wherever it goes: paper carries names, addresses and phones.
fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::owner_only::create_dir_all(dir)
            .with_context(|| format!("无法创建目录 {}", dir.display()))?;
    }
    let tmp = path.with_extension("pdf.partial");
    crate::owner_only::create_fresh(&tmp)
        .and_then(|mut f| std::io::Write::write_all(&mut f, bytes))
        .with_context(|| format!("无法写入 {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("无法写入 {}", path.display()))?;
    Ok(())
}

fn target(home: &Home, out: Option<&Path>, name: String) -> PathBuf {
    out.map(Path::to_path_buf)
        .unwrap_or_else(|| home.printouts_dir().join(name))
}

/// The 受理回执 of a case.
pub fn slip(
    store: &mut Store,
    home: &Home,
    key: CaseKey,
    layout: SlipLayout,
    out: Option<&Path>,
    who: &Session,
    now: DateTime<FixedOffset>,
) -> Result<Printed> {
    let case = store.case(key)?;
    // A slip printed before a 更正 carries the old text: a new one says it replaces it.
    let events = store.timeline(key)?;
    let first_slip = events.iter().find(|e| e.kind == EventKind::PrintSlip);
    let supersedes = first_slip.is_some_and(|first| {
        events
            .iter()
            .any(|e| e.kind == EventKind::Correct && e.at >= first.at)
    });
    let bytes = print::slip_pdf_superseding(&case, store.config(), layout, supersedes)?;
    let suffix = match layout {
        SlipLayout::A5 => "",
        SlipLayout::Roll80mm => "-80mm",
    };
    let path = target(home, out, format!("slip-{key}{suffix}.pdf"));
    write(&path, &bytes)?;
    store.record_slip_print(key, who, now)?;
    Ok(Printed {
        path,
        bytes: bytes.len(),
        form: None,
        warnings: Vec::new(),
    })
}

fn image_format(bytes: &[u8]) -> Option<ImageFormat> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(ImageFormat::Jpeg)
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G']) {
        Some(ImageFormat::Png)
    } else {
        None
    }
}

/// The 民事办理书 of a case. While the case is open it prints as a draft (草稿, no number, not
/// recorded); the first print after handling ended takes the number, every later one is 补打.
pub fn form(
    store: &mut Store,
    home: &Home,
    key: CaseKey,
    (annex, out): (bool, Option<&Path>),
    who: &Session,
    confirmer: Option<&Session>,
    now: DateTime<FixedOffset>,
) -> Result<Printed> {
    let case = store.case(key)?;
    let events = store.timeline(key)?;
    let evidence = store.evidence(key)?;
    let mut warnings = Vec::new();
    let draft = case.status.is_open();
    if draft {
        warnings.push(format!(
            "案件{}，打印的是草稿（未编号，不计入办理书编号）；办结后再打印正式的民事办理书",
            case.status.label()
        ));
    }
    let missing = print::missing_evidence(&case, &evidence, &events);
    if !missing.is_empty() {
        let names: Vec<&str> = missing.iter().map(EvidenceKind::label).collect();
        let confirmed = match (draft, confirmer) {
            (false, Some(c)) => format!("，经{}确认打印", c.real_name()),
            _ => String::new(),
        };
        warnings.push(format!(
            "该案件缺少证据：{}{confirmed}（补充证据后可补打）",
            names.join("、")
        ));
    }
    let mut images = Vec::new();
    let mut separate = Vec::new();
    if annex {
        for e in &evidence {
            let bytes =
                evidence_files::read(&home.evidence_dir(), &e.sha256).with_context(|| {
                    format!(
                        "证据{}「{}」的文件不在主目录中（可运行 minshi evidence verify 检查）",
                        e.seq, e.title
                    )
                })?;
            match image_format(&bytes) {
                Some(format) => images.push(AnnexImage {
                    evidence_seq: e.seq,
                    title: e.title.clone(),
                    bytes,
                    format,
                }),
                None => {
                    let what = if bytes.starts_with(b"%PDF") {
                        "是 PDF 文件"
                    } else {
                        "不是 JPEG 或 PNG 图片"
                    };
                    warnings.push(format!(
                        "证据{}「{}」{what}，不能作为附件页打印：证据清单中已注明「附件另附」，请另行打印后附在办理书后",
                        e.seq, e.title
                    ));
                    separate.push(e.seq);
                }
            }
        }
    }
    let config = store.config_arc();
    let input = |form_no: String, print_count: u32, supersedes: bool| FormInput {
        case: &case,
        events: &events,
        evidence: &evidence,
        form_no,
        print_count,
        draft,
        printed_at: now,
        config: &config,
        annex: &images,
        attached_separately: &separate,
        supersedes,
    };
    if draft {
        // Nothing is recorded and no number issued: the number belongs to the final copy.
        let bytes = print::form_pdf(&input(String::new(), 0, false))?;
        let path = target(home, out, format!("form-{key}-draft.pdf"));
        write(&path, &bytes)?;
        return Ok(Printed {
            path,
            bytes: bytes.len(),
            form: None,
            warnings,
        });
    }
    let result = store.print_form_confirmed(key, who, confirmer, now, |number| {
        // A 更正 after the first print makes the copies handed out before out of date.
        let corrected = events
            .iter()
            .any(|e| e.kind == EventKind::Correct && e.at >= number.first_printed_at);
        print::form_pdf(&input(
            number.form_no.clone(),
            number.print_count,
            corrected,
        ))
    });
    let (number, bytes) = match result {
        Ok(done) => done,
        Err(PrintFormError::Store(e)) => return Err(e.into()),
        Err(PrintFormError::Render(e)) => return Err(e.into()),
    };
    let name = if number.is_reprint() {
        format!("form-{key}-{}.pdf", number.print_count)
    } else {
        format!("form-{key}.pdf")
    };
    let path = target(home, out, name);
    write(&path, &bytes)?;
    Ok(Printed {
        path,
        bytes: bytes.len(),
        form: Some(number),
        warnings,
    })
}

/// The 民声登记簿 of every case received in a period.
pub fn register(
    store: &Store,
    home: &Home,
    from: NaiveDate,
    to: NaiveDate,
    out: Option<&Path>,
    now: DateTime<FixedOffset>,
) -> Result<Printed> {
    if from > to {
        bail!("起始日期 {from} 晚于截止日期 {to}");
    }
    let cases = store.received_between(from, to)?;
    let bytes = print::register_pdf(&cases, from, to, store.config(), now)?;
    let name = format!(
        "register-{}-{}.pdf",
        from.format("%Y%m%d"),
        to.format("%Y%m%d")
    );
    let path = target(home, out, name);
    write(&path, &bytes)?;
    Ok(Printed {
        path,
        bytes: bytes.len(),
        form: None,
        warnings: Vec::new(),
    })
}

/// The 月度统计报表 of a month, over the area of `who`'s center (值班长 and 管理员).
pub fn monthly(
    store: &Store,
    home: &Home,
    month: Period,
    out: Option<&Path>,
    who: &Session,
    now: DateTime<FixedOffset>,
) -> Result<Printed> {
    let today = now.date_naive();
    if month.from > today {
        bail!(
            "{}年{}月还没有开始，不能打印它的月度统计报表",
            month.from.year(),
            month.from.month()
        );
    }
    let config = store.config();
    let this = store.statistics(who, month, Dim::Town, today)?;
    let categories = store.statistics(who, month, Dim::Category, today)?;
    let before = month_of(month.from.pred_opt().unwrap_or(month.from));
    let previous = store.statistics(who, before, Dim::Town, today)?.total;
    let last_year = month_of(
        month
            .from
            .with_year(month.from.year() - 1)
            .unwrap_or(month.from),
    );
    let year_ago = store.statistics(who, last_year, Dim::Town, today)?.total;
    // The county's report lists every town, in the configured order, whether or not it had
    // cases this month; a town's lists what it has.
    let by_town: Vec<(String, Figures)> = match who.center() {
        Center::County => {
            let mut rows: Vec<(String, Figures)> = config
                .towns
                .iter()
                .map(|t| {
                    let f = this
                        .rows
                        .iter()
                        .find(|(n, _)| *n == t.name)
                        .map_or_else(Figures::default, |(_, f)| *f);
                    (t.name.clone(), f)
                })
                .collect();
            rows.extend(
                this.rows
                    .iter()
                    .filter(|(n, _)| config.town(n).is_none())
                    .map(|(n, f)| {
                        let name = if n.trim().is_empty() {
                            "未填乡镇"
                        } else {
                            n
                        };
                        (name.to_string(), *f)
                    }),
            );
            rows
        }
        _ => this.rows.clone(),
    };
    let reference = overdue_reference(&month, today);
    let overdue_units: Vec<print::OverdueUnit> = store
        .overdue_by_unit(&this.filter, reference)?
        .into_iter()
        .map(|(unit, cases, oldest_due)| print::OverdueUnit {
            unit: unit.unwrap_or_else(|| UNROUTED.to_string()),
            cases,
            oldest_due,
        })
        .collect();
    let area = match who.center() {
        Center::County => "全县".to_string(),
        Center::Town(t) => t.clone(),
        Center::Village { town, village } => format!("{town}{village}"),
    };
    let bytes = print::monthly_pdf(&print::MonthlyInput {
        month,
        area,
        reference,
        total: this.total,
        previous,
        year_ago,
        by_town: &by_town,
        by_category: &categories.rows,
        overdue_units: &overdue_units,
        config,
        printed_at: now,
    })?;
    let name = format!("monthly-{}.pdf", month.from.format("%Y%m"));
    let path = target(home, out, name);
    write(&path, &bytes)?;
    Ok(Printed {
        path,
        bytes: bytes.len(),
        form: None,
        warnings: Vec::new(),
    })
}

/// The whole month of `d`.
fn month_of(d: NaiveDate) -> Period {
    let from = d.with_day(1).unwrap_or(d);
    Period {
        from,
        to: month_end(from),
    }
}

/// The deadline board on paper: every open case the filter shows, most overdue first.
pub fn board(
    store: &Store,
    home: &Home,
    filter: &BoardFilter,
    out: Option<&Path>,
    who: &Session,
    now: DateTime<FixedOffset>,
) -> Result<Printed> {
    authorize(who.account(), Op::Print)?;
    let today = now.date_naive();
    let count = store.board_count(filter, today)?;
    let rows = store.board(filter, today, 0, count as usize)?;
    let bytes = print::board_pdf(&print::BoardInput {
        rows: &rows,
        filter: filter.describe(),
        config: store.config(),
        printed_at: now,
    })?;
    let path = target(home, out, format!("board-{}.pdf", today.format("%Y%m%d")));
    write(&path, &bytes)?;
    Ok(Printed {
        path,
        bytes: bytes.len(),
        form: None,
        warnings: Vec::new(),
    })
}

/// The day a unit must answer a 督办通知单 by, unless the supervisor says otherwise: three
/// working days after today, by the holiday calendar.
pub fn default_reply_by(store: &Store, today: NaiveDate) -> NaiveDate {
    store.config().calendar.add_working_days(today, 3)
}

/// A 督办通知单 to `unit` listing its overdue open cases: the notice takes the next number of
/// its series, and a 督办 with that number goes on every listed case's timeline — all in one
/// transaction with writing the file, so a number is never taken without its paper.
pub fn urge(
    store: &mut Store,
    home: &Home,
    unit: &str,
    (reply_by, note): (Option<NaiveDate>, &str),
    out: Option<&Path>,
    who: &Session,
    now: DateTime<FixedOffset>,
) -> Result<(Printed, UrgeNotice)> {
    let today = now.date_naive();
    let reply_by = reply_by.unwrap_or_else(|| default_reply_by(store, today));
    let warnings: Vec<String> =
        crate::calendar::clerk_notice(&store.config().calendar.missing_between(today, reply_by))
            .into_iter()
            .collect();
    let config = store.config_arc();
    let issuer = who.real_name().to_string();
    let mut written: Option<PathBuf> = None;
    let result = store.issue_urge(unit, (reply_by, note), who, now, |notice| {
        let cases: Vec<print::UrgedCase> = notice
            .cases
            .iter()
            .map(|r| print::UrgedCase {
                case_no: r.case_no.clone(),
                received: r.received_at.date_naive(),
                name: r.name.clone(),
                town: r.town.clone(),
                village: r.village.clone(),
                category: r.category.clone(),
                request: r.request.clone(),
                due_date: r.due_date,
                days_overdue: (today - r.due_date).num_days(),
            })
            .collect();
        let bytes = print::urge_pdf(&print::UrgeInput {
            number: &notice.number,
            unit: &notice.unit,
            cases: &cases,
            reply_by: notice.reply_by,
            note,
            issuer: &issuer,
            config: &config,
            issued_at: now,
        })?;
        let name = format!("urge-{}-{}.pdf", notice.year, notice.seq);
        let path = target(home, out, name);
        write(&path, &bytes)?;
        written = Some(path.clone());
        Ok::<_, anyhow::Error>((path, bytes.len()))
    });
    if let (Err(UrgeError::Store(_)), Some(path)) = (&result, &written) {
        // The paper was written but the notice was not recorded: it must not go out.
        let _ = std::fs::remove_file(path);
    }
    match result {
        Ok((notice, (path, bytes))) => Ok((
            Printed {
                path,
                bytes,
                form: None,
                warnings,
            },
            notice,
        )),
        Err(UrgeError::Store(e)) => Err(e.into()),
        Err(UrgeError::Render(e)) => Err(e),
    }
}

/// A document of 一本、一单、一会 written to its file.
fn written(home: &Home, out: Option<&Path>, name: String, bytes: &[u8]) -> Result<Printed> {
    let path = target(home, out, name);
    write(&path, bytes)?;
    Ok(Printed {
        path,
        bytes: bytes.len(),
        form: None,
        warnings: Vec::new(),
    })
}

/// How much personal data the paper printed for `who` may carry, as on the screen and in JSON.
fn personal_data(who: &Session) -> PersonalData {
    if who.sees_personal_data() {
        PersonalData::Full
    } else {
        PersonalData::Masked
    }
}

/// A filled 民意报告单, as far as `who` may see it (ID numbers and phones in full only for
/// the roles that see personal data).
pub fn report_form(
    store: &mut Store,
    home: &Home,
    key: RecordKey,
    out: Option<&Path>,
    who: &Session,
    now: DateTime<FixedOffset>,
) -> Result<Printed> {
    let report = store.report(key, who)?;
    let bytes = print::report_pdf(&report, personal_data(who), store.config(), now)?;
    let printed = written(home, out, format!("report-{key}.pdf"), &bytes)?;
    store.record_print(&RecordPaper::Report(key), who, now)?;
    Ok(printed)
}

/// The blank 民意报告单 cadres fill in by hand.
pub fn blank_report_form(
    store: &Store,
    home: &Home,
    out: Option<&Path>,
    now: DateTime<FixedOffset>,
) -> Result<Printed> {
    let bytes = print::blank_report_pdf(store.config(), now)?;
    written(home, out, "report-blank.pdf".into(), &bytes)
}

/// The 会议记录 of a 民心沟通会, with its sign-in sheet.
pub fn minutes(
    store: &mut Store,
    home: &Home,
    key: RecordKey,
    out: Option<&Path>,
    who: &Session,
    now: DateTime<FixedOffset>,
) -> Result<Printed> {
    let meeting = store.meeting(key, who)?;
    let bytes = print::minutes_pdf(&meeting, store.config(), now)?;
    let printed = written(home, out, format!("minutes-{key}.pdf"), &bytes)?;
    store.record_print(&RecordPaper::Minutes(key), who, now)?;
    Ok(printed)
}

/// The 情况通报 of a 民心沟通会 for the notice board. Everyone the meeting's record names —
/// the parties of the cases fed back (with their representatives and the people on the report
/// forms behind them), the representatives, the speakers, chair and recorder — is collected
/// here, with their phones, ID numbers and house addresses, so that the notice can keep every
/// one of them off the board even where a clerk wrote them into the outcome as told.
pub fn notice(
    store: &mut Store,
    home: &Home,
    key: RecordKey,
    out: Option<&Path>,
    who: &Session,
    now: DateTime<FixedOffset>,
) -> Result<Printed> {
    let meeting = store.meeting(key, who)?;
    let mut names: Vec<String> = Vec::new();
    let mut private: Vec<String> = Vec::new();
    names.extend(meeting.representatives.iter().cloned());
    names.extend(meeting.opinions.iter().map(|o| o.speaker.clone()));
    names.push(meeting.chair.clone());
    names.push(meeting.recorder.clone());
    let mut person = |name: &str, phone: Option<&Phone>, id: Option<&IdNumber>, address: &str| {
        names.extend(name.split(['、', '，', ',', ' ']).map(str::to_string));
        private.extend(phone.map(|p| p.as_str().to_string()));
        private.extend(id.map(|i| i.as_str().to_string()));
        // An address without a number names a village, not a house.
        if address.chars().any(|c| c.is_ascii_digit()) {
            private.push(address.to_string());
        }
    };
    for f in &meeting.feedback {
        let case = store.case(f.case)?;
        let p = &case.person;
        person(&p.name, p.phone.as_ref(), p.id_number.as_ref(), &p.address);
        for r in &case.representatives {
            person(r, None, None, "");
        }
        for brief in store.reports_of_case(case.id)? {
            // A report outside this account's view adds nothing it could print.
            if let Ok(r) = store.report(brief.key, who) {
                person(&r.name, r.phone.as_ref(), r.id_number.as_ref(), &r.address);
                person(&r.reporter, r.reporter_phone.as_ref(), None, "");
            }
        }
    }
    let bytes = print::notice_pdf(&print::NoticeInput {
        meeting: &meeting,
        config: store.config(),
        printed_at: now,
        names: &names,
        private: &private,
    })?;
    let printed = written(home, out, format!("notice-{key}.pdf"), &bytes)?;
    store.record_print(&RecordPaper::Notice(key), who, now)?;
    Ok(printed)
}

/// The 民情笔记本 of the account `login` for a period: their own for anyone, anyone's of their
/// area for a 值班长 or 管理员.
pub fn notebook(
    store: &mut Store,
    home: &Home,
    login: &str,
    (from, to): (NaiveDate, NaiveDate),
    out: Option<&Path>,
    who: &Session,
    now: DateTime<FixedOffset>,
) -> Result<Printed> {
    if from > to {
        bail!("起始日期 {from} 晚于截止日期 {to}");
    }
    let Some(visitor) = store.account(login)? else {
        bail!("没有登录名为「{login}」的账号（可用 minshi user list 查看）");
    };
    authorize_notebook(who.account(), &visitor, store.config())?;
    let visits = store.visits(
        &VisitFilter {
            cadre: Some(visitor.login.clone()),
            from: Some(from),
            to: Some(to),
            ..VisitFilter::default()
        },
        who,
    )?;
    let center = visitor.center.label(store.config());
    let bytes = print::notebook_pdf(&NotebookInput {
        cadre_name: &visitor.real_name,
        center: &center,
        from,
        to,
        visits: &visits,
        personal: personal_data(who),
        config: store.config(),
        printed_at: now,
    })?;
    let name = format!(
        "notebook-{}-{}-{}.pdf",
        visitor.login,
        from.format("%Y%m%d"),
        to.format("%Y%m%d")
    );
    let printed = written(home, out, name, &bytes)?;
    let paper = RecordPaper::Notebook {
        cadre: visitor.login.clone(),
        cadre_name: visitor.real_name.clone(),
        from,
        to,
        visits: visits.len(),
    };
    store.record_print(&paper, who, now)?;
    Ok(printed)
}

/// Send a PDF to the system's printer with `lp` (CUPS). Returns what `lp` said (the job id).
pub fn send_to_lp(path: &Path, printer: Option<&str>) -> Result<String> {
    let mut cmd = Command::new("lp");
    if let Some(p) = printer.filter(|p| !p.trim().is_empty()) {
        cmd.arg("-d").arg(p);
    }
    let out = cmd.arg(path).output().map_err(|e| {
        anyhow::anyhow!(
            "无法调用 lp（{e}）：本机可能没有安装 CUPS 打印系统。文件已保存在 {}，可拷走打印",
            path.display()
        )
    })?;
    if !out.status.success() {
        bail!(
            "打印机拒绝了打印任务：{}。文件已保存在 {}",
            String::from_utf8_lossy(&out.stderr).trim(),
            path.display()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

//! Paper from the screens: the 受理回执 and the 民事办理书 of a case, the 督办通知单 to a late
//! unit, and the papers of 一本、一单、一会 (民意报告单 filled or blank, 会议记录, 公示, 民情笔记本),
//! written under the home's `printouts/` through `printing` — which checks and records each
//! print as the command line does — and handed to the system's `lp` when there is one. The
//! status line says exactly what happened: where the file is, whether a printer took it, the
//! number issued, and what the paper lacks.

use std::path::Path;

use super::ctx::Ctx;
use crate::domain::CaseKey;
use crate::domain::records::RecordKey;
use crate::domain::stats::Period;
use crate::print::SlipLayout;
use crate::printing::{self, Printed};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    Slip,
    /// The 民事办理书, with image evidence appended as pages or not.
    Form {
        annex: bool,
    },
}

impl Paper {
    fn label(&self) -> &'static str {
        match self {
            Paper::Slip => "受理回执",
            Paper::Form { annex: false } => "民事办理书",
            Paper::Form { annex: true } => "民事办理书（附图片证据）",
        }
    }
}

/// Whether an executable `lp` is on the PATH: without one there is nothing to send to, which is
/// not an error but a counter without CUPS.
fn lp_on_path() -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::env::var_os("PATH").is_some_and(|paths| {
        std::env::split_paths(&paths).any(|dir| {
            std::fs::metadata(dir.join("lp"))
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
    })
}

/// The path as the clerk finds it: relative to the home folder when it is inside.
pub(super) fn shown(path: &Path, home: &Path) -> String {
    path.strip_prefix(home)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Make `paper` for the case, send it to the printer, and tell the clerk: where the file is, and
/// every warning of the print (a 办理书 draft of an open case, missing evidence, evidence files
/// attached separately). True when the paper was made (a slip or a numbered 办理书 also adds a
/// timeline entry; a draft does not).
pub fn print(ctx: &mut Ctx, key: CaseKey, paper: Paper) -> bool {
    print_confirmed(ctx, key, paper, None) == Printing::Made
}

/// How a print went.
#[derive(Debug, Clone, PartialEq)]
pub enum Printing {
    Made,
    /// The final 办理书 lacks required evidence (named): a 值班长 must confirm.
    NeedsConfirmation(String),
    Failed,
}

/// As `print`, with a 值班长's confirmation for a 办理书 whose required evidence is missing.
pub fn print_confirmed(
    ctx: &mut Ctx,
    key: CaseKey,
    paper: Paper,
    confirmer: Option<&crate::domain::Session>,
) -> Printing {
    let now = ctx.clock.now();
    let made = match paper {
        Paper::Slip => printing::slip(
            ctx.store,
            ctx.home,
            key,
            SlipLayout::A5,
            None,
            ctx.user,
            now,
        ),
        Paper::Form { annex } => printing::form(
            ctx.store,
            ctx.home,
            key,
            (annex, None),
            ctx.user,
            confirmer,
            now,
        ),
    };
    match made {
        Ok(printed) => {
            let sent = send(&printed);
            let (msg, warn) = message(&printed, paper, ctx.home.root(), sent, lp_on_path());
            say(ctx, msg, warn);
            Printing::Made
        }
        Err(e) => {
            if let Some(crate::store::StoreError::NeedsConfirmation(missing)) = e.downcast_ref() {
                let words: Vec<&str> = missing.iter().map(|k| k.label()).collect();
                return Printing::NeedsConfirmation(words.join("、"));
            }
            ctx.error(format!("未能打印{}：{e:#}", paper.label()));
            Printing::Failed
        }
    }
}

/// A 督办通知单 to `unit` from the board: numbered, recorded on each listed case and sent to
/// the printer like the other papers; the status line names the number and what it lists.
/// True when the notice was issued.
pub fn print_urge(ctx: &mut Ctx, unit: &str) -> bool {
    let now = ctx.clock.now();
    match printing::urge(ctx.store, ctx.home, unit, (None, ""), None, ctx.user, now) {
        Ok((printed, notice)) => {
            let sent = send(&printed);
            let head = format!(
                "督办通知单 {}（{}，超期案件{}件，回复期限{}，已记入各案件）：",
                notice.number,
                notice.unit,
                notice.cases.len(),
                notice.reply_by.format("%Y-%m-%d")
            );
            let (msg, warn) = told(head, &printed, ctx.home.root(), sent, lp_on_path());
            say(ctx, msg, warn);
            true
        }
        Err(e) => {
            ctx.error(format!("未能督办{unit}：{e:#}"));
            false
        }
    }
}

/// A filled 民意报告单 (A5), as far as this account may see it; the print is counted on it.
pub fn print_report(ctx: &mut Ctx, key: RecordKey) -> bool {
    let now = ctx.clock.now();
    let made = printing::report_form(ctx.store, ctx.home, key, None, ctx.user, now);
    let no = ctx.config.report_number(key.year, key.seq);
    deliver(ctx, format!("民意报告单 {no}"), made)
}

/// A blank 民意报告单 for cadres to fill in by hand in the field (nothing recorded).
pub fn print_blank_report(ctx: &mut Ctx) -> bool {
    let made = printing::blank_report_form(ctx.store, ctx.home, None, ctx.clock.now());
    deliver(ctx, "空白民意报告单".to_string(), made)
}

/// The 会议记录 of a 民心沟通会, with its sign-in sheet; the print is counted on the meeting.
pub fn print_minutes(ctx: &mut Ctx, key: RecordKey) -> bool {
    let now = ctx.clock.now();
    let made = printing::minutes(ctx.store, ctx.home, key, None, ctx.user, now);
    let no = ctx.config.meeting_number(key.year, key.seq);
    deliver(ctx, format!("会议记录 {no}"), made)
}

/// The 公示 (情况通报) of a 民心沟通会 for the notice board, names masked; counted on the meeting.
pub fn print_notice(ctx: &mut Ctx, key: RecordKey) -> bool {
    let now = ctx.clock.now();
    let made = printing::notice(ctx.store, ctx.home, key, None, ctx.user, now);
    let no = ctx.config.meeting_number(key.year, key.seq);
    deliver(ctx, format!("公示 {no}"), made)
}

/// The 民情笔记本 of the account `login` for a period, if `authorize_notebook` lets this
/// account print it; the print goes on the timeline.
pub fn print_notebook(ctx: &mut Ctx, login: &str, period: Period) -> bool {
    let now = ctx.clock.now();
    let dates = (period.from, period.to);
    let made = printing::notebook(ctx.store, ctx.home, login, dates, None, ctx.user, now);
    let what = format!(
        "民情笔记本（{}至{}）",
        period.from.format("%Y-%m-%d"),
        period.to.format("%Y-%m-%d")
    );
    deliver(ctx, what, made)
}

/// A paper of 一本、一单、一会 made (or not): sent to the printer, and the clerk told.
fn deliver(ctx: &mut Ctx, what: String, made: anyhow::Result<Printed>) -> bool {
    match made {
        Ok(printed) => {
            let sent = send(&printed);
            let head = format!("{what}：");
            let (msg, warn) = told(head, &printed, ctx.home.root(), sent, lp_on_path());
            say(ctx, msg, warn);
            true
        }
        Err(e) => {
            ctx.error(format!("未能打印{what}：{e:#}"));
            false
        }
    }
}

/// Hand the file to `lp` when there is one; what it answered (the job), or why not.
fn send(printed: &Printed) -> anyhow::Result<String> {
    if lp_on_path() {
        printing::send_to_lp(&printed.path, None).map(|job| job.trim().to_string())
    } else {
        Err(anyhow::anyhow!("no lp"))
    }
}

fn say(ctx: &mut Ctx, msg: String, warn: bool) {
    if warn {
        ctx.warn(msg);
    } else {
        ctx.info(msg);
    }
}

/// What the status line says about a print; true when something needs the clerk's attention.
fn message(
    printed: &Printed,
    paper: Paper,
    home: &Path,
    sent: anyhow::Result<String>,
    have_lp: bool,
) -> (String, bool) {
    let head = match &printed.form {
        Some(f) if f.is_reprint() => format!(
            "{} {}（补打，第{}次打印）：",
            paper.label(),
            f.form_no,
            f.print_count
        ),
        Some(f) => format!("{} {}（首次打印）：", paper.label(), f.form_no),
        None => format!("{}：", paper.label()),
    };
    told(head, printed, home, sent, have_lp)
}

/// `head`, then where the file is, whether a printer took it, and the print's warnings.
fn told(
    mut msg: String,
    printed: &Printed,
    home: &Path,
    sent: anyhow::Result<String>,
    have_lp: bool,
) -> (String, bool) {
    msg.push_str(&format!("已生成 {}", shown(&printed.path, home)));
    let mut warn = !printed.warnings.is_empty();
    match sent {
        Ok(job) if job.is_empty() => msg.push_str("，已送打印机"),
        Ok(job) => msg.push_str(&format!("，已送打印机（{job}）")),
        Err(_) if !have_lp => msg.push_str("；本机没有打印机（lp），请拷走打印"),
        Err(e) => {
            warn = true;
            msg.push_str(&format!("；未能送打印机：{e:#}"));
        }
    }
    for w in &printed.warnings {
        msg.push('；');
        msg.push_str(w);
    }
    (msg, warn)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::FormPrint;

    fn printed(form: Option<FormPrint>, warnings: Vec<String>) -> Printed {
        Printed {
            path: "/srv/minshi/printouts/form-2026-000012-2.pdf".into(),
            bytes: 1000,
            form,
            warnings,
        }
    }

    #[test]
    fn a_reprint_says_its_number_count_and_where_the_file_is() {
        let form = FormPrint {
            form_no: "陇综民书〔2026〕45号".into(),
            year: 2026,
            seq: 45,
            print_count: 2,
            first_printed_at: crate::clock::now(),
        };
        let (msg, warn) = message(
            &printed(Some(form), vec!["该案件缺少证据：事项来源".into()]),
            Paper::Form { annex: false },
            Path::new("/srv/minshi"),
            Err(anyhow::anyhow!("no lp")),
            false,
        );
        assert_eq!(
            msg,
            "民事办理书 陇综民书〔2026〕45号（补打，第2次打印）：已生成 printouts/form-2026-000012-2.pdf；本机没有打印机（lp），请拷走打印；该案件缺少证据：事项来源"
        );
        assert!(warn);
    }

    #[test]
    fn a_slip_sent_to_the_printer_names_the_job() {
        let (msg, warn) = message(
            &printed(None, Vec::new()),
            Paper::Slip,
            Path::new("/srv/minshi"),
            Ok("request id is front-7 (1 file(s))".into()),
            true,
        );
        assert_eq!(
            msg,
            "受理回执：已生成 printouts/form-2026-000012-2.pdf，已送打印机（request id is front-7 (1 file(s))）"
        );
        assert!(!warn);
    }

    #[test]
    fn a_draft_and_evidence_attached_separately_are_both_told() {
        let (msg, warn) = message(
            &printed(
                None,
                vec![
                    "案件已分流，打印的是草稿（未编号，不计入办理书编号）".into(),
                    "证据2「调解笔录」是 PDF 文件，不能作为附件页打印：证据清单中已注明「附件另附」".into(),
                ],
            ),
            Paper::Form { annex: true },
            Path::new("/srv/minshi"),
            Err(anyhow::anyhow!("no lp")),
            false,
        );
        assert!(msg.contains("打印的是草稿"), "{msg}");
        assert!(msg.contains("附件另附"), "{msg}");
        assert!(warn, "shown as a warning");
    }
}

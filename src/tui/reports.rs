//! 报告单: the 民意报告单 waiting for 研判 at this account's center, oldest first with their age
//! and the late ones marked; a report opened in full; its triage — 立案 through the 登记 form
//! prefilled from the report, 当场答复, 并案 and 引导 through dialogs — and a new report typed in
//! from a phone call or a letter. A cadre sees the reports they sent up, and how they ended.

use std::cell::Cell;
use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, Borders, Widget};
use serde::{Deserialize, Serialize};

use super::case_view::CaseView;
use super::component::{Component, View};
use super::ctx::{Ctx, Request};
use super::dialog::{Dialog, DialogDraft, DialogResult, Submission};
use super::draft::DraftFile;
use super::form::{Form, ReportLink};
use super::keys::{self, Cmd, Scope};
use super::record_form::{Choices, FormEvent, Kind, RecordForm, Spec, keyed};
use super::text::pad;
use super::widgets::{self, put};
use crate::config::Config;
use crate::domain::records::{
    RecordKey, Report, ReportInput, ReportStatus, case_input_from, validate_report,
};
use crate::domain::{Center, NewCaseInput, Op, authorize, mask_id, mask_name, mask_phone};
use crate::store::{ReportFilter, StoreError};

/// The earliest day of receipt not yet late for triage today: the config's limit of working
/// days counted on its calendar.
pub fn late_before(config: &Config, today: NaiveDate) -> NaiveDate {
    config
        .calendar
        .earliest_on_time(today, config.records.triage_working_days)
}

/// The people concerned as a list shows them: each name masked (马某某、马某某).
pub(super) fn mask_names(names: &str) -> String {
    super::record_form::names(names)
        .iter()
        .map(|n| mask_name(n))
        .collect::<Vec<_>>()
        .join("、")
}

/// Whether a report waits past the triage limit.
fn is_late(r: &Report, late_before: NaiveDate) -> bool {
    r.status == ReportStatus::Pending && r.received_at.date_naive() < late_before
}

/// The 立案 in progress, as its draft keeps it: which report, and the registration as typed.
#[derive(Debug, Serialize, Deserialize)]
struct TriageDraft {
    report: String,
    report_no: String,
    input: NewCaseInput,
}

/// What has the screen: the list, one report, the 立案 form, or a new report's form.
enum Mode {
    List,
    Open {
        report: Box<Report>,
        scroll: u16,
        max_scroll: Cell<u16>,
    },
    Register,
    NewReport,
}

pub struct Reports {
    /// The queue (待研判) or every report this account may see.
    pending_only: bool,
    /// The account may triage: the 研判 keys are offered (a cadre who presses one is told why
    /// not, but is not shown them).
    triages: bool,
    rows: Vec<Report>,
    /// Absolute index of `rows[0]`.
    rows_top: usize,
    /// How many the list holds, and how many of them are late.
    total: u64,
    late: u64,
    sel: usize,
    loaded: Option<(usize, usize)>,
    page: Cell<usize>,
    /// Reload before the next frame.
    pub stale: bool,
    mode: Mode,
    /// 当场答复, 并案 or 引导 of a report: its key, its number, the dialog.
    dialog: Option<(RecordKey, String, Dialog)>,
    /// 立案: the registration form, kept when the clerk steps back.
    register: Option<Form>,
    new_report: Option<RecordForm>,
    triage_draft: Option<DraftFile>,
    report_draft: Option<DraftFile>,
    /// Where the dialogs' drafts go, and whose they are.
    drafts: Option<(std::path::PathBuf, String)>,
}

/// The triage dialogs that keep a draft, by how they end the report: 答复, 并案, 引导.
const DIALOG_ENDS: [ReportStatus; 3] = [
    ReportStatus::Answered,
    ReportStatus::Merged,
    ReportStatus::Guided,
];

impl Reports {
    /// The screen of an account: the queue for those who triage, their own reports for a
    /// cadre. Drafts go to `drafts` under the account's login.
    pub fn new(drafts: Option<(&std::path::Path, &str)>, triages: bool) -> Reports {
        Reports {
            pending_only: triages,
            triages,
            rows: Vec::new(),
            rows_top: 0,
            total: 0,
            late: 0,
            sel: 0,
            loaded: None,
            page: Cell::new(15),
            stale: true,
            mode: Mode::List,
            dialog: None,
            register: None,
            new_report: None,
            triage_draft: drafts.map(|(dir, login)| DraftFile::named(dir, "triage", login)),
            report_draft: drafts.map(|(dir, login)| DraftFile::named(dir, "report", login)),
            drafts: drafts.map(|(dir, login)| (dir.to_path_buf(), login.to_string())),
        }
    }

    /// The draft of the dialog that ends `report` as `status` (答复, 并案 or 引导).
    fn dialog_draft(&self, status: ReportStatus, report: RecordKey) -> Option<DraftFile> {
        let (dir, login) = self.drafts.as_ref()?;
        Some(DraftFile::of_record(
            dir,
            status.key(),
            &report.to_string(),
            login,
        ))
    }

    /// The dialog open now, as its draft holds it (None when blank or not kept).
    fn open_dialog_draft(&self) -> Option<(DraftFile, DialogDraft)> {
        let (key, no, d) = self.dialog.as_ref()?;
        let super::dialog::Purpose::Triage(status) = d.purpose else {
            return None;
        };
        let file = self.dialog_draft(status, *key)?;
        let draft = DialogDraft {
            record: key.to_string(),
            record_no: no.clone(),
            typed: d.typed(),
        };
        Some((file, draft))
    }

    /// Write the open dialog's draft if a key reached it since (or remove it when blank).
    fn save_dialog(&mut self) -> anyhow::Result<()> {
        let Some((_, _, d)) = &mut self.dialog else {
            return Ok(());
        };
        if !std::mem::take(&mut d.dirty) {
            return Ok(());
        }
        match self.open_dialog_draft() {
            Some((file, draft)) => draft.write(&file),
            None => Ok(()),
        }
    }

    /// Close the dialog, its draft on disk first: what was typed comes back with the dialog.
    fn close_dialog(&mut self, ctx: &mut Ctx) {
        if let Err(e) = self.save_dialog() {
            ctx.error(format!("草稿未能保存：{e:#}"));
        }
        self.dialog = None;
    }

    /// The drafts of a report's triage — its dialogs' and a 立案 not in progress on screen —
    /// removed once the report is triaged (here or elsewhere): they can no longer be used.
    fn remove_triage_drafts(&self, report: RecordKey) {
        for status in DIALOG_ENDS {
            if let Some(d) = self.dialog_draft(status, report) {
                let _ = d.remove();
            }
        }
        let on_screen = self
            .register
            .as_ref()
            .and_then(Form::report)
            .is_some_and(|l| l.key == report);
        if let Some(d) = &self.triage_draft
            && !on_screen
            && d.load_value::<TriageDraft>()
                .is_some_and(|t| t.report == report.to_string())
        {
            let _ = d.remove();
        }
    }

    /// The triage left unfinished in drafts — 立案 and the dialogs — of reports still waiting,
    /// as the clerk is told at login (`陇民报〔2026〕5号的当场答复（F7 选中后按 d）`). Drafts of
    /// reports triaged since are removed.
    pub fn unfinished(&self, ctx: &mut Ctx) -> Vec<String> {
        let mut out = Vec::new();
        let pending = |key: &str, ctx: &mut Ctx| -> Option<bool> {
            let key: RecordKey = key.parse().ok()?;
            let r = ctx.store.report(key, ctx.user).ok()?;
            Some(r.status == ReportStatus::Pending)
        };
        if let Some(file) = &self.triage_draft
            && let Some(d) = file.load_value::<TriageDraft>()
        {
            match pending(&d.report, ctx) {
                Some(true) => {
                    let key = keys::label(Scope::Triage, Cmd::TriageRegister);
                    out.push(format!("{}的立案（F7 选中后按 {key}）", d.report_no));
                }
                Some(false) => {
                    let _ = file.remove();
                }
                None => {}
            }
        }
        let Some((dir, login)) = &self.drafts else {
            return out;
        };
        for status in DIALOG_ENDS {
            for (_, file) in DraftFile::of_records(dir, status.key(), login) {
                let Some(d) = file.load_value::<DialogDraft>() else {
                    continue;
                };
                match pending(&d.record, ctx) {
                    Some(true) => {
                        let key = keys::label(Scope::Triage, triage_cmd(status));
                        out.push(format!(
                            "{}的{}（F7 选中后按 {key}）",
                            d.record_no,
                            status.label()
                        ));
                    }
                    Some(false) => {
                        let _ = file.remove();
                    }
                    None => {}
                }
            }
        }
        out
    }

    fn filter(&self, offset: usize, limit: usize) -> ReportFilter {
        ReportFilter {
            pending: self.pending_only,
            limit: Some(limit),
            offset,
        }
    }

    /// Load the rows on screen (and the counts after a change); true when something changed.
    pub fn load(&mut self, ctx: &mut Ctx) -> bool {
        let was_stale = self.stale;
        if self.stale {
            self.stale = false;
            self.loaded = None;
            // The report open may have been triaged elsewhere.
            self.reopen(ctx);
            let before = late_before(&ctx.config, ctx.clock.today());
            match ctx
                .store
                .reports_count(&self.filter(0, 0), ctx.user, before)
            {
                Ok((total, late)) => (self.total, self.late) = (total, late),
                Err(e) => ctx.error(format!("读取报告单出错：{e}")),
            }
        }
        let page = self.page.get().max(1);
        let total = self.total as usize;
        if total > 0 && self.sel >= total {
            self.sel = total - 1;
        }
        let mut top = self.rows_top;
        if self.sel < top {
            top = self.sel;
        }
        if self.sel >= top + page {
            top = self.sel + 1 - page;
        }
        top = top.min(total.saturating_sub(page));
        if self.loaded == Some((top, page)) {
            return was_stale;
        }
        match ctx.store.reports(&self.filter(top, page), ctx.user) {
            Ok(rows) => {
                self.rows = rows;
                self.rows_top = top;
                self.loaded = Some((top, page));
            }
            Err(e) => ctx.error(format!("读取报告单出错：{e}")),
        }
        true
    }

    fn selected(&self) -> Option<&Report> {
        self.rows.get(self.sel.checked_sub(self.rows_top)?)
    }

    /// The report the triage keys act on: the one opened, else the one selected.
    fn target(&self) -> Option<Report> {
        match &self.mode {
            Mode::Open { report, .. } => Some((**report).clone()),
            _ => self.selected().cloned(),
        }
    }

    /// Something is opened over the list.
    pub fn is_open(&self) -> bool {
        !matches!(self.mode, Mode::List)
    }

    pub fn has_drafts_to_save(&self) -> bool {
        self.register.as_ref().is_some_and(|f| f.draft_dirty)
            || self.new_report.as_ref().is_some_and(|f| f.dirty)
            || self.dialog.as_ref().is_some_and(|(_, _, d)| d.dirty)
    }

    /// The forms in progress (a 立案, a new report, a triage dialog), as their drafts hold them.
    pub fn drafts(&self) -> Vec<(DraftFile, serde_json::Value)> {
        let mut out = Vec::new();
        if let Some((file, draft)) = self.open_dialog_draft()
            && !draft.typed.is_empty()
            && let Ok(value) = serde_json::to_value(draft)
        {
            out.push((file, value));
        }
        if let (Some(form), Some(d)) = (&self.register, &self.triage_draft)
            && let Some(link) = form.report()
            && let Ok(value) = serde_json::to_value(TriageDraft {
                report: link.key.to_string(),
                report_no: link.report_no.clone(),
                input: form.input(),
            })
        {
            out.push((d.clone(), value));
        }
        if let (Some(form), Some(d)) = (&self.new_report, &self.report_draft)
            && !form.is_blank()
            && let Ok(value) = serde_json::to_value(form.values())
        {
            out.push((d.clone(), value));
        }
        out
    }

    /// Write the forms in progress to their drafts (or remove a draft whose form is blank).
    pub fn save_drafts(&mut self) -> anyhow::Result<()> {
        self.save_dialog()?;
        if let (Some(form), Some(d)) = (&mut self.register, &self.triage_draft)
            && form.draft_dirty
        {
            form.draft_dirty = false;
            if let Some(link) = form.report() {
                d.save_value(&TriageDraft {
                    report: link.key.to_string(),
                    report_no: link.report_no.clone(),
                    input: form.input(),
                })?;
            }
        }
        if let (Some(form), Some(d)) = (&mut self.new_report, &self.report_draft)
            && form.dirty
        {
            form.dirty = false;
            if form.is_blank() {
                d.remove()?;
            } else {
                d.save_value(&form.values())?;
            }
        }
        Ok(())
    }

    /// r d m g are offered on an opened report only while it waits for triage, and only to an
    /// account that triages: the status bar's hints and F1 follow the scopes, so a report
    /// already triaged shows none of them.
    fn offers_triage(&self, report: &Report) -> bool {
        self.triages && report.status == ReportStatus::Pending
    }

    fn may_triage(ctx: &mut Ctx) -> bool {
        match authorize(ctx.user.account(), Op::Triage) {
            Ok(()) => true,
            Err(refusal) => {
                ctx.error(refusal.to_string());
                false
            }
        }
    }

    /// r d m g: the triage of the report opened or selected.
    fn start_triage(&mut self, status: ReportStatus, ctx: &mut Ctx) {
        let Some(report) = self.target() else {
            ctx.error("没有选中的报告单");
            return;
        };
        if !Self::may_triage(ctx) {
            return;
        }
        if report.status != ReportStatus::Pending {
            self.remove_triage_drafts(report.key);
            ctx.error(format!(
                "{} 已研判（{}），不能再研判",
                report.report_no,
                report.status.label()
            ));
            return;
        }
        let mut dialog = match status {
            ReportStatus::Registered => return self.open_register(&report, ctx),
            ReportStatus::Merged => Dialog::triage(status, Self::merge_candidates(&report, ctx)),
            _ => Dialog::triage(status, Vec::new()),
        };
        let draft = self
            .dialog_draft(status, report.key)
            .and_then(|d| d.load_value::<DialogDraft>())
            .filter(|d| d.record == report.key.to_string());
        if let Some(d) = draft {
            dialog.restore(&d.typed);
            ctx.info(format!(
                "已恢复 {} 的{}草稿",
                report.report_no,
                status.label()
            ));
        }
        self.dialog = Some((report.key, report.report_no.clone(), dialog));
    }

    /// The cases 并案 may choose from: the same person's (by ID, phone or name).
    fn merge_candidates(report: &Report, ctx: &mut Ctx) -> Vec<String> {
        let id = report.id_number.as_ref().map(|i| i.as_str());
        let phone = report.phone.as_ref().map(|p| p.as_str());
        let name = Some(report.name.trim()).filter(|n| n.chars().count() >= 2);
        if id.is_none() && phone.is_none() && name.is_none() {
            return Vec::new();
        }
        match ctx.store.earlier_cases(id, phone, name, 8) {
            Ok(found) => found
                .iter()
                .map(|m| {
                    format!(
                        "{} {} {} {}",
                        m.row.key,
                        m.row.name,
                        m.row.category,
                        m.row.status.label()
                    )
                })
                .collect(),
            Err(e) => {
                ctx.error(format!("查找以往案件出错：{e}"));
                Vec::new()
            }
        }
    }

    /// 立案: the registration form filled from the report (or from its draft), on 事项类别.
    fn open_register(&mut self, report: &Report, ctx: &mut Ctx) {
        let config = ctx.config.clone();
        let same = self
            .register
            .as_ref()
            .and_then(Form::report)
            .is_some_and(|l| l.key == report.key);
        if !same {
            let link = ReportLink {
                key: report.key,
                report_no: report.report_no.clone(),
            };
            let draft = self
                .triage_draft
                .as_ref()
                .and_then(|d| d.load_value::<TriageDraft>())
                .filter(|d| d.report == report.key.to_string());
            let form = match draft {
                Some(d) => {
                    ctx.info(format!(
                        "已恢复 {} 的立案草稿（Ctrl-L 按报告单重新预填）",
                        report.report_no
                    ));
                    Form::for_report(&config, link, &d.input)
                }
                None => {
                    ctx.info("登记表已按报告单预填：选定事项类别和办理方式，Ctrl-S 立案");
                    Form::for_report(&config, link, &case_input_from(report))
                }
            };
            self.register = Some(form);
        }
        if let Some(f) = &mut self.register {
            f.refresh_matches(ctx);
        }
        self.mode = Mode::Register;
    }

    /// The 立案 form's keys: Esc steps back (the form and its draft kept), Ctrl-L fills it from
    /// the report again, the rest is the 登记 form's own. After a registration the form goes.
    fn register_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> bool {
        let Some(form) = &mut self.register else {
            self.mode = Mode::List;
            return false;
        };
        match keys::lookup(Scope::RegisterReport, ev) {
            Some(Cmd::Back) => {
                self.mode = Mode::List;
                self.reopen(ctx);
                ctx.info("已返回报告单；立案表单保留（再按 r 继续）");
                return true;
            }
            Some(Cmd::ClearForm) => {
                let key = form.report().map(|l| l.key);
                if let Some(d) = &self.triage_draft {
                    let _ = d.remove();
                }
                self.register = None;
                if let Some(report) = key.and_then(|k| ctx.store.report(k, ctx.user).ok()) {
                    self.open_register(&report, ctx);
                    ctx.info("已按报告单重新预填");
                }
                return true;
            }
            _ => {}
        }
        let report = form.report().map(|l| l.key);
        let used = form.handle_key(ev, ctx);
        if form.report().is_none() {
            // Registered: the report is 立案 now, linked to its case.
            self.register = None;
            if let Some(d) = &self.triage_draft {
                let _ = d.remove();
            }
            if let Some(key) = report {
                self.remove_triage_drafts(key);
            }
            self.stale = true;
            self.mode = Mode::List;
            self.reopen(ctx);
        }
        used
    }

    /// Back to the report that was open, read again (its triage may have changed).
    fn reopen(&mut self, ctx: &mut Ctx) {
        if let Mode::Open { report, .. } = &mut self.mode
            && let Ok(r) = ctx.store.report(report.key, ctx.user)
        {
            **report = r;
        }
    }

    fn open_selected(&mut self, ctx: &mut Ctx) {
        let Some(key) = self.selected().map(|r| r.key) else {
            ctx.error("没有报告单");
            return;
        };
        self.open(key, ctx);
    }

    /// Open a report (from the queue, or found by search); true when it could be read. A 立案
    /// or a new report in progress stays as it is; a triage dialog left open is closed.
    pub fn open(&mut self, key: RecordKey, ctx: &mut Ctx) -> bool {
        match ctx.store.report(key, ctx.user) {
            Ok(r) => {
                self.close_dialog(ctx);
                self.mode = Mode::Open {
                    report: Box::new(r),
                    scroll: 0,
                    max_scroll: Cell::new(0),
                };
                true
            }
            Err(e) => {
                ctx.error(format!("无法打开报告单 {key}：{e}"));
                false
            }
        }
    }

    /// n: a report from a phone call or a letter (the draft when there is one).
    fn open_new_report(&mut self, ctx: &mut Ctx) {
        if let Err(refusal) = authorize(ctx.user.account(), Op::RecordReport) {
            ctx.error(refusal.to_string());
            return;
        }
        if self.new_report.is_none() {
            let mut form = report_form(ctx);
            if let Some(values) = self
                .report_draft
                .as_ref()
                .and_then(|d| d.load_value::<BTreeMap<String, String>>())
            {
                form.load(&values, &ctx.config);
                if !form.is_blank() {
                    ctx.info("已恢复上次未保存的报告单草稿（Ctrl-L 清空）");
                }
            }
            self.new_report = Some(form);
        }
        self.mode = Mode::NewReport;
    }

    fn new_report_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> bool {
        let Some(form) = &mut self.new_report else {
            self.mode = Mode::List;
            return false;
        };
        match form.handle_key(ev, ctx) {
            None => false,
            Some(FormEvent::Used) => true,
            Some(FormEvent::Back) => {
                self.mode = Mode::List;
                if !form.is_blank() {
                    ctx.info("已返回报告单；填写的内容保留为草稿（再按 n 继续）");
                }
                true
            }
            Some(FormEvent::Save) => {
                if !form.check_all(ctx) {
                    return true;
                }
                let (input, _) = report_input(form);
                match ctx.store.add_report(&input, ctx.user, ctx.clock.now()) {
                    Ok(r) => {
                        ctx.info(format!(
                            "已填报民意报告单 {}（{}），待研判",
                            r.report_no,
                            r.request.chars().take(20).collect::<String>()
                        ));
                        self.new_report = None;
                        if let Some(d) = &self.report_draft {
                            let _ = d.remove();
                        }
                        self.mode = Mode::List;
                        self.stale = true;
                        ctx.requests.push(Request::BoardStale);
                    }
                    Err(StoreError::InvalidRecord(errors)) => form.set_errors(keyed(errors), ctx),
                    Err(e) => ctx.error(format!("未保存（表单内容已保留）：{e}")),
                }
                true
            }
        }
    }

    fn dialog_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) {
        let Some((key, no, d)) = &mut self.dialog else {
            return;
        };
        let (key, no) = (*key, no.clone());
        match d.handle_key(ev, &ctx.config.clone(), "") {
            Some(DialogResult::Cancel) => {
                let kept = match d.purpose {
                    super::dialog::Purpose::Triage(status) if !d.is_blank() => Some(status),
                    _ => None,
                };
                self.close_dialog(ctx);
                if let Some(status) = kept {
                    ctx.info(format!(
                        "已取消；{no} 的{}草稿保留（再按 {} 继续）",
                        status.label(),
                        keys::label(Scope::Triage, triage_cmd(status))
                    ));
                }
            }
            Some(DialogResult::Submit(Submission::Triage { status, text, case })) => {
                let now = ctx.clock.now();
                let done = match (status, case) {
                    (ReportStatus::Merged, Some(case)) => {
                        ctx.store.triage_merge(key, case, &text, ctx.user, now)
                    }
                    _ => ctx.store.triage_answer(key, status, &text, ctx.user, now),
                };
                match done {
                    Ok(r) => {
                        let what = match (&r.case_no, status) {
                            (Some(case_no), ReportStatus::Merged) => format!("已并入 {case_no}"),
                            _ => format!("已{}", status.label()),
                        };
                        ctx.info(format!("{no}：{what}"));
                        self.dialog = None;
                        self.remove_triage_drafts(key);
                        if let Mode::Open { report, .. } = &mut self.mode {
                            **report = r;
                        }
                        self.stale = true;
                        ctx.requests.push(Request::BoardStale);
                    }
                    Err(e) => d.error = Some(format!("未能{}：{e}", status.label())),
                }
            }
            _ => {}
        }
    }

    fn list_key(&mut self, cmd: Cmd, ctx: &mut Ctx) -> bool {
        let page = self.page.get().max(1);
        let last = (self.total as usize).saturating_sub(1);
        match cmd {
            Cmd::Up => self.sel = self.sel.saturating_sub(1),
            Cmd::Down => self.sel = (self.sel + 1).min(last),
            Cmd::PageUp => self.sel = self.sel.saturating_sub(page),
            Cmd::PageDown => self.sel = (self.sel + page).min(last),
            Cmd::First => self.sel = 0,
            Cmd::Last => self.sel = last,
            Cmd::Open => self.open_selected(ctx),
            Cmd::NewRecord => self.open_new_report(ctx),
            Cmd::StartSearch => ctx.requests.push(Request::Search),
            Cmd::ShowAll => {
                self.pending_only = !self.pending_only;
                self.sel = 0;
                self.rows_top = 0;
                self.stale = true;
            }
            Cmd::TriageRegister => self.start_triage(ReportStatus::Registered, ctx),
            Cmd::TriageAnswer => self.start_triage(ReportStatus::Answered, ctx),
            Cmd::TriageMerge => self.start_triage(ReportStatus::Merged, ctx),
            Cmd::TriageGuide => self.start_triage(ReportStatus::Guided, ctx),
            Cmd::PrintBlankReport => {
                super::paper::print_blank_report(ctx);
            }
            Cmd::PrintReport => match self.selected().map(|r| r.key) {
                Some(key) => {
                    if super::paper::print_report(ctx, key) {
                        self.stale = true;
                    }
                }
                None => ctx.error("没有选中的报告单"),
            },
            _ => return false,
        }
        true
    }

    /// p: the report opened on paper, then read again so that its print count shows the print.
    fn print_open(&mut self, ctx: &mut Ctx) {
        if let Mode::Open { report, .. } = &self.mode
            && super::paper::print_report(ctx, report.key)
        {
            self.reopen(ctx);
        }
    }

    fn render_list(&self, buf: &mut Buffer, area: Rect, config: &Config, today: NaiveDate) {
        let mut y = area.y;
        let n = config.records.triage_working_days;
        let summary = if self.pending_only {
            let late = if self.late > 0 {
                format!("，超期 {} 张（超过{n}个工作日）", self.late)
            } else {
                String::new()
            };
            format!("待研判 {} 张{late}", self.total)
        } else {
            format!("全部报告单 {} 张，新的在前", self.total)
        };
        let show_all = format!(
            "{} 切换待研判/全部",
            keys::label(Scope::Queue, Cmd::ShowAll)
        );
        let pos = if self.total > 0 {
            format!(
                "第{}/{}张  {} 打印  {show_all}",
                self.sel + 1,
                self.total,
                keys::label(Scope::Queue, Cmd::PrintReport)
            )
        } else {
            show_all
        };
        let pw = crate::lines::width(&pos) as u16;
        let style = if self.late > 0 && self.pending_only {
            widgets::warn()
        } else {
            Style::new().add_modifier(Modifier::BOLD)
        };
        put(
            buf,
            area.x + 1,
            y,
            &summary,
            area.width.saturating_sub(pw + 3),
            style,
        );
        put(
            buf,
            area.right().saturating_sub(pw + 1),
            y,
            &pos,
            pw,
            widgets::label(),
        );
        y += 1;
        let wide = area.width >= 110;
        let status_w: u16 = if self.pending_only { 0 } else { 8 };
        // The full number as wide as the longest on screen (a county numbers thousands a
        // year); the key (2026-000159) when narrow.
        let no_w: u16 = if wide {
            self.rows
                .iter()
                .map(|r| crate::lines::width(&r.report_no) as u16)
                .max()
                .unwrap_or(0)
                .clamp(18, 24)
        } else {
            11
        };
        let place_w: u16 = if wide { 14 } else { 10 };
        // Each column before the last takes its width and a space; a margin either side.
        let fixed: u16 = [2, no_w, 5, 5, 10, place_w, 8, status_w]
            .iter()
            .filter(|w| **w > 0)
            .map(|w| w + 1)
            .sum::<u16>()
            + 2;
        let req_w = area.width.saturating_sub(fixed);
        let cols: [(&str, u16); 9] = [
            ("", 2),
            ("编号", no_w),
            ("收到", 5),
            ("已等", 5),
            ("来源", 10),
            ("地点", place_w),
            ("当事人", 8),
            ("状态", status_w),
            ("反映事项", req_w),
        ];
        let line = |cells: &[String]| -> String {
            cols.iter()
                .zip(cells)
                .filter(|((_, w), _)| *w > 0)
                .map(|((_, w), c)| pad(c, *w as usize))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let head: Vec<String> = cols.iter().map(|(h, _)| h.to_string()).collect();
        put(
            buf,
            area.x + 1,
            y,
            &line(&head),
            area.width - 1,
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        );
        y += 1;
        let rows_h = area.bottom().saturating_sub(y) as usize;
        self.page.set(rows_h.max(1));
        if self.rows.is_empty() {
            let msg = if self.pending_only {
                "没有待研判的报告单。按 n 填报一张（电话、信件等）；s 看全部"
            } else {
                "还没有报告单。按 n 填报一张"
            };
            put(buf, area.x + 2, y + 1, msg, area.width - 2, widgets::dim());
        }
        let before = late_before(config, today);
        // The age column's x, for its colour.
        let age_x = area.x + 1 + cols[..3].iter().map(|(_, w)| w + 1).sum::<u16>();
        for (i, r) in self.rows.iter().take(rows_h).enumerate() {
            let abs = self.rows_top + i;
            let ry = y + i as u16;
            let late = is_late(r, before);
            let age = (today - r.received_at.date_naive()).num_days().max(0);
            let place = if wide || r.village.is_empty() {
                format!("{}{}", r.town, r.village)
            } else {
                r.village.clone()
            };
            let cells = vec![
                if late {
                    "超".to_string()
                } else {
                    String::new()
                },
                if wide {
                    r.report_no.clone()
                } else {
                    r.key.to_string()
                },
                r.received_at.format("%m-%d").to_string(),
                if r.status == ReportStatus::Pending {
                    format!("{age}天")
                } else {
                    String::new()
                },
                r.source.clone(),
                place,
                if r.name.trim().is_empty() {
                    "未具名".to_string()
                } else {
                    mask_names(&r.name)
                },
                r.status.label().to_string(),
                r.request.replace('\n', " "),
            ];
            let mut style = if late { widgets::error() } else { Style::new() };
            if abs == self.sel {
                style = widgets::selected();
            }
            let s = crate::text::neutralize(&line(&cells), false).into_owned();
            buf.set_style(Rect::new(area.x, ry, area.width, 1), style);
            buf.set_stringn(area.x + 1, ry, &s, (area.width - 1) as usize, style);
            if late && age_x + 5 <= area.right() {
                buf.set_stringn(
                    age_x,
                    ry,
                    pad(&format!("{age}天"), 5),
                    5,
                    widgets::band(crate::calendar::Band::Overdue),
                );
            }
        }
    }

    /// A report's fields as (label, value), empty ones left out.
    fn report_pairs(
        r: &Report,
        config: &Config,
        today: NaiveDate,
        triages: bool,
    ) -> Vec<(String, String, Style)> {
        let mut out = Vec::new();
        let mut add = |l: &str, v: String, style: Style| {
            if !v.trim().is_empty() {
                out.push((l.to_string(), v, style));
            }
        };
        add(
            "报告单编号",
            format!("{}（{}）", r.report_no, r.key),
            Style::new(),
        );
        let status = match &r.triage {
            Some(t) => {
                let text = if t.text.is_empty() {
                    String::new()
                } else {
                    format!("：{}", t.text)
                };
                format!(
                    "{}（{} {}）{text}",
                    r.status.label(),
                    t.by_name,
                    t.at.format("%Y-%m-%d %H:%M")
                )
            }
            None => r.status.label().to_string(),
        };
        add("状态", status, Style::new().add_modifier(Modifier::BOLD));
        if let (Some(no), Some(key)) = (&r.case_no, r.case) {
            add("案件", format!("{no}（{key}）"), Style::new());
        }
        let before = late_before(config, today);
        let age = (today - r.received_at.date_naive()).num_days().max(0);
        let late = is_late(r, before);
        add(
            "收到时间",
            format!(
                "{}（{age}天前{}）",
                r.received_at.format("%Y-%m-%d %H:%M"),
                if late {
                    format!("，超过{}个工作日未研判", config.records.triage_working_days)
                } else {
                    String::new()
                }
            ),
            if late {
                widgets::band(crate::calendar::Band::Overdue)
            } else {
                Style::new()
            },
        );
        add("来源", r.source.clone(), Style::new());
        let reporter_phone = r
            .reporter_phone
            .as_ref()
            .map(|p| format!("，{}", mask_phone(p.as_str())))
            .unwrap_or_default();
        add(
            "报告人",
            format!("{}{reporter_phone}", r.reporter),
            Style::new(),
        );
        add(
            "当事人",
            if r.name.trim().is_empty() {
                "（未具名）".to_string()
            } else {
                r.name.clone()
            },
            Style::new(),
        );
        if let Some(id) = &r.id_number {
            add("身份证号", mask_id(id.as_str()), Style::new());
        }
        if let Some(p) = &r.phone {
            add("联系电话", mask_phone(p.as_str()), Style::new());
        }
        add(
            "地点",
            format!("{}{}{}", r.town, r.village, r.address),
            Style::new(),
        );
        add("反映事项", r.request.clone(), Style::new());
        add("基本情况", r.facts.clone(), Style::new());
        add("初步意见", r.opinion.clone(), Style::new());
        add("报送中心", r.center.label(config), Style::new());
        add(
            "登记",
            format!(
                "{} {}",
                r.recorded_by,
                r.recorded_at.format("%Y-%m-%d %H:%M")
            ),
            Style::new(),
        );
        if let Some(v) = r.visit {
            add(
                "走访记录",
                format!("第{v}号（F9 民情笔记本）"),
                Style::new(),
            );
        }
        if let Some(m) = r.meeting {
            add("沟通会", format!("{m}（F8 民心沟通会）"), Style::new());
        }
        let printed = match r.prints {
            0 => "p 打印报告单（A5）".to_string(),
            n => format!("已打印 {n} 次（p 再打印）"),
        };
        add("打印", printed, Style::new());
        if r.status == ReportStatus::Pending && triages {
            add(
                "研判",
                "r 立案  d 当场答复  m 并案  g 引导（Esc 返回）".to_string(),
                widgets::ok(),
            );
        }
        out
    }
}

/// The fields of a new report, in Tab order.
fn report_specs(config: &Config, ctx_centers: Vec<String>) -> Vec<Spec> {
    vec![
        Spec::new(
            "source",
            "来源",
            Kind::Pick(Choices::Fixed(config.records.report_sources.clone())),
        )
        .required(),
        Spec::new("received_at", "收到时间", Kind::Line).note("留空为现在；如 2026-03-05 14:30"),
        Spec::new("reporter", "报告人", Kind::Line).note("来电、来信的人；留空为您本人"),
        Spec::new("reporter_phone", "报告人电话", Kind::Line),
        Spec::new("name", "当事人", Kind::Line).note("多人用、分隔；可不填"),
        Spec::new("id_number", "身份证号", Kind::Line),
        Spec::new("phone", "当事人电话", Kind::Line),
        Spec::new("town", "乡镇", Kind::Pick(Choices::Towns)).required(),
        Spec::new(
            "village",
            "村（社区）",
            Kind::Pick(Choices::VillagesOf("town")),
        ),
        Spec::new("address", "详细地址", Kind::Line),
        Spec::new("request", "反映事项", Kind::Line)
            .required()
            .note("一事一单：一句话写明事项"),
        Spec::new("facts", "基本情况", Kind::Block(3)),
        Spec::new("opinion", "初步意见", Kind::Block(2)),
        Spec::new(
            "center",
            "报送中心",
            Kind::Pick(Choices::Fixed(ctx_centers)),
        )
        .note("留空为本中心"),
    ]
}

/// The centers a report may be sent to from this account: its own and those under it.
fn centers(center: &Center, config: &Config) -> Vec<String> {
    match center {
        Center::County => std::iter::once(config.county.name.clone())
            .chain(config.towns.iter().map(|t| t.name.clone()))
            .collect(),
        Center::Town(t) => std::iter::once(t.clone())
            .chain(
                config
                    .town(t)
                    .map(|town| town.villages.clone())
                    .unwrap_or_default()
                    .into_iter()
                    .map(|v| format!("{t}/{v}")),
            )
            .collect(),
        Center::Village { .. } => vec![center.code()],
    }
}

/// The account's town and village, where its records are made by default.
pub fn home_place(center: &Center) -> (String, String) {
    match center {
        Center::County => (String::new(), String::new()),
        Center::Town(t) => (t.clone(), String::new()),
        Center::Village { town, village } => (town.clone(), village.clone()),
    }
}

fn report_form(ctx: &Ctx) -> RecordForm {
    let config = &ctx.config;
    let (town, village) = home_place(ctx.user.center());
    let source = if config.records.report_sources.iter().any(|s| s == "电话") {
        "电话".to_string()
    } else {
        String::new()
    };
    RecordForm::new(
        "新民意报告单（电话、信件等）",
        report_specs(config, centers(ctx.user.center(), config)),
        &[("source", source), ("town", town), ("village", village)],
        check_report,
        config,
    )
}

/// The report the form describes, and what in it does not parse.
fn report_input(f: &RecordForm) -> (ReportInput, Vec<(String, String)>) {
    let mut errors = Vec::new();
    let nine = chrono::NaiveTime::from_hms_opt(9, 0, 0).expect("a valid time");
    let received_at =
        super::record_form::parse_time(f.get("received_at"), nine).unwrap_or_else(|e| {
            errors.push(("received_at".to_string(), e));
            None
        });
    let input = ReportInput {
        source: f.get("source").into(),
        reporter: f.get("reporter").into(),
        reporter_phone: f.get("reporter_phone").into(),
        name: f.get("name").into(),
        id_number: f.get("id_number").into(),
        phone: f.get("phone").into(),
        town: f.get("town").into(),
        village: f.get("village").into(),
        address: f.get("address").into(),
        request: f.get("request").into(),
        facts: f.get("facts").into(),
        opinion: f.get("opinion").into(),
        center: f.get("center").into(),
        visit: None,
        received_at,
    };
    (input, errors)
}

fn check_report(
    f: &RecordForm,
    config: &Config,
    now: DateTime<FixedOffset>,
) -> Vec<(String, String)> {
    let (input, mut errors) = report_input(f);
    if let Err(e) = validate_report(&input, config, now, &crate::intake::printable) {
        errors.extend(keyed(e));
    }
    errors
}

impl Component for Reports {
    fn scopes(&self) -> Vec<Scope> {
        if self.dialog.is_some() {
            return vec![Scope::Global, Scope::Dialog, Scope::Picker, Scope::Field];
        }
        match &self.mode {
            Mode::Register => self
                .register
                .as_ref()
                .map_or(vec![Scope::Global], Form::scopes),
            Mode::NewReport => self
                .new_report
                .as_ref()
                .map_or(vec![Scope::Global], RecordForm::scopes),
            Mode::Open { report, .. } if self.offers_triage(report) => {
                vec![Scope::Global, Scope::Triage, Scope::Report, Scope::Browse]
            }
            Mode::Open { .. } => vec![Scope::Global, Scope::Report, Scope::Browse],
            Mode::List if self.triages => {
                vec![Scope::Global, Scope::Queue, Scope::Triage, Scope::Browse]
            }
            Mode::List => vec![Scope::Global, Scope::Queue, Scope::Browse],
        }
    }

    fn is_typing(&self) -> bool {
        self.dialog.is_some() || matches!(self.mode, Mode::Register | Mode::NewReport)
    }

    fn handle_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> bool {
        if self.dialog.is_some() {
            self.dialog_key(ev, ctx);
            return true;
        }
        // A report already triaged takes no r d m g; one waiting does, from a cadre too, who is
        // told why not (as on the queue) though the keys are not shown to them.
        let pending = matches!(
            &self.mode,
            Mode::Open { report, .. } if report.status == ReportStatus::Pending
        );
        match &mut self.mode {
            Mode::Register => self.register_key(ev, ctx),
            Mode::NewReport => self.new_report_key(ev, ctx),
            Mode::Open {
                scroll, max_scroll, ..
            } => {
                let scopes: &[Scope] = if pending {
                    &[Scope::Report, Scope::Triage]
                } else {
                    &[Scope::Report]
                };
                match keys::lookup_in(scopes, ev) {
                    Some(Cmd::Back) => {
                        self.mode = Mode::List;
                        self.stale = true;
                    }
                    Some(Cmd::Up) => *scroll = scroll.saturating_sub(1),
                    Some(Cmd::Down) => *scroll = (*scroll + 1).min(max_scroll.get().max(*scroll)),
                    Some(Cmd::TriageRegister) => self.start_triage(ReportStatus::Registered, ctx),
                    Some(Cmd::TriageAnswer) => self.start_triage(ReportStatus::Answered, ctx),
                    Some(Cmd::TriageMerge) => self.start_triage(ReportStatus::Merged, ctx),
                    Some(Cmd::TriageGuide) => self.start_triage(ReportStatus::Guided, ctx),
                    Some(Cmd::PrintReport) => self.print_open(ctx),
                    _ => return false,
                }
                true
            }
            Mode::List => match keys::lookup_in(&[Scope::Queue, Scope::Triage], ev) {
                Some(cmd) => self.list_key(cmd, ctx),
                None => false,
            },
        }
    }

    fn type_text(&mut self, s: &str, ctx: &mut Ctx) -> bool {
        if let Some((_, _, d)) = &mut self.dialog {
            d.type_text(s);
            return true;
        }
        match self.mode {
            Mode::Register => self.register.as_mut().is_some_and(|f| f.type_text(s, ctx)),
            Mode::NewReport => self
                .new_report
                .as_mut()
                .is_some_and(|f| f.type_text(s, ctx)),
            _ => false,
        }
    }

    fn render(&self, buf: &mut Buffer, area: Rect, view: &View) -> Option<(u16, u16)> {
        let today = view.now.date_naive();
        let cursor = match &self.mode {
            Mode::Register => {
                return self
                    .register
                    .as_ref()
                    .and_then(|f| f.render(buf, area, view.config, view.now));
            }
            Mode::NewReport => return self.new_report.as_ref().and_then(|f| f.render(buf, area)),
            Mode::Open {
                report,
                scroll,
                max_scroll,
            } => {
                let block = Block::new().borders(Borders::ALL).title(format!(
                    " 民意报告单 {} · {} ",
                    report.report_no,
                    report.status.label()
                ));
                let inner = block.inner(area);
                block.render(area, buf);
                let pairs = Self::report_pairs(report, view.config, today, self.triages);
                let rows = CaseView::draw_pairs(buf, inner, &pairs, 12, *scroll);
                max_scroll.set(rows.saturating_sub(inner.height));
                None
            }
            Mode::List => {
                self.render_list(buf, area, view.config, today);
                None
            }
        };
        if let Some((_, no, d)) = &self.dialog {
            return d.render(buf, area, no);
        }
        cursor
    }

    fn help_notes(&self, view: &View) -> Vec<(&'static str, Vec<(String, String)>)> {
        let note = || -> Option<(&'static str, Vec<(String, String)>)> {
            let n = view.config.records.triage_working_days;
            let notes = vec![
                ("待研判".to_string(), "报送本中心、尚未研判".to_string()),
                (
                    "超期".to_string(),
                    format!("收到后超过{n}个工作日未研判（红色）"),
                ),
                (
                    "立案".to_string(),
                    "登记为案件，与报告单互相关联".to_string(),
                ),
                ("当场答复".to_string(), "已答复，无需登记".to_string()),
                ("并案".to_string(), "同一事项，并入已有案件".to_string()),
                ("引导".to_string(), "不属本中心，已引导依法解决".to_string()),
            ];
            Some(("报告单的状态", notes))
        };
        note().into_iter().collect()
    }
}

/// The key that opens the dialog ending a report as `status`.
fn triage_cmd(status: ReportStatus) -> Cmd {
    match status {
        ReportStatus::Merged => Cmd::TriageMerge,
        ReportStatus::Guided => Cmd::TriageGuide,
        ReportStatus::Registered => Cmd::TriageRegister,
        ReportStatus::Answered | ReportStatus::Pending => Cmd::TriageAnswer,
    }
}

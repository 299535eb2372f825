//! 民心沟通会: the meetings of this account's area, newest first; a new meeting's form; and a
//! meeting opened — the cases of its town or village ended since the last meeting there, ticked
//! with the space bar and fed back in one write, the parties of resolved disputes revisited (a
//! 回访 on the case, way 沟通会), and the opinions raised, each of which may become a report.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, FixedOffset};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, Borders, Widget};

use super::component::{Component, View};
use super::ctx::{Ctx, Request};
use super::dialog::{Dialog, DialogDraft, DialogResult, Purpose, Submission};
use super::draft::DraftFile;
use super::keys::{self, Cmd, Scope};
use super::record_form::{Choices, FormEvent, Kind, RecordForm, Spec, keyed, names};
use super::reports::home_place;
use super::text::pad;
use super::widgets::{self, put};
use crate::config::Config;
use crate::domain::records::{Meeting, MeetingInput, RecordKey, revisit_refusal, validate_meeting};
use crate::domain::{ActionKind, CaseKey, Op, Status, authorize, availability};
use crate::store::{StoreError, Suggested};

/// How many ended cases a meeting suggests at most.
const SUGGEST: usize = 200;
const LIST: usize = 500;

/// A row of an opened meeting one can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    Suggested(usize),
    Fed(usize),
}

struct Opened {
    meeting: Box<Meeting>,
    suggested: Vec<Suggested>,
    /// The suggested cases ticked to feed back.
    ticked: BTreeSet<CaseKey>,
    sel: usize,
    scroll: Cell<usize>,
    /// A dialog over the meeting: a revisit of this case, or an opinion (no case); the title.
    dialog: Option<(Option<CaseKey>, String, Dialog)>,
}

impl Opened {
    /// In the order shown: the cases fed back (few), then those suggested (many).
    fn items(&self) -> Vec<Item> {
        (0..self.meeting.feedback.len())
            .map(Item::Fed)
            .chain((0..self.suggested.len()).map(Item::Suggested))
            .collect()
    }

    /// The selection on this case, wherever it is listed now.
    fn select(&mut self, case: CaseKey) {
        if let Some(i) = self
            .items()
            .iter()
            .position(|&it| self.case_of(it).0 == case)
        {
            self.sel = i;
        }
    }

    fn item(&self) -> Option<Item> {
        self.items().get(self.sel).copied()
    }

    /// The case of an item, and its number.
    fn case_of(&self, item: Item) -> (CaseKey, String) {
        match item {
            Item::Suggested(i) => (self.suggested[i].case, self.suggested[i].case_no.clone()),
            Item::Fed(i) => (
                self.meeting.feedback[i].case,
                self.meeting.feedback[i].case_no.clone(),
            ),
        }
    }
}

enum Mode {
    List,
    Open(Box<Opened>),
    Form,
}

pub struct Meetings {
    rows: Vec<Meeting>,
    sel: usize,
    top: Cell<usize>,
    page: Cell<usize>,
    pub stale: bool,
    mode: Mode,
    form: Option<RecordForm>,
    draft: Option<DraftFile>,
    /// Where the opinion dialog's drafts go, and whose they are.
    drafts: Option<(std::path::PathBuf, String)>,
}

/// The kind of draft an opinion dialog keeps, one per meeting.
const OPINION: &str = "opinion";

impl Meetings {
    pub fn new(drafts: Option<(&std::path::Path, &str)>) -> Meetings {
        Meetings {
            rows: Vec::new(),
            sel: 0,
            top: Cell::new(0),
            page: Cell::new(15),
            stale: true,
            mode: Mode::List,
            form: None,
            draft: drafts.map(|(dir, login)| DraftFile::named(dir, "meeting", login)),
            drafts: drafts.map(|(dir, login)| (dir.to_path_buf(), login.to_string())),
        }
    }

    /// The draft of the opinion dialog on a meeting.
    fn opinion_draft(&self, meeting: RecordKey) -> Option<DraftFile> {
        let (dir, login) = self.drafts.as_ref()?;
        Some(DraftFile::of_record(
            dir,
            OPINION,
            &meeting.to_string(),
            login,
        ))
    }

    /// The opinion dialog open now, as its draft holds it.
    fn open_opinion_draft(&self) -> Option<(DraftFile, DialogDraft, bool)> {
        let Mode::Open(o) = &self.mode else {
            return None;
        };
        let (_, _, d) = o.dialog.as_ref()?;
        if d.purpose != Purpose::Opinion {
            return None;
        }
        let file = self.opinion_draft(o.meeting.key)?;
        let draft = DialogDraft {
            record: o.meeting.key.to_string(),
            record_no: o.meeting.meeting_no.clone(),
            typed: d.typed(),
        };
        Some((file, draft, d.dirty))
    }

    /// Write the opinion dialog's draft if a key reached it since (or remove it when blank).
    fn save_opinion(&mut self) -> anyhow::Result<()> {
        let Some((file, draft, true)) = self.open_opinion_draft() else {
            return Ok(());
        };
        if let Mode::Open(o) = &mut self.mode
            && let Some((_, _, d)) = &mut o.dialog
        {
            d.dirty = false;
        }
        draft.write(&file)
    }

    /// Close the meeting's dialog, an opinion's draft on disk first.
    fn close_dialog(&mut self, ctx: &mut Ctx) {
        if let Err(e) = self.save_opinion() {
            ctx.error(format!("草稿未能保存：{e:#}"));
        }
        if let Mode::Open(o) = &mut self.mode {
            o.dialog = None;
        }
    }

    /// The opinions left unfinished in drafts, on meetings this account may still open, as the
    /// clerk is told at login (`陇沟通〔2026〕3号的意见（F8 打开后按 o）`).
    pub fn unfinished(&self, ctx: &mut Ctx) -> Vec<String> {
        let Some((dir, login)) = &self.drafts else {
            return Vec::new();
        };
        let key = keys::label(Scope::Meeting, Cmd::AddOpinion);
        DraftFile::of_records(dir, OPINION, login)
            .into_iter()
            .filter_map(|(_, file)| file.load_value::<DialogDraft>())
            .filter(|d| {
                d.record
                    .parse::<RecordKey>()
                    .is_ok_and(|k| ctx.store.meeting(k, ctx.user).is_ok())
            })
            .map(|d| format!("{}的意见（F8 打开后按 {key}）", d.record_no))
            .collect()
    }

    pub fn load(&mut self, ctx: &mut Ctx) -> bool {
        if !self.stale {
            return false;
        }
        self.stale = false;
        match ctx.store.meetings(ctx.user, LIST) {
            Ok(rows) => self.rows = rows,
            Err(e) => ctx.error(format!("读取沟通会出错：{e}")),
        }
        if self.sel >= self.rows.len() {
            self.sel = self.rows.len().saturating_sub(1);
        }
        if let Mode::Open(o) = &mut self.mode {
            Self::reload(o, ctx);
        }
        true
    }

    /// Something is opened over the list.
    pub fn is_open(&self) -> bool {
        !matches!(self.mode, Mode::List)
    }

    pub fn has_drafts_to_save(&self) -> bool {
        self.form.as_ref().is_some_and(|f| f.dirty)
            || self.open_opinion_draft().is_some_and(|(_, _, dirty)| dirty)
    }

    /// The form and the opinion in progress, as their drafts hold them, when they have anything
    /// in them.
    pub fn drafts(&self) -> Vec<(DraftFile, serde_json::Value)> {
        let mut out = Vec::new();
        if let (Some(form), Some(d)) = (&self.form, &self.draft)
            && !form.is_blank()
            && let Ok(value) = serde_json::to_value(form.values())
        {
            out.push((d.clone(), value));
        }
        if let Some((file, draft, _)) = self.open_opinion_draft()
            && !draft.typed.is_empty()
            && let Ok(value) = serde_json::to_value(draft)
        {
            out.push((file, value));
        }
        out
    }

    pub fn save_drafts(&mut self) -> anyhow::Result<()> {
        self.save_opinion()?;
        if let (Some(form), Some(d)) = (&mut self.form, &self.draft)
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

    fn may_keep(ctx: &mut Ctx) -> bool {
        match authorize(ctx.user.account(), Op::KeepMeeting) {
            Ok(()) => true,
            Err(refusal) => {
                ctx.error(refusal.to_string());
                false
            }
        }
    }

    /// Open a meeting (from the list, or found by search); true when it could be read. A form
    /// in progress stays as it is, to go back to with n.
    pub fn open(&mut self, key: RecordKey, ctx: &mut Ctx) -> bool {
        self.close_dialog(ctx);
        let meeting = match ctx.store.meeting(key, ctx.user) {
            Ok(m) => m,
            Err(e) => {
                ctx.error(format!("无法打开沟通会 {key}：{e}"));
                return false;
            }
        };
        let mut o = Opened {
            meeting: Box::new(meeting),
            suggested: Vec::new(),
            ticked: BTreeSet::new(),
            sel: 0,
            scroll: Cell::new(0),
            dialog: None,
        };
        Self::reload(&mut o, ctx);
        self.mode = Mode::Open(Box::new(o));
        true
    }

    /// The meeting and its suggestions read again (after a write, ours or another's).
    fn reload(o: &mut Opened, ctx: &mut Ctx) {
        let key = o.meeting.key;
        let selected = o.item().map(|it| o.case_of(it).0);
        match ctx.store.meeting(key, ctx.user) {
            Ok(m) => *o.meeting = m,
            Err(e) => ctx.error(format!("重新读取沟通会出错：{e}")),
        }
        match ctx.store.suggested_cases(key, SUGGEST) {
            Ok(s) => o.suggested = s,
            Err(e) => ctx.error(format!("读取建议反馈的案件出错：{e}")),
        }
        o.ticked
            .retain(|k| o.suggested.iter().any(|s| s.case == *k));
        if let Some(case) = selected {
            o.select(case);
        }
        let n = o.items().len();
        if o.sel >= n {
            o.sel = n.saturating_sub(1);
        }
    }

    fn open_form(&mut self, ctx: &mut Ctx) {
        if !Self::may_keep(ctx) {
            return;
        }
        if self.form.is_none() {
            let mut form = meeting_form(ctx);
            if let Some(values) = self
                .draft
                .as_ref()
                .and_then(|d| d.load_value::<BTreeMap<String, String>>())
            {
                form.load(&values, &ctx.config);
                if !form.is_blank() {
                    ctx.info("已恢复上次未保存的沟通会草稿（Ctrl-L 清空）");
                }
            }
            self.form = Some(form);
        }
        self.mode = Mode::Form;
    }

    fn form_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> bool {
        let Some(form) = &mut self.form else {
            self.mode = Mode::List;
            return false;
        };
        match form.handle_key(ev, ctx) {
            None => false,
            Some(FormEvent::Used) => true,
            Some(FormEvent::Back) => {
                self.mode = Mode::List;
                if !form.is_blank() {
                    ctx.info("已返回沟通会列表；填写的内容保留为草稿（再按 n 继续）");
                }
                true
            }
            Some(FormEvent::Save) => {
                if !form.check_all(ctx) {
                    return true;
                }
                let (input, _) = meeting_input(form);
                match ctx.store.add_meeting(&input, ctx.user, ctx.clock.now()) {
                    Ok(m) => {
                        ctx.info(format!(
                            "已记录 {}：{}；勾选要反馈的案件（空格），Enter 反馈",
                            m.meeting_no, m.title
                        ));
                        self.form = None;
                        if let Some(d) = &self.draft {
                            let _ = d.remove();
                        }
                        self.stale = true;
                        self.open(m.key, ctx);
                    }
                    Err(StoreError::InvalidRecord(errors)) => form.set_errors(keyed(errors), ctx),
                    Err(e) => ctx.error(format!("未保存（表单内容已保留）：{e}")),
                }
                true
            }
        }
    }

    /// A key on an opened meeting; `opinion` is where its opinion's draft goes. Some(false):
    /// back to the list.
    fn opened_key(
        o: &mut Opened,
        opinion: Option<DraftFile>,
        ev: &KeyEvent,
        ctx: &mut Ctx,
    ) -> Option<bool> {
        let key = o.meeting.key;
        let no = o.meeting.meeting_no.clone();
        if let Some((case, case_no, d)) = &mut o.dialog {
            let (case, case_no) = (*case, case_no.clone());
            let now = ctx.clock.now();
            match d.handle_key(ev, &ctx.config.clone(), "") {
                Some(DialogResult::Cancel) if d.purpose == Purpose::Opinion => {
                    // What was typed waits for the next o on this meeting.
                    let draft = DialogDraft {
                        record: key.to_string(),
                        record_no: no.clone(),
                        typed: d.typed(),
                    };
                    let kept = !draft.typed.is_empty();
                    let written = opinion.as_ref().map_or(Ok(()), |f| draft.write(f));
                    o.dialog = None;
                    match written {
                        Err(e) => ctx.error(format!("草稿未能保存：{e:#}")),
                        Ok(()) if kept => ctx.info(format!(
                            "已取消；{no} 的意见草稿保留（再按 {} 继续）",
                            keys::label(Scope::Meeting, Cmd::AddOpinion)
                        )),
                        Ok(()) => {}
                    }
                }
                Some(DialogResult::Cancel) => o.dialog = None,
                Some(DialogResult::Submit(Submission::Revisit { satisfaction, note })) => {
                    let Some(case) = case else {
                        o.dialog = None;
                        return Some(true);
                    };
                    match ctx
                        .store
                        .revisit(key, case, satisfaction, &note, ctx.user, now)
                    {
                        Ok(_) => {
                            ctx.info(format!(
                                "{case_no}：已会上回访（{}），记入案件的回访",
                                satisfaction.label()
                            ));
                            o.dialog = None;
                            o.ticked.remove(&case);
                            Self::reload(o, ctx);
                            ctx.requests.push(Request::BoardStale);
                        }
                        Err(e) => d.error = Some(format!("未能回访：{e}")),
                    }
                }
                Some(DialogResult::Submit(Submission::Opinion {
                    speaker,
                    text,
                    as_report,
                })) => match ctx
                    .store
                    .opinion(key, &speaker, &text, as_report, ctx.user, now)
                {
                    Ok((_, made)) => {
                        let report = made
                            .map(|k| {
                                format!(
                                    "，已转为民意报告单 {}（待研判）",
                                    ctx.config.report_number(k.year, k.seq)
                                )
                            })
                            .unwrap_or_default();
                        ctx.info(format!("{no}：已记录意见{report}"));
                        o.dialog = None;
                        if let Some(file) = &opinion {
                            let _ = file.remove();
                        }
                        Self::reload(o, ctx);
                        ctx.requests.push(Request::BoardStale);
                    }
                    Err(e) => d.error = Some(format!("未能记录意见：{e}")),
                },
                _ => {}
            }
            return Some(true);
        }
        let n = o.items().len();
        match keys::lookup(Scope::Meeting, ev)? {
            Cmd::Back => return Some(false),
            Cmd::Up => o.sel = o.sel.saturating_sub(1),
            Cmd::Down => o.sel = (o.sel + 1).min(n.saturating_sub(1)),
            Cmd::First => o.sel = 0,
            Cmd::Last => o.sel = n.saturating_sub(1),
            Cmd::Toggle => match o.item() {
                Some(Item::Suggested(i)) => {
                    let case = o.suggested[i].case;
                    if !o.ticked.remove(&case) {
                        o.ticked.insert(case);
                    }
                    // On to the next, so a run of cases is ticked with the space bar alone.
                    o.sel = (o.sel + 1).min(n.saturating_sub(1));
                }
                Some(Item::Fed(_)) => ctx.error("这件已在会上反馈过"),
                None => ctx.error("没有建议反馈的案件"),
            },
            Cmd::Feedback => {
                if !Self::may_keep(ctx) {
                    return Some(true);
                }
                let mut cases: Vec<CaseKey> = o
                    .suggested
                    .iter()
                    .filter(|s| o.ticked.contains(&s.case))
                    .map(|s| s.case)
                    .collect();
                if cases.is_empty()
                    && let Some(Item::Suggested(i)) = o.item()
                {
                    cases.push(o.suggested[i].case);
                }
                if cases.is_empty() {
                    ctx.error("先用空格勾选要在会上反馈的案件（建议反馈栏中）");
                    return Some(true);
                }
                let list: Vec<(CaseKey, String)> =
                    cases.iter().map(|c| (*c, String::new())).collect();
                match ctx.store.feedback(key, &list, ctx.user, ctx.clock.now()) {
                    Ok(_) => {
                        ctx.info(format!(
                            "{no}：已反馈{}件（按各案的办结情况）；已化解的可按 r 会上回访",
                            cases.len()
                        ));
                        o.ticked.clear();
                        Self::reload(o, ctx);
                        // On to the first case still to feed back.
                        o.sel = o
                            .meeting
                            .feedback
                            .len()
                            .min(o.items().len().saturating_sub(1));
                    }
                    Err(e) => ctx.error(format!("未能反馈：{e}")),
                }
            }
            Cmd::Revisit => {
                if !Self::may_keep(ctx) {
                    return Some(true);
                }
                match o.item() {
                    Some(item) => {
                        let (case, case_no) = o.case_of(item);
                        // Only a resolved case not yet revisited: say why not before asking,
                        // in the words of its state (and when and how it was revisited).
                        let why = ctx.store.case(case).map(|c| {
                            let allowed = availability(&c.facts(), ctx.clock.today())
                                .into_iter()
                                .find(|(k, _)| *k == ActionKind::FollowUp)
                                .map_or(Ok(()), |(_, why)| why);
                            allowed.map_err(|why| match (revisit_refusal(c.status), &c.follow_up) {
                                (Some(_), Some(f)) if c.status == Status::FollowedUp => format!(
                                    "已于{}{}回访过（{}），一件案件只回访一次",
                                    f.date.format("%Y-%m-%d"),
                                    f.way,
                                    f.satisfaction.label()
                                ),
                                (Some((_, words)), _) => words.to_string(),
                                (None, _) => why,
                            })
                        });
                        match why {
                            Ok(Ok(())) => o.dialog = Some((Some(case), case_no, Dialog::revisit())),
                            Ok(Err(why)) => ctx.error(format!("{case_no} 不能会上回访：{why}")),
                            Err(e) => ctx.error(format!("读取案件 {case_no} 出错：{e}")),
                        }
                    }
                    None => ctx.error("没有可回访的案件：先反馈办结的案件"),
                }
            }
            Cmd::AddOpinion => {
                if Self::may_keep(ctx) {
                    let mut dialog = Dialog::opinion();
                    let draft = opinion
                        .and_then(|f| f.load_value::<DialogDraft>())
                        .filter(|d| d.record == key.to_string());
                    if let Some(d) = draft {
                        dialog.restore(&d.typed);
                        ctx.info(format!("已恢复 {no} 的意见草稿"));
                    }
                    o.dialog = Some((None, no, dialog));
                }
            }
            // Read again after a print, so that the counts on the meeting show it.
            Cmd::PrintMinutes => {
                if super::paper::print_minutes(ctx, key) {
                    Self::reload(o, ctx);
                }
            }
            Cmd::PrintNotice => {
                if super::paper::print_notice(ctx, key) {
                    Self::reload(o, ctx);
                }
            }
            _ => return None,
        }
        Some(true)
    }

    fn render_list(&self, buf: &mut Buffer, area: Rect) {
        let mut y = area.y;
        let label = |cmd| keys::label(Scope::Meetings, cmd);
        let new = format!("{} 记录一次沟通会", label(Cmd::NewRecord));
        let pos = if self.rows.is_empty() {
            new
        } else {
            format!(
                "第{}/{}次  {new}  {}/{} 打印记录/公示",
                self.sel + 1,
                self.rows.len(),
                label(Cmd::PrintMinutes),
                label(Cmd::PrintNotice)
            )
        };
        let pw = crate::lines::width(&pos) as u16;
        put(
            buf,
            area.x + 1,
            y,
            &format!("民心沟通会 {} 次，最近的在前", self.rows.len()),
            area.width.saturating_sub(pw + 3),
            Style::new().add_modifier(Modifier::BOLD),
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
        let no_w: u16 = if wide {
            self.rows
                .iter()
                .map(|m| crate::lines::width(&m.meeting_no) as u16)
                .max()
                .unwrap_or(0)
                .clamp(18, 24)
        } else {
            11
        };
        let at_w: u16 = if wide { 16 } else { 11 };
        let place_w: u16 = if wide { 16 } else { 12 };
        // Each column before the last takes its width and a space; a margin either side.
        let fixed: u16 = [no_w, at_w, place_w, 6, 8]
            .iter()
            .filter(|w| **w > 0)
            .map(|w| w + 1)
            .sum::<u16>()
            + 2;
        let flex = area.width.saturating_sub(fixed);
        let cols: [(&str, u16); 6] = [
            ("编号", no_w),
            ("时间", at_w),
            ("地点", place_w),
            ("人数", 6),
            ("主持人", 8),
            ("主题", flex),
        ];
        let line = |cells: &[String]| -> String {
            cols.iter()
                .zip(cells)
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
            put(
                buf,
                area.x + 2,
                y + 1,
                "还没有沟通会记录。按 n 记录一次（会后把办结的案件反馈给群众）",
                area.width - 2,
                widgets::dim(),
            );
            return;
        }
        let mut top = self.top.get();
        if self.sel < top {
            top = self.sel;
        }
        if self.sel >= top + rows_h {
            top = self.sel + 1 - rows_h;
        }
        self.top.set(top);
        for (i, m) in self.rows.iter().enumerate().skip(top).take(rows_h) {
            let ry = y + (i - top) as u16;
            let cells = vec![
                if wide {
                    m.meeting_no.clone()
                } else {
                    m.key.to_string()
                },
                if wide {
                    m.held_at.format("%Y-%m-%d %H:%M").to_string()
                } else {
                    m.held_at.format("%m-%d %H:%M").to_string()
                },
                m.area(),
                format!("{}人", m.attendance),
                m.chair.clone(),
                m.title.clone(),
            ];
            let style = if i == self.sel {
                widgets::selected()
            } else {
                Style::new()
            };
            let s = crate::text::neutralize(&line(&cells), false).into_owned();
            buf.set_style(Rect::new(area.x, ry, area.width, 1), style);
            buf.set_stringn(area.x + 1, ry, &s, (area.width - 1) as usize, style);
        }
    }

    fn render_open(o: &Opened, buf: &mut Buffer, area: Rect) -> Option<(u16, u16)> {
        let m = &o.meeting;
        let block = Block::new()
            .borders(Borders::ALL)
            .title(format!(" 民心沟通会 {} · {} ", m.meeting_no, m.title));
        let inner = block.inner(area);
        block.render(area, buf);
        let wide = inner.width >= 110;
        // What the meeting was, in a few rows.
        let mut head = vec![format!(
            "{} {}（{}） {}人  主持 {}  记录 {}",
            m.held_at.format("%Y-%m-%d %H:%M"),
            m.place,
            m.area(),
            m.attendance,
            m.chair,
            m.recorder
        )];
        let mut who = format!("主办 {}", m.host);
        if !m.units.is_empty() {
            who.push_str(&format!("；参会单位 {}", m.units.join("、")));
        }
        if !m.representatives.is_empty() {
            who.push_str(&format!("；群众代表 {}", m.representatives.join("、")));
        }
        head.push(who);
        if !m.items.is_empty() {
            head.push(format!("通报事项：{}", m.items.replace('\n', " ")));
        }
        if !m.plans.is_empty() {
            head.push(format!("后续工作：{}", m.plans.replace('\n', " ")));
        }
        let keys = "p 打印会议记录  P 打印公示";
        head.push(match m.printed() {
            Some(printed) => format!("{printed}（{keys}）"),
            None => keys.to_string(),
        });
        let mut y = inner.y;
        for h in &head {
            put(buf, inner.x + 1, y, h, inner.width - 1, widgets::label());
            y += 1;
        }

        // The list: the cases fed back and revisited, the opinions, then the cases to feed back.
        let mut lines: Vec<(String, Style, Option<usize>)> = Vec::new();
        // Numbers as wide as the longest listed (a county numbers thousands a year); the key
        // (2026-000159) when narrow. Categories whole when wide (道路交通事故).
        let no_w = m
            .feedback
            .iter()
            .map(|f| f.case_no.as_str())
            .chain(o.suggested.iter().map(|s| s.case_no.as_str()))
            .map(crate::lines::width)
            .max()
            .unwrap_or(0)
            .clamp(18, 24);
        let case_no = |no: &str, key: CaseKey| {
            if wide { pad(no, no_w) } else { key.to_string() }
        };
        let (village_w, category_w) = if wide { (10, 12) } else { (8, 8) };
        let mut item = 0;
        lines.push((
            format!(
                "【已反馈】{}件（r 会上回访已化解纠纷的当事人，记入案件的回访）",
                m.feedback.len()
            ),
            widgets::warn(),
            None,
        ));
        for f in &m.feedback {
            // Revisited here, or marked when its state allows no revisit now.
            let revisit = match (f.satisfaction, revisit_refusal(f.status)) {
                (Some(s), _) => format!("回访{}", s.label()),
                (None, Some((mark, _))) => mark.to_string(),
                (None, None) => String::new(),
            };
            lines.push((
                format!(
                    "    {} {} {} {} {}",
                    case_no(&f.case_no, f.case),
                    pad(&f.name_masked, 8),
                    pad(&f.category, category_w),
                    pad(&revisit, 10),
                    f.told.replace('\n', " ")
                ),
                Style::new(),
                Some(item),
            ));
            item += 1;
        }
        lines.push((
            format!(
                "【意见建议】{}条（o 记录，可转为民意报告单）",
                m.opinions.len()
            ),
            widgets::warn(),
            None,
        ));
        for op in &m.opinions {
            let report = op
                .report_no
                .as_ref()
                .map(|n| format!(" → {n}"))
                .unwrap_or_default();
            let speaker = if op.speaker.is_empty() {
                String::new()
            } else {
                format!("{}：", op.speaker)
            };
            lines.push((
                format!(
                    "  {}. {speaker}{}{report}",
                    op.seq,
                    op.text.replace('\n', " ")
                ),
                Style::new(),
                None,
            ));
        }
        let many = if o.suggested.len() >= SUGGEST {
            format!("最近的{SUGGEST}件")
        } else {
            format!("{}件", o.suggested.len())
        };
        lines.push((
            format!(
                "【建议反馈】{many}：{}自上次沟通会以来办结的案件（空格勾选，Enter 反馈）",
                m.area()
            ),
            widgets::warn(),
            None,
        ));
        if o.suggested.is_empty() {
            lines.push(("  （没有待反馈的办结案件）".into(), widgets::dim(), None));
        }
        for s in &o.suggested {
            let tick = if o.ticked.contains(&s.case) {
                "[√]"
            } else {
                "[ ]"
            };
            // A case that cannot be revisited now says why in a word (it can still be fed back).
            let mark = revisit_refusal(s.status)
                .map(|(mark, _)| format!("（{mark}）"))
                .unwrap_or_default();
            lines.push((
                format!(
                    "{tick} {} {} {} {} {}办结  {mark}{}",
                    case_no(&s.case_no, s.case),
                    pad(&s.name_masked, 8),
                    pad(&s.village, village_w),
                    pad(&s.category, category_w),
                    s.closed_on.format("%m-%d"),
                    s.told.replace('\n', " ")
                ),
                Style::new(),
                Some(item),
            ));
            item += 1;
        }
        let rows_h = inner.bottom().saturating_sub(y) as usize;
        let sel_line = lines
            .iter()
            .position(|(_, _, i)| *i == Some(o.sel))
            .unwrap_or(0);
        let mut top = o.scroll.get();
        if sel_line < top + 1 {
            // Keep the heading above the first row in view.
            top = sel_line.saturating_sub(1);
        }
        if sel_line >= top + rows_h {
            top = sel_line + 1 - rows_h;
        }
        o.scroll.set(top);
        for (i, (text, style, it)) in lines.iter().enumerate().skip(top).take(rows_h) {
            let ry = y + (i - top) as u16;
            let style = if it.is_some() && *it == Some(o.sel) {
                widgets::selected()
            } else {
                *style
            };
            if style == widgets::selected() {
                buf.set_style(Rect::new(inner.x, ry, inner.width, 1), style);
            }
            put(buf, inner.x + 1, ry, text, inner.width - 1, style);
        }
        if top > 0 {
            put(
                buf,
                area.right().saturating_sub(8),
                area.y,
                "↑更多",
                6,
                widgets::dim(),
            );
        }
        if top + rows_h < lines.len() {
            put(
                buf,
                area.right().saturating_sub(8),
                area.bottom() - 1,
                "↓更多",
                6,
                widgets::dim(),
            );
        }
        if let Some((_, no, d)) = &o.dialog {
            return d.render(buf, area, no);
        }
        None
    }
}

fn meeting_specs() -> Vec<Spec> {
    vec![
        Spec::new("title", "会议主题", Kind::Line)
            .required()
            .note("如 首阳镇三月民心沟通会"),
        Spec::new("held_at", "会议时间", Kind::Line)
            .required()
            .note("如 2026-03-20 14:30"),
        Spec::new("place", "会议地点", Kind::Line).required(),
        Spec::new("town", "乡镇", Kind::Pick(Choices::Towns)).required(),
        Spec::new(
            "village",
            "村（社区）",
            Kind::Pick(Choices::VillagesOf("town")),
        )
        .note("全乡镇的会留空"),
        Spec::new("host", "主办组织", Kind::Line)
            .required()
            .note("如 中共首阳镇委员会"),
        Spec::new("chair", "主持人", Kind::Line).required(),
        Spec::new("recorder", "记录人", Kind::Line).required(),
        Spec::new("units", "参会单位", Kind::Line).note("用、分隔：综治中心、司法所、派出所…"),
        Spec::new("attendance", "参会人数", Kind::Line).required(),
        Spec::new("representatives", "群众代表", Kind::Line).note("用、分隔"),
        Spec::new("items", "通报事项", Kind::Block(3)).note("工作进展、计划、群众应知道的事"),
        Spec::new("plans", "后续工作", Kind::Block(2)),
    ]
}

fn meeting_form(ctx: &Ctx) -> RecordForm {
    let config = &ctx.config;
    let (town, village) = home_place(ctx.user.center());
    RecordForm::new(
        "记录民心沟通会",
        meeting_specs(),
        &[
            ("town", town),
            ("village", village),
            ("recorder", ctx.user.real_name().to_string()),
        ],
        check_meeting,
        config,
    )
}

fn meeting_input(f: &RecordForm) -> (MeetingInput, Vec<(String, String)>) {
    let mut errors = Vec::new();
    let half_past_nine = chrono::NaiveTime::from_hms_opt(9, 30, 0).expect("a valid time");
    let held_at =
        super::record_form::parse_time(f.get("held_at"), half_past_nine).unwrap_or_else(|e| {
            errors.push(("held_at".to_string(), e));
            None
        });
    let attendance = match f.get("attendance") {
        "" => 0,
        s => s.parse::<u32>().unwrap_or_else(|_| {
            errors.push(("attendance".to_string(), format!("「{s}」应为人数（数字）")));
            0
        }),
    };
    let input = MeetingInput {
        title: f.get("title").into(),
        held_at,
        place: f.get("place").into(),
        host: f.get("host").into(),
        chair: f.get("chair").into(),
        recorder: f.get("recorder").into(),
        units: names(f.get("units")),
        attendance,
        representatives: names(f.get("representatives")),
        town: f.get("town").into(),
        village: f.get("village").into(),
        items: f.get("items").into(),
        plans: f.get("plans").into(),
    };
    (input, errors)
}

fn check_meeting(
    f: &RecordForm,
    config: &Config,
    now: DateTime<FixedOffset>,
) -> Vec<(String, String)> {
    let (input, mut errors) = meeting_input(f);
    if let Err(e) = validate_meeting(&input, config, now, &crate::intake::printable) {
        // A number that does not parse is named once, not also as missing.
        let parsed: Vec<String> = errors.iter().map(|(k, _)| k.clone()).collect();
        errors.extend(keyed(e).into_iter().filter(|(k, _)| !parsed.contains(k)));
    }
    errors
}

impl Component for Meetings {
    fn scopes(&self) -> Vec<Scope> {
        match &self.mode {
            Mode::Form => self
                .form
                .as_ref()
                .map_or(vec![Scope::Global], RecordForm::scopes),
            Mode::Open(o) if o.dialog.is_some() => {
                vec![Scope::Global, Scope::Dialog, Scope::Picker, Scope::Field]
            }
            Mode::Open(_) => vec![Scope::Global, Scope::Meeting, Scope::Browse],
            Mode::List => vec![Scope::Global, Scope::Meetings, Scope::Browse],
        }
    }

    fn is_typing(&self) -> bool {
        match &self.mode {
            Mode::Form => true,
            Mode::Open(o) => o.dialog.is_some(),
            Mode::List => false,
        }
    }

    fn handle_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> bool {
        let opinion = match &self.mode {
            Mode::Open(o) => self.opinion_draft(o.meeting.key),
            _ => None,
        };
        match &mut self.mode {
            Mode::Form => self.form_key(ev, ctx),
            Mode::Open(o) => match Self::opened_key(o, opinion, ev, ctx) {
                Some(true) => true,
                Some(false) => {
                    self.mode = Mode::List;
                    self.stale = true;
                    true
                }
                None => false,
            },
            Mode::List => {
                let page = self.page.get().max(1);
                let last = self.rows.len().saturating_sub(1);
                match keys::lookup(Scope::Meetings, ev) {
                    Some(Cmd::Up) => self.sel = self.sel.saturating_sub(1),
                    Some(Cmd::Down) => self.sel = (self.sel + 1).min(last),
                    Some(Cmd::PageUp) => self.sel = self.sel.saturating_sub(page),
                    Some(Cmd::PageDown) => self.sel = (self.sel + page).min(last),
                    Some(Cmd::First) => self.sel = 0,
                    Some(Cmd::Last) => self.sel = last,
                    Some(Cmd::Open) => match self.rows.get(self.sel).map(|m| m.key) {
                        Some(key) => {
                            self.open(key, ctx);
                        }
                        None => ctx.error("没有沟通会记录：按 n 记录一次"),
                    },
                    Some(Cmd::NewRecord) => self.open_form(ctx),
                    Some(Cmd::StartSearch) => ctx.requests.push(Request::Search),
                    // The selected meeting's paper, as p and P print it opened.
                    Some(cmd @ (Cmd::PrintMinutes | Cmd::PrintNotice)) => {
                        match self.rows.get(self.sel).map(|m| m.key) {
                            Some(key) if cmd == Cmd::PrintMinutes => {
                                super::paper::print_minutes(ctx, key);
                            }
                            Some(key) => {
                                super::paper::print_notice(ctx, key);
                            }
                            None => ctx.error("没有沟通会记录：按 n 记录一次"),
                        }
                    }
                    _ => return false,
                }
                true
            }
        }
    }

    fn type_text(&mut self, s: &str, ctx: &mut Ctx) -> bool {
        match &mut self.mode {
            Mode::Form => self.form.as_mut().is_some_and(|f| f.type_text(s, ctx)),
            Mode::Open(o) => match &mut o.dialog {
                Some((_, _, d)) => {
                    d.type_text(s);
                    true
                }
                None => false,
            },
            Mode::List => false,
        }
    }

    fn render(&self, buf: &mut Buffer, area: Rect, _view: &View) -> Option<(u16, u16)> {
        match &self.mode {
            Mode::Form => self.form.as_ref().and_then(|f| f.render(buf, area)),
            Mode::Open(o) => Self::render_open(o, buf, area),
            Mode::List => {
                self.render_list(buf, area);
                None
            }
        }
    }

    fn help_notes(&self, _view: &View) -> Vec<(&'static str, Vec<(String, String)>)> {
        let note = || -> Option<(&'static str, Vec<(String, String)>)> {
            Some((
                "民心沟通会",
                vec![
                    (
                        "建议反馈".to_string(),
                        "上次沟通会后办结、未反馈的案件".to_string(),
                    ),
                    ("[√]".to_string(), "已勾选，Enter 一并反馈".to_string()),
                    (
                        "已反馈".to_string(),
                        "已在会上通报；公示时隐去姓名".to_string(),
                    ),
                    (
                        "会上回访".to_string(),
                        "记入案件的回访（方式：沟通会）".to_string(),
                    ),
                    (
                        "已回访 等".to_string(),
                        "案件现在的状态不能会上回访：只有已办结、未回访过的可以（已回访、已归档、重办中、不予受理、已合并的不行）；仍可反馈".to_string(),
                    ),
                    (
                        "意见建议".to_string(),
                        "可转为民意报告单，待研判".to_string(),
                    ),
                ],
            ))
        };
        note().into_iter().collect()
    }
}

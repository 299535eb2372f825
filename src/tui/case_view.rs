//! 案件: one case in full — every field, the timeline, the evidence list — and the actions its
//! state allows, each opened as a dialog. After an action the case and the board are reloaded.

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, Borders, Widget};

use super::confirm::{Answer, Confirm, Pending};
use super::ctx::{Ctx, Request};
use super::dialog::{Dialog, DialogResult, EvidenceFile, Submission};
use super::keys::{self, Cmd, Scope};
use super::paper::{self, Paper, Printing};
use super::text;
use super::widgets::{self, Picker, put};
use crate::config::Config;
use crate::domain::{
    ActionKind, Case, CaseKey, Event, Evidence, EvidenceKind, Op, Role, Session, authorize,
    availability, mask_id, mask_phone,
};
use crate::store::StoreError;

/// A text set into a sentence of ours: its own closing punctuation off, so that none doubles.
fn clause(s: &str) -> &str {
    s.trim()
        .trim_end_matches(['。', '，', '；', '、', '.', ',', ';'])
        .trim_end()
}

fn words(missing: &[EvidenceKind]) -> String {
    missing
        .iter()
        .map(|k| k.label())
        .collect::<Vec<_>>()
        .join("、")
}

/// The menu entry for 更正, beside the lifecycle's actions.
const CORRECT: &str = "更正";

pub struct CaseView {
    pub key: CaseKey,
    case: Case,
    events: Vec<Event>,
    evidence: Vec<Evidence>,
    scroll: u16,
    /// How far there is to scroll, learnt when drawing.
    max_scroll: std::cell::Cell<u16>,
    menu: Option<Picker>,
    dialog: Option<Dialog>,
    /// A 值班长's confirmation that a print or 归档 waits for.
    confirm: Option<Confirm>,
    /// The role of whoever opened the case: it decides which actions are offered.
    role: Role,
}

impl CaseView {
    pub fn open(key: CaseKey, ctx: &mut Ctx) -> Option<CaseView> {
        let loaded = ctx
            .store
            .case(key)
            .and_then(|c| Ok((c, ctx.store.timeline(key)?, ctx.store.evidence(key)?)));
        match loaded {
            Ok((case, events, evidence)) => Some(CaseView {
                key,
                case,
                events,
                evidence,
                scroll: 0,
                max_scroll: Default::default(),
                menu: None,
                dialog: None,
                confirm: None,
                role: ctx.user.role(),
            }),
            Err(e) => {
                ctx.error(format!("无法打开案件 {key}：{e}"));
                None
            }
        }
    }

    /// Read the case again (after our action, or another process's).
    pub fn reload(&mut self, ctx: &mut Ctx) {
        match ctx.store.case(self.key) {
            Ok(c) => self.case = c,
            Err(e) => ctx.error(format!("重新读取案件出错：{e}")),
        }
        if let Ok(ev) = ctx.store.timeline(self.key) {
            self.events = ev;
        }
        match ctx.store.evidence(self.key) {
            Ok(list) => self.evidence = list,
            Err(e) => ctx.error(format!("读取证据清单出错：{e}")),
        }
    }

    pub fn evidence(&self) -> &[Evidence] {
        &self.evidence
    }

    pub fn case(&self) -> &Case {
        &self.case
    }

    pub fn scopes(&self) -> Vec<Scope> {
        if let Some(c) = &self.confirm {
            c.scopes()
        } else if self.dialog.is_some() {
            vec![Scope::Global, Scope::Dialog, Scope::Picker, Scope::Field]
        } else if self.menu.is_some() {
            vec![Scope::Global, Scope::Picker]
        } else {
            vec![Scope::Global, Scope::Case, Scope::Browse]
        }
    }

    pub fn is_typing(&self) -> bool {
        self.dialog.is_some() || self.menu.is_some() || self.confirm.is_some()
    }

    pub fn type_text(&mut self, s: &str) -> bool {
        if let Some(c) = &mut self.confirm {
            c.type_text(s);
            return true;
        }
        if let Some(d) = &mut self.dialog {
            d.type_text(s);
            return true;
        }
        if let Some(m) = &mut self.menu {
            m.pick.type_str(s);
            return true;
        }
        false
    }

    fn open_dialog(&mut self, kind: ActionKind, ctx: &mut Ctx) {
        self.dialog = Some(Dialog::new(
            kind,
            &self.case,
            &ctx.config,
            ctx.clock.today(),
        ));
    }

    pub fn handle_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> bool {
        let config = ctx.config.clone();
        if let Some(c) = &mut self.confirm {
            match c.handle_key(ev, ctx.store, ctx.clock.now()) {
                Some(Answer::Cancel) => {
                    self.confirm = None;
                    ctx.info("已取消：未打印、未归档");
                }
                Some(Answer::Confirmed(by)) => {
                    let pending = c.pending.clone();
                    self.confirm = None;
                    match pending {
                        Pending::PrintForm { annex } => {
                            if paper::print_confirmed(
                                ctx,
                                self.key,
                                Paper::Form { annex },
                                Some(&by),
                            ) == Printing::Made
                            {
                                self.reload(ctx);
                            }
                        }
                        Pending::Archive(action) => self.act(ctx, &action, Some(&by)),
                    }
                }
                None => {}
            }
            return true;
        }
        if let Some(d) = &mut self.dialog {
            match d.handle_key(ev, &config, &self.case.person.town) {
                Some(DialogResult::Cancel) => self.dialog = None,
                Some(DialogResult::Submit(Submission::Evidence(file))) => {
                    match add_evidence(ctx, self.key, &file) {
                        Ok(msg) => {
                            ctx.info(msg);
                            self.dialog = None;
                            self.reload(ctx);
                        }
                        Err(e) => d.error = Some(e),
                    }
                }
                Some(DialogResult::Submit(Submission::Correct {
                    field,
                    value,
                    reason,
                })) => {
                    match ctx.store.correct(
                        self.key,
                        (&field, &value, &reason),
                        ctx.user,
                        ctx.clock.now(),
                    ) {
                        Ok(case) => {
                            ctx.info(format!("{}：已更正{field}", case.case_no));
                            self.dialog = None;
                            self.reload(ctx);
                            ctx.requests.push(Request::BoardStale);
                        }
                        Err(e) => d.error = Some(format!("未能更正：{e}")),
                    }
                }
                Some(DialogResult::Submit(Submission::Action(action))) => {
                    let kind = action.kind();
                    match ctx.store.act(self.key, &action, ctx.user, ctx.clock.now()) {
                        Ok(case) => {
                            self.dialog = None;
                            self.acted(ctx, kind, &case);
                        }
                        Err(StoreError::NeedsConfirmation(missing)) => {
                            self.dialog = None;
                            self.confirm = Some(Confirm::new(
                                Pending::Archive(action),
                                words(&missing),
                                ctx.user,
                            ));
                        }
                        Err(e) => d.error = Some(format!("未能{}：{e}", kind.label())),
                    }
                }
                // A case opens no period dialog, nor the report queue's, the meetings' and
                // the notebook's.
                Some(DialogResult::Submit(
                    Submission::Period(_)
                    | Submission::Triage { .. }
                    | Submission::Revisit { .. }
                    | Submission::Opinion { .. }
                    | Submission::Export { .. }
                    | Submission::Notebook { .. },
                ))
                | None => {}
            }
            return true;
        }
        if let Some(m) = &mut self.menu {
            match keys::lookup(Scope::Picker, ev) {
                Some(Cmd::Choose) => {
                    let chosen = m.chosen();
                    self.menu = None;
                    if chosen.as_deref() == Some(CORRECT) {
                        self.dialog = Some(Dialog::correct());
                    } else if let Some(kind) = chosen.and_then(|c| ActionKind::parse(&c)) {
                        self.open_dialog(kind, ctx);
                    }
                }
                Some(Cmd::Back) => self.menu = None,
                _ => {
                    m.key(ev);
                }
            }
            return true;
        }
        match keys::lookup(Scope::Case, ev) {
            Some(Cmd::Actions) => {
                // What this case's state allows and this account may do; 更正 always.
                let who = ctx.user.account();
                let mut options: Vec<String> = self
                    .offered(ctx.clock.today())
                    .into_iter()
                    .map(|k| k.label().to_string())
                    .collect();
                if authorize(who, Op::CorrectOwnSameDay).is_ok() {
                    options.push(CORRECT.to_string());
                }
                if options.is_empty() {
                    ctx.error(format!(
                        "案件状态为「{}」，{}（{}）在这里已没有可做的操作（按 F1 看原因）",
                        self.case.status.label(),
                        who.real_name,
                        who.role.label()
                    ));
                } else {
                    self.menu = Some(Picker::new("办理操作", options, None));
                }
            }
            Some(Cmd::AddEvidence) => {
                // The kind a printed 办理书 would miss first; the source when there is nothing.
                let missing =
                    crate::print::missing_evidence(&self.case, &self.evidence, &self.events);
                let kind = missing
                    .first()
                    .copied()
                    .or(self.evidence.is_empty().then_some(EvidenceKind::Source));
                self.dialog = Some(Dialog::add_evidence(kind));
            }
            Some(Cmd::PrintSlip) => self.print(ctx, Paper::Slip),
            Some(Cmd::PrintForm) => self.print(ctx, Paper::Form { annex: false }),
            Some(Cmd::PrintFormAnnex) => self.print(ctx, Paper::Form { annex: true }),
            Some(Cmd::Up) => self.scroll = self.scroll.saturating_sub(1),
            Some(Cmd::Down) => {
                self.scroll = (self.scroll + 1).min(self.max_scroll.get().max(self.scroll));
            }
            Some(Cmd::Back) => ctx.requests.push(Request::CloseCase),
            _ => return false,
        }
        true
    }

    /// The actions this case allows today and this account may take: the menu's entries.
    fn offered(&self, today: NaiveDate) -> Vec<ActionKind> {
        availability(&self.case.facts(), today)
            .into_iter()
            .filter(|(k, why)| why.is_ok() && Op::Act(*k).roles().contains(&self.role))
            .map(|(k, _)| k)
            .collect()
    }

    /// For F1: the actions not offered now, each with why.
    pub fn help_notes(&self, today: NaiveDate) -> Vec<(String, String)> {
        availability(&self.case.facts(), today)
            .into_iter()
            .filter_map(|(k, why)| {
                let why = match why {
                    Err(why) => why,
                    Ok(()) if !Op::Act(k).roles().contains(&self.role) => {
                        let roles: Vec<&str> =
                            Op::Act(k).roles().iter().map(|r| r.label()).collect();
                        format!("须由{}办理", roles.join("或"))
                    }
                    Ok(()) => return None,
                };
                Some((k.label().to_string(), why))
            })
            .collect()
    }

    fn print(&mut self, ctx: &mut Ctx, what: Paper) {
        match paper::print_confirmed(ctx, self.key, what, None) {
            // The print is on the timeline (and a 办理书 number may be new).
            Printing::Made => self.reload(ctx),
            Printing::NeedsConfirmation(missing) => {
                if let Paper::Form { annex } = what {
                    self.confirm = Some(Confirm::new(
                        Pending::PrintForm { annex },
                        missing,
                        ctx.user,
                    ));
                }
            }
            Printing::Failed => {}
        }
    }

    /// An action confirmed by a 值班长 (归档 with evidence missing).
    fn act(&mut self, ctx: &mut Ctx, action: &crate::domain::Action, by: Option<&Session>) {
        let kind = action.kind();
        match ctx
            .store
            .act_confirmed(self.key, action, ctx.user, by, ctx.clock.now())
        {
            Ok(case) => self.acted(ctx, kind, &case),
            Err(e) => ctx.error(format!("未能{}：{e}", kind.label())),
        }
    }

    fn acted(&mut self, ctx: &mut Ctx, kind: ActionKind, case: &Case) {
        let done = match kind {
            ActionKind::Progress => "记录进展",
            ActionKind::Decline => "不予受理",
            k => k.label(),
        };
        ctx.info(format!(
            "{}：已{done}，当前状态「{}」，期限 {}",
            case.case_no,
            case.status.label(),
            case.due_date.format("%Y-%m-%d")
        ));
        self.reload(ctx);
        ctx.requests.push(Request::BoardStale);
    }

    /// Every field as (label, value), empty ones left out.
    fn fields(&self, config: &Config, today: NaiveDate) -> Vec<(&'static str, String)> {
        let c = &self.case;
        let mut out: Vec<(&'static str, String)> = Vec::new();
        let mut add = |l: &'static str, v: String| {
            if !v.trim().is_empty() {
                out.push((l, v));
            }
        };
        add("案件编号", format!("{}（{}）", c.case_no, c.key));
        add("状态", c.status.label().to_string());
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
        add(
            "办理期限",
            format!("{}{left}（{}）", c.due_date.format("%Y-%m-%d"), c.due_basis),
        );
        let warn = config
            .calendar
            .missing_between(c.received_at.date_naive(), c.due_date);
        if let Some(w) = crate::calendar::clerk_notice(&warn) {
            add("注意", w);
        }
        add(
            "受理时间",
            c.received_at.format("%Y-%m-%d %H:%M").to_string(),
        );
        add("来源渠道", c.channel.clone());
        add("受理人", c.clerk.clone());
        let gender = c.person.gender.map(|g| g.label()).unwrap_or("");
        let birth = c
            .person
            .birth_date
            .map(|d| format!("，{}生", d.format("%Y-%m-%d")))
            .unwrap_or_default();
        add("当事人", format!("{} {gender}{birth}", c.person.name));
        if let Some(id) = &c.person.id_number {
            add("身份证号", mask_id(id.as_str()));
        }
        if let Some(p) = &c.person.phone {
            add("联系电话", mask_phone(p.as_str()));
        }
        add(
            "住址",
            format!("{}{}{}", c.person.town, c.person.village, c.person.address),
        );
        if c.group_size > 1 || !c.representatives.is_empty() {
            add(
                "来访人数",
                format!("{}人，代表：{}", c.group_size, c.representatives.join("、")),
            );
        }
        add("事项类别", c.category.clone());
        add("诉求内容", c.request.clone());
        add("事实与理由", c.facts.clone());
        add("理由", c.reasons.clone());
        add("事发地点", c.place.clone());
        let flags: Vec<&str> = [
            (c.urgent, "紧急"),
            (c.legal, "涉法涉诉"),
            (c.repeat, "重复来访"),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, s)| *s)
        .collect();
        add("标记", flags.join("、"));
        add("办理方式", c.route.label().to_string());
        if let Some(u) = &c.unit {
            let level = c
                .level
                .map(|l| format!("（{}级）", l.label()))
                .unwrap_or_default();
            add("责任单位", format!("{u}{level}"));
        }
        if let Some(e) = &c.extension {
            add(
                "延期",
                format!(
                    "{}日（原期限{}，批准人{}）：{}",
                    e.days,
                    e.previous_due,
                    e.approver,
                    clause(&e.reason)
                ),
            );
        }
        if let Some(r) = &c.resolution {
            let late = if r.on_time { "" } else { "，超期" };
            add(
                "办理结果",
                format!(
                    "{}（{}办结{late}）：{}",
                    r.outcome.label(),
                    r.closed_at.format("%Y-%m-%d"),
                    clause(&r.result)
                ),
            );
            add("办理依据", r.basis.clone());
        }
        if let Some(f) = &c.follow_up {
            let notes = match clause(&f.notes) {
                "" => String::new(),
                n => format!("：{n}"),
            };
            add(
                "回访",
                format!("{} {}，{}{notes}", f.date, f.way, f.satisfaction.label()),
            );
        }
        if let Some(d) = &c.decline_reason {
            add("不予受理", d.clone());
        }
        if let Some(k) = c.duplicate_of {
            add("合并至", k.to_string());
        }
        if !c.duplicates.is_empty() {
            let list: Vec<String> = c.duplicates.iter().map(ToString::to_string).collect();
            add("重复件", list.join("、"));
        }
        out
    }

    /// Draw label/value pairs with wrapped values, from row `skip`; returns rows it would take.
    pub(super) fn draw_pairs(
        buf: &mut Buffer,
        area: Rect,
        pairs: &[(String, String, Style)],
        label_w: u16,
        skip: u16,
    ) -> u16 {
        let vw = area.width.saturating_sub(label_w).max(4);
        let mut row: u16 = 0;
        for (l, v, style) in pairs {
            // Stored text never reaches the terminal raw (bidi and invisible characters).
            let v = crate::text::neutralize(v, true);
            let v = v.as_ref();
            let lines = text::wrap(v, vw as usize);
            for (i, line) in lines.iter().enumerate() {
                if row >= skip && row - skip < area.height {
                    let y = area.y + row - skip;
                    if i == 0 {
                        put(buf, area.x, y, l, label_w - 1, widgets::label());
                    }
                    buf.set_stringn(
                        area.x + label_w,
                        y,
                        &v[line.start..line.end],
                        vw as usize,
                        *style,
                    );
                }
                row += 1;
            }
        }
        row
    }

    /// The evidence list: a heading with the count, then each file as 序号 类型 | SHA-256 前12位,
    /// 添加时间, 页数, 名称.
    fn evidence_rows(&self) -> Vec<(String, String, Style)> {
        let mut rows = Vec::new();
        let missing = crate::print::missing_evidence(&self.case, &self.evidence, &self.events);
        let lacking = if missing.is_empty() {
            String::new()
        } else {
            let names: Vec<&str> = missing.iter().map(EvidenceKind::label).collect();
            format!("；缺{}", names.join("、"))
        };
        if self.evidence.is_empty() {
            rows.push((
                "证据材料".to_string(),
                format!("暂无（按 e 添加）{lacking}"),
                if lacking.is_empty() {
                    widgets::dim()
                } else {
                    widgets::warn()
                },
            ));
            return rows;
        }
        let pages: u32 = self.evidence.iter().map(|e| e.pages).sum();
        rows.push((
            "证据材料".to_string(),
            format!("{}件，共{pages}页（e 添加）{lacking}", self.evidence.len()),
            if lacking.is_empty() {
                Style::new()
            } else {
                widgets::warn()
            },
        ));
        for e in &self.evidence {
            rows.push((
                format!("{:>2} {}", e.seq, e.kind.label()),
                // The hash first: a run of hex wraps badly, a Chinese title well.
                format!(
                    "{} {} {}页 {}",
                    &e.sha256[..12.min(e.sha256.len())],
                    e.added_at.format("%m-%d %H:%M"),
                    e.pages,
                    e.title,
                ),
                Style::new(),
            ));
        }
        rows
    }

    pub fn render(
        &self,
        buf: &mut Buffer,
        area: Rect,
        config: &Config,
        today: NaiveDate,
    ) -> Option<(u16, u16)> {
        let title = format!(" 案件 {} · {} ", self.case.case_no, self.case.person.name);
        let block = Block::new().borders(Borders::ALL).title(title);
        let inner = block.inner(area);
        block.render(area, buf);

        let band = config.calendar.time_left(today, self.case.due_date).band;
        let fields: Vec<(String, String, Style)> = self
            .fields(config, today)
            .into_iter()
            .map(|(l, v)| {
                let style = match l {
                    "办理期限" if self.case.status.is_open() => widgets::band(band),
                    "注意" => widgets::warn(),
                    "状态" => Style::new().add_modifier(Modifier::BOLD),
                    _ => Style::new(),
                };
                (l.to_string(), v, style)
            })
            .collect();
        // What the clerk acts on first (evidence, actions, paper), then the history.
        let mut side = self.evidence_rows();
        let allowed: Vec<&str> = self.offered(today).iter().map(|k| k.label()).collect();
        let actions = if allowed.is_empty() && !self.case.status.is_open() {
            "（已终结，无可做操作）".to_string()
        } else if allowed.is_empty() {
            "（现在没有可做的操作，F1 看原因）".to_string()
        } else {
            allowed.join("、")
        };
        side.push((
            "可做操作".to_string(),
            format!("{actions}（按 a；F1 说明）"),
            widgets::ok(),
        ));
        side.push((
            "打印".to_string(),
            "p 受理回执  f 办理书  F 办理书附图片证据".to_string(),
            widgets::dim(),
        ));
        side.push((String::new(), String::new(), Style::new()));
        side.push(("时间线".to_string(), String::new(), Style::new()));
        side.extend(self.events.iter().map(|e| {
            (
                e.at.format("%m-%d %H:%M").to_string(),
                format!("{} · {}  {}", e.action, e.actor, e.details),
                Style::new(),
            )
        }));

        if inner.width >= 100 {
            let left_w = inner.width * 55 / 100;
            let left = Rect::new(inner.x, inner.y, left_w, inner.height);
            let right = Rect::new(
                inner.x + left_w + 1,
                inner.y,
                inner.width - left_w - 1,
                inner.height,
            );
            let l = Self::draw_pairs(buf, left, &fields, 12, self.scroll);
            let r = Self::draw_pairs(buf, right, &side, 13, self.scroll);
            self.max_scroll.set(l.max(r).saturating_sub(inner.height));
        } else {
            let mut all = fields;
            all.push((String::new(), String::new(), Style::new()));
            all.extend(side);
            let rows = Self::draw_pairs(buf, inner, &all, 12, self.scroll);
            self.max_scroll.set(rows.saturating_sub(inner.height));
        }

        if let Some(m) = &self.menu {
            return Some(m.render(buf, area));
        }
        if let Some(d) = &self.dialog {
            return d.render(buf, area, &self.case.case_no);
        }
        if let Some(c) = &self.confirm {
            return c.render(buf, area);
        }
        None
    }
}

/// Copy the file into the home folder and attach it to the case; the message for the status
/// line, or why not (shown in the dialog, which stays open).
fn add_evidence(ctx: &mut Ctx, key: CaseKey, file: &EvidenceFile) -> Result<String, String> {
    let what = crate::attaching::Attach {
        file: &file.path,
        kind: file.kind,
        title: &file.title,
        pages: file.pages,
    };
    crate::attaching::attach(ctx.store, ctx.home, key, &what, ctx.user, ctx.clock.now())
        .map(|a| a.message())
        .map_err(|e| format!("未能添加证据：{e:#}"))
}

impl super::component::Component for CaseView {
    fn scopes(&self) -> Vec<Scope> {
        CaseView::scopes(self)
    }

    fn is_typing(&self) -> bool {
        CaseView::is_typing(self)
    }

    fn handle_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> bool {
        CaseView::handle_key(self, ev, ctx)
    }

    fn type_text(&mut self, s: &str, _ctx: &mut Ctx) -> bool {
        CaseView::type_text(self, s)
    }

    fn render(
        &self,
        buf: &mut Buffer,
        area: Rect,
        view: &super::component::View,
    ) -> Option<(u16, u16)> {
        CaseView::render(self, buf, area, view.config, view.now.date_naive())
    }

    fn help_notes(
        &self,
        view: &super::component::View,
    ) -> Vec<(&'static str, Vec<(String, String)>)> {
        let notes = CaseView::help_notes(self, view.now.date_naive());
        if notes.is_empty() {
            Vec::new()
        } else {
            vec![("现在不能做的操作", notes)]
        }
    }
}

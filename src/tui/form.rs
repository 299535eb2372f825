//! 登记: the registration form. Every field of `NewCaseInput` in a fixed Tab order, pickers that
//! filter as the clerk types, each field checked when the clerk leaves it, gender and birth date
//! read from the ID, the deadline computed live, and earlier cases of the same person beside it.

use std::cell::Cell;
use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::{Block, Borders, Widget};

use super::ctx::Ctx;
use super::keys::{self, Cmd, Scope};
use super::text::{self, TextField};
use super::widgets::{self, filter_options, put};
use crate::clock;
use crate::config::Config;
use crate::domain::{IdNumber, Level, NewCaseInput, Phone, Route, mask_phone};
use crate::store::{PersonMatch, StoreError};

/// Where a picker's choices come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Gender,
    Town,
    Village,
    Channel,
    Category,
    Route,
    Level,
    Unit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Line,
    /// Several rows, wrapped.
    Block(u16),
    Pick(Source),
    Check,
}

pub struct Spec {
    /// The `NewCaseInput` field (and `FieldError::field`).
    pub key: &'static str,
    pub label: &'static str,
    pub kind: Kind,
    pub required: bool,
}

const fn f(key: &'static str, label: &'static str, kind: Kind, required: bool) -> Spec {
    Spec {
        key,
        label,
        kind,
        required,
    }
}

/// The fields in Tab order: the person, where they live, the matter, then how it is handled.
pub const FIELDS: &[Spec] = &[
    f("name", "姓名", Kind::Line, true),
    f("id_number", "身份证号", Kind::Line, false),
    f("phone", "联系电话", Kind::Line, false),
    f("gender", "性别", Kind::Pick(Source::Gender), false),
    f("town", "乡镇", Kind::Pick(Source::Town), true),
    f("village", "村（社区）", Kind::Pick(Source::Village), false),
    f("address", "详细地址", Kind::Line, false),
    f("channel", "来源渠道", Kind::Pick(Source::Channel), true),
    f("category", "事项类别", Kind::Pick(Source::Category), true),
    f("request", "诉求内容", Kind::Block(4), true),
    f("facts", "事实与理由", Kind::Block(3), false),
    f("reasons", "理由", Kind::Block(2), false),
    f("place", "事发地点", Kind::Line, false),
    f("group_size", "来访人数", Kind::Line, false),
    f("representatives", "代表", Kind::Line, false),
    f("urgent", "紧急", Kind::Check, false),
    f("legal", "涉法涉诉", Kind::Check, false),
    f("route", "办理方式", Kind::Pick(Source::Route), true),
    f("level", "办理层级", Kind::Pick(Source::Level), false),
    f("unit", "责任单位", Kind::Pick(Source::Unit), false),
    f("received_at", "受理时间", Kind::Line, false),
];

fn index_of(key: &str) -> usize {
    FIELDS
        .iter()
        .position(|s| s.key == key)
        .expect("a field of the form")
}

const LABEL_COLS: u16 = 12;

/// What the last Ctrl-S registered, for the side panel.
#[derive(Debug, Clone, PartialEq)]
pub struct Saved {
    pub key: crate::domain::CaseKey,
    pub case_no: String,
    pub name: String,
    pub due: NaiveDate,
}

pub struct Form {
    values: Vec<TextField>,
    checks: Vec<bool>,
    focus: usize,
    touched: Vec<bool>,
    errors: HashMap<&'static str, Vec<String>>,
    pick_sel: usize,
    matches: Vec<PersonMatch>,
    match_query: (Option<String>, Option<String>, Option<String>),
    pub saved: Option<Saved>,
    /// Changed since the draft was last written.
    pub draft_dirty: bool,
    scroll: Cell<usize>,
    /// Width the multi-line fields wrap at, learnt when drawing (for moving up and down).
    block_cols: Cell<usize>,
}

impl Default for Form {
    fn default() -> Self {
        Form::new()
    }
}

fn parse_received(s: &str) -> Result<Option<DateTime<FixedOffset>>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let naive = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M")
        .or_else(|_| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(|d| d.and_time(NaiveTime::from_hms_opt(9, 0, 0).expect("valid time")))
        })
        .map_err(|_| format!("「{s}」应为 2026-03-05 14:30 或 2026-03-05；留空为现在"))?;
    Ok(naive.and_local_timezone(clock::china()).single())
}

impl Form {
    pub fn new() -> Form {
        let values = FIELDS
            .iter()
            .map(|s| TextField::new(matches!(s.kind, Kind::Block(_))))
            .collect();
        Form {
            values,
            checks: vec![false; FIELDS.len()],
            focus: 0,
            touched: vec![false; FIELDS.len()],
            errors: HashMap::new(),
            pick_sel: 0,
            matches: Vec::new(),
            match_query: (None, None, None),
            saved: None,
            draft_dirty: false,
            scroll: Cell::new(0),
            block_cols: Cell::new(40),
        }
    }

    fn value(&self, key: &str) -> &str {
        self.values[index_of(key)].text()
    }

    pub fn focused(&self) -> &'static Spec {
        &FIELDS[self.focus]
    }

    /// The form as the register reads it (and as the draft is saved).
    pub fn input(&self) -> NewCaseInput {
        let v = |k: &str| self.value(k).trim().to_string();
        NewCaseInput {
            name: v("name"),
            id_number: v("id_number"),
            phone: v("phone"),
            gender: v("gender"),
            town: v("town"),
            village: v("village"),
            address: v("address"),
            channel: v("channel"),
            category: v("category"),
            route: v("route"),
            level: v("level"),
            unit: v("unit"),
            request: v("request"),
            facts: v("facts"),
            reasons: v("reasons"),
            place: v("place"),
            urgent: self.checks[index_of("urgent")],
            legal: self.checks[index_of("legal")],
            group_size: v("group_size").parse().ok(),
            representatives: v("representatives")
                .split(['、', '，', ',', ' '])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
            received_at: parse_received(self.value("received_at")).ok().flatten(),
        }
    }

    /// Fill the form from a draft.
    pub fn load(&mut self, input: &NewCaseInput) {
        *self = Form {
            saved: self.saved.take(),
            ..Form::new()
        };
        let set = |f: &mut Form, k: &str, s: &str| f.values[index_of(k)].set(s);
        set(self, "name", &input.name);
        set(self, "id_number", &input.id_number);
        set(self, "phone", &input.phone);
        set(self, "gender", &input.gender);
        set(self, "town", &input.town);
        set(self, "village", &input.village);
        set(self, "address", &input.address);
        set(self, "channel", &input.channel);
        set(self, "category", &input.category);
        set(self, "route", &input.route);
        set(self, "level", &input.level);
        set(self, "unit", &input.unit);
        set(self, "request", &input.request);
        set(self, "facts", &input.facts);
        set(self, "reasons", &input.reasons);
        set(self, "place", &input.place);
        let size = input.group_size.map(|n| n.to_string()).unwrap_or_default();
        set(self, "group_size", &size);
        set(self, "representatives", &input.representatives.join("、"));
        let at = input
            .received_at
            .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default();
        set(self, "received_at", &at);
        self.checks[index_of("urgent")] = input.urgent;
        self.checks[index_of("legal")] = input.legal;
        self.focus = 0;
    }

    pub fn is_blank(&self) -> bool {
        super::draft::is_blank(&self.input())
    }

    pub fn clear(&mut self) {
        let saved = self.saved.take();
        *self = Form::new();
        self.saved = saved;
        self.draft_dirty = true;
    }

    pub fn errors_of(&self, key: &str) -> &[String] {
        self.errors.get(key).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Check the whole form; keep the errors of the fields the clerk has left (all on save).
    fn validate(&mut self, config: &Config, now: DateTime<FixedOffset>) {
        let input = self.input();
        let mut all: HashMap<&'static str, Vec<String>> = HashMap::new();
        if let Err(errors) = crate::intake::validate(&input, config, now) {
            for e in errors {
                all.entry(e.field).or_default().push(e.message);
            }
        }
        if let Err(e) = parse_received(self.value("received_at")) {
            all.entry("received_at").or_default().push(e);
        }
        let size = self.value("group_size").trim();
        if !size.is_empty() && size.parse::<u32>().is_err() {
            all.entry("group_size")
                .or_default()
                .push(format!("「{size}」应为人数（数字）"));
        }
        self.errors = all
            .into_iter()
            .filter(|(k, _)| {
                FIELDS
                    .iter()
                    .position(|s| s.key == *k)
                    .is_none_or(|i| self.touched[i])
            })
            .collect();
    }

    /// The choices of a picker field, given what else the form holds.
    fn options(&self, source: Source, config: &Config) -> Vec<String> {
        match source {
            Source::Gender => vec!["男".into(), "女".into()],
            Source::Town => config.towns.iter().map(|t| t.name.clone()).collect(),
            Source::Village => config
                .town(self.value("town").trim())
                .map(|t| t.villages.clone())
                .unwrap_or_default(),
            Source::Channel => config.channels.clone(),
            Source::Category => config.categories().cloned().collect(),
            Source::Route => Route::labels().into_iter().map(String::from).collect(),
            Source::Level => Level::labels().into_iter().map(String::from).collect(),
            Source::Unit => {
                let mut units = match Level::from_label(self.value("level")) {
                    Some(l) => config.units_at(l),
                    None => config.units().to_vec(),
                };
                // The person's own township first.
                let town = self.value("town").trim().to_string();
                if !town.is_empty() {
                    units.sort_by_key(|u| !u.starts_with(&town));
                }
                units
            }
        }
    }

    fn visible_options(&self, config: &Config) -> Vec<String> {
        match FIELDS[self.focus].kind {
            Kind::Pick(src) => {
                let all = self.options(src, config);
                filter_options(&all, self.values[self.focus].text())
                    .into_iter()
                    .map(|i| all[i].clone())
                    .collect()
            }
            _ => Vec::new(),
        }
    }

    /// Put the highlighted choice into a picker field, unless it already holds a valid one or
    /// nothing was typed.
    fn settle_pick(&mut self, config: &Config, force: bool) {
        let Kind::Pick(src) = FIELDS[self.focus].kind else {
            return;
        };
        let typed = self.values[self.focus].text().trim().to_string();
        let all = self.options(src, config);
        // What was typed in full stands, even when Enter forces a choice.
        if all.contains(&typed) {
            return;
        }
        if typed.is_empty() && !force {
            return;
        }
        let visible = self.visible_options(config);
        if let Some(choice) = visible.get(self.pick_sel) {
            self.values[self.focus].set(choice);
            self.changed(FIELDS[self.focus].key);
        }
    }

    fn changed(&mut self, _key: &str) {
        self.draft_dirty = true;
    }

    /// The clerk leaves the focused field: settle a picker, derive from the ID, check.
    fn leave(&mut self, ctx: &mut Ctx) {
        let config = ctx.config.clone();
        self.settle_pick(&config, false);
        let key = FIELDS[self.focus].key;
        self.touched[self.focus] = true;
        if key == "id_number"
            && let Ok(id) = IdNumber::parse(self.value("id_number"))
        {
            let g = id.gender().label();
            let gi = index_of("gender");
            if self.values[gi].text() != g {
                self.values[gi].set(g);
            }
            // The ID is stored in its canonical form (a lower-case x becomes X).
            let fi = index_of("id_number");
            if self.values[fi].text() != id.as_str() {
                self.values[fi].set(id.as_str());
            }
        }
        if key == "town" {
            let town = self.value("town").trim().to_string();
            let village = self.value("village").trim().to_string();
            if let Some(t) = config.town(&town)
                && !village.is_empty()
                && !t.villages.is_empty()
                && !t.villages.contains(&village)
            {
                self.values[index_of("village")].clear();
            }
        }
        self.validate(&config, ctx.clock.now());
        self.refresh_matches(ctx);
    }

    fn move_focus(&mut self, ctx: &mut Ctx, forward: bool) {
        self.leave(ctx);
        let n = FIELDS.len();
        self.focus = if forward {
            (self.focus + 1) % n
        } else {
            (self.focus + n - 1) % n
        };
        self.enter_field(&ctx.config.clone());
    }

    fn enter_field(&mut self, config: &Config) {
        self.pick_sel = 0;
        if let Kind::Pick(_) = FIELDS[self.focus].kind {
            let current = self.values[self.focus].text().trim().to_string();
            let visible = self.visible_options(config);
            self.pick_sel = visible.iter().position(|o| *o == current).unwrap_or(0);
        }
    }

    /// Query earlier cases of this person when the ID, phone or name changed.
    pub fn refresh_matches(&mut self, ctx: &mut Ctx) {
        let id = IdNumber::parse(self.value("id_number"))
            .ok()
            .map(|i| i.as_str().to_string());
        let phone = Phone::parse(self.value("phone"))
            .ok()
            .map(|p| p.as_str().to_string());
        let name = Some(self.value("name").trim().to_string()).filter(|n| n.chars().count() >= 2);
        let query = (id, phone, name);
        if query == self.match_query {
            return;
        }
        self.match_query = query.clone();
        if query.0.is_none() && query.1.is_none() && query.2.is_none() {
            self.matches.clear();
            return;
        }
        match ctx.store.earlier_cases(
            query.0.as_deref(),
            query.1.as_deref(),
            query.2.as_deref(),
            8,
        ) {
            Ok(m) => self.matches = m,
            Err(e) => ctx.error(format!("查找以往登记时出错：{e}")),
        }
    }

    /// Ctrl-S: check everything, register, show the number, clear for the next person. A
    /// second Ctrl-S finds an empty form and registers nothing.
    fn save(&mut self, ctx: &mut Ctx) {
        let config = ctx.config.clone();
        self.settle_pick(&config, false);
        if self.is_blank() {
            // Most often a second Ctrl-S after a save: nothing is registered twice.
            match &self.saved {
                Some(s) => ctx.info(format!(
                    "表单是空的，未保存；上一件已登记为 {}（{}）",
                    s.case_no, s.name
                )),
                None => ctx.error("表单是空的，没有可保存的内容"),
            }
            return;
        }
        self.touched.iter_mut().for_each(|t| *t = true);
        self.validate(&config, ctx.clock.now());
        if !self.errors.is_empty() {
            if let Some(i) = FIELDS.iter().position(|s| self.errors.contains_key(s.key)) {
                self.focus = i;
                self.enter_field(&config);
            }
            let names: Vec<&str> = FIELDS
                .iter()
                .filter(|s| self.errors.contains_key(s.key))
                .map(|s| s.label)
                .collect();
            ctx.error(format!(
                "未保存：{}处有误（{}），请改正后再按 Ctrl-S",
                names.len(),
                names.join("、")
            ));
            return;
        }
        let input = self.input();
        match ctx.store.register(&input, ctx.user, ctx.clock.now()) {
            Ok(case) => {
                let warning = config
                    .calendar
                    .missing_between(case.received_at.date_naive(), case.due_date);
                let mut msg = format!(
                    "已登记 {}（{}），办理期限 {}",
                    case.case_no,
                    case.person.name,
                    case.due_date.format("%Y-%m-%d")
                );
                msg.push_str("；按 Ctrl-P 打印受理回执");
                if let Some(w) = crate::calendar::missing_tables_warning(&warning) {
                    msg.push_str("；注意：");
                    msg.push_str(&w);
                }
                self.saved = Some(Saved {
                    key: case.key,
                    case_no: case.case_no.clone(),
                    name: case.person.name.clone(),
                    due: case.due_date,
                });
                self.clear();
                self.match_query = (None, None, None);
                ctx.info(msg);
                ctx.requests.push(super::ctx::Request::BoardStale);
            }
            Err(StoreError::Invalid(errors)) => {
                self.errors.clear();
                for e in errors {
                    self.errors.entry(e.field).or_default().push(e.message);
                }
                ctx.error("未保存：有字段不符合要求，请看标红的项");
            }
            Err(e) => ctx.error(format!("未保存（表单内容已保留）：{e}")),
        }
    }

    pub fn scopes(&self) -> Vec<Scope> {
        let mut s = vec![Scope::Global, Scope::Form];
        if let Kind::Pick(_) = FIELDS[self.focus].kind {
            s.push(Scope::Picker);
        }
        s.push(Scope::Field);
        s
    }

    /// Handle a key; true when the form used it.
    pub fn handle_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> bool {
        let config = ctx.config.clone();
        let spec = &FIELDS[self.focus];
        if let Some(cmd) = keys::lookup(Scope::Form, ev) {
            match cmd {
                Cmd::NextField => self.move_focus(ctx, true),
                Cmd::PrevField => self.move_focus(ctx, false),
                Cmd::Save => self.save(ctx),
                Cmd::PrintSlip => match &self.saved {
                    Some(saved) => {
                        super::paper::print(ctx, saved.key, super::paper::Paper::Slip);
                    }
                    None => ctx.error(
                        "还没有刚登记的案件：先按 Ctrl-S 保存登记，再按 Ctrl-P 打印受理回执",
                    ),
                },
                Cmd::ClearForm => {
                    self.clear();
                    self.errors.clear();
                    self.matches.clear();
                    self.match_query = (None, None, None);
                    ctx.info("表单已清空");
                }
                Cmd::Toggle if spec.kind == Kind::Check => {
                    self.checks[self.focus] = !self.checks[self.focus];
                    self.draft_dirty = true;
                }
                Cmd::Toggle => return self.type_text(" ", ctx),
                Cmd::Back => ctx.requests.push(super::ctx::Request::GoBoard),
                _ => return false,
            }
            return true;
        }
        if let Kind::Pick(_) = spec.kind
            && let Some(cmd) = keys::lookup(Scope::Picker, ev)
        {
            let n = self.visible_options(&config).len();
            match cmd {
                Cmd::Up => self.pick_sel = self.pick_sel.saturating_sub(1),
                Cmd::Down => {
                    if self.pick_sel + 1 < n {
                        self.pick_sel += 1
                    }
                }
                Cmd::Choose => {
                    self.settle_pick(&config, true);
                    self.move_focus(ctx, true);
                }
                Cmd::Back => ctx.requests.push(super::ctx::Request::GoBoard),
                _ => return false,
            }
            return true;
        }
        if let Some(cmd) = keys::lookup(Scope::Field, ev) {
            let cols = self.block_cols.get();
            let field = &mut self.values[self.focus];
            let changed = match cmd {
                Cmd::Left => {
                    field.left();
                    false
                }
                Cmd::Right => {
                    field.right();
                    false
                }
                Cmd::LineStart => {
                    field.home();
                    false
                }
                Cmd::LineEnd => {
                    field.end();
                    false
                }
                Cmd::DeleteBack => field.delete_back(),
                Cmd::DeleteForward => field.delete_forward(),
                Cmd::NewLine => {
                    if matches!(spec.kind, Kind::Block(_)) {
                        field.insert("\n");
                        true
                    } else {
                        self.move_focus(ctx, true);
                        return true;
                    }
                }
                Cmd::Up | Cmd::Down => {
                    let down = cmd == Cmd::Down;
                    if matches!(spec.kind, Kind::Block(_)) && field.vertical(cols, down) {
                        return true;
                    }
                    self.move_focus(ctx, down);
                    return true;
                }
                _ => return false,
            };
            if changed {
                self.edited(ctx);
            }
            return true;
        }
        if let KeyCode::Char(c) = ev.code
            && !ev
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return self.type_text(&c.to_string(), ctx);
        }
        false
    }

    /// Text typed or pasted into the focused field.
    pub fn type_text(&mut self, s: &str, ctx: &mut Ctx) -> bool {
        let spec = &FIELDS[self.focus];
        if spec.kind == Kind::Check {
            return false;
        }
        self.values[self.focus].insert(s);
        self.edited(ctx);
        true
    }

    fn edited(&mut self, ctx: &mut Ctx) {
        self.draft_dirty = true;
        self.pick_sel = 0;
        if let Kind::Pick(src) = FIELDS[self.focus].kind {
            let all = self.options(src, &ctx.config);
            let typed = self.values[self.focus].text();
            self.pick_sel = widgets::initial_sel(&all, &filter_options(&all, typed), typed);
        }
        let key = FIELDS[self.focus].key;
        if matches!(key, "name" | "id_number" | "phone") {
            self.refresh_matches(ctx);
        }
        // An error the clerk is fixing stays until they leave the field; once fixed it goes.
        if self.errors.contains_key(key) {
            let config = ctx.config.clone();
            self.validate(&config, ctx.clock.now());
        }
    }

    /// The deadline the case would get now, and its warning.
    fn due(&self, config: &Config, now: DateTime<FixedOffset>) -> Option<(String, Option<String>)> {
        let route = Route::from_label(self.value("route"))?;
        let category = self.value("category").trim();
        let rule = config.deadline_rule(route, category);
        let received = parse_received(self.value("received_at"))
            .ok()
            .flatten()
            .unwrap_or(now)
            .date_naive();
        let due = config.calendar.due(received, rule.span);
        Some((
            format!(
                "{}（{}）\n依据：{}",
                due.date.format("%Y-%m-%d"),
                rule.span.label(),
                rule.basis
            ),
            due.warning(),
        ))
    }

    /// Draw the form into `area`; returns where the terminal cursor belongs.
    pub fn render(
        &self,
        buf: &mut Buffer,
        area: Rect,
        config: &Config,
        now: DateTime<FixedOffset>,
    ) -> Option<(u16, u16)> {
        let side_w = if area.width >= 110 { 40 } else { 28 };
        let form_area = Rect::new(area.x, area.y, area.width - side_w, area.height);
        let side_area = Rect::new(form_area.right(), area.y, side_w, area.height);

        let block = Block::new().borders(Borders::ALL).title(" 登记 ");
        let inner = block.inner(form_area);
        block.render(form_area, buf);
        // Two rows at the bottom for error messages.
        let fields_h = inner.height.saturating_sub(2);
        let value_x = inner.x + LABEL_COLS;
        let value_w = inner.width.saturating_sub(LABEL_COLS);
        self.block_cols
            .set((value_w as usize).saturating_sub(1).max(2));

        // Row offsets of the fields; scroll so the focused one is in view.
        let heights: Vec<u16> = FIELDS
            .iter()
            .map(|s| match s.kind {
                Kind::Block(n) => n,
                _ => 1,
            })
            .collect();
        let tops: Vec<usize> = heights
            .iter()
            .scan(0usize, |acc, h| {
                let t = *acc;
                *acc += *h as usize;
                Some(t)
            })
            .collect();
        let mut scroll = self.scroll.get();
        let (ft, fh) = (tops[self.focus], heights[self.focus] as usize);
        if ft < scroll {
            scroll = ft;
        }
        if ft + fh > scroll + fields_h as usize {
            scroll = ft + fh - fields_h as usize;
        }
        self.scroll.set(scroll);

        let mut cursor = None;
        let mut focus_rect = None;
        for (i, spec) in FIELDS.iter().enumerate() {
            let top = tops[i];
            let h = heights[i] as usize;
            if top < scroll || top + h > scroll + fields_h as usize {
                continue;
            }
            let y = inner.y + (top - scroll) as u16;
            let focused = i == self.focus;
            let errs = self.errors_of(spec.key);
            let lstyle = if !errs.is_empty() {
                widgets::error()
            } else if focused {
                widgets::focus_label()
            } else {
                widgets::label()
            };
            let mark = if !errs.is_empty() {
                "!"
            } else if spec.required {
                "*"
            } else {
                " "
            };
            put(
                buf,
                inner.x,
                y,
                &format!("{mark}{}", spec.label),
                LABEL_COLS - 1,
                lstyle,
            );
            let fstyle = if focused {
                widgets::focus_field()
            } else {
                widgets::field()
            };
            let rect = Rect::new(value_x, y, value_w, heights[i]);
            match spec.kind {
                Kind::Check => {
                    let on = self.checks[i];
                    let s = if on { "[√] 是" } else { "[ ] 否" };
                    put(buf, value_x, y, s, value_w, fstyle);
                    if focused {
                        cursor = Some((value_x + 1, y));
                    }
                }
                Kind::Block(_) => {
                    buf.set_style(rect, fstyle);
                    let c = self.values[i].render_block(buf, rect, fstyle);
                    if focused {
                        cursor = Some(c);
                    }
                }
                Kind::Line | Kind::Pick(_) => {
                    let text_w = if focused {
                        value_w
                    } else {
                        (text::width(self.values[i].text()) as u16 + 1).min(value_w)
                    };
                    let frect = Rect::new(value_x, y, text_w.max(1), 1);
                    buf.set_style(Rect::new(value_x, y, value_w, 1), fstyle);
                    let c = self.values[i].render_line(buf, frect, fstyle);
                    if focused {
                        cursor = Some(c);
                        focus_rect = Some(rect);
                    }
                    let used = text::width(self.values[i].text()) as u16 + 1;
                    let aside = self.aside(spec, config);
                    let (note, nstyle) = match (errs.first(), aside) {
                        (Some(e), _) => (
                            Some(e.clone()),
                            widgets::error().bg(fstyle.bg.unwrap_or_default()),
                        ),
                        (None, Some(a)) => {
                            (Some(a), widgets::dim().bg(fstyle.bg.unwrap_or_default()))
                        }
                        (None, None) => (None, Style::new()),
                    };
                    if let Some(note) = note
                        && value_w > used + 8
                    {
                        put(
                            buf,
                            value_x + used + 1,
                            y,
                            &note,
                            value_w - used - 1,
                            nstyle,
                        );
                    } else if self.values[i].text().is_empty()
                        && let Kind::Pick(_) = spec.kind
                        && !focused
                    {
                        put(
                            buf,
                            value_x,
                            y,
                            "‹请选择›",
                            value_w,
                            widgets::dim().bg(fstyle.bg.unwrap_or_default()),
                        );
                    }
                }
            }
        }
        // Scroll marks when some fields are out of view.
        let total: usize = heights.iter().map(|h| *h as usize).sum();
        if scroll > 0 {
            put(
                buf,
                form_area.right() - 8,
                form_area.y,
                "↑更多",
                6,
                widgets::dim(),
            );
        }
        if scroll + (fields_h as usize) < total {
            put(
                buf,
                form_area.right() - 8,
                inner.y + fields_h,
                "↓更多",
                6,
                widgets::dim(),
            );
        }

        // Messages of the fields that do not pass: the focused one first.
        let mut msgs: Vec<String> = Vec::new();
        let focused_key = FIELDS[self.focus].key;
        for e in self.errors_of(focused_key) {
            msgs.push(format!("{}：{e}", FIELDS[self.focus].label));
        }
        for s in FIELDS.iter().filter(|s| s.key != focused_key) {
            for e in self.errors_of(s.key) {
                msgs.push(format!("{}：{e}", s.label));
            }
        }
        for (k, m) in self
            .errors
            .iter()
            .filter(|(k, _)| !FIELDS.iter().any(|s| s.key == **k))
        {
            let _ = k;
            for e in m {
                msgs.push(e.clone());
            }
        }
        let msg_area = Rect::new(inner.x, inner.y + fields_h, inner.width, 2);
        if !msgs.is_empty() {
            let text = if msgs.len() > 2 {
                format!("{}；另有{}处有误", msgs[0], msgs.len() - 1)
            } else {
                msgs.join("；")
            };
            widgets::wrapped(buf, msg_area, &text, widgets::error());
        }

        self.render_side(buf, side_area, config, now);

        // The focused picker's choices, drawn last so they lie over the fields below.
        if let (Kind::Pick(_), Some(rect)) = (FIELDS[self.focus].kind, focus_rect) {
            let visible = self.visible_options(config);
            let items: Vec<&str> = visible.iter().map(String::as_str).collect();
            let rows = (items.len().max(1) as u16).min(6);
            let w = items
                .iter()
                .map(|s| text::width(s) as u16)
                .max()
                .unwrap_or(10)
                .clamp(12, value_w.max(12))
                + 2;
            let below = rect.y + 1;
            // Below the field; above it (beside what was typed, so the value above stays
            // readable) when there is no room below.
            let (x, y) = if below + rows + 2 <= area.bottom() {
                (rect.x, below)
            } else {
                let typed = text::width(self.values[self.focus].text()) as u16;
                (rect.x + typed + 2, rect.y.saturating_sub(rows + 2))
            };
            let pop = Rect::new(x, y, w.min(area.right().saturating_sub(x)), rows + 2);
            let inner = widgets::popup(buf, pop, "");
            widgets::list(buf, inner, &items, self.pick_sel);
        }
        cursor
    }

    /// A note after a field's value: what the ID tells, the masked phone.
    fn aside(&self, spec: &Spec, config: &Config) -> Option<String> {
        match spec.key {
            "gender" => IdNumber::parse(self.value("id_number")).ok().map(|id| {
                format!(
                    "出生日期 {}（据身份证号）",
                    id.birth_date().format("%Y-%m-%d")
                )
            }),
            "phone" => Phone::parse(self.value("phone"))
                .ok()
                .map(|p| format!("回执上显示 {}", mask_phone(p.as_str()))),
            "village" if config.town(self.value("town").trim()).is_none() => {
                Some("先选乡镇".to_string())
            }
            "received_at" if self.value("received_at").trim().is_empty() => {
                Some("留空为现在".to_string())
            }
            "representatives" if self.value("representatives").trim().is_empty() => {
                Some("多人来访时填写，用、分隔，至多5人".to_string())
            }
            _ => None,
        }
    }

    fn render_side(
        &self,
        buf: &mut Buffer,
        area: Rect,
        config: &Config,
        now: DateTime<FixedOffset>,
    ) {
        let block = Block::new().borders(Borders::ALL).title(" 期限与以往登记 ");
        let inner = block.inner(area);
        block.render(area, buf);
        let mut y = inner.y;
        let para = |buf: &mut Buffer, s: &str, style: Style, y: &mut u16| {
            if *y >= inner.bottom() {
                return;
            }
            let r = Rect::new(inner.x, *y, inner.width, inner.bottom() - *y);
            *y += widgets::wrapped(buf, r, s, style);
        };
        if let Some(saved) = &self.saved {
            para(
                buf,
                &format!(
                    "刚登记：{} {}，期限 {}（Ctrl-P 打印回执）",
                    saved.case_no,
                    saved.name,
                    saved.due.format("%m-%d")
                ),
                widgets::ok(),
                &mut y,
            );
        }
        match self.due(config, now) {
            Some((due, warning)) => {
                para(buf, &format!("办理期限：{due}"), Style::new(), &mut y);
                if let Some(w) = warning {
                    para(buf, &format!("注意：{w}"), widgets::warn(), &mut y);
                }
            }
            None => para(buf, "办理期限：选定办理方式后显示", widgets::dim(), &mut y),
        }
        y += 1;
        if self.matches.is_empty() {
            let any = self.match_query.0.is_some()
                || self.match_query.1.is_some()
                || self.match_query.2.is_some();
            let s = if any {
                "以往登记：无（按身份证号、电话、姓名查找）"
            } else {
                "以往登记：输入姓名、身份证号或电话后自动查找"
            };
            para(buf, s, widgets::dim(), &mut y);
            return;
        }
        para(
            buf,
            &format!("以往登记：{}件（可能是重复来访）", self.matches.len()),
            widgets::warn(),
            &mut y,
        );
        for m in &self.matches {
            let by: Vec<&str> = [
                (m.by_id, "身份证"),
                (m.by_phone, "电话"),
                (m.by_name, "姓名"),
            ]
            .iter()
            .filter(|(b, _)| *b)
            .map(|(_, s)| *s)
            .collect();
            para(
                buf,
                &format!(
                    "{} {} {}",
                    m.row.key,
                    m.row.received_at.format("%m-%d"),
                    m.row.status.label()
                ),
                Style::new(),
                &mut y,
            );
            para(
                buf,
                &format!(" {} {} 同{}", m.row.name, m.row.category, by.join("、")),
                widgets::dim(),
                &mut y,
            );
        }
    }
}

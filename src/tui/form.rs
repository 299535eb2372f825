//! 登记: the registration form. Every field of `NewCaseInput` in a fixed Tab order, pickers that
//! filter as the clerk types, each field checked when the clerk leaves it, gender and birth date
//! read from the ID, the deadline computed live, and earlier cases of the same person beside it.
//! The same form registers a 民意报告单 as a case (立案), prefilled from the report.

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
use super::pick::Pick;
use super::text::{self, TextField};
use super::widgets::{self, Picker, put};
use crate::clock;
use crate::config::Config;
use crate::domain::records::RecordKey;
use crate::domain::{Field, IdNumber, Level, NewCaseInput, Outcome, Phone, Route, mask_phone};
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
    Outcome,
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
    pub id: Field,
    pub kind: Kind,
    pub required: bool,
}

const fn f(id: Field, kind: Kind, required: bool) -> Spec {
    Spec { id, kind, required }
}

/// The fields in Tab order: the person, where they live, the matter, then how it is handled.
/// The answer of 当场办结 shows only for that route, the level and unit only for the others.
pub const FIELDS: &[Spec] = &[
    f(Field::Name, Kind::Line, true),
    f(Field::IdNumber, Kind::Line, false),
    f(Field::Phone, Kind::Line, false),
    f(Field::Gender, Kind::Pick(Source::Gender), false),
    f(Field::Town, Kind::Pick(Source::Town), true),
    f(Field::Village, Kind::Pick(Source::Village), false),
    f(Field::Address, Kind::Line, false),
    f(Field::Channel, Kind::Pick(Source::Channel), true),
    f(Field::Category, Kind::Pick(Source::Category), true),
    f(Field::Request, Kind::Block(4), true),
    f(Field::Facts, Kind::Block(3), false),
    f(Field::Reasons, Kind::Block(2), false),
    f(Field::Place, Kind::Line, false),
    f(Field::GroupSize, Kind::Line, false),
    f(Field::Representatives, Kind::Line, false),
    f(Field::Urgent, Kind::Check, false),
    f(Field::Legal, Kind::Check, false),
    f(Field::Route, Kind::Pick(Source::Route), true),
    f(Field::Outcome, Kind::Pick(Source::Outcome), true),
    f(Field::Result, Kind::Block(3), true),
    f(Field::Basis, Kind::Line, false),
    f(Field::Level, Kind::Pick(Source::Level), false),
    f(Field::Unit, Kind::Pick(Source::Unit), false),
    f(Field::ReceivedAt, Kind::Line, false),
];

fn index_of(id: Field) -> usize {
    FIELDS
        .iter()
        .position(|s| s.id == id)
        .expect("a field of the form")
}

/// The channel preselected at a walk-in counter.
const COUNTER_CHANNEL: &str = "来访";

const LABEL_COLS: u16 = 12;

/// What the last Ctrl-S registered, for the side panel.
#[derive(Debug, Clone, PartialEq)]
pub struct Saved {
    pub key: crate::domain::CaseKey,
    pub case_no: String,
    pub name: String,
    pub due: NaiveDate,
    /// Registered closed (当场办结 answered at the counter).
    pub closed: bool,
}

/// The 民意报告单 a form registers as a case.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportLink {
    pub key: RecordKey,
    pub report_no: String,
}

/// What a field holds.
enum Value {
    Text(TextField),
    Pick(Pick),
    Check(bool),
}

impl Value {
    fn text(&self) -> &str {
        match self {
            Value::Text(t) => t.text(),
            Value::Pick(p) => p.value(),
            Value::Check(_) => "",
        }
    }

    fn set(&mut self, s: &str) {
        match self {
            Value::Text(t) => t.set(s),
            Value::Pick(p) => p.set(s),
            Value::Check(_) => {}
        }
    }
}

pub struct Form {
    values: Vec<Value>,
    focus: usize,
    touched: Vec<bool>,
    errors: HashMap<Field, Vec<String>>,
    /// Errors of the form as a whole (not of one field).
    general: Vec<String>,
    matches: Vec<PersonMatch>,
    match_query: (Option<String>, Option<String>, Option<String>),
    /// F6: the earlier cases of this person to open one.
    earlier: Option<Picker>,
    /// What a new form starts with.
    defaults: Defaults,
    /// Years without a holiday table the clerk has been told about: once is enough.
    told_years: std::collections::BTreeSet<i32>,
    pub saved: Option<Saved>,
    /// The report this form registers (立案), if it does: Ctrl-S links the two.
    report: Option<ReportLink>,
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

/// What a new form starts with: the walk-in channel at a counter (when configured), and at a
/// town's or village's center its own town (and village), where nearly everyone it registers
/// lives. A county center's form leaves the place empty.
#[derive(Debug, Clone, Default)]
struct Defaults {
    channel: String,
    town: String,
    village: String,
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
            .map(|s| match s.kind {
                Kind::Line => Value::Text(TextField::new(false)),
                Kind::Block(_) => Value::Text(TextField::new(true)),
                Kind::Pick(_) => Value::Pick(Pick::new(Vec::new(), "")),
                Kind::Check => Value::Check(false),
            })
            .collect();
        Form {
            values,
            focus: 0,
            touched: vec![false; FIELDS.len()],
            errors: HashMap::new(),
            general: Vec::new(),
            matches: Vec::new(),
            match_query: (None, None, None),
            earlier: None,
            defaults: Defaults::default(),
            told_years: Default::default(),
            saved: None,
            report: None,
            draft_dirty: false,
            scroll: Cell::new(0),
            block_cols: Cell::new(40),
        }
    }

    /// A form for the counter: the walk-in channel preselected (when the center has it).
    pub fn for_counter(config: &Config) -> Form {
        let mut form = Form::new();
        if config.channels.iter().any(|c| c == COUNTER_CHANNEL) {
            form.defaults.channel = COUNTER_CHANNEL.to_string();
        }
        form.apply_defaults();
        form
    }

    /// 立案 of a report: the form filled from it (`case_input_from`), the cursor on 事项类别,
    /// the first thing a report does not say.
    pub fn for_report(config: &Config, link: ReportLink, input: &NewCaseInput) -> Form {
        let mut form = Form::for_counter(config);
        form.load(input);
        form.report = Some(link);
        form.focus = index_of(Field::Category);
        form.enter_field(config);
        form
    }

    /// The report this form registers, if it does.
    pub fn report(&self) -> Option<&ReportLink> {
        self.report.as_ref()
    }

    /// The place a new form starts with: the clerk's center's town and village (empty for the
    /// county's). The form in hand is left alone; the next one cleared starts there.
    pub fn set_home_place(&mut self, town: &str, village: &str) {
        self.defaults.town = town.to_string();
        self.defaults.village = village.to_string();
    }

    fn apply_defaults(&mut self) {
        let d = self.defaults.clone();
        self.value_mut(Field::Channel).set(&d.channel);
        self.value_mut(Field::Town).set(&d.town);
        self.value_mut(Field::Village).set(&d.village);
    }

    fn value(&self, id: Field) -> &str {
        self.values[index_of(id)].text()
    }

    fn value_mut(&mut self, id: Field) -> &mut Value {
        &mut self.values[index_of(id)]
    }

    fn check(&self, id: Field) -> bool {
        matches!(self.values[index_of(id)], Value::Check(true))
    }

    pub fn focused(&self) -> &'static Spec {
        &FIELDS[self.focus]
    }

    fn on_the_spot(&self) -> bool {
        Route::from_label(self.value(Field::Route)) == Some(Route::OnTheSpot)
    }

    /// Whether a field is on the form now: the answer only for 当场办结, the routing only for
    /// the other routes.
    fn shown(&self, id: Field) -> bool {
        match id {
            Field::Outcome | Field::Result | Field::Basis => self.on_the_spot(),
            Field::Level | Field::Unit => !self.on_the_spot(),
            _ => true,
        }
    }

    /// Whether Tab stops at a field: shown, and not one the ID number already decided.
    fn stops_at(&self, i: usize) -> bool {
        let id = FIELDS[i].id;
        self.shown(id)
            && !(id == Field::Gender && IdNumber::parse(self.value(Field::IdNumber)).is_ok())
    }

    /// The form as the register reads it (and as the draft is saved).
    pub fn input(&self) -> NewCaseInput {
        let v = |k: Field| {
            if self.shown(k) {
                self.value(k).trim().to_string()
            } else {
                String::new()
            }
        };
        NewCaseInput {
            name: v(Field::Name),
            id_number: v(Field::IdNumber),
            phone: v(Field::Phone),
            gender: v(Field::Gender),
            town: v(Field::Town),
            village: v(Field::Village),
            address: v(Field::Address),
            channel: v(Field::Channel),
            category: v(Field::Category),
            route: v(Field::Route),
            level: v(Field::Level),
            unit: v(Field::Unit),
            request: v(Field::Request),
            facts: v(Field::Facts),
            reasons: v(Field::Reasons),
            place: v(Field::Place),
            urgent: self.check(Field::Urgent),
            legal: self.check(Field::Legal),
            group_size: v(Field::GroupSize).parse().ok(),
            representatives: v(Field::Representatives)
                .split(['、', '，', ',', ' '])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
            received_at: parse_received(self.value(Field::ReceivedAt)).ok().flatten(),
            outcome: v(Field::Outcome),
            result: v(Field::Result),
            basis: v(Field::Basis),
        }
    }

    /// Fill the form from a draft.
    pub fn load(&mut self, input: &NewCaseInput) {
        *self = Form {
            saved: self.saved.take(),
            defaults: self.defaults.clone(),
            told_years: std::mem::take(&mut self.told_years),
            ..Form::new()
        };
        let size = input.group_size.map(|n| n.to_string()).unwrap_or_default();
        let at = input
            .received_at
            .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default();
        let representatives = input.representatives.join("、");
        for (id, s) in [
            (Field::Name, &input.name),
            (Field::IdNumber, &input.id_number),
            (Field::Phone, &input.phone),
            (Field::Gender, &input.gender),
            (Field::Town, &input.town),
            (Field::Village, &input.village),
            (Field::Address, &input.address),
            (Field::Channel, &input.channel),
            (Field::Category, &input.category),
            (Field::Route, &input.route),
            (Field::Level, &input.level),
            (Field::Unit, &input.unit),
            (Field::Request, &input.request),
            (Field::Facts, &input.facts),
            (Field::Reasons, &input.reasons),
            (Field::Place, &input.place),
            (Field::GroupSize, &size),
            (Field::Representatives, &representatives),
            (Field::ReceivedAt, &at),
            (Field::Outcome, &input.outcome),
            (Field::Result, &input.result),
            (Field::Basis, &input.basis),
        ] {
            self.value_mut(id).set(s);
        }
        *self.value_mut(Field::Urgent) = Value::Check(input.urgent);
        *self.value_mut(Field::Legal) = Value::Check(input.legal);
        self.focus = 0;
    }

    pub fn is_blank(&self) -> bool {
        super::draft::is_blank(&self.input())
    }

    pub fn clear(&mut self) {
        let saved = self.saved.take();
        let defaults = std::mem::take(&mut self.defaults);
        let told_years = std::mem::take(&mut self.told_years);
        *self = Form::new();
        self.saved = saved;
        self.defaults = defaults;
        self.told_years = told_years;
        self.apply_defaults();
        self.draft_dirty = true;
    }

    pub fn errors_of(&self, id: Field) -> &[String] {
        self.errors.get(&id).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Check the whole form; keep the errors of the fields the clerk has left (all on save).
    fn validate(&mut self, config: &Config, now: DateTime<FixedOffset>) {
        let input = self.input();
        let mut all: HashMap<Field, Vec<String>> = HashMap::new();
        if let Err(errors) = crate::intake::validate(&input, config, now) {
            for e in errors {
                all.entry(e.field).or_default().push(e.message);
            }
        }
        if let Err(e) = parse_received(self.value(Field::ReceivedAt)) {
            all.entry(Field::ReceivedAt).or_default().push(e);
        }
        let size = self.value(Field::GroupSize).trim();
        if !size.is_empty() && size.parse::<u32>().is_err() {
            all.entry(Field::GroupSize)
                .or_default()
                .push(format!("「{size}」应为人数（数字）"));
        }
        // At the counter a matter solved on the spot is registered with its answer.
        if self.on_the_spot() && input.outcome.is_empty() && input.result.is_empty() {
            all.entry(Field::Outcome)
                .or_default()
                .push("当场办结请选择结果类型".into());
            all.entry(Field::Result)
                .or_default()
                .push("当场办结请写明当场给出的答复".into());
        }
        self.errors = all
            .into_iter()
            .filter(|(k, _)| self.touched[index_of(*k)])
            .collect();
    }

    /// The choices of a picker field, given what else the form holds.
    fn options(&self, source: Source, config: &Config) -> Vec<String> {
        match source {
            Source::Gender => vec!["男".into(), "女".into()],
            Source::Town => config.towns.iter().map(|t| t.name.clone()).collect(),
            Source::Village => config
                .town(self.value(Field::Town).trim())
                .map(|t| t.villages.clone())
                .unwrap_or_default(),
            Source::Channel => config.channels.clone(),
            Source::Category => config.categories().cloned().collect(),
            Source::Route => Route::labels().into_iter().map(String::from).collect(),
            Source::Level => Level::labels().into_iter().map(String::from).collect(),
            Source::Outcome => Outcome::labels().into_iter().map(String::from).collect(),
            Source::Unit => {
                let town = self.value(Field::Town).trim().to_string();
                match Level::from_label(self.value(Field::Level)) {
                    Some(l) => config.units_for(l, &town),
                    None => {
                        // Every unit, the person's own township's first.
                        let mut units = config.units().to_vec();
                        units.sort_by_key(|u| !u.starts_with(&town));
                        units
                    }
                }
            }
        }
    }

    fn focused_pick(&mut self) -> Option<&mut Pick> {
        match &mut self.values[self.focus] {
            Value::Pick(p) => Some(p),
            _ => None,
        }
    }

    /// The clerk leaves the focused field: take a picker's highlight, derive from the ID, check.
    fn leave(&mut self, ctx: &mut Ctx) {
        let config = ctx.config.clone();
        if let Some(p) = self.focused_pick()
            && p.take()
        {
            self.draft_dirty = true;
        }
        let id = FIELDS[self.focus].id;
        self.touched[self.focus] = true;
        if id == Field::IdNumber
            && let Ok(parsed) = IdNumber::parse(self.value(Field::IdNumber))
        {
            let g = parsed.gender().label();
            if self.value(Field::Gender) != g {
                self.value_mut(Field::Gender).set(g);
            }
            // The ID is stored in its canonical form (a lower-case x becomes X).
            if self.value(Field::IdNumber) != parsed.as_str() {
                self.value_mut(Field::IdNumber).set(parsed.as_str());
            }
        }
        if id == Field::Town {
            let town = self.value(Field::Town).trim().to_string();
            let village = self.value(Field::Village).trim().to_string();
            if let Some(t) = config.town(&town)
                && !village.is_empty()
                && !t.villages.is_empty()
                && !t.villages.contains(&village)
            {
                self.value_mut(Field::Village).set("");
            }
        }
        self.validate(&config, ctx.clock.now());
        self.refresh_matches(ctx);
    }

    /// Tab and Shift-Tab: to the next field the clerk fills. At either end the focus stays,
    /// so a Tab too many never lands in 姓名 to be typed into.
    fn move_focus(&mut self, ctx: &mut Ctx, forward: bool) {
        self.leave(ctx);
        let next = if forward {
            (self.focus + 1..FIELDS.len()).find(|&i| self.stops_at(i))
        } else {
            (0..self.focus).rev().find(|&i| self.stops_at(i))
        };
        match next {
            Some(i) => self.focus = i,
            None if forward => ctx.info(format!(
                "已是最后一项（{}）：按 Ctrl-S 保存登记，Shift-Tab 回到上一项",
                FIELDS[self.focus].id.label()
            )),
            None => ctx.info("已是第一项"),
        }
        self.enter_field(&ctx.config.clone());
    }

    /// PgDn / PgUp: to the next (previous) required field, past the optional ones between.
    fn jump_required(&mut self, ctx: &mut Ctx, forward: bool) {
        let required = |i: usize| FIELDS[i].required && self.stops_at(i);
        let next = if forward {
            (self.focus + 1..FIELDS.len()).find(|&i| required(i))
        } else {
            (0..self.focus).rev().find(|&i| required(i))
        };
        match next {
            Some(i) => {
                self.leave(ctx);
                self.focus = i;
                self.enter_field(&ctx.config.clone());
            }
            None if forward => ctx.info("后面没有必填项了：按 Ctrl-S 保存登记"),
            None => ctx.info("前面没有必填项了"),
        }
    }

    fn enter_field(&mut self, config: &Config) {
        if let Kind::Pick(src) = FIELDS[self.focus].kind {
            let options = self.options(src, config);
            if let Some(p) = self.focused_pick() {
                p.set_options(options);
                p.enter();
            }
        }
    }

    /// Query earlier cases of this person when the ID, phone or name changed. Matches by ID
    /// number or phone come before those by name alone.
    pub fn refresh_matches(&mut self, ctx: &mut Ctx) {
        let id = IdNumber::parse(self.value(Field::IdNumber))
            .ok()
            .map(|i| i.as_str().to_string());
        let phone = Phone::parse(self.value(Field::Phone))
            .ok()
            .map(|p| p.as_str().to_string());
        let name =
            Some(self.value(Field::Name).trim().to_string()).filter(|n| n.chars().count() >= 2);
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
            Ok(mut m) => {
                // Stable: within each rank the newest first, as the store returns them.
                m.sort_by_key(|m| (!m.by_id, !m.by_phone));
                self.matches = m;
            }
            Err(e) => ctx.error(format!("查找以往登记时出错：{e}")),
        }
    }

    /// F5: the person's details from their latest earlier case (the best match).
    fn prefill(&mut self, ctx: &mut Ctx) {
        let Some(m) = self.matches.first() else {
            ctx.error("没有以往登记可套用：先输入姓名、身份证号或电话");
            return;
        };
        let key = m.row.key;
        let case = match ctx.store.case(key) {
            Ok(c) => c,
            Err(e) => {
                ctx.error(format!("读取以往登记 {key} 出错：{e}"));
                return;
            }
        };
        let p = &case.person;
        let id = p.id_number.as_ref().map(|i| i.as_str().to_string());
        let phone = p.phone.as_ref().map(|i| i.as_str().to_string());
        let gender = p.gender.map(|g| g.label().to_string());
        let mut filled = Vec::new();
        for (field, value) in [
            (Field::Name, Some(p.name.clone())),
            (Field::IdNumber, id),
            (Field::Phone, phone),
            (Field::Gender, gender),
            (Field::Town, Some(p.town.clone())),
            (Field::Village, Some(p.village.clone())),
            (Field::Address, Some(p.address.clone())),
        ] {
            let Some(value) = value.filter(|v| !v.trim().is_empty()) else {
                continue;
            };
            // What the clerk typed differently stays; empty fields are filled.
            if self.value(field).trim().is_empty() {
                self.value_mut(field).set(&value);
                filled.push(field.label());
            }
        }
        self.draft_dirty = true;
        let config = ctx.config.clone();
        self.validate(&config, ctx.clock.now());
        // On to the matter: the first required field still empty after the person's.
        if let Some(i) = (index_of(Field::Channel)..FIELDS.len())
            .find(|&i| FIELDS[i].required && self.stops_at(i) && self.values[i].text().is_empty())
        {
            self.focus = i;
            self.enter_field(&config);
        }
        if filled.is_empty() {
            ctx.info(format!("{} 的个人信息与表单一致，无需套用", case.case_no));
        } else {
            ctx.info(format!(
                "已从 {} 套用：{}（请向来访人核对）",
                case.case_no,
                filled.join("、")
            ));
        }
        self.refresh_matches(ctx);
    }

    /// F6: choose one of the earlier cases to open.
    fn open_earlier(&mut self, ctx: &mut Ctx) {
        if self.matches.is_empty() {
            ctx.error("没有以往登记：先输入姓名、身份证号或电话");
            return;
        }
        let options = self
            .matches
            .iter()
            .map(|m| {
                format!(
                    "{} {} {} {} {}",
                    m.row.key,
                    m.row.received_at.format("%Y-%m-%d"),
                    m.row.status.label(),
                    m.row.name,
                    m.row.category
                )
            })
            .collect();
        self.earlier = Some(Picker::new("打开以往登记的案件", options, None));
    }

    /// Ctrl-S: check everything, register, show the number, clear for the next person. A
    /// second Ctrl-S finds an empty form and registers nothing.
    fn save(&mut self, ctx: &mut Ctx) {
        let config = ctx.config.clone();
        if let Some(p) = self.focused_pick() {
            p.take();
        }
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
        let bad: Vec<usize> = (0..FIELDS.len())
            .filter(|&i| self.shown(FIELDS[i].id) && self.errors.contains_key(&FIELDS[i].id))
            .collect();
        if !bad.is_empty() {
            self.focus = bad[0];
            self.enter_field(&config);
            let names: Vec<&str> = bad.iter().map(|&i| FIELDS[i].id.label()).collect();
            ctx.error(format!(
                "未保存：{}处有误（{}），请改正后再按 Ctrl-S",
                names.len(),
                names.join("、")
            ));
            return;
        }
        let input = self.input();
        let registered = match &self.report {
            Some(link) => ctx
                .store
                .triage_register(link.key, &input, ctx.user, ctx.clock.now())
                .map(|(_, case)| case),
            None => ctx.store.register(&input, ctx.user, ctx.clock.now()),
        };
        match registered {
            Ok(case) => {
                let closed = !case.status.is_open();
                let mut msg = if let Some(link) = &self.report {
                    format!(
                        "已立案 {}（{}，由民意报告单{}），办理期限 {}",
                        case.case_no,
                        case.person.name,
                        link.report_no,
                        case.due_date.format("%Y-%m-%d")
                    )
                } else if closed {
                    format!("已登记并当场办结 {}（{}）", case.case_no, case.person.name)
                } else {
                    format!(
                        "已登记 {}（{}），办理期限 {}",
                        case.case_no,
                        case.person.name,
                        case.due_date.format("%Y-%m-%d")
                    )
                };
                if self.report.is_none() {
                    msg.push_str("；按 Ctrl-P 打印受理回执");
                }
                // A year without a holiday table is the 管理员's to fix: the clerk is told once.
                let missing: std::collections::BTreeSet<i32> = config
                    .calendar
                    .missing_between(case.received_at.date_naive(), case.due_date)
                    .difference(&self.told_years)
                    .copied()
                    .collect();
                if !closed && let Some(w) = crate::calendar::clerk_notice(&missing) {
                    msg.push_str("；注意：");
                    msg.push_str(&w);
                    self.told_years.extend(missing);
                }
                self.saved = Some(Saved {
                    key: case.key,
                    case_no: case.case_no.clone(),
                    name: case.person.name.clone(),
                    due: case.due_date,
                    closed,
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
        if self.earlier.is_some() {
            return vec![Scope::Global, Scope::Picker];
        }
        let mut s = vec![Scope::Global];
        // From a report, what its keys do there comes first (and replaces the counter's).
        if self.report().is_some() {
            s.push(Scope::RegisterReport);
        }
        s.push(Scope::Form);
        if let Kind::Pick(_) = FIELDS[self.focus].kind {
            s.push(Scope::Picker);
        }
        s.push(Scope::Field);
        s
    }

    /// Handle a key; true when the form used it.
    pub fn handle_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> bool {
        if let Some(menu) = &mut self.earlier {
            match keys::lookup(Scope::Picker, ev) {
                Some(Cmd::Choose) => {
                    let key = menu
                        .chosen()
                        .and_then(|c| c.split(' ').next().map(str::to_string))
                        .and_then(|k| k.parse::<crate::domain::CaseKey>().ok());
                    self.earlier = None;
                    if let Some(key) = key {
                        ctx.requests.push(super::ctx::Request::OpenCase(key));
                    }
                }
                Some(Cmd::Back) => self.earlier = None,
                _ => {
                    menu.key(ev);
                }
            }
            return true;
        }
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
                    if self.is_blank() {
                        ctx.info("表单已是空的");
                    } else {
                        ctx.requests.push(super::ctx::Request::ConfirmClearForm);
                    }
                }
                Cmd::NextRequired => self.jump_required(ctx, true),
                Cmd::PrevRequired => self.jump_required(ctx, false),
                Cmd::Prefill => self.prefill(ctx),
                Cmd::OpenEarlier => self.open_earlier(ctx),
                Cmd::Toggle if spec.kind == Kind::Check => {
                    if let Value::Check(on) = &mut self.values[self.focus] {
                        *on = !*on;
                    }
                    self.draft_dirty = true;
                }
                Cmd::Toggle => return self.type_text(" ", ctx),
                Cmd::Back => ctx.requests.push(super::ctx::Request::GoBoard),
                _ => return false,
            }
            return true;
        }
        if let Some(p) = self.focused_pick()
            && let Some(cmd) = keys::lookup(Scope::Picker, ev)
        {
            match cmd {
                Cmd::Up => p.up(),
                Cmd::Down => p.down(),
                Cmd::Choose => {
                    p.take();
                    self.draft_dirty = true;
                    self.move_focus(ctx, true);
                }
                Cmd::Back => ctx.requests.push(super::ctx::Request::GoBoard),
                _ => return false,
            }
            return true;
        }
        if let Some(cmd) = keys::lookup(Scope::Field, ev) {
            let cols = self.block_cols.get();
            let block = matches!(spec.kind, Kind::Block(_));
            let changed = match (&mut self.values[self.focus], cmd) {
                (_, Cmd::NewLine) if !block => {
                    self.move_focus(ctx, true);
                    return true;
                }
                (Value::Text(t), Cmd::NewLine) => {
                    t.insert("\n");
                    true
                }
                (value, Cmd::Up | Cmd::Down) => {
                    let moved_inside = match value {
                        Value::Text(t) if block => t.vertical(cols, cmd == Cmd::Down),
                        _ => false,
                    };
                    if !moved_inside {
                        self.move_focus(ctx, cmd == Cmd::Down);
                    }
                    return true;
                }
                (Value::Pick(p), Cmd::DeleteBack) => p.delete_back(),
                (Value::Pick(p), c) => {
                    p.edit(|t| {
                        edit(t, c);
                    });
                    c == Cmd::DeleteForward
                }
                (Value::Text(t), c) => edit(t, c),
                (Value::Check(_), _) => false,
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
        if let Some(menu) = &mut self.earlier {
            menu.pick.type_str(s);
            return true;
        }
        match &mut self.values[self.focus] {
            Value::Check(_) => return false,
            Value::Text(t) => t.insert(s),
            Value::Pick(p) => p.type_str(s),
        }
        self.edited(ctx);
        true
    }

    fn edited(&mut self, ctx: &mut Ctx) {
        self.draft_dirty = true;
        let id = FIELDS[self.focus].id;
        if matches!(id, Field::Name | Field::IdNumber | Field::Phone) {
            self.refresh_matches(ctx);
        }
        // An error the clerk is fixing stays until they leave the field; once fixed it goes.
        if self.errors.contains_key(&id) {
            let config = ctx.config.clone();
            self.validate(&config, ctx.clock.now());
        }
    }

    /// The deadline the case would get now, and its warning.
    fn due(&self, config: &Config, now: DateTime<FixedOffset>) -> Option<(String, Option<String>)> {
        let route = Route::from_label(self.value(Field::Route))?;
        if route == Route::OnTheSpot {
            return Some(("当场办结，保存即办结；答复印在受理回执上".to_string(), None));
        }
        let category = self.value(Field::Category).trim();
        let rule = config.deadline_rule(route, category);
        let received = parse_received(self.value(Field::ReceivedAt))
            .ok()
            .flatten()
            .unwrap_or(now)
            .date_naive();
        let due = config.calendar.due(received, rule.span);
        let untold: std::collections::BTreeSet<i32> = config
            .calendar
            .missing_between(received, due.date)
            .difference(&self.told_years)
            .copied()
            .collect();
        Some((
            format!(
                "{}（{}）\n依据：{}",
                due.date.format("%Y-%m-%d"),
                rule.span.label(),
                rule.basis
            ),
            crate::calendar::clerk_notice(&untold),
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

        let title = match &self.report {
            Some(link) => format!(" 立案 · 民意报告单{} ", link.report_no),
            None => " 登记 ".to_string(),
        };
        let block = Block::new().borders(Borders::ALL).title(title);
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
                _ if !self.shown(s.id) => 0,
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
            if h == 0 {
                continue;
            }
            if top < scroll || top + h > scroll + fields_h as usize {
                continue;
            }
            let y = inner.y + (top - scroll) as u16;
            let focused = i == self.focus;
            let errs = self.errors_of(spec.id);
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
                &format!("{mark}{}", spec.id.label()),
                LABEL_COLS - 1,
                lstyle,
            );
            let fstyle = if focused {
                widgets::focus_field()
            } else {
                widgets::field()
            };
            let rect = Rect::new(value_x, y, value_w, heights[i]);
            match (&self.values[i], spec.kind) {
                (Value::Check(on), _) => {
                    let s = if *on { "[√] 是" } else { "[ ] 否" };
                    put(buf, value_x, y, s, value_w, fstyle);
                    if focused {
                        cursor = Some((value_x + 1, y));
                    }
                }
                (Value::Text(t), Kind::Block(_)) => {
                    buf.set_style(rect, fstyle);
                    let c = t.render_block(buf, rect, fstyle);
                    if focused {
                        cursor = Some(c);
                    }
                }
                (value, _) => {
                    let text_w = if focused {
                        value_w
                    } else {
                        (text::width(value.text()) as u16 + 1).min(value_w)
                    };
                    let frect = Rect::new(value_x, y, text_w.max(1), 1);
                    buf.set_style(Rect::new(value_x, y, value_w, 1), fstyle);
                    let c = match value {
                        Value::Text(t) => t.render_line(buf, frect, fstyle),
                        Value::Pick(p) => p.render_value(buf, frect, fstyle, focused),
                        Value::Check(_) => (frect.x, frect.y),
                    };
                    if focused {
                        cursor = Some(c);
                        focus_rect = Some(rect);
                    }
                    let used = text::width(value.text()) as u16 + 1;
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
                    } else if value.text().is_empty()
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
        let focused_id = FIELDS[self.focus].id;
        for e in self.errors_of(focused_id) {
            msgs.push(format!("{}：{e}", focused_id.label()));
        }
        for s in FIELDS
            .iter()
            .filter(|s| s.id != focused_id && self.shown(s.id))
        {
            for e in self.errors_of(s.id) {
                msgs.push(format!("{}：{e}", s.id.label()));
            }
        }
        msgs.extend(self.general.iter().cloned());
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
        if let (Value::Pick(p), Some(rect)) = (&self.values[self.focus], focus_rect) {
            let visible = p.visible();
            let rows = (visible.len().max(1) as u16).min(6);
            let w = visible
                .iter()
                .map(|&i| text::width(&p.options()[i]) as u16)
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
                let typed = text::width(p.value()) as u16;
                (rect.x + typed + 2, rect.y.saturating_sub(rows + 2))
            };
            let pop = Rect::new(x, y, w.min(area.right().saturating_sub(x)), rows + 2);
            let inner = widgets::popup(buf, pop, "");
            p.render_list(buf, inner);
        }
        if let Some(menu) = &self.earlier {
            return Some(menu.render(buf, area));
        }
        cursor
    }

    /// A note after a field's value: what the ID tells, the masked phone.
    fn aside(&self, spec: &Spec, config: &Config) -> Option<String> {
        match spec.id {
            Field::Gender => IdNumber::parse(self.value(Field::IdNumber)).ok().map(|id| {
                format!(
                    "出生日期 {}（据身份证号）",
                    id.birth_date().format("%Y-%m-%d")
                )
            }),
            Field::Phone => Phone::parse(self.value(Field::Phone))
                .ok()
                .map(|p| format!("回执上显示 {}", mask_phone(p.as_str()))),
            Field::Village if config.town(self.value(Field::Town).trim()).is_none() => {
                Some("先选乡镇".to_string())
            }
            Field::ReceivedAt if self.value(Field::ReceivedAt).trim().is_empty() => {
                Some("留空为现在；最后一项，Ctrl-S 保存".to_string())
            }
            Field::ReceivedAt => Some("最后一项，Ctrl-S 保存".to_string()),
            Field::Basis if self.value(Field::Basis).trim().is_empty() => {
                Some("答复所依据的法规、政策（可不填）".to_string())
            }
            Field::Representatives if self.value(Field::Representatives).trim().is_empty() => {
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
        para(
            buf,
            "F5 套用个人信息  F6 打开以往案件",
            widgets::dim(),
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

/// ←→ Home End Backspace Delete on a text; true when the text changed.
fn edit(t: &mut TextField, cmd: Cmd) -> bool {
    match cmd {
        Cmd::Left => {
            t.left();
            false
        }
        Cmd::Right => {
            t.right();
            false
        }
        Cmd::LineStart => {
            t.home();
            false
        }
        Cmd::LineEnd => {
            t.end();
            false
        }
        Cmd::DeleteBack => t.delete_back(),
        Cmd::DeleteForward => t.delete_forward(),
        _ => false,
    }
}

impl super::component::Component for Form {
    fn scopes(&self) -> Vec<Scope> {
        Form::scopes(self)
    }

    /// The form is all fields: letters are always text.
    fn is_typing(&self) -> bool {
        true
    }

    fn handle_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> bool {
        Form::handle_key(self, ev, ctx)
    }

    fn type_text(&mut self, s: &str, ctx: &mut Ctx) -> bool {
        Form::type_text(self, s, ctx)
    }

    fn render(
        &self,
        buf: &mut Buffer,
        area: Rect,
        view: &super::component::View,
    ) -> Option<(u16, u16)> {
        Form::render(self, buf, area, view.config, view.now)
    }
}

//! The forms of 一本、一单、一会 — a visit, a report, a meeting — laid out and edited as the 登记
//! form is: labels on the left, required fields marked, pickers that filter as the clerk types
//! (`Pick`), grapheme-aware fields (`TextField`), each field checked when left with its message
//! beside it, scrolling at 80×24. Fields are named by the JSON key under which the domain's check
//! reports their errors, so a message lands on its field. What was typed is kept as a draft.

use std::cell::Cell;
use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, FixedOffset};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::{Block, Borders, Widget};

use super::ctx::Ctx;
use super::keys::{self, Cmd, Scope};
use super::pick::Pick;
use super::text::{self, TextField};
use super::widgets::{self, put};
use crate::config::Config;
use crate::domain::records::RecordError;

/// Where a picker's choices come from.
#[derive(Debug, Clone, PartialEq)]
pub enum Choices {
    Fixed(Vec<String>),
    Towns,
    /// The villages of the town chosen in the field with this key.
    VillagesOf(&'static str),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Line,
    /// Several rows, wrapped.
    Block(u16),
    Pick(Choices),
    Check,
    /// A heading between groups of fields; Tab passes it by. Errors under its key show on it.
    Heading,
}

/// One field: the key its errors come under, its label, what it holds.
#[derive(Debug, Clone)]
pub struct Spec {
    pub key: String,
    pub label: String,
    pub kind: Kind,
    pub required: bool,
    /// A grey note after the field while it is empty (留空为今天).
    pub note: &'static str,
}

impl Spec {
    pub fn new(key: impl Into<String>, label: impl Into<String>, kind: Kind) -> Spec {
        Spec {
            key: key.into(),
            label: label.into(),
            kind,
            required: false,
            note: "",
        }
    }

    pub fn required(mut self) -> Spec {
        self.required = true;
        self
    }

    pub fn note(mut self, note: &'static str) -> Spec {
        self.note = note;
        self
    }
}

enum Value {
    Text(TextField),
    Pick(Pick),
    Check(bool),
    None,
}

impl Value {
    fn text(&self) -> &str {
        match self {
            Value::Text(t) => t.text(),
            Value::Pick(p) => p.value(),
            Value::Check(true) => "是",
            Value::Check(false) | Value::None => "",
        }
    }
}

struct Slot {
    spec: Spec,
    value: Value,
}

impl Slot {
    fn new(spec: Spec) -> Slot {
        let value = match &spec.kind {
            Kind::Line => Value::Text(TextField::new(false)),
            Kind::Block(_) => Value::Text(TextField::new(true)),
            Kind::Pick(Choices::Fixed(options)) => Value::Pick(Pick::new(options.clone(), "")),
            Kind::Pick(_) => Value::Pick(Pick::new(Vec::new(), "")),
            Kind::Check => Value::Check(false),
            Kind::Heading => Value::None,
        };
        Slot { spec, value }
    }

    fn set(&mut self, s: &str) {
        match &mut self.value {
            Value::Text(t) => t.set(s),
            Value::Pick(p) => p.set(s),
            Value::Check(on) => *on = !s.trim().is_empty(),
            Value::None => {}
        }
    }

    fn stops(&self) -> bool {
        self.spec.kind != Kind::Heading
    }

    fn rows(&self) -> u16 {
        match self.spec.kind {
            Kind::Block(n) => n,
            _ => 1,
        }
    }
}

/// What a key did to the form, for the screen that owns it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormEvent {
    Used,
    /// Ctrl-S: the screen checks and saves.
    Save,
    /// Esc: back to the list (the draft stays).
    Back,
}

/// What the fields say is wrong, as (key, message): the domain's check of the record the form
/// describes, with parse errors of its own (dates, numbers).
pub type Check = fn(&RecordForm, &Config, DateTime<FixedOffset>) -> Vec<(String, String)>;

/// A `RecordError` as the form keeps it.
pub fn keyed(errors: Vec<RecordError>) -> Vec<(String, String)> {
    errors
        .into_iter()
        .map(|e| (e.key.to_string(), e.message))
        .collect()
}

const LABEL_COLS: u16 = 14;

pub struct RecordForm {
    title: String,
    slots: Vec<Slot>,
    focus: usize,
    touched: HashSet<String>,
    errors: HashMap<String, Vec<String>>,
    /// The values the form started with (defaults), for Ctrl-L and telling a blank form.
    initial: BTreeMap<String, String>,
    check: Check,
    /// Changed since the draft was last written.
    pub dirty: bool,
    confirm_clear: bool,
    scroll: Cell<usize>,
    /// Width the multi-line fields wrap at, learnt when drawing (for moving up and down).
    block_cols: Cell<usize>,
}

impl RecordForm {
    /// A form of these fields holding `defaults` (by key), checked by `check`.
    pub fn new(
        title: &str,
        specs: Vec<Spec>,
        defaults: &[(&str, String)],
        check: Check,
        config: &Config,
    ) -> RecordForm {
        let mut form = RecordForm {
            title: title.to_string(),
            slots: specs.into_iter().map(Slot::new).collect(),
            focus: 0,
            touched: HashSet::new(),
            errors: HashMap::new(),
            initial: BTreeMap::new(),
            check,
            dirty: false,
            confirm_clear: false,
            scroll: Cell::new(0),
            block_cols: Cell::new(40),
        };
        for (k, v) in defaults {
            form.set(k, v);
        }
        form.initial = form.values();
        form.focus = form.slots.iter().position(Slot::stops).unwrap_or(0);
        form.enter_field(config);
        form
    }

    /// Add fields at the end (another matter to report).
    pub fn push(&mut self, specs: Vec<Spec>) {
        self.slots.extend(specs.into_iter().map(Slot::new));
    }

    fn slot(&self, key: &str) -> Option<&Slot> {
        self.slots.iter().find(|s| s.spec.key == key)
    }

    pub fn has(&self, key: &str) -> bool {
        self.slot(key).is_some()
    }

    /// A field's value, trimmed ("" when there is no such field).
    pub fn get(&self, key: &str) -> &str {
        self.slot(key).map_or("", |s| s.value.text().trim())
    }

    pub fn checked(&self, key: &str) -> bool {
        self.slot(key)
            .is_some_and(|s| matches!(s.value, Value::Check(true)))
    }

    pub fn set(&mut self, key: &str, value: &str) {
        if let Some(s) = self.slots.iter_mut().find(|s| s.spec.key == key) {
            s.set(value);
        }
    }

    /// The key of the focused field.
    pub fn focused_key(&self) -> &str {
        &self.slots[self.focus].spec.key
    }

    /// Every field as typed, by key: the draft.
    pub fn values(&self) -> BTreeMap<String, String> {
        self.slots
            .iter()
            .filter(|s| s.stops())
            .map(|s| (s.spec.key.clone(), s.value.text().to_string()))
            .collect()
    }

    /// Fill from a draft; keys the form lacks are passed over.
    pub fn load(&mut self, values: &BTreeMap<String, String>, config: &Config) {
        for (k, v) in values {
            self.set(k, v);
        }
        self.enter_field(config);
    }

    /// Nothing typed beyond the defaults.
    pub fn is_blank(&self) -> bool {
        self.values()
            .iter()
            .all(|(k, v)| v.trim() == self.initial.get(k).map_or("", |s| s.trim()))
    }

    fn clear(&mut self, config: &Config) {
        for s in &mut self.slots {
            let v = self.initial.get(&s.spec.key).cloned().unwrap_or_default();
            s.set(&v);
        }
        self.errors.clear();
        self.touched.clear();
        self.focus = self.slots.iter().position(Slot::stops).unwrap_or(0);
        self.enter_field(config);
        self.dirty = true;
    }

    pub fn scopes(&self) -> Vec<Scope> {
        if self.confirm_clear {
            return vec![Scope::Global, Scope::Confirm];
        }
        let mut s = vec![Scope::Global, Scope::RecordForm];
        if matches!(self.slots[self.focus].value, Value::Pick(_)) {
            s.push(Scope::Picker);
        }
        s.push(Scope::Field);
        s
    }

    fn options(&self, choices: &Choices, config: &Config) -> Vec<String> {
        match choices {
            Choices::Fixed(o) => o.clone(),
            Choices::Towns => config.towns.iter().map(|t| t.name.clone()).collect(),
            Choices::VillagesOf(town) => config
                .town(self.get(town))
                .map(|t| t.villages.clone())
                .unwrap_or_default(),
        }
    }

    fn enter_field(&mut self, config: &Config) {
        if let Kind::Pick(choices) = &self.slots[self.focus].spec.kind {
            let options = self.options(choices, config);
            if let Value::Pick(p) = &mut self.slots[self.focus].value {
                p.set_options(options);
                p.enter();
            }
        }
    }

    /// Check every field; keep the messages of those the clerk has left (all with `all`).
    fn validate(&mut self, config: &Config, now: DateTime<FixedOffset>, all: bool) {
        let mut errors: HashMap<String, Vec<String>> = HashMap::new();
        for (k, m) in (self.check)(self, config, now) {
            errors.entry(k).or_default().push(m);
        }
        if all {
            self.touched
                .extend(self.slots.iter().map(|s| s.spec.key.clone()));
        }
        // An error under a key the form has no field for shows on the form as a whole.
        self.errors = errors
            .into_iter()
            .filter(|(k, _)| self.touched.contains(k) || !self.has(k))
            .collect();
    }

    /// The clerk leaves the focused field: take a picker's highlight, check.
    fn leave(&mut self, ctx: &mut Ctx) {
        let config = ctx.config.clone();
        let slot = &mut self.slots[self.focus];
        if let Value::Pick(p) = &mut slot.value
            && p.take()
        {
            self.dirty = true;
        }
        let key = slot.spec.key.clone();
        if slot.spec.kind == Kind::Pick(Choices::Towns) {
            // A village of another town goes when the town changes.
            let town = self.get(&key).to_string();
            let villages = config.town(&town).map(|t| t.villages.clone());
            for s in &mut self.slots {
                if let (Kind::Pick(Choices::VillagesOf(of)), Some(list)) = (&s.spec.kind, &villages)
                    && *of == key
                    && !list.is_empty()
                    && !s.value.text().trim().is_empty()
                    && !list.iter().any(|v| v == s.value.text().trim())
                {
                    s.set("");
                }
            }
        }
        self.touched.insert(key);
        self.validate(&config, ctx.clock.now(), false);
    }

    fn move_focus(&mut self, ctx: &mut Ctx, forward: bool) {
        self.leave(ctx);
        let next = if forward {
            (self.focus + 1..self.slots.len()).find(|&i| self.slots[i].stops())
        } else {
            (0..self.focus).rev().find(|&i| self.slots[i].stops())
        };
        match next {
            Some(i) => self.focus = i,
            None if forward => ctx.info(format!(
                "已是最后一项（{}）：按 Ctrl-S 保存，Shift-Tab 回到上一项",
                self.slots[self.focus].spec.label.trim()
            )),
            None => ctx.info("已是第一项"),
        }
        self.enter_field(&ctx.config.clone());
    }

    fn jump_required(&mut self, ctx: &mut Ctx, forward: bool) {
        let required = |i: usize| self.slots[i].spec.required && self.slots[i].stops();
        let next = if forward {
            (self.focus + 1..self.slots.len()).find(|&i| required(i))
        } else {
            (0..self.focus).rev().find(|&i| required(i))
        };
        match next {
            Some(i) => {
                self.leave(ctx);
                self.focus = i;
                self.enter_field(&ctx.config.clone());
            }
            None if forward => ctx.info("后面没有必填项了：按 Ctrl-S 保存"),
            None => ctx.info("前面没有必填项了"),
        }
    }

    /// Before saving: every field checked. False (the focus on the first field in error, the
    /// clerk told which) when something does not pass.
    pub fn check_all(&mut self, ctx: &mut Ctx) -> bool {
        if let Value::Pick(p) = &mut self.slots[self.focus].value {
            p.take();
        }
        let config = ctx.config.clone();
        self.validate(&config, ctx.clock.now(), true);
        if self.errors.is_empty() {
            return true;
        }
        self.show_errors(ctx);
        false
    }

    /// The register's refusal, field by field.
    pub fn set_errors(&mut self, errors: Vec<(String, String)>, ctx: &mut Ctx) {
        self.errors.clear();
        for (k, m) in errors {
            self.errors.entry(k).or_default().push(m);
        }
        self.show_errors(ctx);
    }

    fn show_errors(&mut self, ctx: &mut Ctx) {
        let bad: Vec<usize> = (0..self.slots.len())
            .filter(|&i| self.errors.contains_key(&self.slots[i].spec.key))
            .collect();
        if let Some(&first) = bad.first() {
            // A heading's error: the field after it.
            self.focus = (first..self.slots.len())
                .find(|&i| self.slots[i].stops())
                .unwrap_or(self.focus);
            self.enter_field(&ctx.config.clone());
        }
        let mut names: Vec<&str> = bad
            .iter()
            .map(|&i| self.slots[i].spec.label.trim())
            .collect();
        if names.is_empty() {
            names.push("表单");
        }
        ctx.error(format!(
            "未保存：{}处有误（{}），请改正后再按 Ctrl-S",
            self.errors.values().map(Vec::len).sum::<usize>(),
            names.join("、")
        ));
    }

    fn edited(&mut self, ctx: &mut Ctx) {
        self.dirty = true;
        // An error the clerk is fixing stays until they leave the field; once fixed it goes.
        if self.errors.contains_key(self.focused_key()) {
            let config = ctx.config.clone();
            self.validate(&config, ctx.clock.now(), false);
        }
    }

    /// Text typed or pasted into the focused field.
    pub fn type_text(&mut self, s: &str, ctx: &mut Ctx) -> bool {
        if self.confirm_clear {
            return false;
        }
        match &mut self.slots[self.focus].value {
            Value::Text(t) => t.insert(s),
            Value::Pick(p) => p.type_str(s),
            Value::Check(_) | Value::None => return false,
        }
        self.edited(ctx);
        true
    }

    /// A key; what it did, or `None` when the form did not use it.
    pub fn handle_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> Option<FormEvent> {
        let config = ctx.config.clone();
        if self.confirm_clear {
            match keys::lookup(Scope::Confirm, ev) {
                Some(Cmd::Yes) => {
                    self.confirm_clear = false;
                    self.clear(&config);
                    ctx.info("表单已清空");
                }
                Some(Cmd::No) => {
                    self.confirm_clear = false;
                    ctx.info("未清空表单");
                }
                _ => {}
            }
            return Some(FormEvent::Used);
        }
        let kind = self.slots[self.focus].spec.kind.clone();
        if let Some(cmd) = keys::lookup(Scope::RecordForm, ev) {
            match cmd {
                Cmd::NextField => self.move_focus(ctx, true),
                Cmd::PrevField => self.move_focus(ctx, false),
                Cmd::NextRequired => self.jump_required(ctx, true),
                Cmd::PrevRequired => self.jump_required(ctx, false),
                Cmd::Save => return Some(FormEvent::Save),
                Cmd::ClearForm => {
                    if self.is_blank() {
                        ctx.info("表单已是空的");
                    } else {
                        self.confirm_clear = true;
                    }
                }
                Cmd::Toggle if kind == Kind::Check => {
                    if let Value::Check(on) = &mut self.slots[self.focus].value {
                        *on = !*on;
                    }
                    self.dirty = true;
                }
                Cmd::Toggle => {
                    self.type_text(" ", ctx);
                }
                Cmd::Back => return Some(FormEvent::Back),
                _ => return None,
            }
            return Some(FormEvent::Used);
        }
        if let Value::Pick(p) = &mut self.slots[self.focus].value
            && let Some(cmd) = keys::lookup(Scope::Picker, ev)
        {
            match cmd {
                Cmd::Up => p.up(),
                Cmd::Down => p.down(),
                Cmd::Choose => {
                    p.take();
                    self.dirty = true;
                    self.move_focus(ctx, true);
                }
                Cmd::Back => return Some(FormEvent::Back),
                _ => return None,
            }
            return Some(FormEvent::Used);
        }
        if let Some(cmd) = keys::lookup(Scope::Field, ev) {
            let cols = self.block_cols.get();
            let block = matches!(kind, Kind::Block(_));
            let changed = match (&mut self.slots[self.focus].value, cmd) {
                (_, Cmd::NewLine) if !block => {
                    self.move_focus(ctx, true);
                    return Some(FormEvent::Used);
                }
                (Value::Text(t), Cmd::NewLine) => {
                    t.insert("\n");
                    true
                }
                (value, Cmd::Up | Cmd::Down) => {
                    let inside = match value {
                        Value::Text(t) if block => t.vertical(cols, cmd == Cmd::Down),
                        _ => false,
                    };
                    if !inside {
                        self.move_focus(ctx, cmd == Cmd::Down);
                    }
                    return Some(FormEvent::Used);
                }
                (Value::Pick(p), Cmd::DeleteBack) => p.delete_back(),
                (Value::Pick(p), c) => {
                    p.edit(|t| {
                        edit(t, c);
                    });
                    c == Cmd::DeleteForward
                }
                (Value::Text(t), c) => edit(t, c),
                (Value::Check(_) | Value::None, _) => false,
            };
            if changed {
                self.edited(ctx);
            }
            return Some(FormEvent::Used);
        }
        if let KeyCode::Char(c) = ev.code
            && !ev
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return self
                .type_text(&c.to_string(), ctx)
                .then_some(FormEvent::Used);
        }
        None
    }

    /// Draw into `area`; where the terminal cursor belongs.
    pub fn render(&self, buf: &mut Buffer, area: Rect) -> Option<(u16, u16)> {
        let block = Block::new()
            .borders(Borders::ALL)
            .title(format!(" {} ", self.title));
        let inner = block.inner(area);
        block.render(area, buf);
        // Two rows at the bottom for messages.
        let fields_h = inner.height.saturating_sub(2);
        let value_x = inner.x + LABEL_COLS;
        let value_w = inner.width.saturating_sub(LABEL_COLS);
        self.block_cols
            .set((value_w as usize).saturating_sub(1).max(2));

        let heights: Vec<u16> = self.slots.iter().map(Slot::rows).collect();
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
        // The heading just above the focused field stays in view with it.
        let ft = if self.focus > 0 && self.slots[self.focus - 1].spec.kind == Kind::Heading {
            ft - 1
        } else {
            ft
        };
        if ft < scroll {
            scroll = ft;
        }
        if ft + fh > scroll + fields_h as usize {
            scroll = (ft + fh).saturating_sub(fields_h as usize);
        }
        self.scroll.set(scroll);

        let mut cursor = None;
        let mut focus_rect = None;
        for (i, slot) in self.slots.iter().enumerate() {
            let (top, h) = (tops[i], heights[i] as usize);
            if top < scroll || top + h > scroll + fields_h as usize {
                continue;
            }
            let y = inner.y + (top - scroll) as u16;
            let focused = i == self.focus;
            let errs = self
                .errors
                .get(&slot.spec.key)
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            if slot.spec.kind == Kind::Heading {
                let w = put(
                    buf,
                    inner.x,
                    y,
                    &format!("【{}】", slot.spec.label),
                    inner.width,
                    widgets::warn(),
                );
                if let Some(e) = errs.first() {
                    put(
                        buf,
                        inner.x + w + 1,
                        y,
                        e,
                        inner.width.saturating_sub(w + 1),
                        widgets::error(),
                    );
                }
                continue;
            }
            let lstyle = if !errs.is_empty() {
                widgets::error()
            } else if focused {
                widgets::focus_label()
            } else {
                widgets::label()
            };
            let mark = if !errs.is_empty() {
                "!"
            } else if slot.spec.required {
                "*"
            } else {
                " "
            };
            put(
                buf,
                inner.x,
                y,
                &format!("{mark}{}", slot.spec.label),
                LABEL_COLS - 1,
                lstyle,
            );
            let fstyle = if focused {
                widgets::focus_field()
            } else {
                widgets::field()
            };
            let rect = Rect::new(value_x, y, value_w, heights[i]);
            match &slot.value {
                Value::Check(on) => {
                    buf.set_style(Rect::new(value_x, y, value_w, 1), fstyle);
                    let s = if *on { "[√] 是" } else { "[ ] 否" };
                    let w = put(buf, value_x, y, s, value_w, fstyle);
                    if !slot.spec.note.is_empty() {
                        put(
                            buf,
                            value_x + w + 2,
                            y,
                            slot.spec.note,
                            value_w.saturating_sub(w + 2),
                            widgets::dim().bg(fstyle.bg.unwrap_or_default()),
                        );
                    }
                    if focused {
                        cursor = Some((value_x + 1, y));
                    }
                }
                Value::Text(t) if matches!(slot.spec.kind, Kind::Block(_)) => {
                    buf.set_style(rect, fstyle);
                    let c = t.render_block(buf, rect, fstyle);
                    if focused {
                        cursor = Some(c);
                    }
                    if t.is_empty() && !focused && !slot.spec.note.is_empty() {
                        put(
                            buf,
                            value_x,
                            y,
                            slot.spec.note,
                            value_w,
                            widgets::dim().bg(fstyle.bg.unwrap_or_default()),
                        );
                    }
                }
                value => {
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
                        _ => (frect.x, frect.y),
                    };
                    if focused {
                        cursor = Some(c);
                        focus_rect = Some(rect);
                    }
                    let used = text::width(value.text()) as u16 + 1;
                    let note = match (errs.first(), value.text().trim().is_empty()) {
                        (Some(e), _) => Some((e.as_str(), widgets::error())),
                        (None, true) if !slot.spec.note.is_empty() => {
                            Some((slot.spec.note, widgets::dim()))
                        }
                        _ => None,
                    };
                    if let Some((note, style)) = note
                        && value_w > used + 8
                    {
                        put(
                            buf,
                            value_x + used + 1,
                            y,
                            note,
                            value_w - used - 1,
                            style.bg(fstyle.bg.unwrap_or_default()),
                        );
                    } else if value.text().is_empty()
                        && let Kind::Pick(_) = slot.spec.kind
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
        let total: usize = heights.iter().map(|h| *h as usize).sum();
        if scroll > 0 {
            put(
                buf,
                area.right().saturating_sub(8),
                area.y,
                "↑更多",
                6,
                widgets::dim(),
            );
        }
        if scroll + (fields_h as usize) < total {
            put(
                buf,
                area.right().saturating_sub(8),
                inner.y + fields_h,
                "↓更多",
                6,
                widgets::dim(),
            );
        }

        // The messages of the fields that do not pass: the focused one first.
        let label_of = |k: &str| {
            self.slot(k)
                .map_or("表单".to_string(), |s| s.spec.label.trim().to_string())
        };
        let focused_key = self.focused_key();
        let mut msgs: Vec<String> = self
            .errors
            .get(focused_key)
            .into_iter()
            .flatten()
            .map(|e| format!("{}：{e}", label_of(focused_key)))
            .collect();
        for s in &self.slots {
            if s.spec.key == focused_key {
                continue;
            }
            for e in self.errors.get(&s.spec.key).into_iter().flatten() {
                msgs.push(format!("{}：{e}", s.spec.label.trim()));
            }
        }
        let mut general: Vec<(&String, &Vec<String>)> =
            self.errors.iter().filter(|(k, _)| !self.has(k)).collect();
        general.sort();
        for (_, list) in general {
            msgs.extend(list.iter().cloned());
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

        // The focused picker's choices, over the fields below (or above when no room).
        if let (Value::Pick(p), Some(rect)) = (&self.slots[self.focus].value, focus_rect) {
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
        if self.confirm_clear {
            let body =
                "清空表单？已填写的内容将被删除（草稿一并清空）。\n\ny  清空\nn  取消，继续填写";
            let h = widgets::wrapped_height(body, 52) + 2;
            let rect = widgets::centered(area, 56, h);
            let inner = widgets::popup(buf, rect, "清空表单");
            widgets::wrapped(buf, inner, body, Style::new());
            return None;
        }
        cursor
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

/// A list of names as typed (张三、李四 or 张三，李四).
pub fn names(s: &str) -> Vec<String> {
    s.split(['、', '，', ',', ' ', '；', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// A time as typed: `2026-03-05 14:30`, or a day alone (`day_time` then); empty is `None`.
pub fn parse_time(
    s: &str,
    day_time: chrono::NaiveTime,
) -> Result<Option<DateTime<FixedOffset>>, String> {
    use chrono::{NaiveDate, NaiveDateTime};
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let naive = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M")
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y-%m-%d").map(|d| d.and_time(day_time)))
        .map_err(|_| format!("「{s}」应为 2026-03-05 14:30 或 2026-03-05"))?;
    Ok(naive.and_local_timezone(crate::clock::china()).single())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_on_chinese_and_latin_separators() {
        assert_eq!(names("张三、李四，王五 ,"), ["张三", "李四", "王五"]);
        assert!(names("  ").is_empty());
    }

    #[test]
    fn times_take_a_day_alone_or_a_day_and_time() {
        let nine = chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap();
        let t = parse_time("2026-03-20 14:30", nine).unwrap().unwrap();
        assert_eq!(t.to_rfc3339(), "2026-03-20T14:30:00+08:00");
        let d = parse_time("2026-03-20", nine).unwrap().unwrap();
        assert_eq!(d.to_rfc3339(), "2026-03-20T09:00:00+08:00");
        assert_eq!(parse_time(" ", nine), Ok(None));
        assert!(
            parse_time("3月20日", nine)
                .unwrap_err()
                .contains("2026-03-05")
        );
    }
}

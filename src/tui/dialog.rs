//! The small dialog each lifecycle action opens: the fields the action needs, checked before the
//! register is asked, and the register's refusal shown inside the dialog when it says no.

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

use super::keys::{self, Cmd, Scope};
use super::text::TextField;
use super::widgets::{self, filter_options, initial_sel, put};
use crate::config::Config;
use crate::domain::{Action, ActionKind, Case, CaseKey, Level, Outcome, Satisfaction};

struct Field {
    label: &'static str,
    value: TextField,
    /// A closed list to choose from; `None` for free text.
    options: Option<Vec<String>>,
    rows: u16,
}

pub struct Dialog {
    pub kind: ActionKind,
    fields: Vec<Field>,
    focus: usize,
    pick_sel: usize,
    pub error: Option<String>,
}

fn text(label: &'static str, rows: u16, initial: &str) -> Field {
    let mut value = TextField::new(rows > 1);
    value.set(initial);
    Field {
        label,
        value,
        options: None,
        rows,
    }
}

fn pick(label: &'static str, options: Vec<String>, initial: &str) -> Field {
    let mut value = TextField::new(false);
    value.set(initial);
    Field {
        label,
        value,
        options: Some(options),
        rows: 1,
    }
}

fn labels(l: Vec<&'static str>) -> Vec<String> {
    l.into_iter().map(String::from).collect()
}

impl Dialog {
    pub fn new(kind: ActionKind, case: &Case, config: &Config, today: NaiveDate) -> Dialog {
        let fields = match kind {
            ActionKind::Dispatch => {
                let unit = case.unit.clone().unwrap_or_default();
                let level = case
                    .level
                    .or_else(|| (!unit.is_empty()).then(|| level_of_unit(config, &unit)))
                    .unwrap_or(Level::Township);
                vec![
                    pick("办理层级", labels(Level::labels()), level.label()),
                    pick("责任单位", Vec::new(), &unit),
                    text("说明", 2, ""),
                ]
            }
            ActionKind::Accept | ActionKind::Archive => vec![text("说明", 2, "")],
            ActionKind::Return => vec![text("退单理由", 3, "")],
            ActionKind::Progress => vec![text("进展情况", 3, "")],
            ActionKind::Extend => vec![
                text("延期天数", 1, &config.limits.extension_max_days.to_string()),
                text("延期理由", 2, ""),
                text("批准人", 1, ""),
            ],
            ActionKind::Urge => vec![text("督办意见", 3, "")],
            ActionKind::Close => vec![
                pick("办理结果类型", labels(Outcome::labels()), ""),
                text("办理结果", 3, ""),
                text("办理依据", 1, ""),
            ],
            ActionKind::FollowUp => vec![
                text("回访日期", 1, &today.format("%Y-%m-%d").to_string()),
                pick(
                    "回访方式",
                    labels(vec!["电话", "上门", "短信", "微信", "来访"]),
                    "电话",
                ),
                pick("满意度", labels(Satisfaction::labels()), ""),
                text("回访情况", 2, ""),
            ],
            ActionKind::Reopen => vec![text("重办理由", 3, "")],
            ActionKind::Decline => vec![text("理由及引导渠道", 3, "")],
            ActionKind::Merge => vec![text("并入案件编号", 1, "")],
        };
        let mut d = Dialog {
            kind,
            fields,
            focus: 0,
            pick_sel: 0,
            error: None,
        };
        d.refresh_units(config, &case.person.town);
        d.enter(config, &case.person.town);
        d
    }

    /// The unit list follows the chosen level; the person's township first.
    fn refresh_units(&mut self, config: &Config, town: &str) {
        if self.kind != ActionKind::Dispatch {
            return;
        }
        let level = Level::from_label(self.fields[0].value.text()).unwrap_or(Level::Township);
        let mut units = config.units_at(level);
        units.sort_by_key(|u| !u.starts_with(town));
        self.fields[1].options = Some(units);
    }

    fn visible(&self) -> Vec<String> {
        let f = &self.fields[self.focus];
        match &f.options {
            Some(o) => filter_options(o, f.value.text())
                .into_iter()
                .map(|i| o[i].clone())
                .collect(),
            None => Vec::new(),
        }
    }

    fn enter(&mut self, _config: &Config, _town: &str) {
        let current = self.fields[self.focus].value.text().to_string();
        self.pick_sel = self
            .visible()
            .iter()
            .position(|o| *o == current)
            .unwrap_or(0);
    }

    fn settle(&mut self, force: bool) {
        let f = &self.fields[self.focus];
        let Some(options) = &f.options else { return };
        let typed = f.value.text().trim().to_string();
        // What was typed in full stands, even when Enter forces a choice.
        if options.contains(&typed) || (!force && typed.is_empty()) {
            return;
        }
        if let Some(c) = self.visible().get(self.pick_sel).cloned() {
            self.fields[self.focus].value.set(&c);
        }
    }

    fn move_focus(&mut self, forward: bool, config: &Config, town: &str) {
        self.settle(false);
        if self.kind == ActionKind::Dispatch && self.focus == 0 {
            self.refresh_units(config, town);
        }
        let n = self.fields.len();
        self.focus = if forward {
            (self.focus + 1) % n
        } else {
            (self.focus + n - 1) % n
        };
        self.enter(config, town);
    }

    pub fn type_text(&mut self, s: &str) {
        self.fields[self.focus].value.insert(s);
        self.refilter();
    }

    fn refilter(&mut self) {
        let f = &self.fields[self.focus];
        self.pick_sel = match &f.options {
            Some(o) => initial_sel(o, &filter_options(o, f.value.text()), f.value.text()),
            None => 0,
        };
    }

    /// What the dialog decided: keep going, cancel, or submit this action.
    pub fn handle_key(
        &mut self,
        ev: &KeyEvent,
        config: &Config,
        town: &str,
    ) -> Option<DialogResult> {
        match keys::lookup(Scope::Dialog, ev) {
            Some(Cmd::NextField) => self.move_focus(true, config, town),
            Some(Cmd::PrevField) => self.move_focus(false, config, town),
            Some(Cmd::Back) => return Some(DialogResult::Cancel),
            Some(Cmd::Submit) => {
                self.settle(false);
                return match self.action(config) {
                    Ok(a) => Some(DialogResult::Submit(a)),
                    Err(e) => {
                        self.error = Some(e);
                        None
                    }
                };
            }
            _ => {
                let is_pick = self.fields[self.focus].options.is_some();
                if is_pick && let Some(cmd) = keys::lookup(Scope::Picker, ev) {
                    match cmd {
                        Cmd::Up => self.pick_sel = self.pick_sel.saturating_sub(1),
                        Cmd::Down if self.pick_sel + 1 < self.visible().len() => {
                            self.pick_sel += 1;
                        }
                        Cmd::Choose => {
                            self.settle(true);
                            self.move_focus(true, config, town);
                        }
                        Cmd::Back => return Some(DialogResult::Cancel),
                        _ => {}
                    }
                    return None;
                }
                let multi = self.fields[self.focus].rows > 1;
                let field = &mut self.fields[self.focus].value;
                match keys::lookup(Scope::Field, ev) {
                    Some(Cmd::Left) => {
                        field.left();
                    }
                    Some(Cmd::Right) => {
                        field.right();
                    }
                    Some(Cmd::LineStart) => field.home(),
                    Some(Cmd::LineEnd) => field.end(),
                    Some(Cmd::DeleteBack) => {
                        field.delete_back();
                        self.refilter();
                    }
                    Some(Cmd::DeleteForward) => {
                        field.delete_forward();
                    }
                    Some(Cmd::NewLine) if multi => field.insert("\n"),
                    Some(Cmd::NewLine) => {
                        if self.focus + 1 == self.fields.len() {
                            return self.handle_key(
                                &KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL),
                                config,
                                town,
                            );
                        }
                        self.move_focus(true, config, town);
                    }
                    Some(Cmd::Up) => self.move_focus(false, config, town),
                    Some(Cmd::Down) => self.move_focus(true, config, town),
                    _ => {
                        if let KeyCode::Char(c) = ev.code
                            && !ev
                                .modifiers
                                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
                        {
                            self.type_text(&c.to_string());
                        }
                    }
                }
            }
        }
        None
    }

    fn value(&self, i: usize) -> String {
        self.fields[i].value.text().trim().to_string()
    }

    /// The action the fields describe, or what is missing.
    pub fn action(&self, config: &Config) -> Result<Action, String> {
        let v = |i| self.value(i);
        let need = |i: usize| -> Result<String, String> {
            let s = self.value(i);
            if s.is_empty() {
                Err(format!("请填写「{}」", self.fields[i].label))
            } else {
                Ok(s)
            }
        };
        Ok(match self.kind {
            ActionKind::Dispatch => {
                let level = Level::from_label(&v(0)).ok_or("请选择办理层级：村、乡镇或县")?;
                let unit = need(1)?;
                if !config.is_unit(&unit) {
                    return Err(format!("「{unit}」不在责任单位清单中，请从列表中选择"));
                }
                Action::Dispatch {
                    level,
                    unit,
                    note: v(2),
                }
            }
            ActionKind::Accept => Action::Accept { note: v(0) },
            ActionKind::Return => Action::Return { reason: need(0)? },
            ActionKind::Progress => Action::Progress { note: need(0)? },
            ActionKind::Extend => {
                let days: u32 = v(0)
                    .parse()
                    .map_err(|_| format!("延期天数「{}」应为数字", v(0)))?;
                Action::Extend {
                    days,
                    reason: need(1)?,
                    approver: need(2)?,
                }
            }
            ActionKind::Urge => Action::Urge { note: need(0)? },
            ActionKind::Close => Action::Close {
                outcome: Outcome::from_label(&v(0)).ok_or(format!(
                    "请选择办理结果类型：{}",
                    Outcome::labels().join("、")
                ))?,
                result: need(1)?,
                basis: v(2),
            },
            ActionKind::FollowUp => Action::FollowUp {
                date: NaiveDate::parse_from_str(&v(0), "%Y-%m-%d")
                    .map_err(|_| format!("回访日期「{}」应为 2026-03-05 的形式", v(0)))?,
                way: need(1)?,
                satisfaction: Satisfaction::from_label(&v(2)).ok_or(format!(
                    "请选择满意度：{}",
                    Satisfaction::labels().join("、")
                ))?,
                notes: v(3),
            },
            ActionKind::Archive => Action::Archive { note: v(0) },
            ActionKind::Reopen => Action::Reopen { reason: need(0)? },
            ActionKind::Decline => Action::Decline { reason: need(0)? },
            ActionKind::Merge => Action::Merge {
                into: need(0)?.parse::<CaseKey>()?,
            },
        })
    }

    /// Draw centred in `area`; returns the cursor position.
    pub fn render(&self, buf: &mut Buffer, area: Rect, case_no: &str) -> Option<(u16, u16)> {
        let label_w = 14u16;
        let rows: u16 = self.fields.iter().map(|f| f.rows + 1).sum::<u16>() + 3;
        let w = area.width.saturating_sub(4).min(72);
        let rect = widgets::centered(area, w, rows.min(area.height));
        let inner = widgets::popup(
            buf,
            rect,
            &format!(
                "{} · {}  （Ctrl-S 确定，Esc 取消）",
                self.kind.label(),
                case_no
            ),
        );
        let mut y = inner.y;
        let mut cursor = None;
        let mut pick_at = None;
        let vw = inner.width.saturating_sub(label_w);
        for (i, f) in self.fields.iter().enumerate() {
            if y + f.rows > inner.bottom() {
                break;
            }
            let focused = i == self.focus;
            let ls = if focused {
                widgets::focus_label()
            } else {
                widgets::label()
            };
            put(buf, inner.x, y, f.label, label_w - 1, ls);
            let style = if focused {
                widgets::focus_field()
            } else {
                widgets::field()
            };
            let r = Rect::new(inner.x + label_w, y, vw, f.rows);
            buf.set_style(r, style);
            let c = if f.rows > 1 {
                f.value.render_block(buf, r, style)
            } else {
                f.value.render_line(buf, r, style)
            };
            if focused {
                cursor = Some(c);
                if f.options.is_some() {
                    pick_at = Some(r);
                }
            }
            y += f.rows + 1;
        }
        if let Some(e) = &self.error {
            let r = Rect::new(inner.x, inner.bottom().saturating_sub(2), inner.width, 2);
            widgets::wrapped(buf, r, e, widgets::error());
        }
        if let Some(r) = pick_at {
            let visible = self.visible();
            let items: Vec<&str> = visible.iter().map(String::as_str).collect();
            let h = (items.len().max(1) as u16).min(6) + 2;
            let y = if r.y + 1 + h <= area.bottom() {
                r.y + 1
            } else {
                r.y.saturating_sub(h)
            };
            let pop = Rect::new(r.x, y, r.width.min(40), h);
            let inner = widgets::popup(buf, pop, "");
            widgets::list(buf, inner, &items, self.pick_sel);
        }
        cursor
    }
}

/// The level a unit belongs to: county departments, village committees, the rest township.
fn level_of_unit(config: &Config, unit: &str) -> Level {
    if config.routing.county_units.iter().any(|u| u == unit) {
        Level::County
    } else if unit.ends_with(config.routing.village_unit.as_str()) {
        Level::Village
    } else {
        Level::Township
    }
}

pub enum DialogResult {
    Cancel,
    Submit(Action),
}

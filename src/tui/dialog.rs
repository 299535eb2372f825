//! The small dialogs of the case view: each lifecycle action's fields, and the evidence file to
//! attach. Fields are checked before the register is asked, and the register's refusal is shown
//! inside the dialog when it says no.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

use super::keys::{self, Cmd, Scope};
use super::text::TextField;
use super::widgets::{self, filter_options, initial_sel, put};
use crate::config::Config;
use crate::domain::{
    Action, ActionKind, Case, CaseKey, EvidenceKind, Level, Outcome, Satisfaction,
};

struct Field {
    label: &'static str,
    value: TextField,
    /// A closed list to choose from; `None` for free text.
    options: Option<Vec<String>>,
    rows: u16,
}

/// What a dialog is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Action(ActionKind),
    AddEvidence,
    /// 更正 of a registered field.
    Correct,
}

/// A file the clerk named to attach, checked to be there and readable.
#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceFile {
    pub path: PathBuf,
    pub kind: EvidenceKind,
    pub title: String,
    pub pages: u32,
}

/// What a dialog's fields describe.
#[derive(Debug, Clone, PartialEq)]
pub enum Submission {
    Action(Action),
    Evidence(EvidenceFile),
    Correct {
        field: String,
        value: String,
        reason: String,
    },
}

pub struct Dialog {
    pub purpose: Purpose,
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
            ActionKind::Progress => vec![
                text("进展情况", 3, ""),
                text("发生日期", 1, &today.format("%Y-%m-%d").to_string()),
            ],
            ActionKind::Extend => vec![
                text("延期天数", 1, &config.limits.extension_max_days.to_string()),
                text("延期理由", 2, ""),
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
            purpose: Purpose::Action(kind),
            fields,
            focus: 0,
            pick_sel: 0,
            error: None,
        };
        d.refresh_units(config, &case.person.town);
        d.enter(config, &case.person.town);
        d
    }

    /// 添加证据: the file, its kind (`kind` chosen already, or empty), title and pages.
    pub fn add_evidence(kind: Option<EvidenceKind>) -> Dialog {
        let kinds = EvidenceKind::ALL.iter().map(|k| k.label().to_string());
        Dialog {
            purpose: Purpose::AddEvidence,
            fields: vec![
                text("文件路径", 1, ""),
                pick("证据类型", kinds.collect(), kind.map_or("", |k| k.label())),
                text("证据名称", 1, ""),
                text("页数", 1, "1"),
            ],
            focus: 0,
            pick_sel: 0,
            error: None,
        }
    }

    /// 更正: which registered field, its new value, and why.
    pub fn correct() -> Dialog {
        let fields = crate::domain::CORRECTABLE
            .iter()
            .map(|k| crate::domain::field_label(k).to_string())
            .collect();
        Dialog {
            purpose: Purpose::Correct,
            fields: vec![
                pick("更正项目", fields, ""),
                text("新值", 2, ""),
                text("更正理由", 2, ""),
            ],
            focus: 0,
            pick_sel: 0,
            error: None,
        }
    }

    fn title(&self) -> &'static str {
        match self.purpose {
            Purpose::Action(kind) => kind.label(),
            Purpose::AddEvidence => "添加证据",
            Purpose::Correct => "更正",
        }
    }

    fn is(&self, kind: ActionKind) -> bool {
        self.purpose == Purpose::Action(kind)
    }

    /// The unit list follows the chosen level; the person's township first.
    fn refresh_units(&mut self, config: &Config, town: &str) {
        if !self.is(ActionKind::Dispatch) {
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
        if self.is(ActionKind::Dispatch) && self.focus == 0 {
            self.refresh_units(config, town);
        }
        if self.purpose == Purpose::AddEvidence && self.focus == 0 {
            self.left_path();
        }
        let n = self.fields.len();
        self.focus = if forward {
            (self.focus + 1) % n
        } else {
            (self.focus + n - 1) % n
        };
        self.enter(config, town);
    }

    /// Leaving the file path: say at once if the file is not there, and name the evidence
    /// after the file unless the clerk named it.
    fn left_path(&mut self) {
        let typed = self.value(0);
        if typed.is_empty() {
            return;
        }
        let path = clean_path(&typed);
        // Show the path as it will be read (quotes and escapes of a drop taken off).
        let cleaned = path.display().to_string();
        if cleaned != typed {
            self.fields[0].value.set(&cleaned);
        }
        match check_file(&path) {
            Ok(()) => {
                self.error = None;
                if self.value(2).is_empty()
                    && let Some(name) = path.file_name()
                {
                    self.fields[2].value.set(&name.to_string_lossy());
                }
            }
            Err(e) => self.error = Some(e),
        }
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
                return match self.submission(config) {
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

    /// What the fields describe, or what is missing.
    pub fn submission(&self, config: &Config) -> Result<Submission, String> {
        match self.purpose {
            Purpose::Action(kind) => self.action(kind, config).map(Submission::Action),
            Purpose::AddEvidence => self.evidence().map(Submission::Evidence),
            Purpose::Correct => {
                let field = self.value(0);
                if field.is_empty() {
                    return Err("请选择「更正项目」".into());
                }
                let reason = self.value(2);
                if reason.is_empty() {
                    return Err("请填写「更正理由」".into());
                }
                Ok(Submission::Correct {
                    field,
                    value: self.value(1),
                    reason,
                })
            }
        }
    }

    fn evidence(&self) -> Result<EvidenceFile, String> {
        let typed = self.value(0);
        if typed.is_empty() {
            return Err("请填写「文件路径」：证据文件在本机上的位置".into());
        }
        let path = clean_path(&typed);
        check_file(&path)?;
        let kind = EvidenceKind::from_label(&self.value(1)).ok_or_else(|| {
            let all: Vec<&str> = EvidenceKind::ALL.iter().map(EvidenceKind::label).collect();
            format!("请选择证据类型：{}", all.join("、"))
        })?;
        let title = match self.value(2) {
            t if t.is_empty() => path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            t => t,
        };
        if title.chars().count() > 100 {
            return Err(format!(
                "证据名称最多100个字（现为{}个字）",
                title.chars().count()
            ));
        }
        let pages = match self.value(3).parse::<u32>() {
            Ok(n) if n >= 1 => n,
            _ => return Err(format!("页数「{}」应为1以上的数字", self.value(3))),
        };
        Ok(EvidenceFile {
            path,
            kind,
            title,
            pages,
        })
    }

    /// The action the fields describe, or what is missing.
    fn action(&self, kind: ActionKind, config: &Config) -> Result<Action, String> {
        let v = |i| self.value(i);
        let need = |i: usize| -> Result<String, String> {
            let s = self.value(i);
            if s.is_empty() {
                Err(format!("请填写「{}」", self.fields[i].label))
            } else {
                Ok(s)
            }
        };
        Ok(match kind {
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
            ActionKind::Progress => Action::Progress {
                note: need(0)?,
                happened_on: match v(1).trim() {
                    "" => None,
                    d => Some(
                        NaiveDate::parse_from_str(d, "%Y-%m-%d")
                            .map_err(|_| format!("发生日期「{d}」应为 2026-03-05 的形式"))?,
                    ),
                },
            },
            ActionKind::Extend => {
                let days: u32 = v(0)
                    .parse()
                    .map_err(|_| format!("延期天数「{}」应为数字", v(0)))?;
                Action::Extend {
                    days,
                    reason: need(1)?,
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
        // Borders, two rows of message on top (never under a pick list), the fields.
        let rows: u16 = self.fields.iter().map(|f| f.rows + 1).sum::<u16>() + 4;
        let w = area.width.saturating_sub(4).min(72);
        let rect = widgets::centered(area, w, rows.min(area.height));
        let inner = widgets::popup(
            buf,
            rect,
            &format!("{} · {}  （Ctrl-S 确定，Esc 取消）", self.title(), case_no),
        );
        let msg = Rect::new(inner.x, inner.y, inner.width, 2.min(inner.height));
        let mut y = inner.y + msg.height;
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
            widgets::wrapped(buf, msg, e, widgets::error());
        } else if self.purpose == Purpose::AddEvidence {
            let hint = match self.focus {
                0 => "可粘贴路径，或从文件管理器把文件拖进本窗口；文件复制进主目录保存，原文件不动",
                1 => "↑↓ 选择，输入文字可筛选，Enter 选定",
                2 => "默认为文件名，最多100个字",
                _ => "纸质材料的页数，至少1页",
            };
            widgets::wrapped(buf, msg, hint, widgets::dim());
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
    Submit(Submission),
}

/// A path as typed, pasted or dropped in from a file manager: quoted ('…' or "…"), as a
/// `file://` address, with `\ ` before spaces, or starting with `~/`.
pub fn clean_path(typed: &str) -> PathBuf {
    let mut s = typed.trim();
    for q in ['\'', '"'] {
        if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) {
            s = &s[1..s.len() - 1];
        }
    }
    let url = s.strip_prefix("file://");
    let s = url.unwrap_or(s);
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('\\', Some(' ' | '\'' | '"' | '(' | ')' | '&' | '\\')) => {
                out.extend(chars.next());
            }
            (c, _) => out.push(c),
        }
    }
    let out = if url.is_some() {
        percent_decode(&out)
    } else {
        out
    };
    match out.strip_prefix("~/") {
        Some(rest) => match std::env::var_os("HOME") {
            Some(home) => Path::new(&home).join(rest),
            None => PathBuf::from(out),
        },
        None => PathBuf::from(out),
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The file must be there, a file, readable and not empty: say which, and what to do.
pub fn check_file(path: &Path) -> Result<(), String> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            format!("找不到文件「{shown}」，请检查路径（相对路径从启动 minshi 的目录算起）")
        }
        std::io::ErrorKind::PermissionDenied => format!("没有权限读取「{shown}」"),
        _ => format!("无法读取「{shown}」：{e}"),
    })?;
    if meta.is_dir() {
        return Err(format!("「{shown}」是文件夹，请写出其中要添加的文件"));
    }
    if meta.len() == 0 {
        return Err(format!(
            "文件「{shown}」是空的（0字节），请选择扫描或拍照后的文件"
        ));
    }
    std::fs::File::open(path)
        .map(|_| ())
        .map_err(|e| format!("无法读取「{shown}」：{e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropped_and_quoted_paths_are_cleaned() {
        assert_eq!(
            clean_path("  '/tmp/调解 协议.jpg' "),
            PathBuf::from("/tmp/调解 协议.jpg")
        );
        assert_eq!(
            clean_path("/tmp/调解\\ 协议.jpg"),
            PathBuf::from("/tmp/调解 协议.jpg")
        );
        assert_eq!(
            clean_path("file:///tmp/%E8%B0%83%E8%A7%A3.jpg"),
            PathBuf::from("/tmp/调解.jpg")
        );
        assert_eq!(clean_path("a/b.pdf"), PathBuf::from("a/b.pdf"));
    }

    #[test]
    fn a_missing_empty_or_folder_path_is_refused_with_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        assert!(
            check_file(&dir.path().join("无.jpg"))
                .unwrap_err()
                .contains("找不到文件")
        );
        assert!(check_file(dir.path()).unwrap_err().contains("是文件夹"));
        let empty = dir.path().join("空.pdf");
        std::fs::write(&empty, b"").unwrap();
        assert!(check_file(&empty).unwrap_err().contains("是空的"));
        let good = dir.path().join("协议.pdf");
        std::fs::write(&good, b"%PDF-1.4").unwrap();
        assert_eq!(check_file(&good), Ok(()));
    }
}

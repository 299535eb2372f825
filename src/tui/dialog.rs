//! The small dialogs of the case view: each lifecycle action's fields, and the evidence file to
//! attach; and those of the report queue (当场答复, 并案, 引导) and of a meeting (会上回访,
//! 意见建议). Fields are checked before the register is asked, and the register's refusal is
//! shown inside the dialog when it says no.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use serde::{Deserialize, Serialize};

use super::draft::DraftFile;
use super::keys::{self, Cmd, Scope};
use super::pick::Pick;
use super::text::TextField;
use super::widgets::{self, put};
use crate::config::Config;
use crate::domain::records::ReportStatus;
use crate::domain::stats::Period;
use crate::domain::{
    Action, ActionKind, Case, CaseKey, EvidenceKind, FOLLOW_UP_WAYS, Level, Outcome, Satisfaction,
};
use crate::export::Format as ExportFormat;

/// The export dialog's second content: every row of the statistics table.
pub const EXPORT_TABLE: &str = "整张统计表";

/// Which field of a dialog: its fields are read by name, never by position (and a draft
/// names them so).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Id {
    Level,
    Unit,
    Note,
    Reason,
    Progress,
    HappenedOn,
    Days,
    Outcome,
    Result,
    Basis,
    FollowDate,
    Way,
    Satisfaction,
    Notes,
    Into,
    Path,
    Kind,
    Title,
    Pages,
    Which,
    NewValue,
    From,
    To,
    Answer,
    Case,
    Speaker,
    Opinion,
    AsReport,
    Content,
    Format,
    Cadre,
}

/// The value of a field: free text, a closed list chosen through `Pick`, or yes/no.
enum Value {
    Text(TextField),
    Pick(Pick),
    Check(bool),
}

struct Field {
    id: Id,
    label: &'static str,
    value: Value,
    rows: u16,
    /// A value put there for the clerk (today's date, the longest extension): shown selected,
    /// replaced by what is typed, removed whole by Backspace — never appended to.
    selected: bool,
}

impl Field {
    fn text(&self) -> &str {
        match &self.value {
            Value::Text(t) => t.text().trim(),
            Value::Pick(p) => p.value(),
            Value::Check(true) => "是",
            Value::Check(false) => "",
        }
    }

    fn is_pick(&self) -> bool {
        matches!(self.value, Value::Pick(_))
    }
}

/// What a dialog is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Action(ActionKind),
    AddEvidence,
    /// 更正 of a registered field.
    Correct,
    /// The two dates of a statistics period.
    Period,
    /// 研判 of a report ending in 当场答复, 并案 or 引导.
    Triage(ReportStatus),
    /// A case's party revisited at a meeting.
    Revisit,
    /// An opinion raised at a meeting.
    Opinion,
    /// A statistics row's cases or the whole table, to a spreadsheet.
    Export,
    /// A 民情笔记本 on paper: whose (when the screen shows several cadres') and which dates.
    Notebook,
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
    Period(Period),
    /// 当场答复 or 引导 with its text; 并案 into a case with a note.
    Triage {
        status: ReportStatus,
        text: String,
        case: Option<CaseKey>,
    },
    Revisit {
        satisfaction: Satisfaction,
        note: String,
    },
    Opinion {
        speaker: String,
        text: String,
        as_report: bool,
    },
    /// The whole statistics table (or the selected row's cases), as what, where (relative to
    /// the home folder when not absolute).
    Export {
        table: bool,
        format: ExportFormat,
        path: PathBuf,
    },
    /// The 民情笔记本 of `cadre` (a login; `None`: the account's own) over a period.
    Notebook {
        cadre: Option<String>,
        period: Period,
    },
}

/// The file an export would be written to, for each content (the table or not) and format.
pub type SuggestPath = Box<dyn Fn(bool, ExportFormat) -> String>;

pub struct Dialog {
    pub purpose: Purpose,
    fields: Vec<Field>,
    focus: usize,
    pub error: Option<String>,
    /// An export's file: follows the content and format chosen until a path is typed.
    suggest: Option<SuggestPath>,
    /// A key reached the dialog since its draft was last written (for the dialogs that keep
    /// one).
    pub dirty: bool,
}

/// What was typed in a dialog, field by field: what its draft keeps. Fields are named by their
/// `Id`, so a draft cannot land in another field.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Typed(BTreeMap<Id, String>);

impl Typed {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The draft of a dialog on a record (a report's 答复, 并案 or 引导; a meeting's 意见): which
/// record (its key and, to tell the clerk, its number) and what was typed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DialogDraft {
    pub record: String,
    pub record_no: String,
    pub typed: Typed,
}

impl DialogDraft {
    /// Keep the draft in `file`, or remove the file when nothing is typed.
    pub fn write(&self, file: &DraftFile) -> anyhow::Result<()> {
        if self.typed.is_empty() {
            file.remove()
        } else {
            file.save_value(self)
        }
    }
}

fn text(id: Id, label: &'static str, rows: u16, initial: &str) -> Field {
    let mut value = TextField::new(rows > 1);
    value.set(initial);
    Field {
        id,
        label,
        value: Value::Text(value),
        rows,
        selected: !initial.is_empty(),
    }
}

fn pick(id: Id, label: &'static str, options: Vec<String>, initial: &str) -> Field {
    Field {
        id,
        label,
        value: Value::Pick(Pick::new(options, initial)),
        rows: 1,
        selected: false,
    }
}

fn check(id: Id, label: &'static str, on: bool) -> Field {
    Field {
        id,
        label,
        value: Value::Check(on),
        rows: 1,
        selected: false,
    }
}

fn labels(l: Vec<&'static str>) -> Vec<String> {
    l.into_iter().map(String::from).collect()
}

impl Dialog {
    fn with(purpose: Purpose, fields: Vec<Field>) -> Dialog {
        Dialog {
            purpose,
            fields,
            focus: 0,
            error: None,
            suggest: None,
            dirty: false,
        }
    }

    pub fn new(kind: ActionKind, case: &Case, config: &Config, today: NaiveDate) -> Dialog {
        let fields = match kind {
            ActionKind::Dispatch => {
                let unit = case.unit.clone().unwrap_or_default();
                let level = case
                    .level
                    .or_else(|| (!unit.is_empty()).then(|| config.level_of_unit(&unit)))
                    .unwrap_or(Level::Township);
                vec![
                    pick(
                        Id::Level,
                        "办理层级",
                        labels(Level::labels()),
                        level.label(),
                    ),
                    pick(Id::Unit, "责任单位", Vec::new(), &unit),
                    text(Id::Note, "说明", 2, ""),
                ]
            }
            ActionKind::Accept | ActionKind::Archive => vec![text(Id::Note, "说明", 2, "")],
            ActionKind::Return => vec![text(Id::Reason, "退单理由", 3, "")],
            ActionKind::Progress => vec![
                text(Id::Progress, "进展情况", 3, ""),
                text(
                    Id::HappenedOn,
                    "发生日期",
                    1,
                    &today.format("%Y-%m-%d").to_string(),
                ),
            ],
            ActionKind::Extend => vec![
                text(
                    Id::Days,
                    "延期天数",
                    1,
                    &config.limits.extension_max_days.to_string(),
                ),
                text(Id::Reason, "延期理由", 2, ""),
            ],
            ActionKind::Urge => vec![text(Id::Note, "督办意见", 3, "")],
            ActionKind::Close => vec![
                pick(Id::Outcome, "办理结果类型", labels(Outcome::labels()), ""),
                text(Id::Result, "办理结果", 3, ""),
                text(Id::Basis, "办理依据", 1, ""),
            ],
            ActionKind::FollowUp => vec![
                text(
                    Id::FollowDate,
                    "回访日期",
                    1,
                    &today.format("%Y-%m-%d").to_string(),
                ),
                pick(Id::Way, "回访方式", labels(FOLLOW_UP_WAYS.to_vec()), "电话"),
                pick(
                    Id::Satisfaction,
                    "满意度",
                    labels(Satisfaction::labels()),
                    "",
                ),
                text(Id::Notes, "回访情况", 2, ""),
            ],
            ActionKind::Reopen => vec![text(Id::Reason, "重办理由", 3, "")],
            ActionKind::Decline => vec![text(Id::Reason, "理由及引导渠道", 3, "")],
            ActionKind::Merge => vec![text(Id::Into, "并入案件编号", 1, "")],
        };
        let mut d = Dialog::with(Purpose::Action(kind), fields);
        d.refresh_units(config, &case.person.town);
        d.enter();
        d
    }

    /// 添加证据: the file, its kind (`kind` chosen already, or empty), title and pages.
    pub fn add_evidence(kind: Option<EvidenceKind>) -> Dialog {
        let kinds = EvidenceKind::ALL.iter().map(|k| k.label().to_string());
        Dialog::with(
            Purpose::AddEvidence,
            vec![
                text(Id::Path, "文件路径", 1, ""),
                pick(
                    Id::Kind,
                    "证据类型",
                    kinds.collect(),
                    kind.map_or("", |k| k.label()),
                ),
                text(Id::Title, "证据名称", 1, ""),
                text(Id::Pages, "页数", 1, "1"),
            ],
        )
    }

    /// 更正: which registered field, its new value, and why.
    pub fn correct() -> Dialog {
        let fields = crate::domain::CORRECTABLE
            .iter()
            .map(|f| f.label().to_string())
            .collect();
        Dialog::with(
            Purpose::Correct,
            vec![
                pick(Id::Which, "更正项目", fields, ""),
                text(Id::NewValue, "新值", 2, ""),
                text(Id::Reason, "更正理由", 2, ""),
            ],
        )
    }

    /// 统计期间: from and to, put there as the period shown now (typing replaces them).
    pub fn period(now: Period) -> Dialog {
        let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
        Dialog::with(
            Purpose::Period,
            vec![
                text(Id::From, "起始日期", 1, &day(now.from)),
                text(Id::To, "截止日期", 1, &day(now.to)),
            ],
        )
    }

    /// 打印民情笔记本: the dates, put there as `period` (this month); with `cadres` (lines
    /// starting with the login) a choice of whose, `chosen` first — a cadre prints their own.
    pub fn notebook(period: Period, cadres: Vec<String>, chosen: &str) -> Dialog {
        let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
        let mut fields = Vec::new();
        if !cadres.is_empty() {
            fields.push(pick(Id::Cadre, "走访人", cadres, chosen));
        }
        fields.push(text(Id::From, "起始日期", 1, &day(period.from)));
        fields.push(text(Id::To, "截止日期", 1, &day(period.to)));
        Dialog::with(Purpose::Notebook, fields)
    }

    /// 研判 of a report: 当场答复 (the answer), 引导 (the channel and why), 并案 (the case, from
    /// `cases` — the person's earlier ones — or typed, and a note).
    pub fn triage(status: ReportStatus, cases: Vec<String>) -> Dialog {
        let fields = match status {
            ReportStatus::Merged => vec![
                pick(Id::Case, "并入案件编号", cases, ""),
                text(Id::Note, "说明", 2, ""),
            ],
            ReportStatus::Guided => vec![text(Id::Reason, "引导的渠道和理由", 3, "")],
            _ => vec![text(Id::Answer, "答复内容", 3, "")],
        };
        Dialog::with(Purpose::Triage(status), fields)
    }

    /// 会上回访: how satisfied the party is, and what they said.
    pub fn revisit() -> Dialog {
        Dialog::with(
            Purpose::Revisit,
            vec![
                pick(
                    Id::Satisfaction,
                    "满意度",
                    labels(Satisfaction::labels()),
                    "",
                ),
                text(Id::Notes, "回访情况", 2, ""),
            ],
        )
    }

    /// 意见建议 raised at a meeting, and whether it becomes a report form.
    pub fn opinion() -> Dialog {
        Dialog::with(
            Purpose::Opinion,
            vec![
                text(Id::Speaker, "发言人", 1, ""),
                text(Id::Opinion, "意见内容", 3, ""),
                check(Id::AsReport, "转为报告单", false),
            ],
        )
    }

    /// 导出: the selected row's cases (`cases`, the first option) or the whole table, as XLSX
    /// or CSV, to the file `suggest` names for the choice until the clerk types another.
    pub fn export(cases: String, suggest: SuggestPath) -> Dialog {
        let path = suggest(false, ExportFormat::Xlsx);
        let mut d = Dialog::with(
            Purpose::Export,
            vec![
                pick(
                    Id::Content,
                    "导出内容",
                    vec![cases.clone(), EXPORT_TABLE.into()],
                    &cases,
                ),
                pick(
                    Id::Format,
                    "文件格式",
                    ExportFormat::ALL.iter().map(|f| f.label().into()).collect(),
                    ExportFormat::Xlsx.label(),
                ),
                text(Id::Path, "保存到", 1, &path),
            ],
        );
        d.suggest = Some(suggest);
        d
    }

    /// The export's choices: the table or not, and the format.
    fn export_choice(&self) -> (bool, Option<ExportFormat>) {
        (
            self.value(Id::Content) == EXPORT_TABLE,
            ExportFormat::from_label(&self.value(Id::Format)),
        )
    }

    /// The suggested file for the choices made, while the clerk has not typed a path.
    fn follow_suggestion(&mut self) {
        let (table, format) = self.export_choice();
        let untouched = self.field(Id::Path).is_some_and(|f| f.selected);
        if let (Some(suggest), Some(format), true) = (&self.suggest, format, untouched) {
            let path = suggest(table, format);
            self.set_text(Id::Path, &path);
        }
    }

    fn export_file(&self) -> Result<Submission, String> {
        let (table, format) = self.export_choice();
        let format = format.ok_or_else(|| {
            let all: Vec<&str> = ExportFormat::ALL.iter().map(|f| f.label()).collect();
            format!("请选择文件格式：{}", all.join("、"))
        })?;
        let path = clean_path(&self.need(Id::Path)?);
        Ok(Submission::Export {
            table,
            format,
            path,
        })
    }

    fn title(&self) -> &'static str {
        match self.purpose {
            Purpose::Action(kind) => kind.label(),
            Purpose::AddEvidence => "添加证据",
            Purpose::Correct => "更正",
            Purpose::Period => "统计期间",
            Purpose::Triage(status) => status.label(),
            Purpose::Revisit => "会上回访",
            Purpose::Opinion => "意见建议",
            Purpose::Export => "导出",
            Purpose::Notebook => "打印民情笔记本",
        }
    }

    fn is(&self, kind: ActionKind) -> bool {
        self.purpose == Purpose::Action(kind)
    }

    fn field(&self, id: Id) -> Option<&Field> {
        self.fields.iter().find(|f| f.id == id)
    }

    fn field_mut(&mut self, id: Id) -> Option<&mut Field> {
        self.fields.iter_mut().find(|f| f.id == id)
    }

    /// The trimmed value of a field ("" when the dialog has no such field).
    fn value(&self, id: Id) -> String {
        self.field(id)
            .map(|f| f.text().to_string())
            .unwrap_or_default()
    }

    fn set_text(&mut self, id: Id, s: &str) {
        if let Some(Field {
            value: Value::Text(t),
            ..
        }) = self.field_mut(id)
        {
            t.set(s);
        }
    }

    /// What the clerk has typed or chosen, for the draft: every field with something in it, as
    /// it stands (a filter typed in a choice field too).
    pub fn typed(&self) -> Typed {
        let mut out = BTreeMap::new();
        for f in &self.fields {
            let v = match &f.value {
                Value::Text(t) => t.text().to_string(),
                Value::Pick(p) => p.value().to_string(),
                Value::Check(on) => if *on { "是" } else { "" }.to_string(),
            };
            if !v.trim().is_empty() {
                out.insert(f.id, v);
            }
        }
        Typed(out)
    }

    /// Nothing typed or chosen: no draft to keep.
    pub fn is_blank(&self) -> bool {
        self.typed().is_empty()
    }

    /// Put back what a draft holds: text as typed, a choice among the options chosen, anything
    /// else in a choice field as its filter. Fields the dialog lacks are passed over.
    pub fn restore(&mut self, typed: &Typed) {
        for f in &mut self.fields {
            let Some(v) = typed.0.get(&f.id) else {
                continue;
            };
            f.selected = false;
            match &mut f.value {
                Value::Text(t) => t.set(v),
                Value::Pick(p) if p.options().iter().any(|o| o == v) => p.set(v),
                Value::Pick(p) => {
                    p.clear();
                    p.type_str(v);
                }
                Value::Check(on) => *on = v == "是",
            }
        }
        self.enter();
    }

    /// The unit list follows the chosen level; the person's township first.
    fn refresh_units(&mut self, config: &Config, town: &str) {
        if !self.is(ActionKind::Dispatch) {
            return;
        }
        let level = Level::from_label(&self.value(Id::Level)).unwrap_or(Level::Township);
        let units = config.units_for(level, town);
        if let Some(Field {
            value: Value::Pick(p),
            ..
        }) = self.field_mut(Id::Unit)
        {
            p.set_options(units);
        }
    }

    fn focused_pick(&mut self) -> Option<&mut Pick> {
        match &mut self.fields[self.focus].value {
            Value::Pick(p) => Some(p),
            Value::Text(_) | Value::Check(_) => None,
        }
    }

    fn enter(&mut self) {
        if let Some(p) = self.focused_pick() {
            p.enter();
        }
    }

    fn move_focus(&mut self, forward: bool, config: &Config, town: &str) {
        if let Some(p) = self.focused_pick() {
            p.take();
        }
        let left = self.fields[self.focus].id;
        if left == Id::Level {
            self.refresh_units(config, town);
        }
        if left == Id::Path && self.purpose == Purpose::AddEvidence {
            self.left_path();
        }
        if matches!(left, Id::Content | Id::Format) {
            self.follow_suggestion();
        }
        let n = self.fields.len();
        self.focus = if forward {
            (self.focus + 1) % n
        } else {
            (self.focus + n - 1) % n
        };
        self.enter();
    }

    /// Leaving the file path: say at once if the file is not there, and name the evidence
    /// after the file unless the clerk named it.
    fn left_path(&mut self) {
        let typed = self.value(Id::Path);
        if typed.is_empty() {
            return;
        }
        let path = clean_path(&typed);
        // Show the path as it will be read (quotes and escapes of a drop taken off).
        let cleaned = path.display().to_string();
        if cleaned != typed {
            self.set_text(Id::Path, &cleaned);
        }
        match check_file(&path) {
            Ok(()) => {
                self.error = None;
                if self.value(Id::Title).is_empty()
                    && let Some(name) = path.file_name()
                {
                    self.set_text(Id::Title, &name.to_string_lossy());
                }
                if path
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
                {
                    self.error = Some(
                        "PDF 文件不能并入办理书的附件页：办理书的证据清单上将注明「附件另附」，请另行打印附上"
                            .into(),
                    );
                }
            }
            Err(e) => self.error = Some(e),
        }
    }

    pub fn type_text(&mut self, s: &str) {
        self.dirty = true;
        let field = &mut self.fields[self.focus];
        match &mut field.value {
            Value::Text(t) => {
                if std::mem::take(&mut field.selected) {
                    t.clear();
                }
                t.insert(s)
            }
            Value::Pick(p) => p.type_str(s),
            Value::Check(_) => {}
        }
    }

    /// What the dialog decided: keep going, cancel, or submit this action.
    pub fn handle_key(
        &mut self,
        ev: &KeyEvent,
        config: &Config,
        town: &str,
    ) -> Option<DialogResult> {
        self.dirty = true;
        match keys::lookup(Scope::Dialog, ev) {
            Some(Cmd::NextField) => self.move_focus(true, config, town),
            Some(Cmd::PrevField) => self.move_focus(false, config, town),
            Some(Cmd::Back) => return Some(DialogResult::Cancel),
            Some(Cmd::Submit) => return self.submit(config),
            Some(Cmd::Toggle) => match &mut self.fields[self.focus].value {
                Value::Check(on) => *on = !*on,
                _ => self.type_text(" "),
            },
            _ => {
                let last = self.focus + 1 == self.fields.len();
                if let Some(p) = self.focused_pick()
                    && let Some(cmd) = keys::lookup(Scope::Picker, ev)
                {
                    match cmd {
                        Cmd::Up => p.up(),
                        Cmd::Down => p.down(),
                        Cmd::Choose => {
                            p.take();
                            if last {
                                return self.submit(config);
                            }
                            self.move_focus(true, config, town);
                        }
                        Cmd::Back => return Some(DialogResult::Cancel),
                        _ => {}
                    }
                    return None;
                }
                let multi = self.fields[self.focus].rows > 1;
                let cmd = keys::lookup(Scope::Field, ev);
                // A value put there for the clerk goes whole with Backspace; moving in it
                // makes it ordinary text.
                let field = &mut self.fields[self.focus];
                if field.selected && matches!(field.value, Value::Text(_)) {
                    match cmd {
                        Some(Cmd::DeleteBack | Cmd::DeleteForward) => {
                            field.selected = false;
                            if let Value::Text(t) = &mut field.value {
                                t.clear();
                            }
                            return None;
                        }
                        Some(Cmd::Left | Cmd::Right | Cmd::LineStart | Cmd::LineEnd) => {
                            field.selected = false;
                        }
                        _ => {}
                    }
                }
                match (cmd, &mut self.fields[self.focus].value) {
                    (Some(Cmd::NewLine), Value::Text(t)) if multi => t.insert("\n"),
                    (Some(Cmd::NewLine), _) => {
                        if last {
                            return self.submit(config);
                        }
                        self.move_focus(true, config, town);
                    }
                    (Some(Cmd::Up), _) => self.move_focus(false, config, town),
                    (Some(Cmd::Down), _) => self.move_focus(true, config, town),
                    (Some(Cmd::DeleteBack), Value::Pick(p)) => {
                        p.delete_back();
                    }
                    (Some(c), Value::Pick(p)) => p.edit(|t| edit_text(t, c)),
                    (Some(c), Value::Text(t)) => edit_text(t, c),
                    (Some(_), Value::Check(_)) => {}
                    (None, _) => {
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

    fn submit(&mut self, config: &Config) -> Option<DialogResult> {
        if let Some(p) = self.focused_pick() {
            p.take();
        }
        self.follow_suggestion();
        match self.submission(config) {
            Ok(a) => Some(DialogResult::Submit(a)),
            Err(e) => {
                self.error = Some(e);
                None
            }
        }
    }

    /// What the fields describe, or what is missing.
    pub fn submission(&self, config: &Config) -> Result<Submission, String> {
        match self.purpose {
            Purpose::Action(kind) => self.action(kind, config).map(Submission::Action),
            Purpose::AddEvidence => self.evidence().map(Submission::Evidence),
            Purpose::Correct => Ok(Submission::Correct {
                field: self.need(Id::Which)?,
                value: self.value(Id::NewValue),
                reason: self.need(Id::Reason)?,
            }),
            Purpose::Period => self.dates().map(Submission::Period),
            Purpose::Triage(status) => Ok(match status {
                ReportStatus::Merged => {
                    // A chosen line starts with the case's number; a typed one is the number.
                    let typed = self.need(Id::Case)?;
                    let number = typed.split_whitespace().next().unwrap_or("");
                    Submission::Triage {
                        status,
                        text: self.value(Id::Note),
                        case: Some(number.parse::<CaseKey>()?),
                    }
                }
                ReportStatus::Guided => Submission::Triage {
                    status,
                    text: self.need(Id::Reason)?,
                    case: None,
                },
                _ => Submission::Triage {
                    status,
                    text: self.need(Id::Answer)?,
                    case: None,
                },
            }),
            Purpose::Revisit => Ok(Submission::Revisit {
                satisfaction: Satisfaction::from_label(&self.value(Id::Satisfaction)).ok_or(
                    format!("请选择满意度：{}", Satisfaction::labels().join("、")),
                )?,
                note: self.value(Id::Notes),
            }),
            Purpose::Export => self.export_file(),
            Purpose::Notebook => {
                let cadre = match self.field(Id::Cadre) {
                    // A chosen line starts with the login.
                    Some(_) => Some(
                        self.need(Id::Cadre)?
                            .split_whitespace()
                            .next()
                            .unwrap_or("")
                            .to_string(),
                    ),
                    None => None,
                };
                Ok(Submission::Notebook {
                    cadre,
                    period: self.dates()?,
                })
            }
            Purpose::Opinion => Ok(Submission::Opinion {
                speaker: self.value(Id::Speaker),
                text: self.need(Id::Opinion)?,
                as_report: self
                    .field(Id::AsReport)
                    .is_some_and(|f| matches!(f.value, Value::Check(true))),
            }),
        }
    }

    /// The period the two dates describe, or which date is wrong and how to write it.
    fn dates(&self) -> Result<Period, String> {
        let date = |id: Id| -> Result<NaiveDate, String> {
            let label = self.field(id).map_or("", |f| f.label);
            match self.value(id) {
                d if d.is_empty() => Err(format!("请填写「{label}」，如 2026-03-05")),
                d => NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                    .map_err(|_| format!("{label}「{d}」应为 2026-03-05 的形式")),
            }
        };
        Period::new(date(Id::From)?, date(Id::To)?)
    }

    /// A value that must be there, or the message naming its field.
    fn need(&self, id: Id) -> Result<String, String> {
        let s = self.value(id);
        if s.is_empty() {
            let label = self.field(id).map_or("", |f| f.label);
            let verb = if self.field(id).is_some_and(Field::is_pick) {
                "请选择"
            } else {
                "请填写"
            };
            Err(format!("{verb}「{label}」"))
        } else {
            Ok(s)
        }
    }

    fn evidence(&self) -> Result<EvidenceFile, String> {
        let typed = self.value(Id::Path);
        if typed.is_empty() {
            return Err("请填写「文件路径」：证据文件在本机上的位置".into());
        }
        let path = clean_path(&typed);
        check_file(&path)?;
        let kind = EvidenceKind::from_label(&self.value(Id::Kind)).ok_or_else(|| {
            let all: Vec<&str> = EvidenceKind::ALL.iter().map(EvidenceKind::label).collect();
            format!("请选择证据类型：{}", all.join("、"))
        })?;
        let title = match self.value(Id::Title) {
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
        let pages = match self.value(Id::Pages).parse::<u32>() {
            Ok(n) if n >= 1 => n,
            _ => {
                return Err(format!("页数「{}」应为1以上的数字", self.value(Id::Pages)));
            }
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
        let v = |id| self.value(id);
        let date = |id: Id, what: &str| -> Result<NaiveDate, String> {
            let d = v(id);
            NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                .map_err(|_| format!("{what}「{d}」应为 2026-03-05 的形式"))
        };
        Ok(match kind {
            ActionKind::Dispatch => {
                let level =
                    Level::from_label(&v(Id::Level)).ok_or("请选择办理层级：村、乡镇或县")?;
                let unit = self.need(Id::Unit)?;
                if !config.is_unit(&unit) {
                    return Err(format!("「{unit}」不在责任单位清单中，请从列表中选择"));
                }
                Action::Dispatch {
                    level,
                    unit,
                    note: v(Id::Note),
                }
            }
            ActionKind::Accept => Action::Accept { note: v(Id::Note) },
            ActionKind::Return => Action::Return {
                reason: self.need(Id::Reason)?,
            },
            ActionKind::Progress => Action::Progress {
                note: self.need(Id::Progress)?,
                happened_on: match v(Id::HappenedOn).as_str() {
                    "" => None,
                    _ => Some(date(Id::HappenedOn, "发生日期")?),
                },
            },
            ActionKind::Extend => {
                let days: u32 = v(Id::Days)
                    .parse()
                    .map_err(|_| format!("延期天数「{}」应为数字", v(Id::Days)))?;
                Action::Extend {
                    days,
                    reason: self.need(Id::Reason)?,
                }
            }
            ActionKind::Urge => Action::Urge {
                note: self.need(Id::Note)?,
            },
            ActionKind::Close => Action::Close {
                outcome: Outcome::from_label(&v(Id::Outcome)).ok_or(format!(
                    "请选择办理结果类型：{}",
                    Outcome::labels().join("、")
                ))?,
                result: self.need(Id::Result)?,
                basis: v(Id::Basis),
            },
            ActionKind::FollowUp => Action::FollowUp {
                date: date(Id::FollowDate, "回访日期")?,
                way: self.need(Id::Way)?,
                satisfaction: Satisfaction::from_label(&v(Id::Satisfaction)).ok_or(format!(
                    "请选择满意度：{}",
                    Satisfaction::labels().join("、")
                ))?,
                notes: v(Id::Notes),
            },
            ActionKind::Archive => Action::Archive { note: v(Id::Note) },
            ActionKind::Reopen => Action::Reopen {
                reason: self.need(Id::Reason)?,
            },
            ActionKind::Decline => Action::Decline {
                reason: self.need(Id::Reason)?,
            },
            ActionKind::Merge => Action::Merge {
                into: self.need(Id::Into)?.parse::<CaseKey>()?,
            },
        })
    }

    /// Draw centred in `area`, its title followed by `subject` (the case number); returns the
    /// cursor position.
    pub fn render(&self, buf: &mut Buffer, area: Rect, subject: &str) -> Option<(u16, u16)> {
        let label_w = 14u16;
        // Borders, two rows of message on top (never under a pick list), the fields.
        let rows: u16 = self.fields.iter().map(|f| f.rows + 1).sum::<u16>() + 4;
        let w = area.width.saturating_sub(4).min(72);
        let rect = widgets::centered(area, w, rows.min(area.height));
        let inner = widgets::popup(
            buf,
            rect,
            &format!("{} · {}  （Ctrl-S 确定，Esc 取消）", self.title(), subject),
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
            let c = match &f.value {
                Value::Text(t) if focused && f.selected => {
                    put(buf, r.x, r.y, t.text(), r.width, widgets::selected());
                    let w = crate::lines::width(t.text()) as u16;
                    (r.x + w.min(r.width.saturating_sub(1)), r.y)
                }
                Value::Text(t) if f.rows > 1 => t.render_block(buf, r, style),
                Value::Text(t) => t.render_line(buf, r, style),
                Value::Pick(p) => p.render_value(buf, r, style, focused),
                Value::Check(on) => {
                    let s = if *on {
                        "[√] 是（空格切换）"
                    } else {
                        "[ ] 否（空格切换）"
                    };
                    put(buf, r.x, r.y, s, r.width, style);
                    (r.x + 1, r.y)
                }
            };
            if focused {
                cursor = Some(c);
                if let Value::Pick(p) = &f.value {
                    pick_at = Some((r, p));
                }
            }
            y += f.rows + 1;
        }
        if let Some(e) = &self.error {
            widgets::wrapped(buf, msg, e, widgets::error());
        } else if self.purpose == Purpose::AddEvidence {
            let hint = match self.fields[self.focus].id {
                Id::Path => {
                    "可粘贴路径，或从文件管理器把文件拖进本窗口；文件复制进主目录保存，原文件不动"
                }
                Id::Kind => "↑↓ 选择，输入文字可筛选，Enter 选定",
                Id::Title => "默认为文件名，最多100个字",
                _ => "纸质材料的页数，至少1页",
            };
            widgets::wrapped(buf, msg, hint, widgets::dim());
        } else if matches!(self.purpose, Purpose::Period | Purpose::Notebook) {
            let hint = if self.fields[self.focus].id == Id::Cadre {
                "打印谁的笔记本：本人的都可以打印，他人的由本中心的值班长或管理员打印"
            } else {
                "日期写成 2026-03-05，按北京时间，起止两天都算在内"
            };
            widgets::wrapped(buf, msg, hint, widgets::dim());
        } else if self.purpose == Purpose::Export {
            let hint = match self.fields[self.focus].id {
                Id::Content => "该行的案件即 Enter 列出的那些：期间内受理的，含已结束的",
                Id::Format => {
                    "Excel 工作簿附说明页和图表；CSV 为 UTF-8 带 BOM，WPS、Excel 都能打开"
                }
                _ => "相对路径从主目录算起，默认放在 exports 文件夹；输入即替换，← → 可修改",
            };
            widgets::wrapped(buf, msg, hint, widgets::dim());
        }
        if let Some((r, p)) = pick_at {
            let h = (p.visible().len().max(1) as u16).min(6) + 2;
            let y = if r.y + 1 + h <= area.bottom() {
                r.y + 1
            } else {
                r.y.saturating_sub(h)
            };
            let pop = Rect::new(r.x, y, r.width.min(40), h);
            let inner = widgets::popup(buf, pop, "");
            p.render_list(buf, inner);
        }
        cursor
    }
}

/// ←→ Home End Delete on a text.
fn edit_text(t: &mut TextField, cmd: Cmd) {
    match cmd {
        Cmd::Left => {
            t.left();
        }
        Cmd::Right => {
            t.right();
        }
        Cmd::LineStart => t.home(),
        Cmd::LineEnd => t.end(),
        Cmd::DeleteBack => {
            t.delete_back();
        }
        Cmd::DeleteForward => {
            t.delete_forward();
        }
        _ => {}
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

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn typed(dialog: &mut Dialog, id: Id, s: &str) {
        dialog.set_text(id, s);
    }

    fn keys(dialog: &mut Dialog, config: &Config, keys: &[KeyCode]) {
        for k in keys {
            dialog.handle_key(&KeyEvent::new(*k, KeyModifiers::NONE), config, "");
        }
    }

    #[test]
    fn an_opinion_comes_back_from_its_draft_as_typed() {
        let config = Config::embedded();
        let mut dialog = Dialog::opinion();
        assert!(dialog.is_blank() && !dialog.dirty);
        dialog.type_text("王有福");
        keys(&mut dialog, &config, &[KeyCode::Tab]);
        dialog.type_text("村东排水沟堵塞\n雨天漫进院子");
        keys(&mut dialog, &config, &[KeyCode::Tab, KeyCode::Char(' ')]);
        assert!(dialog.dirty && !dialog.is_blank());
        // Through the draft's file format and back.
        let json = serde_json::to_value(dialog.typed()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "speaker": "王有福",
                "opinion": "村东排水沟堵塞\n雨天漫进院子",
                "as_report": "是",
            })
        );
        let mut again = Dialog::opinion();
        again.restore(&serde_json::from_value(json).unwrap());
        assert_eq!(
            again.submission(&config),
            Ok(Submission::Opinion {
                speaker: "王有福".into(),
                text: "村东排水沟堵塞\n雨天漫进院子".into(),
                as_report: true,
            })
        );
    }

    #[test]
    fn a_case_chosen_or_half_typed_for_a_merge_comes_back_as_it_was() {
        let config = Config::embedded();
        let cases = vec!["2026-000012 王芳 劳动争议 办理中".to_string()];
        let mut chosen = Dialog::triage(ReportStatus::Merged, cases.clone());
        keys(&mut chosen, &config, &[KeyCode::Down, KeyCode::Enter]);
        let mut again = Dialog::triage(ReportStatus::Merged, cases.clone());
        again.restore(&chosen.typed());
        assert_eq!(again.value(Id::Case), cases[0]);

        // A filter is still a filter: not taken as a choice until the clerk takes it.
        let mut half = Dialog::triage(ReportStatus::Merged, cases.clone());
        half.type_text("王");
        let mut again = Dialog::triage(ReportStatus::Merged, cases);
        again.restore(&half.typed());
        let Value::Pick(p) = &again.fields[0].value else {
            panic!("the case is a choice");
        };
        assert_eq!((p.typed(), p.visible().len()), ("王", 1));
    }

    #[test]
    fn a_period_takes_two_dates_in_order_and_names_the_wrong_one() {
        let config = Config::embedded();
        let now = Period::new(d("2026-03-01"), d("2026-03-31")).unwrap();
        let mut dialog = Dialog::period(now);
        assert_eq!(
            dialog.submission(&config),
            Ok(Submission::Period(now)),
            "the period shown now, unchanged"
        );
        typed(&mut dialog, Id::From, "2026-02-30");
        assert_eq!(
            dialog.submission(&config),
            Err("起始日期「2026-02-30」应为 2026-03-05 的形式".to_string())
        );
        typed(&mut dialog, Id::From, "2026-04-01");
        assert_eq!(
            dialog.submission(&config),
            Err("起始日期（2026-04-01）晚于截止日期（2026-03-31）".to_string())
        );
        typed(&mut dialog, Id::From, "2025-11-15");
        typed(&mut dialog, Id::To, "");
        assert_eq!(
            dialog.submission(&config),
            Err("请填写「截止日期」，如 2026-03-05".to_string())
        );
        typed(&mut dialog, Id::To, "2026-01-10");
        assert_eq!(
            dialog.submission(&config),
            Ok(Submission::Period(
                Period::new(d("2025-11-15"), d("2026-01-10")).unwrap()
            ))
        );
    }

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

//! 民情笔记本: a cadre's household visits, newest first (a center's people see those of their
//! area); one opened in full with the reports that came of it; and the visit form, whose 上报
//! 事项 grows by one blank matter whenever the last is filled — each matter becomes one 民意报告单
//! in the visit's own write.

use std::cell::Cell;
use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, Borders, Widget};

use super::case_view::CaseView;
use super::component::{Component, View};
use super::ctx::{Ctx, Request};
use super::dialog::{Dialog, DialogResult, Submission};
use super::draft::DraftFile;
use super::keys::{self, Cmd, Scope};
use super::record_form::{Choices, FormEvent, Kind, RecordForm, Spec, keyed, names};
use super::reports::home_place;
use super::text::pad;
use super::widgets::{self, put};
use crate::config::Config;
use crate::domain::records::{ReportInput, Visit, VisitInput, validate_visit};
use crate::domain::stats::Period;
use crate::domain::{Account, Op, Role, authorize, authorize_notebook, mask_name, mask_phone};
use crate::store::{StoreError, VisitFilter};

/// How many visits a list loads at first; moving past the end loads more.
const FIRST_LOAD: usize = 200;

enum Mode {
    List,
    Open {
        visit: Box<Visit>,
        scroll: u16,
        max_scroll: Cell<u16>,
    },
    Form,
}

pub struct Notebook {
    rows: Vec<Visit>,
    /// How many the last load asked for: fewer came back when that is all there is.
    limit: usize,
    sel: usize,
    top: Cell<usize>,
    page: Cell<usize>,
    pub stale: bool,
    mode: Mode,
    form: Option<RecordForm>,
    draft: Option<DraftFile>,
    /// A cadre's own notebook, or a center's view of its area.
    own: bool,
    /// 打印民情笔记本: whose and for which dates, and the dialog's subject.
    dialog: Option<(String, Dialog)>,
}

impl Notebook {
    pub fn new(drafts: Option<(&std::path::Path, &str)>, own: bool) -> Notebook {
        Notebook {
            rows: Vec::new(),
            limit: FIRST_LOAD,
            sel: 0,
            top: Cell::new(0),
            page: Cell::new(15),
            stale: true,
            mode: Mode::List,
            form: None,
            draft: drafts.map(|(dir, login)| DraftFile::named(dir, "visit", login)),
            own,
            dialog: None,
        }
    }

    /// Load the visits when something changed, or more when the selection nears the end.
    pub fn load(&mut self, ctx: &mut Ctx) -> bool {
        let more = self.rows.len() == self.limit && self.sel + self.page.get() >= self.rows.len();
        if !self.stale && !more {
            return false;
        }
        if more {
            self.limit *= 2;
        }
        self.stale = false;
        let filter = VisitFilter {
            limit: Some(self.limit),
            ..VisitFilter::default()
        };
        match ctx.store.visits(&filter, ctx.user) {
            Ok(rows) => self.rows = rows,
            Err(e) => ctx.error(format!("读取走访记录出错：{e}")),
        }
        if self.sel >= self.rows.len() {
            self.sel = self.rows.len().saturating_sub(1);
        }
        true
    }

    /// Something is opened over the list.
    pub fn is_open(&self) -> bool {
        !matches!(self.mode, Mode::List)
    }

    pub fn has_drafts_to_save(&self) -> bool {
        self.form.as_ref().is_some_and(|f| f.dirty)
    }

    /// The form in progress, as its draft holds it, when it has anything in it.
    pub fn drafts(&self) -> Option<(DraftFile, serde_json::Value)> {
        let (form, d) = (self.form.as_ref()?, self.draft.as_ref()?);
        if form.is_blank() {
            return None;
        }
        Some((d.clone(), serde_json::to_value(form.values()).ok()?))
    }

    pub fn save_drafts(&mut self) -> anyhow::Result<()> {
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

    fn open_form(&mut self, ctx: &mut Ctx) {
        if let Err(refusal) = authorize(ctx.user.account(), Op::RecordVisit) {
            ctx.error(refusal.to_string());
            return;
        }
        if self.form.is_none() {
            let draft = self
                .draft
                .as_ref()
                .and_then(|d| d.load_value::<BTreeMap<String, String>>());
            let matters = draft.as_ref().map_or(0, matters_in);
            let mut form = visit_form(ctx, matters);
            if let Some(values) = draft {
                form.load(&values, &ctx.config);
                if !form.is_blank() {
                    ctx.info("已恢复上次未保存的走访记录草稿（Ctrl-L 清空）");
                }
            }
            grow_matters(&mut form);
            self.form = Some(form);
        }
        self.mode = Mode::Form;
    }

    fn form_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> bool {
        let Some(form) = &mut self.form else {
            self.mode = Mode::List;
            return false;
        };
        let event = form.handle_key(ev, ctx);
        grow_matters(form);
        match event {
            None => false,
            Some(FormEvent::Used) => true,
            Some(FormEvent::Back) => {
                self.mode = Mode::List;
                if !form.is_blank() {
                    ctx.info("已返回笔记本；填写的内容保留为草稿（再按 n 继续）");
                }
                true
            }
            Some(FormEvent::Save) => {
                if !form.check_all(ctx) {
                    return true;
                }
                let (input, _) = visit_input(form);
                match ctx.store.add_visit(&input, ctx.user, ctx.clock.now()) {
                    Ok((visit, _)) => {
                        let reports: Vec<&str> =
                            visit.reports.iter().map(|r| r.report_no.as_str()).collect();
                        let up = if reports.is_empty() {
                            String::new()
                        } else {
                            format!(
                                "；上报民意报告单{}张（{}），待研判",
                                reports.len(),
                                reports.join("、")
                            )
                        };
                        ctx.info(format!("已记录走访：{}{up}", visit.name));
                        self.form = None;
                        if let Some(d) = &self.draft {
                            let _ = d.remove();
                        }
                        self.mode = Mode::List;
                        self.stale = true;
                        self.sel = 0;
                        ctx.requests.push(Request::BoardStale);
                    }
                    Err(StoreError::InvalidRecord(errors)) => form.set_errors(keyed(errors), ctx),
                    Err(e) => ctx.error(format!("未保存（表单内容已保留）：{e}")),
                }
                true
            }
        }
    }

    /// p: ask for the period (this month), and whose notebook when the list shows several
    /// cadres' — only those `authorize_notebook` lets this account print, the selected visit's
    /// cadre first when among them. `printing` checks again whatever is typed.
    fn ask_print(&mut self, ctx: &mut Ctx) {
        let today = ctx.clock.today();
        let month = Period::named("本月", today).unwrap_or(Period {
            from: today,
            to: today,
        });
        if self.own {
            let mine = ctx.user.real_name().to_string();
            self.dialog = Some((mine, Dialog::notebook(month, Vec::new(), "")));
            return;
        }
        let accounts = match ctx.store.accounts() {
            Ok(a) => a,
            Err(e) => {
                ctx.error(format!("读取账号出错：{e}"));
                return;
            }
        };
        let listed: Vec<&str> = self.rows.iter().map(|v| v.cadre.as_str()).collect();
        let line = |a: &Account| format!("{} {}", a.login, a.real_name);
        let whose = whose_notebooks(ctx.user.account(), &accounts, &listed, &ctx.config);
        let chosen = self
            .rows
            .get(self.sel)
            .and_then(|v| whose.iter().find(|a| a.login == v.cadre))
            .map_or_else(
                || format!("{} {}", ctx.user.login(), ctx.user.real_name()),
                |a| line(a),
            );
        let cadres = whose.into_iter().map(line).collect();
        let subject = "选定走访人".to_string();
        self.dialog = Some((subject, Dialog::notebook(month, cadres, &chosen)));
    }

    fn dialog_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) {
        let Some((_, d)) = &mut self.dialog else {
            return;
        };
        match d.handle_key(ev, &ctx.config.clone(), "") {
            Some(DialogResult::Cancel) => self.dialog = None,
            Some(DialogResult::Submit(Submission::Notebook { cadre, period })) => {
                let login = cadre.unwrap_or_else(|| ctx.user.login().to_string());
                if super::paper::print_notebook(ctx, &login, period) {
                    self.dialog = None;
                } else {
                    d.error = Some("未能打印，原因见下方状态栏".to_string());
                }
            }
            _ => {}
        }
    }

    fn open_selected(&mut self, ctx: &mut Ctx) {
        let Some(id) = self.rows.get(self.sel).map(|v| v.id) else {
            ctx.error("没有走访记录");
            return;
        };
        self.open(id, ctx);
    }

    /// Open a visit (from the list, or found by search); true when it could be read. A form in
    /// progress stays as it is, to go back to with n.
    pub fn open(&mut self, id: i64, ctx: &mut Ctx) -> bool {
        match ctx.store.visit(id, ctx.user) {
            Ok(v) => {
                self.mode = Mode::Open {
                    visit: Box::new(v),
                    scroll: 0,
                    max_scroll: Cell::new(0),
                };
                true
            }
            Err(e) => {
                ctx.error(format!("无法打开走访记录{id}：{e}"));
                false
            }
        }
    }

    fn render_list(&self, buf: &mut Buffer, area: Rect) {
        let mut y = area.y;
        let whose = if self.own {
            "我的走访记录"
        } else {
            "本中心范围内的走访记录"
        };
        let count = if self.rows.len() == self.limit {
            format!("最近 {} 次", self.rows.len())
        } else {
            format!("{} 次", self.rows.len())
        };
        let pos = if self.rows.is_empty() {
            "n 记录一次走访  p 打印".to_string()
        } else {
            format!(
                "第{}/{}次  n 记录一次走访  p 打印",
                self.sel + 1,
                self.rows.len()
            )
        };
        let pw = crate::lines::width(&pos) as u16;
        put(
            buf,
            area.x + 1,
            y,
            &format!("{whose}：{count}，最近的在前"),
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
        let date_w: u16 = if wide { 10 } else { 5 };
        let who_w: u16 = if self.own && !wide { 0 } else { 8 };
        let place_w: u16 = if wide { 20 } else { 12 };
        let kind_w: u16 = 12;
        // Each column before the last takes its width and a space; a margin either side.
        let fixed: u16 = [1, date_w, who_w, place_w, 8, kind_w, 6]
            .iter()
            .filter(|w| **w > 0)
            .map(|w| w + 1)
            .sum::<u16>()
            + 2;
        let flex = area.width.saturating_sub(fixed);
        let cols: [(&str, u16); 8] = [
            ("", 1),
            ("日期", date_w),
            ("走访人", who_w),
            ("地点", place_w),
            ("走访对象", 8),
            ("类型", kind_w),
            ("报告单", 6),
            ("反映的问题", flex),
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
            put(
                buf,
                area.x + 2,
                y + 1,
                "还没有走访记录。按 n 记录一次走访（要上报的事项会成为民意报告单）",
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
        for (i, v) in self.rows.iter().enumerate().skip(top).take(rows_h) {
            let ry = y + (i - top) as u16;
            let date = if wide {
                v.visited_on.format("%Y-%m-%d").to_string()
            } else {
                v.visited_on.format("%m-%d").to_string()
            };
            let place = if wide {
                format!("{}{}{}", v.town, v.village, v.group)
            } else {
                format!("{}{}", v.village, v.group)
            };
            let said = if v.raised.trim().is_empty() {
                &v.situation
            } else {
                &v.raised
            };
            let cells = vec![
                String::new(),
                date,
                v.cadre_name.clone(),
                place,
                mask_name(&v.name),
                v.kind.clone(),
                if v.reports.is_empty() {
                    String::new()
                } else {
                    format!("{}张", v.reports.len())
                },
                said.replace('\n', " "),
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

    fn visit_pairs(v: &Visit) -> Vec<(String, String, Style)> {
        let mut out = Vec::new();
        let mut add = |l: &str, val: String| {
            if !val.trim().is_empty() {
                out.push((l.to_string(), val, Style::new()));
            }
        };
        add("走访日期", v.visited_on.format("%Y-%m-%d").to_string());
        let mut people = vec![v.cadre_name.clone()];
        people.extend(v.companions.iter().cloned());
        add("走访人员", people.join("、"));
        add("走访类型", v.kind.clone());
        add("走访对象", v.name.clone());
        if let Some(p) = &v.phone {
            add("联系电话", mask_phone(p.as_str()));
        }
        add(
            "住址",
            format!("{}{}{}{}", v.town, v.village, v.group, v.address),
        );
        add("家庭基本情况", v.situation.clone());
        add("反映的问题", v.raised.clone());
        add("当场答复", v.answered.clone());
        add("后续工作", v.follow_up.clone());
        add(
            "记录时间",
            v.recorded_at.format("%Y-%m-%d %H:%M").to_string(),
        );
        if v.reports.is_empty() {
            add("上报事项", "无".to_string());
        }
        for (i, r) in v.reports.iter().enumerate() {
            out.push((
                if i == 0 {
                    "上报事项".to_string()
                } else {
                    String::new()
                },
                format!("{} {}：{}", r.report_no, r.status.label(), r.request),
                Style::new(),
            ));
        }
        out
    }
}

/// The matters of a draft: one more than the highest `reports.N.…` it holds.
fn matters_in(values: &BTreeMap<String, String>) -> usize {
    values
        .keys()
        .filter_map(|k| {
            k.strip_prefix("reports.")?
                .split('.')
                .next()?
                .parse::<usize>()
                .ok()
        })
        .map(|i| i + 1)
        .max()
        .unwrap_or(0)
}

fn matter_key(i: usize, field: &str) -> String {
    format!("reports.{i}.{field}")
}

const MATTER_FIELDS: [&str; 4] = ["request", "name", "phone", "opinion"];

fn matter_specs(i: usize) -> Vec<Spec> {
    vec![
        Spec::new(
            matter_key(i, "request"),
            format!("事项{}", i + 1),
            Kind::Line,
        )
        .note("一事一单；不上报就空着"),
        Spec::new(matter_key(i, "name"), "  当事人", Kind::Line).note("可不填"),
        Spec::new(matter_key(i, "phone"), "  当事人电话", Kind::Line),
        Spec::new(matter_key(i, "opinion"), "  初步意见", Kind::Block(2)),
    ]
}

/// How many matters the form has now.
fn matter_count(form: &RecordForm) -> usize {
    (0..)
        .take_while(|&i| form.has(&matter_key(i, "request")))
        .count()
}

fn matter_filled(form: &RecordForm, i: usize) -> bool {
    MATTER_FIELDS
        .iter()
        .any(|f| !form.get(&matter_key(i, f)).is_empty())
}

/// Keep one blank matter at the end: filling the last adds the next.
fn grow_matters(form: &mut RecordForm) {
    let n = matter_count(form);
    if n == 0 || matter_filled(form, n - 1) {
        form.push(matter_specs(n));
    }
}

fn visit_specs(config: &Config, matters: usize) -> Vec<Spec> {
    let mut specs = vec![
        Spec::new("visited_on", "走访日期", Kind::Line).note("留空为今天；如 2026-03-05"),
        Spec::new(
            "kind",
            "走访类型",
            Kind::Pick(Choices::Fixed(config.records.visit_kinds.clone())),
        )
        .required(),
        Spec::new("name", "走访对象", Kind::Line).required(),
        Spec::new("phone", "联系电话", Kind::Line),
        Spec::new("town", "乡镇", Kind::Pick(Choices::Towns)).required(),
        Spec::new(
            "village",
            "村（社区）",
            Kind::Pick(Choices::VillagesOf("town")),
        )
        .required(),
        Spec::new("group", "社/组", Kind::Line),
        Spec::new("address", "详细地址", Kind::Line),
        Spec::new("companions", "同行人员", Kind::Line).note("用、分隔；记录人不必填"),
        Spec::new("situation", "家庭基本情况", Kind::Block(3))
            .note("家庭成员、联系人、收入、实际困难"),
        Spec::new("raised", "反映的问题", Kind::Block(3)).note("问题、意见和建议"),
        Spec::new("answered", "当场答复", Kind::Block(2)),
        Spec::new("follow_up", "后续工作", Kind::Block(2)),
        Spec::new(
            "reports",
            "上报事项：每项成为一张民意报告单，送中心研判",
            Kind::Heading,
        ),
    ];
    for i in 0..matters {
        specs.extend(matter_specs(i));
    }
    specs
}

fn visit_form(ctx: &Ctx, matters: usize) -> RecordForm {
    let config = &ctx.config;
    let (town, village) = home_place(ctx.user.center());
    let kind = if config.records.visit_kinds.iter().any(|k| k == "入户走访") {
        "入户走访".to_string()
    } else {
        String::new()
    };
    RecordForm::new(
        "记录走访（民情笔记本）",
        visit_specs(config, matters),
        &[("kind", kind), ("town", town), ("village", village)],
        check_visit,
        config,
    )
}

/// The visit the form describes, and what in it does not parse (a date, a matter with no
/// request).
fn visit_input(f: &RecordForm) -> (VisitInput, Vec<(String, String)>) {
    let mut errors = Vec::new();
    let visited_on = match f.get("visited_on") {
        "" => None,
        s => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                errors.push((
                    "visited_on".to_string(),
                    format!("「{s}」应为 2026-03-05 的形式；留空为今天"),
                ));
                None
            }
        },
    };
    let mut reports = Vec::new();
    for i in 0..matter_count(f) {
        if !matter_filled(f, i) {
            continue;
        }
        let request = f.get(&matter_key(i, "request"));
        if request.is_empty() {
            errors.push((matter_key(i, "request"), "请写明要上报的事项".to_string()));
            continue;
        }
        reports.push(ReportInput {
            request: request.into(),
            name: f.get(&matter_key(i, "name")).into(),
            phone: f.get(&matter_key(i, "phone")).into(),
            opinion: f.get(&matter_key(i, "opinion")).into(),
            ..ReportInput::default()
        });
    }
    let input = VisitInput {
        visited_on,
        companions: names(f.get("companions")),
        name: f.get("name").into(),
        phone: f.get("phone").into(),
        town: f.get("town").into(),
        village: f.get("village").into(),
        group: f.get("group").into(),
        address: f.get("address").into(),
        kind: f.get("kind").into(),
        situation: f.get("situation").into(),
        raised: f.get("raised").into(),
        answered: f.get("answered").into(),
        follow_up: f.get("follow_up").into(),
        reports,
    };
    (input, errors)
}

fn check_visit(
    f: &RecordForm,
    config: &Config,
    now: DateTime<FixedOffset>,
) -> Vec<(String, String)> {
    let (input, mut errors) = visit_input(f);
    if let Err(e) = validate_visit(&input, config, now, &crate::intake::printable) {
        errors.extend(keyed(e));
    }
    errors
}

impl Component for Notebook {
    fn scopes(&self) -> Vec<Scope> {
        if self.dialog.is_some() {
            return vec![Scope::Global, Scope::Dialog, Scope::Picker, Scope::Field];
        }
        match &self.mode {
            Mode::Form => self
                .form
                .as_ref()
                .map_or(vec![Scope::Global], RecordForm::scopes),
            Mode::Open { .. } => vec![Scope::Global, Scope::Visit, Scope::Browse],
            Mode::List => vec![Scope::Global, Scope::Notebook, Scope::Browse],
        }
    }

    fn is_typing(&self) -> bool {
        self.dialog.is_some() || matches!(self.mode, Mode::Form)
    }

    fn handle_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> bool {
        if self.dialog.is_some() {
            self.dialog_key(ev, ctx);
            return true;
        }
        match &mut self.mode {
            Mode::Form => self.form_key(ev, ctx),
            Mode::Open {
                scroll, max_scroll, ..
            } => {
                match keys::lookup(Scope::Visit, ev) {
                    Some(Cmd::Back) => self.mode = Mode::List,
                    Some(Cmd::Up) => *scroll = scroll.saturating_sub(1),
                    Some(Cmd::Down) => *scroll = (*scroll + 1).min(max_scroll.get().max(*scroll)),
                    _ => return false,
                }
                true
            }
            Mode::List => {
                let page = self.page.get().max(1);
                let last = self.rows.len().saturating_sub(1);
                match keys::lookup(Scope::Notebook, ev) {
                    Some(Cmd::Up) => self.sel = self.sel.saturating_sub(1),
                    Some(Cmd::Down) => self.sel = (self.sel + 1).min(last),
                    Some(Cmd::PageUp) => self.sel = self.sel.saturating_sub(page),
                    Some(Cmd::PageDown) => self.sel = (self.sel + page).min(last),
                    Some(Cmd::First) => self.sel = 0,
                    Some(Cmd::Last) => self.sel = last,
                    Some(Cmd::Open) => self.open_selected(ctx),
                    Some(Cmd::NewRecord) => self.open_form(ctx),
                    Some(Cmd::StartSearch) => ctx.requests.push(Request::Search),
                    Some(Cmd::PrintNotebook) => self.ask_print(ctx),
                    _ => return false,
                }
                true
            }
        }
    }

    fn type_text(&mut self, s: &str, ctx: &mut Ctx) -> bool {
        if let Some((_, d)) = &mut self.dialog {
            d.type_text(s);
            return true;
        }
        match (&self.mode, &mut self.form) {
            (Mode::Form, Some(f)) => {
                let used = f.type_text(s, ctx);
                grow_matters(f);
                used
            }
            _ => false,
        }
    }

    fn render(&self, buf: &mut Buffer, area: Rect, _view: &View) -> Option<(u16, u16)> {
        match &self.mode {
            Mode::Form => self.form.as_ref().and_then(|f| f.render(buf, area)),
            Mode::Open {
                visit,
                scroll,
                max_scroll,
            } => {
                let block = Block::new().borders(Borders::ALL).title(format!(
                    " 走访记录 第{}号 · {} {} ",
                    visit.id,
                    visit.visited_on.format("%Y-%m-%d"),
                    visit.name
                ));
                let inner = block.inner(area);
                block.render(area, buf);
                let pairs = Self::visit_pairs(visit);
                let rows = CaseView::draw_pairs(buf, inner, &pairs, 14, *scroll);
                max_scroll.set(rows.saturating_sub(inner.height));
                None
            }
            Mode::List => {
                self.render_list(buf, area);
                let (subject, d) = self.dialog.as_ref()?;
                d.render(buf, area, subject)
            }
        }
    }

    fn help_notes(&self, view: &View) -> Vec<(&'static str, Vec<(String, String)>)> {
        let note = || -> Option<(&'static str, Vec<(String, String)>)> {
            let n = view.config.records.triage_working_days;
            let mut notes = vec![
                ("上报事项".to_string(), "每项成为一张民意报告单".to_string()),
                (
                    "报告单".to_string(),
                    format!("{n}个工作日内研判；F7 看结果"),
                ),
                (
                    "走访类型".to_string(),
                    view.config.records.visit_kinds.join("、"),
                ),
            ];
            if self.own {
                notes.push(("范围".to_string(), "只有自己记录的走访".to_string()));
            } else {
                notes.push(("范围".to_string(), "本中心范围内的走访".to_string()));
            }
            Some(("民情笔记本", notes))
        };
        note().into_iter().collect()
    }
}

/// Whose notebooks `who` may print, as the print dialog offers them: the cadres of the visits
/// listed (`listed`, their logins newest first), then the area's other cadres, then `who` —
/// each only if `authorize_notebook` allows it (a clerk: themselves alone).
fn whose_notebooks<'a>(
    who: &'a Account,
    accounts: &'a [Account],
    listed: &[&str],
    config: &Config,
) -> Vec<&'a Account> {
    let by_login = |login: &str| accounts.iter().find(|a| a.login == login);
    let candidates = listed
        .iter()
        .filter_map(|l| by_login(l))
        .chain(accounts.iter().filter(|a| a.role == Role::Cadre))
        .chain(std::iter::once(who));
    let mut out: Vec<&Account> = Vec::new();
    for a in candidates {
        if !out.iter().any(|o| o.login == a.login) && authorize_notebook(who, a, config).is_ok() {
            out.push(a);
        }
    }
    out
}

/// Whether an account keeps its own notebook (a cadre) or reads its area's.
pub fn keeps_own(role: Role) -> bool {
    role == Role::Cadre
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Center;

    fn account(login: &str, role: Role, center: &str) -> Account {
        Account {
            id: 1,
            login: login.into(),
            real_name: login.into(),
            role,
            center: Center::from_code(center),
            active: true,
            os_user: None,
            created_at: chrono::DateTime::parse_from_rfc3339("2026-03-02T09:00:00+08:00").unwrap(),
        }
    }

    fn logins(whose: Vec<&Account>) -> Vec<&str> {
        whose.into_iter().map(|a| a.login.as_str()).collect()
    }

    #[test]
    fn the_print_dialog_offers_only_the_notebooks_the_account_may_print() {
        let config = Config::embedded();
        let accounts = vec![
            account("county-cadre", Role::Cadre, ""),
            account("town-cadre", Role::Cadre, "首阳镇"),
            account("other-town-cadre", Role::Cadre, "巩昌镇"),
            account("town-clerk", Role::Clerk, "首阳镇"),
            account("town-chief", Role::Supervisor, "首阳镇"),
            account("county-chief", Role::Supervisor, ""),
        ];
        let listed = ["town-cadre", "county-cadre", "town-cadre"];
        let whose = |login: &str| {
            let who = accounts.iter().find(|a| a.login == login).unwrap();
            logins(whose_notebooks(who, &accounts, &listed, &config))
        };
        // A clerk prints only their own, whoever's visits the list shows.
        assert_eq!(whose("town-clerk"), ["town-clerk"]);
        // A town's 值班长: the town's cadres, not the county's nor another town's.
        assert_eq!(whose("town-chief"), ["town-cadre", "town-chief"]);
        // The county's: every cadre, those listed first, in the list's order.
        assert_eq!(
            whose("county-chief"),
            [
                "town-cadre",
                "county-cadre",
                "other-town-cadre",
                "county-chief"
            ]
        );
        // A cadre: themselves.
        assert_eq!(whose("town-cadre"), ["town-cadre"]);
    }
}

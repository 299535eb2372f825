//! 统计: the figures of RULES.md for a period and a break-down, over the area of the account's
//! center — a table with a total row, a bar chart of the rows' 受理数 and a twelve-month trend —
//! for 值班长 and 管理员. Enter on a row lists its cases on the board; e exports them (or the
//! whole table) while a gauge shows how far it got; u, by 责任单位, prints a 督办通知单 to the
//! selected unit. The store answers from its kept sums in milliseconds, so a change of period or
//! break-down reloads at once.

use std::cell::Cell;

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::Line;
use ratatui::widgets::{
    Axis, Bar, BarChart, BarGroup, Block, BorderType, Borders, Chart, Dataset, GraphType, Widget,
};

use super::board::{Drill, short_unit};
use super::ctx::{Ctx, Request};
use super::dialog::{Dialog, DialogResult, Submission};
use super::export::{Content, Ended, GaugeView, Job, Order};
use super::keys::{self, Cmd, Scope};
use super::text::{self, pad};
use super::urge::{self, UrgeAsk};
use super::widgets::{self, put};
use crate::domain::stats::{Dim, Figure, Figures, NOT_YET, Period, UNROUTED};
use crate::export::Format;
use crate::store::{Selection, StatsTable};

/// The periods p steps through (P backwards), as `Period::named` reads them.
const PERIODS: [&str; 5] = ["本月", "上月", "本季度", "本年", "上年"];

/// How many months the trend shows, ending with the period's last month (this month when the
/// period reaches into the future: nothing is received there yet).
const TREND_MONTHS: u32 = 12;

/// The columns kept when the screen is too narrow for all, most wanted first: the first five
/// are always shown (with the name, they fit 80 columns); the rest give way from the end.
const PRIORITY: [Figure; 16] = [
    Figure::Received,
    Figure::Ended,
    Figure::ResolvedRate,
    Figure::OnTimeRate,
    Figure::OverdueOpen,
    Figure::SatisfactionRate,
    Figure::Resolved,
    Figure::AvgDays,
    Figure::FollowUpRate,
    Figure::RepeatRate,
    Figure::Repeated,
    Figure::VillageShare,
    Figure::TownshipShare,
    Figure::CountyShare,
    Figure::FeedbackRate,
    Figure::TriageOnTimeRate,
];

/// The figures that stay however narrow the screen (80 columns is the minimum).
const ALWAYS: usize = 5;

/// The total row's label, as `minshi stats` prints it.
const TOTAL: &str = "合计";

/// Which period the table covers: one of `PERIODS`, or two dates typed with d.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Choice {
    Named(usize),
    Custom(Period),
}

impl Choice {
    fn period(&self, today: NaiveDate) -> Result<Period, String> {
        match self {
            Choice::Named(i) => Period::named(PERIODS[*i], today),
            Choice::Custom(p) => Ok(*p),
        }
    }

    /// The next (or previous) named period; from typed dates, the first (or last) one.
    fn step(&self, forward: bool) -> Choice {
        let n = PERIODS.len();
        Choice::Named(match (self, forward) {
            (Choice::Named(i), true) => (i + 1) % n,
            (Choice::Named(i), false) => (i + n - 1) % n,
            (Choice::Custom(_), true) => 0,
            (Choice::Custom(_), false) => n - 1,
        })
    }

    /// `本月（2026-03-01 至 2026-03-31）`, or the typed dates.
    fn describe(&self, p: &Period) -> String {
        match self {
            Choice::Named(i) => format!("{}（{}）", PERIODS[*i], p.describe()),
            Choice::Custom(_) => p.describe(),
        }
    }

    /// `本月`, or the typed dates.
    fn short(&self, p: &Period) -> String {
        match self {
            Choice::Named(i) => PERIODS[*i].to_string(),
            Choice::Custom(_) => p.describe(),
        }
    }
}

/// The break-down after (or before) `by`, in `Dim::ALL`'s order.
fn step_dim(by: Dim, forward: bool) -> Dim {
    let all = Dim::ALL;
    let i = all.iter().position(|d| *d == by).unwrap_or(0);
    let n = all.len();
    all[if forward {
        (i + 1) % n
    } else {
        (i + n - 1) % n
    }]
}

/// A figure's column: as wide as its name, and at least as wide as `100.0%`.
fn column_width(f: Figure) -> u16 {
    (text::width(f.label()) as u16).max(6)
}

/// The figures that fit beside a name column `name_w` wide in `width` columns, in table order.
fn fitting_columns(width: u16, name_w: u16) -> Vec<Figure> {
    let mut used = name_w;
    let mut kept = Vec::new();
    for (i, f) in PRIORITY.iter().enumerate() {
        let w = column_width(*f) + 1;
        if i >= ALWAYS && used + w > width {
            break;
        }
        used += w;
        kept.push(*f);
    }
    Figure::ALL
        .into_iter()
        .filter(|f| kept.contains(f))
        .collect()
}

/// The first of `len` items to show in `fit` places so that `sel` is among them, moving as
/// little as possible from `top`.
fn scrolled(top: usize, sel: usize, len: usize, fit: usize) -> usize {
    let fit = fit.max(1);
    let mut top = top.min(len.saturating_sub(fit));
    if sel < top {
        top = sel;
    }
    if sel >= top + fit {
        top = sel + 1 - fit;
    }
    top
}

/// A row's name short enough for a bar's label: a village without its town, a month without
/// its year, a unit by its customary short form.
fn bar_label(by: Dim, label: &str, cols: usize) -> String {
    let short = match by {
        Dim::Village => label.split_once('/').map_or(label, |(_, v)| v).to_string(),
        Dim::Month => label.get(5..).unwrap_or(label).to_string(),
        Dim::Unit => short_unit(label, "", cols),
        _ => label.to_string(),
    };
    // Whole characters only, and no ellipsis: a bar's label is a reminder, the table names it.
    let mut out = String::new();
    for g in unicode_segmentation::UnicodeSegmentation::graphemes(short.as_str(), true) {
        if text::width(&out) + text::grapheme_width(g) > cols {
            break;
        }
        out.push_str(g);
    }
    out
}

pub struct Stats {
    choice: Choice,
    by: Dim,
    table: Option<StatsTable>,
    /// The trend: its span and the 受理/办结 of each month.
    trend: Option<(Period, Vec<(String, Figures)>)>,
    /// The selected row; `rows.len()` is the total row.
    sel: usize,
    /// The first row shown, and how many fit: learnt when drawing.
    top: Cell<usize>,
    page: Cell<usize>,
    /// A dialog and what it is about (its title's subject).
    dialog: Option<(Dialog, String)>,
    /// An export under way, and its dialog to come back to if it fails.
    job: Option<(Job, Dialog, String)>,
    /// A 督办通知单 waiting for the supervisor's y or n.
    urge: Option<UrgeAsk>,
    /// Read the table again before the next frame.
    pub stale: bool,
}

impl Default for Stats {
    fn default() -> Self {
        Stats::new()
    }
}

impl Stats {
    pub fn new() -> Stats {
        Stats {
            choice: Choice::Named(0),
            by: Dim::Town,
            table: None,
            trend: None,
            sel: 0,
            top: Cell::new(0),
            page: Cell::new(10),
            dialog: None,
            job: None,
            urge: None,
            stale: true,
        }
    }

    fn rows(&self) -> &[(String, Figures)] {
        self.table.as_ref().map_or(&[], |t| t.rows.as_slice())
    }

    /// The selected row's label; `None` on the total row.
    fn selected_label(&self) -> Option<&str> {
        self.rows().get(self.sel).map(|(k, _)| k.as_str())
    }

    /// Read the table (and the trend, when its months changed) for the period and break-down.
    /// The store limits it to the account's area and refuses anyone but 值班长 and 管理员.
    pub fn load(&mut self, ctx: &mut Ctx) -> bool {
        if !self.stale {
            return false;
        }
        self.stale = false;
        let today = ctx.clock.today();
        let period = match self.choice.period(today) {
            Ok(p) => p,
            Err(e) => {
                ctx.error(e);
                return true;
            }
        };
        let keep = self.selected_label().map(str::to_string);
        let was_total = self.table.is_some() && keep.is_none();
        match ctx.store.statistics(ctx.user, period, self.by, today) {
            Ok(t) => {
                let rows = t.rows.len();
                let same_dim = self.table.as_ref().is_some_and(|old| old.by == t.by);
                self.sel = match (&keep, same_dim) {
                    (Some(k), true) => t.rows.iter().position(|(l, _)| l == k).unwrap_or(0),
                    _ if was_total && same_dim => rows,
                    _ => 0,
                };
                if !same_dim {
                    self.top.set(0);
                }
                self.table = Some(t);
            }
            Err(e) => {
                self.table = None;
                ctx.error(format!("统计出错：{e}"));
            }
        }
        let span = Period::months_ending(period.to.min(today), TREND_MONTHS);
        if self.trend.as_ref().is_none_or(|(p, _)| *p != span) {
            match ctx.store.statistics(ctx.user, span, Dim::Month, today) {
                Ok(t) => self.trend = Some((span, t.rows)),
                Err(e) => {
                    self.trend = None;
                    ctx.error(format!("统计出错：{e}"));
                }
            }
        }
        true
    }

    pub fn scopes(&self) -> Vec<Scope> {
        if self.urge.is_some() {
            UrgeAsk::scopes()
        } else if self.job.is_some() {
            vec![Scope::Global, Scope::Exporting]
        } else if self.dialog.is_some() {
            vec![Scope::Global, Scope::Dialog, Scope::Field]
        } else if self.table.as_ref().is_some_and(|t| t.by == Dim::Unit) {
            vec![
                Scope::Global,
                Scope::Stats,
                Scope::StatsByUnit,
                Scope::Browse,
            ]
        } else {
            vec![Scope::Global, Scope::Stats, Scope::Browse]
        }
    }

    pub fn is_typing(&self) -> bool {
        self.dialog.is_some() && self.job.is_none() && self.urge.is_none()
    }

    pub fn type_text(&mut self, s: &str) -> bool {
        if self.job.is_some() || self.urge.is_some() {
            return false;
        }
        match &mut self.dialog {
            Some((d, _)) => {
                d.type_text(s);
                true
            }
            None => false,
        }
    }

    pub fn handle_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> bool {
        if let Some(ask) = self.urge.take() {
            match ask.answer(ev, ctx) {
                urge::Answer::Issued => {
                    self.stale = true;
                    ctx.requests.push(Request::BoardStale);
                }
                urge::Answer::Done => {}
                urge::Answer::Waiting(ask) => self.urge = Some(ask),
            }
            return true;
        }
        if let Some((job, _, _)) = &self.job {
            // The export has the screen until it ends; only Esc (and the global keys) count.
            if keys::lookup(Scope::Exporting, ev) == Some(Cmd::Back) && !job.cancelling() {
                job.cancel();
            }
            return true;
        }
        if let Some((d, _)) = &mut self.dialog {
            match d.handle_key(ev, &ctx.config, "") {
                Some(DialogResult::Cancel) => self.dialog = None,
                Some(DialogResult::Submit(Submission::Period(p))) => {
                    self.dialog = None;
                    self.choice = Choice::Custom(p);
                    self.stale = true;
                }
                Some(DialogResult::Submit(Submission::Export {
                    table,
                    format,
                    path,
                })) => {
                    if let Some(dialog) = self.dialog.take() {
                        self.start_export(ctx, (table, format, path), dialog);
                    }
                }
                Some(DialogResult::Submit(_)) | None => {}
            }
            return true;
        }
        // u is offered by 责任单位 only; pressed on another break-down it says how to get there.
        let Some(cmd) = keys::lookup_in(&[Scope::Stats, Scope::StatsByUnit], ev) else {
            return false;
        };
        // The total row is the last.
        let last = self.rows().len();
        let page = self.page.get().max(1);
        match cmd {
            Cmd::Up => self.sel = self.sel.saturating_sub(1),
            Cmd::Down => self.sel = (self.sel + 1).min(last),
            Cmd::PageUp => self.sel = self.sel.saturating_sub(page),
            Cmd::PageDown => self.sel = (self.sel + page).min(last),
            Cmd::First => self.sel = 0,
            Cmd::Last => self.sel = last,
            Cmd::Open => self.open(ctx),
            Cmd::NextPeriod | Cmd::PrevPeriod => {
                self.choice = self.choice.step(cmd == Cmd::NextPeriod);
                self.stale = true;
            }
            Cmd::CustomPeriod => {
                let now = self
                    .table
                    .as_ref()
                    .map(|t| t.period)
                    .or_else(|| self.choice.period(ctx.clock.today()).ok());
                if let Some(p) = now {
                    self.dialog = Some((Dialog::period(p), "自定起止日期".into()));
                }
            }
            Cmd::NextDim | Cmd::PrevDim => {
                self.by = step_dim(self.by, cmd == Cmd::NextDim);
                self.stale = true;
            }
            Cmd::Export => self.ask_export(ctx),
            Cmd::Urge => self.ask_urge(ctx),
            Cmd::Back => ctx.requests.push(Request::CloseStats),
            _ => return false,
        }
        true
    }

    /// The selected row in words ("乡镇：首阳镇", or the area on the total row), and its cases.
    fn selected_cases(&self, ctx: &mut Ctx) -> Option<(String, Figures, Selection)> {
        let t = self.table.as_ref()?;
        let row = self.selected_label();
        let Some(selection) = t.cases(row) else {
            ctx.error(format!(
                "无法列出「{}」的案件：统计表里没有这一行",
                row.unwrap_or(TOTAL)
            ));
            return None;
        };
        let (what, figures) = match row {
            Some(r) => (format!("{}：{r}", t.by.label()), self.rows()[self.sel].1),
            None => (t.filter.describe(), t.total),
        };
        Some((what, figures, selection))
    }

    /// e: what to export, as what, where — the file named after the row and the period, in
    /// the home's `exports/`.
    fn ask_export(&mut self, ctx: &mut Ctx) {
        let Some(t) = &self.table else {
            ctx.error("统计表未能读出，无法导出");
            return;
        };
        let Some((what, figures, _)) = self.selected_cases(ctx) else {
            return;
        };
        let (from, to) = (
            t.period.from.format("%Y-%m-%d"),
            t.period.to.format("%Y-%m-%d"),
        );
        let cases_stem = match self.selected_label() {
            Some(r) => format!("登记簿-{r}-{from}至{to}"),
            None => format!("登记簿-{from}至{to}"),
        };
        let table_stem = format!("统计表-按{}-{from}至{to}", t.by.label());
        let (home, dir) = (ctx.home.root().to_path_buf(), ctx.home.exports_dir());
        // Shown from the home folder (where the status line will say the file is), so the
        // file's name fits in the field.
        let suggest = move |table: bool, format: Format| {
            let stem = if table { &table_stem } else { &cases_stem };
            let path = super::export::free_path(&dir, stem, format);
            super::paper::shown(&path, &home)
        };
        let cases = format!("该行的案件：{what}（{}件）", figures.received());
        let subject = format!("{} · {what}", self.choice.short(&t.period));
        self.dialog = Some((Dialog::export(cases, Box::new(suggest)), subject));
    }

    /// Start the export the dialog describes; the dialog is kept to come back to on failure.
    fn start_export(
        &mut self,
        ctx: &mut Ctx,
        (table, format, path): (bool, Format, std::path::PathBuf),
        (mut dialog, subject): (Dialog, String),
    ) {
        let Some(t) = &self.table else {
            return;
        };
        let path = ctx.home.root().join(path);
        if path.is_dir() {
            dialog.error = Some(format!(
                "{} 是一个文件夹：请在后面写上文件名",
                path.display()
            ));
            self.dialog = Some((dialog, subject));
            return;
        }
        let (content, what) = if table {
            let what = format!("按{}分组 · {}", t.by.label(), self.choice.short(&t.period));
            (Content::Table(Box::new(t.clone())), what)
        } else {
            let Some((what, _, selection)) = self.selected_cases(ctx) else {
                return;
            };
            let described = selection.describe();
            let what = format!("{what} · {}", self.choice.short(&t.period));
            (
                Content::Cases {
                    selection,
                    described,
                },
                what,
            )
        };
        // The home's own folder for exports is made when first used; any other must exist.
        let exports = ctx.home.exports_dir();
        if path.parent() == Some(exports.as_path())
            && let Err(e) = crate::owner_only::create_dir_all(&exports)
        {
            dialog.error = Some(format!("无法建立文件夹 {}：{e}", exports.display()));
            self.dialog = Some((dialog, subject));
            return;
        }
        let order = Order {
            content,
            format,
            path,
            what,
        };
        let job = Job::start(
            ctx.home,
            ctx.user,
            order,
            ctx.clock.today(),
            ctx.clock.now(),
        );
        self.job = Some((job, dialog, subject));
    }

    /// Whether an export is under way: the screen redraws its gauge until it ends, then says
    /// how it ended — where the file is, or why there is none (the dialog comes back then,
    /// as it was, to try again).
    pub fn poll_export(&mut self, ctx: &mut Ctx) -> bool {
        let Some((job, _, _)) = &mut self.job else {
            return false;
        };
        let Some(ended) = job.ended() else {
            return true;
        };
        let Some((job, mut dialog, subject)) = self.job.take() else {
            return true;
        };
        let order = &job.order;
        let shown = super::paper::shown(&order.path, ctx.home.root());
        match ended {
            Ended::Done(n) => match order.content {
                Content::Cases { .. } => {
                    ctx.info(format!("已导出{n}件案件（{}）到 {shown}", order.what))
                }
                Content::Table(_) => ctx.info(format!(
                    "已导出统计表（{}，{}行及合计）到 {shown}",
                    order.what,
                    n.saturating_sub(1)
                )),
            },
            Ended::Cancelled => ctx.info("已取消导出，没有留下文件"),
            Ended::Failed(e) => {
                ctx.error(format!("导出失败，没有写出文件：{e}"));
                dialog.error = Some(e);
                self.dialog = Some((dialog, subject));
            }
        }
        true
    }

    /// u, by 责任单位: a 督办通知单 to the selected unit, as d does on the board.
    fn ask_urge(&mut self, ctx: &mut Ctx) {
        let Some(t) = &self.table else {
            return;
        };
        if t.by != Dim::Unit {
            ctx.error("督办要对一个责任单位：请按 b 换到按「责任单位」分组，选中单位后再按 u");
            return;
        }
        match self.selected_label() {
            None => ctx.error("合计行不是一个单位：请选中要督办的责任单位"),
            Some(UNROUTED) => ctx.error("未分流的案件还没有责任单位，不能督办"),
            Some(unit) => self.urge = UrgeAsk::new(ctx, unit.to_string()),
        }
    }

    /// Enter: the selected row's cases (all of the period's on the total row) on the board.
    fn open(&mut self, ctx: &mut Ctx) {
        let Some((what, figures, selection)) = self.selected_cases(ctx) else {
            return;
        };
        let Some(t) = &self.table else {
            return;
        };
        ctx.requests.push(Request::Drill(Box::new(Drill {
            selection,
            title: format!("{} · {what}", self.choice.short(&t.period)),
            figures,
        })));
    }

    pub fn help_notes(&self) -> Vec<(&'static str, Vec<(String, String)>)> {
        let dims: Vec<&str> = Dim::labels();
        let dropped: Vec<&str> = PRIORITY[ALWAYS..].iter().rev().map(|f| f.label()).collect();
        let usage = vec![
            (
                "期间".to_string(),
                format!("p 依次换为{}，P 往回；d 输入起止日期", PERIODS.join("、")),
            ),
            (
                "分组".to_string(),
                format!("b 依次换为{}，B 往回", dims.join("、")),
            ),
            (
                "Enter".to_string(),
                "在看板上列出该行在期间内受理的全部案件（含已办结；合计行为全部），Esc 回到统计"
                    .to_string(),
            ),
            (
                "窄屏".to_string(),
                format!("放不下时依次省去{}", dropped.join("、")),
            ),
            (
                "趋势".to_string(),
                format!(
                    "截至期间末月（期间未完时截至本月）的{TREND_MONTHS}个月，每月受理数（线）和办结数（点）"
                ),
            ),
        ];
        let mut definitions: Vec<(String, String)> = Figure::ALL
            .iter()
            .map(|f| (f.label().to_string(), f.definition().to_string()))
            .collect();
        definitions.push(("未统计".to_string(), NOT_YET.to_string()));
        vec![("用法", usage), ("指标定义", definitions)]
    }

    pub fn render(&self, buf: &mut Buffer, area: Rect) -> Option<(u16, u16)> {
        let Some(t) = &self.table else {
            put(
                buf,
                area.x + 1,
                area.y,
                "统计表未能读出（见下方的消息）；按 p 或 b 重试，Esc 返回",
                area.width - 1,
                widgets::dim(),
            );
            return self
                .dialog
                .as_ref()
                .and_then(|(d, subject)| d.render(buf, area, subject));
        };
        let rows = &t.rows;
        // The header: period, break-down, area; where the selection is.
        let head = format!(
            "统计期间：{}  按{}分组  {}",
            self.choice.describe(&t.period),
            t.by.label(),
            t.filter.describe()
        );
        let pos = if rows.is_empty() {
            String::new()
        } else if self.sel < rows.len() {
            format!("第{}/{}行", self.sel + 1, rows.len())
        } else {
            format!("合计（{}行）", rows.len())
        };
        let pw = text::width(&pos) as u16;
        put(
            buf,
            area.x + 1,
            area.y,
            &head,
            area.width.saturating_sub(pw + 3),
            Style::new().add_modifier(Modifier::BOLD),
        );
        put(
            buf,
            area.right().saturating_sub(pw + 1),
            area.y,
            &pos,
            pw,
            widgets::label(),
        );

        // The table takes what the charts leave, and no more than it needs.
        let avail = area.height.saturating_sub(1);
        let charts_min = (avail * 2 / 5).clamp(8, 14);
        // The head, the rows (or a line saying there are none) and the total.
        let table_h = (rows.len().max(1) as u16 + 2).min(avail.saturating_sub(charts_min));
        let table = Rect::new(area.x, area.y + 1, area.width, table_h);
        self.render_table(buf, table, t);
        let charts = Rect::new(
            area.x,
            table.bottom(),
            area.width,
            area.bottom().saturating_sub(table.bottom()),
        );
        if charts.height >= 5 {
            let left_w = charts.width / 2;
            self.render_bars(buf, Rect::new(charts.x, charts.y, left_w, charts.height), t);
            self.render_trend(
                buf,
                Rect::new(
                    charts.x + left_w,
                    charts.y,
                    charts.width - left_w,
                    charts.height,
                ),
            );
        }
        self.render_over(buf, area)
    }

    /// What lies over the table: the export under way, a 督办 question, a dialog.
    fn render_over(&self, buf: &mut Buffer, area: Rect) -> Option<(u16, u16)> {
        if let Some((job, _, _)) = &self.job {
            let to = job.order.path.display().to_string();
            let what = match job.order.content {
                Content::Cases { .. } => format!("导出该行的案件：{}", job.order.what),
                Content::Table(_) => format!("导出统计表：{}", job.order.what),
            };
            GaugeView {
                what: &what,
                to: &to,
                progress: job.progress(),
                cancelling: job.cancelling(),
            }
            .render(area, buf);
            return None;
        }
        if let Some(ask) = &self.urge {
            ask.render(buf, area);
            return None;
        }
        self.dialog
            .as_ref()
            .and_then(|(d, subject)| d.render(buf, area, subject))
    }

    fn render_table(&self, buf: &mut Buffer, area: Rect, t: &StatsTable) {
        let rows = &t.rows;
        if area.height < 2 {
            return;
        }
        let longest = rows
            .iter()
            .map(|(k, _)| text::width(k))
            .chain([text::width(t.by.label()), text::width(TOTAL)])
            .max()
            .unwrap_or(4) as u16;
        let must: u16 = PRIORITY[..ALWAYS]
            .iter()
            .map(|f| column_width(*f) + 1)
            .sum();
        // A space at the left edge, the name column, then the figures.
        let width = area.width.saturating_sub(1);
        let name_w = longest.clamp(4, 24).min(width.saturating_sub(must));
        let figures = fitting_columns(width, name_w);
        let line = |name: &str, values: &dyn Fn(Figure) -> String| -> String {
            let mut s = pad(name, name_w as usize);
            for f in &figures {
                let v = values(*f);
                let w = column_width(*f) as usize;
                s.push(' ');
                s.push_str(&" ".repeat(w.saturating_sub(text::width(&v))));
                s.push_str(&v);
            }
            s
        };
        let name_of = |k: &str| match t.by {
            Dim::Unit => short_unit(k, "", name_w as usize),
            _ => k.to_string(),
        };
        put(
            buf,
            area.x + 1,
            area.y,
            &line(t.by.label(), &|f| f.label().to_string()),
            width,
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        );
        // Rows between the head and the total row, scrolled to keep the selection in view.
        let fit = area.height.saturating_sub(2) as usize;
        self.page.set(fit.max(1));
        let top = scrolled(self.top.get(), self.sel.min(rows.len()), rows.len(), fit);
        self.top.set(top);
        if rows.is_empty() {
            put(
                buf,
                area.x + 2,
                area.y + 1,
                "这个期间没有案件",
                width.saturating_sub(1),
                widgets::dim(),
            );
        }
        for (i, (k, f)) in rows.iter().enumerate().skip(top).take(fit) {
            let y = area.y + 1 + (i - top) as u16;
            let style = if i == self.sel {
                widgets::selected()
            } else {
                Style::new()
            };
            buf.set_style(Rect::new(area.x, y, area.width, 1), style);
            put(
                buf,
                area.x + 1,
                y,
                &line(&name_of(k), &|fig| fig.shown(f)),
                width,
                style,
            );
        }
        let y = area.y + 1 + (rows.len() - top).min(fit) as u16;
        if y < area.bottom() {
            let mut style = Style::new().add_modifier(Modifier::BOLD);
            if self.sel >= rows.len() {
                style = widgets::selected().add_modifier(Modifier::BOLD);
                buf.set_style(Rect::new(area.x, y, area.width, 1), style);
            }
            put(
                buf,
                area.x + 1,
                y,
                &line(TOTAL, &|fig| fig.shown(&t.total)),
                width,
                style,
            );
        }
    }

    /// 受理数 of each row as a bar, the selected one highlighted; as many bars as fit around it.
    fn render_bars(&self, buf: &mut Buffer, area: Rect, t: &StatsTable) {
        let rows = &t.rows;
        let picked = rows
            .get(self.sel)
            .map(|(k, f)| format!(" · {k} {}", f.received()))
            .unwrap_or_default();
        let block = chart_block(&format!("受理数（按{}）{picked}", t.by.label()));
        let inner = block.inner(area);
        block.render(area, buf);
        if rows.is_empty() || inner.width < 2 || inner.height < 2 {
            return;
        }
        let w = inner.width as usize;
        let n = rows.len();
        // As wide as lets every bar show, up to a label of three characters.
        let bar_w = [6usize, 4, 3, 2]
            .into_iter()
            .find(|bw| n * (bw + 1) <= w + 1)
            .unwrap_or(2);
        let fit = (w + 1) / (bar_w + 1);
        let first = scrolled(
            self.sel.saturating_sub(fit / 2),
            self.sel.min(n - 1),
            n,
            fit,
        );
        let bars: Vec<Bar> = rows
            .iter()
            .enumerate()
            .skip(first)
            .take(fit)
            .map(|(i, (k, f))| {
                let (style, value_style) = if i == self.sel {
                    (
                        Style::new().fg(Color::Yellow),
                        Style::new().fg(Color::Black).bg(Color::Yellow),
                    )
                } else {
                    (
                        Style::new().fg(Color::Cyan),
                        Style::new().fg(Color::Black).bg(Color::Cyan),
                    )
                };
                Bar::default()
                    .value(f.received().max(0) as u64)
                    .label(Line::from(bar_label(t.by, k, bar_w)))
                    .style(style)
                    .value_style(value_style)
            })
            .collect();
        BarChart::default()
            .data(BarGroup::default().bars(&bars))
            .bar_width(bar_w as u16)
            .bar_gap(1)
            .render(inner, buf);
    }

    /// 受理 and 办结 per month over the twelve months ending with the period's last month.
    fn render_trend(&self, buf: &mut Buffer, area: Rect) {
        let Some((_, months)) = &self.trend else {
            chart_block("趋势").render(area, buf);
            return;
        };
        let title = format!("近{TREND_MONTHS}个月：线为受理，点为办结");
        let points = |f: fn(&Figures) -> i64| -> Vec<(f64, f64)> {
            months
                .iter()
                .enumerate()
                .map(|(i, (_, fig))| (i as f64, f(fig) as f64))
                .collect()
        };
        let received = points(Figures::received);
        let ended = points(Figures::ended);
        let top = received
            .iter()
            .chain(&ended)
            .map(|(_, y)| *y)
            .fold(0.0, f64::max)
            .max(1.0);
        let last = months.len().saturating_sub(1) as f64;
        let month = |i: usize| months.get(i).map_or(String::new(), |(k, _)| k.clone());
        let chart = Chart::new(vec![
            Dataset::default()
                .name("受理")
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(Style::new().fg(Color::Cyan))
                .data(&received),
            Dataset::default()
                .name("办结")
                .marker(Marker::Dot)
                .graph_type(GraphType::Scatter)
                .style(Style::new().fg(Color::LightGreen))
                .data(&ended),
        ])
        .block(chart_block(&title))
        // The title says which is which; a legend box would hide the first or the last months.
        .legend_position(None)
        .x_axis(
            Axis::default()
                .bounds([0.0, last.max(1.0)])
                .labels([month(0), month(months.len().saturating_sub(1))])
                .style(widgets::dim()),
        )
        .y_axis(
            Axis::default()
                .bounds([0.0, top])
                .labels(["0".to_string(), format!("{top:.0}")])
                .style(widgets::dim()),
        );
        chart.render(area, buf);
    }
}

fn chart_block(title: &str) -> Block<'static> {
    Block::new()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(widgets::dim())
        .title(format!(" {} ", crate::text::neutralize(title, false)))
}

impl super::component::Component for Stats {
    fn scopes(&self) -> Vec<Scope> {
        Stats::scopes(self)
    }

    fn is_typing(&self) -> bool {
        Stats::is_typing(self)
    }

    fn handle_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> bool {
        Stats::handle_key(self, ev, ctx)
    }

    fn type_text(&mut self, s: &str, _ctx: &mut Ctx) -> bool {
        Stats::type_text(self, s)
    }

    fn render(
        &self,
        buf: &mut Buffer,
        area: Rect,
        _view: &super::component::View,
    ) -> Option<(u16, u16)> {
        Stats::render(self, buf, area)
    }

    fn help_notes(
        &self,
        _view: &super::component::View,
    ) -> Vec<(&'static str, Vec<(String, String)>)> {
        Stats::help_notes(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p_steps_through_the_periods_and_back() {
        let mut c = Choice::Named(0);
        let mut seen = Vec::new();
        for _ in 0..PERIODS.len() {
            c = c.step(true);
            if let Choice::Named(i) = c {
                seen.push(PERIODS[i]);
            }
        }
        assert_eq!(seen, ["上月", "本季度", "本年", "上年", "本月"]);
        assert_eq!(Choice::Named(0).step(false), Choice::Named(4));
        let typed = Period::new(
            NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
            NaiveDate::from_ymd_opt(2026, 2, 5).unwrap(),
        )
        .unwrap();
        assert_eq!(Choice::Custom(typed).step(true), Choice::Named(0));
        assert_eq!(Choice::Custom(typed).step(false), Choice::Named(4));
    }

    #[test]
    fn b_steps_through_every_break_down() {
        let mut by = Dim::Town;
        let mut seen = vec![by];
        for _ in 1..Dim::ALL.len() {
            by = step_dim(by, true);
            seen.push(by);
        }
        assert_eq!(seen, Dim::ALL.to_vec());
        assert_eq!(step_dim(Dim::Town, false), Dim::Month);
    }

    #[test]
    fn narrow_screens_keep_the_figures_that_matter() {
        // 80 columns with a town's name: the five that must stay, and what fits beside them.
        let at80 = fitting_columns(79, 8);
        for f in &PRIORITY[..ALWAYS] {
            assert!(at80.contains(f), "{f:?} at 80 columns");
        }
        let widest = fitting_columns(79, 24);
        assert!(PRIORITY[..ALWAYS].iter().all(|f| widest.contains(f)));
        // Wider screens only add columns, in priority order, shown in the table's order.
        let at120 = fitting_columns(119, 8);
        assert!(at120.len() > at80.len());
        let order: Vec<usize> = at120
            .iter()
            .map(|f| Figure::ALL.iter().position(|x| x == f).unwrap())
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]));
        let all = fitting_columns(400, 24);
        assert_eq!(all, Figure::ALL.to_vec());
        let missing: Vec<Figure> = PRIORITY
            .iter()
            .copied()
            .filter(|f| !at120.contains(f))
            .collect();
        assert_eq!(
            missing,
            PRIORITY[PRIORITY.len() - missing.len()..].to_vec(),
            "the last in priority go first"
        );
    }

    #[test]
    fn scrolling_keeps_the_selection_in_view() {
        assert_eq!(scrolled(0, 0, 17, 10), 0);
        assert_eq!(scrolled(0, 12, 17, 10), 3);
        assert_eq!(scrolled(5, 2, 17, 10), 2);
        assert_eq!(scrolled(9, 16, 17, 10), 7);
        assert_eq!(scrolled(3, 5, 4, 10), 0, "all fit");
    }

    #[test]
    fn bar_labels_are_whole_characters() {
        assert_eq!(bar_label(Dim::Town, "首阳镇", 4), "首阳");
        assert_eq!(bar_label(Dim::Town, "首阳镇", 3), "首");
        assert_eq!(bar_label(Dim::Village, "首阳镇/南门村", 4), "南门");
        assert_eq!(bar_label(Dim::Month, "2026-03", 2), "03");
        assert_eq!(bar_label(Dim::Town, "首阳镇", 1), "");
    }
}

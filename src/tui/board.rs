//! 看板: open cases by time left, coloured by band, with the day's counts and the register's
//! rates, filters, search, and Enter to open a case. Only the rows on screen are loaded, so
//! moving costs one indexed page query however large the register. From the statistics it also
//! lists a row's cases (a drill-down: open and ended, newest first) until Esc or x.

use std::cell::Cell;

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};

use super::ctx::{Ctx, Request};
use super::keys::{self, Cmd, Scope};
use super::records::Found;
use super::text::{self, TextField, pad};
use super::urge::{self, UrgeAsk};
use super::widgets::{self, Picker, put};
use crate::calendar::Band;
use crate::config::Config;
use crate::domain::stats::{Figure, Figures, percent};
use crate::domain::{Status, mask_name};
use crate::store::{
    BoardFilter, BoardRow, Header, Listing, QueueCount, RecordHit, Seek, Selection,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FilterKind {
    Town,
    Unit,
    Category,
    Status,
}

const ALL: &str = "（全部）";

/// A statistics row's cases: which, what the statistics screen calls them, and the row's
/// figures (shown above them, as the table had them).
#[derive(Debug, Clone, PartialEq)]
pub struct Drill {
    pub selection: Selection,
    pub title: String,
    pub figures: Figures,
}

/// The figures a drill-down shows above its cases.
const DRILL_FIGURES: [Figure; 6] = [
    Figure::Received,
    Figure::Ended,
    Figure::ResolvedRate,
    Figure::OnTimeRate,
    Figure::OverdueOpen,
    Figure::SatisfactionRate,
];

struct Search {
    field: TextField,
    editing: bool,
    /// The query and its results, once run.
    results: Option<Results>,
}

/// What a search found: the cases, then the visits, reports and meetings (newest first each),
/// as this account may see them. The selection runs through both, cases first.
struct Results {
    query: String,
    /// The newest `CASE_HITS` of `cases_total` found.
    cases: Vec<BoardRow>,
    cases_total: u64,
    records: Vec<RecordHit>,
}

/// How many cases a search lists at most, newest first.
const CASE_HITS: usize = 200;
/// How many visits, reports and meetings a search lists at most (after the cases).
const RECORD_HITS: usize = 50;

pub struct Board {
    pub filter: BoardFilter,
    /// The town an account's center limits the board to.
    scope_town: Option<String>,
    total: Option<u64>,
    header: Option<Header>,
    /// The header's rates over `period`, for the board's town, unit and category.
    rates: Option<crate::domain::stats::Figures>,
    /// Which of `PERIODS` the header's rates cover.
    period: usize,
    /// Reports waiting for triage at this account's center, and how many of them are late.
    queue: Option<QueueCount>,
    /// Absolute index of the selected row.
    sel: usize,
    /// Absolute index of the first loaded (and shown) row.
    top: usize,
    rows: Vec<BoardRow>,
    /// Absolute index of `rows[0]` (kept while a reload is pending, to seek from).
    rows_top: usize,
    loaded: Option<(usize, usize)>,
    /// Rows that fit on screen, learnt when drawing.
    page: Cell<usize>,
    search: Option<Search>,
    picker: Option<(FilterKind, Picker)>,
    /// A statistics row's cases instead of the open ones, and the filter to go back to.
    drill: Option<(Drill, BoardFilter)>,
    /// Reload the page and counts before the next frame.
    pub stale: bool,
    /// A 督办通知单 waiting for the supervisor's y or n.
    urge: Option<UrgeAsk>,
}

impl Default for Board {
    fn default() -> Self {
        Board::new()
    }
}

impl Board {
    pub fn new() -> Board {
        Board {
            filter: BoardFilter::default(),
            scope_town: None,
            total: None,
            header: None,
            rates: None,
            period: 0,
            queue: None,
            sel: 0,
            top: 0,
            rows: Vec::new(),
            rows_top: 0,
            loaded: None,
            page: Cell::new(20),
            search: None,
            picker: None,
            urge: None,
            drill: None,
            stale: true,
        }
    }

    /// List a statistics row's cases; Esc goes back to the statistics, x clears.
    pub fn drill(&mut self, drill: Drill) {
        let before = match self.drill.take() {
            Some((_, before)) => before,
            None => self.filter.clone(),
        };
        self.search = None;
        self.picker = None;
        self.set_filter(drill.selection.board.clone());
        self.drill = Some((drill, before));
    }

    /// Back to the open cases and the filters there were before the drill-down.
    fn undrill(&mut self) {
        if let Some((_, before)) = self.drill.take() {
            self.set_filter(before);
        }
    }

    /// The cases of the drill-down, with the filters chosen on top of it since.
    fn selection(&self) -> Option<Selection> {
        self.drill.as_ref().map(|(d, _)| Selection {
            board: self.filter.clone(),
            ..d.selection.clone()
        })
    }

    /// How many rows fit on screen (drawing learns it too; this lets the first load be right).
    pub fn set_page(&mut self, rows: usize) {
        self.page.set(rows.max(1));
    }

    pub fn scopes(&self) -> Vec<Scope> {
        if self.urge.is_some() {
            UrgeAsk::scopes()
        } else if self.picker.is_some() {
            vec![Scope::Global, Scope::Picker, Scope::Field]
        } else if self.search.as_ref().is_some_and(|s| s.editing) {
            vec![Scope::Global, Scope::Search, Scope::Field]
        } else if self.showing_results() {
            vec![Scope::Global, Scope::Results, Scope::Board, Scope::Browse]
        } else {
            vec![Scope::Global, Scope::Board, Scope::Browse]
        }
    }

    /// Typing into a field (search line or a picker's filter): Browse keys must not fire.
    pub fn is_typing(&self) -> bool {
        self.picker.is_some() || self.search.as_ref().is_some_and(|s| s.editing)
    }

    fn showing_results(&self) -> bool {
        self.search.as_ref().is_some_and(|s| s.results.is_some())
    }

    fn found(&self) -> Option<&Results> {
        self.search.as_ref().and_then(|s| s.results.as_ref())
    }

    fn len(&self) -> usize {
        match self.found() {
            Some(f) => f.cases.len() + f.records.len(),
            _ => self.total.unwrap_or(self.rows.len() as u64) as usize,
        }
    }

    /// `/`: a new search, empty (what is typed must not append to the last one).
    pub fn start_search(&mut self) {
        self.picker = None;
        self.search = Some(Search {
            field: TextField::new(false),
            editing: true,
            results: None,
        });
    }

    pub fn selected_key(&self) -> Option<crate::domain::CaseKey> {
        if let Some(f) = self.found() {
            return f.cases.get(self.sel).map(|r| r.key);
        }
        self.rows
            .get(self.sel.checked_sub(self.rows_top)?)
            .map(|r| r.key)
    }

    /// Load what the screen needs: the page around the selection, and after a change the
    /// count of rows. The header's counts wait for `load_header` (after the frame is drawn).
    pub fn load(&mut self, ctx: &mut Ctx) -> bool {
        let today = ctx.clock.today();
        let was_stale = self.stale;
        if self.stale {
            self.stale = false;
            self.loaded = None;
            self.header = None;
            self.rates = None;
            let counted = match self.selection() {
                Some(s) => ctx.store.select_count(&s, today),
                None => ctx.store.board_count(&self.filter, today),
            };
            match counted {
                Ok(n) => self.total = Some(n),
                Err(e) => ctx.error(format!("读取看板出错：{e}")),
            }
        }
        if self.showing_results() {
            return was_stale;
        }
        let page = self.page.get().max(1);
        let total = self.total.unwrap_or(0) as usize;
        if total > 0 && self.sel >= total {
            self.sel = total - 1;
        }
        if self.sel < self.top {
            self.top = self.sel;
        }
        if self.sel >= self.top + page {
            self.top = self.sel + 1 - page;
        }
        if self.top + page > total {
            self.top = total.saturating_sub(page);
        }
        if self.loaded == Some((self.top, page)) {
            return was_stale;
        }
        match self.fetch(ctx, total, page) {
            Ok(rows) => {
                self.rows = rows;
                self.rows_top = self.top;
                self.loaded = Some((self.top, page));
            }
            Err(e) => ctx.error(format!("读取看板出错：{e}")),
        }
        true
    }

    /// The page at `self.top`. Moving is a seek from a row already loaded (or from the end), so
    /// a key costs one index range wherever it lands; only a jump far from every loaded row
    /// counts its way there with OFFSET.
    fn fetch(
        &self,
        ctx: &mut Ctx,
        total: usize,
        page: usize,
    ) -> crate::store::Result<Vec<BoardRow>> {
        let today = ctx.clock.today();
        let top = self.top;
        // A row's cases come newest first by the index on the day received, a page counted
        // to with OFFSET: the board's seeks follow its own order (due date), not this one.
        if let Some(s) = self.selection() {
            return ctx.store.select(&s, today, top, page);
        }
        let seek = if top == 0 {
            None
        } else if top + page >= total {
            Some(Seek::Last)
        } else if self.rows.is_empty() {
            None
        } else if top >= self.rows_top {
            // Down: from the row just above the new top, or the same top again (a reload).
            match top - self.rows_top {
                0 => Some(Seek::From(self.rows[0].key)),
                d if d <= self.rows.len() => Some(Seek::After(self.rows[d - 1].key)),
                _ => None,
            }
        } else {
            // Up: the page that ends just before the first row below it that is loaded.
            (top + page)
                .checked_sub(self.rows_top)
                .and_then(|below| self.rows.get(below))
                .map(|r| Seek::Before(r.key))
        };
        if let Some(seek) = seek {
            let rows = ctx.store.board_seek(&self.filter, today, seek, page)?;
            // A seek from a row that is gone from the register falls back to counting.
            if rows.len() == page.min(total - top.min(total)) {
                return Ok(rows);
            }
        }
        ctx.store.board(&self.filter, today, top, page)
    }

    /// The header's counts and rates: a few counting queries, done after the rows are on screen.
    /// The rates follow the board's town, unit and category over a period (this year unless
    /// the supervisor chose another with p), as the statistics define them.
    pub fn load_header(&mut self, ctx: &mut Ctx) -> bool {
        if self.header.is_some() {
            return false;
        }
        let today = ctx.clock.today();
        if let Some(s) = self.selection() {
            // Of the row's cases, how many are still open.
            let open = Selection {
                listing: Listing::Open,
                ..s
            };
            self.header = Some(match ctx.store.select_count(&open, today) {
                Ok(open) => Header {
                    open,
                    ..Header::default()
                },
                Err(e) => {
                    ctx.error(format!("统计出错：{e}"));
                    Header::default()
                }
            });
            return true;
        }
        match ctx.store.header(&self.filter, today) {
            Ok(h) => self.header = Some(h),
            Err(e) => {
                self.header = Some(Header::default());
                ctx.error(format!("统计出错：{e}"));
            }
        }
        let period = crate::domain::stats::Period::named(PERIODS[self.period], today)
            .map_err(|e| e.to_string())
            .and_then(|p| {
                ctx.store
                    .header_rates(ctx.user, &self.filter, p, today)
                    .map_err(|e| e.to_string())
            });
        match period {
            Ok(f) => self.rates = Some(f),
            Err(e) => ctx.error(format!("统计出错：{e}")),
        }
        let late_before = super::reports::late_before(&ctx.config, today);
        match ctx.store.queue_count(ctx.user, late_before) {
            Ok(q) => self.queue = Some(q),
            Err(e) => ctx.error(format!("读取待研判报告单出错：{e}")),
        }
        true
    }

    /// A town or village center's clerk sees that town's board: every filter keeps it.
    pub fn scope_to(&mut self, town: Option<String>) {
        self.scope_town = town;
        self.drill = None;
        self.set_filter(self.filter.clone());
    }

    fn set_filter(&mut self, mut f: BoardFilter) {
        if let Some(t) = &self.scope_town {
            f.town = Some(t.clone());
        }
        self.filter = f;
        self.sel = 0;
        self.top = 0;
        self.stale = true;
    }

    fn open_picker(&mut self, kind: FilterKind, config: &Config) {
        let (title, mut options, current) = match kind {
            FilterKind::Town => (
                "按乡镇筛选",
                config
                    .towns
                    .iter()
                    .map(|t| t.name.clone())
                    .collect::<Vec<_>>(),
                self.filter.town.clone(),
            ),
            FilterKind::Unit => (
                "按责任单位筛选",
                config.units().to_vec(),
                self.filter.unit.clone(),
            ),
            FilterKind::Category => (
                "按事项类别筛选",
                config.categories().cloned().collect(),
                self.filter.category.clone(),
            ),
            FilterKind::Status => (
                "按状态筛选",
                Status::ALL
                    .iter()
                    .filter(|s| s.is_open())
                    .map(|s| s.label().to_string())
                    .collect(),
                self.filter.status.map(|s| s.label().to_string()),
            ),
        };
        options.insert(0, ALL.to_string());
        self.picker = Some((kind, Picker::new(title, options, current.as_deref())));
    }

    fn apply_pick(&mut self, kind: FilterKind, choice: String) {
        let value = (choice != ALL).then_some(choice);
        let mut f = self.filter.clone();
        match kind {
            FilterKind::Town => f.town = value,
            FilterKind::Unit => f.unit = value,
            FilterKind::Category => f.category = value,
            FilterKind::Status => f.status = value.and_then(|v| Status::from_label(&v)),
        }
        self.set_filter(f);
    }

    /// The unit a 督办通知单 from the board goes to: the unit the board is filtered by, else
    /// the selected case's. Asks for y or n with what the notice will list; refuses at once
    /// (in the status line) when the account may not urge or the unit has nothing overdue.
    fn ask_urge(&mut self, ctx: &mut Ctx) {
        if !urge::allowed(ctx) {
            return;
        }
        let selected = match self.found() {
            Some(f) => f.cases.get(self.sel),
            _ => self
                .sel
                .checked_sub(self.rows_top)
                .and_then(|i| self.rows.get(i)),
        };
        let unit = self
            .filter
            .unit
            .clone()
            .or_else(|| selected.and_then(|r| r.unit.clone()));
        let Some(unit) = unit else {
            ctx.error("督办要有责任单位：请按 u 按单位筛选，或选中一件已分流的案件");
            return;
        };
        self.urge = UrgeAsk::new(ctx, unit);
    }

    /// Text pasted or typed into the search line or a picker's filter.
    pub fn type_text(&mut self, s: &str) -> bool {
        if let Some((_, p)) = &mut self.picker {
            p.pick.type_str(s);
            return true;
        }
        if let Some(search) = &mut self.search
            && search.editing
        {
            search.field.insert(s);
            return true;
        }
        false
    }

    /// Text editing keys on a single-line field (shared by the screens with one).
    pub(super) fn edit(field: &mut TextField, ev: &KeyEvent) -> bool {
        match keys::lookup(Scope::Field, ev) {
            Some(Cmd::Left) => field.left(),
            Some(Cmd::Right) => field.right(),
            Some(Cmd::LineStart) => {
                field.home();
                true
            }
            Some(Cmd::LineEnd) => {
                field.end();
                true
            }
            Some(Cmd::DeleteBack) => field.delete_back(),
            Some(Cmd::DeleteForward) => field.delete_forward(),
            _ => match ev.code {
                KeyCode::Char(c)
                    if !ev
                        .modifiers
                        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
                {
                    field.insert(&c.to_string());
                    true
                }
                _ => return false,
            },
        };
        true
    }

    pub fn handle_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> bool {
        if let Some(ask) = self.urge.take() {
            match ask.answer(ev, ctx) {
                urge::Answer::Issued => self.stale = true,
                urge::Answer::Done => {}
                urge::Answer::Waiting(ask) => self.urge = Some(ask),
            }
            return true;
        }
        if let Some((kind, p)) = &mut self.picker {
            match keys::lookup(Scope::Picker, ev) {
                Some(Cmd::Choose) => {
                    let kind = *kind;
                    if let Some(c) = p.chosen() {
                        self.picker = None;
                        self.apply_pick(kind, c);
                    }
                }
                Some(Cmd::Back) => self.picker = None,
                _ => {
                    p.key(ev);
                }
            }
            return true;
        }
        if let Some(search) = &mut self.search
            && search.editing
        {
            match keys::lookup(Scope::Search, ev) {
                Some(Cmd::Submit) => {
                    let q = search.field.text().trim().to_string();
                    // The cases of this account's center, the records it may see.
                    let center = ctx.user.center();
                    let found =
                        ctx.store
                            .search_within(&q, center, 0, CASE_HITS)
                            .and_then(|cases| {
                                let records =
                                    ctx.store.search_records(&q, ctx.user, RECORD_HITS)?;
                                Ok(cases.and_then(|c| Ok((c, records?))))
                            });
                    match found {
                        Ok(Ok((page, records))) => {
                            let also = if records.is_empty() {
                                String::new()
                            } else {
                                format!("，走访、报告单、沟通会{}条", records.len())
                            };
                            let shown = if page.total > page.rows.len() as u64 {
                                format!("，列出最新的{}件", page.rows.len())
                            } else {
                                String::new()
                            };
                            ctx.info(format!(
                                "搜索「{q}」：案件{}件（最新的在前，含已办结{shown}）{also}",
                                page.total
                            ));
                            search.results = Some(Results {
                                query: q,
                                cases: page.rows,
                                cases_total: page.total,
                                records,
                            });
                            search.editing = false;
                            self.sel = 0;
                        }
                        Ok(Err(e)) => ctx.error(e.to_string()),
                        Err(e) => ctx.error(format!("搜索出错：{e}")),
                    }
                }
                Some(Cmd::Back) => {
                    if search.results.is_some() {
                        search.editing = false;
                    } else {
                        self.search = None;
                    }
                }
                _ => {
                    Self::edit(&mut search.field, ev);
                }
            }
            return true;
        }
        let Some(cmd) = keys::lookup_in(&[Scope::Results, Scope::Board], ev) else {
            return false;
        };
        let page = self.page.get().max(1);
        let len = self.len();
        match cmd {
            Cmd::Up => self.sel = self.sel.saturating_sub(1),
            Cmd::Down => self.sel = (self.sel + 1).min(len.saturating_sub(1)),
            Cmd::PageUp => self.sel = self.sel.saturating_sub(page),
            Cmd::PageDown => self.sel = (self.sel + page).min(len.saturating_sub(1)),
            Cmd::First => self.sel = 0,
            Cmd::Last => self.sel = len.saturating_sub(1),
            Cmd::Open => {
                let record = self.found().and_then(|f| {
                    let i = self.sel.checked_sub(f.cases.len())?;
                    f.records.get(i).map(Found::of)
                });
                match (self.selected_key(), record) {
                    (Some(k), _) => ctx.requests.push(Request::OpenCase(k)),
                    (None, Some(r)) => ctx.requests.push(Request::OpenRecord(r)),
                    (None, None) => ctx.error("没有选中的案件"),
                }
            }
            Cmd::StartSearch => self.start_search(),
            Cmd::NextSection => match self.found() {
                Some(f) if f.records.is_empty() => {
                    ctx.info("没有找到走访记录、报告单或沟通会");
                }
                Some(f) => {
                    let n = f.cases.len();
                    self.sel = if self.sel < n { n } else { 0 };
                }
                None => return false,
            },
            Cmd::FilterTown => self.open_picker(FilterKind::Town, &ctx.config),
            Cmd::FilterUnit => self.open_picker(FilterKind::Unit, &ctx.config),
            Cmd::FilterCategory => self.open_picker(FilterKind::Category, &ctx.config),
            Cmd::FilterStatus => self.open_picker(FilterKind::Status, &ctx.config),
            Cmd::ToggleOverdue => {
                let mut f = self.filter.clone();
                f.overdue_only = !f.overdue_only;
                self.set_filter(f);
            }
            Cmd::ClearFilters => {
                self.search = None;
                self.drill = None;
                self.set_filter(BoardFilter::default());
            }
            Cmd::NextPeriod if self.drill.is_some() => {
                ctx.info("这里列的是统计表一行的案件，期间在统计画面换（Esc 回统计）");
            }
            Cmd::NextPeriod => {
                self.period = (self.period + 1) % PERIODS.len();
                self.header = None;
                self.rates = None;
            }
            Cmd::Urge => self.ask_urge(ctx),
            Cmd::Back if self.search.is_some() => {
                self.search = None;
                self.sel = 0;
                self.stale = true;
            }
            Cmd::Back if self.drill.is_some() => {
                self.undrill();
                ctx.requests.push(Request::GoStats);
            }
            _ => return false,
        }
        true
    }

    pub fn render(
        &self,
        buf: &mut Buffer,
        area: Rect,
        config: &Config,
        today: NaiveDate,
    ) -> Option<(u16, u16)> {
        let mut y = area.y;
        // Counts and rates; for a statistics row, its cases' counts and the row's figures.
        let line1 = match (&self.header, &self.drill) {
            (Some(h), Some((d, _))) => format!(
                "统计 {}：期间内受理{}件，现仍在办{}件",
                d.title,
                self.total.unwrap_or(0),
                h.open,
            ),
            (Some(h), None) => format!(
                "在办 {}  超期 {}  今日到期 {}  今日登记 {}",
                h.open, h.overdue, h.due_today, h.registered_today
            ),
            (None, _) => "统计中…".to_string(),
        };
        let line2 = match (&self.rates, &self.drill) {
            (_, Some((d, _))) => format!(
                "该行统计：{}",
                DRILL_FIGURES
                    .iter()
                    .map(|f| format!("{} {}", f.label(), f.shown(&d.figures)))
                    .collect::<Vec<_>>()
                    .join("  ")
            ),
            (Some(f), None) => {
                let rates = format!(
                    "{}：化解率 {}  按时办结率 {}  回访率 {}  满意率 {}",
                    PERIODS[self.period],
                    percent(f.resolved_rate()),
                    percent(f.on_time_rate()),
                    percent(f.follow_up_rate()),
                    percent(f.satisfaction_rate()),
                );
                // The counts behind the rates when there is room for them.
                if area.width >= 100 {
                    format!(
                        "{rates}  （受理{} 办结{}，p 换期间）",
                        f.received(),
                        f.ended()
                    )
                } else {
                    rates
                }
            }
            (None, None) => String::new(),
        };
        let overdue_style = Style::new().add_modifier(Modifier::BOLD);
        let w = put(buf, area.x + 1, y, &line1, area.width - 1, overdue_style);
        // Reports waiting for triage (F7), when there are any; yellow when some are late.
        if let Some(q) = self.queue.filter(|q| q.pending > 0) {
            let style = if q.late > 0 {
                widgets::warn().add_modifier(Modifier::BOLD)
            } else {
                Style::new()
            };
            put(
                buf,
                area.x + 1 + w + 2,
                y,
                &format!("待研判{}（超期{}）", q.pending, q.late),
                area.width.saturating_sub(w + 3),
                style,
            );
        }
        y += 1;
        put(buf, area.x + 1, y, &line2, area.width - 1, widgets::dim());
        y += 1;
        // Filters or the search line.
        let mut cursor = None;
        match &self.search {
            Some(s) if s.editing => {
                put(buf, area.x + 1, y, "搜索：", 6, widgets::focus_label());
                let r = Rect::new(area.x + 7, y, area.width.saturating_sub(30), 1);
                buf.set_style(r, widgets::focus_field());
                cursor = Some(s.field.render_line(buf, r, widgets::focus_field()));
                put(
                    buf,
                    r.right() + 1,
                    y,
                    "姓名、地址、诉求任意2字，电话4位以上",
                    area.right().saturating_sub(r.right() + 1),
                    widgets::dim(),
                );
            }
            Some(Search {
                results: Some(f), ..
            }) => {
                let q = &f.query;
                let n = if f.cases_total > f.cases.len() as u64 {
                    format!("{}（列出最新的{}）", f.cases_total, f.cases.len())
                } else {
                    f.cases_total.to_string()
                };
                let said = if f.records.is_empty() {
                    format!("搜索「{q}」的结果：案件{n}件（Esc 回看板）")
                } else {
                    format!(
                        "搜索「{q}」：案件{n}件，走访、报告单、沟通会{}条（Tab 跳过去，Esc 回看板）",
                        f.records.len()
                    )
                };
                put(buf, area.x + 1, y, &said, area.width - 1, widgets::warn());
            }
            _ if self.drill.is_some() => {
                let f = match self.selection() {
                    Some(s) => format!("筛选（Esc 回统计 x 清除）：{}", s.describe()),
                    None => String::new(),
                };
                let pos = match self.total {
                    Some(0) | None => String::new(),
                    Some(n) => format!("第{}/{}件", self.sel + 1, n),
                };
                let pw = text::width(&pos) as u16;
                put(
                    buf,
                    area.x + 1,
                    y,
                    &f,
                    area.width.saturating_sub(pw + 3),
                    widgets::warn(),
                );
                put(
                    buf,
                    area.right().saturating_sub(pw + 1),
                    y,
                    &pos,
                    pw,
                    widgets::label(),
                );
            }
            _ => {
                let f = if self.filter.is_empty() {
                    "筛选：无（t 乡镇  u 单位  c 类别  s 状态  o 只看超期）".to_string()
                } else {
                    format!("筛选：{}（x 清除）", self.filter.describe())
                };
                let pos = match self.total {
                    Some(0) | None => String::new(),
                    Some(n) => format!("第{}/{}件", self.sel + 1, n),
                };
                let pw = text::width(&pos) as u16;
                put(
                    buf,
                    area.x + 1,
                    y,
                    &f,
                    area.width.saturating_sub(pw + 3),
                    widgets::label(),
                );
                put(
                    buf,
                    area.right().saturating_sub(pw + 1),
                    y,
                    &pos,
                    pw,
                    widgets::label(),
                );
            }
        }
        y += 1;

        // The table.
        let wide = area.width >= 110;
        let no_w = if wide { 20 } else { 11 };
        // Columns give way by priority: on a narrow screen the receipt date goes first, so
        // that the unit — who must act — stays readable.
        let date_w: u16 = if area.width >= 90 { 5 } else { 0 };
        let fixed: u16 = 2 + no_w + date_w + 8 + 8 + 10 + 6 + 12 + 7 + u16::from(date_w > 0);
        let flex = area.width.saturating_sub(fixed + 1);
        let (unit_w, req_w) = if wide {
            (flex.min(22), flex.saturating_sub(flex.min(22) + 1))
        } else {
            (flex, 0)
        };
        let cols: Vec<(&str, u16)> = vec![
            ("", 2),
            ("编号", no_w),
            ("受理", date_w),
            ("当事人", 8),
            ("乡镇", 8),
            ("类别", 10),
            ("责任单位", unit_w),
            ("状态", 6),
            ("剩余时间", 12),
            ("诉求", req_w),
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

        let lines: Vec<Line> = match self.found() {
            Some(f) => {
                let mut all: Vec<Line> = f.cases.iter().enumerate().map(Line::Case).collect();
                if f.cases.is_empty() {
                    all.push(Line::Note("没有找到匹配的案件"));
                }
                if !f.records.is_empty() {
                    all.push(Line::Heading(format!(
                        "── 走访记录、民意报告单、沟通会 {}条（Enter 到所在画面打开）──",
                        f.records.len()
                    )));
                    let n = f.cases.len();
                    all.extend(
                        f.records
                            .iter()
                            .enumerate()
                            .map(|(j, h)| Line::Record(n + j, h)),
                    );
                }
                // Scrolled so that the selection shows.
                let at = all
                    .iter()
                    .position(|l| l.item() == Some(self.sel))
                    .unwrap_or(0);
                let top = (at + 1).saturating_sub(rows_h);
                all.into_iter().skip(top).collect()
            }
            None => self
                .rows
                .iter()
                .enumerate()
                .map(|(i, r)| Line::Case((self.rows_top + i, r)))
                .collect(),
        };
        if lines.is_empty() {
            let msg = if self.drill.is_some() {
                "统计表这一行没有（符合筛选的）案件（Esc 回统计）"
            } else if self.filter.is_empty() {
                "没有在办案件。按 F2 登记新事项。"
            } else {
                "没有符合筛选条件的在办案件（x 清除筛选）"
            };
            put(buf, area.x + 2, y + 1, msg, area.width - 2, widgets::dim());
        }
        for (i, l) in lines.iter().take(rows_h).enumerate() {
            let ry = y + i as u16;
            let (abs, r) = match l {
                Line::Case(c) => *c,
                Line::Note(msg) => {
                    put(buf, area.x + 2, ry, msg, area.width - 2, widgets::dim());
                    continue;
                }
                Line::Heading(h) => {
                    put(buf, area.x + 1, ry, h, area.width - 1, widgets::warn());
                    continue;
                }
                Line::Record(abs, hit) => {
                    let style = if *abs == self.sel {
                        widgets::selected()
                    } else {
                        Style::new()
                    };
                    let s =
                        crate::text::neutralize(&record_line(hit, wide, no_w), false).into_owned();
                    buf.set_style(Rect::new(area.x, ry, area.width, 1), style);
                    buf.set_stringn(area.x + 1, ry, &s, (area.width - 1) as usize, style);
                    continue;
                }
            };
            let left = if r.status.is_open() {
                config.time_left(today, r.due_date, r.route, &r.category)
            } else {
                crate::calendar::TimeLeft {
                    band: Band::Later,
                    text: r.status.label().to_string(),
                }
            };
            let no = if wide {
                r.case_no.clone()
            } else {
                r.key.to_string()
            };
            let cells = vec![
                if r.urgent {
                    "急".to_string()
                } else {
                    String::new()
                },
                no,
                r.received_at.format("%m-%d").to_string(),
                mask_name(&r.name),
                r.town.clone(),
                r.category.clone(),
                match &r.unit {
                    Some(u) => short_unit(u, &r.town, unit_w as usize),
                    None => "（未分流）".to_string(),
                },
                r.status.label().to_string(),
                left.text.clone(),
                r.request.replace('\n', " "),
            ];
            let mut style = match left.band {
                Band::Overdue => widgets::error(),
                _ => Style::new(),
            };
            if abs == self.sel {
                style = widgets::selected();
            }
            let s = crate::text::neutralize(&line(&cells), false).into_owned();
            buf.set_style(Rect::new(area.x, ry, area.width, 1), style);
            buf.set_stringn(area.x + 1, ry, &s, (area.width - 1) as usize, style);
            // The time-left cell in its band's colour.
            let x: u16 = area.x
                + 1
                + cols[..8]
                    .iter()
                    .filter(|(_, w)| *w > 0)
                    .map(|(_, w)| w + 1)
                    .sum::<u16>();
            if x + 12 <= area.right() {
                let mut bs = widgets::band(left.band);
                if abs == self.sel && left.band == Band::Later {
                    bs = widgets::selected();
                }
                buf.set_stringn(x, ry, pad(&left.text, 12), 12, bs);
            }
        }
        if let Some((_, p)) = &self.picker {
            cursor = Some(p.render(buf, area));
        }
        if let Some(ask) = &self.urge {
            ask.render(buf, area);
        }
        cursor
    }
}

/// A row of the board's table: a case (its index in the list, counting from the first), a
/// note, the heading of a search's records, or one of them (its index after the cases).
enum Line<'a> {
    Case((usize, &'a BoardRow)),
    Note(&'static str),
    Heading(String),
    Record(usize, &'a RecordHit),
}

impl Line<'_> {
    /// The selection index of a row one can select.
    fn item(&self) -> Option<usize> {
        match self {
            Line::Case((i, _)) | Line::Record(i, _) => Some(*i),
            Line::Note(_) | Line::Heading(_) => None,
        }
    }
}

/// A visit, report or meeting as a row under the cases: its kind, its number (a visit's 第N号),
/// the day, the people concerned masked, where, and what it is about.
fn record_line(hit: &RecordHit, wide: bool, no_w: u16) -> String {
    let place_w = if wide { 14 } else { 8 };
    let (kind, no, day, who, place, what) = match hit {
        RecordHit::Visit(v) => (
            "走访",
            format!("第{}号", v.id),
            v.visited_on.format("%m-%d").to_string(),
            super::reports::mask_names(&v.name),
            format!("{}{}", v.town, v.village),
            v.raised.clone(),
        ),
        RecordHit::Report(r) => (
            "报告单",
            if wide {
                r.report_no.clone()
            } else {
                r.key.to_string()
            },
            r.received_at.format("%m-%d").to_string(),
            if r.name.trim().is_empty() {
                "未具名".to_string()
            } else {
                super::reports::mask_names(&r.name)
            },
            format!("{}{}", r.town, r.village),
            format!("{}：{}", r.status.label(), r.request),
        ),
        RecordHit::Meeting(m) => (
            "沟通会",
            if wide {
                m.meeting_no.clone()
            } else {
                m.key.to_string()
            },
            m.held_at.format("%m-%d").to_string(),
            String::new(),
            m.area(),
            m.title.clone(),
        ),
    };
    // A village names the place well enough on a narrow screen.
    let place = if wide || crate::lines::width(&place) <= place_w as usize {
        place
    } else {
        match hit {
            RecordHit::Visit(v) if !v.village.is_empty() => v.village.clone(),
            RecordHit::Report(r) if !r.village.is_empty() => r.village.clone(),
            _ => place,
        }
    };
    [
        pad(kind, 6),
        pad(&no, no_w as usize),
        pad(&day, 5),
        pad(&who, 8),
        pad(&place, place_w as usize),
        what.replace('\n', " "),
    ]
    .join(" ")
}

/// The periods the header's rates can cover, in the order p steps through them.
const PERIODS: [&str; 4] = ["本年", "本季度", "本月", "上年"];

/// A unit's name fitted to `cols` columns before anything is cut: by its customary short form
/// (村民委员会 → 村委会, 人民政府 → 政府), then without the row's own town, which the 乡镇
/// column already shows.
pub(super) fn short_unit(unit: &str, town: &str, cols: usize) -> String {
    let fits = |s: &str| crate::lines::width(s) <= cols;
    if fits(unit) {
        return unit.to_string();
    }
    let short = unit
        .replace("村民委员会", "村委会")
        .replace("居民委员会", "居委会")
        .replace("人民政府", "政府");
    if fits(&short) {
        return short;
    }
    match short.strip_prefix(town) {
        Some(rest) if !town.is_empty() && !rest.is_empty() => rest.to_string(),
        _ => short,
    }
}

impl super::component::Component for Board {
    fn scopes(&self) -> Vec<Scope> {
        Board::scopes(self)
    }

    fn is_typing(&self) -> bool {
        Board::is_typing(self)
    }

    fn handle_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> bool {
        Board::handle_key(self, ev, ctx)
    }

    fn type_text(&mut self, s: &str, _ctx: &mut Ctx) -> bool {
        Board::type_text(self, s)
    }

    fn render(
        &self,
        buf: &mut Buffer,
        area: Rect,
        view: &super::component::View,
    ) -> Option<(u16, u16)> {
        Board::render(self, buf, area, view.config, view.now.date_naive())
    }
}

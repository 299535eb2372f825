//! The one key table: every key a screen handles, with its label and what it does. Screens look
//! their keys up here, the status bar's hints and the F1 help are drawn from here, so a key
//! cannot work without being listed nor be listed without working.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where a binding applies. A screen is a stack of scopes, most specific first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Everywhere, even while typing.
    Global,
    /// Screens without a text field in focus (board, case).
    Browse,
    Board,
    /// The board showing a search's results (cases, then visits, reports and meetings).
    Results,
    Search,
    Form,
    /// Editing inside a text field.
    Field,
    /// A list to choose from (pickers, menus).
    Picker,
    Case,
    /// The statistics screen.
    Stats,
    /// The statistics broken down by 责任单位: a row is a unit.
    StatsByUnit,
    /// An export running in the background, its progress on screen.
    Exporting,
    Dialog,
    Confirm,
    Login,
    /// A 值班长 proving who they are to confirm for a clerk.
    Supervisor,
    /// The F1 help, when it is longer than the screen.
    LongHelp,
    /// 报告单: the queue of report forms (待研判) or all of them.
    Queue,
    /// One report form, opened.
    Report,
    /// 研判 of the report selected or opened: only for the accounts that triage (a cadre's
    /// screens leave this scope out, so its keys are neither hinted nor listed in F1), and on an
    /// opened report only while it waits for triage.
    Triage,
    /// 民情笔记本: the list of visits.
    Notebook,
    /// One visit, opened.
    Visit,
    /// 民心沟通会: the list of meetings.
    Meetings,
    /// One meeting, opened: the cases to feed back, revisits, opinions.
    Meeting,
    /// The forms of a visit, a report, a meeting.
    RecordForm,
    /// The 登记 form filled from a report for its 立案: what Ctrl-S, Ctrl-L and Esc do there
    /// instead of on the counter's form.
    RegisterReport,
}

impl Scope {
    pub fn title(&self) -> &'static str {
        match self {
            Scope::Global => "全局",
            Scope::Browse => "浏览",
            Scope::Board => "看板",
            Scope::Results => "搜索结果",
            Scope::Search => "搜索",
            Scope::Form => "登记表",
            Scope::Field => "输入框",
            Scope::Picker => "选择列表",
            Scope::Case => "案件",
            Scope::Stats => "统计",
            Scope::StatsByUnit => "按责任单位分组时",
            Scope::Exporting => "导出中",
            Scope::Dialog => "操作对话框",
            Scope::Confirm => "确认",
            Scope::Login => "登录",
            Scope::Supervisor => "值班长确认",
            Scope::LongHelp => "帮助",
            Scope::Queue => "报告单",
            Scope::Report => "报告单详情",
            Scope::Triage => "研判",
            Scope::Notebook => "民情笔记本",
            Scope::Visit => "走访记录",
            Scope::Meetings => "民心沟通会",
            Scope::Meeting => "沟通会详情",
            Scope::RecordForm => "表单",
            Scope::RegisterReport => "立案",
        }
    }

    /// The scope whose bindings this one says another way: in a stack holding both, a command
    /// bound here is hinted and listed in F1 only as this scope has it.
    fn replaces(&self) -> Option<Scope> {
        match self {
            Scope::RegisterReport => Some(Scope::Form),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmd {
    Help,
    GoForm,
    GoBoard,
    GoStats,
    Lock,
    Quit,
    Back,
    // Moving in lists.
    Up,
    Down,
    PageUp,
    PageDown,
    First,
    Last,
    Open,
    // Board.
    StartSearch,
    /// In a search's results: from the cases to the visits, reports and meetings, and back.
    NextSection,
    FilterTown,
    FilterUnit,
    FilterCategory,
    FilterStatus,
    ToggleOverdue,
    ClearFilters,
    NextPeriod,
    /// Print a 督办通知单 to the filtered or selected case's unit.
    Urge,
    // Statistics.
    PrevPeriod,
    CustomPeriod,
    NextDim,
    PrevDim,
    /// Export the selected row's cases or the whole table.
    Export,
    // Form.
    NextField,
    PrevField,
    Save,
    ClearForm,
    Toggle,
    Prefill,
    OpenEarlier,
    NextRequired,
    PrevRequired,
    // Text editing.
    Left,
    Right,
    LineStart,
    LineEnd,
    DeleteBack,
    DeleteForward,
    NewLine,
    // Pickers and dialogs.
    Choose,
    Submit,
    // Case.
    Actions,
    AddEvidence,
    // Paper.
    PrintSlip,
    PrintForm,
    PrintFormAnnex,
    // 一本、一单、一会.
    GoReports,
    GoMeetings,
    GoNotebook,
    NewRecord,
    ShowAll,
    TriageRegister,
    TriageAnswer,
    TriageMerge,
    TriageGuide,
    Feedback,
    Revisit,
    AddOpinion,
    /// The 民意报告单 opened, on paper.
    PrintReport,
    /// A blank 民意报告单 for a cadre to fill in by hand.
    PrintBlankReport,
    PrintMinutes,
    PrintNotice,
    /// A cadre's 民情笔记本 for a period (asked in a dialog).
    PrintNotebook,
    // Confirmations.
    Yes,
    No,
    Discard,
}

type Key = (KeyCode, KeyModifiers);

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;

const fn k(code: KeyCode) -> Key {
    (code, NONE)
}

const fn ch(c: char) -> Key {
    (KeyCode::Char(c), NONE)
}

const fn ctrl(c: char) -> Key {
    (KeyCode::Char(c), CTRL)
}

pub struct Binding {
    pub scope: Scope,
    pub cmd: Cmd,
    pub keys: &'static [Key],
    /// How the key is written in hints and help.
    pub label: &'static str,
    pub desc: &'static str,
    /// Shown in the status bar (the rest only in F1 help).
    pub hint: bool,
}

const fn b(
    scope: Scope,
    cmd: Cmd,
    keys: &'static [Key],
    label: &'static str,
    desc: &'static str,
    hint: bool,
) -> Binding {
    Binding {
        scope,
        cmd,
        keys,
        label,
        desc,
        hint,
    }
}

use Cmd::*;
use KeyCode as K;
use Scope::*;

pub const BINDINGS: &[Binding] = &[
    b(Global, Help, &[k(K::F(1))], "F1", "帮助", true),
    b(Global, GoForm, &[k(K::F(2))], "F2", "登记", true),
    b(Global, GoBoard, &[k(K::F(3))], "F3", "看板", true),
    // Not a hint: only 值班长 and 管理员 may open it, and they see it as a tab in the title.
    b(
        Global,
        GoStats,
        &[k(K::F(4))],
        "F4",
        "统计（值班长、管理员）",
        false,
    ),
    // Not hints: the title's tabs show them (a cadre's notebook among them).
    b(
        Global,
        GoReports,
        &[k(K::F(7))],
        "F7",
        "报告单（研判）",
        false,
    ),
    b(Global, GoMeetings, &[k(K::F(8))], "F8", "民心沟通会", false),
    b(Global, GoNotebook, &[k(K::F(9))], "F9", "民情笔记本", false),
    b(
        Global,
        Lock,
        &[k(K::F(12))],
        "F12",
        "锁屏（离开柜台时）",
        false,
    ),
    b(
        Global,
        Quit,
        &[ctrl('c'), ctrl('q')],
        "Ctrl-Q",
        "退出",
        false,
    ),
    b(
        Login,
        NextField,
        &[k(K::Tab), (K::BackTab, NONE), k(K::Up), k(K::Down)],
        "Tab",
        "登录名/密码",
        true,
    ),
    b(Login, Submit, &[k(K::Enter)], "Enter", "登录", true),
    b(
        Supervisor,
        NextField,
        &[k(K::Tab), (K::BackTab, NONE), k(K::Up), k(K::Down)],
        "Tab",
        "登录名/密码",
        true,
    ),
    b(Supervisor, Submit, &[k(K::Enter)], "Enter", "确认", true),
    b(Supervisor, Back, &[k(K::Esc)], "Esc", "取消", true),
    b(Login, Quit, &[ctrl('q'), ctrl('c')], "Ctrl-Q", "退出", true),
    b(Browse, Help, &[ch('?')], "?", "帮助", false),
    b(Browse, Quit, &[ch('q')], "q", "退出", true),
    b(Board, Up, &[k(K::Up), ch('k')], "↑", "上一件", false),
    b(Board, Down, &[k(K::Down), ch('j')], "↓", "下一件", false),
    b(Board, PageUp, &[k(K::PageUp)], "PgUp", "上一页", false),
    b(
        Board,
        PageDown,
        &[k(K::PageDown), ch(' ')],
        "PgDn",
        "下一页",
        false,
    ),
    b(
        Board,
        First,
        &[k(K::Home), ch('g')],
        "Home",
        "第一件",
        false,
    ),
    b(Board, Last, &[k(K::End), ch('G')], "End", "最后一件", false),
    b(Board, Open, &[k(K::Enter)], "Enter", "打开案件", true),
    b(Board, StartSearch, &[ch('/')], "/", "搜索", true),
    b(
        Results,
        NextSection,
        &[k(K::Tab)],
        "Tab",
        "跳到走访、报告单、沟通会／回到案件",
        false,
    ),
    b(Board, FilterTown, &[ch('t')], "t", "按乡镇筛选", true),
    b(Board, FilterUnit, &[ch('u')], "u", "按单位筛选", true),
    b(Board, FilterCategory, &[ch('c')], "c", "按类别筛选", true),
    b(Board, FilterStatus, &[ch('s')], "s", "按状态筛选", true),
    b(Board, ToggleOverdue, &[ch('o')], "o", "只看超期", true),
    b(Board, ClearFilters, &[ch('x')], "x", "清除筛选", false),
    b(
        Board,
        NextPeriod,
        &[ch('p')],
        "p",
        "统计期间：本年、本季度、本月、上年",
        false,
    ),
    b(Board, Urge, &[ch('d')], "d", "打印督办通知单", false),
    b(
        Board,
        Back,
        &[k(K::Esc)],
        "Esc",
        "退出搜索结果／回统计",
        false,
    ),
    b(Stats, Up, &[k(K::Up), ch('k')], "↑", "上一行", false),
    b(Stats, Down, &[k(K::Down), ch('j')], "↓", "下一行", false),
    b(Stats, PageUp, &[k(K::PageUp)], "PgUp", "上一页", false),
    b(
        Stats,
        PageDown,
        &[k(K::PageDown), ch(' ')],
        "PgDn",
        "下一页",
        false,
    ),
    b(
        Stats,
        First,
        &[k(K::Home), ch('g')],
        "Home",
        "第一行",
        false,
    ),
    b(Stats, Last, &[k(K::End), ch('G')], "End", "合计行", false),
    b(Stats, Open, &[k(K::Enter)], "Enter", "查看该行案件", true),
    b(Stats, NextPeriod, &[ch('p')], "p", "换期间", true),
    b(Stats, PrevPeriod, &[ch('P')], "P", "期间往回换", false),
    b(Stats, CustomPeriod, &[ch('d')], "d", "自定日期", true),
    b(Stats, NextDim, &[ch('b')], "b", "换分组", true),
    b(Stats, PrevDim, &[ch('B')], "B", "分组往回换", false),
    b(Stats, Export, &[ch('e')], "e", "导出", true),
    b(StatsByUnit, Urge, &[ch('u')], "u", "督办该单位", true),
    b(Stats, Back, &[k(K::Esc)], "Esc", "返回", true),
    b(
        Exporting,
        Back,
        &[k(K::Esc)],
        "Esc",
        "取消导出（不留下文件）",
        true,
    ),
    b(Search, Submit, &[k(K::Enter)], "Enter", "搜索", true),
    b(Search, Back, &[k(K::Esc)], "Esc", "取消", true),
    b(Form, NextField, &[k(K::Tab)], "Tab", "下一项", true),
    b(
        Form,
        PrevField,
        &[(K::BackTab, NONE)],
        "Shift-Tab",
        "上一项",
        true,
    ),
    b(
        Form,
        NextRequired,
        &[k(K::PageDown)],
        "PgDn",
        "跳到下一个必填项（跳过选填项）",
        false,
    ),
    b(
        Form,
        PrevRequired,
        &[k(K::PageUp)],
        "PgUp",
        "跳到上一个必填项",
        false,
    ),
    b(Form, Save, &[ctrl('s')], "Ctrl-S", "保存登记", true),
    b(
        Form,
        PrintSlip,
        &[ctrl('p')],
        "Ctrl-P",
        "打印刚登记那件的受理回执",
        false,
    ),
    b(
        Form,
        ClearForm,
        &[ctrl('l')],
        "Ctrl-L",
        "清空表单（先确认）",
        false,
    ),
    b(
        Form,
        Prefill,
        &[k(K::F(5))],
        "F5",
        "套用以往登记的个人信息（姓名、证件、电话、住址）",
        false,
    ),
    b(
        Form,
        OpenEarlier,
        &[k(K::F(6))],
        "F6",
        "查看以往登记的案件",
        false,
    ),
    b(
        Form,
        Toggle,
        &[ch(' ')],
        "空格",
        "勾选/取消（是否项）",
        false,
    ),
    b(Form, Back, &[k(K::Esc)], "Esc", "回看板（草稿保留）", true),
    b(Field, Left, &[k(K::Left)], "←", "光标左移一字", false),
    b(Field, Right, &[k(K::Right)], "→", "光标右移一字", false),
    b(
        Field,
        LineStart,
        &[k(K::Home), ctrl('a')],
        "Home",
        "到行首",
        false,
    ),
    b(
        Field,
        LineEnd,
        &[k(K::End), ctrl('e')],
        "End",
        "到行尾",
        false,
    ),
    b(
        Field,
        DeleteBack,
        &[k(K::Backspace)],
        "Backspace",
        "删除前一个字",
        false,
    ),
    b(
        Field,
        DeleteForward,
        &[k(K::Delete)],
        "Delete",
        "删除后一个字",
        false,
    ),
    b(
        Field,
        NewLine,
        &[k(K::Enter)],
        "Enter",
        "多行框换行；单行框到下一项",
        false,
    ),
    b(
        Field,
        Up,
        &[k(K::Up)],
        "↑",
        "上一行（多行框）/上一项",
        false,
    ),
    b(
        Field,
        Down,
        &[k(K::Down)],
        "↓",
        "下一行（多行框）/下一项",
        false,
    ),
    b(Picker, Up, &[k(K::Up)], "↑", "上一个选项", false),
    b(Picker, Down, &[k(K::Down)], "↓", "下一个选项", false),
    b(
        Picker,
        Choose,
        &[k(K::Enter)],
        "Enter",
        "选定（输入文字可筛选）",
        true,
    ),
    b(Picker, Back, &[k(K::Esc)], "Esc", "关闭列表", false),
    b(
        Case,
        Actions,
        &[ch('a'), k(K::Enter)],
        "a",
        "办理操作",
        true,
    ),
    b(Case, Back, &[k(K::Esc)], "Esc", "返回", true),
    b(Case, PrintSlip, &[ch('p')], "p", "打印回执", true),
    b(Case, PrintForm, &[ch('f')], "f", "打印办理书", true),
    b(
        Case,
        PrintFormAnnex,
        &[ch('F')],
        "F",
        "打印办理书（附图片证据）",
        false,
    ),
    b(Case, AddEvidence, &[ch('e')], "e", "添加证据", true),
    b(Case, Up, &[k(K::Up), ch('k')], "↑", "向上滚动", false),
    b(Case, Down, &[k(K::Down), ch('j')], "↓", "向下滚动", false),
    b(Dialog, NextField, &[k(K::Tab)], "Tab", "下一项", true),
    b(
        Dialog,
        PrevField,
        &[(K::BackTab, NONE)],
        "Shift-Tab",
        "上一项",
        false,
    ),
    b(Dialog, Submit, &[ctrl('s')], "Ctrl-S", "确定", true),
    b(
        Dialog,
        Toggle,
        &[ch(' ')],
        "空格",
        "勾选/取消（是否项）",
        false,
    ),
    b(Dialog, Back, &[k(K::Esc)], "Esc", "取消", true),
    b(LongHelp, Up, &[k(K::Up)], "↑", "上翻", true),
    b(LongHelp, Down, &[k(K::Down)], "↓", "下翻", true),
    b(LongHelp, PageUp, &[k(K::PageUp)], "PgUp", "上一页", true),
    b(
        LongHelp,
        PageDown,
        &[k(K::PageDown)],
        "PgDn",
        "下一页",
        true,
    ),
    b(Queue, Up, &[k(K::Up), ch('k')], "↑", "上一张", false),
    b(Queue, Down, &[k(K::Down), ch('j')], "↓", "下一张", false),
    b(Queue, PageUp, &[k(K::PageUp)], "PgUp", "上一页", false),
    b(Queue, PageDown, &[k(K::PageDown)], "PgDn", "下一页", false),
    b(Queue, First, &[k(K::Home)], "Home", "第一张", false),
    b(Queue, Last, &[k(K::End)], "End", "最后一张", false),
    b(Queue, Open, &[k(K::Enter)], "Enter", "打开", true),
    b(Queue, NewRecord, &[ch('n')], "n", "新报告单", true),
    b(Queue, ShowAll, &[ch('s')], "s", "待研判／全部", false),
    // Not a hint: the list's header says it.
    b(
        Queue,
        PrintReport,
        &[ch('p')],
        "p",
        "打印选中的报告单（A5）",
        false,
    ),
    b(
        Queue,
        PrintBlankReport,
        &[ch('b')],
        "b",
        "打印空白报告单（供入户时手填）",
        false,
    ),
    b(
        Queue,
        StartSearch,
        &[ch('/')],
        "/",
        "搜索案件、走访、报告单、沟通会（在看板上列出）",
        false,
    ),
    b(Triage, TriageRegister, &[ch('r')], "r", "立案", true),
    b(Triage, TriageAnswer, &[ch('d')], "d", "答复", true),
    b(Triage, TriageMerge, &[ch('m')], "m", "并案", true),
    b(Triage, TriageGuide, &[ch('g')], "g", "引导", true),
    b(Report, Back, &[k(K::Esc)], "Esc", "返回", true),
    // Not hints: the report shows its print row with the key.
    b(Report, PrintReport, &[ch('p')], "p", "打印报告单", false),
    b(Report, Up, &[k(K::Up), ch('k')], "↑", "向上滚动", false),
    b(Report, Down, &[k(K::Down), ch('j')], "↓", "向下滚动", false),
    b(Notebook, Up, &[k(K::Up), ch('k')], "↑", "上一次走访", false),
    b(
        Notebook,
        Down,
        &[k(K::Down), ch('j')],
        "↓",
        "下一次走访",
        false,
    ),
    b(Notebook, PageUp, &[k(K::PageUp)], "PgUp", "上一页", false),
    b(
        Notebook,
        PageDown,
        &[k(K::PageDown)],
        "PgDn",
        "下一页",
        false,
    ),
    b(Notebook, First, &[k(K::Home)], "Home", "最新一次", false),
    b(Notebook, Last, &[k(K::End)], "End", "最早一次", false),
    b(
        Notebook,
        Open,
        &[k(K::Enter)],
        "Enter",
        "打开走访记录",
        true,
    ),
    b(Notebook, NewRecord, &[ch('n')], "n", "记录一次走访", true),
    b(Notebook, StartSearch, &[ch('/')], "/", "搜索", true),
    // Not a hint: the list's header says it.
    b(
        Notebook,
        PrintNotebook,
        &[ch('p')],
        "p",
        "打印民情笔记本",
        false,
    ),
    b(Visit, Back, &[k(K::Esc)], "Esc", "返回", true),
    b(Visit, Up, &[k(K::Up), ch('k')], "↑", "向上滚动", false),
    b(Visit, Down, &[k(K::Down), ch('j')], "↓", "向下滚动", false),
    b(Meetings, Up, &[k(K::Up), ch('k')], "↑", "上一次会议", false),
    b(
        Meetings,
        Down,
        &[k(K::Down), ch('j')],
        "↓",
        "下一次会议",
        false,
    ),
    b(Meetings, PageUp, &[k(K::PageUp)], "PgUp", "上一页", false),
    b(
        Meetings,
        PageDown,
        &[k(K::PageDown)],
        "PgDn",
        "下一页",
        false,
    ),
    b(Meetings, Open, &[k(K::Enter)], "Enter", "打开沟通会", true),
    b(Meetings, NewRecord, &[ch('n')], "n", "记录一次沟通会", true),
    // Not hints: the list's header says them.
    b(
        Meetings,
        PrintMinutes,
        &[ch('p')],
        "p",
        "打印选中的沟通会的会议记录",
        false,
    ),
    b(
        Meetings,
        PrintNotice,
        &[ch('P')],
        "P",
        "打印选中的沟通会的公示（张贴用，隐去姓名等）",
        false,
    ),
    b(
        Meetings,
        StartSearch,
        &[ch('/')],
        "/",
        "搜索案件、走访、报告单、沟通会（在看板上列出）",
        false,
    ),
    b(Meeting, Up, &[k(K::Up), ch('k')], "↑", "上一件", false),
    b(Meeting, Down, &[k(K::Down), ch('j')], "↓", "下一件", false),
    b(Meeting, First, &[k(K::Home)], "Home", "第一件", false),
    b(Meeting, Last, &[k(K::End)], "End", "最后一件", false),
    b(Meeting, Toggle, &[ch(' ')], "空格", "勾选", true),
    b(
        Meeting,
        Feedback,
        &[k(K::Enter), ctrl('s')],
        "Enter",
        "反馈",
        true,
    ),
    b(Meeting, Revisit, &[ch('r')], "r", "回访", true),
    b(Meeting, AddOpinion, &[ch('o')], "o", "意见", true),
    // Not hints: the meeting's head says them, with how often each was printed.
    b(
        Meeting,
        PrintMinutes,
        &[ch('p')],
        "p",
        "打印会议记录",
        false,
    ),
    b(
        Meeting,
        PrintNotice,
        &[ch('P')],
        "P",
        "打印公示（张贴用，隐去姓名等）",
        false,
    ),
    b(Meeting, Back, &[k(K::Esc)], "Esc", "返回", true),
    b(RecordForm, NextField, &[k(K::Tab)], "Tab", "下一项", true),
    b(
        RecordForm,
        PrevField,
        &[(K::BackTab, NONE)],
        "Shift-Tab",
        "上一项",
        true,
    ),
    b(
        RecordForm,
        NextRequired,
        &[k(K::PageDown)],
        "PgDn",
        "跳到下一个必填项",
        false,
    ),
    b(
        RecordForm,
        PrevRequired,
        &[k(K::PageUp)],
        "PgUp",
        "跳到上一个必填项",
        false,
    ),
    b(RecordForm, Save, &[ctrl('s')], "Ctrl-S", "保存", true),
    b(
        RecordForm,
        ClearForm,
        &[ctrl('l')],
        "Ctrl-L",
        "清空表单（先确认）",
        false,
    ),
    b(
        RecordForm,
        Toggle,
        &[ch(' ')],
        "空格",
        "勾选/取消（是否项）",
        false,
    ),
    b(
        RecordForm,
        Back,
        &[k(K::Esc)],
        "Esc",
        "返回（草稿保留）",
        true,
    ),
    b(RegisterReport, Save, &[ctrl('s')], "Ctrl-S", "立案", true),
    b(
        RegisterReport,
        ClearForm,
        &[ctrl('l')],
        "Ctrl-L",
        "按报告单重新预填",
        false,
    ),
    b(
        RegisterReport,
        Back,
        &[k(K::Esc)],
        "Esc",
        "回报告单（表单保留）",
        true,
    ),
    b(Confirm, Yes, &[ch('y'), k(K::Enter)], "y", "是", true),
    b(Confirm, Discard, &[ch('d')], "d", "丢弃草稿", false),
    b(Confirm, No, &[ch('n'), k(K::Esc)], "n", "否", true),
];

fn same(key: &Key, ev: &KeyEvent) -> bool {
    let mut mods = ev.modifiers;
    // Shift is part of the character (`G`, `?`) and of BackTab; it is not a separate modifier.
    if matches!(ev.code, KeyCode::Char(_) | KeyCode::BackTab) {
        mods.remove(KeyModifiers::SHIFT);
    }
    let code = match ev.code {
        KeyCode::Char(c) if mods.contains(CTRL) => KeyCode::Char(c.to_ascii_lowercase()),
        c => c,
    };
    key.0 == code && key.1 == mods
}

/// The command a key means in a scope.
pub fn lookup(scope: Scope, ev: &KeyEvent) -> Option<Cmd> {
    BINDINGS
        .iter()
        .filter(|b| b.scope == scope)
        .find(|b| b.keys.iter().any(|k| same(k, ev)))
        .map(|b| b.cmd)
}

/// The first scope of `scopes` that binds the key, and its command.
pub fn lookup_in(scopes: &[Scope], ev: &KeyEvent) -> Option<Cmd> {
    scopes.iter().find_map(|s| lookup(*s, ev))
}

/// How the key of `cmd` in `scope` is written, for a message that names it ("" if unbound).
pub fn label(scope: Scope, cmd: Cmd) -> &'static str {
    BINDINGS
        .iter()
        .find(|b| b.scope == scope && b.cmd == cmd)
        .map_or("", |b| b.label)
}

/// Whether another scope of the stack says this binding's command another way.
fn replaced(b: &Binding, scopes: &[Scope]) -> bool {
    scopes.iter().any(|s| {
        s.replaces() == Some(b.scope) && BINDINGS.iter().any(|o| o.scope == *s && o.cmd == b.cmd)
    })
}

/// Status-bar hints for a screen's scopes, in table order, each command once.
pub fn hints(scopes: &[Scope]) -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&str, &str)> = Vec::new();
    for s in scopes {
        for b in BINDINGS
            .iter()
            .filter(|b| b.scope == *s && b.hint && !replaced(b, scopes))
        {
            if !out.iter().any(|(_, d)| *d == b.desc) {
                out.push((b.label, b.desc));
            }
        }
    }
    out
}

/// Every binding of a screen's scopes, for F1.
pub fn help(scopes: &[Scope]) -> Vec<&'static Binding> {
    scopes
        .iter()
        .flat_map(|s| BINDINGS.iter().filter(move |b| b.scope == *s))
        .filter(|b| !replaced(b, scopes))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn no_key_means_two_things_in_one_scope() {
        for a in BINDINGS {
            for b in BINDINGS {
                if std::ptr::eq(a, b) || a.scope != b.scope {
                    continue;
                }
                for k in a.keys {
                    assert!(!b.keys.contains(k), "{:?} bound twice in {:?}", k, a.scope);
                }
            }
        }
    }

    #[test]
    fn control_and_shift_are_matched_as_typed() {
        assert_eq!(
            lookup(Form, &key(KeyCode::Char('s'), CTRL)),
            Some(Cmd::Save)
        );
        assert_eq!(
            lookup(Form, &key(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(Cmd::PrevField)
        );
        assert_eq!(
            lookup(Board, &key(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Cmd::Last)
        );
        assert_eq!(lookup(Form, &key(KeyCode::Char('s'), NONE)), None);
    }

    #[test]
    fn the_registration_of_a_report_says_where_esc_and_ctrl_s_go() {
        let stack = [Global, RegisterReport, Form, Field];
        let h = hints(&stack);
        assert!(h.contains(&("Esc", "回报告单（表单保留）")), "{h:?}");
        assert!(h.contains(&("Ctrl-S", "立案")), "{h:?}");
        assert!(!h.iter().any(|(_, d)| d.contains("回看板")), "{h:?}");
        let listed: Vec<&str> = help(&stack).iter().map(|b| b.desc).collect();
        assert!(
            !listed
                .iter()
                .any(|d| d.contains("回看板") || *d == "保存登记")
        );
        assert!(listed.contains(&"按报告单重新预填"), "{listed:?}");
        assert!(!listed.contains(&"清空表单（先确认）"), "{listed:?}");
        // The counter's form keeps its own words.
        assert!(hints(&[Global, Form, Field]).contains(&("Esc", "回看板（草稿保留）")));
    }

    #[test]
    fn hints_come_from_the_table() {
        let h = hints(&[Board, Browse, Global]);
        assert!(h.contains(&("/", "搜索")));
        assert!(h.contains(&("F1", "帮助")));
    }
}

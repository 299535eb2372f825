//! The center's configuration: identity, divisions, channels, categories, units, deadline rules and
//! the holiday calendar. Defaults are embedded from `assets/`; a `config.toml` in the home folder
//! overrides any key it names.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;

use crate::calendar::{Calendar, HolidayYear};
use crate::domain::{Level, Route};

const DEFAULT_CONFIG: &str = include_str!("../assets/config.toml");
const DEFAULT_DIVISIONS: &str = include_str!("../assets/longxi.toml");
const DEFAULT_HOLIDAYS: &str = include_str!("../assets/holidays.toml");

/// A configuration file that cannot be used, with where and why.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("无法读取配置文件 {path}：{source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("配置文件 {path} 第{line}行第{column}列有误：{reason}")]
    Syntax {
        path: PathBuf,
        line: usize,
        column: usize,
        reason: String,
    },
    #[error("配置文件 {path} 有误：{reason}")]
    Invalid { path: PathBuf, reason: String },
}

/// The resolved configuration every part of the program reads.
#[derive(Debug, Clone)]
pub struct Config {
    pub center: Center,
    pub numbering: Numbering,
    pub limits: Limits,
    pub county: County,
    pub routing: Routing,
    pub towns: Vec<Town>,
    pub channels: Vec<String>,
    pub dispute_categories: Vec<String>,
    pub request_categories: Vec<String>,
    pub deadlines: Vec<DeadlineRule>,
    pub calendar: Calendar,
    pub security: Security,
    pub backup: BackupPolicy,
    pub records: Records,
    /// Every unit, computed once: see `units()`.
    unit_list: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Center {
    pub name: String,
    pub level: Level,
    pub phone: String,
    pub address: String,
    /// Where a citizen looks a case up online, carried by the slip's QR code under the case
    /// number: `{key}` becomes the case key (`2026-000012`), `{case_no}` the case number
    /// (percent-encoded). Absent by default: the QR code carries the case number alone.
    #[serde(default)]
    pub query_url: Option<String>,
}

/// The screen at a counter where citizens stand: it locks itself when left alone.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Security {
    /// Minutes without a key press before the screen locks (0: never).
    pub idle_lock_minutes: u32,
}

/// The daily automatic backup into `backups/`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupPolicy {
    /// How many daily archives to keep (older ones are removed).
    pub keep: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Numbering {
    pub case: String,
    pub form: String,
    /// 民意报告单 (`陇民报〔2026〕5号`).
    #[serde(default = "default_report_number")]
    pub report: String,
    /// 民心沟通会 (`陇沟通〔2026〕3号`).
    #[serde(default = "default_meeting_number")]
    pub meeting: String,
    /// 督办通知单 (`陇综督〔2026〕4号`).
    #[serde(default = "default_urge_number")]
    pub urge: String,
}

fn default_report_number() -> String {
    "{short}民报〔{year}〕{n}号".into()
}

fn default_meeting_number() -> String {
    "{short}沟通〔{year}〕{n}号".into()
}

fn default_urge_number() -> String {
    "{short}综督〔{year}〕{n}号".into()
}

/// 民情笔记本 and 民意报告单: the kinds of visit, where reports come from, how long triage may take.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Records {
    /// Kinds of household visit (走访类型).
    pub visit_kinds: Vec<String>,
    /// Where a 民意报告单 comes from; each must also be a channel, since a report registered
    /// as a case gives the case its channel.
    pub report_sources: Vec<String>,
    /// Working days a report may wait for triage (研判) before the board's header counts it late.
    pub triage_working_days: u32,
}

/// Field lengths in characters, and the law's numeric limits.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    pub name: usize,
    pub address: usize,
    pub request: usize,
    pub facts: usize,
    pub reasons: usize,
    pub note: usize,
    pub max_representatives: u32,
    pub extension_max_days: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct County {
    pub name: String,
    pub code: String,
    pub city: String,
    pub province: String,
    pub short: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Routing {
    pub county_units: Vec<String>,
    pub town_units: Vec<String>,
    /// A village's committee: `{town}{village}{village_unit}`.
    pub village_unit: String,
    /// An urban community's (社区) committee: `{town}{community}{community_unit}`.
    #[serde(default = "community_unit")]
    pub community_unit: String,
}

fn community_unit() -> String {
    "居民委员会".to_string()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Town {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub villages: Vec<String>,
}

/// Which categories a deadline rule covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleScope {
    Any,
    Group(CategoryGroup),
    Category(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum CategoryGroup {
    #[serde(rename = "纠纷")]
    Dispute,
    #[serde(rename = "诉求")]
    Request,
}

/// How long a case of a route (and category) has, and the rule's legal basis.
#[derive(Debug, Clone)]
pub struct DeadlineRule {
    pub route: Route,
    pub scope: RuleScope,
    pub span: Span,
    pub basis: String,
}

/// A time limit: calendar days ("日") or working days ("工作日").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    Days(u32),
    WorkingDays(u32),
}

impl Span {
    pub fn label(&self) -> String {
        match self {
            Span::Days(0) => "当日".to_string(),
            Span::Days(n) => format!("{n}日"),
            Span::WorkingDays(n) => format!("{n}个工作日"),
        }
    }
}

/// The file form: every key optional, so a center's file names only what it changes.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    center: Option<Center>,
    numbering: Option<Numbering>,
    limits: Option<Limits>,
    county: Option<County>,
    routing: Option<Routing>,
    towns: Option<Vec<Town>>,
    channels: Option<Vec<String>>,
    dispute_categories: Option<Vec<String>>,
    request_categories: Option<Vec<String>>,
    deadlines: Option<Vec<DeadlineRuleFile>>,
    holidays: Option<BTreeMap<String, HolidayYearFile>>,
    security: Option<Security>,
    backup: Option<BackupPolicy>,
    records: Option<Records>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct DeadlineRuleFile {
    route: String,
    category: Option<String>,
    group: Option<CategoryGroup>,
    days: Option<u32>,
    working_days: Option<u32>,
    #[serde(default)]
    basis: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct HolidayYearFile {
    #[serde(default)]
    source: String,
    #[serde(default)]
    off: Vec<String>,
    #[serde(default)]
    workdays: Vec<String>,
}

/// A section or key a center's file may partly override: sections replace whole, except holidays,
/// which add to (or replace) the embedded years one year at a time.
impl ConfigFile {
    fn overridden_by(self, over: ConfigFile) -> ConfigFile {
        let mut holidays = self.holidays.unwrap_or_default();
        holidays.extend(over.holidays.unwrap_or_default());
        ConfigFile {
            center: over.center.or(self.center),
            numbering: over.numbering.or(self.numbering),
            limits: over.limits.or(self.limits),
            county: over.county.or(self.county),
            routing: over.routing.or(self.routing),
            towns: over.towns.or(self.towns),
            channels: over.channels.or(self.channels),
            dispute_categories: over.dispute_categories.or(self.dispute_categories),
            request_categories: over.request_categories.or(self.request_categories),
            deadlines: over.deadlines.or(self.deadlines),
            holidays: Some(holidays),
            security: over.security.or(self.security),
            backup: over.backup.or(self.backup),
            records: over.records.or(self.records),
        }
    }
}

fn parse_file(path: &Path, text: &str) -> Result<ConfigFile, ConfigError> {
    toml::from_str(text).map_err(|e| {
        let (line, column) = e
            .span()
            .map(|span| line_column(text, span.start))
            .unwrap_or((1, 1));
        ConfigError::Syntax {
            path: path.to_path_buf(),
            line,
            column,
            reason: e.message().to_string(),
        }
    })
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The holiday file has the years as top-level tables; wrap it as `holidays`.
fn parse_holidays(text: &str) -> Result<ConfigFile, ConfigError> {
    let path = Path::new("assets/holidays.toml");
    let years: BTreeMap<String, HolidayYearFile> =
        toml::from_str(text).map_err(|e| ConfigError::Invalid {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
    Ok(ConfigFile {
        holidays: Some(years),
        ..ConfigFile::default()
    })
}

impl Config {
    /// The embedded defaults alone.
    pub fn embedded() -> Config {
        Self::resolve(embedded_file(), Path::new("assets/config.toml"))
            .expect("the embedded configuration is valid (checked by tests)")
    }

    /// The embedded defaults overridden by `home/config.toml` when it exists.
    pub fn load(home: &Path) -> Result<Config, ConfigError> {
        let path = home.join("config.toml");
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::from_override(&path, &text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::embedded()),
            Err(source) => Err(ConfigError::Read { path, source }),
        }
    }

    /// The embedded defaults overridden by the text of a center's file.
    pub fn from_override(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let over = parse_file(path, text)?;
        Self::resolve(embedded_file().overridden_by(over), path)
    }

    fn resolve(file: ConfigFile, path: &Path) -> Result<Config, ConfigError> {
        let invalid = |reason: String| ConfigError::Invalid {
            path: path.to_path_buf(),
            reason,
        };
        let missing = |key: &str| invalid(format!("缺少 {key}"));
        let dispute_categories = file
            .dispute_categories
            .ok_or_else(|| missing("dispute_categories"))?;
        let request_categories = file
            .request_categories
            .ok_or_else(|| missing("request_categories"))?;
        let is_category = |c: &str| {
            dispute_categories
                .iter()
                .chain(&request_categories)
                .any(|k| k == c)
        };

        let mut deadlines = Vec::new();
        for (i, rule) in file
            .deadlines
            .ok_or_else(|| missing("deadlines"))?
            .into_iter()
            .enumerate()
        {
            let at = format!("第{}条 [[deadlines]]", i + 1);
            let route = Route::from_label(&rule.route).ok_or_else(|| {
                invalid(format!(
                    "{at} 的 route「{}」不是办理方式（{}）",
                    rule.route,
                    Route::labels().join("、")
                ))
            })?;
            let scope = match (rule.category, rule.group) {
                (Some(_), Some(_)) => {
                    return Err(invalid(format!("{at} 不能同时写 category 和 group")));
                }
                (Some(c), None) if !is_category(&c) => {
                    return Err(invalid(format!("{at} 的 category「{c}」不在类别清单中")));
                }
                (Some(c), None) => RuleScope::Category(c),
                (None, Some(g)) => RuleScope::Group(g),
                (None, None) => RuleScope::Any,
            };
            let span = match (rule.days, rule.working_days) {
                (Some(d), None) => Span::Days(d),
                (None, Some(w)) => Span::WorkingDays(w),
                _ => {
                    return Err(invalid(format!(
                        "{at} 须且只能写 days（日）或 working_days（工作日）之一"
                    )));
                }
            };
            deadlines.push(DeadlineRule {
                route,
                scope,
                span,
                basis: rule.basis,
            });
        }
        for route in Route::ALL {
            if !deadlines
                .iter()
                .any(|r| r.route == route && r.scope == RuleScope::Any)
            {
                return Err(invalid(format!(
                    "办理方式「{}」缺少不限类别的期限规则",
                    route.label()
                )));
            }
        }

        let mut years = BTreeMap::new();
        for (year, table) in file.holidays.unwrap_or_default() {
            let y: i32 = year
                .parse()
                .map_err(|_| invalid(format!("节假日表的年份「{year}」不是数字")))?;
            let dates = |list: &[String], key: &str| -> Result<Vec<NaiveDate>, ConfigError> {
                list.iter()
                    .map(|d| {
                        NaiveDate::parse_from_str(d, "%Y-%m-%d")
                            .ok()
                            .filter(|date| chrono::Datelike::year(date) == y)
                            .ok_or_else(|| {
                                invalid(format!(
                                    "节假日表 [{year}] 的 {key} 中「{d}」不是{y}年的日期"
                                ))
                            })
                    })
                    .collect()
            };
            years.insert(
                y,
                HolidayYear {
                    source: table.source,
                    off: dates(&table.off, "off")?,
                    workdays: dates(&table.workdays, "workdays")?,
                },
            );
        }

        let towns = file.towns.ok_or_else(|| missing("towns"))?;
        if towns.is_empty() {
            return Err(invalid("towns 不能为空".into()));
        }
        let channels = file.channels.ok_or_else(|| missing("channels"))?;
        if channels.is_empty() {
            return Err(invalid("channels 不能为空".into()));
        }
        let numbering = file.numbering.ok_or_else(|| missing("numbering"))?;
        for (key, template) in [
            ("case", &numbering.case),
            ("form", &numbering.form),
            ("report", &numbering.report),
            ("meeting", &numbering.meeting),
            ("urge", &numbering.urge),
        ] {
            if !template.contains("{n}") {
                return Err(invalid(format!("numbering.{key} 必须包含 {{n}}")));
            }
        }
        let records = file.records.ok_or_else(|| missing("records"))?;
        if records.visit_kinds.is_empty() || records.report_sources.is_empty() {
            return Err(invalid(
                "records.visit_kinds 和 records.report_sources 不能为空".into(),
            ));
        }
        if let Some(s) = records
            .report_sources
            .iter()
            .find(|s| !channels.contains(s))
        {
            return Err(invalid(format!(
                "records.report_sources 中的「{s}」不在 channels 中：报告单立案后以来源为案件的渠道"
            )));
        }
        let routing = file.routing.ok_or_else(|| missing("routing"))?;
        let unit_list = all_units(&routing, &towns);
        let center = file.center.ok_or_else(|| missing("center"))?;
        if let Some(url) = &center.query_url {
            let web = url.starts_with("https://") || url.starts_with("http://");
            if !web || !(url.contains("{key}") || url.contains("{case_no}")) {
                return Err(invalid(format!(
                    "center.query_url「{url}」应为以 https:// 或 http:// 开头、含 {{key}} 或 {{case_no}} 的网址"
                )));
            }
        }
        Ok(Config {
            unit_list,
            center,
            numbering,
            records,
            limits: file.limits.ok_or_else(|| missing("limits"))?,
            county: file.county.ok_or_else(|| missing("county"))?,
            routing,
            towns,
            channels,
            dispute_categories,
            request_categories,
            deadlines,
            calendar: Calendar::new(years),
            security: file.security.ok_or_else(|| missing("security"))?,
            backup: file.backup.ok_or_else(|| missing("backup"))?,
        })
    }

    pub fn town(&self, name: &str) -> Option<&Town> {
        self.towns.iter().find(|t| t.name == name)
    }

    pub fn categories(&self) -> impl Iterator<Item = &String> {
        self.dispute_categories
            .iter()
            .chain(&self.request_categories)
    }

    pub fn is_category(&self, name: &str) -> bool {
        self.categories().any(|c| c == name)
    }

    pub fn category_group(&self, name: &str) -> Option<CategoryGroup> {
        if self.dispute_categories.iter().any(|c| c == name) {
            Some(CategoryGroup::Dispute)
        } else if self.request_categories.iter().any(|c| c == name) {
            Some(CategoryGroup::Request)
        } else {
            None
        }
    }

    /// The deadline rule for a route and category: the first that matches.
    pub fn deadline_rule(&self, route: Route, category: &str) -> &DeadlineRule {
        let group = self.category_group(category);
        self.deadlines
            .iter()
            .find(|r| {
                r.route == route
                    && match &r.scope {
                        RuleScope::Any => true,
                        RuleScope::Group(g) => Some(*g) == group,
                        RuleScope::Category(c) => c == category,
                    }
            })
            .expect("every route has a rule for any category (checked on load)")
    }

    /// Every unit a case can be routed to: county departments, each town's units, each listed
    /// village's committee.
    pub fn units(&self) -> &[String] {
        &self.unit_list
    }

    /// Units that belong to a level, for pickers: village committees, town units, county units.
    pub fn units_at(&self, level: Level) -> Vec<String> {
        self.units()
            .iter()
            .filter(|u| self.level_of_unit(u) == level)
            .cloned()
            .collect()
    }

    /// Time left on a case, in the words of its rule: calendar days for a rule counted in days
    /// (a 30日 or 60日 limit), working days for one counted in working days.
    pub fn time_left(
        &self,
        today: chrono::NaiveDate,
        due: chrono::NaiveDate,
        route: crate::domain::Route,
        category: &str,
    ) -> crate::calendar::TimeLeft {
        let days = matches!(self.deadline_rule(route, category).span, Span::Days(_));
        self.calendar.time_left_in(today, due, days)
    }

    /// Units of a level for a case of `town`, for pickers: at the village level only the town's
    /// own committees (233 villages would bury them), otherwise the town's units first.
    pub fn units_for(&self, level: Level, town: &str) -> Vec<String> {
        let mut units = self.units_at(level);
        if level == Level::Village && self.town(town).is_some() {
            units.retain(|u| u.starts_with(town));
        } else {
            units.sort_by_key(|u| !u.starts_with(town));
        }
        units
    }

    /// The level a unit works at: county departments, village and community committees, and
    /// the rest at the township.
    pub fn level_of_unit(&self, unit: &str) -> Level {
        let routing = &self.routing;
        if routing.county_units.iter().any(|u| u == unit) {
            Level::County
        } else if unit.ends_with(routing.village_unit.as_str())
            || unit.ends_with(routing.community_unit.as_str())
        {
            Level::Village
        } else {
            Level::Township
        }
    }

    /// The committee of a village (村民委员会) or urban community (社区 → 居民委员会), as a unit.
    pub fn village_committee(&self, town: &str, village: &str) -> String {
        committee(&self.routing, town, village)
    }

    pub fn is_unit(&self, name: &str) -> bool {
        self.units().iter().any(|u| u == name)
    }

    fn number(&self, template: &str, year: i32, n: u32) -> String {
        template
            .replace("{short}", &self.county.short)
            .replace("{year}", &year.to_string())
            .replace("{n}", &n.to_string())
    }

    /// `陇综民〔2026〕12号`
    pub fn case_number(&self, year: i32, n: u32) -> String {
        self.number(&self.numbering.case, year, n)
    }

    /// `陇综民书〔2026〕45号`
    pub fn form_number(&self, year: i32, n: u32) -> String {
        self.number(&self.numbering.form, year, n)
    }

    /// `陇民报〔2026〕5号`
    pub fn report_number(&self, year: i32, n: u32) -> String {
        self.number(&self.numbering.report, year, n)
    }

    /// `陇沟通〔2026〕3号`
    pub fn meeting_number(&self, year: i32, n: u32) -> String {
        self.number(&self.numbering.meeting, year, n)
    }

    /// `陇综督〔2026〕4号`
    pub fn urge_number(&self, year: i32, n: u32) -> String {
        self.number(&self.numbering.urge, year, n)
    }
}

/// County departments, each town's units, each listed village's committee.
fn all_units(routing: &Routing, towns: &[Town]) -> Vec<String> {
    let mut units = routing.county_units.clone();
    for town in towns {
        units.extend(
            routing
                .town_units
                .iter()
                .map(|u| format!("{}{}", town.name, u)),
        );
        units.extend(
            town.villages
                .iter()
                .map(|v| committee(routing, &town.name, v)),
        );
    }
    units
}

fn committee(routing: &Routing, town: &str, village: &str) -> String {
    let suffix = if village.ends_with("社区") {
        &routing.community_unit
    } else {
        &routing.village_unit
    };
    format!("{town}{village}{suffix}")
}

fn embedded_file() -> ConfigFile {
    let base = parse_file(Path::new("assets/config.toml"), DEFAULT_CONFIG)
        .expect("assets/config.toml parses");
    let divisions = parse_file(Path::new("assets/longxi.toml"), DEFAULT_DIVISIONS)
        .expect("assets/longxi.toml parses");
    let holidays = parse_holidays(DEFAULT_HOLIDAYS).expect("assets/holidays.toml parses");
    base.overridden_by(divisions).overridden_by(holidays)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_defaults_are_longxi() {
        let c = Config::embedded();
        assert_eq!(c.center.name, "陇西县综治中心");
        assert_eq!(c.county.short, "陇");
        assert_eq!(c.towns.len(), 17);
        assert_eq!(c.channels.len(), 13);
        assert_eq!(c.dispute_categories.len(), 18);
        assert_eq!(c.request_categories.len(), 5);
        assert!(c.calendar.has_table(2025) && c.calendar.has_table(2026));
        assert_eq!(c.case_number(2026, 12), "陇综民〔2026〕12号");
        assert_eq!(c.form_number(2026, 45), "陇综民书〔2026〕45号");
        assert_eq!(c.report_number(2026, 5), "陇民报〔2026〕5号");
        assert_eq!(c.meeting_number(2026, 3), "陇沟通〔2026〕3号");
        assert_eq!(c.urge_number(2026, 4), "陇综督〔2026〕4号");
    }

    /// The division list beside the embedded config: code,name,committee,town_code,town.
    const VILLAGES_CSV: &str = include_str!("../assets/longxi-villages.csv");

    #[test]
    fn every_town_lists_its_villages_as_the_division_codes_do() {
        let c = Config::embedded();
        let rows: Vec<Vec<&str>> = VILLAGES_CSV
            .lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.split(',').collect())
            .collect();
        assert_eq!(rows.len(), 233);
        assert_eq!(c.towns.iter().map(|t| t.villages.len()).sum::<usize>(), 233);
        for town in &c.towns {
            let own: Vec<&Vec<&str>> = rows.iter().filter(|r| r[4] == town.name).collect();
            assert!(!town.villages.is_empty(), "{} has no villages", town.name);
            let names: Vec<&str> = own.iter().map(|r| r[1]).collect();
            assert_eq!(town.villages, names, "{}", town.name);
            for r in own {
                assert_eq!(r[3], town.code, "{} {}", r[1], town.name);
                // A village's 12-digit code extends its town's 9 digits.
                assert!(
                    r[0].len() == 12 && r[0].starts_with(&town.code),
                    "{} {}",
                    r[0],
                    r[1]
                );
                // The official committee is ours less the town and (for 村) the doubled 村.
                let unit = c.village_committee(&town.name, r[1]);
                assert!(c.is_unit(&unit), "{unit}");
                assert_eq!(c.level_of_unit(&unit), Level::Village, "{unit}");
                let short = r[2].trim_end_matches("民委员会").trim_end_matches("居");
                assert!(
                    unit.starts_with(&format!("{}{short}", town.name)),
                    "{unit} {}",
                    r[2]
                );
            }
        }
        let mut codes: Vec<&str> = rows.iter().map(|r| r[0]).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 233, "village codes are unique");
        // The misspelling the first list carried.
        let shouyang = c.town("首阳镇").unwrap();
        assert!(shouyang.villages.iter().any(|v| v == "西三十里铺村"));
        assert!(
            c.towns
                .iter()
                .all(|t| !t.villages.iter().any(|v| v == "西三十铺村"))
        );
    }

    #[test]
    fn communities_have_residents_committees_and_pickers_stay_short() {
        let c = Config::embedded();
        assert!(c.is_unit("巩昌镇东城社区居民委员会"));
        assert!(!c.is_unit("巩昌镇东城社区村民委员会"));
        assert!(c.is_unit("首阳镇南门村村民委员会"));
        // 团结村 is in two towns: the town in the unit's name keeps them apart.
        assert!(c.is_unit("巩昌镇团结村村民委员会") && c.is_unit("马河镇团结村村民委员会"));
        assert_eq!(c.units_at(Level::Village).len(), 233);
        assert_eq!(c.units_for(Level::Village, "首阳镇").len(), 16);
        let township = c.units_for(Level::Township, "首阳镇");
        assert_eq!(township[0], "首阳镇人民政府");
        assert_eq!(township.len(), 17 * 3);
        assert_eq!(c.level_of_unit("县司法局"), Level::County);
        assert_eq!(c.level_of_unit("首阳镇司法所"), Level::Township);
    }

    #[test]
    fn deadline_rules_pick_the_most_specific_first() {
        let c = Config::embedded();
        assert_eq!(
            c.deadline_rule(Route::Timed, "劳动争议").span,
            Span::Days(15)
        );
        assert_eq!(c.deadline_rule(Route::Timed, "邻里").span, Span::Days(30));
        assert_eq!(
            c.deadline_rule(Route::Timed, "政策咨询").span,
            Span::WorkingDays(3)
        );
        assert_eq!(
            c.deadline_rule(Route::Timed, "建议意见").span,
            Span::Days(60)
        );
        assert_eq!(
            c.deadline_rule(Route::OnTheSpot, "邻里").span,
            Span::Days(0)
        );
    }

    #[test]
    fn override_changes_only_what_it_names() {
        let c = Config::from_override(
            Path::new("config.toml"),
            "[center]\nname = \"首阳镇综治中心\"\nlevel = \"乡镇\"\nphone = \"0932-1\"\naddress = \"首阳镇\"\n\n[holidays.2027]\noff = [\"2027-01-01\"]\n",
        )
        .unwrap();
        assert_eq!(c.center.name, "首阳镇综治中心");
        assert_eq!(c.center.level, Level::Township);
        assert_eq!(c.center.query_url, None);
        assert_eq!(c.towns.len(), 17);
        assert!(c.calendar.has_table(2026) && c.calendar.has_table(2027));
    }

    #[test]
    fn bad_override_names_file_line_and_reason() {
        let err = Config::from_override(
            Path::new("/h/config.toml"),
            "channels = [\"来访\"]\n\n[center]\nname = 5\n",
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("/h/config.toml"), "{msg}");
        assert!(msg.contains("第4行"), "{msg}");

        let err = Config::from_override(Path::new("c.toml"), "chanels = []\n").unwrap_err();
        assert!(err.to_string().contains("第1行"), "{err}");
        assert!(err.to_string().contains("chanels"), "{err}");

        let err = Config::from_override(
            Path::new("c.toml"),
            "[[deadlines]]\nroute = \"马上办\"\ndays = 1\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("马上办"), "{err}");
    }

    #[test]
    fn query_url_is_optional_and_must_name_the_case() {
        assert_eq!(Config::embedded().center.query_url, None);
        let center = |url: &str| {
            format!(
                "[center]\nname = \"陇西县综治中心\"\nlevel = \"县\"\nphone = \"1\"\naddress = \"巩昌镇\"\nquery_url = \"{url}\"\n"
            )
        };
        let c = Config::from_override(
            Path::new("c.toml"),
            &center("https://zz.longxi.gov.cn/q?key={key}"),
        )
        .unwrap();
        assert_eq!(
            c.center.query_url.as_deref(),
            Some("https://zz.longxi.gov.cn/q?key={key}")
        );
        for bad in ["https://zz.longxi.gov.cn/q", "zz.longxi.gov.cn/q?key={key}"] {
            let err = Config::from_override(Path::new("c.toml"), &center(bad)).unwrap_err();
            assert!(err.to_string().contains("query_url"), "{err}");
        }
    }
}

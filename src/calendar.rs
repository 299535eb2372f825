//! Working days and deadlines by 民法典 §201/§203 and the State Council's holiday tables: the day
//! of receipt does not count, calendar-day deadlines move off rest days, make-up days are worked.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use chrono::{Datelike, Days, NaiveDate, Weekday};

use crate::config::Span;

/// One year's published table: rest days and make-up working days.
#[derive(Debug, Clone, Default)]
pub struct HolidayYear {
    pub source: String,
    pub off: Vec<NaiveDate>,
    pub workdays: Vec<NaiveDate>,
}

#[derive(Debug, Clone, Default)]
pub struct Calendar {
    years: BTreeMap<i32, HolidayYear>,
    off: HashSet<NaiveDate>,
    workdays: HashSet<NaiveDate>,
}

/// A computed deadline, with the years it crossed for which no holiday table is known: for those
/// the count assumed that only weekends are rest days, and the user must be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub date: NaiveDate,
    pub assumed_years: BTreeSet<i32>,
}

impl Due {
    /// The warning to show when the deadline rests on a guessed calendar.
    pub fn warning(&self) -> Option<String> {
        missing_tables_warning(&self.assumed_years)
    }
}

/// "2027年尚无节假日安排表，期限按仅周末休息计算，请在 config.toml 中补充 [holidays.2027]。"
pub fn missing_tables_warning(years: &BTreeSet<i32>) -> Option<String> {
    if years.is_empty() {
        return None;
    }
    let list: Vec<String> = years.iter().map(|y| format!("{y}年")).collect();
    let keys: Vec<String> = years.iter().map(|y| format!("[holidays.{y}]")).collect();
    Some(format!(
        "{}尚无节假日安排表，期限按仅周末休息计算，请在 config.toml 中补充 {}。",
        list.join("、"),
        keys.join(" ")
    ))
}

/// What the clerk at the counter is told, once, when a deadline falls in a year without a
/// holiday table: what it means for the deadline and who can fix it. The TUI and the command
/// line both show this; `admin_instruction` is the 管理员's half.
pub fn clerk_notice(years: &BTreeSet<i32>) -> Option<String> {
    if years.is_empty() {
        return None;
    }
    Some(format!(
        "{}的节假日安排尚未录入，期限暂按只休周末计算；请告知管理员补录。",
        year_list(years)
    ))
}

/// What the 管理员 must add to the home's `config.toml` for the years without a holiday table:
/// the section and its keys, in the format of the embedded table. Several lines.
pub fn admin_instruction(years: &BTreeSet<i32>) -> Option<String> {
    let first = *years.first()?;
    let mut text = format!(
        "{}没有节假日安排表，这些年份的期限只按周末计算。国务院办公厅《关于{first}年部分节假日安排的通知》\
         发布后（通常在上一年11月），请在主目录的 config.toml 中加上：",
        year_list(years)
    );
    for y in years {
        text.push_str(&format!(
            "\n  [holidays.{y}]\n  source = \"通知的网址\"\n  \
             off = [\"{y}-01-01\", …]        # 放假的每一天（含其中的周六、周日）\n  \
             workdays = [\"{y}-…\", …]       # 调休上班的周六、周日"
        ));
    }
    Some(text)
}

fn year_list(years: &BTreeSet<i32>) -> String {
    let list: Vec<String> = years.iter().map(|y| format!("{y}年")).collect();
    list.join("、")
}

impl Calendar {
    pub fn new(years: BTreeMap<i32, HolidayYear>) -> Calendar {
        let off = years.values().flat_map(|y| y.off.iter().copied()).collect();
        let workdays = years
            .values()
            .flat_map(|y| y.workdays.iter().copied())
            .collect();
        Calendar {
            years,
            off,
            workdays,
        }
    }

    pub fn has_table(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.keys().copied()
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        if self.workdays.contains(&day) {
            true
        } else if self.off.contains(&day) {
            false
        } else {
            !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
        }
    }

    /// The deadline `span` after the day of receipt.
    pub fn due(&self, received: NaiveDate, span: Span) -> Due {
        let date = match span {
            Span::Days(n) => self.add_days(received, n),
            Span::WorkingDays(n) => self.add_working_days(received, n),
        };
        Due {
            date,
            assumed_years: self.missing_between(received, date),
        }
    }

    /// N calendar days: the receipt day does not count; a last day that is a rest day moves to
    /// the next working day. Zero days is the day itself (handled on the spot).
    pub fn add_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        if n == 0 {
            return from;
        }
        let mut day = from + Days::new(u64::from(n));
        while !self.is_working_day(day) {
            day = day.succ_opt().expect("dates stay far from chrono's limits");
        }
        day
    }

    /// N working days, counting only working days after the day of receipt.
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let mut day = from;
        let mut left = n;
        while left > 0 {
            day = day.succ_opt().expect("dates stay far from chrono's limits");
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// The earliest day of receipt whose limit of `n` working days has not passed by `today`:
    /// whatever was received before it is late (the report queue's 超期).
    pub fn earliest_on_time(&self, today: NaiveDate, n: u32) -> NaiveDate {
        let mut day = today;
        while let Some(before) = day.pred_opt()
            && self.add_working_days(before, n) >= today
        {
            day = before;
        }
        day
    }

    /// Working days after `today` up to and including `due` (0 when due today or earlier): how
    /// much time a case has left, for the board's bands.
    pub fn working_days_until(&self, today: NaiveDate, due: NaiveDate) -> u32 {
        let mut n = 0;
        let mut day = today;
        while day < due {
            day = day.succ_opt().expect("dates stay far from chrono's limits");
            if self.is_working_day(day) {
                n += 1;
            }
        }
        n
    }

    /// Years a 管理员 should add a table for now: this year, next year from October (the State
    /// Council publishes it in the autumn, and deadlines of December cross into it), and every
    /// year up to the latest deadline of an open case.
    pub fn missing_ahead(&self, today: NaiveDate, latest_due: Option<NaiveDate>) -> BTreeSet<i32> {
        let this = today.year();
        let mut last = if today.month() >= 10 { this + 1 } else { this };
        if let Some(due) = latest_due {
            last = last.max(due.year());
        }
        (this..=last).filter(|y| !self.has_table(*y)).collect()
    }

    /// Years from the day after `from` to `to` (or `to`'s year alone) without a table.
    pub fn missing_between(&self, from: NaiveDate, to: NaiveDate) -> BTreeSet<i32> {
        let first = if to > from {
            from.succ_opt().unwrap_or(from)
        } else {
            to
        };
        (first.year()..=to.year())
            .filter(|y| !self.has_table(*y))
            .collect()
    }
}

/// How urgent an open case is, for the board's colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Band {
    Overdue,
    /// Due today or on the next working day.
    Within1,
    Within3,
    Later,
}

/// Time left before a deadline, in words: 超期3天, 今日到期, 剩2个工作日.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeLeft {
    pub band: Band,
    pub text: String,
}

impl Calendar {
    /// Time left under a rule counted in calendar days (30日, 60日) reads in days: 剩22天, not
    /// a number of working days the rule never mentions. The colour still follows working days.
    pub fn time_left_in(&self, today: NaiveDate, due: NaiveDate, calendar_days: bool) -> TimeLeft {
        let left = self.time_left(today, due);
        if calendar_days && due > today && left.text.starts_with('剩') {
            return TimeLeft {
                band: left.band,
                text: format!("剩{}天", (due - today).num_days()),
            };
        }
        left
    }

    pub fn time_left(&self, today: NaiveDate, due: NaiveDate) -> TimeLeft {
        if due < today {
            let days = (today - due).num_days();
            return TimeLeft {
                band: Band::Overdue,
                text: format!("超期{days}天"),
            };
        }
        if due == today {
            return TimeLeft {
                band: Band::Within1,
                text: "今日到期".to_string(),
            };
        }
        let w = self.working_days_until(today, due);
        let band = match w {
            0 | 1 => Band::Within1,
            2 | 3 => Band::Within3,
            _ => Band::Later,
        };
        let text = if w == 0 {
            "节后到期".to_string()
        } else {
            format!("剩{w}个工作日")
        };
        TimeLeft { band, text }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn cal() -> Calendar {
        Config::embedded().calendar
    }

    #[test]
    fn day_based_rules_count_what_is_left_in_calendar_days() {
        let c = cal();
        let left = c.time_left_in(d("2026-03-02"), d("2026-03-30"), true);
        assert_eq!(left.text, "剩28天");
        assert_eq!(left.band, Band::Later);
        assert_eq!(
            c.time_left_in(d("2026-03-02"), d("2026-03-30"), false).text,
            "剩20个工作日"
        );
        assert_eq!(
            c.time_left_in(d("2026-03-05"), d("2026-03-02"), true).text,
            "超期3天"
        );
    }

    #[test]
    fn five_working_days_count_the_makeup_saturday() {
        // 2026-02-14 (Saturday) is a make-up working day before the Spring Festival.
        assert_eq!(cal().add_working_days(d("2026-02-12"), 5), d("2026-02-26"));
    }

    #[test]
    fn five_working_days_skip_national_day() {
        assert_eq!(cal().add_working_days(d("2025-09-26"), 5), d("2025-10-10"));
    }

    #[test]
    fn sixty_days_ending_in_the_golden_week_move_to_the_next_working_day() {
        let due = cal().due(d("2026-08-03"), Span::Days(60));
        assert_eq!(due.date, d("2026-10-08"));
        assert!(due.assumed_years.is_empty());
        assert_eq!(due.warning(), None);
    }

    #[test]
    fn deadline_skips_spring_festival() {
        // 30 days from 2026-01-16 is 2026-02-15, the first day of the festival: move to 02-24.
        assert_eq!(cal().add_days(d("2026-01-16"), 30), d("2026-02-24"));
    }

    #[test]
    fn receipt_day_does_not_count() {
        // Received Monday 2026-03-02: one working day is Tuesday.
        assert_eq!(cal().add_working_days(d("2026-03-02"), 1), d("2026-03-03"));
        assert_eq!(cal().add_days(d("2026-03-02"), 1), d("2026-03-03"));
        // Received Friday: one calendar day lands on Saturday and moves to Monday.
        assert_eq!(cal().add_days(d("2026-03-06"), 1), d("2026-03-09"));
    }

    #[test]
    fn zero_days_is_the_same_day() {
        assert_eq!(cal().add_days(d("2026-03-07"), 0), d("2026-03-07"));
    }

    #[test]
    fn a_year_without_a_table_is_flagged() {
        let due = cal().due(d("2026-12-20"), Span::Days(30));
        assert_eq!(due.date, d("2027-01-19"));
        assert_eq!(due.assumed_years, BTreeSet::from([2027]));
        let warning = due.warning().unwrap();
        assert!(warning.contains("2027年尚无节假日安排表"), "{warning}");
        let inside = cal().due(d("2026-03-02"), Span::Days(30));
        assert!(inside.assumed_years.is_empty());
    }

    #[test]
    fn the_clerk_is_told_plainly_and_the_admin_what_to_add() {
        let years = BTreeSet::from([2027]);
        assert_eq!(
            clerk_notice(&years).unwrap(),
            "2027年的节假日安排尚未录入，期限暂按只休周末计算；请告知管理员补录。"
        );
        let admin = admin_instruction(&years).unwrap();
        for key in [
            "[holidays.2027]",
            "source = ",
            "off = [\"2027-01-01\"",
            "workdays = [",
        ] {
            assert!(admin.contains(key), "{admin}");
        }
        assert!(admin.contains("config.toml"), "{admin}");
        let two = admin_instruction(&BTreeSet::from([2027, 2028])).unwrap();
        assert!(two.contains("[holidays.2028]") && two.starts_with("2027年、2028年"));
        assert_eq!(clerk_notice(&BTreeSet::new()), None);
        assert_eq!(admin_instruction(&BTreeSet::new()), None);
    }

    #[test]
    fn the_admin_is_told_about_next_year_in_the_last_quarter() {
        let c = cal();
        assert!(c.missing_ahead(d("2026-09-30"), None).is_empty());
        assert_eq!(
            c.missing_ahead(d("2026-10-01"), None),
            BTreeSet::from([2027])
        );
        // An open case due in 2028 needs that year too (2027 lies between).
        assert_eq!(
            c.missing_ahead(d("2026-03-01"), Some(d("2028-01-10"))),
            BTreeSet::from([2027, 2028])
        );
        // A year without a table is this year's problem too.
        assert_eq!(
            c.missing_ahead(d("2027-03-01"), None),
            BTreeSet::from([2027])
        );
        // Old deadlines are settled: no table is asked for the past.
        assert!(
            c.missing_ahead(d("2026-03-01"), Some(d("2024-05-01")))
                .is_empty()
        );
    }

    #[test]
    fn time_left_bands() {
        let c = cal();
        assert_eq!(
            c.time_left(d("2026-03-05"), d("2026-03-02")).text,
            "超期3天"
        );
        assert_eq!(
            c.time_left(d("2026-03-05"), d("2026-03-02")).band,
            Band::Overdue
        );
        assert_eq!(
            c.time_left(d("2026-03-05"), d("2026-03-05")).band,
            Band::Within1
        );
        // Friday → Monday is one working day.
        assert_eq!(
            c.time_left(d("2026-03-06"), d("2026-03-09")).band,
            Band::Within1
        );
        assert_eq!(
            c.time_left(d("2026-03-05"), d("2026-03-10")).band,
            Band::Within3
        );
        assert_eq!(
            c.time_left(d("2026-03-02"), d("2026-03-30")).band,
            Band::Later
        );
        assert_eq!(
            c.time_left(d("2026-03-02"), d("2026-03-30")).text,
            "剩20个工作日"
        );
    }

    #[test]
    fn late_after_the_limit_of_working_days_even_on_a_rest_day() {
        let c = cal();
        // Thursday: Monday's report has until today (3 working days); Friday's was due Wednesday.
        assert_eq!(c.earliest_on_time(d("2026-03-05"), 3), d("2026-03-02"));
        // Saturday: Tuesday's was due Friday and is late now; Wednesday's is due on Monday.
        assert_eq!(c.earliest_on_time(d("2026-03-07"), 3), d("2026-03-04"));
        // Over the Spring Festival the limit stretches past the holiday.
        assert_eq!(c.earliest_on_time(d("2026-02-24"), 3), d("2026-02-12"));
    }

    #[test]
    fn working_days_until_counts_what_is_left() {
        let c = cal();
        assert_eq!(c.working_days_until(d("2026-03-02"), d("2026-03-02")), 0);
        assert_eq!(c.working_days_until(d("2026-03-06"), d("2026-03-09")), 1);
        assert_eq!(c.working_days_until(d("2026-03-05"), d("2026-03-09")), 2);
        assert_eq!(c.working_days_until(d("2026-03-09"), d("2026-03-05")), 0);
    }
}

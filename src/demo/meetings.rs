//! The demo's 民心沟通会: each town about monthly and some of its villages every other month
//! (as often again for each county's worth of cases, on a register scaled up from one county),
//! the cases fed back at the next meeting of their area after they ended, some parties revisited
//! there, and opinions raised, a few of which become report forms.
//!
//! Meetings are recorded in the order they are held, but ahead of the cases: a case that ends
//! is fed back at a meeting still to come in the demo's run, so that its timeline stays in order
//! (a 回访 at the meeting comes between its ending and its archiving).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use chrono::{DateTime, Datelike, Duration, FixedOffset, Timelike};
use rand::seq::IndexedRandom;
use rand::{Rng, RngCore};

use super::field::Field;
use super::text;
use crate::config::Config;
use crate::domain::Session;
use crate::domain::records::{NewMeeting, RecordKey};
use crate::store::{StoreError, Writer};

/// Longxi's pace: 13,786 matters in about two years.
pub(super) const COUNTY_PER_DAY: f64 = 13_786.0 / 730.0;
/// The share of villages that hold their own meetings.
const VILLAGES_WITH_MEETINGS: f64 = 0.12;

struct Planned {
    at: DateTime<FixedOffset>,
    town: String,
    village: String,
    made: Option<(RecordKey, Session)>,
}

/// A report raised at a meeting that its center registers as a case (立案) once its time comes.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Waiting {
    pub at: DateTime<FixedOffset>,
    pub key: RecordKey,
    pub town: String,
    pub village: String,
    pub speaker: String,
    pub category: String,
    pub request: String,
    pub facts: String,
}

pub(super) struct Schedule {
    /// Every meeting up to the end, in the order held.
    planned: Vec<Planned>,
    /// How many are recorded, and how many of those have had their opinions.
    recorded: usize,
    held: usize,
    /// The meetings of each area (town and village, or town and ""), in order.
    areas: HashMap<(String, String), Vec<usize>>,
    waiting: BinaryHeap<Reverse<Waiting>>,
    /// Whether opinions may become reports (民心沟通会 a configured source and channel).
    opinions_report: bool,
}

/// Working hours, as the cases keep them: the night folded into the day.
fn office_hours(t: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    let hour = t.hour();
    if (8..18).contains(&hour) {
        t
    } else {
        t.with_hour(8 + hour % 10).unwrap_or(t)
    }
}

impl Schedule {
    pub fn new(
        config: &Config,
        rng: &mut impl RngCore,
        start: DateTime<FixedOffset>,
        now: DateTime<FixedOffset>,
        per_day: f64,
    ) -> Schedule {
        let scale = (per_day / COUNTY_PER_DAY).max(1.0);
        let mut areas: Vec<((String, String), f64)> = Vec::new();
        for town in &config.towns {
            areas.push(((town.name.clone(), String::new()), 30.0 / scale));
            for v in &town.villages {
                if rng.random_bool(VILLAGES_WITH_MEETINGS) {
                    areas.push(((town.name.clone(), v.clone()), 60.0 / scale));
                }
            }
        }
        let mut planned = Vec::new();
        for ((town, village), every) in areas {
            let mut day = rng.random_range(0.0..every);
            loop {
                let at = office_hours(start + Duration::minutes((day * 1440.0) as i64));
                if at > now {
                    break;
                }
                if at > start {
                    planned.push(Planned {
                        at,
                        town: town.clone(),
                        village: village.clone(),
                        made: None,
                    });
                }
                day += every;
            }
        }
        planned.sort_by(|a, b| (a.at, &a.town, &a.village).cmp(&(b.at, &b.town, &b.village)));
        let mut by_area: HashMap<(String, String), Vec<usize>> = HashMap::new();
        for (i, p) in planned.iter().enumerate() {
            by_area
                .entry((p.town.clone(), p.village.clone()))
                .or_default()
                .push(i);
        }
        // Within an area, in the order of their times (office hours can fold two together).
        for list in by_area.values_mut() {
            list.sort_by_key(|&i| planned[i].at);
        }
        let opinions_report = config.channels.iter().any(|c| c == "民心沟通会")
            && config
                .records
                .report_sources
                .iter()
                .any(|c| c == "民心沟通会");
        Schedule {
            planned,
            recorded: 0,
            held: 0,
            areas: by_area,
            waiting: BinaryHeap::new(),
            opinions_report,
        }
    }

    /// Record every meeting held up to `until` not yet recorded, in order.
    fn record_until(
        &mut self,
        w: &mut Writer,
        field: &mut Field,
        until: DateTime<FixedOffset>,
    ) -> Result<(), StoreError> {
        while let Some(p) = self.planned.get(self.recorded) {
            if p.at > until {
                break;
            }
            let (at, town, village) = (p.at, p.town.clone(), p.village.clone());
            let Some(keeper) = field.clerk_of(&town) else {
                self.recorded += 1;
                continue;
            };
            let m = meeting(&mut field.rng, at, &town, &village);
            let (_, key) = w.add_meeting(&m, &keeper, at)?;
            field.tally.meetings += 1;
            self.planned[self.recorded].made = Some((key, keeper));
            self.recorded += 1;
        }
        Ok(())
    }

    /// The next meeting after `t` of the case's area (its town's, or its village's if that
    /// holds meetings and comes first), recorded if it was not: its key, time and keeper.
    pub fn next_after(
        &mut self,
        w: &mut Writer,
        field: &mut Field,
        town: &str,
        village: &str,
        t: DateTime<FixedOffset>,
    ) -> Result<Option<(RecordKey, DateTime<FixedOffset>, Session)>, StoreError> {
        let mut best: Option<usize> = None;
        for area in [(town, ""), (town, village)] {
            let Some(list) = self.areas.get(&(area.0.to_string(), area.1.to_string())) else {
                continue;
            };
            let at = list.partition_point(|&i| self.planned[i].at <= t);
            if let Some(&i) = list.get(at)
                && best.is_none_or(|b| self.planned[i].at < self.planned[b].at)
            {
                best = Some(i);
            }
        }
        let Some(i) = best else {
            return Ok(None);
        };
        let at = self.planned[i].at;
        self.record_until(w, field, at)?;
        Ok(self.planned[i]
            .made
            .as_ref()
            .map(|(key, keeper)| (*key, at, keeper.clone())))
    }

    /// Hold the meetings up to `until`: record them if they were not, and take down the
    /// opinions raised, some as report forms.
    pub fn hold_until(
        &mut self,
        w: &mut Writer,
        field: &mut Field,
        categories: &[String],
        until: DateTime<FixedOffset>,
    ) -> Result<(), StoreError> {
        self.record_until(w, field, until)?;
        // A meeting recorded ahead (to feed a case back at it) is held only when its time
        // comes: its opinions' report forms are numbered among the forms of their day.
        while self.held < self.recorded && self.planned[self.held].at <= until {
            let p = &self.planned[self.held];
            self.held += 1;
            let Some((key, keeper)) = p.made.clone() else {
                continue;
            };
            let (at, town, village) = (p.at, p.town.clone(), p.village.clone());
            let opinions = *[0, 1, 1, 2, 2, 3].choose(&mut field.rng).unwrap_or(&1);
            for _ in 0..opinions {
                let speaker = text::name(&mut field.rng);
                let category = categories
                    .choose(&mut field.rng)
                    .cloned()
                    .unwrap_or_default();
                let (request, facts) = text::matter(&category, &mut field.rng);
                let as_report = self.opinions_report && field.rng.random_bool(0.3);
                let said = format!("{request}\n{facts}");
                let (_, report) = w.opinion(key, &speaker, &said, as_report, &keeper, at)?;
                let Some(report) = report else {
                    continue;
                };
                field.tally.reports += 1;
                if field.rng.random_bool(0.5) {
                    let when = field.triage_time(at);
                    if when > field.now() {
                        field.tally.pending += 1;
                    } else {
                        self.waiting.push(Reverse(Waiting {
                            at: when,
                            key: report,
                            town: town.clone(),
                            village: village.clone(),
                            speaker,
                            category,
                            request,
                            facts: said,
                        }));
                    }
                } else {
                    field.settle(w, report, &town, at)?;
                }
            }
        }
        Ok(())
    }

    /// A report of a meeting whose registration is due by `t`.
    pub fn take_waiting(&mut self, t: DateTime<FixedOffset>) -> Option<Waiting> {
        if self.waiting.peek().is_some_and(|w| w.0.at <= t) {
            self.waiting.pop().map(|w| w.0)
        } else {
            None
        }
    }

    /// Reports of meetings never registered: still in the queue at the end.
    pub fn left_waiting(&self) -> u64 {
        self.waiting.len() as u64
    }
}

/// What a meeting's record says.
fn meeting(
    rng: &mut impl RngCore,
    at: DateTime<FixedOffset>,
    town: &str,
    village: &str,
) -> NewMeeting {
    let (title, place, host, units, attendance) = if village.is_empty() {
        (
            format!("{town}{}年{}月民心沟通会", at.year(), at.month()),
            format!("{town}人民政府会议室"),
            format!("{town}党委"),
            text::UNITS.iter().map(|u| u.to_string()).collect(),
            rng.random_range(30..120),
        )
    } else {
        (
            format!("{village}民心沟通会"),
            format!("{village}党群服务中心"),
            format!("{village}党支部"),
            text::UNITS[..2].iter().map(|u| u.to_string()).collect(),
            rng.random_range(15..60),
        )
    };
    let representatives = (0..rng.random_range(2..5))
        .map(|_| text::name(rng))
        .collect();
    NewMeeting {
        title,
        held_at: at,
        place,
        host,
        chair: text::name(rng),
        recorder: text::name(rng),
        units,
        attendance,
        representatives,
        town: town.to_string(),
        village: village.to_string(),
        items: text::MEETING_ITEMS.choose(rng).unwrap_or(&"").to_string(),
        plans: text::MEETING_PLANS.choose(rng).unwrap_or(&"").to_string(),
    }
}

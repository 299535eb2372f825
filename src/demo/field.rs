//! The field side of the demo: the cadres who visit households (民情笔记本), the report forms
//! (民意报告单) that come of their visits and of the other channels, and how the centers triage
//! them — registered as cases, answered on the spot, merged into a case, guided elsewhere, or
//! still waiting in the queue.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Duration, FixedOffset};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::text;
use crate::config::Config;
use crate::domain::records::{NewReport, NewVisit, RecordKey, ReportStatus};
use crate::domain::{Account, CaseKey, Center, NewCase, Role, Session};
use crate::store::{StoreError, Writer};

/// Of the cases that arrive through a report form, how many more forms come in that end
/// otherwise (当场答复, 并案, 引导): about four in ten forms are not registered.
const OTHER_FORMS_PER_REGISTERED: f64 = 0.6;

/// What the demo wrote besides cases.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub visits: u64,
    pub reports: u64,
    /// Reports still waiting for triage at the end.
    pub pending: u64,
    pub meetings: u64,
}

/// A report form written for a case about to be registered from it (立案).
pub(super) struct Intake {
    pub key: RecordKey,
    pub received: DateTime<FixedOffset>,
    pub triager: Session,
    /// The cadre whose visit it came of.
    pub cadre: Option<Session>,
}

/// The people of the field and the state the demo keeps of them.
pub(super) struct Field {
    /// The records' own random stream, so that the cases stay what the seed makes them
    /// whatever the records draw.
    pub rng: ChaCha8Rng,
    /// The cadres who visit in a town: its own 网格员 if it has one, else the county's 驻村干部
    /// assigned to it.
    cadres: HashMap<String, Vec<Session>>,
    /// A town center's clerk triages its queue and keeps its meetings; the county's clerks do
    /// for towns without one.
    town_clerks: HashMap<String, Session>,
    county_clerks: Vec<Session>,
    /// The latest case registered in each town: where a repeat report is merged (并案).
    pub recent: HashMap<String, CaseKey>,
    pub tally: Tally,
    config: Arc<Config>,
    categories: Vec<String>,
    /// The demo's history runs from `start` to `now`.
    start: DateTime<FixedOffset>,
    now: DateTime<FixedOffset>,
}

impl Field {
    pub fn new(
        accounts: &[Account],
        county_clerks: Vec<Session>,
        config: Arc<Config>,
        seed: u64,
        (start, now): (DateTime<FixedOffset>, DateTime<FixedOffset>),
    ) -> Field {
        let mut cadres: HashMap<String, Vec<Session>> = HashMap::new();
        let mut town_clerks = HashMap::new();
        let mut roaming = Vec::new();
        for a in accounts.iter().filter(|a| a.active) {
            match (&a.role, &a.center) {
                (Role::Cadre, Center::Town(t)) => cadres
                    .entry(t.clone())
                    .or_default()
                    .push(Session::new(a.clone())),
                (Role::Cadre, Center::County) => roaming.push(Session::new(a.clone())),
                (Role::Clerk, Center::Town(t)) => {
                    town_clerks
                        .entry(t.clone())
                        .or_insert_with(|| Session::new(a.clone()));
                }
                _ => {}
            }
        }
        // The county's cadres share the towns that have none of their own, in turn.
        if !roaming.is_empty() {
            let uncovered: Vec<&str> = config
                .towns
                .iter()
                .map(|t| t.name.as_str())
                .filter(|t| !cadres.contains_key(*t))
                .collect();
            for (i, town) in uncovered.into_iter().enumerate() {
                let who = roaming[i * roaming.len() / config.towns.len().max(1)].clone();
                cadres.entry(town.to_string()).or_default().push(who);
            }
        }
        Field {
            rng: ChaCha8Rng::seed_from_u64(seed ^ 0x6d69_6e73_6869_2d31),
            cadres,
            town_clerks,
            county_clerks,
            recent: HashMap::new(),
            tally: Tally::default(),
            categories: config.categories().cloned().collect(),
            config,
            start,
            now,
        }
    }

    /// The end of the demo's history.
    pub fn now(&self) -> DateTime<FixedOffset> {
        self.now
    }

    fn cadre(&mut self, town: &str) -> Option<Session> {
        self.cadres
            .get(town)
            .and_then(|list| list.choose(&mut self.rng))
            .cloned()
    }

    /// Who triages a town center's forms and keeps its meetings.
    pub fn clerk_of(&mut self, town: &str) -> Option<Session> {
        if let Some(c) = self.town_clerks.get(town) {
            return Some(c.clone());
        }
        self.county_clerks.choose(&mut self.rng).cloned()
    }

    /// When a form came in, some time before the clerk registers its matter: most within the
    /// day, some a couple of days before.
    fn lead(&mut self, registered: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
        let days = if self.rng.random_bool(0.85) {
            self.rng.random_range(0.02..1.0)
        } else {
            self.rng.random_range(1.0..3.0)
        };
        let at = super::working_hours(registered - Duration::minutes((days * 1440.0) as i64));
        if at > registered {
            (registered - Duration::minutes(10)).max(self.start)
        } else {
            at.max(self.start)
        }
    }

    /// If a case of this channel arrives through a report form (a cadre's visit, or a form of
    /// the WeChat group, the QR code, the platforms or a call), write the form (and the visit)
    /// before `registered`, for the caller to register the case from it.
    pub fn intake(
        &mut self,
        w: &mut Writer,
        case: &NewCase,
        registered: DateTime<FixedOffset>,
    ) -> Result<Option<Intake>, StoreError> {
        let config = Arc::clone(&self.config);
        let source = case.channel.as_str();
        if !config.records.report_sources.iter().any(|s| s == source) {
            return Ok(None);
        }
        let visited = matches!(source, "入户走访" | "网格员");
        let by_form = matches!(
            source,
            "微信群" | "信访二维码" | "民生平台" | "综治E通" | "电话"
        ) && self.rng.random_bool(0.5);
        if !visited && !by_form {
            return Ok(None);
        }
        let Some(triager) = self.clerk_of(&case.town) else {
            return Ok(None);
        };
        // A call is written down by the center's clerk; the rest by the town's cadre.
        let recorder = if source == "电话" {
            Some(triager.clone())
        } else {
            self.cadre(&case.town)
        };
        let Some(recorder) = recorder else {
            return Ok(None);
        };
        let received = self.lead(registered);
        let report = NewReport {
            source: source.to_string(),
            reporter: if source == "电话" {
                case.name.clone()
            } else {
                String::new()
            },
            reporter_phone: if source == "电话" {
                case.phone.clone()
            } else {
                None
            },
            name: case.name.clone(),
            id_number: case.id_number.clone(),
            phone: case.phone.clone(),
            town: case.town.clone(),
            village: case.village.clone(),
            address: case.address.clone(),
            request: case.request.clone(),
            facts: case.facts.clone(),
            opinion: "请综治中心研判后分流办理".into(),
            center: Some(Center::Town(case.town.clone())),
            visit: None,
            received_at: Some(received),
        };
        let key = if visited {
            let kind = if source == "网格员" {
                "矛盾纠纷排查"
            } else if self.rng.random_bool(0.3) {
                "双包一访"
            } else {
                "入户走访"
            };
            let visit = self.visit_of(case, kind, received, vec![report]);
            let (_, keys) = w.add_visit(&visit, &recorder, received)?;
            self.tally.visits += 1;
            keys.first().copied()
        } else {
            Some(w.add_report(&report, &recorder, received, None)?.1)
        };
        let Some(key) = key else {
            return Ok(None);
        };
        self.tally.reports += 1;
        Ok(Some(Intake {
            key,
            received,
            triager,
            cadre: visited.then_some(recorder),
        }))
    }

    fn visit_of(
        &mut self,
        case: &NewCase,
        kind: &str,
        at: DateTime<FixedOffset>,
        reports: Vec<NewReport>,
    ) -> NewVisit {
        let kinds = &self.config.records.visit_kinds;
        let kind = if kinds.iter().any(|k| k == kind) {
            kind.to_string()
        } else {
            kinds[0].clone()
        };
        NewVisit {
            visited_on: at.date_naive(),
            companions: if self.rng.random_bool(0.4) {
                vec![text::name(&mut self.rng)]
            } else {
                Vec::new()
            },
            name: case.name.clone(),
            phone: case.phone.clone(),
            town: case.town.clone(),
            village: case.village.clone(),
            group: case
                .address
                .split_once('社')
                .map(|(n, _)| format!("{n}社"))
                .unwrap_or_default(),
            address: case.address.clone(),
            kind,
            situation: text::SITUATIONS
                .choose(&mut self.rng)
                .unwrap_or(&"")
                .to_string(),
            raised: case.request.clone(),
            answered: String::new(),
            follow_up: if reports.is_empty() {
                String::new()
            } else {
                "填写民意报告单报送镇综治中心研判".into()
            },
            reports,
        }
    }

    /// A visit with nothing to report: the cadre calls on another household of the town the
    /// same day; a small question, if any, is answered at the door.
    pub fn quiet_visit(
        &mut self,
        w: &mut Writer,
        cadre: &Session,
        like: &NewCase,
        at: DateTime<FixedOffset>,
    ) -> Result<(), StoreError> {
        let mut household = like.clone();
        household.name = text::name(&mut self.rng);
        household.phone = text::phone(&mut self.rng).filter(|_| self.rng.random_bool(0.6));
        household.address = format!(
            "{}社{}号",
            self.rng.random_range(1..12),
            self.rng.random_range(1..90)
        );
        let (raised, answered) = *text::ANSWERED_AT_THE_DOOR
            .choose(&mut self.rng)
            .unwrap_or(&("", ""));
        let config = Arc::clone(&self.config);
        let kinds: Vec<&String> = config
            .records
            .visit_kinds
            .iter()
            .filter(|k| k.as_str() != "矛盾纠纷排查")
            .collect();
        let kind = kinds
            .choose(&mut self.rng)
            .map_or("入户走访", |k| k.as_str());
        let mut visit = self.visit_of(&household, kind, at, Vec::new());
        visit.raised = raised.to_string();
        visit.answered = answered.to_string();
        w.add_visit(&visit, cadre, at)?;
        self.tally.visits += 1;
        Ok(())
    }

    /// A form that will not be registered, about the time a registered one came in: from a
    /// visit or another channel, of any town; then its triage, if its time has come by the end.
    pub fn other_form(
        &mut self,
        w: &mut Writer,
        registered: DateTime<FixedOffset>,
    ) -> Result<(), StoreError> {
        let config = Arc::clone(&self.config);
        let Some(town) = config.towns.choose(&mut self.rng) else {
            return Ok(());
        };
        let town = town.clone();
        let Some(cadre) = self.cadre(&town.name) else {
            return Ok(());
        };
        let village = town
            .villages
            .choose(&mut self.rng)
            .cloned()
            .unwrap_or_default();
        let category = self
            .categories
            .choose(&mut self.rng)
            .cloned()
            .unwrap_or_default();
        let (request, facts) = text::matter(&category, &mut self.rng);
        let received = self.lead(registered);
        let from_visit = self.rng.random_bool(0.6);
        let sources: &[&str] = if from_visit {
            &["入户走访", "网格员"]
        } else {
            &["微信群", "信访二维码", "民生平台", "综治E通", "信件"]
        };
        let source = sources.choose(&mut self.rng).unwrap_or(&"入户走访");
        if !config.records.report_sources.iter().any(|s| s == source) {
            return Ok(());
        }
        let name = text::name(&mut self.rng);
        let phone = text::phone(&mut self.rng);
        let address = format!(
            "{}社{}号",
            self.rng.random_range(1..12),
            self.rng.random_range(1..90)
        );
        let report = NewReport {
            source: source.to_string(),
            reporter: String::new(),
            reporter_phone: None,
            name: name.clone(),
            id_number: None,
            phone: phone.clone(),
            town: town.name.clone(),
            village: village.clone(),
            address: address.clone(),
            request: request.clone(),
            facts: facts.clone(),
            opinion: String::new(),
            center: Some(Center::Town(town.name.clone())),
            visit: None,
            received_at: Some(received),
        };
        let key = if from_visit {
            let household = NewCase {
                name,
                id_number: None,
                phone,
                gender: None,
                birth_date: None,
                town: town.name.clone(),
                village,
                address,
                channel: source.to_string(),
                category,
                route: crate::domain::Route::Timed,
                level: None,
                unit: None,
                request,
                facts,
                reasons: String::new(),
                place: String::new(),
                urgent: false,
                legal: false,
                group_size: 1,
                representatives: Vec::new(),
                received_at: None,
                answer: None,
            };
            let visit = self.visit_of(&household, "入户走访", received, vec![report]);
            let (_, keys) = w.add_visit(&visit, &cadre, received)?;
            self.tally.visits += 1;
            keys.first().copied()
        } else {
            Some(w.add_report(&report, &cadre, received, None)?.1)
        };
        if let Some(key) = key {
            self.tally.reports += 1;
            self.settle(w, key, &town.name, received)?;
        }
        Ok(())
    }

    /// When a form is triaged, some time after it came in: most within a working day or two,
    /// a few left waiting past the limit.
    pub fn triage_time(&mut self, received: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
        let roll: f64 = self.rng.random();
        // Most within two days; one in twenty waits past the limit (a few of them are still
        // waiting at the end, late on the board's header).
        let days = if roll < 0.85 {
            self.rng.random_range(0.05..2.0)
        } else if roll < 0.95 {
            self.rng.random_range(2.0..4.0)
        } else {
            self.rng.random_range(5.0..20.0)
        };
        super::working_hours(received + Duration::minutes((days * 1440.0) as i64))
    }

    /// Triage a form that is not registered: 当场答复, 并案 into the town's latest case, or 引导
    /// — or nothing yet, if its time has not come by the end.
    pub fn settle(
        &mut self,
        w: &mut Writer,
        key: RecordKey,
        town: &str,
        received: DateTime<FixedOffset>,
    ) -> Result<(), StoreError> {
        let at = self.triage_time(received);
        if at > self.now {
            self.tally.pending += 1;
            return Ok(());
        }
        let Some(clerk) = self.clerk_of(town) else {
            self.tally.pending += 1;
            return Ok(());
        };
        let roll: f64 = self.rng.random();
        match self.recent.get(town).copied() {
            Some(case) if roll < 0.2 => {
                w.triage_merge(key, case, "与已登记案件反映的是同一事项", &clerk, at)?;
            }
            _ if roll < 0.45 => {
                let text = text::GUIDES.choose(&mut self.rng).unwrap_or(&"");
                w.triage_answer(key, ReportStatus::Guided, text, &clerk, at)?;
            }
            _ => {
                let text = text::ANSWERS.choose(&mut self.rng).unwrap_or(&"");
                w.triage_answer(key, ReportStatus::Answered, text, &clerk, at)?;
            }
        }
        Ok(())
    }

    /// After a case registered from a form: the forms that are not registered, in proportion,
    /// and the cadre's visits with nothing to report.
    pub fn around(
        &mut self,
        w: &mut Writer,
        case: &NewCase,
        intake: &Intake,
        registered: DateTime<FixedOffset>,
    ) -> Result<(), StoreError> {
        if let Some(cadre) = &intake.cadre {
            let at = super::working_hours(
                intake.received + Duration::minutes(self.rng.random_range(20..180)),
            );
            self.quiet_visit(w, cadre, case, at.min(self.now))?;
        }
        if self.rng.random_bool(OTHER_FORMS_PER_REGISTERED) {
            self.other_form(w, registered)?;
        }
        Ok(())
    }
}

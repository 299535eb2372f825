//! `minshi demo`: a realistic synthetic history for trying the program and for benchmarks —
//! people with valid ID numbers, every town and category, every state of the lifecycle, some
//! overdue; the cadres' visits and report forms with their triage, the 民心沟通会 that feed cases
//! back and revisit their parties. Everything goes through the `Writer` the counter uses, with
//! the same permissions and lifecycle.

mod field;
mod meetings;
mod text;

use chrono::{DateTime, Duration, FixedOffset, Timelike};
use rand::distr::weighted::WeightedIndex;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub use field::Tally;

use crate::config::Config;
use crate::domain::records::RecordKey;
use crate::domain::{
    Account, Action, CaseKey, Center, Gender, IdNumber, Level, NewCase, Outcome, Role, Route,
    Satisfaction, Session,
};
use crate::store::{NewAccount, Store, StoreError, Writer};

const WAYS: &[&str] = &["电话", "上门", "短信", "当面"];

/// The password of every demo account: printed by `minshi demo`, never for a real register.
pub const DEMO_PASSWORD: &str = "minshi2026";

/// One account per role (two clerks of the county, one of a town), and the cadres who visit:
/// 首阳镇's 网格员 and four 驻村干部 of the county, who share the other towns.
const DEMO_ACCOUNTS: &[(&str, &str, Role, &str)] = &[
    ("admin", "王建国", Role::Admin, ""),
    ("zhangli", "张丽", Role::Clerk, ""),
    ("liming", "李明", Role::Clerk, ""),
    ("wangfang", "王芳", Role::Supervisor, ""),
    ("zhaomin", "赵敏", Role::Clerk, "首阳镇"),
    ("mahui", "马慧", Role::Cadre, "首阳镇"),
    ("yangfan", "杨帆", Role::Cadre, ""),
    ("hejing", "何静", Role::Cadre, ""),
    ("goujun", "苟军", Role::Cadre, ""),
    ("qihaiyan", "漆海燕", Role::Cadre, ""),
];

/// How matters reach a county's centers: most at the counter (来访, 电话, 信件) and through the
/// cadres (入户走访, 网格员). A 民心沟通会's matters come from its opinions, not from this table;
/// a configured channel not named here is rare.
const CHANNEL_WEIGHTS: &[(&str, u32)] = &[
    ("来访", 32),
    ("入户走访", 17),
    ("网格员", 13),
    ("电话", 9),
    ("微信群", 6),
    ("信访二维码", 4),
    ("民生平台", 4),
    ("综治E通", 4),
    ("上级转办", 4),
    ("信件", 3),
    ("电子邮件", 1),
    ("民心沟通会", 0),
];

/// Of the cases ended, the share fed back at the next 民心沟通会 of their area, and of those, the
/// share whose 回访 is done there.
const FED_BACK: f64 = 0.4;
const REVISITED_AT_MEETING: f64 = 0.3;

/// On a register without accounts, make the demo accounts (the 管理员 bound to the OS user who
/// runs the demo). Returns the accounts made; none when the register already had some.
pub fn accounts(store: &mut Store, now: DateTime<FixedOffset>) -> Result<Vec<Account>, StoreError> {
    if store.has_accounts()? {
        return Ok(Vec::new());
    }
    let mut made = Vec::new();
    let mut admin: Option<Session> = None;
    for (login, name, role, center) in DEMO_ACCOUNTS {
        let new = NewAccount {
            login: login.to_string(),
            real_name: name.to_string(),
            role: *role,
            center: Center::from_code(center),
            os_user: (*role == Role::Admin).then(crate::clock::os_user),
        };
        let a = store.add_account(&new, DEMO_PASSWORD, admin.as_ref(), now)?;
        if admin.is_none() {
            admin = Some(Session::new(a.clone()));
        }
        made.push(a);
    }
    Ok(made)
}

/// Who does what in the generated history: clerks register and record, a 值班长 approves.
struct Cast {
    clerks: Vec<Session>,
    supervisor: Session,
    accounts: Vec<Account>,
}

fn cast(store: &Store) -> Result<Cast, StoreError> {
    let all: Vec<Account> = store.accounts()?.into_iter().filter(|a| a.active).collect();
    let of = |role: Role| -> Vec<Session> {
        all.iter()
            .filter(|a| a.role == role && a.center == Center::County)
            .cloned()
            .map(Session::new)
            .collect()
    };
    let supervisor = of(Role::Supervisor)
        .into_iter()
        .chain(of(Role::Admin))
        .next()
        .ok_or_else(|| {
            StoreError::Refused(crate::domain::Refusal(
                "生成演示数据需要一个县中心的值班长或管理员账号".into(),
            ))
        })?;
    let mut clerks = of(Role::Clerk);
    if clerks.is_empty() {
        clerks.push(supervisor.clone());
    }
    Ok(Cast {
        clerks,
        supervisor,
        accounts: all,
    })
}

/// A time within working hours, never earlier than `t`: the night moved to the next morning.
fn working_hours(t: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    let hour = t.hour();
    if hour < 8 {
        t.with_hour(8 + hour).unwrap_or(t)
    } else if hour >= 18 {
        (t + Duration::days(1)).with_hour(hour - 10).unwrap_or(t)
    } else {
        t
    }
}

/// The days a demo of `n` cases spans: at Longxi's pace (13,786 in two years) up to two years;
/// a larger register packs more into each day (1,370 a day for a million). Never fewer than
/// 120 days, so every state shows.
fn span_days(n: u64) -> i64 {
    ((n as f64 / meetings::COUNTY_PER_DAY).round() as i64).clamp(120, 730)
}

/// What `generate` made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Made {
    pub cases: u64,
    pub records: Tally,
}

/// Generate `n` cases received over the period before `now`, with the visits, report forms and
/// meetings of their county, through the same writes the counter uses. Reports progress (cases
/// made) every batch.
pub fn generate(
    store: &mut Store,
    n: u64,
    seed: u64,
    now: DateTime<FixedOffset>,
    progress: &mut dyn FnMut(u64),
) -> Result<Made, StoreError> {
    let config = store.config_arc();
    let cast = cast(store)?;
    let span_days = span_days(n);
    let start = now - Duration::days(span_days);
    let step = Duration::days(span_days).num_seconds() as f64 / n.max(1) as f64;
    let mut field = field::Field::new(
        &cast.accounts,
        cast.clerks.clone(),
        std::sync::Arc::clone(&config),
        seed,
        (start, now),
    );
    let meetings = meetings::Schedule::new(
        &config,
        &mut field.rng,
        start,
        now,
        n as f64 / span_days as f64,
    );
    let weights: Vec<u32> = config
        .channels
        .iter()
        .map(|c| {
            CHANNEL_WEIGHTS
                .iter()
                .find(|(name, _)| name == c)
                .map_or(1, |(_, w)| *w)
        })
        .collect();
    let mut demo = Demo {
        categories: config.categories().cloned().collect(),
        channels: WeightedIndex::new(&weights).ok(),
        config,
        cast,
        rng: ChaCha8Rng::seed_from_u64(seed),
        field,
        meetings,
        start,
        step,
        now,
        last_key: None,
    };
    store.set_bulk_mode(true)?;
    let mut made = 0;
    const BATCH: u64 = 20_000;
    while made < n {
        let mut w = store.write()?;
        let end = (made + BATCH).min(n);
        for i in made..end {
            demo.case(&mut w, i)?;
        }
        if end == n {
            // The meetings after the last case, up to the end.
            demo.hold_meetings(&mut w, now)?;
        }
        w.commit()?;
        made = end;
        progress(made);
    }
    store.set_bulk_mode(false)?;
    let mut records = demo.field.tally;
    records.pending += demo.meetings.left_waiting();
    Ok(Made {
        cases: made,
        records,
    })
}

/// The generator's state between cases.
struct Demo {
    config: std::sync::Arc<Config>,
    categories: Vec<String>,
    channels: Option<WeightedIndex<u32>>,
    cast: Cast,
    /// The cases' random stream (the records draw from `field.rng`).
    rng: ChaCha8Rng,
    field: field::Field,
    meetings: meetings::Schedule,
    start: DateTime<FixedOffset>,
    step: f64,
    now: DateTime<FixedOffset>,
    last_key: Option<CaseKey>,
}

/// A case's ending, remembered for the meeting that feeds it back.
struct FedBack {
    meeting: RecordKey,
    at: DateTime<FixedOffset>,
    keeper: Session,
}

impl Demo {
    fn hold_meetings(
        &mut self,
        w: &mut Writer,
        until: DateTime<FixedOffset>,
    ) -> Result<(), StoreError> {
        self.meetings
            .hold_until(w, &mut self.field, &self.categories, until)
    }

    /// The `i`th case: how it arrives, its registration and its life up to the end.
    fn case(&mut self, w: &mut Writer, i: u64) -> Result<(), StoreError> {
        let config = std::sync::Arc::clone(&self.config);
        let now = self.now;
        let mut registered = self.start + Duration::seconds((i as f64 * self.step) as i64);
        // Office hours: fold the night into the working day.
        let hour = registered.hour();
        if !(8..18).contains(&hour) {
            registered = registered.with_hour(8 + hour % 10).unwrap_or(registered);
        }
        if registered > now {
            registered = now;
        }
        self.hold_meetings(w, registered)?;
        let rng = &mut self.rng;
        let town = config.towns.choose(rng).expect("towns are not empty");
        let village = if town.villages.is_empty() {
            format!(
                "{}村",
                ["东", "西", "南", "北", "中", "上", "下"]
                    .choose(rng)
                    .unwrap_or(&"东")
            )
        } else {
            town.villages.choose(rng).cloned().unwrap_or_default()
        };
        let mut category = self.categories.choose(rng).cloned().unwrap_or_default();
        let gender = if rng.random_bool(0.5) {
            Gender::Male
        } else {
            Gender::Female
        };
        let name = text::name(rng);
        let id = rng
            .random_bool(0.8)
            .then(|| text::id_number(rng, &config.county.code, gender));
        let phone = text::phone(rng);
        let (mut request, mut facts) = text::matter(&category, rng);
        let group_size = if rng.random_bool(0.05) {
            rng.random_range(2..20)
        } else {
            1
        };
        let representatives = if group_size > 1 {
            (0..group_size.min(3)).map(|_| text::name(rng)).collect()
        } else {
            Vec::new()
        };
        let channel = match &self.channels {
            Some(d) => config.channels[rng.sample(d)].clone(),
            None => config.channels.choose(rng).cloned().unwrap_or_default(),
        };
        let mut case = NewCase {
            name,
            gender: Some(id.as_ref().map_or(gender, IdNumber::gender)),
            birth_date: id.as_ref().map(IdNumber::birth_date),
            id_number: id,
            phone,
            town: town.name.clone(),
            village: village.clone(),
            address: format!("{}社{}号", rng.random_range(1..12), rng.random_range(1..90)),
            channel,
            category: String::new(),
            route: Route::Timed,
            level: None,
            unit: None,
            request: String::new(),
            facts: String::new(),
            reasons: String::new(),
            place: String::new(),
            urgent: rng.random_bool(0.03),
            legal: false,
            group_size,
            representatives,
            received_at: Some(registered),
            answer: None,
        };
        let clerk = self
            .cast
            .clerks
            .choose(rng)
            .unwrap_or(&self.cast.supervisor)
            .clone();
        // A report raised at a 民心沟通会 whose registration is due takes this case's place.
        let waiting = self.meetings.take_waiting(registered);
        if let Some(m) = &waiting {
            case.town = m.town.clone();
            case.village = if m.village.is_empty() {
                village
            } else {
                m.village.clone()
            };
            case.name = m.speaker.clone();
            case.channel = "民心沟通会".into();
            category = m.category.clone();
            request = m.request.clone();
            facts = m.facts.clone();
        }
        let route = match category.as_str() {
            "政策咨询" if rng.random_bool(0.6) => Route::OnTheSpot,
            "建议意见" | "基础设施" if rng.random_bool(0.3) => Route::Referred,
            "基础设施" if rng.random_bool(0.2) => Route::Project,
            _ if rng.random_bool(0.04) => Route::LegalChannel,
            _ => Route::Timed,
        };
        case.place = format!("{}{}", case.town, case.village);
        case.category = category.clone();
        case.request = request;
        case.facts = facts;
        case.route = route;
        case.legal = route == Route::LegalChannel;

        let key = match waiting {
            Some(m) => {
                let Some(triager) = self.field.clerk_of(&case.town) else {
                    return Err(no_clerk());
                };
                case.received_at = Some(m.at.min(registered));
                w.triage_register(m.key, &case, &triager, registered)?
            }
            None => {
                let intake = self.field.intake(w, &case, registered)?;
                match intake {
                    Some(intake) => {
                        case.received_at = Some(intake.received);
                        let key =
                            w.triage_register(intake.key, &case, &intake.triager, registered)?;
                        self.field.around(w, &case, &intake, registered)?;
                        key
                    }
                    None => w.register(&case, &clerk, registered)?.1,
                }
            }
        };
        self.field.recent.insert(case.town.clone(), key);
        self.life(w, key, &case, registered, &clerk)
    }

    /// What happens to a registered case up to the end: the normal path, with some merged,
    /// declined, late, extended, urged, reopened; fed back at a meeting of its area.
    fn life(
        &mut self,
        w: &mut Writer,
        key: CaseKey,
        case: &NewCase,
        registered: DateTime<FixedOffset>,
        clerk: &Session,
    ) -> Result<(), StoreError> {
        let config = std::sync::Arc::clone(&self.config);
        let supervisor = self.cast.supervisor.clone();
        let now = self.now;
        let received = case.received_at.unwrap_or(registered);
        let category = case.category.as_str();
        let route = case.route;
        let rule = config.deadline_rule(route, category);
        let due = config.calendar.due(received.date_naive(), rule.span).date;
        let allowed = |t: DateTime<FixedOffset>| t <= now;
        let at = |days: f64| registered + Duration::minutes((days * 24.0 * 60.0) as i64);
        let rng = &mut self.rng;

        // Endings that skip the normal path.
        if let Some(earlier) = self.last_key.filter(|_| rng.random_bool(0.02)) {
            w.act(key, &Action::Merge { into: earlier }, clerk, registered)?;
            return Ok(());
        }
        self.last_key = Some(key);
        if route == Route::LegalChannel || rng.random_bool(0.02) {
            let t = at(0.5);
            if allowed(t) {
                w.act(
                    key,
                    &Action::Decline {
                        reason: "属于诉讼程序处理的事项，已告知当事人依法向人民法院起诉".into(),
                    },
                    &supervisor,
                    t,
                )?;
            }
            return Ok(());
        }
        // Days left at registration (a form may have waited a day or two before it).
        let allotted = (due - registered.date_naive()).num_days().max(1) as f64;
        // Most finish within their time; one in ten runs late.
        let takes = if rng.random_bool(0.1) {
            allotted + rng.random_range(3.0..40.0)
        } else {
            rng.random_range(0.2..1.0) * allotted
        };
        if route != Route::OnTheSpot {
            let (level, unit) = pick_unit(&config, &case.town, &case.village, category, rng);
            let t = at(0.1);
            if !allowed(t) {
                return Ok(());
            }
            w.act(
                key,
                &Action::Dispatch {
                    level,
                    unit,
                    note: String::new(),
                },
                clerk,
                t,
            )?;
            let t = at(0.6);
            if !allowed(t) {
                return Ok(());
            }
            w.act(
                key,
                &Action::Accept {
                    note: String::new(),
                },
                clerk,
                t,
            )?;
            // One in a hundred stalls: accepted, never ended (the oldest of the overdue).
            if rng.random_bool(0.01) {
                return Ok(());
            }
            if rng.random_bool(0.4) {
                let t = at(takes / 2.0);
                if allowed(t) {
                    w.act(
                        key,
                        &Action::Progress {
                            note: "已约谈双方，正在调查核实".into(),
                            happened_on: None,
                        },
                        clerk,
                        t,
                    )?;
                }
            }
            if takes > allotted && rng.random_bool(0.3) {
                let t = at(allotted - 1.0);
                if allowed(t) && t > at(0.6) {
                    w.act(
                        key,
                        &Action::Extend {
                            days: 30,
                            reason: "案情复杂，需进一步调查取证".into(),
                        },
                        &supervisor,
                        t,
                    )?;
                }
            }
            if takes > allotted {
                let t = at(allotted + 1.0);
                if allowed(t) {
                    w.act(
                        key,
                        &Action::Urge {
                            note: "已超期，请加快办理并报告进展".into(),
                        },
                        &supervisor,
                        t,
                    )?;
                }
            }
        }
        let t = if route == Route::OnTheSpot {
            at(0.05)
        } else {
            at(takes)
        };
        if !allowed(t) {
            return Ok(());
        }
        let outcome = match category {
            c if config.category_group(c) == Some(crate::config::CategoryGroup::Dispute) => {
                if rng.random_bool(0.88) {
                    Outcome::Mediated
                } else {
                    Outcome::MediationFailed
                }
            }
            _ => *[
                Outcome::Supported,
                Outcome::Explained,
                Outcome::NotSupported,
            ]
            .choose(rng)
            .unwrap_or(&Outcome::Explained),
        };
        let result = match outcome {
            Outcome::Mediated => "经调解双方达成协议，已履行完毕",
            Outcome::MediationFailed => "调解未达成一致，已告知当事人通过诉讼或仲裁途径解决",
            Outcome::Supported => "诉求合理，已协调相关部门落实",
            Outcome::Explained => "已向当事人解释相关政策，当事人表示理解",
            Outcome::NotSupported => "诉求缺乏政策依据，已书面答复并说明理由",
        };
        w.act(
            key,
            &Action::Close {
                outcome,
                result: result.into(),
                basis: String::new(),
            },
            clerk,
            t,
        )?;
        let closed = t;
        // The meeting of its area that will hear how it ended.
        let mut fed_back = None;
        if self.field.rng.random_bool(FED_BACK) {
            fed_back = self
                .meetings
                .next_after(w, &mut self.field, &case.town, &case.village, closed)?
                .map(|(meeting, at, keeper)| FedBack {
                    meeting,
                    at,
                    keeper,
                });
        }
        let rng = &mut self.rng;
        let mut t = t + Duration::days(rng.random_range(1..4));
        let satisfaction = *[
            Satisfaction::VerySatisfied,
            Satisfaction::Satisfied,
            Satisfaction::Satisfied,
            Satisfaction::FairlySatisfied,
            Satisfaction::FairlySatisfied,
            Satisfaction::Dissatisfied,
            Satisfaction::VeryDissatisfied,
        ]
        .choose(rng)
        .unwrap_or(&Satisfaction::Satisfied);
        let way = WAYS.choose(rng).unwrap_or(&"电话").to_string();
        let revisit = fed_back.take_if(|_| self.field.rng.random_bool(REVISITED_AT_MEETING));
        match revisit {
            // The party is revisited at the meeting (which feeds the case back too).
            Some(m) => {
                let note = text::REVISIT_NOTES
                    .choose(&mut self.field.rng)
                    .unwrap_or(&"");
                w.revisit(m.meeting, key, satisfaction, note, &m.keeper, m.at)?;
                t = m.at;
            }
            None => {
                if !allowed(t) {
                    return feed_back(w, key, fed_back, None);
                }
                w.act(
                    key,
                    &Action::FollowUp {
                        date: t.date_naive(),
                        way,
                        satisfaction,
                        notes: String::new(),
                    },
                    clerk,
                    t,
                )?;
            }
        }
        let rng = &mut self.rng;
        if !satisfaction.is_satisfied() && rng.random_bool(0.5) {
            let t = t + Duration::days(1);
            // Told at a meeting before it was reopened; not after.
            feed_back(w, key, fed_back, Some(t))?;
            if !allowed(t) {
                return Ok(());
            }
            w.act(
                key,
                &Action::Reopen {
                    reason: "当事人对办理结果不满意".into(),
                },
                &supervisor,
                t,
            )?;
            return self.handle_again(w, key, t, clerk);
        }
        feed_back(w, key, fed_back, None)?;
        let t = t + Duration::days(rng.random_range(3..15));
        if allowed(t) {
            w.act(
                key,
                &Action::Archive {
                    note: String::new(),
                },
                clerk,
                t,
            )?;
        }
        Ok(())
    }
}

impl Demo {
    /// A reopened case handled again: closed within weeks, revisited a second time (most are
    /// satisfied now), archived; or still in hand at the end if that is recent.
    fn handle_again(
        &mut self,
        w: &mut Writer,
        key: CaseKey,
        reopened: DateTime<FixedOffset>,
        clerk: &Session,
    ) -> Result<(), StoreError> {
        let now = self.now;
        let rng = &mut self.rng;
        let closed = reopened + Duration::hours(rng.random_range(5 * 24..30 * 24));
        if closed > now {
            return Ok(());
        }
        w.act(
            key,
            &Action::Close {
                outcome: Outcome::Supported,
                result: "重新核查后再次协调，已按当事人合理诉求落实".into(),
                basis: String::new(),
            },
            clerk,
            closed,
        )?;
        let revisited = closed + Duration::days(rng.random_range(1..4));
        if revisited > now {
            return Ok(());
        }
        let satisfaction = *[
            Satisfaction::Satisfied,
            Satisfaction::Satisfied,
            Satisfaction::FairlySatisfied,
            Satisfaction::FairlySatisfied,
            Satisfaction::Dissatisfied,
        ]
        .choose(rng)
        .unwrap_or(&Satisfaction::Satisfied);
        w.act(
            key,
            &Action::FollowUp {
                date: revisited.date_naive(),
                way: WAYS.choose(rng).unwrap_or(&"电话").to_string(),
                satisfaction,
                notes: String::new(),
            },
            clerk,
            revisited,
        )?;
        let archived = revisited + Duration::days(rng.random_range(3..15));
        if archived <= now {
            w.act(
                key,
                &Action::Archive {
                    note: String::new(),
                },
                clerk,
                archived,
            )?;
        }
        Ok(())
    }
}

/// Feed an ended case back at its meeting, if it has one held before `before`.
fn feed_back(
    w: &mut Writer,
    key: CaseKey,
    fed_back: Option<FedBack>,
    before: Option<DateTime<FixedOffset>>,
) -> Result<(), StoreError> {
    match fed_back {
        Some(m) if before.is_none_or(|b| m.at < b) => {
            w.feedback(m.meeting, key, "", &m.keeper, m.at)
        }
        _ => Ok(()),
    }
}

fn no_clerk() -> StoreError {
    StoreError::Refused(crate::domain::Refusal(
        "生成演示数据需要一个县中心的受理员、值班长或管理员账号".into(),
    ))
}

fn pick_unit(
    config: &crate::config::Config,
    town: &str,
    village: &str,
    category: &str,
    rng: &mut ChaCha8Rng,
) -> (Level, String) {
    let village_unit = config.village_committee(town, village);
    let roll: f64 = rng.random();
    if roll < 0.3 && config.is_unit(&village_unit) {
        return (Level::Village, village_unit);
    }
    if roll < 0.8 {
        let kind = match category {
            "劳动争议" | "婚姻家庭" | "邻里" | "房屋宅基地" | "赡养继承" => {
                "司法所"
            }
            "道路交通事故" | "投诉举报" => "派出所",
            _ => "人民政府",
        };
        let unit = format!("{town}{kind}");
        if config.is_unit(&unit) {
            return (Level::Township, unit);
        }
    }
    let county = match category {
        "劳动争议" => "县人力资源和社会保障局",
        "征地拆迁" | "山林土地" => "县自然资源局",
        "医疗" => "县卫生健康局",
        "环境污染" => "县生态环境分局",
        "求助" => "县民政局",
        "基础设施" => "县交通运输局",
        "消费" => "县市场监督管理局",
        _ => "县司法局",
    };
    (Level::County, county.to_string())
}

#[cfg(test)]
mod tests {
    use super::span_days;

    #[test]
    fn longxis_two_years_at_longxis_pace_and_a_million_in_two_years_too() {
        assert_eq!(span_days(13_786), 730);
        assert_eq!(span_days(1_000_000), 730);
        assert_eq!(span_days(6_893), 365);
        assert_eq!(span_days(400), 120);
    }
}

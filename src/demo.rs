//! `minshi demo`: realistic synthetic cases for trying the program and for benchmarks — people
//! with valid ID numbers, every town and category, every state of the lifecycle, some overdue.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Timelike};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::domain::{
    Account, Action, CaseKey, Center, Gender, IdNumber, Level, NewCase, Outcome, Phone, Role,
    Route, Satisfaction, Session,
};
use crate::store::{NewAccount, Store, StoreError};

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "马", "何", "牛", "汪", "魏", "董", "石", "孙", "周",
    "吴", "徐", "郭", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "曹", "彭", "包", "苟",
    "漆", "令狐", "欧阳",
];
const GIVEN: &[&str] = &[
    "芳", "伟", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀兰", "霞", "平", "刚", "桂英", "建国", "建华", "国强", "志强", "玉兰", "春梅", "海燕",
    "文", "斌", "鹏", "红", "亮", "成", "福", "禄", "喜", "堃", "喆", "镕", "玥", "晓东", "永红",
    "兴旺", "有福", "改花", "存才",
];
const WAYS: &[&str] = &["电话", "上门", "短信", "当面"];

/// The password of every demo account: printed by `minshi demo`, never for a real register.
pub const DEMO_PASSWORD: &str = "minshi2026";

/// One account per role (two clerks), for trying the program.
const DEMO_ACCOUNTS: &[(&str, &str, Role, &str)] = &[
    ("admin", "王建国", Role::Admin, ""),
    ("zhangli", "张丽", Role::Clerk, ""),
    ("liming", "李明", Role::Clerk, ""),
    ("wangfang", "王芳", Role::Supervisor, ""),
    ("mahui", "马慧", Role::Cadre, "首阳镇"),
];

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
    Ok(Cast { clerks, supervisor })
}

/// What a matter of a category sounds like: the request and its facts.
fn matter(category: &str, rng: &mut ChaCha8Rng) -> (String, String) {
    let n = rng.random_range(2..60) * 500;
    let m = rng.random_range(1..12);
    let (req, facts) = match category {
        "劳动争议" => (
            format!("讨要拖欠工资{n}元，请求协调用工方尽快支付"),
            format!("本人在工地务工{m}个月，包工头以工程款未结为由拖欠工资，多次讨要未果。"),
        ),
        "婚姻家庭" => (
            "夫妻因家庭琐事长期争吵，请求调解".to_string(),
            format!("双方结婚{m}年，近来因子女抚养和家庭开支矛盾加深。"),
        ),
        "邻里" => (
            "与邻居因排水问题发生纠纷，请求调解".to_string(),
            "邻居新修院墙将排水沟堵塞，雨天积水倒灌入本人院内。".to_string(),
        ),
        "房屋宅基地" => (
            "与邻居宅基地边界存在争议，请求依法确权".to_string(),
            format!("对方建房时越界约{m}米，占用本人宅基地，协商未果。"),
        ),
        "山林土地" | "土地承包经营" => (
            "承包地被他人占用耕种，请求返还".to_string(),
            format!("本人承包的{m}亩耕地外出务工期间被同村村民耕种，回乡后要求返还被拒。"),
        ),
        "征地拆迁" => (
            format!("征地补偿款{n}元未足额发放，请求核实"),
            "道路建设征用本人耕地，补偿标准与公示不一致。".to_string(),
        ),
        "赡养继承" => (
            "子女不履行赡养义务，请求督促".to_string(),
            format!("本人年迈多病，{m}个子女互相推诿，无人承担赡养费用。"),
        ),
        "道路交通事故" => (
            format!("交通事故赔偿{n}元未到位，请求协调"),
            "对方车辆追尾致本人受伤住院，对方拒不支付医疗费。".to_string(),
        ),
        "合同" | "生产经营" => (
            format!("合作社拖欠货款{n}元，请求协调支付"),
            "本人向合作社交售中药材，合作社以资金困难为由拖欠货款。".to_string(),
        ),
        "环境污染" => (
            "养殖场气味扰民，请求整治".to_string(),
            "村内养殖场粪污随意堆放，夏季气味刺鼻，影响周边居民生活。".to_string(),
        ),
        "政策咨询" => (
            "咨询城乡居民养老保险缴费政策".to_string(),
            "本人年满六十周岁，想了解补缴和领取待遇的办理流程。".to_string(),
        ),
        "求助" => (
            "家庭困难，申请低保救助".to_string(),
            "家中主要劳动力患病，无稳定收入，子女上学开支大。".to_string(),
        ),
        "基础设施" => (
            "村道损坏严重，请求维修".to_string(),
            format!("村组道路约{m}百米路段坑洼不平，雨天无法通行，影响群众出行和农产品外运。"),
        ),
        "投诉举报" => (
            "反映村干部优亲厚友问题".to_string(),
            "村里评定低保户时存在优亲厚友现象，群众意见较大。".to_string(),
        ),
        "建议意见" => (
            "建议在村口增设路灯".to_string(),
            "村口路段夜间无照明，群众夜间出行不便且存在安全隐患。".to_string(),
        ),
        other => (
            format!("{other}，请求协调解决"),
            "双方多次协商未果，矛盾有激化苗头。".to_string(),
        ),
    };
    (req, facts)
}

fn id_number(rng: &mut ChaCha8Rng, county: &str, gender: Gender) -> IdNumber {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const C: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    let birth = NaiveDate::from_ymd_opt(1940, 1, 1).expect("valid date")
        + Duration::days(rng.random_range(0..24_000));
    let seq = rng.random_range(0..500) * 2 + u32::from(gender == Gender::Male);
    let body = format!("{county}{}{:03}", birth.format("%Y%m%d"), seq % 1000);
    let sum: u32 = body
        .chars()
        .zip(W)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    IdNumber::parse(&format!("{body}{}", C[(sum % 11) as usize])).expect("built valid")
}

/// Generate `n` cases received over the period before `now`, through the same writes the
/// counter uses. Reports progress every batch.
pub fn generate(
    store: &mut Store,
    n: u64,
    seed: u64,
    now: DateTime<FixedOffset>,
    progress: &mut dyn FnMut(u64),
) -> Result<u64, StoreError> {
    let config = store.config_arc();
    let cast = cast(store)?;
    let supervisor = &cast.supervisor;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let categories: Vec<String> = config.categories().cloned().collect();
    // About 1,400 a day for a million cases; never fewer than 120 days, so every state shows.
    let span_days = (n / 1_400).clamp(120, 730) as i64;
    let start = now - Duration::days(span_days);
    let step = Duration::days(span_days).num_seconds() as f64 / n.max(1) as f64;
    store.set_bulk_mode(true)?;
    let mut made = 0;
    let mut last_key: Option<CaseKey> = None;
    const BATCH: u64 = 20_000;
    while made < n {
        let mut w = store.write()?;
        let end = (made + BATCH).min(n);
        for i in made..end {
            let mut received = start + Duration::seconds((i as f64 * step) as i64);
            // Office hours: fold the night into the working day.
            let hour = received.hour();
            if !(8..18).contains(&hour) {
                received = received.with_hour(8 + hour % 10).unwrap_or(received);
            }
            if received > now {
                received = now;
            }
            let town = config.towns.choose(&mut rng).expect("towns are not empty");
            let village = if town.villages.is_empty() {
                format!(
                    "{}村",
                    ["东", "西", "南", "北", "中", "上", "下"]
                        .choose(&mut rng)
                        .unwrap_or(&"东")
                )
            } else {
                town.villages.choose(&mut rng).cloned().unwrap_or_default()
            };
            let category = categories.choose(&mut rng).cloned().unwrap_or_default();
            let gender = if rng.random_bool(0.5) {
                Gender::Male
            } else {
                Gender::Female
            };
            let name = format!(
                "{}{}",
                SURNAMES.choose(&mut rng).unwrap_or(&"王"),
                GIVEN.choose(&mut rng).unwrap_or(&"芳")
            );
            let id = rng
                .random_bool(0.8)
                .then(|| id_number(&mut rng, &config.county.code, gender));
            let phone = Phone::parse(&format!(
                "1{}{:09}",
                rng.random_range(3..10),
                rng.random_range(0..1_000_000_000u64)
            ))
            .ok();
            let route = match category.as_str() {
                "政策咨询" if rng.random_bool(0.6) => Route::OnTheSpot,
                "建议意见" | "基础设施" if rng.random_bool(0.3) => Route::Referred,
                "基础设施" if rng.random_bool(0.2) => Route::Project,
                _ if rng.random_bool(0.04) => Route::LegalChannel,
                _ => Route::Timed,
            };
            let (request, facts) = matter(&category, &mut rng);
            let group_size = if rng.random_bool(0.05) {
                rng.random_range(2..20)
            } else {
                1
            };
            let representatives = if group_size > 1 {
                (0..group_size.min(3))
                    .map(|_| {
                        format!(
                            "{}{}",
                            SURNAMES.choose(&mut rng).unwrap_or(&"王"),
                            GIVEN.choose(&mut rng).unwrap_or(&"芳")
                        )
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let case = NewCase {
                name,
                gender: Some(id.as_ref().map_or(gender, IdNumber::gender)),
                birth_date: id.as_ref().map(IdNumber::birth_date),
                id_number: id,
                phone,
                town: town.name.clone(),
                village: village.clone(),
                address: format!("{}社{}号", rng.random_range(1..12), rng.random_range(1..90)),
                channel: config
                    .channels
                    .choose(&mut rng)
                    .cloned()
                    .unwrap_or_default(),
                category: category.clone(),
                route,
                level: None,
                unit: None,
                request,
                facts,
                reasons: String::new(),
                place: format!("{}{}", town.name, village),
                urgent: rng.random_bool(0.03),
                legal: route == Route::LegalChannel,
                group_size,
                representatives,
                received_at: Some(received),
                answer: None,
            };
            let clerk = cast.clerks.choose(&mut rng).unwrap_or(supervisor);
            let (_, key) = w.register(&case, clerk, received)?;
            let rule = config.deadline_rule(route, &category);
            let due = config.calendar.due(received.date_naive(), rule.span).date;
            let allowed = |t: DateTime<FixedOffset>| t <= now;
            let at = |days: f64| received + Duration::minutes((days * 24.0 * 60.0) as i64);

            // Endings that skip the normal path.
            if let Some(earlier) = last_key.filter(|_| rng.random_bool(0.02)) {
                w.act(key, &Action::Merge { into: earlier }, clerk, received)?;
                continue;
            }
            last_key = Some(key);
            if route == Route::LegalChannel || rng.random_bool(0.02) {
                let t = at(0.5);
                if allowed(t) {
                    w.act(
                        key,
                        &Action::Decline {
                            reason: "属于诉讼程序处理的事项，已告知当事人依法向人民法院起诉".into(),
                        },
                        supervisor,
                        t,
                    )?;
                }
                continue;
            }
            let allotted = (due - received.date_naive()).num_days().max(1) as f64;
            // Most finish within their time; one in ten runs late.
            let takes = if rng.random_bool(0.1) {
                allotted + rng.random_range(3.0..40.0)
            } else {
                rng.random_range(0.2..1.0) * allotted
            };
            if route != Route::OnTheSpot {
                let (level, unit) = pick_unit(&config, &town.name, &village, &category, &mut rng);
                let t = at(0.1);
                if !allowed(t) {
                    continue;
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
                    continue;
                }
                w.act(
                    key,
                    &Action::Accept {
                        note: String::new(),
                    },
                    clerk,
                    t,
                )?;
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
                            supervisor,
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
                            supervisor,
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
                continue;
            }
            let outcome = match category.as_str() {
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
                .choose(&mut rng)
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
            let t = t + Duration::days(rng.random_range(1..4));
            if !allowed(t) {
                continue;
            }
            let satisfaction = *[
                Satisfaction::VerySatisfied,
                Satisfaction::Satisfied,
                Satisfaction::Satisfied,
                Satisfaction::FairlySatisfied,
                Satisfaction::FairlySatisfied,
                Satisfaction::Dissatisfied,
                Satisfaction::VeryDissatisfied,
            ]
            .choose(&mut rng)
            .unwrap_or(&Satisfaction::Satisfied);
            let way = WAYS.choose(&mut rng).unwrap_or(&"电话").to_string();
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
            if !satisfaction.is_satisfied() && rng.random_bool(0.5) {
                let t = t + Duration::days(1);
                if allowed(t) {
                    w.act(
                        key,
                        &Action::Reopen {
                            reason: "当事人对办理结果不满意".into(),
                        },
                        supervisor,
                        t,
                    )?;
                }
                continue;
            }
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
        }
        w.commit()?;
        made = end;
        progress(made);
    }
    store.set_bulk_mode(false)?;
    Ok(made)
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

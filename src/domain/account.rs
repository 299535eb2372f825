//! People and what they may do: accounts with a real name, a role and a center, and the one
//! function (`authorize`) that decides whether an account may do something to the register.
//! The screen and the command line both go through the store, which asks here, so they cannot
//! differ.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::{ActionKind, Refusal};
use crate::config::Config;

labeled!(
    /// What an account is for.
    Role {
        Clerk => "受理员",
        Supervisor => "值班长",
        Admin => "管理员",
        Cadre => "网格员",
    }
);

impl Role {
    /// Also takes the other names a role goes by.
    pub fn parse(s: &str) -> Option<Role> {
        match s.trim() {
            "驻村干部" | "包村干部" | "cadre" => Some(Role::Cadre),
            "clerk" => Some(Role::Clerk),
            "supervisor" | "中心主任" => Some(Role::Supervisor),
            "admin" => Some(Role::Admin),
            other => Role::from_label(other),
        }
    }

    /// Full ID numbers and phones in machine output (`--json`) and on screen.
    pub fn sees_personal_data(&self) -> bool {
        matches!(self, Role::Supervisor | Role::Admin)
    }
}

/// Where an account works: the county center sees the whole county, a town center its town,
/// a village center its village.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Center {
    County,
    Town(String),
    Village { town: String, village: String },
}

impl Center {
    /// The stored form: `""` for the county, `首阳镇`, or `首阳镇/首阳村`.
    pub fn code(&self) -> String {
        match self {
            Center::County => String::new(),
            Center::Town(t) => t.clone(),
            Center::Village { town, village } => format!("{town}/{village}"),
        }
    }

    pub fn from_code(code: &str) -> Center {
        match code.split_once('/') {
            _ if code.is_empty() => Center::County,
            Some((town, village)) => Center::Village {
                town: town.to_string(),
                village: village.to_string(),
            },
            None => Center::Town(code.to_string()),
        }
    }

    /// What a person types: the county's name (or 县 / 县中心), a town, or `乡镇/村`
    /// (`首阳镇首阳村` works too). Checked against the divisions of the config.
    pub fn parse(s: &str, config: &Config) -> Result<Center, String> {
        let s = s.trim().trim_end_matches("综治中心");
        if s.is_empty() || s == "县" || s == config.county.name {
            return Ok(Center::County);
        }
        let (town, village) = match s.split_once(['/', '／', ' ']) {
            Some((t, v)) => (t.trim(), Some(v.trim())),
            None => match config
                .towns
                .iter()
                .find(|t| s.starts_with(t.name.as_str()) && s.len() > t.name.len())
            {
                Some(t) => (t.name.as_str(), Some(&s[t.name.len()..])),
                None => (s, None),
            },
        };
        let Some(t) = config.town(town) else {
            return Err(format!(
                "没有「{town}」这个乡镇；中心应为 {}、某个乡镇或“乡镇/村”",
                config.county.name
            ));
        };
        match village {
            None => Ok(Center::Town(t.name.clone())),
            Some(v) if t.villages.is_empty() || t.villages.iter().any(|x| x == v) => {
                Ok(Center::Village {
                    town: t.name.clone(),
                    village: v.to_string(),
                })
            }
            Some(v) => Err(format!("{}没有「{v}」这个村", t.name)),
        }
    }

    /// The name a person reads: 陇西县综治中心, 首阳镇综治中心, 首阳镇首阳村综治中心.
    pub fn label(&self, config: &Config) -> String {
        match self {
            Center::County => config.center.name.clone(),
            Center::Town(t) => format!("{t}综治中心"),
            Center::Village { town, village } => format!("{town}{village}综治中心"),
        }
    }

    /// Whether a case of this town and village, routed to `unit`, is within this center's
    /// area: its own town or village, or routed to one of its units.
    pub fn covers(&self, town: &str, village: &str, unit: Option<&str>) -> bool {
        match self {
            Center::County => true,
            Center::Town(t) => town == t || unit.is_some_and(|u| u.starts_with(t.as_str())),
            Center::Village {
                town: t,
                village: v,
            } => {
                // A village's units are named after town and village: 首阳镇首阳村村民委员会.
                (town == t && village == v)
                    || unit.is_some_and(|u| {
                        u.strip_prefix(t.as_str())
                            .is_some_and(|rest| rest.starts_with(v.as_str()))
                    })
            }
        }
    }
}

impl Center {
    /// Whether this center's area takes in `other`'s: the county every center, a town its own
    /// and its villages' centers, a village only itself.
    pub fn contains(&self, other: &Center) -> bool {
        match (self, other) {
            (Center::County, _) => true,
            (Center::Town(t), Center::Town(o)) => t == o,
            (Center::Town(t), Center::Village { town, .. }) => t == town,
            (Center::Village { .. }, Center::Village { .. }) => self == other,
            _ => false,
        }
    }
}

/// An account of the register, as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Account {
    #[serde(skip)]
    pub id: i64,
    pub login: String,
    pub real_name: String,
    pub role: Role,
    #[serde(serialize_with = "center_code")]
    pub center: Center,
    pub active: bool,
    pub os_user: Option<String>,
    pub created_at: DateTime<FixedOffset>,
}

fn center_code<S: serde::Serializer>(c: &Center, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&c.code())
}

/// An account that proved who it is (by password, or by the OS user it is bound to). Only the
/// store makes one, so the rest of the program cannot act under a name it did not prove.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    account: Account,
}

impl Session {
    /// For the store, after it checked the password or the OS binding.
    pub(crate) fn new(account: Account) -> Session {
        Session { account }
    }

    pub fn account(&self) -> &Account {
        &self.account
    }

    pub fn login(&self) -> &str {
        &self.account.login
    }

    pub fn real_name(&self) -> &str {
        &self.account.real_name
    }

    pub fn role(&self) -> Role {
        self.account.role
    }

    pub fn center(&self) -> &Center {
        &self.account.center
    }

    pub fn sees_personal_data(&self) -> bool {
        self.account.role.sees_personal_data()
    }
}

/// Something an account may or may not do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Register,
    Act(ActionKind),
    /// 更正 of a case this account registered, on the day it was registered.
    CorrectOwnSameDay,
    /// 更正 of anything else.
    CorrectAny,
    AddEvidence,
    Print,
    /// Printing or archiving with required evidence missing: a supervisor's confirmation.
    ConfirmMissingEvidence,
    ManageAccounts,
    Backup,
    Restore,
    Statistics,
    /// 民情笔记本: record a household visit.
    RecordVisit,
    /// 民意报告单: record a report form.
    RecordReport,
    /// 研判: end a report's triage (立案, 当场答复, 并案, 引导).
    Triage,
    /// 民心沟通会: record a meeting, its feedback, revisits and opinions.
    KeepMeeting,
}

impl Op {
    fn label(&self) -> String {
        match self {
            Op::Register => "登记案件".into(),
            Op::Act(kind) => format!("「{}」", kind.label()),
            Op::CorrectOwnSameDay | Op::CorrectAny => "更正".into(),
            Op::AddEvidence => "添加证据".into(),
            Op::Print => "打印".into(),
            Op::ConfirmMissingEvidence => "确认缺少证据仍打印或归档".into(),
            Op::ManageAccounts => "管理账号".into(),
            Op::Backup => "备份".into(),
            Op::Restore => "恢复".into(),
            Op::Statistics => "查看统计".into(),
            Op::RecordVisit => "记录走访".into(),
            Op::RecordReport => "填报民意报告单".into(),
            Op::Triage => "研判民意报告单".into(),
            Op::KeepMeeting => "记录民心沟通会".into(),
        }
    }

    /// The roles that may do this.
    pub fn roles(&self) -> &'static [Role] {
        use Role::*;
        match self {
            Op::Register | Op::AddEvidence | Op::Print | Op::CorrectOwnSameDay => {
                &[Clerk, Supervisor, Admin]
            }
            Op::Act(kind) => match kind {
                // 值班长 approves extensions, urges, reopens and declines.
                ActionKind::Extend
                | ActionKind::Urge
                | ActionKind::Reopen
                | ActionKind::Decline => &[Supervisor, Admin],
                _ => &[Clerk, Supervisor, Admin],
            },
            Op::CorrectAny | Op::ConfirmMissingEvidence | Op::Statistics => &[Supervisor, Admin],
            Op::ManageAccounts | Op::Backup | Op::Restore => &[Admin],
            // Cadres visit households and write reports; the center's people do too.
            Op::RecordVisit | Op::RecordReport => &[Cadre, Clerk, Supervisor, Admin],
            Op::Triage | Op::KeepMeeting => &[Clerk, Supervisor, Admin],
        }
    }
}

/// Whether `who` may do `op`; the refusal says who may.
pub fn authorize(who: &Account, op: Op) -> Result<(), Refusal> {
    if !who.active {
        return Err(Refusal(format!(
            "账号 {} 已停用，不能操作；请找管理员",
            who.login
        )));
    }
    if op.roles().contains(&who.role) {
        return Ok(());
    }
    let may: Vec<&str> = op.roles().iter().map(Role::label).collect();
    Err(Refusal(format!(
        "{}（{}）无权{}：只有{}可以",
        who.real_name,
        who.role.label(),
        op.label(),
        may.join("、")
    )))
}

/// Whether `who` may act on a case of this town, village and unit.
pub fn authorize_case(
    who: &Account,
    case_no: &str,
    town: &str,
    village: &str,
    unit: Option<&str>,
    config: &Config,
) -> Result<(), Refusal> {
    if who.center.covers(town, village, unit) {
        Ok(())
    } else {
        Err(Refusal(format!(
            "{case_no} 属于{town}{village}，不在{}的范围内",
            who.center.label(config)
        )))
    }
}

/// Whether `who` may print the 民情笔记本 of `visitor` (the account that recorded the visits):
/// everyone their own; a 值班长 or 管理员 that of anyone of their center's area; nobody else
/// another's, since a notebook holds what households told one cadre.
pub fn authorize_notebook(
    who: &Account,
    visitor: &Account,
    config: &Config,
) -> Result<(), Refusal> {
    if !who.active {
        return Err(Refusal(format!(
            "账号 {} 已停用，不能操作；请找管理员",
            who.login
        )));
    }
    if who.login == visitor.login {
        return Ok(());
    }
    if !matches!(who.role, Role::Supervisor | Role::Admin) {
        return Err(Refusal(format!(
            "{}（{}）只能打印本人的民情笔记本，不能打印{}的：他人的笔记本由本中心的值班长或管理员打印",
            who.real_name,
            who.role.label(),
            visitor.real_name
        )));
    }
    if !who.center.contains(&visitor.center) {
        return Err(Refusal(format!(
            "{}属于{}，不在{}的范围内，不能打印其民情笔记本",
            visitor.real_name,
            visitor.center.label(config),
            who.center.label(config)
        )));
    }
    Ok(())
}

/// A login name: letters, digits, `.`, `_` and `-`, 2 to 32 of them (it is typed on a login
/// screen and on command lines, and names a draft file).
pub fn check_login(login: &str) -> Result<(), String> {
    let n = login.chars().count();
    if !(2..=32).contains(&n)
        || !login
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        || login.starts_with('-')
    {
        return Err(format!(
            "登录名「{login}」不可用：应为2到32个英文字母、数字或 . _ -（如 zhangsan）"
        ));
    }
    Ok(())
}

/// A password worth having: at least 8 characters.
pub fn check_password(password: &str) -> Result<(), String> {
    if password.chars().count() < 8 {
        return Err("密码至少8个字符".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(role: Role, center: Center) -> Account {
        Account {
            id: 1,
            login: "zhang".into(),
            real_name: "张丽".into(),
            role,
            center,
            active: true,
            os_user: None,
            created_at: chrono::DateTime::parse_from_rfc3339("2026-03-02T09:00:00+08:00").unwrap(),
        }
    }

    #[test]
    fn a_clerk_may_register_but_not_approve_an_extension() {
        let clerk = account(Role::Clerk, Center::County);
        assert!(authorize(&clerk, Op::Register).is_ok());
        assert!(authorize(&clerk, Op::Act(ActionKind::Dispatch)).is_ok());
        let err = authorize(&clerk, Op::Act(ActionKind::Extend)).unwrap_err();
        assert!(err.0.contains("值班长"), "{err}");
        assert!(authorize(&clerk, Op::ManageAccounts).is_err());
        let sup = account(Role::Supervisor, Center::County);
        assert!(authorize(&sup, Op::Act(ActionKind::Extend)).is_ok());
        assert!(authorize(&sup, Op::ManageAccounts).is_err());
    }

    #[test]
    fn field_cadres_take_no_case_actions() {
        let cadre = account(Role::Cadre, Center::Town("首阳镇".into()));
        assert!(authorize(&cadre, Op::Register).is_err());
        for kind in ActionKind::ALL {
            assert!(authorize(&cadre, Op::Act(kind)).is_err(), "{kind:?}");
        }
    }

    #[test]
    fn a_disabled_account_may_do_nothing() {
        let mut admin = account(Role::Admin, Center::County);
        admin.active = false;
        assert!(authorize(&admin, Op::Print).unwrap_err().0.contains("停用"));
    }

    #[test]
    fn a_town_center_covers_its_town_and_its_units() {
        let c = Center::Town("首阳镇".into());
        assert!(c.covers("首阳镇", "首阳村", None));
        assert!(c.covers("巩昌镇", "", Some("首阳镇司法所")));
        assert!(!c.covers("巩昌镇", "", Some("县司法局")));
        assert!(Center::County.covers("巩昌镇", "", None));
        let village = Center::Village {
            town: "首阳镇".into(),
            village: "首阳村".into(),
        };
        assert!(village.covers("首阳镇", "首阳村", None));
        assert!(village.covers("巩昌镇", "西街村", Some("首阳镇首阳村村民委员会")));
        assert!(!village.covers("首阳镇", "南门村", Some("首阳镇南门村村民委员会")));
        assert!(!village.covers("首阳镇", "南门村", Some("首阳镇司法所")));
    }

    #[test]
    fn centers_parse_from_what_people_type() {
        let config = Config::embedded();
        assert_eq!(Center::parse("陇西县", &config), Ok(Center::County));
        assert_eq!(
            Center::parse("首阳镇", &config),
            Ok(Center::Town("首阳镇".into()))
        );
        assert_eq!(
            Center::parse("首阳镇/首阳村", &config),
            Ok(Center::Village {
                town: "首阳镇".into(),
                village: "首阳村".into()
            })
        );
        assert_eq!(
            Center::parse("首阳镇首阳村", &config),
            Center::parse("首阳镇/首阳村", &config)
        );
        assert!(Center::parse("火星镇", &config).is_err());
        for c in [
            Center::County,
            Center::Town("首阳镇".into()),
            Center::Village {
                town: "首阳镇".into(),
                village: "首阳村".into(),
            },
        ] {
            assert_eq!(Center::from_code(&c.code()), c);
        }
    }

    #[test]
    fn a_notebook_is_printed_by_its_cadre_or_the_center_above() {
        let config = Config::embedded();
        let town = || Center::Town("首阳镇".into());
        let mut cadre = account(Role::Cadre, town());
        cadre.login = "mahui".into();
        let mut other = account(Role::Cadre, town());
        other.login = "lisi".into();
        assert!(authorize_notebook(&cadre, &cadre, &config).is_ok());
        let refused = authorize_notebook(&other, &cadre, &config).unwrap_err();
        assert!(
            refused.0.contains("只能打印本人的民情笔记本"),
            "{}",
            refused.0
        );
        assert!(authorize_notebook(&account(Role::Clerk, town()), &cadre, &config).is_err());
        assert!(authorize_notebook(&account(Role::Supervisor, town()), &cadre, &config).is_ok());
        assert!(authorize_notebook(&account(Role::Admin, Center::County), &cadre, &config).is_ok());
        let elsewhere = account(Role::Supervisor, Center::Town("巩昌镇".into()));
        let refused = authorize_notebook(&elsewhere, &cadre, &config).unwrap_err();
        assert!(
            refused.0.contains("不在巩昌镇综治中心的范围内"),
            "{}",
            refused.0
        );
    }

    #[test]
    fn logins_are_plain() {
        assert!(check_login("zhang.li").is_ok());
        assert!(check_login("张丽").is_err());
        assert!(check_login("a").is_err());
        assert!(check_login("-rf").is_err());
    }
}

//! Checking what a clerk (or a script) typed before anything is written: every field against its
//! rule, each error naming the field in Chinese.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Deserialize;

use super::{Field, Gender, IdNumber, Level, Outcome, Phone, Route};
use crate::config::Config;

/// What `minshi register` reads (and what the form collects): raw, unchecked.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct NewCaseInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub id_number: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub gender: String,
    #[serde(default)]
    pub town: String,
    #[serde(default)]
    pub village: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub route: String,
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub request: String,
    #[serde(default)]
    pub facts: String,
    #[serde(default)]
    pub reasons: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub urgent: bool,
    #[serde(default)]
    pub legal: bool,
    #[serde(default)]
    pub group_size: Option<u32>,
    #[serde(default)]
    pub representatives: Vec<String>,
    /// For letters and transfers entered after the day they arrived; defaults to now.
    #[serde(default)]
    pub received_at: Option<DateTime<FixedOffset>>,
    /// 当场办结: the kind of answer given at the counter (`Outcome`'s label). With `result`,
    /// the case is registered closed in one step.
    #[serde(default)]
    pub outcome: String,
    /// 当场办结: the answer given.
    #[serde(default)]
    pub result: String,
    /// 当场办结: what the answer rests on (a law, a policy).
    #[serde(default)]
    pub basis: String,
}

/// The answer given at the counter to a matter solved on the spot.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub outcome: Outcome,
    pub result: String,
    pub basis: String,
}

/// A case ready to be registered: every field checked.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCase {
    pub name: String,
    pub id_number: Option<IdNumber>,
    pub phone: Option<Phone>,
    pub gender: Option<Gender>,
    pub birth_date: Option<NaiveDate>,
    pub town: String,
    pub village: String,
    pub address: String,
    pub channel: String,
    pub category: String,
    pub route: Route,
    pub level: Option<Level>,
    pub unit: Option<String>,
    pub request: String,
    pub facts: String,
    pub reasons: String,
    pub place: String,
    pub urgent: bool,
    pub legal: bool,
    pub group_size: u32,
    pub representatives: Vec<String>,
    pub received_at: Option<DateTime<FixedOffset>>,
    /// 当场办结 answered at registration: the case is closed in the same transaction.
    pub answer: Option<Answer>,
}

/// A field that does not pass, with the key the input used and the message for the clerk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: Field,
    pub message: String,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}（{}）：{}",
            self.field.label(),
            self.field.key(),
            self.message
        )
    }
}

/// At most this many representatives for a group visit (《信访工作条例》§20), whatever the
/// configuration says.
pub const MAX_REPRESENTATIVES: u32 = 5;
/// The largest group a case may record.
pub const MAX_GROUP_SIZE: u32 = 10_000;
/// How far ahead of the clock a received time may be: the clerk's watch and the host's clock
/// seldom agree to the second.
const CLOCK_SKEW_MINUTES: i64 = 5;

/// Whether paper can print a character. The domain knows no fonts: the front ends pass the
/// coverage of the embedded faces (`print::check_coverage`), tests and the demo `any_char`.
pub type Printable<'a> = &'a dyn Fn(char) -> bool;

/// A [`Printable`] that accepts every character (for callers that print nothing).
pub fn any_char(_: char) -> bool {
    true
}

/// Checks one text field against the rules every stored text follows: at most `max_chars`
/// characters; no control, bidi, zero-width or other format characters, no private-use or
/// undefined code points; a line break only where `multiline`; every character printable.
/// The message starts with `label` and points at the first bad character by position.
/// Registration checks every text field through this rule; the lifecycle's notes and corrections
/// should too.
pub fn check_text(
    label: &str,
    value: &str,
    multiline: bool,
    max_chars: usize,
    printable: Printable,
) -> Result<(), String> {
    match text_problem(value, multiline, max_chars, printable) {
        None => Ok(()),
        Some(problem) => Err(format!("{label}：{problem}")),
    }
}

/// What is wrong with a text (trimmed), in words for the clerk, without naming the field.
fn text_problem(
    value: &str,
    multiline: bool,
    max_chars: usize,
    printable: Printable,
) -> Option<String> {
    let value = value.trim();
    let len = value.chars().count();
    if len > max_chars {
        return Some(format!("最多{max_chars}个字（现为{len}个字），请精简"));
    }
    let mut bad = value.chars().enumerate().filter_map(|(i, c)| {
        let position = i + 1;
        let code = u32::from(c);
        let why = match c {
            '\n' if multiline => return None,
            '\r' | '\u{2028}' | '\u{2029}' if multiline => {
                format!("（U+{code:04X}）是特殊的换行符，请改用普通换行")
            }
            '\n' | '\r' | '\u{2028}' | '\u{2029}' => "是换行，此项只能写一行".to_string(),
            '\t' => "是制表符（Tab），请改用空格".to_string(),
            c => match crate::text::hazard(c) {
                Some(h) => format!("（U+{code:04X}）是{}，请删去", h.label()),
                None if !printable(c) => {
                    format!("「{c}」（U+{code:04X}）无法打印（字体中没有此字），请换一种写法")
                }
                None => return None,
            },
        };
        Some(format!("第{position}个字符{why}"))
    });
    let first = bad.next()?;
    let more = bad.count();
    Some(if more > 0 {
        format!("{first}（另有{more}处）")
    } else {
        first
    })
}

/// Check a text field for a new case; returns it trimmed.
fn text_field(
    errors: &mut Vec<FieldError>,
    field: Field,
    value: &str,
    rule: TextRule,
    printable: Printable,
) -> String {
    let value = if rule.multiline {
        value.trim().replace("\r\n", "\n")
    } else {
        value.trim().to_string()
    };
    if rule.required && value.is_empty() {
        errors.push(FieldError {
            field,
            message: "必填，不能为空".into(),
        });
    }
    if let Some(message) = text_problem(&value, rule.multiline, rule.max, printable) {
        errors.push(FieldError { field, message });
    }
    value
}

/// How a text field of the case is checked.
#[derive(Debug, Clone, Copy)]
struct TextRule {
    max: usize,
    multiline: bool,
    required: bool,
}

impl TextRule {
    fn line(max: usize) -> TextRule {
        TextRule {
            max,
            multiline: false,
            required: false,
        }
    }

    fn block(max: usize) -> TextRule {
        TextRule {
            multiline: true,
            ..TextRule::line(max)
        }
    }

    fn required(self) -> TextRule {
        TextRule {
            required: true,
            ..self
        }
    }
}

/// The representatives of a group visit: each a name by the rules of names, at most `max` of
/// them, never more than the people who came, and none for one person alone.
fn check_representatives(
    errors: &mut Vec<FieldError>,
    typed: &[String],
    group_size: u32,
    max: u32,
    max_chars: usize,
    printable: Printable,
) -> Vec<String> {
    let field = Field::Representatives;
    let representatives: Vec<String> = typed
        .iter()
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty())
        .collect();
    let count = representatives.len();
    if count > max as usize {
        errors.push(FieldError {
            field,
            message: format!(
                "多人来访推选代表不超过{max}人（《信访工作条例》第二十条），现为{count}人"
            ),
        });
        return representatives;
    }
    for (i, r) in representatives.iter().enumerate() {
        if let Some(problem) = text_problem(r, false, max_chars, printable) {
            errors.push(FieldError {
                field,
                message: format!("第{}位代表的姓名{problem}", i + 1),
            });
        }
    }
    if count > 0 && group_size == 1 {
        errors.push(FieldError {
            field,
            message: "一人来访不推选代表；多人来访请先填写人数".into(),
        });
    } else if count as u64 > u64::from(group_size) {
        errors.push(FieldError {
            field,
            message: format!("代表{count}人，多于来访人数{group_size}人"),
        });
    }
    representatives
}

/// The answer of a 当场办结 registration: none at all (answered later the same day), or the kind
/// and the answer; only 当场办结 carries one (other routes are closed by their unit).
fn check_answer(
    errors: &mut Vec<FieldError>,
    input: &NewCaseInput,
    route: Option<Route>,
    config: &Config,
    printable: Printable,
) -> Option<Answer> {
    let given = [&input.outcome, &input.result, &input.basis]
        .iter()
        .any(|s| !s.trim().is_empty());
    if !given {
        return None;
    }
    if route.is_some_and(|r| r != Route::OnTheSpot) {
        let field = [
            (&input.outcome, Field::Outcome),
            (&input.result, Field::Result),
            (&input.basis, Field::Basis),
        ]
        .into_iter()
        .find(|(s, _)| !s.trim().is_empty())
        .map_or(Field::Outcome, |(_, f)| f);
        errors.push(FieldError {
            field,
            message: "只有办理方式为「当场办结」时登记答复；其他方式在办结时填写".into(),
        });
        return None;
    }
    let outcome = match input.outcome.trim() {
        "" => {
            errors.push(FieldError {
                field: Field::Outcome,
                message: format!("当场办结须选择，可选：{}", Outcome::labels().join("、")),
            });
            None
        }
        s => match Outcome::from_label(s) {
            Some(o) => Some(o),
            None => {
                errors.push(FieldError {
                    field: Field::Outcome,
                    message: format!("「{s}」应为 {}", Outcome::labels().join("、")),
                });
                None
            }
        },
    };
    let limits = &config.limits;
    let result = text_field(
        errors,
        Field::Result,
        &input.result,
        TextRule::block(limits.note).required(),
        printable,
    );
    let basis = text_field(
        errors,
        Field::Basis,
        &input.basis,
        TextRule::line(limits.note),
        printable,
    );
    Some(Answer {
        outcome: outcome?,
        result,
        basis,
    })
}

/// A received time from before the register existed, or from the future, is a typing error (a
/// case received in 9999 would get a due date the calendar cannot hold).
fn check_received_at(
    errors: &mut Vec<FieldError>,
    at: DateTime<FixedOffset>,
    now: DateTime<FixedOffset>,
) {
    let field = Field::ReceivedAt;
    if at.date_naive() < NaiveDate::from_ymd_opt(2000, 1, 1).expect("valid date") {
        errors.push(FieldError {
            field,
            message: "受理时间不能早于2000年".into(),
        });
    } else if at > now + chrono::Duration::minutes(CLOCK_SKEW_MINUTES) {
        errors.push(FieldError {
            field,
            message: format!(
                "受理时间 {} 晚于现在（{}），不能登记将来的时间",
                at.format("%Y-%m-%d %H:%M"),
                now.format("%Y-%m-%d %H:%M")
            ),
        });
    }
}

/// Check one choice against the configured list; the message lists what is allowed when short.
fn check_choice(
    errors: &mut Vec<FieldError>,
    field: Field,
    value: &str,
    allowed: &[String],
) -> String {
    let value = value.trim();
    if value.is_empty() {
        errors.push(FieldError {
            field,
            message: "必填，请选择".into(),
        });
    } else if !allowed.iter().any(|a| a == value) {
        let hint = if allowed.len() <= 25 {
            format!("，可选：{}", allowed.join("、"))
        } else {
            String::new()
        };
        errors.push(FieldError {
            field,
            message: format!("「{value}」不在清单中{hint}"),
        });
    }
    value.to_string()
}

/// Check a whole new case; all errors at once, so a form can mark every bad field. `now` is the
/// time of registration (a received time may not be later); `printable` is the paper's coverage.
pub fn validate_new_case(
    input: &NewCaseInput,
    config: &Config,
    now: DateTime<FixedOffset>,
    printable: Printable,
) -> Result<NewCase, Vec<FieldError>> {
    let mut errors = Vec::new();
    let limits = &config.limits;
    let text = |errors: &mut Vec<FieldError>, field, value: &str, rule| {
        text_field(errors, field, value, rule, printable)
    };
    let name = text(
        &mut errors,
        Field::Name,
        &input.name,
        TextRule::line(limits.name).required(),
    );

    let id_number = match input.id_number.trim() {
        "" => None,
        s => match IdNumber::parse_on(s, now.date_naive()) {
            Ok(id) => Some(id),
            Err(e) => {
                errors.push(FieldError {
                    field: Field::IdNumber,
                    message: e.to_string(),
                });
                None
            }
        },
    };
    let phone = match input.phone.trim() {
        "" => None,
        s => match Phone::parse(s) {
            Ok(p) => Some(p),
            Err(e) => {
                errors.push(FieldError {
                    field: Field::Phone,
                    message: e.to_string(),
                });
                None
            }
        },
    };
    let typed_gender = match input.gender.trim() {
        "" => None,
        s => match Gender::from_label(s) {
            Some(g) => Some(g),
            None => {
                errors.push(FieldError {
                    field: Field::Gender,
                    message: format!("「{s}」应为 男 或 女"),
                });
                None
            }
        },
    };
    let gender = match (&id_number, typed_gender) {
        (Some(id), Some(g)) if id.gender() != g => {
            errors.push(FieldError {
                field: Field::Gender,
                message: format!("与身份证号不符（身份证号为{}性）", id.gender().label()),
            });
            Some(g)
        }
        (Some(id), _) => Some(id.gender()),
        (None, g) => g,
    };
    let birth_date = id_number.as_ref().map(IdNumber::birth_date);

    let town_names: Vec<String> = config.towns.iter().map(|t| t.name.clone()).collect();
    let town = check_choice(&mut errors, Field::Town, &input.town, &town_names);
    let village = text(
        &mut errors,
        Field::Village,
        &input.village,
        TextRule::line(30),
    );
    if let Some(t) = config.town(&town)
        && !village.is_empty()
        && !t.villages.is_empty()
        && !t.villages.contains(&village)
    {
        errors.push(FieldError {
            field: Field::Village,
            message: format!("{town}没有「{village}」，可选：{}", t.villages.join("、")),
        });
    }
    let address = text(
        &mut errors,
        Field::Address,
        &input.address,
        TextRule::line(limits.address),
    );
    let channel = check_choice(
        &mut errors,
        Field::Channel,
        &input.channel,
        &config.channels,
    );
    let categories: Vec<String> = config.categories().cloned().collect();
    let category = check_choice(&mut errors, Field::Category, &input.category, &categories);
    let route = match Route::from_label(&input.route) {
        Some(r) => Some(r),
        None => {
            let message = if input.route.trim().is_empty() {
                "必填，请选择".to_string()
            } else {
                format!(
                    "「{}」不是办理方式，可选：{}",
                    input.route.trim(),
                    Route::labels().join("、")
                )
            };
            errors.push(FieldError {
                field: Field::Route,
                message,
            });
            None
        }
    };
    let level = match input.level.trim() {
        "" => None,
        s => match Level::from_label(s) {
            Some(l) => Some(l),
            None => {
                errors.push(FieldError {
                    field: Field::Level,
                    message: format!("「{s}」应为 {}", Level::labels().join("、")),
                });
                None
            }
        },
    };
    let unit = match input.unit.trim() {
        "" => None,
        u if config.is_unit(u) => Some(u.to_string()),
        u => {
            errors.push(FieldError {
                field: Field::Unit,
                message: format!("「{u}」不在责任单位清单中"),
            });
            None
        }
    };
    let request = text(
        &mut errors,
        Field::Request,
        &input.request,
        TextRule::block(limits.request).required(),
    );
    let facts = text(
        &mut errors,
        Field::Facts,
        &input.facts,
        TextRule::block(limits.facts),
    );
    let reasons = text(
        &mut errors,
        Field::Reasons,
        &input.reasons,
        TextRule::block(limits.reasons),
    );
    let place = text(
        &mut errors,
        Field::Place,
        &input.place,
        TextRule::line(limits.address),
    );

    let group_size = input.group_size.unwrap_or(1);
    if !(1..=MAX_GROUP_SIZE).contains(&group_size) {
        errors.push(FieldError {
            field: Field::GroupSize,
            message: format!("人数应在1到{MAX_GROUP_SIZE}之间（现为{group_size}）"),
        });
    }
    let representatives = check_representatives(
        &mut errors,
        &input.representatives,
        group_size,
        limits.max_representatives.min(MAX_REPRESENTATIVES),
        limits.name,
        printable,
    );
    if let Some(at) = input.received_at {
        check_received_at(&mut errors, at, now);
    }
    let answer = check_answer(&mut errors, input, route, config, printable);

    match route {
        Some(route) if errors.is_empty() => Ok(NewCase {
            name,
            id_number,
            phone,
            gender,
            birth_date,
            town,
            village,
            address,
            channel,
            category,
            route,
            level,
            unit,
            request,
            facts,
            reasons,
            place,
            urgent: input.urgent,
            legal: input.legal || route == Route::LegalChannel,
            group_size,
            representatives,
            received_at: input.received_at,
            answer,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-03-02T09:00:00+08:00").unwrap()
    }

    fn check(input: &NewCaseInput) -> Result<NewCase, Vec<FieldError>> {
        validate_new_case(input, &Config::embedded(), now(), &any_char)
    }

    /// The errors of one field, or a panic saying the input passed.
    fn refused(input: NewCaseInput, field: &str) -> Vec<String> {
        let errors = check(&input).expect_err("must be refused");
        let of: Vec<String> = errors
            .iter()
            .filter(|e| e.field.key() == field)
            .map(|e| e.message.clone())
            .collect();
        assert!(!of.is_empty(), "no error for {field}: {errors:?}");
        of
    }

    fn good() -> NewCaseInput {
        NewCaseInput {
            name: "王芳".into(),
            id_number: "11010519491231002x".into(),
            phone: "13812341234".into(),
            town: "首阳镇".into(),
            village: "南门村".into(),
            channel: "来访".into(),
            category: "劳动争议".into(),
            route: "限时办理".into(),
            request: "讨要拖欠工资".into(),
            ..NewCaseInput::default()
        }
    }

    #[test]
    fn a_good_case_passes_and_derives_gender() {
        let c = check(&good()).unwrap();
        assert_eq!(c.gender, Some(Gender::Female));
        assert_eq!(c.id_number.unwrap().as_str(), "11010519491231002X");
        assert_eq!(c.group_size, 1);
    }

    #[test]
    fn every_bad_field_is_named() {
        let input = NewCaseInput {
            name: " ".into(),
            id_number: "110105194912310021".into(),
            phone: "12345".into(),
            town: "火星镇".into(),
            category: "吵架".into(),
            route: "马上办".into(),
            request: "".into(),
            representatives: (1..=6).map(|i| format!("代表{i}")).collect(),
            ..good()
        };
        let errors = check(&input).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.key()).collect();
        for f in [
            "name",
            "id_number",
            "phone",
            "town",
            "category",
            "route",
            "request",
            "representatives",
        ] {
            assert!(fields.contains(&f), "{f} missing from {errors:?}");
        }
        let route = errors.iter().find(|e| e.field == Field::Route).unwrap();
        assert!(
            route.to_string().starts_with("办理方式（route）"),
            "{route}"
        );
    }

    #[test]
    fn over_long_text_is_refused_with_the_limit() {
        let input = NewCaseInput {
            request: "字".repeat(2001),
            ..good()
        };
        let errors = check(&input).unwrap_err();
        assert!(errors[0].message.contains("最多2000个字"), "{errors:?}");
    }

    #[test]
    fn village_must_belong_to_a_town_that_lists_villages() {
        let input = NewCaseInput {
            village: "不存在村".into(),
            ..good()
        };
        assert!(check(&input).is_err());
        // Every embedded town lists its villages; a center's own list may leave them out.
        let towns = "[[towns]]\ncode = \"621122100\"\nname = \"巩昌镇\"\n";
        let config = Config::from_override(std::path::Path::new("config.toml"), towns).unwrap();
        let elsewhere = NewCaseInput {
            town: "巩昌镇".into(),
            village: "任意社区".into(),
            ..good()
        };
        assert!(validate_new_case(&elsewhere, &config, now(), &any_char).is_ok());
    }

    #[test]
    fn gender_that_contradicts_the_id_is_refused() {
        let input = NewCaseInput {
            gender: "男".into(),
            ..good()
        };
        let errors = check(&input).unwrap_err();
        assert_eq!(errors[0].field, Field::Gender);
    }

    #[test]
    fn received_time_in_the_future_is_refused() {
        let at = |s: &str| Some(DateTime::parse_from_rfc3339(s).unwrap());
        for future in ["2027-03-01T09:00:00+08:00", "9999-12-20T09:00:00+08:00"] {
            let input = NewCaseInput {
                received_at: at(future),
                ..good()
            };
            let msg = refused(input, "received_at");
            assert!(msg[0].contains("不能登记将来的时间"), "{msg:?}");
        }
        let skew = NewCaseInput {
            received_at: at("2026-03-02T09:04:00+08:00"),
            ..good()
        };
        assert!(check(&skew).is_ok(), "a few minutes of clock skew pass");
        let earlier = NewCaseInput {
            received_at: at("2026-02-27T16:00:00+08:00"),
            ..good()
        };
        assert!(check(&earlier).is_ok(), "a letter entered days later");
    }

    #[test]
    fn received_time_before_2000_is_refused() {
        let input = NewCaseInput {
            received_at: Some(DateTime::parse_from_rfc3339("1999-12-31T09:00:00+08:00").unwrap()),
            ..good()
        };
        assert!(refused(input, "received_at")[0].contains("早于2000年"));
    }

    #[test]
    fn names_of_invisible_characters_only_are_refused() {
        for name in ["\u{200B}", "\u{FEFF}", "\u{200B}\u{FEFF}", " \u{2060} "] {
            let input = NewCaseInput {
                name: name.into(),
                ..good()
            };
            let msg = refused(input, "name");
            assert!(msg[0].contains("零宽或格式字符"), "{name:?}: {msg:?}");
        }
        let blank = NewCaseInput {
            name: " \u{3000} ".into(),
            ..good()
        };
        assert!(refused(blank, "name")[0].contains("必填"));
    }

    #[test]
    fn line_break_in_a_single_line_field_is_refused_but_allowed_in_the_request() {
        let input = NewCaseInput {
            name: "王\n芳".into(),
            address: "3社\r12号".into(),
            ..good()
        };
        assert_eq!(
            refused(input.clone(), "name"),
            ["第2个字符是换行，此项只能写一行"]
        );
        refused(input, "address");
        let block = NewCaseInput {
            request: "讨要工资\r\n共8000元\n另有加班费".into(),
            ..good()
        };
        let case = check(&block).unwrap();
        assert_eq!(case.request, "讨要工资\n共8000元\n另有加班费");
    }

    #[test]
    fn control_characters_and_escapes_are_refused_with_their_position() {
        let input = NewCaseInput {
            facts: "在工地\u{1B}]52;c;aGk=\u{7}".into(),
            place: "工地\t门口".into(),
            ..good()
        };
        assert_eq!(
            refused(input.clone(), "facts"),
            ["第4个字符（U+001B）是控制字符，请删去（另有1处）"]
        );
        assert!(refused(input, "place")[0].contains("制表符"));
        let c1 = NewCaseInput {
            request: "讨薪\u{9B}2J".into(),
            ..good()
        };
        assert!(refused(c1, "request")[0].contains("U+009B"));
    }

    #[test]
    fn bidi_controls_are_refused() {
        for c in [
            '\u{61C}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202E}', '\u{2066}', '\u{2069}',
        ] {
            let input = NewCaseInput {
                address: format!("南门村{c}3社"),
                ..good()
            };
            let msg = refused(input, "address");
            assert!(msg[0].contains("文字方向控制符"), "{c:?}: {msg:?}");
            assert!(msg[0].starts_with("第4个字符"), "{msg:?}");
        }
    }

    #[test]
    fn private_use_and_unassigned_characters_are_refused() {
        let input = NewCaseInput {
            name: "张\u{E000}三".into(),
            reasons: "理由\u{FFFF}".into(),
            ..good()
        };
        assert!(refused(input.clone(), "name")[0].contains("私用区字符"));
        assert!(refused(input, "reasons")[0].contains("未定义的字符"));
    }

    #[test]
    fn characters_the_paper_cannot_print_are_refused_with_their_position() {
        let no_gou = |c: char| c != '𬌗';
        let input = NewCaseInput {
            name: "王𬌗".into(),
            ..good()
        };
        let errors = validate_new_case(&input, &Config::embedded(), now(), &no_gou).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(
            errors[0].to_string(),
            "姓名（name）：第2个字符「𬌗」（U+2C317）无法打印（字体中没有此字），请换一种写法"
        );
    }

    #[test]
    fn at_most_five_representatives() {
        let input = NewCaseInput {
            group_size: Some(30),
            representatives: (1..=6).map(|i| format!("代表{i}")).collect(),
            ..good()
        };
        assert!(refused(input, "representatives")[0].contains("不超过5人"));
        let five = NewCaseInput {
            group_size: Some(30),
            representatives: (1..=5).map(|i| format!("代表{i}")).collect(),
            ..good()
        };
        assert!(check(&five).is_ok());
    }

    #[test]
    fn representatives_are_names_by_the_rules_of_names() {
        for bad in ["李\u{1B}[2J四", "李四\n王五", &"长".repeat(1_000_000)] {
            let input = NewCaseInput {
                group_size: Some(3),
                representatives: vec!["张三".into(), bad.to_string()],
                ..good()
            };
            let msg = refused(input, "representatives");
            assert!(msg[0].starts_with("第2位代表的姓名"), "{msg:?}");
        }
    }

    #[test]
    fn group_size_is_bounded_and_agrees_with_the_representatives() {
        for size in [0, MAX_GROUP_SIZE + 1, u32::MAX] {
            let input = NewCaseInput {
                group_size: Some(size),
                ..good()
            };
            assert!(refused(input, "group_size")[0].contains("人数应在1到10000之间"));
        }
        let alone = NewCaseInput {
            group_size: Some(1),
            representatives: vec!["张三".into()],
            ..good()
        };
        assert!(refused(alone, "representatives")[0].contains("一人来访不推选代表"));
        let more_than_came = NewCaseInput {
            group_size: Some(2),
            representatives: vec!["张三".into(), "李四".into(), "王五".into()],
            ..good()
        };
        assert!(refused(more_than_came, "representatives")[0].contains("多于来访人数2人"));
    }

    #[test]
    fn placeholder_phones_are_refused() {
        let input = NewCaseInput {
            phone: "00000000000".into(),
            ..good()
        };
        assert!(refused(input, "phone")[0].contains("全是同一个数字"));
    }

    #[test]
    fn id_of_someone_not_yet_born_or_from_nowhere_is_refused() {
        let input = NewCaseInput {
            // Born 2030-01-01, check character correct.
            id_number: "621122203001011239".into(),
            ..good()
        };
        let msg = refused(input, "id_number");
        assert!(msg[0].contains("晚于今天"), "{msg:?}");
        let nowhere = NewCaseInput {
            id_number: "00000019900101123X".into(),
            ..good()
        };
        assert!(refused(nowhere, "id_number")[0].contains("地址码 000000 不存在"));
    }

    #[test]
    fn check_text_is_the_rule_of_registration_for_other_texts() {
        assert_eq!(
            check_text("进展情况", "已约谈双方\n下周复查", true, 2000, &any_char),
            Ok(())
        );
        assert_eq!(
            check_text("批准人", "李\u{202E}主任", false, 30, &any_char),
            Err("批准人：第2个字符（U+202E）是文字方向控制符，请删去".to_string())
        );
        assert_eq!(
            check_text("说明", &"字".repeat(11), true, 10, &any_char),
            Err("说明：最多10个字（现为11个字），请精简".to_string())
        );
        assert!(check_text("说明", "", false, 10, &any_char).is_ok());
    }
}

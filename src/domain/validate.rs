//! Checking what a clerk (or a script) typed before anything is written: every field against its
//! rule, each error naming the field in Chinese.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Deserialize;

use super::{Gender, IdNumber, Level, Phone, Route};
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
}

/// A field that does not pass, with the key the input used and the message for the clerk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}（{}）：{}",
            field_label(self.field),
            self.field,
            self.message
        )
    }
}

/// The Chinese name of an input field.
pub fn field_label(field: &str) -> &'static str {
    match field {
        "name" => "姓名",
        "id_number" => "身份证号",
        "phone" => "联系电话",
        "gender" => "性别",
        "town" => "乡镇",
        "village" => "村（社区）",
        "address" => "详细地址",
        "channel" => "来源渠道",
        "category" => "事项类别",
        "route" => "办理方式",
        "level" => "办理层级",
        "unit" => "责任单位",
        "request" => "诉求内容",
        "facts" => "事实与理由",
        "reasons" => "理由",
        "place" => "事发地点",
        "group_size" => "人数",
        "representatives" => "代表",
        "received_at" => "受理时间",
        _ => "字段",
    }
}

fn check_text(
    errors: &mut Vec<FieldError>,
    field: &'static str,
    value: &str,
    max: usize,
    required: bool,
) -> String {
    let value = value.trim().to_string();
    if required && value.is_empty() {
        errors.push(FieldError {
            field,
            message: "必填，不能为空".into(),
        });
    }
    let len = value.chars().count();
    if len > max {
        errors.push(FieldError {
            field,
            message: format!("最多{max}个字（现为{len}个字），请精简"),
        });
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        errors.push(FieldError {
            field,
            message: "含有不可见的控制字符，请重新输入".into(),
        });
    }
    value
}

/// Check one choice against the configured list; the message lists what is allowed when short.
fn check_choice(
    errors: &mut Vec<FieldError>,
    field: &'static str,
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

/// Check a whole new case; all errors at once, so a form can mark every bad field.
pub fn validate_new_case(
    input: &NewCaseInput,
    config: &Config,
) -> Result<NewCase, Vec<FieldError>> {
    let mut errors = Vec::new();
    let limits = &config.limits;
    let name = check_text(&mut errors, "name", &input.name, limits.name, true);

    let id_number = match input.id_number.trim() {
        "" => None,
        s => match IdNumber::parse(s) {
            Ok(id) => Some(id),
            Err(e) => {
                errors.push(FieldError {
                    field: "id_number",
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
                    field: "phone",
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
                    field: "gender",
                    message: format!("「{s}」应为 男 或 女"),
                });
                None
            }
        },
    };
    let gender = match (&id_number, typed_gender) {
        (Some(id), Some(g)) if id.gender() != g => {
            errors.push(FieldError {
                field: "gender",
                message: format!("与身份证号不符（身份证号为{}性）", id.gender().label()),
            });
            Some(g)
        }
        (Some(id), _) => Some(id.gender()),
        (None, g) => g,
    };
    let birth_date = id_number.as_ref().map(IdNumber::birth_date);

    let town_names: Vec<String> = config.towns.iter().map(|t| t.name.clone()).collect();
    let town = check_choice(&mut errors, "town", &input.town, &town_names);
    let village = check_text(&mut errors, "village", &input.village, 30, false);
    if let Some(t) = config.town(&town)
        && !village.is_empty()
        && !t.villages.is_empty()
        && !t.villages.contains(&village)
    {
        errors.push(FieldError {
            field: "village",
            message: format!("{town}没有「{village}」，可选：{}", t.villages.join("、")),
        });
    }
    let address = check_text(
        &mut errors,
        "address",
        &input.address,
        limits.address,
        false,
    );
    let channel = check_choice(&mut errors, "channel", &input.channel, &config.channels);
    let categories: Vec<String> = config.categories().cloned().collect();
    let category = check_choice(&mut errors, "category", &input.category, &categories);
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
                field: "route",
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
                    field: "level",
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
                field: "unit",
                message: format!("「{u}」不在责任单位清单中"),
            });
            None
        }
    };
    let request = check_text(&mut errors, "request", &input.request, limits.request, true);
    let facts = check_text(&mut errors, "facts", &input.facts, limits.facts, false);
    let reasons = check_text(
        &mut errors,
        "reasons",
        &input.reasons,
        limits.reasons,
        false,
    );
    let place = check_text(&mut errors, "place", &input.place, limits.address, false);

    let group_size = input.group_size.unwrap_or(1);
    if group_size == 0 {
        errors.push(FieldError {
            field: "group_size",
            message: "人数至少为1".into(),
        });
    }
    let representatives: Vec<String> = input
        .representatives
        .iter()
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty())
        .collect();
    if representatives.len() as u32 > limits.max_representatives {
        errors.push(FieldError {
            field: "representatives",
            message: format!(
                "多人来访推选代表不超过{}人（《信访工作条例》第二十条）",
                limits.max_representatives
            ),
        });
    }
    if let Some(at) = input.received_at
        && at.date_naive() < NaiveDate::from_ymd_opt(2000, 1, 1).expect("valid date")
    {
        errors.push(FieldError {
            field: "received_at",
            message: "受理时间不能早于2000年".into(),
        });
    }

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
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let c = validate_new_case(&good(), &Config::embedded()).unwrap();
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
        let errors = validate_new_case(&input, &Config::embedded()).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
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
        let route = errors.iter().find(|e| e.field == "route").unwrap();
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
        let errors = validate_new_case(&input, &Config::embedded()).unwrap_err();
        assert!(errors[0].message.contains("最多2000个字"), "{errors:?}");
    }

    #[test]
    fn village_must_belong_to_a_town_that_lists_villages() {
        let input = NewCaseInput {
            village: "不存在村".into(),
            ..good()
        };
        assert!(validate_new_case(&input, &Config::embedded()).is_err());
        let elsewhere = NewCaseInput {
            town: "巩昌镇".into(),
            village: "任意社区".into(),
            ..good()
        };
        assert!(validate_new_case(&elsewhere, &Config::embedded()).is_ok());
    }

    #[test]
    fn gender_that_contradicts_the_id_is_refused() {
        let input = NewCaseInput {
            gender: "男".into(),
            ..good()
        };
        let errors = validate_new_case(&input, &Config::embedded()).unwrap_err();
        assert_eq!(errors[0].field, "gender");
    }
}

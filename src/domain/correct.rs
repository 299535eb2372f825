//! 更正: correcting a registered field on the record. The new value passes the same validation
//! as registration; the old and new values and the reason go on the timeline; the case number
//! never changes.

use chrono::{DateTime, FixedOffset};

use super::{
    Case, Effects, EventKind, FieldError, NewCaseInput, Refusal, case_columns, validate_new_case,
};
use crate::clock;
use crate::config::Config;

/// The fields a 更正 may change: the registration's JSON keys. The route, unit, deadline and
/// outcome have actions of their own; the receipt time fixes the number and deadline.
pub const CORRECTABLE: [&str; 17] = [
    "name",
    "id_number",
    "phone",
    "gender",
    "town",
    "village",
    "address",
    "channel",
    "category",
    "request",
    "facts",
    "reasons",
    "place",
    "urgent",
    "legal",
    "group_size",
    "representatives",
];

/// The key of a correctable field, from its key or its Chinese label (`name` or 姓名).
pub fn correction_field(s: &str) -> Result<&'static str, Refusal> {
    let s = s.trim();
    CORRECTABLE
        .iter()
        .find(|k| **k == s || super::validate::field_label(k) == s)
        .copied()
        .ok_or_else(|| {
            let all: Vec<&str> = CORRECTABLE
                .iter()
                .map(|k| super::validate::field_label(k))
                .collect();
            Refusal(format!("不能更正「{s}」；可更正的项目：{}", all.join("、")))
        })
}

/// What the registration of `case` would have read, to check a corrected copy of it.
pub fn input_of(case: &Case) -> NewCaseInput {
    let p = &case.person;
    NewCaseInput {
        name: p.name.clone(),
        id_number: p
            .id_number
            .as_ref()
            .map(|i| i.as_str().to_string())
            .unwrap_or_default(),
        phone: p
            .phone
            .as_ref()
            .map(|i| i.as_str().to_string())
            .unwrap_or_default(),
        gender: p.gender.map(|g| g.label().to_string()).unwrap_or_default(),
        town: p.town.clone(),
        village: p.village.clone(),
        address: p.address.clone(),
        channel: case.channel.clone(),
        category: case.category.clone(),
        route: case.route.label().to_string(),
        level: case
            .level
            .map(|l| l.label().to_string())
            .unwrap_or_default(),
        unit: case.unit.clone().unwrap_or_default(),
        request: case.request.clone(),
        facts: case.facts.clone(),
        reasons: case.reasons.clone(),
        place: case.place.clone(),
        urgent: case.urgent,
        legal: case.legal,
        group_size: Some(case.group_size),
        representatives: case.representatives.clone(),
        received_at: Some(case.received_at),
    }
}

fn yes_no(field: &str, value: &str) -> Result<bool, Refusal> {
    match value.trim() {
        "是" | "true" | "1" | "yes" => Ok(true),
        "否" | "false" | "0" | "no" => Ok(false),
        other => Err(Refusal(format!(
            "{}应为 是 或 否（现为「{other}」）",
            super::validate::field_label(field)
        ))),
    }
}

fn shown(field: &str, input: &NewCaseInput) -> String {
    match field {
        "name" => input.name.clone(),
        "id_number" => input.id_number.clone(),
        "phone" => input.phone.clone(),
        "gender" => input.gender.clone(),
        "town" => input.town.clone(),
        "village" => input.village.clone(),
        "address" => input.address.clone(),
        "channel" => input.channel.clone(),
        "category" => input.category.clone(),
        "request" => input.request.clone(),
        "facts" => input.facts.clone(),
        "reasons" => input.reasons.clone(),
        "place" => input.place.clone(),
        "urgent" | "legal" => {
            let v = if field == "urgent" {
                input.urgent
            } else {
                input.legal
            };
            if v { "是" } else { "否" }.to_string()
        }
        "group_size" => input.group_size.unwrap_or(1).to_string(),
        "representatives" => input.representatives.join("、"),
        _ => String::new(),
    }
}

/// Why a correction is refused: the value does not pass (per field), or the request is wrong.
#[derive(Debug, Clone, PartialEq)]
pub enum CorrectionError {
    Invalid(Vec<FieldError>),
    Refused(Refusal),
}

impl From<Refusal> for CorrectionError {
    fn from(r: Refusal) -> Self {
        CorrectionError::Refused(r)
    }
}

/// The event of correcting `field` of `case` to `value`: the fields it changes (an ID number
/// also changes the gender and birth date it carries), with the old and new values and the
/// reason for the timeline.
pub fn correction_effects(
    case: &Case,
    field: &str,
    value: &str,
    reason: &str,
    now: DateTime<FixedOffset>,
    config: &Config,
    printable: &dyn Fn(char) -> bool,
) -> Result<Effects, CorrectionError> {
    let field = correction_field(field)?;
    if reason.trim().is_empty() {
        return Err(Refusal("「更正」须填写更正理由".into()).into());
    }
    if reason.trim().chars().count() > config.limits.note {
        return Err(Refusal(format!("更正理由最多{}个字", config.limits.note)).into());
    }
    let old = input_of(case);
    let mut new = old.clone();
    let v = value.trim().to_string();
    match field {
        "name" => new.name = v,
        "id_number" => {
            new.id_number = v;
            // The gender follows the new ID number.
            new.gender = String::new();
        }
        "phone" => new.phone = v,
        "gender" => new.gender = v,
        "town" => {
            new.town = v;
            new.village = String::new();
        }
        "village" => new.village = v,
        "address" => new.address = v,
        "channel" => new.channel = v,
        "category" => new.category = v,
        "request" => new.request = v,
        "facts" => new.facts = v,
        "reasons" => new.reasons = v,
        "place" => new.place = v,
        "urgent" => new.urgent = yes_no(field, &v)?,
        "legal" => new.legal = yes_no(field, &v)?,
        "group_size" => {
            new.group_size = Some(
                v.parse()
                    .map_err(|_| Refusal(format!("人数应为正整数（现为「{v}」）")))?,
            )
        }
        "representatives" => {
            new.representatives = v
                .split(['、', ',', '，', ';', '；'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        }
        _ => unreachable!("correction_field returns only correctable keys"),
    }
    // The receipt time is not being corrected: a case received long ago must not fail the
    // receipt-time rules of today.
    new.received_at = None;
    let checked = validate_new_case(&new, config, now, printable).map_err(|errors| {
        // Only what this correction touches: an old field that would not pass today's rules
        // is not this clerk's doing.
        let own: Vec<FieldError> = errors
            .iter()
            .filter(|e| {
                e.field == field
                    || (field == "id_number" && e.field == "gender")
                    || (field == "town" && e.field == "village")
            })
            .cloned()
            .collect();
        if own.is_empty() {
            CorrectionError::Refused(Refusal(
                errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("；"),
            ))
        } else {
            CorrectionError::Invalid(own)
        }
    })?;
    let after = case_columns(&checked);
    let current = stored_columns(case);
    let mut e = Effects::new(EventKind::Correct);
    for (k, v) in &after {
        if current.get(k) != Some(v) {
            e = e.set(k, v.clone());
        }
    }
    if e.set.is_empty() {
        return Err(Refusal("新值与原值相同，无需更正".into()).into());
    }
    let shown_new = shown(field, &{
        let mut n = new.clone();
        if field == "id_number" || field == "phone" {
            n.id_number = checked
                .id_number
                .as_ref()
                .map(|i| i.as_str().to_string())
                .unwrap_or_default();
            n.phone = checked
                .phone
                .as_ref()
                .map(|p| p.as_str().to_string())
                .unwrap_or_default();
        }
        n
    });
    Ok(e.set("updated_at", clock::format(&now))
        .note("field", field)
        .note("label", super::validate::field_label(field))
        .note("old", shown(field, &old))
        .note("new", shown_new)
        .note("reason", reason.trim()))
}

/// The registration columns of a case as it is stored now.
fn stored_columns(case: &Case) -> serde_json::Map<String, serde_json::Value> {
    use serde_json::Value;
    let p = &case.person;
    let mut m = serde_json::Map::new();
    let mut put = |k: &str, v: Value| {
        m.insert(k.to_string(), v);
    };
    put("name", p.name.clone().into());
    put(
        "gender",
        p.gender.map_or(Value::Null, |g| {
            i64::from(g == super::Gender::Female).into()
        }),
    );
    put(
        "birth_date",
        p.birth_date
            .map_or(Value::Null, |d| d.format("%Y-%m-%d").to_string().into()),
    );
    put(
        "id_number",
        p.id_number
            .as_ref()
            .map_or(Value::Null, |i| i.as_str().into()),
    );
    put(
        "phone",
        p.phone.as_ref().map_or(Value::Null, |i| i.as_str().into()),
    );
    put("town", p.town.clone().into());
    put("village", p.village.clone().into());
    put("address", p.address.clone().into());
    put("channel", case.channel.clone().into());
    put("category", case.category.clone().into());
    put("group_size", case.group_size.into());
    put(
        "representatives",
        serde_json::to_string(&case.representatives)
            .unwrap_or_else(|_| "[]".into())
            .into(),
    );
    put("request", case.request.clone().into());
    put("facts", case.facts.clone().into());
    put("reasons", case.reasons.clone().into());
    put("place", case.place.clone().into());
    put("urgent", i64::from(case.urgent).into());
    put("legal", i64::from(case.legal).into());
    m
}

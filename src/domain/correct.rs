//! 更正: correcting a registered field on the record. The new value passes the same validation
//! as registration; the old and new values and the reason go on the timeline; the case number
//! never changes.

use chrono::{DateTime, FixedOffset};

use super::{
    Case, Effects, EventKind, Field, FieldError, NewCaseInput, Refusal, case_columns,
    validate_new_case,
};
use crate::clock;
use crate::config::Config;

/// The fields a 更正 may change: the registration's JSON keys. The route, unit, deadline and
/// outcome have actions of their own; the receipt time fixes the number and deadline.
pub const CORRECTABLE: [Field; 17] = [
    Field::Name,
    Field::IdNumber,
    Field::Phone,
    Field::Gender,
    Field::Town,
    Field::Village,
    Field::Address,
    Field::Channel,
    Field::Category,
    Field::Request,
    Field::Facts,
    Field::Reasons,
    Field::Place,
    Field::Urgent,
    Field::Legal,
    Field::GroupSize,
    Field::Representatives,
];

/// The key of a correctable field, from its key or its Chinese label (`name` or 姓名).
pub fn correction_field(s: &str) -> Result<Field, Refusal> {
    let s = s.trim();
    Field::parse(s)
        .filter(|f| CORRECTABLE.contains(f))
        .ok_or_else(|| {
            let all: Vec<&str> = CORRECTABLE.iter().map(|f| f.label()).collect();
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
        // The answer is the 办结's, not the registration's: 更正 leaves it alone.
        outcome: String::new(),
        result: String::new(),
        basis: String::new(),
    }
}

fn yes_no(field: Field, value: &str) -> Result<bool, Refusal> {
    match value.trim() {
        "是" | "true" | "1" | "yes" => Ok(true),
        "否" | "false" | "0" | "no" => Ok(false),
        other => Err(Refusal(format!(
            "{}应为 是 或 否（现为「{other}」）",
            field.label()
        ))),
    }
}

fn shown(field: Field, input: &NewCaseInput) -> String {
    match field {
        Field::Name => input.name.clone(),
        Field::IdNumber => input.id_number.clone(),
        Field::Phone => input.phone.clone(),
        Field::Gender => input.gender.clone(),
        Field::Town => input.town.clone(),
        Field::Village => input.village.clone(),
        Field::Address => input.address.clone(),
        Field::Channel => input.channel.clone(),
        Field::Category => input.category.clone(),
        Field::Request => input.request.clone(),
        Field::Facts => input.facts.clone(),
        Field::Reasons => input.reasons.clone(),
        Field::Place => input.place.clone(),
        Field::Urgent | Field::Legal => {
            let v = if field == Field::Urgent {
                input.urgent
            } else {
                input.legal
            };
            if v { "是" } else { "否" }.to_string()
        }
        Field::GroupSize => input.group_size.unwrap_or(1).to_string(),
        Field::Representatives => input.representatives.join("、"),
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
        Field::Name => new.name = v,
        Field::IdNumber => {
            new.id_number = v;
            // The gender follows the new ID number.
            new.gender = String::new();
        }
        Field::Phone => new.phone = v,
        Field::Gender => new.gender = v,
        Field::Town => {
            new.town = v;
            new.village = String::new();
        }
        Field::Village => new.village = v,
        Field::Address => new.address = v,
        Field::Channel => new.channel = v,
        Field::Category => new.category = v,
        Field::Request => new.request = v,
        Field::Facts => new.facts = v,
        Field::Reasons => new.reasons = v,
        Field::Place => new.place = v,
        Field::Urgent => new.urgent = yes_no(field, &v)?,
        Field::Legal => new.legal = yes_no(field, &v)?,
        Field::GroupSize => {
            new.group_size = Some(
                v.parse()
                    .map_err(|_| Refusal(format!("人数应为正整数（现为「{v}」）")))?,
            )
        }
        Field::Representatives => {
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
                    || (field == Field::IdNumber && e.field == Field::Gender)
                    || (field == Field::Town && e.field == Field::Village)
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
        if field == Field::IdNumber || field == Field::Phone {
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
        .note("field", field.key())
        .note("label", field.label())
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

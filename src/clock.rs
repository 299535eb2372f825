//! The time of day as the center lives it: China Standard Time (UTC+8), whatever the host's zone.
//! `MINSHI_NOW` (RFC 3339) fixes the clock for tests and demonstrations.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

pub fn china() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// Now, at +08:00.
pub fn now() -> DateTime<FixedOffset> {
    if let Ok(fixed) = std::env::var("MINSHI_NOW")
        && let Ok(t) = DateTime::parse_from_rfc3339(fixed.trim())
    {
        return t.with_timezone(&china());
    }
    Utc::now().with_timezone(&china())
}

pub fn today() -> NaiveDate {
    now().date_naive()
}

/// `2026-03-05T14:30:00+08:00`, the form every stored time takes.
pub fn format(t: &DateTime<FixedOffset>) -> String {
    t.with_timezone(&china())
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

pub fn parse(s: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(s).ok()
}

/// The name of whoever runs the program, for the timeline.
pub fn os_user() -> String {
    std::env::var("USER")
        .ok()
        .filter(|u| !u.is_empty())
        .or_else(|| whoami::fallible::username().ok())
        .unwrap_or_else(|| "unknown".to_string())
}

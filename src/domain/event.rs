//! What an event of the register is: its kind (stored as a code), the case fields it sets, and
//! the words it reads as on the timeline. The lifecycle computes events as `Effects`; the store
//! persists them, chains them and replays them in `check`.

use serde_json::{Map, Value};

labeled!(
    /// Every kind of event the register records. Stored as `code()`: append, never reorder.
    EventKind {
        Register => "登记",
        Dispatch => "分流",
        Accept => "签收",
        Return => "退单",
        Progress => "进展",
        Extend => "延期",
        Urge => "督办",
        Close => "办结",
        FollowUp => "回访",
        Archive => "归档",
        Reopen => "重办",
        Decline => "不予受理",
        Merge => "合并",
        AbsorbDuplicate => "收并重复件",
        AddEvidence => "添加证据",
        PrintSlip => "打印回执",
        PrintForm => "打印办理书",
        Correct => "更正",
        Legacy => "早期记录",
        Migrate => "迁移",
        AddAccount => "新建账号",
        ChangeAccount => "修改账号",
        AddVisit => "记录走访",
        AddReport => "填报民意报告单",
        Triage => "研判",
        AddMeeting => "民心沟通会",
        Feedback => "沟通会反馈",
        AddOpinion => "沟通会意见",
        LinkReport => "民意报告单",
        RepeatReport => "重复反映",
        PrintRecord => "打印",
    }
);

impl EventKind {
    /// Steps of handling the matter, as opposed to paper, corrections of the record and
    /// bookkeeping: what the 办理书's 办理过程 lists. An event from before kinds were stored
    /// (`Legacy`) is judged by the words it was recorded with: see `Event::is_handling_step`.
    pub fn is_handling_step(&self) -> bool {
        matches!(
            self,
            EventKind::Register
                | EventKind::Dispatch
                | EventKind::Accept
                | EventKind::Return
                | EventKind::Progress
                | EventKind::Extend
                | EventKind::Urge
                | EventKind::Close
                | EventKind::FollowUp
                | EventKind::Archive
                | EventKind::Reopen
                | EventKind::Decline
                | EventKind::Merge
                | EventKind::AbsorbDuplicate
                | EventKind::LinkReport
                | EventKind::RepeatReport
        )
    }
}

/// What one event does: its kind, the case fields it sets (column name → stored value), and
/// what else the timeline needs to say it in words.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Effects {
    pub kind: Option<EventKind>,
    pub set: Map<String, Value>,
    pub data: Map<String, Value>,
}

impl Effects {
    pub fn new(kind: EventKind) -> Effects {
        Effects {
            kind: Some(kind),
            ..Effects::default()
        }
    }

    pub fn kind(&self) -> EventKind {
        self.kind.unwrap_or(EventKind::Legacy)
    }

    pub fn set(mut self, column: &str, value: impl Into<Value>) -> Effects {
        self.set.insert(column.to_string(), value.into());
        self
    }

    pub fn note(mut self, key: &str, value: impl Into<Value>) -> Effects {
        self.data.insert(key.to_string(), value.into());
        self
    }

    /// The event's stored payload: the fields it sets under `set`, its other data beside them.
    /// serde_json keeps object keys sorted, so the text is canonical.
    pub fn payload(&self) -> Value {
        let mut data = self.data.clone();
        if !self.set.is_empty() {
            data.insert("set".into(), Value::Object(self.set.clone()));
        }
        Value::Object(data)
    }

    /// `payload().to_string()`, written straight from the maps: every event of a bulk load
    /// makes one, and copying its maps first cost more than writing it.
    pub fn payload_text(&self) -> String {
        serde_json::to_string(&Payload(self)).unwrap_or_default()
    }
}

/// The payload as `payload` builds it: the data's keys in order, `set` among them in its place.
struct Payload<'a>(&'a Effects);

impl serde::Serialize for Payload<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let e = self.0;
        let with_set = !e.set.is_empty();
        let len = e.data.len() + usize::from(with_set && !e.data.contains_key("set"));
        let mut map = s.serialize_map(Some(len))?;
        let mut set_written = !with_set;
        for (k, v) in &e.data {
            if !set_written && k.as_str() >= "set" {
                map.serialize_entry("set", &e.set)?;
                set_written = true;
                if k == "set" {
                    continue;
                }
            }
            map.serialize_entry(k, v)?;
        }
        if !set_written {
            map.serialize_entry("set", &e.set)?;
        }
        map.end()
    }
}

fn text<'a>(data: &'a Value, key: &str) -> &'a str {
    data.get(key)
        .or_else(|| data.get("set").and_then(|s| s.get(key)))
        .and_then(Value::as_str)
        .unwrap_or("")
}

fn number(data: &Value, key: &str) -> Option<i64> {
    data.get(key)
        .or_else(|| data.get("set").and_then(|s| s.get(key)))
        .and_then(Value::as_i64)
}

fn with_note(head: String, note: &str) -> String {
    if note.trim().is_empty() {
        head
    } else {
        format!("{head}：{}", note.trim())
    }
}

/// The words an event reads as on the timeline, from its kind and payload.
pub fn describe(kind: EventKind, data: &Value) -> String {
    use super::{Level, Outcome, Route, Satisfaction};
    let label =
        |code: Option<i64>, f: fn(i64) -> Option<&'static str>| code.and_then(f).unwrap_or("");
    match kind {
        EventKind::Register => {
            let mut s = format!(
                "{}受理，{}，{}，办理期限至{}",
                text(data, "channel"),
                text(data, "category"),
                label(number(data, "route"), |c| Route::from_code(c)
                    .map(|r| r.label())),
                text(data, "due_date")
            );
            let warning = text(data, "warning");
            if !warning.is_empty() {
                s.push('；');
                s.push_str(warning);
            }
            s
        }
        EventKind::Dispatch => with_note(
            format!(
                "分流至{}（{}级）",
                text(data, "unit"),
                label(number(data, "level"), |c| Level::from_code(c)
                    .map(|l| l.label()))
            ),
            text(data, "note"),
        ),
        EventKind::Accept => with_note(format!("{}签收", text(data, "unit")), text(data, "note")),
        EventKind::Return => format!("{}退回中心：{}", text(data, "unit"), text(data, "reason")),
        EventKind::Progress => {
            let on = text(data, "happened_on");
            if on.is_empty() {
                text(data, "note").to_string()
            } else {
                format!("{on}：{}", text(data, "note"))
            }
        }
        // A 督办 issued with a 督办通知单 names the notice.
        EventKind::Urge => match text(data, "urge_no") {
            "" => text(data, "note").to_string(),
            no => with_note(format!("督办通知单{no}"), text(data, "note")),
        },
        EventKind::Archive => {
            let mut s = text(data, "note").to_string();
            let missing = text(data, "missing_evidence");
            if !missing.is_empty() {
                if !s.is_empty() {
                    s.push('；');
                }
                s.push_str(&format!(
                    "缺少证据{missing}，经{}确认归档",
                    text(data, "confirmed_by")
                ));
            }
            s
        }
        EventKind::Extend => format!(
            "延期{}日，期限由{}延至{}，理由：{}，批准人：{}",
            number(data, "ext_days").unwrap_or(0),
            text(data, "ext_previous_due"),
            text(data, "due_date"),
            text(data, "ext_reason"),
            text(data, "ext_approver")
        ),
        EventKind::Close => {
            let late = if number(data, "on_time") == Some(0) {
                "（超期办结）"
            } else {
                ""
            };
            format!(
                "{}：{}{late}",
                label(number(data, "outcome"), |c| Outcome::from_code(c)
                    .map(|o| o.label())),
                text(data, "result")
            )
        }
        EventKind::FollowUp => with_note(
            format!(
                "{}回访，{}",
                text(data, "fu_way"),
                label(number(data, "fu_satisfaction"), |c| {
                    Satisfaction::from_code(c).map(|s| s.label())
                })
            ),
            text(data, "fu_notes"),
        ),
        EventKind::Reopen => format!(
            "{}；重新办理，期限至{}",
            text(data, "reason"),
            text(data, "due_date")
        ),
        EventKind::Decline => text(data, "decline_reason").to_string(),
        EventKind::Merge => format!("作为重复件合并至{}", text(data, "into")),
        EventKind::AbsorbDuplicate => format!("合并重复件{}", text(data, "duplicate")),
        EventKind::AddEvidence => {
            let e = data.get("evidence").unwrap_or(&Value::Null);
            let sha = text(e, "sha256");
            format!(
                "{}：{}（{}页，SHA-256 {}）",
                super::EvidenceKind::from_code(number(e, "kind").unwrap_or(-1))
                    .map_or("", |k| k.label()),
                text(e, "title"),
                number(e, "pages").unwrap_or(0),
                &sha[..sha.len().min(12)]
            )
        }
        EventKind::PrintSlip => "打印受理回执".into(),
        EventKind::PrintForm => {
            let count = number(data, "print_count").unwrap_or(1);
            let mut s = if count <= 1 {
                format!("首次打印民事办理书，编号{}", text(data, "form_no"))
            } else {
                format!("补打民事办理书{}（第{count}次打印）", text(data, "form_no"))
            };
            let missing = text(data, "missing_evidence");
            if !missing.is_empty() {
                s.push_str(&format!(
                    "；缺少证据{missing}，经{}确认",
                    text(data, "confirmed_by")
                ));
            }
            s
        }
        EventKind::Correct => format!(
            "更正{}：「{}」改为「{}」，理由：{}",
            text(data, "label"),
            text(data, "old"),
            text(data, "new"),
            text(data, "reason")
        ),
        EventKind::Legacy => text(data, "text").to_string(),
        EventKind::Migrate => "升级数据库时记录的案件现状".into(),
        EventKind::AddVisit => {
            let set = data.get("set").unwrap_or(&Value::Null);
            format!(
                "{}走访{}{}{}",
                text(set, "visited_on"),
                text(set, "town"),
                text(set, "village"),
                text(set, "name")
            )
        }
        EventKind::AddReport => {
            let set = data.get("set").unwrap_or(&Value::Null);
            format!(
                "{}（{}）：{}",
                text(set, "report_no"),
                text(set, "source"),
                text(set, "request")
            )
        }
        EventKind::Triage => {
            let set = data.get("set").unwrap_or(&Value::Null);
            let how = label(number(set, "status"), |c| {
                super::records::ReportStatus::from_code(c).map(|s| s.label())
            });
            with_note(
                format!("{}研判：{how}", text(data, "report_no")),
                text(set, "triage_text"),
            )
        }
        EventKind::AddMeeting => {
            let set = data.get("set").unwrap_or(&Value::Null);
            format!("{}：{}", text(set, "meeting_no"), text(set, "title"))
        }
        EventKind::Feedback => with_note(
            format!("{}反馈{}", text(data, "meeting_no"), text(data, "case_no")),
            text(data.get("set").unwrap_or(&Value::Null), "told"),
        ),
        EventKind::AddOpinion => {
            let set = data.get("set").unwrap_or(&Value::Null);
            with_note(
                format!("{}意见：{}", text(data, "meeting_no"), text(set, "text")),
                text(data, "report_no"),
            )
        }
        EventKind::LinkReport => format!("由民意报告单{}立案", text(data, "report_no")),
        EventKind::RepeatReport => format!(
            "民意报告单{}反映同一事项，并入本案",
            text(data, "report_no")
        ),
        EventKind::PrintRecord => {
            let set = data.get("set").unwrap_or(&Value::Null);
            let times = |key: &str| number(set, key).unwrap_or(1);
            match text(data, "paper") {
                "report" => format!(
                    "打印民意报告单{}（第{}次）",
                    text(data, "report_no"),
                    times("prints")
                ),
                "minutes" => format!(
                    "打印{}的会议记录（第{}次）",
                    text(data, "meeting_no"),
                    times("minutes_prints")
                ),
                "notice" => format!(
                    "打印{}的情况通报（公示，第{}次）",
                    text(data, "meeting_no"),
                    times("notice_prints")
                ),
                "notebook" => format!(
                    "打印{}的民情笔记本（{}至{}，走访{}次）",
                    text(data, "cadre_name"),
                    text(data, "from"),
                    text(data, "to"),
                    number(data, "visits").unwrap_or(0)
                ),
                other => format!("打印{other}"),
            }
        }
        EventKind::AddAccount | EventKind::ChangeAccount => {
            let set = data.get("set").unwrap_or(&Value::Null);
            with_note(
                format!("{}（{}）", text(set, "login"), text(set, "real_name")),
                text(data, "what"),
            )
        }
    }
}

/// The label a timeline shows for an event: an old event keeps the words it was recorded with.
pub fn action_label(kind: EventKind, data: &Value) -> String {
    match (kind, data.get("action").and_then(Value::as_str)) {
        (EventKind::Legacy, Some(a)) => a.to_string(),
        _ => kind.label().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_keys_are_sorted_so_the_text_is_canonical() {
        let a = Effects::new(EventKind::Progress)
            .note("note", "x")
            .set("updated_at", "t")
            .set("status", 2);
        let b = Effects::new(EventKind::Progress)
            .set("status", 2)
            .set("updated_at", "t")
            .note("note", "x");
        assert_eq!(a.payload().to_string(), b.payload().to_string());
        assert_eq!(
            a.payload().to_string(),
            r#"{"note":"x","set":{"status":2,"updated_at":"t"}}"#
        );
    }

    #[test]
    fn the_payload_text_is_the_payload() {
        let cases = [
            Effects::new(EventKind::Progress),
            Effects::new(EventKind::Progress)
                .note("a", 1)
                .note("z", "y"),
            Effects::new(EventKind::Progress).set("status", 2),
            Effects::new(EventKind::Progress)
                .note("note", "引号\"和\n换行")
                .note("zz", serde_json::Value::Null)
                .set("status", 2)
                .set("fu_notes", "x"),
            Effects::new(EventKind::Progress)
                .note("set", "a note named set")
                .note("sa", 1)
                .note("sz", 2),
            Effects::new(EventKind::Progress)
                .note("set", "replaced")
                .set("status", 1),
        ];
        for e in cases {
            assert_eq!(e.payload_text(), e.payload().to_string());
        }
    }

    #[test]
    fn event_codes_are_stable() {
        assert_eq!(EventKind::Register.code(), 0);
        assert_eq!(EventKind::Merge.code(), 12);
        assert_eq!(EventKind::Correct.code(), 17);
        assert_eq!(EventKind::ChangeAccount.code(), 21);
        assert_eq!(EventKind::LinkReport.code(), 28);
    }
}

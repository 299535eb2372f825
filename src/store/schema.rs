//! The schema and its migrations, applied in order under `BEGIN IMMEDIATE` so that several
//! processes opening a new file at once migrate it exactly once.
//!
//! rusqlite_migration 2.6 would do the bookkeeping, but it builds only against rusqlite 0.40;
//! staying on rusqlite 0.43 (newer bundled SQLite, `contentless_delete` FTS5) costs these few lines.

use rusqlite::{Connection, TransactionBehavior};

/// `MSHI`: marks a file as ours, so that another program's database is refused, not migrated.
pub const APPLICATION_ID: i64 = 0x4D53_4849;

/// One step of the schema: SQL, or SQL followed by work done in Rust (hashing the timeline).
enum Step {
    Sql(&'static str),
    SqlThen(
        &'static str,
        fn(&rusqlite::Transaction) -> rusqlite::Result<()>,
    ),
}

/// Each entry moves the schema from version i to i + 1. Append only; never edit a shipped one.
const MIGRATIONS: &[Step] = &[
    Step::Sql(
        // 1: the register, its timeline, numbering, forms, evidence, search and tallies.
        r#"
    CREATE TABLE cases (
        id              INTEGER PRIMARY KEY,
        year            INTEGER NOT NULL,
        seq             INTEGER NOT NULL,
        case_no         TEXT NOT NULL,
        received_at     TEXT NOT NULL,
        received_date   TEXT NOT NULL,
        registered_at   TEXT NOT NULL,
        channel         TEXT NOT NULL,
        clerk           TEXT NOT NULL,
        name            TEXT NOT NULL,
        gender          INTEGER,
        birth_date      TEXT,
        id_number       TEXT,
        phone           TEXT,
        town            TEXT NOT NULL,
        village         TEXT NOT NULL,
        address         TEXT NOT NULL,
        group_size      INTEGER NOT NULL,
        representatives TEXT NOT NULL,
        category        TEXT NOT NULL,
        request         TEXT NOT NULL,
        facts           TEXT NOT NULL,
        reasons         TEXT NOT NULL,
        place           TEXT NOT NULL,
        urgent          INTEGER NOT NULL,
        legal           INTEGER NOT NULL,
        repeat          INTEGER NOT NULL,
        route           INTEGER NOT NULL,
        level           INTEGER,
        unit            TEXT,
        due_date        TEXT NOT NULL,
        due_basis       TEXT NOT NULL,
        ext_days        INTEGER,
        ext_previous_due TEXT,
        ext_reason      TEXT,
        ext_approver    TEXT,
        status          INTEGER NOT NULL,
        outcome         INTEGER,
        result          TEXT,
        result_basis    TEXT,
        closed_at       TEXT,
        on_time         INTEGER,
        fu_date         TEXT,
        fu_way          TEXT,
        fu_satisfaction INTEGER,
        fu_notes        TEXT,
        decline_reason  TEXT,
        duplicate_of    INTEGER REFERENCES cases(id),
        updated_at      TEXT NOT NULL,
        UNIQUE (year, seq)
    );
    -- The board: open cases (已登记, 已分流, 办理中 = codes 0, 1, 2) by due date, whole and per filter.
    -- A range, not `IN (0, 1, 2)`: an IN list costs an ephemeral table per row written.
    CREATE INDEX cases_open_due ON cases(due_date, id) WHERE status < 3;
    CREATE INDEX cases_open_town ON cases(town, due_date, id) WHERE status < 3;
    CREATE INDEX cases_open_unit ON cases(unit, due_date, id) WHERE status < 3;
    CREATE INDEX cases_open_category ON cases(category, due_date, id) WHERE status < 3;
    CREATE INDEX cases_open_status ON cases(status, due_date, id) WHERE status < 3;
    -- Earlier cases of the same person, the ledger by date, lists by status.
    CREATE INDEX cases_id_number ON cases(id_number) WHERE id_number IS NOT NULL;
    CREATE INDEX cases_phone ON cases(phone) WHERE phone IS NOT NULL;
    CREATE INDEX cases_name ON cases(name);
    CREATE INDEX cases_received ON cases(received_date);
    CREATE INDEX cases_status ON cases(status, id);
    CREATE INDEX cases_duplicate_of ON cases(duplicate_of) WHERE duplicate_of IS NOT NULL;

    CREATE TABLE events (
        id      INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        at      TEXT NOT NULL,
        actor   TEXT NOT NULL,
        action  TEXT NOT NULL,
        details TEXT NOT NULL
    );
    CREATE INDEX events_case ON events(case_id, id);

    -- Gap-free number series per year: 'case' and 'form'.
    CREATE TABLE counters (
        series TEXT NOT NULL,
        year   INTEGER NOT NULL,
        last   INTEGER NOT NULL,
        PRIMARY KEY (series, year)
    ) WITHOUT ROWID;

    -- The 办理书 number of a case, issued at its first print.
    CREATE TABLE forms (
        case_id          INTEGER PRIMARY KEY REFERENCES cases(id),
        year             INTEGER NOT NULL,
        seq              INTEGER NOT NULL,
        first_printed_at TEXT NOT NULL,
        print_count      INTEGER NOT NULL,
        UNIQUE (year, seq)
    );

    CREATE TABLE evidence (
        id        INTEGER PRIMARY KEY,
        case_id   INTEGER NOT NULL REFERENCES cases(id),
        seq       INTEGER NOT NULL,
        kind      INTEGER NOT NULL,
        title     TEXT NOT NULL,
        pages     INTEGER NOT NULL,
        file_name TEXT NOT NULL,
        size      INTEGER NOT NULL,
        sha256    TEXT NOT NULL,
        added_at  TEXT NOT NULL,
        added_by  TEXT NOT NULL,
        UNIQUE (case_id, seq)
    );

    -- Running totals for the board's header (化解率 and the rest), kept in the same transactions
    -- that change cases; `minshi check` recounts them.
    CREATE TABLE tallies (
        name TEXT PRIMARY KEY,
        n    INTEGER NOT NULL
    ) WITHOUT ROWID;
    INSERT INTO tallies (name, n) VALUES
        ('received', 0), ('closed', 0), ('on_time', 0), ('followed_up', 0), ('satisfied', 0);

    -- Bigrams of name, address, request text, phone and ID, tokenised in Rust (see search.rs):
    -- a trigram index would silently miss two-character words such as 王芳 or 工资.
    CREATE VIRTUAL TABLE search USING fts5(
        name, address, body, phone, id_number,
        content = '', contentless_delete = 1, tokenize = 'ascii', detail = 'full'
    );
    "#,
    ),
    // 2: accounts; events with kind codes, the fields they set and a hash chain.
    Step::SqlThen(
        r#"
    CREATE TABLE accounts (
        id         INTEGER PRIMARY KEY,
        login      TEXT NOT NULL UNIQUE,
        real_name  TEXT NOT NULL,
        role       INTEGER NOT NULL,
        center     TEXT NOT NULL,
        active     INTEGER NOT NULL,
        os_user    TEXT UNIQUE,
        password   TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    -- Failed logins: not history, so not on the chain.
    CREATE TABLE login_failures (
        account_id   INTEGER PRIMARY KEY REFERENCES accounts(id),
        failures     INTEGER NOT NULL,
        locked_until TEXT
    );
    ALTER TABLE cases ADD COLUMN clerk_id INTEGER REFERENCES accounts(id);

    CREATE TABLE events_v2 (
        id         INTEGER PRIMARY KEY,
        case_id    INTEGER REFERENCES cases(id),
        account_id INTEGER REFERENCES accounts(id),
        at         TEXT NOT NULL,
        actor      TEXT NOT NULL,
        actor_name TEXT NOT NULL,
        kind       INTEGER NOT NULL,
        data       TEXT NOT NULL,
        hash       BLOB NOT NULL
    );
    INSERT INTO events_v2 (id, case_id, at, actor, actor_name, kind, data, hash)
        SELECT id, case_id, at, actor, actor, 18, '', x'' FROM events;
    CREATE TEMP TABLE legacy_events AS SELECT id, action, details FROM events;
    DROP TABLE events;
    ALTER TABLE events_v2 RENAME TO events;
    CREATE INDEX events_case ON events(case_id, id) WHERE case_id IS NOT NULL;
    CREATE INDEX events_account ON events(account_id, id) WHERE account_id IS NOT NULL;
    "#,
        super::chain::migrate_legacy,
    ),
    // 3: statistics. Per case, the history its row forgets (first ending, every 回访); per day
    // and per month, the sums of every figure by each break-down (with the case's town, so a
    // town's center can break its own figures down). Kept by `Writer` in the same
    // transactions as the cases; `check` recounts both from the events.
    Step::SqlThen(
        r#"
    CREATE TABLE case_stats (
        case_id       INTEGER PRIMARY KEY REFERENCES cases(id),
        first_end     TEXT,
        first_kind    INTEGER,
        first_on_time INTEGER,
        fu            TEXT NOT NULL,
        multi_fu      INTEGER NOT NULL
    );
    CREATE INDEX case_stats_multi_fu ON case_stats(case_id) WHERE multi_fu;
    CREATE TABLE stat_agg (
        grain        INTEGER NOT NULL,
        dim          INTEGER NOT NULL,
        period       INTEGER NOT NULL,
        town         TEXT NOT NULL,
        value        TEXT NOT NULL,
        received     INTEGER NOT NULL DEFAULT 0,
        repeated     INTEGER NOT NULL DEFAULT 0,
        resolved     INTEGER NOT NULL DEFAULT 0,
        res_village  INTEGER NOT NULL DEFAULT 0,
        res_township INTEGER NOT NULL DEFAULT 0,
        res_county   INTEGER NOT NULL DEFAULT 0,
        ended        INTEGER NOT NULL DEFAULT 0,
        on_time      INTEGER NOT NULL DEFAULT 0,
        days         INTEGER NOT NULL DEFAULT 0,
        ended_closed INTEGER NOT NULL DEFAULT 0,
        closed_fu    INTEGER NOT NULL DEFAULT 0,
        fu           INTEGER NOT NULL DEFAULT 0,
        fu_satisfied INTEGER NOT NULL DEFAULT 0,
        open_due     INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (grain, dim, period, town, value)
    ) WITHOUT ROWID;
    "#,
        super::stats::backfill,
    ),
    // 4: 一本、一单、一会 — visits of the cadres' notebook, report forms with their triage,
    // meetings with the cases fed back and the opinions raised. Each row is set by chained
    // events (case_id and account_id NULL, the row's id in the payload), like an account.
    Step::Sql(
        r#"
    CREATE TABLE visits (
        id          INTEGER PRIMARY KEY,
        visited_on  TEXT NOT NULL,
        cadre_id    INTEGER NOT NULL REFERENCES accounts(id),
        cadre       TEXT NOT NULL,
        cadre_name  TEXT NOT NULL,
        companions  TEXT NOT NULL,
        name        TEXT NOT NULL,
        phone       TEXT,
        town        TEXT NOT NULL,
        village     TEXT NOT NULL,
        grp         TEXT NOT NULL,
        address     TEXT NOT NULL,
        kind        TEXT NOT NULL,
        situation   TEXT NOT NULL,
        raised      TEXT NOT NULL,
        answered    TEXT NOT NULL,
        follow_up   TEXT NOT NULL,
        recorded_at TEXT NOT NULL
    );
    CREATE INDEX visits_cadre ON visits(cadre_id, visited_on, id);
    CREATE INDEX visits_place ON visits(town, village, visited_on, id);
    CREATE INDEX visits_day ON visits(visited_on, id);

    CREATE TABLE reports (
        id               INTEGER PRIMARY KEY,
        year             INTEGER NOT NULL,
        seq              INTEGER NOT NULL,
        report_no        TEXT NOT NULL,
        source           TEXT NOT NULL,
        reporter         TEXT NOT NULL,
        reporter_id      INTEGER REFERENCES accounts(id),
        reporter_phone   TEXT,
        name             TEXT NOT NULL,
        id_number        TEXT,
        phone            TEXT,
        town             TEXT NOT NULL,
        village          TEXT NOT NULL,
        address          TEXT NOT NULL,
        request          TEXT NOT NULL,
        facts            TEXT NOT NULL,
        opinion          TEXT NOT NULL,
        center           TEXT NOT NULL,
        visit_id         INTEGER REFERENCES visits(id),
        meeting_id       INTEGER REFERENCES meetings(id),
        received_at      TEXT NOT NULL,
        received_date    TEXT NOT NULL,
        recorded_at      TEXT NOT NULL,
        recorded_by      TEXT NOT NULL,
        recorded_by_name TEXT NOT NULL,
        status           INTEGER NOT NULL,
        triaged_at       TEXT,
        triaged_by       TEXT,
        triaged_by_name  TEXT,
        triage_text      TEXT,
        -- Triaged within the limit (config records.triage_working_days), judged at triage.
        triage_in_time   INTEGER,
        case_id          INTEGER REFERENCES cases(id),
        UNIQUE (year, seq)
    );
    -- The queue (待研判), oldest first, whole and per center.
    CREATE INDEX reports_pending ON reports(received_at, id) WHERE status = 0;
    CREATE INDEX reports_pending_center ON reports(center, received_at, id) WHERE status = 0;
    CREATE INDEX reports_case ON reports(case_id) WHERE case_id IS NOT NULL;
    CREATE INDEX reports_visit ON reports(visit_id) WHERE visit_id IS NOT NULL;
    CREATE INDEX reports_meeting ON reports(meeting_id) WHERE meeting_id IS NOT NULL;
    CREATE INDEX reports_reporter ON reports(reporter_id, id) WHERE reporter_id IS NOT NULL;
    CREATE INDEX reports_received ON reports(received_date, id);
    -- 报告单研判及时率 by period, town and village: an index the count reads alone.
    CREATE INDEX reports_triaged ON reports(triaged_at, town, village, triage_in_time)
        WHERE triaged_at IS NOT NULL;

    CREATE TABLE meetings (
        id               INTEGER PRIMARY KEY,
        year             INTEGER NOT NULL,
        seq              INTEGER NOT NULL,
        meeting_no       TEXT NOT NULL,
        title            TEXT NOT NULL,
        held_at          TEXT NOT NULL,
        place            TEXT NOT NULL,
        host             TEXT NOT NULL,
        chair            TEXT NOT NULL,
        recorder         TEXT NOT NULL,
        units            TEXT NOT NULL,
        attendance       INTEGER NOT NULL,
        representatives  TEXT NOT NULL,
        town             TEXT NOT NULL,
        village          TEXT NOT NULL,
        items            TEXT NOT NULL,
        plans            TEXT NOT NULL,
        recorded_at      TEXT NOT NULL,
        recorded_by      TEXT NOT NULL,
        recorded_by_name TEXT NOT NULL,
        UNIQUE (year, seq)
    );
    CREATE INDEX meetings_place ON meetings(town, village, held_at);
    CREATE INDEX meetings_held ON meetings(held_at, id);

    -- A case fed back at a meeting (with the outcome as told) and its party's revisit there.
    CREATE TABLE meeting_cases (
        id           INTEGER PRIMARY KEY,
        meeting_id   INTEGER NOT NULL REFERENCES meetings(id),
        case_id      INTEGER NOT NULL REFERENCES cases(id),
        -- The case's first ending, town and village, copied when it is fed back: 反馈率 counts
        -- the ended cases of a period that were fed back, by area, from this table alone.
        ended_on     TEXT NOT NULL,
        town         TEXT NOT NULL,
        village      TEXT NOT NULL,
        told         TEXT NOT NULL,
        satisfaction INTEGER,
        revisit_note TEXT,
        UNIQUE (meeting_id, case_id)
    );
    CREATE INDEX meeting_cases_case ON meeting_cases(case_id);
    CREATE INDEX meeting_cases_ended ON meeting_cases(ended_on, town, village, case_id);

    CREATE TABLE meeting_opinions (
        id         INTEGER PRIMARY KEY,
        meeting_id INTEGER NOT NULL REFERENCES meetings(id),
        seq        INTEGER NOT NULL,
        speaker    TEXT NOT NULL,
        text       TEXT NOT NULL,
        report_id  INTEGER REFERENCES reports(id),
        UNIQUE (meeting_id, seq)
    );

    -- The all-time running totals of the old board header: the statistics (migration 3)
    -- count every rate over any period now.
    DROP TABLE tallies;

    -- A meeting's suggested cases: those of its town ended since the last meeting there.
    CREATE INDEX cases_town_closed ON cases(town, closed_at) WHERE closed_at IS NOT NULL;

    -- The events of these records, for check's replay: neither a case's nor an account's.
    CREATE INDEX events_records ON events(id) WHERE case_id IS NULL AND account_id IS NULL;

    -- Visits, reports and meetings in search, as cases are: rowid = id * 4 + (0 visit,
    -- 1 report, 2 meeting).
    CREATE VIRTUAL TABLE record_search USING fts5(
        name, address, body, phone, id_number,
        content = '', contentless_delete = 1, tokenize = 'ascii', detail = 'full'
    );
    "#,
    ),
    // 5: figures and suggestions that read one area's or one unit's cases, not the register's.
    // The statistics count a filter on two break-downs case by case (a unit and a category on
    // the board's header; a village center with anything): these give them only their cases.
    // The village index also gives a village's meeting its cases ended since its last one.
    Step::Sql(
        r#"
    CREATE INDEX cases_unit_category ON cases(unit, category) WHERE unit IS NOT NULL;
    CREATE INDEX cases_village ON cases(town, village, closed_at);
    "#,
    ),
    // 6: the sums of 报告单研判及时率 and 反馈率 per day and month, by town and village, kept
    // by `Writer` like `stat_agg` (see `loop_sums`), so that a year's table does not read
    // every report form triaged in it.
    Step::SqlThen(
        r#"
    CREATE TABLE loop_agg (
        grain    INTEGER NOT NULL,
        period   INTEGER NOT NULL,
        town     TEXT NOT NULL,
        village  TEXT NOT NULL,
        triaged  INTEGER NOT NULL DEFAULT 0,
        in_time  INTEGER NOT NULL DEFAULT 0,
        fed_back INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (grain, period, town, village)
    ) WITHOUT ROWID;
    "#,
        super::loop_sums::fill,
    ),
    // 7: how often the paper of a report or a meeting was printed, as a case's 办理书 count is.
    // Set by the chained print events (`PrintRecord`), so `check` replays them; NULL until the
    // first print, which is what a row without such an event replays to.
    Step::Sql(
        r#"
    ALTER TABLE reports ADD COLUMN prints INTEGER;
    ALTER TABLE meetings ADD COLUMN minutes_prints INTEGER;
    ALTER TABLE meetings ADD COLUMN notice_prints INTEGER;
    "#,
    ),
    // 8: the search tables get an `area` column (see `search::area_tokens` and `record_area`):
    // a town's, village's or cadre's search is then answered by the index, not by reading the
    // row of every match. A contentless table cannot be altered or copied, so both are made
    // again from the rows.
    Step::SqlThen(
        r#"
    DROP TABLE search;
    CREATE VIRTUAL TABLE search USING fts5(
        name, address, body, phone, id_number, area,
        content = '', contentless_delete = 1, tokenize = 'ascii', detail = 'full'
    );
    DROP TABLE record_search;
    CREATE VIRTUAL TABLE record_search USING fts5(
        name, address, body, phone, id_number, area,
        content = '', contentless_delete = 1, tokenize = 'ascii', detail = 'full'
    );
    "#,
        super::search::rebuild,
    ),
    // 9: 满意率 takes a case's latest 回访 in the period. The sums now also count each 回访
    // that a later one follows (at its date), and `fu_pairs` lists those pairs, so a period's
    // figure needs only the pairs that straddle its end, not every case revisited twice.
    Step::SqlThen(
        r#"
    ALTER TABLE stat_agg ADD COLUMN fu_superseded INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE stat_agg ADD COLUMN fu_superseded_sat INTEGER NOT NULL DEFAULT 0;
    -- Each 回访 followed by a later one: the two dates, whether the first was satisfied, and
    -- the case's break-down values (kept with them by `Writer`), so those straddling a
    -- period's end are read without the cases.
    CREATE TABLE fu_pairs (
        d1        TEXT NOT NULL,
        d2        TEXT NOT NULL,
        case_id   INTEGER NOT NULL REFERENCES cases(id),
        satisfied INTEGER NOT NULL,
        received  TEXT,
        town      TEXT NOT NULL,
        village   TEXT NOT NULL,
        unit      TEXT,
        category  TEXT NOT NULL,
        channel   TEXT NOT NULL,
        route     INTEGER,
        level     INTEGER,
        clerk     TEXT NOT NULL,
        PRIMARY KEY (d1, d2, case_id)
    ) WITHOUT ROWID;
    CREATE INDEX fu_pairs_d2 ON fu_pairs(d2);
    "#,
        super::stats::fill_superseded,
    ),
];

pub fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

/// Bring the schema to the latest version. Returns the version found before.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<i64> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for (i, step) in MIGRATIONS.iter().enumerate().skip(version.max(0) as usize) {
        match step {
            Step::Sql(sql) => tx.execute_batch(sql)?,
            Step::SqlThen(sql, then) => {
                tx.execute_batch(sql)?;
                then(&tx)?;
            }
        }
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
    }
    if version == 0 {
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    }
    tx.commit()?;
    Ok(version)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::config::Config;
    use crate::domain::CaseKey;
    use crate::store::Store;

    /// A register as version 1 wrote it: one dispatched case, its events under OS user names.
    fn version_one(path: &std::path::Path) {
        let conn = Connection::open(path).unwrap();
        let Step::Sql(v1) = &MIGRATIONS[0] else {
            panic!("version 1 is plain SQL")
        };
        conn.execute_batch(v1).unwrap();
        conn.execute_batch(&format!(
            "PRAGMA user_version = 1; PRAGMA application_id = {APPLICATION_ID};
             INSERT INTO cases (year, seq, case_no, received_at, received_date, registered_at,
                channel, clerk, name, town, village, address, group_size, representatives,
                category, request, facts, reasons, place, urgent, legal, repeat, route, level,
                unit, due_date, due_basis, status, updated_at)
             VALUES (2026, 1, '陇综民〔2026〕1号', '2026-03-02T09:00:00+08:00', '2026-03-02',
                '2026-03-02T09:00:00+08:00', '来访', 'root', '王芳', '首阳镇', '南门村', '',
                1, '[]', '邻里', '排水', '', '', '', 0, 0, 0, 1, 1, '首阳镇司法所', '2026-04-01',
                '一个月', 1, '2026-03-02T09:05:00+08:00');
             INSERT INTO events (case_id, at, actor, action, details) VALUES
                (1, '2026-03-02T09:00:00+08:00', 'root', '登记', '来访受理，邻里'),
                (1, '2026-03-02T09:05:00+08:00', 'clerk2', '分流', '分流至首阳镇司法所（乡镇级）');
             INSERT INTO counters (series, year, last) VALUES ('case', 2026, 1);
             UPDATE tallies SET n = 1 WHERE name = 'received';
             INSERT INTO search (rowid, name, address, body, phone, id_number)
                VALUES (1, '王芳 ', '', '', '', '');"
        ))
        .unwrap();
    }

    #[test]
    fn a_register_from_before_accounts_is_migrated_and_checks_clean() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("minshi.db");
        version_one(&path);
        let store = Store::open(&path, Arc::new(Config::embedded())).unwrap();
        assert!(store.check().unwrap().is_empty(), "{:?}", store.check());
        assert!(!store.has_accounts().unwrap());
        let key = CaseKey { year: 2026, seq: 1 };
        let timeline = store.timeline(key).unwrap();
        let who: Vec<(&str, &str)> = timeline
            .iter()
            .map(|e| (e.action.as_str(), e.actor.as_str()))
            .collect();
        // The old events keep the words and names they were recorded with; the snapshot that
        // replay starts from follows them.
        assert_eq!(
            who,
            [("登记", "root"), ("分流", "clerk2"), ("迁移", "系统升级")]
        );
        assert_eq!(timeline[1].details, "分流至首阳镇司法所（乡镇级）");
        let case = store.case(key).unwrap();
        assert_eq!(case.unit.as_deref(), Some("首阳镇司法所"));
        assert!(store.head().unwrap().is_some_and(|h| h.count == 3));
        // The search table was made again from the cases, with their areas.
        let found = |center: crate::domain::Center| {
            store
                .search_within("王芳", &center, 0, 10)
                .unwrap()
                .unwrap()
                .total
        };
        assert_eq!(found(crate::domain::Center::County), 1);
        assert_eq!(found(crate::domain::Center::Town("首阳镇".into())), 1);
        assert_eq!(found(crate::domain::Center::Town("巩昌镇".into())), 0);
    }
}

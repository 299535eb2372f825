//! Several clerks at once, and writers killed mid-stroke: numbers stay unique and gap-free, and
//! every case a writer acknowledged is there.

mod common;

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::{minshi, stderr};

const NOW: &str = "2026-03-02T09:00:00+08:00";

fn batch(writer: usize, n: usize) -> String {
    let cases: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"name":"写入者{writer}号{i}","town":"首阳镇","channel":"来访","category":"邻里","route":"限时办理","request":"第{writer}组第{i}件：邻里排水纠纷"}}"#
            )
        })
        .collect();
    format!("[{}]", cases.join(","))
}

fn spawn_writer(home: &std::path::Path, writer: usize, n: usize) -> Child {
    let mut child = minshi(home, NOW)
        .args(["register", "--json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(batch(writer, n).as_bytes())
        .unwrap();
    child
}

fn keys_in(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|v| v["key"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn four_clerks_at_once_get_four_hundred_numbers_without_a_gap() {
    let home = tempfile::tempdir().unwrap();
    // Create the database first, as a center does once.
    assert!(
        minshi(home.path(), NOW)
            .arg("init")
            .output()
            .unwrap()
            .status
            .success()
    );
    let children: Vec<Child> = (0..4).map(|w| spawn_writer(home.path(), w, 100)).collect();
    let mut keys = Vec::new();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let lines: Vec<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(String::from)
            .collect();
        assert_eq!(lines.len(), 100);
        keys.extend(keys_in(&lines));
    }
    let unique: HashSet<&String> = keys.iter().collect();
    assert_eq!(unique.len(), 400, "every number is issued once");
    let mut seqs: Vec<u32> = keys.iter().map(|k| k[5..].parse().unwrap()).collect();
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=400).collect::<Vec<u32>>(), "no gaps");
    let out = minshi(home.path(), NOW).arg("check").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn writers_killed_at_random_moments_lose_nothing_they_acknowledged() {
    let home = tempfile::tempdir().unwrap();
    assert!(
        minshi(home.path(), NOW)
            .arg("init")
            .output()
            .unwrap()
            .status
            .success()
    );
    let mut acknowledged = Vec::new();
    // A fixed-seed sequence of kill delays: repeatable, and spread over the writers' lifetimes.
    let mut seed: u64 = 0x2026_0302;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for round in 0..6 {
        let mut children: Vec<Child> = (0..3)
            .map(|w| spawn_writer(home.path(), round * 10 + w, 200))
            .collect();
        let readers: Vec<_> = children
            .iter_mut()
            .map(|c| {
                let out = c.stdout.take().unwrap();
                std::thread::spawn(move || {
                    BufReader::new(out)
                        .lines()
                        .map_while(Result::ok)
                        .collect::<Vec<String>>()
                })
            })
            .collect();
        let start = Instant::now();
        let delays: Vec<Duration> = (0..3)
            .map(|_| Duration::from_millis(50 + next() % 700))
            .collect();
        for (child, delay) in children.iter_mut().zip(delays) {
            while start.elapsed() < delay {
                std::thread::sleep(Duration::from_millis(5));
            }
            let _ = child.kill(); // SIGKILL
        }
        for child in &mut children {
            let _ = child.wait();
        }
        for r in readers {
            // A line cut by the kill is not an acknowledgement: only whole JSON lines count.
            acknowledged.extend(keys_in(&r.join().unwrap()));
        }
    }
    assert!(
        !acknowledged.is_empty(),
        "the writers must have acknowledged some cases"
    );
    let store = common::open(home.path());
    for key in &acknowledged {
        let k: minshi::domain::CaseKey = key.parse().unwrap();
        store
            .case(k)
            .unwrap_or_else(|e| panic!("acknowledged {key} is missing: {e}"));
    }
    let problems = store.check().unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    eprintln!(
        "{} acknowledged cases survived the kills",
        acknowledged.len()
    );
}

#[test]
fn backup_while_clerks_register_is_consistent() {
    let home = tempfile::tempdir().unwrap();
    assert!(
        minshi(home.path(), NOW)
            .arg("init")
            .output()
            .unwrap()
            .status
            .success()
    );
    let writers: Vec<Child> = (0..2).map(|w| spawn_writer(home.path(), w, 150)).collect();
    std::thread::sleep(Duration::from_millis(100));
    let copy = home.path().join("backups").join("during.tar");
    let out = minshi(home.path(), NOW)
        .arg("backup")
        .arg(&copy)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    for w in writers {
        assert!(w.wait_with_output().unwrap().status.success());
    }
    // Restoring verifies the archive and runs check on it before anything is put in place.
    let standby = tempfile::tempdir().unwrap();
    let out = common::minshi_raw(standby.path(), NOW)
        .arg("restore")
        .arg(&copy)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let copied = minshi::store::Store::open(
        &standby.path().join("minshi.db"),
        std::sync::Arc::new(minshi::config::Config::embedded()),
    )
    .unwrap();
    let problems = copied.check().unwrap();
    assert!(
        problems.is_empty(),
        "the copy is one consistent snapshot: {problems:?}"
    );
    let live = common::open(home.path());
    assert!(live.check().unwrap().is_empty());
}

//! A panic in the terminal program saves the form in progress before the process goes. The hook
//! is process-wide, so this file is its own test binary.

use std::sync::{Arc, Mutex};

use minshi::domain::NewCaseInput;
use minshi::tui::draft::DraftFile;
use minshi::tui::install_panic_hook;

#[test]
fn a_panic_saves_the_draft_and_a_held_lock_does_not_hang_the_hook() {
    let dir = tempfile::tempdir().unwrap();
    let draft = DraftFile::new(dir.path(), "测试员");
    let input = NewCaseInput {
        name: "王芳".into(),
        request: "讨要拖欠的工资".into(),
        ..NewCaseInput::default()
    };
    let mirror = Arc::new(Mutex::new(vec![(
        draft.clone(),
        serde_json::to_value(&input).unwrap(),
    )]));
    install_panic_hook(Arc::clone(&mirror));

    assert!(std::panic::catch_unwind(|| panic!("boom")).is_err());
    let saved = draft.load().expect("the draft was saved by the hook");
    assert_eq!(saved.name, "王芳");

    // The form changes, but the panic strikes while the mirror is locked: the hook skips the
    // save rather than wait for a lock that will never be released.
    draft.remove().unwrap();
    let guard = mirror.lock().unwrap();
    let m = Arc::clone(&mirror);
    let result = std::thread::spawn(move || {
        let _keep = &m;
        std::panic::catch_unwind(|| panic!("boom while locked")).is_err()
    })
    .join()
    .unwrap();
    drop(guard);
    assert!(result);
    assert!(draft.load().is_none());
}

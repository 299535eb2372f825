//! Evidence records and the 办理书 number series. The files themselves are copied by
//! `crate::evidence_files`; here is only what the database knows of them.

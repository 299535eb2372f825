//! minshi (民事直通车): the register, deadline board and paper of a 综治中心 counter.
//! See ARCHITECTURE.md for the code map.

pub mod calendar;
pub mod config;
pub mod domain;
pub mod print;

//! Paper: a fully loaded case (or a list of cases) in, PDF bytes out. The receipt slip (受理回执),
//! the 民事办理书 and the 民声登记簿; the papers of 一本、一单、一会 (民意报告单, a 民心沟通会's
//! minutes and its notice, a cadre's 民情笔记本), drawn with the three embedded faces. Nothing
//! here reads the database or decides where the bytes go.
//! Paper: a fully loaded case (or a list of cases, or a table of figures) in, PDF bytes out. The
//! receipt slip (受理回执), the 民事办理书 and the 民声登记簿; and the paper of supervision: the
//! 月度统计报表, the deadline board for the wall, the 督办通知单. Drawn with the three embedded
//! faces. Nothing here reads the database or decides where the bytes go.

pub mod fonts;
pub mod layout;

mod board;
mod chart;
mod error;
mod form;
mod format;
mod image;
mod minutes;
mod monthly;
mod notebook;
mod notice;
mod parts;
mod pdf;
mod register;
mod report;
mod slip;
mod urge;

pub use crate::domain::missing_evidence;
pub use board::{BoardInput, board_pdf};
pub use error::PrintError;
pub use fonts::{Unprintable, body_prints, check_coverage};
pub use form::{AnnexImage, DRAFT_NUMBER, FormInput, ImageFormat, form_pdf};
pub use minutes::{MAX_SIGN_IN_ROWS, MIN_SIGN_IN_ROWS, minutes_pdf, sign_in_rows};
pub use monthly::{MonthlyInput, OverdueUnit, UNITS_LISTED, monthly_pdf};
pub use notebook::{NotebookInput, notebook_pdf};
pub use notice::{HIDDEN, NoticeInput, notice_pdf, scrub};
pub use parts::PersonalData;
pub use register::register_pdf;
pub use report::{blank_report_pdf, report_pdf};
pub use slip::{SUPERSEDES, SlipLayout, qr_payload, slip_pdf, slip_pdf_superseding};
pub use urge::{UrgeInput, UrgedCase, urge_pdf};

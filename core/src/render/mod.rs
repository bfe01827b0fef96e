//! Drawings and reports of results. Today: a plain-text report.

mod text;

pub use text::text_report;

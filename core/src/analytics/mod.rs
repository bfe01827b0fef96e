//! Analytics over event logs.
//!
//! Every aggregate is a mergeable partial (a commutative monoid up to the order of lists):
//! compute it per partition of cases, [`Partial::merge`] the partials, then finish. Partials carry
//! the activity dictionary they were computed with, so partitions loaded separately (with their
//! own codes) merge by name. One log is split by case ranges and run on all cores with rayon.

pub mod activity;
pub mod arrival;
pub mod attribution;
pub mod bulk;
pub mod calibrate;
pub mod clv;
pub mod emotion;
pub mod journey;
pub mod kpi;
pub mod kpi_compare;
pub mod moments;
pub mod monitor;
pub mod partial;
pub mod personas;
pub mod process;
pub mod request;
pub mod scores;
pub mod sequence;
pub mod stage;
pub mod stats;

pub use partial::Partial;

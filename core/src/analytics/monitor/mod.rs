//! Monitoring a KPI over time: where a series changes ([`changepoint`]: PELT and binary
//! segmentation) and whether it stays in control ([`control`]: Shewhart, EWMA and CUSUM charts
//! with run rules), and a KPI per calendar period from a log, charted and checked against its
//! targets ([`series`], with [`series::KpiMonitor`], its incremental state).

pub mod changepoint;
pub mod control;
pub mod series;

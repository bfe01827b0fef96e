//! Monitoring a KPI over time: where a series changes ([`changepoint`]: PELT and binary
//! segmentation) and whether it stays in control ([`control`]: Shewhart, EWMA and CUSUM charts
//! with run rules), and a KPI per calendar period from a log, charted and checked against its
//! targets ([`series`], with [`series::KpiMonitor`], its incremental state); and whether the
//! process itself changed ([`drift`]: variants and directly-follows graph before and after a time).

pub mod changepoint;
pub mod control;
pub mod drift;
pub mod series;

//! Monitoring a KPI over time: where a series changes ([`changepoint`]: PELT and binary
//! segmentation) and whether it stays in control ([`control`]: Shewhart, EWMA and CUSUM charts
//! with run rules).

pub mod changepoint;
pub mod control;

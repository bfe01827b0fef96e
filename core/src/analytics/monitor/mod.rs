//! Monitoring a KPI over time: where a series changes ([`changepoint`]: PELT and binary
//! segmentation).

pub mod changepoint;

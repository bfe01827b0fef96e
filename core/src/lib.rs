//! # journeystream
//!
//! Customer-journey and value-stream analytics in one engine: typed map documents (journey,
//! value stream, plan), value-stream metrics, current vs future state.
//!
//! Data flows one way: documents come in through [`model`] (parsed and validated, every problem
//! an [`Error`] with the JSON path of the bad field), algorithms in [`vsm`] read them and return
//! plain result structs, and [`render`] turns results into text.
//!
//! ```
//! use journeystream::{Map, vsm};
//! let map = Map::from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/support-journey.json"))?;
//! let current = vsm::measure(&map, &vsm::MeasureOptions::default())?;
//! let future = vsm::measure(&vsm::project(&map)?.map, &vsm::MeasureOptions::default())?;
//! let change = vsm::compare(&current, &future);
//! assert!(future.lead_time < current.lead_time);
//! println!("{}", journeystream::render::text_report(&map, &current, Some(&change)));
//! # Ok::<(), journeystream::Error>(())
//! ```

pub mod analytics;
#[cfg(feature = "arrow")]
pub mod columnar;
pub mod error;
pub mod json;
pub mod log;
pub mod model;
pub mod render;
pub mod suggest;
pub mod time;
pub mod vsm;

pub use error::{Error, ErrorKind, Result};
pub use model::{
    Amount, AvailableTime, Channel, Demand, Effect, EffectField, EmotionScale, Initiative,
    Inventory, Journey, Kpi, KpiTarget, Lane, Map, MomentKind, MomentOfTruth, Opportunity,
    PainPoint, Persona, Plan, Polarity, ReworkLoop, Route, Stage, StagePreset, Step, Target,
    Touchpoint, ValueClass, ValueStream, WasteType,
};
pub use time::{Duration, TimeBasis, TimeSpan, TimeUnit};

/// The library version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The README's Rust quickstart, run as a doctest from the repository root.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

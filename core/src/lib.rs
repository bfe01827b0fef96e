//! # journeystream
//!
//! Customer-journey and value-stream analytics in one engine: typed map documents (journey,
//! value stream, plan), value-stream metrics and current vs future state, and the analytics of
//! event logs (what customers and processes actually did).
//!
//! Data flows one way: documents come in through [`model`] (parsed and validated, every problem
//! an [`Error`] with the JSON path of the bad field) and event logs through [`log`] (CSV, JSON
//! Lines, XES, Arrow, or built in code); algorithms in [`vsm`] and [`analytics`] read them and
//! return plain result structs; `render` turns results into pictures and text. Every analytic is
//! also reachable by name with a JSON request ([`analytics::request`]), as the C and Python
//! bindings call them.
//!
//! ## A value stream, current and future
//!
//! ```
//! use journeystream::{Map, vsm};
//! let map = Map::from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/support-journey.json"))?;
//! let current = vsm::measure(&map, &vsm::MeasureOptions::default())?;
//! let future = vsm::measure(&vsm::project(&map)?.map, &vsm::MeasureOptions::default())?;
//! let change = vsm::compare(&current, &future);
//! assert!(future.lead_time < current.lead_time);
//! # #[cfg(feature = "render")]
//! println!("{}", journeystream::render::text_report(&map, &current, Some(&change)));
//! # Ok::<(), journeystream::Error>(())
//! ```
//!
//! ## An event log: profile, funnel, attribution
//!
//! The process profile (pm4py's directly-follows graph, variants, durations), journeys (funnels,
//! retention, paths, the transition graph), multi-touch attribution, KPIs with intervals and
//! lifetime value, each a mergeable partial computed on all cores ([`analytics`]).
//!
//! ```
//! use journeystream::analytics::{journey::funnel::{funnel, FunnelRequest}, process::profile};
//! use journeystream::log::LogBuilder;
//! let mut b = LogBuilder::new();
//! for (case, activity, minute) in [("a", "visit", 0), ("a", "buy", 5), ("b", "visit", 1)] {
//!     b.push(case, activity, minute * 60_000_000_000)?;
//! }
//! let log = b.finish().unwrap();
//! assert_eq!(profile(&log).variants.len(), 2);
//! let f = funnel(&log, &FunnelRequest::new(["visit", "buy"]))?;
//! assert_eq!(f.steps[1].conversion_from_start, 0.5);
//! let e = funnel(&log, &FunnelRequest::new(["visit", "by"])).unwrap_err();
//! assert!(e.to_string().contains("did you mean 'buy'?"));
//! # Ok::<(), journeystream::Error>(())
//! ```
//!
//! ## Features
//!
//! The defaults keep everything but Arrow; `default-features = false` leaves the optional parts
//! out, for a service that wants only the analytics:
//!
//! | feature | what it adds |
//! | --- | --- |
//! | `render` | drawings: journey maps, blueprints, value stream maps, flow graphs, charts, the HTML report |
//! | `csv` | the CSV reader (and CSV export of drawing tables) |
//! | `xes` | the XES reader |
//! | `gzip` | reading gzipped files (`.xes.gz`, `.csv.gz`, `.jsonl.gz`) |
//! | `tz` | time zones by IANA name (`Europe/Paris`); without it UTC and fixed offsets only |
//! | `arrow` (not default) | results and logs as Arrow tables (`columnar`), as the bindings use them |

pub mod analytics;
#[cfg(feature = "arrow")]
pub mod columnar;
pub mod error;
pub mod json;
pub mod log;
pub mod model;
#[cfg(feature = "render")]
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

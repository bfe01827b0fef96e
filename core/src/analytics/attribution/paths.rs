//! The path table: distinct journeys (sequences of channel touches) with their conversions,
//! conversion value and non-converting journeys (nulls), in ChannelAttribution's layout (`path`
//! as `"a > b > c"`, `total_conversions`, `total_conversion_value`, `total_null`).
//!
//! A table comes from rows given in a request ([`PathTable::from_rows`]) or from an event log
//! ([`PathTable::from_log`], a mergeable partial run on all cores: [`PathPartial`]).

use super::journey::{Journeys, LogJourneys};
use crate::analytics::bulk::Texts;
use crate::analytics::partial::over_cases;
use crate::error::{Error, Result};
use crate::log::{EventLog, Interner};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::ops::Range;
use std::sync::Arc;

/// A path's channel codes, held inline for paths of up to 8 touches (most are), so a table of a
/// million paths is not a million allocations.
pub type Touches = smallvec::SmallVec<[u32; 8]>;

/// One distinct path and its totals. `touches` are codes into [`PathTable::channels`].
#[derive(Debug, Clone, PartialEq)]
pub struct PathRow {
    pub touches: Touches,
    pub conversions: f64,
    pub value: f64,
    pub nulls: f64,
}

/// Distinct paths with their totals. Rows may repeat a path (as given); the models add them up.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PathTable {
    /// Channel names by code.
    pub channels: Vec<String>,
    pub rows: Vec<PathRow>,
    /// Converting journeys whose conversion value was missing (counted with value 0); log input only.
    pub conversions_without_value: u64,
}

/// A path table row as JSON (ChannelAttribution's column names).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PathTableRow {
    pub path: String,
    pub total_conversions: f64,
    pub total_conversion_value: f64,
    pub total_null: f64,
}

/// A path table given as columns (ChannelAttribution's names), as the bindings pass a frame's
/// columns: see [`PathTable::from_columns`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PathColumns {
    pub path: Option<Texts>,
    pub total_conversions: Option<Vec<f64>>,
    pub total_conversion_value: Option<Vec<f64>>,
    pub total_null: Option<Vec<f64>>,
}

impl PathColumns {
    /// Whether any column is set.
    pub fn is_set(&self) -> bool {
        self.path.is_some()
            || self.total_conversions.is_some()
            || self.total_conversion_value.is_some()
            || self.total_null.is_some()
    }
}

/// How repeated channels in a path are treated before any model runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Repeats {
    /// Every touch counts (`a > a > b` stays): ChannelAttribution's convention, and METRICS.md's
    /// "equal per touch occurrence". Markov chains drop self-transitions of a state either way
    /// (they do not change absorption probabilities).
    #[default]
    Keep,
    /// Consecutive repeats merge into one touch (`a > a > b > a` → `a > b > a`).
    Collapse,
    /// Only the first touch of each channel counts (`a > b > a` → `a > b`).
    First,
}

impl Repeats {
    /// `touches` with repeats treated.
    pub fn apply(self, touches: &[u32]) -> Vec<u32> {
        match self {
            Repeats::Keep => touches.to_vec(),
            Repeats::Collapse => {
                let mut out = touches.to_vec();
                out.dedup();
                out
            }
            Repeats::First => {
                let mut out: Vec<u32> = Vec::with_capacity(touches.len());
                for &t in touches {
                    if !out.contains(&t) {
                        out.push(t);
                    }
                }
                out
            }
        }
    }
}

fn field_error(row: usize, field: &str, value: impl std::fmt::Display, reason: &str) -> Error {
    Error::invalid(format!("paths[{row}].{field}"), value, reason)
}

/// A non-negative finite number, or the error naming the row and field.
fn amount(v: Option<&Value>, row: usize, field: &str) -> Result<f64> {
    match v {
        None | Some(Value::Null) => Ok(0.0),
        Some(Value::Number(n)) => match n.as_f64() {
            Some(x) if x.is_finite() && x >= 0.0 => Ok(x),
            _ => Err(field_error(row, field, n, "must be a non-negative number")),
        },
        Some(other) => Err(field_error(row, field, other, "must be a number")),
    }
}

const FIELDS: [&str; 4] = [
    "path",
    "total_conversions",
    "total_conversion_value",
    "total_null",
];

/// The channels of `path`, split by `separator`, trimmed and interned (empty names skipped).
fn touches(path: &str, separator: &str, channels: &mut Interner) -> Touches {
    let mut touches = Touches::new();
    let mut push = |name: &str| {
        let name = name.trim();
        if !name.is_empty() {
            touches.push(channels.intern(name));
        }
    };
    if separator.len() == 1 {
        // one ASCII byte: splitting by a char is faster than by a string
        path.split(separator.as_bytes()[0] as char)
            .for_each(&mut push)
    } else {
        path.split(separator).for_each(&mut push)
    }
    touches
}

/// Row `i` of a path table, its channels interned into `channels`.
fn parse_row(row: &Value, i: usize, separator: &str, channels: &mut Interner) -> Result<PathRow> {
    let cells: [Option<&Value>; 4] = match row {
        Value::Array(a) => {
            if a.is_empty() || a.len() > 4 {
                return Err(Error::invalid(
                    format!("paths[{i}]"),
                    row,
                    "must be [path, total_conversions, total_conversion_value, total_null] (2 to 4 items)",
                ));
            }
            [a.first(), a.get(1), a.get(2), a.get(3)]
        }
        Value::Object(o) => {
            if let Some(k) = o.keys().find(|k| !FIELDS.contains(&k.as_str())) {
                return Err(field_error(
                    i,
                    k,
                    k,
                    "is not a path table field (path, total_conversions, total_conversion_value, total_null)",
                ));
            }
            FIELDS.map(|f| o.get(f))
        }
        other => {
            return Err(Error::invalid(
                format!("paths[{i}]"),
                other,
                "must be an array or an object",
            ))
        }
    };
    let path = match cells[0] {
        Some(Value::String(s)) => s,
        Some(other) => return Err(field_error(i, "path", other, "must be a string")),
        None => {
            return Err(Error::MissingData {
                path: format!("paths[{i}].path"),
                what: "the path".into(),
            })
        }
    };
    Ok(PathRow {
        touches: touches(path, separator, channels),
        conversions: amount(cells[1], i, FIELDS[1])?,
        value: amount(cells[2], i, FIELDS[2])?,
        nulls: amount(cells[3], i, FIELDS[3])?,
    })
}

impl PathTable {
    /// Reads path table rows: each an array `[path, total_conversions, total_conversion_value,
    /// total_null]` (the last two optional, 0 when left out) or an object with those keys. Channel
    /// names in a path are separated by `separator` and trimmed; empty names are skipped
    /// (ChannelAttribution's reading). Errors name the row and field (`paths[3].total_null`).
    ///
    /// ```
    /// use journeystream::analytics::attribution::PathTable;
    /// let rows = serde_json::json!([["a > b", 2, 20.0, 1], {"path": "b", "total_null": 3}]);
    /// let t = PathTable::from_rows(rows.as_array().unwrap(), ">")?;
    /// assert_eq!(t.channels, ["a", "b"]);
    /// assert_eq!((t.rows[0].conversions, t.rows[1].nulls), (2.0, 3.0));
    /// let bad = serde_json::json!([["a", -1]]);
    /// let e = PathTable::from_rows(bad.as_array().unwrap(), ">").unwrap_err();
    /// assert_eq!(e.path(), Some("paths[0].total_conversions"));
    /// # Ok::<(), journeystream::Error>(())
    /// ```
    pub fn from_rows(rows: &[Value], separator: &str) -> Result<PathTable> {
        Self::build(rows.len(), separator, |i, channels| {
            parse_row(&rows[i], i, separator, channels)
        })
    }

    /// A path table from its columns ([`PathColumns`]): `path` is required, the totals are
    /// optional (0 when left out); every column has the path column's length and every total is
    /// non-negative (the bindings have checked that they are finite). Errors name the column and
    /// index (`paths.total_null[3]`).
    ///
    /// ```
    /// use journeystream::analytics::attribution::{PathColumns, PathTable};
    /// let columns = PathColumns {
    ///     path: Some(vec!["a > b".to_string(), "b".to_string()].into()),
    ///     total_conversions: Some(vec![2.0, 0.0]),
    ///     total_null: Some(vec![1.0, 3.0]),
    ///     ..PathColumns::default()
    /// };
    /// let t = PathTable::from_columns(&columns, ">")?;
    /// assert_eq!(t.channels, ["a", "b"]);
    /// assert_eq!((t.rows[0].conversions, t.rows[1].nulls, t.rows[1].value), (2.0, 3.0, 0.0));
    /// # Ok::<(), journeystream::Error>(())
    /// ```
    pub fn from_columns(columns: &PathColumns, separator: &str) -> Result<PathTable> {
        let paths = columns.path.as_ref().ok_or_else(|| Error::MissingData {
            path: "paths.path".into(),
            what: "the path column (the totals are given as columns)".into(),
        })?;
        let n = paths.len();
        let totals = [
            (FIELDS[1], columns.total_conversions.as_deref()),
            (FIELDS[2], columns.total_conversion_value.as_deref()),
            (FIELDS[3], columns.total_null.as_deref()),
        ];
        for (name, values) in totals {
            if let Some(v) = values {
                if v.len() != n {
                    return Err(Error::argument(
                        &format!("paths.{name}"),
                        format!("{} values", v.len()),
                        format!("must have as many values as paths.path ({n})"),
                    ));
                }
                if let Some(i) = v.iter().position(|x| !(*x >= 0.0 && x.is_finite())) {
                    return Err(Error::argument(
                        &format!("paths.{name}[{i}]"),
                        v[i],
                        "must be a non-negative number",
                    ));
                }
            }
        }
        let at = |v: Option<&[f64]>, i: usize| v.map_or(0.0, |v| v[i]);
        Self::build(n, separator, |i, channels| {
            Ok(PathRow {
                touches: touches(paths.get(i), separator, channels),
                conversions: at(totals[0].1, i),
                value: at(totals[1].1, i),
                nulls: at(totals[2].1, i),
            })
        })
    }

    /// `n` rows made by `row` on all cores, in chunks each with its own dictionary, then
    /// renumbered in order (so channel codes are in first-seen order, as one pass would give).
    fn build(
        n: usize,
        separator: &str,
        row: impl Fn(usize, &mut Interner) -> Result<PathRow> + Sync,
    ) -> Result<PathTable> {
        if separator.is_empty() {
            return Err(Error::argument("separator", "", "must not be empty"));
        }
        const CHUNK: usize = 8192;
        let parts: Vec<Result<(Interner, Vec<PathRow>)>> = (0..n.div_ceil(CHUNK))
            .into_par_iter()
            .map(|k| {
                let mut channels = Interner::default();
                let range = k * CHUNK..((k + 1) * CHUNK).min(n);
                let mut out = Vec::with_capacity(range.len());
                for i in range {
                    out.push(row(i, &mut channels)?);
                }
                Ok((channels, out))
            })
            .collect();
        let mut channels = Interner::default();
        let mut out = Vec::with_capacity(n);
        for part in parts {
            let (local, mut part_rows) = part?;
            let map = channels.absorb(&local);
            if map.iter().enumerate().any(|(i, &c)| c as usize != i) {
                part_rows.par_iter_mut().for_each(|r| {
                    r.touches.iter_mut().for_each(|t| *t = map[*t as usize]);
                });
            }
            out.append(&mut part_rows);
        }
        Ok(PathTable {
            channels: channels.to_strings(),
            rows: out,
            conversions_without_value: 0,
        })
    }

    /// The path table of an event log's journeys (see [`LogJourneys`]), computed on all cores.
    ///
    /// ```
    /// use journeystream::analytics::attribution::{Conversion, LogJourneys, PathTable};
    /// use journeystream::log::LogBuilder;
    /// let mut b = LogBuilder::new();
    /// for (case, activity, t) in [("c1", "ad", 0), ("c1", "email", 1), ("c1", "buy", 2), ("c2", "ad", 0)] {
    ///     b.push(case, activity, t)?;
    /// }
    /// let spec = LogJourneys {
    ///     channel_from_activity: true,
    ///     conversion: Some(Conversion::Activity("buy".into())),
    ///     ..LogJourneys::default()
    /// };
    /// let t = PathTable::from_log(&b.finish().unwrap(), &spec)?;
    /// let rows = t.to_rows(" > ");
    /// assert_eq!((rows[0].path.as_str(), rows[0].total_conversions), ("ad > email", 1.0));
    /// assert_eq!((rows[1].path.as_str(), rows[1].total_null), ("ad", 1.0));
    /// # Ok::<(), journeystream::Error>(())
    /// ```
    pub fn from_log(log: &EventLog, spec: &LogJourneys) -> Result<PathTable> {
        Ok(PathPartial::of_log(log, spec)?.finish())
    }

    /// The table as JSON rows, channel names joined by `separator`.
    pub fn to_rows(&self, separator: &str) -> Vec<PathTableRow> {
        self.rows
            .iter()
            .map(|r| PathTableRow {
                path: r
                    .touches
                    .iter()
                    .map(|&c| self.channels[c as usize].as_str())
                    .collect::<Vec<_>>()
                    .join(separator),
                total_conversions: r.conversions,
                total_conversion_value: r.value,
                total_null: r.nulls,
            })
            .collect()
    }

    /// The table with repeated channels treated by `repeats` (rows kept one for one).
    pub fn with_repeats(mut self, repeats: Repeats) -> PathTable {
        if repeats != Repeats::Keep {
            self.rows
                .par_iter_mut()
                .for_each(|r| r.touches = repeats.apply(&r.touches).into());
        }
        self
    }
}

/// The mergeable partial of a path table built from a log: per distinct path its conversions,
/// value and nulls, keyed by channel codes of its own dictionary (partials of separately loaded
/// partitions merge by channel name).
///
/// ```
/// use journeystream::analytics::attribution::{Conversion, LogJourneys, PathPartial};
/// use journeystream::log::LogBuilder;
/// let spec = LogJourneys {
///     channel_from_activity: true,
///     conversion: Some(Conversion::Activity("buy".into())),
///     ..LogJourneys::default()
/// };
/// let part = |case: &str| -> journeystream::Result<PathPartial> {
///     let mut b = LogBuilder::new();
///     b.push(case, "ad", 0)?;
///     b.push(case, "buy", 1)?;
///     PathPartial::of_log(&b.finish().unwrap(), &spec)
/// };
/// let t = part("c1")?.merge(part("c2")?).finish();
/// assert_eq!(t.rows.len(), 1);
/// assert_eq!(t.rows[0].conversions, 2.0);
/// # Ok::<(), journeystream::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct PathPartial {
    channels: Arc<Interner>,
    index: FxHashMap<Vec<u32>, usize>,
    rows: Vec<PathRow>,
    conversions_without_value: u64,
}

impl PathPartial {
    /// The partial of no journeys, with codes from `channels`.
    pub fn empty(channels: Arc<Interner>) -> PathPartial {
        PathPartial {
            channels,
            index: FxHashMap::default(),
            rows: Vec::new(),
            conversions_without_value: 0,
        }
    }

    fn add(&mut self, touches: &[u32], conversions: f64, value: f64, nulls: f64) {
        let i = match self.index.get(touches) {
            Some(&i) => i,
            None => {
                self.index.insert(touches.to_vec(), self.rows.len());
                self.rows.push(PathRow {
                    touches: Touches::from_slice(touches),
                    conversions: 0.0,
                    value: 0.0,
                    nulls: 0.0,
                });
                self.rows.len() - 1
            }
        };
        let r = &mut self.rows[i];
        r.conversions += conversions;
        r.value += value;
        r.nulls += nulls;
    }

    /// Adds the journeys of cases `cases` (read by `journeys`, whose channel dictionary is this
    /// partial's).
    pub(crate) fn add_cases(&mut self, journeys: &Journeys<'_>, cases: Range<usize>) {
        let mut touches = Vec::new();
        for c in cases {
            let j = journeys.journey(c, &mut touches, None);
            match j.conversion {
                Some(conv) => {
                    if conv.value.is_none() && journeys.has_value() {
                        self.conversions_without_value += 1;
                    }
                    self.add(&touches, 1.0, conv.value.unwrap_or(0.0), 0.0)
                }
                None => self.add(&touches, 0.0, 0.0, 1.0),
            }
        }
    }

    /// The partial of a whole log, computed on all cores.
    pub fn of_log(log: &EventLog, spec: &LogJourneys) -> Result<PathPartial> {
        let journeys = Journeys::new(log, spec)?;
        let dict = journeys.channels().clone();
        Ok(over_cases(
            log,
            || PathPartial::empty(dict.clone()),
            |p, _, cases| p.add_cases(&journeys, cases),
            PathPartial::merge,
        ))
    }

    /// Combines with the partial of other journeys.
    pub fn merge(mut self, other: PathPartial) -> PathPartial {
        let (channels, map) = crate::analytics::partial::unify(&self.channels, &other.channels);
        self.channels = channels;
        for r in other.rows {
            let touches: Touches = match &map {
                Some(m) => r.touches.iter().map(|&c| m[c as usize]).collect(),
                None => r.touches,
            };
            self.add(&touches, r.conversions, r.value, r.nulls);
        }
        self.conversions_without_value += other.conversions_without_value;
        self
    }

    /// The path table, in first-seen order of paths.
    pub fn finish(self) -> PathTable {
        PathTable {
            channels: self.channels.to_strings(),
            rows: self.rows,
            conversions_without_value: self.conversions_without_value,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn table(rows: Value) -> Result<PathTable> {
        PathTable::from_rows(rows.as_array().unwrap(), ">")
    }

    #[test]
    fn rows_are_read_like_channelattribution() {
        let t = table(json!([["  a >b>  > c ", 1, 2.5, 0], {"path": "c > a"}])).unwrap();
        assert_eq!(t.channels, ["a", "b", "c"]);
        assert_eq!(t.rows[0].touches[..], [0, 1, 2]);
        assert_eq!(t.rows[1].touches[..], [2, 0]);
        assert_eq!(t.rows[1].conversions, 0.0);
    }

    #[test]
    fn bad_rows_name_the_row_and_field() {
        let cases = [
            (json!([["a", 1], ["b", "x"]]), "paths[1].total_conversions"),
            (json!([["a", 1, -2.0]]), "paths[0].total_conversion_value"),
            (json!([[3, 1]]), "paths[0].path"),
            (json!([{"path": "a", "nulls": 1}]), "paths[0].nulls"),
            (json!([{"total_null": 1}]), "paths[0].path"),
            (json!([["a", 1, 0, 0, 9]]), "paths[0]"),
            (json!(["a > b"]), "paths[0]"),
        ];
        for (rows, path) in cases {
            let e = table(rows).unwrap_err();
            assert_eq!(e.path(), Some(path), "{e}");
        }
    }

    #[test]
    fn repeats() {
        let p = [0, 0, 1, 0, 0, 2, 1];
        assert_eq!(Repeats::Keep.apply(&p), p);
        assert_eq!(Repeats::Collapse.apply(&p), [0, 1, 0, 2, 1]);
        assert_eq!(Repeats::First.apply(&p), [0, 1, 2]);
    }
}

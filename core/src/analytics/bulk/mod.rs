//! Array-shaped inputs of a request given as typed columns, beside its JSON options: scores,
//! segments, durations, the columns of a lifetime-value fit. The bindings fill them straight from
//! numpy, Arrow or C arrays, so bulk data never passes through JSON text.
//!
//! ```
//! use journeystream::analytics::bulk::Column;
//! use journeystream::analytics::request::{Output, Request};
//! let mut r = Request::from_json(r#"{"analysis": "kpi", "metric": "nps"}"#)?;
//! r.set_column("scores", Column::from(vec![10.0, 9.0, 3.0, 7.0]))?;
//! let Output::Kpi(k) = r.evaluate(None)? else { unreachable!() };
//! assert_eq!(k.overall.value, 25.0); // (2 promoters − 1 detractor) / 4
//! let e = r.set_column("score", Column::from(vec![])).unwrap_err();
//! assert!(e.to_string().contains("did you mean 'scores'"), "{e}");
//! # Ok::<(), journeystream::Error>(())
//! ```

use super::request::Request;
use crate::analytics::scores::parse_time;
use crate::error::{Error, Result};
use crate::suggest::closest;

mod numbers;
mod texts;
pub use numbers::{bad_value, each_slice, Number, Numbers, Slice, Source};
pub use texts::{TextSource, Texts};

/// A typed column for an array-shaped field.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    /// Numbers (scores, seconds, counts, frequencies), read where their owner keeps them.
    Numbers(Numbers),
    /// Text (segment labels, paths), read where their owner keeps them.
    Texts(Texts),
    /// Points in time, nanoseconds since the Unix epoch (UTC): numpy `datetime64`, pandas,
    /// polars and Arrow timestamps.
    Times(Vec<i64>),
}

impl Column {
    fn kind(&self) -> &'static str {
        match self {
            Column::Numbers(_) => "numbers",
            Column::Texts(_) => "text",
            Column::Times(_) => "timestamp",
        }
    }

    fn len(&self) -> usize {
        match self {
            Column::Numbers(v) => v.len(),
            Column::Texts(v) => v.len(),
            Column::Times(v) => v.len(),
        }
    }

    /// A column of numbers copied from a slice of any integer or float type, every value checked
    /// ([`Number::checked`]).
    ///
    /// ```
    /// use journeystream::analytics::bulk::Column;
    /// assert_eq!(Column::numbers("scores", &[9_i64, 10])?, Column::from(vec![9.0, 10.0]));
    /// let e = Column::numbers("scores", &[9.0, f64::NAN]).unwrap_err();
    /// assert!(e.to_string().contains("scores[1]"), "{e}");
    /// # Ok::<(), journeystream::Error>(())
    /// ```
    pub fn numbers<T: Number>(field: &str, values: &[T]) -> Result<Column> {
        Numbers::new(field, values.to_vec()).map(Column::Numbers)
    }
}

impl From<Vec<f64>> for Column {
    fn from(values: Vec<f64>) -> Column {
        Column::Numbers(values.into())
    }
}

/// The array-shaped fields an analysis takes as columns (`before.scores`: a nested field).
pub fn fields(analysis: &str) -> &'static [&'static str] {
    match analysis {
        "kpi" => &["scores", "segments", "durations"],
        "kpi_compare" => &[
            "before.scores",
            "before.durations",
            "after.scores",
            "after.durations",
        ],
        "clv_fit" => &["frequency", "recency", "T", "monetary_value", "weights"],
        "clv_predict" => &["frequency", "recency", "T", "monetary_value", "curve_times"],
        "rfm_summary" => &["customers", "timestamps", "values"],
        "change_points" => &["series"],
        "control_chart" => &["values", "defects", "sizes"],
        "attribution" => &[
            "paths.path",
            "paths.total_conversions",
            "paths.total_conversion_value",
            "paths.total_null",
        ],
        _ => &[],
    }
}

trait Len {
    fn len(&self) -> usize;
}
impl<T> Len for Vec<T> {
    fn len(&self) -> usize {
        Vec::len(self)
    }
}
impl Len for Texts {
    fn len(&self) -> usize {
        Texts::len(self)
    }
}
impl Len for Numbers {
    fn len(&self) -> usize {
        Numbers::len(self)
    }
}

/// Customer ids given as numbers, written as the JSON path writes them (`7`, not `7.0`).
fn number_ids(ids: &Numbers) -> Vec<String> {
    (0..ids.len())
        .map(|i| {
            let v = ids.get(i);
            if v.fract() == 0.0 && v.abs() < 9.0e15 {
                format!("{}", v as i64)
            } else {
                v.to_string()
            }
        })
        .collect()
}

fn set<T: Len>(slot: &mut Option<T>, field: &str, values: T) -> Result<()> {
    if slot.is_some() {
        return Err(Error::InvalidArgument {
            name: field.into(),
            value: format!("{} values", values.len()),
            reason: "is given twice: in the request and as a column".into(),
        });
    }
    *slot = Some(values);
    Ok(())
}

impl Request {
    /// Sets the array-shaped field `field` (one of [`fields`] for this analysis) from a column.
    /// A field this analysis does not take, a column of the wrong kind, or a field also given in
    /// the request's JSON is an [`Error::InvalidArgument`] naming it.
    pub fn set_column(&mut self, field: &str, column: Column) -> Result<()> {
        let wrong_kind = |want: &str, c: &Column| Error::InvalidArgument {
            name: field.into(),
            value: format!("{} {} values", c.len(), c.kind()),
            reason: format!("expected {want}"),
        };
        let numbers = |c: Column| match c {
            Column::Numbers(v) => Ok(v),
            other => Err(wrong_kind("numbers", &other)),
        };
        let floats = |c: Column| numbers(c).map(|n| n.to_f64().into_owned());
        let analysis = self.analysis();
        match (self, field) {
            (Request::Kpi(r), "scores") => set(&mut r.scores, field, numbers(column)?),
            (Request::Kpi(r), "durations") => set(&mut r.durations, field, floats(column)?),
            (Request::Kpi(r), "segments") => match column {
                Column::Texts(v) => set(&mut r.segments, field, v.to_vec()),
                other => Err(wrong_kind("text", &other)),
            },
            (Request::KpiCompare(r), _) if fields("kpi_compare").contains(&field) => {
                let (side, name) = field.split_once('.').expect("side.field");
                let side = if side == "before" {
                    &mut r.before
                } else {
                    &mut r.after
                };
                let side = side.get_or_insert_with(Default::default);
                if name == "scores" {
                    set(&mut side.scores, field, numbers(column)?)
                } else {
                    set(&mut side.durations, field, floats(column)?)
                }
            }
            (Request::ClvFit(r), _) if fields("clv_fit").contains(&field) => {
                let slot = match field {
                    "frequency" => &mut r.frequency,
                    "recency" => &mut r.recency,
                    "T" => &mut r.t,
                    "monetary_value" => &mut r.monetary_value,
                    _ => &mut r.weights,
                };
                set(slot, field, floats(column)?)
            }
            (Request::ClvPredict(r), _) if fields("clv_predict").contains(&field) => {
                let slot = match field {
                    "frequency" => &mut r.frequency,
                    "recency" => &mut r.recency,
                    "T" => &mut r.t,
                    "monetary_value" => &mut r.monetary_value,
                    _ => &mut r.curve_times,
                };
                set(slot, field, floats(column)?)
            }
            (Request::ChangePoints(r), "series") => set(&mut r.series, field, floats(column)?),
            (Request::ControlChart(r), _) if fields("control_chart").contains(&field) => {
                let slot = match field {
                    "values" => &mut r.values,
                    "defects" => &mut r.defects,
                    _ => &mut r.sizes,
                };
                set(slot, field, floats(column)?)
            }
            (Request::RfmSummary(r), _) if fields("rfm_summary").contains(&field) => {
                let given = match field {
                    "customers" => r.customers.is_some(),
                    "timestamps" => r.timestamps.is_some(),
                    _ => false,
                };
                if given {
                    return Err(Error::InvalidArgument {
                        name: field.into(),
                        value: format!("{} values", column.len()),
                        reason: "is given twice: in the request and as a column".into(),
                    });
                }
                let c = &mut r.columns;
                match (field, column) {
                    ("customers", Column::Texts(v)) => set(&mut c.customers, field, v),
                    ("customers", Column::Numbers(v)) => {
                        set(&mut c.customers, field, Texts::from(number_ids(&v)))
                    }
                    ("timestamps", Column::Times(v)) => set(&mut c.timestamps, field, v),
                    ("timestamps", Column::Texts(v)) => {
                        let times = (0..v.len())
                            .map(|i| parse_time(&format!("timestamps[{i}]"), v.get(i)))
                            .collect::<Result<Vec<_>>>()?;
                        set(&mut c.timestamps, field, times)
                    }
                    ("values", column) => set(&mut r.values, field, floats(column)?),
                    (_, other) => Err(wrong_kind(
                        if field == "customers" {
                            "text or numbers (customer ids)"
                        } else {
                            "timestamps (numpy datetime64, pandas, polars or Arrow timestamps) \
                             or RFC 3339 text"
                        },
                        &other,
                    )),
                }
            }
            (Request::Attribution(r), _) if fields("attribution").contains(&field) => {
                let p = &mut r.paths;
                match field {
                    "paths.path" => match column {
                        Column::Texts(v) => set(&mut p.path, field, v),
                        other => Err(wrong_kind("text", &other)),
                    },
                    "paths.total_conversions" => {
                        set(&mut p.total_conversions, field, floats(column)?)
                    }
                    "paths.total_conversion_value" => {
                        set(&mut p.total_conversion_value, field, floats(column)?)
                    }
                    _ => set(&mut p.total_null, field, floats(column)?),
                }
            }
            _ => {
                let names = fields(analysis);
                let reason = match (names.is_empty(), closest(field, names)) {
                    (true, _) => "is not a column of this analysis (it takes none)".to_string(),
                    (false, Some(c)) => format!(
                        "is not a column of this analysis; did you mean '{c}'? (it takes {})",
                        names.join(", ")
                    ),
                    (false, None) => {
                        format!(
                            "is not a column of this analysis (it takes {})",
                            names.join(", ")
                        )
                    }
                };
                Err(Error::InvalidArgument {
                    name: field.into(),
                    value: format!("{} values", column.len()),
                    reason,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_fill_the_fields_and_bad_ones_are_named() {
        let mut r = Request::from_json(r#"{"analysis": "clv_fit", "model": "bg_nbd"}"#).unwrap();
        r.set_column("T", Column::from(vec![1.0])).unwrap();
        let Request::ClvFit(f) = &r else { panic!() };
        assert_eq!(f.t, Some(vec![1.0]));
        let e = r.set_column("T", Column::from(vec![2.0])).unwrap_err();
        assert!(e.to_string().contains("given twice"), "{e}");
        let e = r
            .set_column("recency", Column::Texts(vec!["a".to_string()].into()))
            .unwrap_err();
        assert!(e.to_string().contains("expected numbers"), "{e}");
        let mut c = Request::from_json(r#"{"analysis": "kpi_compare", "metric": "csat"}"#).unwrap();
        c.set_column("after.scores", Column::from(vec![5.0]))
            .unwrap();
        let Request::KpiCompare(k) = &c else { panic!() };
        assert_eq!(k.after.as_ref().unwrap().scores, Some(vec![5.0].into()));
        let mut p = Request::from_json(r#"{"analysis": "profile"}"#).unwrap();
        let e = p.set_column("scores", Column::from(vec![])).unwrap_err();
        assert!(e.to_string().contains("takes none"), "{e}");
    }

    #[test]
    fn transactions_as_columns_equal_them_in_the_request() {
        let json = Request::from_json(
            r#"{"analysis": "rfm_summary", "customers": ["a", "b", "a", 7],
                "timestamps": ["2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z",
                               "2024-01-05T00:00:00Z", 1704153600000000000],
                "values": [10, 5, 20, 3]}"#,
        )
        .unwrap();
        let day = 86_400_000_000_000_i64;
        let start = 1_704_067_200_000_000_000_i64; // 2024-01-01
        let ids =
            |v: &[&str]| Column::Texts(v.iter().map(|s| s.to_string()).collect::<Vec<_>>().into());
        let mut columns = Request::from_json(r#"{"analysis": "rfm_summary"}"#).unwrap();
        columns
            .set_column("customers", ids(&["a", "b", "a", "7"]))
            .unwrap();
        columns
            .set_column(
                "timestamps",
                Column::Times(vec![start, start + day, start + 4 * day, start + day]),
            )
            .unwrap();
        columns
            .set_column("values", Column::from(vec![10.0, 5.0, 20.0, 3.0]))
            .unwrap();
        assert_eq!(
            columns.evaluate(None).unwrap(),
            json.evaluate(None).unwrap()
        );
        // Ids as numbers are written as the request writes them; timestamps as text are parsed.
        let mut numbered = Request::from_json(r#"{"analysis": "rfm_summary"}"#).unwrap();
        numbered
            .set_column("customers", Column::from(vec![7.0]))
            .unwrap();
        let texts = Column::Texts(vec!["2024-01-02T00:00:00Z".to_string()].into());
        numbered.set_column("timestamps", texts).unwrap();
        let out = serde_json::to_value(numbered.evaluate(None).unwrap()).unwrap();
        assert_eq!(out["customer"][0], "7", "{out}");
        let mut bad = Request::from_json(r#"{"analysis": "rfm_summary"}"#).unwrap();
        let e = bad
            .set_column("timestamps", Column::Texts(vec!["soon".to_string()].into()))
            .unwrap_err();
        assert!(e.to_string().contains("timestamps[0]"), "{e}");
        let e = bad
            .set_column("timestamps", Column::from(vec![1.0]))
            .unwrap_err();
        assert!(e.to_string().contains("expected timestamps"), "{e}");
        let mut twice = json.clone();
        let e = twice.set_column("customers", ids(&["a"])).unwrap_err();
        assert!(e.to_string().contains("given twice"), "{e}");
    }

    #[test]
    fn a_path_table_as_columns_equals_it_as_rows() {
        let rows = Request::from_json(
            r#"{"analysis": "attribution", "model": "markov",
                "paths": [["a > b", 2, 20, 1], ["b", 1, 5, 3], ["a", 0, 0, 2]]}"#,
        )
        .unwrap();
        let mut columns =
            Request::from_json(r#"{"analysis": "attribution", "model": "markov"}"#).unwrap();
        let texts =
            |v: &[&str]| Column::Texts(v.iter().map(|s| s.to_string()).collect::<Vec<_>>().into());
        columns
            .set_column("paths.path", texts(&["a > b", "b", "a"]))
            .unwrap();
        for (f, v) in [
            ("paths.total_conversions", [2.0, 1.0, 0.0]),
            ("paths.total_conversion_value", [20.0, 5.0, 0.0]),
            ("paths.total_null", [1.0, 3.0, 2.0]),
        ] {
            columns.set_column(f, Column::from(v.to_vec())).unwrap();
        }
        assert_eq!(
            columns.evaluate(None).unwrap(),
            rows.evaluate(None).unwrap()
        );

        let mut short =
            Request::from_json(r#"{"analysis": "attribution", "model": "linear"}"#).unwrap();
        short.set_column("paths.path", texts(&["a", "b"])).unwrap();
        short
            .set_column("paths.total_null", Column::from(vec![1.0]))
            .unwrap();
        let e = short.evaluate(None).unwrap_err().to_string();
        assert!(
            e.contains("paths.total_null") && e.contains("as many values as paths.path (2)"),
            "{e}"
        );
        let mut negative =
            Request::from_json(r#"{"analysis": "attribution", "model": "linear"}"#).unwrap();
        negative
            .set_column("paths.path", texts(&["a", "b"]))
            .unwrap();
        negative
            .set_column("paths.total_conversions", Column::from(vec![1.0, -1.0]))
            .unwrap();
        let e = negative.evaluate(None).unwrap_err().to_string();
        assert!(e.contains("paths.total_conversions[1]"), "{e}");
        let mut both = rows.clone();
        both.set_column("paths.path", texts(&["a"])).unwrap();
        assert!(both
            .evaluate(None)
            .unwrap_err()
            .to_string()
            .contains("given twice"));
        let mut no_path =
            Request::from_json(r#"{"analysis": "attribution", "model": "linear"}"#).unwrap();
        no_path
            .set_column("paths.total_null", Column::from(vec![1.0]))
            .unwrap();
        assert!(no_path
            .evaluate(None)
            .unwrap_err()
            .to_string()
            .contains("paths.path"));
    }
}

//! Array-shaped inputs of a request given as typed columns, beside its JSON options: scores,
//! segments, durations, the columns of a lifetime-value fit. The bindings fill them straight from
//! numpy, Arrow or C arrays, so bulk data never passes through JSON text.
//!
//! ```
//! use journeystream::analytics::bulk::Column;
//! use journeystream::analytics::request::{Output, Request};
//! let mut r = Request::from_json(r#"{"analysis": "kpi", "metric": "nps"}"#)?;
//! r.set_column("scores", Column::Numbers(vec![10.0, 9.0, 3.0, 7.0]))?;
//! let Output::Kpi(k) = r.evaluate(None)? else { unreachable!() };
//! assert_eq!(k.overall.value, 25.0); // (2 promoters − 1 detractor) / 4
//! let e = r.set_column("score", Column::Numbers(vec![])).unwrap_err();
//! assert!(e.to_string().contains("did you mean 'scores'"), "{e}");
//! # Ok::<(), journeystream::Error>(())
//! ```

use super::request::Request;
use crate::error::{Error, Result};
use crate::suggest::closest;
use rayon::prelude::*;

/// A typed column for an array-shaped field.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    /// Numbers (scores, seconds, counts, frequencies): finite, as the bindings check.
    Numbers(Vec<f64>),
    /// Text (segment labels).
    Texts(Vec<String>),
}

impl Column {
    fn kind(&self) -> &'static str {
        match self {
            Column::Numbers(_) => "numbers",
            Column::Texts(_) => "text",
        }
    }

    fn len(&self) -> usize {
        match self {
            Column::Numbers(v) => v.len(),
            Column::Texts(v) => v.len(),
        }
    }
}

/// A value of an array the bindings read (from numpy, Arrow or C): checked into a finite `f64`.
pub trait Number: Copy {
    /// The value as a finite `f64`, or an error naming `field[index]` and the value: a NaN or
    /// an infinity, or an integer past 2^53 (which a float cannot hold exactly).
    fn checked(self, field: &str, index: usize) -> Result<f64>;
}

const EXACT: u128 = 1 << 53;

/// The error for the value at `field[index]`.
pub fn bad_value(field: &str, index: usize, value: impl std::fmt::Display, reason: &str) -> Error {
    Error::InvalidArgument {
        name: format!("{field}[{index}]"),
        value: value.to_string(),
        reason: reason.into(),
    }
}

macro_rules! floats {
    ($($t:ty),*) => {$(
        impl Number for $t {
            fn checked(self, field: &str, index: usize) -> Result<f64> {
                let x = f64::from(self);
                if x.is_finite() {
                    Ok(x)
                } else {
                    Err(bad_value(field, index, x, "is not a finite number (NaN, a null or an infinity)"))
                }
            }
        }
    )*};
}
floats!(f32, f64);

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl Number for $t {
            fn checked(self, field: &str, index: usize) -> Result<f64> {
                let x = i128::from(self);
                if x.unsigned_abs() <= EXACT {
                    Ok(x as f64)
                } else {
                    Err(bad_value(field, index, x, "is an integer past 2^53, which a float cannot hold exactly"))
                }
            }
        }
    )*};
}
integers!(i8, i16, i32, i64, u8, u16, u32, u64, i128);

impl Column {
    /// A column of numbers from a slice of any integer or float type, every value checked
    /// ([`Number::checked`]).
    ///
    /// ```
    /// use journeystream::analytics::bulk::Column;
    /// assert_eq!(Column::numbers("scores", &[9_i64, 10])?, Column::Numbers(vec![9.0, 10.0]));
    /// let e = Column::numbers("scores", &[9.0, f64::NAN]).unwrap_err();
    /// assert!(e.to_string().contains("scores[1]"), "{e}");
    /// # Ok::<(), journeystream::Error>(())
    /// ```
    pub fn numbers<T: Number + Sync>(field: &str, values: &[T]) -> Result<Column> {
        // Checked and converted on all cores, into a buffer of the right size; on an error the
        // first bad value is found again in order, so the message does not depend on timing.
        const CHUNK: usize = 1 << 16;
        let mut out = vec![0.0; values.len()];
        let ok = out
            .par_chunks_mut(CHUNK)
            .zip(values.par_chunks(CHUNK))
            .all(|(out, values)| {
                out.iter_mut()
                    .zip(values)
                    .all(|(o, v)| v.checked("", 0).map(|x| *o = x).is_ok())
            });
        if !ok {
            for (i, v) in values.iter().enumerate() {
                v.checked(field, i)?;
            }
        }
        Ok(Column::Numbers(out))
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
        "attribution" => &[
            "paths.path",
            "paths.total_conversions",
            "paths.total_conversion_value",
            "paths.total_null",
        ],
        _ => &[],
    }
}

fn set<T>(slot: &mut Option<Vec<T>>, field: &str, values: Vec<T>) -> Result<()> {
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
        let analysis = self.analysis();
        match (self, field) {
            (Request::Kpi(r), "scores") => set(&mut r.scores, field, numbers(column)?),
            (Request::Kpi(r), "durations") => set(&mut r.durations, field, numbers(column)?),
            (Request::Kpi(r), "segments") => match column {
                Column::Texts(v) => set(&mut r.segments, field, v),
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
                let slot = if name == "scores" {
                    &mut side.scores
                } else {
                    &mut side.durations
                };
                set(slot, field, numbers(column)?)
            }
            (Request::ClvFit(r), _) if fields("clv_fit").contains(&field) => {
                let slot = match field {
                    "frequency" => &mut r.frequency,
                    "recency" => &mut r.recency,
                    "T" => &mut r.t,
                    "monetary_value" => &mut r.monetary_value,
                    _ => &mut r.weights,
                };
                set(slot, field, numbers(column)?)
            }
            (Request::ClvPredict(r), _) if fields("clv_predict").contains(&field) => {
                let slot = match field {
                    "frequency" => &mut r.frequency,
                    "recency" => &mut r.recency,
                    "T" => &mut r.t,
                    "monetary_value" => &mut r.monetary_value,
                    _ => &mut r.curve_times,
                };
                set(slot, field, numbers(column)?)
            }
            (Request::Attribution(r), _) if fields("attribution").contains(&field) => {
                let p = &mut r.paths;
                match field {
                    "paths.path" => match column {
                        Column::Texts(v) => set(&mut p.path, field, v),
                        other => Err(wrong_kind("text", &other)),
                    },
                    "paths.total_conversions" => {
                        set(&mut p.total_conversions, field, numbers(column)?)
                    }
                    "paths.total_conversion_value" => {
                        set(&mut p.total_conversion_value, field, numbers(column)?)
                    }
                    _ => set(&mut p.total_null, field, numbers(column)?),
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
        r.set_column("T", Column::Numbers(vec![1.0])).unwrap();
        let Request::ClvFit(f) = &r else { panic!() };
        assert_eq!(f.t, Some(vec![1.0]));
        let e = r.set_column("T", Column::Numbers(vec![2.0])).unwrap_err();
        assert!(e.to_string().contains("given twice"), "{e}");
        let e = r
            .set_column("recency", Column::Texts(vec!["a".into()]))
            .unwrap_err();
        assert!(e.to_string().contains("expected numbers"), "{e}");
        let mut c = Request::from_json(r#"{"analysis": "kpi_compare", "metric": "csat"}"#).unwrap();
        c.set_column("after.scores", Column::Numbers(vec![5.0]))
            .unwrap();
        let Request::KpiCompare(k) = &c else { panic!() };
        assert_eq!(k.after.as_ref().unwrap().scores, Some(vec![5.0]));
        let mut p = Request::from_json(r#"{"analysis": "profile"}"#).unwrap();
        let e = p.set_column("scores", Column::Numbers(vec![])).unwrap_err();
        assert!(e.to_string().contains("takes none"), "{e}");
    }

    #[test]
    fn integers_are_exact_up_to_2_pow_53() {
        let limit = 1_i64 << 53;
        assert_eq!(limit.checked("x", 0).unwrap(), 9_007_199_254_740_992.0);
        assert_eq!((-limit).checked("x", 0).unwrap(), -9_007_199_254_740_992.0);
        for past in [limit + 1, -limit - 1, i64::MAX, i64::MIN] {
            let e = past.checked("x", 3).unwrap_err().to_string();
            assert!(e.contains("x[3]") && e.contains(&past.to_string()), "{e}");
        }
        assert!(u64::MAX.checked("x", 0).is_err());
        assert!(f64::NAN.checked("x", 0).is_err());
        assert!(f32::INFINITY.checked("x", 0).is_err());
        assert_eq!(f64::MAX.checked("x", 0).unwrap(), f64::MAX);
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
        let texts = |v: &[&str]| Column::Texts(v.iter().map(|s| s.to_string()).collect());
        columns
            .set_column("paths.path", texts(&["a > b", "b", "a"]))
            .unwrap();
        for (f, v) in [
            ("paths.total_conversions", [2.0, 1.0, 0.0]),
            ("paths.total_conversion_value", [20.0, 5.0, 0.0]),
            ("paths.total_null", [1.0, 3.0, 2.0]),
        ] {
            columns.set_column(f, Column::Numbers(v.to_vec())).unwrap();
        }
        assert_eq!(
            columns.evaluate(None).unwrap(),
            rows.evaluate(None).unwrap()
        );

        let mut short =
            Request::from_json(r#"{"analysis": "attribution", "model": "linear"}"#).unwrap();
        short.set_column("paths.path", texts(&["a", "b"])).unwrap();
        short
            .set_column("paths.total_null", Column::Numbers(vec![1.0]))
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
            .set_column("paths.total_conversions", Column::Numbers(vec![1.0, -1.0]))
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
            .set_column("paths.total_null", Column::Numbers(vec![1.0]))
            .unwrap();
        assert!(no_path
            .evaluate(None)
            .unwrap_err()
            .to_string()
            .contains("paths.path"));
    }
}

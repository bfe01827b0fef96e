//! A column of numbers read where its owner keeps it: a `Vec`, an Arrow buffer, a numpy array or a
//! C array of any integer or float type. Nothing is copied or converted on the way in; an
//! analysis reads the values in their own type ([`Slice`]) or, where it needs `f64`, converts
//! them once ([`Numbers::to_f64`]).
//!
//! ```
//! use journeystream::analytics::bulk::{Numbers, Slice};
//! let scores = Numbers::new("scores", vec![9_i64, 10, 3])?; // checked, not copied
//! assert!(matches!(scores.slice(), Slice::I64(&[9, 10, 3])));
//! assert_eq!(&*scores.to_f64(), &[9.0, 10.0, 3.0]);
//! let e = Numbers::new("scores", vec![1_i64 << 54]).unwrap_err();
//! assert!(e.to_string().contains("scores[0]"), "{e}");
//! # Ok::<(), journeystream::Error>(())
//! ```

use crate::error::{Error, Result};
use rayon::prelude::*;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

/// The values of a [`Numbers`] column in the type they are stored in.
#[derive(Debug, Clone, Copy, PartialEq)]
#[allow(missing_docs)]
pub enum Slice<'a> {
    F64(&'a [f64]),
    F32(&'a [f32]),
    I64(&'a [i64]),
    I32(&'a [i32]),
    I16(&'a [i16]),
    I8(&'a [i8]),
    U64(&'a [u64]),
    U32(&'a [u32]),
    U16(&'a [u16]),
    U8(&'a [u8]),
}

/// Runs `$body` with `$s` bound to the typed slice inside a [`Slice`], whatever its type.
#[macro_export]
#[doc(hidden)]
macro_rules! each_slice {
    ($slice:expr, $s:ident => $body:expr) => {{
        use $crate::analytics::bulk::Slice;
        match $slice {
            Slice::F64($s) => $body,
            Slice::F32($s) => $body,
            Slice::I64($s) => $body,
            Slice::I32($s) => $body,
            Slice::I16($s) => $body,
            Slice::I8($s) => $body,
            Slice::U64($s) => $body,
            Slice::U32($s) => $body,
            Slice::U16($s) => $body,
            Slice::U8($s) => $body,
        }
    }};
}
pub use each_slice;

/// Whatever holds the values of a [`Numbers`] column: a `Vec` or an Arrow buffer here, a numpy
/// array or a C array in the bindings. It must hand out the same values for as long as it lives.
pub trait Source: Send + Sync {
    /// The values.
    fn slice(&self) -> Slice<'_>;
}

/// A value of an array the bindings read (from numpy, Arrow or C): checked into a finite `f64`.
pub trait Number: Copy + Send + Sync + 'static {
    /// The value as a finite `f64`, or an error naming `field[index]` and the value: a NaN or
    /// an infinity, or an integer past 2^53 (which a float cannot hold exactly).
    fn checked(self, field: &str, index: usize) -> Result<f64>;
    /// The value as an `f64`, for a value [`Number::checked`] has accepted.
    fn to_f64(self) -> f64;
    /// The value's position on the whole-number scale `min..=max` (0 for `min`), if it is a whole
    /// number on it.
    fn on_scale(self, min: u8, max: u8) -> Option<usize>;
    /// The values as a [`Slice`].
    fn slice(values: &[Self]) -> Slice<'_>;
}

const EXACT: u128 = 1 << 53;

/// The error for the value at `field[index]`.
pub fn bad_value(field: &str, index: usize, value: impl fmt::Display, reason: &str) -> Error {
    Error::InvalidArgument {
        name: format!("{field}[{index}]"),
        value: value.to_string(),
        reason: reason.into(),
    }
}

macro_rules! floats {
    ($($t:ty => $variant:ident),*) => {$(
        impl Number for $t {
            fn checked(self, field: &str, index: usize) -> Result<f64> {
                let x = f64::from(self);
                if x.is_finite() {
                    Ok(x)
                } else {
                    Err(bad_value(field, index, x, "is not a finite number (NaN, a null or an infinity)"))
                }
            }
            fn to_f64(self) -> f64 {
                f64::from(self)
            }
            fn on_scale(self, min: u8, max: u8) -> Option<usize> {
                let ok = self >= <$t>::from(min) && self <= <$t>::from(max) && self.fract() == 0.0;
                ok.then(|| (self - <$t>::from(min)) as usize)
            }
            fn slice(values: &[Self]) -> Slice<'_> {
                Slice::$variant(values)
            }
        }
    )*};
}
floats!(f32 => F32, f64 => F64);

macro_rules! integers {
    ($($t:ty => $variant:ident),*) => {$(
        impl Number for $t {
            fn checked(self, field: &str, index: usize) -> Result<f64> {
                let x = i128::from(self);
                if x.unsigned_abs() <= EXACT {
                    Ok(x as f64)
                } else {
                    Err(bad_value(field, index, x, "is an integer past 2^53, which a float cannot hold exactly"))
                }
            }
            fn to_f64(self) -> f64 {
                self as f64
            }
            fn on_scale(self, min: u8, max: u8) -> Option<usize> {
                // One compare: values below `min` wrap past `max - min`.
                let d = (self as i128 - min as i128) as u128;
                (d <= (max - min) as u128).then_some(d as usize)
            }
            fn slice(values: &[Self]) -> Slice<'_> {
                Slice::$variant(values)
            }
        }
    )*};
}
integers!(i8 => I8, i16 => I16, i32 => I32, i64 => I64, u8 => U8, u16 => U16, u32 => U32, u64 => U64);

impl<T: Number> Source for Vec<T> {
    fn slice(&self) -> Slice<'_> {
        T::slice(self)
    }
}

/// A column of numbers (scores, seconds, counts, frequencies), shared with whatever holds them:
/// cloning it shares the values.
#[derive(Clone)]
pub struct Numbers(Arc<dyn Source>);

/// Checks values on all cores; on an error the first bad value is found again in order, so the
/// message does not depend on timing.
fn check<T: Number>(field: &str, values: &[T]) -> Result<()> {
    const CHUNK: usize = 1 << 16;
    let ok = values
        .par_chunks(CHUNK)
        .all(|c| c.iter().all(|v| v.checked("", 0).is_ok()));
    if !ok {
        for (i, v) in values.iter().enumerate() {
            v.checked(field, i)?;
        }
    }
    Ok(())
}

impl Numbers {
    /// The numbers `source` holds, every value checked in place ([`Number::checked`]): a NaN, an
    /// infinity or an integer past 2^53 is an error naming `field[index]`.
    pub fn new(field: &str, source: impl Source + 'static) -> Result<Numbers> {
        each_slice!(source.slice(), s => check(field, s))?;
        Ok(Numbers(Arc::new(source)))
    }

    /// The values in their own type.
    pub fn slice(&self) -> Slice<'_> {
        self.0.slice()
    }

    /// How many values.
    pub fn len(&self) -> usize {
        each_slice!(self.slice(), s => s.len())
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Value `i` as an `f64`.
    ///
    /// # Panics
    /// When `i` is out of bounds.
    pub fn get(&self, i: usize) -> f64 {
        each_slice!(self.slice(), s => s[i].to_f64())
    }

    /// The values as `f64`: borrowed when they are `f64`, else converted once.
    pub fn to_f64(&self) -> Cow<'_, [f64]> {
        match self.slice() {
            Slice::F64(s) => Cow::Borrowed(s),
            other => Cow::Owned(each_slice!(other, s => {
                let mut out = vec![0.0; s.len()];
                out.par_chunks_mut(1 << 16)
                    .zip(s.par_chunks(1 << 16))
                    .for_each(|(o, s)| o.iter_mut().zip(s).for_each(|(o, v)| *o = v.to_f64()));
                out
            })),
        }
    }

    /// Where the values start in memory, to see that they were not copied on the way in.
    pub fn address(&self) -> usize {
        each_slice!(self.slice(), s => s.as_ptr() as usize)
    }
}

impl From<Vec<f64>> for Numbers {
    /// Numbers of a `Vec<f64>`, taken as they are (an analysis refuses the values it cannot use).
    fn from(values: Vec<f64>) -> Numbers {
        Numbers(Arc::new(values))
    }
}

impl FromIterator<f64> for Numbers {
    fn from_iter<I: IntoIterator<Item = f64>>(values: I) -> Numbers {
        Numbers::from(values.into_iter().collect::<Vec<f64>>())
    }
}

impl PartialEq for Numbers {
    fn eq(&self, other: &Numbers) -> bool {
        self.to_f64() == other.to_f64()
    }
}

impl fmt::Debug for Numbers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.to_f64().iter()).finish()
    }
}

impl Serialize for Numbers {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        self.to_f64().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Numbers {
    fn deserialize<D: Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Numbers, D::Error> {
        Vec::<f64>::deserialize(deserializer).map(Numbers::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn scale_positions_of_every_type() {
        assert_eq!(0_i64.on_scale(0, 10), Some(0));
        assert_eq!(10_i64.on_scale(0, 10), Some(10));
        assert_eq!(11_i64.on_scale(0, 10), None);
        assert_eq!((-1_i64).on_scale(0, 10), None);
        assert_eq!(i64::MIN.on_scale(1, 5), None);
        assert_eq!(u64::MAX.on_scale(1, 5), None);
        assert_eq!(0_u8.on_scale(1, 5), None);
        assert_eq!(5_u8.on_scale(1, 5), Some(4));
        assert_eq!(4.0_f64.on_scale(1, 5), Some(3));
        assert_eq!(4.5_f64.on_scale(1, 5), None);
        assert_eq!(f64::NAN.on_scale(0, 10), None);
        assert_eq!(7.0_f32.on_scale(1, 7), Some(6));
    }

    #[test]
    fn values_are_read_where_they_are() {
        let v: Vec<i32> = (0..200_000).collect();
        let address = v.as_ptr() as usize;
        let n = Numbers::new("x", v).unwrap();
        assert_eq!(n.address(), address);
        assert_eq!(n.len(), 200_000);
        assert_eq!(n.get(199_999), 199_999.0);
        assert_eq!(n.to_f64()[5], 5.0);
        let e = Numbers::new("x", vec![1.0, 2.0, f64::INFINITY]).unwrap_err();
        assert!(
            e.to_string().contains("x[2]") && e.to_string().contains("inf"),
            "{e}"
        );
        let json = serde_json::to_string(&n.clone()).unwrap();
        let back: Numbers = serde_json::from_str(&json).unwrap();
        assert_eq!(back, n);
    }
}

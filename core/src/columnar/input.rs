//! Arrow arrays in: an array-shaped request field ([`crate::analytics::bulk`]) read from an Arrow
//! array of any integer, float or string type, every value checked. Numbers are read in the
//! array's own buffer, not copied. Both bindings read Arrow input through this one function.
//!
//! ```
//! use arrow_array::{Int32Array, StringArray};
//! use journeystream::analytics::bulk::Column;
//! use journeystream::columnar::input::column;
//! let scores = Int32Array::from(vec![Some(9), Some(10)]);
//! assert_eq!(column("scores", &scores)?, Column::from(vec![9.0, 10.0]));
//! let with_null = Int32Array::from(vec![Some(9), None]);
//! let e = column("scores", &with_null).unwrap_err();
//! assert!(e.to_string().contains("scores[1]"), "{e}");
//! let segments = StringArray::from(vec!["web", "store"]);
//! assert_eq!(column("segments", &segments)?, Column::Texts(vec!["web".to_string(), "store".to_string()].into()));
//! # Ok::<(), journeystream::Error>(())
//! ```

use crate::analytics::bulk::{
    bad_value, Column, Number, Numbers, Slice, Source, TextSource, Texts,
};
use crate::error::{Error, Result};
use arrow_array::cast::AsArray;
use arrow_array::types::*;
use arrow_array::{
    Array, ArrowPrimitiveType, GenericStringArray, OffsetSizeTrait, StringViewArray,
};
use arrow_buffer::{ArrowNativeType, ScalarBuffer};
use arrow_schema::{DataType, TimeUnit};

fn null(field: &str, i: usize) -> Error {
    bad_value(field, i, "null", "is missing (a null)")
}

/// An Arrow buffer holds numbers in place.
impl<T: Number + ArrowNativeType> Source for ScalarBuffer<T> {
    fn slice(&self) -> Slice<'_> {
        T::slice(self)
    }
}

fn primitive<T>(field: &str, a: &dyn Array) -> Result<Column>
where
    T: ArrowPrimitiveType,
    T::Native: Number,
{
    let a = a.as_primitive::<T>();
    if let Some(i) = (0..a.len()).find(|&i| a.is_null(i)) {
        return Err(null(field, i));
    }
    Numbers::new(field, a.values().clone()).map(Column::Numbers)
}

/// The column `field` from an Arrow array: integers and floats become numbers (a null, NaN,
/// infinity or an integer past 2^53 is an error naming `field[index]`), strings (plain, large,
/// view or dictionary-encoded) become text; any other type is an error naming it.
pub fn column(field: &str, a: &dyn Array) -> Result<Column> {
    match a.data_type() {
        DataType::Float64 => primitive::<Float64Type>(field, a),
        DataType::Float32 => primitive::<Float32Type>(field, a),
        DataType::Int64 => primitive::<Int64Type>(field, a),
        DataType::Int32 => primitive::<Int32Type>(field, a),
        DataType::Int16 => primitive::<Int16Type>(field, a),
        DataType::Int8 => primitive::<Int8Type>(field, a),
        DataType::UInt64 => primitive::<UInt64Type>(field, a),
        DataType::UInt32 => primitive::<UInt32Type>(field, a),
        DataType::UInt16 => primitive::<UInt16Type>(field, a),
        DataType::UInt8 => primitive::<UInt8Type>(field, a),
        DataType::Timestamp(unit, _) => times(field, a, unit),
        _ => texts(field, a).map(Column::Texts),
    }
}

/// Timestamps of any unit as nanoseconds since the epoch (a time zone does not change the
/// instant); a null, or one past the nanosecond range (years 1677–2262), is an error naming it.
fn times(field: &str, a: &dyn Array, unit: &TimeUnit) -> Result<Column> {
    let (values, per): (&[i64], i64) = match unit {
        TimeUnit::Second => (
            a.as_primitive::<TimestampSecondType>().values(),
            1_000_000_000,
        ),
        TimeUnit::Millisecond => (
            a.as_primitive::<TimestampMillisecondType>().values(),
            1_000_000,
        ),
        TimeUnit::Microsecond => (a.as_primitive::<TimestampMicrosecondType>().values(), 1_000),
        TimeUnit::Nanosecond => (a.as_primitive::<TimestampNanosecondType>().values(), 1),
    };
    values
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            if a.is_null(i) {
                return Err(null(field, i));
            }
            v.checked_mul(per).ok_or_else(|| {
                bad_value(
                    field,
                    i,
                    v,
                    "is outside the nanosecond range (years 1677-2262)",
                )
            })
        })
        .collect::<Result<Vec<_>>>()
        .map(Column::Times)
}

/// An Arrow string array holds text in place.
impl<O: OffsetSizeTrait> TextSource for GenericStringArray<O> {
    fn len(&self) -> usize {
        Array::len(self)
    }
    fn get(&self, i: usize) -> &str {
        self.value(i)
    }
}

impl TextSource for StringViewArray {
    fn len(&self) -> usize {
        Array::len(self)
    }
    fn get(&self, i: usize) -> &str {
        self.value(i)
    }
}

/// Text of a string array, read in place (a dictionary's values are looked up into a copy).
fn texts(field: &str, a: &dyn Array) -> Result<Texts> {
    if let Some(i) = (0..a.len()).find(|&i| a.is_null(i)) {
        return Err(null(field, i));
    }
    if let Some(dict) = a.as_any_dictionary_opt() {
        let values = texts(field, dict.values().as_ref())?;
        let keys = super::dictionary_keys(dict);
        return Ok(Texts::from(
            keys.into_iter()
                .map(|k| values.get(k).to_string())
                .collect::<Vec<_>>(),
        ));
    }
    match a.data_type() {
        DataType::Utf8 => Ok(Texts::new(a.as_string::<i32>().clone())),
        DataType::LargeUtf8 => Ok(Texts::new(a.as_string::<i64>().clone())),
        DataType::Utf8View => Ok(Texts::new(a.as_string_view().clone())),
        other => Err(Error::InvalidArgument {
            name: field.into(),
            value: other.to_string(),
            reason: "is an Arrow type this field does not take (numbers or text)".into(),
        }),
    }
}

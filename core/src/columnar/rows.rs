//! Arrow values back to JSON, for the columns this module builds (and any Arrow array of those
//! types): the check that a result's tables equal its JSON, and row access in the bindings.

use crate::analytics::bulk::Number as Checked;
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type, UInt64Type};
use arrow_array::{Array, RecordBatch};
use arrow_schema::DataType;
use serde_json::{Map, Number, Value};

/// Row `i` of `array` as JSON (a float that is not finite as null).
pub fn value(array: &dyn Array, i: usize) -> Value {
    if array.is_null(i) {
        return Value::Null;
    }
    match array.data_type() {
        DataType::Null => Value::Null,
        DataType::Boolean => Value::Bool(array.as_boolean().value(i)),
        DataType::Int64 => array.as_primitive::<Int64Type>().value(i).into(),
        DataType::UInt64 => array.as_primitive::<UInt64Type>().value(i).into(),
        DataType::Float64 => Number::from_f64(array.as_primitive::<Float64Type>().value(i))
            .map_or(Value::Null, Value::Number),
        DataType::Utf8 => array.as_string::<i32>().value(i).into(),
        DataType::LargeUtf8 => array.as_string::<i64>().value(i).into(),
        DataType::Utf8View => array.as_string_view().value(i).into(),
        DataType::List(_) => list(array.as_list::<i32>().value(i).as_ref()),
        DataType::LargeList(_) => list(array.as_list::<i64>().value(i).as_ref()),
        DataType::Struct(fields) => {
            let s = array.as_struct();
            Value::Object(
                fields
                    .iter()
                    .zip(s.columns())
                    .map(|(f, c)| (f.name().clone(), value(c.as_ref(), i)))
                    .collect(),
            )
        }
        other => Value::String(format!("<{other}>")),
    }
}

fn list(values: &dyn Array) -> Value {
    Value::Array((0..values.len()).map(|j| value(values, j)).collect())
}

/// Rows `range` of a batch as JSON objects, a key per column.
pub fn batch_rows(batch: &RecordBatch, range: std::ops::Range<usize>) -> Vec<Value> {
    let schema = batch.schema();
    range
        .map(|i| {
            let mut row = Map::new();
            for (f, c) in schema.fields().iter().zip(batch.columns()) {
                row.insert(f.name().clone(), value(c.as_ref(), i));
            }
            Value::Object(row)
        })
        .collect()
}

/// The numeric column `name` (floats as they are, integers up to 2^53 in magnitude, checked as
/// inputs are: [`Checked`]) as `f64`s, nulls as NaN; another type is an error naming the column.
pub fn floats(name: &str, array: &dyn Array) -> crate::Result<Vec<f64>> {
    fn ints<T: Checked>(name: &str, array: &dyn Array, values: &[T]) -> crate::Result<Vec<f64>> {
        let nulls = array.null_count() > 0;
        values
            .iter()
            .enumerate()
            .map(|(i, &x)| {
                if nulls && array.is_null(i) {
                    Ok(f64::NAN)
                } else {
                    x.checked(name, i)
                }
            })
            .collect()
    }
    match array.data_type() {
        // Results' floats pass as they are; nulls become NaN.
        DataType::Float64 => {
            let a = array.as_primitive::<Float64Type>();
            Ok((0..a.len())
                .map(|i| if a.is_null(i) { f64::NAN } else { a.value(i) })
                .collect())
        }
        DataType::UInt64 => ints(name, array, array.as_primitive::<UInt64Type>().values()),
        DataType::Int64 => ints(name, array, array.as_primitive::<Int64Type>().values()),
        DataType::Null => Ok(vec![f64::NAN; array.len()]),
        other => Err(crate::Error::InvalidArgument {
            name: name.into(),
            value: other.to_string(),
            reason: "is a column of this type, not of numbers".into(),
        }),
    }
}

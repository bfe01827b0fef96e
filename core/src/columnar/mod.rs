//! Results as Arrow tables (feature `arrow`): the one conversion both bindings hand out.
//!
//! Any result (anything `Serialize`) splits into **tables** and **scalars**, by its shape, with no
//! code per result type:
//!
//! - every sequence reached from the root through records (structs and maps) is a table named by
//!   its path (`dfg`, `population_curve`, `breakdown.steps`; the root itself: `rows`):
//!   - a sequence of records is a table of rows ([`TableKind::Rows`]), a column per field (a
//!     nested record is a struct column, a nested sequence a list column, an absent optional
//!     field null);
//!   - a sequence of scalars is a table of one column, `value` ([`TableKind::Values`]);
//! - a record whose Rust struct is serialized under the name `"columns"` (`#[serde(rename =
//!   "columns")]`: per-customer predictions, the RFM summary, a fit's parameters) holds parallel
//!   sequences of one length: they are the columns of one table at the record's path
//!   ([`TableKind::Columns`]);
//! - everything else (counts, rates, intervals, options echoed back) stays in [`Tables::scalars`],
//!   the result's JSON without its tables.
//!
//! Integers are Int64 (UInt64 only past `i64::MAX`), floats Float64 (a non-finite one null, as in
//! JSON), text Utf8 (LargeUtf8 past 2 GiB), lists LargeList. An empty sequence is a table without
//! columns: its element type is not known.
//!
//! ```
//! use journeystream::{analytics::process::profile, columnar::Tables, log::LogBuilder};
//! let mut b = LogBuilder::new();
//! b.push("c1", "visit", 0)?;
//! b.push("c1", "buy", 60_000_000_000)?;
//! let p = profile(&b.finish().unwrap());
//! let tables = Tables::of(&p)?;
//! let dfg = tables.table("dfg").unwrap();
//! assert_eq!(dfg.batch.num_rows(), 1);
//! assert_eq!(dfg.batch.schema().field(0).name(), "source");
//! assert_eq!(tables.scalars["cases"], 1);
//! assert_eq!(tables.to_json(), serde_json::to_value(&p)?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod column;
pub mod input;
pub mod log;
pub mod rows;
mod serialize;

use crate::error::{Error, Result};
use arrow_array::{Array, ArrayRef, RecordBatch, RecordBatchOptions, StructArray};
use arrow_schema::{Field, Schema};
use column::Column;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;
use serialize::{Part, Pass, Tree};
use std::collections::HashMap;
use std::sync::Arc;

/// How a table was laid out in the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    /// A sequence of records: a row each.
    Rows,
    /// A sequence of scalars (or lists): one column, `value`.
    Values,
    /// A record of parallel sequences: a column each.
    Columns,
}

impl TableKind {
    /// The name written in the schema's metadata under `journeystream.kind`.
    pub fn name(self) -> &'static str {
        match self {
            TableKind::Rows => "rows",
            TableKind::Values => "values",
            TableKind::Columns => "columns",
        }
    }
}

/// One table of a result.
#[derive(Debug, Clone)]
pub struct Table {
    /// The path's segments joined by `.` (`rows` for the root).
    pub name: String,
    /// Where the table sits in the result's JSON (empty for the root).
    pub path: Vec<String>,
    pub kind: TableKind,
    /// The table; its schema's metadata has `journeystream.table` (the name) and
    /// `journeystream.kind`.
    pub batch: RecordBatch,
}

/// A result as tables and scalars; see the [module documentation](self).
#[derive(Debug, Clone)]
pub struct Tables {
    /// The result's JSON without its tables (null when the whole result is a table).
    pub scalars: Value,
    /// In the order they occur in the result.
    pub tables: Vec<Table>,
}

/// The marker of a record whose sequences are the columns of one table.
pub const COLUMNS: &str = "columns";

/// The keys of a dictionary array as indexes into its values. Arrow's `normalized_keys` panics
/// on a dictionary without values; there every key is null, and the indexes (0) are never used.
pub(crate) fn dictionary_keys(dict: &dyn arrow_array::AnyDictionaryArray) -> Vec<usize> {
    if dict.values().is_empty() {
        vec![0; dict.keys().len()]
    } else {
        dict.normalized_keys()
    }
}

fn bug(message: impl std::fmt::Display) -> Error {
    Error::Invalid {
        path: "result".into(),
        value: "columns".into(),
        reason: format!("cannot be laid out as Arrow tables: {message}"),
    }
}

impl Tables {
    /// Splits a result into tables and scalars. A result with large tables fills them on
    /// several threads (rayon's pool), a table each.
    pub fn of<T: Serialize + Sync + ?Sized>(result: &T) -> Result<Tables> {
        let (root, mut columns) = walk(result)?;
        let mut tables = Vec::new();
        let scalars = split(root, &mut columns, &mut Vec::new(), &mut tables)?;
        Ok(Tables { scalars, tables })
    }

    /// The table named `name`.
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }

    /// The table named `name`, or an error that lists the result's tables and suggests the
    /// closest name.
    pub fn named(&self, name: &str) -> Result<&Table> {
        self.table(name).ok_or_else(|| {
            let names = self.names();
            let hint = crate::suggest::closest(name, &names)
                .map(|c| format!("did you mean '{c}'? "))
                .unwrap_or_default();
            Error::InvalidArgument {
                name: "table".into(),
                value: name.into(),
                reason: if names.is_empty() {
                    "is not a table of this result (it has none)".into()
                } else {
                    format!(
                        "is not a table of this result; {hint}its tables are: {}",
                        names.join(", ")
                    )
                },
            }
        })
    }

    /// The names of the tables, in order.
    pub fn names(&self) -> Vec<&str> {
        self.tables.iter().map(|t| t.name.as_str()).collect()
    }

    /// The result's JSON put back together from the tables and scalars: equal to the result's own
    /// JSON, except that a field the result leaves out when empty reads as null inside a table.
    pub fn to_json(&self) -> Value {
        let mut out = self.scalars.clone();
        for t in &self.tables {
            let rows = t.batch.num_rows();
            let column = |name: &str| -> Value {
                let c = t.batch.column_by_name(name).expect("a column of the table");
                Value::Array((0..rows).map(|i| rows::value(c.as_ref(), i)).collect())
            };
            match t.kind {
                TableKind::Rows => {
                    let v = Value::Array(rows::batch_rows(&t.batch, 0..rows));
                    *slot(&mut out, &t.path) = v;
                }
                TableKind::Values => {
                    let v = if t.batch.num_columns() == 0 {
                        Value::Array(vec![])
                    } else {
                        column("value")
                    };
                    *slot(&mut out, &t.path) = v;
                }
                TableKind::Columns => {
                    let schema = t.batch.schema();
                    let record = slot(&mut out, &t.path);
                    if !record.is_object() {
                        *record = Value::Object(Default::default());
                    }
                    for f in schema.fields() {
                        let v = column(f.name());
                        record
                            .as_object_mut()
                            .expect("an object")
                            .insert(f.name().clone(), v);
                    }
                }
            }
        }
        out
    }
}

/// Below this many rows in all, a result's tables are filled on one thread.
const PARALLEL_ROWS: usize = 50_000;

/// Serializes `result` into its skeleton and the columns of its sequences (by number): in one walk,
/// or, when its sequences are long and there are threads, in one walk per thread after a first
/// walk that learns their lengths, each filling the sequences given to it (longest first, each
/// to the least loaded walk).
fn walk<T: Serialize + Sync + ?Sized>(result: &T) -> Result<(Part, Vec<Option<Column>>)> {
    let threads = rayon::current_num_threads();
    let owners = if threads > 1 {
        let count = Pass::lane(&[], 0);
        result.serialize(Tree(&count)).map_err(bug)?;
        let lengths = count.lengths.into_inner();
        let long = lengths.iter().filter(|&&n| n > 0).count();
        (lengths.iter().sum::<usize>() >= PARALLEL_ROWS && long > 1)
            .then(|| balance(&lengths, threads.min(long)))
    } else {
        None
    };
    let walks: Vec<(Part, Vec<(usize, Column)>)> = match &owners {
        None => {
            let pass = Pass::all();
            let root = result.serialize(Tree(&pass)).map_err(bug)?;
            vec![(root, pass.filled.into_inner())]
        }
        Some((owners, lanes)) => (0..*lanes)
            .into_par_iter()
            .map(|lane| {
                let pass = Pass::lane(owners, lane);
                let root = result.serialize(Tree(&pass)).map_err(bug)?;
                Ok((root, pass.filled.into_inner()))
            })
            .collect::<Result<_>>()?,
    };
    let mut columns = Vec::new();
    let mut root = None;
    for (part, filled) in walks {
        root.get_or_insert(part);
        for (n, column) in filled {
            if columns.len() <= n {
                columns.resize_with(n + 1, || None);
            }
            columns[n] = Some(column);
        }
    }
    Ok((root.expect("one walk at least"), columns))
}

/// Gives each sequence (by its length) to one of at most `lanes` walks, longest first to the
/// least loaded; the owners and the number of walks.
fn balance(lengths: &[usize], lanes: usize) -> (Vec<usize>, usize) {
    let mut order: Vec<usize> = (0..lengths.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(lengths[i]));
    let mut load = vec![0usize; lanes];
    let mut owners = vec![0; lengths.len()];
    for i in order {
        let lane = (0..lanes).min_by_key(|&l| load[l]).expect("a lane");
        owners[i] = lane;
        load[lane] += lengths[i].max(1);
    }
    (owners, lanes)
}

/// The JSON value at `path`, created as objects on the way.
fn slot<'a>(root: &'a mut Value, path: &[String]) -> &'a mut Value {
    let mut at = root;
    for key in path {
        if !at.is_object() {
            *at = Value::Object(Default::default());
        }
        at = at
            .as_object_mut()
            .expect("an object")
            .entry(key.clone())
            .or_insert(Value::Null);
    }
    at
}

fn batch(
    path: &[String],
    kind: TableKind,
    fields: Vec<Field>,
    arrays: Vec<ArrayRef>,
    rows: usize,
) -> Result<Table> {
    let name = if path.is_empty() {
        "rows".to_string()
    } else {
        path.join(".")
    };
    let metadata = HashMap::from([
        ("journeystream.table".to_string(), name.clone()),
        ("journeystream.kind".to_string(), kind.name().to_string()),
    ]);
    let schema = Arc::new(Schema::new_with_metadata(fields, metadata));
    let options = RecordBatchOptions::new().with_row_count(Some(rows));
    let batch = RecordBatch::try_new_with_options(schema, arrays, &options).map_err(bug)?;
    Ok(Table {
        name,
        path: path.to_vec(),
        kind,
        batch,
    })
}

/// A sequence as a table: rows of its records, or one column of its values.
fn sequence_table(path: &[String], column: Column) -> Result<Table> {
    let rows = column.len;
    let is_rows = column.kind() == Some(column::Kind::Struct) && column.null_count() == 0;
    let array = column.finish();
    if is_rows {
        let s = array
            .as_any()
            .downcast_ref::<StructArray>()
            .expect("a struct column");
        let fields = s.fields().iter().map(|f| f.as_ref().clone()).collect();
        let arrays = s.columns().to_vec();
        batch(path, TableKind::Rows, fields, arrays, rows)
    } else if rows == 0 && array.data_type().is_null() {
        batch(path, TableKind::Values, vec![], vec![], 0)
    } else {
        let field = Field::new("value", array.data_type().clone(), true);
        batch(path, TableKind::Values, vec![field], vec![array], rows)
    }
}

/// The column of the sequence numbered `n`.
fn take(columns: &mut [Option<Column>], n: usize) -> Result<Column> {
    columns
        .get_mut(n)
        .and_then(Option::take)
        .ok_or_else(|| bug(format!("sequence {n} was not filled by any walk")))
}

/// Moves the sequences of `part` into `tables`; returns the JSON of what is left.
fn split(
    part: Part,
    columns: &mut [Option<Column>],
    path: &mut Vec<String>,
    tables: &mut Vec<Table>,
) -> Result<Value> {
    match part {
        Part::Scalar(v) => Ok(v),
        Part::Sequence(n) => {
            tables.push(sequence_table(path, take(columns, n)?)?);
            Ok(Value::Null)
        }
        Part::Record { name, fields } => {
            let mut object = serde_json::Map::new();
            let mut parallel: Vec<(String, Column)> = Vec::new();
            for (key, field) in fields {
                match field {
                    Part::Sequence(n) if name == COLUMNS => parallel.push((key, take(columns, n)?)),
                    Part::Sequence(n) => {
                        path.push(key);
                        tables.push(sequence_table(path, take(columns, n)?)?);
                        path.pop();
                    }
                    Part::Scalar(v) => {
                        object.insert(key, v);
                    }
                    record => {
                        path.push(key.clone());
                        let v = split(record, columns, path, tables)?;
                        path.pop();
                        if !v.is_null() {
                            object.insert(key, v);
                        }
                    }
                }
            }
            if !parallel.is_empty() {
                let rows = parallel[0].1.len;
                if let Some((k, c)) = parallel.iter().find(|(_, c)| c.len != rows) {
                    return Err(bug(format!(
                        "column '{k}' has {} values, the first {rows}",
                        c.len
                    )));
                }
                let (fields, arrays) = column::finish_fields(parallel);
                let fields = fields.iter().map(|f| f.as_ref().clone()).collect();
                tables.push(batch(path, TableKind::Columns, fields, arrays, rows)?);
            }
            Ok(Value::Object(object))
        }
    }
}

#[cfg(test)]
mod tests;

//! One column built from serde values: its type is learned from the first value that is not
//! null, nulls before it are back-filled, and structs and lists nest.

use arrow_array::builder::BooleanBufferBuilder;
use arrow_array::{
    new_null_array, ArrayRef, BooleanArray, Float64Array, Int64Array, LargeListArray,
    LargeStringArray, StringArray, StructArray, UInt64Array,
};
use arrow_buffer::{BooleanBuffer, NullBuffer, OffsetBuffer, ScalarBuffer};
use arrow_schema::{DataType, Field, Fields};
use std::sync::Arc;

/// The values of a column, by the type it took.
#[derive(Debug)]
pub(crate) enum Data {
    /// Nothing but nulls so far.
    Null,
    Bool(Vec<bool>),
    Int(Vec<i64>),
    UInt(Vec<u64>),
    Float(Vec<f64>),
    Str {
        offsets: Vec<i64>,
        bytes: Vec<u8>,
    },
    List {
        offsets: Vec<i64>,
        child: Box<Column>,
    },
    Struct {
        fields: Vec<(String, Column)>,
        /// Where the next field of a row is looked for first (rows repeat the same order).
        next: usize,
    },
}

/// The kinds of value a column can take, for conversions and messages.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Kind {
    Bool,
    Int,
    UInt,
    Float,
    Str,
    List,
    Struct,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Bool => "booleans",
            Kind::Int | Kind::UInt => "integers",
            Kind::Float => "floats",
            Kind::Str => "text",
            Kind::List => "lists",
            Kind::Struct => "records",
        }
    }
}

/// A growing column: its values and which rows are valid (not null).
#[derive(Debug)]
pub(crate) struct Column {
    pub(crate) len: usize,
    /// The rows expected (serde's length of the sequence), so buffers are allocated once.
    hint: usize,
    valid: BooleanBufferBuilder,
    nulls: usize,
    pub(crate) data: Data,
}

/// A value of another type than the column's: results are typed, so this is a bug of a result type.
#[derive(Debug)]
pub(crate) struct Mismatch {
    pub(crate) had: &'static str,
    pub(crate) got: &'static str,
}

impl Default for Column {
    fn default() -> Self {
        Column::new()
    }
}

impl Column {
    pub(crate) fn new() -> Column {
        Column::with_hint(0)
    }

    /// A column expected to get `rows` rows.
    pub(crate) fn with_hint(rows: usize) -> Column {
        Column {
            len: 0,
            hint: rows,
            valid: BooleanBufferBuilder::new(rows),
            nulls: 0,
            data: Data::Null,
        }
    }

    /// A column of `n` nulls, expected to get `rows` rows in all.
    fn nulls(n: usize, rows: usize) -> Column {
        let mut c = Column::with_hint(rows);
        for _ in 0..n {
            c.push_null();
        }
        c
    }

    pub(crate) fn kind(&self) -> Option<Kind> {
        Some(match self.data {
            Data::Null => return None,
            Data::Bool(_) => Kind::Bool,
            Data::Int(_) => Kind::Int,
            Data::UInt(_) => Kind::UInt,
            Data::Float(_) => Kind::Float,
            Data::Str { .. } => Kind::Str,
            Data::List { .. } => Kind::List,
            Data::Struct { .. } => Kind::Struct,
        })
    }

    pub(crate) fn null_count(&self) -> usize {
        self.nulls
    }

    /// Makes the column hold `kind`, converting what it has where that loses nothing: nulls to
    /// anything, integers to floats (exactly, below 2^53) and unsigned to signed integers.
    fn become_(&mut self, kind: Kind) -> Result<(), Mismatch> {
        let had = self.kind();
        if had == Some(kind) {
            return Ok(());
        }
        let n = self.len;
        let mismatch = |had: Kind| Mismatch {
            had: had.name(),
            got: kind.name(),
        };
        // `n` values (the nulls so far), room for the rows expected.
        fn filled<T: Clone>(value: T, n: usize, rows: usize) -> Vec<T> {
            let mut v = Vec::with_capacity(n.max(rows));
            v.resize(n, value);
            v
        }
        let rows = self.hint;
        self.data = match (std::mem::replace(&mut self.data, Data::Null), kind) {
            (Data::Null, Kind::Bool) => Data::Bool(filled(false, n, rows)),
            (Data::Null, Kind::Int) => Data::Int(filled(0, n, rows)),
            (Data::Null, Kind::UInt) => Data::UInt(filled(0, n, rows)),
            (Data::Null, Kind::Float) => Data::Float(filled(0.0, n, rows)),
            (Data::Null, Kind::Str) => Data::Str {
                offsets: filled(0, n + 1, rows + 1),
                bytes: Vec::new(),
            },
            (Data::Null, Kind::List) => Data::List {
                offsets: filled(0, n + 1, rows + 1),
                child: Box::default(),
            },
            (Data::Null, Kind::Struct) => Data::Struct {
                fields: Vec::new(),
                next: 0,
            },
            (Data::UInt(v), Kind::Int) if v.iter().all(|&x| x <= i64::MAX as u64) => {
                Data::Int(v.into_iter().map(|x| x as i64).collect())
            }
            (Data::Int(v), Kind::Float) if v.iter().all(|&x| x.unsigned_abs() <= 1 << 53) => {
                Data::Float(v.into_iter().map(|x| x as f64).collect())
            }
            (Data::UInt(v), Kind::Float) if v.iter().all(|&x| x <= 1 << 53) => {
                Data::Float(v.into_iter().map(|x| x as f64).collect())
            }
            (data, _) => {
                self.data = data;
                return Err(mismatch(had.expect("a typed column")));
            }
        };
        Ok(())
    }

    fn valid_row(&mut self) {
        self.valid.append(true);
        self.len += 1;
    }

    pub(crate) fn push_null(&mut self) {
        match &mut self.data {
            Data::Null => {}
            Data::Bool(v) => v.push(false),
            Data::Int(v) => v.push(0),
            Data::UInt(v) => v.push(0),
            Data::Float(v) => v.push(0.0),
            Data::Str { offsets, .. } | Data::List { offsets, .. } => {
                let last = *offsets.last().expect("offsets start with 0");
                offsets.push(last);
            }
            Data::Struct { fields, .. } => {
                for (_, c) in fields {
                    c.push_null();
                }
            }
        }
        self.valid.append(false);
        self.nulls += 1;
        self.len += 1;
    }

    pub(crate) fn push_bool(&mut self, b: bool) -> Result<(), Mismatch> {
        self.become_(Kind::Bool)?;
        if let Data::Bool(v) = &mut self.data {
            v.push(b);
        }
        self.valid_row();
        Ok(())
    }

    pub(crate) fn push_i64(&mut self, x: i64) -> Result<(), Mismatch> {
        match self.kind() {
            Some(Kind::UInt) if x >= 0 => return self.push_u64(x as u64),
            Some(Kind::Float) => return self.push_f64_exact(x as f64, x.unsigned_abs()),
            _ => self.become_(Kind::Int)?,
        }
        if let Data::Int(v) = &mut self.data {
            v.push(x);
        }
        self.valid_row();
        Ok(())
    }

    pub(crate) fn push_u64(&mut self, x: u64) -> Result<(), Mismatch> {
        match self.kind() {
            Some(Kind::Int) if x <= i64::MAX as u64 => return self.push_i64(x as i64),
            Some(Kind::Float) => return self.push_f64_exact(x as f64, x),
            _ => self.become_(Kind::UInt)?,
        }
        if let Data::UInt(v) = &mut self.data {
            v.push(x);
        }
        self.valid_row();
        Ok(())
    }

    /// An integer into a float column, when the float holds it exactly.
    fn push_f64_exact(&mut self, x: f64, magnitude: u64) -> Result<(), Mismatch> {
        if magnitude > 1 << 53 {
            return Err(Mismatch {
                had: "floats",
                got: "integers past 2^53",
            });
        }
        self.push_f64(x)
    }

    pub(crate) fn push_f64(&mut self, x: f64) -> Result<(), Mismatch> {
        self.become_(Kind::Float)?;
        if let Data::Float(v) = &mut self.data {
            v.push(x);
        }
        self.valid_row();
        Ok(())
    }

    pub(crate) fn push_str(&mut self, s: &str) -> Result<(), Mismatch> {
        self.become_(Kind::Str)?;
        if let Data::Str { offsets, bytes } = &mut self.data {
            bytes.extend_from_slice(s.as_bytes());
            offsets.push(bytes.len() as i64);
        }
        self.valid_row();
        Ok(())
    }

    /// Starts a list row; its elements go into [`Column::list_child`], then [`Column::end_list`].
    pub(crate) fn begin_list(&mut self) -> Result<(), Mismatch> {
        self.become_(Kind::List)
    }

    pub(crate) fn list_child(&mut self) -> &mut Column {
        match &mut self.data {
            Data::List { child, .. } => child,
            _ => unreachable!("begin_list made this a list"),
        }
    }

    pub(crate) fn end_list(&mut self) {
        if let Data::List { offsets, child } = &mut self.data {
            offsets.push(child.len as i64);
        }
        self.valid_row();
    }

    /// Starts a struct row; fields go into [`Column::field`], then [`Column::end_struct`].
    pub(crate) fn begin_struct(&mut self) -> Result<(), Mismatch> {
        self.become_(Kind::Struct)?;
        if let Data::Struct { next, .. } = &mut self.data {
            *next = 0;
        }
        Ok(())
    }

    /// The column of field `name` in the struct row being built (created, back-filled with nulls,
    /// when the field is new).
    pub(crate) fn field(&mut self, name: &str) -> &mut Column {
        let (rows, hint) = (self.len, self.hint);
        let Data::Struct { fields, next } = &mut self.data else {
            unreachable!("begin_struct made this a struct")
        };
        let i = match fields.get(*next) {
            Some((n, _)) if n == name => *next,
            _ => match fields.iter().position(|(n, _)| n == name) {
                Some(i) => i,
                None => {
                    fields.push((name.to_string(), Column::nulls(rows, hint)));
                    fields.len() - 1
                }
            },
        };
        *next = i + 1;
        &mut fields[i].1
    }

    /// Ends a struct row: fields it did not give are null.
    pub(crate) fn end_struct(&mut self) {
        let rows = self.len;
        if let Data::Struct { fields, .. } = &mut self.data {
            for (_, c) in fields.iter_mut() {
                if c.len == rows {
                    c.push_null();
                }
            }
        }
        self.valid_row();
    }

    fn null_buffer(valid: &mut BooleanBufferBuilder, nulls: usize) -> Option<NullBuffer> {
        let buffer: BooleanBuffer = valid.finish();
        (nulls > 0).then(|| NullBuffer::new(buffer))
    }

    /// The column as an Arrow array. Unsigned integers are Int64 when every value fits (they do
    /// for every count), text is Utf8 below 2 GiB and LargeUtf8 above.
    pub(crate) fn finish(mut self) -> ArrayRef {
        let n = self.len;
        let nulls = Column::null_buffer(&mut self.valid, self.nulls);
        match self.data {
            Data::Null => new_null_array(&DataType::Null, n),
            Data::Bool(v) => Arc::new(BooleanArray::new(BooleanBuffer::from(v), nulls)),
            Data::Int(v) => Arc::new(Int64Array::new(ScalarBuffer::from(v), nulls)),
            Data::UInt(v) if v.iter().all(|&x| x <= i64::MAX as u64) => {
                let v: Vec<i64> = v.into_iter().map(|x| x as i64).collect();
                Arc::new(Int64Array::new(ScalarBuffer::from(v), nulls))
            }
            Data::UInt(v) => Arc::new(UInt64Array::new(ScalarBuffer::from(v), nulls)),
            Data::Float(v) => Arc::new(Float64Array::new(ScalarBuffer::from(v), nulls)),
            Data::Str { offsets, bytes } => {
                if bytes.len() <= i32::MAX as usize {
                    let offsets: Vec<i32> = offsets.into_iter().map(|o| o as i32).collect();
                    let offsets = OffsetBuffer::new(ScalarBuffer::from(offsets));
                    // SAFETY-free: the bytes are concatenated `&str`s, so valid UTF-8 at every offset.
                    Arc::new(
                        StringArray::try_new(offsets, bytes.into(), nulls)
                            .expect("offsets of whole strings"),
                    )
                } else {
                    let offsets = OffsetBuffer::new(ScalarBuffer::from(offsets));
                    Arc::new(
                        LargeStringArray::try_new(offsets, bytes.into(), nulls)
                            .expect("offsets of whole strings"),
                    )
                }
            }
            Data::List { offsets, child } => {
                let values = child.finish();
                let field = Arc::new(Field::new("item", values.data_type().clone(), true));
                let offsets = OffsetBuffer::new(ScalarBuffer::from(offsets));
                Arc::new(
                    LargeListArray::try_new(field, offsets, values, nulls)
                        .expect("offsets of whole lists"),
                )
            }
            Data::Struct { fields, .. } => {
                let (fields, arrays) = finish_fields(fields);
                if fields.is_empty() {
                    return Arc::new(StructArray::new_empty_fields(n, nulls));
                }
                Arc::new(StructArray::try_new(fields, arrays, nulls).expect("equal lengths"))
            }
        }
    }
}

/// Named columns as Arrow fields (all nullable) and arrays.
pub(crate) fn finish_fields(columns: Vec<(String, Column)>) -> (Fields, Vec<ArrayRef>) {
    let mut fields = Vec::with_capacity(columns.len());
    let mut arrays = Vec::with_capacity(columns.len());
    for (name, c) in columns {
        let a = c.finish();
        fields.push(Field::new(name, a.data_type().clone(), true));
        arrays.push(a);
    }
    (Fields::from(fields), arrays)
}

//! Two serde serializers: [`Tree`] walks a result from its root through records and keeps its
//! scalars; every sequence it meets goes whole into a [`Column`] through [`Into`].
//!
//! A [`Pass`] says which of the sequences (numbered in the order the walk meets them) a walk
//! fills, so that several walks of one result can fill its tables on several threads.

use super::column::{Column, Mismatch};
use serde::ser::{self, Impossible, Serialize};
use serde_json::Value;
use std::cell::RefCell;
use std::fmt;

/// Why a value could not be turned into columns.
#[derive(Debug)]
pub(crate) struct SerError(pub(crate) String);

impl fmt::Display for SerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SerError {}

impl ser::Error for SerError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        SerError(msg.to_string())
    }
}

impl From<Mismatch> for SerError {
    fn from(m: Mismatch) -> Self {
        SerError(format!("a column of {} was given {}", m.had, m.got))
    }
}

type R<T = ()> = Result<T, SerError>;

/// A result outside its tables: records (in field order), scalars, and sequences by number.
#[derive(Debug)]
pub(crate) enum Part {
    Scalar(Value),
    Record {
        /// The Rust struct's name (`"columns"` marks a record of parallel sequences).
        name: &'static str,
        fields: Vec<(String, Part)>,
    },
    /// The sequence met `n`-th: its column is in the [`Pass`] that filled it.
    Sequence(usize),
}

/// One walk of a result: which sequences it fills, and what it found.
#[derive(Debug, Default)]
pub(crate) struct Pass<'a> {
    /// The lane that fills each sequence (by number); `None`: this walk fills every one.
    pub(crate) owners: Option<&'a [usize]>,
    pub(crate) lane: usize,
    /// The length of every sequence met (as serde announced it; 0 when it did not).
    pub(crate) lengths: RefCell<Vec<usize>>,
    /// The sequences this walk filled, by number.
    pub(crate) filled: RefCell<Vec<(usize, Column)>>,
}

impl<'a> Pass<'a> {
    /// A walk that fills every sequence.
    pub(crate) fn all() -> Pass<'a> {
        Pass::default()
    }

    /// A walk that fills the sequences owned by `lane` (and only counts when no lane has that
    /// number, as in a first walk that learns the lengths with `owners` empty).
    pub(crate) fn lane(owners: &'a [usize], lane: usize) -> Pass<'a> {
        Pass {
            owners: Some(owners),
            lane,
            ..Pass::default()
        }
    }

    /// Numbers the next sequence; whether this walk fills it.
    fn meet(&self, len: Option<usize>) -> (usize, bool) {
        let mut lengths = self.lengths.borrow_mut();
        let n = lengths.len();
        lengths.push(len.unwrap_or(0));
        let fills = match self.owners {
            None => true,
            Some(owners) => owners.get(n) == Some(&self.lane),
        };
        (n, fills)
    }
}

/// Serializes a result's root (or a record's field) into a [`Part`].
#[derive(Clone, Copy)]
pub(crate) struct Tree<'p, 'a>(pub(crate) &'p Pass<'a>);

/// Serializes one value as the next row of a column.
pub(crate) struct Into<'a>(pub(crate) &'a mut Column);

fn key_string<K: Serialize + ?Sized>(key: &K) -> R<String> {
    match serde_json::to_value(key).map_err(|e| SerError(e.to_string()))? {
        Value::String(s) => Ok(s),
        other => Ok(other.to_string()),
    }
}

fn scalar<T: Serialize + ?Sized>(v: &T) -> R<Part> {
    serde_json::to_value(v)
        .map(Part::Scalar)
        .map_err(|e| SerError(e.to_string()))
}

// ---------------------------------------------------------------------------------------------
// Tree

pub(crate) struct TreeSeq<'p, 'a> {
    pass: &'p Pass<'a>,
    n: usize,
    /// `None` when another walk fills this sequence.
    column: Option<Column>,
}

impl<'p, 'a> TreeSeq<'p, 'a> {
    fn new(pass: &'p Pass<'a>, len: Option<usize>) -> Self {
        let (n, fills) = pass.meet(len);
        TreeSeq {
            pass,
            n,
            column: fills.then(|| Column::with_hint(len.unwrap_or(0))),
        }
    }
}

pub(crate) struct TreeRecord<'p, 'a> {
    tree: Tree<'p, 'a>,
    name: &'static str,
    fields: Vec<(String, Part)>,
    key: Option<String>,
    /// The variant of an enum's struct or tuple variant, wrapping the record.
    variant: Option<&'static str>,
}

impl<'p, 'a> TreeRecord<'p, 'a> {
    fn new(tree: Tree<'p, 'a>, name: &'static str, variant: Option<&'static str>) -> Self {
        TreeRecord {
            tree,
            name,
            fields: Vec::new(),
            key: None,
            variant,
        }
    }

    fn done(self) -> Part {
        let record = Part::Record {
            name: self.name,
            fields: self.fields,
        };
        match self.variant {
            Some(v) => Part::Record {
                name: "",
                fields: vec![(v.to_string(), record)],
            },
            None => record,
        }
    }
}

impl<'p, 'a> ser::Serializer for Tree<'p, 'a> {
    type Ok = Part;
    type Error = SerError;
    type SerializeSeq = TreeSeq<'p, 'a>;
    type SerializeTuple = TreeSeq<'p, 'a>;
    type SerializeTupleStruct = TreeSeq<'p, 'a>;
    type SerializeTupleVariant = Impossible<Part, SerError>;
    type SerializeMap = TreeRecord<'p, 'a>;
    type SerializeStruct = TreeRecord<'p, 'a>;
    type SerializeStructVariant = TreeRecord<'p, 'a>;

    fn serialize_bool(self, v: bool) -> R<Part> {
        scalar(&v)
    }
    fn serialize_i8(self, v: i8) -> R<Part> {
        scalar(&v)
    }
    fn serialize_i16(self, v: i16) -> R<Part> {
        scalar(&v)
    }
    fn serialize_i32(self, v: i32) -> R<Part> {
        scalar(&v)
    }
    fn serialize_i64(self, v: i64) -> R<Part> {
        scalar(&v)
    }
    fn serialize_u8(self, v: u8) -> R<Part> {
        scalar(&v)
    }
    fn serialize_u16(self, v: u16) -> R<Part> {
        scalar(&v)
    }
    fn serialize_u32(self, v: u32) -> R<Part> {
        scalar(&v)
    }
    fn serialize_u64(self, v: u64) -> R<Part> {
        scalar(&v)
    }
    fn serialize_f32(self, v: f32) -> R<Part> {
        scalar(&v)
    }
    fn serialize_f64(self, v: f64) -> R<Part> {
        scalar(&v)
    }
    fn serialize_char(self, v: char) -> R<Part> {
        scalar(&v)
    }
    fn serialize_str(self, v: &str) -> R<Part> {
        scalar(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> R<Part> {
        scalar(v)
    }
    fn serialize_none(self) -> R<Part> {
        Ok(Part::Scalar(Value::Null))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> R<Part> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> R<Part> {
        Ok(Part::Scalar(Value::Null))
    }
    fn serialize_unit_struct(self, _: &'static str) -> R<Part> {
        Ok(Part::Scalar(Value::Null))
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> R<Part> {
        Ok(Part::Scalar(Value::String(variant.into())))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> R<Part> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> R<Part> {
        Ok(Part::Record {
            name: "",
            fields: vec![(variant.to_string(), v.serialize(self)?)],
        })
    }
    fn serialize_seq(self, len: Option<usize>) -> R<TreeSeq<'p, 'a>> {
        Ok(TreeSeq::new(self.0, len))
    }
    fn serialize_tuple(self, len: usize) -> R<TreeSeq<'p, 'a>> {
        Ok(TreeSeq::new(self.0, Some(len)))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> R<TreeSeq<'p, 'a>> {
        Ok(TreeSeq::new(self.0, Some(len)))
    }
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> R<Self::SerializeTupleVariant> {
        Err(SerError(format!("tuple variant {name}::{variant}")))
    }
    fn serialize_map(self, _: Option<usize>) -> R<TreeRecord<'p, 'a>> {
        Ok(TreeRecord::new(self, "", None))
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> R<TreeRecord<'p, 'a>> {
        Ok(TreeRecord::new(self, name, None))
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> R<TreeRecord<'p, 'a>> {
        Ok(TreeRecord::new(self, name, Some(variant)))
    }
}

impl ser::SerializeSeq for TreeSeq<'_, '_> {
    type Ok = Part;
    type Error = SerError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> R {
        match &mut self.column {
            Some(c) => v.serialize(Into(c)),
            None => Ok(()),
        }
    }
    fn end(self) -> R<Part> {
        if let Some(c) = self.column {
            self.pass.filled.borrow_mut().push((self.n, c));
        }
        Ok(Part::Sequence(self.n))
    }
}

impl ser::SerializeTuple for TreeSeq<'_, '_> {
    type Ok = Part;
    type Error = SerError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> R {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> R<Part> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for TreeSeq<'_, '_> {
    type Ok = Part;
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> R {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> R<Part> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeMap for TreeRecord<'_, '_> {
    type Ok = Part;
    type Error = SerError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> R {
        self.key = Some(key_string(key)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> R {
        let key = self.key.take().unwrap_or_default();
        self.fields.push((key, v.serialize(self.tree)?));
        Ok(())
    }
    fn end(self) -> R<Part> {
        Ok(self.done())
    }
}

impl ser::SerializeStruct for TreeRecord<'_, '_> {
    type Ok = Part;
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> R {
        self.fields.push((key.to_string(), v.serialize(self.tree)?));
        Ok(())
    }
    fn end(self) -> R<Part> {
        Ok(self.done())
    }
}

impl ser::SerializeStructVariant for TreeRecord<'_, '_> {
    type Ok = Part;
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> R {
        ser::SerializeStruct::serialize_field(self, key, v)
    }
    fn end(self) -> R<Part> {
        Ok(self.done())
    }
}

// ---------------------------------------------------------------------------------------------
// Into a column

pub(crate) struct IntoList<'a>(&'a mut Column);
pub(crate) struct IntoStruct<'a> {
    column: &'a mut Column,
    key: Option<String>,
    /// An enum's struct variant: the record sits in a field named after the variant.
    wrapped: bool,
}

impl<'a> IntoStruct<'a> {
    fn end(self) {
        if self.wrapped {
            self.column.field_end_inner();
        }
        self.column.end_struct();
    }
}

impl Column {
    /// Ends the inner record of a struct variant (the outer one ends in `IntoStruct::end`).
    fn field_end_inner(&mut self) {
        // The wrapper has one field, the variant, whose column holds the inner record.
        if let super::column::Data::Struct { fields, next } = &mut self.data {
            let i = next.saturating_sub(1);
            if let Some((_, inner)) = fields.get_mut(i) {
                inner.end_struct();
            }
        }
    }
}

impl<'a> ser::Serializer for Into<'a> {
    type Ok = ();
    type Error = SerError;
    type SerializeSeq = IntoList<'a>;
    type SerializeTuple = IntoList<'a>;
    type SerializeTupleStruct = IntoList<'a>;
    type SerializeTupleVariant = Impossible<(), SerError>;
    type SerializeMap = IntoStruct<'a>;
    type SerializeStruct = IntoStruct<'a>;
    type SerializeStructVariant = IntoStruct<'a>;

    fn serialize_bool(self, v: bool) -> R {
        Ok(self.0.push_bool(v)?)
    }
    fn serialize_i8(self, v: i8) -> R {
        Ok(self.0.push_i64(v.into())?)
    }
    fn serialize_i16(self, v: i16) -> R {
        Ok(self.0.push_i64(v.into())?)
    }
    fn serialize_i32(self, v: i32) -> R {
        Ok(self.0.push_i64(v.into())?)
    }
    fn serialize_i64(self, v: i64) -> R {
        Ok(self.0.push_i64(v)?)
    }
    fn serialize_u8(self, v: u8) -> R {
        Ok(self.0.push_u64(v.into())?)
    }
    fn serialize_u16(self, v: u16) -> R {
        Ok(self.0.push_u64(v.into())?)
    }
    fn serialize_u32(self, v: u32) -> R {
        Ok(self.0.push_u64(v.into())?)
    }
    fn serialize_u64(self, v: u64) -> R {
        Ok(self.0.push_u64(v)?)
    }
    fn serialize_f32(self, v: f32) -> R {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> R {
        // JSON writes a non-finite float as null; so does a column.
        if v.is_finite() {
            Ok(self.0.push_f64(v)?)
        } else {
            self.0.push_null();
            Ok(())
        }
    }
    fn serialize_char(self, v: char) -> R {
        Ok(self.0.push_str(v.encode_utf8(&mut [0; 4]))?)
    }
    fn serialize_str(self, v: &str) -> R {
        Ok(self.0.push_str(v)?)
    }
    fn serialize_bytes(self, v: &[u8]) -> R {
        let mut list = self.serialize_seq(Some(v.len()))?;
        for b in v {
            ser::SerializeSeq::serialize_element(&mut list, b)?;
        }
        ser::SerializeSeq::end(list)
    }
    fn serialize_none(self) -> R {
        self.0.push_null();
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> R {
        v.serialize(self)
    }
    fn serialize_unit(self) -> R {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _: &'static str) -> R {
        self.serialize_none()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> R {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> R {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> R {
        self.0.begin_struct()?;
        v.serialize(Into(self.0.field(variant)))?;
        self.0.end_struct();
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> R<IntoList<'a>> {
        self.0.begin_list()?;
        Ok(IntoList(self.0))
    }
    fn serialize_tuple(self, len: usize) -> R<IntoList<'a>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> R<IntoList<'a>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> R<Self::SerializeTupleVariant> {
        Err(SerError(format!("tuple variant {name}::{variant}")))
    }
    fn serialize_map(self, _: Option<usize>) -> R<IntoStruct<'a>> {
        self.0.begin_struct()?;
        Ok(IntoStruct {
            column: self.0,
            key: None,
            wrapped: false,
        })
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> R<IntoStruct<'a>> {
        self.serialize_map(None)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> R<IntoStruct<'a>> {
        self.0.begin_struct()?;
        self.0.field(variant).begin_struct()?;
        Ok(IntoStruct {
            column: self.0,
            key: None,
            wrapped: true,
        })
    }
}

impl<'a> IntoStruct<'a> {
    /// The column that the next field goes into: the row's own, or the variant's inner record's.
    fn target(&mut self, name: &str) -> &mut Column {
        if self.wrapped {
            let super::column::Data::Struct { fields, next } = &mut self.column.data else {
                unreachable!("a struct")
            };
            let i = next.saturating_sub(1);
            fields[i].1.field(name)
        } else {
            self.column.field(name)
        }
    }
}

impl ser::SerializeSeq for IntoList<'_> {
    type Ok = ();
    type Error = SerError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> R {
        v.serialize(Into(self.0.list_child()))
    }
    fn end(self) -> R {
        self.0.end_list();
        Ok(())
    }
}

impl ser::SerializeTuple for IntoList<'_> {
    type Ok = ();
    type Error = SerError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> R {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> R {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for IntoList<'_> {
    type Ok = ();
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> R {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> R {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeMap for IntoStruct<'_> {
    type Ok = ();
    type Error = SerError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> R {
        self.key = Some(key_string(key)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> R {
        let key = self.key.take().unwrap_or_default();
        v.serialize(Into(self.target(&key)))
    }
    fn end(self) -> R {
        IntoStruct::end(self);
        Ok(())
    }
}

impl ser::SerializeStruct for IntoStruct<'_> {
    type Ok = ();
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> R {
        v.serialize(Into(self.target(key)))
    }
    fn end(self) -> R {
        IntoStruct::end(self);
        Ok(())
    }
}

impl ser::SerializeStructVariant for IntoStruct<'_> {
    type Ok = ();
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> R {
        ser::SerializeStruct::serialize_field(self, key, v)
    }
    fn end(self) -> R {
        IntoStruct::end(self);
        Ok(())
    }
}

use super::*;
use arrow_schema::DataType;
use serde::Serialize;
use serde_json::json;

#[derive(Serialize)]
struct Stats {
    mean: f64,
    stdev: Option<f64>,
}

#[derive(Serialize)]
struct Row {
    name: String,
    count: u64,
    tags: Vec<&'static str>,
    stats: Option<Stats>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

#[derive(Serialize)]
enum Mode {
    Fast,
}

#[derive(Serialize)]
struct Report {
    total: u64,
    mode: Mode,
    rows: Vec<Row>,
    empty: Vec<Row>,
    names: Vec<String>,
    nested: Nested,
}

#[derive(Serialize)]
struct Nested {
    label: &'static str,
    series: Series,
}

#[derive(Serialize)]
#[serde(rename = "columns")]
struct Series {
    t: Vec<f64>,
    y: Vec<i64>,
    kind: &'static str,
}

fn report() -> Report {
    Report {
        total: 3,
        mode: Mode::Fast,
        rows: vec![
            Row {
                name: "a".into(),
                count: 2,
                tags: vec!["x", "y"],
                stats: Some(Stats {
                    mean: 1.5,
                    stdev: None,
                }),
                note: None,
            },
            Row {
                name: "b".into(),
                count: 1,
                tags: vec![],
                stats: None,
                note: Some("late".into()),
            },
        ],
        empty: vec![],
        names: vec!["p".into(), "q".into(), "r".into()],
        nested: Nested {
            label: "n",
            series: Series {
                t: vec![0.0, 1.0],
                y: vec![-1, 2],
                kind: "line",
            },
        },
    }
}

#[test]
fn sequences_become_tables_and_the_rest_scalars() {
    let t = Tables::of(&report()).unwrap();
    assert_eq!(t.names(), ["rows", "empty", "names", "nested.series"]);
    assert_eq!(
        t.scalars,
        json!({"total": 3, "mode": "Fast", "nested": {"label": "n", "series": {"kind": "line"}}})
    );
    let rows = &t.table("rows").unwrap().batch;
    let schema = rows.schema();
    let types: Vec<(&str, &DataType)> = schema
        .fields()
        .iter()
        .map(|f| (f.name().as_str(), f.data_type()))
        .collect();
    assert_eq!(types[0], ("name", &DataType::Utf8));
    assert_eq!(types[1], ("count", &DataType::Int64));
    assert!(matches!(types[2].1, DataType::LargeList(f) if f.data_type() == &DataType::Utf8));
    assert!(matches!(types[3].1, DataType::Struct(f) if f.len() == 2));
    // A field absent from the first row is back-filled with null.
    assert_eq!(types[4], ("note", &DataType::Utf8));
    assert_eq!(rows.column(4).null_count(), 1);
    assert_eq!(rows.column(3).null_count(), 1);
    assert_eq!(schema.metadata()["journeystream.kind"], "rows");

    let empty = t.table("empty").unwrap();
    assert_eq!((empty.batch.num_rows(), empty.batch.num_columns()), (0, 0));
    let names = t.table("names").unwrap();
    assert_eq!(names.kind, TableKind::Values);
    assert_eq!(names.batch.num_rows(), 3);
    let series = t.table("nested.series").unwrap();
    assert_eq!(series.kind, TableKind::Columns);
    assert_eq!(series.path, ["nested", "series"]);
    assert_eq!(series.batch.schema().field(1).data_type(), &DataType::Int64);
}

#[test]
fn the_tables_put_back_together_are_the_json() {
    let t = Tables::of(&report()).unwrap();
    let mut expected = serde_json::to_value(report()).unwrap();
    // Inside a table an absent optional field reads as null.
    expected["rows"][0]["note"] = Value::Null;
    assert_eq!(t.to_json(), expected);
}

#[test]
fn a_root_sequence_is_the_table_rows() {
    let t = Tables::of(&vec![json!({"a": 1}), json!({"a": 2.5})]).unwrap();
    assert_eq!(t.scalars, Value::Null);
    let rows = &t.table("rows").unwrap().batch;
    // Integers and floats in one column are floats (exact below 2^53).
    assert_eq!(rows.schema().field(0).data_type(), &DataType::Float64);
    assert_eq!(t.to_json(), json!([{"a": 1.0}, {"a": 2.5}]));
}

#[test]
fn non_finite_floats_are_null_as_in_json() {
    let t = Tables::of(&json!({"v": [1.0, 2.0]})).unwrap();
    assert_eq!(t.table("v").unwrap().batch.column(0).null_count(), 0);
    let t = Tables::of(&vec![f64::NAN, 1.0]).unwrap();
    assert_eq!(t.table("rows").unwrap().batch.column(0).null_count(), 1);
}

#[test]
fn mixed_types_in_a_column_are_an_error_not_a_cast() {
    let e = Tables::of(&json!({"v": [1, "x"]})).unwrap_err();
    assert!(
        e.to_string()
            .contains("a column of integers was given text"),
        "{e}"
    );
    // An integer a float cannot hold exactly is not silently rounded.
    let e = Tables::of(&json!({"v": [0.5, 9007199254740993u64]})).unwrap_err();
    assert!(e.to_string().contains("past 2^53"), "{e}");
    // Past i64::MAX counts stay unsigned.
    let t = Tables::of(&json!({"v": [u64::MAX]})).unwrap();
    assert_eq!(
        t.table("v").unwrap().batch.schema().field(0).data_type(),
        &DataType::UInt64
    );
}

#[test]
fn columns_of_unequal_length_are_an_error() {
    #[derive(Serialize)]
    #[serde(rename = "columns")]
    struct Bad {
        a: Vec<u8>,
        b: Vec<u8>,
    }
    let e = Tables::of(&Bad {
        a: vec![1],
        b: vec![],
    })
    .unwrap_err();
    assert!(e.to_string().contains("column 'b' has 0 values"), "{e}");
}

#[test]
fn enum_variants_with_data_are_records() {
    #[derive(Serialize)]
    enum Shape {
        Dot,
        Circle { r: f64 },
        Tag(String),
    }
    let t = Tables::of(&vec![
        Shape::Dot,
        Shape::Circle { r: 2.0 },
        Shape::Tag("t".into()),
    ]);
    // A unit variant is text; a variant with data a record: one column cannot hold both.
    assert!(t.is_err());
    let t = Tables::of(&vec![Shape::Circle { r: 2.0 }, Shape::Tag("t".into())]).unwrap();
    assert_eq!(
        t.to_json(),
        json!([{"Circle": {"r": 2.0}, "Tag": null}, {"Circle": null, "Tag": "t"}])
    );
}

#[test]
fn large_tables_filled_on_several_threads_equal_one_walk() {
    // Long enough for several walks (PARALLEL_ROWS), with a record of parallel columns, nested
    // tables and scalars between them, so that every sequence number must meet its own column.
    let rows = |n: usize, tag: &str| -> Vec<serde_json::Value> {
        (0..n)
            .map(|i| json!({"i": i, "tag": tag, "list": vec![i; i % 3], "x": i as f64 / 7.0}))
            .collect()
    };
    let result = json!({
        "a": rows(40_000, "a"),
        "total": 3,
        "inner": {"b": rows(25_000, "b"), "label": "x", "values": (0..30_000).collect::<Vec<_>>()},
        "c": rows(5, "c"),
    });
    let pool = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
    };
    let one = pool(1).install(|| Tables::of(&result)).unwrap();
    let three = pool(3).install(|| Tables::of(&result)).unwrap();
    assert_eq!(one.names(), vec!["a", "c", "inner.b", "inner.values"]);
    assert_eq!(three.names(), one.names());
    for (x, y) in one.tables.iter().zip(&three.tables) {
        assert_eq!(x.batch, y.batch, "{}", x.name);
    }
    assert_eq!(three.scalars, one.scalars);
    assert_eq!(three.to_json(), result);
}

#[test]
fn sequences_go_longest_first_to_the_least_loaded_walk() {
    let (owners, lanes) = balance(&[10, 1_000, 0, 600, 500], 2);
    assert_eq!(lanes, 2);
    // 1 000 to walk 0; 600 and 500 to walk 1 (600, then 1 100 > 1 000: 10 to walk 0).
    assert_eq!(owners, vec![0, 0, 0, 1, 1]);
}

//! Event logs and their process profile: load (XES file, column arrays, RFC 3339 rows), profile,
//! read the profile through `#[repr(C)]` structs or as JSON.

use crate::args::{array, at, c_text, handle, keep, out, owned, text};
use crate::boundary::{boundary, boundary_value, boundary_void, journeystream_status, Fail};
use arrow_array::ffi_stream::{ArrowArrayStreamReader, FFI_ArrowArrayStream};
use arrow_array::RecordBatchIterator;
use journeystream::analytics::activity::activity_stats;
use journeystream::analytics::arrival::{arrivals, Period};
use journeystream::analytics::process::{self, DurationStats, Profile};
use journeystream::analytics::request::analyze_json;
use journeystream::columnar::{self, log::LogColumns};
use journeystream::log::filter::Filter;
use journeystream::log::read::{OnBadRow, Progress, ReadReport};
use journeystream::log::table::{TableFormat, TableSettings};
use journeystream::log::timestamp::parse_rfc3339;
use journeystream::log::xes::{read_xes_file, XesOptions};
use journeystream::log::{EventLog, LogBuilder};
use journeystream::Error;
use std::collections::HashMap;
use std::ffi::{c_char, c_void, CStr, CString};

/// An event log (opaque): events grouped by case, ordered by time within a case (ties in input
/// order). Immutable once built; may be read from several threads at once.
pub struct journeystream_log {
    pub(crate) inner: EventLog,
}

fn boxed(log: EventLog) -> *mut journeystream_log {
    Box::into_raw(Box::new(journeystream_log { inner: log }))
}

/// Reads an XES event log, plain (`.xes`) or gzipped (`.xes.gz`, detected by its content), from a
/// NUL-terminated path. Case ids come from the trace's `concept:name`, activities from the
/// event's `concept:name`, timestamps from `time:timestamp`.
///
/// With `skip_bad_rows` false the first bad event or trace fails the call with
/// `JOURNEYSTREAM_STATUS_INPUT` and a message naming the file, the element (`trace[3]/event[5]`),
/// the attribute and the value; with true bad events are skipped and counted. `out_skipped` may be
/// NULL; otherwise it receives the number of skipped events (0 when `skip_bad_rows` is false).
/// A file that cannot be opened gives `JOURNEYSTREAM_STATUS_IO` with a message naming it.
#[no_mangle]
pub unsafe extern "C" fn journeystream_log_from_xes_file(
    path: *const c_char,
    skip_bad_rows: bool,
    out_log: *mut *mut journeystream_log,
    out_skipped: *mut usize,
) -> journeystream_status {
    journeystream_log_from_xes_file_progress(
        path,
        skip_bad_rows,
        std::ptr::null(),
        out_log,
        out_skipped,
    )
}

/// `journeystream_log_from_xes_file`, telling `progress` (which may be NULL) how far the read has
/// got; its callback may stop the read (see `journeystream_progress`).
#[no_mangle]
pub unsafe extern "C" fn journeystream_log_from_xes_file_progress(
    path: *const c_char,
    skip_bad_rows: bool,
    progress: *const journeystream_progress,
    out_log: *mut *mut journeystream_log,
    out_skipped: *mut usize,
) -> journeystream_status {
    boundary(|| {
        let out_log = out(out_log, "out_log")?;
        let path = c_text(path, "path")?;
        let options = XesOptions {
            on_bad_row: if skip_bad_rows {
                OnBadRow::SkipAndReport
            } else {
                OnBadRow::Fail
            },
            progress: progress.as_ref().and_then(|p| progress_hook(*p)),
            ..XesOptions::default()
        };
        let (log, report) = read_xes_file(path, options)?;
        if let Some(skipped) = out_skipped.as_mut() {
            *skipped = usize::try_from(report.rows_skipped).unwrap_or(usize::MAX);
        }
        *out_log = boxed(log);
        Ok(())
    })
}

/// A bad value in row `row` of column `field`: an `INPUT` error naming both.
fn bad_row(row: usize, field: &str, value: Option<String>, message: &str) -> Fail {
    Fail::Core(Error::Input {
        location: format!("row {row}"),
        field: Some(field.to_string()),
        value,
        message: message.to_string(),
    })
}

/// Element `row` of an array of NUL-terminated UTF-8 strings.
unsafe fn element<'a>(
    strings: &[*const c_char],
    row: usize,
    field: &str,
) -> Result<Option<&'a str>, Fail> {
    let ptr = strings[row];
    if ptr.is_null() {
        return Ok(None);
    }
    CStr::from_ptr(ptr)
        .to_str()
        .map(Some)
        .map_err(|_| bad_row(row, field, None, "the text is not UTF-8"))
}

unsafe fn required<'a>(
    strings: &[*const c_char],
    row: usize,
    field: &str,
) -> Result<&'a str, Fail> {
    element(strings, row, field)?.ok_or_else(|| bad_row(row, field, None, "is NULL"))
}

/// Builds an event log from `n` events given as column arrays (row `i` is one event):
///
/// - `case_ids[i]`, `activities[i]`: NUL-terminated UTF-8 strings;
/// - `timestamps[i]`: completion time, nanoseconds since 1970-01-01T00:00:00Z;
/// - `start_timestamps`: NULL when events have no start time, else `start_timestamps[i]` is the
///   start time in nanoseconds, or `INT64_MIN` for an event without one.
///
/// Cases are kept in first-seen order; within a case events are ordered by (start, completion)
/// time with ties in input order. `n` may be 0 (any pointer may then be NULL): an empty log.
/// A NULL array gives `JOURNEYSTREAM_STATUS_NULL_ARGUMENT`; a NULL or non-UTF-8 element gives
/// `JOURNEYSTREAM_STATUS_INPUT` with a message naming the row (0-based) and the column
/// (`row 3, field 'case_ids': is NULL`).
#[no_mangle]
pub unsafe extern "C" fn journeystream_log_from_columns(
    case_ids: *const *const c_char,
    activities: *const *const c_char,
    timestamps: *const i64,
    start_timestamps: *const i64,
    n: usize,
    out_log: *mut *mut journeystream_log,
) -> journeystream_status {
    boundary(|| {
        let out_log = out(out_log, "out_log")?;
        let cases = array(case_ids, n, "case_ids")?;
        let acts = array(activities, n, "activities")?;
        let ts = array(timestamps, n, "timestamps")?;
        let starts = if start_timestamps.is_null() {
            None
        } else {
            Some(array(start_timestamps, n, "start_timestamps")?)
        };
        let mut b = LogBuilder::with_capacity(n);
        for row in 0..n {
            let c = b.case_code(required(cases, row, "case_ids")?);
            let a = b.activity_code(required(acts, row, "activities")?);
            let e = b.push_codes(c, a, ts[row])?;
            if let Some(s) = starts {
                if s[row] != i64::MIN {
                    b.set_start(e, s[row]);
                }
            }
        }
        *out_log = boxed(b.finish()?);
        Ok(())
    })
}

fn parse_time(text: &str, row: usize, field: &str) -> Result<i64, Fail> {
    parse_rfc3339(text, 0).ok_or_else(|| {
        bad_row(
            row,
            field,
            Some(text.to_string()),
            &format!("'{text}' is not an RFC 3339 timestamp (like 2024-01-31T09:30:00Z)"),
        )
    })
}

/// Builds an event log from `n` events whose times are RFC 3339 / ISO 8601 text
/// (`2024-01-31T09:30:00.5+01:00`; text without an offset is UTC), as
/// `journeystream_log_from_columns` does with nanoseconds. `start_timestamps` may be NULL (no
/// start times) and any of its elements may be NULL (that event has none). A timestamp that does
/// not parse gives `JOURNEYSTREAM_STATUS_INPUT` naming the row, the column and the text.
#[no_mangle]
pub unsafe extern "C" fn journeystream_log_from_rows(
    case_ids: *const *const c_char,
    activities: *const *const c_char,
    timestamps: *const *const c_char,
    start_timestamps: *const *const c_char,
    n: usize,
    out_log: *mut *mut journeystream_log,
) -> journeystream_status {
    boundary(|| {
        let out_log = out(out_log, "out_log")?;
        let cases = array(case_ids, n, "case_ids")?;
        let acts = array(activities, n, "activities")?;
        let ts = array(timestamps, n, "timestamps")?;
        let starts = if start_timestamps.is_null() {
            None
        } else {
            Some(array(start_timestamps, n, "start_timestamps")?)
        };
        let mut b = LogBuilder::with_capacity(n);
        for row in 0..n {
            let c = b.case_code(required(cases, row, "case_ids")?);
            let a = b.activity_code(required(acts, row, "activities")?);
            let t = parse_time(required(ts, row, "timestamps")?, row, "timestamps")?;
            let e = b.push_codes(c, a, t)?;
            if let Some(s) = starts {
                if let Some(text) = element(s, row, "start_timestamps")? {
                    b.set_start(e, parse_time(text, row, "start_timestamps")?);
                }
            }
        }
        *out_log = boxed(b.finish()?);
        Ok(())
    })
}

/// Builds an event log from an Arrow C stream (`struct ArrowArrayStream`, the stable ABI: from
/// DuckDB, Arrow C++ / GLib, nanoarrow, or `journeystream_log_to_arrow_stream`), with the layout
/// and attribute rules of the Python `from_arrow`: the case, activity and timestamp columns by
/// name, and every other column as a typed attribute (`case:X` columns as case attributes).
///
/// `columns_json` (NUL-terminated) may be NULL for the defaults (`case:concept:name`,
/// `concept:name`, `time:timestamp`, every other column kept), or an object whose fields are all
/// optional: `{"case": "ticket", "activity": "step", "timestamp": "at", "start_timestamp":
/// "began", "attributes": true | false | ["channel", ...], "case_attributes": ["plan"]}`.
///
/// The library takes the stream over: it is released (its `release` set to NULL) whatever the
/// outcome. A column that does not exist gives `JOURNEYSTREAM_STATUS_INPUT` with the closest
/// names suggested; a null in a required column, a time that does not parse or a column an
/// attribute cannot hold, `JOURNEYSTREAM_STATUS_INPUT` naming the column and the row (0-based);
/// bad JSON or an unknown field, `JOURNEYSTREAM_STATUS_PARSE`.
#[no_mangle]
pub unsafe extern "C" fn journeystream_log_from_arrow_stream(
    stream: *mut FFI_ArrowArrayStream,
    columns_json: *const c_char,
    out_log: *mut *mut journeystream_log,
) -> journeystream_status {
    // Taken over first, so that it is released on every path below.
    let taken = (!stream.is_null()).then(|| FFI_ArrowArrayStream::from_raw(stream));
    boundary(|| {
        let out_log = out(out_log, "out_log")?;
        let stream = taken.ok_or(Fail::Null("stream"))?;
        let columns: LogColumns = if columns_json.is_null() {
            LogColumns::default()
        } else {
            journeystream::json::from_str(c_text(columns_json, "columns_json")?, "the log columns")?
        };
        let reader = ArrowArrayStreamReader::try_new(stream).map_err(|e| Error::Input {
            location: "arrow stream".into(),
            field: None,
            value: None,
            message: e.to_string(),
        })?;
        *out_log = boxed(columnar::log::import(reader, &columns)?);
        Ok(())
    })
}

/// Exports a log as an Arrow C stream of one record batch into `*out_stream`, in the layout
/// `journeystream_log_from_arrow_stream` reads back: `case:concept:name` and `concept:name`
/// (dictionary-encoded, UInt32 keys), `time:timestamp` (nanoseconds, UTC), `start_timestamp`
/// when the log has start times, every event attribute by name and every case attribute as
/// `case:X`. The stream owns its buffers: it stays valid after `journeystream_log_free`, and the
/// caller releases it with `out_stream->release(out_stream)`.
#[no_mangle]
pub unsafe extern "C" fn journeystream_log_to_arrow_stream(
    log: *const journeystream_log,
    out_stream: *mut FFI_ArrowArrayStream,
) -> journeystream_status {
    boundary(|| {
        let out_stream = out(out_stream, "out_stream")?;
        let batch = columnar::log::export(&handle(log, "log")?.inner)?;
        let reader = RecordBatchIterator::new([Ok(batch.clone())], batch.schema());
        std::ptr::write(out_stream, FFI_ArrowArrayStream::new(Box::new(reader)));
        Ok(())
    })
}

/// Number of cases of a log (0 for NULL).
#[no_mangle]
pub unsafe extern "C" fn journeystream_log_num_cases(log: *const journeystream_log) -> usize {
    boundary_value(0, || log.as_ref().map_or(0, |l| l.inner.num_cases()))
}

/// Number of events of a log (0 for NULL).
#[no_mangle]
pub unsafe extern "C" fn journeystream_log_num_events(log: *const journeystream_log) -> usize {
    boundary_value(0, || log.as_ref().map_or(0, |l| l.inner.num_events()))
}

/// Frees a log. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn journeystream_log_free(log: *mut journeystream_log) {
    boundary_void(|| {
        if !log.is_null() {
            drop(Box::from_raw(log));
        }
    })
}

/// The process profile of a log (opaque): activity counts, start and end activities, the
/// directly-follows graph with frequency and performance, variants, case durations. Strings it
/// hands out live as long as it does; it does not borrow from the log. Immutable; may be read from
/// several threads at once.
pub struct journeystream_profile {
    pub(crate) inner: Profile,
    /// Activity names (NUL-terminated), in the order of `inner.activities`.
    names: Vec<CString>,
    /// DFG edges as (source, target) indices into `names`.
    edges: Vec<[usize; 2]>,
    /// Variants as indices into `names`.
    variants: Vec<Vec<usize>>,
    /// Start and end activities as indices into `names`.
    starts: Vec<usize>,
    ends: Vec<usize>,
    /// Case ids of `inner.cases_by_duration`.
    case_ids: Vec<CString>,
}

impl journeystream_profile {
    fn new(inner: Profile) -> journeystream_profile {
        let names: Vec<CString> = inner.activities.iter().map(|a| keep(&a.activity)).collect();
        let index: HashMap<&str, usize> = inner
            .activities
            .iter()
            .enumerate()
            .map(|(i, a)| (a.activity.as_str(), i))
            .collect();
        let code = |name: &str| index[name];
        journeystream_profile {
            edges: inner
                .dfg
                .iter()
                .map(|e| [code(&e.source), code(&e.target)])
                .collect(),
            variants: inner
                .variants
                .iter()
                .map(|v| v.activities.iter().map(&code).collect())
                .collect(),
            starts: inner
                .start_activities
                .iter()
                .map(|e| code(&e.activity))
                .collect(),
            ends: inner
                .end_activities
                .iter()
                .map(|e| code(&e.activity))
                .collect(),
            case_ids: inner
                .cases_by_duration
                .iter()
                .map(|c| keep(&c.case))
                .collect(),
            names,
            inner,
        }
    }
}

/// Statistics of durations, in seconds. `has_stdev` is false below two values (then `stdev` is 0).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct journeystream_duration_stats {
    pub count: u64,
    pub mean: f64,
    pub median: f64,
    pub min: f64,
    pub max: f64,
    pub total: f64,
    pub has_stdev: bool,
    /// Sample standard deviation (n − 1).
    pub stdev: f64,
}

impl From<&DurationStats> for journeystream_duration_stats {
    fn from(s: &DurationStats) -> Self {
        journeystream_duration_stats {
            count: s.count,
            mean: s.mean,
            median: s.median,
            min: s.min,
            max: s.max,
            total: s.total,
            has_stdev: s.stdev.is_some(),
            stdev: s.stdev.unwrap_or(0.0),
        }
    }
}

/// The counts of a profile and the statistics of all case durations (seconds: last completion −
/// first start, or first completion without start times).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct journeystream_process_summary {
    pub cases: u64,
    pub events: u64,
    /// Number of activities (`journeystream_profile_activity`).
    pub activity_count: usize,
    pub start_activity_count: usize,
    pub end_activity_count: usize,
    /// Number of directly-follows edges (`journeystream_profile_dfg_edge`).
    pub dfg_edge_count: usize,
    pub variant_count: usize,
    /// Number of cases in `journeystream_profile_case_duration` (= `cases`).
    pub case_duration_count: usize,
    pub case_durations: journeystream_duration_stats,
}

/// An activity: its events and the cases with at least one.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct journeystream_activity_count {
    pub activity: *const c_char,
    pub events: u64,
    pub cases: u64,
}

/// A start or end activity and the number of cases it starts or ends.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct journeystream_endpoint {
    pub activity: *const c_char,
    pub cases: u64,
}

/// An edge `source → target` of the directly-follows graph: how often it occurs and its flow
/// time in seconds (`max(start(target), complete(source)) − complete(source)`).
/// `has_stdev` is false for an edge seen once (then `stdev` is 0).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct journeystream_dfg_edge {
    pub source: *const c_char,
    pub target: *const c_char,
    pub count: u64,
    pub mean: f64,
    pub median: f64,
    pub min: f64,
    pub max: f64,
    pub total: f64,
    pub has_stdev: bool,
    pub stdev: f64,
}

/// A variant (an activity sequence): its cases, their share of all cases, the length of the
/// sequence (`journeystream_profile_variant_activity`) and the durations of its cases.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct journeystream_variant {
    pub count: u64,
    pub share: f64,
    pub activity_count: usize,
    pub duration: journeystream_duration_stats,
}

/// The duration of one case, in seconds.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct journeystream_case_duration {
    pub case_id: *const c_char,
    pub duration_s: f64,
}

/// Computes the process profile of a log (on all cores). `*out_profile` owns it.
#[no_mangle]
pub unsafe extern "C" fn journeystream_log_profile(
    log: *const journeystream_log,
    out_profile: *mut *mut journeystream_profile,
) -> journeystream_status {
    boundary(|| {
        let out_profile = out(out_profile, "out_profile")?;
        let p = process::profile(&handle(log, "log")?.inner);
        *out_profile = Box::into_raw(Box::new(journeystream_profile::new(p)));
        Ok(())
    })
}

/// The counts and case-duration statistics of a profile.
#[no_mangle]
pub unsafe extern "C" fn journeystream_profile_summary(
    profile: *const journeystream_profile,
    out_summary: *mut journeystream_process_summary,
) -> journeystream_status {
    boundary(|| {
        let out_summary = out(out_summary, "out_summary")?;
        let p = &handle(profile, "profile")?.inner;
        *out_summary = journeystream_process_summary {
            cases: p.cases,
            events: p.events,
            activity_count: p.activities.len(),
            start_activity_count: p.start_activities.len(),
            end_activity_count: p.end_activities.len(),
            dfg_edge_count: p.dfg.len(),
            variant_count: p.variants.len(),
            case_duration_count: p.cases_by_duration.len(),
            case_durations: (&p.case_durations).into(),
        };
        Ok(())
    })
}

/// Activity `index`, most events first (ties by name).
#[no_mangle]
pub unsafe extern "C" fn journeystream_profile_activity(
    profile: *const journeystream_profile,
    index: usize,
    out_activity: *mut journeystream_activity_count,
) -> journeystream_status {
    boundary(|| {
        let out_activity = out(out_activity, "out_activity")?;
        let h = handle(profile, "profile")?;
        let a = at(&h.inner.activities, index)?;
        *out_activity = journeystream_activity_count {
            activity: h.names[index].as_ptr(),
            events: a.events,
            cases: a.cases,
        };
        Ok(())
    })
}

/// Start activity `index`, most cases first (ties by name).
#[no_mangle]
pub unsafe extern "C" fn journeystream_profile_start_activity(
    profile: *const journeystream_profile,
    index: usize,
    out_endpoint: *mut journeystream_endpoint,
) -> journeystream_status {
    boundary(|| {
        let out_endpoint = out(out_endpoint, "out_endpoint")?;
        let h = handle(profile, "profile")?;
        let e = at(&h.inner.start_activities, index)?;
        *out_endpoint = journeystream_endpoint {
            activity: h.names[h.starts[index]].as_ptr(),
            cases: e.cases,
        };
        Ok(())
    })
}

/// End activity `index`, most cases first (ties by name).
#[no_mangle]
pub unsafe extern "C" fn journeystream_profile_end_activity(
    profile: *const journeystream_profile,
    index: usize,
    out_endpoint: *mut journeystream_endpoint,
) -> journeystream_status {
    boundary(|| {
        let out_endpoint = out(out_endpoint, "out_endpoint")?;
        let h = handle(profile, "profile")?;
        let e = at(&h.inner.end_activities, index)?;
        *out_endpoint = journeystream_endpoint {
            activity: h.names[h.ends[index]].as_ptr(),
            cases: e.cases,
        };
        Ok(())
    })
}

/// Directly-follows edge `index`, most frequent first (ties by source, then target name).
#[no_mangle]
pub unsafe extern "C" fn journeystream_profile_dfg_edge(
    profile: *const journeystream_profile,
    index: usize,
    out_edge: *mut journeystream_dfg_edge,
) -> journeystream_status {
    boundary(|| {
        let out_edge = out(out_edge, "out_edge")?;
        let h = handle(profile, "profile")?;
        let e = at(&h.inner.dfg, index)?;
        let [s, t] = h.edges[index];
        *out_edge = journeystream_dfg_edge {
            source: h.names[s].as_ptr(),
            target: h.names[t].as_ptr(),
            count: e.count,
            mean: e.mean,
            median: e.median,
            min: e.min,
            max: e.max,
            total: e.total,
            has_stdev: e.stdev.is_some(),
            stdev: e.stdev.unwrap_or(0.0),
        };
        Ok(())
    })
}

/// Variant `index`, most cases first (ties by activity sequence).
#[no_mangle]
pub unsafe extern "C" fn journeystream_profile_variant(
    profile: *const journeystream_profile,
    index: usize,
    out_variant: *mut journeystream_variant,
) -> journeystream_status {
    boundary(|| {
        let out_variant = out(out_variant, "out_variant")?;
        let h = handle(profile, "profile")?;
        let v = at(&h.inner.variants, index)?;
        *out_variant = journeystream_variant {
            count: v.count,
            share: v.share,
            activity_count: v.activities.len(),
            duration: (&v.duration).into(),
        };
        Ok(())
    })
}

/// Activity `position` of variant `variant`: `*out_name` is its name, owned by the profile.
#[no_mangle]
pub unsafe extern "C" fn journeystream_profile_variant_activity(
    profile: *const journeystream_profile,
    variant: usize,
    position: usize,
    out_name: *mut *const c_char,
) -> journeystream_status {
    boundary(|| {
        let out_name = out(out_name, "out_name")?;
        let h = handle(profile, "profile")?;
        let v = at(&h.variants, variant)?;
        *out_name = h.names[*at(v, position)?].as_ptr();
        Ok(())
    })
}

/// Case `index` with its duration, longest first (ties by case id).
#[no_mangle]
pub unsafe extern "C" fn journeystream_profile_case_duration(
    profile: *const journeystream_profile,
    index: usize,
    out_case: *mut journeystream_case_duration,
) -> journeystream_status {
    boundary(|| {
        let out_case = out(out_case, "out_case")?;
        let h = handle(profile, "profile")?;
        let c = at(&h.inner.cases_by_duration, index)?;
        *out_case = journeystream_case_duration {
            case_id: h.case_ids[index].as_ptr(),
            duration_s: c.duration,
        };
        Ok(())
    })
}

/// The whole profile as JSON (durations in seconds; `stdev` null for a single value), the
/// same document the Rust and Python APIs give. Free with `journeystream_string_free`.
#[no_mangle]
pub unsafe extern "C" fn journeystream_profile_to_json(
    profile: *const journeystream_profile,
    out_json: *mut *mut c_char,
) -> journeystream_status {
    boundary(|| {
        let out_json = out(out_json, "out_json")?;
        *out_json = owned(
            serde_json::to_string(&handle(profile, "profile")?.inner).expect("results serialize"),
        );
        Ok(())
    })
}

/// Frees a profile. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn journeystream_profile_free(profile: *mut journeystream_profile) {
    boundary_void(|| {
        if !profile.is_null() {
            drop(Box::from_raw(profile));
        }
    })
}

/// Options of `journeystream_log_from_csv_file` and `journeystream_log_from_jsonl_file`. Zero
/// it (`journeystream_csv_options o = {0};`) for the defaults, then set what differs; passing
/// NULL for the whole struct means all defaults.
///
/// The `*_column` fields name the CSV column (or JSON Lines key) of each role; NULL takes the
/// first default name the header has: case `case:concept:name`/`case`/`case_id`, activity
/// `concept:name`/`activity`, timestamp `time:timestamp`/`timestamp`, start `start_timestamp`,
/// resource `org:resource`/`resource`; channel, stage and value (a number) are only read when
/// named. A named column must exist. Other columns are kept as attributes (`case:X` as case
/// attribute `X`).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct journeystream_csv_options {
    pub case_column: *const c_char,
    pub activity_column: *const c_char,
    pub timestamp_column: *const c_char,
    pub start_timestamp_column: *const c_char,
    pub resource_column: *const c_char,
    pub channel_column: *const c_char,
    pub stage_column: *const c_char,
    pub value_column: *const c_char,
    /// `"auto"` (NULL), `"rfc3339"`, `"epoch_s"`, `"epoch_ms"`, `"epoch_us"`, `"epoch_ns"`, or
    /// a strftime pattern (any text with `%`, such as `"%d/%m/%Y %H:%M"`).
    pub timestamp_format: *const c_char,
    /// The zone of timestamps written without an offset: `"UTC"` (NULL), an offset such as
    /// `"+02:00"`, or an IANA name such as `"Europe/Amsterdam"`.
    pub time_zone: *const c_char,
    /// The CSV field separator as a byte (`','` when 0; `';'` and `'\t'` are common). Ignored
    /// for JSON Lines.
    pub delimiter: c_char,
    /// Skip and count bad rows instead of failing at the first one.
    pub skip_bad_rows: bool,
    /// Told how far the read has got (see `journeystream_progress`); zeroed: not told.
    pub progress: journeystream_progress,
}

/// A progress callback of the readers: `callback(bytes_read, user_data)` is called with the input
/// bytes read so far (compressed bytes of a gzipped file, comparable to its size), about every
/// 4 MiB and at the end, on the thread that called the reader. It returns whether to go on:
/// `false` stops the read, which then fails with `JOURNEYSTREAM_STATUS_IO` and a message saying
/// it was cancelled. A NULL `callback` is never called.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct journeystream_progress {
    pub callback: Option<unsafe extern "C" fn(bytes_read: u64, user_data: *mut c_void) -> bool>,
    pub user_data: *mut c_void,
}

/// The core's progress hook calling a C callback.
fn progress_hook(p: journeystream_progress) -> Option<Progress<'static>> {
    struct Callback(journeystream_progress);
    // The callback runs on the thread that called the reader (the readers do not spawn threads),
    // so its user data is not shared; the caller vouches for it.
    unsafe impl Send for Callback {}
    let callback = Callback(p);
    p.callback?;
    Some(Box::new(move |bytes| {
        let c = &callback;
        match c.0.callback {
            // SAFETY: a C function pointer given by the caller, with the caller's user data.
            Some(f) => unsafe { f(bytes, c.0.user_data) },
            None => true,
        }
    }))
}

/// The reader settings of a (nullable) options struct.
unsafe fn table_settings(options: *const journeystream_csv_options) -> Result<TableSettings, Fail> {
    let Some(o) = options.as_ref() else {
        return Ok(TableSettings::default());
    };
    unsafe fn name(ptr: *const c_char, field: &'static str) -> Result<Option<String>, Fail> {
        if ptr.is_null() {
            Ok(None)
        } else {
            c_text(ptr, field).map(|s| Some(s.to_string()))
        }
    }
    Ok(TableSettings {
        case: name(o.case_column, "case_column")?,
        activity: name(o.activity_column, "activity_column")?,
        timestamp: name(o.timestamp_column, "timestamp_column")?,
        start_timestamp: name(o.start_timestamp_column, "start_timestamp_column")?,
        resource: name(o.resource_column, "resource_column")?,
        channel: name(o.channel_column, "channel_column")?,
        stage: name(o.stage_column, "stage_column")?,
        value: name(o.value_column, "value_column")?,
        delimiter: (o.delimiter != 0).then(|| (o.delimiter as u8 as char).to_string()),
        timestamp_format: name(o.timestamp_format, "timestamp_format")?,
        time_zone: name(o.time_zone, "time_zone")?,
        skip_bad_rows: o.skip_bad_rows,
    })
}

/// The progress hook of a (nullable) options struct.
unsafe fn table_progress(options: *const journeystream_csv_options) -> Option<Progress<'static>> {
    options.as_ref().and_then(|o| progress_hook(o.progress))
}

/// Reads a CSV or JSON Lines file into `out_log`.
unsafe fn read_table(
    format: TableFormat,
    path: *const c_char,
    options: *const journeystream_csv_options,
    out_log: *mut *mut journeystream_log,
    out_skipped: *mut usize,
) -> journeystream_status {
    boundary(|| {
        let out_log = out(out_log, "out_log")?;
        let path = c_text(path, "path")?;
        let result =
            table_settings(options)?.read_file_reporting(path, format, table_progress(options))?;
        finish_read(result, out_log, out_skipped);
        Ok(())
    })
}

unsafe fn finish_read(
    result: (EventLog, ReadReport),
    out_log: &mut *mut journeystream_log,
    out_skipped: *mut usize,
) {
    let (log, report) = result;
    if let Some(skipped) = out_skipped.as_mut() {
        *skipped = usize::try_from(report.rows_skipped).unwrap_or(usize::MAX);
    }
    *out_log = boxed(log);
}

/// Reads a CSV event log (one event a row, first line the header), plain or gzipped (detected by
/// its content), from a NUL-terminated path. `options` may be NULL (all defaults; see
/// `journeystream_csv_options`). Timestamps are parsed per `timestamp_format` and `time_zone`; an
/// offset in the text always wins.
///
/// A bad row (wrong number of fields, bad timestamp or number, empty case id or activity) fails
/// the call with `JOURNEYSTREAM_STATUS_INPUT` and a message naming the file, the line and the
/// column; with `skip_bad_rows` such rows are skipped and counted into `*out_skipped` (which may
/// be NULL). A missing column always fails. An unknown `timestamp_format` or `time_zone` gives
/// `JOURNEYSTREAM_STATUS_INVALID_ARGUMENT`; a file that cannot be opened,
/// `JOURNEYSTREAM_STATUS_IO`.
#[no_mangle]
pub unsafe extern "C" fn journeystream_log_from_csv_file(
    path: *const c_char,
    options: *const journeystream_csv_options,
    out_log: *mut *mut journeystream_log,
    out_skipped: *mut usize,
) -> journeystream_status {
    read_table(TableFormat::Csv, path, options, out_log, out_skipped)
}

/// Reads a JSON Lines event log (one JSON object per line, one event each), plain or gzipped,
/// from a NUL-terminated path, as `journeystream_log_from_csv_file` reads CSV: the `*_column`
/// fields of `options` (which may be NULL) name keys; `delimiter` is ignored. Errors name the
/// file, the line and the key.
#[no_mangle]
pub unsafe extern "C" fn journeystream_log_from_jsonl_file(
    path: *const c_char,
    options: *const journeystream_csv_options,
    out_log: *mut *mut journeystream_log,
    out_skipped: *mut usize,
) -> journeystream_status {
    read_table(TableFormat::Jsonl, path, options, out_log, out_skipped)
}

/// The per-activity statistics of a log as a JSON array, most events first (ties by name): each
/// `{"activity", "events", "cases", "service_time", "waiting_time", "rework_cases", "repeats",
/// "self_loops", "self_loop_cases"}`, the times being duration statistics in seconds
/// (`{"count", "mean", "median", "min", "max", "total", "stdev"}`) or null when undefined
/// (no start timestamps; never preceded by another event). Free with `journeystream_string_free`.
#[no_mangle]
pub unsafe extern "C" fn journeystream_log_activity_stats_json(
    log: *const journeystream_log,
    out_json: *mut *mut c_char,
) -> journeystream_status {
    boundary(|| {
        let out_json = out(out_json, "out_json")?;
        let stats = activity_stats(&handle(log, "log")?.inner);
        *out_json = owned(serde_json::to_string(&stats).expect("results serialize"));
        Ok(())
    })
}

/// A calendar period in UTC, for `journeystream_log_arrivals_json`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum journeystream_period {
    /// A UTC clock hour.
    Hour = 0,
    /// A UTC calendar day.
    Day = 1,
    /// Monday 00:00 to Monday 00:00 (UTC).
    Week = 2,
}

/// The case arrivals of a log as JSON, counted per `period` (a `journeystream_period` value; any
/// other gives `JOURNEYSTREAM_STATUS_INVALID_ARGUMENT`): `{"period": "hour"|"day"|"week",
/// "cases", "periods", "rate" (cases per period), "inter_arrival" (duration statistics in
/// seconds), "buckets": [{"start" (UTC nanoseconds), "cases"}]}`. A case arrives at its first
/// event's start (its completion without one). Free with `journeystream_string_free`.
#[no_mangle]
pub unsafe extern "C" fn journeystream_log_arrivals_json(
    log: *const journeystream_log,
    period: u32,
    out_json: *mut *mut c_char,
) -> journeystream_status {
    boundary(|| {
        let out_json = out(out_json, "out_json")?;
        let period = match period {
            0 => Period::Hour,
            1 => Period::Day,
            2 => Period::Week,
            other => {
                return Err(Error::InvalidArgument {
                    name: "period".into(),
                    value: other.to_string(),
                    reason: "is not a period (0 hour, 1 day, 2 week)".into(),
                }
                .into())
            }
        };
        let a = arrivals(&handle(log, "log")?.inner, period);
        *out_json = owned(serde_json::to_string(&a).expect("results serialize"));
        Ok(())
    })
}

/// A new log with the cases and events that a filter keeps; `log` is not changed. The filter is
/// JSON (`len` bytes of UTF-8 at `filter_json`), one object naming one filter, for example:
///
/// - `{"top_variants": 3}`, `{"variant_coverage": 0.8}`;
/// - `{"activities": ["a", "b"]}` (events of these), `{"contains_any": ["cancel"]}`,
///   `{"contains_all": ["a", "b"]}`;
/// - `{"follows": {"activities": ["a", "b"], "directly": true}}`;
/// - `{"case_size": {"min": 2, "max": null}}`, `{"case_duration": {"min_seconds": 0, "max_seconds": 3600}}`
///   (seconds, as every duration);
/// - `{"time_range": {"from": t, "to": t, "mode": "contained"}}`, each time integer nanoseconds
///   since the epoch or RFC 3339 text (modes `contained`, `intersecting`, `started`, `completed`,
///   `events`);
/// - `{"not": {...}}`: what the inner filter drops.
///
/// JSON that is not a filter gives `JOURNEYSTREAM_STATUS_PARSE` with the field's path or the line
/// and column; a filter naming an activity, attribute or value the log does not have gives
/// `JOURNEYSTREAM_STATUS_INVALID_ARGUMENT` suggesting the closest name. Free the new log with
/// `journeystream_log_free`.
#[no_mangle]
pub unsafe extern "C" fn journeystream_log_filter(
    log: *const journeystream_log,
    filter_json: *const c_char,
    len: usize,
    out_log: *mut *mut journeystream_log,
) -> journeystream_status {
    boundary(|| {
        let out_log = out(out_log, "out_log")?;
        let log = handle(log, "log")?;
        let filter = Filter::from_json(text(filter_json, len, "filter_json")?)?;
        *out_log = boxed(log.inner.filter(&filter)?);
        Ok(())
    })
}

/// Runs one analytic by name and writes its result as JSON. `request_json` (`len` bytes of UTF-8)
/// is an object whose `"analysis"` names the analytic and whose other fields are its parameters,
/// for example `{"analysis": "stage_dwell", "stage_attribute": "stage"}` or
/// `{"analysis": "calibrate", "map": {...}, "statistic": "p90"}`; the analytics and their
/// parameters are listed in the Rust documentation of `journeystream::analytics::request`.
/// `log` may be NULL for analytics that carry their data in the request; one that reads a log
/// gives `JOURNEYSTREAM_STATUS_MISSING_DATA` without it. A request that is not JSON, names an
/// unknown analysis or has an unknown field gives `JOURNEYSTREAM_STATUS_PARSE` with the field's
/// path. Free the result with `journeystream_string_free`.
#[no_mangle]
pub unsafe extern "C" fn journeystream_analyze(
    log: *const journeystream_log,
    request_json: *const c_char,
    len: usize,
    out_json: *mut *mut c_char,
) -> journeystream_status {
    boundary(|| {
        let out_json = out(out_json, "out_json")?;
        let request = text(request_json, len, "request_json")?;
        let log = log.as_ref().map(|l| &l.inner);
        *out_json = owned(analyze_json(request, log)?);
        Ok(())
    })
}

//! Map documents: load, validate, write, project.

use crate::args::{c_text, handle, out, owned, text};
use crate::boundary::{boundary, boundary_void, journeystream_status};
use journeystream::{vsm, Map, StagePreset};
use std::ffi::c_char;

/// A validated map document (opaque). Immutable; may be read from several threads at once.
pub struct journeystream_map {
    pub(crate) inner: Map,
}

fn boxed(map: Map) -> *mut journeystream_map {
    Box::into_raw(Box::new(journeystream_map { inner: map }))
}

/// Parses and validates a JSON document of `len` bytes. On success `*out_map` owns a new map.
#[no_mangle]
pub unsafe extern "C" fn journeystream_map_from_json(
    json: *const c_char,
    len: usize,
    out_map: *mut *mut journeystream_map,
) -> journeystream_status {
    boundary(|| {
        let out_map = out(out_map, "out_map")?;
        let map = Map::from_json(text(json, len, "json")?)?;
        *out_map = boxed(map);
        Ok(())
    })
}

/// Reads, parses and validates a JSON document file (NUL-terminated path); errors name the file.
#[no_mangle]
pub unsafe extern "C" fn journeystream_map_from_file(
    path: *const c_char,
    out_map: *mut *mut journeystream_map,
) -> journeystream_status {
    boundary(|| {
        let out_map = out(out_map, "out_map")?;
        let map = Map::from_path(c_text(path, "path")?)?;
        *out_map = boxed(map);
        Ok(())
    })
}

/// Every problem of a JSON document, as a JSON array of `{"kind", "path", "message"}`
/// (empty when the document is valid). Returns OK whether or not the document has problems.
#[no_mangle]
pub unsafe extern "C" fn journeystream_problems_json(
    json: *const c_char,
    len: usize,
    out_json: *mut *mut c_char,
) -> journeystream_status {
    boundary(|| {
        let out_json = out(out_json, "out_json")?;
        let problems = match Map::parse_json(text(json, len, "json")?) {
            Ok(map) => map.problems(),
            Err(e) => vec![e],
        };
        let list: Vec<_> = problems
            .iter()
            .map(|e| serde_json::json!({"kind": e.kind().name(), "path": e.path(), "message": e.to_string()}))
            .collect();
        *out_json = owned(serde_json::Value::Array(list).to_string());
        Ok(())
    })
}

/// The document as canonical JSON. Free the string with `journeystream_string_free`.
#[no_mangle]
pub unsafe extern "C" fn journeystream_map_to_json(
    map: *const journeystream_map,
    out_json: *mut *mut c_char,
) -> journeystream_status {
    boundary(|| {
        let out_json = out(out_json, "out_json")?;
        *out_json = owned(handle(map, "map")?.inner.to_json());
        Ok(())
    })
}

/// Applies the map's plan to its value stream: `*out_future` owns the future-state map.
#[no_mangle]
pub unsafe extern "C" fn journeystream_map_project(
    map: *const journeystream_map,
    out_future: *mut *mut journeystream_map,
) -> journeystream_status {
    boundary(|| {
        let out_future = out(out_future, "out_future")?;
        let projection = vsm::project(&handle(map, "map")?.inner)?;
        *out_future = boxed(projection.map);
        Ok(())
    })
}

/// The projection as JSON: `{"map": <future document>, "applied": [{initiative, step, effect, before, after}]}`.
#[no_mangle]
pub unsafe extern "C" fn journeystream_map_project_json(
    map: *const journeystream_map,
    out_json: *mut *mut c_char,
) -> journeystream_status {
    boundary(|| {
        let out_json = out(out_json, "out_json")?;
        let projection = vsm::project(&handle(map, "map")?.inner)?;
        *out_json = owned(serde_json::to_string(&projection).expect("results serialize"));
        Ok(())
    })
}

/// Frees a map. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn journeystream_map_free(map: *mut journeystream_map) {
    boundary_void(|| {
        if !map.is_null() {
            drop(Box::from_raw(map));
        }
    })
}

/// Stage presets for a new journey.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum journeystream_stage_preset {
    /// Awareness, Consideration, Purchase, Retention, Advocacy.
    FiveStage = 0,
    /// Pre-purchase, Purchase, Post-purchase.
    ThreeStage = 1,
}

/// The stages of a preset (a `journeystream_stage_preset` value) as a JSON array of stages.
#[no_mangle]
pub unsafe extern "C" fn journeystream_stage_preset_json(
    preset: u32,
    out_json: *mut *mut c_char,
) -> journeystream_status {
    boundary(|| {
        let out_json = out(out_json, "out_json")?;
        let preset = match preset {
            0 => StagePreset::FiveStage,
            1 => StagePreset::ThreeStage,
            other => {
                return Err(journeystream::Error::InvalidArgument {
                    name: "preset".into(),
                    value: other.to_string(),
                    reason: "is not a stage preset (0 five-stage, 1 three-stage)".into(),
                }
                .into())
            }
        };
        *out_json = owned(serde_json::to_string(&preset.stages()).expect("stages serialize"));
        Ok(())
    })
}

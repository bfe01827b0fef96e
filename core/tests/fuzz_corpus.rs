//! The fuzz targets' seed corpora, which hold every crash input the fuzzers found
//! (`fuzz/seeds/<target>/regression-*`), replayed on the stable toolchain through the same
//! functions the targets call, with the same invariants.

#[path = "../../fuzz/src/lib.rs"]
mod fuzz;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/seeds")
        .join(target);
    let mut inputs = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| run(&data));
        assert!(outcome.is_ok(), "{target}: {} fails", path.display());
        inputs += 1;
    }
    assert!(inputs > 0, "no seeds in {}", dir.display());
}

#[test]
fn csv() {
    replay("csv", fuzz::targets::csv);
}

#[test]
fn jsonl() {
    replay("jsonl", fuzz::targets::jsonl);
}

#[test]
fn xes() {
    replay("xes", fuzz::targets::xes);
}

#[test]
fn map() {
    replay("map", fuzz::targets::map);
}

#[test]
fn request() {
    replay("request", fuzz::targets::request);
}

#[test]
fn filter() {
    replay("filter", fuzz::targets::filter);
}

#[test]
fn monitor_state() {
    replay("monitor_state", fuzz::targets::monitor_state);
}

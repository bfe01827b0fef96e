//! The checked-in header must equal a fresh generation by the pinned cbindgen.
//! `JOURNEYSTREAM_BLESS=1 cargo test -p journeystream-ffi --test header` rewrites it.

use std::path::Path;

#[test]
fn checked_in_header_is_current() {
    let crate_dir = env!("CARGO_MANIFEST_DIR");
    let config = cbindgen::Config::from_file(Path::new(crate_dir).join("cbindgen.toml"))
        .expect("cbindgen.toml");
    let mut fresh = Vec::new();
    cbindgen::Builder::new()
        .with_crate(crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header")
        .write(&mut fresh);
    let fresh = String::from_utf8(fresh).expect("UTF-8 header");
    let path = Path::new(crate_dir).join("../include/journeystream.h");
    if std::env::var_os("JOURNEYSTREAM_BLESS").is_some() {
        std::fs::write(&path, &fresh).expect("write header");
        return;
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == fresh,
        "include/journeystream.h differs from the generated header: run `JOURNEYSTREAM_BLESS=1 cargo test -p journeystream-ffi --test header` and commit it"
    );
}

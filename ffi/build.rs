//! The shared library's SONAME: `libjourneystream.so.0` (the ABI version; bumped when a release
//! breaks the C ABI), so programs linked against it find the installed `libjourneystream.so.0`.

fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os == "linux" || os == "android" || os.ends_with("bsd") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libjourneystream.so.0");
    }
    println!("cargo:rerun-if-changed=build.rs");
}

//! Packed relative relocations (DT_RELR) for the programs linked on Linux, shared by the
//! core's and the app's build scripts.
//!
//! A position-independent program carries one 24-byte entry per pointer the loader must
//! adjust at start (half a megabyte in the app); DT_RELR packs them into bitmaps a few
//! kilobytes long. Only glibc 2.36 and later apply packed relocations, and a program built
//! here needs this machine's glibc or newer anyway, so they are packed only when this
//! machine's glibc has them (and the linker then records the GLIBC_ABI_DT_RELR version the
//! loader checks). A cross build or an older glibc links as before.

use std::process::Command;

/// The first glibc whose loader applies DT_RELR.
const FIRST_GLIBC_WITH_RELR: (u32, u32) = (2, 36);

/// Asks the linker to pack the binaries' relative relocations when the target is this
/// machine's Linux with a glibc that applies them. `this_file`: this file's path from the
/// package's root, so that a change here runs the build script again.
pub fn pack_when_supported(this_file: &str) {
    println!("cargo:rerun-if-changed={this_file}");
    let target = std::env::var("TARGET").unwrap_or_default();
    let host = std::env::var("HOST").unwrap_or_default();
    let linux_gnu = std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux")
        && std::env::var("CARGO_CFG_TARGET_ENV").as_deref() == Ok("gnu");
    if linux_gnu && target == host && host_glibc().is_some_and(|v| v >= FIRST_GLIBC_WITH_RELR) {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}

/// This machine's glibc version, from `getconf GNU_LIBC_VERSION` ("glibc 2.36").
fn host_glibc() -> Option<(u32, u32)> {
    let output = Command::new("getconf")
        .arg("GNU_LIBC_VERSION")
        .output()
        .ok()?;
    parse_glibc_version(std::str::from_utf8(&output.stdout).ok()?)
}

fn parse_glibc_version(text: &str) -> Option<(u32, u32)> {
    let version = text.trim().strip_prefix("glibc ")?;
    let mut parts = version.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts
        .next()?
        .trim_end_matches(|c: char| !c.is_ascii_digit())
        .parse()
        .ok()?;
    Some((major, minor))
}

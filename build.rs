//! The command-line tool's link options (see build-support/packed_relocations.rs).

#[path = "build-support/packed_relocations.rs"]
mod packed_relocations;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    packed_relocations::pack_when_supported("build-support/packed_relocations.rs");
}

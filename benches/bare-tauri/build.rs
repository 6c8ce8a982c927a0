//! Tauri's build step, and the app's link options (the same as the product's).

#[path = "../../build-support/packed_relocations.rs"]
mod packed_relocations;

fn main() {
    packed_relocations::pack_when_supported("../../build-support/packed_relocations.rs");
    tauri_build::build()
}

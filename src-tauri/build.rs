//! Declares the app's own commands so capabilities can allow exactly these, and the app's
//! link options (see build-support/packed_relocations.rs).

#[path = "../build-support/packed_relocations.rs"]
mod packed_relocations;

fn main() {
    packed_relocations::pack_when_supported("../build-support/packed_relocations.rs");
    let manifest = tauri_build::AppManifest::new().commands(&[
        "app_start",
        "connect",
        "sign_out",
        "clients_overview",
        "client_preview",
        "client_connect",
        "client_disconnect",
        "enable_mcp",
        "create_token",
        "rotate_token",
        "revoke_token",
        "oauth_setup",
        "verify_mcp",
        "doctor_report",
        "client_check",
        "client_copy_value",
        "client_open_link",
        "team_setup",
        "grants_list",
        "grants_wait",
        "grants_wait_cancel",
        "grants_revoke",
    ]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri build script");
}

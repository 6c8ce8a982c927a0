// Generated from src-tauri/src/commands/list.rs by the app's tests. Do not edit by hand:
// UPDATE_BINDINGS=1 cargo test -p directus-mcp-setup-app the_page_knows

/** The name of one of the app's own commands: the only names `ui/src/api.ts` calls. */
export type AppCommand =
  | "app_start"
  | "connect"
  | "sign_out"
  | "opened_link"
  | "enable_mcp"
  | "create_token"
  | "rotate_token"
  | "revoke_token"
  | "oauth_setup"
  | "verify_mcp"
  | "doctor_report"
  | "clients_overview"
  | "client_preview"
  | "client_connect"
  | "client_disconnect"
  | "client_check"
  | "client_copy_value"
  | "client_open_link"
  | "team_setup"
  | "grants_list"
  | "grants_wait"
  | "grants_wait_cancel"
  | "grants_revoke"
  | "update_preferences"
  | "update_set_check_on_start"
  | "update_check"
  | "update_install";

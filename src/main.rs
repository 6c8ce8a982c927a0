//! `directus-mcp-setup`: the command-line tool. See `directus-mcp-setup --help`.

fn main() -> std::process::ExitCode {
    directus_mcp_setup::cli::main()
}

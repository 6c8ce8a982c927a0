//! Masking behaviours that `scripts/mutants.sh` found unguarded: each test here fails
//! under the cargo-mutants mutant of `redact.rs` named in its comment.

use super::*;

/// `text` as every view of a change shows it.
fn shown(format: Format, text: &str) -> String {
    let secrets = secret_values(format, text);
    mask_values(text, secrets.iter().map(String::as_str), MASK)
}

/// Mutant: `is_secret_flag -> bool with true`, and `==` → `!=` in `name == "h"`
/// (every flag, `-y` included, would make the next argument a credential).
#[test]
fn ordinary_arguments_after_ordinary_flags_stay_readable() {
    let text = r#"{"mcpServers": {"pg": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-postgres", "--read-only", "reporting-db"]}}}"#;
    assert_eq!(shown(Format::Jsonc, text), text);
}

/// Mutant: `>=` → `<` in `push_secret`'s `value.len() >= 8` (a query value would be masked
/// only inside the string it came from, not where it was copied to).
#[test]
fn a_query_token_is_masked_wherever_it_appears_in_the_file() {
    let text = "{\n  // before the rotation: urltoken99\n  \"mcpServers\": {\"r\": {\"url\": \"https://x.example/mcp?access_token=urltoken99\"}}\n}";
    let shown = shown(Format::Jsonc, text);
    assert!(!shown.contains("urltoken99"), "{shown}");
    assert!(shown.contains("// before the rotation: "), "{shown}");
}

/// Mutant: `&&` → `||` in `holds_literal_secret(word) && word.len() >= 8` (a short word of
/// a credential would be masked wherever else it appears).
#[test]
fn a_short_word_of_a_credential_stays_readable_elsewhere() {
    let text = r#"{"mcpServers": {"x": {"url": "https://x.example/mcp", "headers": {"Authorization": "Basic admin"}, "args": ["--profile", "admin"]}}}"#;
    let shown = shown(Format::Jsonc, text);
    assert!(!shown.contains("Basic admin"), "{shown}");
    assert!(shown.contains(r#"["--profile", "admin"]"#), "{shown}");
}

/// Mutant: `||` → `&&` in `push_url_secrets`'s end of a URL (the words after a URL in a
/// longer text would be read as its path, and a version word masked as a key).
#[test]
fn words_after_a_url_in_a_command_line_are_not_part_of_it() {
    let text = r#"{"mcpServers": {"x": {"command": "npx mcp-remote https://mcp.example.com/sse --transport sse-only-v2"}}}"#;
    assert_eq!(shown(Format::Jsonc, text), text);
}

/// Mutant: match guard `!credential.is_empty()` → `true` in `push_url_secrets` (a user
/// name with an empty password would mask the whole URL).
#[test]
fn a_url_with_an_empty_password_stays_readable() {
    let text = r#"{"mcpServers": {"x": {"url": "https://deploy:@mcp.example.com/mcp"}}}"#;
    assert_eq!(shown(Format::Jsonc, text), text);
}

/// Mutant: match guard `matches!(chars.peek(), Some('{')) || c == '{'` → `true` in
/// `holds_literal_secret` (a `$` inside a password would hide the rest of it).
#[test]
fn a_password_with_a_dollar_sign_is_still_masked() {
    let text =
        r#"{"mcpServers": {"db": {"command": "x", "env": {"DB_PASSWORD": "pa$sw0rd-x9Z"}}}}"#;
    let shown = shown(Format::Jsonc, text);
    assert!(!shown.contains("x9Z"), "{shown}");
}

/// Mutants: `==` → `!=` in `c == '{'` (an opencode `{env:VAR}` reference would read as a
/// literal) and in `*next == '_'` (a `$VAR` reference would end at its first `_`), both in
/// `holds_literal_secret`.
#[test]
fn references_in_every_syntax_stay_readable() {
    for reference in [
        "Bearer {env:DIRECTUS_TOKEN}",
        "Bearer $DIRECTUS_ADMIN_TOKEN",
    ] {
        let text =
            format!(r#"{{"mcp": {{"x": {{"headers": {{"Authorization": "{reference}"}}}}}}}}"#);
        assert_eq!(shown(Format::Jsonc, &text), text, "{reference}");
    }
}

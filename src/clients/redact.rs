//! Finding the credentials in a client's settings file, ours and the user's other servers'
//! alike, so that every view of a change (diff previews, `--dry-run`, `--json`, the app)
//! can mask them. A value counts as a credential by where it sits (a member named like a
//! secret, anything under `env` or `headers`, the argument after `--token`) or by what it
//! says (`Bearer …`, `?access_token=…`, the password in `postgresql://user:PASSWORD@host`,
//! a key in a URL's path such as `https://mcp.zapier.com/api/mcp/s/<key>/mcp`); references
//! such as `${env:VAR}` are not secrets and stay readable.

use serde_json::Value;

use crate::config_edit::Format;

/// What stands in for a secret in everything shown.
pub(crate) const MASK: &str = "••••••••";

/// Member names (lowercase) whose string values are all credentials. Goose keeps an
/// extension's variables under `envs` (aaif-goose/goose, documentation/docs/guides/
/// config-files.md, "Common extension shapes", read 2026-12-02).
const SECRET_CONTAINERS: [&str; 7] = [
    "env",
    "envs",
    "headers",
    "http_headers",
    "environment",
    "requestinit",
    "secrets",
];

/// Parts of a member or flag name (lowercase) that mark its value as a credential.
const SECRET_NAME_PARTS: [&str; 10] = [
    "token",
    "secret",
    "password",
    "passwd",
    "auth",
    "key",
    "credential",
    "cookie",
    "session",
    "bearer",
];

/// Parts of a value (lowercase) that carry a credential inside a longer text.
const SECRET_VALUE_MARKERS: [&str; 7] = [
    "bearer ",
    "basic ",
    "token=",
    "key=",
    "secret=",
    "password=",
    "authorization:",
];

/// Every credential-looking string value in `text` (a settings file in `format`), and the
/// token part of `Bearer …` values. Nothing when the text does not parse (plans exist only
/// for files that do).
pub(crate) fn secret_values(format: Format, text: &str) -> Vec<String> {
    let Ok(doc) = crate::config_edit::parse(format, text) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    collect(&doc.to_json(), false, &mut found);
    found.sort_by_key(|value| std::cmp::Reverse(value.len()));
    found.dedup();
    found
}

fn collect(value: &Value, secret_here: bool, found: &mut Vec<String>) {
    match value {
        Value::String(text) => {
            if secret_here || looks_secret(text) {
                push_secret(text, found);
            }
            push_url_secrets(text, found);
        }
        Value::Array(items) => {
            let mut after_flag = false;
            for item in items {
                // `--auth oauth`: a way of signing in, not a credential.
                let mode_word = after_flag && item.as_str().is_some_and(is_auth_mode_word);
                collect(item, (secret_here || after_flag) && !mode_word, found);
                after_flag = item.as_str().is_some_and(is_secret_flag);
            }
        }
        Value::Object(members) => {
            for (name, member) in members {
                let lower = name.to_ascii_lowercase();
                let secret = secret_here
                    || SECRET_CONTAINERS.contains(&lower.as_str())
                    || SECRET_NAME_PARTS.iter().any(|part| lower.contains(part));
                collect(member, secret, found);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

fn looks_secret(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    SECRET_VALUE_MARKERS
        .iter()
        .any(|marker| lower.contains(marker))
}

/// Words that name a way of signing in (`--auth oauth`), never a credential themselves.
fn is_auth_mode_word(text: &str) -> bool {
    ["oauth", "token", "none", "bearer", "basic", "keyring"].contains(&text)
}

/// `--token`, `--api-key`, `-H`/`--header`: the next argument is a credential.
fn is_secret_flag(arg: &str) -> bool {
    let Some(name) = arg.strip_prefix('-') else {
        return false;
    };
    let name = name.trim_start_matches('-').to_ascii_lowercase();
    name == "h" || name == "header" || SECRET_NAME_PARTS.iter().any(|part| name.contains(part))
}

fn push_secret(text: &str, found: &mut Vec<String>) {
    if !holds_literal_secret(text) {
        return;
    }
    found.push(text.to_owned());
    for word in text.split_whitespace().skip(1) {
        if holds_literal_secret(word) && word.len() >= 8 {
            found.push(word.to_owned());
        }
    }
    for (_, value) in text
        .split(['?', '&'])
        .filter_map(|pair| pair.split_once('='))
    {
        if value.len() >= 8 {
            found.push(value.to_owned());
        }
    }
}

/// The credentials inside the URLs in `text` (any string: a `url` member, an argument, an
/// `env` value): the password of `scheme://user:password@host` (or a lone user name that
/// reads like a key), and path or query segments that read like a key. A password too
/// short to be masked on its own (see [`mask_values`]) masks the whole value instead.
fn push_url_secrets(text: &str, found: &mut Vec<String>) {
    for (start, _) in text.match_indices("://") {
        let rest = &text[start + 3..];
        let end = rest
            .find(|c: char| c.is_whitespace() || "\"'<>`,".contains(c))
            .unwrap_or(rest.len());
        let url = &rest[..end];
        let authority_end = url.find('/').unwrap_or(url.len());
        let (authority, path) = url.split_at(authority_end);
        let (authority, path) = match authority.find(['?', '#']) {
            Some(query) => (&authority[..query], &url[query..]),
            None => (authority, path),
        };
        if let Some((userinfo, _host)) = authority.rsplit_once('@') {
            let credential = match userinfo.split_once(':') {
                Some((_user, password)) => Some(password),
                None => reads_like_key(userinfo).then_some(userinfo),
            };
            match credential {
                Some(credential) if credential.chars().count() >= 6 => {
                    found.push(credential.to_owned());
                }
                Some(credential) if !credential.is_empty() => found.push(text.to_owned()),
                _ => {}
            }
        }
        for segment in path.split(['/', '?', '&', '=', '#', ';']) {
            if reads_like_key(segment) {
                found.push(segment.to_owned());
            }
        }
    }
}

/// `url` (an entry's server URL) as a status may show it: user name and password, query
/// and fragment masked (see [`masked_url`](crate::directus::endpoint::masked_url)), and path
/// segments that read like a key masked too.
pub(crate) fn shown_url(url: &str) -> String {
    let mut keys = Vec::new();
    push_url_secrets(url, &mut keys);
    mask_values(
        &crate::directus::endpoint::masked_url(url),
        keys.iter().map(String::as_str),
        MASK,
    )
}

/// Whether `url` carries a credential: a password (or a key as user name), a query such as
/// `?access_token=…`, or a path or query segment that reads like a key.
pub(crate) fn url_holds_credential(url: &str) -> bool {
    let mut found = Vec::new();
    push_url_secrets(url, &mut found);
    !found.is_empty() || looks_secret(url)
}

/// Whether a URL segment reads like a key rather than a word or a name: 16 characters or
/// more, with a part that mixes letters and digits (`s/ZAPIERabc123…`, a UUID), unlike
/// `server-everything-2025` or `modelcontextprotocol`.
fn reads_like_key(segment: &str) -> bool {
    segment.chars().count() >= 16
        && segment.split(['-', '_', '.', '~', '%', '+']).any(|part| {
            part.chars().any(|c| c.is_ascii_alphabetic())
                && part.chars().any(|c| c.is_ascii_digit())
        })
}

/// Whether `text` holds more than references (`${VAR}`, `${env:VAR}`, `$VAR`,
/// `{env:VAR}`, `${input:id}`) and scheme words.
fn holds_literal_secret(text: &str) -> bool {
    let mut rest = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '$' | '{' if matches!(chars.peek(), Some('{')) || c == '{' => {
                for inner in chars.by_ref() {
                    if inner == '}' {
                        break;
                    }
                }
            }
            '$' => {
                while chars
                    .peek()
                    .is_some_and(|next| next.is_ascii_alphanumeric() || *next == '_')
                {
                    chars.next();
                }
            }
            other => rest.push(other),
        }
    }
    let rest = rest.to_ascii_lowercase();
    let rest = ["authorization:", "bearer", "basic", "token"]
        .iter()
        .fold(rest, |rest, word| rest.replace(word, ""));
    rest.chars().filter(|c| c.is_alphanumeric()).count() >= 4
}

/// `text` with every value in `secrets` replaced by `mask`: quoted occurrences (JSON and
/// TOML strings) always, bare occurrences when the value is long enough to be unambiguous.
pub(crate) fn mask_values<'a>(
    text: &str,
    secrets: impl IntoIterator<Item = &'a str>,
    mask: &str,
) -> String {
    let mut secrets: Vec<&str> = secrets.into_iter().filter(|s| !s.is_empty()).collect();
    secrets.sort_by_key(|secret| std::cmp::Reverse(secret.len()));
    secrets.dedup();
    let mut text = text.to_owned();
    for secret in secrets {
        let quoted = serde_json::to_string(secret).unwrap_or_default();
        text = text.replace(&quoted, &format!("\"{mask}\""));
        text = text.replace(&format!("'{secret}'"), &format!("'{mask}'"));
        if secret.chars().count() >= 6 {
            text = text.replace(secret, mask);
        }
    }
    text
}

#[cfg(test)]
mod mutant_tests;

#[cfg(test)]
mod tests {
    use super::*;

    fn found(format: Format, text: &str) -> Vec<String> {
        secret_values(format, text)
    }

    #[test]
    fn finds_credentials_by_place_and_by_shape() {
        let text = r#"{
  // a comment
  "mcpServers": {
    "github": { "command": "npx", "env": { "GITHUB_TOKEN": "ghp_neighbour1" } },
    "remote": { "url": "https://x.example/mcp?access_token=urltoken99", "headers": { "X-Api": "hdr-value-1" } },
    "bridge": { "command": "npx", "args": ["mcp-remote", "--header", "Authorization: Bearer argtoken77", "--api-key", "keyvalue55"] },
    "ref": { "headers": { "Authorization": "Bearer ${env:DIRECTUS_MCP_TOKEN}" } },
    "plain": { "command": "node", "args": ["server.js"] },
    "ours": { "command": "/usr/bin/directus-mcp-setup", "args": ["bridge", "--auth", "oauth"] },
    "cli": { "command": "tool", "args": ["--auth", "realsecret42"] }
  },
  "apiKey": "sk-toplevel-1"
}"#;
        let values = found(Format::Jsonc, text);
        for secret in [
            "ghp_neighbour1",
            "urltoken99",
            "hdr-value-1",
            "argtoken77",
            "keyvalue55",
            "sk-toplevel-1",
            "realsecret42",
        ] {
            assert!(
                values.iter().any(|value| value.contains(secret)),
                "{secret} in {values:?}"
            );
        }
        assert!(!values.iter().any(|value| value.contains("${env:")));
        assert!(
            !values
                .iter()
                .any(|value| value == "server.js" || value == "npx" || value == "oauth")
        );
    }

    #[test]
    fn finds_toml_credentials() {
        let text = "[mcp_servers.other]\nurl = \"https://x\"\nbearer_token = 'tomltoken1'\n[mcp_servers.other.http_headers]\nAuthorization = \"Bearer tomlheader2\"\n[mcp_servers.env_ref]\nbearer_token_env_var = \"VAR\"\n";
        let values = found(Format::Toml, text);
        assert!(values.iter().any(|v| v == "tomltoken1"), "{values:?}");
        assert!(values.iter().any(|v| v == "tomlheader2"), "{values:?}");
        let masked = mask_values(text, values.iter().map(String::as_str), "•");
        assert!(!masked.contains("tomltoken1") && !masked.contains("tomlheader2"));
        assert!(masked.contains("bearer_token = '•'"), "{masked}");
    }

    #[test]
    fn masking_keeps_references_and_short_words_readable() {
        let text =
            "\"Authorization\": \"Bearer ${input:directus-token}\", \"n\": \"1\", \"k\": \"1\"";
        assert_eq!(
            mask_values(text, ["1"], "•"),
            text.replace("\"1\"", "\"•\"")
        );
        assert!(!holds_literal_secret("Bearer ${input:directus-token}"));
        assert!(!holds_literal_secret("Authorization:${AUTH_HEADER}"));
        assert!(!holds_literal_secret("$DIRECTUS_MCP_TOKEN"));
        assert!(holds_literal_secret("Bearer 0123abcd"));
    }

    #[test]
    fn env_values_are_secrets_whatever_their_name() {
        let text = r#"{"mcpServers": {"db": {"command": "x", "env": {"DATABASE_URL": "plain-dsn-value-41"}}}}"#;
        let values = found(Format::Jsonc, text);
        assert!(
            values.iter().any(|v| v == "plain-dsn-value-41"),
            "{values:?}"
        );
        let yaml = "mcpServers:\n  - name: db\n    env:\n      DATABASE_URL: plain-dsn-value-41\n";
        let masked = mask_values(
            yaml,
            found(Format::Yaml, yaml).iter().map(String::as_str),
            "•",
        );
        assert!(masked.contains("DATABASE_URL: •"), "{masked}");
    }

    #[test]
    fn the_argument_after_a_header_flag_is_a_secret() {
        for flag in ["--header", "-H"] {
            let text = format!(
                r#"{{"mcpServers": {{"x": {{"command": "npx", "args": ["mcp-remote", "{flag}", "X-Custom: abc123456"]}}}}}}"#
            );
            let values = found(Format::Jsonc, &text);
            assert!(
                values.iter().any(|v| v == "X-Custom: abc123456"),
                "{values:?}"
            );
        }
    }

    #[test]
    fn passwords_in_urls_are_masked_in_every_format() {
        let json = r#"{"mcpServers": {
  "pg": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-postgres", "postgresql://user:PGPASSWORD123@db.example.com/prod"] },
  "basic": { "url": "https://admin:hunter2pw@mcp.example.com/mcp" },
  "short": { "command": "psql", "args": ["postgres://u:pw@h/db"] },
  "dsn": { "command": "x", "options": { "dsn": "mysql://root:rootpass9@127.0.0.1/app" } }
}}"#;
        let masked = mask_values(
            json,
            found(Format::Jsonc, json).iter().map(String::as_str),
            "•",
        );
        for secret in ["PGPASSWORD123", "hunter2pw", ":pw@", "rootpass9"] {
            assert!(!masked.contains(secret), "{secret} in {masked}");
        }
        assert!(
            masked.contains("postgresql://user:•@db.example.com/prod"),
            "the rest of the URL stays readable: {masked}"
        );
        let toml = "[mcp_servers.pg]\ncommand = \"npx\"\nargs = [\"server-postgres\", \"postgresql://user:TOMLPASS123@db/prod\"]\n";
        let yaml = "mcpServers:\n  - name: pg\n    command: npx\n    args:\n      - postgresql://user:YAMLPASS123@db/prod\n";
        for (format, text, secret) in [
            (Format::Toml, toml, "TOMLPASS123"),
            (Format::Yaml, yaml, "YAMLPASS123"),
        ] {
            let masked = mask_values(text, found(format, text).iter().map(String::as_str), "•");
            assert!(!masked.contains(secret), "{masked}");
            assert!(masked.contains("postgresql://user:•@db/prod"), "{masked}");
        }
    }

    #[test]
    fn keys_in_url_paths_and_queries_are_masked() {
        let text = r#"{"mcpServers": {
  "zapier": { "url": "https://mcp.zapier.com/api/mcp/s/ZAPIERSECRETabcdef1234567890/mcp" },
  "uuid": { "command": "npx", "args": ["mcp-remote", "https://mcp.example.com/550e8400-e29b-41d4-a716-446655440000/sse"] },
  "query": { "url": "https://mcp.example.com/mcp?client=cli&k=Q1w2E3r4T5y6U7i8O9p0" },
  "github": { "url": "https://api.githubcopilot.com/mcp/" },
  "everything": { "url": "https://mcp.example.com/server-everything-2025/modelcontextprotocol/mcp" },
  "ours": { "url": "http://127.0.0.1:8055/directus/mcp" }
}}"#;
        let values = found(Format::Jsonc, text);
        let masked = mask_values(text, values.iter().map(String::as_str), "•");
        for secret in [
            "ZAPIERSECRETabcdef1234567890",
            "550e8400-e29b-41d4-a716-446655440000",
            "Q1w2E3r4T5y6U7i8O9p0",
        ] {
            assert!(!masked.contains(secret), "{secret} in {masked}");
        }
        assert!(
            masked.contains("https://mcp.zapier.com/api/mcp/s/•/mcp"),
            "{masked}"
        );
        for readable in [
            "https://api.githubcopilot.com/mcp/",
            "https://mcp.example.com/server-everything-2025/modelcontextprotocol/mcp",
            "http://127.0.0.1:8055/directus/mcp",
            "client=cli",
        ] {
            assert!(masked.contains(readable), "{readable} masked: {masked}");
        }
    }
}

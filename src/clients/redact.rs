//! Finding the credentials in a client's settings file, ours and the user's other servers'
//! alike, so that every view of a change (diff previews, `--dry-run`, `--json`, the app)
//! can mask them. A value counts as a credential by where it sits (a member named like a
//! secret, anything under `env` or `headers`, the argument after `--token`) or by what it
//! says (`Bearer …`, `?access_token=…`); references such as `${env:VAR}` are not secrets
//! and stay readable.

use serde_json::Value;

use crate::config_edit::Format;

/// Member names (lowercase) whose string values are all credentials.
const SECRET_CONTAINERS: [&str; 6] = [
    "env",
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
}

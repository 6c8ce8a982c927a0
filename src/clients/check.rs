//! Proof that a client works: its entry read back as the client will use it, and an MCP
//! handshake with exactly those values; where the client has a command of its own that
//! checks its servers (`claude mcp get`, `codex mcp list`, `gemini mcp list`), that runs too
//! and its line is shown.
//!
//! Token references (`${env:DIRECTUS_MCP_TOKEN}`, `${input:…}`, the bridge) are resolved to
//! the MCP token kept in the OS keyring, which is what the user gives the client. An OAuth
//! entry cannot be proven from here (the client holds its own grant): the check shows that
//! Directus asks for sign-in, and the client's own command, when it has one.

use serde::Serialize;
use ts_rs::TS;

use super::apply::ProgramRunner;
use super::connector::ClientConnector;
pub use super::connector::OwnCheck;
use super::environment::ClientEnvironment;
use super::plan::ProgramRun;
use super::request::Target;
use super::status::{ClientStatus, Expected, FoundAuth};
use crate::directus::DirectusClient;
use crate::secret::SecretString;

/// How a check came out, as the badge shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum CheckOutcome {
    /// A handshake with the entry's own values succeeded (or, for an OAuth entry, the
    /// client's own command says it is connected).
    Works,
    /// The entry is there but does not work (the reason says why).
    Fails,
    /// An OAuth entry: Directus asks for sign-in as expected; the client signs in in its own
    /// window (no proof from here that it has).
    SignsInInClient,
    /// No entry for this Directus.
    NotConnected,
    /// Set up in the client's own window: nothing here to read back.
    CannotCheck,
}

/// What checking one client found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ClientCheck {
    /// The client's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// How it came out.
    pub outcome: CheckOutcome,
    /// What was found, in words.
    pub detail: String,
    /// The tools the handshake listed.
    pub tools: Vec<String>,
    /// The client's own command and the line it printed about Directus (secrets masked).
    pub client_says: Option<String>,
}

/// Checks `client`'s entry for `target` against `expected`, with the handshake sent from
/// `directus` (its HTTP settings: timeouts, no redirects) and the client's own command run
/// by `runner`.
pub async fn check(
    client: &dyn ClientConnector,
    env: &ClientEnvironment,
    target: &Target,
    expected: &Expected,
    directus: &DirectusClient,
    runner: std::sync::Arc<dyn ProgramRunner>,
) -> ClientCheck {
    let report = |outcome, detail: String| ClientCheck {
        id: client.id().to_owned(),
        name: client.name().to_owned(),
        outcome,
        detail,
        tools: Vec::new(),
        client_says: None,
    };
    let status = match client.status(env, target, expected) {
        Ok(status) => status,
        Err(error) => return report(CheckOutcome::Fails, error.to_string()),
    };
    let auth = match status {
        ClientStatus::NotInstalled => {
            return report(
                CheckOutcome::NotConnected,
                "not found on this computer".into(),
            );
        }
        ClientStatus::Installed => {
            return report(
                CheckOutcome::NotConnected,
                "no entry for this Directus".into(),
            );
        }
        ClientStatus::ManualOnly => {
            return report(
                CheckOutcome::CannotCheck,
                format!(
                    "{} is set up in its own window, so there is no entry here to read back",
                    client.name()
                ),
            );
        }
        ClientStatus::Stale { reason, .. } => return report(CheckOutcome::Fails, reason),
        ClientStatus::Connected {
            auth, tool_mode, ..
        } => (auth, tool_mode),
    };
    let (auth, tool_mode) = auth;
    // The handshake goes to the URL the entry holds: its tool mode decides the tools listed.
    let url = tool_mode.apply(&expected.mcp_url).to_string();
    let (token, source) = match &auth {
        FoundAuth::InlineToken(token) => (Some(token.clone()), "the token in its settings"),
        FoundAuth::EnvVar(_) | FoundAuth::Prompt | FoundAuth::Keyring => (
            expected.token.clone(),
            match &auth {
                FoundAuth::EnvVar(_) => {
                    "its environment variable, given the token kept in the OS keyring"
                }
                FoundAuth::Prompt => "its prompt, answered with the token kept in the OS keyring",
                _ => "the token the bridge reads from the OS keyring",
            },
        ),
        FoundAuth::Oauth => (None, "OAuth"),
    };
    let mut outcome = match (&auth, &token) {
        (FoundAuth::Oauth, _) => {
            let answer = sign_in_answer(directus, &url).await;
            report(CheckOutcome::SignsInInClient, answer)
        }
        (_, None) => report(
            CheckOutcome::Fails,
            format!(
                "its entry takes the token from {source}, but no MCP token is kept in the OS keyring for this Directus: create one (Authentication step, or `token create`)"
            ),
        ),
        (_, Some(token)) => {
            match crate::mcp::probe::probe_at(directus, &url, Some(token), Some(false)).await {
                Ok(handshake) => ClientCheck {
                    tools: handshake
                        .tool_names()
                        .into_iter()
                        .map(str::to_owned)
                        .collect(),
                    ..report(
                        CheckOutcome::Works,
                        format!(
                            "MCP handshake with {url} and {source}: {} answered, {} tools ({} tool mode)",
                            handshake.server_name,
                            handshake.tools.len(),
                            tool_mode.as_str()
                        ),
                    )
                },
                Err(error) => report(CheckOutcome::Fails, format!("with {source}: {error}")),
            }
        }
    };
    if let Some(own) = client.own_check(env, target) {
        let secrets: Vec<SecretString> =
            token.iter().chain(expected.token.iter()).cloned().collect();
        let name = target.name.clone();
        // The client's command blocks (and in the app starts through the shell plugin).
        let said = tokio::task::spawn_blocking(move || {
            run_own_check(&own, &name, runner.as_ref(), &secrets)
        })
        .await
        .ok()
        .flatten();
        if outcome.outcome == CheckOutcome::SignsInInClient
            && said.as_deref().is_some_and(says_connected)
        {
            outcome.outcome = CheckOutcome::Works;
            outcome.detail = format!("{}; the client's own check connects", outcome.detail);
        }
        outcome.client_says = said;
    }
    outcome
}

/// How Directus answers a client that has not signed in yet.
async fn sign_in_answer(directus: &DirectusClient, url: &str) -> String {
    let request = crate::mcp::probe::initialize_request(directus, url);
    directus.requests().increment();
    match request.send().await {
        Ok(response) if response.status() == reqwest::StatusCode::UNAUTHORIZED => format!(
            "{url} asks for sign-in (HTTP 401{}): the client signs in with OAuth in its own window",
            if response
                .headers()
                .get(reqwest::header::WWW_AUTHENTICATE)
                .and_then(|value| value.to_str().ok())
                .is_some_and(|value| value.contains("resource_metadata"))
            {
                ", pointing at the sign-in metadata"
            } else {
                ", but without pointing at sign-in metadata: turn MCP OAuth on"
            }
        ),
        Ok(response) => format!(
            "{url} answered HTTP {} to a client that has not signed in (expected 401)",
            response.status().as_u16()
        ),
        Err(error) => crate::transport::no_answer(&error, url).to_string(),
    }
}

/// Runs the client's own check and keeps the lines about our entry, secrets masked.
fn run_own_check(
    own: &OwnCheck,
    name: &str,
    runner: &dyn ProgramRunner,
    secrets: &[SecretString],
) -> Option<String> {
    let command = own.run.display();
    let printed = match runner.run(&own.run) {
        Ok(printed) => printed,
        Err(super::apply::ProgramFailure::Failed { output, .. }) => output,
        Err(super::apply::ProgramFailure::NotRunnable(error)) => {
            return Some(format!("{command}: could not run it ({error})"));
        }
    };
    let printed = without_terminal_colours(&printed);
    let mut lines = (own.lines)(&printed, name);
    if lines.is_empty() {
        lines.push(format!("(nothing about {name})"));
    }
    let text = format!("{command}: {}", lines.join(" · "));
    Some(secrets.iter().fold(text, |text, secret| {
        if secret.expose().is_empty() {
            text
        } else {
            text.replace(secret.expose(), super::plan::MASK)
        }
    }))
}

/// `text` without terminal colour codes (`ESC [ … m`), which some clients print even when
/// not on a terminal.
fn without_terminal_colours(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            for next in chars.by_ref() {
                if next.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether a client's line says the server is connected.
fn says_connected(line: &str) -> bool {
    let lower = line.to_lowercase();
    lower.contains("connected")
        && !lower.contains("not connected")
        && !lower.contains("disconnected")
}

/// A list-style check (`codex mcp list`): `program args…`, in the project for project scope,
/// keeping the lines that name the entry and the client's warnings.
pub(crate) fn list_check(
    env: &ClientEnvironment,
    target: &Target,
    program: &str,
    args: &[&str],
) -> Option<OwnCheck> {
    Some(OwnCheck {
        run: ProgramRun {
            program: env.find_program(program)?,
            args: args.iter().map(|arg| (*arg).to_owned()).collect(),
            cwd: target
                .project_dir
                .clone()
                .filter(|_| target.scope == super::request::Scope::Project),
            rewrites: None,
        },
        lines: |printed, name| {
            let mut lines: Vec<String> = printed
                .lines()
                .map(str::trim)
                .filter(|line| line.starts_with("Warning:"))
                .map(str::to_owned)
                .collect();
            lines.extend(lines_naming(printed, name));
            lines
        },
    })
}

/// The lines of `printed` that name `name` (trimmed), for list-style commands.
pub fn lines_naming(printed: &str, name: &str) -> Vec<String> {
    printed
        .lines()
        .map(str::trim)
        .filter(|line| {
            line.split(|c: char| c.is_whitespace() || c == ':')
                .any(|word| word == name)
        })
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_lines_are_found_by_the_entry_name() {
        let codex = "Name      Url                         Status   Auth\ndirectus  http://127.0.0.1:1/mcp  enabled  Bearer token\ndirectus-old  http://x/mcp  enabled  -";
        assert_eq!(
            lines_naming(codex, "directus"),
            vec!["directus  http://127.0.0.1:1/mcp  enabled  Bearer token"]
        );
        let gemini = "Configured MCP servers:\n\n✓ directus: http://h/mcp (http) - Connected";
        assert_eq!(
            lines_naming(gemini, "directus"),
            vec!["✓ directus: http://h/mcp (http) - Connected"]
        );
    }

    #[test]
    fn terminal_colours_are_dropped() {
        assert_eq!(
            without_terminal_colours("●  ✓ directus \u{1b}[90mconnected\u{1b}[0m"),
            "●  ✓ directus connected"
        );
    }

    #[test]
    fn connected_is_read_as_the_clients_say_it() {
        assert!(says_connected(
            "claude mcp get directus: Status: ✔ Connected"
        ));
        assert!(!says_connected("Status: ✘ Failed to connect"));
        assert!(!says_connected(
            "○ directus: http://h/mcp (http) - Disconnected"
        ));
        assert!(!says_connected("Status: Not connected"));
    }
}

//! Claude Code: `claude mcp add --transport http …` when `claude` is installed, else its
//! files: `~/.claude.json` (user) or the project's `.mcp.json`, `mcpServers.NAME
//! {type: "http", url, headers}`.
//!
//! With `CLAUDE_CONFIG_DIR` set, Claude Code keeps its user file as `.claude.json` inside that
//! folder (and `settings.json` there instead of `~/.claude/`): user-scope servers are read
//! from `$CLAUDE_CONFIG_DIR/.claude.json` (anthropics/claude-code#48448, 2026-04-15;
//! microsoft/apm#2060, 2026-07-06; proven against the real `claude` by
//! `clients_real::claude_config_dir_is_where_claude_reads`; checked 2026-12-02).

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::clients::check::OwnCheck;
use crate::clients::connector::{
    ClientConnector, ClientInfo, Detection, OAuthRegistration, SetupKind,
};
use crate::clients::environment::ClientEnvironment;
use crate::clients::error::ClientError;
use crate::clients::file_client::{
    self, FileClient, one_entry, program_or_folder, scoped_path, url_and_headers,
    with_authorization,
};
use crate::clients::plan::{Plan, ProgramRun, Step};
use crate::clients::request::{AuthMode, ConnectRequest, Scope, Target};
use crate::clients::status::{ClientStatus, Expected, FoundConnection};
use crate::config_edit::{Entry, EntryPath};

/// Claude Code.
pub struct ClaudeCode;

const NAME: &str = "Claude Code";

/// The variable a project's `.mcp.json` reads the token from (the file is shared with the
/// project, so the token is never written there).
pub const PROJECT_TOKEN_VARIABLE: &str = crate::clients::request::SHARED_TOKEN_VARIABLE;

/// The files half of Claude Code.
struct ClaudeCodeFiles;

impl ClaudeCodeFiles {
    /// The folder Claude Code keeps its own files in: `$CLAUDE_CONFIG_DIR` or `~/.claude`.
    fn config_dir(env: &ClientEnvironment) -> PathBuf {
        env.claude_config_dir
            .clone()
            .unwrap_or_else(|| env.home.join(".claude"))
    }

    /// The user-scope file: `.claude.json` in `$CLAUDE_CONFIG_DIR`, else in the home folder.
    fn user_file(env: &ClientEnvironment) -> PathBuf {
        env.claude_config_dir
            .as_deref()
            .unwrap_or(&env.home)
            .join(".claude.json")
    }

    /// The `Authorization` header value, if any.
    fn authorization(request: &ConnectRequest) -> Result<Option<String>, ClientError> {
        request.scoped_authorization(NAME, |variable| format!("${{{variable}}}"))
    }
}

impl FileClient for ClaudeCodeFiles {
    fn id(&self) -> &'static str {
        ClaudeCode.id()
    }

    fn name(&self) -> &'static str {
        ClaudeCode.name()
    }

    fn info(&self) -> ClientInfo {
        ClaudeCode.info()
    }

    fn detect(&self, env: &ClientEnvironment) -> Detection {
        program_or_folder(
            env,
            &["claude"],
            &[Self::user_file(env), Self::config_dir(env)],
        )
    }

    fn config_path(
        &self,
        env: &ClientEnvironment,
        target: &Target,
    ) -> Result<PathBuf, ClientError> {
        scoped_path(NAME, target, Self::user_file(env), Some(".mcp.json"))
    }

    fn entries(
        &self,
        _env: &ClientEnvironment,
        request: &ConnectRequest,
    ) -> Result<Vec<Entry>, ClientError> {
        let url = request.mcp_url.as_str();
        let value = with_authorization(
            json!({ "type": "http", "url": url }),
            Self::authorization(request)?,
        );
        Ok(one_entry(
            self.entry_paths(&request.target.name),
            value,
            &["type", "url", "headers"],
        ))
    }

    fn entry_paths(&self, name: &str) -> Vec<EntryPath> {
        vec![EntryPath::key(&["mcpServers", name])]
    }

    fn holds_secret(&self, request: &ConnectRequest) -> bool {
        request.token_in_user_file()
    }

    fn read_connection(&self, values: &[Option<Value>]) -> Option<FoundConnection> {
        url_and_headers(values, &["url"])
    }

    fn notes(&self, request: &ConnectRequest) -> Vec<String> {
        let mut notes = Vec::new();
        if request.auth == AuthMode::Oauth {
            notes.push(
                "Start Claude Code and run /mcp to sign in to Directus in the browser.".to_owned(),
            );
        }
        if request.auth == AuthMode::Token && request.target.scope == Scope::Project {
            let variable = request
                .token_env_var
                .as_deref()
                .unwrap_or(PROJECT_TOKEN_VARIABLE);
            notes.push(format!(
                ".mcp.json is shared with the project, so it holds no token: export {variable} with the token (see `directus-mcp-setup token show`) before starting Claude Code."
            ));
        }
        notes
    }
}

impl ClaudeCode {
    /// `claude` with the arguments, run in the project for project scope; it rewrites the
    /// scope's settings file.
    fn run(
        program: &std::path::Path,
        env: &ClientEnvironment,
        target: &Target,
        args: Vec<String>,
    ) -> Result<Step, ClientError> {
        Ok(Step::RunProgram(ProgramRun {
            program: program.to_path_buf(),
            args,
            cwd: target
                .project_dir
                .clone()
                .filter(|_| target.scope == Scope::Project),
            rewrites: Some(ClaudeCodeFiles.config_path(env, target)?),
        }))
    }

    /// `mcp remove NAME --scope SCOPE`.
    fn remove_args(target: &Target) -> Vec<String> {
        vec![
            "mcp".into(),
            "remove".into(),
            target.name.clone(),
            "--scope".into(),
            target.scope.as_str().into(),
        ]
    }

    /// The current entry for `target`, if any.
    fn current(env: &ClientEnvironment, target: &Target) -> Result<Option<Value>, ClientError> {
        let path = ClaudeCodeFiles.config_path(env, target)?;
        let values = file_client::entry_values(&ClaudeCodeFiles, &path, &target.name)?;
        Ok(values.and_then(|values| values.into_iter().next().flatten()))
    }
}

impl ClientConnector for ClaudeCode {
    fn own_check(&self, env: &ClientEnvironment, target: &Target) -> Option<OwnCheck> {
        // `claude mcp get` connects to the server and prints its status (and the headers in
        // clear: only the status line is kept).
        let program = env.find_program("claude")?;
        Some(OwnCheck {
            run: ProgramRun {
                program,
                args: vec!["mcp".into(), "get".into(), target.name.clone()],
                cwd: target
                    .project_dir
                    .clone()
                    .filter(|_| target.scope == Scope::Project),
                rewrites: None,
            },
            lines: |printed, _| {
                printed
                    .lines()
                    .map(str::trim)
                    .filter(|line| line.starts_with("Status:") || line.starts_with("No MCP server"))
                    .map(str::to_owned)
                    .collect()
            },
        })
    }

    fn cimd_client_id(&self) -> Option<&'static str> {
        // In the claude binary; used when Directus offers CIMD, else DCR.
        Some("https://claude.ai/oauth/claude-code-client-metadata")
    }

    fn id(&self) -> &'static str {
        "claude-code"
    }

    fn name(&self) -> &'static str {
        NAME
    }

    fn info(&self) -> ClientInfo {
        ClientInfo {
            id: self.id().into(),
            name: self.name().into(),
            setup: SetupKind::CommandOrFile,
            oauth: OAuthRegistration::CimdOrDcr,
            scopes: vec![Scope::User, Scope::Project],
            token_storage: "in ~/.claude.json (readable by you only: 0600; on Windows, your profile folder's access list); a project's .mcp.json reads it from an environment variable".into(),
        }
    }

    fn detect(&self, env: &ClientEnvironment) -> Detection {
        ClaudeCodeFiles.detect(env)
    }

    fn plan_connect(
        &self,
        env: &ClientEnvironment,
        request: &ConnectRequest,
    ) -> Result<Plan, ClientError> {
        // `claude mcp add` only for OAuth in the user's file. A token would be one of its
        // arguments, which every user of the machine can read, so we write it ourselves; and
        // a project's `.mcp.json` is shared (Copilot CLI reads it too) and `claude` rewrites
        // the whole file in its own layout, so we edit only our entry there, keeping every
        // other byte.
        let use_claude = request.auth == AuthMode::Oauth && request.target.scope == Scope::User;
        let claude = env.find_program("claude").filter(|_| use_claude);
        let Some(claude) = claude else {
            return file_client::plan_entry_writes(&ClaudeCodeFiles, env, request);
        };
        let target = &request.target;
        let wanted = ClaudeCodeFiles.entries(env, request)?.remove(0).value;
        let current = Self::current(env, target)?;
        let mut steps = Vec::new();
        if current.is_some() && current != wanted {
            steps.push(Self::run(&claude, env, target, Self::remove_args(target))?);
        }
        if current != wanted {
            let mut args: Vec<String> = vec![
                "mcp".into(),
                "add".into(),
                "--transport".into(),
                "http".into(),
                "--scope".into(),
                target.scope.as_str().into(),
                target.name.clone(),
                request.mcp_url.to_string(),
            ];
            if let Some(header) = ClaudeCodeFiles::authorization(request)? {
                args.extend(["--header".into(), format!("Authorization: {header}")]);
            }
            steps.push(Self::run(&claude, env, target, args)?);
        }
        let mut plan = Plan::new("claude-code", steps);
        plan.notes = ClaudeCodeFiles.notes(request);
        if plan.steps.is_empty() {
            plan.notes
                .insert(0, format!("`{}` is already set up this way.", target.name));
        }
        plan.secrets.extend(request.token.clone());
        Ok(plan)
    }

    /// Always our own edit of the file, even with `claude` installed: the entry may hold
    /// the token (we wrote it), and our edit gives the file back byte for byte with no
    /// backup left holding it; `claude mcp remove` would rewrite the file its own way.
    fn plan_disconnect(
        &self,
        env: &ClientEnvironment,
        target: &Target,
    ) -> Result<Plan, ClientError> {
        file_client::plan_entry_removals(&ClaudeCodeFiles, env, target)
    }

    fn config_file(&self, env: &ClientEnvironment, target: &Target) -> Option<PathBuf> {
        ClaudeCodeFiles.config_path(env, target).ok()
    }

    fn status(
        &self,
        env: &ClientEnvironment,
        target: &Target,
        expected: &Expected,
    ) -> Result<ClientStatus, ClientError> {
        file_client::status(&ClaudeCodeFiles, env, target, expected)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clients::environment::Os;

    #[test]
    fn claude_config_dir_moves_the_user_file_not_the_project_file() {
        let home = tempfile::tempdir().unwrap();
        let mut env = ClientEnvironment::new(Os::Linux, home.path().into(), None, None, None, None);
        let user = Target::new("directus", Scope::User, None).unwrap();
        assert_eq!(
            ClaudeCode.config_file(&env, &user),
            Some(home.path().join(".claude.json"))
        );
        let moved = home.path().join("work");
        env.claude_config_dir = Some(moved.clone());
        assert_eq!(
            ClaudeCode.config_file(&env, &user),
            Some(moved.join(".claude.json"))
        );
        // Detected from that folder alone (no `claude` on the search path here).
        assert!(!ClaudeCode.detect(&env).installed);
        std::fs::create_dir_all(&moved).unwrap();
        assert!(ClaudeCode.detect(&env).installed);
        let project = Target::new("directus", Scope::Project, Some(home.path().into())).unwrap();
        assert_eq!(
            ClaudeCode.config_file(&env, &project),
            Some(home.path().join(".mcp.json"))
        );
    }
}

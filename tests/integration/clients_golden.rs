//! Golden plans: for every client and way of connecting, the exact change (diff, command or
//! steps, notes) made to a realistic existing settings file, compared with
//! `tests/golden/clients/*.txt`. `UPDATE_GOLDEN=1` (that value only) rewrites the files that
//! differ after a deliberate change, and then fails so the run is repeated as a check. A way
//! of connecting that is refused (a token in a project's shared file) has a golden file with
//! its refusal; a golden file that no case reads fails the test.
//! Each connection is then carried out and undone: the file is byte-identical again.

use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::{Path, PathBuf};

use directus_mcp_setup::clients::plan::{ManualSteps, PlanView, StepView};
use directus_mcp_setup::clients::{
    self, AuthMode, ClientEnvironment, ClientError, ConnectRequest, Os, Scope, StdioBridge,
    SystemRunner, Target, TokenAccess,
};
use directus_mcp_setup::secret::SecretString;

const TOKEN: &str = "golden-token-1234567890";
/// A secret of another server in the user's file: never shown in any view.
const NEIGHBOUR_SECRET: &str = "ghp_neighbour0987654321";

/// One way of connecting a client.
struct Case {
    client: &'static str,
    auth: AuthMode,
    scope: Scope,
    inline_token: bool,
    token_env_var: Option<&'static str>,
    mcp_remote: bool,
    oauth_via_bridge: bool,
}

/// Where the golden plans say our CLI is installed.
const BRIDGE_PROGRAM: &str = "/usr/bin/directus-mcp-setup";

impl Case {
    fn name(&self) -> String {
        let mut name = format!(
            "{}-{}",
            self.client,
            match self.auth {
                AuthMode::Oauth => "oauth",
                AuthMode::Token => "token",
            }
        );
        if self.scope == Scope::Project {
            name.push_str("-project");
        }
        if self.inline_token {
            name.push_str("-inline");
        }
        if self.token_env_var.is_some() {
            name.push_str("-env-var");
        }
        if self.mcp_remote {
            name.push_str("-mcp-remote");
        }
        if self.oauth_via_bridge {
            name.push_str("-bridge");
        }
        name
    }
}

fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for client in clients::ids() {
        let client: &'static str = Box::leak(client.into_boxed_str());
        for auth in [AuthMode::Oauth, AuthMode::Token] {
            cases.push(Case {
                client,
                auth,
                scope: Scope::User,
                inline_token: false,
                token_env_var: None,
                mcp_remote: false,
                oauth_via_bridge: false,
            });
        }
    }
    for client in [
        "claude-code",
        "cursor",
        "vscode",
        "gemini",
        "zed",
        "copilot",
        "opencode",
        "qwen",
        "kilo",
        "droid",
        "kiro",
        "auggie",
    ] {
        cases.push(Case {
            client,
            auth: AuthMode::Token,
            scope: Scope::Project,
            inline_token: false,
            token_env_var: None,
            mcp_remote: false,
            oauth_via_bridge: false,
        });
    }
    cases.push(Case {
        client: "vscode",
        auth: AuthMode::Token,
        scope: Scope::User,
        inline_token: true,
        token_env_var: None,
        mcp_remote: false,
        oauth_via_bridge: false,
    });
    cases.push(Case {
        client: "codex",
        auth: AuthMode::Token,
        scope: Scope::User,
        inline_token: false,
        token_env_var: Some("DIRECTUS_MCP_TOKEN"),
        mcp_remote: false,
        oauth_via_bridge: false,
    });
    cases.push(Case {
        client: "claude-desktop",
        auth: AuthMode::Token,
        scope: Scope::User,
        inline_token: false,
        token_env_var: None,
        mcp_remote: true,
        oauth_via_bridge: false,
    });
    cases.push(Case {
        client: "claude-desktop",
        auth: AuthMode::Oauth,
        scope: Scope::User,
        inline_token: false,
        token_env_var: None,
        mcp_remote: false,
        oauth_via_bridge: true,
    });
    cases
}

/// A settings file as users have them: comments, other settings, another server.
fn seed(path: &Path) -> String {
    if path.extension().is_some_and(|ext| ext == "yaml") {
        return format!(
            "# my settings\nname: Local # mine\nmcpServers:\n  - name: other\n    command: other-mcp # keep\n    env:\n      GITHUB_TOKEN: {NEIGHBOUR_SECRET}\nextensions:\n  other:\n    enabled: true\n    type: builtin\n"
        );
    }
    if path.extension().is_some_and(|ext| ext == "toml") {
        format!(
            "# my Codex settings\nmodel = \"o3\"\n\n[mcp_servers.other]\ncommand = \"other-mcp\" # keep\nenv = {{ GITHUB_TOKEN = \"{NEIGHBOUR_SECRET}\" }}\n"
        )
    } else {
        format!(
            "{{\n  // my settings\n  \"theme\": \"dark\",\n  \"mcpServers\": {{\n    \"other\": {{ \"command\": \"other-mcp\", \"env\": {{ \"GITHUB_TOKEN\": \"{NEIGHBOUR_SECRET}\" }} }}, // keep\n  }},\n}}\n"
        )
    }
}

#[test]
fn every_client_plan_matches_its_golden_file_and_undoes_byte_for_byte() {
    let golden_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/clients");
    let update = update_requested();
    let mut mismatches = Vec::new();
    let mut read = BTreeSet::new();
    for case in cases() {
        let home = tempfile::tempdir().unwrap();
        let project = home.path().join("project");
        std::fs::create_dir(&project).unwrap();
        let env =
            ClientEnvironment::new(Os::Linux, home.path().to_path_buf(), None, None, None, None);
        let client = clients::find(case.client).unwrap();
        let target = Target::new("directus", case.scope, Some(project.clone())).unwrap();
        let seeded: Option<(PathBuf, String)> = client.config_file(&env, &target).map(|path| {
            let text = seed(&path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &text).unwrap();
            (path, text)
        });
        let request = ConnectRequest {
            target: target.clone(),
            mcp_url: "https://cms.example.com/mcp".parse().unwrap(),
            auth: case.auth,
            token: Some(SecretString::new(TOKEN)),
            inline_token: case.inline_token,
            token_env_var: case.token_env_var.map(str::to_owned),
            token_access: TokenAccess::Limited,
            stdio_bridge: if case.mcp_remote {
                StdioBridge::McpRemote
            } else {
                StdioBridge::Builtin(BRIDGE_PROGRAM.into())
            },
            oauth_via_bridge: case.oauth_via_bridge,
        };
        let golden = golden_dir.join(format!("{}.txt", case.name()));
        read.insert(golden.clone());
        let plan = match clients::plan_connection(client, &env, &request) {
            // Refused: the refusal is the golden text, so a case that starts (or stops)
            // being refused shows up as a difference, never as a skipped case.
            Err(error @ ClientError::TokenInSharedFile { .. }) if case.scope == Scope::Project => {
                let shown = format!("## refused\n{error}\n")
                    .replace(home.path().to_str().unwrap(), "$HOME");
                compare_with_golden(&golden, &shown, update, &mut mismatches);
                continue;
            }
            plan => plan.unwrap(),
        };
        let shown = readable(&plan.view(false)).replace(home.path().to_str().unwrap(), "$HOME");
        assert!(
            !shown.contains(TOKEN) && !shown.contains(NEIGHBOUR_SECRET),
            "{}: the token and the neighbour's secret are masked:\n{shown}",
            case.name()
        );
        if case.scope == Scope::Project {
            assert!(
                !plan_holds_secret(&plan),
                "{}: no token in a project",
                case.name()
            );
        }
        compare_with_golden(&golden, &shown, update, &mut mismatches);

        // Carry it out, then undo it.
        clients::apply(&plan, &SystemRunner).unwrap();
        if let Some((path, before)) = &seeded {
            let written = std::fs::read_to_string(path).unwrap();
            let holds_token = written.contains(TOKEN);
            assert_eq!(holds_token, plan_holds_secret(&plan), "{}", case.name());
            // Connecting again over the entry (a rotated token) shows no old secret either.
            let mut rotated = request.clone();
            rotated.token = Some(SecretString::new("golden-rotated-0987654321"));
            let again = clients::plan_connection(client, &env, &rotated).unwrap();
            let again_shown = format!("{:?}", again.view(false));
            assert!(
                !again_shown.contains(TOKEN) && !again_shown.contains("golden-rotated"),
                "{}: reconnect view masks old and new token:\n{again_shown}",
                case.name()
            );
            let undo = client.plan_disconnect(&env, &target).unwrap();
            let undo_shown = readable(&undo.view(false));
            assert!(
                !undo_shown.contains(TOKEN) && !undo_shown.contains(NEIGHBOUR_SECRET),
                "{}: the disconnect view masks every secret:\n{undo_shown}",
                case.name()
            );
            let undone = clients::apply(&undo, &SystemRunner).unwrap();
            assert_eq!(
                &std::fs::read_to_string(path).unwrap(),
                before,
                "{}: undo",
                case.name()
            );
            let backup = path.with_file_name(format!(
                "{}.directus-mcp-setup.bak",
                path.file_name().unwrap().to_string_lossy()
            ));
            assert!(
                !backup.exists() && undone.files.iter().all(|file| file.backup.is_none()),
                "{}: no backup outlives the disconnect",
                case.name()
            );
        }
    }
    let unread: Vec<String> = std::fs::read_dir(&golden_dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| !read.contains(path))
        .map(|path| path.display().to_string())
        .collect();
    assert!(
        unread.is_empty(),
        "golden files that no case reads (a case was dropped or renamed): {unread:?}"
    );
    if update {
        assert!(
            mismatches.is_empty(),
            "UPDATE_GOLDEN=1 rewrote these golden files; review them and run again without it:\n{}",
            mismatches.join("\n")
        );
    }
    assert!(
        mismatches.is_empty(),
        "plans differ from their golden files (UPDATE_GOLDEN=1 rewrites them):\n{}",
        mismatches.join("\n\n")
    );
}

/// Whether the golden files are to be rewritten: `UPDATE_GOLDEN=1` exactly (any other value,
/// `0` or empty included, compares).
fn update_requested() -> bool {
    std::env::var("UPDATE_GOLDEN").as_deref() == Ok("1")
}

/// Compares `shown` with the golden file; a difference is listed in `mismatches` (and, when
/// updating, the file is rewritten).
fn compare_with_golden(golden: &Path, shown: &str, update: bool, mismatches: &mut Vec<String>) {
    if std::fs::read_to_string(golden).ok().as_deref() == Some(shown) {
        return;
    }
    if update {
        std::fs::write(golden, shown).unwrap();
        mismatches.push(golden.display().to_string());
    } else {
        mismatches.push(format!("{}:\n{shown}", golden.display()));
    }
}

fn plan_holds_secret(plan: &clients::Plan) -> bool {
    plan.steps
        .iter()
        .any(|step| matches!(step, clients::Step::EditFile(edit) if edit.holds_secret))
}

/// The plan as a reviewer reads it: diffs as diffs, steps numbered.
fn readable(view: &PlanView) -> String {
    let mut out = String::new();
    for step in &view.steps {
        match step {
            StepView::EditFile {
                path,
                change,
                diff,
                holds_secret,
            } => {
                let _ = writeln!(out, "## {change} {path} (holds the token: {holds_secret})");
                out.push_str(diff);
            }
            StepView::RunProgram { command } => {
                let _ = writeln!(out, "## run {command}");
            }
            StepView::Manual(manual) => manual_steps(&mut out, "by hand", manual),
        }
    }
    for alternative in &view.alternatives {
        manual_steps(&mut out, "alternative", alternative);
    }
    for note in &view.notes {
        let _ = writeln!(out, "## note\n{note}");
    }
    out
}

fn manual_steps(out: &mut String, kind: &str, manual: &ManualSteps) {
    let _ = writeln!(out, "## {kind}: {}", manual.title);
    for (number, step) in manual.steps.iter().enumerate() {
        let _ = write!(out, "{}. {}", number + 1, step.text);
        if let Some(copy) = &step.copy {
            let _ = write!(
                out,
                " [{} = {}{}]",
                copy.label,
                copy.value,
                if copy.secret { ", secret" } else { "" }
            );
        }
        out.push('\n');
    }
    if let Some(link) = &manual.link {
        let _ = writeln!(out, "link [{} = {}]", link.label, link.value);
    }
}

/// VS Code with two profiles (one with its own servers, one without an `mcp.json` yet):
/// one file edit per profile, each in the golden file, and each undone byte for byte.
#[test]
fn a_vscode_plan_with_profiles_edits_every_profile_and_undoes_each() {
    let golden =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/vscode-profiles/token.txt");
    let home = tempfile::tempdir().unwrap();
    let env = ClientEnvironment::new(Os::Linux, home.path().to_path_buf(), None, None, None, None);
    let user = home.path().join(".config/Code/User");
    std::fs::create_dir_all(user.join("globalStorage")).unwrap();
    std::fs::create_dir_all(user.join("profiles/-5ae0ba4c")).unwrap();
    std::fs::create_dir_all(user.join("profiles/3f1")).unwrap();
    std::fs::write(
        user.join("globalStorage/storage.json"),
        r#"{"userDataProfiles":[{"location":"-5ae0ba4c","name":"Work"},{"location":"3f1","name":"Play"}]}"#,
    )
    .unwrap();
    let seeded = [
        user.join("mcp.json"),
        user.join("profiles/-5ae0ba4c/mcp.json"),
    ];
    for path in &seeded {
        std::fs::write(path, seed(path)).unwrap();
    }
    let fresh = user.join("profiles/3f1/mcp.json");
    let client = clients::find("vscode").unwrap();
    let target = Target::new("directus", Scope::User, None).unwrap();
    let request = ConnectRequest {
        target: target.clone(),
        mcp_url: "https://cms.example.com/mcp".parse().unwrap(),
        auth: AuthMode::Token,
        token: Some(SecretString::new(TOKEN)),
        inline_token: false,
        token_env_var: None,
        token_access: TokenAccess::Limited,
        stdio_bridge: StdioBridge::Builtin(BRIDGE_PROGRAM.into()),
        oauth_via_bridge: false,
    };
    let plan = clients::plan_connection(client, &env, &request).unwrap();
    assert_eq!(plan.steps.len(), 3, "one edit per profile");
    let shown = readable(&plan.view(false)).replace(home.path().to_str().unwrap(), "$HOME");
    assert!(!shown.contains(TOKEN) && !shown.contains(NEIGHBOUR_SECRET));
    let kept = std::fs::read_to_string(&golden).ok();
    if kept.as_deref() != Some(shown.as_str()) {
        // Only `UPDATE_GOLDEN=1` rewrites, and the run still fails so it is repeated.
        if std::env::var("UPDATE_GOLDEN").as_deref() == Ok("1") {
            std::fs::write(&golden, &shown).unwrap();
        }
        panic!(
            "{} differs (UPDATE_GOLDEN=1 rewrites it, then run again):\n{shown}",
            golden.display()
        );
    }
    clients::apply(&plan, &SystemRunner).unwrap();
    assert!(
        std::fs::read_to_string(&fresh)
            .unwrap()
            .contains("cms.example.com")
    );

    let undo = client.plan_disconnect(&env, &target).unwrap();
    clients::apply(&undo, &SystemRunner).unwrap();
    for path in &seeded {
        assert_eq!(
            std::fs::read_to_string(path).unwrap(),
            seed(path),
            "{}",
            path.display()
        );
    }
    assert!(!fresh.exists(), "the file our connect made is gone again");
    let mut left: Vec<String> = std::fs::read_dir(user.join("profiles/-5ae0ba4c"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["mcp.json"], "no backup outlives the disconnect");
}

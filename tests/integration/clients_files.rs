//! What `connect` and `disconnect` do to the files on disk, through the real CLI: nothing
//! lost, nothing torn, secrets owner-only, broken files left alone with a precise error.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::support::clients::Home;
use crate::support::{cli, exclusive, shared, shown_token};

const URL: &str = "https://cms.example.com";

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn names_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_malformed_file_is_left_untouched_with_its_line_and_column() {
    let home = Home::new();
    let folder = home.path().join(".cursor");
    std::fs::create_dir(&folder).unwrap();
    let broken = "{\n  \"mcpServers\": {\n    \"a\": { \"url\": \"x\" }\n    \"b\": 1\n  }\n}\n";
    std::fs::write(folder.join("mcp.json"), broken).unwrap();
    let run = home.cli(false, &["connect", "cursor", "--url", URL]);
    let error = run.failure(1);
    assert!(error.contains(".cursor/mcp.json"), "{error}");
    assert!(error.contains("line 3, column 24"), "{error}");
    assert!(error.contains("left untouched"), "{error}");
    assert_eq!(
        std::fs::read_to_string(folder.join("mcp.json")).unwrap(),
        broken
    );
    assert_eq!(
        names_in(&folder),
        ["mcp.json"],
        "no backup, no temporary file"
    );

    // A file of the wrong shape is refused the same way.
    std::fs::write(folder.join("mcp.json"), "{\"mcpServers\": [1]}").unwrap();
    let error = home
        .cli(false, &["connect", "cursor", "--url", URL])
        .failure(1)
        .to_owned();
    assert!(
        error.contains("`mcpServers` holds a list, where an object was expected"),
        "{error}"
    );
}

#[test]
fn a_dry_run_shows_the_diff_with_the_token_masked_and_changes_nothing() {
    let home = Home::new();
    let folder = home.path().join(".gemini");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("settings.json"), "{ \"theme\": \"dark\" }\n").unwrap();
    let run = home.cli(
        false,
        &[
            "connect",
            "gemini",
            "--auth",
            "token",
            "--token",
            "s3cret-value",
            "--dry-run",
            "--url",
            URL,
        ],
    );
    run.ok();
    assert!(run.stdout.contains("Would update"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("+      \"url\": \"https://cms.example.com/mcp\","),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Bearer ••••••••"), "{}", run.stdout);
    assert!(!run.stdout.contains("s3cret-value") && !run.stderr.contains("s3cret-value"));
    assert_eq!(
        home.read(".gemini/settings.json").unwrap(),
        "{ \"theme\": \"dark\" }\n"
    );
    assert_eq!(names_in(&folder), ["settings.json"]);
}

#[test]
fn connect_writes_through_a_symlink_and_disconnect_restores_every_byte() {
    let home = Home::new();
    // Dotfiles kept in a repository and linked into place; CRLF and a BOM, as an editor on
    // Windows saves them.
    let dotfiles = home.path().join("dotfiles");
    std::fs::create_dir(&dotfiles).unwrap();
    let original = "\u{feff}{\r\n\t// my servers\r\n\t\"servers\": {\r\n\t\t\"x\": {\"type\": \"stdio\", \"command\": \"x\"}, // keep\r\n\t},\r\n\t\"inputs\": [],\r\n}\r\n";
    std::fs::write(dotfiles.join("mcp.json"), original).unwrap();
    std::fs::set_permissions(
        dotfiles.join("mcp.json"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    let user = home.path().join(".config/Code/User");
    std::fs::create_dir_all(&user).unwrap();
    std::os::unix::fs::symlink("../../../dotfiles/mcp.json", user.join("mcp.json")).unwrap();

    let connected = home
        .cli(
            false,
            &[
                "--json", "connect", "vscode", "--auth", "token", "--token", "t0k", "--url", URL,
            ],
        )
        .json();
    assert_eq!(
        connected["applied"]["files"][0]["path"],
        dotfiles.join("mcp.json").display().to_string()
    );
    assert!(
        std::fs::symlink_metadata(user.join("mcp.json"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let written = std::fs::read_to_string(dotfiles.join("mcp.json")).unwrap();
    assert!(written.starts_with('\u{feff}') && !written.replace("\r\n", "").contains('\n'));
    assert!(written.contains("\"Bearer ${input:directus-token}\"") && !written.contains("t0k"));
    assert_eq!(
        mode(&dotfiles.join("mcp.json")),
        0o644,
        "no token in it: permissions kept"
    );

    // Inline token: the file is made owner-only.
    home.cli(
        false,
        &[
            "connect",
            "vscode",
            "--auth",
            "token",
            "--token",
            "t0k",
            "--inline-token",
            "--url",
            URL,
        ],
    )
    .ok();
    assert_eq!(mode(&dotfiles.join("mcp.json")), 0o600);

    home.cli(false, &["disconnect", "vscode"]).ok();
    let restored = std::fs::read_to_string(dotfiles.join("mcp.json")).unwrap();
    assert_eq!(restored, original);
    assert!(
        std::fs::symlink_metadata(user.join("mcp.json"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn disconnect_after_the_user_edited_the_file_keeps_their_edits() {
    let home = Home::new();
    home.cli(false, &["connect", "windsurf", "--url", URL]).ok();
    let path = home.path().join(".codeium/windsurf/mcp_config.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = text.replacen("{\n", "{\n  // added by hand\n  \"theme\": 1,\n", 1);
    std::fs::write(&path, &edited).unwrap();
    home.cli(false, &["disconnect", "windsurf"]).ok();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "{\n  // added by hand\n  \"theme\": 1\n}\n"
    );
    // A second disconnect finds nothing to do and says so.
    let again = home.cli(false, &["disconnect", "windsurf"]);
    assert!(
        again.ok().stdout.contains("nothing to change"),
        "{}",
        again.stdout
    );
}

#[tokio::test]
async fn status_tells_connected_from_stale_url_and_stale_token() {
    let server = shared();
    let _guard = exclusive().await;
    let home = Home::new();
    let status = |url: &str| {
        let listed = home.cli(false, &["--json", "clients", "--url", url]).json();
        listed["clients"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row["id"] == "cursor")
            .unwrap()
            .clone()
    };
    let row = status(&server.url);
    assert_eq!(row["status"]["state"], "not-installed");
    assert_eq!(row["detected"]["installed"], false);

    // The token kept in the keyring is the current one: connected.
    let current = shown_token(server, "content-editor");
    home.cli(
        false,
        &["connect", "cursor", "--auth", "token", "--url", &server.url],
    )
    .ok();
    let row = status(&server.url);
    assert_eq!(row["status"]["state"], "connected", "{row}");
    assert_eq!(row["status"]["auth"]["kind"], "inline-token");
    assert!(
        !row.to_string().contains(&current),
        "the token is not shown: {row}"
    );
    assert_eq!(row["detected"]["installed"], true);

    // Rotated since: the file holds an old token.
    cli(server, &["token", "rotate"]).ok();
    let row = status(&server.url);
    assert_eq!(row["status"]["state"], "stale", "{row}");
    assert!(
        row["status"]["reason"]
            .as_str()
            .unwrap()
            .contains("old token"),
        "{row}"
    );

    // Another Directus: the entry points elsewhere.
    let row = status("https://other.example.com");
    assert_eq!(row["status"]["state"], "stale", "{row}");
    assert!(
        row["status"]["reason"]
            .as_str()
            .unwrap()
            .contains(&format!("{}/mcp", server.url))
    );
}

#[test]
fn wrong_requests_are_refused_with_what_to_do() {
    let home = Home::new();
    let unknown = home.cli(false, &["connect", "notepad", "--url", URL]);
    assert!(unknown.failure(2).contains("claude-code"));
    let scope = home.cli(
        false,
        &["connect", "windsurf", "--scope", "project", "--url", URL],
    );
    assert!(scope.failure(2).contains("use --scope user"));
    let name = home.cli(false, &["connect", "cursor", "--name", "a b", "--url", URL]);
    assert!(name.failure(2).contains("letters, digits"));
    let no_token = home.cli(
        false,
        &["connect", "cursor", "--auth", "token", "--url", URL],
    );
    assert!(
        no_token.failure(1).contains("token create"),
        "{}",
        no_token.stderr
    );
    assert!(!home.path().join(".cursor").exists(), "nothing written");
}

/// Kills the CLI at many moments while it rewrites a large file: each time, the file is
/// exactly the old text or exactly the new one.
#[test]
fn a_write_killed_midway_leaves_the_old_or_the_new_file_never_a_torn_one() {
    let home = Home::new();
    let folder = home.path().join(".cursor");
    std::fs::create_dir(&folder).unwrap();
    let filler: Vec<String> = (0..40_000)
        .map(|i| format!("    \"server-{i}\": {{ \"url\": \"https://s{i}.example\" }}, // #{i}"))
        .collect();
    let old = format!(
        "{{\n  \"mcpServers\": {{\n{}\n  }}\n}}\n",
        filler.join("\n")
    );
    let path = folder.join("mcp.json");
    let program = env!("CARGO_BIN_EXE_directus-mcp-setup");
    let env = home.env(&home.path_without_clients);

    // The new text, from an uninterrupted run; and how long a run takes.
    std::fs::write(&path, &old).unwrap();
    let started = Instant::now();
    home.cli(false, &["connect", "cursor", "--url", URL]).ok();
    let full_run = started.elapsed();
    let new = std::fs::read_to_string(&path).unwrap();
    assert_ne!(new, old);

    let (mut saw_old, mut saw_new) = (0, 0);
    for attempt in 0..16u32 {
        std::fs::write(&path, &old).unwrap();
        let mut child = Command::new(program)
            .env_clear()
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .args(["connect", "cursor", "--url", URL])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(full_run.mul_f64(f64::from(attempt) / 12.0));
        child.kill().ok(); // SIGKILL
        child.wait().unwrap();
        let now = std::fs::read_to_string(&path).unwrap();
        if now == old {
            saw_old += 1;
        } else {
            assert!(
                now == new,
                "attempt {attempt}: the file is torn ({} bytes)",
                now.len()
            );
            saw_new += 1;
        }
    }
    assert!(saw_old > 0, "some runs were killed before the rename");
    // Whatever the kills left behind, the next run that writes the file cleans up once it
    // is old enough not to be another run's write in progress (the last attempts may have
    // completed: then the file is put back to its old text, so the next run has to write).
    std::fs::write(&path, &old).unwrap();
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for name in names_in(&folder)
        .into_iter()
        .filter(|n| n.ends_with(".tmp"))
    {
        std::fs::File::options()
            .write(true)
            .open(folder.join(name))
            .and_then(|file| file.set_modified(hour_ago))
            .unwrap();
    }
    home.cli(false, &["connect", "cursor", "--url", URL]).ok();
    let left: Vec<String> = names_in(&folder)
        .into_iter()
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    eprintln!("killed runs: {saw_old} left the old file, {saw_new} the new one");
}

/// Two processes connect and disconnect the same file many times at once, each with its
/// own entry: with the lock around read → check → backup → rename, no edit is lost, the
/// file is always valid, and the user's own content survives. Only its own process touches
/// an entry, so after each run the file must hold that process's last word: its entry
/// present after a connect, absent after a disconnect (unchanged after a refusal). A run
/// that wrote over the other's fresh edit (a lost update) breaks that.
#[test]
fn two_processes_editing_one_file_lose_nothing() {
    let home = Home::new();
    let folder = home.path().join(".cursor");
    std::fs::create_dir(&folder).unwrap();
    let path = folder.join("mcp.json");
    let original = "{\n  // mine\n  \"mcpServers\": {\n    \"mine\": { \"url\": \"https://mine.example\" }\n  }\n}\n";
    std::fs::write(&path, original).unwrap();
    let rounds = 25;
    let workers: Vec<_> = ["first", "second"]
        .into_iter()
        .map(|name| {
            let env = home.env(&home.path_without_clients);
            let path = path.clone();
            std::thread::spawn(move || {
                let env: Vec<(&str, &str)> =
                    env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                let key = format!("\"{name}\"");
                let mut refused = 0;
                let mut present = false;
                let mut lost = Vec::new();
                for round in 0..rounds {
                    for action in ["connect", "disconnect"] {
                        let run = crate::support::cli_with_env(
                            &env,
                            &[action, "cursor", "--name", name, "--url", URL],
                        );
                        match run.code {
                            0 => present = action == "connect",
                            // Another run changed the file between plan and apply: refused
                            // untouched, as promised, never overwritten.
                            1 if run.stderr.contains("changed") => refused += 1,
                            code => panic!("{name} {action}: exit {code}: {}", run.stderr),
                        }
                        let text = std::fs::read_to_string(&path).unwrap();
                        if text.contains(&key) != present {
                            lost.push(format!(
                                "round {round}, after {action}: {name} should be {}:\n{text}",
                                if present { "there" } else { "gone" }
                            ));
                        }
                    }
                }
                (refused, lost)
            })
        })
        .collect();
    let (mut refused, mut lost) = (0, Vec::new());
    for worker in workers {
        let (worker_refused, worker_lost) = worker.join().unwrap();
        refused += worker_refused;
        lost.extend(worker_lost);
    }
    assert!(lost.is_empty(), "edits lost:\n{}", lost.join("\n"));
    // Both entries out again (a last disconnect each, in case a refused one left it in).
    for name in ["first", "second"] {
        home.cli(
            false,
            &["disconnect", "cursor", "--name", name, "--url", URL],
        )
        .ok();
    }
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("\"mine\"") && text.contains("// mine"),
        "{text}"
    );
    assert!(
        !text.contains("\"first\"") && !text.contains("\"second\""),
        "{text}"
    );
    let left: Vec<String> = names_in(&folder)
        .into_iter()
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    eprintln!(
        "{refused} of {} runs were refused as changed meanwhile",
        rounds * 4
    );
}

/// Every file and link under `root`: a link as where it points (never followed), a file as
/// its bytes.
fn tree(root: &Path) -> std::collections::BTreeMap<String, String> {
    let mut found = std::collections::BTreeMap::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            let name = path.strip_prefix(root).unwrap().display().to_string();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            if meta.file_type().is_symlink() {
                let target = std::fs::read_link(&path).unwrap();
                found.insert(name, format!("-> {}", target.display()));
            } else if meta.is_dir() {
                found.insert(format!("{name}/"), String::new());
                folders.push(path);
            } else {
                found.insert(name, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    found
}

/// A cloned repository can ship symbolic links. A team setup follows those that stay in the
/// project and refuses, naming the link and where it points, those that leave it: to a
/// folder elsewhere, to a file not there yet (whose folders would be made), or to the
/// user's own settings. Nothing outside the project is created or changed; the other
/// clients are done, and undone, as usual.
#[test]
fn a_team_setup_refuses_links_out_of_the_project_and_does_the_other_clients() {
    use std::os::unix::fs::symlink;
    let home = Home::new();
    let project = home.path().join("repo");
    let outside = home.path().join("outside");
    std::fs::create_dir_all(project.join(".gemini")).unwrap();
    std::fs::create_dir_all(project.join("config")).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::create_dir_all(home.path().join(".gemini")).unwrap();
    let user_settings = home.path().join(".gemini/settings.json");
    std::fs::write(&user_settings, "{ \"theme\": \"mine\" }\n").unwrap();
    let dangling = outside.join("deep/new/created.json");
    symlink(&outside, project.join(".cursor")).unwrap();
    symlink(&dangling, project.join(".mcp.json")).unwrap();
    symlink(&user_settings, project.join(".gemini/settings.json")).unwrap();
    // A link that stays inside the project is fine.
    symlink("config", project.join(".vscode")).unwrap();
    let project_before = tree(&project);
    // The home's own names (its `.cache` holds this user's lock files).
    let home_names = || -> Vec<String> {
        names_in(home.path())
            .into_iter()
            .filter(|name| name != ".cache")
            .collect()
    };
    let home_before = home_names();

    let dir = project.to_str().unwrap();
    let team = ["--scope", "project", "--project-dir", dir, "--url", URL];
    let connect_all = [
        &["--json", "connect", "--all", "--auth", "oauth"][..],
        &team,
    ]
    .concat();
    let disconnect_all = [&["--json", "disconnect", "--all"][..], &team[..4]].concat();
    for (round, args) in [connect_all, disconnect_all].into_iter().enumerate() {
        let run = home.cli(false, &args);
        assert_eq!(run.code, 1, "{} {}", run.stdout, run.stderr);
        let output: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let failures: std::collections::BTreeMap<String, String> = output["failures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|failure| {
                (
                    failure["client"].as_str().unwrap().to_owned(),
                    failure["error"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let expected = [
            ("claude-code", ".mcp.json", &dangling),
            ("copilot", ".mcp.json", &dangling),
            ("cursor", ".cursor", &outside),
            ("gemini", ".gemini/settings.json", &user_settings),
        ];
        assert_eq!(
            failures.keys().collect::<Vec<_>>(),
            expected.iter().map(|(id, ..)| *id).collect::<Vec<_>>(),
            "{output}"
        );
        for (id, link, points_to) in expected {
            let why = &failures[id];
            assert!(
                why.contains(&format!(
                    "{} is a symbolic link to {}, which leads out of the project folder",
                    project.join(link).display(),
                    points_to.display()
                )),
                "{id}: {why}"
            );
        }
        assert_eq!(output["changes"].as_array().unwrap().len(), 12, "{output}");
        // Nothing outside the project was made or changed.
        assert_eq!(names_in(&outside), Vec::<String>::new());
        assert!(!outside.join("deep").exists());
        assert_eq!(
            std::fs::read_to_string(&user_settings).unwrap(),
            "{ \"theme\": \"mine\" }\n"
        );
        assert_eq!(home_names(), home_before);
        if round == 0 {
            // Through the link that stays inside, and the link kept.
            let written = std::fs::read_to_string(project.join("config/mcp.json")).unwrap();
            assert!(written.contains("https://cms.example.com/mcp"), "{written}");
            assert!(project.join("opencode.json").is_file());
        }
    }
    assert_eq!(tree(&project), project_before, "every other client undone");
}

/// Two `mcpServers` in one file: Cursor reads the last, so editing the first would say
/// "connected" while Cursor uses the other. Refused, with both lines, the file untouched.
#[test]
fn a_key_written_twice_on_the_way_to_the_entry_is_refused_with_both_lines() {
    let home = Home::new();
    let folder = home.path().join(".cursor");
    std::fs::create_dir(&folder).unwrap();
    let text = "{\n  \"mcpServers\": {\n    \"directus\": { \"url\": \"https://first.example/mcp\" }\n  },\n  \"mcpServers\": {\n    \"directus\": { \"url\": \"https://evil2.example/mcp\" }\n  }\n}\n";
    std::fs::write(folder.join("mcp.json"), text).unwrap();
    for args in [
        &["connect", "cursor", "--url", URL][..],
        &["disconnect", "cursor", "--url", URL][..],
    ] {
        let run = home.cli(false, args);
        let error = run.failure(1);
        assert!(
            error.contains("`mcpServers` is written twice in the same place, at lines 2 and 5"),
            "{error}"
        );
        assert!(error.contains("left untouched"), "{error}");
        assert_eq!(
            std::fs::read_to_string(folder.join("mcp.json")).unwrap(),
            text
        );
        assert_eq!(
            names_in(&folder),
            ["mcp.json"],
            "no backup, no temporary file"
        );
    }
}

/// Connect makes a file holding a token owner-only; disconnect gives back its bytes and its
/// permissions. A file without a token keeps its permissions throughout.
#[test]
fn disconnect_gives_back_the_permissions_connect_tightened() {
    let home = Home::new();
    let folder = home.path().join(".cursor");
    std::fs::create_dir(&folder).unwrap();
    let path = folder.join("mcp.json");
    let original = "{\n  \"mcpServers\": {}\n}\n";
    for (before, auth) in [(0o644, "token"), (0o640, "oauth")] {
        std::fs::write(&path, original).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(before)).unwrap();
        let mut connect = vec!["connect", "cursor", "--auth", auth, "--url", URL];
        if auth == "token" {
            connect.extend(["--token", "t0k"]);
        }
        home.cli(false, &connect).ok();
        let expected = if auth == "token" { 0o600 } else { before };
        assert_eq!(mode(&path), expected, "{auth}");
        home.cli(false, &["disconnect", "cursor", "--url", URL])
            .ok();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), original, "{auth}");
        assert_eq!(mode(&path), before, "{auth}");
    }
}

/// A new file (and its folder) gets what the user's umask allows, as any program's would.
#[test]
fn a_new_file_respects_the_umask() {
    let program = env!("CARGO_BIN_EXE_directus-mcp-setup");
    for (umask, file_mode, folder_mode) in [("077", 0o600, 0o700), ("022", 0o644, 0o755)] {
        let home = Home::new();
        let output = Command::new("sh")
            .args(["-c", &format!("umask {umask} && exec \"$0\" \"$@\"")])
            .arg(program)
            .args(["connect", "cursor", "--url", URL])
            .env_clear()
            .envs(home.env(&home.path_without_clients))
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        let path = home.path().join(".cursor/mcp.json");
        assert_eq!(mode(&path), file_mode, "umask {umask}");
        assert_eq!(mode(path.parent().unwrap()), folder_mode, "umask {umask}");
    }
}

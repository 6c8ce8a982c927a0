//! VS Code's variants (Insiders, VSCodium) and profiles, through the real CLI in a
//! synthetic home: every profile's `mcp.json` connected, shown, narrowed and given back
//! byte for byte.

use std::path::{Path, PathBuf};

use crate::support::clients::Home;

const URL: &str = "https://cms.example.com";

/// A user's `mcp.json` with their own server and a comment.
fn users_file(owner: &str) -> String {
    format!(
        "{{\n  // {owner}'s servers\n  \"servers\": {{\n    \"x\": {{ \"type\": \"stdio\", \"command\": \"x-mcp\" }}, // keep\n  }},\n}}\n"
    )
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Every file below `folder`, with its bytes.
fn tree(folder: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut found = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            // Our own settings (the project list connect records on) are no client's file.
            if path.ends_with("directus-mcp-setup") {
                continue;
            } else if path.is_dir() {
                pending.push(path);
            } else {
                found.push((path.clone(), std::fs::read(&path).unwrap()));
            }
        }
    }
    found.sort();
    found
}

/// A home with VS Code (profiles Work, with its own servers, and Play, without an
/// `mcp.json` yet, plus one sharing the default's servers), Insiders and VSCodium.
fn home_with_variants() -> Home {
    let home = Home::new();
    let config = home.path().join(".config");
    let code = config.join("Code/User");
    write(&code.join("mcp.json"), &users_file("default"));
    write(
        &code.join("globalStorage/storage.json"),
        r#"{"theme":"dark","userDataProfiles":[{"location":"-5ae0ba4c","name":"Work"},{"location":"3f1","name":"Play"},{"location":"77","name":"Shares","useDefaultFlags":{"mcp":true}}]}"#,
    );
    write(
        &code.join("profiles/-5ae0ba4c/mcp.json"),
        &users_file("work"),
    );
    std::fs::create_dir_all(code.join("profiles/3f1")).unwrap();
    std::fs::create_dir_all(code.join("profiles/77")).unwrap();
    write(
        &config.join("Code - Insiders/User/mcp.json"),
        &users_file("insiders"),
    );
    std::fs::create_dir_all(config.join("VSCodium/User")).unwrap();
    home
}

fn connect(home: &Home, client: &str) {
    home.cli(
        false,
        &[
            "connect", client, "--auth", "token", "--token", "t0k", "--url", URL,
        ],
    )
    .ok();
}

fn clients_row(home: &Home, id: &str) -> String {
    let run = home.cli(false, &["clients", "--url", URL]);
    run.ok();
    run.stdout
        .lines()
        .find(|line| line.split_whitespace().next() == Some(id))
        .unwrap_or_else(|| panic!("no row {id}:\n{}", run.stdout))
        .to_owned()
}

#[test]
fn every_profile_and_variant_is_connected_shown_and_given_back_byte_for_byte() {
    let home = home_with_variants();
    let config = home.path().join(".config");
    let before = tree(&config);

    connect(&home, "vscode");
    let code = config.join("Code/User");
    for file in [
        code.join("mcp.json"),
        code.join("profiles/-5ae0ba4c/mcp.json"),
        code.join("profiles/3f1/mcp.json"),
    ] {
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            text.contains("\"directus\"") && text.contains("https://cms.example.com/mcp"),
            "{}: {text}",
            file.display()
        );
        assert!(!text.contains("t0k"), "the token is asked for, not written");
    }
    assert!(
        !code.join("profiles/77/mcp.json").exists(),
        "a profile sharing the default's servers gets no file of its own"
    );
    assert!(
        std::fs::read_to_string(code.join("profiles/-5ae0ba4c/mcp.json"))
            .unwrap()
            .contains("// work's servers"),
        "the profile's own servers and comments stay"
    );
    assert!(
        clients_row(&home, "vscode").contains("connected (token asked at start; tool mode: full)"),
        "{}",
        clients_row(&home, "vscode")
    );

    let json = home.cli(false, &["--json", "clients", "--url", URL]);
    json.ok();
    assert!(
        json.stdout.contains("; profiles: Default, Work, Play"),
        "each profile is named: {}",
        json.stdout
    );

    connect(&home, "vscode-insiders");
    connect(&home, "vscodium");
    for (id, file) in [
        ("vscode-insiders", "Code - Insiders/User/mcp.json"),
        ("vscodium", "VSCodium/User/mcp.json"),
    ] {
        let text = std::fs::read_to_string(config.join(file)).unwrap();
        assert!(text.contains("https://cms.example.com/mcp"), "{id}: {text}");
        let row = clients_row(&home, id);
        assert!(row.contains("connected") && row.contains(file), "{row}");
    }
    assert!(
        std::fs::read_to_string(config.join("Code - Insiders/User/mcp.json"))
            .unwrap()
            .contains("// insiders's servers")
    );

    for id in ["vscode", "vscode-insiders", "vscodium"] {
        home.cli(false, &["disconnect", id, "--url", URL]).ok();
    }
    assert_eq!(
        tree(&config),
        before,
        "every file as it was, no file or backup left behind"
    );
}

#[test]
fn one_profile_can_be_connected_alone_and_the_others_show_as_not_connected() {
    let home = home_with_variants();
    let config = home.path().join(".config");
    let before = tree(&config);
    let code = config.join("Code/User");

    connect(&home, "vscode@Work");
    assert!(
        std::fs::read_to_string(code.join("profiles/-5ae0ba4c/mcp.json"))
            .unwrap()
            .contains("https://cms.example.com/mcp")
    );
    assert_eq!(
        std::fs::read_to_string(code.join("mcp.json")).unwrap(),
        users_file("default"),
        "the default profile is left alone"
    );
    assert!(!code.join("profiles/3f1/mcp.json").exists());
    let row = clients_row(&home, "vscode");
    assert!(
        row.contains("profile Default: not connected")
            && row.contains("profile Work: connected")
            && row.contains("profile Play: not connected"),
        "{row}"
    );

    let unknown = home
        .cli(
            false,
            &[
                "connect",
                "vscode@Nope",
                "--auth",
                "token",
                "--token",
                "t0k",
                "--url",
                URL,
            ],
        )
        .failure(2)
        .to_owned();
    assert!(
        unknown.contains("vscode@Nope") && unknown.contains("vscode@Work"),
        "{unknown}"
    );

    home.cli(false, &["disconnect", "vscode@Work", "--url", URL])
        .ok();
    assert_eq!(tree(&config), before);
}

#[test]
fn a_malformed_profile_list_still_connects_the_default_profile_and_says_why() {
    let home = Home::new();
    let code = home.path().join(".config/Code/User");
    write(&code.join("mcp.json"), &users_file("default"));
    write(
        &code.join("globalStorage/storage.json"),
        "{\"userDataProfiles\": [",
    );
    let run = home.cli(
        false,
        &[
            "connect", "vscode", "--auth", "token", "--token", "t0k", "--url", URL,
        ],
    );
    run.ok();
    let said = format!("{}{}", run.stdout, run.stderr);
    assert!(
        said.contains("storage.json") && said.contains("only the default profile"),
        "{said}"
    );
    assert!(
        std::fs::read_to_string(code.join("mcp.json"))
            .unwrap()
            .contains("https://cms.example.com/mcp")
    );
}

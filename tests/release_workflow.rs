//! The release workflow builds an unsigned macOS installer when the repository has no Apple
//! secrets: Tauri's bundler signs when an `APPLE_*` variable is present, even empty
//! (tauri-apps/tauri, crates/tauri-bundler/src/bundle/macos/sign.rs, `var_os`, read
//! 2026-12-02), and `${{ secrets.X }}` of an unset secret is an empty string. So the steps
//! that get `APPLE_*` variables run only on macOS when the certificate secret is set, and the
//! installer step for every other case gets none.

use serde_norway::Value;

fn release_steps() -> Vec<Value> {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".github/workflows/release.yml"),
    )
    .expect("the release workflow");
    let workflow: Value = serde_norway::from_str(&text).expect("valid YAML");
    workflow["jobs"]["installers"]["steps"]
        .as_sequence()
        .expect("the installers job's steps")
        .clone()
}

fn apple_variables(step: &Value) -> Vec<String> {
    step.get("env")
        .and_then(Value::as_mapping)
        .into_iter()
        .flatten()
        .filter_map(|(name, _)| name.as_str())
        .filter(|name| name.starts_with("APPLE_"))
        .map(str::to_owned)
        .collect()
}

fn condition(step: &Value) -> String {
    step.get("if")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .replace(' ', "")
}

fn name(step: &Value) -> String {
    step.get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn apple_secrets_reach_only_steps_gated_on_a_set_certificate_on_macos() {
    let steps = release_steps();
    let with_apple: Vec<&Value> = steps
        .iter()
        .filter(|step| !apple_variables(step).is_empty())
        .collect();
    assert!(!with_apple.is_empty(), "the signed build exists");
    for step in with_apple {
        let condition = condition(step);
        assert!(
            condition.contains("runner.os=='macOS'")
                && condition.contains("env.APPLE_SIGNING=='true'")
                && !condition.contains("||"),
            "step `{}` gets {:?} but runs when `{condition}`",
            name(step),
            apple_variables(step)
        );
    }
}

#[test]
fn an_unsigned_build_gets_no_apple_variable_at_all() {
    let steps = release_steps();
    let builds: Vec<&Value> = steps
        .iter()
        .filter(|step| {
            step.get("uses")
                .and_then(Value::as_str)
                .is_some_and(|uses| uses.starts_with("tauri-apps/tauri-action@"))
        })
        .collect();
    let unsigned: Vec<&&Value> = builds
        .iter()
        .filter(|step| apple_variables(step).is_empty())
        .collect();
    assert_eq!(unsigned.len(), 1, "one unsigned installer step");
    assert_eq!(
        condition(unsigned[0]),
        "runner.os!='macOS'||env.APPLE_SIGNING!='true'",
        "it runs exactly when the signed one does not"
    );
    // The flag is computed from the secret, so an unset secret means unsigned.
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".github/workflows/release.yml"),
    )
    .unwrap();
    let workflow: Value = serde_norway::from_str(&text).unwrap();
    assert_eq!(
        workflow["jobs"]["installers"]["env"]["APPLE_SIGNING"].as_str(),
        Some("${{ secrets.APPLE_CERTIFICATE != '' }}")
    );
}

//! The OAuth bridge never hands a hostile consent page to the browser (security review 2,
//! N1): a metadata server that names `file:`, `search-ms:` or another host's page gets the
//! sign-in refused with an error naming the scheme or host, and the `$BROWSER` program is
//! never started.

use std::sync::atomic::Ordering;

use crate::support::cli_with_env;
use crate::support::hostile_as::HostileAs;

#[test]
fn a_hostile_consent_page_is_refused_and_never_reaches_the_browser() {
    let folder = tempfile::tempdir().unwrap();
    let opened = folder.path().join("opened.txt");
    let browser = folder.path().join("browser.sh");
    std::fs::write(
        &browser,
        format!(
            "#!/bin/sh\nfor arg in \"$@\"; do printf 'arg=%s\\n' \"$arg\" >> '{}'; done\n",
            opened.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(
        &browser,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let browser = browser.display().to_string();
    for (page, named) in [
        ("file:///etc/passwd", "`file:`"),
        (
            "search-ms:displayname=Updates&crumb=location:%5C%5Cattacker.example%5Cshare",
            "`search-ms:`",
        ),
        ("https://evil.example/authorize", "`evil.example`"),
    ] {
        let hostile = HostileAs::start(page);
        let run = cli_with_env(
            &[
                ("BROWSER", &browser),
                ("DIRECTUS_MCP_SETUP_BRIDGE_TIMEOUT", "10"),
            ],
            &[
                "bridge",
                "--url",
                &hostile.base,
                "--auth",
                "oauth",
                "--sign-in-only",
            ],
        );
        assert_eq!(run.code, 1, "{page}: {}", run.stderr);
        assert!(
            run.stderr.contains("refused to open the sign-in page") && run.stderr.contains(named),
            "{page}: {}",
            run.stderr
        );
        assert!(
            !opened.exists(),
            "{page}: the browser got {:?}",
            std::fs::read_to_string(&opened)
        );
        assert_eq!(
            hostile.registrations.load(Ordering::SeqCst),
            0,
            "{page}: refused before registering"
        );
    }
}

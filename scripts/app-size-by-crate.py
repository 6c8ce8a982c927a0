#!/usr/bin/env python3
"""Where the desktop app's release bytes go, against the bare Tauri 2 app of
scripts/bench-app.sh: sums each program's symbol sizes (`nm -S`) by crate and prints the
crates and groups the app has more of, largest first, with the ELF sections of both.

Usage: scripts/app-size-by-crate.py APP BARE
APP and BARE are release builds WITH symbols (the measured builds are stripped), e.g.

    cargo rustc --release -p directus-mcp-setup-app --bin directus-mcp-setup-app -- -C strip=none
    cargo rustc --release --manifest-path benches/bare-tauri/Cargo.toml --bin bare-tauri -- -C strip=none

(only the last link changes: the same code as the measured build, with its symbols; copy
each binary away, since the next `cargo build --release` links the stripped one again).
With LTO, inlined code counts for the function it was inlined into, and generic code
counts for the crate that defines it (tokio's task harness around our futures counts as
tokio), so read the figures as "roughly where".
"""
import collections
import re
import subprocess
import sys

# Crates the app links that a bare app does not, by the job they do.
GROUPS = {
    "TLS (rustls, ring with its C/assembly and tables, webpki, certificate stores)":
        "rustls ring webpki rustls_pki_types tokio_rustls hyper_rustls "
        "rustls_platform_verifier rustls_native_certs webpki_roots",
    "HTTP (reqwest, hyper, hyper-util, http, tower, sse-stream, bytes, ...)":
        "reqwest hyper hyper_util http httparse http_body_util tower sse_stream ipnet "
        "futures_util bytes",
    "our code (core and app crates, as named)": "directus_mcp_setup directus_mcp_setup_app",
    "settings formats and diffs (yaml-edit, rowan, jsonc-parser, toml_edit, similar)":
        "yaml_edit rowan jsonc_parser toml_edit toml_parser similar indexmap",
    "secrets (keyring, dbus, dbus-secret-service, aes, num-bigint, sha2)":
        "keyring dbus dbus_secret_service aes num_bigint sha2",
    "updater and links (tauri-plugin-updater, minisign-verify, cfb, infer, deep-link)":
        "tauri_plugin_updater minisign_verify cfb infer tauri_plugin_deep_link",
    "generic code made for our types (core, alloc, std, tokio, tauri, serde, hashbrown)":
        "core alloc std tokio tauri serde_json serde_core serde hashbrown",
    "chrono, rmcp, url": "chrono rmcp url",
}
# ring's C and assembly functions and tables carry no Rust path.
RING_C = re.compile(r"ring_core_|ecp_nistz|(mul|sqr)\w*x_internal|_aesni|ge_|x25519|fiat_|bn_")
CRATE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)::")


def by_crate(program):
    """Symbol bytes of PROGRAM's code and data, by the crate its symbol's path starts with."""
    listing = subprocess.run(["nm", "-S", "-C", program], capture_output=True, text=True,
                             check=True).stdout
    sizes = collections.Counter()
    for line in listing.splitlines():
        parts = line.split(" ", 3)
        if len(parts) < 4 or not parts[1] or parts[2].lower() not in "trdb":
            continue
        name = re.sub(r"^(dyn |mut |const )", "", parts[3].lstrip("<&* "))
        crate = CRATE.match(name)
        sizes[crate.group(1) if crate else "ring" if RING_C.match(name) else "(no path)"] += \
            int(parts[1], 16)
    return sizes


def sections(program):
    """PROGRAM's allocated ELF sections and their sizes (`size -A`)."""
    listing = subprocess.run(["size", "-A", program], capture_output=True, text=True,
                             check=True).stdout
    result = {}
    for line in listing.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0].startswith(".") and not parts[0].startswith(".debug"):
            result[parts[0]] = int(parts[1])
    return result


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    app_path, bare_path = sys.argv[1:]
    app, bare = by_crate(app_path), by_crate(bare_path)
    app_sections, bare_sections = sections(app_path), sections(bare_path)
    print(f"{'section':<16} {'app':>10} {'bare':>10} {'app - bare':>11}")
    for name in sorted(set(app_sections) | set(bare_sections),
                       key=lambda n: -app_sections.get(n, 0))[:8]:
        a, b = app_sections.get(name, 0), bare_sections.get(name, 0)
        print(f"{name:<16} {a:>10,} {b:>10,} {a - b:>11,}")
    print(f"\n{'app - bare':>10}  group (symbol bytes)")
    grouped = set()
    for group, crates in GROUPS.items():
        crates = crates.split()
        grouped.update(crates)
        print(f"{sum(app[c] - bare[c] for c in crates):>10,}  {group}")
    others = sum(app[c] - bare[c] for c in set(app) | set(bare) if c not in grouped)
    print(f"{others:>10,}  everything else (negative: what the bare app has that the app has not)")
    print(f"{sum(app.values()) - sum(bare.values()):>10,}  all symbols")
    print(f"\n{'app - bare':>10} {'app':>10} {'bare':>10}  crate")
    for crate in sorted(set(app) | set(bare), key=lambda c: -(app[c] - bare[c]))[:40]:
        print(f"{app[crate] - bare[crate]:>10,} {app[crate]:>10,} {bare[crate]:>10,}  {crate}")


if __name__ == "__main__":
    main()

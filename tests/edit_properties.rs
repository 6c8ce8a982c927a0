//! Property tests of the settings-file editor over 26,000 generated files (10,000 JSONC,
//! 10,000 TOML, 6,000 YAML: Continue's list of servers and Goose's mapping of extensions)
//! with comments in every position, tabs or spaces, trailing commas, CRLF and a byte-order
//! mark:
//! - connecting keeps every other byte's meaning: every other entry and every comment stays;
//! - the entry written is exactly the one asked for, and writing it again changes nothing;
//! - disconnecting with the backup gives back the original bytes; without a backup (the
//!   file was edited since) it takes out just our entry.

use directus_mcp_setup::config_edit::{Entry, EntryPath, Format, remove_entries, set_entries};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

const CASES: u32 = 10_000;

/// A tiny deterministic generator, so one proptest seed decides every style choice.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % sides
    }
    fn chance(&mut self, one_in: u64) -> bool {
        self.roll(one_in) == 0
    }
}

/// How a generated file is written out.
#[derive(Debug, Clone)]
struct Style {
    indent: &'static str,
    crlf: bool,
    bom: bool,
    trailing_commas: bool,
    seed: u64,
}

fn style() -> impl Strategy<Value = Style> {
    (
        prop::sample::select(vec!["  ", "    ", "\t"]),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<u64>(),
    )
        .prop_map(|(indent, crlf, bom, trailing_commas, seed)| Style {
            indent,
            crlf,
            bom,
            trailing_commas,
            seed,
        })
}

fn key() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "theme",
        "mcpServers",
        "servers",
        "context_servers",
        "other",
        "a b",
        "ünï",
        "x\"q",
        "inputs",
        "fontSize",
    ])
    .prop_map(str::to_owned)
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-1000i64..1000).prop_map(Value::from),
        "[a-z /*\\\\\"]{0,8}".prop_map(Value::String),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..4)
                .prop_map(|members| Value::Object(members.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A top-level object; the containers clients write into, when present, hold objects with
/// other servers (a container of another kind is refused, tested elsewhere).
fn json_document() -> impl Strategy<Value = Map<String, Value>> {
    (
        prop::collection::vec((key(), json_value()), 0..5),
        prop::option::of(prop::collection::vec(("[a-z]{1,6}", json_value()), 0..3)),
        prop::option::of(prop::collection::vec(json_value(), 0..3)),
    )
        .prop_map(|(members, servers, inputs)| {
            let mut map: Map<String, Value> = members.into_iter().collect();
            map.remove("inputs");
            for container in ["mcpServers", "servers", "context_servers"] {
                map.remove(container);
            }
            if let Some(servers) = servers {
                let servers: Map<String, Value> = servers
                    .into_iter()
                    .filter(|(name, _)| name != "directus")
                    .collect();
                map.insert("mcpServers".into(), Value::Object(servers.clone()));
                map.insert("servers".into(), Value::Object(servers));
            }
            if let Some(inputs) = inputs {
                map.insert("inputs".into(), Value::Array(inputs));
            }
            map
        })
}

/// Writes JSONC with comments at every kind of position.
fn render_jsonc(doc: &Map<String, Value>, style: &Style) -> String {
    let mut dice = Dice(style.seed);
    let mut out = String::new();
    if dice.chance(2) {
        out.push_str("// settings\n");
    }
    write_object(&mut out, doc, style, &mut dice, 0);
    if dice.chance(2) {
        out.push_str(" // end");
    }
    if dice.chance(3) {
        out.push('\n');
    }
    finish(out, style)
}

fn comment(dice: &mut Dice, multiline: bool) -> &'static str {
    match dice.roll(if multiline { 4 } else { 2 }) {
        0 => " /* c */",
        1 => "/**/",
        2 => " // c\n",
        _ => " // c, \"q\": 1 }\n",
    }
}

fn write_value(out: &mut String, value: &Value, style: &Style, dice: &mut Dice, depth: usize) {
    match value {
        Value::Object(map) => write_object(out, map, style, dice, depth),
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if dice.chance(4) {
                    out.push_str("/* i */ ");
                }
                write_value(out, item, style, dice, depth + 1);
                if index + 1 < items.len() || (style.trailing_commas && dice.chance(2)) {
                    out.push_str(", ");
                }
            }
            out.push(']');
        }
        leaf => out.push_str(&leaf.to_string()),
    }
}

fn write_object(
    out: &mut String,
    map: &Map<String, Value>,
    style: &Style,
    dice: &mut Dice,
    depth: usize,
) {
    let multiline = !map.is_empty() && !dice.chance(4);
    let pad = |depth: usize| style.indent.repeat(depth);
    out.push('{');
    if map.is_empty() && dice.chance(3) {
        out.push_str(" /* empty */ ");
    }
    for (index, (key, value)) in map.iter().enumerate() {
        if multiline {
            out.push('\n');
            if dice.chance(3) {
                out.push_str(&pad(depth + 1));
                out.push_str("// about the next\n");
            }
            out.push_str(&pad(depth + 1));
        } else {
            out.push(' ');
        }
        out.push_str(&Value::String(key.clone()).to_string());
        if dice.chance(6) {
            out.push_str(" /* k */");
        }
        out.push_str(": ");
        if dice.chance(6) {
            out.push_str("/* v */ ");
        }
        write_value(out, value, style, dice, depth + 1);
        let last = index + 1 == map.len();
        if !last || (style.trailing_commas && dice.chance(2)) {
            out.push(',');
        }
        if dice.chance(3) {
            let text = comment(dice, multiline);
            out.push_str(text);
            if text.ends_with('\n') {
                out.push_str(&pad(depth + 1));
            }
        }
    }
    if multiline {
        out.push('\n');
        out.push_str(&pad(depth));
    } else if !map.is_empty() {
        out.push(' ');
    }
    out.push('}');
}

fn finish(text: String, style: &Style) -> String {
    let text = if style.crlf {
        text.replace('\n', "\r\n")
    } else {
        text
    };
    if style.bom {
        format!("\u{feff}{text}")
    } else {
        text
    }
}

/// Every comment of `text`, in order.
fn comments(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut in_string = false;
    while let Some((start, c)) = chars.next() {
        match c {
            '"' if !in_string => in_string = true,
            '\\' if in_string => {
                chars.next();
            }
            '"' if in_string => in_string = false,
            '/' if !in_string => match chars.peek().map(|(_, c)| *c) {
                Some('/') => {
                    let end = text[start..]
                        .find(['\n', '\r'])
                        .map_or(text.len(), |e| start + e);
                    found.push(text[start..end].to_owned());
                    while chars.peek().is_some_and(|(i, _)| *i < end) {
                        chars.next();
                    }
                }
                Some('*') => {
                    let end = start + 2 + text[start + 2..].find("*/").expect("closed") + 2;
                    found.push(text[start..end].to_owned());
                    while chars.peek().is_some_and(|(i, _)| *i < end) {
                        chars.next();
                    }
                }
                _ => {}
            },
            '#' if !in_string => {
                let end = text[start..]
                    .find(['\n', '\r'])
                    .map_or(text.len(), |e| start + e);
                found.push(text[start..end].to_owned());
                while chars.peek().is_some_and(|(i, _)| *i < end) {
                    chars.next();
                }
            }
            _ => {}
        }
    }
    found
}

fn parse_jsonc(text: &str) -> Value {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    jsonc_parser::parse_to_serde_value::<Option<Value>>(body, &Default::default())
        .expect("valid JSONC")
        .unwrap_or(Value::Object(Map::new()))
}

/// The entries a client writes: a plain server entry, or VS Code's server and input.
fn entries(vscode: bool, name: &str) -> Vec<Entry> {
    let server = Entry {
        path: EntryPath::key(&[if vscode { "servers" } else { "mcpServers" }, name]),
        value: Some(
            json!({"type": "http", "url": "https://d.example/mcp", "headers": {"Authorization": "Bearer t"}}),
        ),
        managed: &["type", "url", "headers"],
    };
    if !vscode {
        return vec![server];
    }
    let input = Entry {
        path: EntryPath::ArrayItem {
            array: vec!["inputs".into()],
            id_key: "id".into(),
            id: format!("{name}-token"),
        },
        value: Some(
            json!({"id": format!("{name}-token"), "type": "promptString", "password": true}),
        ),
        managed: &["type", "password"],
    };
    vec![server, input]
}

fn without_entries(mut value: Value, vscode: bool, name: &str) -> Value {
    let container = if vscode { "servers" } else { "mcpServers" };
    if let Some(servers) = value.get_mut(container).and_then(Value::as_object_mut) {
        servers.shift_remove(name);
    }
    if vscode && let Some(inputs) = value.get_mut("inputs").and_then(Value::as_array_mut) {
        inputs.retain(|item| item.get("id") != Some(&json!(format!("{name}-token"))));
    }
    value
}

/// Containers we created hold nothing of the user's: drop them when empty to compare.
fn drop_empty(mut value: Value, keys: &[&str]) -> Value {
    if let Some(map) = value.as_object_mut() {
        for key in keys {
            let empty = match map.get(*key) {
                Some(Value::Object(inner)) => inner.is_empty(),
                Some(Value::Array(inner)) => inner.is_empty(),
                _ => false,
            };
            if empty {
                map.shift_remove(*key);
            }
        }
    }
    value
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn jsonc_connect_keeps_everything_and_disconnect_gives_it_back(
        doc in json_document(), style in style(), vscode in any::<bool>(), name in "[a-z]{1,5}-mcp",
    ) {
        let before = render_jsonc(&doc, &style);
        let entries = entries(vscode, &name);
        let paths: Vec<EntryPath> = entries.iter().map(|e| e.path.clone()).collect();
        let after = set_entries(Format::Jsonc, Some(&before), &entries).expect("set");

        // Our entry is exactly what was asked; nothing else changed meaning; every comment stays.
        let parsed = parse_jsonc(&after);
        let container = if vscode { "servers" } else { "mcpServers" };
        prop_assert_eq!(&parsed[container][&name], entries[0].value.as_ref().unwrap());
        let original = parse_jsonc(&before);
        prop_assert_eq!(drop_empty(without_entries(parsed, vscode, &name), &[container, "inputs"]), drop_empty(original.clone(), &[container, "inputs"]));
        let kept = comments(&after);
        let mut rest = kept.iter();
        for comment in comments(&before) {
            prop_assert!(rest.any(|c| *c == comment), "comment {:?} lost or moved:\n{}", comment, after);
        }
        prop_assert_eq!(after.starts_with('\u{feff}'), style.bom);
        if before.contains("\r\n") {
            prop_assert!(!after.replace("\r\n", "").contains('\n'), "a bare LF in a CRLF file");
        }
        prop_assert_eq!(set_entries(Format::Jsonc, Some(&after), &entries).expect("again"), after.clone(), "writing again changes nothing");

        // Disconnect with the backup: byte for byte.
        let undone = remove_entries(Format::Jsonc, &after, Some(&before), &paths).expect("undo");
        prop_assert_eq!(undone.as_deref(), Some(before.as_str()));

        // Disconnect without it: our entry out, the rest as it was, comments too.
        let structural = remove_entries(Format::Jsonc, &after, None, &paths).expect("remove");
        if let Some(structural) = structural {
            prop_assert_eq!(drop_empty(parse_jsonc(&structural), &[container, "inputs"]), drop_empty(original, &[container, "inputs"]));
            let left = comments(&structural);
            let mut rest = left.iter();
            for comment in comments(&before) {
                prop_assert!(rest.any(|c| *c == comment), "comment {:?} lost by removal:\n{}\n---\n{}\n---\n{}", comment, before, after, structural);
            }
        }
    }
}

// ---- TOML ----

#[derive(Debug, Clone)]
enum TomlValue {
    Int(i64),
    Str(String),
    Bool(bool),
    Array(Vec<i64>),
    Inline(Vec<(String, i64)>),
}

/// Top-level pairs, then tables with their pairs.
type TomlDocument = (
    Vec<(String, TomlValue)>,
    Vec<(String, Vec<(String, TomlValue)>)>,
);

fn toml_value() -> impl Strategy<Value = TomlValue> {
    prop_oneof![
        (-100i64..100).prop_map(TomlValue::Int),
        "[a-z #=\\[\\]]{0,8}".prop_map(TomlValue::Str),
        any::<bool>().prop_map(TomlValue::Bool),
        prop::collection::vec(-9i64..9, 0..4).prop_map(TomlValue::Array),
        prop::collection::vec(("[a-z]{1,4}", -9i64..9), 0..3).prop_map(TomlValue::Inline),
    ]
}

fn toml_text(value: &TomlValue) -> String {
    match value {
        TomlValue::Int(n) => n.to_string(),
        TomlValue::Str(s) => format!("{s:?}"),
        TomlValue::Bool(b) => b.to_string(),
        TomlValue::Array(items) => format!(
            "[{}]",
            items
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        TomlValue::Inline(members) => {
            let mut seen = std::collections::HashSet::new();
            let members: Vec<String> = members
                .iter()
                .filter(|(k, _)| seen.insert(k.clone()))
                .map(|(k, v)| format!("{k} = {v}"))
                .collect();
            format!("{{ {} }}", members.join(", "))
        }
    }
}

/// Tables: a name (dotted, possibly under `mcp_servers`) and unique keys.
fn toml_document() -> impl Strategy<Value = TomlDocument> {
    let pairs = || {
        prop::collection::btree_map("[a-z_]{1,6}", toml_value(), 0..4)
            .prop_map(|m| m.into_iter().collect::<Vec<_>>())
    };
    let table_name = prop_oneof![
        "[a-z]{1,5}".prop_map(|n| n),
        "[a-z]{1,5}".prop_map(|n| format!("mcp_servers.{n}")),
        "[a-z]{1,5}".prop_map(|n| format!("profiles.{n}")),
    ];
    (
        pairs(),
        prop::collection::btree_map(table_name, pairs(), 0..4)
            .prop_map(|m| m.into_iter().collect::<Vec<_>>()),
    )
        .prop_filter("no clash between keys and tables", |(top, tables)| {
            tables.iter().all(|(name, _)| {
                let head = name.split('.').next().unwrap();
                !top.iter().any(|(k, _)| k == head) && name != "mcp_servers" && name != "profiles"
            })
        })
}

fn render_toml(doc: &TomlDocument, style: &Style) -> String {
    let mut dice = Dice(style.seed);
    let mut out = String::new();
    if dice.chance(2) {
        out.push_str("# settings\n\n");
    }
    let pairs = |out: &mut String, dice: &mut Dice, pairs: &[(String, TomlValue)]| {
        for (key, value) in pairs {
            if dice.chance(4) {
                out.push_str("# about the next\n");
            }
            out.push_str(&format!("{key} = {}", toml_text(value)));
            if dice.chance(3) {
                out.push_str(" # trailing = [x]");
            }
            out.push('\n');
        }
    };
    pairs(&mut out, &mut dice, &doc.0);
    for (name, members) in &doc.1 {
        if dice.chance(2) {
            out.push('\n');
        }
        if dice.chance(3) {
            out.push_str("# table\n");
        }
        out.push_str(&format!("[{name}]"));
        if dice.chance(3) {
            out.push_str(" # header comment");
        }
        out.push('\n');
        pairs(&mut out, &mut dice, members);
    }
    if dice.chance(3) {
        out.push_str("# the end");
    }
    finish(out, style)
}

fn parse_toml(text: &str) -> Value {
    let body = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .replace("\r\n", "\n");
    toml_edit::de::from_str::<Value>(&body).expect("valid TOML")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn toml_connect_keeps_everything_and_disconnect_gives_it_back(
        doc in toml_document(), style in style(), name in "[a-z]{1,5}-mcp", env_var in any::<bool>(),
    ) {
        let before = render_toml(&doc, &style);
        let value = if env_var {
            json!({"url": "https://d.example/mcp", "bearer_token_env_var": "DIRECTUS_MCP_TOKEN"})
        } else {
            json!({"url": "https://d.example/mcp", "http_headers": {"Authorization": "Bearer t"}})
        };
        let entries = vec![Entry { path: EntryPath::key(&["mcp_servers", &name]), value: Some(value.clone()), managed: &["url", "http_headers", "bearer_token_env_var"] }];
        let paths = vec![entries[0].path.clone()];
        let after = set_entries(Format::Toml, Some(&before), &entries).expect("set");

        let mut parsed = parse_toml(&after);
        prop_assert_eq!(&parsed["mcp_servers"][&name], &value);
        parsed["mcp_servers"].as_object_mut().unwrap().shift_remove(&name);
        let original = parse_toml(&before);
        prop_assert_eq!(drop_empty(parsed, &["mcp_servers"]), drop_empty(original.clone(), &["mcp_servers"]));
        let kept = comments(&after);
        let mut rest = kept.iter();
        for comment in comments(&before) {
            prop_assert!(rest.any(|c| *c == comment), "comment {:?} lost or moved:\n{}", comment, after);
        }
        prop_assert_eq!(after.starts_with('\u{feff}'), style.bom);
        if before.contains("\r\n") {
            prop_assert!(!after.replace("\r\n", "").contains('\n'), "a bare LF in a CRLF file:\n{:?}", after);
        }
        prop_assert_eq!(set_entries(Format::Toml, Some(&after), &entries).expect("again"), after.clone());

        let undone = remove_entries(Format::Toml, &after, Some(&before), &paths).expect("undo");
        prop_assert_eq!(undone.as_deref(), Some(before.as_str()));

        if let Some(structural) = remove_entries(Format::Toml, &after, None, &paths).expect("remove") {
            prop_assert_eq!(drop_empty(parse_toml(&structural), &["mcp_servers"]), drop_empty(original, &["mcp_servers"]));
        }
    }
}

// ---- YAML: Continue (`mcpServers:` a list of named servers) and Goose (`extensions:`). ----

/// A YAML scalar as written: plain words and numbers, or quoted text with `#` and `:`.
fn yaml_scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]{1,8}".prop_map(|word| word),
        (-100i64..100).prop_map(|n| n.to_string()),
        any::<bool>().prop_map(|b| b.to_string()),
        "[a-z #:]{0,10}".prop_map(|text| format!("{text:?}")),
    ]
}

/// Top-level pairs, the other servers in `mcpServers:` and the other `extensions:`, and a
/// block scalar written last (see [`BlockAtEnd`]).
type YamlDoc = (
    Vec<(String, String)>,
    Option<Vec<(String, Vec<(String, String)>)>>,
    Option<Vec<(String, Vec<(String, String)>)>>,
    Option<BlockAtEnd>,
);

/// A block scalar (`|`, `>`, with each chomping) written at the end of the file: after the
/// top-level pairs, or as the last member of the last server or extension (where our entry
/// goes right after it). Without a final newline its value depends on what follows it.
#[derive(Debug, Clone)]
struct BlockAtEnd {
    /// 0: a top-level key; 1: the last server's; 2: the last extension's.
    place: u8,
    /// `|`, `|-`, `|+`, `>`, `>-` or `>+`.
    indicator: &'static str,
    /// Its lines of text.
    lines: Vec<String>,
}

fn block_at_end() -> impl Strategy<Value = BlockAtEnd> {
    (
        0u8..3,
        prop::sample::select(vec!["|", "|-", "|+", ">", ">-", ">+"]),
        prop::collection::vec("[a-z][a-z #:]{0,8}[a-z]", 1..3),
    )
        .prop_map(|(place, indicator, lines)| BlockAtEnd {
            place,
            indicator,
            lines,
        })
}

fn yaml_document() -> impl Strategy<Value = YamlDoc> {
    let members = || {
        prop::collection::btree_map("[a-z]{1,6}", yaml_scalar(), 0..3).prop_map(|m| {
            m.into_iter()
                .filter(|(k, _)| k != "name")
                .collect::<Vec<_>>()
        })
    };
    let named = move || {
        prop::collection::btree_map("[a-z]{1,5}", members(), 1..3)
            .prop_map(|m| m.into_iter().collect::<Vec<_>>())
    };
    (
        prop::collection::btree_map("[a-z_]{1,6}", yaml_scalar(), 0..4).prop_map(|m| {
            m.into_iter()
                .filter(|(k, _)| k != "mcpServers" && k != "extensions")
                .collect::<Vec<_>>()
        }),
        prop::option::of(named()),
        prop::option::of(named()),
        prop::option::of(block_at_end()),
    )
}

/// `key: <indicator>` and the block's lines, indented by `indent` (the key's) plus one
/// more level; no line break after the last.
fn render_block(block: &BlockAtEnd, key: &str, indent: &str, step: &str) -> String {
    let mut out = format!("{indent}{key}: {}", block.indicator);
    for line in &block.lines {
        out.push_str(&format!("\n{indent}{step}{line}"));
    }
    out
}

fn render_yaml(doc: &YamlDoc, style: &Style) -> String {
    let mut dice = Dice(style.seed);
    // YAML indents with spaces only.
    let indent = if style.indent == "\t" {
        "  "
    } else {
        style.indent
    };
    let mut out = String::new();
    if dice.chance(2) {
        out.push_str("# settings: keep\n\n");
    }
    let line = |out: &mut String, dice: &mut Dice, text: String| {
        if dice.chance(4) {
            out.push_str("# about the next: x\n");
        }
        out.push_str(&text);
        if dice.chance(3) {
            out.push_str(" # trailing: [x]");
        }
        out.push('\n');
    };
    for (key, value) in &doc.0 {
        line(&mut out, &mut dice, format!("{key}: {value}"));
    }
    let block = doc.3.as_ref();
    let block_in = |place: u8| block.filter(|block| block.place == place);
    if let Some(servers) = &doc.1 {
        line(&mut out, &mut dice, "mcpServers:".into());
        for (index, (name, members)) in servers.iter().enumerate() {
            line(&mut out, &mut dice, format!("{indent}- name: {name}"));
            for (key, value) in members {
                line(&mut out, &mut dice, format!("{indent}  {key}: {value}"));
            }
            if let Some(block) = block_in(1).filter(|_| index + 1 == servers.len()) {
                out.push_str(&render_block(
                    block,
                    "prompt_text",
                    &format!("{indent}  "),
                    indent,
                ));
                out.push('\n');
            }
        }
    }
    if let Some(extensions) = &doc.2 {
        line(&mut out, &mut dice, "extensions:".into());
        for (index, (name, members)) in extensions.iter().enumerate() {
            line(&mut out, &mut dice, format!("{indent}{name}:"));
            line(&mut out, &mut dice, format!("{indent}{indent}name: {name}"));
            for (key, value) in members {
                line(
                    &mut out,
                    &mut dice,
                    format!("{indent}{indent}{key}: {value}"),
                );
            }
            if let Some(block) = block_in(2).filter(|_| index + 1 == extensions.len()) {
                let at = format!("{indent}{indent}");
                out.push_str(&render_block(block, "description", &at, indent));
                out.push('\n');
            }
        }
    }
    if let Some(block) = block_in(0) {
        out.push_str(&render_block(block, "instructions", "", indent));
        out.push('\n');
    }
    if out.is_empty() || dice.chance(3) {
        out.push_str("# the end\n");
    }
    let mut finished = finish(out, style);
    if style.trailing_commas {
        // No trailing commas in YAML: the flag stands for a file without a final newline.
        while finished.ends_with('\n') {
            finished.pop();
            if finished.ends_with('\r') {
                finished.pop();
            }
        }
    }
    finished
}

fn parse_yaml(text: &str) -> Value {
    let body = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .replace("\r\n", "\n");
    let value: Option<Value> = serde_norway::from_str(&body).expect("valid YAML");
    value.unwrap_or_else(|| json!({}))
}

/// `value` without our Continue server (by name) and without `mcpServers` left empty.
fn without_continue_entry(mut value: Value, name: &str) -> Value {
    if let Some(servers) = value.get_mut("mcpServers").and_then(Value::as_array_mut) {
        servers.retain(|server| server["name"] != name);
        if servers.is_empty() {
            value.as_object_mut().unwrap().shift_remove("mcpServers");
        }
    }
    value
}

fn yaml_comments(text: &str) -> Vec<String> {
    text.replace("\r\n", "\n")
        .lines()
        .filter_map(|line| {
            line.find(" # ")
                .map(|at| line[at..].trim().to_owned())
                .or_else(|| {
                    line.trim_start()
                        .starts_with('#')
                        .then(|| line.trim().to_owned())
                })
        })
        .collect()
}

fn check_yaml(
    before: &str,
    style: &Style,
    path: EntryPath,
    value: Value,
    managed: &'static [&'static str],
    expected_without: impl Fn(Value) -> Value,
    entry_in: impl Fn(&Value) -> Option<Value>,
) -> Result<(), TestCaseError> {
    let entries = vec![Entry {
        path: path.clone(),
        value: Some(value.clone()),
        managed,
    }];
    let after = set_entries(Format::Yaml, Some(before), &entries).expect("set");
    let parsed = parse_yaml(&after);
    prop_assert_eq!(
        entry_in(&parsed),
        Some(value.clone()),
        "entry not as asked:\n{}",
        after
    );
    let original = parse_yaml(before);
    prop_assert_eq!(
        expected_without(parsed),
        expected_without(original.clone()),
        "something else changed:\n{}\n---\n{}",
        before,
        after
    );
    let kept = yaml_comments(&after);
    let mut rest = kept.iter();
    for comment in yaml_comments(before) {
        prop_assert!(
            rest.any(|c| *c == comment),
            "comment {:?} lost or moved:\n{}",
            comment,
            after
        );
    }
    prop_assert_eq!(after.starts_with('\u{feff}'), style.bom);
    if before.contains("\r\n") {
        prop_assert!(
            !after.replace("\r\n", "").contains('\n'),
            "a bare LF in a CRLF file:\n{:?}",
            after
        );
    }
    prop_assert_eq!(
        set_entries(Format::Yaml, Some(&after), &entries).expect("again"),
        after.clone()
    );
    let undone = remove_entries(
        Format::Yaml,
        &after,
        Some(before),
        std::slice::from_ref(&path),
    )
    .expect("undo");
    prop_assert_eq!(undone.as_deref(), Some(before));
    if let Some(structural) = remove_entries(Format::Yaml, &after, None, &[path]).expect("remove") {
        prop_assert_eq!(
            expected_without(parse_yaml(&structural)),
            expected_without(original)
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn yaml_continue_server_list_keeps_everything_and_undo_gives_it_back(
        doc in yaml_document(), style in style(), name in "[a-z]{1,5}-mcp", token in any::<bool>(),
    ) {
        let before = render_yaml(&doc, &style);
        let mut value = json!({"name": name, "type": "streamable-http", "url": "https://d.example/mcp"});
        if token {
            value["requestOptions"] = json!({"headers": {"Authorization": "Bearer t: #x"}});
        }
        let path = EntryPath::ArrayItem { array: vec!["mcpServers".into()], id_key: "name".into(), id: name.clone() };
        let entry_name = name.clone();
        check_yaml(&before, &style, path, value, &["type", "url", "requestOptions"],
            move |v| without_continue_entry(v, &name),
            move |parsed| parsed["mcpServers"].as_array()?.iter().find(|s| s["name"] == entry_name.as_str()).cloned())?;
    }

    #[test]
    fn yaml_goose_extension_keeps_everything_and_undo_gives_it_back(
        doc in yaml_document(), style in style(), name in "[a-z]{1,5}-mcp", token in any::<bool>(),
    ) {
        let before = render_yaml(&doc, &style);
        let mut value = json!({"name": name, "type": "streamable_http", "uri": "https://d.example/mcp", "enabled": true, "timeout": 300});
        if token {
            value["headers"] = json!({"Authorization": "Bearer t: #x"});
        }
        let path = EntryPath::key(&["extensions", &name]);
        let entry_name = name.clone();
        check_yaml(&before, &style, path, value, &["type", "uri", "enabled", "timeout", "headers"],
            move |v| drop_empty(without_key(v, &name), &["extensions"]),
            move |parsed| parsed["extensions"].get(&entry_name).cloned())?;
    }
}

/// `value` without `extensions.<name>`.
fn without_key(mut value: Value, name: &str) -> Value {
    if let Some(extensions) = value.get_mut("extensions").and_then(Value::as_object_mut) {
        extensions.shift_remove(name);
    }
    value
}

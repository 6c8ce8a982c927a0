//! YAML files edited through `yaml-edit`'s lossless syntax tree: only our entry changes;
//! comments, order, quoting and spacing of everything else stay as they were.

use std::str::FromStr;

use serde_json::Value as Json;
use yaml_edit::{Document, Mapping, MappingEntry, Scalar, Sequence, YamlNode};

use super::document::{ConfigDocument, DocumentError, EntryPath, kind_of, line_and_column};
use super::text_style::TextStyle;

/// A parsed YAML document.
pub struct YamlDocument {
    document: Document,
    /// What came before a root mapping that did not exist yet: a file of comments only
    /// keeps them above the mapping created for our entry.
    prefix: String,
    /// Whether the root mapping was made here (the file had none).
    made_root: bool,
    /// A block scalar (`|`, `>`) that ends the file with no line break after its last
    /// line, and the text it had: once something follows it, its last line gets a line
    /// break, which its value would gain unless it is chomped (`-`).
    open_block: Option<(Scalar, String)>,
    style: TextStyle,
}

impl YamlDocument {
    /// Parses `text` (a single document).
    pub fn parse(text: &str) -> Result<Self, DocumentError> {
        let (style, body) = TextStyle::detect(text);
        let parsed = yaml_edit::YamlFile::parse(body);
        if let Some(error) = parsed.positioned_errors().first() {
            let (line, column) = line_and_column(body, error.range.start as usize);
            return Err(DocumentError::Syntax {
                line,
                column,
                message: error.message.clone(),
            });
        }
        if only_comments(body) {
            // Nothing but comments (or nothing): they stay above the mapping our entry needs.
            return Ok(Self {
                document: Document::new_mapping(),
                prefix: body.to_owned(),
                made_root: true,
                open_block: None,
                style,
            });
        }
        let document = Document::from_str(body).map_err(|error| DocumentError::Syntax {
            line: 1,
            column: 1,
            message: error.to_string(),
        })?;
        if document.as_mapping().is_none() {
            return Err(DocumentError::Shape {
                key: "(the document)".into(),
                found: if document.as_sequence().is_some() {
                    "a list"
                } else {
                    "a single value"
                },
                expected: "a mapping",
            });
        }
        let open_block = open_block_at_end(&document, body);
        Ok(Self {
            document,
            prefix: String::new(),
            made_root: false,
            open_block,
            style,
        })
    }

    /// The document's text, with the block scalar that ended the file chomped (`-`) when
    /// something now follows it: its value stays what it was, without a final line break.
    fn document_text(&self) -> String {
        let text = self.document.to_string();
        let Some((scalar, original)) = &self.open_block else {
            return text;
        };
        if text.ends_with(original.as_str()) {
            return text;
        }
        let start = scalar.byte_range().start as usize;
        match text.get(start..).and_then(chomped_header) {
            Some((header_end, header)) => {
                format!("{}{header}{}", &text[..start], &text[start + header_end..])
            }
            None => text,
        }
    }

    /// Refuses an edit at `keys` when one of them is written twice in its mapping: YAML
    /// readers either refuse such a file or read the last one, and the syntax tree would
    /// edit the first.
    fn refuse_duplicates(&self, keys: &[String]) -> Result<(), DocumentError> {
        let mut current = self.document.as_mapping();
        for (depth, key) in keys.iter().enumerate() {
            let Some(mapping) = current else {
                return Ok(());
            };
            let entries: Vec<MappingEntry> =
                mapping.find_all_entries_by_key(key.as_str()).collect();
            if let (Some(first), Some(last)) = (entries.first(), entries.last())
                && entries.len() > 1
            {
                let text = self.document.to_string();
                let line = |entry: &MappingEntry| {
                    line_and_column(&text, entry.byte_range().start as usize).0
                };
                return Err(DocumentError::DuplicateKey {
                    key: keys[..=depth].join("."),
                    first_line: line(first),
                    last_line: line(last),
                });
            }
            current = mapping
                .get(key.as_str())
                .and_then(|node| node.as_mapping().cloned());
        }
        Ok(())
    }

    /// The root mapping (a file of comments only was given one when parsed).
    fn root(&self) -> Mapping {
        self.document
            .as_mapping()
            .expect("parse makes sure the document is a mapping")
    }

    /// The mapping at `keys` below `from`, if every key holds a mapping.
    fn mapping_at(
        from: Option<Mapping>,
        keys: &[String],
    ) -> Result<Option<Mapping>, DocumentError> {
        let mut current = from;
        for (depth, key) in keys.iter().enumerate() {
            let Some(mapping) = current else {
                return Ok(None);
            };
            current = match mapping.get(key.as_str()) {
                None => None,
                Some(node) => Some(
                    node.as_mapping()
                        .cloned()
                        .ok_or_else(|| shape(keys, depth, &node, "a mapping"))?,
                ),
            };
        }
        Ok(current)
    }

    /// The mapping at `keys`, creating the missing ones; `Err` when a key holds something
    /// else.
    fn mapping_at_or_create(&mut self, keys: &[String]) -> Result<Mapping, DocumentError> {
        let mut mapping = self.root();
        for (depth, key) in keys.iter().enumerate() {
            match mapping.get(key.as_str()) {
                Some(node) => {
                    mapping = node
                        .as_mapping()
                        .cloned()
                        .ok_or_else(|| shape(keys, depth, &node, "a mapping"))?;
                }
                None => {
                    mapping.set(key.as_str(), Mapping::new());
                    mapping = mapping.get_mapping(key.as_str()).expect("just inserted");
                }
            }
        }
        Ok(mapping)
    }

    /// The sequence at `keys` (its parent created when missing); `None` when there is none.
    fn sequence_at(&self, keys: &[String]) -> Result<Option<Sequence>, DocumentError> {
        let (last, parents) = keys.split_last().expect("an array path has a key");
        let Some(parent) = Self::mapping_at(self.document.as_mapping(), parents)? else {
            return Ok(None);
        };
        match parent.get(last.as_str()) {
            None => Ok(None),
            Some(node) => node
                .as_sequence()
                .cloned()
                .map(Some)
                .ok_or_else(|| shape(keys, keys.len() - 1, &node, "a list")),
        }
    }
}

impl ConfigDocument for YamlDocument {
    fn get(&self, path: &EntryPath) -> Option<Json> {
        match path {
            EntryPath::Key(keys) => {
                let (name, parents) = keys.split_last()?;
                let parent = Self::mapping_at(self.document.as_mapping(), parents).ok()??;
                parent.get(name.as_str()).map(|node| node_to_json(&node))
            }
            EntryPath::ArrayItem { array, id_key, id } => {
                let sequence = self.sequence_at(array).ok()??;
                let index = item_index(&sequence, id_key, id)?;
                sequence.get(index).map(|node| node_to_json(&node))
            }
        }
    }

    fn set(
        &mut self,
        path: &EntryPath,
        value: &Json,
        managed: &[&str],
    ) -> Result<(), DocumentError> {
        self.refuse_duplicates(path_keys(path))?;
        if self.get(path).as_ref() == Some(value) {
            return Ok(());
        }
        match path {
            EntryPath::Key(keys) => {
                let (name, parents) = keys.split_last().expect("an entry path has a key");
                let parent = self.mapping_at_or_create(parents)?;
                match (parent.get_mapping(name.as_str()), value) {
                    (Some(entry), Json::Object(members)) => {
                        update_members(&entry, members, managed)
                    }
                    _ => set_json(&parent, name, value),
                }
            }
            EntryPath::ArrayItem { array, id_key, id } => {
                let (last, parents) = array.split_last().expect("an array path has a key");
                let parent = self.mapping_at_or_create(parents)?;
                let sequence = match parent.get(last.as_str()) {
                    Some(node) => node
                        .as_sequence()
                        .cloned()
                        .ok_or_else(|| shape(array, array.len() - 1, &node, "a list"))?,
                    None => {
                        let sequence = Sequence::new();
                        push_json(&sequence, value);
                        parent.set(last.as_str(), &sequence);
                        return Ok(());
                    }
                };
                let existing = item_index(&sequence, id_key, id)
                    .and_then(|index| sequence.get(index).map(|node| (index, node)));
                match (existing, value) {
                    (Some((_, node)), Json::Object(members)) if node.as_mapping().is_some() => {
                        update_members(node.as_mapping().expect("checked"), members, managed);
                    }
                    (Some((index, _)), _) => {
                        sequence.remove(index);
                        insert_json(&sequence, index, value);
                    }
                    (None, _) => push_json(&sequence, value),
                }
            }
        }
        Ok(())
    }

    fn remove(&mut self, path: &EntryPath, prune: bool) -> Result<bool, DocumentError> {
        self.refuse_duplicates(path_keys(path))?;
        let container_keys: &[String] = match path {
            EntryPath::Key(keys) => {
                let (name, parents) = keys.split_last().expect("an entry path has a key");
                let Some(parent) = Self::mapping_at(self.document.as_mapping(), parents)? else {
                    return Ok(false);
                };
                if parent.remove(name.as_str()).is_none() {
                    return Ok(false);
                }
                parents
            }
            EntryPath::ArrayItem { array, id_key, id } => {
                let Some(sequence) = self.sequence_at(array)? else {
                    return Ok(false);
                };
                let Some(index) = item_index(&sequence, id_key, id) else {
                    return Ok(false);
                };
                sequence.remove(index);
                if prune && sequence.is_empty() {
                    let (last, parents) = array.split_last().expect("an array path has a key");
                    if let Some(parent) = Self::mapping_at(self.document.as_mapping(), parents)? {
                        parent.remove(last.as_str());
                    }
                }
                &array[..array.len() - 1]
            }
        };
        if prune {
            // Drop the mappings left empty that only led to the entry.
            for depth in (1..=container_keys.len()).rev() {
                let (last, above) = container_keys[..depth].split_last().expect("depth ≥ 1");
                let Some(container) = Self::mapping_at(self.document.as_mapping(), above)? else {
                    break;
                };
                let empty = container
                    .get_mapping(last.as_str())
                    .is_some_and(|mapping| mapping.is_empty());
                if !empty {
                    break;
                }
                container.remove(last.as_str());
            }
        }
        Ok(true)
    }

    fn to_text(&self) -> String {
        let root_is_empty = self
            .document
            .as_mapping()
            .is_none_or(|root| root.is_empty());
        let text = match (self.prefix.is_empty(), root_is_empty) {
            // A mapping we made and emptied again: the file as it was.
            (_, true) if self.made_root => self.prefix.clone(),
            (true, _) => self.document_text(),
            (false, _) => {
                let separator = if self.prefix.ends_with('\n') {
                    ""
                } else {
                    "\n"
                };
                format!("{}{separator}{}", self.prefix, self.document)
            }
        };
        self.style.apply(&text)
    }

    fn to_json(&self) -> Json {
        self.document
            .as_mapping()
            .map(|root| mapping_to_json(&root))
            .unwrap_or_else(|| Json::Object(serde_json::Map::new()))
    }
}

/// The keys leading to the entry at `path` (for a list item: to the list).
fn path_keys(path: &EntryPath) -> &[String] {
    match path {
        EntryPath::Key(keys) => keys,
        EntryPath::ArrayItem { array, .. } => array,
    }
}

/// Sets `members` in the existing `entry`; the `managed` members not among them go.
fn update_members(entry: &Mapping, members: &serde_json::Map<String, Json>, managed: &[&str]) {
    for (key, member) in members {
        if entry
            .get(key.as_str())
            .map(|node| node_to_json(&node))
            .as_ref()
            != Some(member)
        {
            set_json(entry, key, member);
        }
    }
    for key in managed.iter().filter(|key| !members.contains_key(**key)) {
        entry.remove(*key);
    }
}

/// The index of the item of `sequence` whose `id_key` is `id`.
fn item_index(sequence: &Sequence, id_key: &str, id: &str) -> Option<usize> {
    sequence.values().position(|node| {
        node.as_mapping()
            .and_then(|mapping| mapping.get(id_key))
            .and_then(|value| value.as_scalar().map(|scalar| scalar.as_string()))
            .is_some_and(|value| value == id)
    })
}

/// `mapping[key] = value`, in block style.
fn set_json(mapping: &Mapping, key: &str, value: &Json) {
    match value {
        Json::Object(members) => mapping.set(key, mapping_from_json(members)),
        Json::Array(items) => mapping.set(key, sequence_from_json(items)),
        Json::String(text) => mapping.set(key, text.as_str()),
        Json::Bool(flag) => mapping.set(key, *flag),
        Json::Number(number) => match number.as_i64() {
            Some(integer) => mapping.set(key, integer),
            None => mapping.set(key, number.as_f64().unwrap_or_default()),
        },
        Json::Null => mapping.set(key, Option::<String>::None),
    }
}

fn push_json(sequence: &Sequence, value: &Json) {
    match value {
        Json::Object(members) => sequence.push(mapping_from_json(members)),
        Json::Array(items) => sequence.push(sequence_from_json(items)),
        Json::String(text) => sequence.push(text.as_str()),
        Json::Bool(flag) => sequence.push(*flag),
        Json::Number(number) => match number.as_i64() {
            Some(integer) => sequence.push(integer),
            None => sequence.push(number.as_f64().unwrap_or_default()),
        },
        Json::Null => sequence.push(Option::<String>::None),
    }
}

fn insert_json(sequence: &Sequence, index: usize, value: &Json) {
    let single = Sequence::new();
    push_json(&single, value);
    let node = single.get(0).expect("just pushed");
    sequence.insert(index, &node);
}

fn mapping_from_json(members: &serde_json::Map<String, Json>) -> Mapping {
    let mapping = Mapping::new();
    for (key, member) in members {
        set_json(&mapping, key, member);
    }
    mapping
}

fn sequence_from_json(items: &[Json]) -> Sequence {
    let sequence = Sequence::new();
    for item in items {
        push_json(&sequence, item);
    }
    sequence
}

fn node_to_json(node: &YamlNode) -> Json {
    if let Some(mapping) = node.as_mapping() {
        return mapping_to_json(mapping);
    }
    if let Some(sequence) = node.as_sequence() {
        return Json::Array(sequence.values().map(|item| node_to_json(&item)).collect());
    }
    if let Some(scalar) = node.as_scalar() {
        let text = scalar.as_string();
        let quoted = scalar.to_string().trim_start().starts_with(['"', '\'']);
        if !quoted {
            if let Some(flag) = node.to_bool() {
                return Json::Bool(flag);
            }
            if let Some(integer) = node.to_i64() {
                return Json::from(integer);
            }
            if matches!(text.as_str(), "~" | "null" | "Null" | "NULL" | "") {
                return Json::Null;
            }
        }
        return Json::String(text);
    }
    Json::Null
}

fn mapping_to_json(mapping: &Mapping) -> Json {
    Json::Object(
        mapping
            .iter()
            .filter_map(|(key, value)| {
                let key = key.as_scalar()?.as_string();
                Some((key, node_to_json(&value)))
            })
            .collect(),
    )
}

fn shape(keys: &[String], depth: usize, node: &YamlNode, expected: &'static str) -> DocumentError {
    DocumentError::Shape {
        key: keys[..=depth].join("."),
        found: kind_of(&node_to_json(node)),
        expected,
    }
}

/// The block scalar that ends `body` when its last line has no line break after it and
/// its value would keep one added (clip or keep chomping), with its text then.
fn open_block_at_end(document: &Document, body: &str) -> Option<(Scalar, String)> {
    let last_line = body.rsplit('\n').next().unwrap_or(body);
    if body.ends_with('\n') || last_line.trim().is_empty() {
        return None;
    }
    let mut node = document.as_mapping()?.iter().last()?.1;
    let scalar = loop {
        node = match node {
            YamlNode::Mapping(mapping) => mapping.iter().last()?.1,
            YamlNode::Sequence(sequence) => sequence.values().last()?,
            YamlNode::Scalar(scalar) => break scalar,
            _ => return None,
        };
    };
    let text = scalar.value();
    let header = text.lines().next()?;
    let chomping_strips = header
        .get(1..)?
        .chars()
        .take_while(|c| matches!(c, '+' | '-' | '1'..='9'))
        .any(|c| c == '-');
    (scalar.is_block() && !chomping_strips && body.ends_with(text.as_str()))
        .then_some((scalar, text))
}

/// The header of the block scalar `text` starts with, made to strip its final line break
/// (`|` → `|-`, `>+2` → `>-2`, a comment kept): the length of the old indicators and the
/// new ones.
fn chomped_header(text: &str) -> Option<(usize, String)> {
    let style = text.chars().next().filter(|c| matches!(c, '|' | '>'))?;
    let indicators: String = text[1..]
        .chars()
        .take_while(|c| matches!(c, '+' | '-' | '1'..='9'))
        .collect();
    let digits: String = indicators.chars().filter(char::is_ascii_digit).collect();
    Some((1 + indicators.len(), format!("{style}-{digits}")))
}

/// Whether `text` holds nothing but comments and blank lines.
fn only_comments(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .all(|line| line.is_empty() || line.starts_with('#') || line == "---")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const CONTINUE: &str = "# my Continue config\nname: Local # the assistant\nversion: 1.0.0\n\nmodels:\n  - name: llama # local\n    provider: ollama\nmcpServers:\n  - name: other\n    command: other-mcp\n";

    fn item() -> EntryPath {
        EntryPath::ArrayItem {
            array: vec!["mcpServers".into()],
            id_key: "name".into(),
            id: "directus".into(),
        }
    }

    #[test]
    fn a_list_item_is_added_updated_and_removed_keeping_every_other_byte() {
        let mut doc = YamlDocument::parse(CONTINUE).unwrap();
        let entry = json!({ "name": "directus", "type": "streamable-http", "url": "https://h/mcp",
                            "requestOptions": { "headers": { "Authorization": "Bearer a: #b" } } });
        doc.set(&item(), &entry, &["type", "url", "requestOptions"])
            .unwrap();
        let text = doc.to_text();
        assert!(text.starts_with(CONTINUE), "{text}");
        assert_eq!(doc.get(&item()), Some(entry));
        // An update touches only our members; one the user added stays.
        let mut doc =
            YamlDocument::parse(&text.replace("    url:", "    timeout: 30\n    url:")).unwrap();
        let entry =
            json!({ "name": "directus", "type": "streamable-http", "url": "https://h/mcp" });
        doc.set(&item(), &entry, &["type", "url", "requestOptions"])
            .unwrap();
        let got = doc.get(&item()).unwrap();
        assert_eq!(got["timeout"], 30);
        assert!(got.get("requestOptions").is_none(), "{got}");
        assert!(doc.remove(&item(), true).unwrap());
        assert_eq!(doc.to_text(), CONTINUE);
    }

    #[test]
    fn a_mapping_entry_and_the_mappings_leading_to_it_come_and_go() {
        let text = "# goose\nGOOSE_PROVIDER: openai\n";
        let mut doc = YamlDocument::parse(text).unwrap();
        let path = EntryPath::key(&["extensions", "directus"]);
        let entry = json!({ "name": "directus", "type": "streamable_http", "uri": "https://h/mcp", "enabled": true, "timeout": 300 });
        doc.set(&path, &entry, &[]).unwrap();
        assert_eq!(doc.get(&path), Some(entry));
        assert!(doc.to_text().starts_with(text));
        assert!(doc.remove(&path, true).unwrap());
        assert_eq!(doc.to_text(), text);
    }

    #[test]
    fn an_empty_or_comment_only_file_gets_a_mapping_below_its_comments() {
        for text in ["", "# nothing yet\n"] {
            let mut doc = YamlDocument::parse(text).unwrap();
            let path = EntryPath::key(&["extensions", "directus"]);
            doc.set(&path, &json!({ "uri": "u" }), &[]).unwrap();
            let written = doc.to_text();
            assert!(written.starts_with(text), "{written}");
            assert_eq!(
                YamlDocument::parse(&written).unwrap().get(&path),
                Some(json!({ "uri": "u" }))
            );
            assert!(doc.remove(&path, true).unwrap());
            assert_eq!(doc.to_text(), text);
        }
    }

    #[test]
    fn a_duplicate_key_on_the_way_to_the_entry_is_refused_with_both_lines() {
        let text = "extensions:\n  other:\n    uri: x\nGOOSE_MODEL: m\nextensions:\n  directus:\n    uri: y\n";
        let mut doc = YamlDocument::parse(text).unwrap();
        let path = EntryPath::key(&["extensions", "directus"]);
        let error = doc.set(&path, &json!({ "uri": "u" }), &[]).unwrap_err();
        assert_eq!(
            error,
            DocumentError::DuplicateKey {
                key: "extensions".into(),
                first_line: 1,
                last_line: 5
            }
        );
        assert!(doc.remove(&path, true).is_err());
        assert_eq!(doc.to_text(), text, "nothing changed");
        // Continue's list twice.
        let text = "mcpServers:\n  - name: a\nname: x\nmcpServers: []\n";
        let mut doc = YamlDocument::parse(text).unwrap();
        let error = doc
            .set(&item(), &json!({ "name": "directus" }), &[])
            .unwrap_err();
        assert!(
            matches!(error, DocumentError::DuplicateKey { ref key, first_line: 1, last_line: 4 } if key == "mcpServers"),
            "{error:?}"
        );
    }

    /// The file as serde_norway (an independent YAML reader) reads it.
    fn read(text: &str) -> Json {
        serde_norway::from_str(text).unwrap()
    }

    #[test]
    fn a_block_scalar_ending_the_file_keeps_its_value_whatever_its_chomping() {
        use crate::config_edit::{Entry, Format, remove_entries, set_entries};
        let continue_entry =
            json!({ "name": "directus", "type": "streamable-http", "url": "https://h/mcp" });
        let goose_entry =
            json!({ "name": "directus", "type": "streamable_http", "uri": "https://h/mcp" });
        let goose_path = EntryPath::key(&["extensions", "directus"]);
        let mut checked = 0;
        for indicator in ["|", "|-", "|+", ">", ">-", ">+", "|2", ">+2  # note"] {
            for end in ["", "\n"] {
                let cases = [
                    // The last server's last member, then our server after it.
                    (
                        format!(
                            "name: Local\nmcpServers:\n  - name: other\n    prompt: {indicator}\n      be brief\n      really{end}"
                        ),
                        item(),
                        &continue_entry,
                    ),
                    // The file's last key, then `mcpServers:` made after it.
                    (
                        format!("name: Local\nrules:\n  - {indicator}\n      be brief{end}"),
                        item(),
                        &continue_entry,
                    ),
                    (
                        format!(
                            "extensions:\n  other:\n    name: other\n    description: {indicator}\n      be brief\n      really{end}"
                        ),
                        goose_path.clone(),
                        &goose_entry,
                    ),
                    (
                        format!(
                            "GOOSE_PROVIDER: openai\ninstructions: {indicator}\n  be brief{end}"
                        ),
                        goose_path.clone(),
                        &goose_entry,
                    ),
                ];
                for (before, path, value) in cases {
                    let entries = [Entry {
                        path: path.clone(),
                        value: Some(value.clone()),
                        managed: &[],
                    }];
                    let after = set_entries(Format::Yaml, Some(&before), &entries).unwrap();
                    let mut read_after = read(&after);
                    let read_before = read(&before);
                    match &path {
                        EntryPath::Key(_) => {
                            let extensions = read_after["extensions"].as_object_mut().unwrap();
                            assert_eq!(extensions.shift_remove("directus").as_ref(), Some(value));
                            if extensions.is_empty() {
                                read_after
                                    .as_object_mut()
                                    .unwrap()
                                    .shift_remove("extensions");
                            }
                        }
                        EntryPath::ArrayItem { .. } => {
                            let servers = read_after["mcpServers"].as_array_mut().unwrap();
                            assert_eq!(servers.pop().as_ref(), Some(value));
                            if servers.is_empty() {
                                read_after
                                    .as_object_mut()
                                    .unwrap()
                                    .shift_remove("mcpServers");
                            }
                        }
                    }
                    assert_eq!(read_after, read_before, "{before:?}\n→ {after:?}");
                    let undone =
                        remove_entries(Format::Yaml, &after, Some(&before), &[path]).unwrap();
                    assert_eq!(undone.as_deref(), Some(before.as_str()));
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 64);
    }

    #[test]
    fn malformed_and_unexpected_documents_are_refused_with_where() {
        assert!(matches!(
            YamlDocument::parse("a: [1, 2\nb: 3\n"),
            Err(DocumentError::Syntax { .. })
        ));
        assert!(matches!(
            YamlDocument::parse("- a\n- b\n"),
            Err(DocumentError::Shape { .. })
        ));
        let mut doc = YamlDocument::parse("mcpServers: 3\n").unwrap();
        assert!(matches!(
            doc.set(&item(), &json!({ "name": "directus" }), &[]),
            Err(DocumentError::Shape { .. })
        ));
    }
}

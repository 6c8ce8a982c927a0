//! JSON and JSONC files edited through `jsonc-parser`'s concrete syntax tree: only the
//! entry changes; comments, order, indentation, trailing commas stay as they were.

use jsonc_parser::cst::{CstArray, CstInputValue, CstNode, CstObject, CstObjectProp, CstRootNode};
use jsonc_parser::{CollectOptions, ParseOptions, ast};
use serde_json::Value;

use super::document::{
    ConfigDocument, DocumentError, EntryPath, kind_of, line_and_column, on_the_way,
};
use super::text_style::TextStyle;

/// A parsed JSON(C) document.
pub struct JsoncDocument {
    root: CstRootNode,
    style: TextStyle,
    /// The keys written twice in one object, down to [`DUPLICATE_SEARCH_DEPTH`].
    duplicates: Vec<Duplicate>,
}

/// How deep duplicate keys are looked for: every client's entry sits within a few levels
/// (`mcp.servers.NAME.headers`).
const DUPLICATE_SEARCH_DEPTH: usize = 8;

/// A key written more than once in the same object.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Duplicate {
    /// The keys from the top, the duplicated one last.
    keys: Vec<String>,
    /// The line of the first occurrence.
    first_line: usize,
    /// The line of the last occurrence.
    last_line: usize,
}

/// What editors accept in JSON settings files: comments and trailing commas, nothing looser
/// (a missing comma or a single-quoted string is an error, so a broken file is not "fixed").
fn parse_options() -> ParseOptions {
    ParseOptions {
        allow_comments: true,
        allow_trailing_commas: true,
        allow_loose_object_property_names: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

impl JsoncDocument {
    /// Parses `text`; an empty file (or one with only comments) is an empty document.
    pub fn parse(text: &str) -> Result<Self, DocumentError> {
        let (style, body) = TextStyle::detect(text);
        let root =
            CstRootNode::parse(body, &parse_options()).map_err(|error| DocumentError::Syntax {
                line: error.line_display(),
                column: error.column_display(),
                message: error.kind().to_string(),
            })?;
        if let Some(value) = root.value()
            && value.as_object().is_none()
        {
            return Err(DocumentError::Shape {
                key: "(top level)".into(),
                found: node_kind(&value),
                expected: "an object",
            });
        }
        Ok(Self {
            root,
            style,
            duplicates: duplicates(body),
        })
    }

    /// Refuses an edit at `keys` when a key on the way to it (or inside it) is written
    /// twice: the client reads the last one, the syntax tree would edit the first.
    fn refuse_duplicates(&self, keys: &[String]) -> Result<(), DocumentError> {
        match self
            .duplicates
            .iter()
            .find(|duplicate| on_the_way(keys, &duplicate.keys))
        {
            Some(duplicate) => Err(DocumentError::DuplicateKey {
                key: duplicate.keys.join("."),
                first_line: duplicate.first_line,
                last_line: duplicate.last_line,
            }),
            None => Ok(()),
        }
    }

    /// The object at `keys`, if every step is an object. `Err` when a step holds another kind.
    fn find_object(&self, keys: &[String]) -> Result<Option<CstObject>, DocumentError> {
        let Some(mut object) = self.root.object_value() else {
            return Ok(None);
        };
        for (depth, key) in keys.iter().enumerate() {
            let Some(node) = member(&object, key).and_then(|prop| prop.value()) else {
                return Ok(None);
            };
            object = node.as_object().ok_or_else(|| DocumentError::Shape {
                key: keys[..=depth].join("."),
                found: node_kind(&node),
                expected: "an object",
            })?;
        }
        Ok(Some(object))
    }

    /// The object at `keys`, creating missing steps, with `leaf` placed at the end of the
    /// path when the path has to be created (so it is written out in one go).
    /// Returns `None` when the whole path, `leaf` included, was created.
    fn object_or_create(
        &self,
        keys: &[String],
        leaf: (&str, &Value),
    ) -> Result<Option<CstObject>, DocumentError> {
        let mut object = self.root.object_value_or_set();
        for (depth, key) in keys.iter().enumerate() {
            match object.get(key).and_then(|prop| prop.value()) {
                Some(node) => {
                    object = node.as_object().ok_or_else(|| DocumentError::Shape {
                        key: keys[..=depth].join("."),
                        found: node_kind(&node),
                        expected: "an object",
                    })?;
                }
                None => {
                    let mut nested = serde_json::Map::new();
                    nested.insert(leaf.0.to_owned(), leaf.1.clone());
                    for inner in keys[depth + 1..].iter().rev() {
                        let mut outer = serde_json::Map::new();
                        outer.insert(inner.clone(), Value::Object(nested));
                        nested = outer;
                    }
                    object.append(key, input(&Value::Object(nested)));
                    return Ok(None);
                }
            }
        }
        Ok(Some(object))
    }

    fn find_array_item(
        &self,
        array: &[String],
        id_key: &str,
        id: &str,
    ) -> Result<Option<(CstArray, CstNode)>, DocumentError> {
        let Some((parent, last)) = self.split_array_path(array)? else {
            return Ok(None);
        };
        let Some(node) = parent.get(last).and_then(|prop| prop.value()) else {
            return Ok(None);
        };
        let list = node.as_array().ok_or_else(|| DocumentError::Shape {
            key: array.join("."),
            found: node_kind(&node),
            expected: "a list",
        })?;
        let found = list.elements().into_iter().find(|element| {
            element
                .to_serde_value()
                .and_then(|value| value.get(id_key).cloned())
                .is_some_and(|value| value == Value::String(id.to_owned()))
        });
        Ok(found.map(|element| (list, element)))
    }

    fn split_array_path<'a>(
        &self,
        array: &'a [String],
    ) -> Result<Option<(CstObject, &'a str)>, DocumentError> {
        let (last, parents) = array.split_last().expect("an array path has a key");
        Ok(self
            .find_object(parents)?
            .map(|parent| (parent, last.as_str())))
    }

    fn set_key(
        &mut self,
        keys: &[String],
        value: &Value,
        managed: &[&str],
    ) -> Result<(), DocumentError> {
        let (name, parents) = keys.split_last().expect("an entry path has a key");
        let Some(parent) = self.object_or_create(parents, (name, value))? else {
            return Ok(());
        };
        let Some(prop) = parent.get(name) else {
            parent.append(name, input(value));
            return Ok(());
        };
        let existing = prop.value();
        if existing
            .as_ref()
            .and_then(|node| node.to_serde_value())
            .as_ref()
            == Some(value)
        {
            return Ok(());
        }
        match (existing.and_then(|node| node.as_object()), value) {
            (Some(entry), Value::Object(members)) => {
                for (key, member) in members {
                    match entry.get(key) {
                        Some(existing) => {
                            let current = existing.value().and_then(|node| node.to_serde_value());
                            if current.as_ref() != Some(member) {
                                existing.set_value(input(member));
                            }
                        }
                        None => {
                            entry.append(key, input(member));
                        }
                    }
                }
                for key in managed.iter().filter(|key| !members.contains_key(**key)) {
                    if let Some(stale) = entry.get(key) {
                        stale.remove();
                    }
                }
            }
            _ => prop.set_value(input(value)),
        }
        Ok(())
    }

    fn set_array_item(
        &mut self,
        array: &[String],
        id_key: &str,
        id: &str,
        value: &Value,
    ) -> Result<(), DocumentError> {
        if let Some((_, element)) = self.find_array_item(array, id_key, id)? {
            if element.to_serde_value().as_ref() != Some(value) {
                replace(element, value);
            }
            return Ok(());
        }
        let (name, parents) = array.split_last().expect("an array path has a key");
        let list = Value::Array(vec![value.clone()]);
        let Some(parent) = self.object_or_create(parents, (name, &list))? else {
            return Ok(());
        };
        match parent.get(name).and_then(|prop| prop.value()) {
            Some(node) => {
                let items = node.as_array().ok_or_else(|| DocumentError::Shape {
                    key: array.join("."),
                    found: node_kind(&node),
                    expected: "a list",
                })?;
                items.append(input(value));
            }
            None => {
                parent.append(name, input(&list));
            }
        }
        Ok(())
    }

    fn remove_key(&mut self, keys: &[String], prune: bool) -> Result<bool, DocumentError> {
        let (name, parents) = keys.split_last().expect("an entry path has a key");
        let Some(parent) = self.find_object(parents)? else {
            return Ok(false);
        };
        let Some(prop) = parent.get(name) else {
            return Ok(false);
        };
        prop.remove();
        if prune {
            self.prune(parents)?;
        }
        Ok(true)
    }

    fn remove_array_item(
        &mut self,
        array: &[String],
        id_key: &str,
        id: &str,
        prune: bool,
    ) -> Result<bool, DocumentError> {
        let Some((list, element)) = self.find_array_item(array, id_key, id)? else {
            return Ok(false);
        };
        element.remove();
        if prune && list.elements().is_empty() && !has_comments(&list.children()) {
            let (parent, last) = self
                .split_array_path(array)?
                .expect("the array was just found");
            match parent.get(last) {
                // A comment between the key and the list is the user's: keep it all.
                Some(prop) if touches_comments(&prop.clone().into()) => return Ok(true),
                Some(prop) => prop.remove(),
                None => {}
            }
            let (_, parents) = array.split_last().expect("an array path has a key");
            self.prune(parents)?;
        }
        Ok(true)
    }

    /// Removes the objects along `keys` that are left empty and hold no comment, deepest
    /// first: they only existed for the removed entry.
    fn prune(&mut self, keys: &[String]) -> Result<(), DocumentError> {
        for depth in (1..=keys.len()).rev() {
            let Some(object) = self.find_object(&keys[..depth])? else {
                return Ok(());
            };
            if !object.properties().is_empty() || has_comments(&object.children()) {
                return Ok(());
            }
            let parent = self
                .find_object(&keys[..depth - 1])?
                .expect("the parent of a found object exists");
            match parent.get(&keys[depth - 1]) {
                // A comment between the key and the object is the user's: keep it all.
                Some(prop) if touches_comments(&prop.clone().into()) => return Ok(()),
                Some(prop) => prop.remove(),
                None => {}
            }
        }
        Ok(())
    }
}

impl ConfigDocument for JsoncDocument {
    fn to_json(&self) -> Value {
        self.root
            .value()
            .and_then(|value| value.to_serde_value())
            .unwrap_or_else(|| Value::Object(serde_json::Map::new()))
    }

    fn get(&self, path: &EntryPath) -> Option<Value> {
        match path {
            EntryPath::Key(keys) => {
                let (name, parents) = keys.split_last()?;
                member(&self.find_object(parents).ok()??, name)?
                    .value()?
                    .to_serde_value()
            }
            EntryPath::ArrayItem { array, id_key, id } => self
                .find_array_item(array, id_key, id)
                .ok()??
                .1
                .to_serde_value(),
        }
    }

    fn set(
        &mut self,
        path: &EntryPath,
        value: &Value,
        managed: &[&str],
    ) -> Result<(), DocumentError> {
        self.refuse_duplicates(path_keys(path))?;
        match path {
            EntryPath::Key(keys) => self.set_key(keys, value, managed),
            EntryPath::ArrayItem { array, id_key, id } => {
                self.set_array_item(array, id_key, id, value)
            }
        }
    }

    fn remove(&mut self, path: &EntryPath, prune: bool) -> Result<bool, DocumentError> {
        self.refuse_duplicates(path_keys(path))?;
        match path {
            EntryPath::Key(keys) => self.remove_key(keys, prune),
            EntryPath::ArrayItem { array, id_key, id } => {
                self.remove_array_item(array, id_key, id, prune)
            }
        }
    }

    fn to_text(&self) -> String {
        self.style.apply(&self.root.to_string())
    }
}

/// The keys leading to the entry at `path` (for a list item: to the list).
fn path_keys(path: &EntryPath) -> &[String] {
    match path {
        EntryPath::Key(keys) => keys,
        EntryPath::ArrayItem { array, .. } => array,
    }
}

/// The member `key` of `object` that a client reads: the last one written (`JSON.parse`,
/// serde_json and the editors' readers all keep the last of duplicate keys).
fn member(object: &CstObject, key: &str) -> Option<CstObjectProp> {
    object
        .properties()
        .into_iter()
        .rfind(|prop| prop.decoded_name().as_deref() == Some(key))
}

/// The keys written more than once in one object of `body`, looked for through nested
/// objects down to [`DUPLICATE_SEARCH_DEPTH`].
fn duplicates(body: &str) -> Vec<Duplicate> {
    let Ok(parsed) = jsonc_parser::parse_to_ast(body, &CollectOptions::default(), &parse_options())
    else {
        return Vec::new();
    };
    let mut found = Vec::new();
    if let Some(ast::Value::Object(object)) = &parsed.value {
        find_duplicates(object, &mut Vec::new(), body, &mut found);
    }
    // The outermost first: that is the one to merge.
    found.sort_by_key(|duplicate| duplicate.keys.len());
    found
}

fn find_duplicates(
    object: &ast::Object,
    keys: &mut Vec<String>,
    body: &str,
    found: &mut Vec<Duplicate>,
) {
    if keys.len() >= DUPLICATE_SEARCH_DEPTH {
        return;
    }
    let line = |prop: &ast::ObjectProp| line_and_column(body, prop.range.start).0;
    // Each name's first and last property, in the order the names first appear.
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut names: Vec<(&ast::ObjectProp, &ast::ObjectProp, usize)> = Vec::new();
    for prop in &object.properties {
        match seen.get(prop.name.as_str()) {
            Some(&index) => {
                names[index].1 = prop;
                names[index].2 += 1;
            }
            None => {
                seen.insert(prop.name.as_str(), names.len());
                names.push((prop, prop, 1));
            }
        }
        if let ast::Value::Object(inner) = &prop.value {
            keys.push(prop.name.as_str().to_owned());
            find_duplicates(inner, keys, body, found);
            keys.pop();
        }
    }
    for (first, last, count) in names {
        if count > 1 {
            let mut path = keys.clone();
            path.push(first.name.as_str().to_owned());
            found.push(Duplicate {
                keys: path,
                first_line: line(first),
                last_line: line(last),
            });
        }
    }
}

fn replace(node: CstNode, value: &Value) {
    let replacement = input(value);
    if let Some(object) = node.as_object() {
        object.replace_with(replacement);
    } else if let Some(array) = node.as_array() {
        array.replace_with(replacement);
    }
}

fn has_comments(children: &[CstNode]) -> bool {
    children.iter().any(|child| child.is_comment())
}

/// Whether a comment is inside `node` or on its line, before or after it: removing the
/// node would take the user's comment with it.
fn touches_comments(node: &CstNode) -> bool {
    let on_its_line = |siblings: &mut dyn Iterator<Item = CstNode>| {
        siblings
            .take_while(|sibling| !sibling.is_newline())
            .any(|sibling| sibling.is_comment())
    };
    has_comments(&node.children())
        || on_its_line(&mut node.next_siblings())
        || on_its_line(&mut node.previous_siblings())
}

fn node_kind(node: &CstNode) -> &'static str {
    node.to_serde_value()
        .as_ref()
        .map(kind_of)
        .unwrap_or("a value")
}

/// A JSON value as the syntax tree's input, keeping member order.
fn input(value: &Value) -> CstInputValue {
    match value {
        Value::Null => CstInputValue::Null,
        Value::Bool(flag) => CstInputValue::Bool(*flag),
        Value::Number(number) => CstInputValue::Number(number.to_string()),
        Value::String(text) => CstInputValue::String(text.clone()),
        Value::Array(items) => CstInputValue::Array(items.iter().map(input).collect()),
        Value::Object(members) => CstInputValue::Object(
            members
                .iter()
                .map(|(key, member)| (key.clone(), input(member)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn servers(name: &str) -> EntryPath {
        EntryPath::key(&["mcpServers", name])
    }

    #[test]
    fn adds_an_entry_and_keeps_comments_and_other_entries() {
        let text = "{\n  // mine\n  \"mcpServers\": {\n    \"other\": {\"command\": \"x\"}, // tail\n  },\n}\n";
        let mut doc = JsoncDocument::parse(text).unwrap();
        doc.set(&servers("directus"), &json!({"url": "https://a/mcp"}), &[])
            .unwrap();
        let out = doc.to_text();
        assert!(out.contains("// mine") && out.contains("// tail"));
        assert!(out.contains("\"other\": {\"command\": \"x\"}, // tail"));
        let mut again = JsoncDocument::parse(&out).unwrap();
        assert_eq!(
            again.get(&servers("directus")),
            Some(json!({"url": "https://a/mcp"}))
        );
        assert!(again.remove(&servers("directus"), true).unwrap());
        assert_eq!(again.to_text(), text);
    }

    #[test]
    fn creates_the_container_and_prunes_it_on_removal() {
        let text = "{\n  \"theme\": \"dark\"\n}\n";
        let mut doc = JsoncDocument::parse(text).unwrap();
        doc.set(&servers("directus"), &json!({"url": "u"}), &[])
            .unwrap();
        assert!(doc.to_text().contains("\"mcpServers\""));
        doc.remove(&servers("directus"), true).unwrap();
        assert_eq!(doc.get(&EntryPath::key(&["mcpServers"])), None);
        assert_eq!(doc.get(&EntryPath::key(&["theme"])), Some(json!("dark")));
    }

    #[test]
    fn updates_only_managed_members() {
        let text = r#"{"mcpServers": {"directus": {"url": "old", "headers": {"A": "1"}, "disabled": false}}}"#;
        let mut doc = JsoncDocument::parse(text).unwrap();
        doc.set(
            &servers("directus"),
            &json!({"url": "new"}),
            &["url", "headers"],
        )
        .unwrap();
        assert_eq!(
            doc.get(&servers("directus")),
            Some(json!({"url": "new", "disabled": false}))
        );
    }

    #[test]
    fn array_items_by_id() {
        let path = EntryPath::ArrayItem {
            array: vec!["inputs".into()],
            id_key: "id".into(),
            id: "t".into(),
        };
        let text = "{\n  \"inputs\": [{\"id\": \"other\"}]\n}";
        let mut doc = JsoncDocument::parse(text).unwrap();
        doc.set(&path, &json!({"id": "t", "password": true}), &[])
            .unwrap();
        assert_eq!(doc.get(&path), Some(json!({"id": "t", "password": true})));
        doc.remove(&path, true).unwrap();
        assert_eq!(doc.get(&path), None);
        assert_eq!(
            doc.get(&EntryPath::key(&["inputs"])),
            Some(json!([{"id": "other"}]))
        );
    }

    #[test]
    fn malformed_text_names_line_and_column() {
        let error = JsoncDocument::parse("{\n  \"a\": 1\n  \"b\": 2\n}")
            .err()
            .unwrap();
        let DocumentError::Syntax { line, column, .. } = error else {
            panic!("{error:?}")
        };
        assert_eq!((line, column), (2, 9));
    }

    #[test]
    fn a_duplicate_key_on_the_way_to_the_entry_is_refused_with_both_lines() {
        let text = "{\n  \"mcpServers\": {\n    \"directus\": {\"url\": \"https://first/mcp\"}\n  },\n  \"theme\": 1,\n  \"mcpServers\": {\n    \"directus\": {\"url\": \"https://evil2.example/mcp\"}\n  }\n}\n";
        let mut doc = JsoncDocument::parse(text).unwrap();
        // What the client reads: the last one.
        assert_eq!(
            doc.get(&servers("directus")),
            Some(json!({"url": "https://evil2.example/mcp"}))
        );
        let error = doc
            .set(&servers("directus"), &json!({"url": "https://a/mcp"}), &[])
            .unwrap_err();
        assert_eq!(
            error,
            DocumentError::DuplicateKey {
                key: "mcpServers".into(),
                first_line: 2,
                last_line: 6
            }
        );
        assert!(error.to_string().contains("lines 2 and 6"), "{error}");
        assert!(doc.remove(&servers("directus"), true).is_err());
        assert_eq!(doc.to_text(), text, "nothing changed");

        // Our entry itself twice, or a member of it twice: refused too.
        for text in [
            r#"{"servers": {"directus": {"url": "a"}, "x": 1, "directus": {"url": "b"}}}"#,
            "{\"servers\": {\"directus\": {\"url\": \"a\",\n \"url\": \"b\"}}}",
        ] {
            let mut doc = JsoncDocument::parse(text).unwrap();
            let path = EntryPath::key(&["servers", "directus"]);
            let error = doc.set(&path, &json!({"url": "c"}), &[]).unwrap_err();
            assert!(
                matches!(error, DocumentError::DuplicateKey { .. }),
                "{error}"
            );
        }
        // A duplicate elsewhere (another server's members, another setting) is not ours.
        let text = r#"{"editor": {"a": 1, "a": 2}, "mcpServers": {"other": {"u": 1, "u": 2}}}"#;
        let mut doc = JsoncDocument::parse(text).unwrap();
        doc.set(&servers("directus"), &json!({"url": "c"}), &[])
            .unwrap();
        assert_eq!(doc.get(&servers("directus")), Some(json!({"url": "c"})));
    }

    #[test]
    fn a_wrong_shape_is_refused() {
        let mut doc = JsoncDocument::parse(r#"{"mcpServers": []}"#).unwrap();
        let error = doc.set(&servers("d"), &json!({}), &[]).unwrap_err();
        assert!(matches!(error, DocumentError::Shape { ref key, .. } if key == "mcpServers"));
        assert!(JsoncDocument::parse("[1]").is_err());
    }
}

//! TOML files edited through `toml_edit`: only the entry's table changes; comments,
//! order and spacing of everything else stay as they were.

use serde_json::Value as Json;
use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, TableLike, Value};

use super::document::{ConfigDocument, DocumentError, EntryPath, line_and_column};
use super::text_style::TextStyle;

/// A parsed TOML document.
pub struct TomlDocument {
    document: DocumentMut,
    style: TextStyle,
}

impl TomlDocument {
    /// Parses `text`.
    pub fn parse(text: &str) -> Result<Self, DocumentError> {
        let (style, body) = TextStyle::detect(text);
        let document = body.parse::<DocumentMut>().map_err(|error| {
            let offset = error.span().map(|span| span.start).unwrap_or(0);
            let (line, column) = line_and_column(body, offset);
            DocumentError::Syntax {
                line,
                column,
                message: error.message().trim().to_owned(),
            }
        })?;
        Ok(Self { document, style })
    }

    fn table_at(&self, keys: &[String]) -> Result<Option<&dyn TableLike>, DocumentError> {
        let mut table: &dyn TableLike = self.document.as_table();
        for (depth, key) in keys.iter().enumerate() {
            let Some(item) = table.get(key) else {
                return Ok(None);
            };
            table = item
                .as_table_like()
                .ok_or_else(|| shape(keys, depth, item))?;
        }
        Ok(Some(table))
    }

    fn table_at_mut(
        &mut self,
        keys: &[String],
        create: bool,
    ) -> Result<Option<&mut dyn TableLike>, DocumentError> {
        let mut table: &mut dyn TableLike = self.document.as_table_mut();
        for (depth, key) in keys.iter().enumerate() {
            if !table.contains_key(key) {
                if !create {
                    return Ok(None);
                }
                let mut implicit = Table::new();
                implicit.set_implicit(true);
                table.insert(key, Item::Table(implicit));
            }
            let item = table.get_mut(key).expect("present or just inserted");
            if item.as_table_like().is_none() {
                return Err(shape(keys, depth, item));
            }
            table = item.as_table_like_mut().expect("checked above");
        }
        Ok(Some(table))
    }
}

impl ConfigDocument for TomlDocument {
    fn to_json(&self) -> Json {
        item_to_json(self.document.as_item())
    }

    fn get(&self, path: &EntryPath) -> Option<Json> {
        let EntryPath::Key(keys) = path else {
            return None;
        };
        let (name, parents) = keys.split_last()?;
        self.table_at(parents).ok()??.get(name).map(item_to_json)
    }

    fn set(
        &mut self,
        path: &EntryPath,
        value: &Json,
        managed: &[&str],
    ) -> Result<(), DocumentError> {
        let keys = key_path(path);
        let (name, parents) = keys.split_last().expect("an entry path has a key");
        let parent = self.table_at_mut(parents, true)?.expect("created");
        if parent.get(name).map(item_to_json).as_ref() == Some(value) {
            return Ok(());
        }
        let existing_is_table = parent.get(name).is_some_and(|item| item.is_table_like());
        match (existing_is_table, value) {
            (true, Json::Object(members)) => {
                let entry = parent
                    .get_mut(name)
                    .and_then(Item::as_table_like_mut)
                    .expect("checked above");
                for (key, member) in members {
                    if entry.get(key).map(item_to_json).as_ref() != Some(member) {
                        entry.insert(key, Item::Value(json_to_value(member)));
                    }
                }
                for key in managed.iter().filter(|key| !members.contains_key(**key)) {
                    entry.remove(key);
                }
            }
            (_, Json::Object(members)) => {
                let mut table = Table::new();
                for (key, member) in members {
                    table.insert(key, Item::Value(json_to_value(member)));
                }
                parent.insert(name, Item::Table(table));
            }
            _ => {
                parent.insert(name, Item::Value(json_to_value(value)));
            }
        }
        Ok(())
    }

    fn remove(&mut self, path: &EntryPath, prune: bool) -> Result<bool, DocumentError> {
        let keys = key_path(path);
        let (name, parents) = keys.split_last().expect("an entry path has a key");
        let Some(parent) = self.table_at_mut(parents, false)? else {
            return Ok(false);
        };
        if parent.remove(name).is_none() {
            return Ok(false);
        }
        if !prune {
            return Ok(true);
        }
        // Drop the implicit tables that only led to the entry.
        for depth in (1..=parents.len()).rev() {
            let (last, above) = parents[..depth].split_last().expect("depth ≥ 1");
            let Some(container) = self.table_at_mut(above, false)? else {
                break;
            };
            let empty_implicit = container
                .get(last)
                .and_then(Item::as_table)
                .is_some_and(|table| table.is_empty() && table.is_implicit());
            if !empty_implicit {
                break;
            }
            container.remove(last);
        }
        Ok(true)
    }

    fn to_text(&self) -> String {
        self.style.apply(&self.document.to_string())
    }
}

fn key_path(path: &EntryPath) -> &[String] {
    match path {
        EntryPath::Key(keys) => keys,
        // No TOML client keeps a list of objects for us; treat the array's keys as the path.
        EntryPath::ArrayItem { array, .. } => array,
    }
}

fn shape(keys: &[String], depth: usize, item: &Item) -> DocumentError {
    DocumentError::Shape {
        key: keys[..=depth].join("."),
        found: item.type_name(),
        expected: "a table",
    }
}

fn item_to_json(item: &Item) -> Json {
    match item {
        Item::None => Json::Null,
        Item::Value(value) => value_to_json(value),
        Item::Table(table) => Json::Object(
            table
                .iter()
                .map(|(key, item)| (key.to_owned(), item_to_json(item)))
                .collect(),
        ),
        Item::ArrayOfTables(tables) => Json::Array(
            tables
                .iter()
                .map(|table| item_to_json(&Item::Table(table.clone())))
                .collect(),
        ),
    }
}

fn value_to_json(value: &Value) -> Json {
    match value {
        Value::String(text) => Json::String(text.value().clone()),
        Value::Integer(number) => Json::from(*number.value()),
        Value::Float(number) => serde_json::Number::from_f64(*number.value())
            .map(Json::Number)
            .unwrap_or(Json::Null),
        Value::Boolean(flag) => Json::Bool(*flag.value()),
        Value::Datetime(datetime) => Json::String(datetime.value().to_string()),
        Value::Array(items) => Json::Array(items.iter().map(value_to_json).collect()),
        Value::InlineTable(table) => Json::Object(
            table
                .iter()
                .map(|(key, value)| (key.to_owned(), value_to_json(value)))
                .collect(),
        ),
    }
}

fn json_to_value(json: &Json) -> Value {
    match json {
        // TOML has no null; an empty string is the closest and no entry of ours uses it.
        Json::Null => Value::from(""),
        Json::Bool(flag) => Value::from(*flag),
        Json::Number(number) => match number.as_i64() {
            Some(integer) => Value::from(integer),
            None => Value::from(number.as_f64().unwrap_or_default()),
        },
        Json::String(text) => Value::from(text.as_str()),
        Json::Array(items) => Value::Array(items.iter().map(json_to_value).collect::<Array>()),
        Json::Object(members) => Value::InlineTable(
            members
                .iter()
                .map(|(key, member)| (key.clone(), json_to_value(member)))
                .collect::<InlineTable>(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry() -> EntryPath {
        EntryPath::key(&["mcp_servers", "directus"])
    }

    #[test]
    fn adds_a_table_and_removes_it_byte_for_byte() {
        let text = "# my codex\nmodel = \"o3\" # fast\n\n[mcp_servers.other]\ncommand = \"x\"\n";
        let mut doc = TomlDocument::parse(text).unwrap();
        let value = json!({"url": "https://a/mcp", "bearer_token_env_var": "T"});
        doc.set(&entry(), &value, &[]).unwrap();
        let out = doc.to_text();
        assert!(out.starts_with("# my codex\nmodel = \"o3\" # fast\n"));
        assert!(out.contains("[mcp_servers.directus]\nurl = \"https://a/mcp\""));
        let mut again = TomlDocument::parse(&out).unwrap();
        assert_eq!(again.get(&entry()), Some(value));
        assert!(again.remove(&entry(), true).unwrap());
        assert_eq!(again.to_text(), text);
    }

    #[test]
    fn inline_headers_and_managed_members() {
        let text = "[mcp_servers.directus]\nurl = \"old\"\nbearer_token_env_var = \"T\"\nstartup_timeout_sec = 20\n";
        let mut doc = TomlDocument::parse(text).unwrap();
        let value = json!({"url": "new", "http_headers": {"Authorization": "Bearer x"}});
        doc.set(
            &entry(),
            &value,
            &["url", "bearer_token_env_var", "http_headers"],
        )
        .unwrap();
        assert_eq!(
            doc.get(&entry()),
            Some(
                json!({"url": "new", "startup_timeout_sec": 20, "http_headers": {"Authorization": "Bearer x"}})
            )
        );
    }

    #[test]
    fn duplicate_keys_and_tables_are_refused_with_the_line_of_the_second() {
        for (text, line) in [
            (
                "[mcp_servers.directus]\nurl = \"a\"\n\n[mcp_servers.directus]\nurl = \"b\"\n",
                4,
            ),
            ("[mcp_servers.directus]\nurl = \"a\"\nurl = \"b\"\n", 3),
            ("mcp_servers = {}\n[mcp_servers]\n", 2),
        ] {
            let error = TomlDocument::parse(text).err().unwrap();
            let DocumentError::Syntax {
                line: found,
                ref message,
                ..
            } = error
            else {
                panic!("{error:?}")
            };
            assert_eq!(found, line, "{text}: {message}");
            assert!(message.contains("duplicate"), "{message}");
        }
    }

    #[test]
    fn malformed_text_names_line_and_column() {
        let error = TomlDocument::parse("a = 1\nb = = 2\n").err().unwrap();
        assert!(
            matches!(error, DocumentError::Syntax { line: 2, .. }),
            "{error:?}"
        );
    }
}

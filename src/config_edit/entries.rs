//! Setting and taking out a group of entries so that taking them out gives back the exact
//! bytes there were before they were set.

use serde_json::Value;

use super::document::{DocumentError, EntryPath, Format};
use super::formats;

/// One entry to set (or remove, when `value` is `None`).
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Where it lives.
    pub path: EntryPath,
    /// Its value; `None` removes it (e.g. an input left over from another mode).
    pub value: Option<Value>,
    /// For an existing object entry: the members that are ours (see [`document::ConfigDocument::set`]).
    pub managed: &'static [&'static str],
}

/// The text after setting `entries` in `before` (`None`: no file yet).
pub fn set_entries(
    format: Format,
    before: Option<&str>,
    entries: &[Entry],
) -> Result<String, DocumentError> {
    let mut doc = formats::parse(format, before.unwrap_or(""))?;
    for entry in entries {
        match &entry.value {
            Some(value) => doc.set(&entry.path, value, entry.managed)?,
            // A leftover of another mode: out, but its container stays (it may be the user's).
            None => {
                doc.remove(&entry.path, false)?;
            }
        }
    }
    Ok(doc.to_text())
}

/// The text after taking the entries at `paths` out of `current`; `None` means the file
/// should be deleted (it held nothing else and did not exist before).
///
/// When `backup` (the file's previous version) is `current` minus exactly these entries, it
/// is returned byte for byte; when the file was created for them alone, `None`; otherwise
/// the entries are removed in place, everything else kept.
pub fn remove_entries(
    format: Format,
    current: &str,
    backup: Option<&str>,
    paths: &[EntryPath],
) -> Result<Option<String>, DocumentError> {
    let mut doc = formats::parse(format, current)?;
    let present: Vec<Entry> = paths
        .iter()
        .filter_map(|path| {
            doc.get(path).map(|value| Entry {
                path: path.clone(),
                value: Some(value),
                managed: &[],
            })
        })
        .collect();
    if present.is_empty() {
        return Ok(Some(current.to_owned()));
    }
    if let Some(backup) = backup
        && let Ok(previous) = formats::parse(format, backup)
        && paths.iter().all(|path| previous.get(path).is_none())
        && set_entries(format, Some(backup), &present).as_deref() == Ok(current)
    {
        return Ok(Some(backup.to_owned()));
    }
    if set_entries(format, None, &present).as_deref() == Ok(current) {
        return Ok(None);
    }
    for path in paths {
        doc.remove(path, true)?;
    }
    Ok(Some(doc.to_text()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry(name: &str) -> Entry {
        Entry {
            path: EntryPath::key(&["mcpServers", name]),
            value: Some(json!({"url": "https://d.example/mcp"})),
            managed: &["url", "headers"],
        }
    }

    #[test]
    fn backup_is_given_back_byte_for_byte() {
        let before = "{\"mcpServers\": {\"a\": {\"url\": \"x\"}}}";
        let after = set_entries(Format::Jsonc, Some(before), &[entry("d")]).unwrap();
        let paths = [entry("d").path];
        let undone = remove_entries(Format::Jsonc, &after, Some(before), &paths).unwrap();
        assert_eq!(undone.as_deref(), Some(before));
    }

    #[test]
    fn a_file_created_for_the_entry_is_deleted() {
        let after = set_entries(Format::Toml, None, &[entry("d")]).unwrap();
        let undone = remove_entries(Format::Toml, &after, None, &[entry("d").path]).unwrap();
        assert_eq!(undone, None);
    }

    #[test]
    fn edits_made_since_are_kept() {
        let before = "{\n  \"mcpServers\": {\n    \"a\": {}\n  }\n}\n";
        let after = set_entries(Format::Jsonc, Some(before), &[entry("d")]).unwrap();
        let edited = after.replace("\"a\": {}", "\"a\": {\"x\": 1}");
        let undone = remove_entries(Format::Jsonc, &edited, Some(before), &[entry("d").path])
            .unwrap()
            .unwrap();
        assert_eq!(undone, before.replace("\"a\": {}", "\"a\": {\"x\": 1}"));
    }
}

//! A file change as a unified diff (`--- a`, `+++ b`, `@@ -1,3 +1,4 @@` hunks with three
//! lines of context), line by line. The lines are matched by similar's Myers algorithm,
//! compacted as `TextDiff` does; only the hunks are written here, so the one algorithm is
//! all that is linked (similar's `TextDiff` brings every algorithm it can switch to, about
//! a quarter of a megabyte in the app).

use std::fmt::Write;

use similar::algorithms::{Capture, Compact, Replace, myers};
use similar::{ChangeTag, DiffOp, group_diff_ops};

/// Lines of unchanged text shown around each change.
const CONTEXT_LINES: usize = 3;

/// The unified diff from `before` to `after` under the header names `old_name` and
/// `new_name`; empty when nothing changed.
pub fn unified_diff(before: &str, after: &str, old_name: &str, new_name: &str) -> String {
    let old = lines(before);
    let new = lines(after);
    let mut hook = Compact::new(Replace::new(Capture::new()), &old, &new);
    let Ok(()) = myers::diff(&mut hook, &old, 0..old.len(), &new, 0..new.len());
    let ops = hook.into_inner().into_inner().into_ops();

    let mut out = String::new();
    for hunk in group_diff_ops(ops, CONTEXT_LINES) {
        if hunk.is_empty() {
            continue;
        }
        if out.is_empty() {
            let _ = writeln!(out, "--- {old_name}\n+++ {new_name}");
        }
        let _ = writeln!(out, "{}", hunk_header(&hunk));
        for change in hunk.iter().flat_map(|op| op.iter_changes(&old, &new)) {
            let sign = match change.tag() {
                ChangeTag::Equal => ' ',
                ChangeTag::Delete => '-',
                ChangeTag::Insert => '+',
            };
            let line = change.value();
            out.push(sign);
            out.push_str(line);
            if !line.ends_with(['\n', '\r']) {
                out.push_str("\n\\ No newline at end of file\n");
            }
        }
    }
    out
}

/// The text's lines, each with its line ending (`\n`, `\r\n` or a lone `\r`).
fn lines(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    let mut index = 0;
    while index < bytes.len() {
        let end = match bytes[index] {
            b'\r' if bytes.get(index + 1) == Some(&b'\n') => index + 2,
            b'\r' | b'\n' => index + 1,
            _ => {
                index += 1;
                continue;
            }
        };
        lines.push(&text[start..end]);
        start = end;
        index = end;
    }
    if start < text.len() {
        lines.push(&text[start..]);
    }
    lines
}

/// `@@ -old +new @@` for a hunk's operations.
fn hunk_header(hunk: &[DiffOp]) -> String {
    let (first, last) = (&hunk[0], &hunk[hunk.len() - 1]);
    format!(
        "@@ -{} +{} @@",
        hunk_range(first.old_range().start, last.old_range().end),
        hunk_range(first.new_range().start, last.new_range().end)
    )
}

/// A hunk's line range as unified diffs write it: `start,length` counted from 1, `start`
/// alone for one line, and an empty range named by the line before it.
fn hunk_range(start: usize, end: usize) -> String {
    match end.saturating_sub(start) {
        1 => format!("{}", start + 1),
        0 => format!("{start},0"),
        length => format!("{},{length}", start + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What similar's own unified diff writes (the format this module keeps).
    fn reference(before: &str, after: &str) -> String {
        similar::TextDiff::from_lines(before, after)
            .unified_diff()
            .context_radius(CONTEXT_LINES)
            .header("a", "b")
            .to_string()
    }

    #[test]
    fn matches_similars_unified_diff() {
        let long: String = (0..150).map(|n| format!("line {n}\n")).collect();
        let long_changed = long
            .replace("line 7\n", "line seven\n")
            .replace("line 140\n", "");
        let cases = [
            ("", ""),
            ("same\n", "same\n"),
            ("", "{\n  \"a\": 1\n}\n"),
            ("{\n  \"a\": 1\n}\n", ""),
            (
                "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n",
                "a\nb\nC\nd\ne\nf\ng\nh\ni\nJ\nk\n",
            ),
            ("no newline", "no newline\n"),
            ("x\ny", "x\nz"),
            ("crlf\r\nline\r\n", "crlf\r\nline\r\nmore\r\n"),
            ("lone\rcr\n", "lone\rCR\n"),
            ("{\n}\n", "{\n  \"mcpServers\": {}\n}\n"),
            (long.as_str(), long_changed.as_str()),
        ];
        for (before, after) in cases {
            assert_eq!(
                unified_diff(before, after, "a", "b"),
                reference(before, after),
                "{before:?} -> {after:?}"
            );
        }
    }

    proptest::proptest! {
        /// Texts made of a few distinct lines (so that they share many), with any endings.
        #[test]
        fn matches_similar_on_generated_texts(
            before in proptest::collection::vec((0..6u8, 0..4u8), 0..40),
            after in proptest::collection::vec((0..6u8, 0..4u8), 0..40),
        ) {
            let text = |lines: &[(u8, u8)]| -> String {
                lines
                    .iter()
                    .map(|&(word, ending)| {
                        format!("line {word}{}", ["\n", "\r\n", "\r", ""][usize::from(ending)])
                    })
                    .collect()
            };
            let (before, after) = (text(&before), text(&after));
            proptest::prop_assert_eq!(
                unified_diff(&before, &after, "a", "b"),
                reference(&before, &after)
            );
        }
    }

    #[test]
    fn splits_lines_keeping_their_endings() {
        assert_eq!(lines("a\nb\r\nc\rd"), ["a\n", "b\r\n", "c\r", "d"]);
        assert!(lines("").is_empty());
    }
}

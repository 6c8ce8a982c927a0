//! Whether a path lies inside a folder, decided on the paths' text so that the Windows rules
//! are checked on every system: on Windows a link may name its target in the verbatim form
//! (`\\?\C:\…`, `\\?\UNC\server\share\…`, what `mklink` and `fs::canonicalize` produce) while
//! the folder is a plain drive path, and names differ only in case (`C:\Work` and
//! `c:\work` are the same folder). Elsewhere paths are compared as written, part by part.

/// How the system spells and compares paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PathStyle {
    /// `/`-separated, case-sensitive.
    Unix,
    /// `\` (or `/`) separated, verbatim prefixes, case-insensitive.
    Windows,
}

impl PathStyle {
    /// This system's style.
    pub(super) fn current() -> Self {
        if cfg!(windows) {
            Self::Windows
        } else {
            Self::Unix
        }
    }
}

/// `path` without a verbatim prefix, when it has one that a plain path can say:
/// `\\?\C:\x` → `C:\x`, `\\?\UNC\server\share\x` → `\\server\share\x`. Other paths (and a
/// verbatim path that names a device or volume GUID) are returned as they are.
pub(super) fn without_verbatim_prefix(path: &str) -> String {
    let Some(rest) = path.strip_prefix(r"\\?\") else {
        return path.to_owned();
    };
    let bytes = rest.as_bytes();
    if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        return rest.to_owned();
    }
    match rest.get(..4) {
        Some(unc) if unc.eq_ignore_ascii_case(r"UNC\") => format!(r"\\{}", &rest[4..]),
        _ => path.to_owned(),
    }
}

/// The parts of `path` as `style` compares them: on Windows without a verbatim prefix,
/// either separator, and upper-cased (as Windows compares names); empty and `.` parts
/// dropped. A UNC path keeps a marker first, so it never equals a drive path.
fn comparable_parts(path: &str, style: PathStyle) -> Vec<String> {
    match style {
        PathStyle::Unix => path
            .split('/')
            .filter(|part| !part.is_empty() && *part != ".")
            .map(str::to_owned)
            .collect(),
        PathStyle::Windows => {
            let plain = without_verbatim_prefix(path);
            let unc = plain.starts_with(r"\\") || plain.starts_with("//");
            let parts = plain
                .split(['\\', '/'])
                .filter(|part| !part.is_empty() && *part != ".")
                .map(|part| part.chars().flat_map(char::to_uppercase).collect());
            if unc {
                std::iter::once(r"\\".to_owned()).chain(parts).collect()
            } else {
                parts.collect()
            }
        }
    }
}

/// Whether `path` is `folder` or lies inside it, part by part (`C:\work2` is not inside
/// `C:\work`).
pub(super) fn is_within(path: &str, folder: &str, style: PathStyle) -> bool {
    let path = comparable_parts(path, style);
    let folder = comparable_parts(folder, style);
    path.len() >= folder.len() && path.iter().zip(&folder).all(|(part, own)| part == own)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FOLDER: &str = r"C:\Users\Ada\project";

    #[test]
    fn a_verbatim_link_target_inside_the_folder_is_inside() {
        assert!(is_within(
            r"\\?\C:\Users\Ada\project\.cursor\mcp.json",
            FOLDER,
            PathStyle::Windows
        ));
        assert_eq!(without_verbatim_prefix(r"\\?\C:\Users\Ada\project"), FOLDER);
    }

    #[test]
    fn drive_letter_and_name_case_do_not_matter_on_windows() {
        assert!(is_within(
            r"c:\users\ADA\Project\.vscode\mcp.json",
            FOLDER,
            PathStyle::Windows
        ));
        assert!(is_within(
            "c:/users/ada/project/.vscode/mcp.json",
            FOLDER,
            PathStyle::Windows
        ));
        // Elsewhere case is part of the name.
        assert!(!is_within(
            "/home/ada/Project/x.json",
            "/home/ada/project",
            PathStyle::Unix
        ));
    }

    #[test]
    fn unc_paths_compare_with_their_verbatim_form_and_never_with_a_drive() {
        let share = r"\\fileserver\team\project";
        assert_eq!(
            without_verbatim_prefix(r"\\?\UNC\fileserver\team\project"),
            share
        );
        assert!(is_within(
            r"\\?\UNC\FileServer\Team\project\.mcp.json",
            share,
            PathStyle::Windows
        ));
        assert!(!is_within(
            r"\\?\UNC\fileserver\other\project\.mcp.json",
            share,
            PathStyle::Windows
        ));
        assert!(!is_within(
            r"C:\fileserver\team\project\.mcp.json",
            share,
            PathStyle::Windows
        ));
    }

    #[test]
    fn a_target_that_escapes_is_outside_whatever_its_spelling() {
        for outside in [
            r"\\?\C:\Users\Ada\.ssh\config",
            r"C:\Users\Ada\project2\mcp.json",
            r"D:\Users\Ada\project\mcp.json",
            r"\\?\D:\Users\Ada\project\mcp.json",
            r"\\?\Volume{3f2504e0-4f89-11d3-9a0c-0305e82c3301}\Users\Ada\project\x",
        ] {
            assert!(!is_within(outside, FOLDER, PathStyle::Windows), "{outside}");
        }
        assert!(!is_within(
            "/home/ada/project2/x.json",
            "/home/ada/project",
            PathStyle::Unix
        ));
        assert!(is_within(
            "/home/ada/project/x.json",
            "/home/ada/project/",
            PathStyle::Unix
        ));
    }
}

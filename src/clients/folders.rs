//! What the path choices look at on disk, behind a small trait so each choice is a pure
//! function of the environment and a folder tree (tests give a synthetic one).

use std::path::Path;

/// The questions a path choice asks of the file system.
pub trait FolderTree {
    /// Whether `path` is a folder.
    fn is_dir(&self, path: &Path) -> bool;
    /// Whether `path` is a file.
    fn is_file(&self, path: &Path) -> bool;
    /// The names of the folders directly inside `path` (none when it cannot be read).
    fn subfolders(&self, path: &Path) -> Vec<String>;
}

/// This computer's file system.
#[derive(Debug, Clone, Copy, Default)]
pub struct RealFolders;

impl FolderTree for RealFolders {
    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir()
    }

    fn is_file(&self, path: &Path) -> bool {
        path.is_file()
    }

    fn subfolders(&self, path: &Path) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(path) else {
            return Vec::new();
        };
        let mut names: Vec<String> = entries
            .flatten()
            .filter(|entry| entry.path().is_dir())
            .filter_map(|entry| entry.file_name().into_string().ok())
            .collect();
        names.sort();
        names
    }
}

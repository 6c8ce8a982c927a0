//! A plan: every change a connect or disconnect will make, shown before it is made.
//! [`PlanView`] is what the user sees (diffs, commands, steps) with every secret masked.

use std::path::PathBuf;

use serde::Serialize;
use ts_rs::TS;

mod unified_diff;

use super::redact;
use crate::config_edit::Format;
use crate::config_edit::file::Backup;
use crate::secret::SecretString;

/// What stands in for a secret in everything shown.
pub const MASK: &str = super::redact::MASK;

/// The changes for one client.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The client's id.
    pub client: String,
    /// The steps, in order.
    pub steps: Vec<Step>,
    /// Other ways to do the same (a one-click link), shown beside the steps.
    pub alternatives: Vec<ManualSteps>,
    /// Things the user should know (where a token lives, what happens on first use, …).
    pub notes: Vec<String>,
    /// Values masked in every view of this plan.
    pub secrets: Vec<SecretString>,
}

/// One step of a plan.
#[derive(Debug, Clone)]
pub enum Step {
    /// Change (or create, or delete) one file.
    EditFile(FileEdit),
    /// Run the client's own command.
    RunProgram(ProgramRun),
    /// Steps only the user can do, in the client's own window, with values to copy.
    Manual(ManualSteps),
}

/// A file's text before and after.
#[derive(Clone, PartialEq, Eq)]
pub struct FileEdit {
    /// The file (symlinks are followed when writing).
    pub path: PathBuf,
    /// Its text now; `None` when it does not exist.
    pub before: Option<String>,
    /// Its text after; `None` to delete it (it was ours alone).
    pub after: Option<String>,
    /// The file's syntax (so every credential in it can be found and masked in views).
    pub format: Format,
    /// Whether the new text holds a token (the file is then made owner-only, 0600).
    pub holds_secret: bool,
    /// What becomes of the backup: a first connect keeps the version before it; an update
    /// of our entry keeps that same backup (so disconnecting can still give that version
    /// back byte for byte); a disconnect leaves none, so no token outlives it on disk.
    pub backup: Backup,
    /// When the file is deleted: the folder (a project's) up to which folders left empty
    /// are removed too, so a project looks as it did before the first connect.
    pub prune_up_to: Option<PathBuf>,
}

/// Debug output names the file and the sizes only: the texts may hold tokens.
impl std::fmt::Debug for FileEdit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let size =
            |text: &Option<String>| text.as_ref().map(|text| format!("{} bytes", text.len()));
        f.debug_struct("FileEdit")
            .field("path", &self.path)
            .field("before", &size(&self.before))
            .field("after", &size(&self.after))
            .field("format", &self.format)
            .field("holds_secret", &self.holds_secret)
            .field("backup", &self.backup)
            .finish()
    }
}

/// A command to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramRun {
    /// The program's full path.
    pub program: PathBuf,
    /// Its arguments.
    pub args: Vec<String>,
    /// The folder to run it in.
    pub cwd: Option<PathBuf>,
    /// The settings file the command rewrites: locked while it runs, and given back as it
    /// was when a later step fails.
    pub rewrites: Option<PathBuf>,
}

impl ProgramRun {
    /// The command line as a shell would read it.
    pub fn display(&self) -> String {
        let name = self
            .program
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        std::iter::once(name)
            .chain(self.args.iter().map(|arg| shell_quote(arg)))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Instructions to follow by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ManualSteps {
    /// What these steps achieve.
    pub title: String,
    /// The steps, in order.
    pub steps: Vec<Instruction>,
    /// A link that does it in one click (a deeplink), when the client has one.
    pub link: Option<CopyValue>,
}

/// One instruction, with the value it asks to paste.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Instruction {
    /// What to do.
    pub text: String,
    /// The value to copy, if any.
    pub copy: Option<CopyValue>,
}

/// A value to copy (or a link to open).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CopyValue {
    /// What the value is.
    pub label: String,
    /// The value itself (masked in views when it is secret, unless revealed).
    pub value: String,
    /// Whether it holds a token.
    pub secret: bool,
}

impl Instruction {
    /// A step without a value.
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            copy: None,
        }
    }

    /// A step with a value to paste.
    pub fn copy(
        text: impl Into<String>,
        label: impl Into<String>,
        value: impl Into<String>,
        secret: bool,
    ) -> Self {
        Self {
            text: text.into(),
            copy: Some(CopyValue {
                label: label.into(),
                value: value.into(),
                secret,
            }),
        }
    }
}

/// What a plan will do, as shown to the user (JSON for the app and `--json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PlanView {
    /// The client's id.
    pub client: String,
    /// The steps.
    pub steps: Vec<StepView>,
    /// Other ways to do the same (secrets masked unless revealed).
    pub alternatives: Vec<ManualSteps>,
    /// Things to know.
    pub notes: Vec<String>,
    /// Whether nothing needs to change.
    pub up_to_date: bool,
}

/// One step as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StepView {
    /// A file change with its unified diff.
    EditFile {
        /// The file.
        path: String,
        /// What happens to the file.
        change: EditKind,
        /// The unified diff (secrets masked).
        diff: String,
        /// Whether the file will hold a token (and so be made owner-only).
        holds_secret: bool,
    },
    /// A command to run.
    RunProgram {
        /// The command line (secrets masked).
        command: String,
    },
    /// Steps to follow by hand.
    Manual(ManualSteps),
}

/// What a file edit does to the file (`create`, `update`, `delete` or `unchanged` in JSON
/// and in words).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EditKind {
    /// The file does not exist yet.
    Create,
    /// The file exists and its content changes.
    Update,
    /// The file is removed (nothing of the user's was left in it).
    Delete,
    /// The file already holds what the plan would write.
    Unchanged,
}

impl EditKind {
    /// The kind of the edit from `before` to `after` (`None`: no file).
    pub fn of<T: PartialEq>(before: &Option<T>, after: &Option<T>) -> Self {
        match (before, after) {
            (before, after) if before == after => Self::Unchanged,
            (None, _) => Self::Create,
            (_, None) => Self::Delete,
            _ => Self::Update,
        }
    }
}

impl std::fmt::Display for EditKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Create => "create",
            Self::Update => "update",
            Self::Delete => "delete",
            Self::Unchanged => "unchanged",
        })
    }
}

impl Plan {
    /// A plan with these steps and no notes.
    pub fn new(client: impl Into<String>, steps: Vec<Step>) -> Self {
        Self {
            client: client.into(),
            steps,
            alternatives: Vec::new(),
            notes: Vec::new(),
            secrets: Vec::new(),
        }
    }

    /// Whether carrying the plan out would change nothing.
    pub fn is_up_to_date(&self) -> bool {
        self.steps.iter().all(|step| match step {
            Step::EditFile(edit) => edit.before == edit.after,
            Step::RunProgram(_) | Step::Manual(_) => false,
        })
    }

    /// The value labelled `label` in the plan's manual steps or alternatives (a URL or link
    /// holding the token too), for a copy button that fetches it only when pressed.
    pub fn copy_value(&self, label: &str) -> Option<SecretString> {
        self.manual_steps()
            .flat_map(|manual| {
                manual
                    .steps
                    .iter()
                    .filter_map(|step| step.copy.as_ref())
                    .chain(manual.link.as_ref())
            })
            .find(|copy| copy.label == label)
            .map(|copy| SecretString::new(copy.value.clone()))
    }

    /// The link labelled `label` in the plan's manual steps or alternatives (an install link,
    /// a connector page), for an Open button.
    pub fn link(&self, label: &str) -> Option<&CopyValue> {
        self.manual_steps()
            .filter_map(|manual| manual.link.as_ref())
            .find(|link| link.label == label)
    }

    /// The steps the user carries out, then the alternatives offered beside the plan.
    fn manual_steps(&self) -> impl Iterator<Item = &ManualSteps> {
        self.steps
            .iter()
            .filter_map(|step| match step {
                Step::Manual(manual) => Some(manual),
                _ => None,
            })
            .chain(self.alternatives.iter())
    }

    /// The view, with secrets masked everywhere, manual values too unless `reveal`: the
    /// plan's own secrets and every credential found in the files it edits (old tokens of
    /// ours, the user's other servers' keys), in diffs, commands and notes alike.
    pub fn view(&self, reveal: bool) -> PlanView {
        let found = self.secrets_in_files();
        let mask = |text: &str| {
            redact::mask_values(&self.mask(text), found.iter().map(String::as_str), MASK)
        };
        let steps = self
            .steps
            .iter()
            .map(|step| match step {
                Step::EditFile(edit) => StepView::EditFile {
                    path: edit.path.display().to_string(),
                    change: EditKind::of(&edit.before, &edit.after),
                    diff: mask(&unified_diff(edit)),
                    holds_secret: edit.holds_secret,
                },
                Step::RunProgram(run) => StepView::RunProgram {
                    command: mask(&run.display()),
                },
                Step::Manual(manual) => StepView::Manual(self.masked(manual, reveal)),
            })
            .collect();
        PlanView {
            client: self.client.clone(),
            steps,
            alternatives: self
                .alternatives
                .iter()
                .map(|manual| self.masked(manual, reveal))
                .collect(),
            notes: self.notes.iter().map(|note| mask(note)).collect(),
            up_to_date: self.is_up_to_date(),
        }
    }

    /// `manual` with its secret values masked, unless `reveal`.
    fn masked(&self, manual: &ManualSteps, reveal: bool) -> ManualSteps {
        let mut manual = manual.clone();
        if !reveal {
            let values = manual
                .steps
                .iter_mut()
                .filter_map(|step| step.copy.as_mut())
                .chain(manual.link.as_mut());
            for value in values.filter(|value| value.secret) {
                let masked = self.mask(&value.value);
                value.value = if masked == value.value {
                    format!("{MASK} (holds the token; reveal to see it)")
                } else {
                    masked
                };
            }
        }
        manual
    }

    /// Every credential-looking value in the texts the plan's file edits read and write.
    fn secrets_in_files(&self) -> Vec<String> {
        self.steps
            .iter()
            .filter_map(|step| match step {
                Step::EditFile(edit) => Some(edit),
                _ => None,
            })
            .flat_map(|edit| {
                [&edit.before, &edit.after]
                    .into_iter()
                    .flatten()
                    .flat_map(|text| redact::secret_values(edit.format, text))
            })
            .collect()
    }

    /// `text` with every secret of the plan replaced by [`MASK`].
    pub fn mask(&self, text: &str) -> String {
        self.secrets
            .iter()
            .filter(|secret| !secret.expose().is_empty())
            .fold(text.to_owned(), |text, secret| {
                text.replace(secret.expose(), MASK)
            })
    }
}

/// The unified diff of a file edit, labelled with the file's path.
fn unified_diff(edit: &FileEdit) -> String {
    let name = edit.path.display().to_string();
    unified_diff::unified_diff(
        edit.before.as_deref().unwrap_or(""),
        edit.after.as_deref().unwrap_or(""),
        if edit.before.is_some() {
            &name
        } else {
            "/dev/null"
        },
        if edit.after.is_some() {
            &name
        } else {
            "/dev/null"
        },
    )
}

/// `arg`, quoted for a POSIX shell when it needs it.
fn shell_quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c));
    if plain {
        arg.to_owned()
    } else {
        format!("'{}'", arg.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_mask_secrets_in_diffs_commands_and_values() {
        let mut plan = Plan::new(
            "x",
            vec![
                Step::EditFile(FileEdit {
                    path: "/f.json".into(),
                    before: None,
                    after: Some("{\"t\": \"Bearer s3cret\"}\n".into()),
                    format: Format::Jsonc,
                    holds_secret: true,
                    backup: Backup::PreviousVersion,
                    prune_up_to: None,
                }),
                Step::RunProgram(ProgramRun {
                    program: "/bin/claude".into(),
                    args: vec!["--header".into(), "Authorization: Bearer s3cret".into()],
                    cwd: None,
                    rewrites: None,
                }),
                Step::Manual(ManualSteps {
                    title: "t".into(),
                    steps: vec![Instruction::copy(
                        "paste",
                        "URL",
                        "u?access_token=s3cret",
                        true,
                    )],
                    link: None,
                }),
            ],
        );
        plan.secrets.push(SecretString::new("s3cret"));
        let shown = serde_json::to_string(&plan.view(false)).unwrap();
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("claude --header 'Authorization: Bearer ••••••••'"));
        assert!(shown.contains("+{\\\"t\\\": \\\"Bearer ••••••••\\\"}"));
        let revealed = serde_json::to_string(&plan.view(true)).unwrap();
        assert!(revealed.contains("u?access_token=s3cret"));
        // A copy button's value, by its label; only secret values are handed out this way.
        assert_eq!(
            plan.copy_value("URL")
                .map(|value| value.expose().to_owned()),
            Some("u?access_token=s3cret".to_owned())
        );
        assert!(plan.copy_value("Name").is_none());
        // A file edit's Debug output (in logs and panics) names sizes, never the texts.
        let Step::EditFile(edit) = &plan.steps[0] else {
            panic!("the first step edits a file")
        };
        let debug = format!("{edit:?}");
        assert!(
            !debug.contains("s3cret") && debug.contains("after: Some(\"23 bytes\")"),
            "file texts stay out of debug output: {debug}"
        );
    }

    #[test]
    fn disconnect_views_mask_the_removed_token_and_the_neighbours_secrets() {
        let before = "{\n  \"mcpServers\": {\n    \"gh\": { \"env\": { \"GITHUB_TOKEN\": \"ghp_neighbour_1\" } },\n    \"directus\": { \"headers\": { \"Authorization\": \"Bearer live-token-123\" } }\n  }\n}\n";
        let plan = Plan::new(
            "x",
            vec![Step::EditFile(FileEdit {
                path: "/f.json".into(),
                before: Some(before.into()),
                after: Some("{}\n".into()),
                format: Format::Jsonc,
                holds_secret: false,
                backup: Backup::Discard,
                prune_up_to: None,
            })],
        );
        let shown = serde_json::to_string(&plan.view(false)).unwrap();
        assert!(
            !shown.contains("live-token-123") && !shown.contains("ghp_neighbour_1"),
            "{shown}"
        );
        assert!(
            shown.contains("GITHUB_TOKEN"),
            "keys stay readable: {shown}"
        );
    }
}

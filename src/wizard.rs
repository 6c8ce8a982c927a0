//! The payloads the desktop wizard sends and receives, and the calls behind its screens.
//! The Tauri commands only forward to these; the CLI calls the same `setup` functions.

pub mod activity_log;
pub mod authentication;
pub mod clients;
pub mod enable;
pub mod instances;
pub mod manage;
pub mod opened_link;
pub mod projects;
pub mod sharing;
pub mod updates;
pub mod verify;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::directus::Session;
use crate::directus::server_report::ServerReport;
use crate::secret::SecretString;
use crate::secret_store::SecretStore;
use crate::setup::{self, Login, SetupError};

/// How the admin signs in on the Connect screen.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum LoginInput {
    /// Email and password, with the one-time code when 2FA is on.
    Password {
        /// The admin's email.
        email: String,
        /// The password.
        #[ts(type = "string")]
        password: SecretString,
        /// The current one-time code, empty or absent when 2FA is off.
        otp: Option<String>,
    },
    /// The session kept in the OS keyring by an earlier sign-in.
    StoredSession {
        /// The admin's email.
        email: String,
    },
    /// An admin user's static token.
    AdminToken {
        /// The token.
        #[ts(type = "string")]
        token: SecretString,
    },
}

impl LoginInput {
    /// The email signed in with, if any.
    pub fn email(&self) -> Option<String> {
        match self {
            Self::Password { email, .. } | Self::StoredSession { email } => {
                Some(email.trim().to_owned())
            }
            Self::AdminToken { .. } => None,
        }
    }
}

impl From<LoginInput> for Login {
    fn from(input: LoginInput) -> Self {
        match input {
            LoginInput::Password {
                email,
                password,
                otp,
            } => Login::Password {
                email: email.trim().to_owned(),
                password,
                otp: otp
                    .map(|code| code.trim().to_owned())
                    .filter(|code| !code.is_empty()),
            },
            LoginInput::StoredSession { email } => Login::StoredSession {
                email: email.trim().to_owned(),
            },
            LoginInput::AdminToken { token } => {
                Login::AdminToken(SecretString::new(token.expose().trim()))
            }
        }
    }
}

/// The Connect screen's form.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct ConnectRequest {
    /// The Directus URL as typed.
    pub url: String,
    /// Allow plain http to a remote host.
    pub allow_insecure_http: bool,
    /// How to sign in.
    pub login: LoginInput,
    /// Keep the session in the OS keyring ("Remember me on this computer").
    #[serde(default)]
    pub remember: bool,
}

/// What the Connect screen shows after signing in.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ConnectResult {
    /// Everything detected about the instance.
    pub report: ServerReport,
    /// Set when the session could not be kept in the OS keyring.
    pub keyring_warning: Option<String>,
    /// The project this sign-in acts on, or the name to offer for a new one.
    pub project: projects::ProjectSignIn,
}

/// Which field of the form an error is about, so the UI can show it there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorField {
    /// The URL field.
    Url,
    /// Email or password.
    Credentials,
    /// The one-time code.
    Otp,
    /// The admin token.
    Token,
    /// A new project's name.
    ProjectName,
    /// Not about one field.
    General,
}

/// An error as the wizard shows it: the message says what to do.
#[derive(Debug, Clone, Serialize, TS)]
pub struct WizardError {
    /// Where to show it.
    pub field: ErrorField,
    /// The message.
    pub message: String,
}

impl From<SetupError> for WizardError {
    fn from(error: SetupError) -> Self {
        use crate::directus::DirectusError as E;
        use crate::transport::TransportError;
        let field = match &error {
            SetupError::Directus(
                E::Url(_)
                | E::Transport(TransportError::Unreachable { .. } | TransportError::Tls { .. })
                | E::NotDirectus { .. },
            ) => ErrorField::Url,
            SetupError::Directus(E::InvalidCredentials | E::SessionExpired)
            | SetupError::NoStoredSession { .. } => ErrorField::Credentials,
            SetupError::Directus(E::OtpRequired | E::InvalidOtp) => ErrorField::Otp,
            SetupError::Directus(E::InvalidToken) => ErrorField::Token,
            _ => ErrorField::General,
        };
        // The errors that name a command-line option say it in the window's words.
        let message = match &error {
            SetupError::Directus(E::OtpRequired) => "this account uses two-factor \
                authentication: enter the current one-time code in the one-time code field"
                .to_owned(),
            SetupError::NoStoredSession { email, url } => format!(
                "no saved session for {email} at {url}: sign in with the password (and the \
                 one-time code when 2FA is on), or with an admin token"
            ),
            _ => error.to_string(),
        };
        Self { field, message }
    }
}

/// Environment variable the demo launcher sets: the `server.env` of a local demo Directus.
pub const DEMO_ENV: &str = "DIRECTUS_MCP_SETUP_DEMO";

/// A local demo Directus the launcher started, offered on the Connect screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DemoInstance {
    /// Its URL (always on this computer).
    pub url: String,
    /// Its admin's email.
    pub email: String,
    /// Its admin's throwaway password (the demo's database is deleted when it stops).
    #[ts(type = "string")]
    pub password: crate::secret::ShownSecret,
}

/// What the wizard needs to know when it opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AppStart {
    /// The local demo Directus, when one was started for this session.
    pub demo: Option<DemoInstance>,
    /// A URL to prefill (from `DIRECTUS_URL`).
    pub url: Option<String>,
    /// The app's version.
    pub version: String,
    /// The projects set up on this computer, and the chosen one (the side bar's switcher).
    pub projects: crate::projects::ProjectList,
    /// Why the project list could not be read (it is then left untouched and shown empty).
    pub projects_problem: Option<String>,
    /// Where the app's log is written.
    pub log_file: Option<String>,
    /// The command-line tool inside the app (filled in by the app, which runs it).
    pub bundled_cli: Option<BundledCli>,
}

/// The command-line tool shipped beside the app, as the About line shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct BundledCli {
    /// Its full path.
    pub path: String,
    /// What `--version` printed, when it ran.
    pub version: Option<String>,
    /// Why it could not be run, when it could not.
    pub problem: Option<String>,
}

/// Reads the demo's `server.env` (KEY=VALUE lines, as scripts/directus-server.sh writes).
pub fn demo_instance(server_env: &str) -> Option<DemoInstance> {
    let value = |key: &str| {
        server_env
            .lines()
            .filter_map(|line| line.split_once('='))
            .find(|(k, _)| k.trim() == key)
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    Some(DemoInstance {
        url: value("DIRECTUS_URL")?,
        email: value("DIRECTUS_EMAIL")?,
        password: crate::secret::ShownSecret(value("DIRECTUS_PASSWORD")?.into()),
    })
}

/// The wizard's start-up facts: the demo instance from [`DEMO_ENV`], if set and readable,
/// and where `log` writes.
pub fn app_start(log: &activity_log::ActivityLog) -> AppStart {
    let demo = std::env::var_os(DEMO_ENV)
        .and_then(|path| std::fs::read_to_string(path).ok())
        .and_then(|text| demo_instance(&text));
    let (projects, projects_problem) =
        match clients::environment().and_then(|env| projects::load_in(&env)) {
            Ok(list) => (list, None),
            Err(error) => (crate::projects::ProjectList::default(), Some(error.message)),
        };
    AppStart {
        demo,
        url: std::env::var("DIRECTUS_URL")
            .ok()
            .filter(|url| !url.trim().is_empty()),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        projects,
        projects_problem,
        log_file: log.path().map(|path| path.display().to_string()),
        bundled_cli: None,
    }
}

/// Signs in and detects the server: the Connect screen's one call. The project it acts on
/// is chosen (or made, or offered a name) in `env`'s project list.
pub async fn connect(
    request: ConnectRequest,
    store: &SecretStore,
    env: &crate::clients::ClientEnvironment,
) -> Result<(Session, ConnectResult), WizardError> {
    let email = request.login.email();
    let signed_in = setup::sign_in(
        &request.url,
        request.allow_insecure_http,
        request.login.into(),
        if request.remember {
            setup::SessionKeeping::Keep
        } else {
            setup::SessionKeeping::Forget
        },
        store,
    )
    .await?;
    let report = setup::status(&signed_in.session)
        .await
        .map_err(SetupError::from)?;
    // The project it acts on: kept in projects.json (nothing secret), as the CLI reads it.
    let server = signed_in.session.client().server().clone();
    // (A file read and written: small, and the list's lock-free save is atomic.)
    let project = projects::after_sign_in(env, &server, email)?;
    let result = ConnectResult {
        report,
        keyring_warning: signed_in.keyring_warning,
        project,
    };
    Ok((signed_in.session, result))
}

#[cfg(test)]
mod tests {
    #[test]
    fn debug_output_never_shows_a_password_or_token() {
        let input: LoginInput = serde_json::from_value(serde_json::json!({
            "method": "password", "email": "a@b.c", "password": "hunter2-secret", "otp": null
        }))
        .unwrap();
        let token: LoginInput = serde_json::from_value(serde_json::json!({
            "method": "admin_token", "token": "admin-token-secret"
        }))
        .unwrap();
        let shown = format!("{input:?} {token:?} {:?}", Login::from(input.clone()));
        assert!(
            !shown.contains("hunter2") && !shown.contains("admin-token-secret"),
            "{shown}"
        );
    }

    use super::*;
    use crate::directus::DirectusError;

    #[test]
    fn errors_land_on_the_field_they_are_about() {
        let otp = WizardError::from(SetupError::from(DirectusError::OtpRequired));
        assert_eq!(otp.field, ErrorField::Otp);
        assert!(!otp.message.contains("--otp"), "{}", otp.message);
        assert!(
            otp.message.contains("one-time code field"),
            "{}",
            otp.message
        );
        let no_session = WizardError::from(SetupError::NoStoredSession {
            email: "a@b.c".into(),
            url: "http://127.0.0.1:8055".into(),
        });
        assert_eq!(no_session.field, ErrorField::Credentials);
        assert!(
            !no_session.message.contains("--otp") && no_session.message.contains("a@b.c"),
            "{}",
            no_session.message
        );
        let url = WizardError::from(SetupError::from(DirectusError::Transport(
            crate::transport::TransportError::Unreachable {
                url: "x".into(),
                reason: "y".into(),
            },
        )));
        assert_eq!(url.field, ErrorField::Url);
    }

    #[test]
    fn the_demo_instance_is_read_from_server_env() {
        let demo = demo_instance("DIRECTUS_URL=http://127.0.0.1:8055\nDIRECTUS_EMAIL=admin@example.com\nDIRECTUS_PASSWORD=pw\nDIRECTUS_PID=1\n").unwrap();
        assert_eq!(demo.url, "http://127.0.0.1:8055");
        assert_eq!(demo.password.0.expose(), "pw");
        assert_eq!(demo_instance("DIRECTUS_URL=http://x\n"), None);
    }

    #[test]
    fn blank_one_time_code_means_none() {
        let input: LoginInput = serde_json::from_str(
            r#"{"method":"password","email":" a@b.c ","password":"p","otp":"  "}"#,
        )
        .unwrap();
        let Login::Password { email, otp, .. } = Login::from(input) else {
            panic!("wrong login")
        };
        assert_eq!(email, "a@b.c");
        assert_eq!(otp, None);
    }
}

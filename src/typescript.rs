//! TypeScript declarations of every type the UI exchanges with the core, generated from the
//! Rust types so the two cannot drift. `ui/src/bindings.ts` is checked by a test;
//! regenerate it with `UPDATE_BINDINGS=1 cargo test --lib typescript`.

use ts_rs::{Config, TS};

/// Where the generated file lives, relative to the workspace root.
pub const BINDINGS_PATH: &str = "ui/src/bindings.ts";

fn declaration<T: TS>(config: &Config) -> String {
    let docs = T::docs().unwrap_or_default();
    format!("{docs}export {}\n", T::decl(config))
}

/// The full contents of `ui/src/bindings.ts`.
pub fn bindings() -> String {
    use crate::cli::output::{
        ClientChangeOutput, ClientsOutput, GrantWaitOutput, GrantsOutput, RevokeOutput,
        RevokedGrantsOutput, StatusOutput, TokenOutput, TokenShowOutput,
    };
    use crate::clients::apply::{ApplyReport, FileChange};
    use crate::clients::plan::{CopyValue, Instruction, ManualSteps, PlanView, StepView};
    use crate::clients::status::FoundAuth;
    use crate::clients::{
        AuthMode, ClientInfo, ClientOverview, ClientStatus, Detection, OAuthRegistration, Scope,
        SetupKind,
    };
    use crate::directus::collections::CollectionInfo;
    use crate::directus::mcp_user::McpUserSummary;
    use crate::directus::oauth::{
        Grant, OAuthClient, OAuthProblem, OAuthReport, ProtectedResource, Registrations,
    };
    use crate::directus::role_template::RoleTemplate;
    use crate::directus::server_report::{EnvironmentSwitches, LicenseInfo, ServerReport};
    use crate::directus::settings::{McpSettings, SystemPrompt};
    use crate::mcp::McpReport;
    use crate::mcp::probe::ToolSummary;
    use crate::setup::{EnableOutcome, EnableRequest, PromptsChoice, TokenOutcome};
    use crate::wizard::{
        AppStart, BundledCli, ConnectRequest, ConnectResult, DemoInstance, ErrorField, LoginInput,
        WizardError,
    };

    let config = Config::new();
    let declarations = [
        declaration::<AppStart>(&config),
        declaration::<BundledCli>(&config),
        declaration::<crate::doctor::DoctorReport>(&config),
        declaration::<crate::doctor::Topic>(&config),
        declaration::<crate::doctor::Check>(&config),
        declaration::<crate::doctor::Verdict>(&config),
        declaration::<crate::clients::check::ClientCheck>(&config),
        declaration::<crate::wizard::clients::TeamChange>(&config),
        declaration::<crate::clients::check::CheckOutcome>(&config),
        declaration::<DemoInstance>(&config),
        declaration::<crate::wizard::opened_link::OpenedLink>(&config),
        declaration::<crate::wizard::updates::UpdatePreferences>(&config),
        declaration::<crate::wizard::updates::AvailableUpdate>(&config),
        declaration::<LoginInput>(&config),
        declaration::<ConnectRequest>(&config),
        declaration::<ConnectResult>(&config),
        declaration::<ErrorField>(&config),
        declaration::<WizardError>(&config),
        declaration::<ServerReport>(&config),
        declaration::<EnvironmentSwitches>(&config),
        declaration::<LicenseInfo>(&config),
        declaration::<CollectionInfo>(&config),
        declaration::<McpSettings>(&config),
        declaration::<SystemPrompt>(&config),
        declaration::<McpUserSummary>(&config),
        declaration::<RoleTemplate>(&config),
        declaration::<crate::directus::tool_mode::ToolMode>(&config),
        declaration::<PromptsChoice>(&config),
        declaration::<EnableRequest>(&config),
        declaration::<EnableOutcome>(&config),
        declaration::<TokenOutcome>(&config),
        declaration::<McpReport>(&config),
        declaration::<ToolSummary>(&config),
        declaration::<StatusOutput>(&config),
        declaration::<TokenOutput>(&config),
        declaration::<RevokeOutput>(&config),
        declaration::<AuthMode>(&config),
        declaration::<Scope>(&config),
        declaration::<SetupKind>(&config),
        declaration::<OAuthRegistration>(&config),
        declaration::<ClientInfo>(&config),
        declaration::<Detection>(&config),
        declaration::<FoundAuth>(&config),
        declaration::<crate::clients::StaleCause>(&config),
        declaration::<ClientStatus>(&config),
        declaration::<ClientOverview>(&config),
        declaration::<ClientsOutput>(&config),
        declaration::<CopyValue>(&config),
        declaration::<Instruction>(&config),
        declaration::<ManualSteps>(&config),
        declaration::<crate::clients::plan::EditKind>(&config),
        declaration::<StepView>(&config),
        declaration::<PlanView>(&config),
        declaration::<FileChange>(&config),
        declaration::<ApplyReport>(&config),
        declaration::<ClientChangeOutput>(&config),
        declaration::<TokenShowOutput>(&config),
        declaration::<crate::wizard::clients::ClientRequest>(&config),
        declaration::<crate::wizard::clients::ClientChange>(&config),
        declaration::<crate::wizard::enable::EnableResult>(&config),
        declaration::<crate::wizard::instances::RememberedInstance>(&config),
        declaration::<crate::projects::Project>(&config),
        declaration::<crate::projects::ProjectList>(&config),
        declaration::<crate::wizard::projects::ProjectSignIn>(&config),
        declaration::<crate::wizard::projects::EntryState>(&config),
        declaration::<crate::wizard::projects::ProjectEntry>(&config),
        declaration::<crate::wizard::projects::ClientCard>(&config),
        declaration::<crate::wizard::projects::ProjectCheck>(&config),
        declaration::<crate::wizard::clients::CardCheck>(&config),
        declaration::<crate::projects::share::SetupFile>(&config),
        declaration::<crate::projects::share::TokenSource>(&config),
        declaration::<crate::projects::share::ProjectChange>(&config),
        declaration::<crate::projects::share::ClientAction>(&config),
        declaration::<crate::projects::share::ClientImport>(&config),
        declaration::<crate::projects::share::ImportPreview>(&config),
        declaration::<crate::directus::mcp_user::TokenRequest>(&config),
        declaration::<Registrations>(&config),
        declaration::<ProtectedResource>(&config),
        declaration::<OAuthProblem>(&config),
        declaration::<OAuthReport>(&config),
        declaration::<Grant>(&config),
        declaration::<crate::directus::grant_lifetime::SignInReport>(&config),
        declaration::<crate::directus::grant_lifetime::SignInRules>(&config),
        declaration::<crate::directus::grant_lifetime::Lifetime>(&config),
        declaration::<crate::directus::grant_lifetime::EndedGrant>(&config),
        declaration::<crate::directus::grant_lifetime::GrantEnd>(&config),
        declaration::<OAuthClient>(&config),
        declaration::<GrantsOutput>(&config),
        declaration::<GrantWaitOutput>(&config),
        declaration::<RevokedGrantsOutput>(&config),
    ];
    format!(
        "// Generated from the Rust types by src/typescript.rs. Do not edit by hand:\n// UPDATE_BINDINGS=1 cargo test --lib typescript\n\n{}",
        declarations.join("\n")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ui_bindings_match_the_rust_types() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(BINDINGS_PATH);
        let expected = bindings();
        let actual = std::fs::read_to_string(&path).unwrap_or_default();
        if actual == expected {
            return;
        }
        // `UPDATE_BINDINGS=1` exactly rewrites the file (any other value compares), and the
        // run still fails: a variable left set can never turn this check into a rewrite.
        if std::env::var("UPDATE_BINDINGS").as_deref() == Ok("1") {
            std::fs::write(&path, &expected).expect("write ui/src/bindings.ts");
            panic!("{BINDINGS_PATH} rewritten: review it and run again without UPDATE_BINDINGS");
        }
        panic!(
            "{BINDINGS_PATH} is out of date: run `UPDATE_BINDINGS=1 cargo test --lib typescript`"
        );
    }
}

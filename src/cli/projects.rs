//! `projects`: the Directus projects set up here (list, add, choose, remove), and what
//! other commands record on them (the role template of `token create` / `token rotate`).

use super::args::{ProjectAddArgs, ProjectRemoveArgs, ProjectsArgs, ProjectsCommand, ScopeArg};
use super::output::{Output, ProjectChangeOutput, ProjectRow, ProjectsOutput};
use super::project::{self, Context};
use super::{CliError, server_url};
use crate::clients::{self, AuthMode, ClientEnvironment};
use crate::directus::role_template::RoleTemplate;
use crate::projects::{Project, ProjectError, ProjectList};
use crate::secret_store::SecretStore;

/// Runs a `projects` command.
pub(super) fn run(
    context: &Context,
    args: ProjectsArgs,
    store: &SecretStore,
) -> Result<Output, CliError> {
    match args.command {
        None | Some(ProjectsCommand::List) => list(),
        Some(ProjectsCommand::Add(add_args)) => add(context, &add_args),
        Some(ProjectsCommand::Choose(name)) => {
            let chosen = project::update(|list| {
                list.choose(name.name.trim())?;
                Ok(list.current().cloned())
            })?
            .expect("a project was just chosen");
            Ok(change("choose", &chosen, true, Vec::new()))
        }
        Some(ProjectsCommand::Remove(remove_args)) => remove(&remove_args, store),
    }
}

/// `projects`: every project, the chosen one marked.
fn list() -> Result<Output, CliError> {
    let path = crate::projects::store_path()?;
    let list = ProjectList::load(&path)?;
    Ok(Output::Projects(ProjectsOutput {
        file: path.display().to_string(),
        projects: rows(&list),
    }))
}

fn rows(list: &ProjectList) -> Vec<ProjectRow> {
    let chosen = list.current().map(|project| project.name.as_str());
    list.projects
        .iter()
        .map(|project| ProjectRow::new(project, chosen == Some(project.name.as_str())))
        .collect()
}

fn change(
    action: &str,
    project: &Project,
    chosen: bool,
    disconnected: Vec<super::output::ClientChangeOutput>,
) -> Output {
    Output::ProjectChange(ProjectChangeOutput {
        action: action.to_owned(),
        project: ProjectRow::new(project, chosen),
        disconnected,
    })
}

/// `projects add`: the project for --url, named `--name`, else as the project already
/// recorded for that URL, else as suggested (`directus`, then `directus-<host>`).
fn add(context: &Context, args: &ProjectAddArgs) -> Result<Output, CliError> {
    let url_given = context
        .connection
        .url
        .as_deref()
        .is_some_and(|url| !url.trim().is_empty());
    if !url_given || (context.connection.project.is_some() && !context.connection.project_from_env)
    {
        return Err(CliError::Usage(
            "say which Directus to add: `projects add --url https://cms.example.com` (--project names a project already added)".to_owned(),
        ));
    }
    let server = server_url(&context.connection)?;
    let email = context
        .connection
        .email
        .as_deref()
        .map(str::trim)
        .filter(|email| !email.is_empty())
        .map(str::to_owned);
    let (action, project, chosen) = project::update(|list| {
        let name = match &args.name {
            Some(name) => name.trim().to_owned(),
            None => {
                let for_url: Vec<&Project> = list.for_url(&server).collect();
                match for_url.as_slice() {
                    [only] => only.name.clone(),
                    _ => list.suggest_name(&server),
                }
            }
        };
        let previous = list.get(&name).cloned();
        let project = Project {
            name: name.clone(),
            url: server.to_string(),
            auth: args
                .auth
                .map(AuthMode::from)
                .or(previous.as_ref().map(|p| p.auth))
                .unwrap_or(AuthMode::Oauth),
            tool_mode: args
                .tool_mode
                .map(Into::into)
                .or(previous.as_ref().map(|p| p.tool_mode))
                .unwrap_or_default(),
            template: args
                .template
                .map(RoleTemplate::from)
                .or(previous.as_ref().and_then(|p| p.template)),
            email: email
                .clone()
                .or(previous.as_ref().and_then(|p| p.email.clone())),
            clients: Vec::new(),
        };
        list.upsert(project)?;
        let stored = list.get(&name).cloned().expect("just added");
        let chosen = list.current().is_some_and(|p| p.name == name);
        let action = if previous.is_some() { "update" } else { "add" };
        Ok((action, stored, chosen))
    })?;
    Ok(change(action, &project, chosen, Vec::new()))
}

/// `projects remove NAME`: refused while a client holds the project's entry (user
/// settings), naming the commands that take them out; with `--disconnect` they are taken
/// out first, and the project is forgotten only when every one went.
fn remove(args: &ProjectRemoveArgs, store: &SecretStore) -> Result<Output, CliError> {
    let name = args.name.trim();
    let list = project::load()?;
    let project = list
        .get(name)
        .cloned()
        .ok_or_else(|| ProjectError::Unknown(name.to_owned()))?;
    let env = ClientEnvironment::from_process()?;
    let target_args = super::args::TargetArgs {
        name: Some(project.name.clone()),
        scope: ScopeArg::User,
        project_dir: None,
    };
    let target = super::clients::target_named(&project.name, &target_args)?;
    let holding = crate::projects::entries_held(&env, &project, store)?
        .iter()
        .map(|id| clients::find(id))
        .collect::<Result<Vec<_>, _>>()?;
    if !holding.is_empty() && !args.disconnect {
        let commands: Vec<String> = holding
            .iter()
            .map(|client| {
                format!(
                    "`directus-mcp-setup disconnect {} --project {name}`",
                    client.id()
                )
            })
            .collect();
        return Err(CliError::Refused(format!(
            "the project \"{name}\" still has entries in {}: nothing was changed. Take them out first ({}), or run `directus-mcp-setup projects remove {name} --disconnect`",
            holding
                .iter()
                .map(|client| client.name())
                .collect::<Vec<_>>()
                .join(", "),
            commands.join(", ")
        )));
    }
    let mut disconnected = Vec::new();
    for client in holding {
        disconnected.push(super::clients::disconnect_one(
            client, &env, &target, false,
        )?);
    }
    let removed = project::update(|list| list.remove(name))?;
    Ok(change("remove", &removed, false, disconnected))
}

/// Records the MCP user's role template on the command's project (`token create`,
/// `token rotate`); a list that cannot be saved is a warning (the token is made already).
pub(super) fn record_template(context: &Context, template: Option<RoleTemplate>) {
    let (Some(project), Some(template)) = (&context.project, template) else {
        return;
    };
    if project.template == Some(template) {
        return;
    }
    let name = project.name.clone();
    if let Err(error) = project::update(|list| {
        if let Some(known) = list.get(&name).cloned() {
            list.upsert(Project {
                template: Some(template),
                ..known
            })?;
        }
        Ok(())
    }) {
        eprintln!(
            "warning: the project list could not record the role template: {}",
            super::one_line(&error.to_string())
        );
    }
}

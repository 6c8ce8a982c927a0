//! The app opened from a link (`directus-mcp-setup://connect?url=…`, read by the core's
//! `wizard::opened_link`): the link is kept until the page takes it (the command
//! `opened_link`), and the page is told one arrived. The link never acts by itself: the page
//! only fills in the Connect screen's URL field, or shows why the link was refused.
//!
//! Tauri's deep-link plugin reads the link the app was started with (its only argument, of
//! the scheme in tauri.conf.json `plugins.deep-link`), and the .deb's desktop entry says
//! `MimeType=x-scheme-handler/directus-mcp-setup`, so `xdg-open` starts the app with it.
//! When the app already runs, the new process hands the link over and exits: elsewhere
//! through Tauri's single-instance plugin; on Linux, where GTK keeps the one instance (the
//! app's GTK application id), through GTK's own D-Bus interface: the new process activates
//! the running one's `open-link` action with the link ([`hand_over_to_running_app`]), which
//! [`accept_handovers`] added to the running one.

use std::sync::Mutex;

use directus_mcp_setup::wizard::opened_link::OpenedLink;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_deep_link::DeepLinkExt;

/// The DOM event the page listens for: a link arrived, take it with `opened_link`.
const ARRIVED_EVENT: &str = "directus-mcp-setup:opened-link";

/// The link the app was opened with, until the page takes it.
#[derive(Default)]
pub struct OpenedLinks(Mutex<Option<OpenedLink>>);

impl OpenedLinks {
    /// Keeps `link` (read into a URL to fill in or a refusal) for the page; a newer link
    /// replaces one not yet taken.
    fn keep(&self, link: &str) {
        *self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(OpenedLink::from_link(link));
    }

    /// The link not yet taken, if any; taking it leaves none.
    pub fn take(&self) -> Option<OpenedLink> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take()
    }
}

/// Keeps the link the app was started with, and every link handed over later, and tells the
/// page when one arrives. Call once, in the app's setup.
pub fn listen<R: Runtime>(app: &AppHandle<R>) {
    app.manage(OpenedLinks::default());
    if let Ok(Some(urls)) = app.deep_link().get_current() {
        for url in urls {
            app.state::<OpenedLinks>().keep(url.as_str());
        }
    }
    let handle = app.clone();
    app.deep_link().on_open_url(move |event| {
        for url in event.urls() {
            handle.state::<OpenedLinks>().keep(url.as_str());
        }
        if let Some(window) = handle.get_webview_window("main") {
            // The page takes the link itself (`opened_link`); the event carries nothing.
            let _ = window.eval(format!(
                "window.dispatchEvent(new Event({ARRIVED_EVENT:?}))"
            ));
            let _ = window.unminimize();
            let _ = window.show();
            let _ = window.set_focus();
        }
    });
}

/// GTK's action on the running app that a second launch activates with its link.
#[cfg(target_os = "linux")]
const HANDOVER_ACTION: &str = "open-link";

/// The link this process was started with: its only argument, of the app's scheme (as the
/// deep-link plugin reads it).
#[cfg(target_os = "linux")]
fn link_argument() -> Option<String> {
    let mut args = std::env::args().skip(1);
    let link = args.next()?;
    let scheme = directus_mcp_setup::wizard::opened_link::LINK_SCHEME;
    (args.next().is_none() && link.starts_with(&format!("{scheme}:"))).then_some(link)
}

/// In a second launch with a link, hands the link to the app already running (GTK's
/// `org.gtk.Actions.Activate` on its application id, on the session bus). Does nothing when
/// no link was given or no app runs: this process then starts as the first one, and the
/// deep-link plugin reads the link. GTK then hands this launch over to the running window,
/// which comes to the front, and this process exits.
#[cfg(target_os = "linux")]
pub fn hand_over_to_running_app(identifier: &str) {
    use gtk::gio;
    use gtk::glib::ToVariant;

    let Some(link) = link_argument() else {
        return;
    };
    let Ok(bus) = gio::bus_get_sync(gio::BusType::Session, gio::Cancellable::NONE) else {
        return;
    };
    let path = format!("/{}", identifier.replace('.', "/").replace('-', "_"));
    // Activate(s action, av parameter, a{sv} platform data)
    let parameter: Vec<gtk::glib::Variant> = vec![link.to_variant()];
    let arguments = gtk::glib::Variant::tuple_from_iter([
        HANDOVER_ACTION.to_variant(),
        parameter.to_variant(),
        gtk::glib::VariantDict::new(None).end(),
    ]);
    // No app running: the name has no owner and the call fails at once.
    let _ = bus.call_sync(
        Some(identifier),
        &path,
        "org.gtk.Actions",
        "Activate",
        Some(&arguments),
        None,
        gio::DBusCallFlags::NO_AUTO_START,
        5_000,
        gio::Cancellable::NONE,
    );
}

/// Lets a second launch hand its link to this app: adds the [`HANDOVER_ACTION`] to the app's
/// GTK application, which forwards the link to the deep-link plugin (which checks its
/// scheme, as for the first launch).
#[cfg(target_os = "linux")]
pub fn accept_handovers<R: Runtime>(window: &tauri::WebviewWindow<R>) -> tauri::Result<()> {
    use gtk::gio;
    use gtk::prelude::*;

    let Some(application) = window.gtk_window()?.application() else {
        return Ok(());
    };
    let action = gio::SimpleAction::new(HANDOVER_ACTION, Some(gtk::glib::VariantTy::STRING));
    let app = window.app_handle().clone();
    action.connect_activate(move |_, parameter| {
        if let Some(link) = parameter.and_then(|value| value.get::<String>()) {
            app.deep_link()
                .handle_cli_arguments(["directus-mcp-setup-app".to_owned(), link].into_iter());
        }
    });
    application.add_action(&action);
    Ok(())
}

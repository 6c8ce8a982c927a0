//! Work that must run on the main thread, where GTK lives (the clipboard, opening links).

use tauri::{AppHandle, Runtime};

/// Runs `job` on the main thread and waits for what it returns; `what` names the job for
/// the error when the window closes first ("the clipboard was written").
#[cfg(target_os = "linux")]
pub async fn run<R: Runtime, T: Send + 'static>(
    app: &AppHandle<R>,
    what: &str,
    job: impl FnOnce() -> T + Send + 'static,
) -> Result<T, String> {
    let (done, finished) = tokio::sync::oneshot::channel();
    app.run_on_main_thread(move || {
        let _ = done.send(job());
    })
    .map_err(|error| error.to_string())?;
    finished
        .await
        .map_err(|_| format!("the window closed before {what}"))
}

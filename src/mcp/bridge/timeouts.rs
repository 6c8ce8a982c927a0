//! How long the bridge waits for Directus: to connect, and for each call.

use std::time::Duration;

/// The bridge's deadlines towards Directus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Connecting: reading the kept sign-in, the HTTP connection and `initialize`.
    pub connect: Duration,
    /// One call: with no answer by then, the client gets a JSON-RPC error (and Directus a
    /// cancellation).
    pub request: Duration,
    /// After a browser sign-in that did not complete (the consent was denied, nobody came
    /// back), how long no new sign-in page is opened.
    pub sign_in_back_off: Duration,
}

/// The environment variable that sets [`Timeouts::request`] in seconds (connecting gets at
/// most 30 s, less when this is lower).
pub const TIMEOUT_VARIABLE: &str = "DIRECTUS_MCP_SETUP_BRIDGE_TIMEOUT";

impl Timeouts {
    /// 30 s to connect, 120 s for a call, 5 min without a new sign-in page.
    pub const DEFAULT: Self = Self {
        connect: Duration::from_secs(30),
        request: Duration::from_secs(120),
        sign_in_back_off: Duration::from_secs(300),
    };

    /// The defaults, with the call deadline `value` seconds when given (a positive whole
    /// number); an unreadable value is an error naming it.
    pub fn from_setting(value: Option<&str>) -> Result<Self, String> {
        let Some(value) = value.map(str::trim).filter(|value| !value.is_empty()) else {
            return Ok(Self::DEFAULT);
        };
        let seconds = value.parse::<u64>().ok().filter(|seconds| *seconds > 0).ok_or_else(|| {
            format!("{TIMEOUT_VARIABLE}={value} is not a whole number of seconds above 0; unset it or give e.g. 120")
        })?;
        let request = Duration::from_secs(seconds);
        Ok(Self {
            connect: Self::DEFAULT.connect.min(request),
            request,
            ..Self::DEFAULT
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_call_deadline_is_set_in_seconds_and_bounds_connecting() {
        assert_eq!(Timeouts::from_setting(None), Ok(Timeouts::DEFAULT));
        assert_eq!(Timeouts::from_setting(Some(" ")), Ok(Timeouts::DEFAULT));
        let short = Timeouts::from_setting(Some("5")).unwrap();
        assert_eq!(short.request, Duration::from_secs(5));
        assert_eq!(short.connect, Duration::from_secs(5));
        let long = Timeouts::from_setting(Some("600")).unwrap();
        assert_eq!(long.connect, Duration::from_secs(30));
        for wrong in ["0", "-3", "1.5", "soon"] {
            let error = Timeouts::from_setting(Some(wrong)).unwrap_err();
            assert!(
                error.contains(TIMEOUT_VARIABLE) && error.contains(wrong),
                "{error}"
            );
        }
    }
}

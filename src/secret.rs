//! A string that holds a secret: never printed, wiped from memory when dropped.

use std::fmt;

use zeroize::Zeroizing;

/// A password, token or other credential.
///
/// `Debug` and `Display` print `[redacted]`, so a secret cannot end up in a log or an
/// error message by accident; [`SecretString::expose`] is the one way to read it.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretString(Zeroizing<String>);

impl SecretString {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(Zeroizing::new(value.into()))
    }

    /// The secret itself, for the one place that must send or store it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A fresh random token: 32 bytes from the operating system's CSPRNG, URL-safe
    /// (hex), 64 characters.
    pub fn random_token() -> Result<Self, getrandom::Error> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        getrandom::fill(bytes.as_mut())?;
        let mut hex = String::with_capacity(64);
        for byte in bytes.iter() {
            hex.push_str(&format!("{byte:02x}"));
        }
        Ok(Self::new(hex))
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Read from input (the app's forms, JSON): a secret may come in, it never goes out by
/// accident — there is no `Serialize`; [`serialize_exposed`] is the explicit way out.
impl<'de> serde::Deserialize<'de> for SecretString {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::new)
    }
}

/// A secret whose purpose is to be shown (`token show`, `token create --show-token`, the
/// demo's throwaway password): it serializes to its value, and still prints `[redacted]`
/// in debug output.
#[derive(Clone, PartialEq, Eq)]
pub struct ShownSecret(pub SecretString);

impl serde::Serialize for ShownSecret {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0.expose())
    }
}

impl fmt::Debug for ShownSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<String> for SecretString {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_prints_the_secret() {
        let secret = SecretString::new("hunter2");
        assert_eq!(format!("{secret:?} {secret}"), "[redacted] [redacted]");
        assert_eq!(secret.expose(), "hunter2");
    }

    #[test]
    fn random_tokens_are_long_hex_and_distinct() {
        let a = SecretString::random_token().unwrap();
        let b = SecretString::random_token().unwrap();
        assert_eq!(a.expose().len(), 64);
        assert!(a.expose().chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}

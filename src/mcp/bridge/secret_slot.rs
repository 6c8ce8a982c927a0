//! Where the bridge keeps one secret (its OAuth registration and tokens): a keyring entry
//! in the CLI, memory in tests.

use crate::secret::SecretString;

/// One secret the bridge may read, replace and forget (a keyring entry).
pub trait SecretSlot: Send + Sync + 'static {
    /// The value kept now.
    fn load(&self) -> Result<Option<SecretString>, String>;
    /// Replaces the value.
    fn save(&self, value: &SecretString) -> Result<(), String>;
    /// Forgets the value.
    fn clear(&self) -> Result<(), String>;
}

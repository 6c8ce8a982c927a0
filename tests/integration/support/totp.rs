//! RFC 6238 one-time codes (SHA-1, 30 s, 6 digits), as an authenticator app computes
//! them from the base32 secret Directus hands out when 2FA is turned on.

use hmac::{Hmac, Mac};
use sha1::Sha1;

fn base32_decode(secret: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut bits: u64 = 0;
    let mut count = 0;
    let mut out = Vec::new();
    for c in secret.bytes().filter(|c| *c != b'=') {
        let value = ALPHABET
            .iter()
            .position(|a| *a == c.to_ascii_uppercase())
            .expect("base32 secret") as u64;
        bits = (bits << 5) | value;
        count += 5;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    out
}

/// The code for `secret` at `unix_seconds`.
pub fn code_at(secret: &str, unix_seconds: u64) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(&base32_decode(secret)).expect("any key length");
    mac.update(&(unix_seconds / 30).to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = (digest[19] & 0x0f) as usize;
    let number = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    format!("{:06}", number % 1_000_000)
}

/// The current code for `secret`, with at least 10 s of validity left: when the 30 s window
/// is about to turn, waits for the next one (asynchronously, so pooled HTTP connections
/// keep being looked after), and a loaded machine cannot send a code that expires on its
/// way to the server.
pub async fn code_now(secret: &str) -> String {
    let seconds = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_secs_f64()
    };
    let into_window = seconds() % 30.0;
    if into_window > 20.0 {
        tokio::time::sleep(std::time::Duration::from_secs_f64(30.0 - into_window + 0.2)).await;
    }
    code_at(secret, seconds() as u64)
}

#[test]
fn matches_the_rfc_6238_test_vector() {
    // RFC 6238 appendix B, SHA-1, T = 59 s: 94287082 (8 digits) -> 287082.
    let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"; // base32 of "12345678901234567890"
    assert_eq!(code_at(secret, 59), "287082");
}

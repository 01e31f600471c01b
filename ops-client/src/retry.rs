//! When a request is sent again, and after how long.

use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

use opensrs_core::code::ResponseCode;

/// An optional retry policy: at most `max_attempts` sends of one request,
/// with exponential backoff and jitter between them.
///
/// What is retried, and only with a policy set:
///
/// - any command, when the connection failed before any byte of the
///   request was written (refused, connect timeout): it cannot have had an
///   effect;
/// - a command that changes nothing ([`Command::IDEMPOTENT`](opensrs_core::Command::IDEMPOTENT),
///   e.g. `check_transfer`) also after a reply that says "try later"
///   ([`is_try_later`]: 300, 310, 350, 486, 705 and any undocumented 3xx),
///   HTTP 502, 503 or 504, a total timeout or a failure after the request
///   was sent.
///
/// A command that changes state is never sent twice otherwise: a timeout
/// after the request left may mean it was done. Authentication errors,
/// TLS failures and every other reply are returned at once.
///
/// The delay before retry `n` (1 for the second attempt) is
/// `initial_backoff * 2^(n-1)`, at most `max_backoff`, then a random point
/// between its half and itself (jitter, so that many clients that failed
/// together do not come back together).
///
/// ```
/// use std::time::Duration;
/// use opensrs_client::RetryPolicy;
/// let p = RetryPolicy::new(4).initial_backoff(Duration::from_millis(100));
/// let d = p.delay(3); // before the fourth attempt: 400 ms, jittered
/// assert!(d >= Duration::from_millis(200) && d <= Duration::from_millis(400));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl RetryPolicy {
    /// At most `max_attempts` sends (1 means no retry), first backoff
    /// 500 ms, at most 30 s.
    pub fn new(max_attempts: u32) -> Self {
        RetryPolicy {
            max_attempts: max_attempts.max(1),
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
        }
    }

    /// Sets the delay before the first retry (before jitter).
    #[must_use]
    pub fn initial_backoff(mut self, delay: Duration) -> Self {
        self.initial_backoff = delay;
        self
    }

    /// Sets the longest delay between two attempts (before jitter).
    #[must_use]
    pub fn max_backoff(mut self, delay: Duration) -> Self {
        self.max_backoff = delay;
        self
    }

    /// The most sends of one request.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The delay before retry `retry` (1 before the second attempt),
    /// jittered.
    pub fn delay(&self, retry: u32) -> Duration {
        let factor = 1u32
            .checked_shl(retry.saturating_sub(1))
            .unwrap_or(u32::MAX);
        let base = self
            .initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff);
        let half = base / 2;
        let span = u64::try_from((base - half).as_nanos()).unwrap_or(u64::MAX);
        let jitter = if span == 0 { 0 } else { random() % (span + 1) };
        half + Duration::from_nanos(jitter)
    }
}

/// Whether a reply code means "not done now, try later": the codes of
/// class [`Deferred`](opensrs_core::code::ResponseClass::Deferred) — 300
/// (deferred, rate limit), 310 (too many connections), 350 (too many
/// commands), 486 (still processing), 705 (request timed out) — and any
/// undocumented 3xx.
///
/// ```
/// use opensrs_core::code::ResponseCode;
/// assert!(opensrs_client::is_try_later(ResponseCode::from_u16(486)));
/// assert!(!opensrs_client::is_try_later(ResponseCode::from_u16(465)));
/// ```
pub fn is_try_later(code: ResponseCode) -> bool {
    code.class().is_retryable()
}

/// A random number for jitter (the standard library's per-process random
/// hasher keys; not for cryptography).
fn random() -> u64 {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos().into()),
    );
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap_and_stays_in_its_jitter_band() {
        let p = RetryPolicy::new(10)
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(1000));
        for (retry, base) in [
            (1, 100),
            (2, 200),
            (3, 400),
            (4, 800),
            (5, 1000),
            (40, 1000),
        ] {
            let base = Duration::from_millis(base);
            for _ in 0..50 {
                let d = p.delay(retry);
                assert!(d >= base / 2 && d <= base, "retry {retry}: {d:?}");
            }
        }
    }

    #[test]
    fn jitter_varies() {
        let p = RetryPolicy::new(3).initial_backoff(Duration::from_secs(1));
        let delays: std::collections::HashSet<_> = (0..20).map(|_| p.delay(1)).collect();
        assert!(delays.len() > 1);
    }

    #[test]
    fn try_later_codes() {
        for c in [300, 310, 350, 486, 705, 399] {
            assert!(is_try_later(ResponseCode::from_u16(c)), "{c}");
        }
        for c in [200, 400, 404, 410, 415, 465, 480, 485] {
            assert!(!is_try_later(ResponseCode::from_u16(c)), "{c}");
        }
    }
}

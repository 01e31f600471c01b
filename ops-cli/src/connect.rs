//! The connection options of `opensrs send` and `opensrs batch`, and the
//! client built from them.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use opensrs_client::{BuildError, Client, RetryPolicy, blocking};

use crate::error::CliError;

/// Where to send, as whom: flags, or `OPENSRS_ENDPOINT`, `OPENSRS_USER`,
/// `OPENSRS_KEY_FILE`.
#[derive(Args, Debug)]
pub(crate) struct Connection {
    /// The endpoint, e.g. `https://horizon.opensrs.net:55443` (default: $OPENSRS_ENDPOINT).
    /// Plain http:// only for a loopback host.
    #[arg(long, value_name = "URL")]
    endpoint: Option<String>,
    /// The reseller username (default: $OPENSRS_USER).
    #[arg(long, value_name = "NAME")]
    user: Option<String>,
    /// The file holding the reseller key (default: $OPENSRS_KEY_FILE).
    #[arg(long, value_name = "FILE")]
    key_file: Option<PathBuf>,
    /// Total timeout of one request, in seconds (1 to 3600).
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 120,
        value_parser = clap::value_parser!(u64).range(1..=3600),
    )]
    timeout: u64,
    /// Most attempts of a request, 1 to 10 (retries follow opensrs-client's
    /// rules: only commands that change nothing, or a request never written).
    #[arg(
        long,
        value_name = "N",
        default_value_t = 1,
        value_parser = clap::value_parser!(u32).range(1..=10),
    )]
    attempts: u32,
    /// Largest reply accepted, in bytes (1 to 2147483647).
    #[arg(
        long,
        value_name = "BYTES",
        default_value_t = 16 * 1024 * 1024,
        value_parser = clap::value_parser!(u64).range(1..=2_147_483_647),
    )]
    max_reply_bytes: u64,
}

fn from_env(flag: Option<String>, var: &str, name: &str) -> Result<String, CliError> {
    flag.or_else(|| std::env::var(var).ok().filter(|v| !v.is_empty()))
        .ok_or_else(|| CliError::plain(name, format!("not given: pass {name} or set {var}"), ""))
}

impl Connection {
    /// The blocking client these options describe.
    pub(crate) fn client(&self) -> Result<blocking::Client, CliError> {
        let endpoint = from_env(self.endpoint.clone(), "OPENSRS_ENDPOINT", "--endpoint")?;
        let user = from_env(self.user.clone(), "OPENSRS_USER", "--user")?;
        let key_file = from_env(
            self.key_file.as_ref().map(|p| p.display().to_string()),
            "OPENSRS_KEY_FILE",
            "--key-file",
        )?;
        let key = crate::sign::read_key(std::path::Path::new(&key_file))?;
        let mut builder = Client::builder(endpoint)
            .username(user)
            .key(key)
            .timeout(Duration::from_secs(self.timeout))
            .max_reply_bytes(usize::try_from(self.max_reply_bytes).unwrap_or(usize::MAX));
        if self.attempts > 1 {
            builder = builder.retry(RetryPolicy::new(self.attempts));
        }
        let client = builder.build().map_err(|e| {
            let name = match e {
                BuildError::PlainHttp { .. } | BuildError::InvalidEndpoint { .. } => "--endpoint",
                BuildError::InvalidUsername { .. } | BuildError::MissingUsername => "--user",
                _ => "opensrs",
            };
            CliError::plain(name, e.to_string(), "")
        })?;
        blocking::Client::new(client)
            .map_err(|e| CliError::io("opensrs", "cannot start the runtime", &e))
    }
}

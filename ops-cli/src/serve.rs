//! `opensrs serve`: the sandbox (a local OpenSRS) on an address, until the
//! process is stopped.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;
use opensrs_core::secret::Secret;
use opensrs_sandbox::{Builder, Seed};

use crate::error::CliError;

/// The default `--listen`: loopback, on OpenSRS's own port.
pub(crate) const DEFAULT_LISTEN: &str = "127.0.0.1:55443";

/// `opensrs serve`'s arguments.
#[derive(Args, Debug)]
pub(crate) struct ServeArgs {
    /// The address to listen on (port 0: any free port).
    #[arg(long, value_name = "ADDR:PORT", default_value = DEFAULT_LISTEN)]
    listen: SocketAddr,
    /// A seed file (TOML: contacts, domains, transfers, trades); the built-in scenario when absent.
    #[arg(long, value_name = "FILE")]
    seed: Option<PathBuf>,
    /// The reseller username requests must carry (X-Username); `sandbox` when absent.
    #[arg(long, value_name = "NAME", requires = "key_file")]
    user: Option<String>,
    /// The file holding the reseller key requests are signed with; when absent a key is
    /// generated and written to a file whose path is printed.
    #[arg(long, value_name = "FILE")]
    key_file: Option<PathBuf>,
    /// Threads serving requests: 1 runs the server on a single thread (no wake-ups across
    /// cores); more help when requests come from other machines or from many cores.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_WORKERS,
          value_parser = clap::value_parser!(u16).range(1..=1024))]
    workers: u16,
}

/// The default `--workers`.
pub(crate) const DEFAULT_WORKERS: u16 = 1;

/// Starts the sandbox, prints where, and serves until killed.
pub(crate) fn run(a: &ServeArgs) -> Result<(), CliError> {
    let (seed, seed_name) = match &a.seed {
        Some(path) => {
            let name = path.display().to_string();
            let text = std::fs::read_to_string(path)
                .map_err(|e| CliError::io(&name, "cannot read", &e))?;
            let seed =
                Seed::from_toml(&text).map_err(|e| CliError::plain(&name, e.to_string(), ""))?;
            (seed, name)
        }
        None => (Seed::default_scenario(), "the built-in scenario".to_owned()),
    };
    let username = a
        .user
        .clone()
        .unwrap_or_else(|| opensrs_sandbox::DEFAULT_USERNAME.to_owned());
    let (key, key_note) = match &a.key_file {
        Some(path) => (
            crate::sign::read_key(path)?,
            format!("{} (given)", path.display()),
        ),
        None => {
            let key = opensrs_sandbox::generate_key();
            let path = write_key(&key, a.listen)?;
            (key, format!("{} (generated)", path.display()))
        }
    };
    let sandbox = Builder::new()
        .seed(seed)
        .credentials(username, key)
        .listen(a.listen)
        .workers(usize::from(a.workers))
        .start()
        .map_err(|e| CliError::plain("serve", e.to_string(), ""))?;
    let url = sandbox.url().to_owned();
    let mut out = std::io::stdout().lock();
    // Nobody reads a closed stdout: the sandbox serves on regardless.
    let _ = writeln!(
        out,
        "OpenSRS sandbox listening on {url}\n  username:  {}\n  key file:  {key_note}\n  \
         seed:      {seed_name}\n  outbox:    {url}_sandbox/outbox   \
         (see also _sandbox/transfers, _sandbox/clock, _sandbox/registrant/ID/accept)\n\
         Stop it with Ctrl-C.",
        sandbox.username()
    );
    let _ = out.flush();
    drop(out);
    sandbox
        .wait()
        .map_err(|e| CliError::io("serve", "the server stopped", &e))
}

/// Writes a generated key to a new file in the temporary directory, only
/// the owner allowed to read it, and returns its path.
fn write_key(key: &Secret, listen: SocketAddr) -> Result<PathBuf, CliError> {
    let path = std::env::temp_dir().join(format!(
        "opensrs-sandbox-{}-{}.key",
        listen.port(),
        std::process::id()
    ));
    let name = path.display().to_string();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(&path)
        .map_err(|e| CliError::io(&name, "cannot create", &e))?;
    writeln!(file, "{}", key.expose()).map_err(|e| CliError::io(&name, "cannot write", &e))?;
    Ok(path)
}

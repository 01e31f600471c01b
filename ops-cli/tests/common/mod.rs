//! Shared by the `opensrs` binary's tests: running it as a user runs it,
//! reading what it printed, the fixtures, and the checks every error line
//! must pass.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value as Json;

/// The workspace root: commands run there, so file names in messages are
/// the relative paths given.
pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The bytes of a file, by its path relative to the workspace root.
pub(crate) fn fixture_bytes(rel: &str) -> Vec<u8> {
    std::fs::read(root().join(rel)).expect("fixture")
}

/// The `.xml` files directly in `ops-actions/fixtures/DIR` for each of
/// `dirs` (`OBJECT/ACTION`), as `(DIR, path relative to the workspace
/// root)`, sorted; every folder must exist, and there must be at least 13
/// files in all.
pub(crate) fn fixtures_in<I>(dirs: I) -> Vec<(String, String)>
where
    I: IntoIterator,
    I::Item: AsRef<str>,
{
    let mut out = Vec::new();
    for dir in dirs {
        let dir = dir.as_ref();
        let fixtures = root().join("ops-actions/fixtures");
        for f in std::fs::read_dir(fixtures.join(dir)).expect("fixture dir") {
            let f = f.expect("entry").path();
            if f.extension().is_some_and(|e| e == "xml") {
                let name = f.file_name().and_then(|n| n.to_str()).expect("UTF-8 name");
                out.push((dir.to_owned(), format!("ops-actions/fixtures/{dir}/{name}")));
            }
        }
    }
    out.sort();
    assert!(out.len() >= 13, "fixtures found: {out:?}");
    out
}

/// What one run of `opensrs` did.
pub(crate) struct Run {
    pub(crate) code: Option<i32>,
    pub(crate) stdout: Vec<u8>,
    pub(crate) stderr: String,
}

impl Run {
    pub(crate) fn stdout(&self) -> &str {
        std::str::from_utf8(&self.stdout).expect("stdout is UTF-8")
    }

    pub(crate) fn json(&self) -> Json {
        serde_json::from_slice(&self.stdout).expect("stdout is JSON")
    }

    #[track_caller]
    pub(crate) fn ok(self) -> Self {
        assert_eq!(self.code, Some(0), "stderr: {}", self.stderr);
        assert!(self.stderr.is_empty(), "stderr: {}", self.stderr);
        self
    }

    /// Exit status 1, nothing on stdout, exactly one line on stderr; returns
    /// that line.
    #[track_caller]
    pub(crate) fn fails(self) -> String {
        assert_eq!(self.code, Some(1), "stderr: {}", self.stderr);
        assert!(self.stdout.is_empty(), "stdout: {:?}", self.stdout());
        let line = self
            .stderr
            .strip_suffix('\n')
            .unwrap_or_else(|| panic!("stderr ends with a newline: {:?}", self.stderr));
        assert!(
            !line.contains('\n'),
            "one line on stderr: {:?}",
            self.stderr
        );
        line.to_owned()
    }

    /// A usage error: clap's message, exit status 2, nothing on stdout.
    #[track_caller]
    pub(crate) fn usage_error(self) -> String {
        assert_eq!(self.code, Some(2), "stderr: {}", self.stderr);
        assert!(self.stdout.is_empty(), "stdout: {:?}", self.stdout());
        self.stderr
    }
}

/// Runs `opensrs` in the workspace root with `args`, and `stdin` on its
/// standard input (none: no input at all).
pub(crate) fn xcp(args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_opensrs"))
        .args(args)
        .current_dir(root())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("xcp starts");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        let input = input.to_vec();
        // Write from a thread: a large input could fill the pipe while xcp
        // fills stdout.
        std::thread::spawn(move || {
            // xcp may stop reading early (size limit): ignore EPIPE.
            let _ = pipe.write_all(&input);
        });
    }
    let out = child.wait_with_output().expect("xcp runs");
    Run {
        code: out.status.code(),
        stdout: out.stdout,
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// Runs `opensrs` with `args` and all of `input` on stdin, its stdout closed
/// before it writes anything: it must still succeed, silently.
#[track_caller]
pub(crate) fn assert_closed_stdout_is_ok(args: &[&str], input: &[u8]) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_opensrs"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("xcp starts");
    // Close our end of stdout before xcp writes anything.
    drop(child.stdout.take());
    let mut stdin = child.stdin.take().expect("stdin is piped");
    stdin.write_all(input).expect("xcp reads all its input");
    drop(stdin);
    let out = child.wait_with_output().expect("xcp runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `FILE:LINE:COL: message` with an optional ` (at PATH)`.
#[track_caller]
pub(crate) fn assert_error_format(line: &str, file: &str) {
    let rest = line
        .strip_prefix(file)
        .and_then(|r| r.strip_prefix(':'))
        .unwrap_or_else(|| panic!("starts with {file}: {line}"));
    let mut parts = rest.splitn(3, ':');
    let l = parts.next().unwrap_or_default();
    let c = parts.next().unwrap_or_default();
    let message = parts.next().unwrap_or_default();
    assert!(
        l.parse::<u32>().is_ok_and(|n| n >= 1) && c.parse::<u32>().is_ok_and(|n| n >= 1),
        "LINE:COL in {line}"
    );
    assert!(
        message.starts_with(' ') && message.len() > 1,
        "message in {line}"
    );
}

/// A folder of its own for one test's files, removed on drop.
pub(crate) struct TempDir(pub(crate) PathBuf);

impl TempDir {
    pub(crate) fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("xcp-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }

    /// Writes `contents` to a file `name` in the folder; returns its path.
    pub(crate) fn file(&self, name: &str, contents: &[u8]) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, contents).expect("write");
        path.to_str().expect("UTF-8 path").to_owned()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

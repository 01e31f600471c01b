//! What the per-command snapshot tests share: the spec's fixtures, insta
//! settings that put every snapshot in `tests/snapshots/` under a name that
//! says what it shows, and the checks run on every request and reply
//! fixture.
//!
//! The fixtures of a command are in `fixtures/<object>/<action>/`, named
//! `request*.xml` and `reply*.xml` (inputs that must fail sit in its `bad/`
//! subfolder). Snapshot names read `OBJECT__ACTION__FIXTURE__WHAT`, e.g.
//! `domain__check_transfer__reply_completed__decoded`:
//!
//! | WHAT | shows |
//! |---|---|
//! | `decoded` | the fixture decoded into its typed value (`{:#?}`; secrets redacted) |
//! | `encoded_compact` | the decoded request encoded again: the exact bytes signed and sent |
//! | `encoded_pretty` | the same request, indented for people |
//! | `reencoded` | the decoded reply written back by `encode_reply`, indented |

// Each test crate uses the part of this module it needs.
#![allow(dead_code)]

use std::fmt::Debug;
use std::path::{Path, PathBuf};

use opensrs_core::{Command, Writer, parse_str};

/// `fixtures/`, in this crate.
pub(crate) fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// One fixture file of the spec.
pub(crate) struct Fixture {
    /// The file name without `.xml`, e.g. `reply_completed`.
    pub(crate) stem: String,
    /// The path shown in snapshot descriptions, e.g.
    /// `fixtures/domain/check_transfer/reply_completed.xml`.
    pub(crate) shown: String,
    /// The file's text.
    pub(crate) text: String,
}

/// Every `{kind}*.xml` fixture of command `C` (`kind` is `request` or
/// `reply`), from `fixtures/<object>/<action>/`, sorted by name; there must
/// be at least one, and every file of the folder must be a request or a
/// reply fixture (none goes untested; the `bad/` subfolder is not read).
pub(crate) fn fixtures<C: Command>(kind: &str) -> Vec<Fixture> {
    let command = format!("{}/{}", C::OBJECT, C::ACTION);
    let dir = fixtures_root().join(&command);
    let paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("readable fixture directory").path())
        .filter(|path| !path.is_dir())
        .collect();
    let is = |stem: &str, kind: &str| stem == kind || stem.starts_with(&format!("{kind}_"));
    for path in &paths {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let stem = name.strip_suffix(".xml").unwrap_or_default();
        assert!(
            is(stem, "request") || is(stem, "reply"),
            "{}: a fixture is named request*.xml or reply*.xml",
            path.display()
        );
    }
    let mut out: Vec<Fixture> = paths
        .into_iter()
        .filter_map(|path| {
            let stem = path.file_stem()?.to_str()?.to_owned();
            is(&stem, kind).then(|| Fixture {
                shown: format!("fixtures/{command}/{stem}.xml"),
                text: std::fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display())),
                stem,
            })
        })
        .collect();
    out.sort_by(|a, b| a.stem.cmp(&b.stem));
    assert!(!out.is_empty(), "no {kind} fixture in {}", dir.display());
    out
}

/// The text of `fixtures/{path}`.
pub(crate) fn fixture_text(path: &str) -> String {
    let p = fixtures_root().join(path);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// insta settings: snapshots in `tests/snapshots/`, named exactly as given
/// (no module prefix), with `description` in the header instead of the
/// asserting expression.
pub(crate) fn settings(description: impl Into<String>) -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots"));
    s.set_prepend_module_to_snapshot(false);
    s.set_omit_expression(true);
    s.set_description(description);
    s
}

/// Snapshots `value` as `name`, described by `description`.
pub(crate) fn snapshot(name: &str, description: impl Into<String>, value: &str) {
    settings(description).bind(|| insta::assert_snapshot!(name, value));
}

/// The reply envelope of `response`, indented for people.
pub(crate) fn encode_reply_pretty<C: Command>(response: &C::Response<'_>) -> String {
    let mut w = Writer::pretty(String::new());
    C::encode_reply_to(response, &mut w).expect("reply encodes");
    w.finish().expect("reply encodes")
}

/// The prefix of a command's snapshot names: `object__action`.
fn snapshot_prefix<C: Command>() -> String {
    format!("{}__{}", C::OBJECT, C::ACTION)
}

/// Whether the checks below take snapshots: the test over every registered
/// command (`tests/fixtures.rs`) does; a command's own test, which runs the
/// same checks for its assertions, does not repeat them.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Snap {
    /// Assert the snapshots.
    Yes,
    /// Only decode, encode and compare.
    No,
}

/// Every request fixture of `C`: decoded into `C` (snapshot `decoded`),
/// encoded compact and pretty (snapshots), and both encodings decoded back
/// into an equal request. Returns the decoded requests, by fixture stem,
/// for the caller's own assertions.
pub(crate) fn check_requests<C>(snap: Snap) -> Vec<(String, C)>
where
    C: Command + Debug + PartialEq,
{
    let type_name = short_type_name::<C>();
    let command = snapshot_prefix::<C>();
    let snapshot = |name: &str, description: String, value: &str| {
        if snap == Snap::Yes {
            snapshot(name, description, value);
        }
    };
    let mut out = Vec::new();
    for f in fixtures::<C>("request") {
        let doc = parse_str(&f.text).unwrap_or_else(|e| panic!("{}: {e}", f.shown));
        let req = C::decode_request(&doc).unwrap_or_else(|e| panic!("{}: {e}", f.shown));
        snapshot(
            &format!("{command}__{}__decoded", f.stem),
            format!("{} decoded into {type_name}", f.shown),
            &format!("{req:#?}"),
        );

        let compact = req.encode().expect("request encodes");
        let pretty = req.encode_pretty().expect("request encodes");
        snapshot(
            &format!("{command}__{}__encoded_compact", f.stem),
            format!(
                "{} decoded, then encoded by Command::encode: the bytes to sign and send",
                f.shown
            ),
            &compact,
        );
        snapshot(
            &format!("{command}__{}__encoded_pretty", f.stem),
            format!(
                "{} decoded, then encoded by Command::encode_pretty",
                f.shown
            ),
            &pretty,
        );

        for (how, xml) in [("compact", &compact), ("pretty", &pretty)] {
            let doc = parse_str(xml).unwrap_or_else(|e| panic!("{how} {}: {e}", f.shown));
            let again = C::decode_request(&doc).unwrap_or_else(|e| panic!("{how}: {e}"));
            assert_eq!(again, req, "{}: request → {how} XML → request", f.shown);
        }
        out.push((f.stem, req));
    }
    out
}

/// Every reply fixture of `C`: decoded into `C::Response` (snapshot
/// `decoded`), written back with `encode_reply` and decoded again into an
/// equal reply; the indented re-encoding is snapshot `reencoded`. `check`
/// runs on each decoded reply, with the fixture's stem.
///
/// `same` is `|a, b| a == b`: written at the call site, where the reply
/// type is concrete, because a reply borrows from its document and the
/// generic `C::Response<'d>` cannot be compared across two documents'
/// lifetimes here.
pub(crate) fn check_replies<C>(
    snap: Snap,
    same: impl for<'a, 'b> Fn(&C::Response<'a>, &C::Response<'b>) -> bool,
    mut check: impl FnMut(&str, &C::Response<'_>),
) where
    C: Command,
    for<'d> C::Response<'d>: Debug,
{
    let type_name = short_type_name::<C::Response<'static>>();
    let command = snapshot_prefix::<C>();
    let snapshot = |name: &str, description: String, value: &str| {
        if snap == Snap::Yes {
            snapshot(name, description, value);
        }
    };
    for f in fixtures::<C>("reply") {
        let doc = parse_str(&f.text).unwrap_or_else(|e| panic!("{}: {e}", f.shown));
        let reply = C::decode_reply(&doc).unwrap_or_else(|e| panic!("{}: {e}", f.shown));
        snapshot(
            &format!("{command}__{}__decoded", f.stem),
            format!("{} decoded into {type_name}", f.shown),
            &format!("{reply:#?}"),
        );
        check(&f.stem, &reply);

        let compact = C::encode_reply(&reply).expect("reply encodes");
        let pretty = encode_reply_pretty::<C>(&reply);
        snapshot(
            &format!("{command}__{}__reencoded", f.stem),
            format!(
                "{} decoded, then written back by Command::encode_reply (shown indented)",
                f.shown
            ),
            &pretty,
        );
        for (how, xml) in [("compact", &compact), ("pretty", &pretty)] {
            let doc = parse_str(xml).unwrap_or_else(|e| panic!("{how} {}: {e}", f.shown));
            let again = C::decode_reply(&doc).unwrap_or_else(|e| panic!("{how}: {e}"));
            assert!(
                same(&again, &reply),
                "{}: reply → {how} XML → reply differs:\n{again:#?}\n{reply:#?}",
                f.shown
            );
        }
    }
}

/// `CheckTransferReply` for `opensrs_actions::domain::check_transfer::CheckTransferReply<'_>`.
fn short_type_name<T: ?Sized>() -> String {
    let full = std::any::type_name::<T>();
    let base = full.split('<').next().unwrap_or(full);
    base.rsplit("::").next().unwrap_or(base).to_owned()
}

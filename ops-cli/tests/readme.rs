//! README.md stays true: its quick start compiles and runs, and its test
//! command is the one `.ci/run` runs.

use std::path::Path;

/// The quick start of README.md, verbatim (indented one level).
mod quick_start {
    use opensrs_core::{Kind, Value, parse, write_value};

    fn main() -> Result<(), Box<dyn std::error::Error>> {
        // Build a request and write it as a canonical envelope.
        let request = Value::assoc([
            ("protocol", Value::from("XCP")),
            ("action", Value::from("CHECK_TRANSFER")),
            ("object", Value::from("DOMAIN")),
            ("attributes", Value::assoc([("domain", "example.com")])),
        ]);
        let xml = write_value(&request)?;

        // Read it back: nodes are cheap views, their text borrows from `xml`.
        let doc = parse(xml.as_bytes())?;
        let attributes = doc.root().get("attributes").ok_or("no attributes")?;
        assert_eq!(attributes.kind(), Kind::Assoc);
        let domain = attributes.get("domain").and_then(|n| n.as_str());
        assert_eq!(domain, Some("example.com"));
        assert_eq!(doc.root().to_value(), request);

        // Bad input is an error with a line, a column and a key path.
        let err = parse(b"<OPS_envelope><header>").err().ok_or("must fail")?;
        assert_eq!(err.position().line, 1);
        eprintln!("{err}");
        Ok(())
    }
    #[test]
    fn runs() {
        main().expect("the quick start runs");
    }
}

fn read(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The lines of the first fenced block of `lang` after `after`.
fn block<'a>(text: &'a str, after: &str, lang: &str) -> Vec<&'a str> {
    let start = text.find(after).expect("section exists");
    let fence = format!("```{lang}\n");
    let body = &text[start..];
    let open = body.find(&fence).expect("block exists") + fence.len();
    let close = body[open..].find("```").expect("block is closed");
    body[open..open + close].lines().collect()
}

#[test]
fn quick_start_is_the_one_tested_here() {
    let readme = read("README.md");
    let this = read("ops-cli/tests/readme.rs");
    let expected: Vec<String> = block(&readme, "## Quick start", "rust")
        .iter()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("    {l}")
            }
        })
        .collect();
    assert!(
        this.contains(&(expected.join("\n") + "\n")),
        "README.md's quick start differs from the copy in ops-cli/tests/readme.rs"
    );
}

#[test]
fn set_up_has_two_commands_and_ci_runs_the_same_tests() {
    let readme = read("README.md");
    let commands = block(&readme, "## Set-up", "sh");
    assert_eq!(commands.len(), 2, "{commands:?}");
    assert_eq!(
        commands[0], "cargo run -p opensrs-cli -- demo",
        "the main job is the demo"
    );
    let ci = read(".ci/run");
    let last = ci
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .expect(".ci/run is not empty");
    assert_eq!(
        last, commands[1],
        ".ci/run must end with README.md's test command"
    );
    for line in [
        "set -euo pipefail",
        "cargo fmt --all --check",
        "cargo clippy --workspace --all-targets -- -D warnings",
    ] {
        assert!(ci.lines().any(|l| l == line), ".ci/run lacks `{line}`");
    }
}

//! Every registered command (`opensrs_actions::with_commands!`) against its
//! fixture folder `fixtures/<object>/<action>/`: every request and reply
//! fixture decoded, encoded and round-tripped, with snapshots named
//! `<object>__<action>__<fixture>__<what>` (see `common`). A registered
//! command without a folder, or a folder without a registered command,
//! fails the test.

// simple_transfer is deprecated by OpenSRS, and registered on purpose.
#![allow(deprecated)]

mod common;

use std::collections::BTreeSet;

/// One test per run over the list: `check_requests` and `check_replies`
/// for each command's concrete type.
macro_rules! check_all {
    ($(($object:ident, $action:ident) => $module:ident :: $ty:ident,)*) => {{
        let mut registered = BTreeSet::new();
        $(
            common::check_requests::<opensrs_actions::$module::$ty>(common::Snap::Yes);
            common::check_replies::<opensrs_actions::$module::$ty>(
                common::Snap::Yes,
                |a, b| a == b,
                |_, _| {},
            );
            registered.insert(format!("{}/{}", stringify!($object), stringify!($action)));
        )*
        registered
    }};
}

/// `object/action` for every folder `fixtures/<object>/<action>/`.
fn folders() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let root = common::fixtures_root();
    for object in std::fs::read_dir(&root).expect("fixtures/") {
        let object = object.expect("readable fixtures/").path();
        assert!(
            object.is_dir(),
            "{}: fixtures/ holds object folders only",
            object.display()
        );
        for action in std::fs::read_dir(&object).expect("object folder") {
            let action = action.expect("readable object folder").path();
            assert!(
                action.is_dir(),
                "{}: an object folder holds action folders only",
                action.display()
            );
            let name = |p: &std::path::Path| p.file_name().unwrap().to_string_lossy().into_owned();
            out.insert(format!("{}/{}", name(&object), name(&action)));
        }
    }
    out
}

#[test]
fn every_registered_command_against_its_fixture_folder() {
    let registered = opensrs_actions::with_commands!(check_all);
    assert_eq!(registered.len(), opensrs_actions::COMMANDS.len());
    let folders = folders();
    let no_folder: Vec<_> = registered.difference(&folders).collect();
    let no_command: Vec<_> = folders.difference(&registered).collect();
    assert!(
        no_folder.is_empty(),
        "registered commands without fixtures/<object>/<action>/: {no_folder:?}"
    );
    assert!(
        no_command.is_empty(),
        "fixture folders of no registered command: {no_command:?}"
    );
}

/// The registry's dynamic entries agree with the typed checks: each
/// fixture decodes through `CommandInfo` into what the type prints, and
/// encodes to the same bytes.
#[test]
fn the_registry_decodes_every_fixture_like_the_types() {
    let mut seen = 0;
    for command in opensrs_actions::COMMANDS {
        let dir = common::fixtures_root()
            .join(command.object())
            .join(command.action());
        for entry in std::fs::read_dir(&dir).expect("fixture folder") {
            let path = entry.unwrap().path();
            if path.is_dir() {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let doc = opensrs_core::parse_str(&text).unwrap();
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            if stem.starts_with("request") {
                let req = command.decode_request(&doc).unwrap();
                let xml = req.encode(false).unwrap();
                let again = opensrs_core::parse_str(&xml).unwrap();
                let req2 = command.decode_request(&again).unwrap();
                assert_eq!(
                    format!("{req:?}"),
                    format!("{req2:?}"),
                    "{}",
                    path.display()
                );
                assert_eq!(req.encode(true).unwrap(), req2.encode(true).unwrap());
            } else {
                let reply = command.decode_reply(&doc).unwrap();
                let xml = reply.encode(false).unwrap();
                let again = opensrs_core::parse_str(&xml).unwrap();
                let reply2 = command.decode_reply(&again).unwrap();
                assert_eq!(
                    format!("{reply:?}"),
                    format!("{reply2:?}"),
                    "{}",
                    path.display()
                );
            }
            // Every other command refuses it (another action or object).
            for other in opensrs_actions::COMMANDS {
                if std::ptr::eq(other, command) {
                    continue;
                }
                if stem.starts_with("request") {
                    assert!(
                        other.decode_request(&doc).is_err(),
                        "{other} took {}",
                        path.display()
                    );
                } else if other.object() != command.object() {
                    assert!(
                        other.decode_reply(&doc).is_err(),
                        "{other} took {}",
                        path.display()
                    );
                }
            }
            seen += 1;
        }
    }
    assert_eq!(seen, 15);
}

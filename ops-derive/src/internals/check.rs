//! Checks that need the whole model: every misuse is reported, spanned at
//! its tokens, before any code is generated.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use quote::ToTokens;

use super::ast::{Container, Data, Field, Role, Variant, is_bool, is_text};
use super::ctxt::Ctxt;

/// Keys a request's top-level fields may not take.
const REQUEST_RESERVED: &[&str] = &["protocol", "action", "object", "attributes"];
/// Keys a reply's top-level fields may not take.
const REPLY_RESERVED: &[&str] = &["protocol", "action", "object", "is_success", "attributes"];

/// Runs every check. Returns whether code can still be generated (the
/// shape is sound even if some attributes were wrong).
pub(crate) fn check(cx: &Ctxt, cont: &Container<'_>, input: &syn::DeriveInput) -> bool {
    let generics_ok = check_generics(cx, cont, input);
    check_role(cx, cont);
    match &cont.data {
        Data::Struct(fields) => check_fields(cx, cont, fields),
        Data::Enum(variants) => check_enum(cx, variants),
    }
    generics_ok
}

fn check_generics(cx: &Ctxt, cont: &Container<'_>, input: &syn::DeriveInput) -> bool {
    let mut ok = true;
    let mut lifetimes = 0;
    for p in &input.generics.params {
        match p {
            syn::GenericParam::Lifetime(l) => {
                lifetimes += 1;
                if lifetimes > 1 {
                    ok = false;
                    cx.error_spanned_by(l, "#[derive(Xcp)] takes at most one lifetime parameter: the lifetime of the document it borrows from");
                }
                if is_command(cont) {
                    ok = false;
                    cx.error_spanned_by(l, "a command request owns its data: remove the lifetime parameter (use String, not &str)");
                }
            }
            syn::GenericParam::Type(t) => {
                ok = false;
                cx.error_spanned_by(
                    t,
                    "#[derive(Xcp)] does not support type parameters: only a lifetime is allowed",
                );
            }
            syn::GenericParam::Const(c) => {
                ok = false;
                cx.error_spanned_by(
                    c,
                    "#[derive(Xcp)] does not support const parameters: only a lifetime is allowed",
                );
            }
        }
    }
    ok
}

fn check_role(cx: &Ctxt, cont: &Container<'_>) {
    let a = &cont.attrs;
    if let (Some(d), false, Data::Struct(_)) = (&cont.user_debug, a.no_debug.present(), &cont.data)
    {
        cx.error_spanned_by(
            d,
            "#[derive(Xcp)] already implements `Debug`, printing `secret` fields as [redacted]: \
             remove `Debug` here, or add #[xcp(no_debug)] to derive your own",
        );
    }
    if matches!(cont.data, Data::Enum(_)) {
        for (tokens, key) in [
            (a.action.tokens(), "action"),
            (a.object.tokens(), "object"),
            (a.response.tokens(), "response"),
            (a.reply.tokens(), "reply"),
            (a.validate.tokens(), "validate"),
            (a.no_debug.tokens(), "no_debug"),
            (a.idempotent.tokens(), "idempotent"),
        ] {
            if let Some(t) = tokens {
                cx.error_spanned_by(t, format!("`{key}` applies to structs, not to enums"));
            }
        }
        for c in &a.constants {
            cx.error_spanned_by(
                &c.tokens,
                "`attr(...)` constants apply to structs, not to enums",
            );
        }
        return;
    }
    let command = [
        (a.action.present(), "action"),
        (a.object.present(), "object"),
        (a.response.present(), "response"),
    ];
    if command.iter().any(|(present, _)| *present) {
        if let Some(r) = a.reply.tokens() {
            cx.error_spanned_by(
                r,
                "a struct is either a command (`action`, `object`, `response`) or a `reply`, not both",
            );
        } else if let Some(at) = &a.command_attr {
            let missing: Vec<_> = command
                .iter()
                .filter(|(present, _)| !present)
                .map(|(_, key)| format!("`{key}`"))
                .collect();
            if !missing.is_empty() {
                cx.error_spanned_by(
                    at,
                    format!(
                        "missing {}: a command names its action, its object and its reply type, \
                         e.g. #[xcp(action = \"get_balance\", object = \"balance\", response = Balance)]",
                        and_list(&missing)
                    ),
                );
            }
        }
    }
    if let Some(t) = a.idempotent.tokens()
        && !is_command(cont)
    {
        cx.error_spanned_by(
            t,
            "`idempotent` applies to a command (a struct with `action`)",
        );
    }
    for s in [a.action.get(), a.object.get()].into_iter().flatten() {
        if s.value.is_empty()
            || !s
                .value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            cx.error_spanned_by(
                &s.lit,
                "action and object are names of letters, digits and `_`",
            );
        }
    }
}

/// Whether the struct is meant as a command: it names an action, an object
/// or a response (even if one is missing or wrong, which is reported once),
/// and is not a `reply`.
fn is_command(cont: &Container<'_>) -> bool {
    let a = &cont.attrs;
    matches!(cont.data, Data::Struct(_))
        && !a.reply.present()
        && (a.action.present() || a.object.present() || a.response.present())
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn check_fields(cx: &Ctxt, cont: &Container<'_>, fields: &[Field<'_>]) {
    let envelope = is_command(cont) || matches!(cont.role, Role::Reply);
    let reserved = if is_command(cont) {
        REQUEST_RESERVED
    } else if matches!(cont.role, Role::Reply) {
        REPLY_RESERVED
    } else {
        &[]
    };
    // Keys are unique per place: the top level and `attributes`.
    let mut seen: HashMap<(bool, &str), &Field<'_>> = HashMap::new();
    for c in &cont.attrs.constants {
        if let Some(f) = fields
            .iter()
            .find(|f| !f.attrs.top.present() && !f.attrs.rest.present() && f.wire == c.key)
        {
            cx.error_spanned_by(
                &c.tokens,
                format!(
                    "the constant `{}` has the wire key of a field: remove one",
                    c.key
                ),
            );
            cx.error_spanned_by(
                &f.wire_tokens,
                format!("the field with key `{}` is here", c.key),
            );
        }
    }
    let mut rest: Option<&Field<'_>> = None;
    for f in fields {
        let fa = &f.attrs;
        if let (Some(t), true) = (fa.default.tokens(), f.is_option()) {
            cx.error_spanned_by(
                t,
                "`default` is not needed on an Option field: an absent key already reads as None",
            );
        }
        if let (Some(t), false) = (fa.secret.tokens(), is_text(f.ty)) {
            cx.error_spanned_by(
                t,
                "`secret` redacts text: it applies to String, &str, Cow<str>, Secret, or an Option of one",
            );
        }
        if let (Some(t), false) = (fa.top.tokens(), envelope) {
            cx.error_spanned_by(
                t,
                "`top` applies in a command or a `reply`, where items sit beside `attributes`; \
                 this struct has no top level",
            );
        }
        if fa.rest.present() {
            // A misspelled `rest` (reported already) is a catch-all too.
            let Some(t) = fa.rest.tokens() else { continue };
            if let Some(first) = rest {
                cx.error_spanned_by(
                    t,
                    "only one field can be `rest`: it keeps every item no other field names",
                );
                cx.error_spanned_by(first.attrs.rest.tokens(), "the first `rest` field is here");
            } else {
                rest = Some(f);
            }
            for (other, name) in [
                (fa.rename.tokens(), "rename"),
                (fa.default.tokens(), "default"),
                (fa.with.tokens(), "with"),
                (fa.skip_if.tokens(), "skip_if"),
                (fa.secret.tokens(), "secret"),
                (fa.top.tokens(), "top"),
                (fa.yes_no.tokens(), "yes_no"),
            ] {
                if let Some(o) = other {
                    cx.error_spanned_by(
                        o,
                        format!("`{name}` cannot be combined with `rest`: a `rest` field has no key of its own"),
                    );
                }
            }
            continue;
        }
        if let (Some(t), None, false) = (fa.skip_if.tokens(), fa.default.tokens(), f.is_option()) {
            cx.error_spanned_by(
                t,
                "`skip_if` without `default` breaks the round trip: a skipped field is absent \
                 and then fails to decode as missing; add `default`, e.g. \
                 #[xcp(default, skip_if = String::is_empty)]",
            );
        }
        if let (Some(t), false) = (fa.yes_no.tokens(), is_bool(f.ty)) {
            cx.error_spanned_by(
                t,
                "`yes_no` writes a boolean as Y / N: it applies to bool or Option<bool>",
            );
        }
        if let (Some(y), Some(w)) = (fa.yes_no.tokens(), fa.with.tokens()) {
            cx.error_spanned_by(
                y,
                "`yes_no` cannot be combined with `with`: the `with` module writes the value",
            );
            cx.error_spanned_by(w, "the `with` is here");
        }
        if matches!(cont.role, Role::Reply)
            && !fa.top.present()
            && !fa.rename.invalid()
            && f.wire == "response_code"
        {
            cx.error_spanned_by(
                &f.wire_tokens,
                "a reply's `response_code` sits beside `attributes`, not inside it: \
                 add #[xcp(top)] to this field",
            );
        }
        if fa.rename.invalid() {
            // Its key is unknown (the error is reported): comparing the
            // field name would report a conflict that is not there.
            continue;
        }
        let top = fa.top.get().is_some();
        if top && reserved.contains(&f.wire.as_str()) {
            cx.error_spanned_by(
                &f.wire_tokens,
                format!(
                    "`{}` is written by the envelope itself; a top-level field cannot use it",
                    f.wire
                ),
            );
        }
        match seen.entry((top, f.wire.as_str())) {
            Entry::Vacant(v) => {
                v.insert(f);
            }
            Entry::Occupied(first) => {
                let first = first.get();
                cx.error_spanned_by(
                    &f.wire_tokens,
                    format!(
                        "two fields have the wire key `{}`: give one of them another `rename`",
                        f.wire
                    ),
                );
                cx.error_spanned_by(
                    &first.wire_tokens,
                    format!("the other field with key `{}` is here", f.wire),
                );
            }
        }
    }
}

fn check_enum(cx: &Ctxt, variants: &[Variant<'_>]) {
    let mut seen: HashMap<String, &Variant<'_>> = HashMap::new();
    let mut other: Option<&Variant<'_>> = None;
    for v in variants {
        if v.attrs.other.present() {
            if let Some(t) = v.attrs.other.tokens() {
                if let Some(first) = other {
                    cx.error_spanned_by(
                        t,
                        "only one variant can be `other`: it keeps every unknown value",
                    );
                    cx.error_spanned_by(
                        first.attrs.other.tokens(),
                        "the first `other` variant is here",
                    );
                } else {
                    other = Some(v);
                }
                if let Some(t) = v.attrs.rename.tokens() {
                    cx.error_spanned_by(
                        t,
                        "the `other` variant has no wire name of its own: remove `rename`",
                    );
                }
            }
            // A misspelled `other` (reported already) is checked as one, so
            // that its `(String)` is not reported as well.
            if !v.holds_string() {
                let at = if v.fields.is_empty() {
                    v.ident.to_token_stream()
                } else {
                    v.fields.to_token_stream()
                };
                cx.error_spanned_by(
                    at,
                    format!(
                        "the `other` variant keeps the unknown text: write it `{}(String)`",
                        v.ident
                    ),
                );
            }
            continue;
        }
        if !v.fields.is_empty() {
            cx.error_spanned_by(
                v.fields,
                "#[derive(Xcp)] enums are string enums: variants carry no data \
                 (except an `#[xcp(other)] Unknown(String)` variant, for values not listed)",
            );
        }
        if v.attrs.rename.invalid() {
            continue;
        }
        match seen.entry(v.wire.to_ascii_lowercase()) {
            Entry::Vacant(e) => {
                e.insert(v);
            }
            Entry::Occupied(first) => {
                let first = first.get();
                let msg = if first.wire == v.wire {
                    format!(
                        "two variants have the wire name `{}`: give one of them another `rename`",
                        v.wire
                    )
                } else {
                    format!(
                        "`{}` and `{}` are the same wire name (values compare case-insensitively): \
                         give one of the variants another `rename`",
                        v.wire, first.wire
                    )
                };
                cx.error_spanned_by(&v.wire_tokens, msg);
                cx.error_spanned_by(
                    &first.wire_tokens,
                    format!("the other variant with wire name `{}` is here", first.wire),
                );
            }
        }
    }
}

//! Checks that need the whole model: every misuse is reported, spanned at
//! its tokens, before any code is generated.

use std::collections::HashMap;

use quote::ToTokens;

use super::ast::{Container, Data, Field, Role, is_text};
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
    let data_ok = match &cont.data {
        Data::Struct(fields) => {
            check_fields(cx, cont, fields);
            true
        }
        Data::Enum(variants) => check_enum(cx, cont, variants),
    };
    generics_ok && data_ok
}

fn check_generics(cx: &Ctxt, cont: &Container<'_>, input: &syn::DeriveInput) -> bool {
    let mut ok = true;
    let mut lifetimes = 0;
    for p in &input.generics.params {
        match p {
            syn::GenericParam::Lifetime(l) => {
                lifetimes += 1;
                if lifetimes == 2 {
                    ok = false;
                    cx.error_spanned_by(l, "#[derive(Xcp)] accepts at most one lifetime parameter (the document's)");
                }
                if matches!(cont.role, Role::Request { .. }) {
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
    let is_enum = matches!(cont.data, Data::Enum(_));
    for (tokens, key) in [
        (a.action.tokens(), "action"),
        (a.object.tokens(), "object"),
        (a.response.tokens(), "response"),
        (a.reply.tokens(), "reply"),
    ] {
        if let (Some(t), true) = (tokens, is_enum) {
            cx.error_spanned_by(t, format!("`{key}` applies to structs, not to enums"));
        }
    }
    if is_enum {
        return;
    }
    let (action, object, response) = (a.action.tokens(), a.object.tokens(), a.response.tokens());
    let any = action.or(object).or(response);
    if let Some(at) = any {
        if action.is_none() {
            cx.error_spanned_by(at, "missing `action`: a command names its action, e.g. action = \"check_transfer\"");
        }
        if object.is_none() {
            cx.error_spanned_by(at, "missing `object`: a command names its object, e.g. object = \"domain\"");
        }
        if response.is_none() {
            cx.error_spanned_by(at, "missing `response`: a command names its reply type, e.g. response = CheckTransferReply<'_>");
        }
        if let Some(r) = a.reply.tokens() {
            cx.error_spanned_by(r, "`reply` marks a reply struct; it cannot also be a command (`action`/`object`)");
        }
    }
    for s in [a.action.get(), a.object.get()].into_iter().flatten() {
        if s.value.is_empty() || !s.value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            cx.error_spanned_by(&s.lit, "action and object are names of letters, digits and `_`");
        }
    }
}

fn check_fields(cx: &Ctxt, cont: &Container<'_>, fields: &[Field<'_>]) {
    let envelope = !matches!(cont.role, Role::Plain);
    let reserved = match cont.role {
        Role::Request { .. } => REQUEST_RESERVED,
        Role::Reply => REPLY_RESERVED,
        Role::Plain => &[],
    };
    // Keys are unique per place: the top level and `attributes`.
    let mut seen: HashMap<(bool, &str), &Field<'_>> = HashMap::new();
    let mut rest: Option<&Field<'_>> = None;
    for f in fields {
        let fa = &f.attrs;
        if let (Some(t), true) = (fa.default.tokens(), f.is_option()) {
            cx.error_spanned_by(t, "`default` on an Option field is redundant: an absent key is already None");
        }
        if let (Some(t), false) = (fa.secret.tokens(), is_text(f.ty)) {
            cx.error_spanned_by(t, "`secret` applies to text fields only (String, &str, Cow<str>, Secret, or an Option of one)");
        }
        if let (Some(t), false) = (fa.top.tokens(), envelope) {
            cx.error_spanned_by(t, "`top` applies in a command (`action`/`object`) or `reply` struct, where items sit beside `attributes`");
        }
        if let Some(t) = fa.rest.tokens() {
            if let Some(first) = rest {
                cx.error_spanned_by(t, "only one `rest` field may keep the unnamed items");
                cx.error_spanned_by(first.member, "first `rest` field here");
            }
            rest = Some(f);
            for (other, name) in [
                (fa.rename.tokens(), "rename"),
                (fa.default.tokens(), "default"),
                (fa.with.tokens(), "with"),
                (fa.skip_if.tokens(), "skip_if"),
                (fa.secret.tokens(), "secret"),
                (fa.top.tokens(), "top"),
            ] {
                if let Some(o) = other {
                    cx.error_spanned_by(o, format!("`{name}` cannot be combined with `rest`"));
                }
            }
            continue;
        }
        let top = fa.top.get().is_some();
        if top && reserved.contains(&f.wire.as_str()) {
            cx.error_spanned_by(&f.wire_tokens, format!("`{}` is written by the envelope itself; a top-level field cannot use it", f.wire));
        }
        if let Some(first) = seen.insert((top, f.wire.as_str()), f) {
            cx.error_spanned_by(&f.wire_tokens, format!("duplicate wire key `{}`: two fields would read and write the same item", f.wire));
            cx.error_spanned_by(&first.wire_tokens, format!("first field with key `{}` here", f.wire));
        }
    }
}

fn check_enum(cx: &Ctxt, _cont: &Container<'_>, variants: &[super::ast::Variant<'_>]) -> bool {
    let mut ok = true;
    let mut seen: HashMap<String, &super::ast::Variant<'_>> = HashMap::new();
    let mut other: Option<&super::ast::Variant<'_>> = None;
    for v in variants {
        if v.attrs.other.get().is_some() {
            if let Some(first) = other {
                cx.error_spanned_by(v.ident, "only one `other` variant may keep unknown values");
                cx.error_spanned_by(first.ident, "first `other` variant here");
            }
            other = Some(v);
            if let Some(t) = v.attrs.rename.tokens() {
                cx.error_spanned_by(t, "the `other` variant has no wire name of its own: remove `rename`");
            }
            let shape_ok = match v.fields {
                syn::Fields::Unnamed(u) if u.unnamed.len() == 1 => u
                    .unnamed
                    .first()
                    .is_some_and(|f| f.ty.to_token_stream().to_string() == "String"),
                _ => false,
            };
            if !shape_ok {
                ok = false;
                cx.error_spanned_by(v.fields, "the `other` variant holds the unknown text: write it as `Unknown(String)`");
            }
            continue;
        }
        if !matches!(v.fields, syn::Fields::Unit) {
            ok = false;
            cx.error_spanned_by(v.fields, "#[derive(Xcp)] enums are string enums: variants hold no data (except one `#[xcp(other)] Unknown(String)`)");
        }
        if let Some(first) = seen.insert(v.wire.to_ascii_lowercase(), v) {
            cx.error_spanned_by(&v.wire_tokens, format!("duplicate wire name `{}` (names compare case-insensitively)", v.wire));
            cx.error_spanned_by(&first.wire_tokens, "first variant with that name here");
        }
    }
    ok
}

//! Parsing of `#[xcp(...)]` with `parse_nested_meta`, one constant per
//! keyword; every problem goes to the context, spanned at its tokens.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::meta::ParseNestedMeta;

use super::ctxt::Ctxt;
use super::symbol::*;

/// One attribute value, remembering where it was set so that a duplicate
/// can point at both places.
pub(crate) struct Attr<T> {
    name: &'static str,
    /// The key and value where it was first written, valid or not.
    first: Option<TokenStream>,
    value: Option<T>,
    /// Only a misspelling of it was written (`acton`): already reported,
    /// so it counts as present and is not reported missing as well.
    misspelled: bool,
}

impl<T> Attr<T> {
    fn none(name: &'static str) -> Self {
        Attr {
            name,
            first: None,
            value: None,
            misspelled: false,
        }
    }

    /// Records the attribute written at `at` (the key and its value);
    /// `None` for a value that was invalid (already reported): the key
    /// still counts as present, so that nothing is reported missing.
    fn set(&mut self, cx: &Ctxt, at: TokenStream, value: Option<T>) {
        if let Some(first) = &self.first {
            cx.error_spanned_by(at, format!("`{}` is set twice: keep one", self.name));
            cx.error_spanned_by(first, format!("`{}` is first set here", self.name));
        } else {
            self.first = Some(at);
            self.value = value;
        }
    }

    pub(crate) fn get(&self) -> Option<&T> {
        self.value.as_ref()
    }

    /// The tokens where the attribute was set, for errors about it.
    pub(crate) fn tokens(&self) -> Option<&TokenStream> {
        self.first.as_ref()
    }

    /// Whether the attribute was written, even with an invalid value or
    /// misspelled: then its error is already reported.
    pub(crate) fn present(&self) -> bool {
        self.first.is_some() || self.misspelled
    }

    /// Whether the attribute was written with an invalid value.
    pub(crate) fn invalid(&self) -> bool {
        self.first.is_some() && self.value.is_none()
    }
}

/// A string literal value and its span.
#[derive(Clone)]
pub(crate) struct Str {
    pub(crate) value: String,
    pub(crate) lit: syn::LitStr,
}

/// The container attributes.
pub(crate) struct Container {
    pub(crate) action: Attr<Str>,
    pub(crate) object: Attr<Str>,
    pub(crate) response: Attr<syn::Type>,
    pub(crate) reply: Attr<()>,
    pub(crate) krate: Attr<syn::Path>,
    pub(crate) validate: Attr<syn::Path>,
    pub(crate) serde: Attr<()>,
    /// `no_debug`: the user writes `Debug` (or derives it) instead of the
    /// generated, redacting one.
    pub(crate) no_debug: Attr<()>,
    /// `idempotent`: the command changes nothing (`Command::IDEMPOTENT`).
    pub(crate) idempotent: Attr<()>,
    /// `attr(key = "value", ...)`: constant items, written on encode,
    /// required and compared (ASCII case-insensitively) on decode.
    pub(crate) constants: Vec<Constant>,
    /// The first `#[xcp(...)]` naming `action`, `object` or `response`:
    /// where to point when one of the three is missing.
    pub(crate) command_attr: Option<TokenStream>,
}

/// A constant item: `key = "value"` inside `attr(...)`.
pub(crate) struct Constant {
    pub(crate) key: String,
    pub(crate) value: String,
    /// The tokens `key = "value"`, for errors.
    pub(crate) tokens: TokenStream,
}

/// The field attributes.
pub(crate) struct Field {
    pub(crate) rename: Attr<Str>,
    pub(crate) default: Attr<()>,
    pub(crate) with: Attr<syn::Path>,
    pub(crate) skip_if: Attr<syn::Path>,
    pub(crate) rest: Attr<()>,
    pub(crate) secret: Attr<()>,
    pub(crate) top: Attr<()>,
    pub(crate) yes_no: Attr<()>,
}

/// The variant attributes.
pub(crate) struct Variant {
    pub(crate) rename: Attr<Str>,
    pub(crate) other: Attr<()>,
}

fn path_name(p: &syn::Path) -> String {
    p.to_token_stream().to_string().replace(' ', "")
}

/// Keys of other derives (serde's) that newcomers reach for, and ours.
const LOOKALIKES: &[(&str, &str)] = &[
    ("flatten", REST),
    ("skip_serializing_if", SKIP_IF),
    ("serialize_with", WITH),
    ("deserialize_with", WITH),
];

/// The known key that `written` is probably a misspelling of.
fn suggest(written: &str, known: &[&'static str]) -> Option<&'static str> {
    if let Some((_, k)) = LOOKALIKES.iter().find(|(l, _)| *l == written) {
        return known.contains(k).then_some(*k);
    }
    known
        .iter()
        .map(|k| (edit_distance(written, k), *k))
        .filter(|(d, k)| *d <= (k.len() / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Levenshtein distance.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (diag + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// Reports an unknown key on `on` ("a struct", "a field", ...) and skips its
/// value, so the keys after it are still read. Returns the known key it
/// looks like, if any.
fn unknown(
    cx: &Ctxt,
    meta: &ParseNestedMeta<'_>,
    on: &str,
    known: &[&'static str],
) -> syn::Result<Option<&'static str>> {
    let name = path_name(&meta.path);
    let guess = suggest(&name, known);
    let msg = match guess {
        Some(k) => format!("unknown key `{name}` in #[xcp(...)] on {on}: did you mean `{k}`?"),
        None => format!(
            "unknown key `{name}` in #[xcp(...)] on {on}; expected one of {}",
            known
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    cx.error_spanned_by(&meta.path, msg);
    if meta.input.peek(syn::Token![=]) {
        let _: syn::Expr = meta.value()?.parse()?;
    } else if meta.input.peek(syn::token::Paren) {
        let _content;
        syn::parenthesized!(_content in meta.input);
        let _: TokenStream = _content.parse()?;
    }
    Ok(guess)
}

/// An example value for a string key, for error messages.
fn example(key: &str) -> &'static str {
    match key {
        ACTION => "get_balance",
        OBJECT => "balance",
        CRATE => "opensrs_core",
        _ => "wire_key",
    }
}

/// `key = "string"`; anything but a string literal is reported. Returns the
/// tokens of key and value, and the value if it is valid.
fn lit_str(
    cx: &Ctxt,
    meta: &ParseNestedMeta<'_>,
    key: &str,
) -> syn::Result<(TokenStream, Option<Str>)> {
    let expr: syn::Expr = meta.value()?.parse()?;
    let path = &meta.path;
    let at = quote!(#path = #expr);
    if let syn::Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Str(lit),
        ..
    }) = &expr
    {
        let value = Str {
            value: lit.value(),
            lit: lit.clone(),
        };
        return Ok((at, Some(value)));
    }
    let msg = match &expr {
        syn::Expr::Path(p) if p.path.get_ident().is_some() => format!(
            "`{key}` takes a string literal: write {key} = \"{}\"",
            path_name(&p.path)
        ),
        _ => format!(
            "`{key}` takes a string literal, e.g. {key} = \"{}\"",
            example(key)
        ),
    };
    cx.error_spanned_by(&expr, msg);
    Ok((at, None))
}

/// `key = some::path` or `key = "some::path"`. Returns the tokens of key
/// and value, and the path if it is valid.
fn path_value(
    cx: &Ctxt,
    meta: &ParseNestedMeta<'_>,
    key: &str,
) -> syn::Result<(TokenStream, Option<syn::Path>)> {
    let expr: syn::Expr = meta.value()?.parse()?;
    let path = &meta.path;
    let at = quote!(#path = #expr);
    let value = match &expr {
        syn::Expr::Path(p) if p.qself.is_none() => Some(p.path.clone()),
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(lit),
            ..
        }) => match lit.parse::<syn::Path>() {
            Ok(p) => Some(p),
            Err(_) => {
                cx.error_spanned_by(lit, format!("`{key}` takes a path, e.g. {key} = my_module"));
                None
            }
        },
        _ => {
            cx.error_spanned_by(
                &expr,
                format!("`{key}` takes a path, e.g. {key} = my_module"),
            );
            None
        }
    };
    Ok((at, value))
}

/// A flag takes no value. Returns the tokens of the flag (and of its value
/// if one was wrongly given), and `Some(())` if it is valid.
fn flag(
    cx: &Ctxt,
    meta: &ParseNestedMeta<'_>,
    key: &str,
) -> syn::Result<(TokenStream, Option<()>)> {
    let path = &meta.path;
    if meta.input.peek(syn::Token![=]) {
        let expr: syn::Expr = meta.value()?.parse()?;
        cx.error_spanned_by(
            &expr,
            format!("`{key}` takes no value: write `{key}` alone"),
        );
        return Ok((quote!(#path = #expr), None));
    }
    Ok((path.to_token_stream(), Some(())))
}

fn each_xcp_attr(
    cx: &Ctxt,
    attrs: &[syn::Attribute],
    mut logic: impl FnMut(&syn::Attribute, &ParseNestedMeta<'_>) -> syn::Result<()>,
) {
    for attr in attrs {
        if !attr.path().is_ident(XCP) {
            continue;
        }
        if let Err(e) = attr.parse_nested_meta(|meta| logic(attr, &meta)) {
            cx.syn_error(e);
        }
    }
}

impl Container {
    pub(crate) fn from_ast(cx: &Ctxt, input: &syn::DeriveInput) -> Self {
        let mut c = Container {
            action: Attr::none(ACTION),
            object: Attr::none(OBJECT),
            response: Attr::none(RESPONSE),
            reply: Attr::none(REPLY),
            krate: Attr::none(CRATE),
            validate: Attr::none(VALIDATE),
            serde: Attr::none(SERDE),
            no_debug: Attr::none(NO_DEBUG),
            idempotent: Attr::none(IDEMPOTENT),
            constants: Vec::new(),
            command_attr: None,
        };
        let (on, known) = match input.data {
            syn::Data::Enum(_) => ("an enum", ENUM_KEYS),
            _ => ("a struct", CONTAINER_KEYS),
        };
        each_xcp_attr(cx, &input.attrs, |attr, meta| {
            let p = &meta.path;
            if [ACTION, OBJECT, RESPONSE].iter().any(|k| p.is_ident(k)) {
                c.command_attr.get_or_insert_with(|| attr.to_token_stream());
            }
            if p.is_ident(ACTION) {
                let (at, s) = lit_str(cx, meta, ACTION)?;
                c.action.set(cx, at, s);
            } else if p.is_ident(OBJECT) {
                let (at, s) = lit_str(cx, meta, OBJECT)?;
                c.object.set(cx, at, s);
            } else if p.is_ident(RESPONSE) {
                let ty: syn::Type = meta.value()?.parse()?;
                c.response.set(cx, quote!(#p = #ty), Some(ty));
            } else if p.is_ident(REPLY) {
                let (at, v) = flag(cx, meta, REPLY)?;
                c.reply.set(cx, at, v);
            } else if p.is_ident(VALIDATE) {
                let (at, v) = path_value(cx, meta, VALIDATE)?;
                c.validate.set(cx, at, v);
            } else if p.is_ident(SERDE) {
                let (at, v) = flag(cx, meta, SERDE)?;
                c.serde.set(cx, at, v);
            } else if p.is_ident(IDEMPOTENT) {
                let (at, v) = flag(cx, meta, IDEMPOTENT)?;
                c.idempotent.set(cx, at, v);
            } else if p.is_ident(NO_DEBUG) {
                let (at, v) = flag(cx, meta, NO_DEBUG)?;
                c.no_debug.set(cx, at, v);
            } else if p.is_ident(ATTR) {
                meta.parse_nested_meta(|item| {
                    let key = path_name(&item.path);
                    let (at, s) = lit_str(cx, &item, &key)?;
                    if let Some(s) = s {
                        if let Some(first) = c.constants.iter().find(|k| k.key == key) {
                            cx.error_spanned_by(
                                &at,
                                format!("the constant `{key}` is set twice: keep one"),
                            );
                            cx.error_spanned_by(
                                &first.tokens,
                                format!("`{key}` is first set here"),
                            );
                        } else {
                            c.constants.push(Constant {
                                key,
                                value: s.value,
                                tokens: at,
                            });
                        }
                    }
                    Ok(())
                })?;
            } else if p.is_ident(CRATE) {
                let (at, s) = lit_str(cx, meta, CRATE)?;
                let path = s.and_then(|s| match s.lit.parse::<syn::Path>() {
                    Ok(path) => Some(path),
                    Err(_) => {
                        cx.error_spanned_by(
                            &s.lit,
                            "`crate` takes a path in a string, e.g. crate = \"opensrs_core\"",
                        );
                        None
                    }
                });
                c.krate.set(cx, at, path);
            } else {
                match unknown(cx, meta, on, known)? {
                    Some(ACTION) => c.action.misspelled = true,
                    Some(OBJECT) => c.object.misspelled = true,
                    Some(RESPONSE) => c.response.misspelled = true,
                    Some(REPLY) => c.reply.misspelled = true,
                    _ => {}
                }
            }
            Ok(())
        });
        c
    }

    /// The path of the runtime crate.
    pub(crate) fn krate(&self) -> syn::Path {
        self.krate
            .get()
            .cloned()
            .unwrap_or_else(|| syn::parse_quote!(::opensrs_core))
    }
}

impl Field {
    pub(crate) fn from_ast(cx: &Ctxt, field: &syn::Field) -> Self {
        let mut f = Field {
            rename: Attr::none(RENAME),
            default: Attr::none(DEFAULT),
            with: Attr::none(WITH),
            skip_if: Attr::none(SKIP_IF),
            rest: Attr::none(REST),
            secret: Attr::none(SECRET),
            top: Attr::none(TOP),
            yes_no: Attr::none(YES_NO),
        };
        each_xcp_attr(cx, &field.attrs, |_, meta| {
            let p = &meta.path;
            if p.is_ident(RENAME) {
                let (at, s) = lit_str(cx, meta, RENAME)?;
                f.rename.set(cx, at, s);
            } else if p.is_ident(WITH) {
                let (at, v) = path_value(cx, meta, WITH)?;
                f.with.set(cx, at, v);
            } else if p.is_ident(SKIP_IF) {
                let (at, v) = path_value(cx, meta, SKIP_IF)?;
                f.skip_if.set(cx, at, v);
            } else {
                let slot = [
                    (DEFAULT, &mut f.default),
                    (REST, &mut f.rest),
                    (SECRET, &mut f.secret),
                    (TOP, &mut f.top),
                    (YES_NO, &mut f.yes_no),
                ]
                .into_iter()
                .find(|(k, _)| p.is_ident(k));
                match slot {
                    Some((k, attr)) => {
                        let (at, v) = flag(cx, meta, k)?;
                        attr.set(cx, at, v);
                    }
                    // A misspelled `rest` still makes the field the
                    // catch-all, so its type is not asked for `FromXcp`.
                    None => {
                        if unknown(cx, meta, "a field", FIELD_KEYS)? == Some(REST) {
                            f.rest.misspelled = true;
                        }
                    }
                }
            }
            Ok(())
        });
        f
    }
}

impl Variant {
    pub(crate) fn from_ast(cx: &Ctxt, variant: &syn::Variant) -> Self {
        let mut v = Variant {
            rename: Attr::none(RENAME),
            other: Attr::none(OTHER),
        };
        each_xcp_attr(cx, &variant.attrs, |_, meta| {
            let p = &meta.path;
            if p.is_ident(RENAME) {
                let (at, s) = lit_str(cx, meta, RENAME)?;
                v.rename.set(cx, at, s);
            } else if p.is_ident(OTHER) {
                let (at, o) = flag(cx, meta, OTHER)?;
                v.other.set(cx, at, o);
            } else if unknown(cx, meta, "an enum variant", VARIANT_KEYS)? == Some(OTHER) {
                v.other.misspelled = true;
            }
            Ok(())
        });
        v
    }
}

/// `PendingOwner` → `pending_owner`.
/// An acronym stays one word: `SMS` → `sms`, `HTTPServer` → `http_server`.
pub(crate) fn snake_case(ident: &str) -> String {
    let chars: Vec<char> = ident.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let prev_lower = i > 0 && !chars[i - 1].is_uppercase() && chars[i - 1] != '_';
            let acronym_end = i > 0
                && chars[i - 1].is_uppercase()
                && chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if prev_lower || acronym_end {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn snake_case_keeps_acronyms_whole() {
        for (a, b) in [
            ("PendingOwner", "pending_owner"),
            ("SMS", "sms"),
            ("HTTPServer", "http_server"),
            ("Reg2Reg", "reg2_reg"),
            ("Email", "email"),
        ] {
            assert_eq!(super::snake_case(a), b);
        }
    }
}

//! Parsing of `#[xcp(...)]` with `parse_nested_meta`, one constant per
//! keyword; every problem goes to the context, spanned at its tokens.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::meta::ParseNestedMeta;

use super::ctxt::Ctxt;
use super::symbol::*;

/// One attribute value, remembering where it was set so that a duplicate
/// can point at both places.
pub(crate) struct Attr<T> {
    name: &'static str,
    first: Option<TokenStream>,
    value: Option<T>,
}

impl<T> Attr<T> {
    fn none(name: &'static str) -> Self {
        Attr {
            name,
            first: None,
            value: None,
        }
    }

    fn set(&mut self, cx: &Ctxt, at: &syn::Path, value: T) {
        if let Some(first) = &self.first {
            cx.error_spanned_by(at, format!("duplicate xcp attribute `{}`", self.name));
            cx.error_spanned_by(first, format!("first `{}` here", self.name));
        } else {
            self.first = Some(at.to_token_stream());
            self.value = Some(value);
        }
    }

    pub(crate) fn get(&self) -> Option<&T> {
        self.value.as_ref()
    }

    /// The tokens where the attribute was set, for errors about it.
    pub(crate) fn tokens(&self) -> Option<&TokenStream> {
        self.first.as_ref()
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
}

/// The variant attributes.
pub(crate) struct Variant {
    pub(crate) rename: Attr<Str>,
    pub(crate) other: Attr<()>,
}

fn path_name(p: &syn::Path) -> String {
    p.to_token_stream().to_string().replace(' ', "")
}

/// Reports an unknown key and skips its value, so the keys after it are
/// still read.
fn unknown(cx: &Ctxt, meta: &ParseNestedMeta<'_>, what: &str, known: &[&str]) -> syn::Result<()> {
    cx.error_spanned_by(
        &meta.path,
        format!(
            "unknown xcp {what} attribute `{}`; expected one of: {}",
            path_name(&meta.path),
            known.join(", ")
        ),
    );
    if meta.input.peek(syn::Token![=]) {
        let _: syn::Expr = meta.value()?.parse()?;
    } else if meta.input.peek(syn::token::Paren) {
        let _content;
        syn::parenthesized!(_content in meta.input);
        let _: TokenStream = _content.parse()?;
    }
    Ok(())
}

/// `key = "string"`; anything but a string literal is reported.
fn lit_str(cx: &Ctxt, meta: &ParseNestedMeta<'_>, key: &str) -> syn::Result<Option<Str>> {
    let expr: syn::Expr = meta.value()?.parse()?;
    if let syn::Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Str(lit),
        ..
    }) = &expr
    {
        return Ok(Some(Str {
            value: lit.value(),
            lit: lit.clone(),
        }));
    }
    cx.error_spanned_by(
        &expr,
        format!("expected a string literal for `{key}`, e.g. {key} = \"...\""),
    );
    Ok(None)
}

/// `key = some::path` or `key = "some::path"`.
fn path_value(cx: &Ctxt, meta: &ParseNestedMeta<'_>, key: &str) -> syn::Result<Option<syn::Path>> {
    let expr: syn::Expr = meta.value()?.parse()?;
    match &expr {
        syn::Expr::Path(p) if p.qself.is_none() => return Ok(Some(p.path.clone())),
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(lit),
            ..
        }) => match lit.parse::<syn::Path>() {
            Ok(p) => return Ok(Some(p)),
            Err(_) => cx.error_spanned_by(lit, format!("`{key}` expects a path")),
        },
        _ => cx.error_spanned_by(&expr, format!("`{key}` expects a path, e.g. {key} = my_module")),
    }
    Ok(None)
}

/// A flag takes no value.
fn flag(cx: &Ctxt, meta: &ParseNestedMeta<'_>, key: &str) -> syn::Result<bool> {
    if meta.input.peek(syn::Token![=]) {
        let expr: syn::Expr = meta.value()?.parse()?;
        cx.error_spanned_by(&expr, format!("`{key}` takes no value: write `{key}` alone"));
        return Ok(false);
    }
    Ok(true)
}

fn each_xcp_attr(
    cx: &Ctxt,
    attrs: &[syn::Attribute],
    mut logic: impl FnMut(&ParseNestedMeta<'_>) -> syn::Result<()>,
) {
    for attr in attrs {
        if !attr.path().is_ident(XCP) {
            continue;
        }
        if let Err(e) = attr.parse_nested_meta(|meta| logic(&meta)) {
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
        };
        each_xcp_attr(cx, &input.attrs, |meta| {
            let p = &meta.path;
            if p.is_ident(ACTION) {
                if let Some(s) = lit_str(cx, meta, ACTION)? {
                    c.action.set(cx, p, s);
                }
            } else if p.is_ident(OBJECT) {
                if let Some(s) = lit_str(cx, meta, OBJECT)? {
                    c.object.set(cx, p, s);
                }
            } else if p.is_ident(RESPONSE) {
                let ty: syn::Type = meta.value()?.parse()?;
                c.response.set(cx, p, ty);
            } else if p.is_ident(REPLY) {
                if flag(cx, meta, REPLY)? {
                    c.reply.set(cx, p, ());
                }
            } else if p.is_ident(VALIDATE) {
                if let Some(path) = path_value(cx, meta, VALIDATE)? {
                    c.validate.set(cx, p, path);
                }
            } else if p.is_ident(SERDE) {
                if flag(cx, meta, SERDE)? {
                    c.serde.set(cx, p, ());
                }
            } else if p.is_ident(CRATE) {
                if let Some(s) = lit_str(cx, meta, CRATE)? {
                    match s.lit.parse::<syn::Path>() {
                        Ok(path) => c.krate.set(cx, p, path),
                        Err(_) => cx.error_spanned_by(&s.lit, "`crate` expects a path, e.g. crate = \"ops_core\""),
                    }
                }
            } else {
                unknown(cx, meta, "container", CONTAINER_KEYS)?;
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
            .unwrap_or_else(|| syn::parse_quote!(::ops_core))
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
        };
        each_xcp_attr(cx, &field.attrs, |meta| {
            let p = &meta.path;
            if p.is_ident(RENAME) {
                if let Some(s) = lit_str(cx, meta, RENAME)? {
                    f.rename.set(cx, p, s);
                }
            } else if p.is_ident(WITH) {
                if let Some(path) = path_value(cx, meta, WITH)? {
                    f.with.set(cx, p, path);
                }
            } else if p.is_ident(SKIP_IF) {
                if let Some(path) = path_value(cx, meta, SKIP_IF)? {
                    f.skip_if.set(cx, p, path);
                }
            } else {
                let slot = [
                    (DEFAULT, &mut f.default),
                    (REST, &mut f.rest),
                    (SECRET, &mut f.secret),
                    (TOP, &mut f.top),
                ]
                .into_iter()
                .find(|(k, _)| p.is_ident(k));
                match slot {
                    Some((k, attr)) => {
                        if flag(cx, meta, k)? {
                            attr.set(cx, p, ());
                        }
                    }
                    None => unknown(cx, meta, "field", FIELD_KEYS)?,
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
        each_xcp_attr(cx, &variant.attrs, |meta| {
            let p = &meta.path;
            if p.is_ident(RENAME) {
                if let Some(s) = lit_str(cx, meta, RENAME)? {
                    v.rename.set(cx, p, s);
                }
            } else if p.is_ident(OTHER) {
                if flag(cx, meta, OTHER)? {
                    v.other.set(cx, p, ());
                }
            } else {
                unknown(cx, meta, "variant", VARIANT_KEYS)?;
            }
            Ok(())
        });
        v
    }
}

/// `PendingOwner` → `pending_owner`.
pub(crate) fn snake_case(ident: &str) -> String {
    let mut out = String::new();
    for (i, c) in ident.chars().enumerate() {
        if c.is_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

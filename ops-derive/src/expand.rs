//! Code generation from the checked model.
//!
//! Everything is emitted inside `const _: () = { ... };` and names runtime
//! items through `<crate>::__private` only, so the user's own `Result`,
//! `Option`, `core` or `std` cannot capture it.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;

use crate::internals::ast::{Container, Data, Field, Role, is_bool};
use crate::internals::check;
use crate::internals::ctxt::Ctxt;

/// Expands `#[derive(Xcp)]`. Errors come back together; where the model
/// is sound the impls are emitted beside them, so the user sees the real
/// error rather than a cascade of "trait not implemented".
pub(crate) fn derive(input: &syn::DeriveInput) -> syn::Result<TokenStream> {
    let cx = Ctxt::default();
    let Some(cont) = Container::from_ast(&cx, input) else {
        cx.check()?;
        return Ok(TokenStream::new());
    };
    let sound = check::check(&cx, &cont, input);
    let body = if sound {
        expand(&cont)
    } else {
        TokenStream::new()
    };
    match cx.check() {
        Ok(()) => Ok(body),
        Err(e) => {
            let errors = e.to_compile_error();
            Ok(quote!(#errors #body))
        }
    }
}

fn expand(cont: &Container<'_>) -> TokenStream {
    let krate = cont.attrs.krate();
    let p = quote!(#krate::__private);
    let items = match (&cont.data, &cont.role) {
        (Data::Enum(variants), _) => expand_enum(cont, &p, variants),
        (Data::Struct(fields), role) => {
            let debug = if cont.attrs.no_debug.present() || cont.user_debug.is_some() {
                TokenStream::new()
            } else {
                expand_debug(cont, &p, fields)
            };
            let owned = expand_into_owned(cont, &p, fields);
            let body = match role {
                Role::Plain => expand_plain(cont, &p, fields),
                Role::Request { .. } => expand_request(cont, &p, fields),
                Role::Reply => expand_reply(cont, &p, fields),
            };
            quote!(#debug #owned #body)
        }
    };
    let serde = if cont.attrs.serde.get().is_some() {
        expand_serde(cont, &p)
    } else {
        TokenStream::new()
    };
    quote! {
        #[doc(hidden)]
        #[allow(non_upper_case_globals, unused_qualifications, deprecated, clippy::all)]
        const _: () = {
            #items
            #serde
        };
    }
}

/// Generics for the impls: the struct's own lifetime, or a fresh one for
/// the reading side.
struct Lifetimes {
    /// `<'a>` or nothing: for impls that don't read.
    own: TokenStream,
    /// The lifetime readers borrow for: the struct's, or `'__d`.
    de: TokenStream,
    /// `<'a>` or `<'__d>`: the impl generics of readers.
    de_impl: TokenStream,
}

fn lifetimes(cont: &Container<'_>) -> Lifetimes {
    match cont.lifetime {
        Some(lt) => Lifetimes {
            own: quote!(<#lt>),
            de: quote!(#lt),
            de_impl: quote!(<#lt>),
        },
        None => Lifetimes {
            own: TokenStream::new(),
            de: quote!('__d),
            de_impl: quote!(<'__d>),
        },
    }
}

fn expand_debug(cont: &Container<'_>, p: &TokenStream, fields: &[Field<'_>]) -> TokenStream {
    let ident = cont.ident;
    let name = ident.to_string();
    let lt = lifetimes(cont).own;
    let entries = fields.iter().map(|f| {
        let m = f.member;
        let label = syn::ext::IdentExt::unraw(m).to_string();
        if f.attrs.secret.get().is_some() {
            quote!(.field(#label, &#p::Redacted))
        } else if is_rest(f) {
            // Redacts the kept items under a secret key.
            {
                let items = quote_spanned!(f.ty.span()=> &self.#m);
                quote!(.field(#label, &#p::rest_debug(#items)))
            }
        } else {
            let value = quote_spanned!(f.ty.span()=> &self.#m);
            quote!(.field(#label, #value))
        }
    });
    quote! {
        #[automatically_derived]
        impl #lt #p::fmt::Debug for #ident #lt {
            fn fmt(&self, __f: &mut #p::fmt::Formatter<'_>) -> #p::fmt::Result {
                __f.debug_struct(#name) #(#entries)* .finish()
            }
        }
    }
}

fn is_top(f: &Field<'_>) -> bool {
    f.attrs.top.get().is_some()
}

fn is_rest(f: &Field<'_>) -> bool {
    f.attrs.rest.present()
}

/// Writes one field as an item of the open dt_assoc.
fn write_field(p: &TokenStream, f: &Field<'_>) -> TokenStream {
    let m = f.member;
    let key = &f.wire;
    let write = match f.attrs.with.get() {
        Some(with) => quote! {
            __w.start_item(#key)?;
            #with::write_xcp(&self.#m, __w).map_err(#p::in_key(#key))?;
            __w.end_item()?;
        },
        // A `yes_no` on another type is reported by `check`; it is then
        // written as usual, so that the error is not repeated.
        None if f.attrs.yes_no.get().is_some() && is_bool(f.ty) => {
            let value = quote_spanned!(f.ty.span()=> &#p::YesNo(&self.#m));
            quote!(#p::write_field(__w, #key, #value)?;)
        }
        None => {
            // Spanned at the field's type: "`T: ToXcp` is not satisfied"
            // points there, not at the derive.
            let value = quote_spanned!(f.ty.span()=> &self.#m);
            quote!(#p::write_field(__w, #key, #value)?;)
        }
    };
    match f.attrs.skip_if.get() {
        Some(skip) => quote!(if !#skip(&self.#m) { #write }),
        None => write,
    }
}

/// Writes the fields of one place (top level or attributes) and the rest;
/// the container's constants go first into the attributes place.
fn write_place(
    p: &TokenStream,
    cont: &Container<'_>,
    fields: &[Field<'_>],
    top: bool,
) -> TokenStream {
    let constants = cont.attrs.constants.iter().filter(|_| !top).map(|c| {
        let (k, v) = (&c.key, &c.value);
        quote!(__w.start_item(#k)?; __w.scalar(#v)?; __w.end_item()?;)
    });
    let writes = fields
        .iter()
        .filter(|f| !is_rest(f) && is_top(f) == top)
        .map(|f| write_field(p, f));
    // The keys the named fields of this place write: a kept item may not
    // take one of them, or the envelope would hold a key twice.
    let named: Vec<&str> = fields
        .iter()
        .filter(|f| !is_rest(f) && !is_top(f))
        .map(|f| f.wire.as_str())
        .chain(cont.attrs.constants.iter().map(|c| c.key.as_str()))
        .collect();
    let rest = fields.iter().filter(|f| is_rest(f) && !top).map(|f| {
        let m = f.member;
        // Spanned at the field's type: "`T: Rest` is not satisfied" points
        // at the field, not at the derive.
        let ps = respan(p, f.ty.span());
        let ty = f.ty;
        quote_spanned!(f.ty.span()=> <#ty as #ps::Rest<'_>>::write_rest(&self.#m, __w, &[#(#named),*])?;)
    });
    quote!(#(#constants)* #(#writes)* #(#rest)*)
}

/// Where the fields are read, which decides what an unnamed item means.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A plain struct read on its own: unnamed items are skipped (or kept
    /// by `rest`).
    Plain,
    /// A command's request: an unnamed item, at the top level (other than
    /// the ones every request may hold) or at any depth inside
    /// `attributes`, is refused unless a `rest` field keeps it.
    Request,
    /// A command's reply: unnamed items are skipped or kept (OpenSRS adds
    /// keys); an absent `response_text` reads as empty.
    Reply,
}

/// Checks the item just read into a field of type `ty` (request mode):
/// every key of a derived struct at any depth must be known.
fn check_known(p: &TokenStream, f: &Field<'_>) -> TokenStream {
    if f.attrs.with.get().is_some() {
        return TokenStream::new();
    }
    let ty = f.ty;
    // Autoref dispatch: `ProbeKnown` when `T: Known`, `ProbeOther` (no
    // check) for scalars and other types.
    quote! {{
        use #p::{ProbeKnown as _, ProbeOther as _};
        (&&#p::Probe::<#ty>::new()).check_known_item(__item)?;
    }}
}

/// Reads every field: the `attributes`-level ones from `__attrs` (an
/// `Option<Node>`), the top-level ones from `__root`.
fn read_fields(
    p: &TokenStream,
    de: &TokenStream,
    cont: &Container<'_>,
    fields: &[Field<'_>],
    mode: Mode,
) -> TokenStream {
    let validate = cont.attrs.validate.get();
    let constants = &cont.attrs.constants;
    let cvar = |i: usize| format_ident!("__c{}", i);
    let const_decls = (0..constants.len()).map(|i| {
        let c = cvar(i);
        quote!(let mut #c = false;)
    });
    let const_arms: Vec<_> = constants
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let (k, v, cv) = (&c.key, &c.value, cvar(i));
            quote!(#k => { #p::check_constant(__item, #k, #v)?; #cv = true; })
        })
        .collect();
    let const_missing = constants.iter().enumerate().map(|(i, c)| {
        let (k, cv) = (&c.key, cvar(i));
        quote!(if !#cv { return #p::Err(#p::missing(__attrs, __root, #k)); })
    });
    let var = |i: usize| format_ident!("__v{}", i);
    let decls = fields.iter().enumerate().map(|(i, f)| {
        let v = var(i);
        let ty = f.ty;
        if is_rest(f) {
            quote!(let mut #v: #ty = #p::Default::default();)
        } else {
            quote!(let mut #v: #p::Option<#ty> = #p::None;)
        }
    });
    let arm = |i: usize, f: &Field<'_>| {
        let v = var(i);
        let key = &f.wire;
        let ty = f.ty;
        let read = match f.attrs.with.get() {
            Some(with) => quote!(#with::from_xcp(__item)?),
            None => quote!(<#ty as #p::FromXcp<#de>>::from_xcp(__item)?),
        };
        let check = if mode == Mode::Request {
            check_known(p, f)
        } else {
            TokenStream::new()
        };
        quote!(#key => { #v = #p::Some(#read); #check })
    };
    let place = |top: bool| {
        let arms: Vec<_> = fields
            .iter()
            .enumerate()
            .filter(|(_, f)| !is_rest(f) && is_top(f) == top)
            .map(|(i, f)| arm(i, f))
            .collect();
        let arms = if top {
            arms
        } else {
            const_arms.iter().cloned().chain(arms).collect()
        };
        let rest = fields
            .iter()
            .enumerate()
            .find(|(_, f)| is_rest(f) && !top)
            .map(|(i, f)| {
                let v = var(i);
                let ps = respan(p, f.ty.span());
                let ty = f.ty;
                quote_spanned!(f.ty.span()=> <#ty as #ps::Rest<'_>>::keep(&mut #v, __item)?;)
            });
        let rest = match (rest, mode, top) {
            (rest @ Some(_), _, _) | (rest, Mode::Plain | Mode::Reply, _) => rest,
            (None, Mode::Request, false) => Some(quote!(return #p::Err(#p::unknown(__item));)),
            (None, Mode::Request, true) => Some(quote! {
                if !#p::is_request_item(__item.key()) {
                    return #p::Err(#p::unknown(__item));
                }
            }),
        };
        if arms.is_empty() && rest.is_none() {
            return TokenStream::new();
        }
        let source = if top {
            quote!(__root.iter())
        } else {
            quote!(#p::items(__attrs))
        };
        quote! {
            for __item in #source {
                match __item.key() {
                    #(#arms)*
                    _ => { #rest }
                }
            }
        }
    };
    let (attrs_loop, top_loop) = (place(false), place(true));
    let validate = validate.map(|v| {
        // Typed at the path: a function of the wrong signature is reported
        // at `validate = ...`, not at the derive.
        let ps = respan(p, v.span());
        let call =
            quote_spanned!(v.span()=> let __rule: #ps::Result<(), #ps::RuleError> = #v(&__value););
        quote!(#call __rule.map_err(|__e| #p::DecodeError::rule(__root, __e))?;)
    });
    let finish = fields.iter().enumerate().map(|(i, f)| {
        let v = var(i);
        let m = f.member;
        if is_rest(f) {
            return quote!(#m: #v);
        }
        let key = &f.wire;
        let ty = f.ty;
        let container = if is_top(f) {
            quote!(#p::Some(__root))
        } else {
            quote!(__attrs)
        };
        let missing = quote!(return #p::Err(#p::missing(#container, __root, #key)));
        let absent = if f.attrs.default.get().is_some() {
            quote!(#p::Default::default())
        } else if f.attrs.with.get().is_some() {
            missing
        } else if mode == Mode::Reply && is_top(f) && key == "response_text" {
            // OpenSRS may leave `response_text` out: it reads as empty, as
            // in `Reply::response_text`, for the text types.
            quote! {
                match <#ty as #p::FromXcp<#de>>::from_absent() {
                    #p::Some(__v) => __v,
                    #p::None => match {
                        use #p::{ProbeEmpty as _, ProbeNoEmpty as _};
                        (&&#p::Probe::<#ty>::new()).empty_text_or_none()
                    } {
                        #p::Some(__v) => __v,
                        #p::None => #missing,
                    },
                }
            }
        } else {
            quote! {
                match <#ty as #p::FromXcp<#de>>::from_absent() {
                    #p::Some(__v) => __v,
                    #p::None => #missing,
                }
            }
        };
        quote!(#m: match #v { #p::Some(__v) => __v, #p::None => #absent })
    });
    quote! {
        #(#decls)*
        #(#const_decls)*
        #attrs_loop
        #top_loop
        #(#const_missing)*
        let __value = Self { #(#finish,)* };
        #validate
        #p::Ok(__value)
    }
}

fn expand_plain(cont: &Container<'_>, p: &TokenStream, fields: &[Field<'_>]) -> TokenStream {
    let ident = cont.ident;
    let Lifetimes { own, de, de_impl } = lifetimes(cont);
    let writes = write_place(p, cont, fields, false);
    let reads = read_fields(p, &de, cont, fields, Mode::Plain);
    let validate = validate_on_write(cont, p);
    let known = expand_known(cont, p, fields);
    quote! {
        #known

        #[automatically_derived]
        impl #own #p::ToXcp for #ident #own {
            fn write_xcp<__S: #p::Sink>(&self, __w: &mut #p::Writer<__S>) -> #p::Result<(), #p::WriteError> {
                #validate
                __w.start_assoc()?;
                #writes
                __w.end_assoc()
            }
        }

        #[automatically_derived]
        impl #de_impl #p::FromXcp<#de> for #ident #own {
            fn from_xcp(__node: #p::Node<#de>) -> #p::Result<Self, #p::DecodeError> {
                #p::expect_assoc(__node)?;
                let __root: #p::Node<#de> = __node;
                let __attrs: #p::Option<#p::Node<#de>> = #p::Some(__node);
                #reads
            }
        }
    }
}

/// `Known` for a plain struct: the keys of its fields, each checked in
/// turn, and any other key refused unless a `rest` field keeps it. Used
/// when the struct sits inside a request.
fn expand_known(cont: &Container<'_>, p: &TokenStream, fields: &[Field<'_>]) -> TokenStream {
    let ident = cont.ident;
    let own = lifetimes(cont).own;
    let arms = fields.iter().filter(|f| !is_rest(f)).map(|f| {
        let key = &f.wire;
        let check = check_known(p, f);
        quote!(#key => { #check })
    });
    let consts = cont.attrs.constants.iter().map(|c| {
        let k = &c.key;
        quote!(#k => {})
    });
    let arms = consts.chain(arms);
    let other = if fields.iter().any(is_rest) {
        TokenStream::new()
    } else {
        quote!(return #p::Err(#p::unknown(__item));)
    };
    quote! {
        #[automatically_derived]
        impl #own #p::Known for #ident #own {
            fn check_known(__node: #p::Node<'_>) -> #p::Result<(), #p::DecodeError> {
                for __item in __node.iter() {
                    match __item.key() {
                        #(#arms)*
                        _ => { #other }
                    }
                }
                #p::Ok(())
            }
        }
    }
}

/// The `validate` check at the start of a write: a value that breaks a rule
/// is never sent (`WriteErrorKind::Rule`, with the rule's key path).
fn validate_on_write(cont: &Container<'_>, p: &TokenStream) -> TokenStream {
    match cont.attrs.validate.get() {
        Some(v) => {
            let ps = respan(p, v.span());
            let call =
                quote_spanned!(v.span()=> let __rule: #ps::Result<(), #ps::RuleError> = #v(self););
            quote!(#call __rule.map_err(#p::rule_error)?;)
        }
        None => TokenStream::new(),
    }
}

/// `tokens` with every span set to `span`, so that an error about them
/// (an unmet trait bound on a runtime path) points at the user's tokens.
fn respan(tokens: &TokenStream, span: proc_macro2::Span) -> TokenStream {
    tokens
        .clone()
        .into_iter()
        .map(|mut tt| {
            if let proc_macro2::TokenTree::Group(g) = &tt {
                let mut ng = proc_macro2::Group::new(g.delimiter(), respan(&g.stream(), span));
                ng.set_span(span);
                tt = proc_macro2::TokenTree::Group(ng);
            } else {
                tt.set_span(span);
            }
            tt
        })
        .collect()
}

/// Replaces `'_` in the response type with `'__d`.
struct Elided;

impl VisitMut for Elided {
    fn visit_lifetime_mut(&mut self, lt: &mut syn::Lifetime) {
        if lt.ident == "_" {
            *lt = syn::Lifetime::new("'__d", lt.span());
        }
    }
}

fn expand_request(cont: &Container<'_>, p: &TokenStream, fields: &[Field<'_>]) -> TokenStream {
    let Role::Request {
        action,
        object,
        response,
    } = &cont.role
    else {
        return TokenStream::new();
    };
    let mut response = response.clone();
    Elided.visit_type_mut(&mut response);
    let ident = cont.ident;
    let top = write_place(p, cont, fields, true);
    let attrs = write_place(p, cont, fields, false);
    let reads = read_fields(p, &quote!('__r), cont, fields, Mode::Request);
    let validate = validate_on_write(cont, p);
    let idempotent = cont.attrs.idempotent.present().then(|| {
        quote!(
            const IDEMPOTENT: bool = true;
        )
    });
    let top_items: Vec<&str> = fields
        .iter()
        .filter(|f| is_top(f) && !is_rest(f))
        .map(|f| f.wire.as_str())
        .collect();
    quote! {
        #[automatically_derived]
        impl #p::Command for #ident {
            const ACTION: &'static str = #action;
            const OBJECT: &'static str = #object;
            type Response<'__d> = #response;
            const TOP_ITEMS: &'static [&'static str] = &[#(#top_items),*];
            #idempotent

            fn write_items<__S: #p::Sink>(&self, __w: &mut #p::Writer<__S>) -> #p::Result<(), #p::WriteError> {
                #validate
                #top
                __w.start_item("attributes")?;
                // Errors inside name their key under `attributes`.
                let __r: #p::Result<(), #p::WriteError> = (|| {
                    __w.start_assoc()?;
                    #attrs
                    __w.end_assoc()
                })();
                __r.map_err(#p::in_key("attributes"))?;
                __w.end_item()
            }

            fn read_request<'__r>(__req: &#p::Request<'__r>) -> #p::Result<Self, #p::DecodeError> {
                let __root: #p::Node<'__r> = __req.root();
                let __attrs: #p::Option<#p::Node<'__r>> = __req.attributes();
                #reads
            }
        }
    }
}

fn expand_reply(cont: &Container<'_>, p: &TokenStream, fields: &[Field<'_>]) -> TokenStream {
    let ident = cont.ident;
    let Lifetimes { own, de, de_impl } = lifetimes(cont);
    let top = write_place(p, cont, fields, true);
    let has_attrs = fields.iter().any(|f| !is_top(f));
    let attrs = if has_attrs {
        let inner = write_place(p, cont, fields, false);
        quote! {
            __w.start_item("attributes")?;
            // Errors inside name their key under `attributes`.
            let __r: #p::Result<(), #p::WriteError> = (|| {
                __w.start_assoc()?;
                #inner
                __w.end_assoc()
            })();
            __r.map_err(#p::in_key("attributes"))?;
            __w.end_item()?;
        }
    } else {
        TokenStream::new()
    };
    let reads = read_fields(p, &de, cont, fields, Mode::Reply);
    let validate = validate_on_write(cont, p);
    let writes_code = fields
        .iter()
        .any(|f| is_top(f) && !is_rest(f) && f.wire == "response_code");
    quote! {
        #[automatically_derived]
        impl #de_impl #p::ReplyBody<#de> for #ident #own {
            const WRITES_RESPONSE_CODE: bool = #writes_code;

            fn read_reply(__reply: &#p::Reply<#de>) -> #p::Result<Self, #p::DecodeError> {
                let __root: #p::Node<#de> = __reply.root();
                let __attrs: #p::Option<#p::Node<#de>> = __reply.attributes();
                #reads
            }

            fn write_reply_items<__S: #p::Sink>(&self, __w: &mut #p::Writer<__S>) -> #p::Result<(), #p::WriteError> {
                #validate
                #top
                #attrs
                #p::Ok(())
            }
        }
    }
}

/// `serde::Serialize` (container attribute `serde`): structs as maps keyed by
/// wire key, `None` left out, secrets as `"[redacted]"`, the `rest` items
/// inline; enums as their wire name.
fn expand_serde(cont: &Container<'_>, p: &TokenStream) -> TokenStream {
    let ident = cont.ident;
    let own = lifetimes(cont).own;
    let body = match &cont.data {
        Data::Enum(_) => quote!(__s.serialize_str(#p::AsRef::<str>::as_ref(self))),
        Data::Struct(fields) => {
            let entries = fields.iter().map(|f| {
                let m = f.member;
                let key = &f.wire;
                let secret = f.attrs.secret.get().is_some();
                if is_rest(f) {
                    quote!(#p::SerializeRest::serialize_rest(&self.#m, &mut __m)?;)
                } else if f.is_option() {
                    let v = if secret { quote!(&#p::Redacted) } else { quote!(__v) };
                    quote!(if let #p::Some(__v) = &self.#m { let _ = __v; __m.serialize_entry(#key, #v)?; })
                } else if secret {
                    quote!(__m.serialize_entry(#key, &#p::Redacted)?;)
                } else {
                    quote!(__m.serialize_entry(#key, &self.#m)?;)
                }
            });
            quote! {
                use #p::serde::ser::SerializeMap as _;
                let mut __m = __s.serialize_map(#p::None)?;
                #(#entries)*
                __m.end()
            }
        }
    };
    quote! {
        #[automatically_derived]
        impl #own #p::serde::Serialize for #ident #own {
            fn serialize<__S: #p::serde::Serializer>(&self, __s: __S) -> #p::Result<__S::Ok, __S::Error> {
                #body
            }
        }
    }
}

mod owned;
mod string_enum;

use owned::expand_into_owned;
use string_enum::expand_enum;

#[cfg(test)]
mod tests;

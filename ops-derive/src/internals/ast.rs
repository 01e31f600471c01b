//! The typed model of a derive input.

use quote::ToTokens;

use super::attr;
use super::ctxt::Ctxt;

/// What the container is for.
pub(crate) enum Role {
    /// A nested dt_assoc (or reply attributes): `ToXcp` + `FromXcp`.
    Plain,
    /// A command request: `Command`.
    Request {
        action: String,
        object: String,
        response: Box<syn::Type>,
    },
    /// A command reply: `ReplyBody`.
    Reply,
}

/// A derive input.
pub(crate) struct Container<'a> {
    pub(crate) ident: &'a syn::Ident,
    pub(crate) attrs: attr::Container,
    pub(crate) data: Data<'a>,
    /// The struct's lifetime parameter, if any (at most one is accepted).
    pub(crate) lifetime: Option<&'a syn::Lifetime>,
    pub(crate) role: Role,
    /// The `Debug` of a `#[derive(..., Debug)]` written beside `Xcp`, if
    /// the compiler shows it to the derive.
    pub(crate) user_debug: Option<proc_macro2::TokenStream>,
}

/// Struct fields or enum variants.
pub(crate) enum Data<'a> {
    Struct(Vec<Field<'a>>),
    Enum(Vec<Variant<'a>>),
}

/// A named field.
pub(crate) struct Field<'a> {
    pub(crate) member: &'a syn::Ident,
    pub(crate) ty: &'a syn::Type,
    pub(crate) attrs: attr::Field,
    /// The key on the wire.
    pub(crate) wire: String,
    /// The tokens to point at for errors about the wire key.
    pub(crate) wire_tokens: proc_macro2::TokenStream,
}

/// An enum variant.
pub(crate) struct Variant<'a> {
    pub(crate) ident: &'a syn::Ident,
    pub(crate) attrs: attr::Variant,
    pub(crate) fields: &'a syn::Fields,
    pub(crate) wire: String,
    pub(crate) wire_tokens: proc_macro2::TokenStream,
}

impl<'a> Container<'a> {
    /// Builds the model; problems go to `cx`. `None` when the input cannot
    /// be modelled at all (a union, a tuple struct).
    pub(crate) fn from_ast(cx: &Ctxt, input: &'a syn::DeriveInput) -> Option<Self> {
        let attrs = attr::Container::from_ast(cx, input);
        let data = match &input.data {
            syn::Data::Struct(s) => match &s.fields {
                syn::Fields::Named(named) => Data::Struct(
                    named
                        .named
                        .iter()
                        .filter_map(|f| Field::from_ast(cx, f))
                        .collect(),
                ),
                syn::Fields::Unit => Data::Struct(Vec::new()),
                syn::Fields::Unnamed(u) => {
                    cx.error_spanned_by(
                        u,
                        "#[derive(Xcp)] needs named fields, not a tuple struct: each field is the item with its name as key",
                    );
                    return None;
                }
            },
            syn::Data::Enum(e) => Data::Enum(
                e.variants
                    .iter()
                    .map(|v| Variant::from_ast(cx, v))
                    .collect(),
            ),
            syn::Data::Union(u) => {
                cx.error_spanned_by(
                    u.union_token,
                    "#[derive(Xcp)] does not support unions: use a struct or an enum",
                );
                return None;
            }
        };
        let lifetime = input.generics.lifetimes().next().map(|l| &l.lifetime);
        // The role follows what was written even when some of it is wrong
        // (reported by `check`), so that code using the type still compiles
        // and only the real mistakes are reported.
        let role = if matches!(input.data, syn::Data::Enum(_)) {
            Role::Plain
        } else if attrs.reply.present() {
            Role::Reply
        } else if let Some(response) = attrs.response.get() {
            // Sent lower case, as OpenSRS documents them; replies are
            // matched case-insensitively anyway.
            let name = |a: &attr::Attr<attr::Str>| {
                a.get()
                    .map_or_else(String::new, |s| s.value.to_ascii_lowercase())
            };
            Role::Request {
                action: name(&attrs.action),
                object: name(&attrs.object),
                response: Box::new(response.clone()),
            }
        } else {
            Role::Plain
        };
        let user_debug = input
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("derive"))
            .filter_map(|a| {
                a.parse_args_with(
                    syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
                )
                .ok()
            })
            .flatten()
            .find(|p| p.segments.last().is_some_and(|s| s.ident == "Debug"))
            .map(|p| p.to_token_stream());
        Some(Container {
            user_debug,
            ident: &input.ident,
            attrs,
            data,
            lifetime,
            role,
        })
    }
}

impl<'a> Field<'a> {
    fn from_ast(cx: &Ctxt, field: &'a syn::Field) -> Option<Self> {
        let member = field.ident.as_ref()?;
        let attrs = attr::Field::from_ast(cx, field);
        let (wire, wire_tokens) = match attrs.rename.get() {
            Some(s) => (s.value.clone(), s.lit.to_token_stream()),
            None => (
                member.to_string().trim_start_matches("r#").to_owned(),
                quote::quote!(#member),
            ),
        };
        Some(Field {
            member,
            ty: &field.ty,
            attrs,
            wire,
            wire_tokens,
        })
    }

    /// Whether the field is `Option<...>`.
    pub(crate) fn is_option(&self) -> bool {
        option_inner(self.ty).is_some()
    }
}

impl<'a> Variant<'a> {
    /// Whether the variant has the shape of the `other` variant:
    /// `Unknown(String)`.
    pub(crate) fn holds_string(&self) -> bool {
        let syn::Fields::Unnamed(u) = self.fields else {
            return false;
        };
        let mut fields = u.unnamed.iter();
        let (Some(f), None) = (fields.next(), fields.next()) else {
            return false;
        };
        let syn::Type::Path(p) = &f.ty else {
            return false;
        };
        p.qself.is_none()
            && p.path
                .segments
                .last()
                .is_some_and(|s| s.ident == "String" && s.arguments.is_none())
    }

    fn from_ast(cx: &Ctxt, variant: &'a syn::Variant) -> Self {
        let attrs = attr::Variant::from_ast(cx, variant);
        let (wire, wire_tokens) = match attrs.rename.get() {
            Some(s) => (s.value.clone(), s.lit.to_token_stream()),
            None => {
                let ident = &variant.ident;
                (attr::snake_case(&ident.to_string()), quote::quote!(#ident))
            }
        };
        Variant {
            ident: &variant.ident,
            attrs,
            fields: &variant.fields,
            wire,
            wire_tokens,
        }
    }
}

/// The `T` of `Option<T>`.
pub(crate) fn option_inner(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(t) if args.args.len() == 1 => Some(t),
        _ => None,
    }
}

/// Whether a type is text: `String`, `&str`, `Cow<str>`, `Secret`, or an
/// `Option` of one.
pub(crate) fn is_text(ty: &syn::Type) -> bool {
    if let Some(inner) = option_inner(ty) {
        return is_text(inner);
    }
    match ty {
        syn::Type::Reference(r) => is_text(&r.elem),
        syn::Type::Path(p) => p.path.segments.last().is_some_and(|s| {
            ["String", "str", "Cow", "Secret"]
                .iter()
                .any(|n| s.ident == n)
        }),
        syn::Type::Group(g) => is_text(&g.elem),
        _ => false,
    }
}

/// Whether `ty` is `bool` or `Option<bool>`.
pub(crate) fn is_bool(ty: &syn::Type) -> bool {
    let ty = option_inner(ty).unwrap_or(ty);
    matches!(ty, syn::Type::Path(p) if p.qself.is_none() && p.path.is_ident("bool"))
}

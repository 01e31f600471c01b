//! `IntoOwned`: a type with one lifetime becomes `Self<'static>`.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;

use crate::internals::ast::{Container, Field};

/// Whether `ty` names the lifetime `lt`.
fn mentions(ty: &syn::Type, lt: &syn::Lifetime) -> bool {
    struct Finder<'l> {
        lt: &'l syn::Lifetime,
        found: bool,
    }
    // `visit-mut` is the syn feature the workspace enables; the clone is
    // only looked at.
    impl VisitMut for Finder<'_> {
        fn visit_lifetime_mut(&mut self, l: &mut syn::Lifetime) {
            self.found |= l.ident == self.lt.ident;
        }
    }
    let mut f = Finder { lt, found: false };
    f.visit_type_mut(&mut ty.clone());
    f.found
}

/// `ty` with `lt` replaced by `'static`.
fn to_static(ty: &syn::Type, lt: &syn::Lifetime) -> syn::Type {
    struct Static<'l>(&'l syn::Lifetime);
    impl VisitMut for Static<'_> {
        fn visit_lifetime_mut(&mut self, l: &mut syn::Lifetime) {
            if l.ident == self.0.ident {
                *l = syn::Lifetime::new("'static", l.span());
            }
        }
    }
    let mut ty = ty.clone();
    Static(lt).visit_type_mut(&mut ty);
    ty
}

/// `IntoOwned`: a struct without a lifetime is its own owned form; one with
/// a lifetime becomes `Self<'static>`, converting each field that names the
/// lifetime through `IntoOwned` (`Cow<'a, str>`, nested derived structs, and
/// `Option`/`Vec`/`Box`/maps of them) and moving the others. The bounds sit
/// in a `where` clause, so a struct with a field that cannot be owned
/// (`&'a str`) still compiles; only `into_owned` is not available on it.
pub(super) fn expand_into_owned(
    cont: &Container<'_>,
    p: &TokenStream,
    fields: &[Field<'_>],
) -> TokenStream {
    let ident = cont.ident;
    let Some(lt) = cont.lifetime else {
        return quote! {
            #[automatically_derived]
            impl #p::IntoOwned for #ident {
                type Owned = #ident;
                fn into_owned(self) -> #ident {
                    self
                }
            }
        };
    };
    let mut bounds = Vec::new();
    let inits = fields.iter().map(|f| {
        let m = f.member;
        let ty = f.ty;
        if mentions(ty, lt) {
            let st = to_static(ty, lt);
            bounds.push(quote_spanned!(ty.span()=> #ty: #p::IntoOwned<Owned = #st>));
            quote!(#m: <#ty as #p::IntoOwned>::into_owned(self.#m))
        } else {
            quote!(#m: self.#m)
        }
    });
    let inits: Vec<_> = inits.collect();
    quote! {
        #[automatically_derived]
        impl<#lt> #p::IntoOwned for #ident<#lt> where #(#bounds,)* {
            type Owned = #ident<'static>;
            fn into_owned(self) -> #ident<'static> {
                #ident { #(#inits,)* }
            }
        }
    }
}

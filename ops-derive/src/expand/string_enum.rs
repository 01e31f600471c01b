//! String enums: `ToXcp`, `FromXcp`, `Display` and `FromStr` by wire name.

use proc_macro2::TokenStream;
use quote::quote;

use crate::internals::ast::{Container, Variant};

pub(super) fn expand_enum(
    cont: &Container<'_>,
    p: &TokenStream,
    variants: &[Variant<'_>],
) -> TokenStream {
    let ident = cont.ident;
    // The fallback: the `other` variant if it has the right shape. The
    // code below is sound even for variants `check` rejected (data-carrying
    // ones, a second `other`), so that code using the enum still compiles
    // and only the real mistakes are reported.
    let other = variants
        .iter()
        .find(|v| v.attrs.other.get().is_some() && v.holds_string());
    let named: Vec<_> = variants
        .iter()
        .filter(|v| !other.is_some_and(|o| std::ptr::eq(*v, o)))
        .collect();
    let as_ref_arms: Vec<_> = named
        .iter()
        .map(|v| {
            let vi = v.ident;
            let wire = &v.wire;
            if v.fields.is_empty() {
                quote!(#ident::#vi => #wire,)
            } else {
                quote!(#ident::#vi { .. } => #wire,)
            }
        })
        .collect();
    let other_arm = other.map(|v| {
        let vi = v.ident;
        quote!(#ident::#vi(__s) => __s.as_str(),)
    });
    let named: Vec<_> = named.into_iter().filter(|v| v.fields.is_empty()).collect();
    let checks: Vec<_> = named
        .iter()
        .map(|v| {
            let vi = v.ident;
            let wire = &v.wire;
            quote! {
                if __t.eq_ignore_ascii_case(#wire) {
                    return #p::Ok(#ident::#vi);
                }
            }
        })
        .collect();
    let expected = format!(
        "one of {}",
        named
            .iter()
            .map(|v| format!("`{}`", v.wire))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let fallback = match other {
        Some(v) => {
            let vi = v.ident;
            quote!(#p::Ok(#ident::#vi(#p::String::from(__t))))
        }
        None => quote!(#p::Err(#p::DecodeError::invalid(__node, #expected))),
    };
    let (from_str_err, from_str_fallback) = match other {
        Some(v) => {
            let vi = v.ident;
            (
                quote!(#p::Infallible),
                quote!(#p::Ok(#ident::#vi(#p::String::from(__t)))),
            )
        }
        None => {
            let names = named.iter().map(|v| &v.wire);
            (
                quote!(#p::UnknownName),
                quote!(#p::Err(#p::UnknownName::new(__t, &[#(#names),*]))),
            )
        }
    };
    quote! {
        #[automatically_derived]
        impl #p::AsRef<str> for #ident {
            /// The value as written on the wire.
            fn as_ref(&self) -> &str {
                match self {
                    #(#as_ref_arms)*
                    #other_arm
                }
            }
        }

        #[automatically_derived]
        impl #p::fmt::Display for #ident {
            /// The value as written on the wire.
            fn fmt(&self, __f: &mut #p::fmt::Formatter<'_>) -> #p::fmt::Result {
                __f.write_str(#p::AsRef::<str>::as_ref(self))
            }
        }

        #[automatically_derived]
        impl #p::FromStr for #ident {
            type Err = #from_str_err;
            /// Case-insensitive, as on decode.
            fn from_str(__t: &str) -> #p::Result<Self, Self::Err> {
                #(#checks)*
                #from_str_fallback
            }
        }

        #[automatically_derived]
        impl #p::IntoOwned for #ident {
            type Owned = #ident;
            fn into_owned(self) -> #ident {
                self
            }
        }

        #[automatically_derived]
        impl #p::ToXcp for #ident {
            fn write_xcp<__S: #p::Sink>(&self, __w: &mut #p::Writer<__S>) -> #p::Result<(), #p::WriteError> {
                __w.scalar(#p::AsRef::<str>::as_ref(self))
            }
        }

        #[automatically_derived]
        impl<'__d> #p::FromXcp<'__d> for #ident {
            /// Case-insensitive: `SMS`, `sms` and `Sms` are the same value.
            fn from_xcp(__node: #p::Node<'__d>) -> #p::Result<Self, #p::DecodeError> {
                let __t: &str = #p::text(__node)?;
                #(#checks)*
                #fallback
            }
        }
    }
}

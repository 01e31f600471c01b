//! Expansion snapshots: the code the derive generates for representative
//! inputs, pretty-printed, so that a change to the generated code shows in
//! review. After an intended change, regenerate them with
//! `INSTA_UPDATE=always cargo test -p opensrs-derive` (or `cargo insta review`)
//! and read the diff.

/// The expansion of `input`, pretty-printed.
fn expand(input: syn::DeriveInput) -> String {
    let tokens = super::derive(&input).expect("derive returns errors as tokens");
    let file: syn::File = syn::parse2(tokens).expect("the expansion parses as a file");
    prettyplease::unparse(&file)
}

#[test]
fn request_with_top_and_attribute_fields() {
    let input = syn::parse_quote! {
        #[derive(Xcp)]
        #[xcp(action = "sw_register", object = "domain", response = RegisterReply<'_>)]
        struct Register {
            domain: String,
            #[xcp(default)]
            auto_renew: bool,
            period: Option<u32>,
            #[xcp(with = upper)]
            country: String,
            #[xcp(default, skip_if = Vec::is_empty)]
            nameservers: Vec<String>,
            #[xcp(top)]
            registrant_ip: Option<String>,
            #[xcp(top, rename = "cookie")]
            session: String,
        }
    };
    insta::assert_snapshot!("request_with_top_and_attribute_fields", expand(input));
}

#[test]
fn borrowing_reply_with_rest() {
    let input = syn::parse_quote! {
        #[derive(Xcp)]
        #[xcp(reply)]
        struct CheckTransferReply<'a> {
            #[xcp(top)]
            response_code: ResponseCode,
            #[xcp(top)]
            response_text: &'a str,
            transferrable: bool,
            reason: Option<Cow<'a, str>>,
            #[xcp(rest)]
            other: Assoc,
        }
    };
    insta::assert_snapshot!("borrowing_reply_with_rest", expand(input));
}

#[test]
fn reply_without_attributes() {
    let input = syn::parse_quote! {
        #[derive(Xcp)]
        #[xcp(reply)]
        struct Ack {
            #[xcp(top)]
            response_code: ResponseCode,
        }
    };
    insta::assert_snapshot!("reply_without_attributes", expand(input));
}

#[test]
fn plain_struct_with_secret() {
    let input = syn::parse_quote! {
        #[derive(Xcp)]
        struct Domain {
            domain_name: String,
            #[xcp(secret)]
            auth_info: String,
        }
    };
    insta::assert_snapshot!("plain_struct_with_secret", expand(input));
}

#[test]
fn plain_struct_with_container_options() {
    let input = syn::parse_quote! {
        #[derive(Xcp)]
        #[xcp(crate = "ops", validate = rules::contact, serde)]
        struct Contact<'a> {
            first_name: &'a str,
            #[xcp(secret)]
            password: Option<String>,
            #[xcp(rest)]
            other: BTreeMap<String, Value>,
        }
    };
    insta::assert_snapshot!("plain_struct_with_container_options", expand(input));
}

#[test]
fn string_enum_with_other() {
    let input = syn::parse_quote! {
        #[derive(Xcp)]
        enum Status {
            PendingOwner,
            #[xcp(rename = "pending_registry")]
            Registry,
            Completed,
            #[xcp(other)]
            Unknown(String),
        }
    };
    insta::assert_snapshot!("string_enum_with_other", expand(input));
}

#[test]
fn string_enum_without_other() {
    let input = syn::parse_quote! {
        #[derive(Xcp)]
        enum Channel {
            Email,
            #[xcp(rename = "SMS")]
            Sms,
        }
    };
    insta::assert_snapshot!("string_enum_without_other", expand(input));
}

/// A mistake in an attribute is reported, and the impls are still emitted,
/// so that code using the type reports no error of its own.
#[test]
fn errors_come_with_the_impls() {
    let input = syn::parse_quote! {
        #[derive(Xcp)]
        struct Contact {
            #[xcp(default)]
            fax: Option<String>,
        }
    };
    insta::assert_snapshot!("errors_come_with_the_impls", expand(input));
}

/// Where the impls could not compile (an unsupported shape), only the
/// errors are emitted.
#[test]
fn unsupported_shape_emits_only_errors() {
    let input = syn::parse_quote! {
        #[derive(Xcp)]
        struct Page<T, const N: usize> {
            items: [T; N],
        }
    };
    insta::assert_snapshot!("unsupported_shape_emits_only_errors", expand(input));
}

#[test]
fn command_with_constant_validate_and_yes_no() {
    let input = syn::parse_quote! {
        #[derive(Xcp)]
        #[xcp(action = "get", object = "domain", response = AllInfo<'_>,
              attr(type = "all_info"), validate = Self::check, no_debug)]
        struct GetAllInfo {
            #[xcp(yes_no)]
            limit_info: Option<bool>,
            #[xcp(rest)]
            extra: BTreeMap<String, u32>,
        }
    };
    insta::assert_snapshot!("command_with_constant_validate_and_yes_no", expand(input));
}

#[test]
fn borrowing_plain_struct_into_owned() {
    let input = syn::parse_quote! {
        #[derive(Xcp)]
        struct Nameserver<'a> {
            name: Cow<'a, str>,
            ips: Vec<&'a str>,
            sort_order: u32,
        }
    };
    insta::assert_snapshot!("borrowing_plain_struct_into_owned", expand(input));
}

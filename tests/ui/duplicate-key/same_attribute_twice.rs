use opensrs_core::Xcp;

#[derive(Xcp)]
struct Contact {
    #[xcp(rename = "first_name", rename = "given_name")]
    first: String,
    #[xcp(default)]
    #[xcp(default)]
    verified: bool,
}

fn main() {}

use opensrs_core::Xcp;

#[derive(Xcp)]
struct Contact {
    first_name: String,
    #[xcp(rename = "first_name")]
    given_name: String,
}

fn main() {}

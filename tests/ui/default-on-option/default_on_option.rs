use opensrs_core::Xcp;

#[derive(Xcp)]
struct Contact {
    first_name: String,
    #[xcp(default)]
    fax: Option<String>,
}

fn main() {}

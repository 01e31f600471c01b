use opensrs_core::Xcp;

#[derive(Xcp)]
struct Contact {
    #[xcp(renam = "first_name")]
    first: String,
    #[xcp(optional)]
    fax: Option<String>,
}

fn main() {}

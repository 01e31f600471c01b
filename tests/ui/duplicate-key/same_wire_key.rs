use opensrs_core::Xcp;

#[derive(Xcp)]
struct Contact {
    #[xcp(rename = "phone")]
    mobile: String,
    #[xcp(rename = "phone")]
    landline: String,
}

fn main() {}

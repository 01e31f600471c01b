use opensrs_core::Xcp;

#[derive(Xcp)]
struct Contact {
    first_name: String,
    #[xcp(top)]
    cookie: String,
}

fn main() {}

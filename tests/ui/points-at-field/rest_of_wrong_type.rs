use opensrs_core::Xcp;

#[derive(Xcp)]
struct Contact {
    name: String,
    #[xcp(rest)]
    other: Vec<String>,
}

fn main() {}

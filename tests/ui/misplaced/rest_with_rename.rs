use opensrs_core::{Assoc, Xcp};

#[derive(Xcp)]
struct Contact {
    first_name: String,
    #[xcp(rest, rename = "other")]
    rest: Assoc,
}

fn main() {}

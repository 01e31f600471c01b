use opensrs_core::{Assoc, Xcp};

#[derive(Xcp)]
struct Contact {
    first_name: String,
    #[xcp(flatten)]
    other: Assoc,
}

fn main() {}

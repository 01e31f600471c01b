use opensrs_core::{Assoc, Xcp};

#[derive(Xcp)]
struct Contact {
    first_name: String,
    #[xcp(rest)]
    extra: Assoc,
    #[xcp(rest)]
    more: Assoc,
}

fn main() {}

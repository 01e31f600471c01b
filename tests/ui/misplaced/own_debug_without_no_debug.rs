use opensrs_core::Xcp;

// The derive writes a redacting Debug; add #[xcp(no_debug)] to derive your own.
#[derive(Xcp)]
#[derive(Debug)]
struct Contact {
    name: String,
}

fn main() {}

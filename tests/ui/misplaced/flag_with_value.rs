use opensrs_core::Xcp;

#[derive(Xcp)]
struct Contact {
    #[xcp(default = true)]
    verified: bool,
}

fn main() {}

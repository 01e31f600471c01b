use opensrs_core::Xcp;

#[derive(Xcp)]
struct Flags {
    #[xcp(yes_no)]
    lock_state: String,
}

fn main() {}

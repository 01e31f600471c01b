use opensrs_core::Xcp;

// In the same derive list the compiler hides `Debug` from the derive, so the
// error is the compiler's; #[xcp(no_debug)] is the opt-out.
#[derive(Xcp, Debug)]
struct Contact {
    name: String,
}

fn main() {}

use opensrs_core::Xcp;

#[derive(Xcp)]
#[xcp(reply)]
struct Lookup<'a, 'b> {
    status: &'a str,
    reason: &'b str,
}

fn main() {}

use opensrs_core::Xcp;

#[derive(Xcp)]
#[xcp(reply, idempotent)]
struct Balance {
    balance: String,
}

fn main() {}

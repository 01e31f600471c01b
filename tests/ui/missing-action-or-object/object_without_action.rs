use opensrs_core::Xcp;

#[derive(Xcp)]
#[xcp(object = "balance", response = Balance)]
struct GetBalance {}

#[derive(Xcp)]
#[xcp(reply)]
struct Balance {
    balance: String,
}

fn main() {}

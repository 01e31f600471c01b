use opensrs_core::Xcp;

#[derive(Xcp)]
#[xcp(acton = "get_balance", object = "balance", response = Balance)]
struct GetBalance {}

#[derive(Xcp)]
#[xcp(reply, version = "0.9")]
struct Balance {
    balance: String,
}

fn main() {}

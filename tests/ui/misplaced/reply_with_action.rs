use opensrs_core::Xcp;

#[derive(Xcp)]
#[xcp(reply, action = "get_balance", object = "balance", response = Balance)]
struct Balance {
    balance: String,
}

fn main() {}

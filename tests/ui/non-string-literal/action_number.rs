use opensrs_core::Xcp;

#[derive(Xcp)]
#[xcp(action = 5, object = balance, response = Balance)]
struct GetBalance {}

#[derive(Xcp)]
#[xcp(reply)]
struct Balance {
    balance: String,
}

fn main() {}

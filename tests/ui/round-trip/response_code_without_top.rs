use opensrs_core::{Xcp, code::ResponseCode};

#[derive(Xcp)]
#[xcp(reply)]
struct Balance {
    response_code: ResponseCode,
    balance: String,
}

fn main() {}

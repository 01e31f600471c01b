use opensrs_core::Xcp;

#[derive(Xcp)]
#[xcp(action = "get_balance", reply)]
enum Channel {
    Email,
    Sms,
}

fn main() {}

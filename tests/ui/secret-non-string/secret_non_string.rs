use opensrs_core::Xcp;

#[derive(Xcp)]
struct Account {
    username: String,
    #[xcp(secret)]
    pin: u32,
}

fn main() {}

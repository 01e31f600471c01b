use opensrs_core::Xcp;

#[derive(Xcp)]
#[xcp(action = "get_balance", object = "balance")]
struct GetBalance {
    #[xcp(top)]
    cookie: String,
}

fn main() {}

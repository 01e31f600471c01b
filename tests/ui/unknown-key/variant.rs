use opensrs_core::Xcp;

#[derive(Xcp)]
enum Status {
    #[xcp(rename = "pending_owner", alias = "pending")]
    PendingOwner,
    Completed,
    #[xcp(others)]
    Unknown(String),
}

fn main() {}

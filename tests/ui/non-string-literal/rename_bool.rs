use opensrs_core::Xcp;

#[derive(Xcp)]
struct Contact {
    #[xcp(rename = true)]
    first: String,
}

#[derive(Xcp)]
enum Status {
    #[xcp(rename = pending_owner)]
    PendingOwner,
}

fn main() {}

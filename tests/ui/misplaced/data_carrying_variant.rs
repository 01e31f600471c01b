use opensrs_core::Xcp;

#[derive(Xcp)]
enum Status {
    Completed,
    Failed { reason: String },
    Pending(u64),
}

fn main() {}

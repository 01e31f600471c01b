use opensrs_core::Xcp;

#[derive(Xcp)]
enum Status {
    Completed,
    #[xcp(other)]
    Unknown,
}

#[derive(Xcp)]
enum Channel {
    Email,
    #[xcp(other)]
    Other(u32),
}

fn main() {}

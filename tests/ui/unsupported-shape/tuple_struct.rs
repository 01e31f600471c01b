use opensrs_core::Xcp;

#[derive(Xcp)]
struct Balance(String);

fn main() {}

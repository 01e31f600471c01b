use ops_core::Xcp;

#[derive(Xcp)]
struct Balance(String);

fn main() {}

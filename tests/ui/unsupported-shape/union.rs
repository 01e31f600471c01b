use opensrs_core::Xcp;

#[derive(Xcp)]
union Amount {
    cents: u64,
    units: u32,
}

fn main() {}

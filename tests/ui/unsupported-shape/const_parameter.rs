use opensrs_core::Xcp;

#[derive(Xcp)]
struct Nameservers<const N: usize> {
    names: [String; N],
}

fn main() {}

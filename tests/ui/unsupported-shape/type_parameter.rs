use opensrs_core::Xcp;

#[derive(Xcp)]
struct Page<T> {
    items: Vec<T>,
}

fn main() {}

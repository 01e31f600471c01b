use opensrs_core::Xcp;

#[derive(Xcp)]
struct Contact {
    #[xcp(skip_if = String::is_empty)]
    fax: String,
    // An Option needs no `default`: skipped reads back as None.
    #[xcp(skip_if = Option::is_none)]
    phone: Option<String>,
}

fn main() {}

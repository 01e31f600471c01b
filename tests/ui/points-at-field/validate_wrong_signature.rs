use opensrs_core::Xcp;

#[derive(Xcp)]
#[xcp(validate = Contact::check)]
struct Contact {
    name: String,
}

impl Contact {
    fn check(&self) -> bool {
        !self.name.is_empty()
    }
}

fn main() {}

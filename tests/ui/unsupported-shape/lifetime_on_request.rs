use opensrs_core::Xcp;

#[derive(Xcp)]
#[xcp(action = "lookup", object = "domain", response = Lookup<'_>)]
struct LookupDomain<'a> {
    domain: &'a str,
}

#[derive(Xcp)]
#[xcp(reply)]
struct Lookup<'a> {
    status: &'a str,
}

fn main() {}

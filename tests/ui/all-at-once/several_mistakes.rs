// Every mistake in a derive is reported in the same compile, and nothing
// else: the types still implement their traits, so the code that uses them
// below adds no error of its own.
use opensrs_core::{Command, Xcp};

#[derive(Xcp)]
#[xcp(action = "modify", objct = "domain", response = Modified)]
struct Modify {
    #[xcp(rename = "domain")]
    name: String,
    domain: String,
    #[xcp(default)]
    period: Option<Period>,
    #[xcp(secret)]
    auth_code: u64,
    #[xcp(rename = 1)]
    owner: String,
}

#[derive(Xcp)]
#[xcp(reply)]
struct Modified {
    #[xcp(top, top)]
    response_text: String,
}

#[derive(Xcp, Debug)]
enum Period {
    OneYear,
    #[xcp(rename = "one_year")]
    Annual,
    Months(u8),
}

fn main() {
    let modify = Modify {
        name: String::new(),
        domain: "example.com".into(),
        period: Some(Period::Months(3)),
        auth_code: 0,
        owner: String::new(),
    };
    let _ = modify.encode();
    let _ = Period::Annual.as_ref();
}

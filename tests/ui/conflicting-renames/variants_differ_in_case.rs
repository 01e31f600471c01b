use opensrs_core::Xcp;

#[derive(Xcp)]
enum Channel {
    Email,
    #[xcp(rename = "EMAIL")]
    Mail,
    Sms,
}

fn main() {}

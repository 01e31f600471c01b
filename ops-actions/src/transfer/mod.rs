//! Commands on object `transfer`.

pub mod send_password;

pub use send_password::{SendPassword, SendPasswordReply};

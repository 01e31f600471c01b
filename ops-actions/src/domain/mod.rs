//! Commands on object `domain`.

pub mod check_transfer;
pub mod resend_trade_approval_notice;
pub mod send_password;
pub mod simple_transfer;

pub use check_transfer::{CheckTransfer, CheckTransferReply, TransferStatus, TransferType};
pub use resend_trade_approval_notice::{
    RegistrantType, ResendTradeApprovalNotice, ResendTradeApprovalNoticeReply, SendType,
};
pub use send_password::{SendPassword, SendPasswordReply, SendTo};
#[allow(deprecated)]
pub use simple_transfer::{SimpleTransfer, SimpleTransferReply, TransferDomain};

//! One module per registered command: what the sandbox does with it.
//!
//! Dispatch comes from the registry ([`opensrs_actions::with_commands!`]):
//! every registered command must implement [`Simulate`], so a command
//! added to the registry without a module here does not compile.

mod check_transfer;
mod resend_trade_approval_notice;
mod send_password_domain;
mod send_password_transfer;
mod simple_transfer;

use std::sync::Mutex;

pub(crate) use check_transfer::timestamp;

use opensrs_actions::CommandInfo;
use opensrs_core::{Command, Document};

use crate::reply::{self, Failure};
use crate::world::World;

/// A command the sandbox answers: it runs against the world (locked) and
/// gives the typed reply, or a failure with its code and text.
pub(crate) trait Simulate: Command {
    /// Runs the request. The world's clock has ticked to now.
    fn simulate(self, world: &mut World) -> Result<Self::Response<'static>, Failure>;
}

/// Decodes `doc` as command `C` (its rules applied), runs it, and writes
/// the reply envelope with `object` echoed as the request sent it.
fn run<C: Simulate>(doc: &Document<'_>, object: &str, world: &Mutex<World>) -> String {
    let request = match C::decode_request(doc) {
        Ok(r) => r,
        Err(e) => return reply::decode_failure(object, &e),
    };
    let outcome = {
        let mut world = match world.lock() {
            Ok(w) => w,
            // A panic while holding the lock cannot leave a half-written
            // transfer behind (every change is a few field stores), so the
            // state is still usable.
            Err(poisoned) => poisoned.into_inner(),
        };
        world.tick();
        request.simulate(&mut world)
    };
    match outcome {
        Ok(response) => reply::success::<C>(object, &response),
        Err(f) => reply::failure(object, &f),
    }
}

macro_rules! dispatch_table {
    ($(($object:ident, $action:ident) => $module:ident :: $ty:ident,)*) => {
        /// Runs the registered command `info` on `doc`.
        #[allow(deprecated)] // simple_transfer is deprecated by OpenSRS, and served.
        pub(crate) fn dispatch(
            info: &CommandInfo,
            doc: &Document<'_>,
            object: &str,
            world: &Mutex<World>,
        ) -> String {
            $(
                if info.action() == <opensrs_actions::$module::$ty as Command>::ACTION
                    && info.object() == <opensrs_actions::$module::$ty as Command>::OBJECT
                {
                    return run::<opensrs_actions::$module::$ty>(doc, object, world);
                }
            )*
            reply::failure(object, &Failure::new(430, format!("Invalid command: {info}")))
        }
    };
}

opensrs_actions::with_commands!(dispatch_table);

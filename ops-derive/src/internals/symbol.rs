//! The keywords of `#[xcp(...)]`.

pub(crate) const XCP: &str = "xcp";
// container
pub(crate) const ACTION: &str = "action";
pub(crate) const OBJECT: &str = "object";
pub(crate) const RESPONSE: &str = "response";
pub(crate) const REPLY: &str = "reply";
pub(crate) const CRATE: &str = "crate";
pub(crate) const VALIDATE: &str = "validate";
pub(crate) const SERDE: &str = "serde";
pub(crate) const NO_DEBUG: &str = "no_debug";
pub(crate) const IDEMPOTENT: &str = "idempotent";
pub(crate) const ATTR: &str = "attr";
// fields
pub(crate) const RENAME: &str = "rename";
pub(crate) const DEFAULT: &str = "default";
pub(crate) const WITH: &str = "with";
pub(crate) const SKIP_IF: &str = "skip_if";
pub(crate) const REST: &str = "rest";
pub(crate) const SECRET: &str = "secret";
pub(crate) const TOP: &str = "top";
pub(crate) const YES_NO: &str = "yes_no";
// variants
pub(crate) const OTHER: &str = "other";

pub(crate) const CONTAINER_KEYS: &[&str] = &[
    ACTION, OBJECT, RESPONSE, REPLY, CRATE, VALIDATE, SERDE, NO_DEBUG, ATTR, IDEMPOTENT,
];
/// The container keys that apply to an enum (keep in step with `CONTAINER_KEYS`).
pub(crate) const ENUM_KEYS: &[&str] = &[CRATE, SERDE];
pub(crate) const FIELD_KEYS: &[&str] = &[RENAME, DEFAULT, WITH, SKIP_IF, REST, SECRET, TOP, YES_NO];
pub(crate) const VARIANT_KEYS: &[&str] = &[RENAME, OTHER];

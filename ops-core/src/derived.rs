//! Public items that `#[derive(Xcp)]` implements or returns: the owned form
//! of a borrowing reply ([`IntoOwned`]) and the error of a string enum's
//! `FromStr` ([`UnknownName`]).

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasher, Hash};

/// A value that can drop its borrow of the document it was read from.
///
/// A reply read with `decode_reply` borrows from the parsed document;
/// `into_owned` gives the same reply with the `'static` lifetime, so a
/// client can return it without tying the caller to the buffer.
///
/// `#[derive(Xcp)]` implements it for every struct and enum: a type
/// without a lifetime is its own owned form; a struct with a lifetime `'a`
/// becomes `Self<'static>`, each field that names `'a` converted through
/// `IntoOwned` (`Cow<'a, str>`, derived structs, and `Option`, `Vec`,
/// `Box` and maps of them), the others moved. A field of type `&'a str`
/// cannot be owned: the struct still compiles, but has no `into_owned`
/// (use `Cow<'a, str>`, which borrows just as well when reading).
///
/// ```
/// use std::borrow::Cow;
/// use opensrs_core::IntoOwned;
///
/// let text = String::from("Query successful");
/// let borrowed: Option<Cow<'_, str>> = Some(Cow::Borrowed(text.as_str()));
/// let owned: Option<Cow<'static, str>> = borrowed.into_owned();
/// drop(text);
/// assert_eq!(owned.as_deref(), Some("Query successful"));
/// ```
pub trait IntoOwned {
    /// The same type with its borrows replaced by owned data.
    type Owned: 'static;
    /// Converts, copying borrowed text.
    fn into_owned(self) -> Self::Owned;
}

impl IntoOwned for Cow<'_, str> {
    type Owned = Cow<'static, str>;
    fn into_owned(self) -> Cow<'static, str> {
        Cow::Owned(Cow::into_owned(self))
    }
}

impl<T: IntoOwned> IntoOwned for Option<T> {
    type Owned = Option<T::Owned>;
    fn into_owned(self) -> Self::Owned {
        self.map(T::into_owned)
    }
}

impl<T: IntoOwned> IntoOwned for Box<T> {
    type Owned = Box<T::Owned>;
    fn into_owned(self) -> Self::Owned {
        Box::new((*self).into_owned())
    }
}

impl<T: IntoOwned> IntoOwned for Vec<T> {
    type Owned = Vec<T::Owned>;
    fn into_owned(self) -> Self::Owned {
        self.into_iter().map(T::into_owned).collect()
    }
}

impl<K: Ord + 'static, T: IntoOwned> IntoOwned for BTreeMap<K, T> {
    type Owned = BTreeMap<K, T::Owned>;
    fn into_owned(self) -> Self::Owned {
        self.into_iter().map(|(k, v)| (k, v.into_owned())).collect()
    }
}

impl<K: Eq + Hash + 'static, T: IntoOwned, H: BuildHasher + Default + 'static> IntoOwned
    for HashMap<K, T, H>
{
    type Owned = HashMap<K, T::Owned, H>;
    fn into_owned(self) -> Self::Owned {
        self.into_iter().map(|(k, v)| (k, v.into_owned())).collect()
    }
}

/// The error of a derived string enum's `FromStr` when the text is none of
/// its wire names (an enum with an `other` variant never fails).
///
/// ```
/// use opensrs_core::Xcp;
///
/// #[derive(Xcp, Debug, PartialEq)]
/// enum Period { OneYear, TwoYears }
///
/// assert_eq!("ONE_YEAR".parse::<Period>(), Ok(Period::OneYear));
/// let err = "ten_years".parse::<Period>().unwrap_err();
/// assert_eq!(err.to_string(), "`ten_years` is not one of `one_year`, `two_years`");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{found}` is not one of {}", expected.iter().map(|e| format!("`{e}`")).collect::<Vec<_>>().join(", "))]
pub struct UnknownName {
    found: String,
    expected: &'static [&'static str],
}

impl UnknownName {
    /// `found` (cut to 64 characters) is none of `expected`.
    pub fn new(found: &str, expected: &'static [&'static str]) -> Self {
        let found = if found.chars().count() > 64 {
            found.chars().take(64).chain(['…']).collect()
        } else {
            found.to_owned()
        };
        UnknownName { found, expected }
    }

    /// The text that was given (at most 64 characters and `…`).
    pub fn found(&self) -> &str {
        &self.found
    }

    /// The wire names the enum knows.
    pub fn expected(&self) -> &'static [&'static str] {
        self.expected
    }
}

//! The words of a rule library: ids, names, conditions as written,
//! explanations, citations.
//!
//! A rule set parsed from `.rules` files owns its text. The library
//! compiled into the binary (build.rs) is deserialised from bytes that live
//! as long as the program, so its 8,000 strings are borrowed from them
//! rather than each allocated and copied: a cold `check` went from 7.3 M
//! to 6.4 M instructions and from 624 to 517 page faults.

use std::borrow::{Borrow, Cow};
use std::fmt;
use std::ops::Deref;

/// A string of the rule model, owned or borrowed from the compiled library.
/// It reads, compares, hashes, prints and serialises exactly as the `str`
/// it holds.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text(Cow<'static, str>);

impl Text {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text(Cow::Owned(s))
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text(Cow::Owned(s.to_owned()))
    }
}

impl From<Text> for String {
    fn from(t: Text) -> String {
        t.0.into_owned()
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<Text> for str {
    fn eq(&self, other: &Text) -> bool {
        *self == *other.0
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        **self == *other.0
    }
}

impl PartialEq<Text> for String {
    fn eq(&self, other: &Text) -> bool {
        **self == *other.0
    }
}

impl serde::Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// Only input that lives as long as the program can be borrowed from, so
/// the model deserialises from `'static` bytes alone (the compiled
/// library); every type holding a `Text` says so with
/// `#[serde(bound(deserialize = "'de: 'static"))]`.
impl<'de: 'static> serde::Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Text, D::Error> {
        struct Visitor;
        impl<'de: 'static> serde::de::Visitor<'de> for Visitor {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Text, E> {
                Ok(Text(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Text, E> {
                Ok(Text::from(s))
            }
            fn visit_string<E>(self, s: String) -> Result<Text, E> {
                Ok(Text::from(s))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::Text;

    #[test]
    fn text_borrowed_from_static_bytes_is_not_copied() {
        static BYTES: &[u8] = b"\x05hello";
        let text: Text = postcard::from_bytes(BYTES).unwrap();
        assert_eq!(text, "hello");
        assert!(std::ptr::eq(text.as_ptr(), BYTES[1..].as_ptr()));
        assert!(matches!(text.0, std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn text_serialises_as_the_string_it_holds() {
        let text = Text::from("a \"b\"");
        assert_eq!(
            postcard::to_stdvec(&text).unwrap(),
            postcard::to_stdvec("a \"b\"").unwrap()
        );
        assert_eq!(format!("{text}|{text:?}"), "a \"b\"|\"a \\\"b\\\"\"");
    }
}

//! Reads a parsed configuration document into its types and names the JSON path of the first
//! problem (`prompt_injection.rules[3].regex`, `.` for the document itself).
//!
//! A deserializer over a borrowed [`Value`] that remembers where it is: each object member and
//! array element it hands to a type's `Deserialize` pushes its key or index, and the first error
//! keeps the path it was raised at. Only the deserializer tracks the path, not the visitors, so
//! each configuration type is instantiated once (a wrapper around every visitor, the other way to
//! do it, doubled the module's deserialisation code).
//!
//! Where a derived struct or a map is expected, only a JSON object is accepted: serde's derived
//! structs would also take an array (fields by position), so `{"tools": []}` would silently mean
//! `{"tools": {}}`.

use std::cell::RefCell;
use std::fmt;

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, EnumAccess, IntoDeserializer, MapAccess, SeqAccess,
    Unexpected, VariantAccess, Visitor,
};
use serde_json::Value;

use crate::error::{render_path, PathSegment};

/// A problem found while reading: what is wrong (serde's wording, as serde_json writes it).
#[derive(Debug)]
pub struct ReadError(String);

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ReadError {}

impl de::Error for ReadError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        ReadError(msg.to_string())
    }

    fn invalid_type(unexp: Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        ReadError(format!("invalid type: {}, expected {exp}", Json(unexp)))
    }

    fn invalid_value(unexp: Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        ReadError(format!("invalid value: {}, expected {exp}", Json(unexp)))
    }
}

/// An unexpected value named as JSON says it (`null`, not serde's "unit value").
struct Json<'de>(Unexpected<'de>);

impl fmt::Display for Json<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Unexpected::Unit => f.write_str("null"),
            Unexpected::Float(x) => write!(f, "floating point `{x}`"),
            ref other => other.fmt(f),
        }
    }
}

/// Reads `value` into `T`. On failure: the path of the value at fault (for a missing field, the
/// object that lacks it; for an unknown field, the field) and the message.
pub fn from_value<T: DeserializeOwned>(value: &Value) -> Result<T, (String, ReadError)> {
    let track = Track::default();
    T::deserialize(At {
        value,
        track: &track,
    })
    .map_err(|e| {
        let path = track.failed.borrow_mut().take().unwrap_or_default();
        (render_path(&path), e)
    })
}

/// Where the reader is, and where it first failed.
#[derive(Default)]
struct Track {
    here: RefCell<Vec<PathSegment>>,
    failed: RefCell<Option<Vec<PathSegment>>>,
}

impl Track {
    /// Reads one member or element at `segment`, keeping the path of the first failure.
    fn within<T, E>(
        &self,
        segment: PathSegment,
        read: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, E> {
        self.here.borrow_mut().push(segment);
        let r = read();
        if r.is_err() {
            self.fail();
        }
        self.here.borrow_mut().pop();
        r
    }

    fn fail(&self) {
        let mut failed = self.failed.borrow_mut();
        if failed.is_none() {
            *failed = Some(self.here.borrow().clone());
        }
    }
}

/// The deserializer: a value and the reader's position.
#[derive(Clone, Copy)]
struct At<'de> {
    value: &'de Value,
    track: &'de Track,
}

fn unexpected(v: &Value) -> Unexpected<'_> {
    match v {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Unexpected::Unsigned(u),
            (None, Some(i)) => Unexpected::Signed(i),
            _ => Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

impl<'de> At<'de> {
    fn object<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.value {
            Value::Object(map) => visitor.visit_map(Members {
                iter: map.iter(),
                pending: None,
                track: self.track,
            }),
            _ => Err(de::Error::custom("must be a JSON object")),
        }
    }

    fn array<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.value {
            Value::Array(items) => visitor.visit_seq(Elements {
                iter: items.iter().enumerate(),
                track: self.track,
            }),
            v => Err(de::Error::invalid_type(unexpected(v), &visitor)),
        }
    }
}

impl<'de> de::Deserializer<'de> for At<'de> {
    type Error = ReadError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => visitor.visit_u64(u),
                (None, Some(i), _) => visitor.visit_i64(i),
                (None, None, Some(x)) => visitor.visit_f64(x),
                _ => Err(de::Error::custom("a number out of range")),
            },
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(_) => self.array(visitor),
            Value::Object(_) => self.object(visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        self.object(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.object(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.array(visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        self.array(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        self.array(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        match self.value {
            Value::String(s) => visitor.visit_enum(s.as_str().into_deserializer()),
            Value::Object(map) if map.len() == 1 => match map.iter().next() {
                Some((variant, value)) => visitor.visit_enum(Variant {
                    variant,
                    value: At {
                        value,
                        track: self.track,
                    },
                }),
                None => Err(de::Error::invalid_type(Unexpected::Map, &visitor)),
            },
            v => Err(de::Error::invalid_type(unexpected(v), &visitor)),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct identifier
    }
}

/// An object's members, each read at its key.
struct Members<'de> {
    iter: serde_json::map::Iter<'de>,
    pending: Option<(&'de String, &'de Value)>,
    track: &'de Track,
}

impl<'de> MapAccess<'de> for Members<'de> {
    type Error = ReadError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, ReadError> {
        let Some((key, value)) = self.iter.next() else {
            return Ok(None);
        };
        self.pending = Some((key, value));
        // An unknown field fails here: its path is the field's.
        self.track
            .within(PathSegment::Key(key.clone()), || {
                seed.deserialize(BorrowedStrDeserializer::new(key))
            })
            .map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, ReadError> {
        let Some((key, value)) = self.pending.take() else {
            return Err(de::Error::custom("a value asked for before its key"));
        };
        let track = self.track;
        track.within(PathSegment::Key(key.clone()), || {
            seed.deserialize(At { value, track })
        })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

/// An array's elements, each read at its index.
struct Elements<'de> {
    iter: std::iter::Enumerate<std::slice::Iter<'de, Value>>,
    track: &'de Track,
}

impl<'de> SeqAccess<'de> for Elements<'de> {
    type Error = ReadError;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, ReadError> {
        let Some((i, value)) = self.iter.next() else {
            return Ok(None);
        };
        let track = self.track;
        track
            .within(PathSegment::Index(i), || {
                seed.deserialize(At { value, track })
            })
            .map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

/// `{"variant": value}`: an enum variant with data, read at the variant's key.
struct Variant<'de> {
    variant: &'de String,
    value: At<'de>,
}

impl<'de> EnumAccess<'de> for Variant<'de> {
    type Error = ReadError;
    type Variant = Self;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, Self), ReadError> {
        let v = seed.deserialize(BorrowedStrDeserializer::new(self.variant))?;
        Ok((v, self))
    }
}

impl<'de> VariantAccess<'de> for Variant<'de> {
    type Error = ReadError;

    fn unit_variant(self) -> Result<(), ReadError> {
        match self.value.value {
            Value::Null => Ok(()),
            v => Err(de::Error::invalid_type(unexpected(v), &"unit variant")),
        }
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, ReadError> {
        let At { value, track } = self.value;
        track.within(PathSegment::Key(self.variant.clone()), || {
            seed.deserialize(At { value, track })
        })
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        let at = self.value;
        at.track
            .within(PathSegment::Key(self.variant.clone()), || at.array(visitor))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        let at = self.value;
        at.track.within(PathSegment::Key(self.variant.clone()), || {
            at.object(visitor)
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        id: String,
        #[serde(default)]
        weight: Option<f32>,
        #[serde(default)]
        kind: Kind,
    }

    #[derive(Debug, Default, Deserialize, PartialEq)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        #[default]
        Plain,
        Fancy,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Outer {
        #[serde(default)]
        rules: Vec<Inner>,
        #[serde(default)]
        named: BTreeMap<String, Inner>,
        #[serde(default)]
        limit: u32,
        #[serde(default)]
        raw: Option<Value>,
    }

    fn read(doc: &str) -> Result<Outer, (String, String)> {
        let v: Value = serde_json::from_str(doc).map_err(|e| (".".into(), e.to_string()))?;
        from_value::<Outer>(&v).map_err(|(p, e)| (p, e.to_string()))
    }

    #[test]
    fn reads_what_serde_json_reads() {
        let doc = r#"{"rules": [{"id": "a", "weight": 0.5, "kind": "fancy"}, {"id": "b", "weight": 2}],
            "named": {"x": {"id": "c"}}, "limit": 7, "raw": {"k": [1, -2, 3.5, null, true, "s"]}}"#;
        let v: Value = serde_json::from_str(doc).unwrap_or_default();
        let ours = read(doc);
        let theirs: Result<Outer, _> = serde_json::from_value(v);
        match (ours, theirs) {
            (Ok(a), Ok(b)) => assert_eq!(a, b),
            (a, b) => panic!("ours {a:?}, serde_json {b:?}"),
        }
    }

    #[test]
    fn errors_name_the_path_and_say_what() {
        let rows: &[(&str, &str, &str, &str)] = &[
            (
                "unknown field",
                r#"{"nope": 1}"#,
                "nope",
                "unknown field `nope`",
            ),
            (
                "unknown nested field",
                r#"{"rules": [{"id": "a", "x": 1}]}"#,
                "rules[0].x",
                "unknown field `x`",
            ),
            (
                "missing field",
                r#"{"rules": [{"id": "a"}, {}]}"#,
                "rules[1]",
                "missing field `id`",
            ),
            (
                "wrong type",
                r#"{"named": {"k": {"id": 5}}}"#,
                "named.k.id",
                "invalid type: integer `5`, expected a string",
            ),
            (
                "null for a string",
                r#"{"rules": [{"id": null}]}"#,
                "rules[0].id",
                "invalid type: null, expected a string",
            ),
            (
                "out of range",
                r#"{"limit": 5000000000}"#,
                "limit",
                "invalid value: integer `5000000000`, expected u32",
            ),
            (
                "float for an integer",
                r#"{"limit": 1.5}"#,
                "limit",
                "invalid type: floating point `1.5`, expected u32",
            ),
            (
                "unknown variant",
                r#"{"rules": [{"id": "a", "kind": "odd"}]}"#,
                "rules[0].kind",
                "unknown variant `odd`",
            ),
            (
                "struct as an array",
                r#"{"rules": [["a"]]}"#,
                "rules[0]",
                "must be a JSON object",
            ),
            (
                "map as an array",
                r#"{"named": []}"#,
                "named",
                "must be a JSON object",
            ),
            (
                "document as an array",
                r#"[]"#,
                ".",
                "must be a JSON object",
            ),
            (
                "list as an object",
                r#"{"rules": {}}"#,
                "rules",
                "invalid type: map, expected a sequence",
            ),
        ];
        for (name, doc, path, message) in rows {
            match read(doc) {
                Ok(v) => panic!("{name}: read as {v:?}"),
                Err((p, m)) => {
                    assert_eq!(p, *path, "{name}: {m}");
                    assert!(m.starts_with(message), "{name}: {m}");
                }
            }
        }
    }
}

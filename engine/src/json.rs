//! JSON read strictly: one document, one value per key.
//!
//! Request bodies and tool-call arguments are read by the engine and again by the upstream. When
//! a document holds the same key twice, parsers disagree on what it says (serde_json, Go and
//! Python keep the last scalar, Go merges two objects), so the engine refuses it instead of
//! guessing. Everything else follows serde_json's own limits, its recursion limit included.

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::map::Entry;
use serde_json::{Map, Value};

use crate::quote::quoted;

/// JSON with serde_json's own limits, except that an object holding the same key twice is a
/// data error (`Category::Data`) instead of keeping the last value. Request bodies and tool-call
/// arguments are both read with it.
pub fn parse_strict(json: &[u8]) -> Result<Value, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(json);
    let value = StrictValue.deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// `map[key]`, read by comparing keys when the object is small (most of a request's are): a
/// lookup in serde_json's map hashes the key with SipHash, which costs more than comparing a
/// few short keys.
pub fn field<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    const SCANNED: usize = 16;
    if map.len() > SCANNED {
        return map.get(key);
    }
    map.iter().find_map(|(k, v)| (k == key).then_some(v))
}

/// [`field`] of `v` when it is an object (`v.get(key)`, without the hash for a small one).
pub fn member<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    match v {
        Value::Object(map) => field(map, key),
        _ => None,
    }
}

const DUPLICATE: &str = "duplicate key ";

/// The key (quoted and bounded, as [`quoted`] writes it) when `e` is [`parse_strict`]'s
/// duplicate-key error.
pub fn duplicate_key(e: &serde_json::Error) -> Option<String> {
    let text = e.to_string();
    let rest = text.strip_prefix(DUPLICATE)?;
    // `rest` is the quoted key, then serde_json's " at line L column C".
    let key = rest.rsplit_once(" at line ").map_or(rest, |(k, _)| k);
    Some(key.to_string())
}

/// Builds a [`Value`] like serde_json does, but fails on a duplicate key instead of keeping the
/// last value. serde_json's recursion limit applies unchanged (it is the deserializer's).
struct StrictValue;

impl<'de> DeserializeSeed<'de> for StrictValue {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictValue {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        StrictValue.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element_seed(StrictValue)? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            // One lookup per key: the vacant entry takes the value once it is read.
            match map.entry(key) {
                Entry::Occupied(e) => {
                    return Err(de::Error::custom(format!("{DUPLICATE}{}", quoted(e.key()))));
                }
                Entry::Vacant(e) => {
                    e.insert(access.next_value_seed(StrictValue)?);
                }
            }
        }
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_parse_equals_serde_json_without_duplicates() {
        let many: String = (0..40)
            .map(|i| format!(r#""k{i}":[{i},{{"a":{i}}}],"#))
            .collect();
        let rows = [
            r#"{"a":[1,-2,3.5,true,null,"s\u00e9"],"b":{},"c":[],"d":{"e":{"f":[[],[{}]]}}}"#
                .to_string(),
            format!(r#"{{{many}"last":{{{}"x":1}}}}"#, many.clone()),
            "[1,[2,[3,{\"a\":[4]}]],5]".to_string(),
            "\"text\"".to_string(),
        ];
        for json in rows {
            let want: Value = serde_json::from_str(&json).unwrap();
            let got = parse_strict(json.as_bytes()).unwrap();
            assert_eq!(got, want, "{json}");
            // Key order kept (the forwarded body is re-encoded from it).
            assert_eq!(got.to_string(), want.to_string(), "{json}");
        }
    }

    #[test]
    fn duplicates_are_found_in_small_and_large_objects() {
        let many: String = (0..30).map(|i| format!(r#""k{i}":{i},"#)).collect();
        let rows = [
            (r#"{"a":1,"a":2}"#.to_string(), "\"a\""),
            (r#"{"x":[{"b":1,"c":{"b":2},"b":3}]}"#.to_string(), "\"b\""),
            // Objects of more keys than `field` compares.
            (format!(r#"{{{many}"k3":0}}"#), "\"k3\""),
            (format!(r#"{{{many}"k29":0}}"#), "\"k29\""),
            // The duplicate is reported before a later syntax error, as before.
            (r#"{"a":1,"a":}"#.to_string(), "\"a\""),
            (format!(r#"{{{many}"k0":}}"#), "\"k0\""),
        ];
        for (json, key) in rows {
            let e = parse_strict(json.as_bytes()).unwrap_err();
            assert_eq!(duplicate_key(&e).as_deref(), Some(key), "{json}: {e}");
        }
    }
}

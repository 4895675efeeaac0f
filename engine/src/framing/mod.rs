//! Incremental framing of streamed response bodies.
//!
//! The network splits a stream anywhere: inside an event, inside a line, inside a UTF-8 sequence.
//! Framers keep the partial frame across chunks (bounded by `limits.max_frame_bytes`) and hand out
//! whole frames as byte ranges of what they were fed, so a frame that needs no change can be
//! re-emitted byte for byte.

pub mod bytes;
pub mod choice;
mod lines;
pub mod ndjson;
pub mod sse;

/// The framer's buffer grew past its bound: a frame longer than `max_frame_bytes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameTooLarge;

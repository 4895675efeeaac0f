//! Bodies of unknown type: redacted as one text stream.
//!
//! Bytes are decoded as UTF-8 incrementally (an incomplete sequence at a chunk's end waits for the
//! next chunk); invalid bytes become U+FFFD, which cannot be part of any secret, so nothing is
//! skipped silently.

use super::{Ctx, Lane, StreamProcessor};
use crate::api::errors::Refusal;

#[derive(Default)]
pub struct TextStream {
    carry: Vec<u8>,
    lane: Lane,
    /// Plain text has no frames to keep whole: released text is the output either way.
    diverged: bool,
}

impl TextStream {
    fn decode(&mut self, chunk: &[u8]) -> String {
        self.carry.extend_from_slice(chunk);
        let valid_up_to = match std::str::from_utf8(&self.carry) {
            Ok(_) => self.carry.len(),
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(_) => self.carry.len(),
        };
        let rest = self.carry.split_off(valid_up_to);
        let text = String::from_utf8_lossy(&self.carry).into_owned();
        self.carry = rest;
        text
    }
}

impl StreamProcessor for TextStream {
    fn push(&mut self, ctx: &mut Ctx<'_>, chunk: &[u8], out: &mut Vec<u8>) -> Result<(), Refusal> {
        let text = self.decode(chunk);
        let released = ctx.push_text(&mut self.lane, &text, "body", &mut self.diverged);
        out.extend(released.into_bytes());
        match ctx.terminate.clone() {
            Some(r) => Err(r),
            None => Ok(()),
        }
    }

    fn finish(&mut self, ctx: &mut Ctx<'_>, out: &mut Vec<u8>) {
        let tail = String::from_utf8_lossy(&std::mem::take(&mut self.carry)).into_owned();
        let mut released = ctx.push_text(&mut self.lane, &tail, "body", &mut self.diverged);
        released.push_str(&ctx.finish_text(&mut self.lane, &"body", &mut self.diverged));
        out.extend(released.into_bytes());
    }
}

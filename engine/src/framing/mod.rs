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

/// What the framers' tests read of a framer, so one check cuts a stream for both.
#[cfg(test)]
pub(crate) trait TestFramer: Default {
    fn push(&mut self, chunk: &[u8], out: &mut Vec<std::ops::Range<usize>>);
    fn read<'a>(&'a self, chunk: &'a [u8]) -> &'a [u8];
    fn rest(&mut self) -> Vec<u8>;
}

#[cfg(test)]
macro_rules! test_framers {
    ($($framer:ty),*) => {$(
        impl TestFramer for $framer {
            fn push(&mut self, chunk: &[u8], out: &mut Vec<std::ops::Range<usize>>) {
                self.push_ranges(chunk, 1 << 20, out).unwrap();
            }
            fn read<'a>(&'a self, chunk: &'a [u8]) -> &'a [u8] {
                self.buffer(chunk)
            }
            fn rest(&mut self) -> Vec<u8> {
                self.take_pending()
            }
        }
    )*};
}

#[cfg(test)]
test_framers!(ndjson::NdjsonFramer, sse::SseFramer);

/// The frames of `stream` cut into three chunks at `a` and `b`, each read where the push's
/// ranges say (the chunk itself when nothing was pending, else the buffer), and what is left
/// pending.
#[cfg(test)]
fn frames_of_three<F: TestFramer>(stream: &[u8], a: usize, b: usize) -> (Vec<Vec<u8>>, Vec<u8>) {
    let mut f = F::default();
    let mut out = Vec::new();
    for chunk in [&stream[..a], &stream[a..b], &stream[b..]] {
        let mut ranges = Vec::new();
        f.push(chunk, &mut ranges);
        out.extend(ranges.into_iter().map(|r| f.read(chunk)[r].to_vec()));
    }
    (out, f.rest())
}

/// `stream` in three chunks, cut at every pair of points, gives `frames` frames and `rest` left
/// pending, the same frames every time.
#[cfg(test)]
pub(crate) fn same_frames_in_three_chunks<F: TestFramer>(
    stream: &[u8],
    frames: usize,
    rest: &[u8],
) {
    let whole = frames_of_three::<F>(stream, 0, 0);
    assert_eq!(whole.0.len(), frames);
    assert_eq!(whole.1, rest);
    for a in 0..=stream.len() {
        for b in a..=stream.len() {
            assert_eq!(frames_of_three::<F>(stream, a, b), whole, "{a} {b}");
        }
    }
}

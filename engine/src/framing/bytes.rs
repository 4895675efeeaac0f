//! The byte loops a stream runs over every event: finding a line end (the framers), comparing an
//! event's literal bytes with its learned shape and finding where a JSON string's contents stop
//! (`response::passthrough`).
//!
//! In the wasm module the library routines are slow where natively they are not: `memcmp` is
//! compiler-builtins' loop of one byte per step (glibc's natively), and `memchr`'s portable
//! fallback reads wasm32's 4-byte `usize` (SIMD natively). V8 runs 64-bit integer operations
//! natively, so on wasm32 both loops read 8-byte words; elsewhere they are the library's. Both
//! forms are compiled and tested on every target; the build picks one.

const LO: u64 = u64::from_le_bytes([1; 8]);
const HI: u64 = u64::from_le_bytes([0x80; 8]);

/// The word at the start of an 8-byte chunk.
fn word(chunk: &[u8]) -> u64 {
    <[u8; 8]>::try_from(chunk).map_or(0, u64::from_le_bytes)
}

/// Where the first LF or CR in `hay` is.
pub fn line_end(hay: &[u8]) -> Option<usize> {
    if cfg!(target_arch = "wasm32") {
        line_end_words(hay)
    } else {
        memchr::memchr2(b'\n', b'\r', hay)
    }
}

/// [`line_end`] a word at a time.
pub(crate) fn line_end_words(hay: &[u8]) -> Option<usize> {
    let lf = LO * u64::from(b'\n');
    let cr = LO * u64::from(b'\r');
    let mut words = hay.chunks_exact(8);
    let mut at = 0;
    for w in &mut words {
        let (a, b) = (word(w) ^ lf, word(w) ^ cr);
        // A zero byte of `a` or `b` is a match. The lowest flag is exact (a borrow only
        // flags bytes above a zero one), and little-endian puts the first byte lowest.
        let zero = (a.wrapping_sub(LO) & !a | b.wrapping_sub(LO) & !b) & HI;
        if zero != 0 {
            return Some(at + zero.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    words
        .remainder()
        .iter()
        .position(|c| matches!(c, b'\n' | b'\r'))
        .map(|p| at + p)
}

/// Where `needle` occurs in `hay` (a plain loop: the events it reads are short, and `memmem`'s
/// searchers would add their code to the module for nothing).
pub fn find_all<'a>(hay: &'a [u8], needle: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
    hay.windows(needle.len().max(1))
        .enumerate()
        .filter(move |(_, w)| *w == needle)
        .map(|(i, _)| i)
}

/// Whether `a` and `b` are the same bytes.
pub fn same(a: &[u8], b: &[u8]) -> bool {
    if cfg!(target_arch = "wasm32") {
        same_words(a, b)
    } else {
        a == b
    }
}

/// [`same`] a word at a time.
pub(crate) fn same_words(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (mut x, mut y) = (a.chunks_exact(8), b.chunks_exact(8));
    if !(&mut x).zip(&mut y).all(|(p, q)| word(p) == word(q)) {
        return false;
    }
    x.remainder().iter().zip(y.remainder()).all(|(p, q)| p == q)
}

/// Where the first byte of `hay` that can stop a JSON string's contents is (`"`, `\\` or a control
/// character below 0x20), and whether every byte before it is ASCII. A word at a time on every
/// target (no library routine does this).
pub fn string_stop(hay: &[u8]) -> (Option<usize>, bool) {
    let quote = LO * u64::from(b'"');
    let backslash = LO * u64::from(b'\\');
    let mut words = hay.chunks_exact(8);
    let mut at = 0;
    let mut high = 0u64;
    for w in &mut words {
        let x = word(w);
        let (q, b) = (x ^ quote, x ^ backslash);
        // Zero bytes of `q` and `b`, and bytes of `x` below 0x20: the lowest flag is exact, as in
        // `line_end_words`.
        let stop =
            (q.wrapping_sub(LO) & !q | b.wrapping_sub(LO) & !b | x.wrapping_sub(LO * 0x20) & !x)
                & HI;
        if stop != 0 {
            let before = (1u64 << stop.trailing_zeros()) - 1;
            return (
                Some(at + stop.trailing_zeros() as usize / 8),
                (high | x & before & HI) == 0,
            );
        }
        high |= x & HI;
        at += 8;
    }
    let rest = words.remainder();
    let end = rest
        .iter()
        .position(|c| matches!(c, b'"' | b'\\') || *c < 0x20);
    let before = rest.get(..end.unwrap_or(rest.len())).unwrap_or_default();
    (end.map(|p| at + p), high == 0 && before.is_ascii())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn line_end_words_finds_what_memchr_finds() {
        let mut hay = vec![b'a'; 40];
        assert_eq!(line_end_words(&hay), None);
        assert_eq!(line_end_words(&[]), None);
        for len in 0..=hay.len() {
            for at in 0..len {
                for (end, other) in [(b'\n', b'\r'), (b'\r', b'\n')] {
                    hay[at] = end;
                    let want = memchr::memchr2(b'\n', b'\r', &hay[..len]);
                    assert_eq!(line_end_words(&hay[..len]), want, "{len} {at}");
                    // A later line end of the other kind does not move the first.
                    if at + 1 < len {
                        hay[at + 1] = other;
                        assert_eq!(line_end_words(&hay[..len]), Some(at), "{len} {at}");
                        hay[at + 1] = b'a';
                    }
                    hay[at] = b'a';
                }
            }
        }
        // Bytes one above and one below the targets (a borrow across bytes) are not matches.
        let near = b"\x0b\x0c\x0e\x09\x0b\x0c\x0e\x09\x0b\x0c\x0e\x09\xff\x80\x00\x01\n";
        assert_eq!(line_end_words(near), Some(near.len() - 1));
    }

    #[test]
    fn string_stop_finds_the_first_stop_and_reads_ascii() {
        let plain = |hay: &[u8]| {
            let end = hay
                .iter()
                .position(|c| matches!(c, b'"' | b'\\') || *c < 0x20);
            let ascii = hay[..end.unwrap_or(hay.len())].is_ascii();
            (end, ascii)
        };
        let mut hay = vec![b'a'; 40];
        assert_eq!(string_stop(&hay), (None, true));
        for len in 0..=hay.len() {
            for at in 0..len {
                for stop in [b'"', b'\\', 0x00, 0x1f, b'\n'] {
                    hay[at] = stop;
                    assert_eq!(string_stop(&hay[..len]), plain(&hay[..len]), "{len} {at}");
                    // A non-ASCII byte before the stop, and one after it.
                    for other in [0..at, at + 1..len] {
                        for o in other {
                            hay[o] = 0xc3;
                            assert_eq!(string_stop(&hay[..len]), plain(&hay[..len]), "{o}");
                            hay[o] = b'a';
                        }
                    }
                    hay[at] = b'a';
                }
            }
        }
        // Neighbours of the stops (0x20, 0x21, 0x5b, 0x5d, 0x80, 0xff) do not stop.
        let near = b" !#[]\x7f\x80\xff \x21\x23\x5b\x5d";
        assert_eq!(string_stop(near), (None, false));
        assert_eq!(string_stop(b" !#[]~{} !#[]~{}\""), (Some(16), true));
    }

    #[test]
    fn same_words_agrees_with_eq() {
        let a: Vec<u8> = (0..40u8).collect();
        for len in 0..=a.len() {
            assert!(same_words(&a[..len], &a[..len]));
            assert!(!same_words(&a[..len], &a[..len.saturating_sub(1)]) || len == 0);
            for at in 0..len {
                let mut b = a[..len].to_vec();
                b[at] ^= 0x20;
                assert!(!same_words(&a[..len], &b), "{len} {at}");
            }
        }
    }
}

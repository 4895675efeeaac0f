//! The two byte loops a stream runs over every event: finding a line end (the framers) and
//! comparing an event's literal bytes with its learned shape (`response::passthrough`).
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

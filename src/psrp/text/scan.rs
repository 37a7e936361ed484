//! Finding — and copying — the run of "plain" characters at the start of a
//! string: printable ASCII (0x20–0x7E) except `&`, `<`, `>` and `_`, which
//! the encoder copies as they stand (one byte each). This is where encoding
//! spends most of its time, so on x86-64 it takes 16 units at a time with
//! SSE2 (part of the x86-64 baseline, so always there); elsewhere, and for
//! the tail, one unit at a time. Both give the same answer: a property test
//! compares them.
//!
//! The vector path first packs 16 units into 16 bytes with *saturating*
//! packs, which keep plain-ness exactly: a plain unit packs to itself, any
//! unit above 0xFF to 0xFF and any negative one to 0, neither of which is
//! plain. One test on the 16 bytes then decides for the 16 units — using
//! signed byte compares, under which every byte with the top bit set reads
//! as negative and so fails "above 0x1F" — and the packed bytes are what the
//! encoder writes.

/// Whether `c` is copied as it stands.
#[inline]
pub(super) fn is_plain(c: u32) -> bool {
    (0x20..0x7F).contains(&c) && !matches!(c, 0x26 | 0x3C | 0x3E | 0x5F)
}

/// A code unit: 1, 2 or 4 bytes, whose value as `u32` is `value`.
pub(super) trait Lane: Copy {
    /// The unit as a number (`i32` units as their bits).
    fn value(self) -> u32;

    /// The number of plain units at the start of `units`.
    #[inline]
    fn plain_run(units: &[Self]) -> usize {
        #[cfg(target_arch = "x86_64")]
        {
            sse2::blocks(units, |_, _, _| {})
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            plain_run_scalar(units)
        }
    }

    /// Appends the plain units at the start of `units` to `out`, a byte
    /// each, and returns how many there were.
    #[inline]
    fn copy_plain(units: &[Self], out: &mut Vec<u8>) -> usize {
        #[cfg(target_arch = "x86_64")]
        {
            let n = sse2::blocks(units, |packed, skip, plain| {
                sse2::append(out, packed, skip, plain)
            });
            if units.len() < 8 {
                // A short string: scanned one unit at a time, copied so.
                out.extend(units[..n].iter().map(|u| u.value() as u8));
            }
            n
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            let n = plain_run_scalar(units);
            out.extend(units[..n].iter().map(|u| u.value() as u8));
            n
        }
    }
}

impl Lane for u8 {
    #[inline(always)]
    fn value(self) -> u32 {
        u32::from(self)
    }
}

impl Lane for u16 {
    #[inline(always)]
    fn value(self) -> u32 {
        u32::from(self)
    }
}

impl Lane for u32 {
    #[inline(always)]
    fn value(self) -> u32 {
        self
    }
}

impl Lane for i32 {
    #[inline(always)]
    fn value(self) -> u32 {
        self as u32
    }
}

/// The number of plain units at the start of `units`, one at a time: the
/// path off x86-64, and the oracle the vector path is tested against.
#[inline]
pub(super) fn plain_run_scalar<U: Lane>(units: &[U]) -> usize {
    units
        .iter()
        .position(|&u| !is_plain(u.value()))
        .unwrap_or(units.len())
}

#[cfg(target_arch = "x86_64")]
mod sse2 {
    use std::arch::x86_64::{
        __m128i, _mm_and_si128, _mm_andnot_si128, _mm_cmpeq_epi8, _mm_cmpgt_epi8, _mm_cmplt_epi8,
        _mm_loadl_epi64, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_packs_epi32,
        _mm_packus_epi16, _mm_set1_epi8, _mm_setzero_si128, _mm_storeu_si128,
    };

    use super::Lane;

    /// Loads 16 units from the start of `units` (which has at least 16) and
    /// packs them, saturating, into 16 bytes.
    #[inline(always)]
    fn pack16<U: Lane>(units: &[U]) -> __m128i {
        debug_assert!(units.len() >= 16);
        let p = units.as_ptr().cast::<__m128i>();
        // SAFETY: the 16 units are inside the slice, i.e. 16 × size_of::<U>()
        // readable bytes from `p`: 1, 2 or 4 unaligned 16-byte loads. SSE2 is
        // part of the x86-64 baseline; the packs compute on registers.
        unsafe {
            match size_of::<U>() {
                1 => _mm_loadu_si128(p),
                2 => _mm_packus_epi16(_mm_loadu_si128(p), _mm_loadu_si128(p.add(1))),
                _ => _mm_packus_epi16(
                    _mm_packs_epi32(_mm_loadu_si128(p), _mm_loadu_si128(p.add(1))),
                    _mm_packs_epi32(_mm_loadu_si128(p.add(2)), _mm_loadu_si128(p.add(3))),
                ),
            }
        }
    }

    /// Loads 8 units from the start of `units` (which has at least 8) and
    /// packs them, saturating, into the low 8 bytes; the high 8 are zero,
    /// which is not plain.
    #[inline(always)]
    fn pack8<U: Lane>(units: &[U]) -> __m128i {
        debug_assert!(units.len() >= 8);
        let p = units.as_ptr().cast::<__m128i>();
        // SAFETY: the 8 units are inside the slice, i.e. 8 × size_of::<U>()
        // readable bytes from `p`: one 8-byte load, or 1 or 2 unaligned
        // 16-byte loads. SSE2 is part of the x86-64 baseline.
        unsafe {
            let zero = _mm_setzero_si128();
            match size_of::<U>() {
                1 => _mm_loadl_epi64(p),
                2 => _mm_packus_epi16(_mm_loadu_si128(p), zero),
                _ => _mm_packus_epi16(
                    _mm_packs_epi32(_mm_loadu_si128(p), _mm_loadu_si128(p.add(1))),
                    zero,
                ),
            }
        }
    }

    /// Bit i set when byte i of `v` is plain.
    #[inline(always)]
    fn plain_mask(v: __m128i) -> u32 {
        // SAFETY: SSE2 is part of the x86-64 baseline; register operations only.
        unsafe {
            let printable = _mm_and_si128(
                _mm_cmpgt_epi8(v, _mm_set1_epi8(0x1F)),
                _mm_cmplt_epi8(v, _mm_set1_epi8(0x7F)),
            );
            let special = _mm_or_si128(
                _mm_or_si128(
                    _mm_cmpeq_epi8(v, _mm_set1_epi8(0x26)),
                    _mm_cmpeq_epi8(v, _mm_set1_epi8(0x3C)),
                ),
                _mm_or_si128(
                    _mm_cmpeq_epi8(v, _mm_set1_epi8(0x3E)),
                    _mm_cmpeq_epi8(v, _mm_set1_epi8(0x5F)),
                ),
            );
            _mm_movemask_epi8(_mm_andnot_si128(special, printable)) as u32
        }
    }

    /// Appends bytes `skip..skip + n` of `packed` to `out`, whose last
    /// `skip` bytes are already bytes `..skip` of `packed` (the same units,
    /// copied by the block before): the 16 bytes are stored `skip` bytes
    /// back, rewriting those with their own values.
    #[inline(always)]
    pub(super) fn append(out: &mut Vec<u8>, packed: __m128i, skip: usize, n: usize) {
        debug_assert!(skip + n <= 16 && skip <= out.len());
        out.reserve(16);
        let len = out.len();
        // SAFETY: `reserve(16)` made room for 16 bytes after `len`, so the 16
        // bytes from `len - skip` (≥ 0, see above) are inside the allocation;
        // the store is unaligned. The `skip` bytes before `len` are rewritten
        // with the values they hold; of the rest only the first `n` are made
        // part of the vector, and they were just written.
        unsafe {
            _mm_storeu_si128(out.as_mut_ptr().add(len - skip).cast::<__m128i>(), packed);
            out.set_len(len + n);
        }
    }

    /// Walks the plain units at the start of `units`, 16 at a time, handing
    /// each block's packed bytes to `take(packed, skip, n)`: the block's
    /// plain units are bytes `skip..skip + n` of `packed`. The tail (fewer
    /// than 16 units) is the last 16 units of `units`, loaded overlapping the
    /// block before (so `skip` is the overlap); no store and reload of a
    /// padded copy, which stalls store-to-load forwarding. A string of 8 to 15
    /// units is two blocks of 8 (the second overlapping); one of fewer than 8
    /// is scanned one unit at a time and not handed to `take`: the caller
    /// copies those units itself. Returns the number of plain units.
    #[inline(always)]
    pub(super) fn blocks<U: Lane>(
        units: &[U],
        mut take: impl FnMut(__m128i, usize, usize),
    ) -> usize {
        let len = units.len();
        if len < 16 {
            if len < 8 {
                return super::plain_run_scalar(units);
            }
            // 8 to 15 units: two blocks of 8, the second overlapping the first.
            let packed = pack8(units);
            let plain = plain_mask(packed).trailing_ones() as usize;
            take(packed, 0, plain);
            if plain < 8 {
                return plain;
            }
            let skip = 16 - len;
            let packed = pack8(&units[len - 8..]);
            let more = (plain_mask(packed) >> skip).trailing_ones() as usize;
            take(packed, skip, more);
            return 8 + more;
        }
        let mut at = 0;
        while len - at >= 16 {
            let packed = pack16(&units[at..]);
            let plain = plain_mask(packed).trailing_ones() as usize;
            take(packed, 0, plain);
            at += plain;
            if plain < 16 {
                return at;
            }
        }
        let tail = len - at;
        if tail == 0 {
            return at;
        }
        let skip = 16 - tail;
        let packed = pack16(&units[len - 16..]);
        let plain = (plain_mask(packed) >> skip).trailing_ones() as usize;
        take(packed, skip, plain);
        at + plain
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn unit() -> impl Strategy<Value = u32> {
        prop_oneof![
            6 => 0x20u32..0x7F,
            2 => prop::sample::select(vec![0u32, 0x1F, 0x20, 0x26, 0x3C, 0x3E, 0x5F, 0x7E, 0x7F, 0x80, 0xFF, 0x100, 0x126, 0x13C, 0x7FFF, 0x8000, 0x8026, 0xFFFF, 0x1_0000, 0x1_0041, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FF41, 0xFFFF_FFFF]),
            1 => any::<u32>(),
        ]
    }

    /// Both answers of the vector path (count, and copy) against the scalar one.
    fn agree<U: Lane>(units: &[U]) {
        let expect = plain_run_scalar(units);
        assert_eq!(U::plain_run(units), expect);
        let mut out = vec![b'!'];
        assert_eq!(U::copy_plain(units, &mut out), expect);
        let bytes: Vec<u8> = units[..expect].iter().map(|u| u.value() as u8).collect();
        assert_eq!(&out[1..], &bytes[..]);
    }

    fn all_widths(units: &[u32]) {
        agree(units);
        agree(&units.iter().map(|&u| u as i32).collect::<Vec<_>>());
        agree(&units.iter().map(|&u| u as u16).collect::<Vec<_>>());
        agree(&units.iter().map(|&u| u as u8).collect::<Vec<_>>());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn vector_and_scalar_scans_agree(units in prop::collection::vec(unit(), 0..80)) {
            all_widths(&units);
        }
    }

    #[test]
    fn every_length_with_a_stop_at_every_position() {
        // Lengths around the 8- and 16-unit blocks and their overlapping tails.
        for len in 0..48 {
            all_widths(&vec![0x41u32; len]);
            for at in 0..len {
                for v in [0u32, 0x26, 0x5F, 0x7F, 0x141, 0x8000_0041] {
                    let mut u = vec![0x41u32; len];
                    u[at] = v;
                    all_widths(&u);
                }
            }
        }
    }

    #[test]
    fn every_value_near_the_edges_at_every_position() {
        let values = (0u32..0x200).chain([
            0x7FFF,
            0x8000,
            0x8020,
            0xFF41,
            0xFFFF,
            0x1_0041,
            0x8000_0041,
            u32::MAX,
        ]);
        for v in values {
            for at in 0..40 {
                let mut u = vec![0x41u32; 40];
                u[at] = v;
                all_widths(&u);
            }
        }
    }
}

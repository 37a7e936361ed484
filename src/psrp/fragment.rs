//! PSRP fragments: a 21-byte header (ObjectId, FragmentId, Start/End flags,
//! blob length, all big-endian) before each piece of a message.

use super::decode::DecodeError;

/// Bytes in a fragment header.
pub const FRAGMENT_HEADER_LEN: usize = 21;
/// The smallest fragment size that can carry data (header plus one byte).
pub const MIN_FRAGMENT_SIZE: u32 = FRAGMENT_HEADER_LEN as u32 + 1;
/// The maximum message size a decoder accepts unless told otherwise: 1 MiB,
/// the same as a pool's default (`host::pool::DEFAULT_MAX_MESSAGE_SIZE`; a
/// test keeps the two equal, so that the decoder takes whatever a default pool
/// sends).
pub const DEFAULT_MAX_MESSAGE_SIZE: usize = 1 << 20;
/// The fragment size PowerShell servers use.
pub const DEFAULT_FRAGMENT_SIZE: u32 = 32_768;

/// Start flag: the first fragment of a message.
pub const FLAG_START: u8 = 0x01;
/// End flag: the last fragment of a message.
pub const FLAG_END: u8 = 0x02;

/// A fragment header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FragmentHeader {
    /// The message's id: unique within a runspace pool, starting at 1.
    pub object_id: u64,
    /// The fragment's position in its message, from 0.
    pub fragment_id: u64,
    /// `FLAG_START` and/or `FLAG_END`.
    pub flags: u8,
    /// Bytes of message data that follow the header.
    pub blob_length: u32,
}

impl FragmentHeader {
    /// The 21 bytes.
    pub fn to_bytes(&self) -> [u8; FRAGMENT_HEADER_LEN] {
        let mut b = [0u8; FRAGMENT_HEADER_LEN];
        b[0..8].copy_from_slice(&self.object_id.to_be_bytes());
        b[8..16].copy_from_slice(&self.fragment_id.to_be_bytes());
        b[16] = self.flags;
        b[17..21].copy_from_slice(&self.blob_length.to_be_bytes());
        b
    }

    /// Reads a header; checks nothing but the length.
    pub fn from_bytes(b: &[u8; FRAGMENT_HEADER_LEN]) -> Self {
        let u64_at = |i: usize| {
            let mut w = [0u8; 8];
            w.copy_from_slice(&b[i..i + 8]);
            u64::from_be_bytes(w)
        };
        FragmentHeader {
            object_id: u64_at(0),
            fragment_id: u64_at(8),
            flags: b[16],
            blob_length: u32::from_be_bytes([b[17], b[18], b[19], b[20]]),
        }
    }

    /// Whether this is the first fragment of its message.
    pub fn is_start(&self) -> bool {
        self.flags & FLAG_START != 0
    }

    /// Whether this is the last fragment of its message.
    pub fn is_end(&self) -> bool {
        self.flags & FLAG_END != 0
    }
}

/// Sends a message as fragments without copying it.
///
/// `buf` holds `FRAGMENT_HEADER_LEN` bytes of room followed by the message.
/// Each fragment's header is written into the bytes just before its piece of
/// the message, and `emit` receives header and piece as one slice, in order.
/// The room before the first piece is the reserved prefix; the room before each
/// later piece is the tail of the piece already emitted, which is put back
/// after the fragment went out: when this returns, the message bytes are as
/// they were (a sender may keep text that lies in them). `fragment_size` must
/// be at least [`MIN_FRAGMENT_SIZE`].
pub fn emit_fragments_in_place(
    buf: &mut [u8],
    object_id: u64,
    fragment_size: u32,
    mut emit: impl FnMut(&[u8]),
) {
    emit_fragments_in_place_with(buf, object_id, fragment_size, |_, f| emit(f));
}

/// [`emit_fragments_in_place`], also handing `emit` each fragment's header
/// as a value (the facts a framing host needs: FragmentId, Start, End), so
/// that nobody parses the 21 bytes back.
pub fn emit_fragments_in_place_with(
    buf: &mut [u8],
    object_id: u64,
    fragment_size: u32,
    mut emit: impl FnMut(&FragmentHeader, &[u8]),
) {
    debug_assert!(fragment_size >= MIN_FRAGMENT_SIZE);
    debug_assert!(buf.len() >= FRAGMENT_HEADER_LEN);
    let blob_max = fragment_size as usize - FRAGMENT_HEADER_LEN;
    let message_len = buf.len() - FRAGMENT_HEADER_LEN;
    let mut offset = 0; // into the message
    let mut fragment_id = 0u64;
    loop {
        let len = (message_len - offset).min(blob_max);
        let last = offset + len == message_len;
        let header = FragmentHeader {
            object_id,
            fragment_id,
            flags: if fragment_id == 0 { FLAG_START } else { 0 } | if last { FLAG_END } else { 0 },
            blob_length: len as u32,
        };
        // The piece starts at FRAGMENT_HEADER_LEN + offset; its header goes just
        // before, over the end of the previous piece, kept to be put back.
        let at = offset;
        let mut kept = [0u8; FRAGMENT_HEADER_LEN];
        if fragment_id > 0 {
            kept.copy_from_slice(&buf[at..at + FRAGMENT_HEADER_LEN]);
        }
        buf[at..at + FRAGMENT_HEADER_LEN].copy_from_slice(&header.to_bytes());
        emit(&header, &buf[at..at + FRAGMENT_HEADER_LEN + len]);
        if fragment_id > 0 {
            buf[at..at + FRAGMENT_HEADER_LEN].copy_from_slice(&kept);
        }
        if last {
            break;
        }
        offset += len;
        fragment_id += 1;
    }
}

/// Appends the fragments of `message` to `out`: a self-contained stream as a
/// PowerShell server would send it.
pub fn fragment_message(message: &[u8], object_id: u64, fragment_size: u32, out: &mut Vec<u8>) {
    assert!(
        fragment_size >= MIN_FRAGMENT_SIZE,
        "a fragment size below {MIN_FRAGMENT_SIZE} cannot carry data"
    );
    let mut buf = vec![0u8; FRAGMENT_HEADER_LEN];
    buf.extend_from_slice(message);
    emit_fragments_in_place(&mut buf, object_id, fragment_size, |f| {
        out.extend_from_slice(f)
    });
}

/// A fragment's header and its blob, borrowed from the stream.
pub type Fragment<'a> = (FragmentHeader, &'a [u8]);

/// The first fragment of `stream` and the bytes after it; a
/// [`DecodeError::Truncated`] when `stream` ends inside the fragment.
pub fn take_fragment(stream: &[u8]) -> Result<(Fragment<'_>, &[u8]), DecodeError> {
    let Some((head, rest)) = stream.split_first_chunk::<FRAGMENT_HEADER_LEN>() else {
        return Err(DecodeError::Truncated {
            what: "fragment header",
            needed: FRAGMENT_HEADER_LEN,
            available: stream.len(),
        });
    };
    let header = FragmentHeader::from_bytes(head);
    let len = header.blob_length as usize;
    if rest.len() < len {
        return Err(DecodeError::Truncated {
            what: "fragment blob",
            needed: len,
            available: rest.len(),
        });
    }
    let (blob, tail) = rest.split_at(len);
    Ok(((header, blob), tail))
}

/// Splits a byte stream into fragments, checking each header's length field
/// against the bytes that are there.
pub fn split_fragments(
    mut stream: &[u8],
) -> impl Iterator<Item = Result<Fragment<'_>, DecodeError>> {
    std::iter::from_fn(move || {
        if stream.is_empty() {
            return None;
        }
        match take_fragment(stream) {
            Ok((fragment, rest)) => {
                stream = rest;
                Some(Ok(fragment))
            }
            Err(e) => {
                stream = &[];
                Some(Err(e))
            }
        }
    })
}

/// Reassembles messages from the fragments of one stream, checking the rules a
/// PowerShell client checks: ObjectId not 0, FragmentIds in sequence from 0,
/// Start on the first fragment only, no other message's fragment in between,
/// and no message above a maximum size.
///
/// A fragment can be taken whole ([`Defragmenter::push`]) or as it arrives:
/// [`Defragmenter::begin`] checks its header before any of its data is there,
/// [`Defragmenter::append`] adds data to the message under way (each byte is
/// copied once, never recopied), and [`Defragmenter::end_fragment`] returns the
/// message that the fragment completes.
#[derive(Debug)]
pub struct Defragmenter {
    partial: Option<Partial>,
    /// Blob bytes of the current fragment not yet appended.
    blob_remaining: usize,
    max_message_size: usize,
    bytes_copied: u64,
}

#[derive(Debug)]
struct Partial {
    object_id: u64,
    next_fragment_id: u64,
    /// Whether the fragment under way has the End flag.
    ends: bool,
    data: Vec<u8>,
}

impl Default for Defragmenter {
    fn default() -> Self {
        Self::with_max_message_size(DEFAULT_MAX_MESSAGE_SIZE)
    }
}

impl Defragmenter {
    /// A reassembler with the library's default maximum message size
    /// ([`DEFAULT_MAX_MESSAGE_SIZE`], 1 MiB).
    pub fn new() -> Self {
        Self::default()
    }

    /// A reassembler that rejects a message above `max` bytes (message header
    /// included), as soon as a fragment header says it would be.
    pub fn with_max_message_size(max: usize) -> Self {
        Defragmenter {
            partial: None,
            blob_remaining: 0,
            max_message_size: max,
            bytes_copied: 0,
        }
    }

    /// The maximum message size.
    pub fn max_message_size(&self) -> usize {
        self.max_message_size
    }

    /// Checks the header of the next fragment, before its data. On success the
    /// fragment's `blob_length` bytes are expected through [`Self::append`].
    ///
    /// # Panics
    ///
    /// If the previous fragment's data is not all there yet.
    pub fn begin(&mut self, header: &FragmentHeader) -> Result<(), DecodeError> {
        assert_eq!(self.blob_remaining, 0, "a fragment is under way");
        if header.object_id == 0 {
            return Err(DecodeError::ObjectIdZero);
        }
        if header.flags & !(FLAG_START | FLAG_END) != 0 {
            return Err(DecodeError::InvalidFlags(header.flags));
        }
        if header.blob_length == 0 {
            return Err(DecodeError::EmptyFragment {
                object_id: header.object_id,
                fragment_id: header.fragment_id,
            });
        }
        match &self.partial {
            None => {
                if !header.is_start() || header.fragment_id != 0 {
                    return Err(DecodeError::FragmentOutOfSequence {
                        object_id: header.object_id,
                        expected: 0,
                        found: header.fragment_id,
                    });
                }
            }
            Some(p) => {
                if header.object_id != p.object_id {
                    return Err(DecodeError::Interleaved {
                        expected: p.object_id,
                        found: header.object_id,
                    });
                }
                if header.is_start() || header.fragment_id != p.next_fragment_id {
                    return Err(DecodeError::FragmentOutOfSequence {
                        object_id: header.object_id,
                        expected: p.next_fragment_id,
                        found: header.fragment_id,
                    });
                }
            }
        }
        let have = self.partial.as_ref().map_or(0, |p| p.data.len());
        let size = have as u64 + u64::from(header.blob_length);
        if size > self.max_message_size as u64 {
            return Err(DecodeError::MessageTooLarge {
                object_id: header.object_id,
                size,
                max: self.max_message_size,
            });
        }
        let partial = self.partial.get_or_insert_with(|| Partial {
            object_id: header.object_id,
            next_fragment_id: 0,
            ends: false,
            data: Vec::new(),
        });
        partial.ends = header.is_end();
        partial.next_fragment_id += 1;
        // Room for the whole blob now (within the maximum, checked above), so
        // that a fragment arriving in small reads is never moved; amortized
        // growth across fragments.
        let blob = header.blob_length as usize;
        if partial.data.capacity() - partial.data.len() < blob {
            // Growing may move what is there: count it as copied.
            self.bytes_copied += partial.data.len() as u64;
            partial.data.reserve(blob);
        }
        self.blob_remaining = blob;
        Ok(())
    }

    /// Appends the next data of the fragment under way: at most what its header
    /// declared is left. Returns how many bytes of `bytes` it took.
    pub fn append(&mut self, bytes: &[u8]) -> usize {
        let n = bytes.len().min(self.blob_remaining);
        if n == 0 {
            return 0;
        }
        let data = &mut self.partial.as_mut().expect("a fragment is under way").data;
        debug_assert!(data.capacity() - data.len() >= n, "room reserved by begin");
        data.extend_from_slice(&bytes[..n]);
        self.bytes_copied += n as u64;
        self.blob_remaining -= n;
        n
    }

    /// Blob bytes of the fragment under way still expected.
    pub fn blob_remaining(&self) -> usize {
        self.blob_remaining
    }

    /// The data of the message under way so far.
    pub fn message_so_far(&self) -> &[u8] {
        self.partial.as_ref().map_or(&[], |p| &p.data)
    }

    /// After the last byte of a fragment: `(object_id, message)` when the
    /// fragment was its message's last.
    ///
    /// # Panics
    ///
    /// If the fragment's data is not all there yet.
    pub fn end_fragment(&mut self) -> Option<(u64, Vec<u8>)> {
        assert_eq!(self.blob_remaining, 0, "the fragment is not complete");
        if self.partial.as_ref()?.ends {
            let p = self.partial.take()?;
            return Some((p.object_id, p.data));
        }
        None
    }

    /// Takes one whole fragment; returns `(object_id, message)` when it completes one.
    pub fn push(
        &mut self,
        header: &FragmentHeader,
        blob: &[u8],
    ) -> Result<Option<(u64, Vec<u8>)>, DecodeError> {
        if blob.len() != header.blob_length as usize {
            return Err(DecodeError::Truncated {
                what: "fragment blob",
                needed: header.blob_length as usize,
                available: blob.len(),
            });
        }
        self.begin(header)?;
        self.append(blob);
        Ok(self.end_fragment())
    }

    /// Whether a message has begun and not ended.
    pub fn in_message(&self) -> bool {
        self.partial.is_some()
    }

    /// The ObjectId of the message under way, if any.
    pub fn current_object_id(&self) -> Option<u64> {
        self.partial.as_ref().map(|p| p.object_id)
    }

    /// Bytes copied into message buffers so far, counting each move of a
    /// buffer that had to grow: a measure of the work done, linear in the
    /// input (once per blob byte for a message in one fragment, fewer than
    /// three times for one in many).
    pub fn bytes_copied(&self) -> u64 {
        self.bytes_copied
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream(message: &[u8], size: u32) -> Vec<u8> {
        let mut out = Vec::new();
        fragment_message(message, 7, size, &mut out);
        out
    }

    fn headers(stream: &[u8]) -> Vec<(FragmentHeader, Vec<u8>)> {
        split_fragments(stream)
            .map(|r| r.map(|(h, b)| (h, b.to_vec())).unwrap())
            .collect()
    }

    #[test]
    fn the_message_bytes_are_as_they_were_after_sending() {
        let message: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
        for size in [22u32, 23, 64, 100, 1021, 4096] {
            let mut buf = vec![0u8; FRAGMENT_HEADER_LEN];
            buf.extend_from_slice(&message);
            let mut sent = Vec::new();
            emit_fragments_in_place(&mut buf, 7, size, |f| sent.extend_from_slice(f));
            assert_eq!(&buf[FRAGMENT_HEADER_LEN..], &message[..], "size {size}");
            assert_eq!(sent, stream(&message, size), "size {size}");
        }
    }

    #[test]
    fn the_headers_handed_over_are_the_ones_written() {
        let message: Vec<u8> = (0..=255u8).cycle().take(300).collect();
        for size in [22u32, 50, 321, 1000] {
            let mut buf = vec![0u8; FRAGMENT_HEADER_LEN];
            buf.extend_from_slice(&message);
            let mut given = Vec::new();
            emit_fragments_in_place_with(&mut buf, 9, size, |h, f| {
                let written =
                    FragmentHeader::from_bytes(f[..FRAGMENT_HEADER_LEN].try_into().unwrap());
                given.push((*h, written));
            });
            assert!(given.len() > 1 || size >= 321, "size {size}");
            for (i, (h, written)) in given.iter().enumerate() {
                assert_eq!(h, written, "size {size} fragment {i}");
                assert_eq!(h.fragment_id, i as u64);
                assert_eq!(h.is_start(), i == 0);
                assert_eq!(h.is_end(), i == given.len() - 1);
            }
        }
    }

    #[test]
    fn one_fragment_when_it_fits() {
        let f = headers(&stream(b"hello", 26));
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].0.flags, FLAG_START | FLAG_END);
        assert_eq!(f[0].0.fragment_id, 0);
        assert_eq!(f[0].1, b"hello");
    }

    #[test]
    fn full_plus_one_makes_a_one_byte_tail() {
        let f = headers(&stream(b"hello!", 26));
        assert_eq!(f.len(), 2);
        assert_eq!((f[0].0.flags, f[0].0.blob_length), (FLAG_START, 5));
        assert_eq!(
            (f[1].0.flags, f[1].0.blob_length, f[1].0.fragment_id),
            (FLAG_END, 1, 1)
        );
    }

    #[test]
    fn size_22_carries_a_byte_each() {
        let f = headers(&stream(b"abc", 22));
        let flags: Vec<u8> = f.iter().map(|(h, _)| h.flags).collect();
        assert_eq!(flags, [FLAG_START, 0, FLAG_END]);
        let ids: Vec<u64> = f.iter().map(|(h, _)| h.fragment_id).collect();
        assert_eq!(ids, [0, 1, 2]);
        let data: Vec<u8> = f.iter().flat_map(|(_, b)| b.clone()).collect();
        assert_eq!(data, b"abc");
    }

    #[test]
    fn defragmenter_rejects_bad_sequences() {
        let mut d = Defragmenter::new();
        let h = |object_id, fragment_id, flags| FragmentHeader {
            object_id,
            fragment_id,
            flags,
            blob_length: 1,
        };
        assert_eq!(d.push(&h(0, 0, 3), b"x"), Err(DecodeError::ObjectIdZero));
        assert!(matches!(
            d.push(&h(1, 1, 3), b"x"),
            Err(DecodeError::FragmentOutOfSequence {
                expected: 0,
                found: 1,
                ..
            })
        ));
        assert!(matches!(
            d.push(&h(1, 0, 2), b"x"),
            Err(DecodeError::FragmentOutOfSequence { .. })
        ));
        assert_eq!(d.push(&h(1, 0, 1), b"x"), Ok(None));
        assert_eq!(
            d.push(&h(2, 0, 3), b"x"),
            Err(DecodeError::Interleaved {
                expected: 1,
                found: 2
            })
        );
        let mut d = Defragmenter::new();
        d.push(&h(1, 0, 1), b"a").unwrap();
        assert!(matches!(
            d.push(&h(1, 2, 2), b"b"),
            Err(DecodeError::FragmentOutOfSequence { .. })
        ));
        let mut d = Defragmenter::new();
        d.push(&h(1, 0, 1), b"a").unwrap();
        assert_eq!(d.push(&h(1, 1, 2), b"b"), Ok(Some((1, b"ab".to_vec()))));
        assert_eq!(
            d.push(&h(3, 0, 0x13), b"x"),
            Err(DecodeError::InvalidFlags(0x13))
        );
    }

    #[test]
    fn truncated_streams_are_errors() {
        let s = stream(b"hello", 100);
        let r: Vec<_> = split_fragments(&s[..s.len() - 1]).collect();
        assert!(matches!(
            r[0],
            Err(DecodeError::Truncated {
                what: "fragment blob",
                ..
            })
        ));
        let r: Vec<_> = split_fragments(&s[..10]).collect();
        assert!(matches!(
            r[0],
            Err(DecodeError::Truncated {
                what: "fragment header",
                ..
            })
        ));
    }
}

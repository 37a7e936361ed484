//! The fragment stream as it arrives: [`StreamDecoder`].
//!
//! Each 21-byte fragment header is checked as soon as its last byte is there
//! and each 40-byte message header as soon as its last byte is there, so a
//! malformed stream is reported at the byte that makes it malformed, whatever
//! length a header claims. Fragment data is appended once to the message under
//! way (linear work) and no message may exceed the maximum message size
//! (bounded memory).

use super::{DecodeError, DecodedMessage, check_message_header, decode_message};
use crate::psrp::fragment::{Defragmenter, FRAGMENT_HEADER_LEN, FragmentHeader};
use crate::psrp::message::{MESSAGE_HEADER_LEN, MessageHeader};

/// Decodes a stream of fragments holding records, in order, with the default
/// maximum message size ([`DEFAULT_MAX_MESSAGE_SIZE`](crate::psrp::fragment::DEFAULT_MAX_MESSAGE_SIZE)).
pub fn decode_stream(stream: &[u8]) -> Result<Vec<DecodedMessage>, DecodeError> {
    let mut decoder = StreamDecoder::new();
    let mut messages = Vec::new();
    decoder.push(stream, &mut messages)?;
    decoder.finish()?;
    Ok(messages)
}

/// Decodes a fragment stream that arrives in pieces (from a pipe or socket):
/// [`StreamDecoder::push`] takes whatever bytes came and appends the messages
/// they complete — all of them, also when the bytes after them are malformed; [`StreamDecoder::finish`] says whether the stream ended
/// cleanly. Memory stays below the maximum message size plus a few bytes,
/// whatever the input.
#[derive(Debug, Default)]
pub struct StreamDecoder {
    /// The fragment header being read, and how much of it is there.
    header: [u8; FRAGMENT_HEADER_LEN],
    header_len: usize,
    /// The header of the fragment whose data is being read.
    in_blob: Option<FragmentHeader>,
    /// Whether the message under way has had its message header checked.
    message_checked: bool,
    defrag: Defragmenter,
    offset: u64,
    failed: Option<DecodeError>,
}

impl StreamDecoder {
    /// A decoder at the start of a stream, with the default maximum message size.
    pub fn new() -> Self {
        Self::default()
    }

    /// A decoder that rejects any message above `max` bytes (its 40-byte header
    /// included).
    pub fn with_max_message_size(max: usize) -> Self {
        StreamDecoder {
            defrag: Defragmenter::with_max_message_size(max),
            ..Self::default()
        }
    }

    /// Bytes of the stream taken so far. After an error: the position just
    /// past the byte at which the stream was found malformed.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// Bytes copied into message buffers so far (see
    /// [`Defragmenter::bytes_copied`]): linear in the input.
    pub fn bytes_copied(&self) -> u64 {
        self.defrag.bytes_copied()
    }

    /// Takes the next bytes of the stream and appends the messages they
    /// complete to `out`. On an error, `out` has every message completed
    /// before the malformed byte (so how the stream is cut into calls never
    /// changes which messages come out) and [`StreamDecoder::offset`] says
    /// where. After an error the stream cannot be resumed: every later call
    /// returns the same error and appends nothing.
    pub fn push(&mut self, bytes: &[u8], out: &mut Vec<DecodedMessage>) -> Result<(), DecodeError> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        self.take(bytes, out)
            .inspect_err(|e| self.failed = Some(e.clone()))
    }

    fn take(&mut self, mut bytes: &[u8], out: &mut Vec<DecodedMessage>) -> Result<(), DecodeError> {
        while !bytes.is_empty() {
            if self.in_blob.is_none() {
                let n = (FRAGMENT_HEADER_LEN - self.header_len).min(bytes.len());
                self.header[self.header_len..self.header_len + n].copy_from_slice(&bytes[..n]);
                self.header_len += n;
                self.offset += n as u64;
                bytes = &bytes[n..];
                if self.header_len == FRAGMENT_HEADER_LEN {
                    self.header_len = 0;
                    let header = FragmentHeader::from_bytes(&self.header);
                    self.defrag.begin(&header)?;
                    self.in_blob = Some(header);
                }
                continue;
            }
            let n = self.defrag.append(bytes);
            self.offset += n as u64;
            bytes = &bytes[n..];
            if !self.message_checked {
                if let Some(head) = self
                    .defrag
                    .message_so_far()
                    .first_chunk::<MESSAGE_HEADER_LEN>()
                {
                    self.message_checked = true;
                    if let Err(e) = check_message_header(&MessageHeader::from_bytes(head)) {
                        // Say where: the header's last byte.
                        let past = self.defrag.message_so_far().len() - MESSAGE_HEADER_LEN;
                        self.offset -= past as u64;
                        return Err(e);
                    }
                }
            }
            if self.defrag.blob_remaining() == 0 {
                self.in_blob = None;
                if let Some((object_id, message)) = self.defrag.end_fragment() {
                    self.message_checked = false;
                    let (header, record) = decode_message(&message)?;
                    out.push(DecodedMessage {
                        object_id,
                        header,
                        record,
                    });
                }
            }
        }
        Ok(())
    }

    /// Ends the stream: an error if it stopped inside a fragment or message
    /// (or if it had already failed).
    pub fn finish(self) -> Result<(), DecodeError> {
        if let Some(e) = self.failed {
            return Err(e);
        }
        if self.header_len > 0 {
            return Err(DecodeError::Truncated {
                what: "fragment header",
                needed: FRAGMENT_HEADER_LEN,
                available: self.header_len,
            });
        }
        if let Some(fragment) = self.in_blob {
            let needed = fragment.blob_length as usize;
            return Err(DecodeError::Truncated {
                what: "fragment blob",
                needed,
                available: needed - self.defrag.blob_remaining(),
            });
        }
        if let Some(id) = self.defrag.current_object_id() {
            return Err(DecodeError::UnterminatedMessage(id));
        }
        Ok(())
    }
}

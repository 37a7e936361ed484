//! The OutOfProc transport: one XML element per line, as `pwsh -s` and
//! PowerShell's SSH subsystem speak it.
//!
//! | element | meaning |
//! |---|---|
//! | `<Data Stream='Default' PSGuid='…'>base64</Data>` | PSRP fragments for the pool (nil PSGuid) or a pipeline |
//! | `<DataAck PSGuid='…' />` | the server took a `Data` |
//! | `<Command PSGuid='…' />` / `<CommandAck …/>` | a pipeline is about to be created |
//! | `<Signal PSGuid='…' />` / `<SignalAck …/>` | stop the pipeline |
//! | `<Close PSGuid='…' />` / `<CloseAck …/>` | close the pipeline, or the session (nil PSGuid) |
//!
//! [`parse_line`] reads one line with the project's XML reader (no DTD, no
//! entities beyond the five predefined ones), bounded by [`MAX_LINE`]; the
//! base64 is checked strictly. [`Packet::write`] writes one line.

use crate::psrp::Guid;
use crate::psrp::decode::parse_xml;

/// The longest line accepted: a whole largest message (1 MiB) in base64,
/// with room for the element around it.
pub const MAX_LINE: usize =
    (crate::host::pool::DEFAULT_MAX_MESSAGE_SIZE as usize).div_ceil(3) * 4 + 4096;

/// The stream a `Data` element names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// `Stream='Default'`.
    Default,
    /// `Stream='PromptResponse'`.
    PromptResponse,
}

/// One transport element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Packet {
    /// PSRP fragments.
    Data {
        /// The stream.
        stream: Stream,
        /// The pool (nil) or the pipeline.
        guid: Guid,
        /// The fragments, base64-decoded.
        payload: Vec<u8>,
    },
    /// `DataAck`.
    DataAck(Guid),
    /// `Command`.
    Command(Guid),
    /// `CommandAck`.
    CommandAck(Guid),
    /// `Signal`.
    Signal(Guid),
    /// `SignalAck`.
    SignalAck(Guid),
    /// `Close`.
    Close(Guid),
    /// `CloseAck`.
    CloseAck(Guid),
}

/// Why a line is not a transport element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportError {
    /// Longer than [`MAX_LINE`].
    LineTooLong(usize),
    /// Not UTF-8.
    NotUtf8,
    /// Not one well-formed XML element.
    Xml(String),
    /// An element this transport does not have.
    UnknownElement(String),
    /// `PSGuid` missing or not a GUID.
    BadGuid,
    /// `Stream` missing or unknown.
    BadStream,
    /// The `Data` text is not strict base64.
    BadBase64,
}

impl std::fmt::Display for TransportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TransportError::LineTooLong(n) => {
                write!(f, "a line of {n} bytes or more (at most {MAX_LINE})")
            }
            TransportError::NotUtf8 => write!(f, "a line that is not UTF-8"),
            TransportError::Xml(e) => write!(f, "a line that is not an XML element: {e}"),
            TransportError::UnknownElement(e) => write!(f, "an unknown element <{e}>"),
            TransportError::BadGuid => write!(f, "a PSGuid that is missing or not a GUID"),
            TransportError::BadStream => write!(f, "a Data Stream that is missing or unknown"),
            TransportError::BadBase64 => write!(f, "Data that is not base64"),
        }
    }
}

impl std::error::Error for TransportError {}

/// Reads one line (without its `\n`; a trailing `\r` is allowed).
pub fn parse_line(line: &[u8]) -> Result<Packet, TransportError> {
    if line.len() > MAX_LINE {
        return Err(TransportError::LineTooLong(line.len()));
    }
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let text = std::str::from_utf8(line).map_err(|_| TransportError::NotUtf8)?;
    let e = parse_xml(text).map_err(|e| TransportError::Xml(e.to_string()))?;
    let guid = e
        .attr("PSGuid")
        .and_then(|g| Guid::parse(g).ok())
        .ok_or(TransportError::BadGuid)?;
    let no_body = || {
        if e.children.is_empty() && e.raw_text().trim().is_empty() {
            Ok(())
        } else {
            Err(TransportError::Xml(format!("<{}> has content", e.name)))
        }
    };
    Ok(match e.name.as_str() {
        "Data" => {
            let stream = match e.attr("Stream") {
                Some("Default") => Stream::Default,
                Some("PromptResponse") => Stream::PromptResponse,
                _ => return Err(TransportError::BadStream),
            };
            if !e.children.is_empty() {
                return Err(TransportError::Xml("<Data> has child elements".into()));
            }
            let payload =
                base64_decode(e.raw_text().as_bytes()).ok_or(TransportError::BadBase64)?;
            Packet::Data {
                stream,
                guid,
                payload,
            }
        }
        "DataAck" => no_body().map(|_| Packet::DataAck(guid))?,
        "Command" => no_body().map(|_| Packet::Command(guid))?,
        "CommandAck" => no_body().map(|_| Packet::CommandAck(guid))?,
        "Signal" => no_body().map(|_| Packet::Signal(guid))?,
        "SignalAck" => no_body().map(|_| Packet::SignalAck(guid))?,
        "Close" => no_body().map(|_| Packet::Close(guid))?,
        "CloseAck" => no_body().map(|_| Packet::CloseAck(guid))?,
        other => {
            return Err(TransportError::UnknownElement(
                other.chars().take(64).collect(),
            ));
        }
    })
}

impl Packet {
    /// Appends the packet's line (with its `\n`) to `out`.
    pub fn write(&self, out: &mut Vec<u8>) {
        let (tag, guid) = match self {
            Packet::Data {
                stream,
                guid,
                payload,
            } => {
                write_data(out, *stream, guid.text().as_str(), payload);
                return;
            }
            Packet::DataAck(g) => ("DataAck", g),
            Packet::Command(g) => ("Command", g),
            Packet::CommandAck(g) => ("CommandAck", g),
            Packet::Signal(g) => ("Signal", g),
            Packet::SignalAck(g) => ("SignalAck", g),
            Packet::Close(g) => ("Close", g),
            Packet::CloseAck(g) => ("CloseAck", g),
        };
        out.push(b'<');
        out.extend_from_slice(tag.as_bytes());
        out.extend_from_slice(b" PSGuid='");
        out.extend_from_slice(guid.text().as_bytes());
        out.extend_from_slice(b"' />\n");
    }

    /// The packet's line.
    pub fn to_line(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write(&mut out);
        out
    }
}

/// Appends a `Data` line for `guid` (its text form) carrying `payload`.
pub fn write_data(out: &mut Vec<u8>, stream: Stream, guid: &str, payload: &[u8]) {
    out.extend_from_slice(match stream {
        Stream::Default => b"<Data Stream='Default' PSGuid='".as_slice(),
        Stream::PromptResponse => b"<Data Stream='PromptResponse' PSGuid='",
    });
    out.extend_from_slice(guid.as_bytes());
    out.extend_from_slice(b"'>");
    base64_encode(payload, out);
    out.extend_from_slice(b"</Data>\n");
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Appends the standard base64 (with padding) of `data`.
pub fn base64_encode(data: &[u8], out: &mut Vec<u8>) {
    out.reserve(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        out.push(ALPHABET[(n >> 18) as usize & 63]);
        out.push(ALPHABET[(n >> 12) as usize & 63]);
        out.push(if chunk.len() > 1 {
            ALPHABET[(n >> 6) as usize & 63]
        } else {
            b'='
        });
        out.push(if chunk.len() > 2 {
            ALPHABET[n as usize & 63]
        } else {
            b'='
        });
    }
}

fn sextet(c: u8) -> Option<u32> {
    Some(u32::from(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    }))
}

/// Strict standard base64: a multiple of four characters, `=` padding only
/// at the end, no whitespace, unused bits zero. `None` otherwise.
pub fn base64_decode(text: &[u8]) -> Option<Vec<u8>> {
    if text.len() % 4 != 0 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let quads = text.len() / 4;
    for (i, q) in text.chunks(4).enumerate() {
        let last = i + 1 == quads;
        let pad = q.iter().rev().take_while(|&&c| c == b'=').count();
        if pad > 2 || (pad > 0 && !last) {
            return None;
        }
        let mut n = 0u32;
        for &c in &q[..4 - pad] {
            n = (n << 6) | sextet(c)?;
        }
        n <<= 6 * pad as u32;
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        // Bits that padding leaves unused must be zero (canonical form).
        if pad == 1 && bytes[2] != 0 || pad == 2 && (bytes[1] != 0 || bytes[2] != 0) {
            return None;
        }
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_and_is_strict() {
        for len in 0..20 {
            let data: Vec<u8> = (0..len).map(|i| (i * 37 + 5) as u8).collect();
            let mut text = Vec::new();
            base64_encode(&data, &mut text);
            assert_eq!(base64_decode(&text).unwrap(), data);
        }
        for bad in [
            &b"abc"[..],
            b"a===",
            b"ab=c",
            b"AB==AAAA",
            b"AB\n=",
            b"AR==",
            b"A B=",
        ] {
            assert!(base64_decode(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn lines_parse_and_write() {
        let g = Guid::parse("1649325d-f028-40e1-8304-c2a117f08102").unwrap();
        let p = Packet::Data {
            stream: Stream::Default,
            guid: g,
            payload: b"hello".to_vec(),
        };
        let line = p.to_line();
        assert_eq!(parse_line(line.strip_suffix(b"\n").unwrap()).unwrap(), p);
        assert_eq!(
            Packet::CloseAck(Guid::NIL).to_line(),
            b"<CloseAck PSGuid='00000000-0000-0000-0000-000000000000' />\n"
        );
        assert_eq!(
            parse_line(b"<Signal PSGuid='1649325d-f028-40e1-8304-c2a117f08102' />").unwrap(),
            Packet::Signal(g)
        );
        for bad in [
            &b"<Frob PSGuid='1649325d-f028-40e1-8304-c2a117f08102' />"[..],
            b"<Close />",
            b"<Close PSGuid='x' />",
            b"<Data PSGuid='1649325d-f028-40e1-8304-c2a117f08102'>AA==</Data>",
            b"<Data Stream='Default' PSGuid='1649325d-f028-40e1-8304-c2a117f08102'>A</Data>",
            b"<!DOCTYPE x [<!ENTITY a 'b'>]><Close PSGuid='1649325d-f028-40e1-8304-c2a117f08102' />",
            b"not xml",
            b"\xff",
            b"",
        ] {
            assert!(parse_line(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
    }
}

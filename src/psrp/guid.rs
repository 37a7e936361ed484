//! GUIDs as PowerShell writes them: parsed from every text form .NET's
//! `Guid.Parse` accepts, written in `Guid.ToByteArray()` order.

use std::fmt;
use std::str::FromStr;

/// A GUID (runspace pool or pipeline id).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Guid {
    /// First field (8 hex digits in text).
    pub data1: u32,
    /// Second field.
    pub data2: u16,
    /// Third field.
    pub data3: u16,
    /// The last 8 bytes, in text order.
    pub data4: [u8; 8],
}

/// GUID text that none of .NET's forms accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GuidParseError;

impl fmt::Display for GuidParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "not a GUID: expected 32 hex digits, optionally hyphenated 8-4-4-4-12 and in \
             braces or parentheses, or the {0x…,0x…,0x…,{0x…,…}} form",
        )
    }
}

impl std::error::Error for GuidParseError {}

fn hex_digit(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Parses exactly `s.len()` hex digits (no prefix, no sign).
fn hex_exact(s: &[u8]) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    s.iter()
        .try_fold(0u64, |acc, &b| Some((acc << 4) | u64::from(hex_digit(b)?)))
}

impl Guid {
    /// The 16 bytes as .NET's `Guid.ToByteArray()` gives them (and PSRP sends
    /// them): the first three fields little-endian, the last eight as they stand.
    pub fn to_bytes_le(&self) -> [u8; 16] {
        let mut b = [0u8; 16];
        b[0..4].copy_from_slice(&self.data1.to_le_bytes());
        b[4..6].copy_from_slice(&self.data2.to_le_bytes());
        b[6..8].copy_from_slice(&self.data3.to_le_bytes());
        b[8..16].copy_from_slice(&self.data4);
        b
    }

    /// The inverse of [`Guid::to_bytes_le`].
    pub fn from_bytes_le(b: [u8; 16]) -> Guid {
        let mut data4 = [0u8; 8];
        data4.copy_from_slice(&b[8..16]);
        Guid {
            data1: u32::from_le_bytes([b[0], b[1], b[2], b[3]]),
            data2: u16::from_le_bytes([b[4], b[5]]),
            data3: u16::from_le_bytes([b[6], b[7]]),
            data4,
        }
    }

    /// Parses GUID text in any form .NET's `Guid.Parse` accepts: `N` (32 digits),
    /// `D` (8-4-4-4-12), `B` (`{D}`), `P` (`(D)`) or `X`
    /// (`{0xXXXXXXXX,0xXXXX,0xXXXX,{0xXX,…}}`), either hex case, surrounded by
    /// white space or not. .NET's legacy leniency for `+` and `0x` inside the
    /// `D` form is not reproduced.
    pub fn parse(text: &str) -> Result<Guid, GuidParseError> {
        let s = text.trim().as_bytes();
        let inner = match (s.first(), s.last()) {
            (Some(b'{'), Some(b'}')) if s.len() == 38 => &s[1..37],
            (Some(b'('), Some(b')')) if s.len() == 38 => &s[1..37],
            (Some(b'{'), _) if s.contains(&b',') => return Self::parse_x(text),
            _ => s,
        };
        match inner.len() {
            32 => Self::from_digits(inner),
            36 => {
                if [8, 13, 18, 23].iter().any(|&i| inner[i] != b'-') {
                    return Err(GuidParseError);
                }
                let digits: Vec<u8> = inner.iter().copied().filter(|&b| b != b'-').collect();
                if digits.len() != 32 {
                    return Err(GuidParseError);
                }
                Self::from_digits(&digits)
            }
            _ => Err(GuidParseError),
        }
    }

    fn from_digits(d: &[u8]) -> Result<Guid, GuidParseError> {
        let field = |r: std::ops::Range<usize>| hex_exact(&d[r]).ok_or(GuidParseError);
        let mut data4 = [0u8; 8];
        for (i, b) in data4.iter_mut().enumerate() {
            *b = field(16 + 2 * i..18 + 2 * i)? as u8;
        }
        Ok(Guid {
            data1: field(0..8)? as u32,
            data2: field(8..12)? as u16,
            data3: field(12..16)? as u16,
            data4,
        })
    }

    /// The `X` form: white space anywhere is ignored (Unicode white space, as
    /// .NET's `char.IsWhiteSpace` sees it, also around the braces), each
    /// number is `0x` followed by 1 to 8/4/4/2 hex digits.
    fn parse_x(text: &str) -> Result<Guid, GuidParseError> {
        let s: Vec<u8> = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .into_bytes();
        let body = s
            .strip_prefix(b"{")
            .and_then(|r| r.strip_suffix(b"}}"))
            .ok_or(GuidParseError)?;
        let (head, tail) = {
            let at = body.iter().position(|&b| b == b'{').ok_or(GuidParseError)?;
            (&body[..at], &body[at + 1..])
        };
        let number = |part: &[u8], max_digits: usize| -> Result<u64, GuidParseError> {
            let digits = match part {
                [b'0', b'x' | b'X', rest @ ..] => rest,
                _ => return Err(GuidParseError),
            };
            if digits.len() > max_digits {
                return Err(GuidParseError);
            }
            hex_exact(digits).ok_or(GuidParseError)
        };
        let head: Vec<&[u8]> = head.split(|&b| b == b',').collect();
        let tail: Vec<&[u8]> = tail.split(|&b| b == b',').collect();
        if head.len() != 4 || !head[3].is_empty() || tail.len() != 8 {
            return Err(GuidParseError);
        }
        let mut data4 = [0u8; 8];
        for (b, part) in data4.iter_mut().zip(&tail) {
            *b = number(part, 2)? as u8;
        }
        Ok(Guid {
            data1: number(head[0], 8)? as u32,
            data2: number(head[1], 4)? as u16,
            data3: number(head[2], 4)? as u16,
            data4,
        })
    }
}

impl FromStr for Guid {
    type Err = GuidParseError;
    fn from_str(s: &str) -> Result<Guid, GuidParseError> {
        Guid::parse(s)
    }
}

impl fmt::Display for Guid {
    /// The `D` form, lower case, as .NET's `Guid.ToString()`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.data4;
        write!(
            f,
            "{:08x}-{:04x}-{:04x}-{:02x}{:02x}-{:02x}{:02x}{:02x}{:02x}{:02x}{:02x}",
            self.data1, self.data2, self.data3, d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]
        )
    }
}

/// A GUID's `D` form, lower case (`6397709e-f7d6-c54d-9568-fd4656ae4820`),
/// written once and kept: what a sender hands on with every fragment
/// without formatting again.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct GuidText([u8; 36]);

impl GuidText {
    /// The 36 characters.
    pub fn as_str(&self) -> &str {
        // Only ASCII hex digits and hyphens are ever written.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The 36 bytes (ASCII).
    pub fn as_bytes(&self) -> &[u8; 36] {
        &self.0
    }
}

impl fmt::Debug for GuidText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GuidText({})", self.as_str())
    }
}

impl Guid {
    /// The nil GUID (all zero): in a message header, "the runspace pool
    /// itself, no pipeline".
    pub const NIL: Guid = Guid {
        data1: 0,
        data2: 0,
        data3: 0,
        data4: [0; 8],
    };

    /// Whether this is the nil GUID.
    pub fn is_nil(&self) -> bool {
        *self == Guid::NIL
    }

    /// The `D` form, lower case, as [`fmt::Display`] writes it, without
    /// formatting machinery or allocation.
    pub fn text(&self) -> GuidText {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut digits = [0u8; 32];
        let mut n = 0;
        let mut put = |bytes: &[u8]| {
            for &b in bytes {
                digits[n] = HEX[usize::from(b >> 4)];
                digits[n + 1] = HEX[usize::from(b & 0xF)];
                n += 2;
            }
        };
        put(&self.data1.to_be_bytes());
        put(&self.data2.to_be_bytes());
        put(&self.data3.to_be_bytes());
        put(&self.data4);
        let mut out = [b'-'; 36];
        let mut d = 0;
        for (i, slot) in out.iter_mut().enumerate() {
            if !matches!(i, 8 | 13 | 18 | 23) {
                *slot = digits[d];
                d += 1;
            }
        }
        GuidText(out)
    }
}

impl fmt::Debug for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Guid({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "6397709e-f7d6-c54d-9568-fd4656ae4820";
    const WIRE: [u8; 16] = [
        0x9e, 0x70, 0x97, 0x63, 0xd6, 0xf7, 0x4d, 0xc5, 0x95, 0x68, 0xfd, 0x46, 0x56, 0xae, 0x48,
        0x20,
    ];

    #[test]
    fn dotnet_byte_order() {
        let g = Guid::parse(TEXT).unwrap();
        assert_eq!(g.to_bytes_le(), WIRE);
        assert_eq!(Guid::from_bytes_le(WIRE), g);
        assert_eq!(g.to_string(), TEXT);
    }

    #[test]
    fn text_is_the_display_form() {
        for g in [
            Guid::parse(TEXT).unwrap(),
            Guid::NIL,
            Guid::parse("ffffffff-ffff-ffff-ffff-ffffffffffff").unwrap(),
            Guid::parse("{0x1,0x2,0x3,{0x4,0x5,0x6,0x7,0x8,0x9,0xa,0xb}}").unwrap(),
        ] {
            assert_eq!(g.text().as_str(), g.to_string());
        }
        assert_eq!(
            Guid::NIL.text().as_str(),
            "00000000-0000-0000-0000-000000000000"
        );
        assert!(Guid::NIL.is_nil() && !Guid::parse(TEXT).unwrap().is_nil());
    }

    #[test]
    fn every_dotnet_form() {
        let g = Guid::parse(TEXT).unwrap();
        for form in [
            "6397709ef7d6c54d9568fd4656ae4820",
            "6397709E-F7D6-C54D-9568-FD4656AE4820",
            "{6397709e-f7d6-c54d-9568-fd4656ae4820}",
            "(6397709e-f7d6-c54d-9568-fd4656ae4820)",
            "  6397709e-f7d6-c54d-9568-fd4656ae4820\t\n",
            "{0x6397709e,0xf7d6,0xc54d,{0x95,0x68,0xfd,0x46,0x56,0xae,0x48,0x20}}",
            "{ 0x6397709E, 0XF7D6, 0xc54d, { 0x95, 0x68, 0xfd, 0x46, 0x56, 0xae, 0x48, 0x20 } }",
            // Unicode white space (char.IsWhiteSpace) around and inside every form.
            "\u{A0}6397709e-f7d6-c54d-9568-fd4656ae4820\u{3000}",
            "\u{2003}{6397709e-f7d6-c54d-9568-fd4656ae4820}\u{85}",
            "\u{A0}{0x6397709e,0xf7d6,0xc54d,{0x95,0x68,0xfd,0x46,0x56,0xae,0x48,0x20}}\u{2028}",
            "{0x6397709e,\u{2003}0xf7d6,0xc54d,{0x95,\u{A0}0x68,0xfd,0x46,0x56,0xae,0x48,0x20}}",
        ] {
            assert_eq!(Guid::parse(form), Ok(g), "{form}");
        }
        assert_eq!(
            Guid::parse("{0x1,0x2,0x3,{0x4,0x5,0x6,0x7,0x8,0x9,0xa,0xb}}")
                .unwrap()
                .to_string(),
            "00000001-0002-0003-0405-060708090a0b"
        );
    }

    #[test]
    fn malformed_text_is_rejected() {
        for bad in [
            "",
            "6397709e-f7d6-c54d-9568-fd4656ae482",
            "6397709e-f7d6-c54d-9568-fd4656ae48201",
            "6397709ef7d6-c54d-9568-fd4656ae4820-",
            "6397709g-f7d6-c54d-9568-fd4656ae4820",
            "{6397709e-f7d6-c54d-9568-fd4656ae4820)",
            "(6397709e-f7d6-c54d-9568-fd4656ae4820}",
            "{6397709ef7d6c54d9568fd4656ae4820}",
            "+397709e-f7d6-c54d-9568-fd4656ae4820",
            "6397709e-f7d6-c54d-9568-fd46 6ae4820",
            "{0x6397709e,0xf7d6,0xc54d,{0x95,0x68,0xfd,0x46,0x56,0xae,0x48}}",
            "{0x6397709e,0xf7d6,0xc54d,{0x95,0x68,0xfd,0x46,0x56,0xae,0x48,0x200}}",
            "{6397709e,0xf7d6,0xc54d,{0x95,0x68,0xfd,0x46,0x56,0xae,0x48,0x20}}",
            "{0x,0xf7d6,0xc54d,{0x95,0x68,0xfd,0x46,0x56,0xae,0x48,0x20}}",
        ] {
            assert_eq!(Guid::parse(bad), Err(GuidParseError), "{bad:?}");
        }
    }
}

//! The one place record text is made safe for output.
//!
//! A record's strings come from a provider (a file name, say) and are decoded
//! (`_x001B_` → ESC), so they can hold anything. No character that a terminal
//! acts on may reach it: C0 controls (U+0000–U+001F), DEL (U+007F), C1
//! controls (U+0080–U+009F, e.g. U+009B, an 8-bit CSI), the bidirectional
//! embeddings and overrides U+202A–U+202E and isolates U+2066–U+2069 (which
//! make a line read differently than it is), and the line and paragraph
//! separators U+2028/U+2029. Lone surrogates cannot be printed either.
//!
//! - On a terminal ([`Style::Terminal`]) each such character is shown as
//!   `<U+XXXX>` (four or more upper-case hex digits), e.g. ESC as `<U+001B>`.
//! - In JSON ([`Style::Json`]) each is written as a `\uXXXX` escape, which a
//!   JSON reader turns back into the character; `"` and `\` are escaped too.

use std::fmt::Write as _;

use crate::psrp::PsString;

/// How unsafe characters are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Visibly, as `<U+XXXX>`.
    Terminal,
    /// As JSON string escapes (`\u001b`), without the quotes.
    Json,
}

/// Whether `c` must never be written as is (see the module documentation).
pub fn is_unsafe(c: char) -> bool {
    matches!(
        c as u32,
        0x00..=0x1F | 0x7F..=0x9F | 0x202A..=0x202E | 0x2066..=0x2069 | 0x2028 | 0x2029
    )
}

/// Appends UTF-16 text (lone surrogates allowed) to `out` in `style`.
pub fn push_units(out: &mut String, units: &[u16], style: Style) {
    for r in char::decode_utf16(units.iter().copied()) {
        match r {
            Ok(c) => push_char(out, c, style),
            Err(e) => push_escape(out, u32::from(e.unpaired_surrogate()), style),
        }
    }
}

/// Appends `s` to `out` in `style`.
pub fn push_str(out: &mut String, s: &str, style: Style) {
    for c in s.chars() {
        push_char(out, c, style);
    }
}

fn push_char(out: &mut String, c: char, style: Style) {
    match (c, style) {
        (c, _) if is_unsafe(c) => push_escape(out, c as u32, style),
        ('"', Style::Json) => out.push_str("\\\""),
        ('\\', Style::Json) => out.push_str("\\\\"),
        (c, _) => out.push(c),
    }
}

fn push_escape(out: &mut String, v: u32, style: Style) {
    let _ = match style {
        Style::Terminal => write!(out, "<U+{v:04X}>"),
        Style::Json => write!(out, "\\u{v:04x}"),
    };
}

/// `s` as it may be shown on a terminal.
pub fn visible(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_str(&mut out, s, Style::Terminal);
    out
}

/// A record string as it may be shown on a terminal.
pub fn visible_ps(s: &PsString) -> String {
    let mut out = String::with_capacity(s.units().len());
    push_units(&mut out, s.units(), Style::Terminal);
    out
}

/// A record string as a JSON string, quotes included.
pub fn json_string(out: &mut String, s: &PsString) {
    out.push('"');
    push_units(out, s.units(), Style::Json);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dangerous_character_is_shown_not_sent() {
        let units: Vec<u16> = "a\u{1b}]0;t\u{7}\u{7f}\u{9b}2J\u{202e}x\u{2066}\u{2028}é"
            .encode_utf16()
            .chain([0xD800])
            .collect();
        let mut t = String::new();
        push_units(&mut t, &units, Style::Terminal);
        assert_eq!(
            t,
            "a<U+001B>]0;t<U+0007><U+007F><U+009B>2J<U+202E>x<U+2066><U+2028>é<U+D800>"
        );
        let mut j = String::new();
        push_units(&mut j, &units, Style::Json);
        assert_eq!(
            j,
            "a\\u001b]0;t\\u0007\\u007f\\u009b2J\\u202ex\\u2066\\u2028é\\ud800"
        );
        for c in (0u32..=0x10FFFF).filter_map(char::from_u32) {
            let expected = c < ' '
                || ('\u{7f}'..='\u{9f}').contains(&c)
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)
                || c == '\u{2028}'
                || c == '\u{2029}';
            assert_eq!(is_unsafe(c), expected, "{:X}", c as u32);
            let shown = visible(&c.to_string());
            assert!(!shown.chars().any(is_unsafe), "{:X}", c as u32);
        }
    }
}

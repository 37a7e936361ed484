//! A coalesced write's arguments, held until it is sent: [`Pending`].

use crate::host::MiError;
use crate::psrp::text::SourceText;
#[cfg(doc)]
use crate::psrp::text::Wtf8Text;

/// The arguments of a held write, its three strings as [`Wtf8Text`] back to
/// back in one buffer: never longer than their encoding, and the buffer is
/// reserved at most at the size of the write's message (see
/// [`Pending::hold`]), so a held write costs about its message.
#[derive(Default)]
pub(super) struct Pending {
    /// Activity, CurrentOperation, StatusDescription (empty: sent as `" "`).
    pub(super) text: Vec<u8>,
    activity_end: usize,
    current_operation_end: usize,
    pub(super) has_current_operation: bool,
    pub(super) percent_complete: i32,
    pub(super) seconds_remaining: i32,
}

impl Pending {
    pub(super) fn activity(&self) -> &[u8] {
        &self.text[..self.activity_end]
    }

    pub(super) fn current_operation(&self) -> &[u8] {
        &self.text[self.activity_end..self.current_operation_end]
    }

    pub(super) fn status_description(&self) -> &[u8] {
        &self.text[self.current_operation_end..]
    }

    /// Replaces the held write. The strings have been checked; `size` is
    /// what `Context::check_size` answered for the write: at least the
    /// length of its encoded texts, which is at least their WTF-8 length. So
    /// the buffer is reserved exactly (no doubling) at the smaller of that
    /// and the strings' WTF-8 bound: a held write costs at most its message,
    /// not 3 or 4 times its text. Memory that cannot be had →
    /// [`MiError::LimitsExceeded`], nothing changed that a later call relies
    /// on (the held write is then forgotten).
    pub(super) fn hold<S: SourceText>(
        &mut self,
        activity: &S,
        current: Option<&S>,
        status: Option<&S>,
        percent: i32,
        seconds: i32,
        size: usize,
    ) -> Result<(), MiError> {
        let bound = activity.max_wtf8_len()
            + current.map_or(0, |c| c.max_wtf8_len())
            + status.map_or(0, |s| s.max_wtf8_len());
        let needed = bound.min(size);
        self.text.clear();
        if self.text.capacity() < needed {
            // Free the old room first: growing would copy it and could
            // hold both at once.
            self.text = Vec::new();
            self.text
                .try_reserve_exact(needed)
                .map_err(|_| MiError::LimitsExceeded {
                    size: needed,
                    max: 0,
                })?;
        }
        activity.copy_wtf8(&mut self.text);
        self.activity_end = self.text.len();
        if let Some(c) = current {
            c.copy_wtf8(&mut self.text);
        }
        self.current_operation_end = self.text.len();
        if let Some(s) = status {
            s.copy_wtf8(&mut self.text);
        }
        self.has_current_operation = current.is_some();
        self.percent_complete = percent;
        self.seconds_remaining = seconds;
        Ok(())
    }

    /// Cuts each text to at most `max` bytes, at a character boundary of
    /// WTF-8 (not a continuation byte), keeping them back to back.
    pub(super) fn cut_to(&mut self, max: usize) {
        let cut = |t: &[u8]| {
            if t.len() > max {
                (1..=max).rev().find(|&i| t[i] & 0xC0 != 0x80).unwrap_or(0)
            } else {
                t.len()
            }
        };
        let spans = [
            0..self.activity_end,
            self.activity_end..self.current_operation_end,
            self.current_operation_end..self.text.len(),
        ];
        if spans.iter().all(|r| r.len() <= max) {
            return;
        }
        let mut at = 0;
        let mut ends = [0; 3];
        for (i, r) in spans.into_iter().enumerate() {
            let keep = cut(&self.text[r.clone()]);
            self.text.copy_within(r.start..r.start + keep, at);
            at += keep;
            ends[i] = at;
        }
        self.text.truncate(at);
        self.activity_end = ends[0];
        self.current_operation_end = ends[1];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::psrp::text::Utf8Text;

    #[test]
    fn a_held_write_is_reserved_at_its_message_size_not_its_bound() {
        let mut p = Pending::default();
        let (a, o, s) = (
            vec![u32::from(b'a'); 1000],
            vec![0xE9u32; 10],
            vec![0xD800u32; 2],
        );
        // The bound is 4 bytes a unit (4,048); the message is smaller.
        p.hold(
            &a.as_slice(),
            Some(&o.as_slice()),
            Some(&s.as_slice()),
            1,
            2,
            1500,
        )
        .unwrap();
        assert_eq!(p.text.capacity(), 1500);
        assert_eq!(p.activity(), "a".repeat(1000).as_bytes());
        assert_eq!(p.current_operation(), "é".repeat(10).as_bytes());
        // Lone surrogates as WTF-8.
        assert_eq!(p.status_description(), [0xED, 0xA0, 0x80, 0xED, 0xA0, 0x80]);
        // A smaller write keeps the room: no allocation.
        let ptr = p.text.as_ptr();
        p.hold(&Utf8Text(b"x"), None, None, 3, 4, 400).unwrap();
        assert_eq!(p.text.as_ptr(), ptr);
        assert_eq!(
            (p.activity(), p.current_operation(), p.status_description()),
            (&b"x"[..], &b""[..], &b""[..])
        );
        assert!(!p.has_current_operation);
        // The bound when it is smaller than the message.
        let mut q = Pending::default();
        q.hold(&Utf8Text(b"abc"), None, Some(&Utf8Text(b"de")), 0, 0, 4096)
            .unwrap();
        assert_eq!(q.text.capacity(), 15);
    }

    #[test]
    fn cutting_keeps_each_text_whole_characters_and_back_to_back() {
        let mut p = Pending::default();
        let a = "ab\u{e9}c";
        p.hold(
            &Utf8Text(a.as_bytes()),
            Some(&Utf8Text(b"x")),
            Some(&Utf8Text("\u{20ac}\u{20ac}".as_bytes())),
            0,
            0,
            100,
        )
        .unwrap();
        p.cut_to(3);
        // "ab" (é would need 2 more), "x", "€" (3 bytes).
        assert_eq!(p.activity(), b"ab");
        assert_eq!(p.current_operation(), b"x");
        assert_eq!(p.status_description(), "\u{20ac}".as_bytes());
        // Nothing longer than the maximum: nothing moves.
        p.cut_to(3);
        assert_eq!(p.text, b"abx\xe2\x82\xac");
    }
}

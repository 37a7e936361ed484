//! UTF-8 provider text (`MI_CHAR_TYPE 1`) against an independent oracle:
//! std's `String::from_utf8_lossy` (which decodes as .NET's `Encoding.UTF8`
//! does: each maximal invalid subsequence becomes one U+FFFD), then the
//! encoder's UTF-16 path. Arbitrary bytes, biased towards invalid sequences,
//! overlongs, encoded surrogates, truncated and 4-byte characters.

use mi_psrp::host::ProviderText;
use mi_psrp::psrp::text::{Utf8Text, Wtf8Text, encode_units};
use mi_psrp::psrp::{PsText, SourceText};
use proptest::prelude::*;

fn oracle(bytes: &[u8]) -> Vec<u8> {
    let units: Vec<u16> = String::from_utf8_lossy(bytes).encode_utf16().collect();
    let mut out = Vec::new();
    encode_units(&units, &mut out).unwrap();
    out
}

fn interesting_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        3 => prop::collection::vec(any::<u8>(), 1..4),
        3 => "[ -~]{1,8}".prop_map(|s| s.into_bytes()),
        2 => any::<char>().prop_map(|c| c.to_string().into_bytes()),
        2 => prop::sample::select(vec![
            b"\xC0\xAF".to_vec(),          // overlong '/'
            b"\xE0\x80\xAF".to_vec(),      // overlong, 3 bytes
            b"\xF0\x80\x80\xAF".to_vec(),  // overlong, 4 bytes
            b"\xED\xA0\x80".to_vec(),      // encoded high surrogate
            b"\xED\xBF\xBF".to_vec(),      // encoded low surrogate
            b"\xF4\x90\x80\x80".to_vec(),  // above U+10FFFF
            b"\xF0\x9F\x98".to_vec(),      // truncated 4-byte
            b"\xE2\x82".to_vec(),          // truncated 3-byte
            b"\x80".to_vec(),              // lone continuation
            b"\xFE\xFF".to_vec(),
            b"_x0041_".to_vec(),
            b"_X".to_vec(),
            "\u{85}\u{9F}\u{FFFE}\u{FFFF}".as_bytes().to_vec(),
            b"\x00\x1F\x7F&<>".to_vec(),
        ]),
    ];
    prop::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn utf8_text_encodes_as_the_oracle(bytes in interesting_bytes()) {
        let mut out = Vec::new();
        Utf8Text(&bytes).encode_into(&mut out).unwrap();
        prop_assert_eq!(&out, &oracle(&bytes));
        prop_assert_eq!(Utf8Text(&bytes).encoded_len(), Ok(out.len()));
        prop_assert!(Utf8Text(&bytes).max_encoded_len() >= out.len());
        // Never a raw control character or a 4-byte UTF-8 sequence on the wire.
        prop_assert!(out.iter().all(|&b| b >= 0x20 && b != 0x7F && b < 0xF0));
        // The held copy (WTF-8) encodes to the same bytes, and is no longer.
        let mut held = Vec::new();
        Utf8Text(&bytes).copy_wtf8(&mut held);
        let mut again = Vec::new();
        Wtf8Text(&held).encode_into(&mut again).unwrap();
        prop_assert_eq!(&again, &out);
        prop_assert!(held.len() <= out.len());
    }

    #[test]
    fn arbitrary_bytes_encode_as_the_oracle(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        let mut out = Vec::new();
        ProviderText::utf8(&bytes).encode_into(&mut out).unwrap();
        prop_assert_eq!(out, oracle(&bytes));
    }

    #[test]
    fn utf8_and_wide_providers_send_the_same_bytes(s in any::<String>()) {
        // UTF-16 where `wchar_t` is 2 bytes (Windows), UTF-32 where it is 4.
        let wide: Vec<mi_psrp::mi::MI_Char> = if size_of::<mi_psrp::mi::MI_Char>() == 2 {
            s.encode_utf16().map(|u| u as mi_psrp::mi::MI_Char).collect()
        } else {
            s.chars().map(|c| c as u32 as mi_psrp::mi::MI_Char).collect()
        };
        let (mut a, mut b) = (Vec::new(), Vec::new());
        ProviderText::utf8(s.as_bytes()).encode_into(&mut a).unwrap();
        ProviderText::Wide(&wide).encode_into(&mut b).unwrap();
        prop_assert_eq!(&a, &b);
    }

    #[test]
    fn wide_text_held_as_wtf8_encodes_the_same(units in prop::collection::vec(
        prop_oneof![0u32..0x80, 0x80u32..0x800, 0xD800u32..0xE000, 0x800u32..0x11_0000, Just(0x5F), Just(0x78)],
        0..40,
    )) {
        // Arbitrary units: above 0xFFFF they are cut to 16 bits where
        // `wchar_t` is 2 bytes, still arbitrary UTF-16 (lone surrogates included).
        let wide: Vec<mi_psrp::mi::MI_Char> = units.iter().map(|&u| u as mi_psrp::mi::MI_Char).collect();
        let text = ProviderText::Wide(&wide);
        let mut direct = Vec::new();
        text.encode_into(&mut direct).unwrap();
        let mut held = Vec::new();
        text.copy_wtf8(&mut held);
        let mut again = Vec::new();
        Wtf8Text(&held).encode_into(&mut again).unwrap();
        prop_assert_eq!(&again, &direct);
        prop_assert!(held.len() <= direct.len());
    }
}

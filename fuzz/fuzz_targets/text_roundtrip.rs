//! The string encoding both ways: arbitrary UTF-16 (lone surrogates and all)
//! and arbitrary UTF-32 values. decode(encode(x)) == x; out-of-range UTF-32 is
//! refused; the counted length equals the encoded length; the output is
//! always UTF-8 with no 4-byte sequence and no raw control character.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mi_psrp::psrp::text::{decode_escapes, encode_units, encoded_len};

fuzz_target!(|data: &[u8]| {
    let utf16: Vec<u16> = data
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    let mut out = Vec::new();
    encode_units(&utf16, &mut out).unwrap();
    assert_eq!(encoded_len(&utf16), Ok(out.len()));
    let text = std::str::from_utf8(&out).expect("UTF-8");
    assert!(
        !out.iter().any(|&b| b >= 0xF0 || b < 0x20),
        "4-byte UTF-8 or a raw control byte"
    );
    // The XML layer is not involved here: undo its three escapes by hand.
    let unescaped = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    assert_eq!(decode_escapes(&unescaped).0, utf16);

    let utf32: Vec<u32> = data
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    let mut out = Vec::new();
    match encode_units(&utf32, &mut out) {
        Ok(()) => {
            assert!(utf32.iter().all(|&u| u <= 0x10FFFF));
            assert_eq!(encoded_len(&utf32), Ok(out.len()));
            let expected: Vec<u16> = utf32
                .iter()
                .flat_map(|&u| {
                    if u >= 0x1_0000 {
                        let v = u - 0x1_0000;
                        vec![0xD800 | (v >> 10) as u16, 0xDC00 | (v & 0x3FF) as u16]
                    } else {
                        vec![u as u16]
                    }
                })
                .collect();
            let text = std::str::from_utf8(&out).unwrap();
            let unescaped = text
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&");
            assert_eq!(decode_escapes(&unescaped).0, expected);
        }
        Err(e) => {
            assert!(utf32[e.index] > 0x10FFFF && utf32[..e.index].iter().all(|&u| u <= 0x10FFFF))
        }
    }
});

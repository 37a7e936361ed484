//! The string encoding's tests, both ways.

use super::*;

fn enc16(units: &[u16]) -> String {
    let mut out = Vec::new();
    encode_units(units, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn enc(s: &str) -> String {
    let units: Vec<u16> = s.encode_utf16().collect();
    let via_units = enc16(&units);
    let mut out = Vec::new();
    encode_str(s, &mut out);
    assert_eq!(
        String::from_utf8(out).unwrap(),
        via_units,
        "str and UTF-16 paths differ"
    );
    via_units
}

#[test]
fn plain_text_is_copied() {
    assert_eq!(enc("Copying files"), "Copying files");
    assert_eq!(
        enc("\"quotes\" and 'apostrophes'"),
        "\"quotes\" and 'apostrophes'"
    );
}

#[test]
fn xml_specials() {
    assert_eq!(enc("a<b & c>d"), "a&lt;b &amp; c&gt;d");
}

#[test]
fn control_characters() {
    assert_eq!(enc("\t\n\r"), "_x0009__x000A__x000D_");
    assert_eq!(enc("\u{0}\u{1F}"), "_x0000__x001F_");
    assert_eq!(
        enc("\u{7F}\u{80}\u{9F}\u{A0}"),
        "_x007F__x0080__x009F_\u{A0}"
    );
}

#[test]
fn underscore_rules() {
    assert_eq!(enc("_x0041_"), "_x005F_x0041_");
    assert_eq!(enc("_X0041_"), "_x005F_X0041_");
    assert_eq!(enc("_xyz"), "_x005F_xyz");
    assert_eq!(enc("a_b _ trailing_"), "a_b _ trailing_");
    assert_eq!(enc("__x"), "__x005F_x");
}

#[test]
fn non_ascii_is_raw_utf8() {
    assert_eq!(enc("café 中文"), "café 中文");
}

#[test]
fn supplementary_and_lone_surrogates() {
    assert_eq!(enc("\u{1F600}"), "_xD83D__xDE00_");
    assert_eq!(enc16(&[0xD83C]), "_xD83C_");
    assert_eq!(enc16(&[0xDC00, 0x41]), "_xDC00_A");
}

#[test]
fn nonchars_fffe_ffff() {
    assert_eq!(enc("\u{FFFE}\u{FFFF}\u{FFFD}"), "_xFFFE__xFFFF_\u{FFFD}");
}

#[test]
fn utf32_input() {
    let units: Vec<u32> = "a\u{1D11E}_X".chars().map(u32::from).collect();
    let mut out = Vec::new();
    encode_units(&units, &mut out).unwrap();
    assert_eq!(out, b"a_xD834__xDD1E__x005F_X");
    let lone: [u32; 1] = [0xDB00];
    out.clear();
    encode_units(&lone, &mut out).unwrap();
    assert_eq!(out, b"_xDB00_");
}

#[test]
fn source_text_checks_and_copies_like_the_encoder() {
    let ok: &[i32] = &[0x41, 0xD800, 0x10_FFFF, 0x7, 0x5F, 0x78];
    assert_eq!(ok.check(), Ok(()));
    let mut held = Vec::new();
    ok.copy_wtf8(&mut held);
    let (mut direct, mut copied) = (Vec::new(), Vec::new());
    encode_units(ok, &mut direct).unwrap();
    Wtf8Text(&held).encode_into(&mut copied).unwrap();
    assert_eq!(direct, copied);
    assert!(held.len() <= direct.len());
    let bad: &[i32] = &[0x41, 0x42, -5];
    assert_eq!(
        bad.check(),
        Err(InvalidCodePoint {
            value: 0xFFFF_FFFB,
            index: 2
        })
    );
    let utf16: &[u16] = &[0xD83D, 0xDE00, 0xDC00, b'_' as u16, b'X' as u16];
    held.clear();
    utf16.copy_wtf8(&mut held);
    let (mut direct, mut copied) = (Vec::new(), Vec::new());
    encode_units(utf16, &mut direct).unwrap();
    Wtf8Text(&held).encode_into(&mut copied).unwrap();
    assert_eq!(direct, copied);
    held.clear();
    "a\u{1F600}".copy_wtf8(&mut held);
    assert_eq!(held, "a\u{1F600}".as_bytes());
}

#[test]
fn encoded_len_is_the_length_encoding_produces() {
    for s in [
        "",
        "plain",
        "a<b & c>d",
        "_x0041_ \t\u{7F}\u{85}",
        "café 中文 \u{1F600}\u{FFFE}",
    ] {
        let units: Vec<u16> = s.encode_utf16().collect();
        let mut out = Vec::new();
        encode_units(&units, &mut out).unwrap();
        assert_eq!(encoded_len(&units), Ok(out.len()), "{s:?}");
        assert_eq!(s.encoded_len(), Ok(out.len()), "{s:?}");
    }
    assert!(encoded_len(&[0x11_0000u32]).is_err());
}

#[test]
fn utf32_out_of_range_is_rejected() {
    let mut out = Vec::new();
    let err = encode_units(&[0x41u32, 0x11_0000], &mut out).unwrap_err();
    assert_eq!(
        err,
        InvalidCodePoint {
            value: 0x11_0000,
            index: 1
        }
    );
    let err = encode_units(&[-1i32], &mut out).unwrap_err();
    assert_eq!(err.value, 0xFFFF_FFFF);
}

#[test]
fn spec_vector() {
    let input: Vec<u16> = "treble clef\n _x0000_ _X0000_ \u{1D11E} café "
        .encode_utf16()
        .chain([0xD83C])
        .chain(" _x001G_".encode_utf16())
        .collect();
    assert_eq!(
        enc16(&input),
        "treble clef_x000A_ _x005F_x0000_ _x005F_X0000_ _xD834__xDD1E_ café _xD83C_ _x005F_x001G_"
    );
    assert_eq!(
        decode_escapes(&enc16(&input)).0,
        input,
        "decoding the spec's vector gives its input back"
    );
}

#[test]
fn decoding_accepts_what_dotnet_accepts() {
    assert_eq!(decode_escapes("_x0041_"), "A");
    assert_eq!(decode_escapes("_X0041_"), "A");
    assert_eq!(decode_escapes("_x00e9_"), "é");
    assert_eq!(decode_escapes("_x0001F600_"), "\u{1F600}");
    assert_eq!(decode_escapes("_x005F_x0041_"), "_x0041_");
    // Not escapes: left as they stand.
    assert_eq!(decode_escapes("_x001G_"), "_x001G_");
    assert_eq!(decode_escapes("_x004"), "_x004");
    assert_eq!(decode_escapes("_x00110000_"), "_x00110000_");
    assert_eq!(decode_escapes("_y0041_"), "_y0041_");
    assert_eq!(decode_escapes("__x0041_"), "_A");
    assert_eq!(decode_escapes("_xD83C_").0, vec![0xD83C]);
}

//! WriteMessage, WriteError and PostError through the C ABI, for UTF-8 and
//! wide providers: byte-exact against the captured Windows PowerShell
//! records (tests/fixtures/powershell-streams.json) and the spec's error
//! template, and every rule of the calls.

mod common;

use std::ffi::{CStr, CString, c_char};

use common::{Captured, hex, pool, w, w_raw};
use mi_psrp::ffi::context::{
    MI_Context_PostError, MI_Context_PostResult, MI_Context_WriteError, MI_Context_WriteMessage,
    MI_Context_WriteProgress,
};
use mi_psrp::ffi::host::{
    MIPSRP_ERROR_ACTION_IGNORE, MIPSRP_ERROR_ACTION_STOP, mipsrp_context_free,
    mipsrp_context_get_outcome, mipsrp_context_new_ex, mipsrp_context_set_error_action,
    mipsrp_context_set_message_requested, mipsrp_context_set_progress_interval, mipsrp_pool,
    mipsrp_pool_free, mipsrp_pool_set_max_message_size,
};
use mi_psrp::mi::{
    MI_Boolean, MI_Char, MI_Context, MI_FALSE, MI_RESULT_ACCESS_DENIED, MI_RESULT_FAILED,
    MI_RESULT_INVALID_PARAMETER, MI_RESULT_NOT_FOUND, MI_RESULT_OK,
    MI_RESULT_SERVER_LIMITS_EXCEEDED, MI_Result, MI_TRUE,
};
use mi_psrp::psrp::clixml::streams::write_informational_clixml;
use mi_psrp::psrp::{
    FRAGMENT_HEADER_LEN, Guid, InformationalKind, InformationalRecord, MESSAGE_HEADER_LEN,
    MessageHeader, fragment_message,
};
use serde_json::Value;

const RPID: &str = "6397709e-f7d6-c54d-9568-fd4656ae4820";
const PID: &str = "632aa393-254e-b24d-8288-4d968d0da65d";
const DATA: usize = FRAGMENT_HEADER_LEN + MESSAGE_HEADER_LEN + 3;

/// A provider's string in either character type, NUL-terminated.
enum Text {
    Utf8(CString),
    Wide(Vec<MI_Char>),
}

impl Text {
    fn ptr(&self) -> *const MI_Char {
        match self {
            Text::Utf8(s) => s.as_ptr().cast(),
            Text::Wide(w) => w.as_ptr(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Chars {
    Utf8,
    Wide,
}

const BOTH: [Chars; 2] = [Chars::Utf8, Chars::Wide];

impl Chars {
    fn size(self) -> usize {
        match self {
            Chars::Utf8 => 1,
            Chars::Wide => size_of::<MI_Char>(),
        }
    }
    fn text(self, s: &str) -> Text {
        match self {
            Chars::Utf8 => Text::Utf8(CString::new(s).unwrap()),
            Chars::Wide => Text::Wide(w(s)),
        }
    }
}

/// A pool and one context of `chars`, freed on drop.
struct Setup {
    captured: Box<Captured>,
    pool: *mut mipsrp_pool,
    ctx: *mut MI_Context,
}

impl Setup {
    fn new(chars: Chars) -> Self {
        Self::with_ids(chars, RPID, PID)
    }

    fn with_ids(chars: Chars, rpid: &str, pid: &str) -> Self {
        let captured = Box::<Captured>::default();
        let pool = pool(rpid, &captured);
        let id = CString::new(pid).unwrap();
        let mut ctx = std::ptr::null_mut();
        // SAFETY: live pool, valid string and out-pointer.
        let r = unsafe { mipsrp_context_new_ex(pool, id.as_ptr(), 7, -1, chars.size(), &mut ctx) };
        assert_eq!(r, MI_RESULT_OK);
        Setup {
            captured,
            pool,
            ctx,
        }
    }

    fn message(&self, channel: u32, text: &Text) -> MI_Result {
        // SAFETY: live context, NUL-terminated string.
        unsafe { MI_Context_WriteMessage(self.ctx, channel, text.ptr()) }
    }

    fn error(&self, code: u32, kind: Option<&Text>, message: Option<&Text>) -> (MI_Result, u8) {
        let mut flag: MI_Boolean = 0x55;
        // SAFETY: live context, NULL or NUL-terminated strings, writable flag.
        let r = unsafe {
            MI_Context_WriteError(
                self.ctx,
                code,
                kind.map_or(std::ptr::null(), Text::ptr),
                message.map_or(std::ptr::null(), Text::ptr),
                &mut flag,
            )
        };
        (r, flag)
    }

    fn post_error(&self, code: u32, kind: Option<&Text>, message: Option<&Text>) -> MI_Result {
        // SAFETY: live context, NULL or NUL-terminated strings.
        unsafe {
            MI_Context_PostError(
                self.ctx,
                code,
                kind.map_or(std::ptr::null(), Text::ptr),
                message.map_or(std::ptr::null(), Text::ptr),
            )
        }
    }

    fn progress(&self, chars: Chars, activity: &str) -> MI_Result {
        let (a, s) = (chars.text(activity), chars.text("status"));
        // SAFETY: live context and NUL-terminated strings.
        unsafe { MI_Context_WriteProgress(self.ctx, a.ptr(), std::ptr::null(), s.ptr(), 5, 6) }
    }

    /// The CLIXML of every message sent so far (single-fragment messages).
    fn sent(&self) -> Vec<(u32, String)> {
        self.captured
            .take()
            .into_iter()
            .map(|f| {
                let kind = u32::from_le_bytes(f[25..29].try_into().unwrap());
                (kind, String::from_utf8(f[DATA..].to_vec()).unwrap())
            })
            .collect()
    }
}

impl Drop for Setup {
    fn drop(&mut self) {
        // SAFETY: handles made in `new`, freed once.
        unsafe {
            mipsrp_context_free(self.ctx);
            mipsrp_pool_free(self.pool);
        }
    }
}

fn captures() -> Vec<Value> {
    let all: Value =
        serde_json::from_str(include_str!("fixtures/powershell-streams.json")).unwrap();
    all["captures"].as_array().unwrap().clone()
}

fn capture(id: &str) -> Value {
    captures()
        .into_iter()
        .find(|c| c["id"].as_u64().map(|n| n.to_string()).as_deref() == Some(id))
        .unwrap()
}

/// The (plain ASCII) message of a captured informational record.
fn captured_message(c: &Value) -> String {
    let xml = c["clixml"].as_str().unwrap();
    let start = xml.find("<ToString>").unwrap() + "<ToString>".len();
    let end = xml.find("</ToString>").unwrap();
    xml[start..end].to_owned()
}

const INFORMATIONAL_CAPTURES: [&str; 6] = ["0", "1", "5", "6", "8", "9"];

fn kind_of(c: &Value) -> InformationalKind {
    let t = u32::from_str_radix(
        c["message_type_hex"]
            .as_str()
            .unwrap()
            .trim_start_matches("0x"),
        16,
    )
    .unwrap();
    InformationalKind::from_message_type(t).unwrap()
}

#[test]
fn captured_warning_verbose_debug_records_through_the_c_api() {
    for id in INFORMATIONAL_CAPTURES {
        let c = capture(id);
        let expected = hex(c["fragment_hex"].as_str().unwrap());
        let kind = kind_of(&c);
        for chars in BOTH {
            let s = Setup::with_ids(
                chars,
                c["rpid"].as_str().unwrap(),
                c["pid"].as_str().unwrap(),
            );
            let text = chars.text(&captured_message(&c));
            assert_eq!(s.message(kind.channel(), &text), MI_RESULT_OK);
            let got = s.captured.take();
            assert_eq!(got.len(), 1, "capture {id}, {chars:?}: one fragment");
            // Every byte but the ObjectId (the server had sent others before).
            assert_eq!(got[0][8..], expected[8..], "capture {id}, {chars:?}");
            assert_eq!(got[0][..8], 1u64.to_be_bytes());
        }
    }
}

#[test]
fn captured_records_through_the_rust_core_with_their_object_ids() {
    for id in INFORMATIONAL_CAPTURES {
        let c = capture(id);
        let kind = kind_of(&c);
        let mut header = MessageHeader::progress(
            Guid::parse(c["rpid"].as_str().unwrap()).unwrap(),
            Guid::parse(c["pid"].as_str().unwrap()).unwrap(),
        );
        header.message_type = kind.message_type();
        let mut message = header.to_bytes().to_vec();
        message.extend_from_slice(&[0xEF, 0xBB, 0xBF]);
        let text = captured_message(&c);
        write_informational_clixml(
            &InformationalRecord {
                kind,
                message: text.as_str(),
            },
            &mut message,
        )
        .unwrap();
        let object_id = c["fragments"].as_str().map_or_else(
            || c["fragments"][0]["object_id"].as_u64().unwrap(),
            |s| {
                let at = s.find("'object_id': ").unwrap() + 13;
                s[at..].split(',').next().unwrap().parse().unwrap()
            },
        );
        let mut stream = Vec::new();
        fragment_message(&message, object_id, 32768, &mut stream);
        assert_eq!(
            stream,
            hex(c["fragment_hex"].as_str().unwrap()),
            "capture {id}, ObjectId {object_id} included"
        );
    }
}

#[test]
fn error_record_is_the_spec_template_for_both_character_types() {
    let template = "<Obj RefId=\"0\"><TN RefId=\"0\"><T>System.Management.Automation.ErrorRecord</T><T>System.Object</T></TN><ToString>Access is denied.</ToString><MS><B N=\"writeErrorStream\">true</B><Obj N=\"Exception\" RefId=\"1\"><TN RefId=\"1\"><T>Microsoft.Management.Infrastructure.CimException</T><T>System.Exception</T><T>System.Object</T></TN><ToString>Microsoft.Management.Infrastructure.CimException: Access is denied.</ToString><Props><S N=\"Message\">Access is denied.</S><Obj N=\"Data\" RefId=\"2\"><TN RefId=\"2\"><T>System.Collections.ListDictionaryInternal</T><T>System.Object</T></TN><DCT /></Obj><Nil N=\"InnerException\" /><Nil N=\"TargetSite\" /><Nil N=\"StackTrace\" /><Nil N=\"HelpLink\" /><Nil N=\"Source\" /><I32 N=\"HResult\">-2146233088</I32></Props></Obj><Nil N=\"TargetObject\" /><S N=\"FullyQualifiedErrorId\">Windows System Error 5</S><Nil N=\"InvocationInfo\" /><I32 N=\"ErrorCategory_Category\">18</I32><S N=\"ErrorCategory_Activity\"></S><S N=\"ErrorCategory_Reason\">CimException</S><S N=\"ErrorCategory_TargetName\"></S><S N=\"ErrorCategory_TargetType\"></S><S N=\"ErrorCategory_Message\">PermissionDenied: (:) [], CimException</S><B N=\"SerializeExtendedInfo\">false</B><Nil N=\"PSMessageDetails\" /></MS></Obj>";
    for chars in BOTH {
        let s = Setup::new(chars);
        let (r, flag) = s.error(
            5,
            Some(&chars.text("WIN32")),
            Some(&chars.text("Access is denied.")),
        );
        assert_eq!((r, flag), (MI_RESULT_OK, MI_TRUE));
        assert_eq!(s.sent(), [(0x0004_1005, template.to_owned())], "{chars:?}");
    }
}

#[test]
fn the_same_text_gives_the_same_bytes_from_either_character_type() {
    let text = "Größe: 5 \u{1F600} <a&b> _x0041_\tende";
    let mut wires = Vec::new();
    for chars in BOTH {
        let s = Setup::new(chars);
        let t = chars.text(text);
        assert_eq!(s.message(0, &t), MI_RESULT_OK);
        assert_eq!(s.error(2, None, Some(&t)), (MI_RESULT_OK, MI_TRUE));
        assert_eq!(s.progress(chars, text), MI_RESULT_OK);
        wires.push(s.captured.stream());
    }
    assert_eq!(wires[0], wires[1]);
    let xml = String::from_utf8_lossy(&wires[0]).into_owned();
    assert!(
        xml.contains("Größe: 5 _xD83D__xDE00_ &lt;a&amp;b&gt; _x005F_x0041__x0009_ende"),
        "{xml}"
    );
}

#[test]
fn invalid_utf8_becomes_replacement_characters_never_an_error() {
    let s = Setup::new(Chars::Utf8);
    // An invalid byte, a truncated sequence, an overlong '/', an encoded surrogate.
    let raw: &[u8] = b"a\xffb\xe2\x82c\xc0\xafd\xed\xa0\x80e";
    let text = Text::Utf8(CString::new(raw).unwrap());
    assert_eq!(s.message(1, &text), MI_RESULT_OK);
    let expected = String::from_utf8_lossy(raw);
    assert_eq!(
        expected,
        "a\u{FFFD}b\u{FFFD}c\u{FFFD}\u{FFFD}d\u{FFFD}\u{FFFD}\u{FFFD}e"
    );
    let sent = s.sent();
    assert!(
        sent[0]
            .1
            .contains(&format!("<ToString>{expected}</ToString>")),
        "{sent:?}"
    );
}

#[test]
fn empty_messages_are_sent_in_dotnets_form() {
    for chars in BOTH {
        let s = Setup::new(chars);
        assert_eq!(s.message(2, &chars.text("")), MI_RESULT_OK);
        let sent = s.sent();
        assert_eq!(sent[0].0, 0x0004_1007);
        assert!(
            sent[0]
                .1
                .contains("</TN><ToString /><MS><S N=\"InformationalRecord_Message\"></S>")
        );
        assert_eq!(
            sent[0].1.len() + 3,
            285,
            "the spec's size of an empty debug record"
        );
    }
}

#[test]
fn write_message_rules() {
    for chars in BOTH {
        let s = Setup::new(chars);
        let m = chars.text("m");
        for channel in [3, 4, 0xFFFF_FFFF] {
            assert_eq!(s.message(channel, &m), MI_RESULT_INVALID_PARAMETER);
        }
        // SAFETY: live context; a NULL message.
        let r = unsafe { MI_Context_WriteMessage(s.ctx, 0, std::ptr::null()) };
        assert_eq!(r, MI_RESULT_INVALID_PARAMETER);
        // SAFETY: a NULL context.
        let r = unsafe { MI_Context_WriteMessage(std::ptr::null_mut(), 0, m.ptr()) };
        assert_eq!(r, MI_RESULT_INVALID_PARAMETER);
        assert!(s.sent().is_empty(), "nothing sent by refused calls");
        for (channel, kind) in [(0, 0x0004_1009), (1, 0x0004_1008), (2, 0x0004_1007)] {
            assert_eq!(s.message(channel, &m), MI_RESULT_OK);
            assert_eq!(s.sent()[0].0, kind);
        }
    }
    // A wide value above 0x10FFFF: only a 4-byte `wchar_t` (Linux) holds
    // one; a 2-byte unit (Windows) is always UTF-16.
    if !common::WIDE_IS_UTF32 {
        return;
    }
    let s = Setup::new(Chars::Wide);
    let bad = Text::Wide(w_raw(&[0x41, 0x11_0000]));
    assert_eq!(s.message(0, &bad), MI_RESULT_INVALID_PARAMETER);
    let (r, flag) = s.error(1, None, Some(&bad));
    assert_eq!((r, flag), (MI_RESULT_INVALID_PARAMETER, 0x55));
    assert_eq!(
        s.post_error(1, Some(&bad), None),
        MI_RESULT_INVALID_PARAMETER
    );
    assert!(s.sent().is_empty());
}

#[test]
fn channels_the_client_does_not_want_are_checked_and_not_sent() {
    let s = Setup::new(Chars::Utf8);
    // SAFETY: live context.
    unsafe {
        assert_eq!(
            mipsrp_context_set_message_requested(s.ctx, 1, 0),
            MI_RESULT_OK
        );
        assert_eq!(
            mipsrp_context_set_message_requested(s.ctx, 2, MI_FALSE),
            MI_RESULT_OK
        );
        assert_eq!(
            mipsrp_context_set_message_requested(s.ctx, 3, 0),
            MI_RESULT_INVALID_PARAMETER
        );
        assert_eq!(
            mipsrp_context_set_message_requested(std::ptr::null_mut(), 0, 0),
            MI_RESULT_INVALID_PARAMETER
        );
    }
    let m = Chars::Utf8.text("m");
    assert_eq!(s.message(1, &m), MI_RESULT_OK);
    assert_eq!(s.message(2, &m), MI_RESULT_OK);
    assert_eq!(
        s.message(5, &m),
        MI_RESULT_INVALID_PARAMETER,
        "still validated"
    );
    assert!(s.sent().is_empty());
    assert_eq!(s.message(0, &m), MI_RESULT_OK);
    assert_eq!(s.sent().len(), 1);
    // SAFETY: live context.
    unsafe {
        assert_eq!(
            mipsrp_context_set_message_requested(s.ctx, 2, 1),
            MI_RESULT_OK
        )
    };
    assert_eq!(s.message(2, &m), MI_RESULT_OK);
    assert_eq!(s.sent()[0].0, 0x0004_1007);
}

#[test]
fn write_error_flag_follows_the_clients_error_action() {
    let s = Setup::new(Chars::Wide);
    let m = Chars::Wide.text("disk full");
    assert_eq!(s.error(1, None, Some(&m)), (MI_RESULT_OK, MI_TRUE));
    assert_eq!(s.sent().len(), 1);
    // SAFETY: live context.
    unsafe {
        assert_eq!(
            mipsrp_context_set_error_action(s.ctx, MIPSRP_ERROR_ACTION_STOP),
            MI_RESULT_OK
        )
    };
    assert_eq!(s.error(1, None, Some(&m)), (MI_RESULT_OK, MI_FALSE));
    assert_eq!(s.sent().len(), 1);
    // SAFETY: live context.
    unsafe {
        assert_eq!(
            mipsrp_context_set_error_action(s.ctx, MIPSRP_ERROR_ACTION_IGNORE),
            MI_RESULT_OK
        )
    };
    assert_eq!(s.error(1, None, Some(&m)), (MI_RESULT_OK, MI_TRUE));
    assert!(s.sent().is_empty(), "ignored errors are not sent");
    // SAFETY: live context.
    unsafe {
        assert_eq!(
            mipsrp_context_set_error_action(s.ctx, 3),
            MI_RESULT_INVALID_PARAMETER
        )
    };
    // SAFETY: live context; a NULL flag.
    let r =
        unsafe { MI_Context_WriteError(s.ctx, 1, std::ptr::null(), m.ptr(), std::ptr::null_mut()) };
    assert_eq!(r, MI_RESULT_INVALID_PARAMETER);
    assert!(s.sent().is_empty());
}

#[test]
fn error_ids_and_categories_reach_the_record() {
    let s = Setup::new(Chars::Utf8);
    let t = |x: &str| Chars::Utf8.text(x);
    let cases: [(u32, Option<&str>, &str, i32); 6] = [
        (2, None, "MiClientApiError_AccessDenied", 18),
        (6, Some("MI"), "MiClientApiError_NotFound", 13),
        (0x8007_0005, Some("HRESULT"), "HRESULT 0x80070005", 18),
        (87, Some("WIN32"), "Windows System Error 87", 5),
        (13, Some("ERRNO"), "CRT errno 13", 18),
        (9, Some("MyLib"), "MyLib 9", 0),
    ];
    for (code, kind, id, category) in cases {
        let kind = kind.map(t);
        assert_eq!(s.error(code, kind.as_ref(), None), (MI_RESULT_OK, MI_TRUE));
        let (_, xml) = s.sent().remove(0);
        assert!(
            xml.contains(&format!("<S N=\"FullyQualifiedErrorId\">{id}</S>")),
            "{xml}"
        );
        assert!(
            xml.contains(&format!(
                "<I32 N=\"ErrorCategory_Category\">{category}</I32>"
            )),
            "{xml}"
        );
        // A NULL message: an empty Message, the exception's type name as ToString.
        assert!(xml.contains("<S N=\"Message\"></S>"), "{xml}");
    }
}

#[test]
fn post_error_ends_the_operation_in_order_and_keeps_the_outcome() {
    for chars in BOTH {
        let s = Setup::new(chars);
        // SAFETY: live context.
        unsafe {
            assert_eq!(
                mipsrp_context_set_progress_interval(s.ctx, 60_000),
                MI_RESULT_OK
            )
        };
        assert_eq!(s.progress(chars, "first"), MI_RESULT_OK);
        assert_eq!(
            s.progress(chars, "held"),
            MI_RESULT_OK,
            "held by the interval"
        );
        let mut result = 0;
        let (mut kind, mut message): (*const c_char, *const c_char) =
            (std::ptr::null(), std::ptr::null());
        // SAFETY: live context, writable out-pointers.
        let r = unsafe { mipsrp_context_get_outcome(s.ctx, &mut result, &mut kind, &mut message) };
        assert_eq!(r, MI_RESULT_NOT_FOUND, "still going on");
        assert_eq!(
            s.post_error(MI_RESULT_ACCESS_DENIED, None, Some(&chars.text("denied"))),
            MI_RESULT_OK
        );
        let sent = s.sent();
        let kinds: Vec<u32> = sent.iter().map(|m| m.0).collect();
        assert_eq!(kinds, [0x0004_1010, 0x0004_1010, 0x0004_1005, 0x0004_1010]);
        assert!(sent[1].1.contains(">held<"), "the held record first");
        assert!(sent[2].1.contains("<S N=\"Message\">denied</S>"));
        assert!(sent[3].1.contains("Completed"), "then Completed");
        // SAFETY: live context, writable out-pointers.
        let r = unsafe { mipsrp_context_get_outcome(s.ctx, &mut result, &mut kind, &mut message) };
        assert_eq!((r, result), (MI_RESULT_OK, MI_RESULT_ACCESS_DENIED));
        // SAFETY: the strings live as long as the context.
        unsafe {
            assert_eq!(CStr::from_ptr(kind).to_str(), Ok("MI"));
            assert_eq!(CStr::from_ptr(message).to_str(), Ok("denied"));
        }
        // Everything after ends with FAILED and sends nothing.
        assert_eq!(s.message(0, &chars.text("late")), MI_RESULT_FAILED);
        assert_eq!(s.error(1, None, None).0, MI_RESULT_FAILED);
        // The ended state is checked before the arguments (a NULL flag).
        // SAFETY: live context, NULL strings and flag.
        let r = unsafe {
            MI_Context_WriteError(
                s.ctx,
                1,
                std::ptr::null(),
                std::ptr::null(),
                std::ptr::null_mut(),
            )
        };
        assert_eq!(r, MI_RESULT_FAILED);
        assert_eq!(
            s.message(9, &chars.text("bad channel, but ended")),
            MI_RESULT_FAILED
        );
        assert_eq!(s.post_error(1, None, None), MI_RESULT_FAILED);
        // SAFETY: live context.
        assert_eq!(unsafe { MI_Context_PostResult(s.ctx, 0) }, MI_RESULT_FAILED);
        assert!(s.sent().is_empty());
    }
}

#[test]
fn post_result_outcome_has_no_strings() {
    let s = Setup::new(Chars::Wide);
    // SAFETY: live context.
    assert_eq!(unsafe { MI_Context_PostResult(s.ctx, 6) }, MI_RESULT_OK);
    let (mut result, mut kind) = (0, c"x".as_ptr());
    // SAFETY: live context, writable out-pointers (one NULL: skipped).
    let r =
        unsafe { mipsrp_context_get_outcome(s.ctx, &mut result, &mut kind, std::ptr::null_mut()) };
    assert_eq!((r, result), (MI_RESULT_OK, 6));
    assert!(kind.is_null());
    // SAFETY: NULL context.
    let r = unsafe {
        mipsrp_context_get_outcome(
            std::ptr::null(),
            &mut result,
            &mut kind,
            std::ptr::null_mut(),
        )
    };
    assert_eq!(r, MI_RESULT_INVALID_PARAMETER);
}

#[test]
fn message_size_limit_is_exact_for_both_character_types() {
    for chars in BOTH {
        let s = Setup::new(chars);
        // SAFETY: live pool.
        unsafe { assert_eq!(mipsrp_pool_set_max_message_size(s.pool, 2000), MI_RESULT_OK) };
        // A warning message: 40 + 3 + 293 + 2·|M| bytes.
        let fits = "x".repeat((2000 - 40 - 3 - 293) / 2);
        assert_eq!(s.message(0, &chars.text(&fits)), MI_RESULT_OK);
        let frags = s.captured.take();
        assert_eq!(
            frags
                .iter()
                .map(|f| f.len() - FRAGMENT_HEADER_LEN)
                .sum::<usize>(),
            2000
        );
        let over = format!("{fits}y");
        assert_eq!(
            s.message(0, &chars.text(&over)),
            MI_RESULT_SERVER_LIMITS_EXCEEDED
        );
        let (r, flag) = s.error(1, None, Some(&chars.text(&"e".repeat(2000))));
        assert_eq!((r, flag), (MI_RESULT_SERVER_LIMITS_EXCEEDED, 0x55));
        assert_eq!(
            s.post_error(1, None, Some(&chars.text(&"e".repeat(2000)))),
            MI_RESULT_SERVER_LIMITS_EXCEEDED
        );
        assert!(s.sent().is_empty());
        // The operation goes on after a refused PostError.
        assert_eq!(
            s.post_error(1, None, Some(&chars.text("short"))),
            MI_RESULT_OK
        );
    }
}

#[test]
fn a_freed_context_ends_with_a_freed_outcome_and_records_keep_their_order() {
    let s = Setup::new(Chars::Utf8);
    let c = Chars::Utf8;
    assert_eq!(s.progress(c, "p1"), MI_RESULT_OK);
    assert_eq!(s.message(0, &c.text("w")), MI_RESULT_OK);
    assert_eq!(s.error(1, None, Some(&c.text("e"))).0, MI_RESULT_OK);
    assert_eq!(s.message(1, &c.text("v")), MI_RESULT_OK);
    let kinds: Vec<u32> = s.sent().iter().map(|m| m.0).collect();
    assert_eq!(kinds, [0x0004_1010, 0x0004_1009, 0x0004_1005, 0x0004_1008]);
}

//! Interop: warning, verbose, debug and error records written through the C
//! API by a UTF-8 and a wide provider, decoded by an independent
//! implementation, psrpcore (PyPI), with every field compared. Small
//! fragments, so that records span several.

mod common;

use std::ffi::CString;
use std::process::Command;

use common::{Captured, pool};
use mi_psrp::ffi::context::{MI_Context_PostError, MI_Context_WriteError, MI_Context_WriteMessage};
use mi_psrp::ffi::host::{
    mipsrp_context_free, mipsrp_context_new_ex, mipsrp_pool_free, mipsrp_pool_set_fragment_size,
};
use mi_psrp::mi::{MI_Char, MI_RESULT_OK};

const RPID: &str = "6397709e-f7d6-c54d-9568-fd4656ae4820";
const PIDS: [&str; 2] = [
    "632aa393-254e-b24d-8288-4d968d0da65d",
    "26377469-b36f-5a4e-ad9e-0650b745173f",
];

/// Text as a provider of each character type passes it, NUL-terminated.
fn provider_text(char_size: usize, s: &str) -> Vec<u8> {
    if char_size == 1 {
        CString::new(s).unwrap().into_bytes_with_nul()
    } else {
        // UTF-16 or UTF-32, as `wchar_t` is 2 or 4 bytes.
        common::w(s).iter().flat_map(|c| c.to_ne_bytes()).collect()
    }
}

fn units(s: &str) -> String {
    let u: Vec<String> = s.encode_utf16().map(|u| u.to_string()).collect();
    format!("[{}]", u.join(","))
}

#[test]
fn psrpcore_decodes_stream_records_from_both_character_types() {
    let captured = Box::<Captured>::default();
    let pool = pool(RPID, &captured);
    // SAFETY: live pool.
    assert_eq!(
        unsafe { mipsrp_pool_set_fragment_size(pool, 64) },
        MI_RESULT_OK
    );
    let messages = [
        "plain warning",
        "Größe <&> \u{1F600} _x0041_ tab\there\r\nnew line",
        "",
        "\u{7}bell and \u{85} NEL",
    ];
    let mut expected = Vec::new();
    for (i, char_size) in [1, size_of::<MI_Char>()].into_iter().enumerate() {
        let pid = CString::new(PIDS[i]).unwrap();
        let mut ctx = std::ptr::null_mut();
        // SAFETY: live pool, valid string and out-pointer.
        let r = unsafe { mipsrp_context_new_ex(pool, pid.as_ptr(), 3, -1, char_size, &mut ctx) };
        assert_eq!(r, MI_RESULT_OK);
        for (n, m) in messages.iter().enumerate() {
            let channel = (n % 3) as u32;
            let text = provider_text(char_size, m);
            // SAFETY: live context, NUL-terminated text of the context's type.
            let r = unsafe { MI_Context_WriteMessage(ctx, channel, text.as_ptr().cast()) };
            assert_eq!(r, MI_RESULT_OK);
            let kind = ["warning", "verbose", "debug"][channel as usize];
            expected.push(format!(
                r#"{{"kind":"{kind}","pid":"{}","Message":{}}}"#,
                PIDS[i],
                units(m)
            ));
        }
        let errors = [
            (
                5u32,
                "WIN32",
                "Access is denied.",
                "Windows System Error 5",
                18,
            ),
            (
                6,
                "MI",
                "no such \u{1F600} item",
                "MiClientApiError_NotFound",
                13,
            ),
            (0x8004_1001, "HRESULT", "", "HRESULT 0x80041001", 0),
        ];
        for (code, kind, message, id, category) in errors {
            let (k, m) = (
                provider_text(char_size, kind),
                provider_text(char_size, message),
            );
            let mut flag = 0;
            // SAFETY: live context, NUL-terminated strings, writable flag.
            let r = unsafe {
                MI_Context_WriteError(ctx, code, k.as_ptr().cast(), m.as_ptr().cast(), &mut flag)
            };
            assert_eq!((r, flag), (MI_RESULT_OK, 1));
            expected.push(format!(
                r#"{{"kind":"error","pid":"{}","Message":{},"FullyQualifiedErrorId":"{id}","Category":{category},"Reason":"CimException","ExceptionType":"Microsoft.Management.Infrastructure.CimException"}}"#,
                PIDS[i],
                units(message)
            ));
        }
        let m = provider_text(char_size, "the operation failed");
        // SAFETY: live context, NUL-terminated string.
        let r = unsafe { MI_Context_PostError(ctx, 2, std::ptr::null(), m.as_ptr().cast()) };
        assert_eq!(r, MI_RESULT_OK);
        expected.push(format!(
            r#"{{"kind":"error","pid":"{}","Message":{},"FullyQualifiedErrorId":"MiClientApiError_AccessDenied","Category":18,"Reason":"CimException","ExceptionType":"Microsoft.Management.Infrastructure.CimException"}}"#,
            PIDS[i],
            units("the operation failed")
        ));
        // SAFETY: made above, freed once.
        unsafe { mipsrp_context_free(ctx) };
    }
    // SAFETY: made above, freed once, after its contexts.
    unsafe { mipsrp_pool_free(pool) };

    let fragments = captured.take();
    assert!(
        fragments.len() > 2 * expected.len(),
        "records span several 64-byte fragments"
    );
    let dir = common::tmp_dir();
    let stream_path = dir.join("interop-streams.bin");
    let expected_path = dir.join("interop-streams.json");
    std::fs::write(&stream_path, fragments.concat()).unwrap();
    std::fs::write(&expected_path, format!("[{}]", expected.join(",\n"))).unwrap();
    let out = Command::new(common::python())
        .arg(common::repo().join("tests/interop/psrpcore_streams.py"))
        .arg(&stream_path)
        .arg(&expected_path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "psrpcore disagrees:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // 1 count check; informational: 4 checks each; errors: 12 checks each.
    let informational = 2 * messages.len();
    let errors = expected.len() - informational;
    assert!(
        stdout.trim_end().ends_with(&format!(
            "{} passed, 0 failed",
            1 + informational * 4 + errors * 12
        )),
        "every field of every record was compared:\n{stdout}"
    );
}

//! Interop: a fragment stream produced through the C API, decoded by an
//! independent implementation, psrpcore (PyPI), with every field compared.
//!
//! The Python interpreter comes from `common::python()`: `$MIPSRP_PYTHON` if
//! set (CI sets it), else the repository's `.venv`, created with psrpcore from
//! PyPI when missing. There is no skip: without psrpcore the test fails.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::{Captured, context, pool, w, w_raw};
use mi_psrp::ffi::context::{MI_Context_PostResult, MI_Context_WriteProgress};
use mi_psrp::ffi::host::{mipsrp_context_free, mipsrp_pool_free, mipsrp_pool_set_fragment_size};
use mi_psrp::mi::{MI_Char, MI_RESULT_OK};

const RPID: &str = "6397709e-f7d6-c54d-9568-fd4656ae4820";
const PID_A: &str = "632aa393-254e-b24d-8288-4d968d0da65d";
const PID_B: &str = "{26377469-B36F-5A4E-AD9E-0650B745173F}";

/// One expected record, strings as UTF-16 units (JSON cannot carry lone surrogates).
struct Expected {
    pid: &'static str,
    activity_id: i32,
    parent: i32,
    activity: Vec<u16>,
    status: Vec<u16>,
    current: Option<Vec<u16>>,
    percent: i32,
    seconds: i32,
    completed: bool,
}

/// UTF-16 units of a wide (UTF-32) string as the decoder must return them.
fn utf16_of(wide: &[MI_Char]) -> Vec<u16> {
    wide.iter()
        .take_while(|&&c| c != 0)
        .flat_map(|&c| {
            let c = c as u32;
            if c >= 0x1_0000 {
                let v = c - 0x1_0000;
                vec![0xD800 | (v >> 10) as u16, 0xDC00 | (v & 0x3FF) as u16]
            } else {
                vec![c as u16]
            }
        })
        .collect()
}

fn json_units(u: &[u16]) -> String {
    format!(
        "[{}]",
        u.iter()
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
            .join(",")
    )
}

fn to_json(records: &[Expected]) -> String {
    let items: Vec<String> = records
        .iter()
        .map(|r| {
            format!(
                r#"{{"rpid":"{RPID}","pid":"{}","Activity":{},"ActivityId":{},"StatusDescription":{},"CurrentOperation":{},"ParentActivityId":{},"PercentComplete":{},"Type":"{}","SecondsRemaining":{}}}"#,
                r.pid.trim_matches(['{', '}']).to_lowercase(),
                json_units(&r.activity),
                r.activity_id,
                json_units(&r.status),
                r.current.as_deref().map_or("null".into(), json_units),
                r.parent,
                r.percent,
                if r.completed { "Completed" } else { "Processing" },
                r.seconds,
            )
        })
        .collect();
    format!("[{}]", items.join(",\n"))
}

#[test]
fn psrpcore_decodes_what_the_c_api_sends() {
    let captured = Captured::default();
    let pool = pool(RPID, &captured);
    let a = context(pool, PID_A, 4, -1);
    let b = context(pool, PID_B, 5, 4);
    let mut expected = Vec::new();

    let nasty: Vec<Vec<MI_Char>> = vec![
        // The spec's vector, with its lone surrogate.
        w_raw(
            &"treble clef\n _x0000_ _X0000_ \u{1D11E} café "
                .chars()
                .map(u32::from)
                .chain([0xD83C])
                .chain(" _x001G_".chars().map(u32::from))
                .collect::<Vec<_>>(),
        ),
        w("<&>\"' ]]> <![CDATA[ x"),
        w("ctl\u{1}\u{7}\u{8}\t\r\n\u{1F} del\u{7F} c1\u{80}\u{85}\u{9F} nbsp\u{A0}"),
        w("_x0041_ _X0041_ x_y _xyz trailing_ __x__ _x005F_"),
        w("emoji \u{1F600} \u{10FFFF} 中文 \u{2028} \u{FFFD}"),
        w_raw(&[
            0x6C, 0xD800, 0x20, 0xDC00, 0x20, 0xDBFF, 0xFFFE, 0x20, 0xFFFF,
        ]),
    ];
    for (i, s) in nasty.iter().enumerate() {
        let cur = &nasty[(i + 1) % nasty.len()];
        let status = &nasty[(i + 2) % nasty.len()];
        // SAFETY: live context, NUL-terminated strings.
        let r = unsafe {
            MI_Context_WriteProgress(
                a,
                s.as_ptr(),
                cur.as_ptr(),
                status.as_ptr(),
                i as u32 * 20,
                7,
            )
        };
        assert_eq!(r, MI_RESULT_OK);
        expected.push(Expected {
            pid: PID_A,
            activity_id: 4,
            parent: -1,
            activity: utf16_of(s),
            status: utf16_of(status),
            current: Some(utf16_of(cur)),
            percent: i as i32 * 20,
            seconds: 7,
            completed: false,
        });
    }

    // NULL and empty strings, unknown numbers.
    let act = w("Copying files");
    let empty = w("");
    // SAFETY: live context, NUL-terminated strings or NULL.
    unsafe {
        assert_eq!(
            MI_Context_WriteProgress(
                b,
                act.as_ptr(),
                std::ptr::null(),
                std::ptr::null(),
                u32::MAX,
                u32::MAX
            ),
            MI_RESULT_OK
        );
        assert_eq!(
            MI_Context_WriteProgress(
                b,
                act.as_ptr(),
                empty.as_ptr(),
                empty.as_ptr(),
                100,
                0x7FFF_FFFF
            ),
            MI_RESULT_OK
        );
    }
    for (current, percent, seconds) in [(None, -1, -1), (Some(vec![]), 100, 0x7FFF_FFFF)] {
        expected.push(Expected {
            pid: PID_B,
            activity_id: 5,
            parent: 4,
            activity: utf16_of(&act),
            status: vec![0x20],
            current,
            percent,
            seconds,
            completed: false,
        });
    }

    // A multi-fragment record at PowerShell's fragment size (3 fragments) ...
    let big: Vec<MI_Char> = (0..70_000u32)
        .map(|i| {
            if i % 100 == 99 {
                '_' as MI_Char
            } else {
                ('A' as u32 + i % 26) as MI_Char
            }
        })
        .chain([0])
        .collect();
    // ... and then small fragments for every record.
    // SAFETY: live context and pool, NUL-terminated strings.
    unsafe {
        assert_eq!(
            MI_Context_WriteProgress(a, big.as_ptr(), act.as_ptr(), act.as_ptr(), 50, 1),
            MI_RESULT_OK
        );
        assert_eq!(mipsrp_pool_set_fragment_size(pool, 64), MI_RESULT_OK);
        assert_eq!(
            MI_Context_WriteProgress(
                a,
                nasty[0].as_ptr(),
                nasty[1].as_ptr(),
                nasty[2].as_ptr(),
                99,
                2
            ),
            MI_RESULT_OK
        );
    }
    expected.push(Expected {
        pid: PID_A,
        activity_id: 4,
        parent: -1,
        activity: utf16_of(&big),
        status: utf16_of(&act),
        current: Some(utf16_of(&act)),
        percent: 50,
        seconds: 1,
        completed: false,
    });
    expected.push(Expected {
        pid: PID_A,
        activity_id: 4,
        parent: -1,
        activity: utf16_of(&nasty[0]),
        status: utf16_of(&nasty[2]),
        current: Some(utf16_of(&nasty[1])),
        percent: 99,
        seconds: 2,
        completed: false,
    });
    // PostResult ends each activity with a Completed record carrying the last
    // Activity and StatusDescription.
    expected.push(Expected {
        pid: PID_A,
        activity_id: 4,
        parent: -1,
        activity: utf16_of(&nasty[0]),
        status: utf16_of(&nasty[2]),
        current: None,
        percent: -1,
        seconds: -1,
        completed: true,
    });
    expected.push(Expected {
        pid: PID_B,
        activity_id: 5,
        parent: 4,
        activity: utf16_of(&act),
        status: vec![0x20],
        current: None,
        percent: -1,
        seconds: -1,
        completed: true,
    });
    // SAFETY: handles made above.
    unsafe {
        assert_eq!(MI_Context_PostResult(a, MI_RESULT_OK), MI_RESULT_OK);
        assert_eq!(MI_Context_PostResult(b, MI_RESULT_OK), MI_RESULT_OK);
        mipsrp_context_free(a);
        mipsrp_context_free(b);
        mipsrp_pool_free(pool);
    }

    let fragments = captured.take();
    let big_fragments = fragments.iter().filter(|f| f.len() == 32768).count();
    assert_eq!(
        big_fragments, 2,
        "the 70k record spans 3 fragments at 32768"
    );
    let stream: Vec<u8> = fragments.concat();
    let dir: PathBuf = common::tmp_dir();
    let stream_path = dir.join("interop-stream.bin");
    let expected_path = dir.join("interop-expected.json");
    std::fs::write(&stream_path, &stream).unwrap();
    std::fs::write(&expected_path, to_json(&expected)).unwrap();

    let script = common::repo().join("tests/interop/psrpcore_check.py");
    let out = Command::new(common::python())
        .arg(&script)
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
    assert!(stdout.trim_end().ends_with(" passed, 0 failed"), "{stdout}");
    let passed: usize = stdout
        .trim_end()
        .rsplit('\n')
        .next()
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        passed,
        1 + expected.len() * 11,
        "every field of every record was compared"
    );
}

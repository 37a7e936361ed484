//! The exported MI_Context_WriteProgress fed arbitrary wide strings and
//! integers: it returns exactly what the argument rules say, sends nothing
//! when it refuses, and what it sends decodes to the arguments.
#![no_main]

use std::ffi::c_void;
use std::sync::Mutex;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use mi_psrp::ffi::context::MI_Context_WriteProgress;
use mi_psrp::ffi::host::{
    mipsrp_context_free, mipsrp_context_new, mipsrp_pool_free, mipsrp_pool_new,
    mipsrp_pool_set_fragment_size,
};
use mi_psrp::mi::{MI_Char, MI_RESULT_INVALID_PARAMETER, MI_RESULT_OK};
use mi_psrp::psrp::{ProgressRecordType, decode_stream};

#[derive(Arbitrary, Debug)]
struct Input {
    activity: Option<Vec<i32>>,
    current_operation: Option<Vec<i32>>,
    status_description: Option<Vec<i32>>,
    percent_complete: u32,
    seconds_remaining: u32,
    fragment_size: u16,
}

static WIRE: Mutex<Vec<u8>> = Mutex::new(Vec::new());

unsafe extern "C" fn sink(_: *mut c_void, fragment: *const u8, length: usize) {
    // SAFETY: the library passes `length` readable bytes.
    let bytes = unsafe { std::slice::from_raw_parts(fragment, length) };
    WIRE.lock().unwrap().extend_from_slice(bytes);
}

/// A NUL-terminated copy: the string ends at its first NUL, as in C.
fn terminated(units: &Option<Vec<i32>>) -> Option<Vec<MI_Char>> {
    units.as_ref().map(|u| {
        u.iter()
            .copied()
            .take_while(|&c| c != 0)
            .map(|c| c as MI_Char)
            .chain([0])
            .collect()
    })
}

/// The UTF-16 a decoder must return for valid UTF-32 text.
fn utf16(units: &[MI_Char]) -> Vec<u16> {
    units[..units.len() - 1]
        .iter()
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

fuzz_target!(|input: Input| {
    WIRE.lock().unwrap().clear();
    let (activity, current, status) = (
        terminated(&input.activity),
        terminated(&input.current_operation),
        terminated(&input.status_description),
    );
    let ptr = |s: &Option<Vec<MI_Char>>| s.as_ref().map_or(std::ptr::null(), |v| v.as_ptr());
    let (mut pool, mut ctx) = (std::ptr::null_mut(), std::ptr::null_mut());
    // SAFETY: valid arguments throughout; handles freed at the end.
    let result = unsafe {
        assert_eq!(
            mipsrp_pool_new(
                c"6397709e-f7d6-c54d-9568-fd4656ae4820".as_ptr(),
                Some(sink),
                std::ptr::null_mut(),
                &mut pool
            ),
            MI_RESULT_OK
        );
        mipsrp_pool_set_fragment_size(pool, u32::from(input.fragment_size).max(22));
        assert_eq!(
            mipsrp_context_new(
                pool,
                c"632aa393-254e-b24d-8288-4d968d0da65d".as_ptr(),
                5,
                2,
                &mut ctx
            ),
            MI_RESULT_OK
        );
        let r = MI_Context_WriteProgress(
            ctx,
            ptr(&activity),
            ptr(&current),
            ptr(&status),
            input.percent_complete,
            input.seconds_remaining,
        );
        if r != MI_RESULT_OK {
            assert!(
                WIRE.lock().unwrap().is_empty(),
                "a refused call sent something"
            );
        }
        mipsrp_context_free(ctx); // sends Completed after an accepted write
        mipsrp_pool_free(pool);
        r
    };

    let strings = [&activity, &current, &status];
    let in_range = strings.iter().all(|s| {
        s.as_ref()
            .is_none_or(|v| v.iter().all(|&c| (0..=0x10FFFF).contains(&c)))
    });
    let valid = activity.as_ref().is_some_and(|a| a.len() > 1)
        && (input.percent_complete <= 100 || input.percent_complete == u32::MAX)
        && (input.seconds_remaining <= 0x7FFF_FFFF || input.seconds_remaining == u32::MAX)
        && in_range;
    if !valid {
        assert_eq!(result, MI_RESULT_INVALID_PARAMETER, "{input:?}");
        return;
    }
    assert_eq!(result, MI_RESULT_OK, "{input:?}");
    let messages = decode_stream(&WIRE.lock().unwrap()).expect("what we send decodes");
    assert_eq!(messages.len(), 2);
    let r = messages[0].progress().unwrap();
    assert_eq!(r.activity.units(), utf16(activity.as_ref().unwrap()));
    let expected_status = status
        .as_ref()
        .filter(|s| s.len() > 1)
        .map_or(vec![0x20], |s| utf16(s));
    assert_eq!(r.status_description.units(), expected_status);
    assert_eq!(
        r.current_operation.as_ref().map(|c| c.units().to_vec()),
        current.as_ref().map(|c| utf16(c))
    );
    assert_eq!(
        r.percent_complete,
        if input.percent_complete == u32::MAX {
            -1
        } else {
            input.percent_complete as i32
        }
    );
    assert_eq!(
        r.seconds_remaining,
        if input.seconds_remaining == u32::MAX {
            -1
        } else {
            input.seconds_remaining as i32
        }
    );
    assert_eq!((r.activity_id, r.parent_activity_id), (5, 2));
    assert_eq!(
        messages[1].progress().unwrap().record_type,
        ProgressRecordType::Completed
    );
});

//! The module API of `mi_psrp.h` used as a C host uses it (through the
//! exported functions): load a module, make input instances, run operations
//! on contexts made for the module's character size, pass operation options,
//! set the pool's output settings (computer name, class metadata).

mod common;

use std::ffi::CString;
use std::ptr;

use common::{Captured, pool};
use mi_psrp::ffi::connection::mipsrp_context_wait;
use mi_psrp::ffi::host::{mipsrp_context_free, mipsrp_context_new_ex, mipsrp_pool_free};
use mi_psrp::ffi::module::*;
use mi_psrp::mi::*;

const PID: &str = "632aa393-254e-b24d-8288-4d968d0da65d";

fn c(s: &str) -> CString {
    CString::new(s).unwrap()
}

/// Loads `dir` built with `ct`, through the C API.
fn load(dir: &str, ct: u32) -> *mut mipsrp_module {
    let path = c(
        common::modules::module_copy(dir, ct, &format!("api-{}", std::process::id()))
            .to_str()
            .unwrap(),
    );
    let mut m = ptr::null_mut();
    let mut err = [0 as libc::c_char; 256];
    // SAFETY: valid path, out-pointer and buffer.
    let r = unsafe { mipsrp_module_load(path.as_ptr(), &mut m, err.as_mut_ptr(), err.len()) };
    assert_eq!(r, MI_RESULT_OK);
    m
}

fn context(p: *mut mi_psrp::ffi::host::mipsrp_pool, m: *const mipsrp_module) -> *mut MI_Context {
    let mut size = 0;
    // SAFETY: a live module.
    assert_eq!(
        unsafe { mipsrp_module_char_size(m, &mut size) },
        MI_RESULT_OK
    );
    let id = c(PID);
    let mut ctx = ptr::null_mut();
    // SAFETY: a live pool, valid arguments.
    let r = unsafe { mipsrp_context_new_ex(p, id.as_ptr(), -1, -1, size as usize, &mut ctx) };
    assert_eq!(r, MI_RESULT_OK);
    ctx
}

/// The CLIXML of every PIPELINE_OUTPUT message captured.
fn outputs(captured: &Captured) -> Vec<String> {
    let stream = captured.stream();
    let mut d = mi_psrp::psrp::Defragmenter::new();
    let mut out = Vec::new();
    for f in mi_psrp::psrp::split_fragments(&stream) {
        let (h, blob) = f.unwrap();
        if let Some((_, m)) = d.push(&h, blob).unwrap() {
            if u32::from_le_bytes(m[4..8].try_into().unwrap()) == 0x0004_1004 {
                out.push(String::from_utf8_lossy(&m[43..]).into_owned());
            }
        }
    }
    out
}

#[test]
fn load_errors_come_back_in_the_buffer_and_change_nothing() {
    let path = c("/nonexistent/libx.so");
    let mut m = ptr::null_mut();
    let mut err = [0 as libc::c_char; 128];
    // SAFETY: valid arguments.
    let r = unsafe { mipsrp_module_load(path.as_ptr(), &mut m, err.as_mut_ptr(), err.len()) };
    assert_eq!(r, MI_RESULT_FAILED);
    assert!(m.is_null());
    // SAFETY: NUL-terminated by the call.
    let text = unsafe { std::ffi::CStr::from_ptr(err.as_ptr()) }.to_string_lossy();
    assert!(
        text.starts_with("cannot load /nonexistent/libx.so: "),
        "{text}"
    );
    // A short buffer is cut, still NUL-terminated.
    let mut short = [1 as libc::c_char; 8];
    // SAFETY: valid arguments.
    unsafe { mipsrp_module_load(path.as_ptr(), &mut m, short.as_mut_ptr(), short.len()) };
    assert_eq!(short[7], 0);
    // NULL arguments.
    // SAFETY: NULLs are checked.
    unsafe {
        assert_eq!(
            mipsrp_module_load(ptr::null(), &mut m, ptr::null_mut(), 0),
            MI_RESULT_INVALID_PARAMETER
        );
        assert_eq!(
            mipsrp_module_load(path.as_ptr(), ptr::null_mut(), ptr::null_mut(), 0),
            MI_RESULT_INVALID_PARAMETER
        );
        mipsrp_module_free(ptr::null_mut());
    }
}

#[test]
fn a_c_host_enumerates_and_invokes_with_output_settings() {
    let captured = Captured::default();
    let p = pool("6397709e-f7d6-c54d-9568-fd4656ae4820", &captured);
    let m = load("xyz", 2);
    let name = c("box1");
    // SAFETY: live pool, valid name.
    assert_eq!(
        unsafe { mipsrp_pool_set_output(p, name.as_ptr(), MI_TRUE) },
        MI_RESULT_OK
    );
    let ctx = context(p, m);
    let (ns, class) = (c("root/xyz"), c("XYZ_Widget"));
    // SAFETY: live module and context, valid strings.
    let r = unsafe {
        mipsrp_module_enumerate(
            m,
            ctx,
            ns.as_ptr(),
            class.as_ptr(),
            ptr::null(),
            MI_TRUE,
            ptr::null(),
            0,
        )
    };
    assert_eq!(r, MI_RESULT_OK);
    // SAFETY: a live context.
    let mut result = 99;
    assert_eq!(
        unsafe { mipsrp_context_wait(ctx, 10_000, &mut result) },
        MI_RESULT_OK
    );
    assert_eq!(result, MI_RESULT_OK);
    // SAFETY: ended, freed once.
    unsafe { mipsrp_context_free(ctx) };
    let out = outputs(&captured);
    assert_eq!(out.len(), 2);
    assert!(
        out[0].contains("<S N=\"PSComputerName\">box1</S>"),
        "{}",
        out[0]
    );
    // The first instance carries the whole chain's class metadata, the next one the leaf only.
    assert!(
        out[0].contains("<S N=\"ClassName\">XYZ_Base</S>"),
        "{}",
        out[0]
    );
    assert!(out[0].contains("MiXml"));
    assert!(!out[1].contains("MiXml"), "{}", out[1]);

    // Invoke Scan with a parameter set through the instance's table.
    let mut params = ptr::null_mut();
    let (scan, pattern) = (c("Scan"), c("Pattern"));
    // SAFETY: valid arguments.
    assert_eq!(
        unsafe { mipsrp_module_new_parameters(m, class.as_ptr(), scan.as_ptr(), &mut params) },
        MI_RESULT_OK
    );
    let value: Vec<MI_Char> = "q".chars().map(|ch| ch as MI_Char).chain([0]).collect();
    let wname: Vec<MI_Char> = "Pattern"
        .chars()
        .map(|ch| ch as MI_Char)
        .chain([0])
        .collect();
    let _ = pattern;
    // SAFETY: MI_Value is plain data.
    let mut v: MI_Value = unsafe { std::mem::zeroed() };
    v.string = value.as_ptr().cast_mut();
    // SAFETY: our instance's table; a wide module's strings.
    assert_eq!(
        unsafe { (*(*params).ft).SetElement.unwrap()(params, wname.as_ptr(), &v, MI_STRING, 0) },
        MI_RESULT_OK
    );
    let ctx = context(p, m);
    // SAFETY: live module, context and instance.
    let r = unsafe {
        mipsrp_module_invoke(
            m,
            ctx,
            ns.as_ptr(),
            class.as_ptr(),
            scan.as_ptr(),
            ptr::null(),
            params,
        )
    };
    assert_eq!(r, MI_RESULT_OK);
    // SAFETY: a live context.
    let mut result = 99;
    assert_eq!(
        unsafe { mipsrp_context_wait(ctx, 10_000, &mut result) },
        MI_RESULT_OK
    );
    assert_eq!(result, MI_RESULT_OK);
    // SAFETY: ended; our heap instance.
    unsafe {
        mipsrp_context_free(ctx);
        assert_eq!((*(*params).ft).Delete.unwrap()(params), MI_RESULT_OK);
    }
    let out = outputs(&captured);
    assert!(out[2].contains("<S N=\"ItemValue\">q-1</S>"), "{}", out[2]);
    assert!(out[4].contains("CimMethodResult#XYZ_Widget#Scan"));
    // SAFETY: every operation ended.
    unsafe {
        mipsrp_module_free(m);
        mipsrp_pool_free(p);
    }
}

#[test]
fn operation_options_reach_the_provider_in_its_character_type() {
    for ct in [1u32, 2] {
        let captured = Captured::default();
        let p = pool("6397709e-f7d6-c54d-9568-fd4656ae4820", &captured);
        let m = load("xyz", ct);
        let ctx = context(p, m);
        let (n1, v1, n2) = (c("Mode"), c("fast"), c("Retries"));
        // SAFETY: a live context, valid strings.
        unsafe {
            assert_eq!(
                mipsrp_context_set_string_option(ctx, n1.as_ptr(), v1.as_ptr()),
                MI_RESULT_OK
            );
            assert_eq!(
                mipsrp_context_set_number_option(ctx, n2.as_ptr(), 3),
                MI_RESULT_OK
            );
            assert_eq!(
                mipsrp_context_set_number_option(ctx, n2.as_ptr(), 4),
                MI_RESULT_OK
            );
            assert_eq!(
                mipsrp_context_set_string_option(ptr::null_mut(), n1.as_ptr(), v1.as_ptr()),
                MI_RESULT_INVALID_PARAMETER
            );
        }
        // What the provider sees, through the context's own slots.
        let text = |s: &str| -> Vec<u8> {
            if ct == 1 {
                s.bytes().chain([0]).collect()
            } else {
                s.chars()
                    .flat_map(|ch| (ch as u32).to_ne_bytes())
                    .chain([0; 4])
                    .collect()
            }
        };
        let read = |p: *const MI_Char| -> String {
            // SAFETY: a NUL-terminated string of the provider's type.
            unsafe {
                if ct == 1 {
                    std::ffi::CStr::from_ptr(p.cast())
                        .to_string_lossy()
                        .into_owned()
                } else {
                    let len = libc::wcslen(p);
                    std::slice::from_raw_parts(p, len)
                        .iter()
                        .map(|&u| char::from_u32(u as u32).unwrap())
                        .collect()
                }
            }
        };
        // SAFETY: a live context of ours.
        let ft = unsafe { &*(*ctx).ft };
        let (mode, retries, missing) = (text("MODE"), text("retries"), text("Nope"));
        let mut s: *const MI_Char = ptr::null();
        let mut n = 0u32;
        // SAFETY: the context's slots with valid arguments.
        unsafe {
            assert_eq!(
                ft.GetStringOption.unwrap()(ctx, mode.as_ptr().cast(), &mut s),
                MI_RESULT_OK
            );
            assert_eq!(read(s), "fast");
            assert_eq!(
                ft.GetNumberOption.unwrap()(ctx, retries.as_ptr().cast(), &mut n),
                MI_RESULT_OK
            );
            assert_eq!(n, 4, "the later set wins");
            assert_eq!(
                ft.GetNumberOption.unwrap()(ctx, mode.as_ptr().cast(), &mut n),
                MI_RESULT_TYPE_MISMATCH
            );
            assert_eq!(
                ft.GetStringOption.unwrap()(ctx, missing.as_ptr().cast(), &mut s),
                MI_RESULT_NO_SUCH_PROPERTY
            );
            assert_eq!(ft.GetCustomOptionCount.unwrap()(ctx, &mut n), MI_RESULT_OK);
            assert_eq!(n, 2);
            let mut name: *const MI_Char = ptr::null();
            let mut ty = 99;
            let mut v: MI_Value = std::mem::zeroed();
            assert_eq!(
                ft.GetCustomOptionAt.unwrap()(ctx, 1, &mut name, &mut ty, &mut v),
                MI_RESULT_OK
            );
            assert_eq!(
                (read(name).as_str(), ty, v.uint32),
                ("Retries", MI_UINT32, 4)
            );
            assert_eq!(
                ft.GetCustomOption.unwrap()(ctx, mode.as_ptr().cast(), &mut ty, &mut v),
                MI_RESULT_OK
            );
            assert_eq!((ty, read(v.string)), (MI_STRING, "fast".to_owned()));
            assert_eq!(
                ft.GetCustomOptionAt.unwrap()(ctx, 2, &mut name, &mut ty, &mut v),
                MI_RESULT_NO_SUCH_PROPERTY
            );
            mipsrp_context_free(ctx);
            mipsrp_module_free(m);
            mipsrp_pool_free(p);
        }
    }
}

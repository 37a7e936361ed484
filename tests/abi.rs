//! The C view of MI_Context / MI_ContextFT (a C program's sizeof/offsetof)
//! equals the Rust declarations and the slot table of mi-context-abi.md.

mod common;

use std::collections::HashMap;
use std::mem::{offset_of, size_of};

use mi_psrp::mi::{MI_Char, MI_Context, MI_ContextFT, MI_Result};

/// Microsoft's slot order (mi-context-abi.md): slot i is at offset i * pointer size.
const SLOTS: [&str; 31] = [
    "PostResult",
    "PostInstance",
    "PostIndication",
    "ConstructInstance",
    "ConstructParameters",
    "NewInstance",
    "NewDynamicInstance",
    "NewParameters",
    "Canceled",
    "GetLocale",
    "RegisterCancel",
    "RequestUnload",
    "RefuseUnload",
    "GetLocalSession",
    "SetStringOption",
    "GetStringOption",
    "GetNumberOption",
    "GetCustomOption",
    "GetCustomOptionCount",
    "GetCustomOptionAt",
    "WriteMessage",
    "WriteProgress",
    "WriteStreamParameter",
    "WriteCimError",
    "PromptUser",
    "ShouldProcess",
    "ShouldContinue",
    "PostError",
    "PostCimError",
    "WriteError",
    "GetLifecycleIndicationContext",
];

fn rust_slot_offsets() -> [usize; 31] {
    [
        offset_of!(MI_ContextFT, PostResult),
        offset_of!(MI_ContextFT, PostInstance),
        offset_of!(MI_ContextFT, PostIndication),
        offset_of!(MI_ContextFT, ConstructInstance),
        offset_of!(MI_ContextFT, ConstructParameters),
        offset_of!(MI_ContextFT, NewInstance),
        offset_of!(MI_ContextFT, NewDynamicInstance),
        offset_of!(MI_ContextFT, NewParameters),
        offset_of!(MI_ContextFT, Canceled),
        offset_of!(MI_ContextFT, GetLocale),
        offset_of!(MI_ContextFT, RegisterCancel),
        offset_of!(MI_ContextFT, RequestUnload),
        offset_of!(MI_ContextFT, RefuseUnload),
        offset_of!(MI_ContextFT, GetLocalSession),
        offset_of!(MI_ContextFT, SetStringOption),
        offset_of!(MI_ContextFT, GetStringOption),
        offset_of!(MI_ContextFT, GetNumberOption),
        offset_of!(MI_ContextFT, GetCustomOption),
        offset_of!(MI_ContextFT, GetCustomOptionCount),
        offset_of!(MI_ContextFT, GetCustomOptionAt),
        offset_of!(MI_ContextFT, WriteMessage),
        offset_of!(MI_ContextFT, WriteProgress),
        offset_of!(MI_ContextFT, WriteStreamParameter),
        offset_of!(MI_ContextFT, WriteCimError),
        offset_of!(MI_ContextFT, PromptUser),
        offset_of!(MI_ContextFT, ShouldProcess),
        offset_of!(MI_ContextFT, ShouldContinue),
        offset_of!(MI_ContextFT, PostError),
        offset_of!(MI_ContextFT, PostCimError),
        offset_of!(MI_ContextFT, WriteError),
        offset_of!(MI_ContextFT, GetLifecycleIndicationContext),
    ]
}

#[test]
fn c_layout_equals_rust_layout_and_the_spec() {
    let exe = common::compile_c("abi_layout", &["tests/c/abi_layout.c"], &[]);
    let out = common::run(&exe, &[]);
    let c: HashMap<&str, Vec<usize>> = out
        .lines()
        .map(|l| {
            let mut it = l.split_whitespace();
            let k = it.next().unwrap();
            (k, it.map(|n| n.parse().unwrap()).collect())
        })
        .collect();
    let ptr = size_of::<usize>();

    assert_eq!(c["sizeof.MI_Context"], [size_of::<MI_Context>()]);
    assert_eq!(size_of::<MI_Context>(), 4 * ptr, "ft + 3 reserved words");
    assert_eq!(
        c["alignof.MI_Context"],
        [std::mem::align_of::<MI_Context>()]
    );
    assert_eq!(c["MI_Context.ft"], [offset_of!(MI_Context, ft), ptr]);
    assert_eq!(
        c["MI_Context.reserved"],
        [offset_of!(MI_Context, reserved), 3 * ptr]
    );
    assert_eq!(offset_of!(MI_Context, ft), 0);
    assert_eq!(c["sizeof.MI_ContextFT"], [size_of::<MI_ContextFT>()]);
    assert_eq!(
        size_of::<MI_ContextFT>(),
        31 * ptr,
        "31 slots (OMI v2: 248 bytes on 64-bit)"
    );
    assert_eq!(c["sizeof.MI_Char"], [size_of::<MI_Char>()]);
    assert_eq!(c["sizeof.MI_Result"], [size_of::<MI_Result>()]);
    assert_eq!(c["sizeof.MI_Result"], [4]);
    assert_eq!(c["sizeof.MI_Boolean"], [1]);
    assert_eq!(c["sizeof.MI_Uint64"], [8]);
    assert_eq!(c["sizeof.MI_LocaleType"], [4]);
    assert_eq!(c["sizeof.MI_CancellationReason"], [4]);

    for (i, (name, rust)) in SLOTS.iter().zip(rust_slot_offsets()).enumerate() {
        let key = format!("MI_ContextFT.{name}");
        assert_eq!(
            c[key.as_str()],
            [rust, ptr],
            "{name}: C offset/size vs Rust"
        );
        assert_eq!(rust, i * ptr, "{name} is slot {i}");
    }
    assert_eq!(
        offset_of!(MI_ContextFT, WriteProgress),
        0xA8 / 8 * ptr,
        "WriteProgress is slot 21"
    );
}

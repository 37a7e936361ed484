//! Every struct, union, field and constant of Microsoft's `mi.h` has the same
//! layout and value in `include/mi.h` as in `tests/c/ms_mi.h` (Microsoft's
//! layout, written independently from OMI's MI.h and mi-context-abi.md), for
//! both character types: `tests/c/mi_layout_dump.c` prints them, compiled
//! against each header, and the outputs must be equal. A few values are also
//! checked against known numbers and against the Rust declarations.

mod common;

use std::collections::HashMap;
use std::mem::{align_of, size_of};
use std::process::Command;

use mi_psrp::mi;

/// Compiles and runs the dump against our header (`ms == false`) or the
/// Microsoft-layout stand-in; returns its lines.
fn dump(ms: bool, char_type: u32) -> String {
    let exe = common::tmp_dir().join(format!(
        "mi_layout_dump_{}_{char_type}",
        if ms { "ms" } else { "ours" }
    ));
    let mut cmd = Command::new(common::cc());
    cmd.args(["-std=c11", "-Wall", "-Wextra", "-Wpedantic", "-Werror"])
        .arg(format!("-DMI_CHAR_TYPE={char_type}"))
        .arg("-DMI_API_VERSION=2")
        .args(if ms { &["-DDUMP_MS"][..] } else { &[] })
        .arg("-I")
        .arg(common::repo().join(if ms { "tests/c" } else { "include" }))
        .arg(common::repo().join("tests/c/mi_layout_dump.c"))
        .arg("-o")
        .arg(&exe);
    let status = cmd.status().expect("run the C compiler");
    assert!(status.success(), "{cmd:?} failed");
    common::run(&exe, &[])
}

fn parse(out: &str) -> HashMap<String, Vec<u64>> {
    out.lines()
        .map(|l| {
            // The key may contain spaces (`const.MI_MAKE_VERSION(1, 2, 3)`): the numbers are the tail.
            let mut words: Vec<&str> = l.split(' ').collect();
            let mut nums = Vec::new();
            while let Some(n) = words.last().and_then(|w| w.parse::<u64>().ok()) {
                nums.insert(0, n);
                words.pop();
            }
            (words.join(" "), nums)
        })
        .collect()
}

#[test]
fn our_header_has_microsofts_layout_and_values_for_both_char_types() {
    for char_type in [1, 2] {
        let ours = dump(false, char_type);
        let ms = dump(true, char_type);
        let (o, m) = (parse(&ours), parse(&ms));
        assert!(o.len() > 800, "the dump printed only {} lines", o.len());
        assert_eq!(o.len(), ours.lines().count(), "duplicate keys in the dump");
        for (line_o, line_m) in ours.lines().zip(ms.lines()) {
            assert_eq!(
                line_o, line_m,
                "MI_CHAR_TYPE={char_type}: ours vs Microsoft's"
            );
        }
        assert_eq!(o, m);

        // Known values (x86-64), from mi-context-abi.md and OMI's MI.h.
        let ptr = size_of::<usize>() as u64;
        let char_size = if char_type == 1 {
            1
        } else {
            size_of::<libc::wchar_t>() as u64
        };
        assert_eq!(o["sizeof.MI_Char"], [char_size, char_size]);
        assert_eq!(o["sizeof.MI_T"], [3 * char_size]);
        assert_eq!(o["MI_USE_WCHAR"], [u64::from(char_type == 2)]);
        assert_eq!(o["sizeof.MI_Context"], [4 * ptr, ptr]);
        assert_eq!(o["MI_Context.ft"], [0, ptr]);
        assert_eq!(o["sizeof.MI_ContextFT"], [31 * ptr, ptr]);
        assert_eq!(o["MI_ContextFT.PostResult"], [0, ptr]);
        assert_eq!(o["MI_ContextFT.WriteMessage"], [20 * ptr, ptr]);
        assert_eq!(o["MI_ContextFT.WriteProgress"], [21 * ptr, ptr]);
        assert_eq!(o["MI_ContextFT.PostError"], [27 * ptr, ptr]);
        assert_eq!(o["MI_ContextFT.WriteError"], [29 * ptr, ptr]);
        assert_eq!(o["sizeof.MI_Datetime"], [36, 4]);
        assert_eq!(o["MI_Datetime.u"], [4, 32]);
        assert_eq!(o["sizeof.MI_Value"], [40, 8]);
        assert_eq!(o["sizeof.MI_Instance"], [8 * ptr, ptr]);
        assert_eq!(o["sizeof.MI_InstanceFT"], [18 * ptr, ptr]);
        assert_eq!(o["MI_InstanceFT.SetElementAt"], [10 * ptr, ptr]);
        assert_eq!(o["sizeof.MI_ProviderFT"], [14 * ptr, ptr]);
        assert_eq!(o["sizeof.MI_Uint32Field"], [8, 4]);
        assert_eq!(o["sizeof.MI_ConstStringField"], [2 * ptr, ptr]);
        assert_eq!(o["MI_Module.charSize"], [12, 4]);
        assert_eq!(o["const.MI_RESULT_NOT_SUPPORTED"], [7, 4]);
        assert_eq!(o["const.MI_STRING"], [13, 4]);
        assert_eq!(o["const.MI_INSTANCEA"], [31, 4]);
        assert_eq!(o["const.MI_FLAG_KEY"], [1 << 12, 4]);
        assert_eq!(o["const.MI_FLAG_ADOPT"], [1 << 31, 4]);
        assert_eq!(o["const.MI_MODULE_FLAG_CPLUSPLUS"], [32, 4]);
        assert_eq!(o["const.MI_TRUE"], [1, 1]);
        assert_eq!(o["const.MI_VERSION"], [0x10100, 4]);
    }
}

#[test]
fn rust_declarations_have_the_c_layout() {
    let o = parse(&dump(false, 2));
    let check = |name: &str, size: usize, align: usize| {
        assert_eq!(
            o[&format!("sizeof.{name}")],
            [size as u64, align as u64],
            "{name}: C vs Rust"
        );
    };
    macro_rules! same {
        ($($t:ident),* $(,)?) => { $(check(stringify!($t), size_of::<mi::$t>(), align_of::<mi::$t>());)* };
    }
    same!(
        MI_Char,
        MI_Timestamp,
        MI_Interval,
        MI_Datetime,
        MI_Value,
        MI_Array,
        MI_StringA,
        MI_ConstStringA,
        MI_DatetimeA,
        MI_BooleanField,
        MI_Uint64Field,
        MI_DatetimeField,
        MI_StringField,
        MI_ConstStringField,
        MI_ConstInstanceAField,
        MI_ArrayField,
        MI_Instance,
        MI_InstanceFT,
        MI_PropertySet,
        MI_PropertySetFT,
        MI_Filter,
        MI_FilterFT,
        MI_FeatureDecl,
        MI_ObjectDecl,
        MI_ParameterDecl,
        MI_PropertyDecl,
        MI_MethodDecl,
        MI_ClassDecl,
        MI_QualifierDecl,
        MI_Qualifier,
        MI_SchemaDecl,
        MI_ProviderFT,
        MI_Module,
        MI_ServerFT,
        MI_Server,
        MI_Context,
        MI_ContextFT,
        MI_Session,
    );
    assert_eq!(o["const.MI_FLAG_ADOPT"][0], u64::from(mi::MI_FLAG_ADOPT));
    assert_eq!(o["const.MI_FLAG_READONLY"][0], mi::MI_FLAG_READONLY as u64);
    assert_eq!(o["const.MI_REFERENCEA"][0], u64::from(mi::MI_REFERENCEA));
}

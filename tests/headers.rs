//! The committed headers are exactly what build.rs generates with cbindgen.
//! To update them after changing a declaration or a doc comment:
//! `MIPSRP_BLESS_HEADERS=1 cargo build`.

const GENERATED_MI: &str = include_str!(concat!(env!("OUT_DIR"), "/mi.h"));
const GENERATED_MI_PSRP: &str = include_str!(concat!(env!("OUT_DIR"), "/mi_psrp.h"));

fn committed(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("include")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn mi_h_is_fresh() {
    assert!(
        committed("mi.h") == GENERATED_MI,
        "include/mi.h is stale: run `MIPSRP_BLESS_HEADERS=1 cargo build` and commit it"
    );
}

#[test]
fn upper_case_mi_h_is_the_same_header() {
    // Generated providers say `#include <MI.h>`.
    assert!(
        committed("MI.h") == GENERATED_MI,
        "include/MI.h is stale: run `MIPSRP_BLESS_HEADERS=1 cargo build` and commit it"
    );
}

#[test]
fn mi_psrp_h_is_fresh() {
    assert!(
        committed("mi_psrp.h") == GENERATED_MI_PSRP,
        "include/mi_psrp.h is stale: run `MIPSRP_BLESS_HEADERS=1 cargo build` and commit it"
    );
}

#[test]
fn mi_h_keeps_microsofts_spellings() {
    // A few things provider code names directly.
    for needle in [
        "typedef wchar_t MI_Char;",
        "#define MI_T(STR) L##STR",
        "typedef char MI_Char;",
        "typedef struct _MI_Context MI_Context;",
        "struct _MI_Context {",
        "typedef union _MI_Value MI_Value;",
        "MI_Result (MI_CALL *WriteProgress)(struct _MI_Context *context,",
        "typedef void (MI_CALL *MI_ProviderFT_Load)(void **self,",
        "MI_INLINE MI_Result MI_CALL MI_Instance_SetElementAt(MI_Instance *self,",
        "MI_INLINE MI_Result MI_CALL MI_Context_WriteWarning(MI_Context *context,",
        "#define MI_RESULT_SERVER_LIMITS_EXCEEDED 27",
        "#define MI_MAX_LOCALE_SIZE 128",
        "typedef void (MI_CALL *MI_CancelCallback)(MI_CancellationReason reason, void *callbackData);",
    ] {
        assert!(GENERATED_MI.contains(needle), "mi.h lacks {needle:?}");
    }
}

//! A provider that breaks MI's rules gets a documented code and the host
//! stays consistent (docs/bad-input.md, "Provider modules"): the methods of
//! `XYZ_Bad` (tests/c/modules/xyz/XYZ_Bad.c) record the codes their calls
//! returned; a failing class Load; an operation that never ends.

mod common;

use common::provider::{ERROR, Harness, OUTPUT, prop, text, u32s};
use mi_psrp::provider::operation::Request;

const OK: u32 = 0;
const FAILED: u32 = 1;
const ACCESS_DENIED: u32 = 2;
const INVALID_PARAMETER: u32 = 4;
const NOT_SUPPORTED: u32 = 7;
const NO_SUCH_PROPERTY: u32 = 12;
const TYPE_MISMATCH: u32 = 13;

fn outputs(msgs: &[common::provider::Message]) -> Vec<&common::provider::Message> {
    msgs.iter().filter(|m| m.message_type == OUTPUT).collect()
}

#[test]
fn post_result_twice_fails_the_second_and_changes_nothing() {
    for ct in [1, 2] {
        let h = Harness::new("xyz", ct);
        let (outcome, msgs) = h.invoke("XYZ_Bad", "PostTwice", &[]);
        assert_eq!(outcome.result, OK);
        assert_eq!(outputs(&msgs).len(), 1);
        assert_eq!(h.last_codes(), [OK, OK, FAILED]);
    }
}

#[test]
fn every_call_after_the_end_fails_and_sends_nothing() {
    let h = Harness::new("xyz", 2);
    let (outcome, msgs) = h.invoke("XYZ_Bad", "PostAfterEnd", &[]);
    assert_eq!(outcome.result, OK);
    assert!(msgs.is_empty(), "{msgs:?}");
    assert_eq!(h.last_codes(), [OK, FAILED, FAILED, FAILED, FAILED, FAILED]);
}

#[test]
fn an_index_out_of_range_is_no_such_property_and_touches_nothing() {
    for ct in [1, 2] {
        let h = Harness::new("xyz", ct);
        let (outcome, msgs) = h.invoke("XYZ_Bad", "BadIndex", &[]);
        assert_eq!(outcome.result, OK);
        let o = outputs(&msgs)[0].object();
        assert_eq!(text(&prop(&o, "ReturnValue")), "2");
        assert_eq!(u32s(&prop(&o, "Codes")), [NO_SUCH_PROPERTY; 6]);
    }
}

#[test]
fn a_wrong_type_or_name_gets_its_code_and_names_ignore_case() {
    let h = Harness::new("xyz", 1);
    let (outcome, msgs) = h.invoke("XYZ_Bad", "WrongType", &[]);
    assert_eq!(outcome.result, OK);
    let o = outputs(&msgs)[0].object();
    assert_eq!(
        u32s(&prop(&o, "Codes")),
        [
            TYPE_MISMATCH,
            TYPE_MISMATCH,
            TYPE_MISMATCH,
            NO_SUCH_PROPERTY,
            NO_SUCH_PROPERTY,
            NO_SUCH_PROPERTY,
            NOT_SUPPORTED,
            OK
        ]
    );
    assert_eq!(text(&prop(&o, "ReturnValue")), "9");
}

#[test]
fn null_names_are_invalid_parameters() {
    for ct in [1, 2] {
        let h = Harness::new("xyz", ct);
        let (outcome, msgs) = h.invoke("XYZ_Bad", "NullName", &[]);
        assert_eq!(outcome.result, OK);
        let out = outputs(&msgs);
        assert_eq!(out.len(), 1, "nothing but the output: {msgs:?}");
        assert_eq!(
            u32s(&prop(&out[0].object(), "Codes")),
            [INVALID_PARAMETER; 8]
        );
    }
}

#[test]
fn an_instance_of_another_class_is_refused_as_a_methods_output() {
    let h = Harness::new("xyz", 2);
    let (outcome, msgs) = h.invoke("XYZ_Bad", "OtherClass", &[]);
    assert_eq!(outcome.result, OK);
    let out = outputs(&msgs);
    assert_eq!(out.len(), 1);
    assert!(
        out[0].object().type_names[0]
            .starts_with("Microsoft.Management.Infrastructure.CimMethodResult#XYZ_Bad#OtherClass")
    );
    assert_eq!(h.last_codes(), [INVALID_PARAMETER, OK, OK]);
}

#[test]
fn an_operation_that_never_ends_is_ended_by_its_cancel() {
    let h = Harness::new("xyz", 2);
    let params = h.module.new_parameters("XYZ_Bad", "NeverEnds").unwrap();
    let pc = h.context();
    mi_psrp::provider::operation::run(
        &h.module,
        &pc,
        "root/xyz",
        Request::Invoke {
            class: "XYZ_Bad",
            method: "NeverEnds",
            instance: None,
            parameters: Some(&params),
        },
    )
    .unwrap();
    assert!(!pc.context().is_ended());
    assert!(
        pc.context()
            .wait(Some(std::time::Duration::from_millis(50)))
            .is_none()
    );
    pc.context().cancel(0).unwrap();
    let outcome = pc
        .context()
        .wait(Some(std::time::Duration::from_secs(5)))
        .unwrap();
    assert_eq!(
        outcome.result, FAILED,
        "the provider's MI_RESULT_CANCELED stand-in"
    );
    drop(pc);
    h.take();
    assert_eq!(h.last_codes(), [OK, OK, 0, OK]);
}

#[test]
fn a_class_whose_load_fails_fails_its_own_operations_only() {
    let h = Harness::new("xyz", 1);
    for _ in 0..2 {
        let (outcome, msgs) = h.run(Request::Enumerate {
            class: "XYZ_Broken",
            keys_only: false,
            properties: None,
            filter: None,
        });
        assert_eq!(outcome.result, ACCESS_DENIED, "{outcome:?}");
        assert_eq!(msgs.iter().filter(|m| m.message_type == ERROR).count(), 1);
        assert!(outputs(&msgs).is_empty());
    }
    let (outcome, msgs) = h.run(Request::Enumerate {
        class: "XYZ_Widget",
        keys_only: true,
        properties: None,
        filter: None,
    });
    assert_eq!(outcome.result, OK);
    assert_eq!(outputs(&msgs).len(), 2);
}

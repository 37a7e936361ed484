//! The module paths' remaining bad inputs (docs/bad-input.md, "Provider
//! modules"): an operation the provider lacks, the module-only slots on a
//! context no module runs, output over the maximum message size, unsound
//! declarations handed to the instance slots, and the output settings call.

mod common;

use std::ptr;

use common::provider::{ERROR, Harness, OUTPUT};
use mi_psrp::host::{CharType, Context, Pool};
use mi_psrp::mi::*;
use mi_psrp::provider::context::ProviderContext;
use mi_psrp::provider::operation::Request;
use mi_psrp::psrp::Guid;
use mi_psrp::psrp::cim::CimValue;

fn plain_context() -> ProviderContext {
    let pool = Pool::new(Guid::parse(common::provider::RPID).unwrap(), |_: &[u8]| {});
    ProviderContext::new(
        Context::with_char_type(
            &pool,
            Guid::parse(common::provider::PID).unwrap(),
            -1,
            -1,
            CharType::Wide,
        )
        .unwrap(),
    )
}

fn wide(s: &str) -> Vec<MI_Char> {
    common::w(s)
}

#[test]
fn an_operation_the_provider_lacks_ends_not_supported() {
    let h = Harness::new("dyn", 2);
    let w = h.module.new_instance("Any");
    // A dynamic module has no classes: its instances come from the provider.
    assert!(w.is_err());
    let (o, msgs) = h.run(Request::Enumerate {
        class: "Dyn_Fixed",
        keys_only: false,
        properties: None,
        filter: None,
    });
    assert_eq!(o.result, MI_RESULT_OK);
    assert_eq!(msgs.iter().filter(|m| m.message_type == OUTPUT).count(), 2);
    // The xyz module's XYZ_Broken-free classes implement everything; XYZ_Part has no provider.
    let x = Harness::new("xyz", 1);
    let (o, msgs) = x.run(Request::Enumerate {
        class: "XYZ_Part",
        keys_only: false,
        properties: None,
        filter: None,
    });
    assert_eq!(o.result, MI_RESULT_NOT_SUPPORTED, "{o:?}");
    assert_eq!(msgs.iter().filter(|m| m.message_type == ERROR).count(), 1);
}

#[test]
fn module_slots_on_a_context_no_module_runs() {
    let pc = plain_context();
    // SAFETY: a live context of ours.
    let ft = unsafe { &*(*pc.as_ptr()).ft };
    let name = wide("Found");
    // SAFETY: MI_Value is plain data.
    let v: MI_Value = unsafe { std::mem::zeroed() };
    // SAFETY: the context's slots with valid arguments.
    unsafe {
        assert_eq!(
            ft.WriteStreamParameter.unwrap()(pc.as_ptr(), name.as_ptr(), &v, MI_UINT32, 0),
            MI_RESULT_NOT_SUPPORTED
        );
        assert_eq!(
            ft.RefuseUnload.unwrap()(pc.as_ptr()),
            MI_RESULT_NOT_SUPPORTED
        );
        assert_eq!(
            ft.RequestUnload.unwrap()(pc.as_ptr()),
            MI_RESULT_NOT_SUPPORTED
        );
        assert_eq!(
            ft.PostIndication.unwrap()(pc.as_ptr(), ptr::null(), 0, ptr::null()),
            MI_RESULT_NOT_SUPPORTED
        );
        // NULL declarations and out-pointers.
        let mut i = ptr::null_mut();
        assert_eq!(
            ft.NewInstance.unwrap()(pc.as_ptr(), ptr::null(), &mut i),
            MI_RESULT_INVALID_PARAMETER
        );
        assert_eq!(
            ft.NewParameters.unwrap()(pc.as_ptr(), ptr::null(), &mut i),
            MI_RESULT_INVALID_PARAMETER
        );
        assert_eq!(
            ft.NewDynamicInstance.unwrap()(pc.as_ptr(), name.as_ptr(), 0, ptr::null_mut()),
            MI_RESULT_INVALID_PARAMETER
        );
        assert!(i.is_null());
    }
    let _ = pc.context().post_result(MI_RESULT_OK);
}

/// NewInstance (and ConstructInstance into a zeroed buffer) with a class
/// of one string property `P` of type `ty` at `offset` in `size` bytes.
fn construct(pc: &ProviderContext, ty: MI_Type, offset: u32, size: u32) -> MI_Result {
    // SAFETY: a live context of ours.
    let ft = unsafe { &*(*pc.as_ptr()).ft };
    let name = wide("Bad");
    let pname = wide("P");
    // SAFETY: plain data, filled below.
    let mut prop: MI_PropertyDecl = unsafe { std::mem::zeroed() };
    prop.name = pname.as_ptr();
    prop.r#type = ty;
    prop.offset = offset;
    let props = [&raw const prop];
    // SAFETY: plain data, filled below.
    let mut decl: MI_ClassDecl = unsafe { std::mem::zeroed() };
    decl.name = name.as_ptr();
    decl.properties = props.as_ptr();
    decl.numProperties = 1;
    decl.size = size;
    let mut buf = [0u64; 32];
    let mut i = ptr::null_mut();
    // SAFETY: the slots with a declaration that may describe memory wrongly:
    // they must refuse it before writing anything.
    unsafe {
        let r = ft.NewInstance.unwrap()(pc.as_ptr(), &decl, &mut i);
        let c = ft.ConstructInstance.unwrap()(pc.as_ptr(), &decl, buf.as_mut_ptr().cast());
        assert_eq!(r, c);
        if r == MI_RESULT_OK {
            assert_eq!((*(*i).ft).Delete.unwrap()(i), MI_RESULT_OK);
            let inst = buf.as_mut_ptr().cast::<MI_Instance>();
            assert_eq!((*(*inst).ft).Destruct.unwrap()(inst), MI_RESULT_OK);
        } else {
            assert!(i.is_null());
            assert!(buf.iter().all(|&b| b == 0), "nothing written");
        }
        r
    }
}

#[test]
fn unsound_declarations_are_refused_before_any_memory_is_laid_out() {
    let pc = plain_context();
    // A field past the structure's end.
    assert_eq!(
        construct(&pc, MI_STRING, 72, 64),
        MI_RESULT_INVALID_PARAMETER
    );
    // A field inside the MI_Instance header (64 bytes).
    assert_eq!(
        construct(&pc, MI_STRING, 56, 80),
        MI_RESULT_INVALID_PARAMETER
    );
    // A type above 31.
    assert_eq!(construct(&pc, 32, 64, 80), MI_RESULT_INVALID_PARAMETER);
    // A size smaller than the header.
    assert_eq!(
        construct(&pc, MI_STRING, 64, 32),
        MI_RESULT_INVALID_PARAMETER
    );
    // Sound: it works.
    assert_eq!(construct(&pc, MI_STRING, 64, 80), MI_RESULT_OK);
    let _ = pc.context().post_result(MI_RESULT_OK);
}

#[test]
fn output_over_the_maximum_message_size_is_refused_and_the_provider_sees_it() {
    let h = Harness::new("xyz", 2);
    h.pool.set_max_message_size(2000).unwrap();
    let (o, msgs) = h.run(Request::Enumerate {
        class: "XYZ_Widget",
        keys_only: false,
        properties: None,
        filter: None,
    });
    // The widgets do not fit: PostInstance returned SERVER_LIMITS_EXCEEDED,
    // which the provider ends its operation with; nothing of them was sent.
    assert_eq!(o.result, MI_RESULT_SERVER_LIMITS_EXCEEDED, "{o:?}");
    assert_eq!(msgs.iter().filter(|m| m.message_type == OUTPUT).count(), 0);
    // Keys fit.
    let (o, msgs) = h.run(Request::Enumerate {
        class: "XYZ_Widget",
        keys_only: true,
        properties: None,
        filter: None,
    });
    assert_eq!(o.result, MI_RESULT_OK);
    assert_eq!(msgs.iter().filter(|m| m.message_type == OUTPUT).count(), 2);
    let _ = CimValue::Boolean(true);
}

#[test]
fn output_settings_reject_a_null_pool_and_bad_text() {
    let bad = [0xFFu8 as libc::c_char, 0];
    // SAFETY: NULL is checked; the name is NUL-terminated.
    unsafe {
        assert_eq!(
            mi_psrp::ffi::module::mipsrp_pool_set_output(ptr::null(), ptr::null(), 0),
            MI_RESULT_INVALID_PARAMETER
        );
        let captured = common::Captured::default();
        let p = common::pool(common::provider::RPID, &captured);
        assert_eq!(
            mi_psrp::ffi::module::mipsrp_pool_set_output(p, bad.as_ptr(), 0),
            MI_RESULT_INVALID_PARAMETER
        );
        mi_psrp::ffi::host::mipsrp_pool_free(p);
    }
}

#[test]
fn is_a_walks_the_superclass_chain() {
    let h = Harness::new("xyz", 2);
    let w = h.module.new_instance("XYZ_Widget").unwrap();
    let p = h.module.new_instance("XYZ_Part").unwrap();
    let big = h.module.new_instance("XYZ_BigPart").unwrap();
    // SAFETY: live heap instances of ours; their declarations are the module's.
    unsafe {
        let (wi, pi, bi) = (w.as_ptr(), p.as_ptr(), big.as_ptr());
        let widget = (*wi).classDecl;
        let base = (*widget).superClassDecl;
        let part = (*pi).classDecl;
        let is_a = |i: *mut MI_Instance, d: *const MI_ClassDecl| {
            let mut flag = 9;
            assert_eq!((*(*i).ft).IsA.unwrap()(i, d, &mut flag), MI_RESULT_OK);
            flag
        };
        assert_eq!(is_a(wi, widget), MI_TRUE);
        assert_eq!(is_a(wi, base), MI_TRUE);
        assert_eq!(is_a(wi, part), MI_FALSE);
        assert_eq!(is_a(bi, part), MI_TRUE, "XYZ_BigPart derives from XYZ_Part");
        assert_eq!(is_a(pi, (*bi).classDecl), MI_FALSE);
        let mut flag = 9;
        assert_eq!(
            (*(*wi).ft).IsA.unwrap()(wi, ptr::null(), &mut flag),
            MI_RESULT_INVALID_PARAMETER
        );
        assert_eq!(
            (*(*wi).ft).IsA.unwrap()(wi, widget, ptr::null_mut()),
            MI_RESULT_INVALID_PARAMETER
        );
        assert_eq!(flag, 9);
    }
}

#[test]
fn a_property_set_answers_as_mi_documents() {
    use mi_psrp::provider::sets::PropertySet;
    let set = PropertySet::new(&["Name", "Size"], CharType::Wide);
    let p = set.as_ptr();
    // SAFETY: a live set of ours; valid out-pointers and names.
    unsafe {
        let ft = &*(*p).ft;
        let mut n = 0;
        assert_eq!(ft.GetElementCount.unwrap()(p, &mut n), MI_RESULT_OK);
        assert_eq!(n, 2);
        let mut found = 9;
        let size = wide("SIZE");
        assert_eq!(
            ft.ContainsElement.unwrap()(p, size.as_ptr(), &mut found),
            MI_RESULT_OK
        );
        assert_eq!(found, MI_TRUE, "names ignore case");
        let other = wide("Other");
        assert_eq!(
            ft.ContainsElement.unwrap()(p, other.as_ptr(), &mut found),
            MI_RESULT_OK
        );
        assert_eq!(found, MI_FALSE);
        let mut name: *const MI_Char = ptr::null();
        assert_eq!(ft.GetElementAt.unwrap()(p, 1, &mut name), MI_RESULT_OK);
        assert_eq!(*name, 'S' as MI_Char);
        assert_eq!(
            ft.GetElementAt.unwrap()(p, 2, &mut name),
            MI_RESULT_NOT_FOUND
        );
        assert_eq!(
            ft.ContainsElement.unwrap()(p, ptr::null(), &mut found),
            MI_RESULT_INVALID_PARAMETER
        );
        assert_eq!(
            ft.GetElementCount.unwrap()(ptr::null(), &mut n),
            MI_RESULT_INVALID_PARAMETER
        );
        // The host owns the sets it hands out.
        assert_eq!(ft.Delete.unwrap()(p.cast_mut()), MI_RESULT_NOT_SUPPORTED);
    }
}

#[test]
fn an_enumerate_filter_reaches_the_provider_and_selects_what_is_sent() {
    let h = Harness::new("xyz", 1);
    let names = |msgs: &[common::provider::Message]| -> Vec<String> {
        msgs.iter()
            .filter(|m| m.message_type == OUTPUT)
            .map(|m| common::provider::text(&common::provider::prop(&m.object(), "Name")))
            .collect()
    };
    for (filter, want) in [
        ("Name = 'BETA'", vec!["beta"]),
        ("U8 = 255 AND Enabled = TRUE", vec!["alpha"]),
        ("SELECT * FROM XYZ_Widget WHERE S8 = NULL", vec!["beta"]),
        ("Name = 'nobody'", vec![]),
    ] {
        let (o, msgs) = h.run(Request::Enumerate {
            class: "XYZ_Widget",
            keys_only: false,
            properties: None,
            filter: Some(filter),
        });
        assert_eq!(o.result, MI_RESULT_OK, "{filter}");
        assert_eq!(names(&msgs), want, "{filter}");
        // No ObjectId is skipped for what the filter dropped.
        assert!(
            msgs.windows(2)
                .all(|w| w[1].object_id == w[0].object_id + 1)
        );
    }
    let (o, msgs) = h.run(Request::Enumerate {
        class: "XYZ_Widget",
        keys_only: false,
        properties: None,
        filter: Some("Name LIKE 'a%'"),
    });
    assert_eq!(o.result, MI_RESULT_INVALID_QUERY);
    assert_eq!(msgs.iter().filter(|m| m.message_type == ERROR).count(), 1);
    assert_eq!(names(&msgs), Vec::<String>::new());
}

#[test]
fn a_filter_answers_get_expression_and_evaluate() {
    use mi_psrp::provider::filter::Filter;
    let h = Harness::new("xyz", 2);
    let w = h.module.new_instance("XYZ_Widget").unwrap();
    h.module
        .set(&w, "Name", Some(&CimValue::String("alpha".into())))
        .unwrap();
    let f = Filter::new("Name = 'Alpha'", CharType::Wide).unwrap();
    let p = f.as_ptr();
    // SAFETY: a live filter of ours; valid out-pointers; a live instance.
    unsafe {
        let ft = &*(*p).ft;
        let (mut lang, mut expr): (*const MI_Char, *const MI_Char) = (ptr::null(), ptr::null());
        assert_eq!(
            ft.GetExpression.unwrap()(p, &mut lang, &mut expr),
            MI_RESULT_OK
        );
        assert_eq!(std::slice::from_raw_parts(lang, 3), &wide("WQL")[..3]);
        assert_eq!(*expr, 'N' as MI_Char);
        let mut yes = 9;
        assert_eq!(ft.Evaluate.unwrap()(p, w.as_ptr(), &mut yes), MI_RESULT_OK);
        assert_eq!(yes, MI_TRUE);
        h.module
            .set(&w, "Name", Some(&CimValue::String("beta".into())))
            .unwrap();
        assert_eq!(ft.Evaluate.unwrap()(p, w.as_ptr(), &mut yes), MI_RESULT_OK);
        assert_eq!(yes, MI_FALSE);
        assert_eq!(
            ft.Evaluate.unwrap()(p, ptr::null(), &mut yes),
            MI_RESULT_INVALID_PARAMETER
        );
        // An instance of a UTF-8 module is not one this wide filter reads.
        let h1 = Harness::new("xyz", 1);
        let u = h1.module.new_instance("XYZ_Widget").unwrap();
        assert_eq!(
            ft.Evaluate.unwrap()(p, u.as_ptr(), &mut yes),
            MI_RESULT_INVALID_PARAMETER
        );
    }
}

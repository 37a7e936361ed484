//! Provider modules run end to end (issue 15): the test modules of
//! `tests/c/modules/` (omigen shape) loaded with `Module::load`, both
//! character types in one process, every operation run on a context of a
//! pool, and what reaches the sink checked message by message (outputs read
//! back by the `mi-psrp` tool's CLIXML reader).

mod common;

use std::time::Duration;

use common::provider::{ERROR, Harness, Message, OUTPUT, PROGRESS, prop, text, u32s};
use mi_psrp::cli::output::PsValue;
use mi_psrp::provider::module::Module;
use mi_psrp::provider::operation::{Request, run};
use mi_psrp::psrp::cim::{CimString, CimValue};

const WARNING: u32 = 0x0004_1009;
const VERBOSE: u32 = 0x0004_1008;
const DEBUG: u32 = 0x0004_1007;

fn outputs(msgs: &[Message]) -> Vec<&Message> {
    msgs.iter().filter(|m| m.message_type == OUTPUT).collect()
}

fn types(msgs: &[Message]) -> Vec<u32> {
    msgs.iter().map(|m| m.message_type).collect()
}

fn enumerate(h: &Harness, class: &str, keys_only: bool) -> (mi_psrp::host::Outcome, Vec<Message>) {
    h.run(Request::Enumerate {
        class,
        keys_only,
        properties: None,
        filter: None,
    })
}

#[test]
fn enumerate_posts_every_widget_as_a_cim_instance_in_both_character_types() {
    let mut texts = Vec::new();
    for ct in [1, 2] {
        let h = Harness::new("xyz", ct);
        assert_eq!(
            h.module.char_type().char_size(),
            if ct == 1 { 1 } else { 4 }
        );
        let (outcome, msgs) = enumerate(&h, "XYZ_Widget", false);
        assert_eq!(outcome.result, 0, "{outcome:?}");
        let out = outputs(&msgs);
        assert_eq!(out.len(), 2, "{msgs:#?}");
        for m in &out {
            let x = m.text();
            assert!(x.starts_with("<Obj RefId=\"0\"><TN RefId=\"0\"><T>Microsoft.Management.Infrastructure.CimInstance#root/xyz/XYZ_Widget</T><T>Microsoft.Management.Infrastructure.CimInstance#root/xyz/XYZ_Base</T>"), "{x}");
            assert!(
                x.ends_with("<Nil N=\"PSComputerName\" /></Props></Obj>"),
                "{x}"
            );
        }
        // Records and outputs in call order, one ObjectId counter.
        assert!(msgs.windows(2).all(|w| w[0].object_id < w[1].object_id));
        assert_eq!(types(&msgs)[..2], [VERBOSE, WARNING]);
        texts.push(out.iter().map(|m| m.text()).collect::<Vec<_>>());
    }
    // The same provider source sends the same bytes whatever its character type.
    assert_eq!(texts[0], texts[1]);
}

#[test]
fn keys_only_and_instances_read_back_with_every_type() {
    let h = Harness::new("xyz", 2);
    let (_, msgs) = enumerate(&h, "XYZ_Widget", true);
    let o = outputs(&msgs)[0].object();
    assert_eq!(text(&prop(&o, "Name")), "alpha");
    assert_eq!(prop(&o, "U8"), PsValue::Nil);
    let (_, msgs) = enumerate(&h, "XYZ_Widget", false);
    let o = outputs(&msgs)[0].object();
    assert_eq!(
        o.to_string.as_deref(),
        Some("XYZ_Widget: Alpha & <Co> (Name = \"alpha\")")
    );
    // Every property of the class, in declaration order, PSComputerName last.
    let names: Vec<_> = o.properties.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names.first(), Some(&"Name"));
    assert_eq!(names.last(), Some(&"PSComputerName"));
    let elements = h
        .module
        .element_names(&h.module.new_instance("XYZ_Widget").unwrap());
    assert_eq!(names.len(), elements.len() + 1);
    assert_eq!(
        names[..names.len() - 1],
        elements.iter().map(String::as_str).collect::<Vec<_>>()[..]
    );
}

#[test]
fn create_get_modify_delete_keep_the_modules_state() {
    let h = Harness::new("xyz", 1);
    let m = &h.module;
    let w = m.new_instance("XYZ_Widget").unwrap();
    m.set(&w, "Name", Some(&CimValue::String("w3".into())))
        .unwrap();
    m.set(&w, "U64", Some(&CimValue::Uint64(4096))).unwrap();
    let (o, msgs) = h.run(Request::Create { instance: &w });
    assert_eq!(o.result, 0);
    assert_eq!(text(&prop(&outputs(&msgs)[0].object(), "U64")), "4096");
    let (o, _) = h.run(Request::Create { instance: &w });
    assert_eq!(o.result, 11, "ALREADY_EXISTS");
    let (_, msgs) = enumerate(&h, "XYZ_Widget", true);
    assert_eq!(outputs(&msgs).len(), 3);

    let k = m.new_instance("XYZ_Widget").unwrap();
    m.set(&k, "Name", Some(&CimValue::String("w3".into())))
        .unwrap();
    m.set(&k, "U64", Some(&CimValue::Uint64(7))).unwrap();
    let (o, _) = h.run(Request::Modify {
        instance: &k,
        properties: None,
    });
    assert_eq!(o.result, 0);
    let (o, msgs) = h.run(Request::Get {
        instance: &k,
        properties: None,
    });
    assert_eq!(o.result, 0);
    assert_eq!(text(&prop(&outputs(&msgs)[0].object(), "U64")), "7");
    let (o, _) = h.run(Request::Delete { instance: &k });
    assert_eq!(o.result, 0);
    let (o, msgs) = h.run(Request::Get {
        instance: &k,
        properties: None,
    });
    assert_eq!(o.result, 6, "NOT_FOUND");
    assert!(outputs(&msgs).is_empty());
}

#[test]
fn a_static_method_streams_then_posts_its_result_in_order() {
    for ct in [1, 2] {
        let h = Harness::new("xyz", ct);
        let (o, msgs) = h.invoke(
            "XYZ_Widget",
            "Scan",
            &[("Pattern", CimValue::String("p".into()))],
        );
        assert_eq!(o.result, 0);
        let out = outputs(&msgs);
        assert_eq!(out.len(), 3, "{msgs:#?}");
        for (i, m) in out[..2].iter().enumerate() {
            let s = m.object();
            assert_eq!(
                s.type_names[0],
                "Microsoft.Management.Infrastructure.CimMethodStreamedResult#XYZ_Widget#Scan"
            );
            assert_eq!(text(&prop(&s, "ParameterName")), "Found");
            assert_eq!(text(&prop(&s, "ItemValue")), format!("p-{}", i + 1));
        }
        let r = out[2].object();
        assert_eq!(
            r.type_names[0],
            "Microsoft.Management.Infrastructure.CimMethodResult#XYZ_Widget#Scan"
        );
        let notes: Vec<_> = r.properties.iter().map(|(n, _)| n.as_str()).collect();
        // OUT parameters (the streamed one has no field), ReturnValue, PSComputerName.
        assert_eq!(notes, ["Count", "ReturnValue", "PSComputerName"]);
        assert_eq!(text(&prop(&r, "Count")), "2");
        let t = types(&msgs);
        for kind in [PROGRESS, VERBOSE, WARNING, DEBUG] {
            assert!(t.contains(&kind), "{t:x?}");
        }
        // The Completed progress record comes after the result.
        assert_eq!(*t.last().unwrap(), PROGRESS);
        // Without its Pattern the method ends with an error record.
        let (o, msgs) = h.invoke("XYZ_Widget", "Scan", &[]);
        assert_eq!(o.result, 4);
        assert_eq!(msgs.iter().filter(|m| m.message_type == ERROR).count(), 1);
    }
}

#[test]
fn an_instance_method_gets_its_target_and_returns_out_parameters() {
    let h = Harness::new("xyz", 2);
    let m = &h.module;
    let target = m.new_instance("XYZ_Widget").unwrap();
    m.set(&target, "Name", Some(&CimValue::String("beta".into())))
        .unwrap();
    let p = m.new_parameters("XYZ_Widget", "Resize").unwrap();
    m.set(&p, "Size", Some(&CimValue::Uint64(12))).unwrap();
    m.set(&p, "Note", Some(&CimValue::String("n".into())))
        .unwrap();
    let (o, msgs) = h.run(Request::Invoke {
        class: "XYZ_Widget",
        method: "Resize",
        instance: Some(&target),
        parameters: Some(&p),
    });
    assert_eq!(o.result, 0, "{o:?}");
    let r = outputs(&msgs)[0].object();
    let notes: Vec<_> = r.properties.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        notes,
        ["Note", "Part", "Codes", "ReturnValue", "PSComputerName"]
    );
    assert_eq!(text(&prop(&r, "Note")), "n resized beta to 12");
    assert_eq!(u32s(&prop(&r, "Codes")), [1, 2, 3]);
    let PsValue::Object(part) = prop(&r, "Part") else {
        panic!()
    };
    assert_eq!(
        part.to_string.as_deref(),
        Some("XYZ_Part (Name = \"beta\")")
    );
}

#[test]
fn an_operation_ended_later_on_another_thread() {
    let h = Harness::new("xyz", 1);
    let p = h.module.new_parameters("XYZ_Widget", "Later").unwrap();
    h.module
        .set(&p, "DelayMs", Some(&CimValue::Uint32(30)))
        .unwrap();
    let pc = h.context();
    run(
        &h.module,
        &pc,
        "root/xyz",
        Request::Invoke {
            class: "XYZ_Widget",
            method: "Later",
            instance: None,
            parameters: Some(&p),
        },
    )
    .unwrap();
    let o = pc.context().wait(Some(Duration::from_secs(10))).unwrap();
    assert_eq!(o.result, 0);
    drop(pc);
    let msgs = h.take();
    assert_eq!(types(&msgs), [PROGRESS, OUTPUT, PROGRESS]);
    assert_eq!(text(&prop(&msgs[1].object(), "ReturnValue")), "30");
}

#[test]
fn refuse_and_request_unload_reach_the_module() {
    let h = Harness::new("xyz", 2);
    assert!(!h.module.unload_refused() && !h.module.unload_requested());
    let (o, msgs) = h.invoke("XYZ_Widget", "Pin", &[]);
    assert_eq!(o.result, 0);
    assert_eq!(text(&prop(&outputs(&msgs)[0].object(), "ReturnValue")), "0");
    assert!(h.module.unload_refused());
    let (o, _) = h.invoke("XYZ_Widget", "Release", &[]);
    assert_eq!(o.result, 0);
    assert!(h.module.unload_requested());
}

#[test]
fn a_dynamic_provider_serves_any_class_with_dynamic_instances() {
    for ct in [1, 2] {
        let h = Harness::new("dyn", ct);
        let (o, msgs) = enumerate(&h, "Any_Thing", false);
        assert_eq!(o.result, 0);
        let out = outputs(&msgs);
        assert_eq!(out.len(), 2);
        let i = out[0].object();
        assert_eq!(
            i.type_names[0],
            "Microsoft.Management.Infrastructure.CimInstance#root/xyz/Any_Thing",
            "{}",
            out[0].text()
        );
        assert_eq!(i.to_string.as_deref(), Some("Any_Thing (Name = \"one\")"));
        let names: Vec<_> = i.properties.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "Name",
                "Label",
                "Count",
                "Tags",
                "Nothing",
                "PSComputerName"
            ]
        );
        assert_eq!(prop(&i, "Nothing"), PsValue::Nil);

        let (o, msgs) = h.run(Request::Invoke {
            class: "Any_Thing",
            method: "Server",
            instance: None,
            parameters: None,
        });
        assert_eq!(o.result, 0);
        let r = outputs(&msgs)[0].object();
        assert_eq!(text(&prop(&r, "Version")), (0x10100).to_string());
        assert!(!text(&prop(&r, "SystemName")).is_empty());
    }
}

#[test]
fn both_character_types_load_at_once_and_instances_round_trip() {
    let h1 = Harness::new("xyz", 1);
    let h2 = Harness::new("xyz", 2);
    for m in [&h1.module, &h2.module] {
        let i = m.new_instance("XYZ_Widget").unwrap();
        m.set(&i, "Name", Some(&CimValue::String("w9".into())))
            .unwrap();
        m.set(&i, "Enabled", Some(&CimValue::Boolean(true)))
            .unwrap();
        let wrong = m
            .set(&i, "Enabled", Some(&CimValue::Uint32(1)))
            .unwrap_err();
        assert_eq!(wrong.code(), 13, "TYPE_MISMATCH");
        let r = m.read(&i, "root/xyz").unwrap();
        let name = r
            .properties
            .iter()
            .find(|p| p.name == CimString::from("Name"))
            .unwrap();
        assert_eq!(name.value, Some(CimValue::String("w9".into())));
        assert!(name.key);
    }
    // An instance of one module is not an input of the other.
    let foreign = h1.module.new_instance("XYZ_Widget").unwrap();
    let pc = h2.context();
    let err = run(
        &h2.module,
        &pc,
        "root/xyz",
        Request::Get {
            instance: &foreign,
            properties: None,
        },
    )
    .unwrap_err();
    assert_eq!(err.code(), 4);
}

#[test]
fn load_errors_name_the_path_and_the_reason() {
    let e = Module::load("/nonexistent/libnothing.so").err().unwrap();
    assert!(e.to_string().contains("/nonexistent/libnothing.so"), "{e}");
    assert!(e.to_string().contains("No such file"), "{e}");
    // A library without MI_Main.
    let lib = common::lib_dir().join("libmi_psrp.so");
    let e = Module::load(&lib).err().unwrap();
    assert!(e.reason.contains("no MI_Main"), "{e}");
}

#[test]
fn a_class_load_that_ends_later_on_another_thread_is_waited_for_once() {
    for ct in [1, 2] {
        let h = Harness::new("xyz", ct);
        for _ in 0..2 {
            let (o, msgs) = enumerate(&h, "XYZ_Slow", false);
            assert_eq!(o.result, 0, "{o:?}");
            let out = outputs(&msgs);
            assert_eq!(out.len(), 1);
            assert_eq!(text(&prop(&out[0].object(), "Name")), "loaded 1");
        }
    }
}

#[test]
fn every_unsound_module_is_refused_with_its_reason() {
    for ct in [1, 2] {
        for (case, reason) in [
            ("null", "MI_Main returned NULL"),
            (
                "version",
                "module version 1.2.0 is newer than the supported 1.1.0",
            ),
            (
                "charsize",
                "charSize 3 is neither 1 (UTF-8) nor sizeof(wchar_t)",
            ),
            ("noschema", "neither a schema nor a dynamic provider table"),
            (
                "badfield",
                "class Bad_Thing: invalid parameter: a property's field is outside the structure",
            ),
            ("loadfail", "the module's Load posted AccessDenied (2)"),
        ] {
            let path = common::modules::module_copy("bad", ct, case);
            let e = Module::load(&path)
                .err()
                .unwrap_or_else(|| panic!("{case} loaded"));
            assert!(e.reason.contains(reason), "{case}: {e}");
            assert!(e.to_string().contains(&*path.to_string_lossy()), "{e}");
        }
        // The same source, sound.
        let path = common::modules::module_copy("bad", ct, "sound");
        let m = Module::load(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(m.class_names(), ["Bad_Thing"]);
    }
}

//! Provider modules run end to end (issue 15): the test modules of
//! `tests/c/modules/` (omigen shape) loaded with `Module::load`, both
//! character types in one process, their operations run on contexts of a
//! pool, and what reaches the sink checked message by message.

mod common;

use std::sync::{Arc, Mutex};

use mi_psrp::host::{Context, Pool};
use mi_psrp::provider::context::ProviderContext;
use mi_psrp::provider::module::Module;
use mi_psrp::provider::operation::{Request, run};
use mi_psrp::psrp::cim::{CimString, CimValue};
use mi_psrp::psrp::{Defragmenter, Guid, split_fragments};

const RPID: &str = "6397709e-f7d6-c54d-9568-fd4656ae4820";
const PID: &str = "632aa393-254e-b24d-8288-4d968d0da65d";

/// Every message the pool sent: (message type, CLIXML text after the BOM).
type Messages = Arc<Mutex<Vec<u8>>>;

fn messages(wire: &Messages) -> Vec<(u32, String)> {
    let stream = wire.lock().unwrap().clone();
    let mut d = Defragmenter::new();
    let mut out = Vec::new();
    for f in split_fragments(&stream) {
        let (h, blob) = f.unwrap();
        let Some((_, msg)) = d.push(&h, blob).unwrap() else {
            continue;
        };
        let ty = u32::from_le_bytes(msg[4..8].try_into().unwrap());
        out.push((ty, String::from_utf8_lossy(&msg[43..]).into_owned()));
    }
    out
}

fn setup(ct: u32) -> (Arc<Module>, Arc<Pool>, Messages) {
    let path = common::modules::build_module("xyz", ct);
    let module = Module::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let wire: Messages = Arc::default();
    let sink = Arc::clone(&wire);
    let pool = Pool::new(Guid::parse(RPID).unwrap(), move |f: &[u8]| {
        sink.lock().unwrap().extend_from_slice(f)
    });
    (module, pool, wire)
}

fn context(module: &Module, pool: &Arc<Pool>) -> ProviderContext {
    ProviderContext::new(
        Context::with_char_type(pool, Guid::parse(PID).unwrap(), -1, -1, module.char_type())
            .unwrap(),
    )
}

const OUTPUT: u32 = 0x0004_1004;

#[test]
fn enumerate_posts_every_widget_as_a_cim_instance_in_both_character_types() {
    let mut texts = Vec::new();
    for ct in [1, 2] {
        let (module, pool, wire) = setup(ct);
        assert_eq!(module.char_type().char_size(), if ct == 1 { 1 } else { 4 });
        let pc = context(&module, &pool);
        run(
            &module,
            &pc,
            "root/xyz",
            Request::Enumerate {
                class: "XYZ_Widget",
                keys_only: false,
                properties: None,
            },
        )
        .unwrap();
        let outcome = pc
            .context()
            .wait(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        assert_eq!(outcome.result, 0, "{outcome:?}");
        let msgs = messages(&wire);
        let outputs: Vec<_> = msgs.iter().filter(|(t, _)| *t == OUTPUT).collect();
        assert_eq!(outputs.len(), 2, "{msgs:#?}");
        for (_, x) in &outputs {
            assert!(x.starts_with("<Obj RefId=\"0\"><TN RefId=\"0\"><T>Microsoft.Management.Infrastructure.CimInstance#root/xyz/XYZ_Widget</T><T>Microsoft.Management.Infrastructure.CimInstance#root/xyz/XYZ_Base</T>"), "{x}");
            assert!(
                x.ends_with("<Nil N=\"PSComputerName\" /></Props></Obj>"),
                "{x}"
            );
        }
        texts.push(outputs.iter().map(|(_, x)| x.clone()).collect::<Vec<_>>());
    }
    // The same provider source sends the same bytes whatever its character type.
    assert_eq!(texts[0], texts[1]);
}

#[test]
fn both_character_types_load_at_once_and_instances_round_trip() {
    let (m1, _, _) = setup(1);
    let (m2, _, _) = setup(2);
    for m in [&m1, &m2] {
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
}

//! Interop: what a real provider module sends through mi-psrp — every MI
//! type, embedded and derived instances, references, a method's streamed
//! items and result — decoded by an independent implementation, psrpcore
//! (`tests/interop/psrpcore_modules.py`), with every value's type and value
//! checked against the module's source. Both character types.

mod common;

use common::provider::Harness;
use mi_psrp::provider::operation::Request;
use mi_psrp::psrp::cim::CimValue;

#[test]
fn psrpcore_decodes_every_output_object_of_the_xyz_module() {
    for ct in [1, 2] {
        let h = Harness::new("xyz", ct);
        let o = h.run_only(Request::Enumerate {
            class: "XYZ_Widget",
            keys_only: false,
            properties: None,
            filter: None,
        });
        assert_eq!(o.result, 0);
        let o = h.invoke_only(
            "XYZ_Widget",
            "Scan",
            &[("Pattern", CimValue::String("w".into()))],
        );
        assert_eq!(o.result, 0);
        let stream = h.take_stream();
        let path = common::tmp_dir().join(format!("xyz-{ct}.bin"));
        std::fs::write(&path, &stream).unwrap();
        let out = std::process::Command::new(common::python())
            .arg(common::repo().join("tests/interop/psrpcore_modules.py"))
            .arg(&path)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "charSize {ct}:\n{text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(text.contains(" passed, 0 failed"), "{text}");
    }
}

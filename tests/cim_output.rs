//! CIM output objects as PIPELINE_OUTPUT CLIXML (`psrp-cim-output.md`):
//! byte-exact against the spec's examples and the real Windows samples of
//! tests/fixtures/cim-output-samples.json, the TNRef and RefId rules, the
//! `__ClassMetadata` cache, and an independent decode by psrpcore
//! (tests/interop/psrpcore_cim.py).

mod common;

use std::process::Command;
use std::sync::Arc;

use mi_psrp::psrp::cim::{
    CimClass, CimDatetime, CimInstance, CimOutput, CimProperty, CimPropertyDecl, CimString,
    CimValue, CimWriteError, ClassCache, OutputOptions, write_output_clixml,
};
use mi_psrp::psrp::fragment::{fragment_message, split_fragments};
use mi_psrp::psrp::message::{DESTINATION_CLIENT, PIPELINE_OUTPUT, UTF8_BOM};
use mi_psrp::psrp::{Guid, MessageHeader};
use serde_json::{Value, json};

// ---------------------------------------------------------------- builders

const MI_BOOLEAN: u32 = 0;
const MI_UINT64: u32 = 7;
const MI_REAL64: u32 = 10;
const MI_DATETIME: u32 = 12;
const MI_STRING: u32 = 13;
const MI_INSTANCE: u32 = 15;
const MI_STRINGA: u32 = 29;

fn decl(name: &str, mi_type: u32, key: bool) -> CimPropertyDecl {
    CimPropertyDecl {
        name: name.into(),
        mi_type,
        key,
        class_name: None,
    }
}

fn class(
    name: &str,
    superclass: Option<&Arc<CimClass>>,
    local_properties: Vec<CimPropertyDecl>,
    id: i32,
) -> Arc<CimClass> {
    Arc::new(CimClass {
        name: name.into(),
        superclass: superclass.cloned(),
        local_properties,
        id,
    })
}

fn prop(name: &str, value: Option<CimValue>, key: bool) -> CimProperty {
    CimProperty {
        name: name.into(),
        value,
        key,
    }
}

fn instance(class: &Arc<CimClass>, namespace: &str, properties: Vec<CimProperty>) -> CimInstance {
    CimInstance {
        class: class.clone(),
        namespace: namespace.into(),
        properties,
    }
}

fn s(text: &str) -> Option<CimValue> {
    Some(CimValue::String(text.into()))
}

#[allow(clippy::too_many_arguments)]
fn ts(y: u32, mo: u32, d: u32, h: u32, mi: u32, sec: u32, us: u32, utc: i32) -> CimDatetime {
    CimDatetime::Timestamp {
        year: y,
        month: mo,
        day: d,
        hour: h,
        minute: mi,
        second: sec,
        microseconds: us,
        utc,
    }
}

fn iv(days: u32, hours: u32, minutes: u32, seconds: u32, us: u32) -> CimDatetime {
    CimDatetime::Interval {
        days,
        hours,
        minutes,
        seconds,
        microseconds: us,
    }
}

/// 2024-05-06T05:08:09.1234567 UTC in .NET ticks.
const NOW: i64 = 638_505_688_891_234_567;

fn write(object: CimOutput<'_>, options: &mut OutputOptions<'_>) -> String {
    let mut out = Vec::new();
    write_output_clixml(object, options, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn write_plain(inst: &CimInstance) -> String {
    write(
        CimOutput::Instance(inst),
        &mut OutputOptions {
            now_ticks: NOW,
            ..Default::default()
        },
    )
}

fn fixture() -> Value {
    serde_json::from_str(include_str!("fixtures/cim-output-samples.json")).unwrap()
}

fn sample_message(key: &str, index: usize) -> String {
    let f = fixture();
    let sample = f["samples"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == key)
        .unwrap()
        .clone();
    sample["messages"][index]["clixml"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The MiXml text as it appears in `<S>`: `& < >` escaped.
fn xml_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

const CI: &str = "Microsoft.Management.Infrastructure.CimInstance";

// ---------------------------------------------------------------- the spec's examples

fn maildaemon() -> (Arc<CimClass>, CimInstance) {
    let c = class(
        "MSFT_TaskRepetitionPattern",
        None,
        vec![
            decl("Duration", MI_STRING, false),
            decl("Interval", MI_STRING, false),
            decl("StopAtDurationEnd", MI_BOOLEAN, false),
        ],
        -1_401_671_928,
    );
    let i = instance(
        &c,
        "Root/Microsoft/Windows/TaskScheduler",
        vec![
            prop("Duration", s("P1D"), false),
            prop("Interval", s("PT30M"), false),
            prop("StopAtDurationEnd", Some(CimValue::Boolean(false)), false),
        ],
    );
    (c, i)
}

#[test]
fn maildaemon_without_class_metadata_is_the_483_bytes_of_section_3_5() {
    let (_, inst) = maildaemon();
    let got = write_plain(&inst);
    // The Windows sample less its <MS> (§3.5).
    let windows = sample_message("maildaemon_taskrepetitionpattern", 0);
    let ms = windows.find("<MS>").unwrap();
    let expected = format!("{}</Obj>", &windows[..ms]);
    assert_eq!(got, expected);
    assert_eq!(got.len(), 483);
}

#[test]
fn maildaemon_with_class_metadata_is_windows_output_byte_for_byte() {
    let (_, inst) = maildaemon();
    let mut cache = ClassCache::new();
    let server = CimString::from("C0020127");
    // A local session: PSComputerName is null, ServerName the NetBIOS name.
    let mut options = OutputOptions {
        computer_name: None,
        server_name: Some(&server),
        class_cache: Some(&mut cache),
        now_ticks: NOW,
    };
    let got = write(CimOutput::Instance(&inst), &mut options);
    let windows = sample_message("maildaemon_taskrepetitionpattern", 0);
    assert_eq!(got, windows);
    assert_eq!(got.len(), 1090);
    assert!(cache.contains(-1_401_671_928));
}

fn xyz_classes() -> (Arc<CimClass>, Arc<CimClass>) {
    let base = class(
        "XYZ_Base",
        None,
        vec![
            decl("Name", MI_STRING, true),
            decl("Enabled", MI_BOOLEAN, false),
        ],
        10,
    );
    let widget = class(
        "XYZ_Widget",
        Some(&base),
        vec![
            decl("Size", MI_UINT64, false),
            decl("Ratio", MI_REAL64, false),
            decl("Tags", MI_STRINGA, false),
            decl("Created", MI_DATETIME, false),
            decl("Note", MI_STRING, false),
        ],
        20,
    );
    (base, widget)
}

fn xyz_widget(widget: &Arc<CimClass>, name: &str) -> CimInstance {
    instance(
        widget,
        "root/xyz",
        vec![
            prop("Name", s(name), true),
            prop("Enabled", Some(CimValue::Boolean(true)), false),
            prop("Size", Some(CimValue::Uint64(4096)), false),
            prop("Ratio", Some(CimValue::Real64(0.5)), false),
            prop(
                "Tags",
                Some(CimValue::StringA(vec![
                    Some("red".into()),
                    Some("a<b".into()),
                ])),
                false,
            ),
            prop(
                "Created",
                Some(CimValue::Datetime(ts(2024, 5, 6, 7, 8, 9, 123_456, 120))),
                false,
            ),
            prop("Note", None, false),
        ],
    )
}

const XYZ_WIDGET_3_6: &str = r#"<Obj RefId="0"><TN RefId="0"><T>Microsoft.Management.Infrastructure.CimInstance#root/xyz/XYZ_Widget</T><T>Microsoft.Management.Infrastructure.CimInstance#root/xyz/XYZ_Base</T><T>Microsoft.Management.Infrastructure.CimInstance#XYZ_Widget</T><T>Microsoft.Management.Infrastructure.CimInstance#XYZ_Base</T><T>Microsoft.Management.Infrastructure.CimInstance</T><T>System.Object</T></TN><ToString>XYZ_Widget (Name = "w1")</ToString><Props><S N="Name">w1</S><B N="Enabled">true</B><U64 N="Size">4096</U64><Db N="Ratio">0.5</Db><Obj N="Tags" RefId="1"><TN RefId="1"><T>System.String[]</T><T>System.Array</T><T>System.Object</T></TN><LST><S>red</S><S>a&lt;b</S></LST></Obj><DT N="Created">2024-05-06T05:08:09.123456+00:00</DT><Nil N="Note" /><Nil N="PSComputerName" /></Props></Obj>"#;

#[test]
fn xyz_widget_is_the_template_of_section_3_6() {
    let (_, widget) = xyz_classes();
    let got = write_plain(&xyz_widget(&widget, "w1"));
    assert_eq!(got, XYZ_WIDGET_3_6);
    assert_eq!(got.len(), 774);
}

#[test]
fn xyz_widget_as_the_fragment_of_section_2() {
    let (_, widget) = xyz_classes();
    let clixml = write_plain(&xyz_widget(&widget, "w1"));
    let header = MessageHeader {
        destination: DESTINATION_CLIENT,
        message_type: PIPELINE_OUTPUT,
        runspace_pool_id: Guid::parse("6397709e-f7d6-c54d-9568-fd4656ae4820").unwrap(),
        pipeline_id: Guid::parse("632aa393-254e-b24d-8288-4d968d0da65d").unwrap(),
    };
    let mut message = header.to_bytes().to_vec();
    message.extend_from_slice(&UTF8_BOM);
    message.extend_from_slice(clixml.as_bytes());
    assert_eq!(message.len(), 817);
    let mut fragment = Vec::new();
    fragment_message(&message, 3, 32_768, &mut fragment);
    assert_eq!(fragment.len(), 838);
    let expected_start = common::hex(
        &"0000000000000003 0000000000000000 03 00000331 \
          01000000 04100400 \
          9e709763d6f74dc59568fd4656ae4820 \
          93a32a634e254db282884d968d0da65d \
          efbbbf3c4f626a"
            .split_whitespace()
            .collect::<String>(),
    );
    assert_eq!(fragment[..expected_start.len()], expected_start[..]);
    // At a small fragment size the object spans several fragments.
    let mut stream = Vec::new();
    fragment_message(&message, 3, 300, &mut stream);
    let fragments: Vec<_> = split_fragments(&stream).map(Result::unwrap).collect();
    assert_eq!(fragments.len(), 3);
    let ids: Vec<u64> = fragments.iter().map(|(h, _)| h.fragment_id).collect();
    assert_eq!(ids, [0, 1, 2]);
    assert!(fragments[0].0.is_start() && fragments[2].0.is_end());
    let joined: Vec<u8> = fragments
        .iter()
        .flat_map(|(_, blob)| blob.iter().copied())
        .collect();
    assert_eq!(joined, message);
}

#[test]
fn streamed_result_is_the_template_of_section_5_2() {
    let value = CimValue::String("w7".into());
    let got = write(
        CimOutput::StreamedResult {
            class_name: &"XYZ_Widget".into(),
            method_name: &"Scan".into(),
            parameter_name: &"Found".into(),
            item_type: 13,
            value: Some(&value),
        },
        &mut OutputOptions::default(),
    );
    assert_eq!(
        got,
        r#"<Obj RefId="0"><TN RefId="0"><T>Microsoft.Management.Infrastructure.CimMethodStreamedResult#XYZ_Widget#Scan</T><T>Microsoft.Management.Infrastructure.CimMethodStreamedResult</T><T>System.Management.Automation.PSCustomObject</T><T>System.Object</T></TN><MS><S N="ParameterName">Found</S><Obj N="ItemType" RefId="1"><TN RefId="1"><T>Microsoft.Management.Infrastructure.CimType</T><T>System.Enum</T><T>System.ValueType</T><T>System.Object</T></TN><ToString>String</ToString><I32>14</I32></Obj><S N="ItemValue">w7</S><Nil N="PSComputerName" /></MS></Obj>"#
    );
}

#[test]
fn streamed_results_of_other_types_and_null() {
    let server = CimString::from("srv");
    let mut options = OutputOptions {
        computer_name: Some(&server),
        ..Default::default()
    };
    let (class_name, method, param) = ("C".into(), "M".into(), "P".into());
    let streamed = |item_type, value, options: &mut OutputOptions<'_>| {
        write(
            CimOutput::StreamedResult {
                class_name: &class_name,
                method_name: &method,
                parameter_name: &param,
                item_type,
                value,
            },
            options,
        )
    };
    let got = streamed(5, None, &mut options);
    assert!(
        got.contains(r#"<ToString>UInt32</ToString><I32>6</I32></Obj><Nil N="ItemValue" /><S N="PSComputerName">srv</S></MS></Obj>"#),
        "{got}"
    );
    let array = CimValue::Uint32A(vec![1, 2]);
    let got = streamed(21, Some(&array), &mut options);
    assert!(
        got.contains(r#"<ToString>UInt32Array</ToString><I32>22</I32></Obj><Obj N="ItemValue" RefId="2"><TN RefId="2"><T>System.UInt32[]</T><T>System.Array</T><T>System.Object</T></TN><LST><U32>1</U32><U32>2</U32></LST></Obj>"#),
        "{got}"
    );
    let (_, widget) = xyz_classes();
    let item = CimValue::Instance(Box::new(xyz_widget(&widget, "w1")));
    let got = streamed(15, Some(&item), &mut options);
    assert!(
        got.contains(r#"<ToString>Instance</ToString><I32>16</I32></Obj><Obj N="ItemValue" RefId="2"><TN RefId="2"><T>Microsoft.Management.Infrastructure.CimInstance#root/xyz/XYZ_Widget</T>"#),
        "{got}"
    );
    assert!(got.contains(
        r#"<S N="PSComputerName">srv</S></Props></Obj><S N="PSComputerName">srv</S></MS></Obj>"#
    ));
    let names = [
        (31, "InstanceArray", 32),
        (0, "Boolean", 1),
        (12, "DateTime", 13),
        (16, "BooleanArray", 17),
        (32, "Unknown", 0),
    ];
    for (mi_type, name, value) in names {
        let got = streamed(mi_type, None, &mut options);
        assert!(
            got.contains(&format!("<ToString>{name}</ToString><I32>{value}</I32>")),
            "{got}"
        );
    }
}

/// A DSC resource state instance as the §5.1 sample holds it (properties in
/// the sample's order, no keys: its ToString is DSC type data).
fn dsc_resource(
    class: &Arc<CimClass>,
    fields: [&str; 6],
    duration: f64,
    in_state: bool,
) -> CimInstance {
    let [
        resource_id,
        source_info,
        instance_name,
        resource_name,
        module_name,
        module_version,
    ] = fields;
    instance(
        class,
        "root/Microsoft/Windows/DesiredStateConfiguration",
        vec![
            prop(
                "ConfigurationName",
                s("MemberServerSecuritySettings"),
                false,
            ),
            prop("DependsOn", None, false),
            prop("ModuleName", s(module_name), false),
            prop("ModuleVersion", s(module_version), false),
            prop("PsDscRunAsCredential", None, false),
            prop("ResourceId", s(resource_id), false),
            prop("SourceInfo", s(source_info), false),
            prop("DurationInSeconds", Some(CimValue::Real64(duration)), false),
            prop("Error", None, false),
            prop("FinalState", None, false),
            prop("InDesiredState", Some(CimValue::Boolean(in_state)), false),
            prop("InitialState", None, false),
            prop("InstanceName", s(instance_name), false),
            prop("RebootRequested", Some(CimValue::Boolean(false)), false),
            prop("ResourceName", s(resource_name), false),
            prop(
                "StartDate",
                Some(CimValue::Datetime(ts(2017, 2, 5, 5, 43, 5, 507_000, 0))),
                false,
            ),
        ],
    )
}

#[test]
fn method_result_has_the_shape_of_the_dsc_sample_of_section_5_1() {
    let base = class("OMI_BaseResource", None, vec![], 1);
    let resource = class("MSFT_DSCResource", Some(&base), vec![], 2);
    let in_state = class("MSFT_ResourceInDesiredState", Some(&resource), vec![], 3);
    let not_in_state = class("MSFT_ResourceNotInDesiredState", Some(&resource), vec![], 4);
    let a = dsc_resource(
        &in_state,
        [
            "[Registry]ConsentPromptBehaviorAdmin",
            r"C:\Program Files\dsc-ea\SampleConfig.ps1::17::9::Registry",
            "ConsentPromptBehaviorAdmin",
            "Registry",
            "PSDesiredStateConfiguration",
            "1.1",
        ],
        0.359,
        true,
    );
    let b = dsc_resource(
        &not_in_state,
        [
            "[Service]MicrosoftAntimalwareService",
            r"C:\Program Files\dsc-ea\SampleConfig.ps1::10::9::Service",
            "MicrosoftAntimalwareService",
            "Service",
            "PSDesiredStateConfiguration",
            "1.1",
        ],
        0.093,
        false,
    );
    let parameters = vec![
        prop("InDesiredState", Some(CimValue::Boolean(false)), false),
        prop(
            "ResourcesInDesiredState",
            Some(CimValue::InstanceA(vec![Some(a)])),
            false,
        ),
        prop(
            "ResourcesNotInDesiredState",
            Some(CimValue::InstanceA(vec![Some(b)])),
            false,
        ),
        prop("ReturnValue", Some(CimValue::Uint32(0)), false),
    ];
    let computer = CimString::from("dsclabmember2");
    let got = write(
        CimOutput::MethodResult {
            class_name: &"MSFT_DSCLocalConfigurationManager".into(),
            method_name: &"TestConfiguration".into(),
            parameters: &parameters,
        },
        &mut OutputOptions {
            computer_name: Some(&computer),
            ..Default::default()
        },
    );
    // Windows' bytes but the element ToStrings, which are DSC type data there.
    let windows = fixture()["dsc_method_result_reduced"]["clixml"]
        .as_str()
        .unwrap()
        .replace(
            "<ToString>[Registry]ConsentPromptBehaviorAdmin</ToString>",
            "<ToString>MSFT_ResourceInDesiredState</ToString>",
        )
        .replace(
            "<ToString>[Service]MicrosoftAntimalwareService</ToString>",
            "<ToString>MSFT_ResourceNotInDesiredState</ToString>",
        );
    assert_eq!(got, windows);
}

#[test]
fn method_result_unset_out_parameter_and_empty_values() {
    let parameters = vec![
        prop("Out1", None, false),
        prop("Names", Some(CimValue::StringA(vec![])), false),
        prop("Text", s(""), false),
        prop("ReturnValue", Some(CimValue::Uint32(5)), false),
    ];
    let got = write(
        CimOutput::MethodResult {
            class_name: &"MSFT_x".into(),
            method_name: &"Do_x".into(),
            parameters: &parameters,
        },
        &mut OutputOptions::default(),
    );
    assert_eq!(
        got,
        r#"<Obj RefId="0"><TN RefId="0"><T>Microsoft.Management.Infrastructure.CimMethodResult#MSFT_x005F_x#Do_x005F_x</T><T>Microsoft.Management.Infrastructure.CimMethodResult</T><T>System.Management.Automation.PSCustomObject</T><T>System.Object</T></TN><MS><Nil N="Out1" /><Obj N="Names" RefId="1"><TN RefId="1"><T>System.String[]</T><T>System.Array</T><T>System.Object</T></TN><LST /></Obj><S N="Text"></S><U32 N="ReturnValue">5</U32><Nil N="PSComputerName" /></MS></Obj>"#
    );
}

// ---------------------------------------------------------------- §4, value by value

/// The element a one-property instance writes for `value`.
fn element(value: CimValue) -> String {
    let c = class("C", None, vec![], 1);
    let xml = write_plain(&instance(&c, "", vec![prop("v", Some(value), false)]));
    let start = xml.find("<Props>").unwrap() + "<Props>".len();
    let end = xml.rfind("<Nil N=\"PSComputerName\" /></Props>").unwrap();
    xml[start..end].to_owned()
}

fn array_element(type_name: &str, items: &str) -> String {
    let list = if items.is_empty() {
        "<LST />".to_owned()
    } else {
        format!("<LST>{items}</LST>")
    };
    format!(
        r#"<Obj N="v" RefId="1"><TN RefId="1"><T>{type_name}</T><T>System.Array</T><T>System.Object</T></TN>{list}</Obj>"#
    )
}

#[test]
fn every_scalar_type() {
    use CimValue::*;
    let cases: Vec<(CimValue, &str)> = vec![
        (Boolean(true), r#"<B N="v">true</B>"#),
        (Boolean(false), r#"<B N="v">false</B>"#),
        (Uint8(0), r#"<By N="v">0</By>"#),
        (Uint8(255), r#"<By N="v">255</By>"#),
        (Sint8(-1), r#"<SB N="v">-1</SB>"#),
        (Sint8(-128), r#"<SB N="v">-128</SB>"#),
        (Sint8(127), r#"<SB N="v">127</SB>"#),
        (Uint16(65535), r#"<U16 N="v">65535</U16>"#),
        (Sint16(-32768), r#"<I16 N="v">-32768</I16>"#),
        (Sint16(0), r#"<I16 N="v">0</I16>"#),
        (Uint32(u32::MAX), r#"<U32 N="v">4294967295</U32>"#),
        (Sint32(i32::MIN), r#"<I32 N="v">-2147483648</I32>"#),
        (Sint32(-1), r#"<I32 N="v">-1</I32>"#),
        (Uint64(u64::MAX), r#"<U64 N="v">18446744073709551615</U64>"#),
        (Sint64(i64::MIN), r#"<I64 N="v">-9223372036854775808</I64>"#),
        (Sint64(i64::MAX), r#"<I64 N="v">9223372036854775807</I64>"#),
        (Real32(0.1), r#"<Sg N="v">0.1</Sg>"#),
        (Real32(1e9), r#"<Sg N="v">1E+09</Sg>"#),
        (Real32(f32::NAN), r#"<Sg N="v">NaN</Sg>"#),
        (Real32(f32::NEG_INFINITY), r#"<Sg N="v">-INF</Sg>"#),
        (Real64(0.359), r#"<Db N="v">0.359</Db>"#),
        (Real64(1.5e-5), r#"<Db N="v">1.5E-05</Db>"#),
        (Real64(-0.0), r#"<Db N="v">-0</Db>"#),
        (Real64(f64::INFINITY), r#"<Db N="v">INF</Db>"#),
        (
            Real64(f64::MAX),
            r#"<Db N="v">1.7976931348623157E+308</Db>"#,
        ),
        (Char16(65), r#"<C N="v">65</C>"#),
        (Char16(0), r#"<C N="v">0</C>"#),
        (Char16(0xD800), r#"<C N="v">55296</C>"#),
        (String("".into()), r#"<S N="v"></S>"#),
        (
            String(CimString(
                "a<b&c>d _x41_ \t\u{1F600}é\u{7F}"
                    .encode_utf16()
                    .chain([0xDC00])
                    .collect(),
            )),
            r#"<S N="v">a&lt;b&amp;c&gt;d _x005F_x41_ _x0009__xD83D__xDE00_é_x007F__xDC00_</S>"#,
        ),
        (
            Datetime(ts(2024, 5, 6, 7, 8, 9, 123_456, 120)),
            r#"<DT N="v">2024-05-06T05:08:09.123456+00:00</DT>"#,
        ),
        (
            Datetime(ts(2024, 5, 6, 0, 8, 9, 0, -300)),
            r#"<DT N="v">2024-05-06T05:08:09+00:00</DT>"#,
        ),
        (
            Datetime(ts(0, 1, 1, 0, 0, 0, 0, 720)),
            r#"<DT N="v">2024-05-06T05:08:09.1234567+00:00</DT>"#,
        ),
        (
            Datetime(ts(0, 1, 1, 0, 0, 0, 999_999, 720)),
            r#"<DT N="v">0001-01-01T00:00:00</DT>"#,
        ),
        (
            Datetime(ts(9999, 12, 31, 11, 59, 59, 999_999, -720)),
            r#"<DT N="v">9999-12-31T23:59:59.9999999</DT>"#,
        ),
        (Datetime(iv(0, 0, 0, 0, 0)), r#"<TS N="v">PT0S</TS>"#),
        (
            Datetime(iv(1, 2, 3, 4, 5_000)),
            r#"<TS N="v">P1DT2H3M4.005S</TS>"#,
        ),
        (Datetime(iv(0, 0, 0, 0, 1)), r#"<TS N="v">PT0.000001S</TS>"#),
        (Datetime(iv(0, 47, 59, 60, 0)), r#"<TS N="v">P2D</TS>"#),
        (
            Datetime(iv(10_675_200, 0, 0, 0, 0)),
            r#"<TS N="v">P10675199DT2H48M5.4775807S</TS>"#,
        ),
        (Uint8A(vec![]), r#"<BA N="v"></BA>"#),
        (Uint8A(vec![0, 1, 2, 255]), r#"<BA N="v">AAEC/w==</BA>"#),
    ];
    for (value, expected) in cases {
        assert_eq!(element(value.clone()), expected, "{value:?}");
    }
}

#[test]
fn every_array_type_with_0_1_and_2_elements() {
    use CimValue::*;
    let d = class("D", None, vec![], 2);
    let nested = instance(&d, "", vec![prop("x", Some(Uint8(1)), false)]);
    let nested_xml = r#"<Obj RefId="2"><TN RefId="2"><T>Microsoft.Management.Infrastructure.CimInstance#D</T><T>Microsoft.Management.Infrastructure.CimInstance</T><T>System.Object</T></TN><ToString>D</ToString><Props><By N="x">1</By><Nil N="PSComputerName" /></Props></Obj>"#;
    let cases: Vec<(CimValue, &str, &str)> = vec![
        (BooleanA(vec![]), "System.Boolean[]", ""),
        (
            BooleanA(vec![true, false]),
            "System.Boolean[]",
            "<B>true</B><B>false</B>",
        ),
        (Sint8A(vec![-1]), "System.SByte[]", "<SB>-1</SB>"),
        (
            Sint8A(vec![i8::MIN, i8::MAX]),
            "System.SByte[]",
            "<SB>-128</SB><SB>127</SB>",
        ),
        (Uint16A(vec![]), "System.UInt16[]", ""),
        (
            Uint16A(vec![0, u16::MAX]),
            "System.UInt16[]",
            "<U16>0</U16><U16>65535</U16>",
        ),
        (Sint16A(vec![-2]), "System.Int16[]", "<I16>-2</I16>"),
        (
            Uint32A(vec![7, 8]),
            "System.UInt32[]",
            "<U32>7</U32><U32>8</U32>",
        ),
        (
            Sint32A(vec![i32::MIN]),
            "System.Int32[]",
            "<I32>-2147483648</I32>",
        ),
        (
            Uint64A(vec![u64::MAX]),
            "System.UInt64[]",
            "<U64>18446744073709551615</U64>",
        ),
        (
            Sint64A(vec![-1, 0]),
            "System.Int64[]",
            "<I64>-1</I64><I64>0</I64>",
        ),
        (
            Real32A(vec![0.5, f32::INFINITY]),
            "System.Single[]",
            "<Sg>0.5</Sg><Sg>INF</Sg>",
        ),
        (Real64A(vec![]), "System.Double[]", ""),
        (
            Real64A(vec![1e16, 1e17, f64::NAN]),
            "System.Double[]",
            "<Db>10000000000000000</Db><Db>1E+17</Db><Db>NaN</Db>",
        ),
        (
            Char16A(vec![65, 0xDC00]),
            "System.Char[]",
            "<C>65</C><C>56320</C>",
        ),
        (
            DatetimeA(vec![
                ts(2017, 2, 5, 5, 43, 5, 507_000, 0),
                iv(0, 0, 30, 0, 0),
            ]),
            "System.Object[]",
            "<DT>2017-02-05T05:43:05.507+00:00</DT><TS>PT30M</TS>",
        ),
        (StringA(vec![]), "System.String[]", ""),
        (
            StringA(vec![Some("a".into()), None, Some("".into())]),
            "System.String[]",
            "<S>a</S><Nil /><S></S>",
        ),
        (
            InstanceA(vec![]),
            "Microsoft.Management.Infrastructure.CimInstance[]",
            "",
        ),
        (
            ReferenceA(vec![None]),
            "Microsoft.Management.Infrastructure.CimInstance[]",
            "<Nil />",
        ),
    ];
    for (value, type_name, items) in cases {
        assert_eq!(
            element(value.clone()),
            array_element(type_name, items),
            "{value:?}"
        );
    }
    // Instances in an array: full objects, at RefId 2 after the array's 1.
    assert_eq!(
        element(InstanceA(vec![Some(nested.clone()), None])),
        array_element(
            "Microsoft.Management.Infrastructure.CimInstance[]",
            &format!("{nested_xml}<Nil />")
        )
    );
    // A nested instance or reference: the same object, with N.
    let single = nested_xml.replace(
        "<Obj RefId=\"2\"><TN RefId=\"2\">",
        "<Obj N=\"v\" RefId=\"1\"><TN RefId=\"1\">",
    );
    assert_eq!(element(Instance(Box::new(nested.clone()))), single);
    assert_eq!(element(Reference(Box::new(nested))), single);
}

#[test]
fn null_properties_and_names_needing_encoding() {
    let c = class("MSFT_xWebsite", None, vec![], 1);
    let inst = instance(
        &c,
        "root/_x",
        vec![
            prop("Nothing", None, false),
            prop("Absent array", None, false),
            prop("_xName", s("v"), false),
            prop("q\"<&>", Some(CimValue::Uint8(1)), false),
            prop("tab\there", None, false),
        ],
    );
    assert_eq!(
        write_plain(&inst),
        r#"<Obj RefId="0"><TN RefId="0"><T>Microsoft.Management.Infrastructure.CimInstance#root/_x005F_x/MSFT_x005F_xWebsite</T><T>Microsoft.Management.Infrastructure.CimInstance#MSFT_x005F_xWebsite</T><T>Microsoft.Management.Infrastructure.CimInstance</T><T>System.Object</T></TN><ToString>MSFT_x005F_xWebsite</ToString><Props><Nil N="Nothing" /><Nil N="Absent array" /><S N="_x005F_xName">v</S><By N="q&quot;&lt;&amp;&gt;">1</By><Nil N="tab_x0009_here" /><Nil N="PSComputerName" /></Props></Obj>"#
    );
}

// ---------------------------------------------------------------- §3.2, §3.3, §3.4

#[test]
fn type_names_of_chains_and_namespaces() {
    let a = class("A", None, vec![], 1);
    let b = class("B", Some(&a), vec![], 2);
    let c = class("C", Some(&b), vec![], 3);
    let xml = write_plain(&instance(&c, "ROOT/x", vec![]));
    assert!(xml.starts_with(&format!(
        r#"<Obj RefId="0"><TN RefId="0"><T>{CI}#ROOT/x/C</T><T>{CI}#ROOT/x/B</T><T>{CI}#ROOT/x/A</T><T>{CI}#C</T><T>{CI}#B</T><T>{CI}#A</T><T>{CI}</T><T>System.Object</T></TN><ToString>C</ToString><Props><Nil N="PSComputerName" /></Props></Obj>"#
    )));
    // An empty namespace: no `#ns/` entries.
    let xml = write_plain(&instance(&b, "", vec![]));
    assert!(xml.starts_with(&format!(
        r#"<Obj RefId="0"><TN RefId="0"><T>{CI}#B</T><T>{CI}#A</T><T>{CI}</T><T>System.Object</T></TN>"#
    )));
}

#[test]
fn to_string_cases_of_section_8() {
    let c = class("XYZ_Widget", None, vec![], 1);
    let to_string = |props: Vec<CimProperty>| {
        let xml = write_plain(&instance(&c, "root/xyz", props));
        let start = xml.find("<ToString>").unwrap() + "<ToString>".len();
        let end = xml.find("</ToString>").unwrap();
        xml[start..end].to_owned()
    };
    assert_eq!(to_string(vec![]), "XYZ_Widget");
    assert_eq!(
        to_string(vec![prop("Name", s("a+b"), true)]),
        "XYZ_Widget (Name = \"a?b\")"
    );
    assert_eq!(
        to_string(vec![prop("Name", None, true)]),
        "XYZ_Widget (Name)"
    );
    assert_eq!(
        to_string(vec![
            prop("DeviceID", s("C:"), true),
            prop("Index", Some(CimValue::Uint32(0)), true)
        ]),
        "XYZ_Widget (DeviceID = \"C:\", Index = 0)"
    );
    assert_eq!(
        to_string(vec![
            prop("Caption", s("C:"), false),
            prop("DeviceID", s("C:"), true)
        ]),
        "XYZ_Widget: C: (DeviceID = \"C:\")"
    );
    // The caption is string-encoded with the rest, not sanitised.
    assert_eq!(
        to_string(vec![prop("CAPTION", s("a\n<b>_x"), false)]),
        "XYZ_Widget: a_x000A_&lt;b&gt;_x005F_x"
    );
    // `?` for symbols, controls and each surrogate half; then encoded.
    let units: Vec<u16> = "<$\t".encode_utf16().chain([0xD83D, 0xDE00]).collect();
    assert_eq!(
        to_string(vec![prop(
            "K",
            Some(CimValue::String(CimString(units))),
            true
        )]),
        "XYZ_Widget (K = \"?????\")"
    );
    // 40 and 41 units.
    let k38 = "x".repeat(38);
    assert_eq!(
        to_string(vec![prop("K", s(&k38), true)]),
        format!("XYZ_Widget (K = \"{k38}\")")
    );
    let k39 = "x".repeat(39);
    assert_eq!(
        to_string(vec![prop("K", s(&k39), true)]),
        format!("XYZ_Widget (K = \"{k39}...)")
    );
    let nested = instance(&c, "", vec![]);
    assert_eq!(
        to_string(vec![
            prop(
                "A",
                Some(CimValue::Reference(Box::new(nested.clone()))),
                true
            ),
            prop("B", Some(CimValue::InstanceA(vec![Some(nested)])), true),
            prop("C", Some(CimValue::Uint8A(vec![1])), true),
            prop(
                "D",
                Some(CimValue::Datetime(ts(2024, 5, 6, 7, 8, 9, 0, 120))),
                true
            ),
        ]),
        "XYZ_Widget (A = ..., B = ..., C = ..., D = 05/06/2024 05:08:09)"
    );
}

#[test]
fn computer_name_on_every_object_nested_included() {
    let (_, widget) = xyz_classes();
    let mut inner = xyz_widget(&widget, "inner");
    inner.properties.truncate(1);
    let outer = instance(
        &widget,
        "root/xyz",
        vec![
            prop(
                "Part",
                Some(CimValue::Instance(Box::new(inner.clone()))),
                false,
            ),
            prop("Parts", Some(CimValue::InstanceA(vec![Some(inner)])), false),
        ],
    );
    let name = CimString::from("host_x<1>");
    let xml = write(
        CimOutput::Instance(&outer),
        &mut OutputOptions {
            computer_name: Some(&name),
            ..Default::default()
        },
    );
    assert_eq!(
        xml.matches(r#"<S N="PSComputerName">host_x005F_x&lt;1&gt;</S></Props>"#)
            .count(),
        3,
        "{xml}"
    );
    assert!(!xml.contains("Nil N=\"PSComputerName\""));
    assert!(!xml.contains("<MS>"), "no class metadata by default");
}

// ---------------------------------------------------------------- §2 RefIds and TNRef

#[test]
fn tnref_for_repeated_type_names_and_refids_per_message() {
    let c = class("C", None, vec![], 1);
    let d = class("D", None, vec![], 2);
    let d1 = instance(&d, "ns", vec![]);
    let outer = instance(
        &c,
        "ns",
        vec![
            prop("A", Some(CimValue::StringA(vec![Some("x".into())])), false),
            prop("B", Some(CimValue::StringA(vec![Some("y".into())])), false),
            prop(
                "N",
                Some(CimValue::InstanceA(vec![Some(d1.clone()), Some(d1)])),
                false,
            ),
            prop(
                "R",
                Some(CimValue::Reference(Box::new(instance(&c, "ns", vec![])))),
                false,
            ),
            prop("E", Some(CimValue::InstanceA(vec![])), false),
            prop(
                "O",
                Some(CimValue::Instance(Box::new(instance(&c, "other", vec![])))),
                false,
            ),
        ],
    );
    let d_obj = |r: u32, tn: &str| {
        format!(
            r#"<Obj RefId="{r}">{tn}<ToString>D</ToString><Props><Nil N="PSComputerName" /></Props></Obj>"#
        )
    };
    let expected = format!(
        concat!(
            r#"<Obj RefId="0"><TN RefId="0"><T>{ci}#ns/C</T><T>{ci}#C</T><T>{ci}</T><T>System.Object</T></TN><ToString>C</ToString><Props>"#,
            r#"<Obj N="A" RefId="1"><TN RefId="1"><T>System.String[]</T><T>System.Array</T><T>System.Object</T></TN><LST><S>x</S></LST></Obj>"#,
            r#"<Obj N="B" RefId="2"><TNRef RefId="1" /><LST><S>y</S></LST></Obj>"#,
            r#"<Obj N="N" RefId="3"><TN RefId="2"><T>{ci}[]</T><T>System.Array</T><T>System.Object</T></TN><LST>{d1}{d2}</LST></Obj>"#,
            r#"<Obj N="R" RefId="6"><TNRef RefId="0" /><ToString>C</ToString><Props><Nil N="PSComputerName" /></Props></Obj>"#,
            r#"<Obj N="E" RefId="7"><TNRef RefId="2" /><LST /></Obj>"#,
            r#"<Obj N="O" RefId="8"><TN RefId="4"><T>{ci}#other/C</T><T>{ci}#C</T><T>{ci}</T><T>System.Object</T></TN><ToString>C</ToString><Props><Nil N="PSComputerName" /></Props></Obj>"#,
            r#"<Nil N="PSComputerName" /></Props></Obj>"#
        ),
        ci = CI,
        d1 = d_obj(
            4,
            &format!(
                r#"<TN RefId="3"><T>{CI}#ns/D</T><T>{CI}#D</T><T>{CI}</T><T>System.Object</T></TN>"#
            )
        ),
        d2 = d_obj(5, r#"<TNRef RefId="3" />"#),
    );
    assert_eq!(write_plain(&outer), expected);
    // The next message starts again from 0, with full TNs.
    assert_eq!(write_plain(&outer), expected);
    let mut both = Vec::new();
    let mut options = OutputOptions::default();
    write_output_clixml(CimOutput::Instance(&outer), &mut options, &mut both).unwrap();
    write_output_clixml(CimOutput::Instance(&outer), &mut options, &mut both).unwrap();
    assert_eq!(
        both,
        format!("{expected}{expected}").into_bytes(),
        "appends to the buffer"
    );
}

// ---------------------------------------------------------------- §6 class metadata

fn entry(
    refid: u32,
    class: &str,
    ns: &str,
    server: &str,
    hash: i32,
    mi_xml: Option<&str>,
) -> String {
    let xml = mi_xml.map_or(String::new(), |x| {
        format!(r#"<S N="MiXml">{}</S>"#, xml_text(x))
    });
    format!(
        r#"<Obj RefId="{refid}"><MS><S N="ClassName">{class}</S><S N="Namespace">{ns}</S><S N="ServerName">{server}</S><I32 N="Hash">{hash}</I32>{xml}</MS></Obj>"#
    )
}

fn metadata(refid: u32, tn: &str, entries: &[String]) -> String {
    format!(
        r#"<MS><Obj N="__ClassMetadata" RefId="{refid}">{tn}<LST>{}</LST></Obj></MS>"#,
        entries.concat()
    )
}

const ARRAYLIST_TN: &str = "<T>System.Collections.ArrayList</T><T>System.Object</T>";
const BASE_XML: &str = r#"<CLASS NAME="XYZ_Base"><PROPERTY NAME="Name" TYPE="string"><QUALIFIER NAME="key" TYPE="boolean" OVERRIDABLE="false"><VALUE>true</VALUE></QUALIFIER></PROPERTY><PROPERTY NAME="Enabled" TYPE="boolean"></PROPERTY></CLASS>"#;
const WIDGET_XML: &str = r#"<CLASS NAME="XYZ_Widget" SUPERCLASS="XYZ_Base"><PROPERTY NAME="Size" TYPE="uint64"></PROPERTY><PROPERTY NAME="Ratio" TYPE="real64"></PROPERTY><PROPERTY.ARRAY NAME="Tags" TYPE="string"></PROPERTY.ARRAY><PROPERTY NAME="Created" TYPE="datetime"></PROPERTY><PROPERTY NAME="Note" TYPE="string"></PROPERTY></CLASS>"#;

#[test]
fn class_metadata_full_chain_then_cached_leaf_then_cached_base() {
    let (base, widget) = xyz_classes();
    let mut cache = ClassCache::new();
    let mut options = OutputOptions {
        class_cache: Some(&mut cache),
        ..Default::default()
    };
    // §6.3: the first XYZ_Widget carries the whole chain, root first, with XML.
    let first = write(
        CimOutput::Instance(&xyz_widget(&widget, "w1")),
        &mut options,
    );
    let tn = format!(r#"<TN RefId="2">{ARRAYLIST_TN}</TN>"#);
    let expected_ms = metadata(
        2,
        &tn,
        &[
            entry(3, "XYZ_Base", "root/xyz", "", 10, Some(BASE_XML)),
            entry(4, "XYZ_Widget", "root/xyz", "", 20, Some(WIDGET_XML)),
        ],
    );
    let plain = XYZ_WIDGET_3_6.strip_suffix("</Obj>").unwrap();
    assert_eq!(first, format!("{plain}{expected_ms}</Obj>"));
    // The next one: the leaf alone, without XML.
    let second = write(
        CimOutput::Instance(&xyz_widget(&widget, "w2")),
        &mut options,
    );
    let expected_ms = metadata(2, &tn, &[entry(3, "XYZ_Widget", "root/xyz", "", 20, None)]);
    assert!(
        second.ends_with(&format!("{expected_ms}</Obj>")),
        "{second}"
    );
    // A new leaf over the cached base: base without XML, leaf with it.
    let gadget = class(
        "XYZ_Gadget",
        Some(&base),
        vec![decl("Part", MI_INSTANCE, false)],
        30,
    );
    let server = CimString::from("EC2_x");
    options.computer_name = Some(&server);
    let third = write(
        CimOutput::Instance(&instance(&gadget, "root/xyz", vec![])),
        &mut options,
    );
    let gadget_xml = r#"<CLASS NAME="XYZ_Gadget" SUPERCLASS="XYZ_Base"><PROPERTY NAME="Part" TYPE="string"><QUALIFIER NAME="EmbeddedObject" TYPE="boolean"><VALUE>true</VALUE></QUALIFIER></PROPERTY></CLASS>"#;
    let expected_ms = metadata(
        1,
        &tn.replace("\"2\"", "\"1\""),
        &[
            entry(2, "XYZ_Base", "root/xyz", "EC2_x005F_x", 10, None),
            entry(
                3,
                "XYZ_Gadget",
                "root/xyz",
                "EC2_x005F_x",
                30,
                Some(gadget_xml),
            ),
        ],
    );
    assert!(third.ends_with(&format!("{expected_ms}</Obj>")), "{third}");
    assert_eq!(cache.len(), 3);
    // One cache per pipeline: another pipeline's cache starts empty.
    let mut other = ClassCache::new();
    let again = write(
        CimOutput::Instance(&xyz_widget(&widget, "w3")),
        &mut OutputOptions {
            class_cache: Some(&mut other),
            ..Default::default()
        },
    );
    assert_eq!(again.matches("<S N=\"MiXml\">").count(), 2);
}

#[test]
fn nested_instances_fill_the_cache_first() {
    let (base, widget) = xyz_classes();
    let inner = instance(&base, "root/xyz", vec![prop("Name", s("in"), true)]);
    let outer = instance(
        &widget,
        "root/xyz",
        vec![prop(
            "Part",
            Some(CimValue::Instance(Box::new(inner))),
            false,
        )],
    );
    let mut cache = ClassCache::new();
    let got = write(
        CimOutput::Instance(&outer),
        &mut OutputOptions {
            class_cache: Some(&mut cache),
            ..Default::default()
        },
    );
    // Obj 0 outer, 1 inner, 2 its metadata (TN 2), 3 its entry; 4 the outer's
    // metadata sharing the ArrayList TN, 5 and 6 its entries.
    let inner_ms = metadata(
        2,
        &format!(r#"<TN RefId="2">{ARRAYLIST_TN}</TN>"#),
        &[entry(3, "XYZ_Base", "root/xyz", "", 10, Some(BASE_XML))],
    );
    let outer_ms = metadata(
        4,
        r#"<TNRef RefId="2" />"#,
        &[
            entry(5, "XYZ_Base", "root/xyz", "", 10, None),
            entry(6, "XYZ_Widget", "root/xyz", "", 20, Some(WIDGET_XML)),
        ],
    );
    assert!(
        got.contains(&format!(
            r#"<ToString>XYZ_Base (Name = "in")</ToString><Props><S N="Name">in</S><Nil N="PSComputerName" /></Props>{inner_ms}</Obj><Nil N="PSComputerName" /></Props>{outer_ms}</Obj>"#
        )),
        "{got}"
    );
    assert!(got.ends_with(&format!("{outer_ms}</Obj>")));
}

#[test]
fn class_cache_empties_at_100_classes() {
    let classes: Vec<_> = (0..101)
        .map(|i| class(&format!("C{i}"), None, vec![], 1000 + i))
        .collect();
    let mut cache = ClassCache::new();
    let mut options = OutputOptions {
        class_cache: Some(&mut cache),
        ..Default::default()
    };
    let mut send = |i: usize| {
        let xml = write(
            CimOutput::Instance(&instance(&classes[i], "", vec![])),
            &mut options,
        );
        xml.contains("<S N=\"MiXml\">")
    };
    for i in 0..100 {
        assert!(send(i), "C{i} is new");
    }
    assert!(!send(0) && !send(99), "all 100 cached");
    assert!(send(100), "C100 is new, and empties the full cache");
    assert!(!send(100));
    assert!(send(0), "C0 was forgotten");
    assert_eq!(cache.len(), 2);
}

#[test]
fn servermanager_messages_as_windows_writes_them() {
    // The first two messages of the ServerManager sample: a 2-level chain, a
    // class without CIM properties, PSComputerName set. Windows adds an
    // instance note (NumericId) and class qualifiers mi-psrp cannot know;
    // everything else is compared.
    let base = class(
        "MSFT_ServerManagerServerComponentDescriptor",
        None,
        vec![],
        -120_653_512,
    );
    let web_server = class(
        "ServerComponent_Web_Server",
        Some(&base),
        vec![],
        -120_605_672,
    );
    let web_webserver = class(
        "ServerComponent_Web_WebServer",
        Some(&base),
        vec![],
        -120_593_192,
    );
    let computer = CimString::from("EC2AMAZ-4BOUK56");
    let mut cache = ClassCache::new();
    let mut options = OutputOptions {
        computer_name: Some(&computer),
        class_cache: Some(&mut cache),
        ..Default::default()
    };
    let ns = "ROOT/Microsoft/Windows/ServerManager";
    for (index, class) in [(0, &web_server), (1, &web_webserver)] {
        let got = write(
            CimOutput::Instance(&instance(class, ns, vec![])),
            &mut options,
        );
        let windows = sample_message("obsidian_servermanager_components", index);
        let props_end = windows.find("<MS>").unwrap();
        assert_eq!(got[..props_end], windows[..props_end], "message {index}");
        // From the ArrayList to the leaf's class XML, past its SUPERCLASS.
        let meta_start = windows.find("<Obj N=\"__ClassMetadata\"").unwrap();
        let leaf_xml = windows
            .rfind("SUPERCLASS=\"MSFT_ServerManagerServerComponentDescriptor\"&gt;")
            .unwrap()
            + "SUPERCLASS=\"MSFT_ServerManagerServerComponentDescriptor\"&gt;".len();
        let windows_meta = &windows[meta_start..leaf_xml];
        let got_start = got.find("<Obj N=\"__ClassMetadata\"").unwrap();
        let got_meta = &got[got_start..];
        if index == 0 {
            // The base's entry carries XML (with qualifiers on Windows).
            let base_xml = windows_meta.find("<S N=\"MiXml\">").unwrap();
            assert_eq!(got_meta[..base_xml], windows_meta[..base_xml]);
        } else {
            assert!(
                got_meta.starts_with(windows_meta),
                "{got_meta}\n{windows_meta}"
            );
        }
    }
}

#[test]
fn a_timestamp_that_names_no_date_fails_and_changes_nothing() {
    let c = class("XYZ_Bad", None, vec![], 77);
    let d = class("XYZ_Inner", None, vec![], 78);
    let inner = instance(&d, "", vec![]);
    let bad = instance(
        &c,
        "root",
        vec![
            prop("Inner", Some(CimValue::Instance(Box::new(inner))), false),
            prop(
                "When",
                Some(CimValue::DatetimeA(vec![
                    iv(1, 0, 0, 0, 0),
                    ts(2023, 2, 29, 0, 0, 0, 0, 0),
                ])),
                false,
            ),
        ],
    );
    let mut cache = ClassCache::new();
    let mut out = b"kept".to_vec();
    let err = write_output_clixml(
        CimOutput::Instance(&bad),
        &mut OutputOptions {
            class_cache: Some(&mut cache),
            ..Default::default()
        },
        &mut out,
    )
    .unwrap_err();
    assert_eq!(
        err,
        CimWriteError::InvalidDatetime {
            property: "When".into()
        }
    );
    assert_eq!(
        err.to_string(),
        "property When: the timestamp names no date and time"
    );
    assert_eq!(out, b"kept", "the output is taken back");
    assert!(
        cache.is_empty(),
        "the nested instance's class is not cached"
    );
    // In a key, the ToString fails first; in a streamed item, the parameter is named.
    let key = instance(
        &c,
        "",
        vec![prop(
            "K",
            Some(CimValue::Datetime(ts(2024, 13, 1, 0, 0, 0, 0, 0))),
            true,
        )],
    );
    let mut out = Vec::new();
    assert_eq!(
        write_output_clixml(
            CimOutput::Instance(&key),
            &mut OutputOptions::default(),
            &mut out
        ),
        Err(CimWriteError::InvalidDatetime {
            property: "K".into()
        })
    );
    let value = CimValue::Datetime(ts(0, 1, 1, 0, 0, 0, 0, 0));
    assert_eq!(
        write_output_clixml(
            CimOutput::StreamedResult {
                class_name: &"C".into(),
                method_name: &"M".into(),
                parameter_name: &"Item".into(),
                item_type: 12,
                value: Some(&value),
            },
            &mut OutputOptions::default(),
            &mut out
        ),
        Err(CimWriteError::InvalidDatetime {
            property: "Item".into()
        })
    );
    assert!(out.is_empty());
}

// ---------------------------------------------------------------- psrpcore

/// What psrpcore must give for a value (see tests/interop/psrpcore_cim.py).
fn ps(t: &str, v: impl Into<Value>) -> Value {
    json!({"t": t, "v": v.into()})
}

fn ps_string(v: &str) -> Value {
    ps("PSString", v)
}

fn ps_list(type_name: &str, items: Vec<Value>) -> Value {
    json!({
        "t": "PSList",
        "type_names": [format!("Deserialized.{type_name}"), "Deserialized.System.Array", "Deserialized.System.Object"],
        "items": items,
    })
}

fn ps_instance(
    type_names: &[String],
    to_string: &str,
    adapted: Vec<(&str, Value)>,
    extended: Vec<(&str, Value)>,
) -> Value {
    json!({
        "t": "PSObject",
        "type_names": type_names.iter().map(|t| format!("Deserialized.{t}")).collect::<Vec<_>>(),
        "to_string": to_string,
        "adapted": adapted.into_iter().map(|(n, v)| json!([n, v])).collect::<Vec<_>>(),
        "extended": extended.into_iter().map(|(n, v)| json!([n, v])).collect::<Vec<_>>(),
    })
}

fn instance_type_names(namespace: &str, chain: &[&str]) -> Vec<String> {
    let mut names = Vec::new();
    if !namespace.is_empty() {
        names.extend(chain.iter().map(|c| format!("{CI}#{namespace}/{c}")));
    }
    names.extend(chain.iter().map(|c| format!("{CI}#{c}")));
    names.push(CI.into());
    names.push("System.Object".into());
    names
}

fn class_entry(class: &str, ns: &str, server: &str, hash: i32, mi_xml: Option<&str>) -> Value {
    let mut extended = vec![
        json!(["ClassName", ps_string(class)]),
        json!(["Namespace", ps_string(ns)]),
        json!(["ServerName", ps_string(server)]),
        json!(["Hash", ps("PSInt", hash)]),
    ];
    if let Some(x) = mi_xml {
        extended.push(json!(["MiXml", ps_string(x)]));
    }
    json!({"t": "PSObject", "type_names": [], "to_string": null, "adapted": [], "extended": extended})
}

fn class_metadata_list(entries: Vec<Value>) -> Value {
    json!({"t": "PSList", "type_names": ["System.Collections.ArrayList", "System.Object"], "items": entries})
}

/// Every type, arrays, nested and derived instances, keys, a computer
/// name, and class metadata, in one instance; with what psrpcore must make
/// of it.
fn everything() -> (CimInstance, Value) {
    use CimValue::*;
    let root = class("XYZ_Root", None, vec![decl("Id", 5, true)], 1);
    let mid = class(
        "XYZ_Mid",
        Some(&root),
        vec![decl("Label", MI_STRING, true)],
        2,
    );
    let leaf = class("XYZ_x_All", Some(&mid), vec![], 3);
    let part = class("XYZ_Part", None, vec![], 4);
    let part_inst = |n: u8, inner: Option<CimInstance>| {
        let mut props = vec![prop("N", Some(Uint8(n)), false)];
        if let Some(inner) = inner {
            props.push(prop("Inner", Some(Instance(Box::new(inner))), false));
        }
        instance(&part, "root/xyz", props)
    };
    let deep = part_inst(3, None);
    let lone: Vec<u16> = "lone ".encode_utf16().chain([0xD800]).collect();
    let lone_units = lone.clone();
    let part_tn = instance_type_names("root/xyz", &["XYZ_Part"]);
    let part_obj = |n: u8, extra: Vec<(&str, Value)>, meta: Value| {
        let mut adapted = vec![("N", ps("PSByte", n))];
        adapted.extend(extra);
        adapted.push(("PSComputerName", ps_string("srv1")));
        ps_instance(
            &part_tn,
            "XYZ_Part",
            adapted,
            vec![("__ClassMetadata", meta)],
        )
    };
    let part_meta_full = class_metadata_list(vec![class_entry(
        "XYZ_Part",
        "root/xyz",
        "srv1",
        4,
        Some("<CLASS NAME=\"XYZ_Part\"></CLASS>"),
    )]);
    let part_meta_cached =
        class_metadata_list(vec![class_entry("XYZ_Part", "root/xyz", "srv1", 4, None)]);
    // (name, value, key, expected)
    let props: Vec<(&str, Option<CimValue>, bool, Value)> = vec![
        ("Id", Some(Uint32(42)), true, ps("PSUInt", 42)),
        ("Label", s("a+b"), true, ps_string("a+b")),
        (
            "Bool",
            Some(Boolean(true)),
            false,
            json!({"t": "bool", "v": true}),
        ),
        ("U8", Some(Uint8(255)), false, ps("PSByte", 255)),
        ("S8", Some(Sint8(-128)), false, ps("PSSByte", -128)),
        ("U16", Some(Uint16(65535)), false, ps("PSUInt16", 65535)),
        ("S16", Some(Sint16(-1)), false, ps("PSInt16", -1)),
        ("U32", Some(Uint32(0)), false, ps("PSUInt", 0)),
        ("S32", Some(Sint32(i32::MIN)), false, ps("PSInt", i32::MIN)),
        (
            "U64",
            Some(Uint64(u64::MAX)),
            false,
            ps("PSUInt64", u64::MAX),
        ),
        (
            "S64",
            Some(Sint64(i64::MIN)),
            false,
            ps("PSInt64", i64::MIN),
        ),
        ("R32", Some(Real32(0.1)), false, ps("PSSingle", "0.1")),
        ("R32Big", Some(Real32(1e9)), false, ps("PSSingle", "1e9")),
        ("R64", Some(Real64(1.5e-5)), false, ps("PSDouble", "1.5e-5")),
        (
            "R64Max",
            Some(Real64(f64::MAX)),
            false,
            ps("PSDouble", "1.7976931348623157e308"),
        ),
        (
            "R64Tiny",
            Some(Real64(5e-324)),
            false,
            ps("PSDouble", "5e-324"),
        ),
        ("NaN", Some(Real64(f64::NAN)), false, ps("PSDouble", "nan")),
        (
            "Inf",
            Some(Real32(f32::INFINITY)),
            false,
            ps("PSSingle", "inf"),
        ),
        (
            "NegInf",
            Some(Real64(f64::NEG_INFINITY)),
            false,
            ps("PSDouble", "-inf"),
        ),
        ("NegZero", Some(Real64(-0.0)), false, ps("PSDouble", "-0.0")),
        ("Char", Some(Char16(65)), false, ps("PSChar", 65)),
        (
            "LoneChar",
            Some(Char16(0xDFFF)),
            false,
            ps("PSChar", 0xDFFF),
        ),
        ("Empty", s(""), false, ps_string("")),
        (
            "Text",
            s("a<b&c>d _x41_ \t\n\u{1F600} é中 \u{FFFE}"),
            false,
            ps_string("a<b&c>d _x41_ \t\n\u{1F600} é中 \u{FFFE}"),
        ),
        (
            "Lone",
            Some(String(CimString(lone))),
            false,
            json!({"t": "PSString", "units": lone_units}),
        ),
        ("Null", None, false, Value::Null),
        (
            "When",
            Some(Datetime(ts(2024, 5, 6, 7, 8, 9, 123_456, 120))),
            false,
            json!({"t": "PSDateTime", "v": "2024-05-06T05:08:09.123456+00:00", "ns": 0}),
        ),
        (
            "Now",
            Some(Datetime(ts(0, 1, 1, 0, 0, 0, 0, 720))),
            false,
            json!({"t": "PSDateTime", "v": "2024-05-06T05:08:09.123456+00:00", "ns": 700}),
        ),
        (
            "Past",
            Some(Datetime(ts(0, 1, 1, 0, 0, 0, 999_999, 720))),
            false,
            json!({"t": "PSDateTime", "v": "0001-01-01T00:00:00", "ns": 0}),
        ),
        (
            "Future",
            Some(Datetime(ts(9999, 12, 31, 11, 59, 59, 999_999, -720))),
            false,
            json!({"t": "PSDateTime", "v": "9999-12-31T23:59:59.999999", "ns": 900}),
        ),
        (
            "Span",
            Some(Datetime(iv(1, 2, 3, 4, 5_006))),
            false,
            json!({"t": "PSDuration", "ns": (93_784i64 * 1_000_000 + 5_006) * 1000}),
        ),
        (
            "Zero",
            Some(Datetime(iv(0, 0, 0, 0, 0))),
            false,
            json!({"t": "PSDuration", "ns": 0}),
        ),
        (
            "MaxSpan",
            Some(Datetime(iv(99_999_999, 0, 0, 0, 0))),
            false,
            json!({"t": "PSDuration", "ns": (i128::from(i64::MAX) * 100).to_string()}),
        ),
        (
            "Bytes",
            Some(Uint8A(vec![0, 1, 2, 255])),
            false,
            json!({"t": "PSByteArray", "hex": "000102ff"}),
        ),
        (
            "NoBytes",
            Some(Uint8A(vec![])),
            false,
            json!({"t": "PSByteArray", "hex": ""}),
        ),
        (
            "Bools",
            Some(BooleanA(vec![true, false])),
            false,
            ps_list(
                "System.Boolean[]",
                vec![
                    json!({"t": "bool", "v": true}),
                    json!({"t": "bool", "v": false}),
                ],
            ),
        ),
        (
            "S8s",
            Some(Sint8A(vec![-1])),
            false,
            ps_list("System.SByte[]", vec![ps("PSSByte", -1)]),
        ),
        (
            "U16s",
            Some(Uint16A(vec![])),
            false,
            ps_list("System.UInt16[]", vec![]),
        ),
        (
            "S16s",
            Some(Sint16A(vec![1, 2])),
            false,
            ps_list("System.Int16[]", vec![ps("PSInt16", 1), ps("PSInt16", 2)]),
        ),
        (
            "U32s",
            Some(Uint32A(vec![7])),
            false,
            ps_list("System.UInt32[]", vec![ps("PSUInt", 7)]),
        ),
        // psrpcore rehydrates `System.Int32[]` as its own class (a host
        // method's array dimensions), type names without `Deserialized.`.
        (
            "S32s",
            Some(Sint32A(vec![-7, 0])),
            false,
            json!({
                "t": "_ArrayCount",
                "type_names": ["System.Int32[]", "System.Array", "System.Object"],
                "items": [ps("PSInt", -7), ps("PSInt", 0)],
            }),
        ),
        (
            "U64s",
            Some(Uint64A(vec![1])),
            false,
            ps_list("System.UInt64[]", vec![ps("PSUInt64", 1)]),
        ),
        (
            "S64s",
            Some(Sint64A(vec![])),
            false,
            ps_list("System.Int64[]", vec![]),
        ),
        (
            "R32s",
            Some(Real32A(vec![0.5, f32::NAN])),
            false,
            ps_list(
                "System.Single[]",
                vec![ps("PSSingle", "0.5"), ps("PSSingle", "nan")],
            ),
        ),
        (
            "R64s",
            Some(Real64A(vec![1e17])),
            false,
            ps_list("System.Double[]", vec![ps("PSDouble", "1e17")]),
        ),
        (
            "Chars",
            Some(Char16A(vec![0x41, 0xD83D])),
            false,
            ps_list(
                "System.Char[]",
                vec![ps("PSChar", 0x41), ps("PSChar", 0xD83D)],
            ),
        ),
        (
            "Times",
            Some(DatetimeA(vec![
                ts(2017, 2, 5, 5, 43, 5, 507_000, 0),
                iv(0, 0, 30, 0, 0),
            ])),
            false,
            ps_list(
                "System.Object[]",
                vec![
                    json!({"t": "PSDateTime", "v": "2017-02-05T05:43:05.507000+00:00", "ns": 0}),
                    json!({"t": "PSDuration", "ns": 1_800_000_000_000i64}),
                ],
            ),
        ),
        (
            "Strings",
            Some(StringA(vec![Some("x".into()), None, Some("".into())])),
            false,
            ps_list(
                "System.String[]",
                vec![ps_string("x"), Value::Null, ps_string("")],
            ),
        ),
        (
            "MoreStrings",
            Some(StringA(vec![Some("y".into())])),
            false,
            ps_list("System.String[]", vec![ps_string("y")]),
        ),
        ("NullArray", None, false, Value::Null),
        // Depth 2, with the class's XML the first time only.
        (
            "Part",
            Some(Instance(Box::new(part_inst(1, Some(deep))))),
            false,
            part_obj(
                1,
                vec![("Inner", part_obj(3, vec![], part_meta_full))],
                part_meta_cached.clone(),
            ),
        ),
        (
            "Link",
            Some(Reference(Box::new(part_inst(2, None)))),
            false,
            part_obj(2, vec![], part_meta_cached.clone()),
        ),
        (
            "Parts",
            Some(InstanceA(vec![
                Some(part_inst(4, None)),
                None,
                Some(part_inst(5, None)),
            ])),
            false,
            ps_list(
                &format!("{CI}[]"),
                vec![
                    part_obj(4, vec![], part_meta_cached.clone()),
                    Value::Null,
                    part_obj(5, vec![], part_meta_cached.clone()),
                ],
            ),
        ),
        (
            "Links",
            Some(ReferenceA(vec![])),
            false,
            ps_list(&format!("{CI}[]"), vec![]),
        ),
        (
            "we<ir\"d _xname",
            Some(Boolean(false)),
            false,
            json!({"t": "bool", "v": false}),
        ),
    ];
    let mut expected_adapted = Vec::new();
    let mut properties = Vec::new();
    for (name, value, key, expected) in props {
        properties.push(prop(name, value, key));
        expected_adapted.push((name, expected));
    }
    expected_adapted.push(("PSComputerName", ps_string("srv1")));
    let all = instance(&leaf, "root/xyz", properties);
    let meta = class_metadata_list(vec![
        class_entry(
            "XYZ_Root",
            "root/xyz",
            "srv1",
            1,
            Some(
                "<CLASS NAME=\"XYZ_Root\"><PROPERTY NAME=\"Id\" TYPE=\"uint32\"><QUALIFIER NAME=\"key\" TYPE=\"boolean\" OVERRIDABLE=\"false\"><VALUE>true</VALUE></QUALIFIER></PROPERTY></CLASS>",
            ),
        ),
        class_entry(
            "XYZ_Mid",
            "root/xyz",
            "srv1",
            2,
            Some(
                "<CLASS NAME=\"XYZ_Mid\" SUPERCLASS=\"XYZ_Root\"><PROPERTY NAME=\"Label\" TYPE=\"string\"><QUALIFIER NAME=\"key\" TYPE=\"boolean\" OVERRIDABLE=\"false\"><VALUE>true</VALUE></QUALIFIER></PROPERTY></CLASS>",
            ),
        ),
        class_entry(
            "XYZ_x_All",
            "root/xyz",
            "srv1",
            3,
            Some("<CLASS NAME=\"XYZ_x_All\" SUPERCLASS=\"XYZ_Mid\"></CLASS>"),
        ),
    ]);
    // psrpcore leaves `_xHHHH_` in <T> as written (§8).
    let mut type_names = instance_type_names("root/xyz", &["XYZ_x_All", "XYZ_Mid", "XYZ_Root"]);
    for t in &mut type_names {
        *t = t.replace("XYZ_x_All", "XYZ_x005F_x_All");
    }
    let expected = ps_instance(
        &type_names,
        "XYZ_x_All (Id = 42, Label = \"a?b\")",
        expected_adapted,
        vec![("__ClassMetadata", meta)],
    );
    (all, expected)
}

#[test]
fn psrpcore_decodes_every_kind_of_object() {
    let mut cases = Vec::new();
    let mut add = |name: &str, xml: String, expect: Value| {
        cases.push(json!({"name": name, "clixml": xml, "expect": expect}));
    };

    // Everything, with class metadata and a computer name.
    let (all, expected) = everything();
    let computer = CimString::from("srv1");
    let mut cache = ClassCache::new();
    let xml = write(
        CimOutput::Instance(&all),
        &mut OutputOptions {
            computer_name: Some(&computer),
            class_cache: Some(&mut cache),
            now_ticks: NOW,
            server_name: None,
        },
    );
    add("everything", xml, expected);

    // The spec's §3.6 widget, plain.
    let (_, widget) = xyz_classes();
    let xml = write_plain(&xyz_widget(&widget, "w1"));
    add(
        "xyz_widget",
        xml,
        ps_instance(
            &instance_type_names("root/xyz", &["XYZ_Widget", "XYZ_Base"]),
            "XYZ_Widget (Name = \"w1\")",
            vec![
                ("Name", ps_string("w1")),
                ("Enabled", json!({"t": "bool", "v": true})),
                ("Size", ps("PSUInt64", 4096)),
                ("Ratio", ps("PSDouble", "0.5")),
                (
                    "Tags",
                    ps_list("System.String[]", vec![ps_string("red"), ps_string("a<b")]),
                ),
                (
                    "Created",
                    json!({"t": "PSDateTime", "v": "2024-05-06T05:08:09.123456+00:00", "ns": 0}),
                ),
                ("Note", Value::Null),
                ("PSComputerName", Value::Null),
            ],
            vec![],
        ),
    );

    // An instance in an empty namespace, caption and key.
    let bare = class("Bare", None, vec![], 9);
    let xml = write_plain(&instance(
        &bare,
        "",
        vec![prop("Caption", s("Cap\n"), false), prop("K", s("k$"), true)],
    ));
    add(
        "bare",
        xml,
        ps_instance(
            &instance_type_names("", &["Bare"]),
            "Bare: Cap\n (K = \"k?\")",
            vec![
                ("Caption", ps_string("Cap\n")),
                ("K", ps_string("k$")),
                ("PSComputerName", Value::Null),
            ],
            vec![],
        ),
    );

    // A method result: out parameters, an unset one, ReturnValue last.
    let out_part = instance(&class("XYZ_Part", None, vec![], 4), "root/xyz", vec![]);
    let parameters = vec![
        prop("Count", Some(CimValue::Uint32(3)), false),
        prop("Unset", None, false),
        prop(
            "Found",
            Some(CimValue::InstanceA(vec![Some(out_part)])),
            false,
        ),
        prop("ReturnValue", Some(CimValue::Uint32(0)), false),
    ];
    let xml = write(
        CimOutput::MethodResult {
            class_name: &"XYZ_Widget".into(),
            method_name: &"Scan".into(),
            parameters: &parameters,
        },
        &mut OutputOptions::default(),
    );
    let part_tn = instance_type_names("root/xyz", &["XYZ_Part"]);
    add(
        "method_result",
        xml,
        json!({
            "t": "PSObject",
            "type_names": [
                "Deserialized.Microsoft.Management.Infrastructure.CimMethodResult#XYZ_Widget#Scan",
                "Deserialized.Microsoft.Management.Infrastructure.CimMethodResult",
                "Deserialized.System.Management.Automation.PSCustomObject",
                "Deserialized.System.Object"
            ],
            "to_string": null,
            "adapted": [],
            "extended": [
                ["Count", ps("PSUInt", 3)],
                ["Unset", null],
                ["Found", ps_list(&format!("{CI}[]"), vec![ps_instance(&part_tn, "XYZ_Part", vec![("PSComputerName", Value::Null)], vec![])])],
                ["ReturnValue", ps("PSUInt", 0)],
                ["PSComputerName", null],
            ],
        }),
    );

    // Streamed results: a string, a NULL item, an array.
    let streamed_type_names = json!([
        "Deserialized.Microsoft.Management.Infrastructure.CimMethodStreamedResult#XYZ_Widget#Scan",
        "Deserialized.Microsoft.Management.Infrastructure.CimMethodStreamedResult",
        "Deserialized.System.Management.Automation.PSCustomObject",
        "Deserialized.System.Object"
    ]);
    let item_type = |value: i32, name: &str| {
        json!({
            "t": "PSInt",
            "v": value,
            "to_string": name,
            "type_names": [
                "Deserialized.Microsoft.Management.Infrastructure.CimType",
                "Deserialized.System.Enum",
                "Deserialized.System.ValueType",
                "Deserialized.System.Object"
            ],
        })
    };
    let computer = CimString::from("srv1");
    let (class_name, method_name, found) = ("XYZ_Widget".into(), "Scan".into(), "Found".into());
    let w7 = CimValue::String("w7".into());
    let u32s = CimValue::Uint32A(vec![1, 2]);
    for (name, mi_type, value, cim_type, expect_value) in [
        ("streamed_string", 13, Some(&w7), "String", ps_string("w7")),
        ("streamed_null", 5, None, "UInt32", Value::Null),
        (
            "streamed_array",
            21,
            Some(&u32s),
            "UInt32Array",
            ps_list("System.UInt32[]", vec![ps("PSUInt", 1), ps("PSUInt", 2)]),
        ),
    ] {
        let xml = write(
            CimOutput::StreamedResult {
                class_name: &class_name,
                method_name: &method_name,
                parameter_name: &found,
                item_type: mi_type,
                value,
            },
            &mut OutputOptions {
                computer_name: Some(&computer),
                ..Default::default()
            },
        );
        add(
            name,
            xml,
            json!({
                "t": "PSObject",
                "type_names": streamed_type_names,
                "to_string": null,
                "adapted": [],
                "extended": [
                    ["ParameterName", ps_string("Found")],
                    ["ItemType", item_type(mi_type as i32 + 1, cim_type)],
                    ["ItemValue", expect_value],
                    ["PSComputerName", ps_string("srv1")],
                ],
            }),
        );
    }

    let path = common::tmp_dir().join("cim-output-cases.json");
    std::fs::write(&path, serde_json::to_string(&cases).unwrap()).unwrap();
    let script = common::repo().join("tests/interop/psrpcore_cim.py");
    let out = Command::new(common::python())
        .arg(&script)
        .arg(&path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "psrpcore disagrees:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let last = stdout.trim_end().rsplit('\n').next().unwrap();
    assert!(last.ends_with(" passed, 0 failed"), "{stdout}");
    let passed: usize = last.split(' ').next().unwrap().parse().unwrap();
    assert!(passed > 300, "only {passed} checks ran:\n{stdout}");
}

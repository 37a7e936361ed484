//! Binding tests: commands, parameters, filters, input objects.

use super::*;

fn cmd(name: &str, args: &[(Option<&str>, Value)]) -> Vec<CommandSpec> {
    vec![CommandSpec {
        name: name.into(),
        is_script: false,
        args: args
            .iter()
            .map(|(n, v)| (n.map(str::to_owned), v.clone()))
            .collect(),
    }]
}

#[test]
fn binds_the_cim_cmdlets() {
    let s = |x: &str| Value::Str(x.into());
    let b = bind(&cmd("get-ciminstance", &[(None, s("XYZ_Widget"))])).unwrap();
    assert_eq!(b.class, "XYZ_Widget");
    assert_eq!(b.namespace, DEFAULT_NAMESPACE);
    assert_eq!(
        b.operation,
        Operation::Enumerate {
            keys_only: false,
            filter: vec![]
        }
    );
    let b = bind(&cmd(
        "Invoke-CimMethod",
        &[
            (Some("class"), s("C")),
            (Some("MethodName"), s("Scan")),
            (Some("Arguments"), Value::Dict(vec![(s("Pattern"), s("p"))])),
            (Some("Verbose"), Value::Nil),
        ],
    ))
    .unwrap();
    assert!(b.verbose == Some(true) && b.debug.is_none());
    assert_eq!(
        b.operation,
        Operation::Invoke {
            method: "Scan".into(),
            arguments: vec![("Pattern".into(), s("p"))],
            target: None,
        }
    );
    let e = bind(&cmd("Get-Process", &[])).unwrap_err();
    assert_eq!(e.reason, "CommandNotFoundException");
    let e = bind(&cmd("Get-CimInstance", &[(Some("Frob"), s("x"))])).unwrap_err();
    assert_eq!(e.reason, "ParameterBindingException");
    assert!(e.error_id.starts_with("NamedParameterNotFound,"));
    let e = bind(&cmd("Get-CimInstance", &[])).unwrap_err();
    assert!(e.error_id.starts_with("MissingMandatoryParameter,"));
    // A prefix binds the one parameter it starts (-N: -Namespace).
    let e = bind(&cmd("Invoke-CimMethod", &[(Some("N"), s("x"))])).unwrap_err();
    assert!(
        e.error_id.starts_with("MissingMandatoryParameter,"),
        "{e:?}"
    );
    assert_eq!(e.target_name, "ClassName");
    let e = bind(&cmd("Invoke-CimMethod", &[(None, s("C"))])).unwrap_err();
    assert_eq!(e.target_name, "MethodName");
    let e = bind(&cmd(
        "Get-CimInstance",
        &[(None, s("C")), (Some("ClassName"), s("D"))],
    ))
    .unwrap_err();
    assert!(e.error_id.starts_with("ParameterAlreadyBound,"), "{e:?}");
    let e = bind(&cmd("Get-CimInstance", &[(None, s("C")), (None, s("D"))])).unwrap_err();
    assert!(
        e.error_id.starts_with("PositionalParameterNotFound,"),
        "{e:?}"
    );
}

fn widget() -> Value {
    Value::Object {
        type_names: vec![
            "Deserialized.Microsoft.Management.Infrastructure.CimInstance#root/xyz/XYZ_Widget"
                .into(),
            "Deserialized.Microsoft.Management.Infrastructure.CimInstance#root/xyz/XYZ_Base".into(),
            "Deserialized.Microsoft.Management.Infrastructure.CimInstance#XYZ_Widget".into(),
        ],
        members: vec![("Name".into(), Value::Str("alpha".into()))],
    }
}

#[test]
fn binds_input_objects_filters_and_common_parameters() {
    let s = |x: &str| Value::Str(x.into());
    let b = bind(&cmd("Remove-CimInstance", &[(None, widget())])).unwrap();
    assert_eq!(
        (b.class.as_str(), b.namespace.as_str()),
        ("XYZ_Widget", "root/xyz")
    );
    assert!(matches!(b.operation, Operation::Delete { .. }));
    let b = bind(&cmd(
        "Set-CimInstance",
        &[
            (Some("InputObject"), widget()),
            (
                Some("Property"),
                Value::Dict(vec![(s("U8"), Value::Int(1))]),
            ),
            (Some("WhatIf"), Value::Nil),
            (Some("ErrorAction"), Value::Int(1)),
            (Some("WarningAction"), s("Ignore")),
        ],
    ))
    .unwrap();
    assert!(b.what_if == Some(true) && b.confirm.is_none() && b.warnings == Some(false));
    assert_eq!(b.error_action, Some(ErrorAction::Stop));
    let b = bind(&cmd(
        "Get-CimInstance",
        &[
            (None, s("XYZ_Widget")),
            (Some("Filter"), s("Name = 'alpha'")),
            (Some("EA"), s("SilentlyContinue")),
        ],
    ));
    // -EA is no prefix of -ErrorAction (an alias PowerShell has): refused.
    assert!(
        b.unwrap_err()
            .error_id
            .starts_with("NamedParameterNotFound,")
    );
    let b = bind(&cmd(
        "Get-CimInstance",
        &[
            (None, s("XYZ_Widget")),
            (Some("Filter"), s("Name = 'alpha'")),
        ],
    ))
    .unwrap();
    assert!(matches!(&b.operation, Operation::Enumerate { filter, .. } if filter.len() == 1));
    for (command, args, id) in [
        (
            "Get-CimInstance",
            vec![(None, s("C")), (Some("Filter"), s("Name LIKE 'a%'"))],
            "ParameterArgumentValidationError,",
        ),
        (
            "Get-CimInstance",
            vec![(None, s("C")), (Some("WhatIf"), Value::Nil)],
            "NamedParameterNotFound,",
        ),
        (
            "New-CimInstance",
            vec![(None, s("C")), (Some("Confirm"), s("yes"))],
            "ParameterArgumentTransformationError,",
        ),
        (
            "New-CimInstance",
            vec![(None, s("C")), (Some("OutVariable"), s("x"))],
            "ParameterNotSupported,",
        ),
        (
            "New-CimInstance",
            vec![(None, s("C")), (Some("ErrorAction"), s("Inquire"))],
            "ParameterArgumentValidationError,",
        ),
        (
            "Remove-CimInstance",
            vec![(None, s("not an instance"))],
            "ParameterArgumentTransformationError,",
        ),
        ("Remove-CimInstance", vec![], "MissingMandatoryParameter,"),
        (
            "Invoke-CimMethod",
            vec![
                (Some("InputObject"), widget()),
                (Some("ClassName"), s("C")),
                (Some("MethodName"), s("M")),
            ],
            "AmbiguousParameterSet,",
        ),
    ] {
        let args: Vec<(Option<&str>, Value)> = args;
        let e = bind(&cmd(command, &args)).unwrap_err();
        assert!(e.error_id.starts_with(id), "{command} {args:?}: {e:?}");
        assert!(e.error_id.contains(&command.replace('-', "")), "{e:?}");
    }
}

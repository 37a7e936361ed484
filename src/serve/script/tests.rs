//! The script reader's tests.

use super::*;

/// The commands of `script` (its assignments left out).
fn parse(script: &str, args: &[(Option<String>, Value)]) -> Result<Vec<CommandSpec>, SessionError> {
    super::parse(script, args).map(|p| p.commands)
}

#[test]
fn preference_assignments_come_before_the_pipeline() {
    let p = super::parse(
        "$ConfirmPreference = 'Low'\n$whatifpreference = $true; Get-CimInstance C",
        &[],
    )
    .unwrap();
    assert_eq!(
        p.assignments,
        vec![
            ("ConfirmPreference", s("Low")),
            ("WhatIfPreference", Value::Bool(true))
        ]
    );
    assert_eq!(p.commands.len(), 1);
    let p = super::parse("$VerbosePreference = 'Continue'", &[]).unwrap();
    assert!(p.commands.is_empty());
    parse_err("$x = 1; Get-CimInstance C", "only the preference variables");
    parse_err(
        "$ConfirmPreference = 'Low' Get-CimInstance C",
        "after an assignment",
    );
    parse_err(
        "Get-CimInstance C; $ConfirmPreference = 'Low'",
        "single pipeline",
    );
}

fn s(x: &str) -> Value {
    Value::Str(x.into())
}

fn one(script: &str) -> CommandSpec {
    let mut c = parse(script, &[]).unwrap_or_else(|e| panic!("{script}: {e:?}"));
    assert_eq!(c.len(), 1, "{script}");
    c.remove(0)
}

/// The value of the one argument of the one command.
fn arg(script: &str) -> Value {
    let c = one(script);
    assert_eq!(c.args.len(), 1, "{script}: {c:?}");
    c.args[0].1.clone()
}

fn refused(script: &str, args: &[(Option<String>, Value)]) -> SessionError {
    match parse(script, args) {
        Ok(c) => panic!("{script}: accepted as {c:?}"),
        Err(e) => e,
    }
}

fn parse_err(script: &str, needle: &str) {
    let e = refused(script, &[]);
    assert_eq!(e.reason, "ParseException", "{script}: {e:?}");
    assert!(e.message.contains(needle), "{script}: {}", e.message);
    assert!(e.message.contains("mi-psrp serve"), "{}", e.message);
}

#[test]
fn a_command_with_named_and_positional_arguments() {
    let c = one("Get-CimInstance -ClassName XYZ_Widget -Namespace root/cimv2");
    assert_eq!(c.name, "Get-CimInstance");
    assert!(!c.is_script);
    assert_eq!(
        c.args,
        vec![
            (Some("ClassName".into()), s("XYZ_Widget")),
            (Some("Namespace".into()), s("root/cimv2"))
        ]
    );
    let c = one("  get-ciminstance XYZ_Widget -KeyOnly -Verbose:$false  ");
    assert_eq!(
        c.args,
        vec![
            (None, s("XYZ_Widget")),
            (Some("KeyOnly".into()), Value::Bool(true)),
            (Some("Verbose".into()), Value::Bool(false))
        ]
    );
    // A switch followed by a positional argument; a prefix of a switch.
    let c = one("Get-CimInstance -Key XYZ_Widget");
    assert_eq!(c.args[0], (Some("Key".into()), Value::Bool(true)));
    assert_eq!(c.args[1], (None, s("XYZ_Widget")));
    let c = one("New-CimInstance -Key Name");
    assert_eq!(c.args, vec![(Some("Key".into()), s("Name"))]);
    let c = one("Invoke-CimMethod -Verb -WhatI -Conf:$false");
    assert_eq!(c.args[0], (Some("Verb".into()), Value::Bool(true)));
    assert_eq!(c.args[1], (Some("WhatI".into()), Value::Bool(true)));
    assert_eq!(c.args[2], (Some("Conf".into()), Value::Bool(false)));
    let c = one("Get-CimInstance -ClassName:'X' -Namespace: n");
    assert_eq!(c.args[0], (Some("ClassName".into()), s("X")));
    assert_eq!(c.args[1], (Some("Namespace".into()), s("n")));
}

#[test]
fn literals() {
    assert_eq!(arg("c 'it''s'"), s("it's"));
    assert_eq!(arg("c ''"), s(""));
    assert_eq!(arg("c \"a`tb`n`\"q`\" `` `$x\""), s("a\tb\n\"q\" ` $x"));
    assert_eq!(arg("c \"say \"\"hi\"\"\""), s("say \"hi\""));
    assert_eq!(arg("c \"cost: 5$\""), s("cost: 5$"));
    assert_eq!(arg("c 42"), Value::Int(42));
    assert_eq!(arg("c -42"), Value::Int(-42));
    assert_eq!(arg("c 0x1F"), Value::Int(31));
    assert_eq!(arg("c 0xFFFFFFFF"), Value::Int(-1));
    assert_eq!(arg("c -0x10"), Value::Int(-16));
    assert_eq!(arg("c 1.5"), Value::Real(1.5));
    assert_eq!(arg("c -.5"), Value::Real(-0.5));
    assert_eq!(arg("c 1e3"), Value::Real(1000.0));
    assert_eq!(arg("c 2kb"), Value::Int(2048));
    assert_eq!(arg("c 1MB"), Value::Int(1 << 20));
    assert_eq!(arg("c 1.5gb"), Value::Real(1.5 * f64::from(1u32 << 30)));
    assert_eq!(arg("c 99999999999999999999"), Value::Real(1e20));
    assert_eq!(arg("c 5abc"), s("5abc"));
    assert_eq!(arg("c $true"), Value::Bool(true));
    assert_eq!(arg("c $FALSE"), Value::Bool(false));
    assert_eq!(arg("c $null"), Value::Nil);
    assert_eq!(arg("c a#b"), s("a#b"));
    assert_eq!(
        arg("c ([datetime]'2024-01-02T03:04:05Z')"),
        s("2024-01-02T03:04:05Z")
    );
    assert_eq!(arg("c (5)"), Value::Int(5));
    assert_eq!(arg("c -"), s("-"));
}

#[test]
fn arrays_and_comma_lists() {
    let l = |v: Vec<Value>| Value::List(v);
    assert_eq!(arg("c a, 'b', 3"), l(vec![s("a"), s("b"), Value::Int(3)]));
    assert_eq!(arg("c 1,\n  2"), l(vec![Value::Int(1), Value::Int(2)]));
    assert_eq!(arg("c @()"), l(vec![]));
    assert_eq!(arg("c @(1)"), l(vec![Value::Int(1)]));
    assert_eq!(arg("c @( 1, 2 )"), l(vec![Value::Int(1), Value::Int(2)]));
    assert_eq!(
        arg("c @(\n 1\n 2; 3\n)"),
        l(vec![Value::Int(1), Value::Int(2), Value::Int(3)])
    );
    // @() enumerates its statements' values once: the inner array of a
    // comma list stays nested.
    assert_eq!(arg("c @(@(1, 2))"), l(vec![Value::Int(1), Value::Int(2)]));
    assert_eq!(
        arg("c @(1, @(2, 3))"),
        l(vec![Value::Int(1), l(vec![Value::Int(2), Value::Int(3)])])
    );
    assert_eq!(arg("c (1, 2)"), l(vec![Value::Int(1), Value::Int(2)]));
    assert_eq!(arg("c @($null)"), l(vec![Value::Nil]));
}

#[test]
fn hashtables_nested() {
    let v = arg(
        "Invoke-CimMethod @{ Pattern = 'p'; 'Quoted Key' = 1, 2\n  Inner = @{ x = @(1); y = $true }\n Empty = @{} }",
    );
    assert_eq!(
        v,
        Value::Dict(vec![
            (s("Pattern"), s("p")),
            (
                s("Quoted Key"),
                Value::List(vec![Value::Int(1), Value::Int(2)])
            ),
            (
                s("Inner"),
                Value::Dict(vec![
                    (s("x"), Value::List(vec![Value::Int(1)])),
                    (s("y"), Value::Bool(true))
                ])
            ),
            (s("Empty"), Value::Dict(vec![])),
        ])
    );
    assert_eq!(
        arg("c @{1 = 'one'}"),
        Value::Dict(vec![(Value::Int(1), s("one"))])
    );
}

#[test]
fn param_binding_with_argument_list_and_defaults() {
    let pos = |v: Value| (None, v);
    let c = parse(
        "param($c, $p) Invoke-CimMethod -ClassName $c -MethodName Scan -Arguments @{Pattern=$p}",
        &[pos(s("XYZ_Widget")), pos(s("p"))],
    )
    .unwrap();
    assert_eq!(
        c[0].args,
        vec![
            (Some("ClassName".into()), s("XYZ_Widget")),
            (Some("MethodName".into()), s("Scan")),
            (
                Some("Arguments".into()),
                Value::Dict(vec![(s("Pattern"), s("p"))])
            )
        ]
    );
    // Defaults, a default naming an earlier parameter, named binding.
    let script = "param(\n  $Class = 'XYZ_Widget',\n  $Ns = 'root/' + 'x'\n)";
    assert_eq!(refused(script, &[]).reason, "ParseException");
    let script = "param(\n  $Class = 'XYZ_Widget', # the class\n  $Ns = $Class, $Unset\n)\nGet-CimInstance $Class -Namespace $ns $unset";
    let c = parse(script, &[]).unwrap();
    assert_eq!(
        c[0].args,
        vec![
            (None, s("XYZ_Widget")),
            (Some("Namespace".into()), s("XYZ_Widget")),
            (None, Value::Nil)
        ]
    );
    let c = parse(script, &[(Some("ns".into()), s("n")), pos(s("C"))]).unwrap();
    assert_eq!(c[0].args[0].1, s("C"));
    assert_eq!(c[0].args[1].1, s("n"));
    // $args: the positional arguments past param().
    let c = parse(
        "param($a) c $a $args[0] $args[1] $args[7] $args",
        &[pos(Value::Int(1)), pos(Value::Int(2)), pos(Value::Int(3))],
    )
    .unwrap();
    let vals: Vec<Value> = c[0].args.iter().map(|a| a.1.clone()).collect();
    assert_eq!(
        vals,
        vec![
            Value::Int(1),
            Value::Int(2),
            Value::Int(3),
            Value::Nil,
            Value::List(vec![Value::Int(2), Value::Int(3)])
        ]
    );
    let c = parse("Get-CimInstance -ClassName $args[0]", &[pos(s("X"))]).unwrap();
    assert_eq!(c[0].args[0].1, s("X"));
    // Arguments the param() cannot take.
    let e = refused("param($a) c $a", &[(Some("b".into()), s("x"))]);
    assert_eq!(e.reason, "ParameterBindingException");
    assert_eq!(e.error_id, "NamedParameterNotFound");
    let e = refused(
        "param($a) c $a",
        &[(Some("a".into()), s("x")), (Some("A".into()), s("y"))],
    );
    assert_eq!(e.error_id, "ParameterAlreadyBound");
    let e = refused("param($ab, $ac) c", &[(Some("a".into()), s("x"))]);
    assert_eq!(e.error_id, "AmbiguousParameter");
    parse_err("param($a, $a) c", "duplicate parameter");
    parse_err("param([string]$a) c", "param()");
    parse_err("c $undefined", "'$undefined'");
    parse_err("c; param($a)", "single pipeline");
}

#[test]
fn two_commands_piped_comments_and_continuations() {
    let c = parse(
        "<# a\n block #> Get-CimInstance XYZ_Widget | # why\n  Invoke-CimMethod -MethodName Scan",
        &[],
    )
    .unwrap();
    assert_eq!(c.len(), 2);
    assert_eq!(c[0].name, "Get-CimInstance");
    assert_eq!(c[1].name, "Invoke-CimMethod");
    assert_eq!(c[1].args, vec![(Some("MethodName".into()), s("Scan"))]);
    let c = one("\r\n# leading\r\nGet-CimInstance `\r\n  -ClassName `\n XYZ_Widget ;\n\n");
    assert_eq!(c.args, vec![(Some("ClassName".into()), s("XYZ_Widget"))]);
    assert_eq!(parse("", &[]).unwrap(), vec![]);
    assert_eq!(parse(" # only a comment\n;", &[]).unwrap(), vec![]);
}

#[test]
fn refusals() {
    parse_err("Get-CimInstance X; Get-CimInstance Y", "single pipeline");
    parse_err("Get-CimInstance X\nGet-CimInstance Y", "single pipeline");
    parse_err("c \"a $x b\"", "variable expansion");
    parse_err("c \"$(1)\"", "variable expansion");
    parse_err("c ([int]'5')", "[int]");
    parse_err("c [datetime]'x'", "parentheses");
    parse_err("c @{a = 1", "the script ends");
    parse_err("c @(1", "the script ends");
    parse_err("c (1", "the script ends");
    parse_err("c )", "unexpected ')'");
    parse_err("c }", "unexpected '}'");
    parse_err("c 'abc", "terminator");
    parse_err("c \"abc", "terminator");
    parse_err("c <# abc", "not closed");
    parse_err("c { 1 }", "script blocks");
    parse_err("c > out.txt", "operator");
    parse_err("c && d", "operator");
    parse_err("c || d", "operator");
    parse_err("& c", "operator");
    parse_err("c @args", "splatting");
    parse_err("c $a.b", "member access");
    parse_err("param($a) c $a.b", "member access");
    parse_err("c $env:PATH", "scoped");
    parse_err("c ${x}", "simple variables");
    parse_err("c @(Get-Process)", "bare word 'Get-Process'");
    parse_err("c @{a = b}", "bare word 'b'");
    parse_err("c (1 -eq 1)", "'-eq'");
    parse_err("5 | c", "command name");
    parse_err("return 5", "keyword 'return'");
    parse_err("if ($true) { c }", "script blocks");
    parse_err("c a`b", "backtick");
    parse_err("c x$y", "bare word");
    parse_err("c a,", "expected a value");
    parse_err("c -Name:", "expected its value");
    parse_err("c --% x", "'--'");
    parse_err("c @{a = 1; a = 2}", "duplicate key");
    parse_err(
        &format!("c {}", "@(".repeat(MAX_DEPTH + 1)),
        "nest more than",
    );
    parse_err(&format!("c {}1", "(".repeat(10_000)), "nest more than");
    parse_err(
        &format!("c '{}'", "x".repeat(MAX_SCRIPT_LEN)),
        "longer than",
    );
    parse_err(&format!("c {}", "1,".repeat(MAX_TOKENS)), "tokens");
    // Within the depth limit it parses.
    let deep = format!("c {}1{}", "@(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
    assert!(parse(&deep, &[]).is_ok());
    // A value copied many times is bounded.
    let big = Value::List(vec![Value::Int(0); 50_000]);
    let e = refused("param($a) c $a $a $a", &[(None, big)]);
    assert!(e.message.contains("items"), "{}", e.message);
    // A non-switch parameter without a value: ParameterBindingException.
    let e = refused("Get-CimInstance -ClassName", &[]);
    assert_eq!(e.reason, "ParameterBindingException");
    assert!(e.error_id.starts_with("MissingArgument,"), "{}", e.error_id);
    let e = refused("Get-CimInstance -ClassName -KeyOnly", &[]);
    assert_eq!(e.target_name, "ClassName");
    let e = refused("Get-Frob -Name", &[]);
    assert_eq!(e.error_id, "MissingArgument");
}

#[test]
fn script_commands_bind_as_structured_ones() {
    use super::super::commands::{Operation, bind};
    let script = |text: &str, args: Vec<(Option<String>, Value)>| {
        bind(&[CommandSpec {
            name: text.into(),
            is_script: true,
            args,
        }])
    };
    let b = script("Get-CimInstance -ClassName XYZ_Widget", vec![]).unwrap();
    assert_eq!(
        (b.command, b.class.as_str()),
        ("Get-CimInstance", "XYZ_Widget")
    );
    let b = script(
        "param($c, $p) Invoke-CimMethod -ClassName $c -MethodName Scan -Arguments @{Pattern=$p}",
        vec![(None, s("XYZ_Widget")), (None, s("p"))],
    )
    .unwrap();
    assert!(
        matches!(
            &b.operation,
            Operation::Invoke { method, arguments, .. }
                if method == "Scan" && *arguments == vec![("Pattern".to_owned(), s("p"))]
        ),
        "{:?}",
        b.operation
    );
    let e = script("Get-Process", vec![]).unwrap_err();
    assert_eq!(e.reason, "CommandNotFoundException");
    let e = script("Get-CimInstance -ClassName X -Frob 1", vec![]).unwrap_err();
    assert_eq!(e.reason, "ParameterBindingException");
    let e = script("Get-CimInstance X; Get-CimInstance Y", vec![]).unwrap_err();
    assert_eq!(e.reason, "ParseException");
}

#[test]
fn random_text_never_panics() {
    const ALPHABET: &[&str] = &[
        "Get-CimInstance",
        " ",
        "\n",
        "\r\n",
        "-ClassName",
        "-K",
        ":",
        "'",
        "''",
        "\"",
        "`",
        "`\n",
        "$",
        "$a",
        "$true",
        "$args[",
        "$args[0]",
        "]",
        "[datetime]",
        "[",
        "@{",
        "@(",
        "(",
        ")",
        "{",
        "}",
        "=",
        ";",
        ",",
        "|",
        "#",
        "<#",
        "#>",
        "0x",
        "1",
        "-5",
        ".",
        "e",
        "kb",
        "param(",
        "é",
        "\u{0}",
        "x",
    ];
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..3000 {
        let len = (next() % 40) as usize;
        let mut text = String::new();
        for _ in 0..len {
            text.push_str(ALPHABET[(next() % ALPHABET.len() as u64) as usize]);
        }
        let args = [(None, Value::Int(1)), (Some("a".into()), s("v"))];
        let _ = parse(&text, &args);
        let _ = parse(&text, &[]);
    }
    // Arbitrary characters too.
    for _ in 0..3000 {
        let len = (next() % 64) as usize;
        let text: String = (0..len)
            .map(|_| char::from_u32((next() % 0x3000) as u32).unwrap_or('?'))
            .collect();
        let _ = parse(&text, &[]);
    }
}

proptest::proptest! {
    #[test]
    fn any_string_is_read_or_refused(text in "\\PC{0,200}") {
        let _ = parse(&text, &[(None, Value::Nil)]);
    }
}

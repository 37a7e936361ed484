//! The error records the session itself writes ([`SessionError`]): a
//! pipeline that could not run, was stopped, or failed, with the exception
//! names PowerShell gives them, written as an ErrorRecord object.

use super::messages::esc;
use crate::psrp::ErrorCategory;

/// An error record the session itself writes (a pipeline that could not
/// run, or was stopped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionError {
    /// The exception's type names, most derived first (`System.Object` is added).
    pub exception_types: &'static [&'static str],
    /// The exception's Message.
    pub message: String,
    /// The exception's HResult.
    pub hresult: i32,
    /// FullyQualifiedErrorId.
    pub error_id: String,
    /// The category.
    pub category: ErrorCategory,
    /// The category's Reason (the exception's short name).
    pub reason: &'static str,
    /// The category's TargetName.
    pub target_name: String,
    /// The category's Activity (the cmdlet that failed), if any.
    pub activity: Option<Cmdlet>,
}

/// A CIM cmdlet this endpoint runs, named as an error record's activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmdlet {
    /// `Get-CimInstance`.
    Get,
    /// `Invoke-CimMethod`.
    Invoke,
    /// `New-CimInstance`.
    New,
    /// `Set-CimInstance`.
    Set,
    /// `Remove-CimInstance`.
    Remove,
}

impl Cmdlet {
    /// Each cmdlet, its name and its .NET class (for FullyQualifiedErrorId).
    const ALL: [(Cmdlet, &'static str, &'static str); 5] = [
        (Cmdlet::Get, "Get-CimInstance", "GetCimInstanceCommand"),
        (Cmdlet::Invoke, "Invoke-CimMethod", "InvokeCimMethodCommand"),
        (Cmdlet::New, "New-CimInstance", "NewCimInstanceCommand"),
        (Cmdlet::Set, "Set-CimInstance", "SetCimInstanceCommand"),
        (
            Cmdlet::Remove,
            "Remove-CimInstance",
            "RemoveCimInstanceCommand",
        ),
    ];

    /// Its name, as PowerShell spells it.
    pub fn name(self) -> &'static str {
        Self::ALL[self as usize].1
    }

    /// Its .NET class.
    pub fn class(self) -> &'static str {
        Self::ALL[self as usize].2
    }

    /// The cmdlet named `name` (as spelt).
    pub fn from_name(name: &str) -> Option<Cmdlet> {
        Self::ALL
            .iter()
            .find(|(_, n, _)| *n == name)
            .map(|(c, _, _)| *c)
    }
}

/// The class of a CIM cmdlet (for FullyQualifiedErrorId).
pub(super) fn cmdlet_class(command: &str) -> &'static str {
    Cmdlet::from_name(command).map_or("InvokeCimMethodCommand", Cmdlet::class)
}

pub(super) const RUNTIME: [&str; 3] = [
    "System.Management.Automation.RuntimeException",
    "System.SystemException",
    "System.Exception",
];

impl SessionError {
    pub(super) fn runtime(
        name: &'static [&'static str],
        reason: &'static str,
        category: i32,
        id: String,
        message: String,
        target: &str,
    ) -> SessionError {
        SessionError {
            exception_types: name,
            message,
            hresult: -2146233087,
            error_id: id,
            category: ErrorCategory(category),
            reason,
            target_name: target.to_owned(),
            activity: None,
        }
    }

    /// `CommandNotFoundException` for command `name`.
    pub fn command_not_found(name: &str) -> SessionError {
        const T: &[&str] = &[
            "System.Management.Automation.CommandNotFoundException",
            RUNTIME[0],
            RUNTIME[1],
            RUNTIME[2],
        ];
        Self::runtime(
            T,
            "CommandNotFoundException",
            13,
            "CommandNotFoundException".into(),
            format!(
                "The term '{name}' is not recognized as a name of a cmdlet, function, script file, \
                 or executable program. This endpoint (mi-psrp serve) runs Get-CimInstance, \
                 Invoke-CimMethod, New-CimInstance, Set-CimInstance and Remove-CimInstance."
            ),
            name,
        )
    }

    /// `ParameterBindingException` of command `command`: `message`, error
    /// id `id` (`NamedParameterNotFound`, …), about parameter `parameter`.
    pub fn parameter_binding(
        command: &str,
        id: &str,
        parameter: &str,
        message: String,
    ) -> SessionError {
        const T: &[&str] = &[
            "System.Management.Automation.ParameterBindingException",
            RUNTIME[0],
            RUNTIME[1],
            RUNTIME[2],
        ];
        let cmdlet = cmdlet_class(command);
        Self::runtime(
            T,
            "ParameterBindingException",
            5,
            format!("{id},Microsoft.Management.Infrastructure.CimCmdlets.{cmdlet}"),
            message,
            parameter,
        )
    }

    /// `ParseException`: script text this endpoint does not read.
    pub fn parse(message: String) -> SessionError {
        const T: &[&str] = &[
            "System.Management.Automation.ParseException",
            RUNTIME[0],
            RUNTIME[1],
            RUNTIME[2],
        ];
        Self::runtime(
            T,
            "ParseException",
            17,
            "ParseException".into(),
            message,
            "",
        )
    }

    /// A `CimException` (an unknown class or method, …): MI result `code`.
    pub fn cim(command: &str, code: u32, message: String, target: &str) -> SessionError {
        const T: &[&str] = &[
            "Microsoft.Management.Infrastructure.CimException",
            "System.SystemException",
            "System.Exception",
        ];
        let cmdlet = cmdlet_class(command);
        let category = match code {
            5 | 17 => 10, // INVALID_CLASS, METHOD_NOT_FOUND: MetadataError
            2 => 18,      // ACCESS_DENIED: PermissionDenied
            6 => 13,
            27 => 29,
            _ => 0,
        };
        SessionError {
            exception_types: T,
            message,
            hresult: -2146233088,
            error_id: format!(
                "HRESULT 0x{:x},Microsoft.Management.Infrastructure.CimCmdlets.{cmdlet}",
                0x8004_1000u32 + code
            ),
            category: ErrorCategory(category),
            reason: "CimException",
            target_name: target.to_owned(),
            activity: None,
        }
    }

    /// `PipelineStoppedException`, as a stopped pipeline's state carries it.
    pub fn stopped() -> SessionError {
        const T: &[&str] = &[
            "System.Management.Automation.PipelineStoppedException",
            RUNTIME[0],
            RUNTIME[1],
            RUNTIME[2],
        ];
        Self::runtime(
            T,
            "PipelineStoppedException",
            14,
            "PipelineStopped".into(),
            "The pipeline has been stopped.".into(),
            "",
        )
    }

    /// The ErrorRecord object, as the `N="ExceptionAsErrorRecord"` member
    /// (RefIds from 1, TN RefIds from 0).
    pub(super) fn write(&self, out: &mut String) {
        use std::fmt::Write;
        let message = esc(&self.message);
        let category_name = self.category.name().unwrap_or("NotSpecified");
        let target = esc(&self.target_name);
        let _ = write!(
            out,
            r#"<Obj RefId="1" N="ExceptionAsErrorRecord"><TN RefId="0"><T>System.Management.Automation.ErrorRecord</T><T>System.Object</T></TN><MS><Obj RefId="2" N="Exception"><TN RefId="1">"#
        );
        for t in self.exception_types {
            let _ = write!(out, "<T>{t}</T>");
        }
        let _ = write!(
            out,
            concat!(
                r#"<T>System.Object</T></TN><Props><S N="Message">{message}</S><Nil N="Data" /><Nil N="HelpLink" />"#,
                r#"<I32 N="HResult">{hresult}</I32><Nil N="InnerException" /><Nil N="Source" /><Nil N="StackTrace" />"#,
                r#"<Nil N="TargetSite" /></Props></Obj><Nil N="TargetObject" /><S N="FullyQualifiedErrorId">{id}</S>"#,
                r#"<Nil N="InvocationInfo" /><I32 N="ErrorCategory_Category">{category}</I32>{activity_xml}"#,
                r#"<S N="ErrorCategory_Reason">{reason}</S>{target_xml}<Nil N="ErrorCategory_TargetType" />"#,
                r#"<S N="ErrorCategory_Message">{category_name} ({target}:) [{activity}], {reason}</S>"#,
                r#"<B N="SerializeExtendedInfo">false</B></MS><ToString>{message}</ToString></Obj>"#
            ),
            message = message,
            hresult = self.hresult,
            id = esc(&self.error_id),
            category = self.category.0,
            reason = self.reason,
            target_xml = if self.target_name.is_empty() {
                r#"<Nil N="ErrorCategory_TargetName" />"#.to_owned()
            } else {
                format!(r#"<S N="ErrorCategory_TargetName">{target}</S>"#)
            },
            category_name = category_name,
            target = target,
            activity = self.activity.map_or("", Cmdlet::name),
            activity_xml = match self.activity {
                None => r#"<Nil N="ErrorCategory_Activity" />"#.to_owned(),
                Some(c) => format!(r#"<S N="ErrorCategory_Activity">{}</S>"#, c.name()),
            },
        );
    }
}

impl SessionError {
    /// `PSNotSupportedException`: the client asked to reconnect to a
    /// runspace pool (CONNECT_RUNSPACEPOOL), which this endpoint never keeps
    /// past its session.
    pub fn reconnect_refused() -> SessionError {
        const T: &[&str] = &[
            "System.Management.Automation.PSNotSupportedException",
            "System.NotSupportedException",
            "System.SystemException",
            "System.Exception",
        ];
        SessionError::runtime(
            T,
            "PSNotSupportedException",
            11,
            "RemoteRunspacePoolReconnectNotSupported".into(),
            "This endpoint (mi-psrp serve) does not support disconnected sessions: a runspace \
             pool lives as long as its connection (one SSH session), so there is none to \
             reconnect to. Open a new session instead."
                .into(),
            "",
        )
    }

    /// `ActionPreferenceStopException`: the client stops on errors
    /// (`-ErrorAction Stop`, `$ErrorActionPreference = 'Stop'`) and the
    /// operation wrote `record` (an ErrorRecord object, read back): its
    /// message after PowerShell's, its FullyQualifiedErrorId, category and
    /// target.
    pub fn action_stopped(record: &super::messages::Value) -> SessionError {
        use super::messages::Value;
        let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or_default().to_owned();
        let message = text(record.member("Exception").and_then(|e| e.member("Message")));
        let category = match record.member("ErrorCategory_Category") {
            Some(Value::Int(c)) => i32::try_from(*c).unwrap_or(0),
            _ => 0,
        };
        let stopped = SessionError {
            message,
            error_id: text(record.member("FullyQualifiedErrorId")),
            category: ErrorCategory(category),
            target_name: text(record.member("ErrorCategory_TargetName")),
            ..SessionError::stopped()
        };
        stopped.as_action_stopped()
    }

    /// This error (the first one of an operation whose client stops on
    /// errors) as the `ActionPreferenceStopException` that ends the
    /// pipeline: PowerShell's message around this one's, the same
    /// FullyQualifiedErrorId, category and target.
    pub fn as_action_stopped(&self) -> SessionError {
        const T: &[&str] = &[
            "System.Management.Automation.ActionPreferenceStopException",
            RUNTIME[0],
            RUNTIME[1],
            RUNTIME[2],
        ];
        SessionError::runtime(
            T,
            "ActionPreferenceStopException",
            self.category.0,
            self.error_id.clone(),
            format!(
                "The running command stopped because the preference variable \
                 \"ErrorActionPreference\" or common parameter is set to Stop: {}",
                self.message
            ),
            &self.target_name,
        )
    }
}

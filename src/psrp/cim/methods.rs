//! The CLIXML of an Invoke's results (`psrp-cim-output.md` §5): the
//! out-parameter instance as a `CimMethodResult`, a `WriteStreamParameter`
//! item as a `CimMethodStreamedResult`. Both are property bags of notes in
//! `<MS>`: a TN list, no `<ToString>`, no `<Props>`.

use super::clixml::{Name, Writer, encode16};
use super::format::write_u64;
use super::{CimProperty, CimString, CimValue, CimWriteError};

const CIM_TYPE_TN: &str = "<T>Microsoft.Management.Infrastructure.CimType</T>\
<T>System.Enum</T><T>System.ValueType</T><T>System.Object</T>";

/// The `CimType` enumeration's names (MMI CimType.cs), at MI_Type + 1.
const CIM_TYPE_NAMES: [&str; 33] = [
    "Unknown",
    "Boolean",
    "UInt8",
    "SInt8",
    "UInt16",
    "SInt16",
    "UInt32",
    "SInt32",
    "UInt64",
    "SInt64",
    "Real32",
    "Real64",
    "Char16",
    "DateTime",
    "String",
    "Reference",
    "Instance",
    "BooleanArray",
    "UInt8Array",
    "SInt8Array",
    "UInt16Array",
    "SInt16Array",
    "UInt32Array",
    "SInt32Array",
    "UInt64Array",
    "SInt64Array",
    "Real32Array",
    "Real64Array",
    "Char16Array",
    "DateTimeArray",
    "StringArray",
    "ReferenceArray",
    "InstanceArray",
];

impl Writer<'_> {
    /// A CimMethodResult (§5.1): TN, and every note in `<MS>`.
    pub(super) fn method_result(
        &mut self,
        class_name: &CimString,
        method_name: &CimString,
        parameters: &[CimProperty],
    ) -> Result<(), CimWriteError> {
        self.open_obj(Name::None);
        self.type_names(|out| {
            out.extend_from_slice(b"<T>Microsoft.Management.Infrastructure.CimMethodResult#");
            method_type_name_tail(out, class_name, method_name);
            out.extend_from_slice(
                b"<T>Microsoft.Management.Infrastructure.CimMethodResult</T>\
<T>System.Management.Automation.PSCustomObject</T><T>System.Object</T>",
            );
        });
        self.ascii(b"<MS>");
        for p in parameters {
            self.property(p)?;
        }
        self.computer_name_note();
        self.ascii(b"</MS></Obj>");
        Ok(())
    }

    /// A CimMethodStreamedResult (§5.2): notes ParameterName, ItemType (the
    /// CimType enum: MI_Type + 1), ItemValue, PSComputerName.
    pub(super) fn streamed_result(
        &mut self,
        class_name: &CimString,
        method_name: &CimString,
        parameter_name: &CimString,
        item_type: u32,
        value: Option<&CimValue>,
    ) -> Result<(), CimWriteError> {
        self.open_obj(Name::None);
        self.type_names(|out| {
            out.extend_from_slice(
                b"<T>Microsoft.Management.Infrastructure.CimMethodStreamedResult#",
            );
            method_type_name_tail(out, class_name, method_name);
            out.extend_from_slice(
                b"<T>Microsoft.Management.Infrastructure.CimMethodStreamedResult</T>\
<T>System.Management.Automation.PSCustomObject</T><T>System.Object</T>",
            );
        });
        self.ascii(b"<MS>");
        self.string(Name::Fixed("ParameterName"), &parameter_name.0);
        // An MI_Type outside 0–31 is no CimType: Unknown (0).
        let cim_type = if item_type < 32 {
            item_type as usize + 1
        } else {
            0
        };
        self.open_obj(Name::Fixed("ItemType"));
        self.type_names(|out| out.extend_from_slice(CIM_TYPE_TN.as_bytes()));
        self.ascii(b"<ToString>");
        self.ascii(CIM_TYPE_NAMES[cim_type].as_bytes());
        self.ascii(b"</ToString><I32>");
        write_u64(self.out, cim_type as u64);
        self.ascii(b"</I32></Obj>");
        match value {
            Some(v) => self.value(Name::Fixed("ItemValue"), v, &parameter_name.0)?,
            None => self.nil(Name::Fixed("ItemValue")),
        }
        self.computer_name_note();
        self.ascii(b"</MS></Obj>");
        Ok(())
    }
}

/// `{Class}#{Method}</T>` after a method result's first type name.
fn method_type_name_tail(out: &mut Vec<u8>, class_name: &CimString, method_name: &CimString) {
    // Encoded in pieces: a piece ending in `_` is followed by `#` or `<`,
    // never by `x`, so the pieces encode as the whole string would.
    encode16(&class_name.0, out);
    out.push(b'#');
    encode16(&method_name.0, out);
    out.extend_from_slice(b"</T>");
}

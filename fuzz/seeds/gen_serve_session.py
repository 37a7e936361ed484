"""Writes the seeds of the serve_session fuzz target (fuzz/seeds/serve_session/):
OutOfProc client streams as pypsrp sends them (one <Data> line per message,
base64 of MS-PSRP fragments), each opening a session and running commands of
the set, then closing. Run from the repository root: python3 fuzz/seeds/gen_serve_session.py
"""

import base64
import struct
import uuid

RPID = uuid.UUID("6397709e-f7d6-c54d-9568-fd4656ae4820")
NIL = uuid.UUID(int=0)
BOM = b"\xef\xbb\xbf"

CAPABILITY = '<Obj RefId="0"><MS><Version N="PSVersion">2.0</Version><Version N="protocolversion">2.3</Version><Version N="SerializationVersion">1.1.0.1</Version></MS></Obj>'
INIT = '<Obj RefId="0"><MS><I32 N="MinRunspaces">1</I32><I32 N="MaxRunspaces">1</I32></MS></Obj>'
AVAILABLE = '<Obj RefId="0"><MS><I64 N="ci">1</I64></MS></Obj>'


HOST_UI = (
    '<Obj N="HostInfo" RefId="3"><MS><B N="_isHostNull">false</B><B N="_isHostUINull">false</B>'
    '<B N="_isHostRawUINull">true</B><B N="_useRunspaceHost">false</B></MS></Obj>'
)


def pipeline(cmd, args, script=False, no_input=True):
    return (
        f'<Obj RefId="0"><MS><B N="NoInput">{"true" if no_input else "false"}</B>{HOST_UI}<Obj RefId="4" N="PowerShell"><MS><Obj RefId="5" N="Cmds">'
        '<TN RefId="3"><T>System.Collections.ArrayList</T><T>System.Object</T></TN><LST><Obj RefId="6"><MS>'
        f'<S N="Cmd">{cmd}</S><Obj RefId="7" N="Args"><TNRef RefId="3" /><LST>{args}</LST></Obj>'
        f'<B N="IsScript">{"true" if script else "false"}</B></MS></Obj></LST></Obj></MS></Obj></MS></Obj>'
    )


def arg(name, value):
    return f'<Obj><MS><S N="N">{name}</S>{value}</MS></Obj>'


def table(entries):
    body = "".join(f'<En><S N="Key">{k}</S>{v}</En>' for k, v in entries)
    return f'<Obj N="V"><TN RefId="9"><T>System.Collections.Hashtable</T><T>System.Object</T></TN><DCT>{body}</DCT></Obj>'


WIDGET = (
    '<Obj N="V" RefId="20"><TN RefId="21"><T>Deserialized.Microsoft.Management.Infrastructure.CimInstance#root/cimv2/XYZ_Widget</T>'
    "<T>Deserialized.Microsoft.Management.Infrastructure.CimInstance</T></TN>"
    '<Props><S N="Name">alpha</S><By N="U8">7</By><DT N="Stamp">2024-05-06T07:08:09.5+02:00</DT></Props></Obj>'
)


class Client:
    def __init__(self):
        self.object_id = 1

    def line(self, message_type, pid, xml, fragment=32768):
        message = struct.pack("<II", 2, message_type) + RPID.bytes_le + pid.bytes_le + BOM + xml.encode()
        frags = b""
        parts = [message[i : i + fragment] for i in range(0, len(message), fragment)] or [b""]
        for i, part in enumerate(parts):
            flags = (1 if i == 0 else 0) | (2 if i == len(parts) - 1 else 0)
            frags += struct.pack(">QQBI", self.object_id, i, flags, len(part)) + part
        self.object_id += 1
        guid = str(pid)
        return f"<Data Stream='Default' PSGuid='{guid}'>{base64.b64encode(frags).decode()}</Data>\n".encode()


ANSWER = '<Obj RefId="0"><MS><I64 N="ci">1</I64><I32 N="mr">1</I32></MS></Obj>'


def session(commands, fragment=32768, script=False, inputs=None):
    """inputs: the PIPELINE_INPUT objects each pipeline is sent (NoInput
    false, then END_OF_PIPELINE_INPUT); a host response follows each."""
    c = Client()
    out = c.line(0x00010002, NIL, CAPABILITY) + c.line(0x00010004, NIL, INIT.replace("</MS>", HOST_UI + "</MS>"))
    out += c.line(0x00021007, NIL, AVAILABLE)
    for i, (cmd, args) in enumerate(commands):
        pid = uuid.UUID(f"{i + 1:08x}-f028-40e1-8304-c2a117f08102")
        out += f"<Command PSGuid='{pid}' />\n".encode()
        out += c.line(0x00021006, pid, pipeline(cmd, args, script, no_input=inputs is None), fragment)
        for o in inputs or []:
            out += c.line(0x00041002, pid, o, fragment)
        if inputs is not None:
            out += c.line(0x00041003, pid, "<Nil />", fragment)
        out += c.line(0x00041101, pid, ANSWER, fragment).replace(b"Stream='Default'", b"Stream='PromptResponse'")
        out += f"<Signal PSGuid='{pid}' />\n<Close PSGuid='{pid}' />\n".encode()
    out += c.line(0x0002100E, NIL, "<Nil />")
    out += f"<Close PSGuid='{NIL}' />\n".encode()
    return out


SEEDS = {
    "open-close": session([]),
    "get": session([("Get-CimInstance", arg("ClassName", '<S N="V">XYZ_Widget</S>') + arg("KeyOnly", '<Nil N="V" />'))]),
    "get-filter": session(
        [("Get-CimInstance", arg("ClassName", '<S N="V">XYZ_Widget</S>') + arg("Filter", "<S N=\"V\">Name = 'a''b' AND U8 = 7 and Enabled = TRUE</S>"))]
    ),
    "invoke": session(
        [
            (
                "Invoke-CimMethod",
                arg("ClassName", '<S N="V">XYZ_Widget</S>')
                + arg("MethodName", '<S N="V">Scan</S>')
                + arg("Arguments", table([("Pattern", '<S N="Value">p</S>')]))
                + arg("Verbose", '<Nil N="V" />')
                + arg("ErrorAction", '<I32 N="V">1</I32>'),
            )
        ]
    ),
    "new-set-remove": session(
        [
            (
                "New-CimInstance",
                arg("ClassName", '<S N="V">XYZ_Widget</S>')
                + arg(
                    "Property",
                    table(
                        [
                            ("Name", '<S N="Value">gamma</S>'),
                            ("Stamp", '<TS N="Value">P1DT2H</TS>'),
                            ("Part", '<Obj N="Value"><TNRef RefId="9" /><DCT><En><S N="Key">Name</S><S N="Value">bolt</S></En></DCT></Obj>'),
                        ]
                    ),
                ),
            ),
            ("Set-CimInstance", arg("InputObject", WIDGET) + arg("Property", table([("U8", '<I32 N="Value">9</I32>')]))),
            ("Remove-CimInstance", arg("InputObject", WIDGET) + arg("WhatIf", '<Nil N="V" />')),
            ("Invoke-CimMethod", arg("InputObject", WIDGET) + arg("MethodName", '<S N="V">Resize</S>')),
        ]
    ),
    "fragmented": session([("Get-CimInstance", arg("ClassName", '<S N="V">XYZ_Widget</S>'))], fragment=60),
    "input-confirm": session(
        [("Remove-CimInstance", arg("Confirm", '<Nil N="V" />'))],
        inputs=[WIDGET.replace('N="V" ', ""), "<S>not an instance</S>"],
    ),
    "preferences": session(
        [("$ConfirmPreference = 'Low'; $ErrorActionPreference = 'Stop'\nInvoke-CimMethod XYZ_Widget -MethodName Ask", "")],
        script=True,
    ),
    "script": session([("Get-CimInstance -ClassName XYZ_Widget -Filter &quot;Name = 'a'&quot; | Select-Object -First 1", "")], script=True),
}

if __name__ == "__main__":
    for name, data in SEEDS.items():
        with open(f"fuzz/seeds/serve_session/seed-{name}", "wb") as f:
            f.write(data)

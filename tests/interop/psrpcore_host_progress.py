"""Write a server-to-client stream of PIPELINE_HOST_CALL messages as
psrpcore 0.3.1's server host encodes them (the captures hold no WriteProgress
host call): WriteProgress for a parent and a child activity (the record
serialized as PowerShell's ToPSObjectForRemoting does, like a PROGRESS_RECORD
message), a WriteWarningLine, then the parent's Completed record.

Usage: psrpcore_host_progress.py OUT.bin
"""

import sys
import uuid
from xml.etree import ElementTree

from psrpcore._payload import create_fragment, create_message
from psrpcore.types import (
    HostMethodIdentifier,
    PipelineHostCall,
    ProgressRecordMsg,
    ProgressRecordType,
    PSRPMessageType,
    serialize,
)

RPID = uuid.UUID("6397709e-f7d6-c54d-9568-fd4656ae4820")
PID = uuid.UUID("632aa393-254e-b24d-8288-4d968d0da65d")


def call(method, args):
    obj = PipelineHostCall(ci=-100, mi=method, mp=args)
    data = ElementTree.tostring(serialize(obj, cipher=None), encoding="utf-8", method="xml")
    data = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
    return create_message(False, PSRPMessageType.PipelineHostCall, data, RPID, PID)


def progress(activity_id, parent, activity, status, percent, kind=ProgressRecordType.Processing, op=None):
    return [
        1,
        ProgressRecordMsg(
            Activity=activity,
            ActivityId=activity_id,
            StatusDescription=status,
            CurrentOperation=op,
            ParentActivityId=parent,
            PercentComplete=percent,
            Type=kind,
            SecondsRemaining=-1,
        ),
    ]


messages = [
    call(HostMethodIdentifier.WriteProgress, progress(1, -1, "Copying", "3 of 10", 30, op="a.txt")),
    call(HostMethodIdentifier.WriteProgress, progress(2, 1, "Hashing", "a.txt", 50)),
    call(HostMethodIdentifier.WriteWarningLine, ["disk almost full"]),
    call(HostMethodIdentifier.WriteProgress, progress(1, -1, "Copying", "done", 100, ProgressRecordType.Completed)),
]
with open(sys.argv[1], "wb") as f:
    for i, m in enumerate(messages):
        f.write(create_fragment(i + 1, 0, m))

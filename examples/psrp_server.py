#!/usr/bin/env python3
"""An example PSRP endpoint: a PowerShell remoting server hosting an MI
provider module through mi-psrp.

It speaks the OutOfProc transport on stdin/stdout — what ``pwsh -s`` and
PowerShell's SSH remoting subsystem speak: one XML element per line,
``<Data Stream='Default' PSGuid='…'>base64</Data>`` carrying PSRP fragments,
answered by ``<DataAck>``; ``<Command>``/``<CommandAck>`` to create a
pipeline, ``<Signal>``/``<SignalAck>`` to stop one, ``<Close>``/``<CloseAck>``
to close a pipeline or, with the nil PSGuid, the session.

Who writes what:

- psrpcore (PyPI) keeps the session's state and builds the session's own
  messages: session capability, runspace pool and pipeline states.
- mi-psrp (through ``bindings/python/mi_psrp.py``) loads the provider module
  (``--module``: the shared library omigen or Convert-MofToProvider generate,
  exporting ``MI_Main``; the Demo_Folder sample of ``c_examples/module/``)
  and sends everything the provider writes — progress, warning/verbose/debug,
  errors, and the instances it posts as PIPELINE_OUTPUT (CimInstance,
  CimMethodResult, CimMethodStreamedResult) — from the provider's own threads.

One connection, one counter: every message, psrpcore's included, goes
through the mi-psrp pool (``Pool.send``), so ObjectIds come from one counter
and are unique and increasing in the order the messages reach stdout, and a
provider's records stay in order with the objects it posts in between.
(The other way, ``Pool.set_object_id_source`` with psrpcore's counter, keeps
ids unique but psrpcore numbers a message when it is queued, not when it is
written, so two threads could write them out of order; and psrpcore's
fragments would need framing of their own.)

The pool's framed sink writes each message as one ``<Data>`` line whose
PSGuid is the message's pipeline id: pypsrp reassembles per line, so a line
carries whole messages only.

Each pipeline is one operation of the module, chosen by its first command as
PowerShell's CIM cmdlets would run it:

- ``Invoke-CimMethod -ClassName C -MethodName M [-Arguments @{...}]
  [-Namespace N]``: invoke (a static method); each argument of the hashtable
  is set by the parameter's declared type;
- ``Get-CimInstance -ClassName C [-Namespace N] [-KeyOnly] [-Property a,b]``:
  enumerate.

It gets an mi-psrp context of the module's character size and runs on a
thread of its own. The pipeline ends when the provider ends its operation
(``Context.on_complete``): Completed after PostResult or PostError (the error
record is then already delivered, as PowerShell's CIM cmdlets do), Stopped
when the client had sent a Signal, which reached the provider's cancel
callback through ``mipsrp_context_cancel``. Any other command, an unknown
parameter or an argument that does not fit its declared type ends the
operation with an error record (PostError), as a provider's own error would.

This process never writes to stderr — pypsrp merges a server's stderr into
the protocol stream — so standard error is sent to ``--log`` or /dev/null.

    python3 examples/psrp_server.py --module examples/build/libdemo_module.so \\
        [--namespace root/cimv2] [--fragment-size 64] [--log server.log] [--wire-log messages.txt]

with ``MIPSRP_LIB`` naming libmi_psrp.so (or the library installed).
"""

from __future__ import annotations

import argparse
import base64
import logging
import os
import struct
import sys
import threading
import uuid
import xml.etree.ElementTree as ElementTree
from typing import BinaryIO, Callable, Iterator, Optional

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bindings", "python"))

import psrpcore  # noqa: E402
from psrpcore.types import PSInvocationState, RunspacePoolState  # noqa: E402

import mi_psrp  # noqa: E402

log = logging.getLogger("psrp_server")

NIL = uuid.UUID(int=0)

#: The namespace of an operation whose command names none (PowerShell's CIM
#: cmdlets default to root/cimv2).
DEFAULT_NAMESPACE = "root/cimv2"


class OutOfProcWriter:
    """Writes OutOfProc lines to stdout, one whole line at a time."""

    def __init__(self, stream: BinaryIO):
        self._stream = stream
        self._lock = threading.Lock()
        self.broken = False

    def _line(self, line: bytes) -> None:
        with self._lock:
            if self.broken:
                return
            try:
                self._stream.write(line)
                self._stream.flush()
            except (BrokenPipeError, OSError, ValueError):
                # The client went away; the reader sees the end of stdin.
                self.broken = True

    def data(self, pipeline_id: str, payload: bytes) -> None:
        self._line(
            b"<Data Stream='Default' PSGuid='%s'>%s</Data>\n" % (pipeline_id.encode(), base64.b64encode(payload))
        )

    def ack(self, element: str, ps_guid: uuid.UUID) -> None:
        self._line(b"<%s PSGuid='%s' />\n" % (element.encode(), str(ps_guid).encode()))


class MessageFramer:
    """The pool's framed sink: gathers the fragments of one message and
    writes them as one ``<Data>`` line for the message's pipeline. The sink
    never sees two messages' fragments interleaved, so one buffer is enough.
    It never raises and never calls back into mi-psrp."""

    def __init__(self, writer: OutOfProcWriter, wire_log: Optional[BinaryIO] = None):
        self._writer = writer
        self._wire_log = wire_log
        self._message = bytearray()

    def __call__(self, info: mi_psrp.FragmentInfo, fragment: bytes) -> None:
        if info.start:
            self._message.clear()
        self._message += fragment
        if info.end:
            self._writer.data(info.pipeline_id, bytes(self._message))
            self._message.clear()
            if self._wire_log is not None:
                self._wire_log.write(b"%d %08x %s\n" % (info.object_id, info.message_type, info.pipeline_id.encode()))
                self._wire_log.flush()


def psrpcore_messages(payload: bytes) -> Iterator[tuple[int, Optional[str], bytes]]:
    """``(message_type, pipeline_id or None, data)`` of each message in a
    psrpcore payload taken whole (``data_to_send()`` without a size: one
    fragment per message). psrpcore's ObjectIds are dropped."""
    offset = 0
    while offset < len(payload):
        _object_id, fragment_id, flags, length = struct.unpack_from(">QQBI", payload, offset)
        blob = payload[offset + 21 : offset + 21 + length]
        offset += 21 + length
        if fragment_id != 0 or flags & 0x3 != 0x3:
            raise ValueError("psrpcore split a message it was asked to send whole")
        message_type = struct.unpack_from("<I", blob, 4)[0]
        pid = uuid.UUID(bytes_le=bytes(blob[24:40]))
        yield message_type, None if pid == NIL else str(pid), bytes(blob[40:])


class Refused(Exception):
    """A command the endpoint does not run: the operation ends with an error
    record (PostError) with ``code`` and the message."""

    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code = code


def command_parameters(command, positions: tuple[str, ...], allowed: set[str]) -> dict:
    """A command's parameters by lowercase name: named ones, then positional
    ones in PowerShell's order of ``positions``; an unknown one is refused."""
    named: dict = {}
    positional = []
    for name, value in command.parameters:
        if name:
            key = name.lower()
            if key not in allowed:
                raise Refused(
                    mi_psrp.MI_RESULT_INVALID_PARAMETER,
                    f"{command.command_text}: this endpoint does not take -{name}",
                )
            named[key] = value
        else:
            positional.append(value)
    for key in positions:
        if not positional:
            break
        if key not in named:
            named[key] = positional.pop(0)
    if positional:
        raise Refused(
            mi_psrp.MI_RESULT_INVALID_PARAMETER, f"{command.command_text}: too many positional arguments"
        )
    return named


def text_parameter(command, params: dict, key: str, label: str) -> str:
    value = params.get(key)
    if not isinstance(value, str) or not value:
        raise Refused(mi_psrp.MI_RESULT_INVALID_PARAMETER, f"{command.command_text} needs -{label}")
    return str(value)


class Pipeline:
    """One pipeline: its psrpcore state, mi-psrp context and provider thread."""

    def __init__(self, session: "Session", pipeline_id: uuid.UUID):
        self.id = pipeline_id
        self.psrp = psrpcore.ServerPipeline(session.runspace, pipeline_id)
        self.context: Optional[mi_psrp.Context] = None
        self.thread: Optional[threading.Thread] = None
        self.stop_requested = False
        self.ended = False


class Session:
    """The server side of one runspace pool (one connection)."""

    def __init__(
        self,
        module: Optional[mi_psrp.Module],
        writer: OutOfProcWriter,
        fragment_size: Optional[int],
        wire_log: Optional[BinaryIO] = None,
        namespace: str = DEFAULT_NAMESPACE,
        load_error: Optional[str] = None,
    ):
        self.module = module
        self.load_error = load_error
        self.namespace = namespace
        self.writer = writer
        self.wire_log = wire_log
        self.fragment_size = fragment_size
        self.runspace = psrpcore.ServerRunspacePool()
        # Guards psrpcore's state (not thread-safe) and the pipeline table;
        # never held by a thread that waits for a provider.
        self.lock = threading.RLock()
        self.pool: Optional[mi_psrp.Pool] = None
        self.pipelines: dict[uuid.UUID, Pipeline] = {}
        self.closed = False

    # -- transport elements

    def on_data(self, ps_guid: uuid.UUID, payload: bytes) -> None:
        with self.lock:
            self.runspace.receive_data(psrpcore.PSRPPayload(payload, psrpcore.StreamType.default, None))
            while (event := self.runspace.next_event()) is not None:
                log.debug("event %r", event)
                if isinstance(event, psrpcore.SessionCapabilityEvent) and self.pool is None:
                    self._open_pool()
                elif isinstance(event, psrpcore.CreatePipelineEvent):
                    self._start(self.pipelines[event.pipeline_id], event.pipeline)
            self._send_psrpcore()
        self.writer.ack("DataAck", ps_guid)

    def on_command(self, ps_guid: uuid.UUID) -> None:
        with self.lock:
            self.pipelines[ps_guid] = Pipeline(self, ps_guid)
        self.writer.ack("CommandAck", ps_guid)

    def on_signal(self, ps_guid: uuid.UUID) -> None:
        with self.lock:
            pipeline = self.pipelines.get(ps_guid)
            if pipeline is not None and not pipeline.ended and pipeline.context is not None:
                pipeline.stop_requested = True
                # The provider's cancel callback runs here, on this thread.
                pipeline.context.cancel(mi_psrp.MI_REASON_NONE)
        self.writer.ack("SignalAck", ps_guid)

    def on_close(self, ps_guid: uuid.UUID) -> bool:
        """Closes a pipeline, or the session for the nil PSGuid; True when
        the session is over."""
        if ps_guid == NIL:
            self._end_all_pipelines()
            with self.lock:
                # pypsrp waits for this state after its Close, as PowerShell sends it.
                if self.pool is not None and self.runspace.state == RunspacePoolState.Opened:
                    self.runspace.pipeline_table.clear()
                    self.runspace.close()
                    self._send_psrpcore()
            self.shut_down()
            self.writer.ack("CloseAck", ps_guid)
            return True
        with self.lock:
            pipeline = self.pipelines.pop(ps_guid, None)
        if pipeline is not None:
            self._end_pipeline(pipeline)
            with self.lock:
                if pipeline.psrp.state != PSInvocationState.Running:
                    pipeline.psrp.close()
        self.writer.ack("CloseAck", ps_guid)
        return False

    def _end_all_pipelines(self) -> None:
        with self.lock:
            pipelines = list(self.pipelines.values())
            self.pipelines.clear()
        for pipeline in pipelines:
            if not pipeline.ended and pipeline.context is not None:
                pipeline.context.transport_gone()
            self._end_pipeline(pipeline)

    def shut_down(self) -> None:
        """The session ends (Close or end of input): providers still running
        are told their client is gone, waited for, and freed."""
        with self.lock:
            if self.closed:
                return
            self.closed = True
            pipelines = list(self.pipelines.values())
            self.pipelines.clear()
            if self.pool is not None:
                self.pool.transport_gone()
        for pipeline in pipelines:
            self._end_pipeline(pipeline)
        if self.pool is not None:
            self.pool.close()

    # -- pipelines

    def _open_pool(self) -> None:
        # psrpcore learned the RPID from the client's SessionCapability.
        self.pool = mi_psrp.Pool(str(self.runspace.runspace_pool_id), framed_sink=MessageFramer(self.writer, self.wire_log))
        if self.fragment_size:
            self.pool.set_fragment_size(self.fragment_size)

    def _start(self, pipeline: Pipeline, metadata) -> None:
        command = metadata.commands[0] if metadata.commands else None
        pipeline.psrp.start()
        # A context of the module's character size (UTF-8 or wchar_t).
        char_size = self.module.char_size if self.module is not None else None
        ctx = self.pool.context(str(pipeline.id), char_size=char_size)
        pipeline.context = ctx
        ctx.on_complete(lambda result, ending, p=pipeline: self._ended(p, result, ending))
        pipeline.thread = threading.Thread(
            target=self._run_provider,
            args=(ctx, command),
            name=f"provider {pipeline.id}",
            daemon=True,
        )
        pipeline.thread.start()

    def _run_provider(self, ctx: mi_psrp.Context, command) -> None:
        """Runs the pipeline's operation on this thread (the provider's): it
        returns when the provider's function does, which for an operation
        that ends later, on a thread of the provider's own, is before the
        end. Whatever cannot run ends the operation with an error record."""
        try:
            self._operation(command)(ctx)
        except Refused as e:
            log.debug("refused: %s", e)
            self._post_error(ctx, e.code, str(e))
        except mi_psrp.MiError as e:
            # Could not start: mi-psrp ended the operation with an error
            # record — unless nothing was run (a foreign argument).
            log.debug("operation not started: %s", e)
            if ctx.outcome() is None:
                self._post_error(ctx, e.code, str(e))
        except Exception as e:  # noqa: BLE001 -- the pipeline must still end
            log.exception("operation failed")
            self._post_error(ctx, mi_psrp.MI_RESULT_FAILED, f"the endpoint failed: {e}")

    @staticmethod
    def _post_error(ctx: mi_psrp.Context, code: int, message: str) -> None:
        try:
            ctx.post_error(code, "MI", message)
        except mi_psrp.MiError:
            log.exception("the operation had already ended")

    def _operation(self, command) -> Callable[[mi_psrp.Context], None]:
        """What the pipeline's first command runs on a context; Refused for
        a command, parameter or argument this endpoint does not take."""
        module = self.module
        if module is None:
            raise Refused(mi_psrp.MI_RESULT_FAILED, f"the endpoint's module did not load: {self.load_error}")
        if command is None:
            raise Refused(mi_psrp.MI_RESULT_NOT_SUPPORTED, "the pipeline has no command")
        name = command.command_text.lower()
        if name == "invoke-cimmethod":
            params = command_parameters(
                command, ("classname", "arguments", "methodname"), {"classname", "methodname", "arguments", "namespace"}
            )
            class_name = text_parameter(command, params, "classname", "ClassName")
            method = text_parameter(command, params, "methodname", "MethodName")
            namespace = str(params.get("namespace") or self.namespace)
            arguments = params.get("arguments") or {}
            if not isinstance(arguments, dict):
                raise Refused(
                    mi_psrp.MI_RESULT_INVALID_PARAMETER,
                    f"Invoke-CimMethod: -Arguments must be a hashtable, not {type(arguments).__name__}",
                )
            try:
                parameters = module.new_parameters(class_name, method)
            except mi_psrp.MiError:
                # No such class or method: the invoke says so (PostError).
                parameters = None
            if parameters is not None:
                for key, value in arguments.items():
                    try:
                        parameters[str(key)] = value
                    except mi_psrp.MiError as e:
                        what = "no such parameter" if e.code == mi_psrp.MI_RESULT_NO_SUCH_PROPERTY else e.name
                        raise Refused(
                            mi_psrp.MI_RESULT_INVALID_PARAMETER, f"{class_name}.{method} argument {key}: {what}"
                        ) from None
                    except (TypeError, ValueError, OverflowError) as e:
                        raise Refused(
                            mi_psrp.MI_RESULT_INVALID_PARAMETER, f"{class_name}.{method} argument {key}: {e}"
                        ) from None
            return lambda ctx: module.invoke(ctx, namespace, class_name, method, parameters=parameters)
        if name == "get-ciminstance":
            params = command_parameters(
                command, ("classname",), {"classname", "namespace", "keyonly", "property"}
            )
            class_name = text_parameter(command, params, "classname", "ClassName")
            namespace = str(params.get("namespace") or self.namespace)
            switch = params.get("keyonly", False)
            keys_only = switch is None or bool(switch)  # a switch sent without a value is on
            properties = params.get("property")
            if properties is not None:
                if isinstance(properties, str):
                    properties = [properties]
                if not isinstance(properties, list) or not all(isinstance(p, str) for p in properties):
                    raise Refused(mi_psrp.MI_RESULT_INVALID_PARAMETER, "Get-CimInstance: -Property takes names")
                properties = [str(p) for p in properties]
            return lambda ctx: module.enumerate(ctx, namespace, class_name, keys_only, properties)
        raise Refused(
            mi_psrp.MI_RESULT_NOT_SUPPORTED,
            f"this endpoint runs Invoke-CimMethod and Get-CimInstance, not {command.command_text}",
        )

    def _ended(self, pipeline: Pipeline, result: int, ending: int) -> None:
        """The provider ended its operation (on its thread, after its last
        record went out): the pipeline's state follows."""
        log.debug("pipeline %s ended: result %d, ending %d", pipeline.id, result, ending)
        with self.lock:
            pipeline.ended = True
            if ending == mi_psrp.MIPSRP_ENDING_FREED or pipeline.psrp.state != PSInvocationState.Running:
                return
            try:
                if pipeline.stop_requested:
                    pipeline.psrp.stop()
                else:
                    pipeline.psrp.complete()
                self._send_psrpcore()
            except mi_psrp.MiError:
                log.exception("the client is gone")

    def _end_pipeline(self, pipeline: Pipeline) -> None:
        ctx = pipeline.context
        if ctx is None:
            return
        if not pipeline.ended:
            ctx.transport_gone()  # cancels the provider (MI_REASON_SERVICESTOP)
        if pipeline.thread is not None:
            pipeline.thread.join()
        ctx.close()
        pipeline.context = None

    def _send_psrpcore(self) -> None:
        """Sends what psrpcore queued through the mi-psrp pool (its ObjectIds,
        fragment size, order and sink)."""
        while (payload := self.runspace.data_to_send()) is not None:
            for message_type, pipeline_id, data in psrpcore_messages(payload.data):
                self.pool.send(message_type, pipeline_id, data)


def serve(
    module_path: str,
    fragment_size: Optional[int],
    stdin: BinaryIO,
    stdout: BinaryIO,
    wire_log: Optional[BinaryIO] = None,
    namespace: str = DEFAULT_NAMESPACE,
) -> None:
    try:
        module: Optional[mi_psrp.Module] = mi_psrp.Module.load(module_path)
        load_error = None
    except mi_psrp.MiError as e:
        # Served all the same: each pipeline then ends with this error record,
        # where a client shows it (pypsrp would hang on a server that exits).
        log.error("%s", e)
        module, load_error = None, e.reason or str(e)
    session = Session(module, OutOfProcWriter(stdout), fragment_size, wire_log, namespace, load_error)
    try:
        for line in stdin:
            if not line.strip():
                continue
            element = ElementTree.fromstring(line)
            ps_guid = uuid.UUID(element.attrib.get("PSGuid", str(NIL)))
            log.debug("<- %s %s", element.tag, ps_guid)
            if element.tag == "Data":
                session.on_data(ps_guid, base64.b64decode(element.text or ""))
            elif element.tag == "Command":
                session.on_command(ps_guid)
            elif element.tag == "Signal":
                session.on_signal(ps_guid)
            elif element.tag == "Close":
                if session.on_close(ps_guid):
                    return
            # DataAck and anything else: nothing to do.
    finally:
        session.shut_down()
        # Every operation has ended and its context is freed.
        if module is not None:
            module.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--module", required=True, help="the provider module (a shared library exporting MI_Main)")
    parser.add_argument(
        "--namespace", default=DEFAULT_NAMESPACE, help=f"for commands that name none (default {DEFAULT_NAMESPACE})"
    )
    parser.add_argument("--fragment-size", type=int, help="PSRP fragment size in bytes (default 32768)")
    parser.add_argument("--log", help="debug log file (stderr is never written)")
    parser.add_argument("--wire-log", help="writes 'ObjectId type pipeline-id' for each message sent")
    args = parser.parse_args()

    # Nothing may reach stderr: the client reads it as protocol.
    err = os.open(args.log or os.devnull, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(err, 2)
    if args.log:
        logging.basicConfig(filename=args.log, level=logging.DEBUG, format="%(asctime)s %(threadName)s %(message)s")
    wire_log = open(args.wire_log, "wb") if args.wire_log else None
    try:
        serve(args.module, args.fragment_size, sys.stdin.buffer, sys.stdout.buffer, wire_log, args.namespace)
    except Exception:  # noqa: BLE001 -- logged; the client sees the pipe close
        log.exception("server failed")
        raise SystemExit(1)


if __name__ == "__main__":
    main()

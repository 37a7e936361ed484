#!/usr/bin/env python3
"""An example PSRP endpoint: a PowerShell remoting server hosting a C MI
provider through mi-psrp.

It speaks the OutOfProc transport on stdin/stdout — what ``pwsh -s`` and
PowerShell's SSH remoting subsystem speak: one XML element per line,
``<Data Stream='Default' PSGuid='…'>base64</Data>`` carrying PSRP fragments,
answered by ``<DataAck>``; ``<Command>``/``<CommandAck>`` to create a
pipeline, ``<Signal>``/``<SignalAck>`` to stop one, ``<Close>``/``<CloseAck>``
to close a pipeline or, with the nil PSGuid, the session.

Who writes what:

- psrpcore (PyPI) keeps the session's state and builds the session's own
  messages: session capability, runspace pool and pipeline states, output.
- mi-psrp (through ``bindings/python/mi_psrp.py``) sends everything the
  provider writes — progress, warning/verbose/debug, errors — from the
  provider's own threads.

One connection, one counter: every message, psrpcore's included, goes
through the mi-psrp pool (``Pool.send``), so ObjectIds come from one counter
and are unique and increasing in the order the messages reach stdout, and a
provider's records stay in order with the outputs it produced in between.
(The other way, ``Pool.set_object_id_source`` with psrpcore's counter, keeps
ids unique but psrpcore numbers a message when it is queued, not when it is
written, so two threads could write them out of order; and psrpcore's
fragments would need framing of their own.)

The pool's framed sink writes each message as one ``<Data>`` line whose
PSGuid is the message's pipeline id: pypsrp reassembles per line, so a line
carries whole messages only.

Each pipeline (``Invoke-Demo``-style: its first command's name is the
operation — ``copy``, ``fail`` or ``wait`` — and ``-Count`` its argument)
gets an mi-psrp context and runs ``demo_run`` from the C provider
(``examples/demo_provider.c``, built to a shared library) on a thread of its
own, with ``Context.handle`` as its ``MI_Context*``. The pipeline ends when the
provider ends its operation (``Context.on_complete``): Completed after
PostResult or PostError (the error record is then already delivered, as
PowerShell's CIM cmdlets do), Stopped when the client had sent a Signal,
which reached the provider's cancel callback through
``mipsrp_context_cancel``.

This process never writes to stderr — pypsrp merges a server's stderr into
the protocol stream — so standard error is sent to ``--log`` or /dev/null.

    python3 examples/psrp_server.py --provider build/libdemo_provider.so \\
        [--fragment-size 64] [--log server.log] [--wire-log messages.txt]

with ``MIPSRP_LIB`` naming libmi_psrp.so (or the library installed).
"""

from __future__ import annotations

import argparse
import base64
import ctypes
import logging
import os
import struct
import sys
import threading
import uuid
import xml.etree.ElementTree as ElementTree
from typing import BinaryIO, Iterator, Optional

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bindings", "python"))

import psrpcore  # noqa: E402
from psrpcore.types import PSInvocationState, RunspacePoolState  # noqa: E402

import mi_psrp  # noqa: E402

log = logging.getLogger("psrp_server")

NIL = uuid.UUID(int=0)

#: ``demo_output_fn``: ``void (*)(void *user_data, const char *text)``.
OUTPUT_FN = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_char_p)


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


class Pipeline:
    """One pipeline: its psrpcore state, mi-psrp context and provider thread."""

    def __init__(self, session: "Session", pipeline_id: uuid.UUID):
        self.id = pipeline_id
        self.psrp = psrpcore.ServerPipeline(session.runspace, pipeline_id)
        self.context: Optional[mi_psrp.Context] = None
        self.thread: Optional[threading.Thread] = None
        self.stop_requested = False
        self.ended = False
        # The provider's output function for this pipeline (a ctypes
        # callback: kept alive as long as the pipeline).
        self.output_fn = OUTPUT_FN(lambda _user_data, text: session._provider_output(self, text))


class Session:
    """The server side of one runspace pool (one connection)."""

    def __init__(
        self,
        provider: ctypes.CDLL,
        writer: OutOfProcWriter,
        fragment_size: Optional[int],
        wire_log: Optional[BinaryIO] = None,
    ):
        self.provider = provider
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
        operation = command.command_text.lower() if command else ""
        count = 0
        for name, value in command.parameters if command else []:
            if name and name.lower() == "count":
                count = int(value)
        pipeline.psrp.start()
        ctx = self.pool.context(str(pipeline.id))
        pipeline.context = ctx
        ctx.on_complete(lambda result, ending, p=pipeline: self._ended(p, result, ending))
        handle = ctx.handle
        pipeline.thread = threading.Thread(
            target=self.provider.demo_run,
            args=(handle, operation.encode(), count, pipeline.output_fn, None),
            name=f"provider {pipeline.id}",
            daemon=True,
        )
        pipeline.thread.start()

    def _provider_output(self, pipeline: Pipeline, text: bytes) -> None:
        """The provider outputs an object (on its thread): sent now, so in
        order with the records it wrote before and after."""
        with self.lock:
            if pipeline.psrp.state != PSInvocationState.Running or self.closed:
                return
            pipeline.psrp.write_output(text.decode("utf-8", "replace"))
            try:
                self._send_psrpcore()
            except mi_psrp.MiError:
                log.exception("output not sent: the client is gone")

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
    provider_path: str,
    fragment_size: Optional[int],
    stdin: BinaryIO,
    stdout: BinaryIO,
    wire_log: Optional[BinaryIO] = None,
) -> None:
    provider = ctypes.CDLL(provider_path)
    provider.demo_run.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_uint, OUTPUT_FN, ctypes.c_void_p]
    provider.demo_run.restype = ctypes.c_uint32
    session = Session(provider, OutOfProcWriter(stdout), fragment_size, wire_log)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--provider", required=True, help="the demo provider's shared library")
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
        serve(args.provider, args.fragment_size, sys.stdin.buffer, sys.stdout.buffer, wire_log)
    except Exception:  # noqa: BLE001 -- logged; the client sees the pipe close
        log.exception("server failed")
        raise SystemExit(1)


if __name__ == "__main__":
    main()

"""NewsdeskError: which stage failed, with what status, and what to do about it."""

from __future__ import annotations

import re

import grpc
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from newsdesk.common.v1 import common_pb2

STAGE_HINTS = {
    "UNAVAILABLE": "is the service running? start all three with `newsdesk serve` "
    "or `docker compose up`; check the address",
    "DEADLINE_EXCEEDED": "the call took longer than its deadline; raise --timeout or "
    "send a shorter text",
}


REASON_HINTS = {
    "LANGUAGE_UNCERTAIN": "name the language: source_language='uk' in the client, "
    "--source-language uk on the command line",
    "NOT_ENGLISH": "brief it instead (detect → translate → summarize): `newsdesk brief`",
}


# The request field a server's message starts with when it is about one text:
# "contents[0]: must not be empty", "text: …", "texts[3]: …".
_SUBJECT = re.compile(r"(?:contents|texts)\[\d+\]|content|text")


class NewsdeskError(Exception):
    """A failed call: the stage ("detect", "translate", "summarize"), the gRPC status
    code name, the server's message, and the details it sent (reason, field
    violations, retry delay). `subject` is what the message is about, as it names it
    (a request field until `about()` names it in the caller's words)."""

    def __init__(
        self,
        stage: str,
        code: str,
        message: str,
        *,
        address: str = "",
        reason: str = "",
        violations: tuple[tuple[str, str], ...] = (),
        retry_after_s: float | None = None,
        request_id: str = "",
        subject: str | None = None,
    ) -> None:
        self.stage = stage
        self.code = code
        self.message = message
        self.address = address
        self.reason = reason
        self.violations = violations
        self.retry_after_s = retry_after_s
        self.request_id = request_id
        if subject is None:
            # The field the message starts with, else the one the violation names.
            field, sep, _ = message.partition(": ")
            fields = [field] if sep else []
            fields += [f for f, _ in violations[:1]]
            subject = next((f for f in fields if _SUBJECT.fullmatch(f)), "")
        self.subject = subject
        hint = STAGE_HINTS.get(code) or REASON_HINTS.get(reason)
        where = f" at {address}" if address and code in STAGE_HINTS else ""
        text = f"{stage}: {code}: {message}{where}"
        if hint:
            text += f" ({hint})"
        super().__init__(text)

    def about(self, label: str) -> NewsdeskError:
        """This error naming what failed in the caller's words — `label` is "texts[5]"
        (the item's index in the caller's list) or a file name; "" drops the name where
        the caller prints it already — instead of the request field the server named
        ("contents[0]"). Unchanged when the message names no field."""
        if not self.subject:
            return self
        old, new = f"{self.subject}: ", f"{label}: " if label else ""

        def named(text: str) -> str:
            text = new + text[len(old) :] if text.startswith(old) else text
            return text.replace(f"; {old}", f"; {new}")

        return NewsdeskError(
            self.stage,
            self.code,
            named(self.message),
            address=self.address,
            reason=self.reason,
            violations=tuple(
                (label if f == self.subject else f, named(d)) for f, d in self.violations
            ),
            retry_after_s=self.retry_after_s,
            request_id=self.request_id,
            subject=label,
        )

    @classmethod
    def from_rpc(
        cls, stage: str, err: grpc.aio.AioRpcError | grpc.RpcError, address: str, request_id: str
    ) -> NewsdeskError:
        """Build from a gRPC error, unpacking google.rpc.Status details."""
        code = err.code().name if err.code() is not None else "UNKNOWN"
        reason = ""
        violations: list[tuple[str, str]] = []
        retry: float | None = None
        # grpcio-status reads (and checks) the google.rpc.Status in the trailers.
        try:
            status = rpc_status.from_call(err)
        except ValueError:  # code or message disagree with the trailer: ignore it
            status = None
        for detail in status.details if status is not None else ():
            info = error_details_pb2.ErrorInfo()
            bad = error_details_pb2.BadRequest()
            retry_info = error_details_pb2.RetryInfo()
            if detail.Unpack(info):
                reason = info.reason
            elif detail.Unpack(bad):
                violations += [(v.field, v.description) for v in bad.field_violations]
            elif detail.Unpack(retry_info):
                retry = retry_info.retry_delay.ToMilliseconds() / 1000.0
        return cls(
            stage,
            code,
            err.details() or "",
            address=address,
            reason=reason,
            violations=tuple(violations),
            retry_after_s=retry,
            request_id=request_id,
        )

    @classmethod
    def from_item(
        cls, stage: str, item: common_pb2.ItemError, address: str, request_id: str
    ) -> NewsdeskError:
        """Build from the ItemError of one item of a batch answered per item."""
        return cls(
            stage,
            item.code,
            item.message,
            address=address,
            reason=item.reason,
            violations=((item.field, item.message),) if item.field else (),
            request_id=request_id,
        )

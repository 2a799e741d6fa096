"""The one server interceptor: request ids, structured logs, metrics and error mapping.

Every RPC gets a request_id (from x-request-id metadata, generated if absent), bound
into structlog's contextvars with the method and peer, returned in the *trailing*
metadata, and ends in exactly one `rpc.completed` log line with its code and duration.
Nothing is sent before the response: initial metadata would commit the call, and a
committed call is never retried by the client's retry policy when a replica dies.
Domain exceptions become status codes with google.rpc.Status details (BadRequest,
ErrorInfo, RetryInfo) built with grpcio-status; anything else is logged with its
traceback and answered INTERNAL without leaking it. With a token file every RPC but
health (reflection included) needs `authorization: Bearer <token>`.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import grpc
import structlog
from google.protobuf import any_pb2, duration_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

from newsdesk_shared import tracing
from services.common.errors import (
    InvalidArgument,
    ResourceExhausted,
    ServiceError,
    Unauthenticated,
)
from services.common.logs import get_logger
from services.common.serving.metrics import IN_FLIGHT, LATENCY, REJECTED, REQUESTS
from services.common.serving.protoutil import SERVER_DEADLINE
from services.common.serving.security import OPEN_PREFIXES, TokenFile

log = get_logger("newsdesk.rpc")

REQUEST_ID_KEY = "x-request-id"
# Health probes and reflection are polled constantly: log them at DEBUG only.
_QUIET_PREFIXES = ("/grpc.health.v1.Health/", "/grpc.reflection.")
_MAX_REQUEST_ID = 128


def _pack(message: Any) -> any_pb2.Any:
    packed = any_pb2.Any()
    packed.Pack(message)
    return packed


def status_for(error: ServiceError, domain: str) -> tuple[grpc.StatusCode, status_pb2.Status]:
    """The gRPC code and google.rpc.Status (with details) for a domain error; the
    interceptor sends it with grpcio-status (`rpc_status.to_status`)."""
    code = grpc.StatusCode[error.code_name]
    details: list[any_pb2.Any] = [
        _pack(
            error_details_pb2.ErrorInfo(reason=error.reason, domain=domain, metadata=error.metadata)
        )
    ]
    if isinstance(error, InvalidArgument) and error.violations:
        details.append(
            _pack(
                error_details_pb2.BadRequest(
                    field_violations=[
                        error_details_pb2.BadRequest.FieldViolation(
                            field=v.field, description=v.description
                        )
                        for v in error.violations
                    ]
                )
            )
        )
    if isinstance(error, ResourceExhausted):
        delay = duration_pb2.Duration()
        delay.FromMilliseconds(int(error.retry_after_s * 1000))
        details.append(_pack(error_details_pb2.RetryInfo(retry_delay=delay)))
    status = status_pb2.Status(
        code=getattr(code_pb2, error.code_name), message=error.message, details=details
    )
    return code, status


class _Undecodable:
    """A request the service's deserializer could not parse: a string field holding
    bad UTF-8 (a client that skips protobuf's checks), or bytes of another message."""

    def __init__(self, error: str) -> None:
        self.error = error


def _lenient(deserialize: Callable[[bytes], Any] | None) -> Callable[[bytes], Any] | None:
    """The handler's deserializer, returning _Undecodable instead of raising: gRPC's own
    handling of a raise is UNKNOWN plus a traceback in the log with no request id, for
    anyone, before authentication."""
    if deserialize is None:
        return None

    def parse(data: bytes) -> Any:
        try:
            return deserialize(data)
        except Exception as exc:
            return _Undecodable(type(exc).__name__)

    return parse


def _check_decoded(request: Any) -> None:
    """Refuse a request that could not be parsed: INVALID_ARGUMENT, one log line."""
    if isinstance(request, _Undecodable):
        raise InvalidArgument(
            "the request could not be parsed: a string field holds bad UTF-8, or the "
            "bytes are not a message of this method's request type",
            reason="MALFORMED_REQUEST",
        )


def _request_id(context: grpc.aio.ServicerContext) -> str:
    for key, value in context.invocation_metadata() or ():
        if key == REQUEST_ID_KEY and isinstance(value, str) and value.strip():
            return value.strip()[:_MAX_REQUEST_ID]
    return uuid.uuid4().hex


class _Call:
    """Bookkeeping for one RPC: binds the log context and records its outcome."""

    def __init__(
        self,
        method: str,
        context: grpc.aio.ServicerContext,
        domain: str,
        max_request_s: float | None = None,
    ) -> None:
        self.max_request_s = max_request_s
        self.method = method
        self.context = context
        self.domain = domain
        self.code = grpc.StatusCode.OK
        self.quiet = method.startswith(_QUIET_PREFIXES)
        self.request_id = _request_id(context)
        self.started = time.perf_counter()
        self.counted = False

    async def begin(self) -> None:
        structlog.contextvars.bind_contextvars(
            request_id=self.request_id, method=self.method, peer=self.context.peer()
        )
        IN_FLIGHT.labels(self.method).inc()
        if self.max_request_s and not self.quiet:
            SERVER_DEADLINE.set(time.monotonic() + self.max_request_s)
        tracing.annotate(**{"newsdesk.request_id": self.request_id})
        if not self.quiet:
            # Trailing, never initial: an early header commits the call and would keep
            # the client's retry policy from retrying it when this replica dies.
            self.context.set_trailing_metadata(((REQUEST_ID_KEY, self.request_id),))

    async def fail(self, exc: BaseException) -> None:
        """Map exc to a status and abort the call with it (re-raises)."""
        request_id = ((REQUEST_ID_KEY, self.request_id),)
        if isinstance(exc, ServiceError):
            self.code, proto = status_for(exc, self.domain)
            status = rpc_status.to_status(proto)
            log.info("rpc.rejected", code=self.code.name, reason=exc.reason, message=exc.message)
            await self.context.abort(
                status.code,
                status.details,
                trailing_metadata=(*status.trailing_metadata, *request_id),
            )
        self.code = grpc.StatusCode.INTERNAL
        log.exception("rpc.failed", error_type=type(exc).__name__)
        await self.context.abort(
            self.code,
            f"internal error; quote request_id {self.request_id} to the operator",
            trailing_metadata=request_id,
        )

    def end(self) -> None:
        elapsed = time.perf_counter() - self.started
        IN_FLIGHT.labels(self.method).dec()
        REQUESTS.labels(self.method, self.code.name).inc()
        LATENCY.labels(self.method).observe(elapsed)
        emit = log.debug if self.quiet else log.info
        emit("rpc.completed", code=self.code.name, duration_ms=round(elapsed * 1000, 2))
        structlog.contextvars.unbind_contextvars("request_id", "method", "peer")


def _is_abort(exc: BaseException) -> bool:
    return isinstance(exc, grpc.aio.AbortError)


class ServiceInterceptor(grpc.aio.ServerInterceptor):
    """Wraps unary-unary and unary-stream handlers with _Call bookkeeping, and admits
    at most `max_in_flight` service calls at once (health and reflection are never
    counted nor refused): past it a call is answered RESOURCE_EXHAUSTED with RetryInfo
    at once. This replaces gRPC's own maximum_concurrent_rpcs, which refuses every
    call past the limit, health checks included, with no details."""

    def __init__(
        self,
        domain: str = "newsdesk",
        *,
        max_in_flight: int | None = None,
        tokens: TokenFile | None = None,
        max_request_s: float | None = None,
    ) -> None:
        self.max_request_s = max_request_s
        self.domain = domain
        self.max_in_flight = max_in_flight
        self.tokens = tokens
        self.in_flight = 0

    def _authorized(self, details: grpc.HandlerCallDetails) -> bool:
        if self.tokens is None or details.method.startswith(OPEN_PREFIXES):
            return True
        for key, value in details.invocation_metadata or ():
            if key == "authorization" and isinstance(value, str):
                return self.tokens.accepts(value)
        return False

    def _refusal(self, handler: grpc.RpcMethodHandler, method: str) -> grpc.RpcMethodHandler:
        """A handler of the same kind that answers UNAUTHENTICATED (token never logged)."""
        domain = self.domain
        error = Unauthenticated(
            "missing or invalid bearer token: send `authorization: Bearer <token>`"
        )

        async def refuse(context: grpc.aio.ServicerContext) -> None:
            call = _Call(method, context, domain)
            await call.begin()
            REJECTED.labels("rpc", "unauthenticated").inc()
            try:
                await call.fail(error)
            finally:
                call.end()

        async def unary(request: Any, context: grpc.aio.ServicerContext) -> Any:
            await refuse(context)

        async def streaming(request: Any, context: grpc.aio.ServicerContext) -> AsyncIterator[Any]:
            await refuse(context)
            yield None  # never reached: refuse aborts

        kinds = {
            "unary_unary": (grpc.unary_unary_rpc_method_handler, unary),
            "unary_stream": (grpc.unary_stream_rpc_method_handler, streaming),
            "stream_unary": (grpc.stream_unary_rpc_method_handler, unary),
            "stream_stream": (grpc.stream_stream_rpc_method_handler, streaming),
        }
        for kind, (factory, behaviour) in kinds.items():
            if getattr(handler, kind) is not None:
                return factory(
                    behaviour,
                    request_deserializer=_lenient(handler.request_deserializer),
                    response_serializer=handler.response_serializer,
                )
        return handler

    def _admit(self, call: _Call) -> ResourceExhausted | None:
        if call.quiet or self.max_in_flight is None:
            return None
        if self.in_flight >= self.max_in_flight:
            REJECTED.labels("rpc", "max_in_flight").inc()
            return ResourceExhausted(
                f"{self.in_flight} calls are in flight (limit {self.max_in_flight}); "
                "retry after the suggested delay",
                retry_after_s=1.0,
                limit=str(self.max_in_flight),
            )
        self.in_flight += 1
        call.counted = True
        return None

    def _release(self, call: _Call) -> None:
        if call.counted:
            self.in_flight -= 1

    @contextlib.asynccontextmanager
    async def _serving(self, call: _Call, request: Any) -> AsyncIterator[None]:
        """What every RPC shape shares around its handler: admission, the decoding
        check, the status of whatever the handler raised (a domain error mapped, an
        abort kept, a cancellation counted), and the call's release."""
        await call.begin()
        try:
            refused = self._admit(call)
            if refused is not None:
                raise refused
            _check_decoded(request)
            yield
        except Exception as exc:
            if _is_abort(exc):
                call.code = call.context.code() or grpc.StatusCode.UNKNOWN
                raise
            await call.fail(exc)
        except BaseException:
            call.code = grpc.StatusCode.CANCELLED
            raise
        finally:
            self._release(call)
            call.end()

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler]],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler:
        handler = await continuation(handler_call_details)
        if handler is None:
            return handler
        method: str = handler_call_details.method
        if not self._authorized(handler_call_details):
            return self._refusal(handler, method)
        domain = self.domain
        if handler.unary_unary is not None:
            inner_uu = handler.unary_unary

            async def unary_unary(request: Any, context: grpc.aio.ServicerContext) -> Any:
                call = _Call(method, context, domain, self.max_request_s)
                async with self._serving(call, request):
                    reply = await inner_uu(request, context)
                return reply

            return grpc.unary_unary_rpc_method_handler(
                unary_unary,
                request_deserializer=_lenient(handler.request_deserializer),
                response_serializer=handler.response_serializer,
            )
        if handler.unary_stream is not None:
            inner_us = handler.unary_stream

            async def unary_stream(
                request: Any, context: grpc.aio.ServicerContext
            ) -> AsyncIterator[Any]:
                call = _Call(method, context, domain, self.max_request_s)
                async with self._serving(call, request):
                    produced = inner_us(request, context)
                    if hasattr(produced, "__aiter__"):
                        async for item in produced:
                            yield item
                    else:
                        # A handler that writes with context.write() (grpc's own health
                        # Watch does) is a coroutine, not an async generator.
                        await produced

            return grpc.unary_stream_rpc_method_handler(
                unary_stream,
                request_deserializer=_lenient(handler.request_deserializer),
                response_serializer=handler.response_serializer,
            )
        return handler

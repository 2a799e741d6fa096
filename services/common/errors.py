"""Domain exceptions. Domain code raises these; one interceptor maps them to gRPC
status codes with google.rpc.Status details. Nothing here imports grpc."""

from __future__ import annotations

from dataclasses import dataclass, field

# What an error may carry of a request, on the wire and in a log line: a status is sent
# in trailers (a client refuses trailers past 16 KiB, and would see RESOURCE_EXHAUSTED),
# and user text never reaches an INFO log. Messages and descriptions are cut to these
# lengths here, whatever the code that raised them wrote.
MAX_MESSAGE_CHARS = 400
MAX_DESCRIPTION_CHARS = 200
MAX_FIELD_CHARS = 100
MAX_METADATA_CHARS = 64


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters (an ellipsis marks the cut)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown(value: str, limit: int = 16) -> str:
    """A request value as an error may quote it: a short printable value in quotes,
    anything else by its length only (never user text at length)."""
    if len(value) <= limit and value.isprintable():
        return repr(value)
    return f"a {len(value)}-character value"


@dataclass(frozen=True)
class FieldViolation:
    """One bad field of a request: `field` is a path such as "contents[3]"."""

    field: str
    description: str


class ServiceError(Exception):
    """Base of every error a service answers on purpose (not a bug)."""

    code_name = "INTERNAL"
    reason = "INTERNAL"

    def __init__(self, message: str, *, reason: str | None = None, **metadata: str) -> None:
        message = clip(message, MAX_MESSAGE_CHARS)
        super().__init__(message)
        self.message = message
        if reason is not None:
            self.reason = reason
        self.metadata: dict[str, str] = {
            k: clip(str(v), MAX_METADATA_CHARS) for k, v in metadata.items()
        }


class InvalidArgument(ServiceError):
    """The request is malformed: answered INVALID_ARGUMENT with BadRequest details."""

    code_name = "INVALID_ARGUMENT"
    reason = "INVALID_ARGUMENT"

    def __init__(
        self,
        message: str,
        *,
        violations: list[FieldViolation] | None = None,
        reason: str | None = None,
        **metadata: str,
    ) -> None:
        super().__init__(message, reason=reason, **metadata)
        self.violations = [
            FieldViolation(
                clip(v.field, MAX_FIELD_CHARS), clip(v.description, MAX_DESCRIPTION_CHARS)
            )
            for v in violations or []
        ]


class UnsupportedLanguage(InvalidArgument):
    """A language this deployment does not translate (reason UNSUPPORTED_LANGUAGE)."""

    reason = "UNSUPPORTED_LANGUAGE"

    def __init__(self, language: str, field: str, supported: list[str]) -> None:
        message = f"unsupported language {shown(language)}; supported: {', '.join(supported)}"
        super().__init__(
            message,
            violations=[FieldViolation(field, message)],
            language=language if len(language) <= 16 and language.isprintable() else "",
            supported=",".join(supported),
        )
        self.language = language


class NotFound(ServiceError):
    """What the request names does not exist (an archive item id)."""

    code_name = "NOT_FOUND"
    reason = "NOT_FOUND"


class FailedPrecondition(ServiceError):
    """The request is well formed but the system is not in a state to answer it."""

    code_name = "FAILED_PRECONDITION"
    reason = "FAILED_PRECONDITION"


class ResourceExhausted(ServiceError):
    """Overload: answered at once with RetryInfo, instead of a growing queue."""

    code_name = "RESOURCE_EXHAUSTED"
    reason = "OVERLOADED"

    def __init__(self, message: str, *, retry_after_s: float = 1.0, **metadata: str) -> None:
        super().__init__(message, **metadata)
        self.retry_after_s = retry_after_s


class DeadlineExceeded(ServiceError):
    """The caller's deadline passed before the work could be done."""

    code_name = "DEADLINE_EXCEEDED"
    reason = "DEADLINE_EXCEEDED"


class Unavailable(ServiceError):
    """The service cannot answer now (e.g. shutting down); safe to retry elsewhere."""

    code_name = "UNAVAILABLE"
    reason = "UNAVAILABLE"


# Field violations listed in one error's details (more are counted, not listed).
MAX_DETAILS = 20


@dataclass
class Violations:
    """Collects field violations while validating a request, then raises them at once."""

    items: list[FieldViolation] = field(default_factory=list)

    def add(self, field_path: str, description: str) -> None:
        """Record one bad field."""
        self.items.append(FieldViolation(field_path, description))

    def raise_if_any(self, *, reason: str, **metadata: str) -> None:
        """Raise InvalidArgument listing the recorded violations, if there are any, with
        a specific `reason` (never the code's own name: callers branch on reasons). At
        most MAX_DETAILS are listed (the last one saying how many more there are): the
        details travel in trailing metadata, which gRPC caps at 16 KiB."""
        if self.items:
            first = self.items[0]
            more = f" (and {len(self.items) - 1} more)" if len(self.items) > 1 else ""
            listed = list(self.items[:MAX_DETAILS])
            if len(self.items) > MAX_DETAILS:
                rest = len(self.items) - MAX_DETAILS
                listed.append(FieldViolation("", f"{rest} more violation(s) not listed"))
            raise InvalidArgument(
                f"{first.field}: {first.description}{more}",
                violations=listed,
                reason=reason,
                **metadata,
            )


class Unauthenticated(ServiceError):
    """No bearer token, or not an accepted one: answered UNAUTHENTICATED."""

    code_name = "UNAUTHENTICATED"
    reason = "UNAUTHENTICATED"

"""Builds a running archive from its config: the store (migrated), the retention purge
and the gRPC binding. Used by `__main__` and by the tests (which may pass a store)."""

from __future__ import annotations

import threading

from newsdesk.archive.v1 import archive_pb2_grpc
from services.archive.config import ArchiveConfig
from services.archive.servicer import SERVICE_NAME, ArchiveServicer, today
from services.archive.stores import Store, open_store, redact
from services.common.logs import get_logger
from services.common.serving.main import Built
from services.common.serving.server import ServiceBinding

log = get_logger("newsdesk.archive")


class StoreOpenError(RuntimeError):
    """The archive's storage could not be opened (exit 4, with what to check)."""

    hint = (
        "check NEWSDESK_ARCHIVE_URL: the SQLite file's folder must be writable, the "
        "PostgreSQL server reachable with those credentials"
    )


class RetentionPurge:
    """Deletes items older than `days` at start and every `interval_s` seconds, on its own
    thread; stop() ends it."""

    def __init__(self, store: Store, days: int, interval_s: float) -> None:
        self.store, self.days, self.interval_s = store, days, interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="archive-purge", daemon=True)

    def run_once(self) -> int:
        """Purge now; how many items went."""
        removed = self.store.purge(self.days, today())
        if removed:
            log.info("archive.purged", items=removed, retention_days=self.days)
        return removed

    def start(self) -> None:
        """Purge now, then on the interval."""
        self.run_once()
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.wait(self.interval_s):
            try:
                self.run_once()
            except Exception as exc:  # the next round tries again; serving goes on
                log.error("archive.purge_failed", error_type=type(exc).__name__, error=str(exc))

    def stop(self) -> None:
        """End the purge thread."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)


def build(config: ArchiveConfig, store: Store | None = None) -> Built:
    """Open (unless given) and migrate the store, start the retention purge; wire the
    servicer. Nothing is bound yet."""
    if store is None:
        try:
            store = open_store(
                config.url, half_life_days=config.half_life_days, pool_size=config.db_threads
            )
        except Exception as exc:
            raise StoreOpenError(f"{redact(config.url)}: {exc}") from None
    servicer = ArchiveServicer(
        store,
        max_chars=config.max_chars,
        max_batch=config.max_batch,
        max_concurrent_rpcs=config.server.max_concurrent_rpcs,
        retention_days=config.retention_days,
        threads=config.db_threads,
    )
    closers = [servicer.close, store.close]
    try:
        if config.retention_days:
            purge = RetentionPurge(store, config.retention_days, config.purge_interval_s)
            purge.start()
            closers.insert(0, purge.stop)
        count = store.count()
    except Exception as exc:  # nothing is left running when the start fails
        for closer in closers:
            closer()
        raise StoreOpenError(f"{redact(config.url)}: {exc}") from None
    binding = ServiceBinding(
        SERVICE_NAME, servicer, archive_pb2_grpc.add_ArchiveServiceServicer_to_server
    )
    return Built(
        [binding],
        closers,
        {"storage": store.kind, "url": redact(config.url), "items": count},
    )

"""Running the core's flows: the only loop in the package.

The core decides everything (what to send, when to poll, whether a lost request may be
repeated, when to give up); this module only moves bytes and time between it and a
transport. `Flow` runs on the caller's thread and accepts callbacks from other threads;
`AsyncFlow` runs on an asyncio loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from typing import Any, Callable, Generic, Optional, TypeVar

from . import _native
from .errors import TransportError
from .models import HttpRequest, Progress
from .transport import AsyncTransport, Transport

T = TypeVar("T")
ProgressCallback = Callable[[Progress], None]

__all__ = ["AsyncFlow", "Flow", "ProgressCallback"]


def now_ms() -> int:
    """Wall-clock milliseconds: flows are resumed in other processes, so monotonic clocks,
    which are per process, would not do."""
    return time.time_ns() // 1_000_000


class _Base(Generic[T]):
    def __init__(self, native: _native.Flow, read: Callable[[Any], T]) -> None:
        self._native = native
        self._read = read
        self._last_progress: Optional[dict[str, Any]] = None

    @property
    def name(self) -> str:
        """The flow's name, e.g. `btrust.sign`."""
        return self._native.name

    def _report(self, callback: Optional[ProgressCallback], wire: Optional[dict[str, Any]]) -> None:
        """Calls `callback` when the progress (`wire`) differs from the last one reported."""
        if callback is None or wire is None:
            return
        if wire != self._last_progress:
            self._last_progress = wire
            callback(Progress._from_wire(wire))

    def _finish(self, step: dict[str, Any]) -> T:
        if step["step"] == "done":
            return self._read(step["outcome"])
        raise step["error"]


class Flow(_Base[T]):
    """A running flow (blocking). Get one from a client's `start_*` or `resume_*` method.

    `run()` drives it to the end on the calling thread. For web applications that cannot
    block a worker, `run_pending()` does only what is due now and `snapshot()` returns text to
    store and resume from later, in any worker, with the client's `resume_*` method.
    `handle_callback()` may be called from any thread, even while `run()` is waiting.
    """

    def __init__(self, native: _native.Flow, read: Callable[[Any], T], transport: Transport) -> None:
        super().__init__(native, read)
        self._transport = transport
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._woken = False

    @property
    def progress(self) -> Progress:
        """Where the flow is, and what the user must be shown (no personal data)."""
        with self._lock:
            return Progress._from_wire(self._native.progress())

    def snapshot(self) -> str:
        """The flow's whole state as versioned JSON text (store it; contains personal data)."""
        with self._lock:
            return self._native.snapshot()

    def handle_callback(self, body: bytes) -> None:
        """Hands over a callback body the relying party's endpoint received for this flow; a
        waiting `run()` wakes up at once.

        Raises:
            InvalidStateError: the callback belongs to another request.
            ValidationError: the body is not a callback (or names another relying party).
        """
        with self._lock:
            self._native.handle_callback(body, now_ms())
            self._woken = True
            self._wake.notify_all()

    def run(self, *, progress: Optional[ProgressCallback] = None) -> T:
        """Runs the flow to the end and returns its outcome.

        Args:
            progress: called with `Progress` whenever it changes (show `user_action`).

        Raises:
            CqesError: the flow failed (`SigningRejected`, `SigningExpired`, `ApiError`, …).
        """
        result = self._drive(progress, block=True)
        assert result is not None
        return result[0]

    def run_pending(self, *, progress: Optional[ProgressCallback] = None) -> Optional[T]:
        """Does everything that is due now (sends requests, handles answers) and returns the
        outcome if the flow has finished, None if it is waiting (for time or the user)."""
        result = self._drive(progress, block=False)
        return None if result is None else result[0]

    def _drive(self, progress: Optional[ProgressCallback], block: bool) -> Optional[tuple[T]]:
        while True:
            with self._lock:
                step = self._native.next(now_ms())
                wire = self._native.progress() if progress is not None else None
            self._report(progress, wire)
            kind = step["step"]
            if kind == "send":
                self._exchange(step["id"], HttpRequest._from_wire(step["request"]))
            elif kind == "wait":
                if not block:
                    return None
                with self._lock:
                    delay = (step["until_ms"] - now_ms()) / 1000
                    if delay > 0 and not self._woken:
                        self._wake.wait(delay)
                    self._woken = False
            else:
                return (self._finish(step),)

    def _exchange(self, request_id: int, request: HttpRequest) -> None:
        try:
            response = self._transport.send(request)
        except TransportError as e:
            with self._lock:
                self._native.handle_transport_error(request_id, e.kind.value, now_ms())
            return
        with self._lock:
            self._native.handle_response(
                request_id, response.status, response.headers, response.body, now_ms()
            )


class AsyncFlow(_Base[T]):
    """A running flow on an asyncio loop. See `Flow`; `run()` and `run_pending()` are
    coroutines, and `handle_callback()` must be called on the flow's loop."""

    def __init__(self, native: _native.Flow, read: Callable[[Any], T], transport: AsyncTransport) -> None:
        super().__init__(native, read)
        self._transport = transport
        self._wake: Optional[asyncio.Event] = None

    @property
    def progress(self) -> Progress:
        """Where the flow is, and what the user must be shown (no personal data)."""
        return Progress._from_wire(self._native.progress())

    def snapshot(self) -> str:
        """The flow's whole state as versioned JSON text (store it; contains personal data)."""
        return self._native.snapshot()

    def handle_callback(self, body: bytes) -> None:
        """Hands over a callback body for this flow; a waiting `run()` wakes up at once.

        Raises:
            InvalidStateError: the callback belongs to another request.
            ValidationError: the body is not a callback (or names another relying party).
        """
        self._native.handle_callback(body, now_ms())
        if self._wake is not None:
            self._wake.set()

    async def run(self, *, progress: Optional[ProgressCallback] = None) -> T:
        """Runs the flow to the end and returns its outcome (see `Flow.run`)."""
        result = await self._drive(progress, block=True)
        assert result is not None
        return result[0]

    async def run_pending(self, *, progress: Optional[ProgressCallback] = None) -> Optional[T]:
        """Does what is due now; the outcome if finished, else None (see `Flow.run_pending`)."""
        result = await self._drive(progress, block=False)
        return None if result is None else result[0]

    async def _drive(self, progress: Optional[ProgressCallback], block: bool) -> Optional[tuple[T]]:
        if self._wake is None:
            self._wake = asyncio.Event()
        while True:
            step = self._native.next(now_ms())
            self._report(progress, self._native.progress() if progress is not None else None)
            kind = step["step"]
            if kind == "send":
                await self._exchange(step["id"], HttpRequest._from_wire(step["request"]))
            elif kind == "wait":
                if not block:
                    return None
                delay = (step["until_ms"] - now_ms()) / 1000
                if delay > 0 and not self._wake.is_set():
                    with contextlib.suppress(asyncio.TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), delay)
                self._wake.clear()
            else:
                return (self._finish(step),)

    async def _exchange(self, request_id: int, request: HttpRequest) -> None:
        try:
            response = await self._transport.send(request)
        except TransportError as e:
            self._native.handle_transport_error(request_id, e.kind.value, now_ms())
            return
        self._native.handle_response(request_id, response.status, response.headers, response.body, now_ms())

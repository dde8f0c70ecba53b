"""Stopping a run cleanly: SIGTERM (and SIGHUP) raise :class:`Terminated` in
the main thread, as Ctrl-C raises KeyboardInterrupt, so that every ``with`` block on the way out runs: worker
processes are stopped, temporary files removed, and outputs not yet switched
are dropped. A signal that arrives inside :func:`deferred` (while outputs are
being switched) takes effect when the section ends."""
from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

#: Signals that stop a run the way Ctrl-C does.
STOP_SIGNALS = tuple(s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s)


class Terminated(BaseException):
    """The process was asked to stop (SIGTERM, SIGHUP). Like KeyboardInterrupt,
    no ``except Exception`` catches it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name

    @property
    def exit_code(self) -> int:
        """The exit status of a shell's killed command (128 + the signal)."""
        return 128 + self.signum


_state: dict = {"critical": 0, "pending": None}


def _raise(signum: int) -> None:
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    for other in STOP_SIGNALS:  # one stop is enough: a second signal cannot cut the cleanup short
        signal.signal(other, signal.SIG_IGN)
    raise Terminated(signum)


def _handler(signum: int, _frame: FrameType | None) -> None:
    if _state["critical"]:
        _state["pending"] = signum
        return
    _raise(signum)


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise :class:`Terminated`, and
    Ctrl-C KeyboardInterrupt as always, both held back inside :func:`deferred`
    (main thread only; elsewhere the block changes nothing)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, _handler) for s in (*STOP_SIGNALS, signal.SIGINT)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


@contextmanager
def deferred() -> Iterator[None]:
    """A section that a stop signal does not interrupt: it is raised when the
    section ends."""
    _state["critical"] += 1
    try:
        yield
    finally:
        _state["critical"] -= 1
        pending, _state["pending"] = _state["pending"], None
        if pending is not None and not _state["critical"]:
            _raise(pending)
        elif pending is not None:
            _state["pending"] = pending

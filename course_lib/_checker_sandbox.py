"""Running a learner's function so that nothing it does stops the checker from answering.

The function runs in a worker thread while the checker's own thread waits for
it, at most ``time_limit`` seconds. That works the same on Linux, macOS and
Windows, inside or outside the main thread, and touches no signal or timer of
the caller's. What the learner's code may do, and what becomes of it:

- loops for ever, even inside ``except Exception: pass`` or a bare ``except:``:
  the checker stops waiting at the limit, then raises ``_Stop`` (a
  BaseException, which ``except Exception`` cannot swallow) inside the worker
  for up to 0.2 s. A worker that does not end (a ``while True`` around a bare
  ``except:`` can catch every _Stop; a ``time.sleep`` or one long C call does
  not see it) is left running, and the message says so: only a kernel
  restart stops it. Python has no way to kill a thread.
- calls ``sys.exit``: SystemExit ends only the worker, and is reported.
- calls ``os._exit``, ``os.abort``, ``os.kill`` or ``signal.raise_signal``,
  any of which would kill the kernel: they are replaced, during the call, by
  a function that raises ``ExitCalled`` instead.
- calls a function the exercise forbids (``forbidden``): replaced likewise,
  raising ``ForbiddenCall``.
- sets signal handlers: ``signal.signal`` only works in the main thread, so
  it raises ValueError in the worker, and that is reported like any error.

One thing is not contained: a single call into C that holds Python's
interpreter lock (``sum(range(10**10))``, a huge integer power) keeps every
thread waiting until it returns, so the answer comes when it ends; NumPy
releases the lock in its array operations, so they do not delay it.
"""

from __future__ import annotations

import ctypes
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

# Functions that end the whole process; during the learner's call each raises ExitCalled instead.
PROCESS_ENDERS = (("os", "_exit"), ("os", "abort"), ("os", "kill"), ("signal", "raise_signal"))
STOP_ATTEMPTS_SECONDS = 0.2  # how long to keep stopping a worker that ran past the limit
WORKER_STACK_BYTES = 64 * 2**20  # macOS gives new threads 512 KiB; a learner's recursion deserves the usual room


class _Stop(BaseException):
    """Raised inside a worker that ran past the limit (BaseException, so `except Exception` cannot swallow it)."""


class ExitCalled(BaseException):
    """Raised in place of a call that would end the process (os._exit, os.abort, ...)."""


class ForbiddenCall(BaseException):
    """Raised in place of a function the exercise asks the learner not to use."""


@dataclass
class Outcome:
    """What one call of the learner's function did.

    kind : "returned", "raised", "exit" (sys.exit or a process-ending call),
        "forbidden" or "timed out"; value : the returned value; error : the
        exception raised; seconds : how long the checker waited;
        still_running : True if a timed-out worker could not be stopped.
    """

    kind: str = "timed out"
    value: object = None
    error: BaseException | None = None
    seconds: float = 0.0
    still_running: bool = False
    done: bool = False  # set by the worker the moment the learner's function has returned or raised


def _replacement(kind: type[BaseException], name: str):
    def refuse(*args, **kwargs):
        raise kind(name)

    return refuse


@contextmanager
def _replaced(targets, kind: type[BaseException]):
    """Replace each (module name, function name) in targets by one that raises ``kind``; restore them after."""
    saved = []
    try:
        for module_name, function_name in targets:
            module = sys.modules.get(module_name)  # a module nobody imported cannot be called: leave it be
            if module is not None and hasattr(module, function_name):
                saved.append((module, function_name, getattr(module, function_name)))
                setattr(module, function_name, _replacement(kind, f"{module_name}.{function_name}"))
        yield
    finally:
        for module, function_name, original in saved:
            setattr(module, function_name, original)


def _call(function, args, outcome: Outcome, errstate: dict) -> None:
    """Record what ``function(*args)`` did in ``outcome``, whatever it did."""
    try:
        try:
            with np.errstate(**errstate):  # errstate belongs to each thread: set it in the worker
                value = function(*args)
        finally:
            outcome.done = True  # from here on, _stop sends no more _Stop
        outcome.value, outcome.kind = value, "returned"
    except _Stop:
        outcome.kind = "timed out"
    except (SystemExit, ExitCalled) as error:
        outcome.kind, outcome.error = "exit", error
    except ForbiddenCall as error:
        outcome.kind, outcome.error = "forbidden", error
    except BaseException as error:  # noqa: BLE001 - any learner error becomes a message, never a traceback
        outcome.kind, outcome.error = "raised", error


def _worker_body(function, args, outcome: Outcome, errstate: dict) -> None:
    """_call, and a second net: a _Stop sent just before ``done`` was set may land in _call's own handlers."""
    try:
        try:
            _call(function, args, outcome, errstate)
        except _Stop:
            pass
    except _Stop:
        pass


def _start_worker(target) -> threading.Thread:
    worker = threading.Thread(target=target, name="course_lib check", daemon=True)
    try:
        previous = threading.stack_size(WORKER_STACK_BYTES)
    except (ValueError, RuntimeError):  # a platform that cannot change it keeps its default
        worker.start()
        return worker
    try:
        worker.start()
    finally:
        threading.stack_size(previous)
    return worker


def _stop(worker: threading.Thread, outcome: Outcome) -> bool:
    """Raise _Stop inside ``worker`` until it ends or STOP_ATTEMPTS_SECONDS pass; True if it ended.

    _Stop is raised where the worker next lets go of the interpreter lock. A
    short switch interval makes it let go at every point it may, not only
    after its longest call: a bare ``except:`` around that call would catch
    every _Stop, while one raised at the loop's jump back escapes.
    """
    give_up, interval = time.perf_counter() + STOP_ATTEMPTS_SECONDS, sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        while worker.is_alive() and not outcome.done and time.perf_counter() < give_up:
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(worker.ident), ctypes.py_object(_Stop))
            worker.join(0.001)
    finally:
        sys.setswitchinterval(interval)
    if worker.is_alive() and not outcome.done:  # leave no stop pending: it would fire much later, anywhere
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(worker.ident), None)
    return outcome.done


def run_limited(function, args: tuple, time_limit: float, errstate: dict, forbidden=()) -> Outcome:
    """Call ``function(*args)`` in a worker thread under ``errstate``; wait at most ``time_limit`` seconds.

    forbidden : (module name, function name) pairs that raise ForbiddenCall during the call.
    Returns an Outcome; never raises what the function raised.
    """
    outcome = Outcome()
    start = time.perf_counter()
    with _replaced(PROCESS_ENDERS, ExitCalled), _replaced(forbidden, ForbiddenCall):
        worker = _start_worker(lambda: _worker_body(function, args, outcome, errstate))
        try:
            worker.join(max(time_limit, 0.0))
        finally:  # also when the learner presses Interrupt while the checker waits
            timed_out = worker.is_alive()
            still_running = timed_out and not _stop(worker, outcome)
    seconds = time.perf_counter() - start
    if timed_out:  # a fresh Outcome: a worker left running must not write into the one we answer from
        return Outcome("timed out", seconds=seconds, still_running=still_running)
    outcome.seconds = seconds
    return outcome


def exit_description(error: BaseException) -> str:
    """'sys.exit(3)' or 'os._exit', for the message about a call that would end the kernel."""
    if isinstance(error, SystemExit):
        return f"sys.exit({error.code!r})" if error.code is not None else "sys.exit()"
    return str(error)


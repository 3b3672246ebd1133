"""check() answers every generated learner function within its limit, with a message (issue 9).

Hypothesis writes the learner functions: right (the reference, or the reference
under another name), wrong (every number of the right answer moved), raising
any exception (SystemExit and KeyboardInterrupt included), slow (sleeping or
looping past the limit, inside `except Exception` or a bare `except:`), or
returning an odd type. Whatever it writes, check must return a CheckResult in
time, pass exactly the right ones, and never let an exception out.
"""

from __future__ import annotations

import time

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course_lib.exercises import EXERCISES, CheckResult, check

LIMIT = 0.15
ANSWER_WITHIN = LIMIT + 0.75  # the limit, up to 0.2 s to stop the worker, and slack for a loaded machine


def moved(value, by):
    """The same structure as ``value`` with every number changed by ``by``."""
    if value is None:
        return by
    if isinstance(value, np.ndarray):
        return value + by
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return type(value)(*(moved(item, by) for item in value))
    if isinstance(value, (tuple, list)):
        return type(value)(moved(item, by) for item in value)
    return value + by


class Hostile:
    """A returned object whose every method fails."""

    def __getattr__(self, name):
        raise RuntimeError("no attributes here")

    def __len__(self):
        raise RuntimeError("no length")

    def __eq__(self, other):
        raise RuntimeError("no comparison")

    def __float__(self):
        raise RuntimeError("no float")

    __hash__ = None


ODD_RESULTS = {
    "a hostile object": lambda right: Hostile(),
    "hostile items": lambda right: (Hostile(), Hostile()),
    "a list of hostile items": lambda right: [Hostile()] * 3,
    "None": lambda right: None,
    "text": lambda right: "0.5",
    "a dict": lambda right: {"W": 1},
    "a set": lambda right: {1, 2},
    "a generator": lambda right: (x for x in range(3)),
    "a function": lambda right: len,
    "complex": lambda right: np.zeros((3, 5), dtype=complex),
    "objects": lambda right: np.array([object(), object()]),
    "all masked": lambda right: np.ma.masked_array(np.zeros((3, 5)), mask=True),
    "nan": lambda right: np.full((3, 5), np.nan),
    "inf": lambda right: np.inf,
    "a matrix": lambda right: np.asmatrix(np.ones((2, 2))),
    "nested lists": lambda right: [[1.0, 2.0], [3.0]],
    "a huge int": lambda right: 10**400,
    "bytes": lambda right: b"\x00",
}

RAISED = [ValueError, KeyError, ZeroDivisionError, MemoryError, RecursionError, SystemExit, KeyboardInterrupt,
          GeneratorExit, StopIteration, AssertionError, FloatingPointError, NotImplementedError, OverflowError]


def sleeping(*args):
    time.sleep(LIMIT * 3)


def swallowing(*args):
    end = time.perf_counter() + LIMIT * 6
    while time.perf_counter() < end:
        try:
            sum(range(500))
        except Exception:  # noqa: BLE001, S110 - what a learner writes
            pass


def bare(*args):
    end = time.perf_counter() + LIMIT * 6
    while time.perf_counter() < end:
        try:
            sum(range(500))
        except:  # noqa: E722 - what a learner writes
            pass


@st.composite
def learner_functions(draw):
    """(exercise name, learner function, whether it is right)."""
    name = draw(st.sampled_from(sorted(EXERCISES)))
    reference = EXERCISES[name].reference
    kind = draw(st.sampled_from(["right", "wrong", "raises", "slow", "odd"]))
    if kind == "right":
        return name, (lambda *args: reference(*args)), True
    if kind == "wrong":
        by = draw(st.sampled_from([0.5, -3.0, 1e-3]))
        return name, (lambda *args: moved(reference(*args), by)), False
    if kind == "raises":
        error = draw(st.sampled_from(RAISED))

        def raising(*args):
            raise error("generated")

        return name, raising, False
    if kind == "slow":
        return name, draw(st.sampled_from([sleeping, swallowing, bare])), False
    return name, ODD_RESULTS[draw(st.sampled_from(sorted(ODD_RESULTS)))], False


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(learner=learner_functions())
def test_check_always_answers_in_time_with_a_message(learner):
    name, function, right = learner
    start = time.perf_counter()
    result = check(function, name, time_limit=LIMIT)
    seconds = time.perf_counter() - start
    assert isinstance(result, CheckResult)
    assert seconds < ANSWER_WITHIN, f"{name}: answered after {seconds:.2f} s: {result!r}"
    assert isinstance(result.message, str) and len(result.message) > 10
    assert result.passed == right, repr(result)
    assert "Traceback" not in result.message

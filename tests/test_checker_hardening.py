"""Nothing a learner's function does stops check() from answering, crashes it, or fools it (issue 9).

Each test of an item of issue 9 failed on the checker before the worker-thread
sandbox (run against course_lib/exercises.py of commit f5cd49c): the loops
below end by themselves after a few seconds, so that the old checker answered
late (a failure) instead of hanging the test run. The others (the SIGALRM
handler put back, deep recursion, a hostile object, a slow wrong cost) guard
the new mechanism itself.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import threading
import time

import numpy as np
import pytest

from course_lib import exercises
from course_lib.exercises import EXERCISES, check

LIMIT = 0.3  # the time limit these tests give check
ANSWER_WITHIN = LIMIT + 0.7  # the limit, the time to stop the worker, and slack for a loaded machine
LOOP_SECONDS = 3.0  # how long the learner's loops below run before they give up by themselves


def timed_check(function, name="linear_forward", **kwargs):
    start = time.perf_counter()
    result = check(function, name, time_limit=LIMIT, **kwargs)
    return result, time.perf_counter() - start


def loop_swallowing_exceptions(A_prev, W, b):
    end = time.perf_counter() + LOOP_SECONDS
    while time.perf_counter() < end:
        try:
            sum(range(1000))
        except Exception:  # noqa: BLE001, S110 - what a learner writes
            pass
    return W @ A_prev + b


def loop_with_bare_except(A_prev, W, b):
    end = time.perf_counter() + LOOP_SECONDS
    while time.perf_counter() < end:
        try:
            sum(range(1000))
        except:  # noqa: E722 - what a learner writes
            pass
    return W @ A_prev + b


def loop_ignoring_the_alarm(A_prev, W, b):
    try:
        signal.signal(signal.SIGALRM, signal.SIG_IGN)
    except (ValueError, AttributeError):  # not in the main thread, or Windows
        pass
    return loop_swallowing_exceptions(A_prev, W, b)


def checker_threads():
    return {thread for thread in threading.enumerate() if thread.name == "course_lib check"}


def no_checker_threads_left(before=frozenset()):
    """True once every checker thread started since ``before`` was taken has ended (waiting up to 1 s)."""
    deadline = time.perf_counter() + 1.0
    while checker_threads() - before and time.perf_counter() < deadline:
        time.sleep(0.01)
    return not checker_threads() - before


@pytest.mark.parametrize("function", [loop_swallowing_exceptions, loop_with_bare_except, loop_ignoring_the_alarm])
def test_a_loop_that_swallows_the_time_limit_still_gets_an_answer_in_time(function):
    before = checker_threads()
    result, seconds = timed_check(function)
    assert seconds < ANSWER_WITHIN, f"answered after {seconds:.2f} s"
    assert not result.passed and "still running after 0.3 seconds" in result.message
    # A bare except can catch every attempt to stop the loop; then the message must say it still runs.
    if function is loop_with_bare_except and "still running in the background" in result.message:
        return
    assert no_checker_threads_left(before), "the stopped function's thread is still running"


def test_a_loop_around_a_bare_except_answers_in_time_and_says_if_it_still_runs():
    finished = threading.Event()

    def relu(Z):
        while not finished.is_set():  # a learner's `while True`, which the test ends when it is done
            try:
                sum(range(1000))
            except:  # noqa: E722 - what a learner writes
                pass

    before = checker_threads()
    try:
        result, seconds = timed_check(relu, "relu")
        assert seconds < ANSWER_WITHIN and "still running after" in result.message
        assert "restart the kernel" in result.message or no_checker_threads_left(before)
    finally:
        finished.set()


def test_the_learner_cannot_ignore_sigalrm_for_the_caller():
    before = signal.getsignal(signal.SIGALRM) if hasattr(signal, "SIGALRM") else None
    timed_check(loop_ignoring_the_alarm)
    if hasattr(signal, "SIGALRM"):
        assert signal.getsignal(signal.SIGALRM) == before


def test_the_limit_holds_outside_the_main_thread():
    answers = []
    helper = threading.Thread(target=lambda: answers.append(timed_check(loop_swallowing_exceptions)), daemon=True)
    helper.start()
    helper.join(LOOP_SECONDS + 2)
    assert answers, "check never answered in a thread"
    result, seconds = answers[0]
    assert seconds < ANSWER_WITHIN and "still running" in result.message


def test_the_limit_holds_without_setitimer(monkeypatch):
    """Windows has no signal.setitimer."""
    monkeypatch.delattr(signal, "setitimer", raising=False)
    result, seconds = timed_check(loop_swallowing_exceptions)
    assert seconds < ANSWER_WITHIN and "still running" in result.message


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="a Unix interval timer")
def test_check_leaves_the_callers_timer_running():
    def handler(signum, frame):
        pass

    previous = signal.signal(signal.SIGALRM, handler)
    try:
        signal.setitimer(signal.ITIMER_REAL, 30.0)
        assert check(EXERCISES["relu"].reference, "relu").passed
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 25.0 < remaining <= 30.0, f"the caller's timer was changed: {remaining} s left"
        assert signal.getsignal(signal.SIGALRM) is handler
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def calibrated_matrix_product_seconds(target=1.5):
    """A square size n whose n x n matrix product takes about ``target`` seconds here (one NumPy call)."""
    n = 400
    while True:
        a = np.ones((n, n))
        start = time.perf_counter()
        a @ a
        seconds = time.perf_counter() - start
        if seconds > target / 8 or n > 12000:
            return int(n * (target / max(seconds, 1e-9)) ** (1 / 3)) + 1
        n *= 2


def test_one_long_numpy_call_does_not_delay_the_answer():
    n = calibrated_matrix_product_seconds()

    def linear_forward(A_prev, W, b):
        big = np.ones((n, n))
        big @ big  # one C call of about 1.5 s that releases the interpreter lock
        return W @ A_prev + b

    result, seconds = timed_check(linear_forward)
    assert "still running" in result.message
    assert seconds < ANSWER_WITHIN + 0.3, f"answered after {seconds:.2f} s"


def test_an_all_masked_result_is_a_message_not_an_index_error():
    result = check(lambda Z: np.ma.masked_array(np.zeros_like(Z), mask=True), "sigmoid")
    assert not result.passed and "masked array with 15 hidden entries" in result.message


def test_a_mask_cannot_hide_wrong_entries():
    def relu(Z):
        right = np.maximum(Z, 0)
        wrong = right.copy()
        wrong[0] = -7.0
        return np.ma.masked_array(wrong, mask=wrong != right)

    result = check(relu, "relu")
    assert not result.passed and "masked" in result.message


class AlwaysClose(np.ndarray):
    """An ndarray whose every ufunc answers True: np.isclose on it is True whatever it holds."""

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return np.True_


def test_an_ndarray_subclass_is_compared_by_its_numbers():
    result = check(lambda Z: np.zeros_like(Z).view(AlwaysClose), "sigmoid")
    assert not result.passed and "entry [0, 1] of the result is 0 but should be 1" in result.message


def test_a_cost_returned_as_text_is_refused():
    result = check(lambda A, Y: str(exercises.cross_entropy_naive(A, Y)), "cross_entropy_naive")
    assert not result.passed and "the text" in result.message and "not a str" in result.message


def test_sys_exit_is_named_in_the_message():
    def sigmoid(Z):
        sys.exit(3)

    result = check(sigmoid, "sigmoid")
    assert not result.passed and "sys.exit(3)" in result.message


def test_keyboard_interrupt_raised_by_the_learner_is_described():
    def sigmoid(Z):
        raise KeyboardInterrupt

    result = check(sigmoid, "sigmoid")
    assert not result.passed and "KeyboardInterrupt" in result.message


@pytest.mark.parametrize("call", ["os._exit(0)", "os.abort()", "os.kill(os.getpid(), signal.SIGTERM)"])
def test_a_call_that_would_kill_the_kernel_is_contained_and_named(call):
    """In a fresh interpreter, so that a checker that lets the call through kills only that one."""
    program = textwrap.dedent(f"""
        import os, signal
        from course_lib.exercises import check
        def sigmoid(Z):
            {call}
        print(repr(check(sigmoid, "sigmoid")))
        print("still alive")
    """)
    run = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60)
    assert "still alive" in run.stdout, run.stdout + run.stderr
    assert call.split("(")[0] in run.stdout and "✗ sigmoid" in run.stdout


def test_the_process_enders_are_restored_after_the_check():
    import os

    exit_before = os._exit
    check(lambda Z: os._exit(0), "sigmoid")
    assert os._exit is exit_before


def test_a_learner_that_sleeps_past_the_limit_is_left_behind_and_said_so():
    result, seconds = timed_check(lambda A_prev, W, b: time.sleep(1.5))
    assert seconds < ANSWER_WITHIN
    assert "still running in the background" in result.message


def test_deep_recursion_in_the_worker_is_an_error_message_not_a_crash():
    def relu(Z, depth=0):
        return relu(Z, depth + 1)

    result = check(relu, "relu")
    assert not result.passed and "RecursionError" in result.message


class Hostile:
    """An object whose comparison fails."""

    def __eq__(self, other):
        raise RuntimeError("no comparison")

    __hash__ = None


def test_a_hostile_object_stored_into_an_input_is_a_message_not_a_crash():
    def initialize(layer_dims, rng):
        layer_dims[0] = Hostile()
        return []

    result = check(initialize, "init_params")
    assert not result.passed and "could not compare (RuntimeError: no comparison)" in result.message


def test_a_slow_wrong_cost_still_answers_in_time():
    """After a wrong answer the checker calls the function once per example; the limit covers those calls too."""

    def cross_entropy(A, Y):
        time.sleep(0.05)
        return 0.5

    start = time.perf_counter()
    result = check(cross_entropy, "cross_entropy_naive", time_limit=0.12)
    assert time.perf_counter() - start < 0.12 + 0.5
    assert not result.passed and "0.5 but should be" in result.message

"""Checks for the notebooks' "your turn" exercises, and a way to show library code.

``check(learner_function, name)`` runs the learner's function and the
reference from course_lib on the same generated inputs and returns a
``CheckResult`` whose text says what is right or, for the first problem found,
what is wrong: not written yet, raised an error, returned nothing or the wrong
type, wrong shape, the first entry that differs, or an input changed in place.
Nothing here prints; the notebook displays the returned result.
"""

from __future__ import annotations

import copy
import inspect
import signal
import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from . import _checker_inputs as inputs
from .activations import relu, relu_derivative, sigmoid, sigmoid_derivative, tanh_derivative
from .init import init_params
from .layers import linear_backward, linear_forward
from .losses import cross_entropy_logits, cross_entropy_naive
from .model import model_forward
from .optim import gradient_descent_step, momentum_step
from .train import first_rise

RTOL, ATOL = 1e-7, 1e-10
TIME_LIMIT = 5.0  # seconds per call of the learner's function; the references take microseconds


class _TookTooLong(Exception):
    """Raised inside the learner's function when it runs past the time limit."""


@contextmanager
def _time_limit(seconds: float):
    """Interrupt the code inside after ``seconds`` (Unix main thread only; elsewhere no limit).

    A learner's function that never returns (a `while` loop whose condition
    never changes, say) would otherwise hang the notebook with no message.
    """
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def interrupt(signum, frame):
        raise _TookTooLong

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass(frozen=True)
class CheckResult:
    """Outcome of ``check``: ``passed`` and a ``message`` written for the learner."""

    name: str
    passed: bool
    message: str

    def __repr__(self) -> str:
        mark = "✓" if self.passed else "✗"
        return f"{mark} {self.name}: {self.message}"

    def __bool__(self) -> bool:
        return self.passed


@dataclass(frozen=True)
class Exercise:
    """A reference function, the names of its arguments, and how to make test inputs.

    make_inputs(seed) returns a fresh tuple of arguments each call (so the
    learner's function and the reference never share, or consume, the same rng).
    """

    reference: Callable
    argument_names: tuple[str, ...]
    make_inputs: Callable[[int], tuple]
    result_names: tuple[str, ...] = ()


EXERCISES: dict[str, Exercise] = {
    "init_params": Exercise(
        lambda layer_dims, rng: init_params(layer_dims, rng, "small"),
        ("layer_dims", "rng"),
        lambda seed: ([4, 3, 2, 1], np.random.RandomState(seed)),
    ),
    "sigmoid": Exercise(sigmoid, ("Z",), inputs.z_inputs),
    "relu": Exercise(relu, ("Z",), inputs.z_inputs),
    "relu_derivative": Exercise(relu_derivative, ("Z",), inputs.z_inputs),
    "sigmoid_derivative": Exercise(sigmoid_derivative, ("Z",), inputs.moderate_z_inputs),
    "tanh_derivative": Exercise(tanh_derivative, ("Z",), inputs.moderate_z_inputs),
    "linear_forward": Exercise(linear_forward, ("A_prev", "W", "b"), inputs.layer_inputs),
    "model_forward": Exercise(model_forward, ("X", "params"), inputs.model_forward_inputs, ("A_L", "caches")),
    "cross_entropy_naive": Exercise(cross_entropy_naive, ("A", "Y"), inputs.probabilities_and_labels),
    "cross_entropy_logits": Exercise(cross_entropy_logits, ("Z", "Y"), inputs.logits_and_labels),
    "linear_backward": Exercise(
        linear_backward, ("dZ", "A_prev", "W"), inputs.linear_backward_inputs, ("dA_prev", "dW", "db")
    ),
    "model_backward": Exercise(inputs.lecture_model_backward, ("A_L", "Y", "caches"), inputs.model_backward_inputs),
    "gradient_descent_step": Exercise(
        gradient_descent_step, ("params", "grads", "learning_rate"), inputs.step_inputs
    ),
    "train": Exercise(
        inputs.train_reference,
        ("X", "Y", "params", "learning_rate", "num_iterations"),
        inputs.train_inputs,
        ("params", "costs"),
    ),
    "first_rise": Exercise(first_rise, ("costs",), inputs.cost_curves),
    "largest_stable_learning_rate": Exercise(
        inputs.largest_stable_learning_rate, ("H",), inputs.stable_rate_inputs
    ),
    "standardize": Exercise(
        inputs.standardize, ("X_train", "X_test"), inputs.standardize_inputs, ("X_train_scaled", "X_test_scaled")
    ),
    "momentum_step": Exercise(
        momentum_step,
        ("params", "grads", "velocity", "learning_rate", "beta"),
        inputs.momentum_inputs,
        ("new_params", "new_velocity"),
    ),
}
# Notebook 07's exercise computes 2 / lambda_max by power iteration; either name checks it.
EXERCISES["power_iteration"] = EXERCISES["largest_stable_learning_rate"]

SEEDS = (0, 1, 2, 3)


def _describe(args, names) -> str:
    parts = []
    for name, value in zip(names, args):
        if isinstance(value, np.ndarray):
            parts.append(f"{name} of shape {value.shape}")
        elif isinstance(value, list) and value and isinstance(value[0], tuple):
            parts.append(f"{name} with {len(value)} layers")
        elif isinstance(value, (np.random.RandomState, np.random.Generator)):
            parts.append(f"{name} a random generator")
        else:
            parts.append(f"{name} = {value!r}")
    return ", ".join(parts)


def _compare(got, expected, where: str, item_names=()) -> str | None:
    """Return None if ``got`` matches ``expected``, else a sentence saying the first difference.

    item_names name the items of a returned tuple (for example dA_prev, dW, db).
    """
    if expected is None:
        return None if got is None else f"{where} is {got!r} but should be None."
    if isinstance(expected, (int, np.integer)) and got is None:
        return f"{where} is None but should be {expected}."
    if isinstance(expected, (tuple, list)):
        if got is None:
            return f"{where} is None; did you forget a `return`?"
        if not isinstance(got, (tuple, list)):
            wanted = (
                "a (W, b) pair"
                if hasattr(expected, "_fields")
                else f"a {type(expected).__name__} of {len(expected)} items"
            )
            if item_names:
                wanted = f"a tuple ({', '.join(item_names)})"
            return f"{where} should be {wanted} but is a {type(got).__name__}."
        if len(got) != len(expected):
            return f"{where} has {len(got)} items but should have {len(expected)}."
        for index, (g, e) in enumerate(zip(got, expected)):
            fields = item_names or getattr(expected, "_fields", None)
            label = (fields[index] if item_names else f"{where}.{fields[index]}") if fields else f"{where}[{index}]"
            problem = _compare(g, e, label)
            if problem:
                return problem
        return None
    if isinstance(expected, np.ndarray):
        if got is None:
            return f"{where} is None; did you forget a `return`?"
        if isinstance(got, (list, tuple)) and expected.ndim == 1:
            got = np.asarray(got)  # a list of costs is fine
        if not isinstance(got, np.ndarray):
            return f"{where} should be a NumPy array of shape {expected.shape} but is a {type(got).__name__}."
        if got.shape != expected.shape:
            hint = " (transposed?)" if got.shape == expected.shape[::-1] else ""
            return f"{where} has shape {got.shape}{hint} but should have shape {expected.shape}."
        if not np.issubdtype(got.dtype, np.number) and got.dtype != bool:
            return f"{where} holds {got.dtype} values; it should hold numbers."
        with np.errstate(invalid="ignore"):
            close = np.isclose(got, expected, rtol=RTOL, atol=ATOL, equal_nan=False)
        if not close.all():
            index = tuple(int(i) for i in np.argwhere(~close)[0])
            entry = ", ".join(map(str, index))
            return f"entry [{entry}] of {where} is {float(got[index]):.6g} but should be {float(expected[index]):.6g}."
        return None
    # a scalar such as a cost
    if got is None:
        return f"{where} is None; did you forget a `return`?"
    try:
        value = float(np.asarray(got).item())
    except (TypeError, ValueError):
        return f"{where} should be a single number but is {type(got).__name__} {np.shape(got)}."
    if not np.isclose(value, float(expected), rtol=RTOL, atol=ATOL):
        return f"{where} is {value:.10g} but should be {float(expected):.10g}."
    return None


def _same(old, new) -> bool:
    """True if ``new`` still equals the copy ``old`` taken before the call (arrays, nested lists)."""
    if isinstance(old, np.ndarray):
        return isinstance(new, np.ndarray) and old.shape == new.shape and np.array_equal(old, new, equal_nan=True)
    if isinstance(old, (list, tuple)):
        return isinstance(new, (list, tuple)) and len(old) == len(new) and all(map(_same, old, new))
    if isinstance(old, (np.random.RandomState, np.random.Generator)):
        return True  # drawing from a generator is the point, not a mutation
    return old == new


def _changed_input(before, after, names) -> str | None:
    for name, old, new in zip(names, before, after):
        if not _same(old, new):
            return name
    return None


def check(learner_function, name: str) -> CheckResult:
    """Check a learner's version of the course_lib function called ``name``.

    Returns a CheckResult (displayed in a notebook as one line). Any exception
    raised by the learner's function is caught and described, never re-raised.
    """
    if name not in EXERCISES:
        raise ValueError(f"there is no exercise called {name!r}; choose one of {', '.join(sorted(EXERCISES))}.")
    if not callable(learner_function):
        return CheckResult(name, False, f"expected a function, got {type(learner_function).__name__}.")
    exercise = EXERCISES[name]
    for seed in SEEDS:
        args = exercise.make_inputs(seed)
        before = copy.deepcopy(args)
        inputs = _describe(args, exercise.argument_names)
        try:
            # Overflow and 0/0 become messages; underflow to 0 is harmless and allowed.
            with _time_limit(TIME_LIMIT), np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
                got = learner_function(*args)
        except _TookTooLong:
            return CheckResult(
                name,
                False,
                f"your function was still running after {TIME_LIMIT:g} seconds (called with {inputs}); "
                "look for a loop that never ends, or a loop over every example where one array operation would do.",
            )
        except NotImplementedError:
            return CheckResult(
                name, False, "not written yet: replace the `raise NotImplementedError` line with your code."
            )
        except FloatingPointError as error:
            return CheckResult(
                name,
                False,
                f"NumPy reported '{error}' (called with {inputs}); some intermediate value overflows "
                "or divides by zero for large inputs: can you rearrange the formula so it cannot?",
            )
        except Exception as error:  # noqa: BLE001 - any learner error becomes a message, not a traceback
            return CheckResult(
                name, False, f"your function raised {type(error).__name__}: {error} (called with {inputs})."
            )
        changed = _changed_input(before, args, exercise.argument_names)
        if changed:
            return CheckResult(
                name,
                False,
                f"your function changed its input `{changed}` in place; build a new array instead "
                f"(write `x = x - ...`, not `x -= ...`).",
            )
        expected = exercise.reference(*exercise.make_inputs(seed))
        problem = _compare(got, expected, "the result", exercise.result_names)
        if problem:
            return CheckResult(name, False, f"{problem} (called with {inputs})")
    return CheckResult(name, True, f"correct on all {len(SEEDS)} test cases.")


class SourceCode:
    """Source code that a notebook displays as highlighted Python (text/markdown)."""

    def __init__(self, source: str):
        self.source = source

    def __repr__(self) -> str:
        return self.source

    def _repr_markdown_(self) -> str:
        return f"```python\n{self.source}```"


def show_source(obj) -> SourceCode:
    """The source of a course_lib function or class, for display in a notebook."""
    return SourceCode(inspect.getsource(obj))

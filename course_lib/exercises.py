"""Checks for the notebooks' "your turn" exercises, and a way to show library code.

``check(learner_function, name)`` runs the learner's function and the
reference from course_lib on the same generated inputs and returns a
``CheckResult`` whose text says what is right or, for the first problem found,
what is wrong: not written yet, raised an error, did not return in time,
returned nothing or the wrong type, wrong shape, an input changed in place,
or the first entry that differs, with the likely cause when it is a common
one (divided by m or not, items in the wrong order, a known wrong formula).
Nothing here prints; the notebook displays the returned result.

The learner's function runs in a worker thread (``_checker_sandbox``), so
that nothing it does can keep ``check`` from answering within ``TIME_LIMIT``;
results are compared as plain float64 arrays (``_checker_compare``); the
hints live in ``_checker_hints`` and ``_checker_mistakes``, the inputs and
references of the newer exercises in ``_checker_inputs``.
"""

from __future__ import annotations

import copy
import inspect
import sys
import time
import types
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import _checker_inputs as inputs
from . import _checker_mistakes as mistakes
from ._checker_compare import RTOL, Tolerance, compare, kind_of, plural
from ._checker_hints import (
    Case,
    Mistake,
    global_rng_state,
    mistake_hint,
    per_example_hint,
    reversed_layers_hint,
    rng_hint,
    wrong_order_hint,
)
from ._checker_sandbox import Outcome, exit_description, run_limited
from .activations import relu, relu_derivative, sigmoid, sigmoid_derivative, tanh_derivative
from .init import init_params
from .layers import linear_backward, linear_forward
from .losses import cross_entropy_logits, cross_entropy_naive
from .model import model_forward
from .optim import gradient_descent_step, momentum_step
from .train import first_rise

TIME_LIMIT = 5.0  # seconds for all the test cases of one check together; the references take milliseconds
SEEDS = (0, 1, 2, 3)
# Overflow and 0/0 become messages; underflow to 0 is harmless and allowed.
ERRSTATE = {"over": "raise", "divide": "raise", "invalid": "raise", "under": "ignore"}
EIGENVALUE_FUNCTIONS = tuple(("numpy.linalg", name) for name in ("eig", "eigh", "eigvals", "eigvalsh")) + tuple(
    ("scipy.linalg", name) for name in ("eig", "eigh", "eigvals", "eigvalsh")
)


@dataclass(frozen=True)
class CheckResult:
    """Outcome of ``check``: ``passed`` and a ``message`` written for the learner, about their function ``name``."""

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
    """A reference function, the names of its arguments, how to make test inputs, and how to explain a mismatch.

    make_inputs(seed) returns a fresh tuple of arguments each call (so the
    learner's function and the reference never share, or consume, the same rng).
    result_names : names of the items of a returned tuple; result_label : what
    the messages call the whole result; mistakes : common wrong versions
    (see _checker_mistakes); hints : more functions (Case -> sentence or None);
    examples_in : the argument whose columns are the m examples (for "did you
    divide by m?"); per_example : a cost whose examples' terms can be checked
    one by one; forbidden : (module, function) pairs the learner must not call,
    and forbidden_message what to do instead; error_hint : a sentence added when
    the learner's function raises (the exercise's usual cause of an error).
    """

    reference: Callable
    argument_names: tuple[str, ...]
    make_inputs: Callable[[int], tuple]
    result_names: tuple[str, ...] = ()
    result_label: str = "the result"
    mistakes: tuple[Mistake, ...] = ()
    hints: tuple[Callable, ...] = ()
    examples_in: str | None = None
    per_example: bool = False
    forbidden: tuple[tuple[str, str], ...] = ()
    forbidden_message: str = ""
    error_hint: str = ""
    rtol: float = RTOL
    seeds: tuple[int, ...] = SEEDS


EXERCISES: dict[str, Exercise] = {
    "init_params": Exercise(
        lambda layer_dims, rng: init_params(layer_dims, rng, "small"),
        ("layer_dims", "rng"),
        lambda seed: ([4, 3, 2, 1], np.random.RandomState(seed)),
        result_label="params",
        mistakes=mistakes.INIT_PARAMS,
    ),
    "sigmoid": Exercise(sigmoid, ("Z",), inputs.z_inputs),
    "relu": Exercise(relu, ("Z",), inputs.z_inputs),
    "relu_derivative": Exercise(relu_derivative, ("Z",), inputs.moderate_z_inputs, mistakes=mistakes.RELU_DERIVATIVE),
    "sigmoid_derivative": Exercise(
        sigmoid_derivative, ("Z",), inputs.moderate_z_inputs, mistakes=mistakes.SIGMOID_DERIVATIVE
    ),
    "tanh_derivative": Exercise(tanh_derivative, ("Z",), inputs.moderate_z_inputs, mistakes=mistakes.TANH_DERIVATIVE),
    "linear_forward": Exercise(
        linear_forward, ("A_prev", "W", "b"), inputs.layer_inputs, mistakes=mistakes.LINEAR_FORWARD
    ),
    "model_forward": Exercise(
        model_forward, ("X", "params"), inputs.model_forward_inputs, ("A_L", "caches"), mistakes=mistakes.MODEL_FORWARD
    ),
    "cross_entropy_naive": Exercise(
        cross_entropy_naive, ("A", "Y"), inputs.probabilities_and_labels, result_label="the cost", examples_in="Y",
        per_example=True,
    ),
    "cross_entropy_logits": Exercise(
        cross_entropy_logits, ("Z", "Y"), inputs.logits_and_labels, result_label="the cost", examples_in="Y",
        per_example=True,
    ),
    "linear_backward": Exercise(
        linear_backward, ("dZ", "A_prev", "W"), inputs.linear_backward_inputs, ("dA_prev", "dW", "db"),
        examples_in="A_prev",
    ),
    "model_backward": Exercise(
        inputs.lecture_model_backward, ("A_L", "Y", "caches"), inputs.model_backward_inputs, result_label="grads",
        mistakes=mistakes.MODEL_BACKWARD, examples_in="Y",
    ),
    "gradient_descent_step": Exercise(
        gradient_descent_step, ("params", "grads", "learning_rate"), inputs.step_inputs, result_label="params",
        mistakes=mistakes.GRADIENT_DESCENT_STEP,
    ),
    "train": Exercise(
        inputs.train_reference, ("X", "Y", "params", "learning_rate", "num_iterations"), inputs.train_inputs,
        ("params", "costs"), hints=(mistakes.train_costs_hint,), examples_in="Y",
    ),
    "first_rise": Exercise(first_rise, ("costs",), inputs.cost_curves, mistakes=mistakes.FIRST_RISE),
    "largest_stable_learning_rate": Exercise(
        inputs.largest_stable_learning_rate, ("H",), inputs.stable_rate_inputs, mistakes=mistakes.STABLE_RATE,
        forbidden=EIGENVALUE_FUNCTIONS, rtol=1e-6,
        forbidden_message="find lambda_max by power iteration (repeat v <- H v / ||H v||, then v @ H @ v).",
        error_hint="(If you wrote H * v: that multiplies entry by entry and turns v into a matrix; the "
                   "matrix-vector product is H @ v.)",
    ),
    "standardize": Exercise(
        inputs.standardize, ("X_train", "X_test"), inputs.standardize_inputs, ("X_train_scaled", "X_test_scaled"),
        mistakes=mistakes.STANDARDIZE, rtol=1e-9,
    ),
    "momentum_step": Exercise(
        momentum_step, ("params", "grads", "velocity", "learning_rate", "beta"), inputs.momentum_inputs,
        ("new_params", "new_velocity"), mistakes=mistakes.MOMENTUM_STEP,
    ),
}
# Notebook 07's exercise computes 2 / lambda_max by power iteration; either name checks it.
EXERCISES["power_iteration"] = EXERCISES["largest_stable_learning_rate"]

# Tried in this order once a result does not match; the first that recognises the cause answers.
HINTS = (rng_hint, wrong_order_hint, reversed_layers_hint, mistake_hint)


def _describe(args, names) -> str:
    parts = []
    for name, value in zip(names, args):
        if isinstance(value, np.ndarray):
            parts.append(f"{name} of shape {value.shape}")
        elif isinstance(value, list) and value and isinstance(value[0], tuple):
            parts.append(f"{name} with {plural(len(value), 'layer')}")
        elif isinstance(value, (np.random.RandomState, np.random.Generator)):
            parts.append(f"{name} a random generator")
        else:
            parts.append(f"{name} = {value!r}")
    return ", ".join(parts)


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


def _names_in_code(function) -> set[str]:
    """Every global and attribute name the function's code (and the functions defined inside it) refers to."""
    code = getattr(function, "__code__", None)
    found, pending = set(), [code] if isinstance(code, types.CodeType) else []
    while pending:
        code = pending.pop()
        found.update(code.co_names)
        pending.extend(const for const in code.co_consts if isinstance(const, types.CodeType))
    return found


def _closure_values(function) -> list:
    """The values of the variables a nested function captured from the function around it."""
    values = []
    for cell in getattr(function, "__closure__", None) or ():
        try:
            values.append(cell.cell_contents)
        except ValueError:  # a variable not yet assigned
            continue
    return values


def _forbidden_use(function, exercise: Exercise) -> str | None:
    """A message if the function's code names a function the exercise forbids, or an alias of one.

    Checked before running it: a name imported under another name (`from numpy.linalg import eigh as e`)
    is bound before the call, so replacing np.linalg.eigh during the call would not catch it.
    """
    modules = [sys.modules.get(module) for module, _ in exercise.forbidden]
    originals = {id(getattr(module, name)): name for module, (_, name) in zip(modules, exercise.forbidden)
                 if hasattr(module, name)}
    names, namespace = _names_in_code(function), getattr(function, "__globals__", {})
    captured = [namespace.get(name) for name in names] + _closure_values(function)
    used = {name for _, name in exercise.forbidden} & names
    used |= {originals[id(value)] for value in captured if id(value) in originals}
    if not used:
        return None
    used = sorted(used)
    return f"your function uses {', '.join(used)}, which this exercise asks you not to call: " \
        + exercise.forbidden_message


def _timed_out_message(outcome: Outcome, limit: float, where: str) -> str:
    message = f"your function was still running after {plural(limit, 'second')}, the time limit ({where})"
    if outcome.seconds > limit + 1:
        message += (f"; the checker could only answer after {outcome.seconds:.0f} s, when one long call inside "
                    "your function let go of Python's interpreter lock")
    message += "; look for a loop that never ends, or a loop over every example where one array operation would do."
    if outcome.still_running:
        message += " It is still running in the background: restart the kernel (Kernel > Restart) to stop it."
    return message


STUB_MESSAGE = "not written yet: replace the `raise NotImplementedError` line with your code."


def _not_implemented_message(error: NotImplementedError, where: str, function) -> str:
    """Which stub raised: the function checked, another of the learner's functions, or none (a library raised it)."""
    frame, namespace = error.__traceback__, getattr(function, "__globals__", None)
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    if frame is None or namespace is None:
        return STUB_MESSAGE
    if frame.tb_frame.f_globals is not namespace:
        return f"your function raised NotImplementedError: {str(error).strip()} ({where})."
    code = frame.tb_frame.f_code
    if code is getattr(function, "__code__", None) or code.co_name.startswith("<"):
        return STUB_MESSAGE
    return (f"`{code.co_name}`, which your function calls, is not written yet: write it first (its exercise is "
            "above; the check there tells you when it is right), then run this check again.")


def _error_message(error: BaseException, where: str, function=None) -> str:
    if isinstance(error, NotImplementedError):
        return _not_implemented_message(error, where, function)
    if isinstance(error, FloatingPointError):
        return (f"NumPy reported '{error}' ({where}); some intermediate value overflows or divides by zero for "
                "large inputs: can you rearrange the formula so it cannot?")
    hint = (" Check the shapes of the arrays you combine: is one transposed, did a sum or mean lose its axis "
            "(keepdims=True), or run along the wrong one (examples are columns, so a mean over the examples is "
            "axis=1)?" if "broadcast" in str(error) else "")
    return f"your function raised {type(error).__name__}: {str(error).strip()} ({where}).{hint}"


def _outcome_problem(outcome: Outcome, exercise: Exercise, limit: float, where: str, function=None) -> str | None:
    """A message if the call did not return a value, else None."""
    if outcome.kind == "timed out":
        return _timed_out_message(outcome, limit, where)
    if outcome.kind == "raised":
        message = _error_message(outcome.error, where, function)
        return message + (f" {exercise.error_hint}" if exercise.error_hint else "")
    if outcome.kind == "exit":
        ends = "ends a program" if isinstance(outcome.error, SystemExit) else "would end the notebook's kernel"
        return (f"your function called {exit_description(outcome.error)}, which {ends} (the checker stopped it); "
                f"return the result instead ({where}).")
    if outcome.kind == "forbidden":
        return (f"your function called {outcome.error}, which this exercise asks you not to use: "
                f"{exercise.forbidden_message}")
    return None


def _tolerance(exercise: Exercise, args) -> Tolerance:
    if exercise.examples_in is None:
        return Tolerance(exercise.rtol)
    return Tolerance(exercise.rtol, m=int(args[exercise.argument_names.index(exercise.examples_in)].shape[1]))


def _result_problem(case: Case) -> str | None:
    """None if the learner's result matches the reference, else the most specific sentence that explains why not."""
    exercise = case.exercise
    first = compare(case.got, case.expected, exercise.result_label, case.tolerance, exercise.result_names)
    if first is None:
        return None
    for hint in (*HINTS, *exercise.hints):
        sentence = hint(case)
        if sentence:
            return sentence
    terms = per_example_hint(case) if exercise.per_example else None
    return f"{first} {terms}" if terms else first


def _check_case(function, exercise: Exercise, seed: int, deadline: float, limit: float) -> str | None:
    """Run one test case; None if the learner's function got it right, else the message."""
    args = exercise.make_inputs(seed)
    before, global_before = copy.deepcopy(args), global_rng_state()
    where = f"test case {seed + 1} of {len(exercise.seeds)}, called with {_describe(args, exercise.argument_names)}"

    def call(arguments):
        return run_limited(function, arguments, deadline - time.perf_counter(), ERRSTATE, exercise.forbidden)

    outcome = call(args)
    problem = _outcome_problem(outcome, exercise, limit, where, function)
    if problem:
        return problem
    expected = exercise.reference(*exercise.make_inputs(seed))
    case = Case(exercise, seed, outcome.value, expected, before, args, global_rng_state() != global_before,
                _tolerance(exercise, args), call)
    try:
        changed = _changed_input(before, args, exercise.argument_names)
        problem = _changed_message(changed) if changed else _result_problem(case)
    except Exception as error:  # noqa: BLE001 - an object whose own methods fail must not crash the check
        problem = f"your function returned or stored {kind_of(outcome.value)}, which the checker could not " \
                  f"compare ({type(error).__name__}: {error})"
    return f"{problem} ({where})" if problem else None


def _changed_message(name: str) -> str:
    return f"your function changed its input `{name}` in place; build a new array instead " \
           "(write `x = x - ...`, not `x -= ...`)."


def _learner_name(function, name: str) -> str:
    """The name the learner gave their function (not the library's), or the exercise's for a lambda."""
    own = getattr(function, "__name__", None)
    return own if isinstance(own, str) and own.isidentifier() else name


def check(learner_function, name: str, *, time_limit: float | None = None) -> CheckResult:
    """Check a learner's version of the course_lib function called ``name``.

    Returns a CheckResult (displayed in a notebook as one line), within
    ``time_limit`` seconds (default TIME_LIMIT) for all test cases together,
    plus a fraction of a second to stop a function that runs too long. Nothing
    the learner's function raises or does reaches the caller as an exception.
    """
    if name not in EXERCISES:
        raise ValueError(f"there is no exercise called {name!r}; choose one of {', '.join(sorted(EXERCISES))}.")
    if not callable(learner_function):
        return CheckResult(name, False, f"expected a function, got {type(learner_function).__name__}.")
    exercise, title = EXERCISES[name], _learner_name(learner_function, name)
    refused = _forbidden_use(learner_function, exercise)
    if refused:
        return CheckResult(title, False, refused)
    limit = TIME_LIMIT if time_limit is None else time_limit
    deadline = time.perf_counter() + limit
    for seed in exercise.seeds:
        problem = _check_case(learner_function, exercise, seed, deadline, limit)
        if problem:
            return CheckResult(title, False, problem)
    return CheckResult(title, True, f"correct on all {plural(len(exercise.seeds), 'test case')}.")


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

"""Recognising why a learner's result differs: the checker's hints.

When a result does not match, each function here looks for one common cause
that keeps the shapes right, and returns a sentence naming it (or None): the
global random generator used instead of the rng passed in, returned items in
the wrong order, a list of layers in reverse, a known wrong formula (a
``Mistake``), which examples' terms of a cost differ, and for the training
loop the first iteration where the costs part.
"""

from __future__ import annotations

import itertools
import pickle
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ._checker_compare import Tolerance, compare, plural

GENERATORS = (np.random.RandomState, np.random.Generator)


@dataclass(frozen=True)
class Mistake:
    """A common wrong version of the reference (same arguments), and what to tell a learner whose result matches it."""

    function: Callable
    message: str


@dataclass
class Case:
    """One test case that the learner's function got wrong, with what the hints need to explain it.

    args_before : deep copy of the arguments taken before the learner's call;
    args_after : the learner's arguments after it; call(args) runs the learner's
    function again within the time left and returns an Outcome.
    """

    exercise: object
    seed: int
    got: object
    expected: object
    args_before: tuple
    args_after: tuple
    global_rng_changed: bool
    tolerance: Tolerance
    call: Callable

    def fresh_inputs(self) -> tuple:
        return self.exercise.make_inputs(self.seed)

    def matches(self, expected) -> bool:
        return compare(self.got, expected, "", self.tolerance, self.exercise.result_names) is None


def rng_state(generator) -> bytes:
    """The state of a RandomState or Generator, as bytes that compare equal when the states are equal."""
    state = generator.get_state() if isinstance(generator, np.random.RandomState) else generator.bit_generator.state
    return pickle.dumps(state)


def global_rng_state() -> bytes:
    return pickle.dumps(np.random.get_state())


def rng_hint(case: Case) -> str | None:
    """The global generator used, or the rng passed in left unused or drawn from too much or too little."""
    positions = [index for index, value in enumerate(case.args_after) if isinstance(value, GENERATORS)]
    if not positions:
        return None
    draw_from_rng = ("draw from the rng passed in: rng.standard_normal((n_l, n_prev)) (a RandomState also has "
                     "rng.randn(n_l, n_prev)), so that the same rng always gives the same result.")
    if case.global_rng_changed:
        return f"your function drew from NumPy's global generator (np.random.randn, np.random.seed): {draw_from_rng}"
    reference_inputs = case.fresh_inputs()
    case.exercise.reference(*reference_inputs)
    for index in positions:
        before, after = rng_state(case.args_before[index]), rng_state(case.args_after[index])
        wanted = rng_state(reference_inputs[index])
        if before == after != wanted:
            return f"your function did not draw any random numbers from `{case.exercise.argument_names[index]}`; " \
                   + draw_from_rng
        if after != wanted:
            return (f"your function drew more or fewer random numbers from `{case.exercise.argument_names[index]}` "
                    "than the exercise asks for: draw only what it describes, in the order it describes.")
    return None


def wrong_order_hint(case: Case) -> str | None:
    """A returned tuple whose items are all right, in another order."""
    names, expected, got = case.exercise.result_names, case.expected, case.got
    if not names or not isinstance(got, (tuple, list)) or len(got) != len(expected):
        return None
    for order in itertools.permutations(range(len(expected))):
        if list(order) == sorted(order):
            continue
        if all(compare(got[mine], expected[wanted], "", case.tolerance) is None for mine, wanted in enumerate(order)):
            yours = ", ".join(names[wanted] for wanted in order)
            return f"you returned ({yours}); return them in the order ({', '.join(names)})."
    return None


def reversed_layers_hint(case: Case) -> str | None:
    """A list with one entry per layer, right but in reverse order (built from the output backwards)."""
    names = case.exercise.result_names
    pairs = list(zip(case.got, case.expected, names)) if names and isinstance(case.got, (tuple, list)) else []
    for got, expected, label in [(case.got, case.expected, case.exercise.result_label), *pairs]:
        layered = isinstance(expected, list) and len(expected) > 1 and hasattr(expected[0], "_fields")
        if layered and isinstance(got, (tuple, list)) and len(got) == len(expected):
            if compare(list(got)[::-1], expected, "", case.tolerance) is None:
                return (f"{label} is in reverse order: its first entry must be layer 1 (the layer after the input) "
                        f"and its last the output layer; if you built it from the output backwards, return "
                        f"{label}[::-1].")
    return None


def mistake_hint(case: Case) -> str | None:
    """The message of the first known mistake whose result the learner's result matches."""
    for mistake in case.exercise.mistakes:
        try:
            with np.errstate(all="ignore"):
                wrong = mistake.function(*case.fresh_inputs())
        except Exception:  # noqa: BLE001, S112 - a mistake that cannot run on these inputs is not this one
            continue
        if case.matches(wrong):
            return mistake.message
    return None


def _single_example_differs(case: Case, column: int) -> bool | None:
    """Whether the learner's cost of example ``column`` alone differs from the reference's (None: could not run)."""
    single = tuple(array[:, column : column + 1] for array in case.fresh_inputs())
    outcome = case.call(single)
    if outcome.kind != "returned":
        return None
    return compare(outcome.value, case.exercise.reference(*single), "", case.tolerance) is not None


def per_example_hint(case: Case) -> str | None:
    """For a cost (A or Z (1, m), Y (1, m)): which examples' terms differ, with their labels."""
    if not case.exercise.per_example:
        return None
    Z_or_A, Y = case.fresh_inputs()
    verdicts = []
    for column in range(Y.shape[1]):
        verdicts.append(_single_example_differs(case, column))
        if verdicts[-1] is None:  # the function fails, or the time is up: no more calls
            return None
    if all(verdicts) or not any(verdicts):
        return None  # every term is right (a sum or a factor is wrong), or none is, or one example fails
    wrong = [column for column, differs in enumerate(verdicts) if differs]
    labels = sorted({int(Y[0, column]) for column in wrong})
    listed = ", ".join(f"{column} ({case.exercise.argument_names[0]} = {Z_or_A[0, column]:.4g}, Y = "
                       f"{int(Y[0, column])})" for column in wrong[:4])
    where = (f"look at the term that counts when Y = {labels[0]}" if len(labels) == 1
             else "both terms (the one for Y = 1 and the one for Y = 0) differ")
    return (f"Computed on one example at a time, your cost differs for {plural(len(wrong), 'example')} of "
            f"{Y.shape[1]}: {listed}{', ...' if len(wrong) > 4 else ''}; {where}.")

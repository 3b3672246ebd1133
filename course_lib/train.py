"""The training loop: forward, cost, backward, update, repeated; and what it reports.

``fit`` never prints (pass ``report=print`` to see progress) and never lets a
RuntimeWarning reach the learner: a run whose numbers overflow stops at that
iteration and says so in its history.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from ._validation import (
    as_float_matrix,
    check_choice,
    check_features,
    check_labels,
    check_layer_dims,
    check_learning_rate,
    check_positive_int,
    check_rng,
)
from .activations import ACTIVATIONS
from .init import SCHEMES, init_params
from .losses import LOSSES
from .model import OUTPUT_PATHS, cost_and_gradients
from .optim import OPTIMIZERS, gradient_descent_step, init_optimizer_state, optimizer_step
from .parameters import LayerParams, check_params

STATUSES = ("converging", "oscillating", "diverging", "non-finite")

# A step counts as a rise only if it raises the cost by more than this fraction
# of the cost; smaller changes are floating-point rounding on a flat stretch.
RISE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class History:
    """What happened during one call to ``fit``.

    costs : (k + 1,) cost after 0, 1, ..., k gradient steps (k <= num_iterations;
        k is smaller when the run stopped at a non-finite number)
    grad_norms : (k + 1,) Euclidean norm of the whole gradient at the same points
    learning_rate, num_iterations : as passed to fit
    status : "converging", "oscillating", "diverging" or "non-finite" (see ``classify_run``)
    first_rise : first i with costs[i] > costs[i - 1], or None
    first_nonfinite : first i where the cost or gradient was inf or nan, or None
    params : the parameters after the last finite step (list of LayerParams)
    """

    costs: np.ndarray
    grad_norms: np.ndarray
    learning_rate: float
    num_iterations: int
    status: str
    first_rise: int | None
    first_nonfinite: int | None
    params: list[LayerParams] = field(repr=False)

    @property
    def final_cost(self) -> float:
        """Cost after the last step (inf or nan for a run that overflowed)."""
        return float(self.costs[-1])

    @property
    def lowest_iteration(self) -> int:
        """Iteration with the lowest finite cost."""
        finite = np.where(np.isfinite(self.costs), self.costs, np.inf)
        return int(np.argmin(finite))

    @property
    def lowest_cost(self) -> float:
        """The lowest finite cost of the run."""
        return float(self.costs[self.lowest_iteration])

    def verdict(self) -> str:
        """One line that says how the run went and where."""
        rise = "" if self.first_rise is None else f"; the cost first rose at iteration {self.first_rise}"
        if self.status == "non-finite":
            what = "cost" if not np.isfinite(self.costs[-1]) else "gradient"
            return (
                f"numerical overflow: the {what} became {self.costs[-1] if what == 'cost' else 'inf/nan'} "
                f"at iteration {self.first_nonfinite}{rise}"
            )
        best = f"lowest cost {self.lowest_cost:.4g} at iteration {self.lowest_iteration}"
        peak_at = int(np.argmax(self.costs))
        peak = ""
        if self.costs[peak_at] > self.costs[0] * (1 + RISE_TOLERANCE):
            peak = f"; it peaked at {self.costs[peak_at]:.4g} at iteration {peak_at}"
        return f"{self.status}: final cost {self.final_cost:.4g}, {best}{rise}{peak}"


def gradient_norm(grads: list[LayerParams]) -> float:
    """Euclidean norm of all the gradients together, as if flattened into one vector."""
    return math.sqrt(sum(float(np.vdot(dW, dW) + np.vdot(db, db)) for dW, db in grads))


def first_rise(costs: np.ndarray) -> int | None:
    """First index i with costs[i] > costs[i - 1] (beyond rounding), or None."""
    finite = costs[np.isfinite(costs)]
    rises = np.flatnonzero(finite[1:] > finite[:-1] * (1 + RISE_TOLERANCE) + 1e-15) + 1
    return int(rises[0]) if rises.size else None


def _rise_fraction(costs: np.ndarray) -> float:
    """Fraction of the steps in ``costs`` that raised the cost (beyond rounding)."""
    if costs.size < 2:
        return 0.0
    return float(np.mean(costs[1:] > costs[:-1] * (1 + RISE_TOLERANCE) + 1e-15))


def classify_run(costs: np.ndarray, nonfinite: bool) -> str:
    """Name what a cost curve did.

    - "non-finite": a cost or gradient became inf or nan.
    - If more than a tenth of the steps in the last half of the run raised the
      cost, it is not settling: "diverging" if it rose at more than nine
      steps in ten (a climb, not a bounce) or if the bounces grow (the mean
      cost of the last tenth of the run is more than 1.5 times that of the
      tenth before it), otherwise "oscillating".
    - Otherwise the end of the run is smooth: "diverging" if it ended well
      above its best (the final cost exceeds the lowest by more than 10% of
      the distance the cost fell from the start to its lowest point, and by
      more than 1e-6), otherwise "converging".
    """
    if nonfinite:
        return "non-finite"
    n = costs.size
    rising = _rise_fraction(costs[n // 2 :])
    if rising > 0.1:
        tenth = max(n // 10, 1)
        last, before = costs[-tenth:].mean(), costs[-2 * tenth : -tenth].mean()
        return "diverging" if rising > 0.9 or last > 1.5 * before else "oscillating"
    lowest, final = float(costs.min()), float(costs[-1])
    fall = float(costs[0]) - lowest
    return "diverging" if final - lowest > max(0.1 * fall, 1e-6) else "converging"


def fit(
    X,
    Y,
    layer_dims,
    *,
    learning_rate: float,
    num_iterations: int,
    rng=None,
    params=None,
    init: str = "small",
    loss: str = "stable",
    output_path: str = "fused",
    hidden_activation: str = "relu",
    optimizer: str = "gd",
    report=None,
    report_every: int = 100,
) -> History:
    """Train a binary classifier by full-batch gradient descent.

    Parameters
    ----------
    X : (n_0, m) inputs, one example per column
    Y : (1, m) labels, 0 or 1
    layer_dims : [n_0, n_1, ..., 1]
    learning_rate : step size alpha > 0
    num_iterations : number of gradient steps
    rng : np.random.Generator or RandomState, used by init_params when params is None
    params : initial parameters (list of LayerParams); not modified
    init : "small", "he" or "xavier" (ignored when params is given)
    loss : "stable" (logits) or "naive" (probabilities)
    output_path : "fused" (dZ = A - Y) or "lecture" (dA then sigmoid derivative)
    hidden_activation : "relu", "tanh" or "sigmoid"
    optimizer : "gd" (plain gradient descent), "momentum" or "adam" (see optim.py)
    report : optional callable, e.g. ``print``, called with a progress line
        every ``report_every`` iterations

    Returns
    -------
    History
    """
    X = as_float_matrix(X, "X")
    dims = check_layer_dims(layer_dims)
    check_features(X, dims[0])
    Y = check_labels(Y, m=X.shape[1])
    learning_rate = check_learning_rate(learning_rate)
    num_iterations = check_positive_int(num_iterations, "num_iterations")
    check_choice(init, "initialisation scheme", SCHEMES)
    check_choice(loss, "loss", LOSSES)
    check_choice(output_path, "output_path", OUTPUT_PATHS)
    check_choice(hidden_activation, "activation", ACTIVATIONS)
    check_choice(optimizer, "optimizer", OPTIMIZERS)
    report_every = check_positive_int(report_every, "report_every")
    if params is None:
        if rng is None:
            raise ValueError("fit needs rng to initialise the parameters: pass rng=np.random.default_rng(0).")
        check_rng(rng)
        params = init_params(dims, rng, init)
    else:
        params = check_params(params, dims)

    state = init_optimizer_state(optimizer, params)
    costs = np.full(num_iterations + 1, np.nan)
    grad_norms = np.full(num_iterations + 1, np.nan)
    nonfinite_at = None
    # Overflow is an outcome we detect and report below, not something to warn about.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        for step in range(num_iterations + 1):
            cost, grads = cost_and_gradients(X, Y, params, loss, output_path, hidden_activation)
            norm = gradient_norm(grads)
            costs[step], grad_norms[step] = cost, norm
            if not (np.isfinite(cost) and np.isfinite(norm)):
                nonfinite_at = step
                break
            if report is not None and step % report_every == 0:
                report(f"iteration {step:>6}: cost {cost:.6g}")
            if step < num_iterations:
                params, state = optimizer_step(optimizer, params, grads, state, learning_rate)

    ran = num_iterations + 1 if nonfinite_at is None else nonfinite_at + 1
    costs, grad_norms = costs[:ran], grad_norms[:ran]
    finite_costs = costs[np.isfinite(costs)]
    return History(
        costs=costs,
        grad_norms=grad_norms,
        learning_rate=learning_rate,
        num_iterations=num_iterations,
        status=classify_run(finite_costs if finite_costs.size else costs, nonfinite_at is not None),
        first_rise=first_rise(costs),
        first_nonfinite=nonfinite_at,
        params=params,
    )


class RangeTest(NamedTuple):
    """learning_rates : (k,) rates tried, one per step; costs : (k,) cost after each step;
    suggested : a learning rate to start from (see learning_rate_range_test)."""

    learning_rates: np.ndarray
    costs: np.ndarray
    suggested: float


def learning_rate_range_test(
    X,
    Y,
    layer_dims,
    rng,
    *,
    min_rate: float = 1e-5,
    max_rate: float = 10.0,
    num_steps: int = 100,
    init: str = "he",
    loss: str = "stable",
    hidden_activation: str = "relu",
) -> RangeTest:
    """Train once while raising the learning rate geometrically from min_rate to max_rate.

    Step k uses rate min_rate * (max_rate / min_rate) ** (k / (num_steps - 1)).
    The cost first falls faster and faster, then, once the rate is too large,
    rises. The run stops when the cost is non-finite or four times its lowest.
    ``suggested`` is one tenth of the rate at which the cost (smoothed by a
    running mean over 5 steps) was lowest: a rate safely below the point of
    divergence (a rule of thumb after L. N. Smith, 2017, "Cyclical Learning
    Rates for Training Neural Networks").

    X (n_0, m), Y (1, m). Returns a RangeTest.
    """
    X = as_float_matrix(X, "X")
    dims = check_layer_dims(layer_dims)
    check_features(X, dims[0])
    Y = check_labels(Y, m=X.shape[1])
    min_rate, max_rate = check_learning_rate(min_rate), check_learning_rate(max_rate)
    if max_rate <= min_rate:
        raise ValueError(f"max_rate ({max_rate}) must be larger than min_rate ({min_rate}).")
    num_steps = check_positive_int(num_steps, "num_steps")
    if num_steps < 10:
        raise ValueError(f"num_steps must be at least 10 for a useful range test; got {num_steps}.")
    check_rng(rng)
    params = init_params(dims, rng, init)
    rates = min_rate * (max_rate / min_rate) ** (np.arange(num_steps) / (num_steps - 1))
    costs = []
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        for rate in rates:
            cost, grads = cost_and_gradients(X, Y, params, loss, "fused", hidden_activation)
            if not np.isfinite(cost) or (costs and cost > 4 * min(costs)):
                break
            costs.append(cost)
            params = gradient_descent_step(params, grads, rate)
    costs = np.array(costs)
    window = min(5, costs.size)
    smoothed = np.convolve(costs, np.ones(window) / window, mode="valid")
    best = int(np.argmin(smoothed)) + window - 1
    return RangeTest(rates[: costs.size], costs, float(rates[best] / 10))

"""The training loop: forward, cost, backward, update, repeated; and what it reports.

``fit`` never prints (pass ``report=print`` to see progress) and never lets a
RuntimeWarning reach the learner: a run whose numbers overflow stops at that
iteration and says so in its history.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from ._validation import check_positive_int, checked
from .init import init_params
from .model import compute_cost, cost_and_gradients, model_forward
from .optim import init_optimizer_state, optimizer_step
from .parameters import LayerParams

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
    params : the parameters of the last step run (list of LayerParams)
    batch_size : examples per step (m for full-batch gradient descent)
    steps_per_epoch : steps in one pass over the data, ceil(m / batch_size)
    full_costs : (e + 1,) cost on all the data after 0, 1, ..., e whole epochs
    dtype : np.float64 or np.float32, the type every array of the run had

    With mini-batches, costs[i] is the cost of step i's own mini-batch, and
    step i is step ``i % steps_per_epoch + 1`` of epoch ``i // steps_per_epoch + 1``.
    """

    costs: np.ndarray
    grad_norms: np.ndarray
    learning_rate: float
    num_iterations: int
    status: str
    first_rise: int | None
    first_nonfinite: int | None
    params: list[LayerParams] = field(repr=False)
    batch_size: int = 0
    steps_per_epoch: int = 1
    full_costs: np.ndarray = field(default=None, repr=False)
    dtype: type = np.float64

    def epoch_and_step(self, step: int | None) -> tuple[int, int] | None:
        """(epoch, step within that epoch), both counted from 1, of step ``step`` (None stays None)."""
        return None if step is None else (step // self.steps_per_epoch + 1, step % self.steps_per_epoch + 1)

    @property
    def epoch_costs(self) -> np.ndarray:
        """(e,) mean of the mini-batch costs over each whole epoch run."""
        whole = (self.costs.size - 1) // self.steps_per_epoch * self.steps_per_epoch
        return self.costs[:whole].reshape(-1, self.steps_per_epoch).mean(axis=1)

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

    def where(self, step: int) -> str:
        """Step ``step`` as the verdict names it: "61", or "61 (epoch 2, step 3 of 10)" with mini-batches."""
        if self.steps_per_epoch == 1:
            return str(step)
        epoch, within = self.epoch_and_step(step)
        return f"{step} (epoch {epoch}, step {within} of {self.steps_per_epoch})"

    def verdict(self) -> str:
        """One line that says how the run went and where."""
        rise = "" if self.first_rise is None else f"; the cost first rose at iteration {self.where(self.first_rise)}"
        if self.status == "non-finite":
            what = "cost" if not np.isfinite(self.costs[-1]) else "gradient"
            return (
                f"numerical overflow: the {what} became {self.costs[-1] if what == 'cost' else 'inf/nan'} "
                f"at iteration {self.where(self.first_nonfinite)}{rise}"
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


@checked()
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


@checked()
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




def minibatches(X: np.ndarray, Y: np.ndarray, batch_size: int | None, rng) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(X_batch (n_0, b), Y_batch (1, b)) for each step, forever.

    Full batch (batch_size None or >= m): (X, Y) every time, and rng is not used.
    Otherwise each epoch shuffles the m columns with ``rng.permutation`` and
    cuts them into ceil(m / batch_size) batches; the last may be smaller.
    A batch_size that is not a whole number >= 1 is refused here, when called, not at the first batch.
    """
    if batch_size is not None:
        batch_size = check_positive_int(batch_size, "batch_size")
    return _batches_forever(X, Y, batch_size, rng)


def _batches_forever(X: np.ndarray, Y: np.ndarray, batch_size: int | None, rng) -> Iterator[tuple]:
    """The generator behind ``minibatches`` (its arguments already checked)."""
    m = X.shape[1]
    if batch_size is None or batch_size >= m:
        yield from itertools.repeat((X, Y))
    while True:
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            columns = order[start : start + batch_size]
            yield X[:, columns], Y[:, columns]


def training_steps(params, batches, learning_rates, loss="stable", hidden_activation="relu", optimizer="gd"):
    """The training loop: forward, cost, backward, update, once per mini-batch.

    params : starting list of LayerParams; batches : iterable of (X (n_0, b), Y (1, b));
    learning_rates : iterable of step sizes, one per update.
    Yields (params, cost, grads) at each step, *before* that step's update, and
    stops when batches or learning_rates run out. ``fit``, the learning-rate
    range test and ``sharpness_along_training`` all train through this loop.
    """
    state = init_optimizer_state(optimizer, params)
    for (X, Y), learning_rate in zip(batches, learning_rates):
        cost, grads = cost_and_gradients(X, Y, params, loss, hidden_activation)
        yield params, cost, grads
        params, state = optimizer_step(optimizer, params, grads, state, learning_rate)


def _needs_rng_to_shuffle(arguments):
    """A mini-batch run shuffles with rng, so it needs one even when params are given."""
    batch_size, m = arguments["batch_size"], arguments["X"].shape[1]
    if batch_size is not None and batch_size < m and arguments["rng"] is None:
        raise ValueError("mini-batches are shuffled with rng: pass rng=np.random.default_rng(0).")


def starting_params(layer_dims, rng, params, init: str, dtype) -> list[LayerParams]:
    """``params`` if given, else ``init_params(layer_dims, rng, init)``; either way as arrays of ``dtype``."""
    params = init_params(layer_dims, rng, init) if params is None else params
    return [LayerParams(W.astype(dtype, copy=False), b.astype(dtype, copy=False)) for W, b in params]


@checked(_needs_rng_to_shuffle)
def fit(X, Y, layer_dims, *, learning_rate: float, num_iterations: int, rng=None, params=None, init: str = "small",
        loss: str = "stable", hidden_activation: str = "relu", optimizer: str = "gd", batch_size: int | None = None,
        dtype=np.float64, report=None, report_every: int = 100) -> History:
    """Train a binary classifier by gradient descent, on all the data or on mini-batches.

    X (n_0, m) inputs, one example per column; Y (1, m) labels, 0 or 1
    layer_dims : [n_0, n_1, ..., 1];  learning_rate : step size alpha > 0
    num_iterations : number of gradient steps (one per mini-batch)
    rng : np.random.Generator or RandomState: initialises params (when none are
        given) and shuffles the mini-batches
    params : initial list of LayerParams (not modified);  init : "small", "he" or "xavier"
    loss : "stable" (logits, dZ = A - Y) or "naive" (the lecture's; see model.py)
    hidden_activation : "relu", "tanh" or "sigmoid";  optimizer : "gd", "momentum" or "adam"
    batch_size : examples per step; None (the default) uses all m every step
    dtype : np.float64 (default) or np.float32, for every array of the run
    report : optional callable, e.g. ``print``, given a progress line every ``report_every`` steps
    Returns a History.
    """
    params = starting_params(layer_dims, rng, params, init, dtype)
    X, Y = X.astype(dtype, copy=False), Y.astype(dtype, copy=False)
    steps = training_steps(params, minibatches(X, Y, batch_size, rng), itertools.repeat(learning_rate),
                           loss, hidden_activation, optimizer)
    log = TrainingLog(num_iterations, math.ceil(X.shape[1] / (batch_size or X.shape[1])), report, report_every)
    # Overflow is an outcome we detect and report, not something to warn about.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        for step, (params, cost, grads) in zip(range(num_iterations + 1), steps):
            if not log.record(step, cost, grads, functools.partial(full_cost, X, Y, params, loss, hidden_activation)):
                break
    return log.history(params, learning_rate, min(batch_size or X.shape[1], X.shape[1]), dtype)


def full_cost(X, Y, params, loss: str, hidden_activation: str) -> float:
    """The cost of ``params`` on all of X (n_0, m), Y (1, m)."""
    A_L, caches = model_forward(X, params, hidden_activation)
    return compute_cost(A_L, caches[-1].Z, Y, loss)


class TrainingLog:
    """fit's bookkeeping: the cost and gradient norm of every step, and the full-data cost of every epoch."""

    def __init__(self, num_iterations: int, steps_per_epoch: int, report, report_every: int):
        self.costs = np.full(num_iterations + 1, np.nan)
        self.grad_norms = np.full(num_iterations + 1, np.nan)
        self.full_costs: list[float] = []
        self.num_iterations, self.steps_per_epoch = num_iterations, steps_per_epoch
        self.report, self.report_every = report, report_every
        self.nonfinite_at: int | None = None
        self.ran = 0

    def record(self, step: int, cost: float, grads, cost_on_all_data) -> bool:
        """Log one step; False once the cost or gradient is inf or nan (training must stop)."""
        norm = gradient_norm(grads)
        self.costs[step], self.grad_norms[step], self.ran = cost, norm, step + 1
        if step % self.steps_per_epoch == 0:
            self.full_costs.append(cost if self.steps_per_epoch == 1 else cost_on_all_data())
        if not (math.isfinite(cost) and math.isfinite(norm)):
            self.nonfinite_at = step
            return False
        if self.report is not None and step % self.report_every == 0:
            self.report(f"iteration {step:>6}: cost {cost:.6g}")
        return True

    def history(self, params, learning_rate: float, batch_size: int, dtype) -> History:
        """The History of the steps logged so far."""
        costs, grad_norms = self.costs[: self.ran], self.grad_norms[: self.ran]
        full_costs = np.array(self.full_costs)
        finite = full_costs if self.steps_per_epoch > 1 and full_costs.size >= 10 else costs[np.isfinite(costs)]
        return History(
            costs=costs, grad_norms=grad_norms, learning_rate=learning_rate, num_iterations=self.num_iterations,
            status=classify_run(finite if finite.size else costs, self.nonfinite_at is not None),
            first_rise=first_rise(costs), first_nonfinite=self.nonfinite_at, params=params,
            batch_size=batch_size, steps_per_epoch=self.steps_per_epoch, full_costs=full_costs, dtype=dtype,
        )


class RangeTest(NamedTuple):
    """learning_rates : (k,) rates tried, one per step; costs : (k,) cost after each step;
    suggested : a learning rate to start from (see learning_rate_range_test)."""

    learning_rates: np.ndarray
    costs: np.ndarray
    suggested: float


def _a_useful_range(arguments):
    """max_rate above min_rate, and enough steps between them to see the cost turn."""
    if arguments["max_rate"] <= arguments["min_rate"]:
        raise ValueError(f"max_rate ({arguments['max_rate']}) must be larger than min_rate ({arguments['min_rate']}).")
    if arguments["num_steps"] < 10:
        raise ValueError(f"num_steps must be at least 10 for a useful range test; got {arguments['num_steps']}.")


@checked(_a_useful_range)
def learning_rate_range_test(X, Y, layer_dims, rng, *, min_rate: float = 1e-5, max_rate: float = 10.0,
                             num_steps: int = 100, init: str = "he", loss: str = "stable",
                             hidden_activation: str = "relu") -> RangeTest:
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
    rates = min_rate * (max_rate / min_rate) ** (np.arange(num_steps) / (num_steps - 1))
    steps = training_steps(init_params(layer_dims, rng, init), minibatches(X, Y, None, rng), rates, loss,
                           hidden_activation)
    costs = []
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        for _, cost, _ in steps:
            if not np.isfinite(cost) or (costs and cost > 4 * min(costs)):
                break
            costs.append(cost)
    costs = np.array(costs)
    window = min(5, costs.size)
    smoothed = np.convolve(costs, np.ones(window) / window, mode="valid")
    best = int(np.argmin(smoothed)) + window - 1
    return RangeTest(rates[: costs.size], costs, float(rates[best] / 10))

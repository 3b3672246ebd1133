"""The second question on its own terms (notebook 10): a small regression network, mini-batches, float32.

The question was about a network whose loss went from thousands to a
trillion to nan within one epoch at learning rate 1e-3. A loss in the
thousands that keeps growing is a squared error: this module builds a
regressor from the course's own layers (ReLU hidden layers, an identity
output, the mean squared error) and trains it on mini-batches in float64 or
float32, *without* stopping at the first inf or nan, as a framework does.
It records enough of every step to take the run apart afterwards: each
step's mini-batch cost before and after its update, the cost on all the
data, and the parameters.

Why not the course's classifier? Its cross-entropy gradient dZ = A - Y lies
in [-1, 1] however wrong the network is, so its steps do not grow with the
loss (notebook 10 measures a raw-input classifier at 1e-3: no explosion).
The squared error's gradient 2 (z - y) grows with the error itself: that
feedback is what makes the loss explode.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from itertools import repeat
from typing import NamedTuple

import numpy as np

from ._validation import checked
from .curvature import _hvp_operator, taylor_step_prediction, top_eigenvalue
from .data import breast_cancer_feature_names, load_breast_cancer
from .init import init_params
from .layers import LayerCache, layer_backward, layer_forward, linear_backward, linear_forward
from .optim import init_optimizer_state, optimizer_step
from .parameters import LayerParams, flatten_params, layer_dims_of, unflatten_params
from .train import minibatches, starting_params

INPUT_FEATURES = ("radius_mean", "texture_mean")
TARGET_FEATURE = "perimeter_mean"
# Milestones of the question's story, in the order a run meets them.
TRILLION = 1e12


def _targets_match_inputs(arguments):
    """y must be a finite (1, m) array of numbers, one target per column of X (n_0, m)."""
    y, m = np.asarray(arguments["y"]), arguments["X"].shape[1]
    if y.shape != (1, m):
        raise ValueError(f"y has shape {y.shape} but X has {m} examples: y must have shape (1, {m}), one target "
                         "per column of X (did you mean y.reshape(1, -1)?).")
    if not np.issubdtype(y.dtype, np.number) or not np.all(np.isfinite(y)):
        raise ValueError("y must hold finite numbers, one target per example.")


def perimeter_data() -> tuple[np.ndarray, np.ndarray]:
    """The regression of notebook 10, from the course's breast-cancer data, raw (unscaled).

    Returns X (2, 569), each tumour's mean radius and mean texture (from about
    7 to 39), and y (1, 569), its mean perimeter (about 44 to 189).
    Citation and licence (CC BY 4.0): course_lib/data/README.md.
    """
    features, _ = load_breast_cancer()
    names = breast_cancer_feature_names()
    X = features[[names.index(name) for name in INPUT_FEATURES]]
    return X, features[[names.index(TARGET_FEATURE)]]


@checked()
def regressor_forward(X, params: list[LayerParams]):
    """ReLU hidden layers, then an identity output: returns z (1, m), the predictions, and one LayerCache per layer.

    X (n_0, m); params as for the classifier (list of LayerParams, entry l - 1 for layer l).
    """
    A, caches = X, []
    for W, b in params[:-1]:
        A, cache = layer_forward(A, W, b, "relu")
        caches.append(cache)
    W, b = params[-1]
    z = linear_forward(A, W, b)
    return z, [*caches, LayerCache(A, W, b, z)]


def squared_error(z: np.ndarray, y: np.ndarray) -> float:
    """The mean squared error (1/m) sum (z - y)^2 of predictions z (1, m) against targets y (1, m)."""
    residual = z - y
    return float(np.mean(residual * residual))


def regressor_backward(z: np.ndarray, y: np.ndarray, caches: list[LayerCache]) -> list[LayerParams]:
    """Gradients of the mean squared error: dz = 2 (z - y) per example, then the course's layer_backward.

    Unlike the classifier's dZ = A - Y, this grows with the error: a network
    that is far off takes a step as large as its error.
    """
    dA, dW, db = linear_backward(2.0 * (z - y), caches[-1].A_prev, caches[-1].W, need_dA_prev=len(caches) > 1)
    grads = [LayerParams(dW, db)]
    for index in reversed(range(len(caches) - 1)):
        dA, dW, db = layer_backward(dA, caches[index], "relu", need_dA_prev=index > 0)
        grads.append(LayerParams(dW, db))
    return grads[::-1]


def regressor_cost_and_gradients(X, y, params):
    """(mean squared error, grads) of the regressor on X (n_0, m), y (1, m)."""
    z, caches = regressor_forward(X, params)
    return squared_error(z, y), regressor_backward(z, y, caches)


def regression_steps(params, batches, learning_rates, optimizer: str = "gd"):
    """The course's training loop (``train.training_steps``) with the squared error in place of the cross-entropy.

    Yields (params, cost, grads) before each update, and keeps going after
    inf and nan, as a framework's training loop does.
    """
    state = init_optimizer_state(optimizer, params)
    for (X, y), learning_rate in zip(batches, learning_rates):
        cost, grads = regressor_cost_and_gradients(X, y, params)
        yield params, cost, grads
        params, state = optimizer_step(optimizer, params, grads, state, learning_rate)


@dataclass(frozen=True)
class RegressionRun:
    """Every step of a mini-batch run of the regressor, k steps in all.

    batch_costs (k,) : cost of step i's mini-batch at the parameters before step i
    batch_costs_after (k,) : cost of the same mini-batch after step i's update
    full_costs (k + 1,) : cost on all m examples before step i (and, last, after step k - 1)
    params : k + 1 parameter lists, before each step and after the last
    columns : k arrays, the examples (columns of X) in each step's mini-batch
    Step i (from 0) is step i % steps_per_epoch + 1 of epoch i // steps_per_epoch + 1.
    """

    batch_costs: np.ndarray
    batch_costs_after: np.ndarray
    full_costs: np.ndarray
    params: list
    columns: list
    learning_rate: float
    batch_size: int
    examples: int
    dtype: type

    @property
    def steps_per_epoch(self) -> int:
        return -(-self.examples // self.batch_size)

    def running_mean(self) -> np.ndarray:
        """(k,) the mean of the mini-batch costs so far in each epoch: what a framework's progress bar shows."""
        means, per_epoch = np.empty(self.batch_costs.size), self.steps_per_epoch
        with np.errstate(over="ignore", invalid="ignore"):
            for start in range(0, self.batch_costs.size, per_epoch):
                chunk = self.batch_costs[start : start + per_epoch].astype(np.float64)
                means[start : start + chunk.size] = np.cumsum(chunk) / np.arange(1, chunk.size + 1)
        return means

    def first_step(self, condition) -> int | None:
        """The first step i whose mini-batch cost satisfies condition(cost), e.g. np.isnan; None if none does."""
        hits = np.flatnonzero(condition(self.batch_costs))
        return int(hits[0]) if hits.size else None

    def milestones(self) -> dict:
        """The first step whose mini-batch cost is above 1e12, is inf, is nan (None where it never is)."""
        with np.errstate(invalid="ignore"):
            return {"above 1e12": self.first_step(lambda costs: costs > TRILLION), "inf": self.first_step(np.isinf),
                    "nan": self.first_step(np.isnan)}


def _batch_columns(m: int, batch_size: int, rng):
    """The columns of each step's mini-batch, shuffled exactly as ``train.minibatches`` shuffles for fit."""
    index = np.arange(m, dtype=np.float64).reshape(1, m)
    for columns, _ in minibatches(index, index, batch_size, rng):
        yield columns[0].astype(int)


@checked(_targets_match_inputs)
def train_regressor(X, y, params, *, learning_rate: float, num_steps: int, batch_size: int, rng,
                    dtype=np.float64, optimizer: str = "gd") -> RegressionRun:
    """Train the regressor for num_steps mini-batch steps and keep everything (a RegressionRun).

    X (n_0, m), y (1, m), params the starting list of LayerParams (not modified);
    rng shuffles the mini-batches; dtype np.float64 or np.float32 for every array;
    optimizer "gd", "momentum" or "adam". The run never stops early: after an
    inf or nan it goes on, as a framework does.
    """
    params = starting_params(None, None, params, "he", dtype)
    X, y = X.astype(dtype, copy=False), y.astype(dtype, copy=False)
    batch_size = min(batch_size, X.shape[1])
    # One batch more than steps: the loop yields the parameters after the last update with it.
    columns = [cols for _, cols in zip(range(num_steps + 1), _batch_columns(X.shape[1], batch_size, rng))]
    batches = ((X[:, cols], y[:, cols]) for cols in columns)
    costs, full_costs, trail = [], [], []
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        for now, cost, _ in regression_steps(params, batches, repeat(learning_rate), optimizer):
            costs.append(cost)
            full_costs.append(regressor_cost_and_gradients(X, y, now)[0])
            trail.append(now)
        after = [regressor_cost_and_gradients(X[:, cols], y[:, cols], later)[0]
                 for cols, later in zip(columns, trail[1:])]
    return RegressionRun(np.array(costs[:-1]), np.array(after), np.array(full_costs), trail, columns[:-1],
                         learning_rate, batch_size, X.shape[1], dtype)


@checked(_targets_match_inputs)
def trace_operations(X, y, params, learning_rate: float) -> list[tuple[str, np.ndarray]]:
    """Every array one gradient step builds, in the order it builds them: [(operation, array), ...].

    X (n_0, m), y (1, m), params (may hold inf or nan: this is for finding
    where they come from). The forward pass, the cost, the backward pass and
    the update W - alpha dW, b - alpha db, layer by layer, named as in the notes.
    """
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        z, caches = regressor_forward(X, params)
        grads = regressor_backward(z, y, caches)
        residual = z - y
        operations = []
        for layer, cache in enumerate(caches[:-1], start=1):
            operations += [(f"Z[{layer}] = W[{layer}] A[{layer - 1}] + b[{layer}]", cache.Z),
                           (f"A[{layer}] = relu(Z[{layer}])", caches[layer].A_prev)]
        last = len(caches)
        operations += [(f"z = W[{last}] A[{last - 1}] + b[{last}]", z), ("z - y", residual),
                       ("(z - y)^2", residual * residual), ("cost = mean of (z - y)^2", np.mean(residual * residual)),
                       ("dz = 2 (z - y)", 2.0 * residual)]
        for layer in range(last, 0, -1):
            (W, b), (dW, db) = params[layer - 1], grads[layer - 1]
            operations += [(f"dW[{layer}]", dW), (f"db[{layer}]", db), (f"W[{layer}] - alpha dW[{layer}]",
                                                                        W - learning_rate * dW),
                           (f"b[{layer}] - alpha db[{layer}]", b - learning_rate * db)]
    return operations


def first_operation(operations, condition) -> str | None:
    """The name of the first operation whose array has an entry satisfying condition (np.isinf, np.isnan)."""
    return next((name for name, array in operations if np.any(condition(np.asarray(array)))), None)


def _regressor_gradient(X, y, dims, theta):
    """(gradient (P,) of the mean squared error at theta (P,), the ReLU pattern), in float64: for curvature's H v."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        z, caches = regressor_forward(X, unflatten_params(theta, dims))
        gradient = flatten_params(regressor_backward(z, y, caches))
    if not np.all(np.isfinite(gradient)):
        raise FloatingPointError("the gradient is inf or nan near these parameters: curvature needs finite numbers.")
    return gradient, tuple(cache.Z > 0 for cache in caches[:-1])


def _regressor_problem(X, y, params):
    """theta (P,) in float64 and the function theta -> (gradient, ReLU pattern) of the squared error."""
    theta = flatten_params(params).astype(np.float64)
    dims = layer_dims_of(params)
    return theta, partial(_regressor_gradient, X.astype(np.float64), y.astype(np.float64), dims)


class StepTerms(NamedTuple):
    """One gradient step theta -> theta - alpha g on one mini-batch, to second order and as it happened.

    first_order : -alpha g^T g;  second_order : (alpha^2 / 2) g^T H g;  predicted : their sum;
    actual : J(theta - alpha g) - J(theta);  curvature_along_gradient : g^T H g / g^T g.
    """

    first_order: float
    second_order: float
    predicted: float
    actual: float
    curvature_along_gradient: float


@checked(_targets_match_inputs)
def step_terms(X, y, params, learning_rate: float) -> StepTerms:
    """The Taylor terms of one gradient step of the regressor on X (n_0, m), y (1, m), measured in float64.

    g from backpropagation, H g from curvature's Hessian-vector product (two gradients).
    """
    theta, gradient_at = _regressor_problem(X, y, params)
    gradient = gradient_at(theta)[0]
    curvature = _hvp_operator(gradient_at, theta)(gradient)
    slope, bend = float(gradient @ gradient), float(gradient @ curvature)
    first, second = -learning_rate * slope, 0.5 * learning_rate**2 * bend
    dims = layer_dims_of(params)
    with np.errstate(over="ignore", invalid="ignore"):
        before = regressor_cost_and_gradients(X.astype(np.float64), y.astype(np.float64), unflatten_params(theta, dims))
        after = regressor_cost_and_gradients(X.astype(np.float64), y.astype(np.float64),
                                             unflatten_params(theta - learning_rate * gradient, dims))
    predicted = taylor_step_prediction(gradient, curvature, learning_rate)
    return StepTerms(first, second, predicted, after[0] - before[0], bend / slope if slope else 0.0)


@checked(_targets_match_inputs)
def regressor_sharpness(X, y, params, rng, *, num_iterations: int = 200, tol: float = 1e-6):
    """lambda_max of the Hessian of the regressor's mean squared error on X (n_0, m), y (1, m): an Eigenpair.

    Power iteration (curvature.top_eigenvalue) on Hessian-vector products, from rng.standard_normal(P).
    Gradient descent with step alpha is stable along the sharpest direction only while lambda_max < 2 / alpha.
    """
    theta, gradient_at = _regressor_problem(X, y, params)
    return top_eigenvalue(_hvp_operator(gradient_at, theta), rng.standard_normal(theta.size), num_iterations, tol)


# The set-up of notebook 10: the network, the mini-batch size (Keras's default) and the learning rate of the question.
LAYER_DIMS = (2, 32, 16, 1)
BATCH_SIZE = 32
LEARNING_RATE = 1e-3
WEIGHTS = ("small", "xavier", "he", "he x 10")
# A run "blows up" if its cost on all the data ever passes this multiple of where it started (or overflows).
BLOW_UP_FACTOR = 100.0


@checked(_targets_match_inputs)
def first_epoch(X, y, seed: int, *, learning_rate: float = LEARNING_RATE, weights: str = "he", dtype=np.float64,
                optimizer: str = "gd", epochs: int = 1) -> RegressionRun:
    """``epochs`` epochs of notebook 10's set-up from seed ``seed``: one np.random.default_rng(seed)
    initialises the [2, 32, 16, 1] network (``weights``: "small", "xavier", "he" or "he x 10"), then
    shuffles the mini-batches of 32.

    X (2, m), y (1, m).
    """
    rng = np.random.default_rng(seed)
    params = init_params_for(LAYER_DIMS, rng, weights)
    steps = epochs * -(-X.shape[1] // BATCH_SIZE)
    return train_regressor(X, y, params, learning_rate=learning_rate, num_steps=steps, batch_size=BATCH_SIZE,
                           rng=rng, dtype=dtype, optimizer=optimizer)


def init_params_for(layer_dims, rng, weights: str) -> list[LayerParams]:
    """init_params(layer_dims, rng, weights), plus "he x 10": He's weights times ten, an initialisation too large."""
    if weights not in WEIGHTS:
        raise ValueError(f"unknown weights {weights!r}; choose one of {', '.join(map(repr, WEIGHTS))}.")
    if weights == "he x 10":
        return [LayerParams(10.0 * W, b) for W, b in init_params(list(layer_dims), rng, "he")]
    return init_params(list(layer_dims), rng, weights)


def trains(run: RegressionRun) -> bool:
    """True if the run did not blow up (its cost on all the data stayed finite and below BLOW_UP_FACTOR times
    its start) and ended below where it started."""
    full = run.full_costs
    return bool(np.all(np.isfinite(full)) and full.max() < BLOW_UP_FACTOR * full[0] and full[-1] < full[0])


def _scaled_by(learner_function, X):
    """(the learner's scaled inputs, None) or (None, a message saying what went wrong)."""
    given = X.copy()
    try:
        scaled = learner_function(given)
    except NotImplementedError:
        return None, "✗ not written yet: replace the `raise NotImplementedError` line with your code."
    except Exception as error:  # noqa: BLE001 - the learner sees a message, not a traceback
        return None, f"✗ your function raised {type(error).__name__}: {error}"
    if not np.array_equal(given, X):
        return None, "✗ your function changed X in place; return a new array (write X / 10, not X /= 10)."
    if getattr(scaled, "shape", None) != X.shape or not np.all(np.isfinite(scaled)):
        got = getattr(scaled, "shape", scaled)
        return None, f"✗ return a finite array of the same shape as X, {X.shape}; got {got}."
    return np.asarray(scaled, dtype=np.float64), None


def check_scaling(learner_function, X, y, seeds=range(10)) -> str:
    """The exercise of notebook 10: with X (2, m) replaced by learner_function(X), does one epoch at learning
    rate 1e-3, batch 32, float32 train (``trains``) from every seed? Returns a message that starts with ✓ or ✗.
    """
    scaled, problem = _scaled_by(learner_function, X)
    if problem:
        return problem
    seeds = list(seeds)
    failed = [seed for seed in seeds if not trains(first_epoch(scaled, y, seed, dtype=np.float32))]
    largest = float(np.abs(scaled).max())
    if failed:
        return (f"✗ with your inputs (largest |x| = {largest:.4g}), {len(failed)} of {len(seeds)} seeds blew up "
                f"(cost above {BLOW_UP_FACTOR:g} times its start, or inf or nan) or did not end below their start "
                f"(seeds {failed}): for alpha = 1e-3 the inputs are still too large.")
    return f"✓ with your inputs (largest |x| = {largest:.4g}), all {len(seeds)} seeds train through the first epoch."

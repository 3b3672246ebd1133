"""Curvature of the cost: Hessian-vector products, the sharpness lambda_max, and the step limit 2 / lambda_max.

Near theta, J(theta + d) ~= J(theta) + g^T d + (1/2) d^T H d, with H (P, P) the
Hessian of the mean cost over the P parameters (in ``flatten_params`` order).
Along an eigenvector with eigenvalue lambda, a gradient step multiplies the
distance to the bottom by (1 - alpha lambda), so it shrinks only while
alpha < 2 / lambda (notebook 07). Every Hessian here is that of the stable
loss, which equals the naive loss wherever the naive one is finite. H is never
formed for a real network: ``hessian_vector_product`` gives H v from two gradients.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from itertools import repeat
from typing import NamedTuple

import numpy as np

from ._validation import checked
from .model import cost_and_gradients, model_backward, model_forward
from .parameters import flatten_params, layer_dims_of, unflatten_params
from .train import minibatches, starting_params, training_steps

# theta moves by this fraction of (1 + ||theta||): truncation error ~ step^2 and rounding ~ 1e-16 / step
# balance near 1e-10 of H v (checked against Richardson extrapolation in the tests).
HVP_RELATIVE_STEP = 1e-5
# How many times the step shrinks by 10 to keep a ReLU kink out of the difference.
KINK_RETRIES = 4
# full_hessian stores P x P numbers and costs 2P gradients; beyond this, use Hessian-vector products.
MAX_FULL_HESSIAN_PARAMS = 2000


class Eigenpair(NamedTuple):
    """An eigenvalue found by power iteration: value (float), vector (P,) of unit length,
    iterations (matrix-vector products used), converged (bool: the residual met the tolerance)."""

    value: float
    vector: np.ndarray
    iterations: int
    converged: bool


class StepCostChanges(NamedTuple):
    """Predicted and actual cost change of the steps theta -> theta - alpha g, one per alpha.

    learning_rates, predicted (-alpha g^T g + alpha^2/2 g^T H g), actual : (k,) arrays;
    gradient_norm_squared (g^T g), gradient_curvature (g^T H g) : floats;
    best_learning_rate : g^T g / g^T H g (inf if g^T H g <= 0, 0 if g = 0).
    """

    learning_rates: np.ndarray
    predicted: np.ndarray
    actual: np.ndarray
    gradient_norm_squared: float
    gradient_curvature: float
    best_learning_rate: float


class SharpnessHistory(NamedTuple):
    """What ``sharpness_along_training`` measured.

    iterations, costs, sharpness, converged : (s,) at steps 0, every, 2 every, ...
    cost_curve : (k + 1,) cost after 0..k steps;  threshold : 2 / learning_rate
    first_nonfinite : first step whose cost or gradient was inf or nan (training stopped), or None
    """

    iterations: np.ndarray
    costs: np.ndarray
    sharpness: np.ndarray
    converged: np.ndarray
    cost_curve: np.ndarray
    threshold: float
    first_nonfinite: int | None


def _finite_params(arguments):
    theta = flatten_params(arguments["params"])
    if not np.issubdtype(theta.dtype, np.number) or not np.all(np.isfinite(theta)):
        raise ValueError(
            "params contain nan or inf (or non-numbers); curvature is only defined at a finite point: "
            "use the parameters of the last finite step (History.params)."
        )


def _gradient_and_pattern(X, Y, dims, hidden_activation, theta):
    """Gradient (P,) of the stable mean cost at theta (P,), and the ReLU pattern (Z > 0 per hidden layer)."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        A_L, caches = model_forward(X, unflatten_params(theta, dims), hidden_activation)
        gradient = flatten_params(model_backward(A_L, Y, caches, hidden_activation, "fused"))
    if not np.all(np.isfinite(gradient)):
        raise FloatingPointError(
            "the gradient is inf or nan near these parameters (the forward pass overflowed); "
            "curvature can only be measured where the network's numbers are finite."
        )
    return gradient, tuple(cache.Z > 0 for cache in caches[:-1]) if hidden_activation == "relu" else ()


def _problem(X, Y, params, hidden_activation):
    """theta (P,) in float64 and the function theta -> (gradient, ReLU pattern)."""
    theta = flatten_params(params).astype(np.float64)
    return theta, partial(_gradient_and_pattern, X.astype(np.float64), Y.astype(np.float64),
                          layer_dims_of(params), hidden_activation)


def _same(first: tuple, second: tuple) -> bool:
    return all(np.array_equal(a, b) for a, b in zip(first, second))


def _hvp(gradient_at, theta, vector, centre) -> np.ndarray:
    """H v (P,) by a centred difference of the gradient, with a step that keeps clear of ReLU kinks.

    A step that changes which units are active differences two pieces of the
    cost (a spike of order jump / eps), so the step shrinks by 10, up to
    KINK_RETRIES times; if only one side ever matches theta's pattern, a
    one-sided difference on that side is used. centre = gradient_at(theta).
    """
    norm = float(np.linalg.norm(vector))
    if norm == 0.0:
        return np.zeros_like(theta)
    gradient, pattern = centre
    epsilon = HVP_RELATIVE_STEP * (1.0 + float(np.linalg.norm(theta))) / norm * 10.0
    for _ in range(KINK_RETRIES + 1):
        epsilon /= 10.0
        plus, plus_pattern = gradient_at(theta + epsilon * vector)
        minus, minus_pattern = gradient_at(theta - epsilon * vector)
        plus_same, minus_same = _same(plus_pattern, pattern), _same(minus_pattern, pattern)
        if plus_same and minus_same:
            break
    if plus_same == minus_same:  # both sides match theta, or neither ever did: the centred difference
        return (plus - minus) / (2.0 * epsilon)
    return (plus - gradient) / epsilon if plus_same else (gradient - minus) / epsilon


def _hvp_operator(gradient_at, theta) -> Callable[[np.ndarray], np.ndarray]:
    """The map v -> H v at theta (the gradient at theta computed once)."""
    return partial(_hvp, gradient_at, theta, centre=gradient_at(theta))


@checked(_finite_params)
def hessian_vector_product(X, Y, params, vector, *, hidden_activation: str = "relu", epsilon=None) -> np.ndarray:
    """H v (P,), the Hessian times a direction v (P,), from two gradients and without forming H.

        H v ~= (g(theta + eps v) - g(theta - eps v)) / (2 eps),  eps ||v|| = 1e-5 (1 + ||theta||)

    X (n_0, m), Y (1, m), params a list of LayerParams (not modified), vector in
    flatten_params order. With ReLU it measures the smooth piece of the cost
    that contains theta (see ``_hvp``); ``epsilon``, if given, is used as is.
    Raises FloatingPointError if the gradient overflows near theta.
    """
    theta, gradient_at = _problem(X, Y, params, hidden_activation)
    vector = np.asarray(vector, dtype=np.float64)
    if vector.shape != theta.shape or not np.all(np.isfinite(vector)):
        raise ValueError(
            f"vector has shape {vector.shape} but the network has {theta.size} parameters: pass a finite "
            f"1-D array of shape ({theta.size},), in the order of flatten_params."
        )
    if epsilon is None:
        return _hvp_operator(gradient_at, theta)(vector)
    return (gradient_at(theta + epsilon * vector)[0] - gradient_at(theta - epsilon * vector)[0]) / (2.0 * epsilon)


@checked(_finite_params)
def full_hessian(X, Y, params, *, hidden_activation: str = "relu") -> np.ndarray:
    """The whole Hessian H (P, P), column i = H e_i, symmetrised: for networks of at most 2,000 parameters.

    X (n_0, m), Y (1, m), params a list of LayerParams (not modified). Costs 2P gradients.
    """
    theta, gradient_at = _problem(X, Y, params, hidden_activation)
    if theta.size > MAX_FULL_HESSIAN_PARAMS:
        raise ValueError(
            f"this network has P = {theta.size} parameters, so its Hessian would be a {theta.size} x {theta.size} "
            f"matrix (the limit is P = {MAX_FULL_HESSIAN_PARAMS}); use sharpness(...) or "
            "hessian_vector_product(...), which never form the matrix, or a smaller network."
        )
    hvp = _hvp_operator(gradient_at, theta)
    hessian = np.column_stack([hvp(unit) for unit in np.eye(theta.size)])
    return (hessian + hessian.T) / 2.0  # finite differences leave it symmetric only to ~1e-10


def _nonzero_start(arguments):
    start = np.asarray(arguments["start"], dtype=np.float64)
    if start.ndim != 1 or not np.all(np.isfinite(start)) or not np.any(start):
        raise ValueError("start must be a finite, nonzero 1-D vector, such as rng.standard_normal(P).")


@checked(_nonzero_start)
def power_iteration(matvec, start, num_iterations: int = 100, tol: float = 1e-6) -> Eigenpair:
    """Eigenvalue of largest magnitude of a symmetric A, given only matvec: v (P,) -> A v (P,).

    Repeats v <- A v / ||A v|| from ``start`` (P,) until ||A v - lambda v|| <= tol ||A v||,
    lambda = v^T A v, or ``num_iterations`` products. The value may be negative.
    """
    vector = np.asarray(start, dtype=np.float64)
    vector = vector / np.linalg.norm(vector)
    value, converged = 0.0, False
    for iteration in range(1, num_iterations + 1):
        product = np.asarray(matvec(vector), dtype=np.float64)
        if product.shape != vector.shape:
            raise ValueError(f"matvec returned shape {product.shape} for a vector of shape {vector.shape}; "
                             "it must return A v, a vector of the same shape.")
        value, length = float(vector @ product), float(np.linalg.norm(product))
        if length == 0.0:  # A v = 0: v is an eigenvector with eigenvalue 0
            return Eigenpair(0.0, vector, iteration, True)
        converged = float(np.linalg.norm(product - value * vector)) <= tol * length
        vector = product / length
        if converged:
            return Eigenpair(value, vector, iteration, True)
    return Eigenpair(value, vector, num_iterations, converged)


@checked(_nonzero_start)
def top_eigenvalue(matvec, start, num_iterations: int = 100, tol: float = 1e-6) -> Eigenpair:
    """The algebraically largest eigenvalue lambda_max of a symmetric A, given v -> A v.

    Power iteration finds the largest |lambda|, which may be the most negative
    one. If it converges to a value >= 0, that is lambda_max; otherwise run it
    again on A + s I, s = ||A v|| (every eigenvalue becomes >= about 0), and subtract s.
    """
    first = power_iteration(matvec, start, num_iterations, tol)
    if first.converged and first.value >= 0:
        return first
    shift = float(np.linalg.norm(matvec(first.vector)))
    second = power_iteration(lambda v: matvec(v) + shift * v, start, num_iterations, tol)
    return Eigenpair(second.value - shift, second.vector, first.iterations + 1 + second.iterations, second.converged)


@checked(_finite_params)
def sharpness(X, Y, params, rng, *, num_iterations: int = 100, tol: float = 1e-6,
              hidden_activation: str = "relu") -> Eigenpair:
    """lambda_max of the Hessian of the mean cost, by ``top_eigenvalue`` on Hessian-vector products.

    X (n_0, m), Y (1, m), params a list of LayerParams (not modified); the start
    vector is rng.standard_normal(P). Gradient descent with step alpha is stable
    along the sharpest direction only while lambda_max < 2 / alpha.
    """
    theta, gradient_at = _problem(X, Y, params, hidden_activation)
    start = rng.standard_normal(theta.size)
    return top_eigenvalue(_hvp_operator(gradient_at, theta), start, num_iterations, tol)


@checked(_finite_params)
def condition_number(X, Y, params, *, hidden_activation: str = "relu", relative_cutoff: float = 1e-6) -> float:
    """lambda_max / lambda_min over the positive eigenvalues of the full Hessian (small networks); inf if none.

    Zero and negative eigenvalues are left out (the usual condition number is
    undefined there); eigenvalues below relative_cutoff * max |lambda| count as zero.
    """
    eigenvalues = np.linalg.eigvalsh(full_hessian(X, Y, params, hidden_activation=hidden_activation))
    positive = eigenvalues[eigenvalues > relative_cutoff * float(np.abs(eigenvalues).max())]
    return float(positive.max() / positive.min()) if positive.size else float("inf")


def _gradient_pair(arguments):
    gradient, curvature = (np.asarray(arguments[name], dtype=np.float64) for name in ("gradient", "hvp_of_gradient"))
    if gradient.ndim != 1 or gradient.shape != curvature.shape:
        raise ValueError(
            f"gradient and hvp_of_gradient must be 1-D of the same shape (P,); got {gradient.shape} and "
            f"{curvature.shape}: flatten a list of LayerParams with flatten_params."
        )


@checked(_gradient_pair)
def taylor_step_prediction(gradient, hvp_of_gradient, alpha):
    """Second-order prediction of the cost change of the step theta -> theta - alpha g:

        delta_J ~= -alpha g^T g + (alpha^2 / 2) g^T H g

    gradient : (P,) g;  hvp_of_gradient : (P,) H g;  alpha : the learning rate, a number or an array
    (the prediction has its shape).
    """
    alpha = np.asarray(alpha, dtype=np.float64)
    predicted = -alpha * float(gradient @ gradient) + 0.5 * alpha**2 * float(gradient @ hvp_of_gradient)
    return float(predicted) if predicted.ndim == 0 else predicted


@checked(_gradient_pair)
def taylor_best_learning_rate(gradient, hvp_of_gradient) -> float:
    """The alpha that minimises taylor_step_prediction, g^T g / g^T H g, from g (P,) and H g (P,).

    0 when g = 0 (no step needed); inf when g^T H g <= 0 (the model has no minimum along -g).
    """
    slope, curvature = float(gradient @ gradient), float(gradient @ hvp_of_gradient)
    if slope == 0.0:
        return 0.0
    return slope / curvature if curvature > 0.0 else float("inf")


def _positive_rates(arguments):
    rates = np.atleast_1d(np.asarray(arguments["learning_rates"], dtype=np.float64))
    if rates.ndim != 1 or not np.all(np.isfinite(rates)) or not np.all(rates > 0):
        raise ValueError("learning_rates must be a 1-D array of finite numbers greater than 0, such as [0.01, 0.1].")


@checked(_finite_params, _positive_rates)
def step_cost_changes(X, Y, params, learning_rates, *, loss: str = "stable",
                      hidden_activation: str = "relu") -> StepCostChanges:
    """Predicted (quadratic model) and actual change of the cost for one gradient step at each alpha.

    X (n_0, m), Y (1, m), params (not modified), learning_rates (k,). g and H g
    come from the stable loss; the actual change uses ``loss``, so with "naive"
    it is inf or nan wherever that loss overflows.
    """
    rates = np.atleast_1d(np.asarray(learning_rates, dtype=np.float64))
    theta, gradient_at = _problem(X, Y, params, hidden_activation)
    gradient = gradient_at(theta)[0]
    curvature = _hvp_operator(gradient_at, theta)(gradient)
    dims = layer_dims_of(params)

    def cost_at(point):
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            return cost_and_gradients(X, Y, unflatten_params(point, dims), loss, hidden_activation)[0]

    start = cost_at(theta)
    return StepCostChanges(
        rates, np.asarray(taylor_step_prediction(gradient, curvature, rates)),
        np.array([cost_at(theta - alpha * gradient) - start for alpha in rates]),
        float(gradient @ gradient), float(gradient @ curvature), taylor_best_learning_rate(gradient, curvature),
    )


@checked(_finite_params)
def sharpness_along_training(X, Y, params, *, learning_rate: float, num_iterations: int, every: int, rng,
                             loss: str = "stable", hidden_activation: str = "relu", power_iterations: int = 100,
                             tol: float = 1e-6) -> SharpnessHistory:
    """Train by full-batch gradient descent (``fit``'s loop) and measure the sharpness every ``every`` steps.

    X (n_0, m), Y (1, m), params the starting list of LayerParams (not modified).
    ``loss`` is the training formulation (loss="naive" reproduces the original
    question); the sharpness is always the stable loss's. Training stops, as in
    fit, at the first inf or nan. power_iterations and tol go to ``sharpness``.
    """
    params = starting_params(None, None, params, "small", np.float64)
    steps = training_steps(params, minibatches(X, Y, None, rng), repeat(learning_rate, num_iterations + 1),
                           loss, hidden_activation)
    curve, measured, nonfinite_at = [], [], None
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        for step, (now, cost, grads) in enumerate(steps):
            curve.append(cost)
            if not (np.isfinite(cost) and np.all(np.isfinite(flatten_params(grads)))):
                nonfinite_at = step
                break
            if step % every == 0:
                top = sharpness(X, Y, now, rng, num_iterations=power_iterations, tol=tol,
                                hidden_activation=hidden_activation)
                measured.append((step, cost, top.value, top.converged))
    steps_at, costs, values, converged = (np.array(column) for column in (list(zip(*measured)) or [()] * 4))
    return SharpnessHistory(steps_at.astype(int), costs.astype(float), values.astype(float), converged.astype(bool),
                            np.array(curve), 2.0 / learning_rate, nonfinite_at)

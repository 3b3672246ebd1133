"""Curvature of the cost: Hessian-vector products, sharpness, and the step-size limit 2 / lambda_max.

Near a point theta, the cost is approximately a quadratic,

    J(theta + d) ~= J(theta) + g^T d + (1/2) d^T H d,

with g the gradient and H (P, P) the Hessian, the matrix of second derivatives
of the mean cost with respect to the P parameters (in the order of
``flatten_params``: W then b, layer by layer). Along an eigenvector of H with
eigenvalue lambda, one gradient step multiplies the distance to the bottom of
the quadratic by (1 - alpha lambda): the step shrinks it only if
|1 - alpha lambda| < 1, that is alpha < 2 / lambda. The largest eigenvalue
lambda_max is the *sharpness* (Cohen et al., 2021, "Gradient Descent on Neural
Networks Typically Occurs at the Edge of Stability"); once it exceeds
2 / alpha, gradient descent overshoots along that direction and the cost can
rise.

Every Hessian here is the Hessian of the *stable* (logit) cross-entropy,
differentiated through the "fused" output path. The naive loss is the same
function wherever it is finite, so its Hessian is the same there too; the
stable form is used because its gradient never becomes inf or nan.

H is never formed for a real network: ``hessian_vector_product`` gives H v
from two gradients, which is all that power iteration needs.
``full_hessian`` builds all of H from P such products, for tiny networks only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from ._validation import (
    as_float_matrix,
    check_choice,
    check_features,
    check_labels,
    check_learning_rate,
    check_positive_int,
    check_rng,
)
from .activations import ACTIVATIONS
from .losses import LOSSES
from .model import OUTPUT_PATHS, cost_and_gradients, model_backward, model_forward
from .optim import gradient_descent_step
from .parameters import LayerParams, check_params, flatten_params, layer_dims_of, unflatten_params

# Relative size of the finite-difference step: theta moves by this fraction of
# (1 + ||theta||). The centred difference has a truncation error of order
# step^2 (~1e-10 relative) and a rounding error of order 1e-16 / step (~1e-11);
# on small test networks H v agrees with a Richardson-extrapolated reference to
# about 1e-10 with this step, against about 1e-8 with 1e-4.
HVP_RELATIVE_STEP = 1e-5

# How many times the step shrinks by 10 to keep a ReLU kink out of the difference (see _hvp).
KINK_RETRIES = 4

# full_hessian stores P x P numbers and costs 2P gradients; beyond this, use HVPs.
MAX_FULL_HESSIAN_PARAMS = 2000


class Eigenpair(NamedTuple):
    """Result of ``power_iteration``.

    value : float, the Rayleigh quotient v^T A v of the final vector
    vector : (P,) unit vector
    iterations : int, number of matrix-vector products used
    converged : bool, True if the residual ||A v - value v|| fell to tol * ||A v||
    """

    value: float
    vector: np.ndarray
    iterations: int
    converged: bool


class Sharpness(NamedTuple):
    """The largest eigenvalue of a symmetric matrix (the Hessian, for ``sharpness``).

    value : float, lambda_max (the algebraically largest eigenvalue, which may be negative)
    vector : (P,) its unit eigenvector (sign arbitrary)
    iterations : int, matrix-vector products used (Hessian-vector products for ``sharpness``)
    converged : bool, True if the last power iteration met its tolerance
    """

    value: float
    vector: np.ndarray
    iterations: int
    converged: bool


class StepCostChanges(NamedTuple):
    """Predicted and actual cost change for gradient steps theta -> theta - alpha g.

    learning_rates : (k,) the step sizes alpha
    predicted : (k,) second-order prediction -alpha g^T g + (alpha^2 / 2) g^T H g
    actual : (k,) J(theta - alpha g) - J(theta), computed with the chosen loss
        (inf or nan where the naive loss overflows)
    gradient_norm_squared : float, g^T g
    gradient_curvature : float, g^T H g (the curvature along g, times ||g||^2)
    best_learning_rate : float, the alpha that minimises the prediction,
        g^T g / g^T H g; inf when g^T H g <= 0 (the quadratic keeps falling), 0 when g = 0
    """

    learning_rates: np.ndarray
    predicted: np.ndarray
    actual: np.ndarray
    gradient_norm_squared: float
    gradient_curvature: float
    best_learning_rate: float


class SharpnessHistory(NamedTuple):
    """What ``sharpness_along_training`` measured.

    iterations : (s,) the steps at which the sharpness was measured (0, every, 2 every, ...)
    costs : (s,) the cost (with the training loss) at those steps
    sharpness : (s,) lambda_max of the Hessian at those steps
    converged : (s,) bool, whether each power iteration met its tolerance
    cost_curve : (k + 1,) the cost after 0, 1, ..., k steps (k <= num_iterations)
    threshold : float, 2 / learning_rate, the sharpness above which a step overshoots
    first_nonfinite : first step whose cost or gradient was inf or nan (training stopped there), or None
    """

    iterations: np.ndarray
    costs: np.ndarray
    sharpness: np.ndarray
    converged: np.ndarray
    cost_curve: np.ndarray
    threshold: float
    first_nonfinite: int | None


# ----------------------------------------------------------------------------
# Input checks


def _checked_problem(X, Y, params, hidden_activation: str):
    """Validate X (n_0, m), Y (1, m), params and the activation; return X, Y, params, dims."""
    X = as_float_matrix(X, "X")
    params = check_params(params)
    dims = layer_dims_of(params)
    check_features(X, dims[0])
    Y = check_labels(Y, m=X.shape[1])
    check_choice(hidden_activation, "activation", tuple(ACTIVATIONS))
    theta = flatten_params(params)
    if not np.issubdtype(theta.dtype, np.number) or not np.all(np.isfinite(theta)):
        raise ValueError(
            "params contain nan or inf (or non-numbers); curvature is only defined at a finite point: "
            "use the parameters of the last finite step (History.params)."
        )
    return X, Y, params, dims


def _as_vector(vector, size: int, name: str) -> np.ndarray:
    """Return ``vector`` as a finite float64 array of shape (size,)."""
    try:
        array = np.asarray(vector, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a NumPy array of numbers of shape ({size},).") from None
    if array.shape != (size,):
        raise ValueError(
            f"{name} has shape {array.shape} but the network has {size} parameters: pass a 1-D array of "
            f"shape ({size},), in the order of flatten_params (flatten a list of LayerParams with flatten_params)."
        )
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains nan or inf; pass a finite direction.")
    return array


def _check_tolerance(tol) -> float:
    if isinstance(tol, bool) or not isinstance(tol, (int, float, np.floating)) or not 0 < tol < 1:
        raise ValueError(f"tol must be a number between 0 and 1, such as 1e-6; got {tol!r}.")
    return float(tol)


# ----------------------------------------------------------------------------
# Gradient and Hessian-vector product (inputs already checked)


def _gradient_and_pattern(X, Y, theta: np.ndarray, dims: list[int], hidden_activation: str):
    """Gradient (P,) of the stable mean cost at the flat parameters theta (P,), via the fused path.

    Also returns the ReLU activity pattern: a tuple with one boolean array
    (n_l, m), Z > 0, per hidden layer (empty for smooth activations, which
    have no kinks). Raises FloatingPointError if the forward pass overflows
    (only for enormous parameters).
    """
    params = unflatten_params(theta, dims)
    # Overflow is detected just below and reported as an exception, not a warning.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        A_L, caches = model_forward(X, params, hidden_activation)
        grads = model_backward(A_L, Y, caches, hidden_activation, "fused")
    gradient = flatten_params(grads)
    if not np.all(np.isfinite(gradient)):
        raise FloatingPointError(
            "the gradient is inf or nan near these parameters (the forward pass overflowed); "
            "curvature can only be measured where the network's numbers are finite."
        )
    pattern = tuple(cache.Z > 0 for cache in caches[:-1]) if hidden_activation == "relu" else ()
    return gradient, pattern


def _flat_gradient(X, Y, theta: np.ndarray, dims: list[int], hidden_activation: str) -> np.ndarray:
    """Gradient (P,) of the stable mean cost at theta (P,); see _gradient_and_pattern."""
    return _gradient_and_pattern(X, Y, theta, dims, hidden_activation)[0]


def _same_pattern(first: tuple, second: tuple) -> bool:
    return all(np.array_equal(a, b) for a, b in zip(first, second))


def _hvp(X, Y, theta, dims, hidden_activation, vector, epsilon=None, centre=None) -> np.ndarray:
    """H v (P,) by a centred difference of the gradient along v (see hessian_vector_product).

    With ReLU, a step that crosses a kink (a pre-activation changing sign)
    would difference two different pieces of the cost and give a spike of
    order (jump in gradient) / eps instead of a second derivative. So the
    step shrinks by 10, up to KINK_RETRIES times, until theta + eps v and
    theta - eps v have the same active units as theta; if only one side ever
    does (theta sits on a kink), a one-sided difference on that side is used.
    ``centre`` is (gradient, pattern) at theta, when the caller already has it.
    """
    norm = float(np.linalg.norm(vector))
    if norm == 0.0:
        return np.zeros_like(theta, dtype=np.float64)
    if epsilon is not None or hidden_activation != "relu":
        # No kinks to avoid, or a step the caller chose and wants used as it is.
        if epsilon is None:
            epsilon = HVP_RELATIVE_STEP * (1.0 + float(np.linalg.norm(theta))) / norm
        plus = _flat_gradient(X, Y, theta + epsilon * vector, dims, hidden_activation)
        minus = _flat_gradient(X, Y, theta - epsilon * vector, dims, hidden_activation)
        return (plus - minus) / (2.0 * epsilon)
    gradient, pattern = centre if centre is not None else _gradient_and_pattern(X, Y, theta, dims, hidden_activation)
    epsilon = HVP_RELATIVE_STEP * (1.0 + float(np.linalg.norm(theta))) / norm
    for attempt in range(KINK_RETRIES + 1):
        plus, plus_pattern = _gradient_and_pattern(X, Y, theta + epsilon * vector, dims, hidden_activation)
        minus, minus_pattern = _gradient_and_pattern(X, Y, theta - epsilon * vector, dims, hidden_activation)
        plus_same, minus_same = _same_pattern(plus_pattern, pattern), _same_pattern(minus_pattern, pattern)
        if plus_same and minus_same:
            return (plus - minus) / (2.0 * epsilon)
        if attempt < KINK_RETRIES:
            epsilon /= 10.0
    if plus_same:
        return (plus - gradient) / epsilon
    if minus_same:
        return (gradient - minus) / epsilon
    return (plus - minus) / (2.0 * epsilon)


def _hvp_operator(X, Y, theta, dims, hidden_activation) -> Callable[[np.ndarray], np.ndarray]:
    """The map v -> H v at theta, as a function of v alone (the gradient at theta computed once)."""
    centre = _gradient_and_pattern(X, Y, theta, dims, hidden_activation)
    return lambda vector: _hvp(X, Y, theta, dims, hidden_activation, vector, centre=centre)


def hessian_vector_product(X, Y, params, vector, *, hidden_activation: str = "relu", epsilon=None) -> np.ndarray:
    """H v, the Hessian of the mean cost times a direction v, without forming H.

    The gradient changes along v at the rate H v, so the centred difference

        H v ~= (g(theta + eps v) - g(theta - eps v)) / (2 eps)

    costs two backprop passes, whatever the number of parameters. Its error is
    of order eps^2 (truncation) plus 1e-16 / eps (rounding). The default step
    moves the parameters by a fixed fraction of their size,

        eps ||v|| = 1e-5 * (1 + ||theta||),

    so the answer does not depend on how v is scaled, and both errors stay
    near 1e-10 of H v. The "1 +" keeps the step sensible at theta = 0.

    A ReLU network's cost has kinks where a pre-activation crosses 0: there
    the gradient jumps and no Hessian exists. Between kinks the cost is
    smooth, and this function measures the Hessian of the smooth piece that
    contains theta (what automatic differentiation reports): with ReLU, the
    default step shrinks (down to 1e-9 of the parameters' size) until
    theta + eps v and theta - eps v have the same active units as theta, and
    if theta sits on a kink, a one-sided difference on the side that matches
    theta's units (where relu'(0) = 0) is used. Without this a step across a
    kink returns a spike of order (jump in gradient) / eps, not a curvature.

    Parameters
    ----------
    X : (n_0, m) inputs, one example per column
    Y : (1, m) labels, 0 or 1
    params : list of LayerParams, W (n_l, n_{l-1}) and b (n_l, 1); not modified
    vector : (P,) direction, in the order of ``flatten_params(params)``
    hidden_activation : "relu", "tanh" or "sigmoid"
    epsilon : optional float > 0, the step along v, used as given (no kink check)

    Returns
    -------
    (P,) array, H v (zeros when v = 0).

    Raises FloatingPointError if the gradient overflows near theta.
    """
    X, Y, params, dims = _checked_problem(X, Y, params, hidden_activation)
    theta = flatten_params(params).astype(np.float64)
    vector = _as_vector(vector, theta.size, "vector")
    if epsilon is not None and (isinstance(epsilon, bool) or not np.isfinite(epsilon) or epsilon <= 0):
        raise ValueError(f"epsilon must be a finite number greater than 0, such as 1e-5, or None; got {epsilon!r}.")
    return _hvp(X, Y, theta, dims, hidden_activation, vector, None if epsilon is None else float(epsilon))


def full_hessian(X, Y, params, *, hidden_activation: str = "relu") -> np.ndarray:
    """The whole Hessian H (P, P) of the mean cost, for small networks only.

    Column i is H e_i, a Hessian-vector product with the i-th unit vector, so
    this costs 2P gradients and P^2 numbers; the result is symmetrised,
    (H + H^T) / 2, since finite differences leave it symmetric only to about
    1e-10 of its largest entry.

    X (n_0, m), Y (1, m), params a list of LayerParams (not modified).
    Raises ValueError when P > 2000.
    """
    X, Y, params, dims = _checked_problem(X, Y, params, hidden_activation)
    theta = flatten_params(params).astype(np.float64)
    size = theta.size
    if size > MAX_FULL_HESSIAN_PARAMS:
        raise ValueError(
            f"this network has P = {size} parameters, so its Hessian would be a {size} x {size} matrix "
            f"(the limit is P = {MAX_FULL_HESSIAN_PARAMS}); use sharpness(...) or hessian_vector_product(...), "
            "which never form the matrix, or a smaller network."
        )
    hvp = _hvp_operator(X, Y, theta, dims, hidden_activation)
    columns = [hvp(unit) for unit in np.eye(size)]
    hessian = np.column_stack(columns)
    return (hessian + hessian.T) / 2.0


# ----------------------------------------------------------------------------
# Largest eigenvalue by power iteration


def power_iteration(
    matvec: Callable[[np.ndarray], np.ndarray], start, num_iterations: int = 100, tol: float = 1e-6
) -> Eigenpair:
    """Eigenvalue of largest *magnitude* of a symmetric matrix A, given only v -> A v.

    Repeats v <- A v / ||A v||: the component along the eigenvector whose
    eigenvalue has the largest |lambda| grows fastest, by the ratio
    |lambda_1 / lambda_2| per step. That eigenvalue may be negative.

    Parameters
    ----------
    matvec : function taking a (P,) vector to A times it, (P,)
    start : (P,) nonzero starting vector
    num_iterations : most matrix-vector products to use
    tol : stop when ||A v - lambda v|| <= tol * ||A v|| for the unit vector v and
        lambda = v^T A v. Then some eigenvalue of A lies within tol * ||A v|| of
        lambda (A symmetric), and lambda itself is closer still, by a factor
        of order that residual over the gap to the next eigenvalue.

    Returns
    -------
    Eigenpair(value, vector (P,), iterations, converged)
    """
    num_iterations = check_positive_int(num_iterations, "num_iterations")
    tol = _check_tolerance(tol)
    vector = np.asarray(start, dtype=np.float64)
    norm = float(np.linalg.norm(vector))
    if vector.ndim != 1 or not np.isfinite(norm) or norm == 0.0:
        raise ValueError("start must be a finite, nonzero 1-D vector, such as rng.standard_normal(P).")
    vector = vector / norm
    value, converged = 0.0, False
    for iteration in range(1, num_iterations + 1):
        product = np.asarray(matvec(vector), dtype=np.float64)
        if product.shape != vector.shape:
            raise ValueError(
                f"matvec returned shape {product.shape} for a vector of shape {vector.shape}; "
                "it must return A v, a vector of the same shape."
            )
        value = float(vector @ product)
        length = float(np.linalg.norm(product))
        if length == 0.0:
            # A v = 0: v is an eigenvector with eigenvalue 0, and 0 is all A has along it.
            return Eigenpair(0.0, vector, iteration, True)
        converged = float(np.linalg.norm(product - value * vector)) <= tol * length
        vector = product / length
        if converged:
            return Eigenpair(value, vector, iteration, True)
    return Eigenpair(value, vector, num_iterations, converged)


def top_eigenvalue(
    matvec: Callable[[np.ndarray], np.ndarray], start, num_iterations: int = 100, tol: float = 1e-6
) -> Sharpness:
    """The algebraically largest eigenvalue lambda_max of a symmetric matrix A, given v -> A v.

    Power iteration finds the eigenvalue of largest magnitude, which on a
    non-convex cost can be the most negative one. So:

    1. Run power iteration on A. If it converged to a value >= 0, that value is
       lambda_max (nothing is larger in magnitude, so nothing is larger).
    2. Otherwise shift: run power iteration on A + s I with s = ||A v|| from
       step 1 (about max |lambda|, so every eigenvalue of A + s I is >= about 0).
       Its largest-magnitude eigenvalue is then lambda_max + s; subtract s.

    Both runs start from ``start`` and use up to ``num_iterations`` products each;
    ``tol`` is as in ``power_iteration``.

    Returns Sharpness(value, vector (P,), iterations (total products), converged).
    """
    first = power_iteration(matvec, start, num_iterations, tol)
    if first.converged and first.value >= 0:
        return Sharpness(first.value, first.vector, first.iterations, True)
    shift = float(np.linalg.norm(matvec(first.vector)))
    second = power_iteration(lambda v: matvec(v) + shift * v, start, num_iterations, tol)
    return Sharpness(second.value - shift, second.vector, first.iterations + 1 + second.iterations, second.converged)


def sharpness(
    X, Y, params, rng, *, num_iterations: int = 100, tol: float = 1e-6, hidden_activation: str = "relu"
) -> Sharpness:
    """lambda_max, the largest eigenvalue of the Hessian of the mean cost: the sharpness.

    Found by ``top_eigenvalue`` on Hessian-vector products, starting from
    ``rng.standard_normal(P)`` (one draw from rng). Gradient descent with step
    alpha is stable along the sharpest direction only while lambda_max < 2 / alpha.

    Parameters
    ----------
    X : (n_0, m), Y : (1, m), params : list of LayerParams (not modified)
    rng : np.random.Generator or RandomState
    num_iterations : most Hessian-vector products per power iteration (there are at most two)
    tol : relative residual at which power iteration stops (see ``power_iteration``)
    hidden_activation : "relu", "tanh" or "sigmoid"

    Returns
    -------
    Sharpness(value, vector (P,), iterations, converged)
    """
    X, Y, params, dims = _checked_problem(X, Y, params, hidden_activation)
    check_rng(rng)
    theta = flatten_params(params).astype(np.float64)
    start = rng.standard_normal(theta.size)
    return top_eigenvalue(_hvp_operator(X, Y, theta, dims, hidden_activation), start, num_iterations, tol)


def condition_number(X, Y, params, *, hidden_activation: str = "relu", relative_cutoff: float = 1e-6) -> float:
    """lambda_max / lambda_min over the *positive* eigenvalues of the full Hessian (small networks).

    A network's Hessian usually has zero and negative eigenvalues too, where
    the usual condition number is undefined; this ratio ignores them and
    measures only how unequal the upward curvatures are (how much smaller the
    learning rate that 2 / lambda_max allows is than the gentlest upward
    direction would like). Eigenvalues below ``relative_cutoff * max |lambda|``
    count as zero: finite differences leave about 1e-10 of noise there.

    X (n_0, m), Y (1, m), params a list of LayerParams. Returns inf when no
    eigenvalue is positive.
    """
    if (
        isinstance(relative_cutoff, bool)
        or not isinstance(relative_cutoff, (int, float))
        or not 0 < relative_cutoff < 1
    ):
        raise ValueError(f"relative_cutoff must be a number between 0 and 1, such as 1e-6; got {relative_cutoff!r}.")
    eigenvalues = np.linalg.eigvalsh(full_hessian(X, Y, params, hidden_activation=hidden_activation))
    scale = float(np.abs(eigenvalues).max())
    positive = eigenvalues[eigenvalues > relative_cutoff * scale]
    if positive.size == 0:
        return float("inf")
    return float(positive.max() / positive.min())


# ----------------------------------------------------------------------------
# One gradient step on the quadratic model


def _gradient_pair(gradient, hvp_of_gradient):
    """Return g and H g as float64 vectors after checking both are (P,)."""
    gradient = np.asarray(gradient, dtype=np.float64)
    hvp_of_gradient = np.asarray(hvp_of_gradient, dtype=np.float64)
    if gradient.ndim != 1 or gradient.shape != hvp_of_gradient.shape:
        raise ValueError(
            f"gradient and hvp_of_gradient must be 1-D of the same shape (P,); got {gradient.shape} and "
            f"{hvp_of_gradient.shape}: flatten a list of LayerParams with flatten_params."
        )
    return gradient, hvp_of_gradient


def taylor_step_prediction(gradient, hvp_of_gradient, learning_rate):
    """Second-order prediction of the cost change for the step theta -> theta - alpha g.

        delta_J ~= -alpha g^T g + (alpha^2 / 2) g^T H g

    gradient : (P,) g;  hvp_of_gradient : (P,) H g;  learning_rate : alpha, a number or an array.
    Returns a float, or an array of the same shape as learning_rate.
    """
    gradient, hvp_of_gradient = _gradient_pair(gradient, hvp_of_gradient)
    alpha = np.asarray(learning_rate, dtype=np.float64)
    predicted = -alpha * float(gradient @ gradient) + 0.5 * alpha**2 * float(gradient @ hvp_of_gradient)
    return float(predicted) if predicted.ndim == 0 else predicted


def taylor_best_learning_rate(gradient, hvp_of_gradient) -> float:
    """The alpha that minimises the prediction of ``taylor_step_prediction``: g^T g / g^T H g.

    Returns 0 when g = 0 (no step is needed) and inf when g^T H g <= 0 (the
    quadratic model curves down, or not at all, along -g: it has no minimum).
    gradient : (P,) g;  hvp_of_gradient : (P,) H g.
    """
    gradient, hvp_of_gradient = _gradient_pair(gradient, hvp_of_gradient)
    slope = float(gradient @ gradient)
    curvature = float(gradient @ hvp_of_gradient)
    if slope == 0.0:
        return 0.0
    if curvature <= 0.0:
        return float("inf")
    return slope / curvature


def step_cost_changes(
    X, Y, params, learning_rates, *, loss: str = "stable", hidden_activation: str = "relu"
) -> StepCostChanges:
    """Predicted (quadratic model) and actual cost change for one gradient step at each alpha.

    The gradient and H g come from the stable loss (see the module docstring);
    the actual change J(theta - alpha g) - J(theta) uses ``loss``, so with
    "naive" it is inf or nan wherever that loss overflows.

    Parameters
    ----------
    X : (n_0, m), Y : (1, m), params : list of LayerParams (not modified)
    learning_rates : (k,) step sizes alpha > 0 (a number is treated as k = 1)
    loss : "stable" or "naive", for the actual cost
    hidden_activation : "relu", "tanh" or "sigmoid"

    Returns
    -------
    StepCostChanges
    """
    X, Y, params, dims = _checked_problem(X, Y, params, hidden_activation)
    check_choice(loss, "loss", LOSSES)
    rates = np.atleast_1d(np.asarray(learning_rates, dtype=np.float64))
    if rates.ndim != 1 or not np.all(np.isfinite(rates)) or not np.all(rates > 0):
        raise ValueError("learning_rates must be a 1-D array of finite numbers greater than 0, such as [0.01, 0.1].")
    theta = flatten_params(params).astype(np.float64)
    gradient = _flat_gradient(X, Y, theta, dims, hidden_activation)
    curvature_along_gradient = _hvp_operator(X, Y, theta, dims, hidden_activation)(gradient)

    def cost_at(point):
        # The naive loss may overflow far from theta; that inf is part of the answer.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            cost, _ = cost_and_gradients(X, Y, unflatten_params(point, dims), loss, "fused", hidden_activation)
        return cost

    start_cost = cost_at(theta)
    actual = np.array([cost_at(theta - alpha * gradient) - start_cost for alpha in rates])
    return StepCostChanges(
        learning_rates=rates,
        predicted=np.asarray(taylor_step_prediction(gradient, curvature_along_gradient, rates)),
        actual=actual,
        gradient_norm_squared=float(gradient @ gradient),
        gradient_curvature=float(gradient @ curvature_along_gradient),
        best_learning_rate=taylor_best_learning_rate(gradient, curvature_along_gradient),
    )


# ----------------------------------------------------------------------------
# Sharpness during training


def sharpness_along_training(
    X,
    Y,
    params,
    *,
    learning_rate: float,
    num_iterations: int,
    every: int,
    rng,
    loss: str = "stable",
    output_path: str = "fused",
    hidden_activation: str = "relu",
    power_iterations: int = 100,
    tol: float = 1e-6,
) -> SharpnessHistory:
    """Train by plain gradient descent and measure the sharpness every ``every`` steps.

    The training steps are exactly those of ``fit`` (``cost_and_gradients``
    with ``loss`` and ``output_path``, then ``gradient_descent_step``), so
    loss="naive", output_path="lecture" reproduces the original question. The
    sharpness is always that of the stable loss's Hessian (see the module
    docstring): the same function wherever the naive loss is finite.
    Training stops, as in ``fit``, at the first step whose cost or gradient
    is inf or nan.

    Parameters
    ----------
    X : (n_0, m) inputs, Y : (1, m) labels
    params : initial list of LayerParams (not modified); build it with init_params
    learning_rate : alpha > 0
    num_iterations : number of gradient steps
    every : measure the sharpness at steps 0, every, 2 every, ... <= num_iterations
    rng : np.random.Generator or RandomState, for the power iterations' starting vectors
    loss : "stable" or "naive"; output_path : "fused" or "lecture" (for training only)
    hidden_activation : "relu", "tanh" or "sigmoid"
    power_iterations, tol : passed to ``sharpness`` as num_iterations and tol

    Returns
    -------
    SharpnessHistory
    """
    X, Y, params, dims = _checked_problem(X, Y, params, hidden_activation)
    learning_rate = check_learning_rate(learning_rate)
    num_iterations = check_positive_int(num_iterations, "num_iterations")
    every = check_positive_int(every, "every")
    check_rng(rng)
    check_choice(loss, "loss", LOSSES)
    check_choice(output_path, "output_path", OUTPUT_PATHS)
    power_iterations = check_positive_int(power_iterations, "power_iterations")
    tol = _check_tolerance(tol)

    params = [LayerParams(np.asarray(W, dtype=np.float64), np.asarray(b, dtype=np.float64)) for W, b in params]
    cost_curve = np.full(num_iterations + 1, np.nan)
    measured: list[tuple[int, float, float, bool]] = []
    nonfinite_at = None
    for step in range(num_iterations + 1):
        # As in fit: an overflowing run is an outcome to report, not a warning.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            cost, grads = cost_and_gradients(X, Y, params, loss, output_path, hidden_activation)
        finite_grads = all(np.all(np.isfinite(dW)) and np.all(np.isfinite(db)) for dW, db in grads)
        cost_curve[step] = cost
        if not (np.isfinite(cost) and finite_grads):
            nonfinite_at = step
            break
        if step % every == 0:
            theta = flatten_params(params)
            start = rng.standard_normal(theta.size)
            top = top_eigenvalue(_hvp_operator(X, Y, theta, dims, hidden_activation), start, power_iterations, tol)
            measured.append((step, float(cost), top.value, top.converged))
        if step < num_iterations:
            params = gradient_descent_step(params, grads, learning_rate)

    ran = num_iterations + 1 if nonfinite_at is None else nonfinite_at + 1
    steps, costs, values, converged = zip(*measured) if measured else ((), (), (), ())
    return SharpnessHistory(
        iterations=np.array(steps, dtype=int),
        costs=np.array(costs, dtype=np.float64),
        sharpness=np.array(values, dtype=np.float64),
        converged=np.array(converged, dtype=bool),
        cost_curve=cost_curve[:ran],
        threshold=2.0 / learning_rate,
        first_nonfinite=nonfinite_at,
    )

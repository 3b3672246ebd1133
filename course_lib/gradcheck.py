"""Finite-difference gradient check: is backprop right?

For every parameter theta_i, the centred difference

    (J(theta + eps e_i) - J(theta - eps e_i)) / (2 eps)

approximates dJ/dtheta_i with an error of order eps^2. We compare the whole
vector of approximations with the backprop gradient by the relative error
||g - g_approx|| / (||g|| + ||g_approx||): about 1e-9 or smaller in float64
when backprop is right, 1e-3 or larger when it has a bug.

A ReLU has a kink at 0. When a step of eps moves some hidden pre-activation
across 0, the two sides of the centred difference see different slopes and
the difference is wrong by up to half a slope, although backprop is right.
Such a component is measured again from the side that does not cross (a
one-sided difference of the same order, eps^2), and counted in ``kinks``; if
both sides cross (after a step 1000 times smaller), it is left out of the relative
error and listed in ``excluded``. Each difference of costs is computed from the
logits as one number (see ``_Probe.rise``), so a tiny gradient keeps its digits,
and a difference between g and g_approx within that rounding counts as 0.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._validation import check_gradient_check_request, checked
from .activations import sigmoid
from .model import cost_and_gradients, model_forward
from .parameters import LayerParams, flatten_params, layer_dims_of


class GradientCheck(NamedTuple):
    """relative_error : float; gradient and approximation : (P,) vectors, W then b, layer by layer.

    kinks : how many components crossed a ReLU kink with the centred step (measured one-sided instead)
    excluded : indices of the components left out of relative_error (a kink on both sides)
    """

    relative_error: float
    gradient: np.ndarray
    approximation: np.ndarray
    kinks: int = 0
    excluded: tuple = ()


class _Probe:
    """The cost and the on/off pattern of every hidden ReLU at theta + t e_i, one component changed in place."""

    def __init__(self, X, Y, params, hidden_activation: str):
        self.X, self.Y, self.hidden_activation = X, Y, hidden_activation
        self.theta = flatten_params(params).astype(np.float64)
        self.params, start = [], 0
        for n_prev, n_here in zip(layer_dims_of(params)[:-1], layer_dims_of(params)[1:]):
            W = self.theta[start : start + n_here * n_prev].reshape(n_here, n_prev)  # views into theta
            b = self.theta[start + n_here * n_prev : start + n_here * (n_prev + 1)].reshape(n_here, 1)
            self.params.append(LayerParams(W, b))
            start += n_here * (n_prev + 1)

    def at(self, i: int, t: float) -> tuple[np.ndarray, bytes]:
        """(logits Z_L (1, m), ReLU pattern) with theta_i moved by t; theta is restored exactly afterwards."""
        original = self.theta[i]
        self.theta[i] = original + t
        try:
            _, caches = model_forward(self.X, self.params, self.hidden_activation)
        finally:
            self.theta[i] = original
        if self.hidden_activation != "relu":
            return caches[-1].Z, b""  # tanh and sigmoid are smooth: no kink to cross
        return caches[-1].Z, b"".join(np.packbits(cache.Z > 0).tobytes() for cache in caches[:-1])

    def rise(self, Z_to: np.ndarray, Z_from: np.ndarray) -> np.ndarray:
        """[J(Z_to) - J(Z_from), its rounding]: the change of the mean cross-entropy, computed as one difference.

        Subtracting two costs of about 0.7 would keep only the digits they do not
        share; with log(1 + e^a) - log(1 + e^b) = log1p(sigmoid(b) expm1(a - b)) the
        change keeps its own 16 digits, which matters when the gradient is tiny.
        Both losses are this same function of the logits (they differ only where the
        naive one overflows). Its rounding is a few units in the last place of the change.
        """
        change = Z_to - Z_from
        with np.errstate(over="ignore", invalid="ignore"):
            rise = np.mean(np.log1p(sigmoid(Z_from) * np.expm1(change)) - self.Y * change)
        return np.array([rise, 4 * np.finfo(np.float64).eps * np.mean(np.abs(change))])


SMOOTH, ONE_SIDED, BOTH_SIDES_CROSS = 0, 1, 2


def _component(probe: _Probe, i: int, epsilon: float, base: tuple, retry: bool = True) -> tuple[np.ndarray, int]:
    """([dJ/dtheta_i measured, its rounding], SMOOTH, ONE_SIDED or BOTH_SIDES_CROSS).

    When both sides cross a kink, a step 1000 times smaller is tried once; if that
    crosses too, the centred value is returned, to be left out of the error.
    """
    up, down = probe.at(i, epsilon), probe.at(i, -epsilon)
    centred = probe.rise(up[0], down[0]) / (2 * epsilon)
    if up[1] == base[1] and down[1] == base[1]:
        return centred, SMOOTH
    for side, near in ((1.0, up), (-1.0, down)):
        if near[1] != base[1]:
            continue
        far = probe.at(i, 2 * side * epsilon)
        if far[1] == base[1]:
            # One-sided, second order: (-3 J(0) + 4 J(h) - J(2h)) / (2h), with h = side * epsilon.
            near_rise, near_rounding = probe.rise(near[0], base[0])
            far_rise, far_rounding = probe.rise(far[0], base[0])
            measured = [side * (4 * near_rise - far_rise), 4 * near_rounding + far_rounding]
            return np.array(measured) / (2 * epsilon), ONE_SIDED
    if retry:
        smaller, kind = _component(probe, i, epsilon / 1000, base, retry=False)
        return (smaller, ONE_SIDED) if kind != BOTH_SIDES_CROSS else (centred, BOTH_SIDES_CROSS)
    return centred, BOTH_SIDES_CROSS


@checked(check_gradient_check_request)
def gradient_check(
    X, Y, params, loss: str = "stable", hidden_activation: str = "relu", epsilon: float = 1e-6
) -> GradientCheck:
    """Compare backprop's gradient with finite differences of the cost, robust at ReLU kinks.

    X (n_0, m), Y (1, m), params a list of LayerParams; ``loss`` is the
    formulation checked ("naive" or "stable", see model.py). Costs about 2P + 1
    forward passes for P parameters, so use small networks or few examples.
    """
    gradient = flatten_params(cost_and_gradients(X, Y, params, loss, hidden_activation)[1])
    probe = _Probe(X, Y, params, hidden_activation)
    base = probe.at(0, 0.0)
    measured, kind = np.empty((probe.theta.size, 2)), np.zeros(probe.theta.size, dtype=int)
    for i in range(probe.theta.size):
        measured[i], kind[i] = _component(probe, i, epsilon, base)
    excluded = kind == BOTH_SIDES_CROSS
    error = _relative_error(gradient[~excluded], measured[~excluded, 0], measured[~excluded, 1])
    excluded_indices = tuple(int(i) for i in np.flatnonzero(excluded))
    return GradientCheck(error, gradient, measured[:, 0], int(np.count_nonzero(kind)), excluded_indices)


def _relative_error(gradient: np.ndarray, approximation: np.ndarray, rounding: np.ndarray) -> float:
    """||g - g_approx|| / (||g|| + ||g_approx||), where a difference within rounding counts as 0.

    Without that, a gradient that is exactly 0 (a dead unit, a balanced output)
    against an approximation of 1e-16 would give a relative error of 1.
    """
    difference = gradient - approximation
    difference = np.where(np.abs(difference) <= rounding, 0.0, difference)
    denominator = np.linalg.norm(gradient) + np.linalg.norm(approximation)
    return 0.0 if not difference.any() else float(np.linalg.norm(difference) / denominator)

"""Finite-difference gradient check: is backprop right?

For every parameter theta_i, the centred difference

    (J(theta + eps e_i) - J(theta - eps e_i)) / (2 eps)

approximates dJ/dtheta_i with an error of order eps^2. We compare the whole
vector of approximations with the backprop gradient by the relative error
||g - g_approx|| / (||g|| + ||g_approx||): about 1e-9 or smaller in float64
when backprop is right, 1e-3 or larger when it has a bug.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._validation import checked
from .model import cost_and_gradients
from .parameters import flatten_params, layer_dims_of, unflatten_params


class GradientCheck(NamedTuple):
    """relative_error : float; gradient and approximation : (P,) vectors, W then b, layer by layer."""

    relative_error: float
    gradient: np.ndarray
    approximation: np.ndarray


@checked()
def gradient_check(
    X, Y, params, loss: str = "stable", hidden_activation: str = "relu", epsilon: float = 1e-6
) -> GradientCheck:
    """Compare backprop's gradient with centred finite differences of the cost.

    X (n_0, m), Y (1, m), params a list of LayerParams; ``loss`` is the
    formulation checked ("naive" or "stable", see model.py). Costs 2P + 1
    forward passes for P parameters, so use small networks or few examples.
    """
    dims = layer_dims_of(params)

    def cost_at(vector):
        return cost_and_gradients(X, Y, unflatten_params(vector, dims), loss, hidden_activation)[0]

    gradient = flatten_params(cost_and_gradients(X, Y, params, loss, hidden_activation)[1])
    theta = flatten_params(params)
    approximation = np.empty_like(theta)
    for i in range(theta.size):
        step = np.zeros_like(theta)
        step[i] = epsilon
        approximation[i] = (cost_at(theta + step) - cost_at(theta - step)) / (2 * epsilon)
    denominator = np.linalg.norm(gradient) + np.linalg.norm(approximation)
    error = 0.0 if denominator == 0 else float(np.linalg.norm(gradient - approximation) / denominator)
    return GradientCheck(error, gradient, approximation)

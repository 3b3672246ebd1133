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

from ._validation import as_float_matrix, check_choice, check_features, check_labels
from .losses import LOSSES
from .model import OUTPUT_PATHS, cost_and_gradients
from .parameters import check_params, flatten_params, layer_dims_of, unflatten_params


class GradientCheck(NamedTuple):
    """relative_error : float; gradient and approximation : (P,) vectors, W then b, layer by layer."""

    relative_error: float
    gradient: np.ndarray
    approximation: np.ndarray


def gradient_check(
    X,
    Y,
    params,
    loss: str = "stable",
    output_path: str = "fused",
    hidden_activation: str = "relu",
    epsilon: float = 1e-6,
) -> GradientCheck:
    """Compare backprop's gradient with centred finite differences of the cost.

    X (n_0, m), Y (1, m), params a list of LayerParams. Costs 2P + 1 forward
    passes for P parameters, so use small networks or few examples.
    """
    X = as_float_matrix(X, "X")
    params = check_params(params)
    dims = layer_dims_of(params)
    check_features(X, dims[0])
    Y = check_labels(Y, m=X.shape[1])
    check_choice(loss, "loss", LOSSES)
    check_choice(output_path, "output_path", OUTPUT_PATHS)

    def cost_at(vector):
        cost, _ = cost_and_gradients(X, Y, unflatten_params(vector, dims), loss, output_path, hidden_activation)
        return cost

    _, grads = cost_and_gradients(X, Y, params, loss, output_path, hidden_activation)
    gradient = flatten_params(grads)
    theta = flatten_params(params)
    approximation = np.empty_like(theta)
    for i in range(theta.size):
        step = np.zeros_like(theta)
        step[i] = epsilon
        approximation[i] = (cost_at(theta + step) - cost_at(theta - step)) / (2 * epsilon)
    denominator = np.linalg.norm(gradient) + np.linalg.norm(approximation)
    error = 0.0 if denominator == 0 else float(np.linalg.norm(gradient - approximation) / denominator)
    return GradientCheck(error, gradient, approximation)

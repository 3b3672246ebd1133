"""Activation functions and their derivatives, each derivative beside its function.

All of them work on whole arrays at once (no Python loop, no np.vectorize),
and never warn: the sigmoid below never overflows, for any float64 z; it keeps
full precision down to about z = -708, fewer digits below that, and is 0 from
about z = -746 (the float64 range ends there).
float32 inputs give float32 results (the dtype a framework trains in by default).
"""

from __future__ import annotations

import numpy as np


def sigmoid(Z: np.ndarray) -> np.ndarray:
    """Logistic function 1 / (1 + exp(-Z)), elementwise, any shape.

    Written so that exp only ever sees a non-positive argument: for z >= 0 it
    is 1 / (1 + e) and for z < 0 it is e / (1 + e), with e = exp(-|z|) in [0, 1]
    (0 once |z| > about 745, where exp underflows).
    The textbook form overflows (and warns) in exp(-z) once z < -709.78 (log of the largest float64).
    """
    Z = np.asarray(Z, dtype=np.float32 if getattr(Z, "dtype", None) == np.float32 else np.float64)
    e = np.exp(-np.abs(Z))
    return np.where(Z >= 0, 1.0, e) / (1.0 + e)


def sigmoid_derivative(Z: np.ndarray) -> np.ndarray:
    """d sigmoid / dZ = s (1 - s), elementwise, same shape as Z."""
    s = sigmoid(Z)
    return s * (1.0 - s)


def relu(Z: np.ndarray) -> np.ndarray:
    """max(0, Z), elementwise, same shape as Z."""
    return np.maximum(Z, 0.0)


def relu_derivative(Z: np.ndarray) -> np.ndarray:
    """1 where Z > 0, else 0 (we take 0 at the kink Z = 0), same shape as Z."""
    return (Z > 0).astype(Z.dtype)


def tanh(Z: np.ndarray) -> np.ndarray:
    """Hyperbolic tangent, elementwise, same shape as Z."""
    return np.tanh(Z)


def tanh_derivative(Z: np.ndarray) -> np.ndarray:
    """1 - tanh(Z)^2, elementwise, same shape as Z."""
    return 1.0 - np.tanh(Z) ** 2


# name -> (function, derivative); the names accepted wherever an activation is chosen
ACTIVATIONS = {
    "relu": (relu, relu_derivative),
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (tanh, tanh_derivative),
}

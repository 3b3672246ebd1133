"""One layer, forward and backward, each backward step right beside its forward step.

Shapes (m examples, one per column):
    A_prev : (n_{l-1}, m)    W : (n_l, n_{l-1})    b : (n_l, 1)
    Z = W A_prev + b : (n_l, m)      A = g(Z) : (n_l, m)
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._validation import checked
from .activations import ACTIVATIONS


class LayerCache(NamedTuple):
    """What a layer's forward pass keeps for its backward pass.

    A_prev : (n_{l-1}, m) the layer's input
    W      : (n_l, n_{l-1})
    b      : (n_l, 1)
    Z      : (n_l, m) the pre-activation
    """

    A_prev: np.ndarray
    W: np.ndarray
    b: np.ndarray
    Z: np.ndarray


@checked()
def linear_forward(A_prev: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Z = W A_prev + b.

    A_prev (n_{l-1}, m), W (n_l, n_{l-1}), b (n_l, 1) -> Z (n_l, m).
    b is broadcast across the m columns.
    """
    return W @ A_prev + b


@checked()
def linear_backward(dZ: np.ndarray, A_prev: np.ndarray, W: np.ndarray, need_dA_prev: bool = True):
    """Gradients of Z = W A_prev + b, averaged over the m examples.

    dZ (n_l, m) is the gradient of the *summed* loss with respect to Z, one
    column per example; dividing by m here turns it into the gradient of the
    mean cost (the lecture's convention).

    Returns dA_prev (n_{l-1}, m), dW (n_l, n_{l-1}), db (n_l, 1); dA_prev is None
    when need_dA_prev is False (layer 1, whose A_prev is X: nothing uses dX).
    """
    m = A_prev.shape[1]
    dW = dZ @ A_prev.T / m
    db = dZ.sum(axis=1, keepdims=True) / m
    dA_prev = W.T @ dZ if need_dA_prev else None
    return dA_prev, dW, db


@checked()
def layer_forward(A_prev: np.ndarray, W: np.ndarray, b: np.ndarray, activation: str):
    """A = g(W A_prev + b) for activation g in "relu", "sigmoid", "tanh".

    Returns A (n_l, m) and the LayerCache that layer_backward needs.
    """
    Z = linear_forward(A_prev, W, b)
    function, _ = ACTIVATIONS[activation]
    return function(Z), LayerCache(A_prev, W, b, Z)


@checked()
def layer_backward(dA: np.ndarray, cache: LayerCache, activation: str, need_dA_prev: bool = True):
    """Backward through A = g(Z), then through Z = W A_prev + b.

    dA (n_l, m) -> dA_prev (n_{l-1}, m), dW (n_l, n_{l-1}), db (n_l, 1).
    """
    _, derivative = ACTIVATIONS[activation]
    dZ = dA * derivative(cache.Z)
    return linear_backward(dZ, cache.A_prev, cache.W, need_dA_prev)

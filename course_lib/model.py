"""The whole network, forward and backward, and what is computed from it.

The network has L layers: hidden layers use ``hidden_activation`` (ReLU by
default), and the output layer is always a single sigmoid unit, so A_L (1, m)
is the predicted probability that each example is in class 1.

Two ways back through the output layer (``output_path``):

- "lecture": dA_L from the naive loss, then through the sigmoid derivative,
  dZ_L = dA_L * sigmoid'(Z_L). Gives inf/nan once A_L rounds to 0 or 1.
- "fused": dZ_L = A_L - Y in one step (the two factors multiplied out by
  hand). Same number wherever the lecture path is finite, and always finite.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_matrix, check_choice, check_features, check_labels, check_same_shape
from .activations import ACTIVATIONS
from .layers import LayerCache, layer_backward, layer_forward, linear_backward
from .losses import (
    LOSSES,
    cross_entropy_logits,
    cross_entropy_naive,
    cross_entropy_naive_gradient,
)
from .parameters import LayerParams, check_params, layer_dims_of

OUTPUT_PATHS = ("lecture", "fused")


def model_forward(X: np.ndarray, params: list[LayerParams], hidden_activation: str = "relu"):
    """Forward pass through every layer.

    Parameters
    ----------
    X : (n_0, m) inputs, one example per column
    params : list of LayerParams, entry l - 1 for layer l
    hidden_activation : "relu", "tanh" or "sigmoid", used by layers 1 .. L-1

    Returns
    -------
    A_L : (1, m) output probabilities
    caches : list of LayerCache, one per layer; caches[-1].Z is Z_L, the logits
    """
    if not params:
        raise ValueError("params is empty; build it with init_params(layer_dims, rng).")
    check_features(X, params[0][0].shape[1])
    A = X
    caches = []
    for index, (W, b) in enumerate(params):
        is_output = index == len(params) - 1
        A, cache = layer_forward(A, W, b, "sigmoid" if is_output else hidden_activation)
        caches.append(cache)
    return A, caches


def model_backward(
    A_L: np.ndarray,
    Y: np.ndarray,
    caches: list[LayerCache],
    hidden_activation: str = "relu",
    output_path: str = "fused",
) -> list[LayerParams]:
    """Gradients of the mean cross-entropy with respect to every W and b.

    A_L (1, m) and caches come from model_forward; Y is (1, m).
    Returns a list of LayerParams(dW, db), entry l - 1 for layer l, with the
    same shapes as the parameters.
    """
    check_choice(output_path, "output_path", OUTPUT_PATHS)
    check_same_shape(A_L, Y, "A_L")
    output = caches[-1]
    if output_path == "lecture":
        dA_L = cross_entropy_naive_gradient(A_L, Y)
        # Once A_L rounds to 0 or 1 this is inf * 0 = nan: the failure the lecture path teaches,
        # reported by fit's history rather than by a RuntimeWarning.
        with np.errstate(invalid="ignore", over="ignore"):
            dZ_L = dA_L * (A_L * (1.0 - A_L))  # sigmoid'(Z_L) = A_L (1 - A_L), as A_L = sigmoid(Z_L)
    else:
        dZ_L = A_L - Y
    dA, dW, db = linear_backward(dZ_L, output.A_prev, output.W)
    grads = [LayerParams(dW, db)]
    for cache in reversed(caches[:-1]):
        dA, dW, db = layer_backward(dA, cache, hidden_activation)
        grads.append(LayerParams(dW, db))
    return grads[::-1]


def compute_cost(A_L: np.ndarray, Z_L: np.ndarray, Y: np.ndarray, loss: str = "stable") -> float:
    """Mean cross-entropy: "naive" uses A_L (1, m), "stable" uses the logits Z_L (1, m)."""
    check_choice(loss, "loss", LOSSES)
    if loss == "naive":
        return cross_entropy_naive(A_L, Y)
    return cross_entropy_logits(Z_L, Y)


def cost_and_gradients(
    X: np.ndarray,
    Y: np.ndarray,
    params: list[LayerParams],
    loss: str = "stable",
    output_path: str = "fused",
    hidden_activation: str = "relu",
):
    """One forward and one backward pass: returns (cost, grads).

    X (n_0, m), Y (1, m); grads is a list of LayerParams(dW, db).
    Inputs are not checked here (this is the inner loop); public callers check them.
    """
    A_L, caches = model_forward(X, params, hidden_activation)
    cost = compute_cost(A_L, caches[-1].Z, Y, loss)
    grads = model_backward(A_L, Y, caches, hidden_activation, output_path)
    return cost, grads


def predict_proba(X, params, hidden_activation: str = "relu") -> np.ndarray:
    """Probability of class 1 for each column of X (n_0, m): shape (1, m)."""
    params = check_params(params)
    X = as_float_matrix(X, "X")
    check_features(X, layer_dims_of(params)[0])
    check_choice(hidden_activation, "activation", tuple(ACTIVATIONS))
    # Parameters from a diverged run may overflow; the history of that run already said so.
    with np.errstate(over="ignore", invalid="ignore"):
        A_L, _ = model_forward(X, params, hidden_activation)
    return A_L


def predict(X, params, hidden_activation: str = "relu", threshold: float = 0.5) -> np.ndarray:
    """Predicted labels, 1 where the probability exceeds ``threshold``: shape (1, m), int."""
    return (predict_proba(X, params, hidden_activation) > threshold).astype(int)


def accuracy(Y_hat, Y) -> float:
    """Fraction of the m columns where Y_hat (1, m) equals Y (1, m)."""
    Y = check_labels(Y)
    Y_hat = np.asarray(Y_hat)
    if Y_hat.shape != Y.shape:
        raise ValueError(f"Y_hat has shape {Y_hat.shape} but Y has shape {Y.shape}; they must match.")
    return float(np.mean(Y_hat == Y))

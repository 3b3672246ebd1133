"""The whole network, forward and backward, and what is computed from it.

The network has L layers: hidden layers use ``hidden_activation`` (ReLU by
default), and the output layer is always a single sigmoid unit, so A_L (1, m)
is the predicted probability that each example is in class 1.

A run uses one of two formulations of the cost and its gradient (``loss``):

- "naive", the lecture's: the cross-entropy of the probabilities A_L, and on
  the way back dA_L, then the sigmoid derivative. inf or nan once A_L rounds
  to exactly 0 or 1.
- "stable": the cross-entropy of the logits Z_L, and dZ_L = A_L - Y (the two
  factors multiplied out by hand). The same numbers wherever the naive
  formulation is finite, and always finite.

Notebook 04 compares the two ways back through the output layer on one loss:
``model_backward``'s ``output_gradient`` ("lecture" or "fused") is that choice.
"""

from __future__ import annotations

import numpy as np

from ._validation import checked
from .layers import LayerCache, layer_backward, layer_forward, linear_backward
from .losses import cross_entropy_logits, cross_entropy_naive, cross_entropy_naive_gradient
from .parameters import LayerParams

# loss -> how its gradient enters the output layer
OUTPUT_GRADIENT_OF = {"naive": "lecture", "stable": "fused"}


@checked()
def model_forward(X: np.ndarray, params: list[LayerParams], hidden_activation: str = "relu"):
    """Forward pass through every layer.

    X : (n_0, m) inputs, one example per column
    params : list of LayerParams, entry l - 1 for layer l
    hidden_activation : "relu", "tanh" or "sigmoid", used by layers 1 .. L-1

    Returns A_L (1, m), the output probabilities, and caches, one LayerCache
    per layer; caches[-1].Z is Z_L, the logits.
    """
    A = X
    caches = []
    for W, b in params[:-1]:
        A, cache = layer_forward(A, W, b, hidden_activation)
        caches.append(cache)
    A_L, cache = layer_forward(A, *params[-1], "sigmoid")
    return A_L, [*caches, cache]


@checked()
def model_backward(
    A_L: np.ndarray,
    Y: np.ndarray,
    caches: list[LayerCache],
    hidden_activation: str = "relu",
    output_gradient: str = "fused",
) -> list[LayerParams]:
    """Gradients of the mean cross-entropy with respect to every W and b.

    A_L (1, m) and caches come from model_forward; Y is (1, m).
    output_gradient : "fused", dZ_L = A_L - Y, or "lecture", dA_L of the naive
        loss times the sigmoid derivative A_L (1 - A_L)
    Returns a list of LayerParams(dW, db), entry l - 1 for layer l, with the
    same shapes as the parameters.
    """
    if output_gradient == "lecture":
        # Once A_L rounds to 0 or 1 this is inf * 0 = nan: the failure the lecture path teaches.
        with np.errstate(invalid="ignore", over="ignore"):
            dZ_L = cross_entropy_naive_gradient(A_L, Y) * (A_L * (1.0 - A_L))
    else:
        dZ_L = A_L - Y
    # Layer 1's dA_prev would be dX, which nothing uses: skip that product.
    dA, dW, db = linear_backward(dZ_L, caches[-1].A_prev, caches[-1].W, need_dA_prev=len(caches) > 1)
    grads = [LayerParams(dW, db)]
    for index in reversed(range(len(caches) - 1)):
        dA, dW, db = layer_backward(dA, caches[index], hidden_activation, need_dA_prev=index > 0)
        grads.append(LayerParams(dW, db))
    return grads[::-1]


@checked()
def compute_cost(A_L: np.ndarray, Z_L: np.ndarray, Y: np.ndarray, loss: str = "stable") -> float:
    """Mean cross-entropy: "naive" uses A_L (1, m), "stable" uses the logits Z_L (1, m)."""
    return cross_entropy_naive(A_L, Y) if loss == "naive" else cross_entropy_logits(Z_L, Y)


@checked()
def cost_and_gradients(X: np.ndarray, Y: np.ndarray, params: list[LayerParams], loss: str = "stable",
                       hidden_activation: str = "relu"):
    """One forward and one backward pass with formulation ``loss``: returns (cost, grads).

    X (n_0, m), Y (1, m); grads is a list of LayerParams(dW, db) shaped like params.
    """
    A_L, caches = model_forward(X, params, hidden_activation)
    cost = compute_cost(A_L, caches[-1].Z, Y, loss)
    return cost, model_backward(A_L, Y, caches, hidden_activation, OUTPUT_GRADIENT_OF[loss])


@checked()
def predict_proba(X, params, hidden_activation: str = "relu") -> np.ndarray:
    """Probability of class 1 for each column of X (n_0, m): shape (1, m)."""
    # Parameters from a diverged run may overflow; the history of that run already said so.
    with np.errstate(over="ignore", invalid="ignore"):
        A_L, _ = model_forward(X, params, hidden_activation)
    return A_L


@checked()
def predict(X, params, hidden_activation: str = "relu", threshold: float = 0.5) -> np.ndarray:
    """Predicted labels, 1 where the probability exceeds ``threshold``: shape (1, m), int."""
    return (predict_proba(X, params, hidden_activation) > threshold).astype(int)


@checked()
def accuracy(Y_hat, Y) -> float:
    """Fraction of the m columns where the predicted labels Y_hat (1, m) equal the labels Y (1, m).

    Y_hat must be labels (0 or 1, as predict returns), not probabilities: the door says so.
    """
    return float(np.mean(Y_hat == Y))

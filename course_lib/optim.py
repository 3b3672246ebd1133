"""Update rules. Each returns new parameters and never changes the ones passed in."""

from __future__ import annotations

from .parameters import LayerParams


def gradient_descent_step(params: list[LayerParams], grads: list[LayerParams], learning_rate: float):
    """theta <- theta - learning_rate * d theta, for every W and b.

    params and grads are lists of LayerParams with matching shapes
    (W (n_l, n_{l-1}), b (n_l, 1)); returns a new list of the same shapes.
    """
    return [LayerParams(W - learning_rate * dW, b - learning_rate * db) for (W, b), (dW, db) in zip(params, grads)]

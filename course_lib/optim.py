"""Update rules. Each returns new parameters (and new optimiser state) and never
changes the ones passed in.

- gradient descent: theta <- theta - alpha g
- momentum: v <- beta v + g; theta <- theta - alpha v  (a running sum of past gradients)
- Adam (Kingma and Ba, 2015): running means of g and g^2, bias-corrected;
  theta <- theta - alpha m_hat / (sqrt(v_hat) + epsilon), so every parameter's
  step is about alpha in size, whatever the scale of its gradient.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._validation import checked
from .parameters import LayerParams

OPTIMIZERS = ("gd", "momentum", "adam")
MOMENTUM = 0.9
ADAM_BETAS = (0.9, 0.999)
ADAM_EPSILON = 1e-8


@checked()
def gradient_descent_step(params: list[LayerParams], grads: list[LayerParams], learning_rate: float):
    """theta <- theta - learning_rate * d theta, for every W and b.

    params and grads are lists of LayerParams with matching shapes
    (W (n_l, n_{l-1}), b (n_l, 1)); returns a new list of the same shapes.
    """
    return [LayerParams(W - learning_rate * dW, b - learning_rate * db) for (W, b), (dW, db) in zip(params, grads)]


@checked()
def momentum_step(params, grads, velocity, learning_rate: float, beta: float = MOMENTUM):
    """One heavy-ball step: v <- beta v + g, theta <- theta - alpha v.

    velocity has the shape of params (a list of LayerParams); returns (new params, new velocity).
    """
    velocity = [LayerParams(beta * vW + dW, beta * vb + db) for (vW, vb), (dW, db) in zip(velocity, grads)]
    return gradient_descent_step(params, velocity, learning_rate), velocity


class AdamState(NamedTuple):
    """first, second : running means of g and g * g (lists shaped like params); step : how many steps so far."""

    first: list[LayerParams]
    second: list[LayerParams]
    step: int


@checked()
def adam_step(
    params,
    grads,
    state: AdamState,
    learning_rate: float,
    betas: tuple[float, float] = ADAM_BETAS,
    epsilon: float = ADAM_EPSILON,
):
    """One Adam step; returns (new params, new AdamState)."""
    beta1, beta2 = betas
    step = state.step + 1
    first = [
        LayerParams(beta1 * mW + (1 - beta1) * dW, beta1 * mb + (1 - beta1) * db)
        for (mW, mb), (dW, db) in zip(state.first, grads)
    ]
    second = [
        LayerParams(beta2 * vW + (1 - beta2) * dW * dW, beta2 * vb + (1 - beta2) * db * db)
        for (vW, vb), (dW, db) in zip(state.second, grads)
    ]
    # Early running means are biased towards their zero start; dividing by 1 - beta^t removes that.
    correct1, correct2 = 1 - beta1**step, 1 - beta2**step
    direction = [
        LayerParams(
            (mW / correct1) / (np.sqrt(vW / correct2) + epsilon), (mb / correct1) / (np.sqrt(vb / correct2) + epsilon)
        )
        for (mW, mb), (vW, vb) in zip(first, second)
    ]
    return gradient_descent_step(params, direction, learning_rate), AdamState(first, second, step)


def _zeros_like(params):
    return [LayerParams(np.zeros_like(W), np.zeros_like(b)) for W, b in params]


@checked()
def init_optimizer_state(optimizer: str, params):
    """The starting state of ``optimizer``: None, a zero velocity, or a zero AdamState."""
    if optimizer == "momentum":
        return _zeros_like(params)
    if optimizer == "adam":
        return AdamState(_zeros_like(params), _zeros_like(params), 0)
    return None


def optimizer_step(optimizer: str, params, grads, state, learning_rate: float):
    """Apply ``optimizer`` once: returns (new params, new state)."""
    if optimizer == "momentum":
        return momentum_step(params, grads, state, learning_rate)
    if optimizer == "adam":
        return adam_step(params, grads, state, learning_rate)
    return gradient_descent_step(params, grads, learning_rate), None

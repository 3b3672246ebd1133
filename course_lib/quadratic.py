"""Gradient descent where the cost is exactly quadratic, so every step can be predicted.

On f(w) = (lambda / 2) w^2 the gradient is lambda w, and one step gives
w <- w - alpha lambda w = (1 - alpha lambda) w: the distance to the minimum is
multiplied by (1 - alpha lambda) every step. It shrinks when
0 < alpha < 2 / lambda and grows, flipping sign each step, beyond that.

Least-squares linear regression has a quadratic cost too, with Hessian
H = X~ X~^T / m (X~ is X with a row of ones for the bias); along H's top
eigenvector the error is multiplied by (1 - alpha lambda_max) each step.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._validation import checked


@checked()
def quadratic_descent(curvature: float, learning_rate: float, start: float, num_iterations: int) -> np.ndarray:
    """Positions w_0 = start, w_1, ..., w_k of gradient descent on (curvature / 2) w^2: shape (k + 1,).

    Stops early (shorter array) once |w| exceeds 1e150, long before it overflows.
    """
    positions = [float(start)]
    for _ in range(num_iterations):
        positions.append(positions[-1] - learning_rate * curvature * positions[-1])
        if abs(positions[-1]) > 1e150:
            break
    return np.array(positions)


def _with_bias_row(X: np.ndarray) -> np.ndarray:
    return np.vstack([X, np.ones((1, X.shape[1]))])


@checked()
def least_squares_hessian(X) -> np.ndarray:
    """Hessian of J(w, b) = (1 / 2m) ||w^T X + b - y||^2: X~ X~^T / m, shape (n_x + 1, n_x + 1), bias last."""
    X_tilde = _with_bias_row(X)
    return X_tilde @ X_tilde.T / X_tilde.shape[1]


class RegressionRun(NamedTuple):
    """losses : (k + 1,) cost after 0..k steps; first_nonfinite : step where it became inf/nan, or None."""

    losses: np.ndarray
    first_nonfinite: int | None


@checked()
def least_squares_descent(X, y, learning_rate: float, num_iterations: int) -> RegressionRun:
    """Gradient descent on J = (1 / 2m) ||w^T X + b - y||^2 from w = 0, b = 0.

    X (n_x, m), y (1, m) any real targets. Stops at the first inf or nan,
    silently: the returned run says where.
    """
    X_tilde = _with_bias_row(X)
    m = X_tilde.shape[1]
    theta = np.zeros((1, X_tilde.shape[0]))
    losses = []
    with np.errstate(over="ignore", invalid="ignore"):
        for step in range(num_iterations + 1):
            residual = theta @ X_tilde - y
            loss = float(np.vdot(residual, residual) / (2 * m))
            losses.append(loss)
            if not np.isfinite(loss):
                return RegressionRun(np.array(losses), step)
            theta = theta - learning_rate * (residual @ X_tilde.T) / m
    return RegressionRun(np.array(losses), None)

"""Binary cross-entropy, two ways, each with its gradient.

    J = -(1/m) * sum( Y log A + (1 - Y) log(1 - A) ),   A = sigmoid(Z)

The *naive* form takes the probabilities A. It is the formula as written, and
it is kept for teaching: once the sigmoid rounds A to exactly 0 or 1 (it does
in float64 for z beyond about +-37), log(0) = -inf and 0 * inf = nan.

The *stable* form takes the logits Z. Using log sigmoid(z) = -log(1 + e^-z)
and log(1 - sigmoid(z)) = -z - log(1 + e^-z), the per-example loss is

    max(z, 0) - z * y + log(1 + exp(-|z|)),

which never forms A, never takes log(0) and never overflows.
"""

from __future__ import annotations

import numpy as np

from ._validation import checked
from .activations import sigmoid

LOSSES = ("naive", "stable")


@checked()
def cross_entropy_naive(A: np.ndarray, Y: np.ndarray) -> float:
    """Mean cross-entropy from probabilities A (1, m) and labels Y (1, m).

    Returns inf or nan (silently: no RuntimeWarning) when some A is exactly
    0 or 1; that is the failure the course studies.
    """
    m = Y.shape[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        losses = Y * np.log(A) + (1.0 - Y) * np.log(1.0 - A)
    return float(-losses.sum() / m)


@checked()
def cross_entropy_naive_gradient(A: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """dA = dL/dA = -(Y / A - (1 - Y) / (1 - A)) for each example, shape (1, m).

    This is the gradient of each example's loss; linear_backward divides by m.
    Division by zero gives inf or nan here, silently, exactly as the naive
    formula does.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return -(Y / A - (1.0 - Y) / (1.0 - A))


@checked()
def cross_entropy_logits(Z: np.ndarray, Y: np.ndarray) -> float:
    """Mean cross-entropy from logits Z (1, m) and labels Y (1, m); finite for any finite Z."""
    m = Y.shape[1]
    losses = np.maximum(Z, 0.0) - Z * Y + np.log1p(np.exp(-np.abs(Z)))
    return float(losses.sum() / m)


@checked()
def cross_entropy_logits_gradient(Z: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """dZ = dL/dZ = sigmoid(Z) - Y for each example, shape (1, m).

    This is the sigmoid derivative and the cross-entropy derivative multiplied
    out: dL/dA * dA/dZ = -(y/a - (1-y)/(1-a)) * a(1-a) = a - y. The shortcut is
    valid only for a sigmoid output with the cross-entropy loss.
    """
    return sigmoid(Z) - Y

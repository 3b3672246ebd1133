"""Checks shared by the public entry points of course_lib.

Every check raises ``ValueError`` (or ``TypeError`` for a wrong kind of
object) with a message that says what was wrong *and* how to fix it, so that a
learner's mistake is caught where it was made, not three functions later as a
broadcasting error.
"""

from __future__ import annotations

import numbers

import numpy as np


def as_float_matrix(array, name: str) -> np.ndarray:
    """Return ``array`` as a 2-D float64 array (a view when possible, never a mutation).

    Raises ``ValueError`` for a 1-D array (with the reshape that fixes it), for
    other dimensions, and for nan or inf entries.
    """
    try:
        matrix = np.asarray(array, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be a NumPy array of numbers; could not convert it ({error}).") from None
    if matrix.ndim == 1:
        raise ValueError(
            f"{name} has shape {matrix.shape}, a 1-D array; course_lib needs 2-D arrays with one "
            f"column per example: did you mean {name}.reshape(1, -1) (one row) or "
            f"{name}.reshape(-1, 1) (one column)?"
        )
    if matrix.ndim != 2:
        raise ValueError(f"{name} must be 2-D (features x examples), but it has {matrix.ndim} dimensions.")
    if matrix.size == 0:
        raise ValueError(f"{name} is empty (shape {matrix.shape}); it needs at least one example.")
    check_finite(matrix, name)
    return matrix


def check_finite(matrix: np.ndarray, name: str) -> None:
    """Raise ``ValueError`` naming the first nan or inf entry of ``matrix``."""
    bad = ~np.isfinite(matrix)
    if bad.any():
        row, col = (int(i) for i in np.argwhere(bad)[0])
        count = int(bad.sum())
        raise ValueError(
            f"{name} contains {count} nan or inf value(s), the first at row {row}, column {col} "
            f"({matrix[row, col]}); remove or fill those examples before training."
        )


def check_features(X: np.ndarray, n_features: int) -> None:
    """Check that X (n_x, m) has ``n_features`` rows, spotting a transposed X."""
    if X.shape[0] == n_features:
        return
    if X.shape[1] == n_features:
        raise ValueError(
            f"X has shape {X.shape} but layer_dims[0] is {n_features}: examples must be columns; did you mean X.T?"
        )
    raise ValueError(
        f"X has {X.shape[0]} features (rows) but layer_dims[0] is {n_features}: make layer_dims[0] "
        f"equal to X.shape[0] ({X.shape[0]})."
    )


def check_labels(Y, m: int | None = None) -> np.ndarray:
    """Return Y (1, m) as float64 after checking shape, finiteness, values and m."""
    Y = np.asarray(Y, dtype=np.float64) if not isinstance(Y, np.ndarray) else Y
    if Y.ndim == 1:
        raise ValueError(
            f"Y has shape {Y.shape}, a 1-D array; it must have shape (1, m): did you mean Y.reshape(1, -1)?"
        )
    if Y.ndim != 2 or Y.shape[0] != 1:
        hint = " did you mean Y.T?" if Y.ndim == 2 and Y.shape[1] == 1 else ""
        raise ValueError(f"Y must have shape (1, m), one label per column, but it has shape {Y.shape};{hint}")
    Y = as_float_matrix(Y, "Y")
    bad = (Y != 0) & (Y != 1)
    if bad.any():
        col = int(np.argwhere(bad)[0][1])
        raise ValueError(
            f"Y must contain only 0 and 1 (binary labels), but Y[0, {col}] is {Y[0, col]:g}; "
            "map your classes to 0 and 1 first."
        )
    if m is not None and Y.shape[1] != m:
        raise ValueError(
            f"X has {m} examples (columns) but Y has {Y.shape[1]}: they must match, one label per column of X."
        )
    return Y


def check_layer_dims(layer_dims) -> list[int]:
    """Return ``layer_dims`` as a list of ints after checking it describes a network."""
    try:
        dims = list(layer_dims)
    except TypeError:
        raise ValueError(f"layer_dims must be a list of layer sizes such as [1, 1, 1], not {layer_dims!r}.") from None
    if len(dims) < 2:
        raise ValueError(
            f"layer_dims needs at least two entries (input size and output size), got {dims}; "
            "for example [n_x, 1] for logistic regression or [n_x, 4, 1] for one hidden layer."
        )
    for index, size in enumerate(dims):
        if isinstance(size, bool) or not isinstance(size, numbers.Integral):
            raise ValueError(f"layer_dims[{index}] is {size!r}; every layer size must be a whole number such as 4.")
        if size < 1:
            raise ValueError(f"layer_dims[{index}] is {size}; every layer needs at least 1 unit.")
    if dims[-1] != 1:
        raise ValueError(
            f"layer_dims ends with {dims[-1]}, but this course builds binary classifiers: "
            "the last layer must have 1 unit (the probability of class 1)."
        )
    return [int(size) for size in dims]


def check_learning_rate(learning_rate) -> float:
    """Return the learning rate as a float after checking it is finite and positive."""
    if isinstance(learning_rate, bool) or not isinstance(learning_rate, numbers.Real):
        raise ValueError(f"learning_rate must be a number such as 0.01, not {learning_rate!r}.")
    rate = float(learning_rate)
    if not np.isfinite(rate) or rate <= 0:
        raise ValueError(f"learning_rate must be a finite number greater than 0, such as 0.01; got {rate}.")
    return rate


def check_positive_int(value, name: str) -> int:
    """Return ``value`` as an int after checking it is a whole number >= 1."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a whole number of at least 1, such as 1000; got {value!r}.")
    return int(value)


def check_choice(value, name: str, valid) -> str:
    """Return ``value`` if it is one of ``valid`` (a tuple or the keys of a dict); otherwise name the valid ones."""
    if not isinstance(value, str) or value not in valid:
        options = ", ".join(repr(v) for v in valid)
        raise ValueError(f"unknown {name} {value!r}; choose one of {options}.")
    return value


def check_rng(rng) -> None:
    """Accept a NumPy Generator or a legacy RandomState; explain how to make one otherwise."""
    if not isinstance(rng, (np.random.Generator, np.random.RandomState)):
        raise TypeError(
            f"rng must be a NumPy random generator, not {type(rng).__name__}: pass "
            "rng=np.random.default_rng(0) (or np.random.RandomState(3) to match the lecture's numbers)."
        )


def check_layer_shapes(A_prev, W, b) -> None:
    """Shapes only (cheap enough for the training loop): A_prev (n_prev, m), W (n_l, n_prev), b (n_l, 1)."""
    for name, array in (("A_prev", A_prev), ("W", W), ("b", b)):
        if getattr(array, "ndim", None) != 2:
            raise ValueError(
                f"{name} must be a 2-D NumPy array; got {type(array).__name__} of shape {getattr(array, 'shape', '?')}."
            )
    if W.shape[1] != A_prev.shape[0]:
        hint = " did you mean A_prev.T?" if W.shape[1] == A_prev.shape[1] else ""
        raise ValueError(
            f"W has shape {W.shape}, so it expects {W.shape[1]} inputs per example, but A_prev has "
            f"{A_prev.shape[0]} rows (shape {A_prev.shape}): examples must be columns;{hint}"
        )
    if b.shape != (W.shape[0], 1):
        hint = " did you mean b.reshape(-1, 1)?" if b.size == W.shape[0] else ""
        raise ValueError(f"b has shape {b.shape} but must be ({W.shape[0]}, 1), one bias per unit, a column;{hint}")


def check_same_shape(values, Y, name: str) -> None:
    """``values`` (predictions or logits) and labels Y must both be (1, m)."""
    values_shape, labels_shape = getattr(values, "shape", None), getattr(Y, "shape", None)
    if values_shape != labels_shape or len(labels_shape) != 2 or labels_shape[0] != 1:
        raise ValueError(
            f"{name} has shape {values_shape} and Y has shape {labels_shape}; both must be (1, m), "
            "one column per example."
        )

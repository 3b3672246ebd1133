"""Checks at the door: every argument of a public function is checked here, once per call.

A public function carries the ``@checked`` decorator and nothing else of
checking. When a learner calls it, each argument is checked by the rule for
its *name* (``ARGUMENT_RULES``), then the rules that relate arguments to each
other (``RELATIONS``), and every failure says what was wrong and how to fix
it. Calls made from inside another checked call skip all of this: the inputs
were checked at the outer door, so the training loop pays for no checks.
"""

from __future__ import annotations

import functools
import inspect
import numbers
import threading

import numpy as np

# What a learner can choose, by argument name: (name in messages, valid values).
# The modules that implement each option are tested to agree with these tables.
OPTIONS = {
    "loss": ("loss", ("naive", "stable")),
    "init": ("initialisation scheme", ("small", "he", "xavier")),
    "scheme": ("initialisation scheme", ("small", "he", "xavier")),
    "hidden_activation": ("activation", ("relu", "sigmoid", "tanh")),
    "activation": ("activation", ("relu", "sigmoid", "tanh")),
    "optimizer": ("optimizer", ("gd", "momentum", "adam")),
    "output_gradient": ("output_gradient", ("lecture", "fused")),
}

FLOAT_DTYPES = (np.float64, np.float32)


def as_float_matrix(array, name: str) -> np.ndarray:
    """Return ``array`` as a 2-D float array (float32 stays float32, anything else becomes float64).

    Raises ``ValueError`` for a 1-D array (with the reshape that fixes it), for
    other dimensions, and for nan or inf entries. Never changes ``array``.
    """
    dtype = np.float32 if getattr(array, "dtype", None) == np.float32 else np.float64
    try:
        matrix = np.asarray(array, dtype=dtype)
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
        raise ValueError(
            f"{name} contains {int(bad.sum())} nan or inf value(s), the first at row {row}, column {col} "
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
    """Return Y (1, m) as a float array after checking shape, finiteness, values and m."""
    Y = Y if isinstance(Y, np.ndarray) else np.asarray(Y, dtype=np.float64)
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


def check_learning_rate(learning_rate, name: str = "learning_rate") -> float:
    """Return the learning rate as a float after checking it is finite and positive."""
    if isinstance(learning_rate, bool) or not isinstance(learning_rate, numbers.Real):
        raise ValueError(f"{name} must be a number such as 0.01, not {learning_rate!r}.")
    rate = float(learning_rate)
    if not np.isfinite(rate) or rate <= 0:
        raise ValueError(f"{name} must be a finite number greater than 0, such as 0.01; got {rate}.")
    return rate


def check_positive_int(value, name: str) -> int:
    """Return ``value`` as an int after checking it is a whole number >= 1."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a whole number of at least 1, such as 1000; got {value!r}.")
    return int(value)


def check_fraction(value, name: str) -> float:
    """Return ``value`` as a float after checking 0 < value < 1 (tolerances and cut-offs)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 < value < 1:
        raise ValueError(f"{name} must be a number between 0 and 1, such as 1e-6; got {value!r}.")
    return float(value)


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


def check_dtype(dtype) -> type:
    """Return np.float64 or np.float32; the course trains in one of these two."""
    try:
        resolved = np.dtype(dtype).type
    except TypeError:
        resolved = None
    if resolved not in FLOAT_DTYPES:
        raise ValueError(f"dtype must be np.float64 (the default) or np.float32, not {dtype!r}.")
    return resolved


def check_layer_shapes(A_prev, W, b) -> None:
    """A_prev (n_prev, m), W (n_l, n_prev), b (n_l, 1), each a 2-D array."""
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


def check_backward_shapes(dZ, A_prev, W) -> None:
    """dZ (n_l, m) must match W (n_l, n_prev) and A_prev (n_prev, m)."""
    expected = (np.shape(W)[0], np.shape(A_prev)[1])
    if np.shape(dZ) != expected:
        raise ValueError(
            f"dZ has shape {np.shape(dZ)} but W {np.shape(W)} and A_prev {np.shape(A_prev)} need {expected}: "
            "one row per unit of this layer, one column per example."
        )


def _optional(rule):
    """A rule that lets None through (for arguments whose default is None)."""
    return lambda value, name: value if value is None else rule(value, name)


def _params(value, name):
    from .parameters import check_params  # parameters.py imports nothing from here

    return check_params(value)


def _rng(value, name):
    check_rng(value)
    return value


def _finite_positive(value, name):
    return check_learning_rate(value, name)


# argument name -> rule(value, name) returning the checked (perhaps converted) value
ARGUMENT_RULES = {
    "X": as_float_matrix,
    "Y": lambda value, name: check_labels(value),
    "layer_dims": lambda value, name: check_layer_dims(value),
    "learning_rate": lambda value, name: check_learning_rate(value),
    "min_rate": _finite_positive,
    "max_rate": _finite_positive,
    "num_iterations": check_positive_int,
    "num_steps": check_positive_int,
    "every": check_positive_int,
    "power_iterations": check_positive_int,
    "report_every": check_positive_int,
    "batch_size": _optional(check_positive_int),
    "dtype": lambda value, name: check_dtype(value),
    "tol": check_fraction,
    "relative_cutoff": check_fraction,
    "epsilon": _optional(_finite_positive),
    "params": _optional(_params),
    "grads": _params,
    "rng": _optional(_rng),
    **{
        name: (lambda label, valid: lambda value, _: check_choice(value, label, valid))(*option)
        for name, option in OPTIONS.items()
    },
}


def _rng_or_params(arguments):
    if arguments["params"] is None and arguments["rng"] is None:
        raise ValueError("fit needs rng to initialise the parameters: pass rng=np.random.default_rng(0).")


def _params_match_layer_dims(arguments):
    from .parameters import check_params

    if arguments["params"] is not None:
        arguments["params"] = check_params(arguments["params"], arguments["layer_dims"])


def _params_match_grads(arguments):
    from .parameters import check_params, layer_dims_of

    check_params(arguments["grads"], layer_dims_of(arguments["params"]))


def _inputs_match_params(arguments):
    if arguments["params"] is not None:
        check_features(arguments["X"], arguments["params"][0].W.shape[1])


def _labels_match_inputs(arguments):
    check_labels(arguments["Y"], m=arguments["X"].shape[1])


def _needs_rng(arguments):
    check_rng(arguments["rng"])


# (argument names, rule(arguments)): applied when a function has all of the names. The shape
# relations run first, on the arguments as given, so that they name both arrays.
SHAPE_RELATIONS = [
    (("A", "Y"), lambda arguments: check_same_shape(arguments["A"], arguments["Y"], "A")),
    (("Z", "Y"), lambda arguments: check_same_shape(arguments["Z"], arguments["Y"], "Z")),
    (("A_L", "Y"), lambda arguments: check_same_shape(arguments["A_L"], arguments["Y"], "A_L")),
]
RELATIONS = [
    (("layer_dims", "rng", "params"), _rng_or_params),
    (("layer_dims", "rng"), lambda arguments: "params" in arguments or _needs_rng(arguments)),
    (("layer_dims", "params"), _params_match_layer_dims),
    (("X", "layer_dims"), lambda arguments: check_features(arguments["X"], arguments["layer_dims"][0])),
    (("X", "params"), _inputs_match_params),
    (("X", "Y"), _labels_match_inputs),
    (("params", "grads"), _params_match_grads),
    (("A_prev", "W", "b"), lambda arguments: check_layer_shapes(arguments["A_prev"], arguments["W"], arguments["b"])),
    (("dZ", "A_prev", "W"),
     lambda arguments: check_backward_shapes(arguments["dZ"], arguments["A_prev"], arguments["W"])),
]

_door = threading.local()


def _apply_relations(relations, arguments: dict) -> None:
    for names, rule in relations:
        if all(name in arguments for name in names):
            rule(arguments)


def _check_arguments(arguments: dict, extra_rules) -> None:
    """Apply every rule that applies to these arguments, in place."""
    _apply_relations(SHAPE_RELATIONS, arguments)
    for name, value in arguments.items():
        if name in ARGUMENT_RULES:
            arguments[name] = ARGUMENT_RULES[name](value, name)
    _apply_relations(RELATIONS, arguments)
    for rule in extra_rules:
        rule(arguments)


def checked(*extra_rules):
    """Decorate a public function so that its arguments are checked when a learner calls it.

    ``extra_rules`` are rule(arguments) functions for checks that belong to
    this function alone. Calls from inside another checked call are not checked again.
    """

    def decorate(function):
        signature = inspect.signature(function)

        @functools.wraps(function)
        def at_the_door(*args, **kwargs):
            if getattr(_door, "inside", False):
                return function(*args, **kwargs)
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            _check_arguments(bound.arguments, extra_rules)
            _door.inside = True
            try:
                return function(*bound.args, **bound.kwargs)
            finally:
                _door.inside = False

        return at_the_door

    return decorate

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
import re
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
    matrix = as_values(array, name)
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
    Y = Y if isinstance(Y, np.ndarray) else as_values(Y, "Y")
    if Y.ndim == 1:
        raise ValueError(
            f"Y has shape {Y.shape}, a 1-D array; it must have shape (1, m): did you mean Y.reshape(1, -1)?"
        )
    if Y.ndim != 2 or Y.shape[0] != 1:
        raise ValueError(f"Y must have shape (1, m), one label per column, but it has shape {Y.shape}"
                         f"{_label_hint(Y) or '.'}")
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


def _label_hint(Y: np.ndarray) -> str:
    """How to turn a Y of the wrong shape into one row of labels."""
    if Y.ndim == 2 and Y.shape[1] == 1:
        return "; did you mean Y.T?"
    if Y.ndim == 2 and Y.shape[0] > 1:
        return (
            f"; one row per class (one-hot) is not needed for two classes: keep the row of class 1, "
            f"Y[1:2] (or Y.argmax(axis=0).reshape(1, -1)); if the {Y.shape[1]} columns are not "
            f"examples but the {Y.shape[0]} rows are, use Y.T."
        )
    return "; flatten it to one row of labels with Y.reshape(1, -1)." if Y.ndim > 2 else ""


def check_predicted_labels(Y_hat) -> np.ndarray:
    """Return Y_hat (1, m) as floats after checking it holds labels 0 and 1, not probabilities."""
    Y_hat = as_float_matrix(Y_hat, "Y_hat")
    not_labels = (Y_hat != 0) & (Y_hat != 1)
    if not_labels.any():
        value = float(Y_hat[not_labels][0])
        hint = (
            "it looks like probabilities: pass predict(X, params), the labels, or (Y_hat > 0.5).astype(int)"
            if 0 <= value <= 1
            else "map your predictions to the labels 0 and 1 first"
        )
        raise ValueError(f"Y_hat must hold predicted labels 0 and 1, but it contains {value:g}; {hint}.")
    return Y_hat


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
    n_parameters = sum(int(n_here) * (int(n_prev) + 1) for n_prev, n_here in zip(dims[:-1], dims[1:]))
    if n_parameters > MAX_PARAMETERS:
        raise ValueError(f"layer_dims {dims} has {n_parameters:,} parameters, more than the course builds "
                         f"({MAX_PARAMETERS:,}, 400 MB of float64): use fewer or smaller layers.")
    return [int(size) for size in dims]


MAX_PARAMETERS = 5 * 10**7


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


# Steps of a training run or an iteration: every loop of the course keeps a number or two per step, and
# takes about 0.1 ms a step on a small network: beyond this a run would take hours (and fit's history,
# 16 bytes a step, would be allocated before step 0).
MAX_ITERATIONS = 10**6


def check_steps(value, name: str, most: int = MAX_ITERATIONS) -> int:
    """A whole number of steps between 1 and ``most``, refused before anything is allocated."""
    steps = check_positive_int(value, name)
    if steps > most:
        advice = (" If the cost is still falling after many steps, a larger learning_rate, scaled inputs or "
                  "optimizer='adam' will do more than extra steps." if name == "num_iterations" else "")
        raise ValueError(f"{name} = {steps:,} is more than the course runs ({most:,}): a run that long would "
                         f"take hours.{advice}")
    return steps


def check_finite_number(value, name: str) -> float:
    """Return ``value`` as a float after checking it is a finite real number."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number such as 1.0; got {value!r}.")
    return float(value)


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
        hint = "; did you mean A_prev.T?" if W.shape[1] == A_prev.shape[1] else "."
        raise ValueError(
            f"W has shape {W.shape}, so it expects {W.shape[1]} inputs per example, but A_prev has "
            f"{A_prev.shape[0]} rows (shape {A_prev.shape}): examples must be columns{hint}"
        )
    if b.shape != (W.shape[0], 1):
        hint = "; did you mean b.reshape(-1, 1)?" if b.size == W.shape[0] else "."
        raise ValueError(f"b has shape {b.shape} but must be ({W.shape[0]}, 1), one bias per unit, a column{hint}")


def check_same_shape(values, Y, name: str) -> None:
    """``values`` (predictions or logits) and labels Y must both be (1, m)."""
    try:
        values_shape, labels_shape = np.shape(values), np.shape(Y)
    except ValueError:  # a ragged nested list has no shape
        raise ValueError(f"{name} and Y must be arrays of shape (1, m); {name} or Y is a ragged list.") from None
    if values_shape != labels_shape or len(labels_shape) != 2 or labels_shape[0] != 1:
        raise ValueError(
            f"{name} has shape {values_shape} and Y has shape {labels_shape}; both must be (1, m), "
            "one column per example."
        )


def as_values(values, name: str) -> np.ndarray:
    """``values`` as a float array (float32 stays float32, anything else becomes float64); any shape, nan allowed.

    Refuses what a conversion would silently get wrong: complex numbers (the
    imaginary part would be dropped) and masked arrays (the mask would be ignored).
    """
    if np.ma.isMaskedArray(values) and np.ma.getmaskarray(values).any():
        raise ValueError(f"{name} is a masked array with masked entries, and course_lib would see the hidden values "
                         f"behind the mask: drop those examples or fill them first ({name}.filled(value)).")
    dtype = np.float32 if getattr(values, "dtype", None) == np.float32 else np.float64
    try:
        array = np.asarray(values)
        if not np.iscomplexobj(array):
            return array.astype(dtype, copy=False)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be a NumPy array of numbers; could not convert it ({error}).") from None
    raise ValueError(f"{name} holds complex numbers; the course works with real numbers only (did you "
                     f"mean {name}.real or abs({name})?).")


def as_probabilities(values, name: str) -> np.ndarray:
    """Probabilities A as a float array, after checking no entry lies outside [0, 1] (nan passes: it is a result)."""
    A = as_values(values, name)
    outside = (A < 0) | (A > 1)
    if outside.any():
        raise ValueError(
            f"{name} must hold probabilities between 0 and 1, but it contains {float(A[outside][0]):g}: "
            "did you pass the logits Z? The loss of the logits is cross_entropy_logits(Z, Y); "
            "the probabilities are sigmoid(Z)."
        )
    return A


def _predictions_match_labels(Y_hat, Y) -> None:
    if np.shape(Y_hat) != np.shape(Y):
        hint = "; did you mean Y_hat.reshape(1, -1)?" if np.size(Y_hat) == np.size(Y) else "."
        raise ValueError(f"Y_hat has shape {np.shape(Y_hat)} but Y has shape {np.shape(Y)}; they must match, "
                         f"one prediction per column{hint}")


def check_backward_shapes(dZ, A_prev, W) -> None:
    """dZ (n_l, m) must match W (n_l, n_prev) and A_prev (n_prev, m)."""
    expected = (np.shape(W)[0], np.shape(A_prev)[1])
    if np.shape(dZ) != expected:
        raise ValueError(
            f"dZ has shape {np.shape(dZ)} but W {np.shape(W)} and A_prev {np.shape(A_prev)} need {expected}: "
            "one row per unit of this layer, one column per example."
        )


def _params(value, name):
    from .parameters import LayerParams, check_params  # parameters.py imports nothing from here

    layers = value if isinstance(value, dict) else _as_list(value)
    try:
        _blame_a_transposed_weight(layers)
        shaped = check_params(layers)
    except ValueError as error:  # the messages say "params"; grads and velocity have the same rules
        raise ValueError(re.sub(r"\bparams\b", name, str(error))) from None
    checked_layers = [
        LayerParams(as_values(W, f"{name}[{index}].W"), as_values(b, f"{name}[{index}].b"))
        for index, (W, b) in enumerate(shaped)
    ]
    if checked_layers[-1].W.shape[0] != 1:
        raise ValueError(f"the last layer of {name} has {checked_layers[-1].W.shape[0]} units, but this course builds "
                         "binary classifiers: the last layer must have 1 unit (the probability of class 1).")
    return checked_layers


def _as_list(value):
    """``value`` as a list if it can be iterated (a generator is read once), else as it is."""
    try:
        return list(value)
    except TypeError:
        return value


def _blame_a_transposed_weight(layers) -> None:
    """A W of shape (n_prev, n_l) beside a b of n_l rows is transposed: say so, rather than blame b.

    The b is trusted only when the next layer's W (or, for the last layer, its single
    unit) agrees with it, so a wrong b with a right W is still blamed on b.
    """
    try:
        shapes = [(np.shape(W), np.shape(b)) for W, b in layers]
    except (TypeError, ValueError):
        return  # check_params explains what params must be
    for index, (W_shape, b_shape) in enumerate(shapes):
        if len(W_shape) != 2 or len(b_shape) != 2 or W_shape[0] == b_shape[0] or W_shape[1] != b_shape[0]:
            continue
        is_last = index == len(shapes) - 1
        next_W = shapes[index + 1][0] if not is_last else None
        if (is_last and b_shape[0] == 1) or (next_W is not None and len(next_W) == 2 and next_W[1] == b_shape[0]):
            raise ValueError(
                f"params[{index}].W (W of layer {index + 1}) has shape {W_shape}, but it must be "
                f"({W_shape[1]}, {W_shape[0]}) = (units in this layer, units in the previous one); did you mean W.T?"
            )


def _rng(value, name):
    check_rng(value)
    return value


def _finite_positive(value, name):
    return check_learning_rate(value, name)


def _number_of_examples(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 2:
        raise ValueError(f"{name} must be a whole number of examples, at least 2; got {value!r}.")
    if value > MAX_EXAMPLES:  # checked before anything is allocated
        raise ValueError(f"{name} = {value:,} examples would not fit in memory; the course needs at most "
                         f"{MAX_EXAMPLES:,} (a few hundred show everything).")
    return int(value)


def _start(value, name):
    # power_iteration's start is a vector; quadratic_descent's is a number, and its square is drawn
    if np.ndim(value) != 0:
        return value
    start = check_finite_number(value, name)
    if abs(start) > 1e6:
        raise ValueError(f"{name} must lie between -1e6 and 1e6 (the distance from the minimum); got {start:g}.")
    return start


def _logits(value, name):
    Z = as_values(value, name)
    if not np.all(np.isfinite(Z)):
        raise ValueError(f"{name} contains nan or inf: logits must be finite numbers (the stable loss is finite "
                         "for every finite logit; inf comes from a run that overflowed).")
    return Z


def _cache(value, name):
    from .layers import LayerCache  # layers.py imports this module

    if not isinstance(value, LayerCache):
        raise ValueError(f"{name} must be the LayerCache that layer_forward returned with A (A, cache = "
                         f"layer_forward(...)), not {type(value).__name__}.")
    return value


def _caches(value, name):
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or len(value) == 0:
        raise ValueError(f"{name} must be the list of LayerCache that model_forward returned with A_L "
                         f"(A_L, caches = model_forward(X, params)), not {value!r:.60}.")
    return [_cache(cache, f"{name}[{index}]") for index, cache in enumerate(value)]


def _threshold(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 < value < 1:
        raise ValueError(f"{name} must be a probability between 0 and 1 (not included), such as 0.5; got {value!r}.")
    return float(value)


def _callable(value, name):
    if not callable(value):
        raise TypeError(f"{name} must be a function that takes one line of text, such as print; got {value!r}.")
    return value


def _decay(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value < 1:
        raise ValueError(f"{name} must be a number from 0 up to (not including) 1, such as 0.9; got {value!r}.")
    return float(value)


def _decays(value, name):
    try:
        first, second = value
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a pair of numbers such as (0.9, 0.999); got {value!r}.") from None
    return _decay(first, f"{name}[0]"), _decay(second, f"{name}[1]")


def _noise(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value <= 10:
        raise ValueError(f"{name} must be a number from 0 to 10 (a standard deviation; the moons have radius 1), "
                         f"such as 0.15; got {value!r}.")
    return float(value)


def _test_fraction(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be between 0 and 1, a number such as 0.25, not {value!r} "
                         f"(a {type(value).__name__}).")
    if not 0 < value < 1:
        raise ValueError(f"{name} must be between 0 and 1 (for example 0.25); got {value}.")
    return float(value)


def _costs(value, name):
    costs = as_values(value, name)
    if costs.ndim != 1 or costs.size == 0:
        raise ValueError(f"{name} must be a 1-D sequence of at least one cost, one per step, such as "
                         f"history.costs; got {'an empty one' if costs.size == 0 else f'shape {costs.shape}'}.")
    return costs


def _flag(value, name):
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False, such as history.first_nonfinite is not None; got {value!r}.")
    return bool(value)


def _histories(value, name):
    if not isinstance(value, dict) or not value:
        raise ValueError(f"{name} must be a dict of at least one run, label -> History, such as "
                         f"{{'α = 0.1': history}}; got {value!r:.60}.")
    for label, history in value.items():
        if not hasattr(history, "costs") or not hasattr(history, "status"):
            raise ValueError(f"{name}[{label!r}] must be a History returned by fit, not {type(history).__name__}.")
    return value


# make_moons(m) beyond this would need gigabytes (2 rows of float64 per example, and the noise)
MAX_EXAMPLES = 10**7


# argument name -> rule(value, name) returning the checked (perhaps converted) value
ARGUMENT_RULES = {
    "X": as_float_matrix,
    "Y": lambda value, name: check_labels(value),
    "y": as_float_matrix,
    "layer_dims": lambda value, name: check_layer_dims(value),
    "learning_rate": lambda value, name: check_learning_rate(value),
    "min_rate": _finite_positive,
    "max_rate": _finite_positive,
    "num_iterations": check_steps,
    "num_steps": check_steps,
    "steps": lambda value, name: check_steps(value, name, most=10_000),
    "curvature": check_finite_number,
    "start": _start,
    "every": check_positive_int,
    "power_iterations": check_positive_int,
    "report_every": check_positive_int,
    "batch_size": check_positive_int,
    "costs": _costs,
    "nonfinite": _flag,
    "histories": _histories,
    "dtype": lambda value, name: check_dtype(value),
    "tol": check_fraction,
    "relative_cutoff": check_fraction,
    "epsilon": _finite_positive,
    "params": _params,
    "grads": _params,
    "velocity": _params,
    "rng": _rng,
    "A_prev": as_values,
    "W": as_values,
    "b": as_values,
    "threshold": _threshold,
    "cache": _cache,
    "caches": _caches,
    "report": _callable,
    "beta": _decay,
    "betas": _decays,
    "A": as_probabilities,
    "A_L": as_probabilities,
    "Z": _logits,
    "Z_L": _logits,
    "Y_hat": lambda value, name: check_predicted_labels(value),
    "m": _number_of_examples,
    "noise": _noise,
    "test_fraction": _test_fraction,
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
    _same_layers(arguments, "grads")


def _same_layers(arguments, name):
    from .parameters import check_params, layer_dims_of

    try:
        check_params(arguments[name], layer_dims_of(arguments["params"]))
    except ValueError as error:
        raise ValueError(f"{name} must have the shapes of params: {error}".replace("params[", f"{name}[")) from None


def _inputs_match_params(arguments):
    if arguments["params"] is not None:
        check_features(arguments["X"], arguments["params"][0].W.shape[1])


def _labels_match_inputs(arguments):
    check_labels(arguments["Y"], m=arguments["X"].shape[1])


# gradient_check makes about 2P forward passes: beyond this many multiply-adds it would run for minutes.
MAX_GRADIENT_CHECK_WORK = 2 * 10**10


def _finite_start(arguments):
    """Training or checking gradients from nan or inf parameters cannot mean anything: say where they are."""
    for index, layer in enumerate(arguments["params"] or ()):
        for part, values in zip("Wb", layer):
            bad = ~np.isfinite(values)
            if bad.any():
                raise ValueError(
                    f"params[{index}].{part} ({part} of layer {index + 1}) contains {int(bad.sum())} nan or inf "
                    "value(s), so every cost would be nan from the start; parameters like these come from a run "
                    "that overflowed: start again from init_params(layer_dims, rng) or from an earlier, finite step."
                )


def check_gradient_check_request(arguments):
    """gradient_check's step must be small but not lost in rounding, and its work must finish in reasonable time."""
    _finite_start(arguments)
    epsilon = arguments["epsilon"]
    if not 1e-10 <= epsilon <= 1e-2:
        raise ValueError(f"epsilon must be between 1e-10 and 1e-2 (the default 1e-6 is a good step); got {epsilon!r}: "
                         "a larger step measures curvature as well as slope, a smaller one measures rounding.")
    n_parameters = sum(np.size(W) + np.size(b) for W, b in arguments["params"])
    work = 2 * n_parameters * arguments["X"].shape[1] * sum(np.size(W) for W, _ in arguments["params"])
    if work > MAX_GRADIENT_CHECK_WORK:
        raise ValueError(
            f"gradient_check would make {2 * n_parameters:,} forward passes over {arguments['X'].shape[1]:,} "
            f"examples ({work:.1e} multiply-adds, minutes of work): check a smaller network, or a few examples "
            "such as X[:, :20], Y[:, :20]; a bug in backprop shows on small problems too."
        )


def _targets_match_inputs(arguments):
    X, y = arguments["X"], arguments["y"]
    if y.shape != (1, X.shape[1]):
        hint = "; did you mean y.T?" if y.shape == (X.shape[1], 1) else "."
        raise ValueError(f"y has shape {y.shape} but X has {X.shape[1]} examples (columns): y must be "
                         f"(1, {X.shape[1]}), one target per column of X{hint}")


def _split_leaves_both_sides(arguments):
    m, fraction = arguments["X"].shape[1], arguments["test_fraction"]
    m_test = int(round(fraction * m))
    if m_test < 1 or m_test > m - 1:
        raise ValueError(f"test_fraction {fraction} leaves no example on one side of the split of {m}.")


def needs_rng(arguments):
    """For functions that draw random numbers whatever their other arguments (an extra rule for ``checked``)."""
    check_rng(arguments["rng"])


# (argument names, rule(arguments)): applied when a function has all of the names. The shape
# relations run first, on the arguments as given, so that they name both arrays.
SHAPE_RELATIONS = [
    (("A", "Y"), lambda arguments: check_same_shape(arguments["A"], arguments["Y"], "A")),
    (("Z", "Y"), lambda arguments: check_same_shape(arguments["Z"], arguments["Y"], "Z")),
    (("A_L", "Y"), lambda arguments: check_same_shape(arguments["A_L"], arguments["Y"], "A_L")),
    (("Y_hat", "Y"), lambda arguments: _predictions_match_labels(arguments["Y_hat"], arguments["Y"])),
]
RELATIONS = [
    (("layer_dims", "rng", "params"), _rng_or_params),
    (("layer_dims", "rng"), lambda arguments: "params" in arguments or needs_rng(arguments)),
    (("layer_dims", "params"), _params_match_layer_dims),
    (("X", "layer_dims"), lambda arguments: check_features(arguments["X"], arguments["layer_dims"][0])),
    (("X", "params"), _inputs_match_params),
    (("X", "Y"), _labels_match_inputs),
    (("params", "grads"), _params_match_grads),
    (("params", "velocity"), lambda arguments: _same_layers(arguments, "velocity")),
    (("params", "num_iterations"), _finite_start),
    (("X", "test_fraction"), _split_leaves_both_sides),
    (("X", "y"), _targets_match_inputs),
    (("A_prev", "W", "b"), lambda arguments: check_layer_shapes(arguments["A_prev"], arguments["W"], arguments["b"])),
    (("dZ", "A_prev", "W"),
     lambda arguments: check_backward_shapes(arguments["dZ"], arguments["A_prev"], arguments["W"])),
]

_door = threading.local()


def _apply_relations(relations, arguments: dict) -> None:
    for names, rule in relations:
        if all(name in arguments for name in names):
            rule(arguments)


def _check_arguments(arguments: dict, extra_rules, may_be_none=frozenset()) -> None:
    """Apply every rule that applies to these arguments, in place.

    ``may_be_none``: the arguments whose default is None, which None leaves unchecked.
    """
    _apply_relations(SHAPE_RELATIONS, arguments)
    for name, value in arguments.items():
        if name in ARGUMENT_RULES and not (value is None and name in may_be_none):
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
        may_be_none = frozenset(name for name, parameter in signature.parameters.items() if parameter.default is None)

        @functools.wraps(function)
        def at_the_door(*args, **kwargs):
            if getattr(_door, "inside", False):
                return function(*args, **kwargs)
            try:
                bound = signature.bind(*args, **kwargs)
            except TypeError as error:
                named = "; the arguments after the * must be named, as in learning_rate=0.1" if "positional" in str(
                    error) and "*" in str(signature) else ""
                raise TypeError(f"{function.__name__}{signature}: {error}{named}.") from None
            bound.apply_defaults()
            _check_arguments(bound.arguments, extra_rules, may_be_none)
            _door.inside = True
            try:
                return function(*bound.args, **bound.kwargs)
            finally:
                _door.inside = False

        return at_the_door

    return decorate

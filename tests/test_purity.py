"""Library functions change neither their input arrays nor NumPy's global random state."""

import copy
from contextlib import contextmanager

import numpy as np
import pytest

from course_lib import (
    Standardizer,
    accuracy,
    cross_entropy_logits,
    cross_entropy_logits_gradient,
    cross_entropy_naive,
    cross_entropy_naive_gradient,
    fit,
    gradient_check,
    gradient_descent_step,
    init_params,
    layer_backward,
    layer_forward,
    linear_backward,
    linear_forward,
    make_moons,
    model_backward,
    model_forward,
    predict,
    predict_proba,
    sigmoid,
    train_test_split,
)
from course_lib.exercises import EXERCISES, check


@contextmanager
def global_random_state_unchanged():
    before = np.random.get_state()
    yield
    after = np.random.get_state()
    same = before[0] == after[0] and np.array_equal(before[1], after[1]) and before[2:] == after[2:]
    assert same, "the global NumPy random state changed"


def assert_unchanged(before, after, where="argument"):
    """Compare the deep copy taken before a call with the object after it (arrays, lists, tuples, dicts)."""
    if isinstance(before, np.ndarray):
        assert isinstance(after, np.ndarray) and before.shape == after.shape, f"{where} changed shape"
        assert np.array_equal(before, after, equal_nan=True), f"{where} was changed in place"
    elif isinstance(before, (list, tuple)):
        assert len(before) == len(after), f"{where} changed length"
        for index, (old, new) in enumerate(zip(before, after)):
            assert_unchanged(old, new, f"{where}[{index}]")
    elif isinstance(before, dict):
        for key in before:
            assert_unchanged(before[key], after[key], f"{where}[{key!r}]")


def problem(seed=0, dims=(3, 4, 2, 1), m=6):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((dims[0], m))
    Y = (np.arange(m) % 2).reshape(1, m).astype(float)
    return X, Y, init_params(list(dims), rng, "he")


def call_forward():
    X, _, params = problem()
    return model_forward, (X, params), {}


def call_backward(output_gradient):
    X, Y, params = problem()
    A_L, caches = model_forward(X, params)
    return model_backward, (A_L, Y, caches), {"output_gradient": output_gradient}


def call_layer_forward():
    X, _, params = problem()
    return layer_forward, (X, *params[0], "relu"), {}


def call_layer_backward():
    X, _, params = problem()
    A, cache = layer_forward(X, *params[0], "tanh")
    return layer_backward, (np.ones_like(A), cache, "tanh"), {}


def call_linear_forward():
    X, _, params = problem()
    return linear_forward, (X, *params[0]), {}


def call_linear_backward():
    X, _, params = problem()
    return linear_backward, (np.ones((4, 6)), X, params[0].W), {}


def call_loss(function, on_logits):
    X, Y, params = problem()
    A_L, caches = model_forward(X, params)
    return function, (caches[-1].Z if on_logits else A_L, Y), {}


def call_fit_with_params():
    X, Y, params = problem()
    return fit, (X, Y, [3, 4, 2, 1]), {"learning_rate": 0.1, "num_iterations": 20, "params": params}


def call_fit_with_rng(loss):
    X, Y, _ = problem()
    options = {"learning_rate": 0.1, "num_iterations": 20, "rng": np.random.default_rng(1), "loss": loss}
    return fit, (X, Y, [3, 4, 2, 1]), options


def call_fit_non_finite():
    X, Y = make_moons(20, np.random.default_rng(0))
    X = X * 1e4  # raw scale large enough to overflow the naive loss
    options = {"learning_rate": 1.0, "num_iterations": 20, "rng": np.random.RandomState(3), "loss": "naive"}
    return fit, (X, Y, [2, 3, 1]), options


def call_gradient_descent_step():
    X, Y, params = problem()
    A_L, caches = model_forward(X, params)
    return gradient_descent_step, (params, model_backward(A_L, Y, caches), 0.5), {}


def call_init_params(rng):
    return init_params, ([5, 4, 3, 1], rng, "xavier"), {}


def call_standardizer_fit():
    X, _, _ = problem()
    return Standardizer.fit, (X,), {}


def call_standardizer_transform():
    X, _, _ = problem()
    return Standardizer.fit(X[:, :3]).transform, (X,), {}


def call_train_test_split():
    X, Y, _ = problem()
    return train_test_split, (X, Y, np.random.default_rng(2)), {}


def call_predict(function):
    X, _, params = problem()
    return function, (X, params), {}


def call_accuracy():
    return accuracy, (np.array([[1, 0, 1]]), np.array([[1.0, 1.0, 1.0]])), {}


def call_gradient_check():
    X, Y, params = problem(dims=(2, 3, 1), m=4)
    return gradient_check, (X, Y, params), {}


def call_make_moons():
    return make_moons, (30, np.random.default_rng(3)), {}


def call_sigmoid():
    return sigmoid, (np.linspace(-50, 50, 11).reshape(1, 11),), {}


CALLS = {
    "model_forward": call_forward,
    "model_backward lecture": lambda: call_backward("lecture"),
    "model_backward fused": lambda: call_backward("fused"),
    "layer_forward": call_layer_forward,
    "layer_backward": call_layer_backward,
    "linear_forward": call_linear_forward,
    "linear_backward": call_linear_backward,
    "cross_entropy_naive": lambda: call_loss(cross_entropy_naive, on_logits=False),
    "cross_entropy_naive_gradient": lambda: call_loss(cross_entropy_naive_gradient, on_logits=False),
    "cross_entropy_logits": lambda: call_loss(cross_entropy_logits, on_logits=True),
    "cross_entropy_logits_gradient": lambda: call_loss(cross_entropy_logits_gradient, on_logits=True),
    "fit with params": call_fit_with_params,
    "fit with rng, stable": lambda: call_fit_with_rng("stable"),
    "fit with rng, naive": lambda: call_fit_with_rng("naive"),
    "fit that overflows": call_fit_non_finite,
    "gradient_descent_step": call_gradient_descent_step,
    "init_params Generator": lambda: call_init_params(np.random.default_rng(4)),
    "init_params RandomState": lambda: call_init_params(np.random.RandomState(4)),
    "Standardizer.fit": call_standardizer_fit,
    "Standardizer.transform": call_standardizer_transform,
    "train_test_split": call_train_test_split,
    "predict": lambda: call_predict(predict),
    "predict_proba": lambda: call_predict(predict_proba),
    "accuracy": call_accuracy,
    "gradient_check": call_gradient_check,
    "make_moons": call_make_moons,
    "sigmoid": call_sigmoid,
}


@pytest.mark.parametrize("name", CALLS)
def test_inputs_and_global_random_state_are_unchanged(name):
    function, args, kwargs = CALLS[name]()
    args_before, kwargs_before = copy.deepcopy(args), copy.deepcopy(kwargs)
    with global_random_state_unchanged():
        function(*args, **kwargs)
    assert_unchanged(args_before, args)
    assert_unchanged(kwargs_before, kwargs)


def test_fit_really_overflows_in_the_purity_case():
    function, args, kwargs = call_fit_non_finite()
    assert function(*args, **kwargs).status == "non-finite"


def test_fit_returns_new_parameter_arrays():
    function, args, kwargs = call_fit_with_params()
    history = function(*args, **kwargs)
    for (W, b), (W_new, b_new) in zip(kwargs["params"], history.params):
        assert not np.shares_memory(W, W_new) and not np.shares_memory(b, b_new)


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_check_leaves_the_global_random_state_alone(name):
    with global_random_state_unchanged():
        assert check(EXERCISES[name].reference, name).passed


def test_the_purity_helpers_can_fail():
    state = np.random.get_state()
    try:
        with pytest.raises(AssertionError, match="global NumPy random state changed"):
            with global_random_state_unchanged():
                np.random.standard_normal()
    finally:
        np.random.set_state(state)
    before = [np.zeros(3)]
    after = [np.array([0.0, 1.0, 0.0])]
    with pytest.raises(AssertionError, match=r"argument\[0\] was changed in place"):
        assert_unchanged(before, after)

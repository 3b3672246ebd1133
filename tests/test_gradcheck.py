"""Backprop agrees with finite differences, on both output paths; and the check catches a wrong backward."""

import numpy as np
import pytest

import course_lib.model
from course_lib import LayerParams, count_params, gradient_check, init_params, model_backward, model_forward
from course_lib.activations import ACTIVATIONS, relu, relu_derivative
from course_lib.parameters import flatten_params

ARCHITECTURES = [[1, 1, 1], [2, 3, 1], [5, 4, 3, 1], [30, 16, 8, 1]]
LOSSES = ["naive", "stable"]
EPSILON = 1e-6  # gradient_check's default step


def make_problem(dims, seed=0):
    """Standard-normal X, both classes in Y, He weights and small non-zero biases.

    Zero biases would let a unit whose inputs are all dead ReLUs sit exactly at
    Z = 0, the ReLU kink, where a centred difference sees half a slope.
    """
    rng = np.random.default_rng(seed)
    m = 3 if dims[0] > 10 else 5
    X = rng.standard_normal((dims[0], m))
    Y = (np.arange(m) % 2).reshape(1, m).astype(float)
    params = [LayerParams(W, 0.1 * rng.standard_normal(b.shape)) for W, b in init_params(dims, rng, "he")]
    return X, Y, params


def smallest_hidden_pre_activation(X, params):
    _, caches = model_forward(X, params)
    return min(np.abs(cache.Z).min() for cache in caches[:-1])


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("dims", ARCHITECTURES, ids=str)
def test_backprop_matches_finite_differences(dims, loss):
    X, Y, params = make_problem(dims)
    assert smallest_hidden_pre_activation(X, params) > 1e3 * EPSILON  # away from every ReLU kink
    result = gradient_check(X, Y, params, loss=loss)
    assert result.relative_error < 1e-7
    assert result.gradient.shape == result.approximation.shape == (count_params(dims),)
    assert np.linalg.norm(result.gradient) > 1e-3  # the gradient is not so small that any error looks tiny


def test_gradient_is_backprop_and_relative_error_follows_the_documented_formula():
    X, Y, params = make_problem([2, 3, 1])
    result = gradient_check(X, Y, params)
    A_L, caches = model_forward(X, params)
    np.testing.assert_array_equal(result.gradient, flatten_params(model_backward(A_L, Y, caches)))
    g, approx = result.gradient, result.approximation
    expected = np.linalg.norm(g - approx) / (np.linalg.norm(g) + np.linalg.norm(approx))
    assert result.relative_error == pytest.approx(expected, rel=1e-12)


def test_a_doubled_hidden_layer_derivative_is_caught(monkeypatch):
    X, Y, params = make_problem([2, 3, 1])
    monkeypatch.setitem(ACTIVATIONS, "relu", (relu, lambda Z: 2.0 * relu_derivative(Z)))
    assert gradient_check(X, Y, params, loss="stable").relative_error > 1e-2


def test_a_wrong_loss_derivative_on_the_lecture_path_is_caught(monkeypatch):
    X, Y, params = make_problem([2, 3, 1])

    def forgot_the_negative_class(A, Y):
        return -Y / A  # dropped the + (1 - Y) / (1 - A) term

    monkeypatch.setattr(course_lib.model, "cross_entropy_naive_gradient", forgot_the_negative_class)
    assert gradient_check(X, Y, params, loss="naive").relative_error > 1e-2


def test_a_gradient_off_by_a_factor_of_two_gives_a_large_error():
    X, Y, params = make_problem([5, 4, 3, 1])
    result = gradient_check(X, Y, params)
    doubled = 2 * result.gradient
    error = np.linalg.norm(doubled - result.approximation) / (
        np.linalg.norm(doubled) + np.linalg.norm(result.approximation)
    )
    assert error == pytest.approx(1 / 3, rel=1e-6)


def test_gradient_check_uses_the_hidden_activation():
    X, Y, params = make_problem([3, 4, 1])
    assert gradient_check(X, Y, params, hidden_activation="tanh").relative_error < 1e-7
    assert gradient_check(X, Y, params, hidden_activation="sigmoid").relative_error < 1e-7

"""One layer forward and backward, checked against per-example loops and finite differences."""

import numpy as np
import pytest

from course_lib import layer_backward, layer_forward, linear_backward, linear_forward
from course_lib.activations import ACTIVATIONS


def layer_inputs(seed, n_prev=4, n_here=3, m=5):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n_prev, m)), rng.standard_normal((n_here, n_prev)), rng.standard_normal((n_here, 1))


def test_linear_forward_matches_a_loop_over_units_and_examples():
    A_prev, W, b = layer_inputs(0)
    Z = linear_forward(A_prev, W, b)
    assert Z.shape == (3, 5)
    for unit in range(3):
        for example in range(5):
            expected = sum(W[unit, k] * A_prev[k, example] for k in range(4)) + b[unit, 0]
            assert Z[unit, example] == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_linear_backward_averages_per_example_gradients():
    A_prev, W, _ = layer_inputs(1)
    dZ = np.random.default_rng(2).standard_normal((3, 5))
    dA_prev, dW, db = linear_backward(dZ, A_prev, W)
    assert (dA_prev.shape, dW.shape, db.shape) == ((4, 5), (3, 4), (3, 1))
    m = A_prev.shape[1]
    np.testing.assert_allclose(dW, sum(np.outer(dZ[:, i], A_prev[:, i]) for i in range(m)) / m, rtol=1e-12)
    np.testing.assert_allclose(db[:, 0], dZ.mean(axis=1), rtol=1e-12)
    for i in range(m):  # dA_prev is per example, not averaged
        np.testing.assert_allclose(dA_prev[:, i], W.T @ dZ[:, i], rtol=1e-12)


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_layer_forward_applies_the_activation_and_caches_its_inputs(activation):
    A_prev, W, b = layer_inputs(3)
    A, cache = layer_forward(A_prev, W, b, activation)
    function, _ = ACTIVATIONS[activation]
    Z = W @ A_prev + b
    np.testing.assert_allclose(A, function(Z), rtol=1e-12)
    assert cache.A_prev is A_prev and cache.W is W and cache.b is b
    np.testing.assert_allclose(cache.Z, Z, rtol=1e-12)


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_layer_backward_matches_finite_differences_of_a_linear_readout(activation):
    """With J = mean over examples of sum(R * A), dJ/dW and dJ/db are what layer_backward returns for dA = R."""
    A_prev, W, b = layer_inputs(4)
    R = np.random.default_rng(5).standard_normal((3, 5))
    m = A_prev.shape[1]

    def J(W_, b_):
        A, _ = layer_forward(A_prev, W_, b_, activation)
        return float(np.sum(R * A)) / m

    _, cache = layer_forward(A_prev, W, b, activation)
    assert np.abs(cache.Z).min() > 1e-4  # no ReLU kink within reach of the finite difference
    dA_prev, dW, db = layer_backward(R, cache, activation)
    h = 1e-6
    for index in np.ndindex(W.shape):
        step = np.zeros_like(W)
        step[index] = h
        assert dW[index] == pytest.approx((J(W + step, b) - J(W - step, b)) / (2 * h), abs=1e-8)
    for index in np.ndindex(b.shape):
        step = np.zeros_like(b)
        step[index] = h
        assert db[index] == pytest.approx((J(W, b + step) - J(W, b - step)) / (2 * h), abs=1e-8)
    assert dA_prev.shape == A_prev.shape


def test_layer_backward_is_the_activation_derivative_then_linear_backward():
    A_prev, W, b = layer_inputs(6)
    dA = np.random.default_rng(7).standard_normal((3, 5))
    _, cache = layer_forward(A_prev, W, b, "tanh")
    expected = linear_backward(dA * (1 - np.tanh(cache.Z) ** 2), A_prev, W)
    for got, want in zip(layer_backward(dA, cache, "tanh"), expected):
        np.testing.assert_allclose(got, want, rtol=1e-12)


def test_unknown_activation_is_rejected_with_the_valid_names():
    A_prev, W, b = layer_inputs(8)
    with pytest.raises(ValueError, match=r"unknown activation 'softmax'; choose one of 'relu', 'sigmoid', 'tanh'"):
        layer_forward(A_prev, W, b, "softmax")
    _, cache = layer_forward(A_prev, W, b, "relu")
    with pytest.raises(ValueError, match=r"unknown activation 'leaky'"):
        layer_backward(np.ones((3, 5)), cache, "leaky")

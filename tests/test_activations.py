"""Activation functions: a sigmoid that never overflows, and derivatives that match finite differences."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib import relu, relu_derivative, sigmoid, sigmoid_derivative, tanh
from course_lib.activations import ACTIVATIONS

# |z| from 1 to 1e4 on both sides, and 0
LARGE_Z = np.concatenate([-np.logspace(4, 0, 60), [0.0], np.logspace(0, 4, 60)]).reshape(11, 11)


def test_sigmoid_gives_no_warning_for_inputs_up_to_1e4():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = sigmoid(LARGE_Z)
    assert s.shape == LARGE_Z.shape
    assert np.all((s >= 0) & (s <= 1))
    assert sigmoid(np.array([-1e4]))[0] == 0.0
    assert sigmoid(np.array([1e4]))[0] == 1.0


def test_sigmoid_matches_textbook_formula_wherever_that_is_finite():
    z = np.linspace(-1000, 1000, 4001)
    with np.errstate(over="ignore"):
        exp_minus_z = np.exp(-z)
    finite = np.isfinite(exp_minus_z)
    assert finite.sum() > 2000 and not finite.all()  # the range covers where the textbook form overflows
    textbook = 1.0 / (1.0 + exp_minus_z[finite])
    np.testing.assert_allclose(sigmoid(z[finite]), textbook, rtol=1e-13, atol=1e-300)


def test_sigmoid_of_zero_is_one_half_and_it_is_symmetric():
    z = np.linspace(-30, 30, 121)
    assert sigmoid(np.zeros((1, 1)))[0, 0] == 0.5
    np.testing.assert_allclose(sigmoid(-z), 1.0 - sigmoid(z), rtol=0, atol=1e-15)


def test_sigmoid_derivative_is_zero_not_nan_far_from_zero():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        derivative = sigmoid_derivative(LARGE_Z)
    assert np.all(np.isfinite(derivative))
    assert derivative.flat[0] == 0.0 and derivative.flat[-1] == 0.0
    assert sigmoid_derivative(np.zeros((1, 1)))[0, 0] == 0.25


def test_relu_and_tanh_values():
    z = np.array([[-2.0, -0.5, 0.0, 0.5, 2.0]])
    np.testing.assert_array_equal(relu(z), [[0.0, 0.0, 0.0, 0.5, 2.0]])
    np.testing.assert_allclose(tanh(z), (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z)), rtol=1e-14)


def test_relu_derivative_takes_zero_at_the_kink():
    np.testing.assert_array_equal(relu_derivative(np.array([[-1.0, 0.0, 1e-12, 3.0]])), [[0.0, 0.0, 1.0, 1.0]])


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_derivative_matches_centred_finite_difference_away_from_kinks(name):
    function, derivative = ACTIVATIONS[name]
    Z = np.random.default_rng(0).uniform(-5, 5, size=(4, 50))
    Z = Z[np.abs(Z) > 1e-3].reshape(1, -1)  # ReLU has a kink at 0
    h = 1e-6
    finite_difference = (function(Z + h) - function(Z - h)) / (2 * h)
    np.testing.assert_allclose(derivative(Z), finite_difference, rtol=0, atol=1e-8)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_and_derivative_keep_the_shape(name):
    function, derivative = ACTIVATIONS[name]
    Z = np.random.default_rng(1).standard_normal((3, 7))
    assert function(Z).shape == (3, 7)
    assert derivative(Z).shape == (3, 7)


@settings(max_examples=50, deadline=None)
@given(st.floats(min_value=-1e4, max_value=1e4, allow_nan=False))
def test_sigmoid_is_a_probability_for_any_input_up_to_1e4(z):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = sigmoid(np.array([[z]]))[0, 0]
    assert 0.0 <= s <= 1.0
    assert s >= 0.5 if z > 0 else s <= 0.5

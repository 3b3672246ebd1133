"""Backprop agrees with finite differences, on both output paths; and the check catches a wrong backward."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import course_lib.gradcheck
import course_lib.model
from course_lib import (
    LayerParams,
    compute_cost,
    count_params,
    gradient_check,
    init_params,
    make_moons,
    model_backward,
    model_forward,
    unflatten_params,
)
from course_lib.activations import ACTIVATIONS, relu, relu_derivative
from course_lib.init import SCHEMES
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


# --- ReLU kinks: a correct backprop must pass, wherever the parameters are -------------------------


@pytest.mark.parametrize("dims", [[2, 30, 30, 1], [2, 4, 4, 1]], ids=str)
def test_a_correct_backprop_passes_at_freshly_initialised_relu_networks(dims):
    # The cases: 0.018 and 1.4e-7 before, from kinks and from subtracting two costs of about 0.69.
    X, Y = make_moons(20, np.random.default_rng(1))
    result = gradient_check(X, Y, init_params(dims, np.random.default_rng(0)))
    assert result.relative_error < 1e-7
    assert result.excluded == ()


def one_unit_network(bias, inputs):
    """[1, 1, 1]: W1 = 1 and b1 = bias, so the hidden pre-activations are inputs + bias; W2 = 2, b2 = 0.1."""
    X = np.array([inputs], dtype=float)
    Y = (np.arange(X.shape[1]) % 2).reshape(1, -1).astype(float)
    params = [LayerParams(np.array([[1.0]]), np.array([[bias]])), LayerParams(np.array([[2.0]]), np.array([[0.1]]))]
    return X, Y, params


@pytest.mark.parametrize("bias", [5e-7, -5e-7, 0.0], ids=["just above the kink", "just below", "on it"])
def test_a_step_across_a_relu_kink_is_measured_from_the_other_side_and_counted(bias):
    X, Y, params = one_unit_network(bias, [0.0, 1.0])  # example 0 sits within epsilon of the kink
    result = gradient_check(X, Y, params)
    assert result.kinks >= 1
    assert result.relative_error < 1e-7


def test_a_kink_on_both_sides_of_every_step_is_left_out_and_listed():
    # Pre-activations +1e-13 and -1e-13: any step of b1 at least 1e-12 crosses one of them.
    X, Y, params = one_unit_network(0.0, [1e-13, -1e-13])
    result = gradient_check(X, Y, params)
    b1_index = 1  # flatten order: W1, b1, W2, b2
    assert result.excluded == (b1_index,)
    assert result.relative_error < 1e-7


def test_the_centred_difference_alone_would_have_failed_at_the_kink():
    X, Y, params = one_unit_network(5e-7, [0.0, 1.0])
    result = gradient_check(X, Y, params)
    theta, dims = flatten_params(params), [1, 1, 1]

    def cost(vector):
        A_L, caches = model_forward(X, unflatten_params(vector, dims))
        return compute_cost(A_L, caches[-1].Z, Y)

    step = np.array([0.0, EPSILON, 0.0, 0.0])
    centred = (cost(theta + step) - cost(theta - step)) / (2 * EPSILON)
    assert abs(centred - result.gradient[1]) > 1e-2 * abs(result.gradient[1])  # what the old check reported
    assert result.approximation[1] == pytest.approx(result.gradient[1], rel=1e-6)


hidden_widths = st.lists(st.integers(min_value=1, max_value=64), min_size=1, max_size=3)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hidden=hidden_widths, m=st.integers(2, 20), seed=st.integers(0, 2**31), init=st.sampled_from(SCHEMES),
       loss=st.sampled_from(LOSSES))
def test_a_correct_backprop_passes_on_random_relu_networks_as_initialised(hidden, m, seed, init, loss):
    # Zero biases and (for "small") tiny weights: many pre-activations near the kink, and a tiny gradient.
    X, Y = make_moons(m, np.random.default_rng(seed))
    params = init_params([2, *hidden, 1], np.random.default_rng(seed + 1), init)
    result = gradient_check(X, Y, params, loss=loss)
    assert result.relative_error < 1e-7, (hidden, m, init, result.relative_error, result.kinks)


def test_each_component_costs_two_forward_passes_and_no_backward_pass(monkeypatch):
    X, Y, params = make_problem([5, 4, 3, 1])
    calls = {"forward": 0}
    real_forward = course_lib.gradcheck.model_forward

    def counting_forward(*args, **kwargs):
        calls["forward"] += 1
        return real_forward(*args, **kwargs)

    monkeypatch.setattr(course_lib.gradcheck, "model_forward", counting_forward)
    result = gradient_check(X, Y, params)
    P = count_params([5, 4, 3, 1])
    assert result.kinks == 0
    assert calls["forward"] == 2 * P + 1  # the base point, then theta +- epsilon e_i for each component


def test_a_bug_is_still_caught_at_a_kink(monkeypatch):
    X, Y, params = one_unit_network(5e-7, [0.0, 1.0])
    monkeypatch.setitem(ACTIVATIONS, "relu", (relu, lambda Z: 2.0 * relu_derivative(Z)))
    assert gradient_check(X, Y, params).relative_error > 1e-2


# --- the step and the size of the work ------------------------------------------------------------


@pytest.mark.parametrize("epsilon", [0, -1e-6, np.nan], ids=["0", "negative", "nan"])
def test_epsilon_must_be_a_positive_finite_number(epsilon):
    X, Y, params = make_problem([2, 3, 1])
    with pytest.raises(ValueError, match=r"epsilon must be a finite number greater than 0"):
        gradient_check(X, Y, params, epsilon=epsilon)


@pytest.mark.parametrize("epsilon", [1.0, 1e-14])
def test_epsilon_too_large_or_too_small_is_refused_with_why(epsilon):
    X, Y, params = make_problem([2, 3, 1])
    with pytest.raises(ValueError, match=r"epsilon must be between 1e-10 and 1e-2.*measures curvature"):
        gradient_check(X, Y, params, epsilon=epsilon)


def test_a_transposed_weight_is_blamed_not_the_bias_after_it():
    X, Y, params = make_problem([2, 3, 1])
    transposed = [LayerParams(params[0].W.T, params[0].b), params[1]]
    with pytest.raises(ValueError, match=r"params\[0\]\.W \(W of layer 1\) has shape \(2, 3\).*did you mean W\.T\?"):
        gradient_check(X, Y, transposed)


def test_a_check_of_minutes_is_refused_before_it_starts():
    X, Y = make_moons(569, np.random.default_rng(0))
    params = init_params([2, 300, 300, 1], np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"gradient_check would make 183,002 forward passes over 569 examples"):
        gradient_check(X, Y, params)


def test_nan_parameters_are_refused_with_where_they_are():
    X, Y, params = make_problem([2, 3, 1])
    params[1].b[0, 0] = np.nan
    with pytest.raises(ValueError, match=r"params\[1\]\.b \(b of layer 2\) contains 1 nan or inf"):
        gradient_check(X, Y, params)

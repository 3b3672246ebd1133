"""Cross-entropy two ways: the naive form on probabilities and the stable form on logits."""

import warnings

import numpy as np
import pytest

from course_lib import (
    cross_entropy_logits,
    cross_entropy_logits_gradient,
    cross_entropy_naive,
    cross_entropy_naive_gradient,
    sigmoid,
    sigmoid_derivative,
)


def random_labels(rng, m):
    return (rng.uniform(size=(1, m)) < 0.5).astype(float)


def independent_stable_loss(Z, Y):
    """Mean of y log(1 + e^-z) + (1 - y) log(1 + e^z), written with np.logaddexp."""
    return float(np.mean(Y * np.logaddexp(0.0, -Z) + (1 - Y) * np.logaddexp(0.0, Z)))


@pytest.mark.parametrize(("seed", "m"), [(0, 1), (1, 7), (2, 200)])
def test_stable_and_naive_losses_agree_where_naive_is_accurate(seed, m):
    rng = np.random.default_rng(seed)
    Z = rng.uniform(-5, 5, size=(1, m))
    Y = random_labels(rng, m)
    assert abs(cross_entropy_logits(Z, Y) - cross_entropy_naive(sigmoid(Z), Y)) < 1e-12


def test_losses_at_zero_logit_are_log_two():
    Y = np.array([[0.0, 1.0, 1.0]])
    assert cross_entropy_logits(np.zeros((1, 3)), Y) == pytest.approx(np.log(2), rel=1e-15)
    assert cross_entropy_naive(np.full((1, 3), 0.5), Y) == pytest.approx(np.log(2), rel=1e-15)


def test_stable_loss_matches_an_independent_formula_over_a_wide_range():
    rng = np.random.default_rng(3)
    Z = rng.uniform(-1e4, 1e4, size=(1, 500)) * rng.uniform(size=(1, 500)) ** 4  # many small, some huge
    Y = random_labels(rng, 500)
    assert cross_entropy_logits(Z, Y) == pytest.approx(independent_stable_loss(Z, Y), rel=1e-12)


def test_stable_loss_and_gradient_are_finite_and_silent_for_logits_up_to_1e4():
    Z = np.array([[1e4, -1e4, 1e4, -1e4]])
    Y = np.array([[1.0, 0.0, 0.0, 1.0]])  # two confident right answers, two confident wrong ones
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cost = cross_entropy_logits(Z, Y)
        gradient = cross_entropy_logits_gradient(Z, Y)
    assert cost == 5000.0  # per example 0, 0, 1e4, 1e4
    np.testing.assert_array_equal(gradient, [[0.0, 0.0, 1.0, -1.0]])


def test_stable_loss_and_gradient_are_finite_and_silent_over_the_whole_range_to_1e4():
    Z = np.linspace(-1e4, 1e4, 2001).reshape(1, -1)
    for Y in (np.zeros_like(Z), np.ones_like(Z)):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            cost = cross_entropy_logits(Z, Y)
            gradient = cross_entropy_logits_gradient(Z, Y)
        assert np.isfinite(cost)
        assert np.all(np.isfinite(gradient)) and np.all(np.abs(gradient) <= 1)


@pytest.mark.parametrize(
    ("A", "Y", "expected"),
    [
        (0.0, 1.0, "inf"),  # -log(0)
        (1.0, 0.0, "inf"),  # -log(1 - 1)
        (0.0, 0.0, "nan"),  # 0 * log(0)
        (1.0, 1.0, "nan"),  # 0 * log(1 - 1)
    ],
)
def test_naive_loss_is_silently_non_finite_when_a_probability_is_exactly_0_or_1(A, Y, expected):
    A_row = np.array([[A, 0.5]])
    Y_row = np.array([[Y, 1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cost = cross_entropy_naive(A_row, Y_row)
        gradient = cross_entropy_naive_gradient(A_row, Y_row)
    assert np.isinf(cost) if expected == "inf" else np.isnan(cost)
    assert not np.isfinite(gradient[0, 0])
    assert gradient[0, 1] == -2.0  # the other example is unaffected: -(1 / 0.5)


def test_logits_gradient_equals_lecture_path_where_that_is_finite():
    rng = np.random.default_rng(4)
    Z = np.hstack([rng.uniform(-10, 10, size=(1, 200)), [[40.0, -40.0, 800.0, -800.0]]])
    Y = random_labels(rng, Z.shape[1])
    with np.errstate(divide="ignore", invalid="ignore"):
        lecture = cross_entropy_naive_gradient(sigmoid(Z), Y) * sigmoid_derivative(Z)
    finite = np.isfinite(lecture)
    assert finite.sum() >= 200  # only the extreme logits may break the lecture path
    np.testing.assert_allclose(cross_entropy_logits_gradient(Z, Y)[finite], lecture[finite], rtol=1e-9, atol=1e-12)


def test_logits_gradient_is_the_derivative_of_the_stable_loss_times_m():
    rng = np.random.default_rng(5)
    m = 6
    Z = rng.uniform(-4, 4, size=(1, m))
    Y = random_labels(rng, m)
    h = 1e-6
    for j in range(m):
        step = np.zeros_like(Z)
        step[0, j] = h
        slope = (cross_entropy_logits(Z + step, Y) - cross_entropy_logits(Z - step, Y)) / (2 * h)
        assert m * slope == pytest.approx(cross_entropy_logits_gradient(Z, Y)[0, j], abs=1e-7)


def test_naive_gradient_is_the_derivative_of_the_naive_loss_times_m():
    rng = np.random.default_rng(6)
    m = 6
    A = rng.uniform(0.1, 0.9, size=(1, m))
    Y = random_labels(rng, m)
    h = 1e-7
    for j in range(m):
        step = np.zeros_like(A)
        step[0, j] = h
        slope = (cross_entropy_naive(A + step, Y) - cross_entropy_naive(A - step, Y)) / (2 * h)
        assert m * slope == pytest.approx(cross_entropy_naive_gradient(A, Y)[0, j], rel=1e-6)


def test_losses_return_python_floats_and_gradients_keep_the_shape():
    rng = np.random.default_rng(7)
    Z = rng.standard_normal((1, 5))
    Y = random_labels(rng, 5)
    assert isinstance(cross_entropy_logits(Z, Y), float)
    assert isinstance(cross_entropy_naive(sigmoid(Z), Y), float)
    assert cross_entropy_logits_gradient(Z, Y).shape == (1, 5)
    assert cross_entropy_naive_gradient(sigmoid(Z), Y).shape == (1, 5)

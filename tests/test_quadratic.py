"""Gradient descent on exactly quadratic costs: the factor (1 - alpha lambda) per step."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.quadratic import least_squares_descent, least_squares_hessian, quadratic_descent


@pytest.mark.parametrize("rate", [0.1, 0.4, 0.9, 1.1, 1.5])  # 0.5 lands on the minimum in one step
def test_each_step_multiplies_the_distance_by_one_minus_alpha_lambda(rate):
    positions = quadratic_descent(2.0, rate, 1.0, 20)
    np.testing.assert_allclose(positions[1:] / positions[:-1], 1 - 2.0 * rate)


def test_converges_below_two_over_lambda_and_diverges_above():
    lam = 4.0
    assert abs(quadratic_descent(lam, 0.99 * 2 / lam, 1.0, 2000)[-1]) < 1e-3
    assert abs(quadratic_descent(lam, 1.01 * 2 / lam, 1.0, 2000)[-1]) > 1e3


def test_quadratic_descent_stops_before_overflowing():
    positions = quadratic_descent(2.0, 100.0, 1.0, 10_000)
    assert np.isfinite(positions).all() and positions.size < 10_000


def test_least_squares_hessian_matches_finite_differences_of_the_gradient():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((2, 30)), rng.standard_normal((1, 30))

    def gradient(theta):
        w, b = theta[:2], theta[2]
        residual = w @ X + b - y
        return np.concatenate([(residual @ X.T).ravel(), [residual.sum()]]) / X.shape[1]

    theta, eps = rng.standard_normal(3), 1e-6
    numeric = np.column_stack([(gradient(theta + eps * e) - gradient(theta - eps * e)) / (2 * eps) for e in np.eye(3)])
    np.testing.assert_allclose(least_squares_hessian(X), numeric, atol=1e-8)


def test_exploding_regression_grows_by_the_predicted_factor_and_stops_at_inf():
    rng = np.random.default_rng(1)
    x = 50 + 20 * rng.standard_normal((1, 200))
    y = 0.2 * x + rng.standard_normal((1, 200))
    lam = np.linalg.eigvalsh(least_squares_hessian(x)).max()
    rate = 10 / lam  # |1 - alpha lambda| = 9
    run = least_squares_descent(x, y, rate, 1000)
    assert run.first_nonfinite is not None and not np.isfinite(run.losses[-1])
    growth = np.sqrt(run.losses[20:30] / run.losses[19:29])
    np.testing.assert_allclose(growth, abs(1 - rate * lam), rtol=1e-6)
    settled = least_squares_descent(x, y, 1 / lam, 3000)
    assert settled.first_nonfinite is None and settled.losses[-1] < settled.losses[0]

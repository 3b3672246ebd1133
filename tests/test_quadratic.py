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


# --- the quadratic explorer's words match its numbers, for every curvature -------------------------


def run_quadratic(*args, **kwargs):
    from course_lib import widgets  # imported here: the widgets load matplotlib

    return widgets.run_quadratic(*args, **kwargs)


def test_a_flat_cost_says_w_stays_put():
    result = run_quadratic(0.3, curvature=0)  # ZeroDivisionError before
    assert result.verdict().startswith("lambda = 0: the cost is flat")
    np.testing.assert_array_equal(result.positions, 1.0)


@pytest.mark.parametrize("curvature", [-2.0, -0.5])
def test_a_downward_parabola_diverges_on_the_same_side(curvature):
    result = run_quadratic(0.3, curvature=curvature)
    assert result.factor > 1
    assert np.all(np.sign(result.positions) == 1)  # every position on the starting side
    assert "farther out on the same side" in result.verdict() and "opens downwards" in result.verdict()


def test_a_factor_below_minus_one_diverges_on_alternating_sides():
    result = run_quadratic(1.5)
    assert result.factor == pytest.approx(-2.0)
    assert np.all(np.sign(result.positions[1:]) == -np.sign(result.positions[:-1]))
    assert "farther out on the other side" in result.verdict()


def test_a_factor_of_one_to_twelve_digits_barely_moves():
    result = run_quadratic(0.3, curvature=1e-300)
    assert "barely moves" in result.verdict() and "bounces" not in result.verdict()


def test_a_rate_of_one_over_lambda_lands_in_one_step():
    result = run_quadratic(0.5)
    assert result.positions[1] == 0.0 and "lands on the minimum in one step" in result.verdict()


@pytest.mark.parametrize("start", [np.nan, np.inf, "1"])
def test_a_start_that_is_not_a_finite_number_is_refused(start):
    # nan used to be called "converges" while every position was nan.
    with pytest.raises(ValueError, match=r"start must be a finite number"):
        run_quadratic(0.3, start=start)


@pytest.mark.parametrize("curvature", [0.0, -2.0, 1e-300])
def test_the_drawing_works_for_flat_and_downward_parabolas(curvature):
    import matplotlib.pyplot as plt

    from course_lib import widgets

    ax = widgets.draw_quadratic(run_quadratic(0.3, curvature=curvature))  # warnings are errors in the tests
    low, high = ax.get_ylim()
    assert low < high
    plt.close(ax.figure)


def test_quadratic_descent_is_checked_at_the_door():
    with pytest.raises(ValueError, match=r"curvature must be a finite number"):
        quadratic_descent(np.nan, 0.1, 1.0, 5)
    with pytest.raises(ValueError, match=r"num_iterations = 10,000,000 is more than the course runs"):
        quadratic_descent(2.0, 0.1, 1.0, 10**7)


def test_least_squares_needs_one_target_per_example():
    X, y = np.ones((2, 10)), np.ones((1, 10))
    with pytest.raises(ValueError, match=r"y has shape \(10, 1\).*did you mean y\.T\?"):
        least_squares_descent(X, y.T, 0.1, 5)
    with pytest.raises(ValueError, match=r"y contains 1 nan"):
        least_squares_descent(X, np.where(np.arange(10) == 2, np.nan, y), 0.1, 5)

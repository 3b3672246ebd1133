"""Tests for course_lib.curvature: Hessian-vector products, sharpness and the 2 / alpha threshold."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from course_lib import curvature
from course_lib.activations import sigmoid
from course_lib.data import odd_even
from course_lib.init import init_params
from course_lib.model import cost_and_gradients
from course_lib.parameters import LayerParams, flatten_params, unflatten_params
from course_lib.train import first_rise, fit

ACTIVATIONS = ("relu", "tanh")


def random_problem(dims, seed, m=12, weight_scale=1.0):
    """X (dims[0], m), Y (1, m) and random parameters (biases nonzero, so ReLU units are mixed)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((dims[0], m))
    Y = (rng.uniform(size=(1, m)) > 0.5).astype(float)
    params = [
        LayerParams(weight_scale * rng.standard_normal((n_here, n_prev)), rng.standard_normal((n_here, 1)))
        for n_prev, n_here in zip(dims[:-1], dims[1:])
    ]
    return X, Y, params


def gradient_at(X, Y, theta, dims, activation):
    """Backprop gradient (P,) of the stable cost at the flat parameters theta."""
    _, grads = cost_and_gradients(X, Y, unflatten_params(theta, dims), "stable", activation)
    return flatten_params(grads)


def cost_at(X, Y, theta, dims, activation):
    cost, _ = cost_and_gradients(X, Y, unflatten_params(theta, dims), "stable", activation)
    return cost


# ----------------------------------------------------------------------------
# Hessian-vector products and the full Hessian


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("dims", [[1, 1, 1], [2, 3, 1], [3, 4, 2, 1]])
def test_hvp_matches_a_difference_of_gradients_and_the_full_hessian(dims, activation):
    X, Y, params = random_problem(dims, seed=len(dims) * 10 + dims[0])
    theta = flatten_params(params)
    v = np.random.default_rng(5).standard_normal(theta.size)
    # Computed here independently: a plain centred difference with a fixed small step.
    h = 1e-6
    reference = (
        gradient_at(X, Y, theta + h * v, dims, activation) - gradient_at(X, Y, theta - h * v, dims, activation)
    ) / (2 * h)
    hvp = curvature.hessian_vector_product(X, Y, params, v, hidden_activation=activation)
    np.testing.assert_allclose(hvp, reference, rtol=1e-6, atol=1e-8 * np.abs(reference).max())
    hessian = curvature.full_hessian(X, Y, params, hidden_activation=activation)
    np.testing.assert_allclose(hvp, hessian @ v, rtol=1e-6, atol=1e-8 * np.abs(reference).max())
    # H v is linear in v, whatever the length of v (the step scales with 1 / ||v||).
    np.testing.assert_allclose(
        curvature.hessian_vector_product(X, Y, params, -3e-4 * v, hidden_activation=activation),
        -3e-4 * hvp,
        rtol=1e-6,
        atol=1e-12,
    )


def test_full_hessian_of_logistic_regression_matches_its_formula():
    # For one sigmoid unit the Hessian is known exactly:
    # H = (1/m) sum_i s_i (1 - s_i) x~_i x~_i^T with x~ = (x, 1), W entries first, then b.
    rng = np.random.default_rng(3)
    X = rng.standard_normal((3, 20))
    Y = (rng.uniform(size=(1, 20)) > 0.5).astype(float)
    params = [LayerParams(rng.standard_normal((1, 3)), rng.standard_normal((1, 1)))]
    s = sigmoid(params[0].W @ X + params[0].b)
    X_tilde = np.vstack([X, np.ones((1, 20))])
    expected = (X_tilde * (s * (1 - s))) @ X_tilde.T / 20
    np.testing.assert_allclose(curvature.full_hessian(X, Y, params), expected, rtol=1e-8, atol=1e-11)


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("dims", [[1, 1, 1], [2, 3, 1]])
def test_full_hessian_is_symmetric_and_matches_second_differences_of_the_cost(dims, activation):
    X, Y, params = random_problem(dims, seed=7 + dims[0])
    theta = flatten_params(params)
    hessian = curvature.full_hessian(X, Y, params, hidden_activation=activation)
    assert hessian.shape == (theta.size, theta.size)
    np.testing.assert_array_equal(hessian, hessian.T)
    # d^2 J / d theta_i d theta_j from four costs (no gradients), with numpy only.
    h = 1e-4
    eye = np.eye(theta.size) * h
    expected = np.empty_like(hessian)
    for i in range(theta.size):
        for j in range(theta.size):
            corners = [
                cost_at(X, Y, theta + si * eye[i] + sj * eye[j], dims, activation)
                for si, sj in ((1, 1), (1, -1), (-1, 1), (-1, -1))
            ]
            expected[i, j] = (corners[0] - corners[1] - corners[2] + corners[3]) / (4 * h * h)
    np.testing.assert_allclose(hessian, expected, atol=1e-5 * max(1.0, np.abs(expected).max()))


def test_hvp_measures_the_smooth_piece_at_a_relu_kink():
    # Example 0 sits on (or 1e-9 inside) the kink of the hidden ReLU: z = w x + b = 0.
    # On the inactive side its loss depends on the output bias alone, not on x, so moving
    # x far into the inactive side gives the Hessian of the same piece, away from any kink.
    X, Y = odd_even()
    for offset in (0.0, -1e-9):
        params = [
            LayerParams(np.array([[0.5]]), np.array([[-0.5 + offset]])),
            LayerParams(np.array([[0.8]]), np.array([[-0.3]])),
        ]
        X_far = X.copy()
        X_far[0, 0] = -5.0
        expected = curvature.full_hessian(X_far, Y, params)
        np.testing.assert_allclose(curvature.full_hessian(X, Y, params), expected, rtol=1e-6, atol=1e-9)
        # Directions into and out of the active side (each side of the kink used in turn).
        for v in (np.eye(4)[0], -np.eye(4)[0], np.ones(4), -np.ones(4), np.array([-1.0, 2.0, 0.5, -0.3])):
            np.testing.assert_allclose(
                curvature.hessian_vector_product(X, Y, params, v), expected @ v, rtol=1e-5, atol=1e-7
            )
        # The same step without the kink check differences two pieces: a spike, not a curvature.
        v = np.ones(4)
        step = curvature.HVP_RELATIVE_STEP * (1 + np.linalg.norm(flatten_params(params))) / 2.0
        naive = curvature.hessian_vector_product(X, Y, params, v, epsilon=step)
        assert np.abs(naive - expected @ v).max() > 100 * np.abs(expected @ v).max()


def test_full_hessian_refuses_a_large_network():
    X, Y, params = random_problem([50, 40, 1], seed=0)
    with pytest.raises(ValueError, match="P = 2081"):
        curvature.full_hessian(X, Y, params)


# ----------------------------------------------------------------------------
# Power iteration and sharpness


def test_power_iteration_finds_the_largest_magnitude_which_can_be_negative():
    matrix = np.diag([-5.0, 1.0, 3.0])
    start = np.ones(3)
    found = curvature.power_iteration(lambda v: matrix @ v, start, num_iterations=500, tol=1e-10)
    assert found.converged
    assert found.value == pytest.approx(-5.0, rel=1e-9)
    top = curvature.top_eigenvalue(lambda v: matrix @ v, start, num_iterations=500, tol=1e-10)
    assert top.converged
    assert top.value == pytest.approx(3.0, rel=1e-9)
    np.testing.assert_allclose(np.abs(top.vector), [0, 0, 1], atol=1e-6)


@pytest.mark.parametrize("seed", range(6))
def test_top_eigenvalue_matches_eigvalsh_on_random_symmetric_matrices(seed):
    rng = np.random.default_rng(seed)
    eigenvalues = rng.uniform(-1, 1, size=8)
    if seed % 2 == 0:
        eigenvalues[0] = -3.0  # the most negative eigenvalue dominates in magnitude
    if seed == 4:
        eigenvalues = -np.abs(eigenvalues) - 0.1  # every eigenvalue negative
    basis, _ = np.linalg.qr(rng.standard_normal((8, 8)))
    matrix = basis @ np.diag(eigenvalues) @ basis.T
    top = curvature.top_eigenvalue(lambda v: matrix @ v, rng.standard_normal(8), num_iterations=5000, tol=1e-10)
    assert top.converged
    assert top.value == pytest.approx(np.linalg.eigvalsh(matrix).max(), rel=1e-8, abs=1e-12)
    np.testing.assert_allclose(matrix @ top.vector, top.value * top.vector, atol=1e-8)


def test_top_eigenvalue_of_the_zero_matrix_is_zero():
    top = curvature.top_eigenvalue(lambda v: 0 * v, np.ones(3))
    assert top.value == 0.0 and top.converged


# (dims, activation, seed) of parameter points; searched for below so that some have a
# most negative eigenvalue larger in magnitude than the most positive one.
SHARPNESS_CASES = [
    (dims, activation, seed)
    for dims in ([1, 1, 1], [2, 3, 1], [3, 4, 1])
    for activation in ACTIVATIONS
    for seed in (0, 2, 5)
]


@pytest.fixture(scope="module")
def sharpness_results():
    results = []
    for dims, activation, seed in SHARPNESS_CASES:
        X, Y, params = random_problem(dims, seed, weight_scale=1.5)
        eigenvalues = np.linalg.eigvalsh(curvature.full_hessian(X, Y, params, hidden_activation=activation))
        found = curvature.sharpness(
            X, Y, params, np.random.default_rng(seed), num_iterations=5000, tol=1e-8, hidden_activation=activation
        )
        results.append((dims, activation, seed, eigenvalues, found))
    return results


def test_sharpness_matches_the_largest_eigenvalue_of_the_full_hessian(sharpness_results):
    for dims, activation, seed, eigenvalues, found in sharpness_results:
        assert found.converged, (dims, activation, seed)
        assert found.value == pytest.approx(eigenvalues.max(), rel=1e-4), (dims, activation, seed, eigenvalues)
        assert np.linalg.norm(found.vector) == pytest.approx(1.0)


def test_sharpness_cases_include_a_dominant_negative_eigenvalue(sharpness_results):
    # Without a shift, power iteration would return the negative eigenvalue in these cases.
    negative_dominant = [
        (d, a, s) for d, a, s, eigenvalues, _ in sharpness_results if -eigenvalues.min() > 1.2 * eigenvalues.max()
    ]
    assert len(negative_dominant) >= 2, "the parameter points no longer exercise the shifted power iteration"


def test_sharpness_uses_only_the_rng_passed_in():
    X, Y, params = random_problem([2, 3, 1], seed=1)
    first = curvature.sharpness(X, Y, params, np.random.default_rng(0))
    again = curvature.sharpness(X, Y, params, np.random.default_rng(0))
    assert first.value == again.value
    np.testing.assert_array_equal(first.vector, again.vector)


def test_condition_number_uses_the_positive_eigenvalues():
    X, Y, params = random_problem([2, 3, 1], seed=4)
    eigenvalues = np.linalg.eigvalsh(curvature.full_hessian(X, Y, params, hidden_activation="tanh"))
    positive = eigenvalues[eigenvalues > 1e-6 * np.abs(eigenvalues).max()]
    expected = positive.max() / positive.min()
    assert curvature.condition_number(X, Y, params, hidden_activation="tanh") == pytest.approx(expected, rel=1e-9)
    # Logistic regression on standardised-ish data: convex, so every eigenvalue counts.
    rng = np.random.default_rng(0)
    X = rng.standard_normal((2, 30)) * np.array([[1.0], [10.0]])
    Y = (rng.uniform(size=(1, 30)) > 0.5).astype(float)
    params = [LayerParams(np.zeros((1, 2)), np.zeros((1, 1)))]
    eigenvalues = np.linalg.eigvalsh(curvature.full_hessian(X, Y, params))
    assert curvature.condition_number(X, Y, params) == pytest.approx(eigenvalues.max() / eigenvalues.min(), rel=1e-6)


# ----------------------------------------------------------------------------
# One gradient step on the quadratic model


def test_taylor_prediction_error_shrinks_quadratically_with_the_step():
    X, Y, params = random_problem([2, 3, 1], seed=1, m=15)
    rates = np.array([1e-1, 1e-2, 1e-3])
    changes = curvature.step_cost_changes(X, Y, params, rates, hidden_activation="tanh")
    relative_error = np.abs(changes.predicted - changes.actual) / np.abs(changes.actual)
    # The model is exact to second order, so the error is O(alpha^3) and the relative error O(alpha^2).
    assert relative_error[-1] < 1e-6
    assert np.all(relative_error[:-1] / relative_error[1:] > 30)
    # g^T H g agrees with the full Hessian, and best_learning_rate is g^T g / g^T H g.
    hessian = curvature.full_hessian(X, Y, params, hidden_activation="tanh")
    gradient = gradient_at(X, Y, flatten_params(params), [2, 3, 1], "tanh")
    assert changes.gradient_curvature == pytest.approx(gradient @ hessian @ gradient, rel=1e-6)
    assert changes.best_learning_rate == pytest.approx(
        (gradient @ gradient) / (gradient @ hessian @ gradient), rel=1e-6
    )


def test_taylor_prediction_is_exact_on_a_pure_quadratic_and_its_minimiser_is_right():
    rng = np.random.default_rng(2)
    basis, _ = np.linalg.qr(rng.standard_normal((4, 4)))
    A = basis @ np.diag([0.5, 1.0, 2.0, 4.0]) @ basis.T

    def f(w):
        return 0.5 * w @ A @ w

    w = rng.standard_normal(4)
    g = A @ w
    rates = np.linspace(0.01, 1.0, 50)
    actual = np.array([f(w - alpha * g) - f(w) for alpha in rates])
    np.testing.assert_allclose(curvature.taylor_step_prediction(g, A @ g, rates), actual, rtol=1e-10, atol=1e-14)
    best = curvature.taylor_best_learning_rate(g, A @ g)
    assert best == pytest.approx((g @ g) / (g @ A @ g))
    # It is the exact line minimum: f(w - alpha g) is larger a little either side.
    assert f(w - best * g) < f(w - 0.99 * best * g) and f(w - best * g) < f(w - 1.01 * best * g)
    assert curvature.taylor_best_learning_rate(g, -A @ g) == np.inf
    assert curvature.taylor_best_learning_rate(np.zeros(4), np.zeros(4)) == 0.0


def test_two_over_lambda_is_where_gradient_descent_on_a_quadratic_stops_shrinking():
    # f(w) = lambda w^2 / 2; a gradient step multiplies w by (1 - alpha lambda).
    lam = 2.5
    top = curvature.top_eigenvalue(lambda v: lam * v, np.array([1.0]))
    assert top.value == pytest.approx(lam)
    threshold = 2 / top.value
    for alpha, shrinks in ((0.98 * threshold, True), (threshold, None), (1.02 * threshold, False)):
        factor = abs(1 - alpha * lam)
        w = 1.0
        for _ in range(300):
            w = w - alpha * lam * w
        if shrinks is None:
            assert factor == pytest.approx(1.0) and abs(w) == pytest.approx(1.0)
        elif shrinks:
            assert factor < 1 and abs(w) < 1e-2
        else:
            assert factor > 1 and abs(w) > 1e2


# ----------------------------------------------------------------------------
# The original question's run


@pytest.fixture(scope="module")
def original_run():
    X, Y = odd_even()
    params = init_params([1, 1, 1], np.random.RandomState(3), "small")
    history = curvature.sharpness_along_training(
        X,
        Y,
        params,
        learning_rate=1.2,
        num_iterations=120,
        every=1,
        rng=np.random.default_rng(0),
        loss="naive",
    )
    return X, Y, params, history


def test_sharpness_along_training_follows_fit_exactly(original_run):
    X, Y, params, history = original_run
    reference = fit(
        X, Y, [1, 1, 1], learning_rate=1.2, num_iterations=120, params=params, loss="naive"
    )
    np.testing.assert_array_equal(history.cost_curve, reference.costs)
    np.testing.assert_array_equal(history.iterations, np.arange(121))
    np.testing.assert_array_equal(history.costs, reference.costs)
    assert history.threshold == pytest.approx(2 / 1.2)
    assert history.first_nonfinite is None


def test_sharpness_rises_above_two_over_alpha_before_the_cost_first_rises(original_run):
    _, _, _, history = original_run
    assert np.all(np.isfinite(history.sharpness)) and np.all(np.isfinite(history.costs))
    rise = first_rise(history.cost_curve)
    assert rise is not None
    # At the start the step is stable along every direction...
    assert history.sharpness[0] < 0.5 * history.threshold
    # ...but gradient descent sharpens the cost until lambda_max > 2 / alpha, no later than the first rise.
    above = np.flatnonzero(history.sharpness > history.threshold)
    assert above.size and history.iterations[above[0]] <= rise
    assert history.sharpness[rise - 1] > history.threshold


def test_with_inputs_scaled_down_the_sharpness_stays_below_two_over_alpha():
    X, Y = odd_even()
    params = init_params([1, 1, 1], np.random.RandomState(3), "small")
    history = curvature.sharpness_along_training(
        X / 10,
        Y,
        params,
        learning_rate=1.2,
        num_iterations=800,
        every=10,
        rng=np.random.default_rng(0),
        loss="naive",
    )
    assert np.all(history.sharpness < 0.6 * history.threshold)


def test_sharpness_along_training_stops_at_a_nonfinite_cost():
    # One huge step saturates the sigmoid, and the naive loss of the lecture path gives inf/nan.
    X, Y = odd_even()
    params = init_params([1, 1, 1], np.random.RandomState(3), "small")
    history = curvature.sharpness_along_training(
        X,
        Y,
        params,
        learning_rate=1e6,
        num_iterations=20,
        every=1,
        rng=np.random.default_rng(0),
        loss="naive",
    )
    assert history.first_nonfinite is not None
    assert history.cost_curve.size == history.first_nonfinite + 1
    assert np.all(np.isfinite(history.sharpness)) and history.iterations.max() < history.first_nonfinite


# ----------------------------------------------------------------------------
# Hygiene: inputs, global random state, warnings, validation


def test_no_input_is_changed_and_the_global_random_state_is_untouched():
    X, Y, params = random_problem([2, 3, 1], seed=3)
    v = np.arange(13.0)
    saved = copy.deepcopy((X, Y, params, v))
    state = np.random.get_state()
    curvature.hessian_vector_product(X, Y, params, v)
    curvature.full_hessian(X, Y, params)
    curvature.sharpness(X, Y, params, np.random.default_rng(0))
    curvature.condition_number(X, Y, params)
    curvature.step_cost_changes(X, Y, params, [0.1, 1.0], loss="naive")
    curvature.sharpness_along_training(
        X, Y, params, learning_rate=0.5, num_iterations=5, every=2, rng=np.random.default_rng(0)
    )
    after = np.random.get_state()
    assert after[0] == state[0] and np.array_equal(after[1], state[1]) and after[2:] == state[2:]
    for old, new in zip(saved, (X, Y, params, v)):
        if isinstance(old, np.ndarray):
            np.testing.assert_array_equal(old, new)
        else:
            for (W0, b0), (W1, b1) in zip(old, new):
                np.testing.assert_array_equal(W0, W1)
                np.testing.assert_array_equal(b0, b1)


def test_overflowing_parameters_raise_a_clear_error_without_warnings():
    # pytest turns any warning into an error here (filterwarnings = error).
    X, Y = odd_even()
    huge = [LayerParams(np.array([[1e300]]), np.zeros((1, 1))) for _ in range(3)]
    with pytest.raises(FloatingPointError, match="overflowed"):
        curvature.hessian_vector_product(X, Y, huge, np.ones(6))
    with pytest.raises(FloatingPointError, match="overflowed"):
        curvature.sharpness(X, Y, huge, np.random.default_rng(0))


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda X, Y, p: curvature.hessian_vector_product(X, Y, p, np.ones(3)), r"shape \(3,\).*4 parameters"),
        (lambda X, Y, p: curvature.hessian_vector_product(X, Y, p, np.ones((4, 1))), "1-D array"),
        (lambda X, Y, p: curvature.hessian_vector_product(X, Y, p, np.ones(4), epsilon=0.0), "epsilon"),
        (lambda X, Y, p: curvature.hessian_vector_product(X.T, Y, p, np.ones(4)), "X.T"),
        (lambda X, Y, p: curvature.full_hessian(X, Y, p, hidden_activation="softplus"), "activation"),
        (lambda X, Y, p: curvature.sharpness(X, Y, p, np.random.default_rng(0), tol=0), "tol"),
        (lambda X, Y, p: curvature.sharpness(X, Y, p, np.random.default_rng(0), num_iterations=0), "num_iterations"),
        (lambda X, Y, p: curvature.step_cost_changes(X, Y, p, [0.1, -1.0]), "learning_rates"),
        (lambda X, Y, p: curvature.step_cost_changes(X, Y, p, [0.1], loss="mse"), "loss"),
        (lambda X, Y, p: curvature.condition_number(X, Y, p, relative_cutoff=2), "relative_cutoff"),
        (
            lambda X, Y, p: curvature.sharpness_along_training(
                X, Y, p, learning_rate=0.1, num_iterations=5, every=0, rng=np.random.default_rng(0)
            ),
            "every",
        ),
        (
            lambda X, Y, p: curvature.sharpness_along_training(
                X, Y, p, learning_rate=0.1, num_iterations=5, every=1, rng=np.random.default_rng(0), loss="x"
            ),
            "loss",
        ),
        (
            lambda X, Y, p: curvature.full_hessian(X, Y, [LayerParams(np.array([[np.nan]]), np.zeros((1, 1))), p[1]]),
            "nan",
        ),
        (lambda X, Y, p: curvature.power_iteration(lambda v: v, np.zeros(3)), "nonzero"),
        (lambda X, Y, p: curvature.power_iteration(lambda v: v[:2], np.ones(3)), "same shape"),
        (lambda X, Y, p: curvature.taylor_step_prediction(np.ones(3), np.ones((3, 1)), 0.1), "flatten_params"),
    ],
)
def test_bad_inputs_raise_value_errors_that_name_the_fix(call, message):
    X, Y = odd_even()
    params = init_params([1, 1, 1], np.random.RandomState(3), "small")
    with pytest.raises(ValueError, match=message):
        call(X, Y, params)


def test_sharpness_needs_a_generator():
    X, Y = odd_even()
    params = init_params([1, 1, 1], np.random.RandomState(3), "small")
    with pytest.raises(TypeError, match="default_rng"):
        curvature.sharpness(X, Y, params, 0)

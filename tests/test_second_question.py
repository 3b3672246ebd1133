"""Issue 11: mini-batches and float32 in fit, and course_lib.blowup (the second question, notebook 10)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import course_lib as cl
from course_lib import blowup
from course_lib.train import minibatches

# ---------------------------------------------------------------- fit: batch size and dtype


@pytest.fixture(scope="module")
def moons():
    X, Y = cl.make_moons(40, np.random.default_rng(1))
    return (X - X.mean(axis=1, keepdims=True)) / X.std(axis=1, keepdims=True), Y


def fit_moons(moons, **options):
    X, Y = moons
    settings = dict(learning_rate=0.1, num_iterations=30, rng=np.random.default_rng(3), init="he")
    return cl.fit(X, Y, [2, 4, 1], **(settings | options))


@pytest.mark.parametrize("batch_size", [40, 41, 1000])
def test_a_batch_of_all_m_examples_reproduces_full_batch_training_exactly(moons, batch_size):
    full, batched = fit_moons(moons), fit_moons(moons, batch_size=batch_size)
    np.testing.assert_array_equal(batched.costs, full.costs)
    np.testing.assert_array_equal(batched.grad_norms, full.grad_norms)
    for (W, b), (W_full, b_full) in zip(batched.params, full.params):
        np.testing.assert_array_equal(W, W_full)
        np.testing.assert_array_equal(b, b_full)
    assert batched.batch_size == 40 and batched.steps_per_epoch == 1


def test_batch_size_one_runs_one_example_per_step_and_keeps_a_full_cost_per_epoch(moons):
    X, Y = moons
    history = fit_moons(moons, batch_size=1, num_iterations=2 * X.shape[1], learning_rate=0.01)
    assert history.batch_size == 1 and history.steps_per_epoch == X.shape[1]
    assert history.costs.size == 2 * X.shape[1] + 1 and np.all(np.isfinite(history.costs))
    assert history.full_costs.size == 3  # before epochs 1, 2 and 3
    assert history.full_costs[-1] < history.full_costs[0]
    assert history.epoch_and_step(X.shape[1]) == (2, 1)
    assert history.epoch_costs.size == 2


@pytest.mark.parametrize("batch_size", [1, 3, 16, 39])
def test_each_epoch_visits_every_example_exactly_once(batch_size):
    m = 39
    index = np.arange(m, dtype=float).reshape(1, m)
    batches = minibatches(index, index, batch_size, np.random.default_rng(0))
    per_epoch = math.ceil(m / batch_size)
    for _ in range(2):
        seen = np.concatenate([next(batches)[0][0] for _ in range(per_epoch)])
        assert sorted(seen.astype(int).tolist()) == list(range(m))


def test_float32_runs_stay_float32_and_agree_with_float64_to_float32_precision(moons):
    double, single = fit_moons(moons, batch_size=8), fit_moons(moons, batch_size=8, dtype=np.float32)
    assert single.dtype is np.float32 and double.dtype is np.float64
    assert all(W.dtype == np.float32 and b.dtype == np.float32 for W, b in single.params)
    np.testing.assert_allclose(single.costs, double.costs, rtol=1e-4)
    np.testing.assert_allclose(single.full_costs, double.full_costs, rtol=1e-4)
    assert not np.array_equal(single.costs, double.costs), "the float32 run was not computed in float32"


@pytest.mark.parametrize("batch_size", [0, -4, 2.5, True, "32", np.nan])
def test_bad_batch_sizes_are_refused_with_the_argument_named(moons, batch_size):
    with pytest.raises(ValueError, match="batch_size"):
        fit_moons(moons, batch_size=batch_size)


@pytest.mark.parametrize("dtype", [np.float16, np.int64, "float128-ish", complex])
def test_bad_dtypes_are_refused_with_the_two_that_work(moons, dtype):
    with pytest.raises(ValueError, match="np.float64 .* np.float32"):
        fit_moons(moons, dtype=dtype)


def test_mini_batches_need_an_rng_even_with_given_params(moons):
    X, Y = moons
    params = cl.init_params([2, 4, 1], np.random.default_rng(0), "he")
    with pytest.raises(ValueError, match="rng"):
        cl.fit(X, Y, [2, 4, 1], learning_rate=0.1, num_iterations=3, params=params, batch_size=4)


# ---------------------------------------------------------------- the regressor


@pytest.fixture(scope="module")
def data():
    return blowup.perimeter_data()


def small_problem(seed=0, m=7):
    """A tiny regression away from ReLU kinks: positive inputs and hidden weights, so every unit is on."""
    rng = np.random.default_rng(seed)
    X, y = rng.uniform(0.5, 2.0, (2, m)), rng.standard_normal((1, m))
    W1, W2, W3 = (W for W, _ in cl.init_params([2, 3, 2, 1], rng, "he"))
    return X, y, [cl.LayerParams(np.abs(W1), np.full((3, 1), 0.1)), cl.LayerParams(np.abs(W2), np.full((2, 1), 0.1)),
                  cl.LayerParams(W3, np.zeros((1, 1)))]


def test_perimeter_data_are_two_raw_features_and_the_perimeter(data):
    X, y = data
    features, _ = cl.load_breast_cancer()
    names = cl.breast_cancer_feature_names()
    np.testing.assert_array_equal(X[0], features[names.index("radius_mean")])
    np.testing.assert_array_equal(y[0], features[names.index("perimeter_mean")])
    assert X.shape == (2, 569) and y.shape == (1, 569)


def test_regressor_gradients_match_finite_differences():
    X, y, params = small_problem()
    cost, grads = blowup.regressor_cost_and_gradients(X, y, params)
    theta, dims = cl.flatten_params(params), [2, 3, 2, 1]
    eps = 1e-6
    numeric = np.array([
        (blowup.regressor_cost_and_gradients(X, y, cl.unflatten_params(theta + eps * e, dims))[0]
         - blowup.regressor_cost_and_gradients(X, y, cl.unflatten_params(theta - eps * e, dims))[0]) / (2 * eps)
        for e in np.eye(theta.size)
    ])
    assert np.count_nonzero(numeric) > 15, "too many ReLU units are off for this test to mean much"
    np.testing.assert_allclose(cl.flatten_params(grads), numeric, rtol=1e-5, atol=1e-8)
    z, _ = blowup.regressor_forward(X, params)
    assert cost == pytest.approx(float(np.mean((z - y) ** 2)))


def test_the_output_is_linear_not_a_probability():
    X, y, params = small_problem()
    W, b = params[-1]
    z, _ = blowup.regressor_forward(X, params[:-1] + [cl.LayerParams(W * 1000, b + 50)])
    assert z.max() > 1 or z.min() < 0


def test_a_run_records_each_step_and_can_be_checked_independently():
    X, y, params = small_problem(m=10)
    run = blowup.train_regressor(X, y, params, learning_rate=0.01, num_steps=7, batch_size=3,
                                 rng=np.random.default_rng(0))
    assert run.batch_costs.size == 7 and run.full_costs.size == 8 and len(run.params) == 8 and run.steps_per_epoch == 4
    for step in range(7):
        cols = run.columns[step]
        assert run.batch_costs[step] == blowup.regressor_cost_and_gradients(X[:, cols], y[:, cols],
                                                                            run.params[step])[0]
        assert run.batch_costs_after[step] == blowup.regressor_cost_and_gradients(X[:, cols], y[:, cols],
                                                                                  run.params[step + 1])[0]
        assert run.full_costs[step] == blowup.regressor_cost_and_gradients(X, y, run.params[step])[0]
        _, grads = blowup.regressor_cost_and_gradients(X[:, cols], y[:, cols], run.params[step])
        expected = cl.gradient_descent_step(run.params[step], grads, 0.01)
        np.testing.assert_allclose(cl.flatten_params(run.params[step + 1]), cl.flatten_params(expected))
    assert sorted(np.concatenate(run.columns[:4]).tolist()) == list(range(10))


def test_the_starting_params_are_not_changed():
    X, y, params = small_problem()
    before = cl.flatten_params(params).copy()
    blowup.train_regressor(X, y, params, learning_rate=0.1, num_steps=5, batch_size=2, rng=np.random.default_rng(0))
    np.testing.assert_array_equal(cl.flatten_params(params), before)


def test_running_mean_restarts_each_epoch_and_milestones_find_the_first_of_each():
    costs = np.array([1.0, 3.0, 2e12, np.inf, np.nan, 5.0])
    run = blowup.RegressionRun(costs, costs, np.zeros(7), [], [np.arange(2)] * 6, 0.1, 2, 6, np.float64)
    assert run.steps_per_epoch == 3
    np.testing.assert_array_equal(run.running_mean()[:3], [1.0, 2.0, (4.0 + 2e12) / 3])
    assert run.running_mean()[3] == np.inf and np.isnan(run.running_mean()[4])
    assert run.milestones() == {"above 1e12": 2, "inf": 3, "nan": 4}
    finite = blowup.RegressionRun(costs[:2], costs[:2], np.zeros(3), [], [np.arange(2)] * 2, 0.1, 2, 6, np.float64)
    assert finite.milestones() == {"above 1e12": None, "inf": None, "nan": None}


def test_float32_training_stays_float32_and_agrees_with_float64_before_overflow(data):
    X, y = data
    runs = {dtype: blowup.first_epoch(X / 10, y, 0, dtype=dtype) for dtype in (np.float32, np.float64)}
    assert all(W.dtype == np.float32 for W, _ in runs[np.float32].params[-1])
    np.testing.assert_allclose(runs[np.float32].full_costs, runs[np.float64].full_costs, rtol=1e-4)


# ---------------------------------------------------------------- the reproduction (notebook 10's claims)


@pytest.fixture(scope="module")
def question_runs(data):
    X, y = data
    return {dtype: blowup.first_epoch(X, y, 0, dtype=dtype) for dtype in (np.float32, np.float64)}


def test_at_1e_3_the_loss_goes_from_thousands_past_1e12_to_inf_and_nan_within_one_epoch(question_runs):
    for run in question_runs.values():
        found = run.milestones()
        assert 1e3 <= run.batch_costs[0] < 1e5
        assert found["above 1e12"] < found["inf"] < found["nan"] < run.steps_per_epoch
        assert run.batch_costs.size == run.steps_per_epoch
        assert np.isnan(run.running_mean()[-1])


def test_float32_overflows_first_where_float64_passes_the_largest_float32(question_runs):
    single, double = question_runs[np.float32], question_runs[np.float64]
    step = single.milestones()["inf"]
    assert step < double.milestones()["inf"]
    assert double.batch_costs[step] > np.finfo(np.float32).max
    np.testing.assert_allclose(single.batch_costs[:step], double.batch_costs[:step], rtol=1e-3)


def test_at_1e_4_the_same_set_up_trains(data):
    X, y = data
    run = blowup.first_epoch(X, y, 0, learning_rate=1e-4, epochs=3)
    assert np.all(np.isfinite(run.full_costs)) and run.full_costs[-1] < run.full_costs[0] / 5


def test_adam_at_1e_3_never_blows_up_where_gradient_descent_does(data):
    X, y = data
    for seed in range(4):
        adam = blowup.first_epoch(X, y, seed, dtype=np.float32, optimizer="adam")
        assert adam.milestones() == {"above 1e12": None, "inf": None, "nan": None} and blowup.trains(adam)
    assert blowup.first_epoch(X, y, 0, dtype=np.float32).milestones()["nan"] is not None


def test_he_x_10_is_ten_times_he_from_the_same_draws_and_unknown_weights_are_refused():
    he = blowup.init_params_for((2, 4, 1), np.random.default_rng(5), "he")
    large = blowup.init_params_for((2, 4, 1), np.random.default_rng(5), "he x 10")
    np.testing.assert_allclose(cl.flatten_params(large), 10 * cl.flatten_params(he))
    with pytest.raises(ValueError, match="'small', 'xavier', 'he', 'he x 10'"):
        blowup.init_params_for((2, 4, 1), np.random.default_rng(5), "huge")


# ---------------------------------------------------------------- curvature and the trace


def test_step_terms_add_up_and_predict_a_tiny_step():
    X, y, params = small_problem()
    terms = blowup.step_terms(X, y, params, 1e-4)
    assert terms.predicted == pytest.approx(terms.first_order + terms.second_order)
    assert terms.first_order < 0
    assert terms.actual == pytest.approx(terms.predicted, rel=1e-3)


def numeric_hessian(X, y, params, eps=1e-5):
    """The full Hessian by centred differences of the regressor's gradient, column by column."""
    theta, dims = cl.flatten_params(params), cl.parameters.layer_dims_of(params)

    def gradient(point):
        return cl.flatten_params(blowup.regressor_cost_and_gradients(X, y, cl.unflatten_params(point, dims))[1])

    columns = [(gradient(theta + eps * e) - gradient(theta - eps * e)) / (2 * eps) for e in np.eye(theta.size)]
    hessian = np.column_stack(columns)
    return (hessian + hessian.T) / 2


def test_sharpness_is_the_largest_eigenvalue_of_the_hessian():
    X, y, params = small_problem(seed=2)
    expected = np.linalg.eigvalsh(numeric_hessian(X, y, params))[-1]
    top = blowup.regressor_sharpness(X, y, params, np.random.default_rng(0), num_iterations=2000)
    assert top.converged and top.value == pytest.approx(expected, rel=1e-4)
    terms = blowup.step_terms(X, y, params, 0.01)
    assert terms.curvature_along_gradient <= top.value * (1 + 1e-6)


def test_curvature_refuses_parameters_that_are_not_finite():
    X, y, params = small_problem()
    W, b = params[0]
    broken = [cl.LayerParams(W * np.inf, b), *params[1:]]
    with pytest.raises((FloatingPointError, ValueError)):
        blowup.regressor_sharpness(X, y, broken, np.random.default_rng(0))


def test_trace_lists_forward_cost_backward_update_in_order_and_all_finite_on_a_finite_step():
    X, y, params = small_problem()
    operations = blowup.trace_operations(X, y, params, 0.1)
    names = [name for name, _ in operations]
    assert names[0].startswith("Z[1]") and names.index("(z - y)^2") < names.index("dz = 2 (z - y)")
    assert names[-1] == "b[1] - alpha db[1]"
    assert blowup.first_operation(operations, np.isinf) is None and blowup.first_operation(operations, np.isnan) is None
    _, grads = blowup.regressor_cost_and_gradients(X, y, params)
    np.testing.assert_allclose(dict(operations)["W[1] - alpha dW[1]"], params[0].W - 0.1 * grads[0].W)


def with_infinite_output_weight(params, unit_bias):
    """params with W[3][0, 0] = inf and unit 0 of the last hidden layer given bias ``unit_bias``."""
    W2, b2 = params[-2].W, params[-2].b.copy()
    b2[0, 0] = unit_bias
    W3 = params[-1].W.copy()
    W3[0, 0] = np.inf
    return [*params[:-2], cl.LayerParams(W2, b2), cl.LayerParams(W3, params[-1].b)]


def test_an_infinite_weight_on_a_switched_off_unit_makes_the_output_nan_and_on_a_live_one_inf():
    X, y, params = small_problem()
    off = blowup.trace_operations(X, y, with_infinite_output_weight(params, -1e6), 0.1)
    assert blowup.first_operation(off, np.isnan) == "z = W[3] A[2] + b[3]"
    on = blowup.trace_operations(X, y, with_infinite_output_weight(params, 1e6), 0.1)
    assert blowup.first_operation(on, np.isinf) == "z = W[3] A[2] + b[3]"
    assert blowup.first_operation(on, np.isnan) != "z = W[3] A[2] + b[3]"


# ---------------------------------------------------------------- the exercise's check


def test_check_scaling_passes_a_working_scaling_and_explains_each_failure(data):
    X, y = data

    def not_written(X):
        raise NotImplementedError

    def in_place(X):
        X /= 10
        return X

    assert blowup.check_scaling(lambda X: X / 10, X, y, seeds=range(3)).startswith("✓")
    assert "not written yet" in blowup.check_scaling(not_written, X, y)
    assert "in place" in blowup.check_scaling(in_place, X, y)
    assert "same shape" in blowup.check_scaling(lambda X: X[:1], X, y)
    assert "raised ZeroDivisionError" in blowup.check_scaling(lambda X: 1 / 0, X, y)
    failed = blowup.check_scaling(lambda X: X, X, y, seeds=range(3))
    assert failed.startswith("✗") and "seeds" in failed
    np.testing.assert_array_equal(X, blowup.perimeter_data()[0])


@pytest.mark.parametrize("bad_y", [np.zeros(7), np.zeros((1, 6)), np.zeros((7, 1)), np.full((1, 7), np.nan)])
def test_targets_that_do_not_match_the_inputs_are_refused(bad_y):
    X, _, params = small_problem()
    with pytest.raises(ValueError, match="y"):
        blowup.train_regressor(X, bad_y, params, learning_rate=0.1, num_steps=2, batch_size=2,
                               rng=np.random.default_rng(0))


@pytest.mark.parametrize("batch_size", [0, -4, 2.5, True])
def test_minibatches_refuses_a_bad_batch_size_when_called_and_names_the_fix(batch_size):
    index = np.arange(5, dtype=float).reshape(1, 5)
    with pytest.raises(ValueError, match="batch_size must be a whole number of at least 1"):
        minibatches(index, index, batch_size, np.random.default_rng(0))  # no next(): the call itself refuses

"""The course survives bad input, every learning rate and whatever a learner writes.

- A table of bad inputs across the public API, one row per mistake, each with
  the part of its message that tells the learner what to do.
- fit over learning rates from 1e-6 to 1e3 and every input scaling: always a
  history with a status, never an exception or a warning.
- The exercise checker against the functions learners actually write.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import course_lib as cl
from course_lib import exercises, widgets
from course_lib.data import SCALINGS, fit_scaling
from course_lib.train import STATUSES

X_ODD, Y_ODD = cl.odd_even()
PARAMS = cl.init_params([1, 1, 1], np.random.RandomState(3))
A_ROW = np.full((1, 10), 0.5)
X_MOONS, Y_MOONS = cl.make_moons(20, np.random.default_rng(1))
PARAMS_MOONS = cl.init_params([2, 4, 1], np.random.default_rng(0))


def with_layer(params, index, W=None, b=None):
    """A copy of params whose layer ``index`` has this W or b instead."""
    changed = list(params)
    old_W, old_b = params[index]
    changed[index] = cl.LayerParams(old_W if W is None else W, old_b if b is None else b)
    return changed


def masked_x():
    return np.ma.masked_array(X_MOONS, mask=np.arange(X_MOONS.size).reshape(X_MOONS.shape) == 3)


def fit_with(**changes):
    arguments = dict(
        X=X_ODD, Y=Y_ODD, layer_dims=[1, 1, 1], learning_rate=0.1, num_iterations=3, rng=np.random.default_rng(0)
    )
    arguments.update(changes)
    return cl.fit(arguments.pop("X"), arguments.pop("Y"), arguments.pop("layer_dims"), **arguments)


BAD_INPUTS = {
    # data
    "moons with m = 1": (lambda: cl.make_moons(1, np.random.default_rng(0)), "at least 2"),
    "split with test_fraction 1.5": (
        lambda: cl.train_test_split(X_ODD, Y_ODD, np.random.default_rng(0), 1.5),
        "between 0 and 1",
    ),
    "standardizer on transposed X": (
        lambda: cl.Standardizer.fit(np.ones((3, 8))).transform(np.ones((8, 3))),
        r"did you mean X\.T\?",
    ),
    "unknown scaling": (lambda: fit_scaling(X_ODD, "log"), "'none', 'divide by 10'"),
    # initialisation
    "an int as rng": (lambda: cl.init_params([1, 1, 1], 3), r"np\.random\.default_rng"),
    "unknown init scheme": (
        lambda: cl.init_params([1, 1, 1], np.random.default_rng(0), "glorot"),
        "'small', 'he', 'xavier'",
    ),
    "layer sizes as a string": (lambda: cl.init_params("1,1,1", np.random.default_rng(0)), "whole number"),
    "last layer with 2 units": (lambda: cl.init_params([1, 4, 2], np.random.default_rng(0)), "last layer must have 1"),
    # forward
    "linear_forward with A_prev transposed": (
        lambda: cl.linear_forward(np.ones((10, 3)), np.ones((2, 3)), np.ones((2, 1))),
        r"did you mean A_prev\.T\?",
    ),
    "linear_forward with a 1-D bias": (
        lambda: cl.linear_forward(np.ones((3, 10)), np.ones((2, 3)), np.ones(2)),
        "must be a 2-D",
    ),
    "linear_forward with a row bias": (
        lambda: cl.linear_forward(np.ones((3, 10)), np.ones((2, 3)), np.ones((1, 2))),
        r"b\.reshape\(-1, 1\)",
    ),
    "model_forward with X transposed": (lambda: cl.model_forward(X_ODD.T, PARAMS), r"did you mean X\.T\?"),
    "unknown activation": (
        lambda: cl.layer_forward(X_ODD, PARAMS[0].W, PARAMS[0].b, "softplus"),
        "'relu', 'sigmoid', 'tanh'",
    ),
    # losses
    "naive loss with Y as a column": (lambda: cl.cross_entropy_naive(A_ROW, Y_ODD.T), r"both must be \(1, m\)"),
    "stable loss with a 1-D Z": (lambda: cl.cross_entropy_logits(np.zeros(10), Y_ODD), r"both must be \(1, m\)"),
    "unknown loss name": (lambda: cl.compute_cost(A_ROW, A_ROW, Y_ODD, "hinge"), "'naive', 'stable'"),
    # backward
    "model_backward with labels of another size": (
        lambda: cl.model_backward(
            *cl.model_forward(X_ODD, PARAMS)[:1], Y_ODD[:, :5], cl.model_forward(X_ODD, PARAMS)[1]
        ),
        r"both must be \(1, m\)",
    ),
    "unknown output path": (
        lambda: cl.model_backward(A_ROW, Y_ODD, cl.model_forward(X_ODD, PARAMS)[1], output_gradient="fast"),
        "'lecture', 'fused'",
    ),
    "gradient descent on params as a dict": (
        lambda: cl.fit(X_ODD, Y_ODD, [1, 1, 1], learning_rate=0.1, num_iterations=2, params={"W1": 1}),
        "not a dict",
    ),
    # fit
    "Y with labels 1 and 2": (lambda: fit_with(Y=Y_ODD + 1), "only 0 and 1"),
    "learning rate as a string": (lambda: fit_with(learning_rate="0.1"), "must be a number"),
    "unknown optimizer": (lambda: fit_with(optimizer="rmsprop"), "'gd', 'momentum', 'adam'"),
    "fit without rng or params": (lambda: fit_with(rng=None), "fit needs rng"),
    # checkers
    "check with an unknown exercise": (lambda: exercises.check(len, "softmax"), "no exercise called"),
    # widgets
    "lab with a negative learning rate": (lambda: widgets.run_divergence_lab(learning_rate=-1.0), "greater than 0"),
    "lab with unknown hidden sizes": (lambda: widgets.run_divergence_lab(hidden="7"), "'1', '4'"),
    "lab with an unknown control": (lambda: widgets.divergence_lab(momentum=0.9), "no control"),
    "lab with a batch size not on its menu": (lambda: widgets.divergence_lab(batch_size=32), "'64'"),
    "lab with a dtype not on its menu": (lambda: widgets.divergence_lab(dtype="float16"), "'float32'"),
    "lab with a rate beyond its slider": (lambda: widgets.divergence_lab(learning_rate=50.0), "run_divergence_lab"),
    "quadratic with zero iterations": (lambda: cl.quadratic.quadratic_descent(2.0, 0.1, 1.0, 0), "at least 1"),
    # --- issue 9: silent wrong results, each now refused with what to do ---
    "naive loss with labels 2": (lambda: cl.cross_entropy_naive(A_ROW, 2 * Y_ODD), r"only 0 and 1"),
    "stable loss with labels -1": (lambda: cl.cross_entropy_logits(A_ROW, -Y_ODD), r"Y\[0, 0\] is -1"),
    "cost_and_gradients with labels 2": (lambda: cl.cost_and_gradients(X_ODD, 2 * Y_ODD, PARAMS), r"only 0 and 1"),
    "model_forward with nan in X": (
        lambda: cl.model_forward(np.where(X_ODD == 3, np.nan, X_ODD), PARAMS), r"X contains 1 nan.*column 2"
    ),
    "accuracy given probabilities": (
        lambda: cl.accuracy(cl.predict_proba(X_ODD, PARAMS), Y_ODD), r"looks like probabilities: pass predict\(X"
    ),
    "accuracy given labels 2": (lambda: cl.accuracy(2 * Y_ODD, Y_ODD), r"map your predictions to the labels 0 and 1"),
    "make_moons with noise nan": (lambda: cl.make_moons(10, np.random.default_rng(0), noise=np.nan), r"noise must be"),
    "fit from nan parameters": (
        lambda: fit_with(params=with_layer(PARAMS, 0, W=np.full((1, 1), np.nan))),
        r"params\[0\]\.W \(W of layer 1\) contains 1 nan.*start again from init_params",
    ),
    "naive loss given logits": (lambda: cl.cross_entropy_naive(A_ROW - 3, Y_ODD), r"did you pass the logits Z\?"),
    "stable loss with an inf logit": (
        lambda: cl.cross_entropy_logits(np.full((1, 10), np.inf), Y_ODD), r"logits must be finite"
    ),
    "predict with threshold 2": (lambda: cl.predict(X_ODD, PARAMS, threshold=2), r"threshold must be a probability"),
    "model_forward with complex X": (lambda: cl.model_forward(X_ODD + 1j, PARAMS), r"complex numbers.*X\.real"),
    "model_forward with a masked X": (lambda: cl.model_forward(masked_x(), PARAMS_MOONS), r"X\.filled\(value\)"),
    "model_forward with 2 output units": (
        lambda: cl.model_forward(X_MOONS, with_layer(PARAMS_MOONS, 1, W=np.ones((2, 4)), b=np.ones((2, 1)))),
        r"last layer of params has 2 units",
    ),
    "momentum with beta -1": (
        lambda: cl.momentum_step(PARAMS, PARAMS, cl.init_optimizer_state("momentum", PARAMS), 0.1, beta=-1),
        r"beta must be a number from 0 up to",
    ),
    "least squares with y of another size": (
        lambda: cl.least_squares_descent(X_ODD, Y_ODD[:, :5], 0.1, 5), r"one target per column of X\.$"
    ),
    # --- issue 9: unclear messages, each now naming the fix ---
    "model_forward with 1-D X": (lambda: cl.model_forward(X_ODD.ravel(), PARAMS), r"X\.reshape\(1, -1\)"),
    "model_forward with a ragged list": (lambda: cl.model_forward([[1.0, 2.0], [3.0]], PARAMS), r"array of numbers"),
    "model_forward with a dict of params": (lambda: cl.model_forward(X_ODD, {"W1": 1.0}), r"not a dict"),
    "model_forward with params None": (lambda: cl.model_forward(X_ODD, None), r"params must be a list of \(W, b\)"),
    "naive loss with lists of different lengths": (
        lambda: cl.cross_entropy_naive([[0.5, 0.5]], [[0, 1, 1]]), r"both must be \(1, m\)"
    ),
    "fit with nested-list params of the wrong shape": (
        lambda: fit_with(params=[[[[1.0, 2.0]], [[0.0]]], [[[1.0]], [[0.0]]]]), r"params\[0\]\.W .*must be \(1, 1\)"
    ),
    "fit with one-hot labels": (lambda: fit_with(Y=np.vstack([1 - Y_ODD, Y_ODD])), r"one row per class.*Y\[1:2\]"),
    "split with test_fraction as a string": (
        lambda: cl.train_test_split(X_ODD, Y_ODD, np.random.default_rng(0), test_fraction="0.2"),
        r"a number such as 0\.25, not '0\.2'",
    ),
    "gradient check with a transposed W": (
        lambda: cl.gradient_check(X_MOONS, Y_MOONS, with_layer(PARAMS_MOONS, 0, W=PARAMS_MOONS[0].W.T)),
        r"params\[0\]\.W \(W of layer 1\) has shape \(2, 4\).*did you mean W\.T\?",
    ),
    "gradient check with epsilon 0": (
        lambda: cl.gradient_check(X_MOONS, Y_MOONS, PARAMS_MOONS, epsilon=0), r"epsilon must be a finite number"
    ),
    "gradient check with epsilon 1": (
        lambda: cl.gradient_check(X_MOONS, Y_MOONS, PARAMS_MOONS, epsilon=1.0), r"between 1e-10 and 1e-2"
    ),
    "gradient check from nan parameters": (
        lambda: cl.gradient_check(X_MOONS, Y_MOONS, with_layer(PARAMS_MOONS, 1, b=np.full((1, 1), np.inf))),
        r"params\[1\]\.b \(b of layer 2\) contains 1 nan or inf",
    ),
    "fit with the learning rate by position": (
        lambda: cl.fit(X_ODD, Y_ODD, [1, 1, 1], 0.1, 10), r"the arguments after the \* must be named"
    ),
    "fit with report 'print'": (lambda: fit_with(report="print"), r"report must be a function .* such as print"),
    "momentum without a velocity": (
        lambda: cl.momentum_step(PARAMS, PARAMS, None, 0.1), r"velocity must be a list of \(W, b\) pairs"
    ),
    "gradient step with the grads of another network": (
        lambda: cl.gradient_descent_step(PARAMS, PARAMS_MOONS, 0.1), r"grads must have the shapes of params"
    ),
    "adam with one beta": (
        lambda: cl.adam_step(PARAMS, PARAMS, cl.init_optimizer_state("adam", PARAMS), 0.1, betas=(0.9,)),
        r"betas must be a pair of numbers",
    ),
    "accuracy with 1-D predictions": (lambda: cl.accuracy(Y_ODD.ravel(), Y_ODD), r"Y_hat\.reshape\(1, -1\)\?"),
    "labels as words": (lambda: fit_with(Y=[["odd", "even"] * 5]), r"Y must be a NumPy array of numbers"),
    "breast cancer from a missing file": (lambda: cl.load_breast_cancer("no_such.csv"), r"cannot read .*no_such"),
    "breast cancer from a number": (lambda: cl.load_breast_cancer(3), r"path must be a file name"),
    # --- issue 9: huge requests refused before anything is allocated, long work bounded ---
    "fit for 10**8 iterations": (lambda: fit_with(num_iterations=10**8), r"num_iterations = 100,000,000 is more"),
    "fit for 10**9 iterations": (lambda: fit_with(num_iterations=10**9), r"more than the course runs \(1,000,000\)"),
    "a network of 10**10 parameters": (
        lambda: cl.init_params([1, 10**5, 10**5, 1], np.random.default_rng(0)), r"use fewer or smaller layers"
    ),
    "make_moons with 10**12 examples": (
        lambda: cl.make_moons(10**12, np.random.default_rng(0)), r"would not fit in memory"
    ),
    "lab for 10**7 iterations": (
        lambda: widgets.run_divergence_lab(iterations=10**7), r"the lab runs at most 20,000 iterations.*report=print"
    ),
    "gradient check of minutes": (
        lambda: cl.gradient_check(*cl.make_moons(569, np.random.default_rng(0)),
                                  cl.init_params([2, 300, 300, 1], np.random.default_rng(0))),
        r"forward passes over 569 examples",
    ),
    "quadratic descent for 10**7 steps": (
        lambda: cl.quadratic_descent(2.0, 0.1, 1.0, 10**7), r"num_iterations = 10,000,000 is more"
    ),
    "range test with 10**9 steps": (
        lambda: cl.learning_rate_range_test(X_ODD, Y_ODD, [1, 1, 1], np.random.default_rng(0), num_steps=10**9),
        r"num_steps = 1,000,000,000",
    ),
    # --- issue 9: the widgets ---
    "run_quadratic from nan": (lambda: widgets.run_quadratic(0.3, start=np.nan), r"start must be a finite number"),
    "run_quadratic from 1e200": (lambda: widgets.run_quadratic(0.3, start=1e200), r"between -1e6 and 1e6"),
    "run_quadratic with curvature as text": (
        lambda: widgets.run_quadratic(0.3, curvature="2"), r"curvature must be a finite number"
    ),
    "run_quadratic for 10**5 steps": (
        lambda: widgets.run_quadratic(0.3, steps=10**5), r"more than the course runs \(10,000\)"
    ),
    "explorer with curvature 0": (
        lambda: widgets.quadratic_explorer(curvature=0), r"between 0\.1 and 20.*run_quadratic"
    ),
    "explorer with a rate beyond its slider": (
        lambda: widgets.quadratic_explorer(learning_rate=5), r"slider runs from 0\.05 to 1\.25"
    ),
    "explorer with a rate between slider positions": (
        lambda: widgets.quadratic_explorer(learning_rate=0.33), r"lies between its positions 0\.3 and 0\.35"
    ),
    "lab with a rate of 1e6": (lambda: widgets.divergence_lab(learning_rate=1e6), r"learning rate slider runs from"),
    "lab with 5000 iterations": (lambda: widgets.divergence_lab(iterations=5000), r"iterations slider runs from 10"),
    "lab with a rate between slider positions": (
        lambda: widgets.divergence_lab(learning_rate=0.123), r"0\.123 lies between its positions 0\.12 and 0\.1346"
    ),
    "lab with iterations between slider positions": (
        lambda: widgets.divergence_lab(iterations=15), r"15 lies between its positions 10 and 20"
    ),
    "lab run with 0 iterations": (lambda: widgets.run_divergence_lab(iterations=0), r"^iterations must be a whole"),
    # the small helpers learners call on their own runs
    "first_rise of a 2-D array": (lambda: cl.first_rise(np.ones((2, 3))), r"costs must be a 1-D sequence.*shape"),
    "first_rise of no costs": (lambda: cl.first_rise([]), r"at least one cost.*got an empty one"),
    "classify_run with a word as the flag": (lambda: cl.classify_run([1.0, 2.0], "no"), r"nonfinite must be True"),
    "count_params of a string": (lambda: cl.count_params("abc"), r"layer_dims\[0\] is 'a'"),
    "flatten_params of the lecture's dict": (lambda: cl.flatten_params({"W1": 1}), r"not a dict such as"),
    "plot_costs of no runs": (lambda: cl.plot_costs({}), r"at least one run"),
    "plot_costs of a bare array": (lambda: cl.plot_costs({"a": np.ones(3)}), r"must be a History returned by fit"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gets_a_message_that_names_the_fix(case):
    call, message = BAD_INPUTS[case]
    with pytest.raises((ValueError, TypeError, OSError), match=message):
        call()


def test_the_bad_input_table_covers_every_part_of_the_api():
    assert len(BAD_INPUTS) >= 31 + 40  # 31 rows before issue 9


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    log_rate=st.floats(min_value=-6, max_value=3),
    scaling=st.sampled_from(SCALINGS),
    dataset=st.sampled_from(widgets.DATASETS),
    loss=st.sampled_from(("naive", "stable")),
)
def test_fit_always_reports_a_status_and_never_warns(log_rate, scaling, dataset, loss):
    # pyproject's filterwarnings = error turns any RuntimeWarning into a failure here.
    X, Y = widgets.lab_data(dataset)
    X = fit_scaling(X, scaling).transform(X)
    history = cl.fit(
        X,
        Y,
        [X.shape[0], 4, 1],
        learning_rate=10.0**log_rate,
        num_iterations=30,
        rng=np.random.RandomState(3),
        init="he",
        loss=loss,
    )
    assert history.status in STATUSES
    assert history.verdict()
    assert (history.first_nonfinite is None) == bool(np.isfinite(history.costs).all())


# --- what learners write --------------------------------------------------------------------------


def returns_the_wrong_type(A_prev, W, b):
    return (W @ A_prev + b).tolist()


def loops_for_ever(A_prev, W, b):
    while True:
        pass


LEARNER_FUNCTIONS = {
    "raises": (lambda A_prev, W, b: A_prev @ W, "raised ValueError"),
    "returns None": (lambda A_prev, W, b: None, "did you forget a `return`"),
    "wrong shape": (lambda A_prev, W, b: (W @ A_prev + b).T, "transposed"),
    "wrong type": (returns_the_wrong_type, "should be a NumPy array"),
    "mutates its input": (lambda A_prev, W, b: W.__imul__(2) @ A_prev + b, "changed its input `W` in place"),
    "never returns": (loops_for_ever, "still running after"),
    "not a function": ("W @ A_prev + b", "expected a function"),
}


@pytest.mark.parametrize("kind", sorted(LEARNER_FUNCTIONS))
def test_checker_survives_what_learners_write(kind, monkeypatch):
    monkeypatch.setattr(exercises, "TIME_LIMIT", 0.3)
    function, message = LEARNER_FUNCTIONS[kind]
    result = exercises.check(function, "linear_forward")
    assert not result.passed
    assert message in result.message
    assert "Traceback" not in repr(result)


# --- random architectures -------------------------------------------------------------------------

architectures = st.lists(st.integers(min_value=1, max_value=32), min_size=1, max_size=4)


@st.composite
def problems(draw, max_examples=20):
    """A random network (1 to 4 hidden layers of 1 to 32 units), inputs, labels and parameters."""
    hidden = draw(architectures)
    n_x, m = draw(st.integers(1, 8)), draw(st.integers(1, max_examples))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    dims = [n_x, *hidden, 1]
    X = rng.standard_normal((n_x, m)) * draw(st.sampled_from([1e-3, 1.0, 1e3]))
    Y = (rng.uniform(size=(1, m)) > 0.5).astype(float)
    params = [cl.LayerParams(W, rng.standard_normal(b.shape) * 0.1) for W, b in cl.init_params(dims, rng, "he")]
    return dims, X, Y, params


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=problems(), activation=st.sampled_from(("relu", "tanh", "sigmoid")))
def test_forward_and_backward_shapes_and_a_finite_stable_loss_for_any_architecture(problem, activation):
    dims, X, Y, params = problem
    A_L, caches = cl.model_forward(X, params, activation)
    assert A_L.shape == Y.shape and len(caches) == len(dims) - 1
    cost = cl.compute_cost(A_L, caches[-1].Z, Y, "stable")
    assert np.isfinite(cost) and cost >= 0
    grads = cl.model_backward(A_L, Y, caches, activation, "fused")
    assert [(dW.shape, db.shape) for dW, db in grads] == [(W.shape, b.shape) for W, b in params]
    assert all(np.isfinite(dW).all() and np.isfinite(db).all() for dW, db in grads)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=problems(max_examples=6))
def test_backprop_matches_finite_differences_for_any_architecture(problem):
    dims, X, Y, params = problem
    X = X / np.abs(X).max()  # keep the tanh units away from saturation, where differences lose digits
    # tanh is smooth: no ReLU kink for a finite difference to straddle.
    check = cl.gradient_check(X, Y, params, loss="stable", hidden_activation="tanh")
    assert check.relative_error < 1e-6, (dims, check.relative_error)


def test_first_rise_and_classify_run_accept_a_plain_list():
    # a learner's own training loop (notebook 05) collects its costs in a list
    costs = [0.7, 0.6, 0.65, 0.5]
    assert cl.first_rise(costs) == cl.first_rise(np.array(costs)) == 2
    assert cl.classify_run(costs, False) == cl.classify_run(np.array(costs), False)

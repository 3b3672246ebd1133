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
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gets_a_message_that_names_the_fix(case):
    call, message = BAD_INPUTS[case]
    with pytest.raises((ValueError, TypeError), match=message):
        call()


def test_the_bad_input_table_covers_every_part_of_the_api():
    assert len(BAD_INPUTS) >= 20


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

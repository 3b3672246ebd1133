"""Issue 9, second round: inputs of our own, as a hostile and as a careless learner would type them.

Every call either works and gives a right answer (ACCEPTED: lists, tuples, ints,
bools, float32, generators...) or is refused with a message that names the fix
(REFUSED). Rows that the issue listed live in test_robustness.BAD_INPUTS; these are
the ones we found by trying. Neither table may warn (warnings are errors here).
"""

from __future__ import annotations

import numpy as np
import pytest

import course_lib as cl
from course_lib import _validation, widgets

X, Y = cl.odd_even()
P = cl.init_params([1, 1, 1], np.random.default_rng(0))
X_MOONS, Y_MOONS = cl.make_moons(20, np.random.default_rng(1))
P_MOONS = cl.init_params([2, 4, 1], np.random.default_rng(0))
PROBABILITIES = np.array([[0.3, 0.6]])
LABELS = np.array([[0.0, 1.0]])


def rng():
    return np.random.default_rng(0)


def fit(**changes):
    arguments = dict(X=X, Y=Y, layer_dims=[1, 1, 1], learning_rate=0.1, num_iterations=3, rng=rng()) | changes
    return cl.fit(arguments.pop("X"), arguments.pop("Y"), arguments.pop("layer_dims"), **arguments)


def reference_fit():
    return fit()


REFUSED = {
    # data
    "make_moons with m = 2.0": (lambda: cl.make_moons(2.0, rng()), r"m must be a whole number of examples"),
    "make_moons without rng": (lambda: cl.make_moons(5, None), r"rng must be a NumPy random generator"),
    "make_moons with noise True": (lambda: cl.make_moons(5, rng(), noise=True), r"noise must be a number"),
    "make_moons with noise 1e308": (lambda: cl.make_moons(5, rng(), noise=1e308), r"from 0 to 10"),
    "split with labels 0.5": (lambda: cl.train_test_split(X, Y * 0.5, rng()), r"only 0 and 1"),
    "split with a 3-D X": (lambda: cl.train_test_split(X[None], Y, rng()), r"must be 2-D"),
    "split with test_fraction None": (lambda: cl.train_test_split(X, Y, rng(), None), r"not None"),
    "split with test_fraction [0.2]": (lambda: cl.train_test_split(X, Y, rng(), [0.2]), r"not \[0\.2\]"),
    "split with an int as rng": (lambda: cl.train_test_split(X, Y, 0), r"rng must be a NumPy random generator"),
    "standardizer on nan": (lambda: cl.Standardizer.fit(np.array([[1.0, np.nan]])), r"X_train contains 1 nan"),
    "scaling None": (lambda: cl.fit_scaling(X, None), r"unknown scaling None"),
    "scaling of a word": (lambda: cl.fit_scaling("abc", "none"), r"X_train must be a NumPy array of numbers"),
    "breast cancer from a folder": (lambda: cl.load_breast_cancer("/"), r"cannot read the breast-cancer data at /"),
    "feature names from a missing file": (
        lambda: cl.breast_cancer_feature_names("/nonexistent.csv"), r"cannot read the breast-cancer data"
    ),
    # initialisation
    "a hidden layer of a million units": (
        lambda: cl.init_params([2, 10**6, 10**6, 1], rng()), r"1,000,005,000,001 parameters"
    ),
    "layer size 2.0": (lambda: cl.init_params([2.0, 3, 1], rng()), r"layer_dims\[0\] is 2\.0"),
    "a SeedSequence as rng": (lambda: cl.init_params([2, 1], np.random.SeedSequence(0)), r"not SeedSequence"),
    "scheme 'He'": (lambda: cl.init_params([2, 1], rng(), "He"), r"unknown initialisation scheme 'He'"),
    "rng None for init_params": (lambda: cl.init_params([2, 1], None), r"rng must be a NumPy random generator"),
    # forward
    "X of words": (lambda: cl.model_forward(np.array([["a", "b"]]), P), r"X must be a NumPy array of numbers"),
    "X with a None": (lambda: cl.model_forward(np.array([[None, 1]]), P), r"X contains 1 nan"),
    "X a number": (lambda: cl.model_forward(3.0, P), r"X must be 2-D"),
    "X with no examples": (lambda: cl.model_forward(np.zeros((1, 0)), P), r"X is empty"),
    "X of complex numbers": (lambda: cl.model_forward(np.array([[1 + 1j]]), P), r"complex numbers"),
    "X with a masked entry": (
        lambda: cl.model_forward(np.ma.masked_array([[1.0, 2.0]], mask=[[0, 1]]), P), r"masked array"
    ),
    "W of words": (
        lambda: cl.model_forward(X, [cl.LayerParams(np.array([["a"]]), np.zeros((1, 1))), P[1]]),
        r"params\[0\]\.W must be a NumPy array of numbers",
    ),
    "params empty": (lambda: cl.model_forward(X, []), r"params is empty"),
    "params a single layer": (lambda: cl.model_forward(X, P[0]), r"params must be a list of \(W, b\) pairs"),
    "params of triples": (lambda: cl.model_forward(X, [(W, b, 0) for W, b in P]), r"list of \(W, b\) pairs"),
    "activation None": (lambda: cl.model_forward(X, P, None), r"unknown activation None"),
    "activation 'ReLU'": (lambda: cl.model_forward(X, P, "ReLU"), r"unknown activation 'ReLU'"),
    "b as a row": (
        lambda: cl.model_forward(X_MOONS, [cl.LayerParams(P_MOONS[0].W, P_MOONS[0].b.T), P_MOONS[1]]),
        r"params\[0\]\.b \(b of layer 1\) has shape \(1, 4\)",
    ),
    "a wrong b beside a right W is blamed on b": (
        lambda: cl.model_forward(X_MOONS, [cl.LayerParams(P_MOONS[0].W, np.zeros((2, 1))), P_MOONS[1]]),
        r"params\[0\]\.b \(b of layer 1\) has shape \(2, 1\); it must be \(4, 1\)",
    ),
    "a transposed last W": (
        lambda: cl.model_forward(X_MOONS, [P_MOONS[0], cl.LayerParams(P_MOONS[1].W.T, P_MOONS[1].b)]),
        r"params\[1\]\.W \(W of layer 2\) has shape \(4, 1\).*did you mean W\.T\?",
    ),
    "linear_forward on lists, transposed": (
        lambda: cl.linear_forward([[1.0], [2.0]], [[1.0, 2.0, 3.0]], [[0.0]]), r"examples must be columns\.$"
    ),
    # losses
    "naive loss with 1-D A": (lambda: cl.cross_entropy_naive(PROBABILITIES.ravel(), LABELS), r"A has shape \(2,\)"),
    "naive loss with A a column": (lambda: cl.cross_entropy_naive(PROBABILITIES.T, LABELS), r"both must be \(1, m\)"),
    "naive loss with A of words": (
        lambda: cl.cross_entropy_naive(np.array([["a", "b"]]), LABELS), r"A must be a NumPy array of numbers"
    ),
    "naive loss with A above 1": (lambda: cl.cross_entropy_naive(PROBABILITIES + 1, LABELS), r"contains 1\.3"),
    "stable loss with nan labels": (
        lambda: cl.cross_entropy_logits(np.zeros((1, 2)), np.array([[np.nan, 1.0]])), r"Y contains 1 nan"
    ),
    "stable loss with a nan logit": (
        lambda: cl.cross_entropy_logits(np.array([[np.nan, 0.0]]), LABELS), r"logits must be finite"
    ),
    "compute_cost without A_L": (lambda: cl.compute_cost(None, np.zeros((1, 2)), LABELS), r"A_L has shape \(\)"),
    # predict and accuracy
    "predict with threshold '0.5'": (lambda: cl.predict(X, P, threshold="0.5"), r"threshold must be a probability"),
    "predict with threshold nan": (lambda: cl.predict(X, P, threshold=np.nan), r"threshold must be a probability"),
    "accuracy with nan predictions": (lambda: cl.accuracy(np.array([[np.nan, 0]]), LABELS), r"Y_hat contains 1 nan"),
    "accuracy with the arguments swapped": (lambda: cl.accuracy(Y, cl.predict_proba(X, P)), r"Y\[0, 0\] is 0\.5"),
    "accuracy with labels of another size": (lambda: cl.accuracy(Y[:, :3], Y), r"Y_hat has shape \(1, 3\).*\.$"),
    # fit
    "fit with 1e3 iterations (a float)": (lambda: fit(num_iterations=1e3), r"whole number of at least 1"),
    "fit one step too many": (lambda: fit(num_iterations=10**6 + 1), r"1,000,001 is more than the course runs"),
    "fit with dtype float16": (lambda: fit(dtype=np.float16), r"np\.float64 \(the default\) or np\.float32"),
    "fit with dtype int": (lambda: fit(dtype=int), r"np\.float64 \(the default\) or np\.float32"),
    "fit with batch_size 0": (lambda: fit(batch_size=0), r"batch_size must be a whole number"),
    "fit with batch_size '4'": (lambda: fit(batch_size="4"), r"batch_size must be a whole number"),
    "fit with mini-batches and no rng": (
        lambda: fit(batch_size=3, rng=None, params=P), r"mini-batches are shuffled with rng"
    ),
    "fit with params of another network": (lambda: fit(params=P_MOONS), r"params\[0\]\.W .*must be \(1, 1\)"),
    "fit from inf params": (
        lambda: fit(params=[cl.LayerParams(P[0].W + np.inf, P[0].b), P[1]]), r"contains 1 nan or inf"
    ),
    "fit with lr=": (
        lambda: fit(lr=0.1), r"fit\(X, Y, layer_dims, \*, learning_rate.*unexpected keyword argument 'lr'"
    ),
    "fit with optimizer None": (lambda: fit(optimizer=None), r"unknown optimizer None"),
    "fit with an int as rng": (lambda: fit(rng=0), r"rng must be a NumPy random generator, not int"),
    "fit with 10**10 parameters": (lambda: fit(layer_dims=[1, 10**5, 10**5, 1]), r"use fewer or smaller layers"),
    "fit with a second feature row": (lambda: fit(X=np.vstack([X, X])), r"X has 2 features \(rows\)"),
    "fit with X and Y swapped": (
        lambda: cl.fit(Y, X, [1, 1, 1], learning_rate=0.1, num_iterations=3, rng=rng()), r"Y\[0, 1\] is 2"
    ),
    "range test with min above max": (
        lambda: cl.learning_rate_range_test(X, Y, [1, 1, 1], rng(), min_rate=1, max_rate=0.1), r"must be larger"
    ),
    # gradient check
    "gradient check with epsilon '1e-6'": (
        lambda: cl.gradient_check(X_MOONS, Y_MOONS, P_MOONS, epsilon="1e-6"), r"epsilon must be a number"
    ),
    "gradient check with epsilon 1e-14": (
        lambda: cl.gradient_check(X_MOONS, Y_MOONS, P_MOONS, epsilon=1e-14), r"measures rounding"
    ),
    "gradient check with loss 'mse'": (
        lambda: cl.gradient_check(X_MOONS, Y_MOONS, P_MOONS, loss="mse"), r"unknown loss 'mse'"
    ),
    "gradient check on the wrong data": (lambda: cl.gradient_check(X, Y, P_MOONS), r"X has 1 features \(rows\)"),
    # backward
    "layer_backward without its cache": (
        lambda: cl.layer_backward(np.ones((1, 10)), None, "relu"), r"cache must be the LayerCache that layer_forward"
    ),
    "model_backward without caches": (
        lambda: cl.model_backward(np.full((1, 10), 0.5), Y, None), r"caches must be the list of LayerCache"
    ),
    "model_backward with the lecture's cache tuples": (
        lambda: cl.model_backward(np.full((1, 10), 0.5), Y, [((X, P[0].W, P[0].b), X)]), r"caches\[0\] must be"
    ),
    # optimisers
    "gradient step with a text rate": (lambda: cl.gradient_descent_step(P, P, "0.1"), r"must be a number"),
    "gradient step with grads as a dict": (
        lambda: cl.gradient_descent_step(P, {"dW1": 1}, 0.1), r"grads must be a list .*not a dict"
    ),
    "adam with beta1=": (
        lambda: cl.adam_step(P, P, cl.init_optimizer_state("adam", P), 0.1, beta1=0.9),
        r"unexpected keyword argument 'beta1'\.$",
    ),
    "adam with a beta of 1.5": (
        lambda: cl.adam_step(P, P, cl.init_optimizer_state("adam", P), 0.1, betas=(1.5, 0.999)), r"betas\[0\] must"
    ),
    "momentum with a velocity of another network": (
        lambda: cl.momentum_step(P, P, P_MOONS, 0.1), r"velocity must have the shapes of params: velocity\[0\]"
    ),
    # widgets and the quadratic
    "run_quadratic with rate 0": (lambda: widgets.run_quadratic(0), r"greater than 0"),
    "run_quadratic with curvature inf": (lambda: widgets.run_quadratic(0.3, curvature=np.inf), r"finite number"),
    "run_quadratic with 0 steps": (lambda: widgets.run_quadratic(0.3, steps=0), r"steps must be a whole number"),
    "explorer with curvature 25": (lambda: widgets.quadratic_explorer(curvature=25), r"between 0\.1 and 20"),
    "explorer with curvature nan": (lambda: widgets.quadratic_explorer(curvature=np.nan), r"finite number"),
    "explorer with rate 0.01": (lambda: widgets.quadratic_explorer(learning_rate=0.01), r"runs from 0\.05"),
    "explorer with a text rate": (lambda: widgets.quadratic_explorer(learning_rate="0.3"), r"must be a number"),
    "lab with rate nan": (lambda: widgets.run_divergence_lab(learning_rate=np.nan), r"finite number greater than 0"),
    "lab with 2.5 iterations": (lambda: widgets.run_divergence_lab(iterations=2.5), r"^iterations must be"),
    "lab with '100' iterations": (lambda: widgets.run_divergence_lab(iterations="100"), r"^iterations must be"),
    "lab with dataset None": (lambda: widgets.run_divergence_lab(dataset=None), r"unknown dataset None"),
    "lab with hidden 4 (an int)": (lambda: widgets.run_divergence_lab(hidden=4), r"unknown hidden 4; choose one of"),
    "lab with batch size 4 (an int)": (lambda: widgets.run_divergence_lab(batch_size=4), r"unknown batch size 4"),
    "lab widget with 5 iterations": (lambda: widgets.divergence_lab(iterations=5), r"runs from 10 to 1000"),
    "lab widget on iris": (lambda: widgets.divergence_lab(dataset="iris"), r"unknown dataset 'iris'"),
}


ACCEPTED = {
    "make_moons with m a NumPy integer": (lambda: cl.make_moons(np.int64(5), rng())[0].shape, (2, 5)),
    "split of a list X": (lambda: cl.train_test_split(X.tolist(), Y, rng())[0].shape, (1, 8)),
    "split of two examples": (lambda: cl.train_test_split(X[:, :2], Y[:, :2], rng(), 0.5)[0].shape, (1, 1)),
    "split with a float32 fraction": (lambda: cl.train_test_split(X, Y, rng(), np.float32(0.3))[0].shape, (1, 7)),
    "standardizer of a constant row": (
        lambda: cl.Standardizer.fit(np.ones((1, 5))).transform(np.ones((1, 5))).sum(), 0
    ),
    "layer sizes as a NumPy array": (lambda: len(cl.init_params(np.array([2, 3, 1]), rng())), 2),
    "layer sizes as a tuple": (lambda: len(cl.init_params((2, 3, 1), rng())), 2),
    "X of ints": (lambda: cl.model_forward(np.array([[1, 2, 3]]), P)[0].dtype, np.float64),
    "X of bools": (lambda: cl.model_forward(np.array([[True, False]]), P)[0].shape, (1, 2)),
    "X as a list": (lambda: cl.model_forward(X.tolist(), P)[0].shape, (1, 10)),
    "a masked X with nothing masked": (lambda: cl.model_forward(np.ma.masked_array(X), P)[0].shape, (1, 10)),
    "params as a tuple of tuples": (lambda: cl.model_forward(X, tuple((W, b) for W, b in P))[0].shape, (1, 10)),
    "params as a generator": (lambda: cl.model_forward(X, (layer for layer in P))[0].shape, (1, 10)),
    "int weights": (
        lambda: cl.model_forward(X, [cl.LayerParams(np.array([[1]]), np.array([[0]])), P[1]])[0].shape, (1, 10)
    ),
    "linear_forward on lists": (lambda: cl.linear_forward([[1.0, 2.0]], [[3.0]], [[1.0]]).tolist(), [[4.0, 7.0]]),
    "naive loss on lists": (lambda: round(cl.cross_entropy_naive([[0.5, 0.5]], [[0, 1]]), 6), round(np.log(2), 6)),
    "naive loss with bool labels": (
        lambda: round(cl.cross_entropy_naive(PROBABILITIES, LABELS.astype(bool)), 6),
        round(cl.cross_entropy_naive(PROBABILITIES, LABELS), 6),
    ),
    "stable loss on lists": (lambda: round(cl.cross_entropy_logits([[0.0, 0.0]], [[0, 1]]), 6), round(np.log(2), 6)),
    "naive loss at A = 0 is the course's inf": (lambda: cl.cross_entropy_naive([[0.0, 0.5]], [[1, 1]]), np.inf),
    "accuracy of lists": (lambda: cl.accuracy([[1, 0]], [[1, 1]]), 0.5),
    "accuracy of bools": (lambda: cl.accuracy(np.array([[True, False]]), np.array([[1, 1]])), 0.5),
    "fit with int labels": (lambda: fit(Y=Y.astype(int)).costs.tolist(), reference_fit().costs.tolist()),
    "fit with bool labels": (lambda: fit(Y=Y.astype(bool)).costs.tolist(), reference_fit().costs.tolist()),
    "fit with int X": (lambda: fit(X=X.astype(int)).costs.tolist(), reference_fit().costs.tolist()),
    "fit with nested-list params": (
        lambda: fit(params=[[W.tolist(), b.tolist()] for W, b in P]).costs.tolist(),
        fit(params=P).costs.tolist(),
    ),
    "fit with a NumPy int for iterations": (lambda: fit(num_iterations=np.int64(3)).costs.shape, (4,)),
    "fit with a float32 rate": (lambda: fit(learning_rate=np.float32(0.1)).status, "converging"),
    "fit with dtype 'float32'": (lambda: fit(dtype="float32").dtype, np.float32),
    "fit with float32 params in float64": (
        lambda: fit(params=[cl.LayerParams(W.astype(np.float32), b.astype(np.float32)) for W, b in P]).dtype,
        np.float64,
    ),
    "fit with a batch larger than the data": (lambda: fit(batch_size=10**9).batch_size, 10),
    "fit with layer sizes from a generator": (lambda: fit(layer_dims=(n for n in [1, 2, 1])).status, "converging"),
    "fit with huge X overflows and says so": (lambda: fit(X=X * 1e300).status, "non-finite"),
    "fit with a huge rate overflows and says so": (lambda: fit(learning_rate=1e300).status, "non-finite"),
    "gradient check in float32": (
        lambda: cl.gradient_check(X_MOONS.astype(np.float32), Y_MOONS, P_MOONS).relative_error < 1e-7, True
    ),
    "gradient check of one example": (lambda: cl.gradient_check(X_MOONS[:, :1], Y_MOONS[:, :1], P_MOONS).relative_error
                                      < 1e-7, True),
    "gradient check with saturated naive outputs": (
        lambda: cl.gradient_check(X_MOONS, Y_MOONS, [cl.LayerParams(W * 1e3, b) for W, b in P_MOONS],
                                  loss="naive").relative_error < 1e-7,
        True,
    ),
    "quadratic from 0 stays at 0": (lambda: widgets.run_quadratic(0.3, start=0).positions.max(), 0.0),
    "quadratic at alpha = 1 / lambda bounces": (lambda: "bounces" in widgets.run_quadratic(1.0).verdict(), True),
    "standardizer applied to a list": (lambda: cl.Standardizer.fit(X).transform(X.tolist()).shape, (1, 10)),
    "gradient check of nested-list params": (
        lambda: cl.gradient_check(X, Y, [[W.tolist(), b.tolist()] for W, b in P]).relative_error < 1e-7, True
    ),
    "fit on one example": (
        lambda: cl.fit(X[:, :1], Y[:, :1], [1, 1, 1], learning_rate=0.1, num_iterations=3, rng=rng()).status,
        "converging",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_hostile_input_is_refused_with_a_message_that_names_the_fix(case):
    call, message = REFUSED[case]
    with pytest.raises((ValueError, TypeError, OSError), match=message):
        call()


@pytest.mark.parametrize("case", sorted(ACCEPTED))
def test_a_careless_but_meaningful_input_works_and_gives_the_right_answer(case):
    call, expected = ACCEPTED[case]
    assert call() == expected


def test_we_tried_about_a_hundred_inputs_beyond_the_issue():
    assert len(REFUSED) + len(ACCEPTED) >= 100


def test_the_door_checks_once_per_call_so_longer_runs_cost_no_more_checks(monkeypatch):
    """fit checks its arguments at the door; the training loop's nested calls are not checked again."""
    calls = {"as_values": 0}
    real = _validation.as_values

    def counting(values, name):
        calls["as_values"] += 1
        return real(values, name)

    monkeypatch.setattr(_validation, "as_values", counting)
    counts = []
    for num_iterations in (5, 500):
        calls["as_values"] = 0
        fit(num_iterations=num_iterations)
        counts.append(calls["as_values"])
    assert counts[0] == counts[1] > 0

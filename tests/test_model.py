"""The whole network: forward, backward on both output paths, cost, predictions."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib import (
    LayerParams,
    accuracy,
    compute_cost,
    cost_and_gradients,
    cross_entropy_logits,
    cross_entropy_naive,
    init_params,
    model_backward,
    model_forward,
    predict,
    predict_proba,
    relu,
    sigmoid,
    tanh,
)


def random_problem(dims, m, seed, scheme="he"):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((dims[0], m))
    Y = (rng.uniform(size=(1, m)) < 0.5).astype(float)
    return X, Y, init_params(dims, rng, scheme)


@pytest.mark.parametrize("hidden_activation", ["relu", "tanh", "sigmoid"])
def test_model_forward_composes_the_layers_by_hand(hidden_activation):
    X, _, params = random_problem([3, 4, 2, 1], 6, seed=0)
    g = {"relu": relu, "tanh": tanh, "sigmoid": sigmoid}[hidden_activation]
    (W1, b1), (W2, b2), (W3, b3) = params
    expected = sigmoid(W3 @ g(W2 @ g(W1 @ X + b1) + b2) + b3)
    A_L, caches = model_forward(X, params, hidden_activation)
    np.testing.assert_allclose(A_L, expected, rtol=1e-12)
    np.testing.assert_allclose(caches[-1].Z, W3 @ g(W2 @ g(W1 @ X + b1) + b2) + b3, rtol=1e-12)


@pytest.mark.parametrize("dims", [[1, 1], [1, 1, 1], [2, 3, 1], [5, 4, 3, 1], [7, 1, 6, 2, 1]])
def test_forward_caches_and_gradients_have_the_parameter_shapes(dims):
    m = 4
    X, Y, params = random_problem(dims, m, seed=1)
    A_L, caches = model_forward(X, params)
    assert A_L.shape == (1, m)
    assert len(caches) == len(params)
    for layer, (cache, (W, b)) in enumerate(zip(caches, params)):
        assert cache.A_prev.shape == (dims[layer], m)
        assert cache.W is W and cache.b is b
        assert cache.Z.shape == (dims[layer + 1], m)
    for output_gradient in ("lecture", "fused"):
        grads = model_backward(A_L, Y, caches, output_gradient=output_gradient)
        assert [(dW.shape, db.shape) for dW, db in grads] == [(W.shape, b.shape) for W, b in params]


@pytest.mark.parametrize("hidden_activation", ["relu", "tanh"])
def test_lecture_and_fused_paths_agree_where_the_lecture_path_is_finite(hidden_activation):
    X, Y, params = random_problem([4, 5, 3, 1], 8, seed=2)
    A_L, caches = model_forward(X, params, hidden_activation)
    lecture = model_backward(A_L, Y, caches, hidden_activation, "lecture")
    fused = model_backward(A_L, Y, caches, hidden_activation, "fused")
    for (dW_l, db_l), (dW_f, db_f) in zip(lecture, fused):
        assert np.all(np.isfinite(dW_l)) and np.all(np.isfinite(db_l))
        np.testing.assert_allclose(dW_l, dW_f, rtol=1e-9, atol=1e-15)
        np.testing.assert_allclose(db_l, db_f, rtol=1e-9, atol=1e-15)


def test_fused_path_stays_finite_and_lecture_path_is_silently_nan_when_the_output_saturates():
    X, _, params = random_problem([3, 4, 1], 6, seed=3)
    W, b = params[-1]
    params[-1] = LayerParams(W * 1e4, b)  # logits far beyond +-37: A_L is exactly 0 or 1
    A_L, caches = model_forward(X, params)
    Y = (A_L < 0.5).astype(float)  # confidently wrong everywhere: dA_L is inf where A_L is exactly 0 or 1
    assert np.any((A_L == 0) | (A_L == 1))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the lecture path's inf * 0 is reported as nan, not as a warning
        lecture = model_backward(A_L, Y, caches, output_gradient="lecture")
        fused = model_backward(A_L, Y, caches, output_gradient="fused")
    assert not all(np.all(np.isfinite(dW)) for dW, _ in lecture)
    assert all(np.all(np.isfinite(dW)) and np.all(np.isfinite(db)) for dW, db in fused)


def test_compute_cost_picks_the_loss():
    X, Y, params = random_problem([3, 2, 1], 5, seed=4)
    A_L, caches = model_forward(X, params)
    Z_L = caches[-1].Z
    assert compute_cost(A_L, Z_L, Y, "naive") == cross_entropy_naive(A_L, Y)
    assert compute_cost(A_L, Z_L, Y, "stable") == cross_entropy_logits(Z_L, Y)
    assert compute_cost(A_L, Z_L, Y) == cross_entropy_logits(Z_L, Y)
    with pytest.raises(ValueError, match=r"unknown loss 'hinge'; choose one of 'naive', 'stable'"):
        compute_cost(A_L, Z_L, Y, "hinge")


def test_cost_and_gradients_is_forward_cost_and_backward():
    X, Y, params = random_problem([3, 4, 1], 5, seed=5)
    cost, grads = cost_and_gradients(X, Y, params, loss="naive")
    A_L, caches = model_forward(X, params)
    assert cost == cross_entropy_naive(A_L, Y)
    for (dW, db), (dW2, db2) in zip(grads, model_backward(A_L, Y, caches, output_gradient="lecture")):
        np.testing.assert_array_equal(dW, dW2)
        np.testing.assert_array_equal(db, db2)


def test_unknown_output_gradient_is_rejected():
    X, Y, params = random_problem([2, 1], 3, seed=6)
    A_L, caches = model_forward(X, params)
    with pytest.raises(ValueError, match=r"unknown output_gradient 'shortcut'; choose one of 'lecture', 'fused'"):
        model_backward(A_L, Y, caches, output_gradient="shortcut")


def logistic_unit():
    """One sigmoid unit with W = 1, b = 0: the probability is sigmoid(x)."""
    return [LayerParams(np.array([[1.0]]), np.array([[0.0]]))]


def test_predict_proba_and_predict_on_a_known_model():
    X = np.array([[-2.0, -0.1, 0.1, 2.0]])
    np.testing.assert_allclose(predict_proba(X, logistic_unit()), sigmoid(X), rtol=1e-15)
    labels = predict(X, logistic_unit())
    np.testing.assert_array_equal(labels, [[0, 0, 1, 1]])
    assert labels.shape == (1, 4) and np.issubdtype(labels.dtype, np.integer)
    np.testing.assert_array_equal(predict(X, logistic_unit(), threshold=0.9), [[0, 0, 0, 0]])


def test_predict_is_the_thresholded_probability():
    X, _, params = random_problem([3, 5, 1], 40, seed=7)
    np.testing.assert_array_equal(predict(X, params), (predict_proba(X, params) > 0.5).astype(int))


def test_accuracy_is_the_fraction_of_matching_columns():
    assert accuracy(np.array([[1, 0, 1, 1]]), np.array([[1.0, 0.0, 0.0, 1.0]])) == 0.75
    assert accuracy(np.array([[0, 0]]), np.array([[0, 0]])) == 1.0
    with pytest.raises(ValueError, match=r"Y_hat has shape \(1, 3\) but Y has shape \(1, 4\)"):
        accuracy(np.array([[1, 0, 1]]), np.array([[1, 0, 1, 1]]))


architectures = st.lists(st.integers(1, 8), min_size=1, max_size=3).flatmap(
    lambda hidden: st.integers(1, 8).map(lambda n_x: [n_x, *hidden, 1])
)


@settings(max_examples=40, deadline=None)
@given(
    dims=architectures,
    m=st.integers(1, 10),
    seed=st.integers(0, 2**32 - 1),
    activation=st.sampled_from(["relu", "tanh"]),
)
def test_property_forward_and_backward_shapes_and_finiteness(dims, m, seed, activation):
    X, Y, params = random_problem(dims, m, seed)
    A_L, caches = model_forward(X, params, activation)
    assert A_L.shape == (1, m)
    assert np.all((A_L >= 0) & (A_L <= 1))
    assert [cache.Z.shape for cache in caches] == [(n, m) for n in dims[1:]]
    for output_gradient in ("fused", "lecture"):
        grads = model_backward(A_L, Y, caches, activation, output_gradient)
        assert [(dW.shape, db.shape) for dW, db in grads] == [(W.shape, b.shape) for W, b in params]
        assert all(np.all(np.isfinite(dW)) and np.all(np.isfinite(db)) for dW, db in grads)


@settings(max_examples=40, deadline=None)
@given(dims=architectures, m=st.integers(1, 10), seed=st.integers(0, 2**32 - 1))
def test_property_both_output_paths_give_the_same_gradients(dims, m, seed):
    X, Y, params = random_problem(dims, m, seed)
    A_L, caches = model_forward(X, params)
    lecture = model_backward(A_L, Y, caches, output_gradient="lecture")
    fused = model_backward(A_L, Y, caches, output_gradient="fused")
    for (dW_l, db_l), (dW_f, db_f) in zip(lecture, fused):
        np.testing.assert_allclose(dW_l, dW_f, rtol=1e-8, atol=1e-12)
        np.testing.assert_allclose(db_l, db_f, rtol=1e-8, atol=1e-12)

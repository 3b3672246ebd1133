"""Initialisation: the lecture's exact numbers, the He and Xavier scales, and both kinds of generator."""

import numpy as np
import pytest

from course_lib import init_params
from course_lib.init import SCHEMES, weight_scale


@pytest.fixture
def restore_global_random_state():
    state = np.random.get_state()
    yield
    np.random.set_state(state)


def layer_pairs(dims):
    """(n_{l-1}, n_l) for each layer l."""
    return list(zip(dims[:-1], dims[1:]))


@pytest.mark.parametrize("dims", [[1, 1, 1], [5, 4, 3, 1]])
def test_small_init_reproduces_the_lecture_with_the_global_seed(dims, restore_global_random_state):
    params = init_params(dims, np.random.RandomState(3), "small")
    np.random.seed(3)
    assert len(params) == len(dims) - 1
    for (W, b), (n_prev, n_here) in zip(params, layer_pairs(dims)):
        np.testing.assert_array_equal(W, np.random.randn(n_here, n_prev) * 0.01)
        np.testing.assert_array_equal(b, np.zeros((n_here, 1)))


@pytest.mark.parametrize("scheme", SCHEMES)
def test_shapes_dtype_and_zero_biases(scheme):
    dims = [7, 5, 3, 1]
    params = init_params(dims, np.random.default_rng(0), scheme)
    for (W, b), (n_prev, n_here) in zip(params, layer_pairs(dims)):
        assert W.shape == (n_here, n_prev) and W.dtype == np.float64
        assert b.shape == (n_here, 1)
        assert not b.any()


@pytest.mark.parametrize(("scheme", "variance_times_n"), [("he", 2.0), ("xavier", 1.0)])
def test_he_and_xavier_weights_have_standard_deviation_sqrt_k_over_n(scheme, variance_times_n):
    n_prev, n_here = 800, 500
    W = init_params([n_prev, n_here, 1], np.random.default_rng(1), scheme)[0].W
    expected = np.sqrt(variance_times_n / n_prev)
    assert W.std() == pytest.approx(expected, rel=0.01)
    assert abs(W.mean()) < 5 * expected / np.sqrt(W.size)


@pytest.mark.parametrize("scheme", ["he", "xavier"])
def test_schemes_scale_the_same_normal_draws(scheme):
    dims = [6, 4, 3, 1]
    small = init_params(dims, np.random.RandomState(5), "small")
    scaled = init_params(dims, np.random.RandomState(5), scheme)
    factor = 2.0 if scheme == "he" else 1.0
    for (W_small, _), (W, _), (n_prev, _) in zip(small, scaled, layer_pairs(dims)):
        np.testing.assert_allclose(W / np.sqrt(factor / n_prev), W_small / 0.01, rtol=1e-12)


def test_weight_scale_values():
    assert weight_scale("small", 9) == 0.01
    assert weight_scale("he", 8) == pytest.approx(0.5)
    assert weight_scale("xavier", 4) == pytest.approx(0.5)


def test_works_with_default_rng_drawing_w_layer_by_layer():
    dims = [3, 4, 2, 1]
    params = init_params(dims, np.random.default_rng(11), "small")
    reference = np.random.default_rng(11)
    for (W, b), (n_prev, n_here) in zip(params, layer_pairs(dims)):
        np.testing.assert_array_equal(W, reference.standard_normal((n_here, n_prev)) * 0.01)
        np.testing.assert_array_equal(b, np.zeros((n_here, 1)))


def test_same_seed_same_params_and_different_seed_different_params():
    dims = [4, 3, 1]
    first = init_params(dims, np.random.default_rng(2), "he")
    again = init_params(dims, np.random.default_rng(2), "he")
    other = init_params(dims, np.random.default_rng(3), "he")
    for (W1, _), (W2, _), (W3, _) in zip(first, again, other):
        np.testing.assert_array_equal(W1, W2)
        assert not np.array_equal(W1, W3)


def test_logistic_regression_has_one_layer():
    params = init_params([4, 1], np.random.default_rng(0))
    assert len(params) == 1
    assert params[0].W.shape == (1, 4) and params[0].b.shape == (1, 1)

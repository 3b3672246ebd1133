"""The parameter list: LayerParams, shape checks, and flattening to one vector and back."""

import numpy as np
import pytest

from course_lib import LayerParams, count_params, flatten_params, init_params, unflatten_params
from course_lib.parameters import check_params, layer_dims_of

DIMS = [4, 3, 2, 1]


def numbered_params(dims):
    """Parameters whose entries count 0, 1, 2, ... in the documented order (W then b, layer by layer)."""
    params, start = [], 0
    for n_prev, n_here in zip(dims[:-1], dims[1:]):
        W = np.arange(start, start + n_here * n_prev, dtype=float).reshape(n_here, n_prev)
        start += W.size
        b = np.arange(start, start + n_here, dtype=float).reshape(n_here, 1)
        start += b.size
        params.append(LayerParams(W, b))
    return params


def test_layer_params_is_a_named_pair():
    W, b = np.ones((2, 3)), np.zeros((2, 1))
    layer = LayerParams(W, b)
    assert layer.W is W and layer.b is b
    assert tuple(layer) == (W, b)


@pytest.mark.parametrize("dims", [[1, 1], [1, 1, 1], DIMS, [30, 16, 8, 1]])
def test_count_params_is_the_sum_of_all_sizes(dims):
    params = init_params(dims, np.random.default_rng(0))
    assert count_params(dims) == sum(W.size + b.size for W, b in params)


def test_layer_dims_of_reads_the_sizes_back():
    assert layer_dims_of(init_params(DIMS, np.random.default_rng(0))) == DIMS


def test_flatten_orders_w_then_b_layer_by_layer():
    vector = flatten_params(numbered_params(DIMS))
    np.testing.assert_array_equal(vector, np.arange(count_params(DIMS)))


def test_unflatten_inverts_flatten_and_returns_copies():
    params = init_params(DIMS, np.random.default_rng(1), "he")
    vector = flatten_params(params)
    rebuilt = unflatten_params(vector, DIMS)
    for (W, b), (W2, b2) in zip(params, rebuilt):
        np.testing.assert_array_equal(W, W2)
        np.testing.assert_array_equal(b, b2)
    rebuilt[0].W[0, 0] += 1.0
    assert vector[0] == params[0].W[0, 0]  # changing the rebuilt list leaves the vector alone


def test_unflatten_rejects_a_vector_that_is_too_long():
    with pytest.raises(ValueError, match=r"vector has 27 entries but layer_dims \[4, 3, 2, 1\] needs 26"):
        unflatten_params(np.zeros(count_params(DIMS) + 1), DIMS)


def test_unflatten_rejects_a_vector_that_is_too_short_with_a_clear_message():
    with pytest.raises(ValueError, match=r"vector has 25 entries but layer_dims \[4, 3, 2, 1\] needs 26"):
        unflatten_params(np.zeros(count_params(DIMS) - 1), DIMS)


def test_check_params_accepts_plain_pairs_and_returns_layer_params():
    pairs = [(np.ones((3, 2)), np.zeros((3, 1))), (np.ones((1, 3)), np.zeros((1, 1)))]
    layers = check_params(pairs, [2, 3, 1])
    assert all(isinstance(layer, LayerParams) for layer in layers)
    assert layers[0].W is pairs[0][0]


def test_check_params_names_the_wrong_layer_and_the_right_shape():
    params = init_params(DIMS, np.random.default_rng(0))
    params[1] = LayerParams(params[1].W.T, params[1].b)
    with pytest.raises(ValueError, match=r"params\[1\]\.W \(W of layer 2\) has shape \(3, 2\).*must be \(2, 3\)"):
        check_params(params, DIMS)

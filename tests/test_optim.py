"""Update rules: gradient descent, momentum and Adam, against their formulas written out by hand."""

import copy

import numpy as np
import pytest

from course_lib import LayerParams, cost_and_gradients, fit, gradient_descent_step, init_params, odd_even
from course_lib.optim import (
    ADAM_EPSILON,
    MOMENTUM,
    OPTIMIZERS,
    AdamState,
    adam_step,
    init_optimizer_state,
    momentum_step,
    optimizer_step,
)


def params_and_grads(seed=0, dims=(3, 2, 1)):
    rng = np.random.default_rng(seed)
    params = [LayerParams(rng.standard_normal((n, p)), rng.standard_normal((n, 1))) for p, n in zip(dims, dims[1:])]
    grads = [LayerParams(rng.standard_normal(W.shape), rng.standard_normal(b.shape)) for W, b in params]
    return params, grads


def assert_layers_close(got, expected):
    assert len(got) == len(expected)
    for (W, b), (W_expected, b_expected) in zip(got, expected):
        np.testing.assert_allclose(W, W_expected, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(b, b_expected, rtol=1e-12, atol=1e-15)


def test_gradient_descent_step_subtracts_the_scaled_gradient():
    params, grads = params_and_grads()
    new = gradient_descent_step(params, grads, 0.3)
    assert_layers_close(new, [(W - 0.3 * dW, b - 0.3 * db) for (W, b), (dW, db) in zip(params, grads)])


def test_momentum_accumulates_past_gradients():
    params, grads = params_and_grads(1)
    velocity = init_optimizer_state("momentum", params)
    once, velocity = momentum_step(params, grads, velocity, 0.1)
    twice, velocity = momentum_step(once, grads, velocity, 0.1)
    # with a constant gradient g: v1 = g, v2 = (1 + beta) g, theta2 = theta - alpha (2 + beta) g
    expected = [
        (W - 0.1 * (2 + MOMENTUM) * dW, b - 0.1 * (2 + MOMENTUM) * db) for (W, b), (dW, db) in zip(params, grads)
    ]
    assert_layers_close(twice, expected)
    assert_layers_close(velocity, [((1 + MOMENTUM) * dW, (1 + MOMENTUM) * db) for dW, db in grads])


def test_first_adam_step_moves_each_parameter_by_about_the_learning_rate():
    params, grads = params_and_grads(2)
    state = init_optimizer_state("adam", params)
    new, state = adam_step(params, grads, state, 0.01)
    # after bias correction m_hat = g and v_hat = g^2, so the step is alpha g / (|g| + eps)
    expected = [
        (W - 0.01 * dW / (np.abs(dW) + ADAM_EPSILON), b - 0.01 * db / (np.abs(db) + ADAM_EPSILON))
        for (W, b), (dW, db) in zip(params, grads)
    ]
    assert_layers_close(new, expected)
    assert isinstance(state, AdamState) and state.step == 1


def test_initial_optimiser_states():
    params, _ = params_and_grads(3)
    assert init_optimizer_state("gd", params) is None
    for W, b in init_optimizer_state("momentum", params):
        assert not W.any() and not b.any()
    adam = init_optimizer_state("adam", params)
    assert adam.step == 0
    assert [W.shape for W, _ in adam.first] == [W.shape for W, _ in params]
    with pytest.raises(ValueError, match=r"unknown optimizer 'sgd'; choose one of 'gd', 'momentum', 'adam'"):
        init_optimizer_state("sgd", params)


def arrays_in(obj):
    """Every array inside nested lists and tuples (LayerParams, AdamState), in order."""
    if isinstance(obj, np.ndarray):
        return [obj]
    if isinstance(obj, (list, tuple)):
        return [array for item in obj for array in arrays_in(item)]
    return []


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_optimizer_steps_leave_their_inputs_unchanged(name):
    params, grads = params_and_grads(4)
    state = init_optimizer_state(name, params)
    if name != "gd":  # a non-zero state, so that an in-place update would show
        _, state = optimizer_step(name, params, grads, state, 0.1)
    inputs = (params, grads, state)
    before = copy.deepcopy(inputs)
    optimizer_step(name, params, grads, state, 0.1)
    after = arrays_in(inputs)
    assert len(after) == len(arrays_in(before)) > 0
    for old, new in zip(arrays_in(before), after):
        np.testing.assert_array_equal(old, new)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_fit_records_the_cost_after_one_step_of_the_chosen_optimiser(name):
    X, Y = odd_even()
    params = init_params([1, 2, 1], np.random.default_rng(0), "he")
    history = fit(X, Y, [1, 2, 1], learning_rate=0.05, num_iterations=1, params=params, optimizer=name)
    _, grads = cost_and_gradients(X, Y, params)
    stepped, _ = optimizer_step(name, params, grads, init_optimizer_state(name, params), 0.05)
    cost_after, _ = cost_and_gradients(X, Y, stepped)
    assert history.costs[1] == pytest.approx(cost_after, rel=1e-12)


def test_fit_rejects_an_unknown_optimiser():
    X, Y = odd_even()
    with pytest.raises(ValueError, match=r"unknown optimizer 'rmsprop'; choose one of 'gd', 'momentum', 'adam'"):
        fit(X, Y, [1, 1, 1], learning_rate=0.1, num_iterations=5, rng=np.random.default_rng(0), optimizer="rmsprop")

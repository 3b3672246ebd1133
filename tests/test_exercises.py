"""check() gives a learner one precise sentence about their function; show_source shows library code."""

import numpy as np
import pytest

import course_lib as cl
from course_lib import sigmoid
from course_lib.exercises import EXERCISES, CheckResult, check, show_source


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_the_reference_function_passes_its_own_check(name):
    result = check(EXERCISES[name].reference, name)
    assert isinstance(result, CheckResult)
    assert result.passed, result.message
    assert bool(result) and repr(result).startswith("✓")


def test_not_written_yet():
    def relu(Z):
        raise NotImplementedError

    result = check(relu, "relu")
    assert not result.passed and not bool(result)
    assert "not written yet" in result.message
    assert repr(result).startswith("✗")


def test_a_helper_that_is_still_a_stub_is_named_not_the_function_checked():
    def linear_forward(A_prev, W, b):
        raise NotImplementedError

    def model_forward(X, params, hidden_activation="relu"):
        A, caches = X, []
        for index, (W, b) in enumerate(params):
            Z = linear_forward(A, W, b)
            caches.append(cl.LayerCache(A, W, b, Z))
            A = cl.sigmoid(Z) if index == len(params) - 1 else cl.relu(Z)
        return A, caches

    message = check(model_forward, "model_forward").message
    assert message.startswith("`linear_forward`, which your function calls, is not written yet"), message


def test_a_not_implemented_error_from_outside_the_learners_code_is_not_called_a_stub():
    library = {}
    exec("def unsupported(Z):\n    raise NotImplementedError('no float16 here')", library)

    def relu(Z):
        return library["unsupported"](Z)

    message = check(relu, "relu").message
    assert message.startswith("your function raised NotImplementedError: no float16 here"), message


def test_another_error_is_described_not_raised():
    def relu(Z):
        return Z[5, 0]  # IndexError: Z is (3, 5)

    result = check(relu, "relu")  # must not raise
    assert not result.passed
    assert "raised IndexError" in result.message
    assert "Z of shape (3, 5)" in result.message


def test_returning_none_asks_about_a_missing_return():
    def sigmoid_without_return(Z):
        1 / (1 + np.exp(-np.abs(Z)))

    result = check(sigmoid_without_return, "sigmoid")
    assert not result.passed
    assert "None" in result.message and "return" in result.message


def test_wrong_shape_mentions_both_shapes():
    result = check(lambda A_prev, W, b: (W @ A_prev + b)[:1], "linear_forward")
    assert not result.passed
    assert "(1, 4)" in result.message and "(2, 4)" in result.message


def test_transposed_result_is_pointed_out():
    result = check(lambda Z: np.maximum(Z, 0).T, "relu")
    assert "transposed" in result.message


def test_wrong_value_names_the_entry():
    result = check(lambda A_prev, W, b: W @ A_prev + 2 * b, "linear_forward")
    assert not result.passed
    assert "entry [0, 0]" in result.message


def test_wrong_value_in_a_tuple_names_the_item():
    def linear_backward(dZ, A_prev, W):
        m = A_prev.shape[1]
        return W.T @ dZ, dZ @ A_prev.T, dZ.sum(axis=1, keepdims=True) / m  # dW not divided by m

    result = check(linear_backward, "linear_backward")
    assert not result.passed
    assert "entry" in result.message and "dW" in result.message


def test_changing_the_input_in_place_is_reported():
    def relu(Z):
        np.maximum(Z, 0, out=Z)
        return Z

    result = check(relu, "relu")
    assert not result.passed
    assert "in place" in result.message and "`Z`" in result.message


def test_updating_parameters_in_place_is_reported():
    def gradient_descent_step(params, grads, learning_rate):
        for (W, b), (dW, db) in zip(params, grads):
            W -= learning_rate * dW
            b -= learning_rate * db
        return params

    result = check(gradient_descent_step, "gradient_descent_step")
    assert "in place" in result.message and "`params`" in result.message


def test_a_sigmoid_that_overflows_is_told_to_rearrange_the_formula():
    result = check(lambda Z: 1 / (1 + np.exp(-Z)), "sigmoid")
    assert not result.passed
    assert "overflow" in result.message


def test_a_scalar_result_that_is_wrong_shows_both_numbers():
    result = check(lambda A, Y: 0.5, "cross_entropy_naive")
    assert not result.passed
    assert "0.5 but should be" in result.message


def test_an_equivalent_learner_implementation_passes():
    def relu(Z):
        return Z * (Z > 0)

    assert check(relu, "relu").passed
    assert check(lambda Z: Z > 0, "relu_derivative").passed  # booleans count as 0 and 1


def test_not_a_function():
    result = check(42, "relu")
    assert not result.passed
    assert "expected a function" in result.message


def test_unknown_exercise_name_is_a_value_error_listing_the_names():
    with pytest.raises(ValueError, match=r"no exercise called 'softmax'; choose one of .*sigmoid"):
        check(sigmoid, "softmax")


def test_show_source_markdown_contains_the_def_line():
    source = show_source(sigmoid)
    markdown = source._repr_markdown_()
    assert markdown.startswith("```python\n")
    assert "def sigmoid(Z: np.ndarray) -> np.ndarray:" in markdown
    assert repr(source) == source.source


def test_first_rise_without_a_rounding_tolerance_is_caught_on_the_rounding_curve():
    def first_rise(costs):
        return next((i for i in range(1, len(costs)) if costs[i] > costs[i - 1]), None)

    result = check(first_rise, "first_rise")
    assert not result.passed
    assert "should be None" in result.message


def test_first_rise_returning_none_for_a_real_rise_names_the_iteration():
    result = check(lambda costs: None, "first_rise")
    assert not result.passed
    assert "is None but should be" in result.message


# --- messages (issue 10): the learner's own name, and the cause of a common mistake when the shapes are right ---


def test_the_result_names_the_learners_function_not_the_librarys():
    def initialize(layer_dims, rng):
        raise NotImplementedError

    assert repr(check(initialize, "init_params")).startswith("✗ initialize: not written yet")
    assert repr(check(lambda Z: np.maximum(Z, 0), "relu")).startswith("✓ relu:")  # a lambda: the exercise's name


def test_one_item_is_not_one_items():
    result = check(lambda A_prev, W, b: [W @ A_prev + b], "linear_forward")
    assert "a list of 1 item." in result.message and "1 items" not in result.message


def test_a_gradient_not_divided_by_m_is_asked_about_m():
    def linear_backward(dZ, A_prev, W):
        return W.T @ dZ, dZ @ A_prev.T, dZ.sum(axis=1, keepdims=True)

    result = check(linear_backward, "linear_backward")
    assert "dW" in result.message and "m = 4 times too large: did you divide by m?" in result.message


def test_a_cost_summed_instead_of_averaged_is_asked_about_m():
    result = check(lambda A, Y: float(-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))), "cross_entropy_naive")
    assert "m = 6 times too large: did you divide by m?" in result.message


def test_a_wrong_cost_term_names_the_examples_and_their_label():
    def cross_entropy(A, Y):
        return float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(A)))  # log(A) where log(1 - A) belongs

    result = check(cross_entropy, "cross_entropy_naive")
    assert "Computed on one example at a time" in result.message
    assert "look at the term that counts when Y = 0" in result.message
    assert "Y = 1)" not in result.message.split("should be")[1].split(";")[0]  # only Y = 0 examples are listed


def test_a_pair_returned_in_the_wrong_order_is_named():
    def momentum_step(params, grads, velocity, learning_rate, beta):
        new_params, new_velocity = cl.momentum_step(params, grads, velocity, learning_rate, beta)
        return new_velocity, new_params

    result = check(momentum_step, "momentum_step")
    assert "you returned (new_velocity, new_params); return them in the order (new_params, new_velocity)" in (
        result.message
    )


def test_momentum_in_the_averaged_form_is_recognised():
    def momentum_step(params, grads, velocity, learning_rate, beta):
        velocity = [cl.LayerParams(beta * vW + (1 - beta) * dW, beta * vb + (1 - beta) * db)
                    for (vW, vb), (dW, db) in zip(velocity, grads)]
        return cl.gradient_descent_step(params, velocity, learning_rate), velocity

    assert "the (1 - beta) g form" in check(momentum_step, "momentum_step").message


def test_the_global_random_generator_is_recognised():
    def initialize(layer_dims, rng):
        return [cl.LayerParams(np.random.randn(n, p) * 0.01, np.zeros((n, 1)))
                for p, n in zip(layer_dims, layer_dims[1:])]

    result = check(initialize, "init_params")
    assert "NumPy's global generator" in result.message and "rng passed in" in result.message


def test_an_unused_rng_is_recognised():
    def initialize(layer_dims, rng):
        other = np.random.default_rng(0)
        return [cl.LayerParams(other.standard_normal((n, p)) * 0.01, np.zeros((n, 1)))
                for p, n in zip(layer_dims, layer_dims[1:])]

    assert "did not draw any random numbers from `rng`" in check(initialize, "init_params").message


def test_power_iteration_works_without_any_notebook_variable_and_refuses_eigvalsh_called_indirectly():
    def top_eigenvalue(H):
        return np.linalg.eigvalsh(H)[-1]

    def largest_stable_learning_rate(H, num_steps=100):
        return 2 / top_eigenvalue(H)

    eigvalsh = np.linalg.eigvalsh
    result = check(largest_stable_learning_rate, "power_iteration")
    assert "called numpy.linalg.eigvalsh, which this exercise asks you not to use" in result.message
    assert np.linalg.eigvalsh is eigvalsh  # put back after the call


def test_power_iteration_refuses_an_eigenvalue_function_imported_under_another_name():
    from numpy.linalg import eigh as decompose

    def largest_stable_learning_rate(H, num_steps=100):
        return 2 / decompose(H)[0][-1]

    assert "uses eigh, which this exercise asks you not to call" in check(largest_stable_learning_rate,
                                                                           "power_iteration").message


def test_a_training_loop_built_on_fit_passes():
    def train(X, Y, params, learning_rate, num_iterations):
        dims = [X.shape[0]] + [W.shape[0] for W, _ in params]
        run = cl.fit(X, Y, dims, learning_rate=learning_rate, num_iterations=num_iterations, params=params,
                     loss="naive")
        return run.params, list(run.costs[:-1])

    assert check(train, "train").passed


def test_caches_from_the_learners_own_record_type_are_compared_by_field_name():
    from dataclasses import dataclass

    @dataclass
    class Cache:  # another order than LayerCache's: compared by name, not position
        Z: np.ndarray
        A_prev: np.ndarray
        W: np.ndarray
        b: np.ndarray

    def model_forward(X, params):
        A_L, caches = cl.model_forward(X, params)
        return A_L, [Cache(c.Z, c.A_prev, c.W, c.b) for c in caches]

    assert check(model_forward, "model_forward").passed


def test_a_wrong_cache_names_its_layer_and_field():
    def model_forward(X, params):
        A_L, caches = cl.model_forward(X, params)
        caches[1] = cl.LayerCache(caches[1].A_prev, caches[1].W, caches[1].b, caches[1].Z + 1)
        return A_L, caches

    assert "of caches[1].Z (layer 2) is" in check(model_forward, "model_forward").message


def test_a_sum_without_keepdims_is_pointed_out():
    def linear_backward(dZ, A_prev, W):
        m = A_prev.shape[1]
        return W.T @ dZ, dZ @ A_prev.T / m, dZ.sum(axis=1) / m

    assert "db has shape (2,) (the right number of entries: did you forget keepdims=True" in check(
        linear_backward, "linear_backward").message


def test_results_good_to_six_digits_are_told_to_compute_in_float64():
    result = check(lambda A_prev, W, b: np.round(W @ A_prev + b, 6), "linear_forward")
    assert "to about 6 digits only: did you compute in float32" in result.message
    assert "1 times" not in result.message

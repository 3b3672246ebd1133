"""check() gives a learner one precise sentence about their function; show_source shows library code."""

import numpy as np
import pytest

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

"""A learner's mistake is caught where it is made, with a message that says how to fix it."""

import numpy as np
import pytest

from course_lib import (
    LayerParams,
    Standardizer,
    fit,
    gradient_check,
    init_params,
    load_breast_cancer,
    make_moons,
    odd_even,
    predict,
    train_test_split,
)

DIMS = [1, 1, 1]


def fit_odd_even(X=None, Y=None, layer_dims=DIMS, **options):
    """fit on the odd/even set with valid defaults; each test spoils one argument."""
    X_default, Y_default = odd_even()
    options = {"learning_rate": 0.1, "num_iterations": 5, "rng": np.random.default_rng(0), **options}
    return fit(X_default if X is None else X, Y_default if Y is None else Y, layer_dims, **options)


def test_the_valid_defaults_of_these_tests_do_train():
    assert fit_odd_even().costs.shape == (6,)


# --- X ------------------------------------------------------------------------------------------


def test_transposed_x_suggests_x_t():
    X, _ = odd_even()
    with pytest.raises(ValueError, match=r"examples must be columns; did you mean X\.T\?"):
        fit_odd_even(X=X.T)


def test_transposed_breast_cancer_x_suggests_x_t():
    X, Y = load_breast_cancer()
    with pytest.raises(ValueError, match=r"X has shape \(569, 30\) but layer_dims\[0\] is 30.*did you mean X\.T\?"):
        fit(X.T, Y, [30, 4, 1], learning_rate=0.01, num_iterations=5, rng=np.random.default_rng(0))


def test_one_dimensional_x_suggests_a_reshape():
    X, _ = odd_even()
    with pytest.raises(ValueError, match=r"X has shape \(10,\), a 1-D array.*X\.reshape\(1, -1\)"):
        fit_odd_even(X=X.ravel())


def test_first_layer_size_must_equal_the_number_of_features():
    X, Y = load_breast_cancer()
    with pytest.raises(ValueError, match=r"X has 30 features \(rows\) but layer_dims\[0\] is 29"):
        fit(X, Y, [29, 4, 1], learning_rate=0.01, num_iterations=5, rng=np.random.default_rng(0))


# --- Y ------------------------------------------------------------------------------------------


def test_one_dimensional_y_must_be_reshaped():
    _, Y = odd_even()
    with pytest.raises(ValueError, match=r"Y has shape \(10,\).*must have shape \(1, m\).*Y\.reshape\(1, -1\)"):
        fit_odd_even(Y=Y.ravel())


def test_column_y_suggests_y_t():
    _, Y = odd_even()
    with pytest.raises(ValueError, match=r"Y must have shape \(1, m\).*shape \(10, 1\);.*did you mean Y\.T\?"):
        fit_odd_even(Y=Y.T)


@pytest.mark.parametrize("bad_label", [2.0, -1.0, 0.5])
def test_labels_must_be_zero_or_one(bad_label):
    _, Y = odd_even()
    Y = Y.copy()
    Y[0, 3] = bad_label
    with pytest.raises(ValueError, match=rf"Y must contain only 0 and 1.*Y\[0, 3\] is {bad_label:g}"):
        fit_odd_even(Y=Y)


def test_x_and_y_must_have_the_same_number_of_examples():
    _, Y = odd_even()
    with pytest.raises(ValueError, match=r"X has 10 examples \(columns\) but Y has 9"):
        fit_odd_even(Y=Y[:, :9])


# --- nan and inf ---------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf], ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize("which", ["X", "Y"])
def test_nan_or_inf_in_x_or_y_is_located(which, value):
    X, Y = odd_even()
    X, Y = X.copy(), Y.copy()
    (X if which == "X" else Y)[0, 4] = value
    with pytest.raises(ValueError, match=rf"{which} contains 1 nan or inf value\(s\), the first at row 0, column 4"):
        fit_odd_even(X=X, Y=Y)


# --- layer sizes ---------------------------------------------------------------------------------


@pytest.mark.parametrize("layer_dims", [[], [1]])
def test_layer_sizes_need_at_least_two_entries(layer_dims):
    with pytest.raises(ValueError, match=r"layer_dims needs at least two entries"):
        fit_odd_even(layer_dims=layer_dims)


@pytest.mark.parametrize("size", [2.5, "3", 3.0, True])
def test_layer_sizes_must_be_whole_numbers(size):
    with pytest.raises(ValueError, match=r"layer_dims\[1\] is .*every layer size must be a whole number"):
        fit_odd_even(layer_dims=[1, size, 1])


@pytest.mark.parametrize("size", [0, -2])
def test_layer_sizes_must_be_at_least_one(size):
    with pytest.raises(ValueError, match=rf"layer_dims\[1\] is {size}; every layer needs at least 1 unit"):
        fit_odd_even(layer_dims=[1, size, 1])


def test_the_last_layer_must_have_one_unit():
    with pytest.raises(ValueError, match=r"the last layer must have 1 unit"):
        fit_odd_even(layer_dims=[1, 3, 2])


def test_layer_sizes_must_be_a_list():
    with pytest.raises(ValueError, match=r"layer_dims must be a list of layer sizes"):
        fit_odd_even(layer_dims=3)


# --- learning rate and iterations ----------------------------------------------------------------


@pytest.mark.parametrize("rate", [0, -1, np.nan, np.inf], ids=["0", "-1", "nan", "inf"])
def test_learning_rate_must_be_positive_and_finite(rate):
    with pytest.raises(ValueError, match=r"learning_rate must be a finite number greater than 0"):
        fit_odd_even(learning_rate=rate)


@pytest.mark.parametrize("rate", ["0.1", None, True])
def test_learning_rate_must_be_a_number(rate):
    with pytest.raises(ValueError, match=r"learning_rate must be a number such as 0.01"):
        fit_odd_even(learning_rate=rate)


@pytest.mark.parametrize("iterations", [0, 2.5, -3, "100"])
def test_number_of_iterations_must_be_a_positive_whole_number(iterations):
    with pytest.raises(ValueError, match=r"num_iterations must be a whole number of at least 1"):
        fit_odd_even(num_iterations=iterations)


def test_report_every_must_be_a_positive_whole_number():
    with pytest.raises(ValueError, match=r"report_every must be a whole number of at least 1"):
        fit_odd_even(report=print, report_every=0)


# --- choices -------------------------------------------------------------------------------------


def test_unknown_initialisation_scheme_lists_the_valid_ones():
    with pytest.raises(
        ValueError, match=r"unknown initialisation scheme 'gaussian'; choose one of 'small', 'he', 'xavier'"
    ):
        fit_odd_even(init="gaussian")


def test_unknown_activation_lists_the_valid_ones():
    with pytest.raises(ValueError, match=r"unknown activation 'softmax'; choose one of 'relu', 'sigmoid', 'tanh'"):
        fit_odd_even(hidden_activation="softmax")


def test_unknown_loss_lists_the_valid_ones():
    with pytest.raises(ValueError, match=r"unknown loss 'hinge'; choose one of 'naive', 'stable'"):
        fit_odd_even(loss="hinge")
    with pytest.raises(TypeError, match=r"output_path"):
        fit_odd_even(output_path="lecture")  # the formulation is one choice now: loss


def test_a_choice_that_is_not_a_string_is_rejected_cleanly():
    with pytest.raises(ValueError, match=r"unknown activation \['relu'\]"):
        fit_odd_even(hidden_activation=["relu"])


# --- rng and params ------------------------------------------------------------------------------


def test_fit_without_rng_or_params_asks_for_an_rng():
    with pytest.raises(ValueError, match=r"fit needs rng to initialise the parameters"):
        fit_odd_even(rng=None)


def test_rng_must_be_a_numpy_generator():
    with pytest.raises(TypeError, match=r"rng must be a NumPy random generator, not int"):
        fit_odd_even(rng=42)


def test_params_with_the_wrong_shapes_for_the_layer_sizes():
    params = init_params([1, 2, 1], np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"params\[0\]\.W \(W of layer 1\) has shape \(2, 1\).*must be \(1, 1\)"):
        fit_odd_even(params=params)


def test_params_with_a_bias_that_is_not_a_column():
    W, b = init_params(DIMS, np.random.default_rng(0))[0]
    params = [LayerParams(W, b.ravel()), *init_params(DIMS, np.random.default_rng(0))[1:]]
    with pytest.raises(ValueError, match=r"params\[0\]\.b \(b of layer 1\) has shape \(1,\); it must be \(1, 1\)"):
        fit_odd_even(params=params)


def test_params_with_the_wrong_number_of_layers():
    with pytest.raises(ValueError, match=r"params has 1 layers but layer_dims \[1, 1, 1\] describes 2"):
        fit_odd_even(params=init_params([1, 1], np.random.default_rng(0)))


def test_params_as_a_dict_of_lecture_names_is_explained():
    with pytest.raises(ValueError, match=r"not a dict such as \{'W1': \.\.\., 'b1': \.\.\.\}"):
        fit_odd_even(params={"W1": np.zeros((1, 1)), "b1": np.zeros((1, 1))})


# --- other entry points --------------------------------------------------------------------------


def test_init_params_rejects_bad_layer_sizes_scheme_and_rng():
    with pytest.raises(ValueError, match=r"layer_dims needs at least two entries"):
        init_params([3], np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"layer_dims\[1\] is 2.5"):
        init_params([3, 2.5, 1], np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"layer_dims\[0\] is 0; every layer needs at least 1 unit"):
        init_params([0, 1], np.random.default_rng(0))
    with pytest.raises(
        ValueError, match=r"unknown initialisation scheme 'glorot'; choose one of 'small', 'he', 'xavier'"
    ):
        init_params([3, 1], np.random.default_rng(0), "glorot")
    with pytest.raises(TypeError, match=r"rng must be a NumPy random generator"):
        init_params([3, 1], 3)


def test_predict_catches_transposed_x_wrong_features_nan_and_bad_params():
    params = init_params([30, 4, 1], np.random.default_rng(0))
    X, _ = load_breast_cancer()
    with pytest.raises(ValueError, match=r"did you mean X\.T\?"):
        predict(X.T, params)
    with pytest.raises(ValueError, match=r"X has 29 features \(rows\) but layer_dims\[0\] is 30"):
        predict(X[:29], params)
    X_nan = X.copy()
    X_nan[2, 7] = np.nan
    with pytest.raises(ValueError, match=r"X contains 1 nan or inf value\(s\), the first at row 2, column 7"):
        predict(X_nan, params)
    with pytest.raises(ValueError, match=r"not a dict"):
        predict(X, {"W1": params[0].W})
    with pytest.raises(ValueError, match=r"unknown activation 'linear'"):
        predict(X, params, hidden_activation="linear")


def test_standardizer_transform_catches_transposed_and_mismatched_x():
    X_train = np.random.default_rng(0).standard_normal((3, 20))
    scaler = Standardizer.fit(X_train)
    with pytest.raises(ValueError, match=r"fitted on 3 features but X has 20 rows; did you mean X\.T\?"):
        scaler.transform(X_train.T)
    with pytest.raises(ValueError, match=r"fitted on 3 features but X has 2 rows\.$"):
        scaler.transform(X_train[:2])
    with pytest.raises(ValueError, match=r"X has shape \(20,\), a 1-D array"):
        scaler.transform(X_train[0])


def test_train_test_split_catches_mismatched_labels_and_bad_fractions():
    X, Y = odd_even()
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match=r"X has 10 examples \(columns\) but Y has 9"):
        train_test_split(X, Y[:, :9], rng)
    with pytest.raises(ValueError, match=r"Y must have shape \(1, m\).*did you mean Y\.T\?"):
        train_test_split(X, Y.T, rng)
    for fraction in (0, 1, 1.5, -0.2, np.nan):
        with pytest.raises(ValueError, match=r"test_fraction must be between 0 and 1"):
            train_test_split(X, Y, rng, test_fraction=fraction)
    with pytest.raises(ValueError, match=r"test_fraction 0.01 leaves no example on one side of the split of 10"):
        train_test_split(X, Y, rng, test_fraction=0.01)
    with pytest.raises(TypeError, match=r"rng must be a NumPy random generator"):
        train_test_split(X, Y, rng=0)


@pytest.mark.parametrize("m", [1, 0, 2.5, True])
def test_make_moons_needs_a_whole_number_of_at_least_two_examples(m):
    with pytest.raises(ValueError, match=r"m must be a whole number of examples, at least 2"):
        make_moons(m, np.random.default_rng(0))


def test_gradient_check_catches_transposed_x():
    X, Y = odd_even()
    params = init_params(DIMS, np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"did you mean X\.T\?"):
        gradient_check(X.T, Y, params)


def test_the_door_offers_exactly_the_options_the_modules_implement():
    """_validation.OPTIONS is a table of names; the modules hold the code. They must agree."""
    from course_lib import _validation
    from course_lib.activations import ACTIVATIONS
    from course_lib.init import SCHEMES
    from course_lib.losses import LOSSES
    from course_lib.model import OUTPUT_GRADIENT_OF
    from course_lib.optim import OPTIMIZERS

    implemented = {
        "loss": set(LOSSES), "init": set(SCHEMES), "scheme": set(SCHEMES),
        "hidden_activation": set(ACTIVATIONS) - {"identity"}, "activation": set(ACTIVATIONS) - {"identity"},
        "optimizer": set(OPTIMIZERS), "output_gradient": set(OUTPUT_GRADIENT_OF.values()),
    }
    offered = {name: set(valid) for name, (_, valid) in _validation.OPTIONS.items()}
    assert offered == implemented
    assert set(OUTPUT_GRADIENT_OF) == set(LOSSES)

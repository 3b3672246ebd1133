"""course_lib: a deep binary classifier from scratch in NumPy, one step at a time.

The notebooks import everything from here; each name lives in the module that
teaches it, and ``__all__`` lists them in the order the course meets them.
The widgets are imported on first use, so that ``import course_lib`` does not
load ipywidgets.
"""

from . import _memory  # noqa: F401 - glibc: keep freed arrays' memory for reuse (see _memory.py)
from .activations import relu, relu_derivative, sigmoid, sigmoid_derivative, tanh, tanh_derivative
from .blowup import (
    RegressionRun,
    check_scaling,
    perimeter_data,
    regression_steps,
    regressor_backward,
    regressor_cost_and_gradients,
    regressor_forward,
    regressor_sharpness,
    step_terms,
    trace_operations,
    train_regressor,
)
from .curvature import (
    Eigenpair,
    condition_number,
    full_hessian,
    hessian_vector_product,
    power_iteration,
    sharpness,
    sharpness_along_training,
    step_cost_changes,
    taylor_best_learning_rate,
    taylor_step_prediction,
    top_eigenvalue,
)
from .data import (
    Standardizer,
    breast_cancer_feature_names,
    fit_scaling,
    load_breast_cancer,
    make_moons,
    odd_even,
    train_test_split,
)
from .environment import check_environment, python_is_supported
from .exercises import check, show_source
from .gradcheck import gradient_check
from .init import init_params
from .layers import LayerCache, layer_backward, layer_forward, linear_backward, linear_forward
from .losses import (
    cross_entropy_logits,
    cross_entropy_logits_gradient,
    cross_entropy_naive,
    cross_entropy_naive_gradient,
)
from .model import accuracy, compute_cost, cost_and_gradients, model_backward, model_forward, predict, predict_proba
from .optim import adam_step, gradient_descent_step, init_optimizer_state, momentum_step
from .parameters import LayerParams, count_params, flatten_params, unflatten_params
from .plotting import OKABE_ITO, plot_costs, plot_decision_boundary, plot_feature_ranges, plot_sharpness
from .quadratic import least_squares_descent, least_squares_hessian, quadratic_descent
from .train import History, classify_run, first_rise, fit, learning_rate_range_test, minibatches, training_steps

WIDGETS = ("divergence_lab", "run_divergence_lab", "draw_divergence_lab", "quadratic_explorer", "run_quadratic",
           "draw_quadratic")

__all__ = [
    # 00 the set-up and the data
    "check_environment", "python_is_supported",
    "odd_even", "load_breast_cancer", "breast_cancer_feature_names", "make_moons", "train_test_split",
    # 01 initialise
    "LayerParams", "init_params", "count_params", "flatten_params", "unflatten_params",
    # 02 forward
    "sigmoid", "relu", "tanh", "linear_forward", "LayerCache", "layer_forward", "model_forward",
    # 03 cost
    "cross_entropy_naive", "cross_entropy_logits", "compute_cost",
    # 04 backprop
    "sigmoid_derivative", "relu_derivative", "tanh_derivative", "cross_entropy_naive_gradient",
    "cross_entropy_logits_gradient", "linear_backward", "layer_backward", "model_backward", "cost_and_gradients",
    "gradient_check",
    # 05 update and train
    "gradient_descent_step", "training_steps", "minibatches", "fit", "History", "first_rise", "classify_run",
    "predict_proba", "predict", "accuracy",
    # 06 the rising cost, reproduced
    "least_squares_descent", "least_squares_hessian",
    # 07 why it rises
    "quadratic_descent", "taylor_step_prediction", "taylor_best_learning_rate", "hessian_vector_product",
    "full_hessian", "power_iteration", "top_eigenvalue", "Eigenpair", "sharpness", "condition_number",
    "step_cost_changes", "sharpness_along_training",
    # 08 fixing it
    "Standardizer", "fit_scaling",
    # 09 beyond
    "momentum_step", "adam_step", "init_optimizer_state", "learning_rate_range_test",
    # 10 the second question, on its own terms (course_lib.blowup)
    "perimeter_data", "regressor_forward", "regressor_backward", "regressor_cost_and_gradients", "regression_steps",
    "train_regressor", "RegressionRun", "trace_operations", "step_terms", "regressor_sharpness", "check_scaling",
    # tools the notebooks use
    "check", "show_source", "OKABE_ITO", "plot_costs", "plot_decision_boundary", "plot_feature_ranges",
    "plot_sharpness", *WIDGETS,
]


def __getattr__(name: str):
    if name in WIDGETS:
        from . import widgets

        return getattr(widgets, name)
    raise AttributeError(f"module 'course_lib' has no attribute {name!r}")

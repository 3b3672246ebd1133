"""course_lib: a deep binary classifier from scratch in NumPy, one step at a time.

The notebooks import everything from here; each name lives in the module that
teaches it (init, activations, layers, losses, model, optim, train, ...).
"""

from .activations import relu, relu_derivative, sigmoid, sigmoid_derivative, tanh, tanh_derivative
from .curvature import (
    condition_number,
    full_hessian,
    hessian_vector_product,
    sharpness,
    sharpness_along_training,
    step_cost_changes,
)
from .data import Standardizer, fit_scaling, load_breast_cancer, make_moons, odd_even, train_test_split
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
from .optim import gradient_descent_step
from .parameters import LayerParams, count_params, flatten_params, unflatten_params
from .train import History, fit, learning_rate_range_test

__all__ = [
    "LayerCache",
    "condition_number",
    "full_hessian",
    "hessian_vector_product",
    "sharpness",
    "sharpness_along_training",
    "step_cost_changes",
    "fit_scaling",
    "learning_rate_range_test",
    "relu",
    "relu_derivative",
    "sigmoid",
    "sigmoid_derivative",
    "tanh",
    "tanh_derivative",
    "Standardizer",
    "load_breast_cancer",
    "make_moons",
    "odd_even",
    "train_test_split",
    "gradient_check",
    "init_params",
    "layer_backward",
    "layer_forward",
    "linear_backward",
    "linear_forward",
    "cross_entropy_logits",
    "cross_entropy_logits_gradient",
    "cross_entropy_naive",
    "cross_entropy_naive_gradient",
    "accuracy",
    "compute_cost",
    "cost_and_gradients",
    "model_backward",
    "model_forward",
    "predict",
    "predict_proba",
    "gradient_descent_step",
    "LayerParams",
    "count_params",
    "flatten_params",
    "unflatten_params",
    "History",
    "fit",
]

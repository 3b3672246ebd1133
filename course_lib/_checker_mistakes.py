"""Common wrong versions of the exercises' functions, each with the sentence a learner who wrote it should read.

The checker runs these only after a result fails to match, on fresh copies of
the same inputs: a learner's result that matches one of them was computed with
that mistake (or one with the same numbers on every test case).
"""

from __future__ import annotations

import numpy as np

from ._checker_compare import as_float_array
from ._checker_hints import Case, Mistake
from ._checker_inputs import lecture_fit
from .activations import relu, sigmoid, sigmoid_derivative
from .data import Standardizer
from .init import init_params
from .layers import layer_forward, linear_backward
from .losses import cross_entropy_naive_gradient
from .optim import gradient_descent_step
from .parameters import LayerParams
from .train import first_rise


def _unscaled_weights(layer_dims, rng):
    return [LayerParams(rng.standard_normal((n, p)), np.zeros((n, 1))) for p, n in zip(layer_dims, layer_dims[1:])]


def _transposed_draws(layer_dims, rng):
    return [LayerParams(rng.standard_normal((p, n)).T * 0.01, np.zeros((n, 1)))
            for p, n in zip(layer_dims, layer_dims[1:])]


INIT_PARAMS = (
    Mistake(_unscaled_weights, "your weights are standard-normal draws; multiply each W by 0.01 (the small scheme)."),
    Mistake(_transposed_draws, "you drew each W as (n_{l-1}, n_l) and transposed it: draw it with shape (n_l, n_{l-1}) "
                               "directly, so each random number lands where the exercise puts it."),
    Mistake(lambda layer_dims, rng: init_params(layer_dims, rng, "he"),
            "that is He initialisation, sqrt(2 / n_{l-1}); this exercise scales every W by 0.01."),
)
RELU_DERIVATIVE = (
    Mistake(relu, "that is relu(Z) itself; its derivative is 1 where Z > 0 and 0 elsewhere."),
    Mistake(lambda Z: (Z >= 0).astype(float),
            "at Z = 0 the course takes the derivative to be 0: use Z > 0, not Z >= 0."),
)
SIGMOID_DERIVATIVE = (
    Mistake(lambda Z: Z * (1 - Z), "you computed Z (1 - Z); the derivative is s (1 - s) with s = sigmoid(Z)."),
    Mistake(sigmoid, "that is sigmoid(Z) itself; its derivative is s (1 - s) with s = sigmoid(Z)."),
)
TANH_DERIVATIVE = (
    Mistake(lambda Z: 1 - Z**2, "you computed 1 - Z**2; the derivative is 1 - tanh(Z)**2."),
    Mistake(lambda Z: 1 - np.tanh(Z), "you computed 1 - tanh(Z); square the tanh: 1 - tanh(Z)**2."),
)
LINEAR_FORWARD = (Mistake(lambda A_prev, W, b: W @ A_prev, "you left out b: Z = W A_prev + b."),)


def _forward_with(hidden: str, output: str):
    def forward(X, params):
        A, caches = X, []
        for index, (W, b) in enumerate(params):
            A, cache = layer_forward(A, W, b, output if index == len(params) - 1 else hidden)
            caches.append(cache)
        return A, caches

    return forward


MODEL_FORWARD = (
    Mistake(_forward_with("relu", "relu"), "your output layer uses ReLU; the output layer is a sigmoid "
                                           "(a probability), the hidden layers ReLU."),
    Mistake(_forward_with("sigmoid", "sigmoid"), "your hidden layers use the sigmoid; they use ReLU "
                                                 "(only the output layer is a sigmoid)."),
    Mistake(_forward_with("tanh", "sigmoid"),
            "your hidden layers use tanh; they use ReLU."),
)


def _backward_with(hidden_derivative):
    def backward(A_L, Y, caches):
        dZ = cross_entropy_naive_gradient(A_L, Y) * (A_L * (1.0 - A_L))
        grads = []
        for index in reversed(range(len(caches))):
            dA, dW, db = linear_backward(dZ, caches[index].A_prev, caches[index].W)
            grads.append((dW, db))
            if index:
                dZ = dA * hidden_derivative(caches[index - 1].Z)
        return grads[::-1]

    return backward


MODEL_BACKWARD = (
    Mistake(_backward_with(np.ones_like), "the hidden layers' gradients leave out the ReLU derivative: "
                                          "dZ = dA * relu_derivative(Z) in every hidden layer."),
    Mistake(_backward_with(sigmoid_derivative), "the hidden layers use the sigmoid derivative; they are ReLU "
                                                "layers: dZ = dA * relu_derivative(Z)."),
)
FIRST_RISE = (
    Mistake(lambda costs: first_rise(costs) - 1, "that is one before the rise: the rise is at i when "
                                                 "costs[i] > costs[i - 1]."),
    Mistake(lambda costs: first_rise(costs) + 1, "that is one after the rise: the rise is at i when "
                                                 "costs[i] > costs[i - 1]."),
)
GRADIENT_DESCENT_STEP = (
    Mistake(lambda params, grads, learning_rate: gradient_descent_step(params, grads, -learning_rate),
            "you added the gradient; a descent step subtracts it: W - learning_rate * dW."),
)


def _momentum_averaged(params, grads, velocity, learning_rate, beta):
    velocity = [LayerParams(beta * vW + (1 - beta) * dW, beta * vb + (1 - beta) * db)
                for (vW, vb), (dW, db) in zip(velocity, grads)]
    return gradient_descent_step(params, velocity, learning_rate), velocity


def _momentum_rate_inside(params, grads, velocity, learning_rate, beta):
    velocity = [LayerParams(beta * vW + learning_rate * dW, beta * vb + learning_rate * db)
                for (vW, vb), (dW, db) in zip(velocity, grads)]
    return gradient_descent_step(params, velocity, 1.0), velocity


def _momentum_ignored(params, grads, velocity, learning_rate, beta):
    velocity = [LayerParams(beta * vW + dW, beta * vb + db) for (vW, vb), (dW, db) in zip(velocity, grads)]
    return gradient_descent_step(params, grads, learning_rate), velocity


MOMENTUM_STEP = (
    Mistake(_momentum_averaged, "that is the (1 - beta) g form, an average of the gradients; this course uses "
                                "the sum: v <- beta v + g, then theta <- theta - learning_rate v."),
    Mistake(_momentum_rate_inside, "you put the learning rate inside the velocity (v <- beta v + alpha g, "
                                   "theta <- theta - v); this course uses v <- beta v + g, theta <- theta - alpha v."),
    Mistake(_momentum_ignored, "your new velocity is right, but the step uses the gradient: step along the "
                               "velocity, theta <- theta - learning_rate v."),
)
STABLE_RATE = (
    Mistake(lambda H, num_steps=100: float(np.linalg.norm(H, 2)),
            "that is lambda_max itself; return 2 / lambda_max."),
    Mistake(lambda H, num_steps=100: 1.0 / float(np.linalg.norm(H, 2)),
            "that is 1 / lambda_max; the stable limit is 2 / lambda_max."),
)


def _own_statistics(X_train, X_test):
    return Standardizer.fit(X_train).transform(X_train), Standardizer.fit(X_test).transform(X_test)


def _pooled_statistics(X_train, X_test):
    scaling = Standardizer.fit(np.hstack([X_train, X_test]))
    return scaling.transform(X_train), scaling.transform(X_test)


def _with(X_train, X_test, mean, std):
    return (X_train - mean) / std, (X_test - mean) / std


LEAK = "the test set leaked into the preprocessing: use the training set's statistics only, for both sets."
STANDARDIZE = (
    Mistake(_own_statistics, f"X_test_scaled was scaled with the test set's own mean and standard deviation: {LEAK}"),
    Mistake(_pooled_statistics,
            f"both sets were scaled with the statistics of the training and test sets together: {LEAK}"),
    Mistake(lambda X_train, X_test: _with(X_train, X_test, X_train.mean(axis=1, keepdims=True),
                                          X_train.std(axis=1, ddof=1, keepdims=True)),
            "you divided by the standard deviation with ddof=1; use np.std's default, ddof=0."),
    Mistake(lambda X_train, X_test: _with(X_train, X_test, X_train.mean(axis=1, keepdims=True), 1.0),
            "both sets are centred but not divided by the standard deviation."),
    Mistake(lambda X_train, X_test: ((X_train - X_train.mean(1, keepdims=True)) / X_train.std(1, keepdims=True),
                                     (X_test - X_train.mean(1, keepdims=True)) / X_test.std(1, keepdims=True)),
            "X_test_scaled mixes training and test statistics; use the training mean *and* standard deviation."),
    Mistake(lambda X_train, X_test: _with(X_train, X_test, X_train.mean(), X_train.std()),
            "you used one mean and one standard deviation for all the features together; each feature (row) "
            "needs its own: X_train.mean(axis=1, keepdims=True), and the same for std (axis=0 would average "
            "each example's features instead)."),
)


def train_costs_hint(case: Case) -> str | None:
    """For the training loop: the first iteration whose cost differs, or costs recorded one step late."""
    if not (isinstance(case.got, (tuple, list)) and len(case.got) == 2):
        return None
    X, Y, params, learning_rate, num_iterations = case.fresh_inputs()
    costs_after = lecture_fit(X, Y, params, learning_rate, num_iterations).costs  # (num_iterations + 1,)
    costs, problem = as_float_array(case.got[1], "costs", costs_after)
    if problem or costs.ndim != 1:
        return None
    if costs.size != num_iterations:
        return (f"costs has {costs.size} entries but should have {num_iterations}: one per iteration, the cost "
                "*before* each update (len(costs) == num_iterations).")
    close = np.isclose(costs, costs_after[:-1], rtol=case.tolerance.rtol, atol=case.tolerance.atol)
    if close.all():
        return None
    if np.allclose(costs, costs_after[1:], rtol=case.tolerance.rtol, atol=case.tolerance.atol):
        return ("your costs are one iteration late: record the cost before each update (costs[0] is the cost "
                "of the parameters you were given).")
    first = int(np.argmin(close))
    where = ("so the cost of the starting parameters is already wrong: check the forward pass and the cost"
             if first == 0 else "the earlier ones match, so the forward pass and the cost are right: look at "
             "the gradients and the update")
    return (f"your costs first differ at iteration {first}: costs[{first}] is {costs[first]:.6g} but should be "
            f"{costs_after[first]:.6g}; {where}.")


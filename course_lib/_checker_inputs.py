"""Test inputs and reference answers for the exercise checker (``exercises.check``).

Each ``*_inputs(seed)`` returns a fresh tuple of arguments on every call, so
the learner's function and the reference never share (or consume) the same
arrays or random generator. The inputs are small: a whole check takes
milliseconds.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np

from .curvature import full_hessian
from .data import Standardizer, load_breast_cancer, odd_even
from .init import init_params
from .model import model_backward, model_forward
from .parameters import LayerParams
from .quadratic import least_squares_hessian
from .train import fit


class LayerGrads(NamedTuple):
    """The expected gradients of one layer, named as the learner's variables are: dW (n_l, n_{l-1}), db (n_l, 1)."""

    dW: np.ndarray
    db: np.ndarray


def layer_inputs(seed, n_prev=3, n_here=2, m=4):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n_prev, m)), rng.standard_normal((n_here, n_prev)), rng.standard_normal((n_here, 1))


def probabilities_and_labels(seed, m=6):
    rng = np.random.default_rng(seed)
    A = rng.uniform(0.05, 0.95, size=(1, m))
    Y = (rng.uniform(size=(1, m)) > 0.5).astype(float)
    Y[0, :2] = [0.0, 1.0]  # both labels in every test case, so each term of the cost is tested
    return A, Y


def logits_and_labels(seed, m=6):
    rng = np.random.default_rng(seed)
    # Include large logits: a correct stable loss stays finite and exact there.
    Z = rng.standard_normal((1, m)) * 4
    Z[0, :2] = [60.0, -800.0]
    return Z, (rng.uniform(size=(1, m)) > 0.5).astype(float)


def linear_backward_inputs(seed):
    A_prev, W, _ = layer_inputs(seed)
    dZ = np.random.default_rng(seed + 100).standard_normal((W.shape[0], A_prev.shape[1]))
    return dZ, A_prev, W


def step_inputs(seed):
    rng = np.random.default_rng(seed)
    dims = [3, 2, 1]
    params = [LayerParams(rng.standard_normal((n, p)), rng.standard_normal((n, 1))) for p, n in zip(dims, dims[1:])]
    grads = [LayerParams(rng.standard_normal(W.shape), rng.standard_normal(b.shape)) for W, b in params]
    return params, grads, 0.1


def cost_curves(seed):
    steps = np.arange(60)
    falling = 0.6 * np.exp(-steps / 15) + 0.1
    if seed == 0:
        return (falling,)
    if seed == 1:  # falls, then rises from step 40
        return (falling + np.where(steps >= 40, 0.02 * (steps - 39), 0.0),)
    if seed == 2:  # only rounding noise: a rise in the 16th digit is not a rise
        return (np.array([0.6779, 0.6778, 0.6777, np.nextafter(0.6777, 1.0), 0.6777]),)
    return (np.array([0.69, 0.70, 0.65, 0.60]),)  # rises at the very first step


def momentum_inputs(seed):
    params, grads, learning_rate = step_inputs(seed)
    velocity = step_inputs(seed + 10)[1]
    return params, grads, velocity, learning_rate, (0.9, 0.5, 0.0, 0.99)[seed]


def z_inputs(seed):
    Z = np.random.default_rng(seed).standard_normal((3, 5)) * 3
    Z[0, :2] = [-1000.0, 1000.0]  # a correct sigmoid neither overflows nor warns here
    return (Z,)


def moderate_z_inputs(seed):
    """Z (3, 5) with |z| below about 10 and one exact 0: for the derivatives, where large z teaches nothing new."""
    Z = np.random.default_rng(seed).standard_normal((3, 5)) * 3
    Z[0, 0] = 0.0
    return (Z,)


# Layer sizes of the network-sized exercises, one per test case: deep, one hidden layer, no hidden layer, wide.
NETWORKS = ([3, 4, 2, 1], [2, 3, 1], [4, 1], [3, 5, 4, 3, 1])


def network(seed, m=5):
    """X (n_0, m), Y (1, m) with both labels, and params with nonzero biases, for network NETWORKS[seed]."""
    rng = np.random.default_rng(seed + 40)
    dims = NETWORKS[seed]
    X = rng.standard_normal((dims[0], m))
    Y = (np.arange(m) % 2).reshape(1, m).astype(float)
    params = [LayerParams(W, rng.standard_normal(b.shape) * 0.3) for W, b in init_params(dims, rng, "he")]
    return X, Y, params


def model_forward_inputs(seed):
    X, _, params = network(seed)
    return X, params


def model_backward_inputs(seed):
    X, Y, params = network(seed)
    A_L, caches = model_forward(X, params)
    return A_L, Y, caches


def lecture_model_backward(A_L, Y, caches):
    """The reference: model_backward with the lecture's output gradient, as (dW, db) pairs named dW and db."""
    return [LayerGrads(*grads) for grads in model_backward(A_L, Y, caches, output_gradient="lecture")]


def train_inputs(seed):
    X, Y, params = network(seed, m=8)
    return X, Y, params, (0.5, 1.0, 2.0, 0.1)[seed], (6, 4, 1, 5)[seed]


def lecture_fit(X, Y, params, learning_rate, num_iterations):
    """fit with the naive loss; its costs hold num_iterations + 1 entries (the last after the last update)."""
    dims = [X.shape[0]] + [W.shape[0] for W, _ in params]
    return fit(X, Y, dims, learning_rate=learning_rate, num_iterations=num_iterations,
               rng=np.random.default_rng(0), params=params, loss="naive")


def train_reference(X, Y, params, learning_rate, num_iterations):
    """(params after num_iterations updates, costs (num_iterations,)): the cost *before* each update."""
    history = lecture_fit(X, Y, params, learning_rate, num_iterations)
    return history.params, history.costs[:-1]


@functools.cache
def _stable_rate_matrices() -> tuple[np.ndarray, ...]:
    """The matrices of notebook 07's exercise, built once (about 30 ms): see stable_rate_inputs."""
    X, Y = odd_even()
    start = init_params([1, 1, 1], np.random.RandomState(3), "small")
    after_60 = fit(X, Y, [1, 1, 1], learning_rate=1.2, num_iterations=60, params=start, loss="naive").params
    X_bc, _ = load_breast_cancer()
    rotation, _ = np.linalg.qr(np.random.default_rng(7).standard_normal((5, 5)))
    return (
        np.diag([3.0, 1.0]),
        full_hessian(X, Y, after_60),  # the odd/even network after 60 steps of the original run (07, part 4)
        least_squares_hessian(Standardizer.fit(X_bc).transform(X_bc)),  # standardised breast cancer (07, part 4)
        rotation @ np.diag([10.0, 4.0, 2.0, 1.0, 0.5]) @ rotation.T,  # not diagonal, not from the course
    )


def stable_rate_inputs(seed):
    return (_stable_rate_matrices()[seed].copy(),)


def largest_stable_learning_rate(H, num_steps=100):
    """The reference: 2 / lambda_max of the symmetric matrix H (P, P).

    The exercise's matrices have their largest eigenvalue positive and largest in
    magnitude, so lambda_max is H's largest singular value, its 2-norm (and the
    eigenvalue functions that the learner may not call stay out of the reference).
    """
    return 2.0 / float(np.linalg.norm(H, 2))


def standardize_inputs(seed):
    """X_train (3, 12) and X_test (3, 5) whose test set has its own mean and spread, as in notebook 08."""
    rng = np.random.default_rng(8 + seed)
    centre, spread = np.array([[5.0], [-300.0], [0.02]]), np.array([[2.0], [40.0], [0.005]])
    X_train = centre + spread * rng.standard_normal((3, 12))
    X_test = centre + spread + 2 * spread * rng.standard_normal((3, 5))
    return X_train, X_test


def standardize(X_train, X_test):
    """The reference: both sets scaled with X_train's per-row mean and standard deviation."""
    scaling = Standardizer.fit(X_train)
    return scaling.transform(X_train), scaling.transform(X_test)

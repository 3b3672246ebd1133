"""The scalar-helper network of the original question's style, the speed benchmark's baseline (written fresh):
activations of ONE number on ``math.exp`` applied by ``np.vectorize``, parameters in a dict keyed by strings, the cost
on the probabilities, back through dA_L and the sigmoid derivative. run.py checks it agrees with fit before timing;
``math.exp`` overflows beyond about 709, hence standardised inputs and He weights."""

from __future__ import annotations

import math

import numpy as np


def sigmoid_scalar(z):
    return 1.0 / (1.0 + math.exp(-z))


sigmoid = np.vectorize(sigmoid_scalar)
sigmoid_derivative = np.vectorize(lambda z: sigmoid_scalar(z) * (1.0 - sigmoid_scalar(z)))
relu = np.vectorize(lambda z: max(0.0, z))
relu_derivative = np.vectorize(lambda z: 1.0 if z > 0 else 0.0)


def forward(X, params):
    """Hidden layers relu(W A + b), output sigmoid(W A + b). Returns A_L (1, m) and the caches."""
    L = len(params) // 2
    A, caches = X, []
    for layer in range(1, L + 1):
        W, b = params["W" + str(layer)], params["b" + str(layer)]
        Z = np.dot(W, A) + b
        caches.append((A, W, Z))
        A = sigmoid(Z) if layer == L else relu(Z)
    return A, caches


def backward(AL, Y, caches):
    """{"dW1": ..., "db1": ..., ...}: dA_L, then sigmoid'(Z_L), then relu'(Z_l) layer by layer."""
    L, m, grads = len(caches), Y.shape[1], {}
    dA = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    for layer in range(L, 0, -1):
        A_prev, W, Z = caches[layer - 1]
        dZ = dA * (sigmoid_derivative(Z) if layer == L else relu_derivative(Z))
        grads["dW" + str(layer)] = np.dot(dZ, A_prev.T) / m
        grads["db" + str(layer)] = np.sum(dZ, axis=1, keepdims=True) / m
        dA = np.dot(W.T, dZ)
    return grads


def train(X, Y, layers, learning_rate, num_iterations):
    """num_iterations of forward, cost, backward, update from course_lib's [(W, b), ...]; returns (the costs before
    each update, the final [(W, b), ...])."""
    costs, params = [], {f"{kind}{layer}": np.array(value) for layer, pair in enumerate(layers, 1) for kind, value in
                         zip("Wb", pair)}
    for _ in range(num_iterations):
        AL, caches = forward(X, params)
        costs.append(float(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / Y.shape[1]))
        grads = backward(AL, Y, caches)
        params = {name: value - learning_rate * grads["d" + name] for name, value in params.items()}
    return costs, [(params[f"W{layer}"], params[f"b{layer}"]) for layer in range(1, len(layers) + 1)]

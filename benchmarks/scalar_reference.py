"""A scalar-helper implementation of the course's network, the baseline of the speed benchmark.

Written fresh for the comparison, in the style of the original question: each
activation and its derivative is a function of ONE number built on
``math.exp``, made to take arrays with ``np.vectorize`` (which calls the Python
function once per entry); the parameters live in a dict keyed by strings
(``params["W" + str(layer)]``, with ``L = len(params) // 2``); the cost is the
cross-entropy formula as written, on the probabilities; and the way back
through the output layer goes dA_L = dL/dA_L, then the sigmoid derivative.

It computes the same numbers as ``course_lib.fit`` (stable loss, fused output
path, hidden ReLU, sigmoid output, plain gradient descent) wherever the
sigmoid is not rounded to 0 or 1, which ``benchmarks/run.py`` checks before
it times anything. ``math.exp`` raises OverflowError for arguments above
about 709, so feed it standardised inputs and moderate initial weights (the
benchmark uses He initialisation; its largest |Z| is about 15).
"""

from __future__ import annotations

import math

import numpy as np


def sigmoid_scalar(z):
    return 1.0 / (1.0 + math.exp(-z))


def sigmoid_derivative_scalar(z):
    s = sigmoid_scalar(z)
    return s * (1.0 - s)


def relu_scalar(z):
    return max(0.0, z)


def relu_derivative_scalar(z):
    return 1.0 if z > 0 else 0.0


sigmoid = np.vectorize(sigmoid_scalar)
sigmoid_derivative = np.vectorize(sigmoid_derivative_scalar)
relu = np.vectorize(relu_scalar)
relu_derivative = np.vectorize(relu_derivative_scalar)


def params_to_dict(layers):
    """course_lib's list of (W, b), one pair per layer, as {"W1": W, "b1": b, ...} (copies)."""
    params = {}
    for layer, (W, b) in enumerate(layers, start=1):
        params["W" + str(layer)] = np.array(W, dtype=float)
        params["b" + str(layer)] = np.array(b, dtype=float)
    return params


def forward(X, params):
    """Hidden layers relu(W A + b), output sigmoid(W A + b). Returns A_L (1, m) and the caches."""
    L = len(params) // 2
    caches = []
    A = X
    for layer in range(1, L + 1):
        A_prev = A
        W = params["W" + str(layer)]
        b = params["b" + str(layer)]
        Z = np.dot(W, A_prev) + b
        if layer == L:
            A = sigmoid(Z)
        else:
            A = relu(Z)
        caches.append((A_prev, W, Z))
    return A, caches


def cost(AL, Y):
    """Mean cross-entropy, as the formula is written: -(1/m) sum(y log a + (1 - y) log(1 - a))."""
    m = Y.shape[1]
    return float(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m)


def backward(AL, Y, caches):
    """Gradients {"dW1": ..., "db1": ..., ...}: dA_L, then sigmoid'(Z_L), then relu'(Z_l) layer by layer."""
    L = len(caches)
    m = Y.shape[1]
    grads = {}
    dA = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    for layer in range(L, 0, -1):
        A_prev, W, Z = caches[layer - 1]
        if layer == L:
            dZ = dA * sigmoid_derivative(Z)
        else:
            dZ = dA * relu_derivative(Z)
        grads["dW" + str(layer)] = np.dot(dZ, A_prev.T) / m
        grads["db" + str(layer)] = np.sum(dZ, axis=1, keepdims=True) / m
        if layer > 1:
            dA = np.dot(W.T, dZ)
    return grads


def update(params, grads, learning_rate):
    """Plain gradient descent: a new dict with W - learning_rate dW and b - learning_rate db."""
    L = len(params) // 2
    new = {}
    for layer in range(1, L + 1):
        new["W" + str(layer)] = params["W" + str(layer)] - learning_rate * grads["dW" + str(layer)]
        new["b" + str(layer)] = params["b" + str(layer)] - learning_rate * grads["db" + str(layer)]
    return new


def train(X, Y, params, learning_rate, num_iterations):
    """num_iterations of forward, cost, backward, update. Returns (params, costs before each update)."""
    costs = []
    for _ in range(num_iterations):
        AL, caches = forward(X, params)
        costs.append(cost(AL, Y))
        grads = backward(AL, Y, caches)
        params = update(params, grads, learning_rate)
    return params, costs

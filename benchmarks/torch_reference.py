"""The course's network in PyTorch on the CPU, for the speed benchmark.

Same network (hidden ReLU layers, one sigmoid output unit folded into the
loss), same loss (``BCEWithLogitsLoss``, the mean cross-entropy on the
logits, i.e. course_lib's "stable" loss), the gradients from autograd, and
plain gradient descent written out under ``torch.no_grad()``. Each iteration
also reads the cost back as a Python float, as ``course_lib.fit`` records it.

Importing this module imports torch; ``benchmarks/run.py`` imports it only
when torch is installed.
"""

from __future__ import annotations

import numpy as np
import torch


class TorchNetwork:
    """Parameters as leaf tensors (copies of course_lib's), data as tensors of ``dtype``."""

    def __init__(self, X: np.ndarray, Y: np.ndarray, layers, dtype=torch.float64):
        self.X = torch.tensor(X, dtype=dtype)
        self.Y = torch.tensor(Y, dtype=dtype)
        self.weights = [torch.tensor(W, dtype=dtype, requires_grad=True) for W, _ in layers]
        self.biases = [torch.tensor(b, dtype=dtype, requires_grad=True) for _, b in layers]
        self.loss = torch.nn.BCEWithLogitsLoss()

    def logits(self) -> torch.Tensor:
        A = self.X
        last = len(self.weights) - 1
        for index, (W, b) in enumerate(zip(self.weights, self.biases)):
            Z = W @ A + b
            A = Z if index == last else torch.relu(Z)
        return A

    def train(self, learning_rate: float, num_iterations: int) -> list[float]:
        """num_iterations of forward, loss, backward, update; returns the cost before each update."""
        costs = []
        parameters = self.weights + self.biases
        for _ in range(num_iterations):
            loss = self.loss(self.logits(), self.Y)
            loss.backward()
            with torch.no_grad():
                for parameter in parameters:
                    parameter -= learning_rate * parameter.grad
                    parameter.grad = None
            costs.append(loss.item())
        return costs

    def params(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """The current parameters as float64 NumPy arrays, course_lib's layout."""
        return [
            (W.detach().to(torch.float64).numpy().copy(), b.detach().to(torch.float64).numpy().copy())
            for W, b in zip(self.weights, self.biases)
        ]

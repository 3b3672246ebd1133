"""The course's network in PyTorch on the CPU for the speed benchmark: ReLU layers, the output's sigmoid folded into
``BCEWithLogitsLoss`` (course_lib's stable loss), autograd, gradient descent under ``torch.no_grad()``, and the cost
read back as a Python float each iteration, as ``course_lib.fit`` records it. Imported only when torch is installed."""

from __future__ import annotations

import torch


class TorchNetwork:
    """Copies of course_lib's parameters [(W, b), ...] and of the data, as tensors of ``dtype`` ("float64", ...)."""

    def __init__(self, X, Y, layers, dtype: str = "float64"):
        dtype = getattr(torch, dtype)
        self.X, self.Y = torch.tensor(X, dtype=dtype), torch.tensor(Y, dtype=dtype)
        self.parameters = [torch.tensor(array, dtype=dtype, requires_grad=True) for layer in layers for array in layer]
        self.loss = torch.nn.BCEWithLogitsLoss()

    def logits(self) -> torch.Tensor:
        A, weights, biases = self.X, self.parameters[::2], self.parameters[1::2]
        for W, b in zip(weights[:-1], biases[:-1]):
            A = torch.relu(W @ A + b)
        return weights[-1] @ A + biases[-1]

    def train(self, learning_rate: float, num_iterations: int):
        """num_iterations of forward, loss, backward, update: (costs before each update, [(W, b), ...] after)."""
        costs = []
        for _ in range(num_iterations):
            loss = self.loss(self.logits(), self.Y)
            loss.backward()
            with torch.no_grad():
                for parameter in self.parameters:
                    parameter -= learning_rate * parameter.grad
                    parameter.grad = None
            costs.append(loss.item())
        arrays = [parameter.detach().to(torch.float64).numpy().copy() for parameter in self.parameters]
        return costs, list(zip(arrays[::2], arrays[1::2]))

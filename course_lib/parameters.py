"""The network's parameters: one ``LayerParams(W, b)`` per layer, in a list.

Index 0 of the list is layer 1 of the lecture notation (the first layer after
the input), so ``params[l - 1].W`` is the lecture's ``W[l]``. Gradients use the
same structure: ``grads[l - 1].W`` is ``dW[l]``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._validation import checked


class LayerParams(NamedTuple):
    """Weights and biases of one layer.

    W : (n_l, n_{l-1}) array
    b : (n_l, 1) array
    """

    W: np.ndarray
    b: np.ndarray


def layer_dims_of(params: list[LayerParams]) -> list[int]:
    """Layer sizes [n_0, n_1, ..., n_L] of a parameter list."""
    return [params[0].W.shape[1]] + [layer.W.shape[0] for layer in params]


def check_params(params, layer_dims: list[int] | None = None) -> list[LayerParams]:
    """Check that ``params`` is a list of (W, b) with consistent shapes.

    Parameters
    ----------
    params : list of LayerParams (or (W, b) pairs)
    layer_dims : optional list [n_0, ..., n_L] the shapes must match

    Returns the list as LayerParams. Raises ValueError naming the first layer
    whose shape is wrong and the shape it should have.
    """
    if isinstance(params, dict):
        raise ValueError(
            "params must be a list with one LayerParams(W, b) per layer, not a dict such as "
            "{'W1': ..., 'b1': ...}; build it with course_lib.init_params(layer_dims, rng)."
        )
    try:
        layers = [LayerParams(*layer) for layer in params]
    except TypeError:
        raise ValueError("params must be a list of (W, b) pairs, one per layer; build it with init_params.") from None
    if not layers:
        raise ValueError("params is empty; build it with init_params(layer_dims, rng).")
    expected = _layer_dims_of(layers) if layer_dims is None else layer_dims
    if len(expected) - 1 != len(layers):
        raise ValueError(f"params has {len(layers)} layers but layer_dims {expected} describes {len(expected) - 1}.")
    for index, (W, b) in enumerate(layers):
        n_prev, n_here = expected[index], expected[index + 1]
        if np.shape(W) != (n_here, n_prev):
            raise ValueError(
                f"params[{index}].W (W of layer {index + 1}) has shape {np.shape(W)}; with layer sizes "
                f"{expected} it must be ({n_here}, {n_prev}) = (units in this layer, units in the previous one)."
            )
        if np.shape(b) != (n_here, 1):
            raise ValueError(
                f"params[{index}].b (b of layer {index + 1}) has shape {np.shape(b)}; it must be "
                f"({n_here}, 1), a column."
            )
    return layers


def _layer_dims_of(layers: list[LayerParams]) -> list:
    """[n_0, ..., n_L] as the Ws' shapes say (None where a W is not a matrix)."""
    dims = [np.shape(layers[0].W)[1] if np.ndim(layers[0].W) == 2 else None]
    return dims + [np.shape(layer.W)[0] if np.ndim(layer.W) == 2 else None for layer in layers]


@checked()
def flatten_params(params: list[LayerParams]) -> np.ndarray:
    """All parameters in one vector (W then b, layer by layer), shape (P,)."""
    return np.concatenate([part.ravel() for layer in params for part in layer])


def unflatten_params(vector: np.ndarray, layer_dims: list[int]) -> list[LayerParams]:
    """Inverse of ``flatten_params``: a (P,) vector back to a list of LayerParams (copies)."""
    needed = count_params(layer_dims)
    if vector.size != needed:
        raise ValueError(f"vector has {vector.size} entries but layer_dims {layer_dims} needs {needed}.")
    layers, start = [], 0
    for n_prev, n_here in zip(layer_dims[:-1], layer_dims[1:]):
        W = vector[start : start + n_here * n_prev].reshape(n_here, n_prev).copy()
        start += n_here * n_prev
        b = vector[start : start + n_here].reshape(n_here, 1).copy()
        start += n_here
        layers.append(LayerParams(W, b))
    return layers


@checked()
def count_params(layer_dims: list[int]) -> int:
    """Number of parameters P of a network with these layer sizes."""
    return sum(n_here * (n_prev + 1) for n_prev, n_here in zip(layer_dims[:-1], layer_dims[1:]))

"""Parameter initialisation: step 1 of the course.

Each weight matrix is drawn from a standard normal and multiplied by a scale
that depends on the scheme; every bias starts at zero:

    small  : W[l] = randn(n_l, n_{l-1}) * 0.01          (the original question, the lecture)
    he     : W[l] = randn(n_l, n_{l-1}) * sqrt(2 / n_{l-1})    (He et al., 2015, for ReLU)
    xavier : W[l] = randn(n_l, n_{l-1}) * sqrt(1 / n_{l-1})    (LeCun et al., 1998, for tanh; often called "Xavier")
"""

from __future__ import annotations

import numpy as np

from ._validation import checked
from .parameters import LayerParams

SCHEMES = ("small", "he", "xavier")


def weight_scale(scheme: str, n_prev: int) -> float:
    """The factor that multiplies a standard-normal draw for a layer with n_prev inputs."""
    if scheme == "small":
        return 0.01
    if scheme == "he":
        return float(np.sqrt(2.0 / n_prev))
    return float(np.sqrt(1.0 / n_prev))


@checked()
def init_params(layer_dims, rng, scheme: str = "small") -> list[LayerParams]:
    """Initial parameters for a network with sizes ``layer_dims``.

    Parameters
    ----------
    layer_dims : list of int, [n_0, n_1, ..., n_L]; n_0 is the number of input features
    rng : np.random.Generator or np.random.RandomState
        Only ``rng.standard_normal`` is called, once per layer, for W only (b is zeros),
        so ``np.random.RandomState(3)`` reproduces ``np.random.seed(3)``
        followed by ``np.random.randn(n_l, n_{l-1}) * 0.01`` layer by layer.
    scheme : "small", "he" or "xavier"

    Returns
    -------
    list of LayerParams; entry l - 1 holds W[l] (n_l, n_{l-1}) and b[l] (n_l, 1).
    """
    params = []
    for n_prev, n_here in zip(layer_dims[:-1], layer_dims[1:]):
        W = rng.standard_normal((n_here, n_prev)) * weight_scale(scheme, n_prev)
        b = np.zeros((n_here, 1))
        params.append(LayerParams(W, b))
    return params

# %% [markdown]
# # 01 · Initialise the parameters
#
# **Goal.** Create the weights and biases of a network with any number of
# layers, know the shape of every one of them, and understand why the scale of
# the initial weights matters.
#
# This is the first of five steps that together train a network:
#
# **initialise** → forward → cost → backward → update (then repeat the last four).
#
# *The lecture*, in every notebook, means the popular deep-learning lecture
# series whose programming assignments the code of the original question
# (the course's first question, notebook 00) followed; the course keeps its
# conventions, with code and text of its own.

# %% [markdown]
# ## The maths
#
# A network with $L$ layers has $n_0$ input features and $n_l$ units in layer
# $l = 1, \dots, L$. We write the sizes as a list, `layer_dims` $= [n_0, n_1, \dots, n_L]$.
# The network in the course's first question has `layer_dims = [1, 1, 1]`:
# one input (the number $x$), one hidden unit, one output unit.
#
# Layer $l$ has a weight matrix and a bias column:
#
# $$W^{[l]} \in \mathbb{R}^{n_l \times n_{l-1}}, \qquad b^{[l]} \in \mathbb{R}^{n_l \times 1}.$$
#
# Row $j$ of $W^{[l]}$ holds the weights of unit $j$, one for each unit of the
# previous layer. With $m$ examples stored as the columns of
# $X \in \mathbb{R}^{n_0 \times m}$, this shape is what makes $W^{[l]} A^{[l-1]}$
# work for all examples at once (notebook 02).
#
# We draw every weight from a normal distribution and multiply by a scale; the
# biases start at zero:
#
# | scheme | scale of $W^{[l]}$ | meant for |
# | --- | --- | --- |
# | `small` | $0.01$ | the lecture code and the original question |
# | `he` | $\sqrt{2 / n_{l-1}}$ | ReLU layers (He et al., 2015) |
# | `xavier` | $\sqrt{1 / n_{l-1}}$ | tanh and sigmoid layers (both defined in notebook 02; LeCun et al., 1998) |
#
# A word on the name `xavier`. The scale $\sqrt{1 / n_{l-1}}$ is LeCun's
# (LeCun, Bottou, Orr and Müller, "Efficient BackProp", 1998). Xavier
# Glorot and Yoshua Bengio (2010) proposed
# $\sqrt{2 / (n_{l-1} + n_l)}$, which averages the layer's inputs and
# outputs; the two are equal only when a layer has as many units as inputs.
# Some libraries and lecture courses call the simpler one "Xavier" anyway
# (Caffe's `xavier` filler, for one: by default its weights have variance
# $1 / n_{l-1}$, set by the inputs alone, as its documentation of
# `XavierFiller` says; Jia et al., 2014, "Caffe: Convolutional Architecture
# for Fast Feature Embedding"), and so does `course_lib`'s scheme name:
# read `xavier` as "LeCun's scale".
#
# Why not start every weight at zero? Then every unit of a layer computes the
# same thing and receives the same gradient, so (in exact arithmetic) they stay identical for ever:
# a layer of 16 units behaves like one. Random weights break that symmetry.
# Why does the scale matter? Each layer multiplies its input by $W^{[l]}$; if
# the weights are too small, the signal shrinks layer after layer, and so do
# the gradients. Notebook 09 measures this on a deep network.

# %% [markdown]
# ## The code
#
# In `course_lib` the parameters are a **list with one entry per layer**.
# Entry `l - 1` is layer `l` of the maths: `params[0].W` is $W^{[1]}$.
# Each entry is a `LayerParams(W, b)`, a named pair, so you can write
# `params[0].W` or unpack it with `W, b = params[0]`.
#
# The library's function is `cl.init_params(layer_dims, rng, scheme)`. It
# takes the random generator `rng` as an argument instead of seeding
# NumPy's global generator. That way, initialising a network changes only
# the generator you hand it: NumPy's global generator, for one, is left
# exactly as it was (the first line printed below). (You will write
# this function yourself at the end of the notebook, and then see the
# library's code.)
#
# The network of the original question, initialised the way it was:

# %%
import numpy as np

import course_lib as cl
from course_lib.exercises import check, show_source

global_before = np.random.get_state()  # (name, keys, position, has_gauss, cached_gaussian)
params = cl.init_params([1, 1, 1], np.random.RandomState(3), scheme="small")
global_after = np.random.get_state()
untouched = (global_after[0] == global_before[0] and np.array_equal(global_after[1], global_before[1])
             and global_after[2:] == global_before[2:])
print("NumPy's global generator untouched (name, keys, position, cached Gaussian):", untouched)
for layer, (W, b) in enumerate(params, start=1):
    print(f"layer {layer}: W shape {W.shape}, b shape {b.shape}, W = {W.ravel().round(6)}, b = {b.ravel()}")

# %% [markdown]
# These are exactly the numbers that `np.random.seed(3)` followed by
# `np.random.randn(n_l, n_prev) * 0.01` gives, layer by layer: that is how
# the lecture's assignments initialise, and how the original question's code
# did (notebook 06 retells the question). We check that claim here, and then
# put NumPy's global generator back the way it was:

# %%
saved_state = np.random.get_state()
np.random.seed(3)
legacy = [np.random.randn(1, 1) * 0.01, np.zeros((1, 1)), np.random.randn(1, 1) * 0.01, np.zeros((1, 1))]
np.random.set_state(saved_state)
ours = [params[0].W, params[0].b, params[1].W, params[1].b]
print("identical to the lecture's initialisation:", all(np.array_equal(a, b) for a, b in zip(legacy, ours)))

# %% [markdown]
# Shapes for a deeper network, the one we will train on the breast-cancer
# data in notebook 05 (30 features, two hidden layers):

# %%
rng = np.random.default_rng(0)
deep = cl.init_params([30, 16, 8, 1], rng, scheme="he")
for layer, (W, b) in enumerate(deep, start=1):
    he_scale = np.sqrt(2 / W.shape[1])
    print(f"W[{layer}] {str(W.shape):>8}   b[{layer}] {str(b.shape):>7}   std of W {W.std():.3f}, He's scale {he_scale:.3f}")
print("number of parameters:", cl.count_params([30, 16, 8, 1]))
# How much does the std of only 8 weights vary? 10,000 more draws of 8 weights at He's scale for 8 inputs:
last_std, last_scale = float(deep[-1].W.std()), np.sqrt(2 / 8)
eight_stds = (np.random.default_rng(1).standard_normal((10_000, 8)) * last_scale).std(axis=1)
low, high = np.percentile(eight_stds, [5, 95])
print(f"std of 8 weights at scale {last_scale:.3f}: {last_std:.3f} or less in {np.mean(eight_stds <= last_std):.1%} "
      f"of 10,000 draws; the middle 90% lie between {low:.2f} and {high:.2f}")

# %% [markdown]
# The first two layers' measured spread is within 8% of He's scale (0.263
# against 0.258, 0.326 against 0.354). The last
# layer has only 8 weights, and their spread came out unusually low: in
# 10,000 more draws of 8 weights at He's scale, a spread of 0.233 or less
# came up 2.9% of the time, and the middle 90% of the spreads lie between
# 0.26 and 0.67 (the last line). With 8 weights the measured spread is a
# rough guide to the scale at best. Here are the three schemes side by side for one layer with 30
# inputs and 1000 units, big enough for an estimate precise to about 1%
# (below: 0.2558 against 0.2582, 0.1809 against 0.1826), beside the
# scales the table gives (and Glorot's, which no scheme here uses). Each
# row starts a new generator with the same seed, `default_rng(1)`, so all
# three draw the same normal numbers and differ only by the scale (the
# last line checks it):

# %%
n_prev, n_here = 30, 1000
formula = {"small": 0.01, "he": np.sqrt(2 / n_prev), "xavier": np.sqrt(1 / n_prev)}
unscaled = {}  # each scheme's W[1] divided by its scale: the normal numbers it drew
for scheme in ("small", "he", "xavier"):
    W = cl.init_params([n_prev, n_here, 1], np.random.default_rng(1), scheme=scheme)[0].W
    unscaled[scheme] = W / formula[scheme]
    print(f"{scheme:>6}: std of W[1] = {W.std():.4f}   the table's scale {formula[scheme]:.4f}")
print(f"Glorot's sqrt(2 / (n_prev + n_here)) for this layer: {np.sqrt(2 / (n_prev + n_here)):.4f}")
print("the three schemes drew the same numbers, up to the scale:",
      all(np.allclose(unscaled["small"], draw, rtol=1e-12, atol=0) for draw in unscaled.values()))

# %% [markdown]
# ## Your turn
#
# Write `initialize(layer_dims, rng)` that returns a list with one `(W, b)`
# pair per layer, using the `small` scheme: `W` drawn with
# `rng.standard_normal((n_l, n_prev))` and multiplied by 0.01, `b` zeros of
# shape `(n_l, 1)` (not drawn). Call `rng.standard_normal` once per layer,
# for `W` only, layer 1 first, so that your numbers match the check's.
#
# Replace the `raise` line with your code and run the cell. The check calls
# your function and the library's with the same random seeds and tells you
# the first thing that differs.

# %%
def initialize(layer_dims, rng):
    """Return [(W1, b1), (W2, b2), ...] with W[l] (n_l, n_{l-1}) and b[l] (n_l, 1)."""
    raise NotImplementedError  # your code here


check(initialize, "init_params")

# %% [markdown] tags=["solution"]
# <details>
# <summary><b>Show a solution</b> (try first!)</summary>
#
# ```python
# def initialize(layer_dims, rng):
#     params = []
#     for n_prev, n_here in zip(layer_dims[:-1], layer_dims[1:]):
#         W = rng.standard_normal((n_here, n_prev)) * 0.01
#         b = np.zeros((n_here, 1))
#         params.append((W, b))
#     return params
# ```
#
# `zip(layer_dims[:-1], layer_dims[1:])` walks over consecutive pairs
# $(n_{l-1}, n_l)$, one per layer.
# </details>

# %% [markdown]
# The library's version, read from the library itself. It is the same loop,
# with the scale chosen by `scheme` and each pair stored as a `LayerParams`
# (`@checked()` checks the arguments each time you call it yourself; the
# library's own calls to it skip the checks):

# %%
show_source(cl.init_params)

# %% [markdown]
# ## Summary
#
# - `layer_dims = [n_0, ..., n_L]`; layer $l$ has $W^{[l]}$ of shape
#   $(n_l, n_{l-1})$ and $b^{[l]}$ of shape $(n_l, 1)$.
# - In `course_lib`, `params[l - 1]` is layer $l$: a list, not a dict of
#   strings such as `"W1"`.
# - Random weights break the symmetry between units; their scale (`small`,
#   `he`, `xavier`) decides how big the signals and gradients are. The
#   scheme called `xavier` here is LeCun's $\sqrt{1/n_{l-1}}$, not Glorot's
#   $\sqrt{2/(n_{l-1} + n_l)}$.
# - Pass a random generator in; never reseed NumPy's global one inside a function.
#
# ## Questions to think about
#
# 1. How many parameters does `[1, 1, 1]` have? Write them out.
# 2. If every weight started at the same value 0.5, what would the 16 units of
#    a hidden layer compute after 1000 training steps?
# 3. He's scale for a layer with 1000 inputs is $\sqrt{2/1000} \approx 0.045$. The `small`
#    scheme uses 0.01 whatever the width. For which layers is `small` *bigger*
#    than He's scale?

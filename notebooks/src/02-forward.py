# %% [markdown]
# # 02 · Forward propagation
#
# **Goal.** Push a whole batch of examples through the network, layer by
# layer, and know the shape of every array on the way. Along the way: why the
# bias can be a single column, why the textbook sigmoid breaks for very
# negative inputs, and what each layer must remember for the backward pass.
#
# initialise → **forward** → cost → backward → update (then repeat the last four).

# %% [markdown]
# ## The maths
#
# The input matrix holds one example per column, $X \in \mathbb{R}^{n_0 \times m}$,
# and we call it $A^{[0]} = X$. Layer $l = 1, \dots, L$ does two things.
#
# **The linear step.** With $W^{[l]}$ of shape $(n_l, n_{l-1})$ and $b^{[l]}$ of shape $(n_l, 1)$,
# it gives the layer's *pre-activation* $Z^{[l]}$ (its values before the activation below):
#
# $$\underbrace{Z^{[l]}}_{(n_l,\, m)} = \underbrace{W^{[l]}}_{(n_l,\, n_{l-1})}\;\underbrace{A^{[l-1]}}_{(n_{l-1},\, m)} + \underbrace{b^{[l]}}_{(n_l,\, 1)} .$$
#
# Entry $(j, i)$ is unit $j$'s weighted sum for example $i$:
# $z^{[l]}_{j i} = \sum_k W^{[l]}_{j k}\, a^{[l-1]}_{k i} + b^{[l]}_j$. The
# same bias $b^{[l]}_j$ is added for every example $i$. Strictly, the sum of a
# $(n_l, m)$ matrix and a $(n_l, 1)$ column is not defined; what we mean is
# $W^{[l]} A^{[l-1]} + b^{[l]} \mathbf{1}_m^\top$, the column repeated $m$
# times. NumPy does that repetition for us: it *broadcasts* a column across
# the columns of a matrix, without copying it. A single example ($m = 1$) is
# no special case: $X$ is then one column, of shape $(n_0, 1)$, and every
# $Z^{[l]}$ and $A^{[l]}$ has shape $(n_l, 1)$ (the code below shows it).
#
# **The activation.** An elementwise function $g^{[l]}$ gives the layer's output
#
# $$\underbrace{A^{[l]}}_{(n_l,\, m)} = g^{[l]}\big(Z^{[l]}\big).$$
#
# The hidden layers use ReLU (or tanh); the output layer uses the sigmoid, so that
# $A^{[L]}$, of shape $(1, m)$ like the labels $Y$ (one 0 or 1 per example,
# 1 for class 1: odd, or malignant), is the predicted probability of class 1 for every example:
#
# $$\operatorname{relu}(z) = \max(0, z), \qquad \sigma(z) = \frac{1}{1 + e^{-z}}, \qquad \tanh(z) = \frac{e^{z} - e^{-z}}{e^{z} + e^{-z}}.$$
#
# **A stable sigmoid.** For very negative $z$, $e^{-z}$ is huge: from about
# $z = -710$ it overflows float64 (the next cells find the exact point),
# although $\sigma(z) \approx e^{z}$ is still a number float64 can hold
# there, with fewer digits, down to about $z = -745$ (notebook 03).
# Multiplying the numerator and the denominator by $e^{z}$ gives the same
# function in a form that only ever exponentiates a number $\le 0$:
#
# $$\sigma(z) = \begin{cases} \dfrac{1}{1 + e^{-|z|}} & z \ge 0, \\[2ex] \dfrac{e^{-|z|}}{1 + e^{-|z|}} & z < 0. \end{cases}$$

# %% [markdown]
# ## The code
#
# ### The linear step and broadcasting
#
# The library computes the linear step with `cl.linear_forward(A_prev, W, b)`.
# (At the end of this notebook you write it yourself, then see the
# library's code: it is one line.)

# %%
import math
import warnings

import matplotlib.pyplot as plt
import numpy as np

import course_lib as cl
from course_lib.exercises import check, show_source
from course_lib.plotting import OKABE_ITO

# %% [markdown]
# A small example with whole numbers, so you can check it by hand: a layer of
# 2 units with 3 inputs, applied to 4 examples.

# %%
W = np.array([[1.0, 0.0, -1.0],
              [2.0, 1.0, 0.0]])          # (2, 3): 2 units, 3 inputs each
A_prev = np.array([[1.0, 2.0, 3.0, 4.0],
                   [0.0, 1.0, 0.0, 1.0],
                   [1.0, 1.0, 2.0, 2.0]])  # (3, 4): 4 examples, one per column
b = np.array([[10.0],
              [100.0]])                  # (2, 1): one bias per unit
Z = cl.linear_forward(A_prev, W, b)
print("W @ A_prev:\n", W @ A_prev)
print("Z = W @ A_prev + b, shape", Z.shape, ":\n", Z)

# %% [markdown]
# Row 1 of `Z` got the first bias added to every column, row 2 the second:
# broadcasting repeated the column `b` across the examples. The
# shape `(n_l, 1)` matters. An easy slip is a 1-D bias of shape `(n_l,)`.
# NumPy lines up shapes from the *right*, so a 1-D `b` is treated as a **row**
# and added across the columns instead. With 4 examples the shapes do not
# fit and NumPy stops you; with as many examples as units, it silently adds
# the wrong numbers; and with a single example, kept as a column of shape
# `(3, 1)`, the column bias gives `Z` of shape `(2, 1)` as it should, while
# the 1-D bias silently turns it into a `(2, 2)` matrix (the last lines):

# %%
b_flat = b.ravel()  # shape (2,), no longer a column
try:
    W @ A_prev + b_flat
except ValueError as error:
    print("4 examples:", error)

two_examples = A_prev[:, :2]  # (3, 2): now m equals n_l
print("with b of shape (2, 1):\n", W @ two_examples + b)
print("with b of shape (2,):\n", W @ two_examples + b_flat)

one_example = A_prev[:, :1]  # (3, 1): m = 1, still a column
print("one example, b of shape (2, 1): Z of shape", (W @ one_example + b).shape)
print("one example, b of shape (2,):   Z of shape", (W @ one_example + b_flat).shape)

# %% [markdown]
# ### The activations
#
# ReLU and tanh are one NumPy call each, on a whole array at once (not a
# Python loop, nor `np.vectorize`); the sigmoid needs more care, as we will
# see:

# %%
show_source(cl.relu)

# %%
show_source(cl.tanh)

# %%
z = np.linspace(-5, 5, 201)
fig, ax = plt.subplots(figsize=(6.0, 3.6), layout="constrained")
ax.plot(z, cl.relu(z), color=OKABE_ITO[0], label="relu(z)")
ax.plot(z, cl.sigmoid(z), color=OKABE_ITO[1], linestyle="--", label="sigmoid(z)")
ax.plot(z, cl.tanh(z), color=OKABE_ITO[2], linestyle=":", label="tanh(z)")
ax.axhline(0, color="grey", linewidth=0.5)
ax.set_xlabel("pre-activation z")
ax.set_ylabel("activation g(z)")
ax.set_title("Sigmoid and tanh flatten out for large |z|; ReLU grows without bound")
ax.legend()
plt.show()

# %% [markdown]
# *Figure, in words:* One panel, with the pre-activation z on the horizontal
# axis, symmetric about 0, and the activation g(z) on the vertical axis; a
# thin grey horizontal line marks g = 0. Three curves, as the legend names
# them: relu(z) is a solid blue line, flat at 0 for negative z and then a
# straight line rising with slope 1; sigmoid(z) is an orange dashed S-shaped
# curve that climbs from just above 0 on the left, through 1/2 at z = 0, to
# just below 1 on the right; tanh(z) is a green dotted S-shaped curve, steeper
# than the sigmoid, that climbs from just above −1 to just below 1 and passes
# through 0 at z = 0. Towards both ends of the axis the sigmoid and tanh
# curves are almost flat, while the ReLU line keeps rising.

# %% [markdown]
# The sigmoid squeezes every real number into $(0, 1)$, which is why it is the
# output unit of a binary classifier; tanh squeezes into $(-1, 1)$ and is
# centred at 0. Near $z = 0$ both are almost straight lines: we will need that
# fact below.
#
# ### Why the textbook sigmoid breaks
#
# $e^{t}$ only fits in a float64 while $t$ is below the logarithm of the
# largest float64; beyond that, the result *overflows*:

# %%
largest_exp_argument = float(np.log(np.finfo(np.float64).max))
print(f"largest float64: {float(np.finfo(np.float64).max):.4g}, whose log is {largest_exp_argument:.6g}")


def textbook_sigmoid(Z):
    return 1.0 / (1.0 + np.exp(-Z))


# Turn NumPy's overflow warning into an error, so that we can catch it and print it.
with np.errstate(over="raise"):
    for z_value in (-709.0, -710.0):
        try:
            print(f"z = {z_value:g}: textbook sigmoid = {float(textbook_sigmoid(np.float64(z_value))):.4g}")
        except FloatingPointError as error:
            print(f"z = {z_value:g}: FloatingPointError: {error}")

# %% [markdown]
# So $e^{-z}$ overflows once $z$ is below about minus that number. With
# NumPy's default settings the program goes on: `exp` returns `inf`,
# `1 / (1 + inf)` gives 0, and NumPy issues a `RuntimeWarning`. Here we catch
# that warning and print it, instead of letting it through:

# %%
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    value = float(textbook_sigmoid(np.float64(-710.0)))
print(f"default settings, z = -710: value {value:g}; warnings issued: {len(caught)}")
for warning in caught:
    print(f"  {warning.category.__name__}: {warning.message}")

# %% [markdown]
# In a training loop such a warning is easy to scroll past. The code posted
# with the original question (notebook 06 retells the question) computed
# the sigmoid with `math.exp` wrapped in `np.vectorize`;
# `math.exp` does not warn, it stops the program:

# %%
try:
    math.exp(710.0)
except OverflowError as error:
    print("math.exp(710):", type(error).__name__, "-", error)

# %% [markdown]
# The library's sigmoid, `cl.sigmoid`, uses the two-case form from the
# maths: it only exponentiates $-|z| \le 0$, so `exp` returns a number in
# $[0, 1]$ (0 only once $|z|$ passes about 745, by underflow) and never
# overflows. (You write one yourself in exercise 2; the
# library's code comes after it.) Here it is under the same strict error
# setting that made the textbook version fail, on values far beyond the
# overflow point:

# %%
extreme = np.array([-1000.0, -710.0, -30.0, 0.0, 30.0, 710.0, 1000.0])
with np.errstate(over="raise", divide="raise", invalid="raise"):
    values = cl.sigmoid(extreme)
for z_value, s in zip(extreme, values):
    print(f"sigmoid({z_value:>7g}) = {float(s):.6g}")
print(f"1 - sigmoid(30) = {1 - float(values[extreme == 30.0][0]):.2g}; exactly 1.0 at z =", extreme[values == 1.0])

# %% [markdown]
# No error, and the tiny values for very negative $z$ are kept (below about
# $10^{-308}$ with fewer significant digits), until they are too small for
# any float64 and become 0: here at $z = -1000$ (notebook 03 explains both
# and finds exactly where). On the positive side, `sigmoid(30) = 1` is 1
# only at six digits: the last line shows it is short of 1 by about
# $10^{-13}$, and that only $z = 710$ and $z = 1000$ give exactly 1.0 here
# (notebook 03 finds where that starts). For ordinary inputs the
# two forms agree to within rounding:

# %%
z = np.linspace(-30, 30, 601)
print("stable and textbook sigmoid agree to 15 digits on [-30, 30]:",
      bool(np.allclose(cl.sigmoid(z), textbook_sigmoid(z), rtol=1e-15, atol=0)))

# %% [markdown]
# ### One layer, and what it keeps: the cache
#
# Each layer does the linear step, then its activation, and keeps a
# **cache** with what the backward pass (notebook 04) will need: the layer's
# input, its parameters and its pre-activation. The cache is a named tuple:

# %%
show_source(cl.LayerCache)

# %% [markdown]
# so `LayerCache(A_prev, W, b, Z)` makes one, and `cache.Z` or
# `A_prev, W, b, Z = cache` reads it. The layer's output $A^{[l]}$ is not in
# its cache: it is the *next* layer's `A_prev`, so it is stored there (and
# the last layer's output is returned).
#
# ### The whole network
#
# `cl.model_forward(X, params)` feeds each layer's output into the next one:
# ReLU in layers $1, \dots, L-1$ (or another `hidden_activation`), the
# sigmoid in layer $L$. It returns $A^{[L]}$ and a list with one cache per
# layer. You write it yourself in exercise 3; until then we use the
# library's.

# %% [markdown]
# ## Example 1: the original question's network
#
# The odd-or-even data (inputs $1, \dots, 10$ as one row), the network
# `[1, 1, 1]` and the initial weights of notebook 01:

# %%
X, Y = cl.odd_even()
params = cl.init_params([1, 1, 1], np.random.RandomState(3), scheme="small")
A_L, caches = cl.model_forward(X, params)
print("X   =", X)
print("Y   =", Y)
print("A_L =", A_L.round(6))

# %% [markdown]
# Every output is a hair above one half: at the start, the network gives
# every number even odds of being odd. Why? Follow one example through the two layers.
# The biases are zero, so $Z^{[1]} = W^{[1]} x$, and since $W^{[1]} > 0$ and
# $x > 0$, ReLU lets it through unchanged; then $Z^{[2]} = W^{[2]} W^{[1]} x$.
# Both weights are tiny, so their product is tinier still:

# %%
w1, w2 = float(params[0].W[0, 0]), float(params[1].W[0, 0])
print(f"W[1] = {w1:.4g}, W[2] = {w2:.4g}, product W[2] W[1] = {w2 * w1:.4g}")
for layer, cache in enumerate(caches, start=1):
    print(f"Z[{layer}] =", cache.Z.round(6))

# %% [markdown]
# Even for $x = 10$ the output's pre-activation $Z^{[2]}$ is tiny. Near 0 the
# sigmoid is almost a straight line, $\sigma(z) \approx \tfrac12 + \tfrac{z}{4}$
# (its slope at 0 is $\tfrac14$: the derivative of the sigmoid is
# $\sigma(z)\,(1 - \sigma(z))$, notebook 04 derives it, and
# $\sigma(0) = \tfrac12$), so the outputs sit just
# above one half, rising very slightly with $x$:

# %%
Z_L = caches[-1].Z
print("largest Z[2]:", f"{float(Z_L.max()):.4g}")
print("largest |A_L - (1/2 + Z[2]/4)|:", f"{float(np.abs(A_L - (0.5 + Z_L / 4)).max()):.2g}")

# %% [markdown]
# Keep `caches[-1].Z` in mind: it holds $Z^{[L]}$, the output's
# pre-activations (the *logits*), and notebook 03 computes the cost from them.
#
# ## Example 2: a deeper network on real data
#
# The breast-cancer data has 30 measurements of cell nuclei per example,
# stored as the rows of $X$, and a label per tumour: $y = 1$ for malignant,
# $y = 0$ for benign. So the network's output $A^{[L]}$ is its probability
# that a tumour is malignant, and an output below one half means "benign".
# We pass all the examples, unscaled, through the network `[30, 16, 8, 1]`
# with He initialisation (as in notebook 01) and look at every cache:

# %%
X_bc, Y_bc = cl.load_breast_cancer()
deep = cl.init_params([30, 16, 8, 1], np.random.default_rng(0), scheme="he")
A_bc, caches_bc = cl.model_forward(X_bc, deep)
print("X", X_bc.shape, "  Y", Y_bc.shape, "  A_L", A_bc.shape)
print("layer   A_prev        W         b        Z     largest |Z|")
for layer, cache in enumerate(caches_bc, start=1):
    shapes = "".join(f"{str(part.shape):>10}" for part in cache)
    print(f"{layer:>5}{shapes}   {float(np.abs(cache.Z).max()):>10.4g}")

# %% [markdown]
# Compare each row's `Z` column with the `A_prev` column of the row below:
# layer 1's `Z` is (16, 569) and layer 2's `A_prev` is (16, 569); layer 2's
# `Z` is (8, 569) and layer 3's `A_prev` is (8, 569). Each layer's `Z` has
# as many rows as it has units and one column per example, and after the
# activation it becomes the next layer's `A_prev`. `b` stays a single column
# whatever the number of examples.
#
# The last column is a warning sign. The features are not scaled, and two of
# them reach the thousands (first line below), so the pre-activations are
# huge and the output sigmoid is pushed far into its flat part: it is
# *saturated*, its output pinned near 0 or 1 where its slope is almost 0:

# %%
feature_max = X_bc.max(axis=1)
print(f"largest input value: {float(X_bc.max()):.4g}; features with a value above 1000: "
      f"{int(np.sum(feature_max > 1000))} of {X_bc.shape[0]}")
print(f"outputs A_L range from {float(A_bc.min()):.3g} to {float(A_bc.max()):.3g}")
print(f"tumours labelled malignant: {int(Y_bc.sum())} of {Y_bc.shape[1]}; "
      f"called malignant (A_L > 0.5) by the network: {int((A_bc > 0.5).sum())}")

# %% [markdown]
# Every output is far below one half: before any training, the network
# calls every tumour benign, and with a probability of malignancy of at
# most $7.5 \times 10^{-5}$, extremely sure of it, although 212 of them are
# malignant. Notebook 03 shows, on single examples, what confident wrong
# outputs cost, and notebook 08 shows what scaling the inputs changes.

# %% [markdown]
# ## Your turn
#
# ### Exercise 1: the linear step
#
# Write `linear_forward(A_prev, W, b)` that returns $Z = W A_{prev} + b$ for
# `A_prev` of shape `(n_prev, m)`, `W` of shape `(n_here, n_prev)` and `b`
# of shape `(n_here, 1)`. Use a matrix product, not a loop.
#
# Replace the `raise` line with your code and run the cell. The check calls
# your function and the library's on the same random inputs and tells you
# the first thing that differs.

# %%
def linear_forward(A_prev, W, b):
    """Return Z = W A_prev + b, of shape (n_here, m)."""
    raise NotImplementedError  # your code here


check(linear_forward, "linear_forward")

# %% [markdown] tags=["solution"]
# <details>
# <summary><b>Show a solution</b> (try first!)</summary>
#
# ```python
# def linear_forward(A_prev, W, b):
#     return W @ A_prev + b
# ```
#
# `@` is the matrix product (the same as `np.dot` for 2-D arrays). Adding
# `b`, of shape `(n_here, 1)`, broadcasts it across the `m` columns.
# </details>

# %% [markdown]
# ### Exercise 2: a sigmoid that never overflows
#
# Write `sigmoid(Z)` for an array `Z` of any shape. The check runs your
# function with NumPy's overflow warnings turned into errors, on inputs that
# include $z = -1000$ and $z = 1000$: the textbook formula fails at
# $z = -1000$. Use the two-case form from the maths. (You may find `np.abs`
# and `np.where` useful; but `np.where(cond, a, b)` computes both `a` and `b`
# for every entry before it picks, so neither branch may overflow anywhere:
# write each branch with `exp` of a non-positive number.)

# %%
def sigmoid(Z):
    """Return 1 / (1 + exp(-Z)), elementwise, without overflowing."""
    raise NotImplementedError  # your code here


check(sigmoid, "sigmoid")

# %% [markdown] tags=["solution"]
# <details>
# <summary><b>Show a solution</b> (try first!)</summary>
#
# ```python
# def sigmoid(Z):
#     Z = np.asarray(Z, dtype=float)
#     result = np.empty_like(Z)
#     positive = Z >= 0
#     # z >= 0: exp(-z) is in [0, 1], the textbook formula is safe
#     result[positive] = 1.0 / (1.0 + np.exp(-Z[positive]))
#     # z < 0: exp(z) is in [0, 1); multiply top and bottom by it
#     e = np.exp(Z[~positive])
#     result[~positive] = e / (1.0 + e)
#     return result
# ```
#
# This one applies each formula only to the entries it is meant for,
# using a boolean mask. The library's version, below, computes both
# branches everywhere with `np.where`; both are correct; compare them when
# you think about question 2 below.
# </details>

# %% [markdown]
# The library's two functions, read from the library itself. The one whose
# source starts with `@checked()`, `linear_forward`, checks its arguments
# each time you call it yourself; the library's own calls to it skip the checks:

# %%
show_source(cl.linear_forward)

# %%
show_source(cl.sigmoid)

# %% [markdown]
# `np.where` picks, entry by entry, the branch for $z \ge 0$ or for $z < 0$.
# It computes both branches everywhere, which is harmless here because
# neither can overflow.
#
# ### Exercise 3: the whole forward pass
#
# Write `model_forward(X, params)` for a network of any depth. `params` is a
# list with one `(W, b)` pair per layer, `params[l - 1]` for layer $l$.
# Layers $1, \dots, L-1$ use ReLU (`cl.relu`), layer $L$ the sigmoid. Return
# `A_L`, of shape `(1, m)`, and `caches`, a list with one
# `cl.LayerCache(A_prev, W, b, Z)` per layer, in order: layer 1's first.
# Use your `linear_forward` and `sigmoid` from exercises 1 and 2. If one of
# your earlier functions is still a stub, the check says which one is not
# written yet.
#
# The check runs your function and the library's on random networks of
# different depths and compares `A_L` and every entry of every cache.

# %%
def model_forward(X, params):
    """Return A_L (1, m) and caches, one cl.LayerCache(A_prev, W, b, Z) per layer."""
    raise NotImplementedError  # your code here


check(model_forward, "model_forward")

# %% [markdown] tags=["solution"]
# <details>
# <summary><b>Show a solution</b> (try first!)</summary>
#
# ```python
# def model_forward(X, params):
#     A = X                                   # A[0] = X, (n_0, m)
#     caches = []
#     last = len(params) - 1
#     for index, (W, b) in enumerate(params):
#         Z = linear_forward(A, W, b)         # (n_l, m)
#         caches.append(cl.LayerCache(A, W, b, Z))
#         A = sigmoid(Z) if index == last else cl.relu(Z)
#     return A, caches
# ```
#
# The cache takes `A`, the layer's *input*, before `A` is overwritten by
# the layer's output.
# </details>

# %% [markdown]
# The library's version splits the same loop in two: `layer_forward` does
# one layer (the linear step, the activation, the cache), and
# `model_forward` calls it for the hidden layers and then once with the
# sigmoid:

# %%
show_source(cl.layer_forward)

# %%
show_source(cl.model_forward)

# %% [markdown]
# ## Summary
#
# - Layer $l$ computes $Z^{[l]} = W^{[l]} A^{[l-1]} + b^{[l]}$, shape
#   $(n_l, m)$, then $A^{[l]} = g^{[l]}(Z^{[l]})$; one matrix product handles
#   all $m$ examples.
# - The bias is a column of shape $(n_l, 1)$ that NumPy broadcasts across the
#   examples; a 1-D bias broadcasts the wrong way.
# - The textbook sigmoid overflows in `exp` for very negative $z$; writing it
#   so that `exp` only sees $-|z|$ fixes that: the two forms agree to 15
#   digits on $[-30, 30]$, and the new one stays finite beyond.
# - Each layer keeps a `LayerCache(A_prev, W, b, Z)` for the backward pass;
#   `caches[-1].Z` holds the logits $Z^{[L]}$. The whole forward pass is a
#   loop over the layers: ReLU for the hidden ones, the sigmoid for the last.
# - With tiny initial weights, the original network outputs about one half for
#   every input; with unscaled inputs, the breast-cancer network starts out
#   saturated.
#
# ## Questions to think about
#
# 1. In the original network, what would the outputs be at the start if
#    $W^{[1]}$ were negative instead of positive? (Hint: what does ReLU do with a
#    negative $Z^{[1]}$?)
# 2. `np.where` evaluates both branches of the stable sigmoid everywhere. Why
#    would the same trick *not* work with the textbook formula in one branch?
# 3. The cache stores `A_prev`, `W`, `b` and `Z` but not `A`. Which of them
#    could be recomputed from the others, and what would that cost?
# 4. The breast-cancer outputs all lie far below one half before any training.
#    Which of the 30 features would you expect to dominate $Z^{[1]}$, and why?

# %% [markdown]
# # 04 · Backpropagation
#
# **Goal.** Compute the gradient of the cost with respect to every weight and
# bias in one backward pass, layer by layer, knowing the shape of every array
# on the way; see where the $\frac{1}{m}$ belongs; go through the output layer
# in two ways and see why one of them breaks; and check the result against
# finite differences, so that you need not trust a backward pass blindly: at
# the parameters and examples you check, you can test it.
#
# initialise → forward → cost → **backward** → update (then repeat the last four).

# %% [markdown]
# ## The maths
#
# ### What we are differentiating
#
# With $m$ examples as the columns of $X \in \mathbb{R}^{n_0 \times m}$ and labels
# $Y \in \mathbb{R}^{1 \times m}$, notebook 02 computed, for $l = 1, \dots, L$,
#
# $$Z^{[l]} = W^{[l]} A^{[l-1]} + b^{[l]} \in \mathbb{R}^{n_l \times m}, \qquad
# A^{[l]} = g^{[l]}(Z^{[l]}) \in \mathbb{R}^{n_l \times m}, \qquad A^{[0]} = X,$$
#
# with $W^{[l]} \in \mathbb{R}^{n_l \times n_{l-1}}$, $b^{[l]} \in \mathbb{R}^{n_l \times 1}$,
# ReLU for $g^{[l]}$ in the hidden layers and a sigmoid $\sigma$ for the output,
# $A^{[L]} \in \mathbb{R}^{1 \times m}$. Notebook 03 turned it into one number,
# the mean of the per-example losses:
#
# $$J = \frac{1}{m} \sum_{i=1}^{m} \mathcal{L}\big(a^{(i)}, y^{(i)}\big), \qquad
# \mathcal{L}(a, y) = -\big(y \log a + (1 - y) \log(1 - a)\big).$$
#
# **Notation.** $dW^{[l]}$ and $db^{[l]}$ mean $\partial J / \partial W^{[l]}$ and
# $\partial J / \partial b^{[l]}$: gradients of the *mean* cost, the numbers the
# update step needs. $dZ^{[l]}$ and $dA^{[l]}$ are different: column $i$ is
# the gradient of example $i$'s *own* loss $\mathcal{L}^{(i)}$ with respect to
# column $i$ of $Z^{[l]}$ or $A^{[l]}$. Nothing is averaged yet.
#
# ### One layer, backwards
#
# Given $dA^{[l]}$ (one column per example), the chain rule through
# $A^{[l]} = g(Z^{[l]})$ and then through $Z^{[l]} = W^{[l]} A^{[l-1]} + b^{[l]}$ gives
#
# $$
# \begin{aligned}
# dZ^{[l]} &= dA^{[l]} \odot g'(Z^{[l]})
#   && (n_l, m) = (n_l, m) \odot (n_l, m) \\
# dW^{[l]} &= \tfrac{1}{m}\, dZ^{[l]} \, A^{[l-1]\top}
#   && (n_l, n_{l-1}) = (n_l, m)\,(m, n_{l-1}) \\
# db^{[l]} &= \tfrac{1}{m} \textstyle\sum_{i=1}^{m} dZ^{[l]}_{:,i}
#   && (n_l, 1) \text{: the row sums of } dZ^{[l]} \\
# dA^{[l-1]} &= W^{[l]\top} dZ^{[l]}
#   && (n_{l-1}, m) = (n_{l-1}, n_l)\,(n_l, m)
# \end{aligned}
# $$
#
# where $\odot$ multiplies entry by entry and $g'$ is the derivative of the
# layer's activation, applied entry by entry. A useful habit: when you forget a
# transpose, the shapes on the right stop fitting, so write them down.
#
# ### The activations' derivatives
#
# For the three activations of notebook 02:
#
# $$\sigma'(z) = \sigma(z)\,\big(1 - \sigma(z)\big), \qquad
# \tanh'(z) = 1 - \tanh^2(z), \qquad
# \operatorname{relu}'(z) = \begin{cases} 1 & z > 0, \\ 0 & z \le 0. \end{cases}$$
#
# The first two are written through the function's own value. The forward
# pass computed that value, but a layer's cache keeps $Z$, not $A$ (notebook
# 02), so the backward pass computes it again from $Z$: one cheap elementwise
# call. For the sigmoid, differentiate
# $\sigma(z) = (1 + e^{-z})^{-1}$ with the chain rule:
#
# $$\sigma'(z) = \frac{e^{-z}}{(1 + e^{-z})^2}
#   = \frac{1}{1 + e^{-z}} \cdot \frac{e^{-z}}{1 + e^{-z}}
#   = \sigma(z)\,\big(1 - \sigma(z)\big),$$
#
# since $\frac{e^{-z}}{1 + e^{-z}} = 1 - \frac{1}{1 + e^{-z}}$. For tanh,
# the quotient rule on $\tanh = \sinh / \cosh$ gives
# $(\cosh^2 - \sinh^2) / \cosh^2 = 1 - \tanh^2$. The
# ReLU has no derivative at the kink $z = 0$; we take 0 there (the
# gradient check at the end of this notebook shows how it handles the kink).
#
# ### Where the $\frac{1}{m}$ lives, and why only there
#
# Every example uses the *same* $W^{[l]}$, so the gradient of $J$ with respect
# to $W^{[l]}$ adds up one contribution per example $i$, the outer product
# $dZ^{[l]}_{:,i} \big(A^{[l-1]}_{:,i}\big)^\top$ of the two matrices'
# columns $i$ (the subscript $:,i$ means "column $i$"; an outer product is
# a column times a row, here an $n_l \times n_{l-1}$ matrix), and the mean in $J$
# turns that sum into an average. The matrix product $dZ^{[l]} A^{[l-1]\top}$ *is* that sum over
# the columns, so dividing it by $m$ gives $dW^{[l]}$; the same holds for
# $db^{[l]}$. But column $i$ of $dA^{[l-1]}$ involves example $i$ alone: there
# is no sum over examples there and hence nothing to average. So the
# $\frac{1}{m}$ appears in exactly one function, `linear_backward`, on $dW$ and
# $db$ only. Put it into $dZ^{[L]}$ as well and every gradient comes out $m$
# times too small; leave it out and they come out $m$ times too large (we
# catch that bug with a gradient check below).
#
# ### The output layer, two ways
#
# **The lecture path** follows the chain rule literally. First the derivative
# of the loss with respect to the probability, then the sigmoid's derivative
# $\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$:
#
# $$dA^{[L]} = -\left(\frac{Y}{A^{[L]}} - \frac{1 - Y}{1 - A^{[L]}}\right), \qquad
# dZ^{[L]} = dA^{[L]} \odot A^{[L]} \odot (1 - A^{[L]}) \qquad (1, m).$$
#
# **The fused path** multiplies the two factors out by hand first. For one
# example, with $a = \sigma(z)$:
#
# $$-\left(\frac{y}{a} - \frac{1 - y}{1 - a}\right) a (1 - a)
#  = -\big(y (1 - a) - (1 - y)\, a\big)
#  = -\big(y - y a - a + y a\big)
#  = a - y,$$
#
# so
#
# $$dZ^{[L]} = A^{[L]} - Y \qquad (1, m).$$
#
# Mathematically the two are the same. Numerically they are not: the lecture
# path divides by $A^{[L]}$ and by $1 - A^{[L]}$, and in floating point the
# sigmoid of a large $z$ is *exactly* 1. Then $1 - A^{[L]} = 0$, the division
# gives $\infty$, and $\infty \times 0$ (the sigmoid's derivative there) gives
# `nan`. The fused path never divides. The shortcut holds for a sigmoid
# output with the binary cross-entropy, which is our case, and for a few
# other matched pairs (a softmax output with its many-class cross-entropy,
# a linear output with $\frac12 \times$ the squared error), not for an arbitrary pairing
# such as a sigmoid output with the squared error.

# %% [markdown]
# ## The code
#
# The library does the backward pass in three functions, each beside its
# forward twin in `course_lib/layers.py` and `course_lib/model.py`:
#
# | function | does | returns |
# | --- | --- | --- |
# | `cl.linear_backward(dZ, A_prev, W)` | the last three lines of the one-layer maths, where the $\frac{1}{m}$ lives | `dA_prev, dW, db` |
# | `cl.layer_backward(dA, cache, activation)` | $dZ = dA \odot g'(Z)$ with the cached $Z$, then `linear_backward` | `dA_prev, dW, db` |
# | `cl.model_backward(A_L, Y, caches, output_gradient=...)` | the output layer (either path), then the hidden layers from the last to the first | `grads` |
#
# `grads` is a list in the same order as the parameters: `grads[l - 1]` is the
# pair $(dW^{[l]}, db^{[l]})$, and `grads[l - 1].W` is $dW^{[l]}$.
# `output_gradient="lecture"` or `"fused"` chooses the path through the
# output layer. You write the derivatives, `linear_backward` and
# `model_backward` yourself in *Your turn*, and see the library's code
# after each exercise; until then we use the library's.

# %%
import traceback

import numpy as np

import course_lib as cl
from course_lib.exercises import check, show_source

# %% [markdown]
# ### Every shape, on a deeper network
#
# The breast-cancer data has 30 features per example. We standardise them
# (shift and scale each feature, each row of $X$, to mean 0 and standard
# deviation 1; notebook 05 does it too, notebook 07 says why and notebook 08
# shows what it fixes), take a
# small random subset of examples, and run
# one forward and one backward pass through a `[30, 16, 8, 1]` network.
# Each gradient has exactly the shape of the parameter it belongs to:

# %%
X_bc, Y_bc = cl.load_breast_cancer()
subset = np.random.default_rng(0).permutation(X_bc.shape[1])[:20]
scaler = cl.Standardizer.fit(X_bc)
X_small, Y_small = scaler.transform(X_bc[:, subset]), Y_bc[:, subset]
print(f"X_small {X_small.shape}, Y_small {Y_small.shape}, malignant examples: {int(Y_small.sum())}")

deep = cl.init_params([30, 16, 8, 1], np.random.default_rng(0), scheme="he")
A_L, caches = cl.model_forward(X_small, deep)
grads = cl.model_backward(A_L, Y_small, caches)
for layer, ((W, b), (dW, db), cache) in enumerate(zip(deep, grads, caches), start=1):
    print(
        f"layer {layer}: A_prev {str(cache.A_prev.shape):>8}  Z {str(cache.Z.shape):>8}   "
        f"W {str(W.shape):>8} dW {str(dW.shape):>8}   b {str(b.shape):>7} db {str(db.shape):>7}"
    )

# %% [markdown]
# ### The two output paths agree on the original network
#
# The network of the original question: one input, one ReLU unit, one sigmoid
# unit, initialised as in notebook 01, on the odd/even data.

# %%
X, Y = cl.odd_even()
params = cl.init_params([1, 1, 1], np.random.RandomState(3), scheme="small")
A_L, caches = cl.model_forward(X, params)
lecture = cl.model_backward(A_L, Y, caches, output_gradient="lecture")
fused = cl.model_backward(A_L, Y, caches, output_gradient="fused")
for layer, ((dW_l, db_l), (dW_f, db_f)) in enumerate(zip(lecture, fused), start=1):
    print(f"layer {layer}: lecture dW {float(dW_l[0, 0]):.6g}, db {float(db_l[0, 0]):.6g}")
    print(f"         fused   dW {float(dW_f[0, 0]):.6g}, db {float(db_f[0, 0]):.6g}")
# flatten_params puts every dW and db, layer by layer, in one vector
same = np.allclose(cl.flatten_params(lecture), cl.flatten_params(fused), rtol=1e-10, atol=0)
print("the two paths agree to 10 significant digits:", same)

# %% [markdown]
# ### ... until the sigmoid rounds to 1
#
# In float64, $1 + e^{-z}$ is exactly 1 once $e^{-z}$ is at most half the
# gap between 1 and the next float64 above it, that is at most $2^{-53}$
# (a tie goes to 1; notebook 03), so the sigmoid returns exactly 1.0. The smallest whole
# number for which that happens:

# %%
z = np.arange(30, 41)
print("sigmoid(z) == 1.0 exactly from z =", int(z[cl.sigmoid(z) == 1.0][0]))

# %% [markdown]
# Now make one weight big: set the output weight $W^{[2]}$ to 1000 and keep
# everything else. The logits grow with $x$, and for most examples the
# sigmoid rounds to exactly 1.

# %%
big = [params[0], cl.LayerParams(np.array([[1000.0]]), params[1].b)]
A_L, caches = cl.model_forward(X, big)
print("Z_L          :", caches[-1].Z.ravel().round(1))
print("A_L == 1.0   :", (A_L == 1.0).ravel())

# %% [markdown]
# Follow the lecture path one factor at a time. For an even number ($y = 0$)
# with $a = 1$, the first factor divides by $1 - a = 0$ and gives $\infty$
# (for an odd one it is $0/0$, already `nan`); the sigmoid's derivative there
# is exactly 0; and $\infty \times 0$ is `nan`. NumPy would warn about the
# $\infty \times 0$; we silence that warning here with `np.errstate` because
# the `nan` itself is what we want to look at.

# %%
def show(row):
    """A (1, m) array as one line, each entry with 3 significant digits."""
    return " ".join(f"{float(v):>9.3g}" for v in row.ravel())


dA_L = cl.cross_entropy_naive_gradient(A_L, Y)  # silent by design: it is the naive formula
slope = cl.sigmoid_derivative(caches[-1].Z)
with np.errstate(invalid="ignore"):  # inf * 0 -> nan, on purpose
    dZ_lecture = dA_L * slope
print("x              :", show(X))
print("dA_L           :", show(dA_L))
print("sigmoid'(Z_L)  :", show(slope))
print("dZ_L (lecture) :", show(dZ_lecture))
print("dZ_L (fused)   :", show(A_L - Y))

# %% [markdown]
# Look at $x = 2$: there $a$ is not quite 1, the first factor is enormous and
# the second tiny, and their product still comes out right. From $x = 3$ on,
# $a$ is exactly 1 and there is nothing left to rescue.
#
# A `nan` in $dZ^{[L]}$, even a single one, poisons every gradient: $dW$
# sums over all examples, and a sum with a `nan` in it is `nan`; and
# $dA^{[L-1]} = W^{[L]\top} dZ^{[L]}$ carries the `nan` into the layer below,
# where the same sums spread it again (the last line of the next cell: with
# $W^{[2]} = 210$ a single output is exactly 1, and all four gradients are
# `nan`). The fused path stays finite (next cell). Its layer-1 gradients,
# `dW1` and `db1` there, are large because $dA^{[1]} = W^{[2]\top} dZ^{[2]}$
# multiplies the output error $a - y$, about 1 on every even number (the
# last line above), by $W^{[2]} = 1000$; the layer-2 gradient $dW^{[2]}$
# stays small because it multiplies the same error by the hidden output
# $A^{[1]}$, which the tiny $W^{[1]}$ keeps small.

# %%
with np.errstate(invalid="ignore", divide="ignore"):  # the lecture path's inf * 0, on purpose
    lecture = cl.model_backward(A_L, Y, caches, output_gradient="lecture")
fused = cl.model_backward(A_L, Y, caches, output_gradient="fused")
for name, grads in (("lecture", lecture), ("fused", fused)):
    flat = cl.flatten_params(grads)
    print(f"{name:>7}: dW1, db1, dW2, db2 = {show(flat)}   all finite: {bool(np.isfinite(flat).all())}")
# A single saturated example is enough: with W2 = 210 only one output rounds to exactly 1.
A_210, caches_210 = cl.model_forward(X, [params[0], cl.LayerParams(np.array([[210.0]]), params[1].b)])
with np.errstate(invalid="ignore", divide="ignore"):
    one_nan = cl.flatten_params(cl.model_backward(A_210, Y, caches_210, output_gradient="lecture"))
print(f"W2 = 210, lecture: outputs exactly 1 at x = {X[A_210 == 1.0]}; dW1, db1, dW2, db2 = {show(one_nan)}")

# %% [markdown]
# The `fit` function of notebook 05 stops a run at the first step where a
# cost or gradient becomes inf or nan, and says so (notebook 05 shows such a
# stop); with the naive loss and the lecture path that happens as soon as an
# output rounds to exactly 0 or 1 (notebook 06 shows it on real data), while
# the fused path keeps finite gradients, so
# training can go on from there. From now on the course uses the fused path
# unless it says otherwise.

# %% [markdown]
# ## Your turn
#
# Three exercises build the whole backward pass: the activations'
# derivatives, one layer's linear step, and the network. In each, replace
# the `raise` line with your code and run the cell; the check runs your
# function and the library's on the same random inputs and names the first
# thing that differs.
#
# ### Exercise 1: the activations' derivatives
#
# Write each derivative as a function of $Z$ (any shape), returning
# $dA/dZ$ entry by entry, with the formulas of the maths. Use
# `cl.sigmoid` (your own from notebook 02 is not defined in this notebook's
# session: paste it in first if you want to use it) and `np.tanh`; for the ReLU,
# 1 where $Z > 0$ and 0 elsewhere (floats are tidiest; a boolean array also
# passes, because NumPy treats `True` as 1).

# %%
def sigmoid_derivative(Z):
    """Return sigma(Z) (1 - sigma(Z)), elementwise, same shape as Z."""
    raise NotImplementedError  # your code here


check(sigmoid_derivative, "sigmoid_derivative")

# %% [markdown] tags=["solution"]
# <details>
# <summary><b>Show a solution</b> (try first!)</summary>
#
# ```python
# def sigmoid_derivative(Z):
#     s = cl.sigmoid(Z)
#     return s * (1 - s)
# ```
#
# Computing $\sigma$ once and reusing it is cheaper than calling it twice.
# </details>

# %%
def relu_derivative(Z):
    """Return 1.0 where Z > 0 and 0.0 elsewhere (also at Z = 0), same shape as Z."""
    raise NotImplementedError  # your code here


check(relu_derivative, "relu_derivative")

# %% [markdown] tags=["solution"]
# <details>
# <summary><b>Show a solution</b> (try first!)</summary>
#
# ```python
# def relu_derivative(Z):
#     return (Z > 0).astype(float)
# ```
#
# `Z > 0` is an array of booleans; `.astype(float)` turns them into 1.0 and
# 0.0. `np.where(Z > 0, 1.0, 0.0)` is the same.
# </details>

# %%
def tanh_derivative(Z):
    """Return 1 - tanh(Z)^2, elementwise, same shape as Z."""
    raise NotImplementedError  # your code here


check(tanh_derivative, "tanh_derivative")

# %% [markdown] tags=["solution"]
# <details>
# <summary><b>Show a solution</b> (try first!)</summary>
#
# ```python
# def tanh_derivative(Z):
#     return 1 - np.tanh(Z) ** 2
# ```
# </details>

# %% [markdown]
# The library keeps each derivative right beside its function, in
# `course_lib/activations.py`:

# %%
show_source(cl.activations)

# %% [markdown]
# ### Exercise 2: one layer's linear step, backwards
#
# Write `linear_backward(dZ, A_prev, W)` that returns `(dA_prev, dW, db)` for
# one layer, following the four shapes in the maths:
# `dZ` is `(n_l, m)`, `A_prev` is `(n_{l-1}, m)`, `W` is `(n_l, n_{l-1})`;
# `dA_prev` must be `(n_{l-1}, m)`, `dW` `(n_l, n_{l-1})` and `db` `(n_l, 1)`.
# Remember where the $\frac{1}{m}$ goes, and keep `db` a column.

# %%
def linear_backward(dZ, A_prev, W):
    """Return dA_prev (n_{l-1}, m), dW (n_l, n_{l-1}), db (n_l, 1)."""
    raise NotImplementedError  # your code here


check(linear_backward, "linear_backward")

# %% [markdown] tags=["solution"]
# <details>
# <summary><b>Show a solution</b> (try first!)</summary>
#
# ```python
# def linear_backward(dZ, A_prev, W):
#     m = A_prev.shape[1]
#     dW = (dZ @ A_prev.T) / m                     # sum of the m outer products, averaged
#     db = np.sum(dZ, axis=1, keepdims=True) / m   # row sums; keepdims keeps it (n_l, 1)
#     dA_prev = W.T @ dZ                           # one column per example: no 1/m here
#     return dA_prev, dW, db
# ```
#
# Without `keepdims=True`, `db` has shape `(n_l,)` instead of `(n_l, 1)`,
# and `b - learning_rate * db` would then broadcast into an `(n_l, n_l)` matrix.
# </details>


# %% [markdown]
# The library's version (`need_dA_prev=False` lets `model_backward` skip
# $dA^{[0]}$, the gradient with respect to $X$, which nothing uses):

# %%
show_source(cl.linear_backward)

# %% [markdown]
# ### Exercise 3: the whole backward pass
#
# Write `model_backward(A_L, Y, caches)` for the network of notebook 02
# (ReLU hidden layers, a sigmoid output), with the lecture's path through
# the output layer. `A_L` and `Y` are `(1, m)`; `caches` is the list that
# `model_forward` returns, one `LayerCache(A_prev, W, b, Z)` per layer.
#
# 1. Start from $dA^{[L]} = -\big(Y / A^{[L]} - (1 - Y) / (1 - A^{[L]})\big)$.
# 2. For each layer, from the last to the first: $dZ = dA \odot g'(Z)$ with
#    the cached $Z$ (your `sigmoid_derivative` for layer $L$, your
#    `relu_derivative` for the others), then your `linear_backward` gives
#    $dA^{[l-1]}$, $dW^{[l]}$ and $db^{[l]}$.
# 3. Return the list of `(dW, db)` pairs in layer order: layer 1's first.
#
# If one of your earlier functions is still a stub, the check says which one
# is not written yet.

# %%
def model_backward(A_L, Y, caches):
    """Return grads, a list of (dW, db), grads[l - 1] for layer l, shaped like the parameters."""
    raise NotImplementedError  # your code here


check(model_backward, "model_backward")

# %% [markdown] tags=["solution"]
# <details>
# <summary><b>Show a solution</b> (try first!)</summary>
#
# ```python
# def model_backward(A_L, Y, caches):
#     dA = -(Y / A_L - (1 - Y) / (1 - A_L))          # dA[L], (1, m)
#     grads = []
#     last = len(caches) - 1
#     for index in reversed(range(len(caches))):     # layer L first
#         A_prev, W, b, Z = caches[index]
#         derivative = sigmoid_derivative if index == last else relu_derivative
#         dZ = dA * derivative(Z)                    # (n_l, m)
#         dA, dW, db = linear_backward(dZ, A_prev, W)
#         grads.append((dW, db))
#     return grads[::-1]                             # back to layer order
# ```
#
# The loop walks the caches backwards and collects the gradients in that
# order, so the list is reversed at the end. `dA` is overwritten with
# $dA^{[l-1]}$ each time: it is the next layer's input, going backwards.
# </details>

# %% [markdown]
# The library's version puts the activation step into `layer_backward`, and
# computes the output layer either way:

# %%
show_source(cl.layer_backward)

# %%
show_source(cl.model_backward)

# %% [markdown]
# ## Gradient checking
#
# How do you know a backward pass is right? Compare it with what the
# definition of a derivative gives. Put all parameters in one vector $\theta$
# (every $W^{[l]}$ and $b^{[l]}$, flattened) and nudge one entry at a time by
# a small $\varepsilon$ in both directions:
#
# $$\frac{\partial J}{\partial \theta_i} \approx
# \frac{J(\theta + \varepsilon e_i) - J(\theta - \varepsilon e_i)}{2 \varepsilon},$$
#
# where $e_i$ is the vector with 1 in entry $i$ and 0 elsewhere. The error
# of this approximation shrinks like $\varepsilon^2$. Compare the whole vector of these
# approximations, $g_\text{approx}$, with backprop's gradient $g$ through the
# relative error
#
# $$\frac{\lVert g - g_\text{approx} \rVert}{\lVert g \rVert + \lVert g_\text{approx} \rVert}.$$
#
# A correct backward pass gives a tiny number, set by floating-point
# rounding in the differences; the two bugs shown below give 0.9 and 0.46,
# many orders of magnitude larger. It costs two forward
# passes per parameter, so it is a test, not part of training. The library's
# version follows. It uses three helpers from its module,
# `course_lib/gradcheck.py`. `_Probe` moves one entry of $\theta$ by a given
# step, runs the forward pass and returns the logits and which hidden ReLUs
# are on; it also computes the difference of two costs directly from the
# logits, so that a tiny gradient keeps its digits. `_component` measures
# one entry of $g_\text{approx}$: the centred difference when neither step
# moves a hidden unit across the ReLU's kink at 0, otherwise a one-sided
# difference from a side that does not (the labels `SMOOTH`, `ONE_SIDED` and
# `BOTH_SIDES_CROSS` name the three outcomes; kinks are explained after the
# results). `_relative_error` is the formula above, except that a
# difference no larger than the rounding of the costs counts as 0.

# %%
show_source(cl.gradient_check)


# %% [markdown]
# We check both output paths (the lecture path with the naive loss, the fused
# path with the stable loss of notebook 03) on the original network, on the
# same network with the big weight, and on the `[30, 16, 8, 1]` network with
# the breast-cancer subset. A relative error this small is rounding noise:
# its digits can change with the machine and the BLAS library (the compiled
# linear-algebra routines NumPy calls for matrix products), so we print only
# whether it is below the threshold of $10^{-7}$ (run
# `cl.gradient_check(...).relative_error` yourself to see the number on your
# machine). Large errors, the ones that reveal bugs, we print in full.

# %%
def describe(error):
    """A relative error as text: pass/fail against 1e-7, and the value when it is large enough to be stable."""
    if not np.isfinite(error):
        return f"{error}  (the check itself broke: the gradient is not a number)"
    if error < 1e-7:
        return "below 1e-7: True"
    return f"{error:.2g}  below 1e-7: False"


cases = [
    ("original [1, 1, 1]", X, Y, params),
    ("[1, 1, 1], W2 = 1000", X, Y, big),
    ("[30, 16, 8, 1], 20 ex.", X_small, Y_small, deep),
]
lines = []
for name, X_case, Y_case, params_case in cases:
    for path, loss in (("lecture", "naive"), ("fused", "stable")):
        result = cl.gradient_check(X_case, Y_case, params_case, loss=loss)
        lines.append(f"{name:<23} {path:>7}: {describe(result.relative_error):<24} kinks: {result.kinks}"
                     f"  excluded: {len(result.excluded)}")
print("\n".join(lines))

# %% [markdown]
# Every check that could be evaluated passed; the one that broke is the
# lecture path with the big weight, whose gradient is `nan` (above), and
# the fused path passes on the same network.
#
# One trap when you write a finite-difference check of your own: right after
# initialisation every bias is zero, so a unit whose inputs are all zero sits
# exactly on the ReLU's kink at $Z = 0$. There the two sides of a plain
# centred difference see different slopes, and it can be off by far more
# than rounding although backprop is right. `cl.gradient_check` watches for this: when a step of
# $\varepsilon$ moves a hidden unit across 0, it measures that component
# again from the side that does not cross, and counts it in the result's
# field `kinks` (the `kinks` column above: 0 everywhere there, so none of those
# checks needed it); a component whose both sides cross even with a much
# smaller step is left out of the error and its index listed in the field
# `excluded` (empty in every check of this notebook: the last column above,
# and the cell below). A tiny case: the `[1, 1, 1]` network with $W^{[1]} = 1$ and
# $b^{[1]} = -3$, so that the hidden unit sits exactly on its kink for
# $x = 3$. Two more names appear in the cell: `cl.cost_and_gradients(X, Y,
# params)` returns the pair (cost, gradients), and the `GradientCheck` that
# `cl.gradient_check` returns has, besides `relative_error`, `kinks` and
# `excluded`, the fields `gradient` (backprop's, all parameters in one
# vector) and `approximation` (the finite differences, in the same order):

# %%
on_kink = [cl.LayerParams(np.array([[1.0]]), np.array([[-3.0]])), cl.LayerParams(np.array([[0.5]]), np.array([[0.0]]))]
_, kink_caches = cl.model_forward(X, on_kink)
print("Z[1] =", kink_caches[0].Z.ravel())


def cost_with_W1(w1):
    """The stable cost of on_kink with W[1] replaced by w1."""
    moved = [cl.LayerParams(np.array([[w1]]), on_kink[0].b), on_kink[1]]
    return cl.cost_and_gradients(X, Y, moved)[0]


epsilon = 1e-6
plain = (cost_with_W1(1 + epsilon) - cost_with_W1(1 - epsilon)) / (2 * epsilon)
kink_check = cl.gradient_check(X, Y, on_kink)
backprop = float(kink_check.gradient[0])
print(f"dW1: backprop {backprop:.4f}, plain centred difference {plain:.4f} ({abs(plain - backprop) / backprop:.1%} off), "
      f"gradient_check {float(kink_check.approximation[0]):.4f}")
print(f"gradient_check: {describe(kink_check.relative_error)}, kinks {kink_check.kinks}, "
      f"excluded {kink_check.excluded}")

# %% [markdown]
# The plain centred difference is 3.4% off: its step up switches the unit
# on for $x = 3$, its step down does not. `gradient_check` measured the two components that cross, $W^{[1]}$ and
# $b^{[1]}$, from the side that does not (`kinks` 2), agrees with backprop,
# and had nothing to leave out (`excluded` is empty). In your own check,
# evaluate at parameters taken after a few training steps, or give the
# biases small random values first.
#
# ### What a bug looks like
#
# `gradient_check` always tests the library's own backward pass. To see what
# a *wrong* one gives, we write a small backward pass here with two
# slips that can be switched on, and compare its gradient with the
# finite-difference approximation that `gradient_check` returns:
#
# - `"forget 1/m"`: `dW = dZ @ A_prev.T` and `db` the plain row sums;
# - `"forget relu'"`: `dZ = dA` in the hidden layers, as if $g'(Z)$ were always 1.
#
# Neither slip changes a single shape, so no error message would ever point to it.

# %%
def backward_with_bug(X, Y, params, bug=None):
    """Fused-path backprop for a ReLU network, optionally with one deliberate mistake."""
    A_L, caches = cl.model_forward(X, params)
    m = X.shape[1]
    divide_by = 1 if bug == "forget 1/m" else m
    dZ = A_L - Y  # the output layer, fused path
    grads = []
    for cache in reversed(caches):
        grads.append(cl.LayerParams(dZ @ cache.A_prev.T / divide_by, dZ.sum(axis=1, keepdims=True) / divide_by))
        dA_prev = cache.W.T @ dZ
        # Through the ReLU of the layer below: relu'(Z_prev) is 1 exactly where A_prev = relu(Z_prev) > 0.
        dZ = dA_prev if bug == "forget relu'" else dA_prev * (cache.A_prev > 0)
    return grads[::-1]


def relative_error(g, g_approx):
    return float(np.linalg.norm(g - g_approx) / (np.linalg.norm(g) + np.linalg.norm(g_approx)))


reference = cl.gradient_check(X_small, Y_small, deep)
m = X_small.shape[1]
for bug in (None, "forget 1/m", "forget relu'"):
    g = cl.flatten_params(backward_with_bug(X_small, Y_small, deep, bug))
    print(f"{str(bug):>13}: relative error {describe(relative_error(g, reference.approximation))}")
print(f"(m - 1) / (m + 1) with m = {m}: {(m - 1) / (m + 1):.2g}")

# %% [markdown]
# Without a bug our few lines agree with finite differences, below
# $10^{-7}$ like the library. Forgetting the $\frac{1}{m}$ makes every entry exactly $m$
# times too big, so the relative error is
# $\frac{(m-1)\lVert g \rVert}{(m+1)\lVert g \rVert} = \frac{m-1}{m+1}$,
# the number printed on the last line. That bug is sneaky: the gradient still
# points in the right direction, so each step acts as if the learning rate
# were $m$ times bigger. With a small enough rate training still goes
# downhill; with a rate chosen for the correct gradient it may rise, which is this course's subject;
# and the rate that works would change with the size of the data set. Forgetting the ReLU's derivative
# sends gradient through units that were off, and the check catches that too.
#
# The same test for your own `model_backward` from exercise 3 (the naive
# cost and the lecture's path have the same gradient as the stable cost
# wherever both are finite, so the same finite differences serve):

# %%
A_small, caches_small = cl.model_forward(X_small, deep)
try:
    yours = cl.flatten_params(model_backward(A_small, Y_small, caches_small))
except NotImplementedError as unwritten:
    # name the exercise function that is still a stub: model_backward itself, or one it calls
    stub = traceback.extract_tb(unwritten.__traceback__)[-1].name
    print(f"your model_backward: not run yet, because {stub} is not written yet")
else:
    print(f"your model_backward: relative error {describe(relative_error(yours, reference.approximation))}")

# %% [markdown]
# ## Summary
#
# - The activations' derivatives are written through their own values:
#   $\sigma' = \sigma(1 - \sigma)$, $\tanh' = 1 - \tanh^2$; the ReLU's is
#   1 for $z > 0$ and 0 otherwise.
# - Backward through one layer: $dZ = dA \odot g'(Z)$,
#   $dW = \frac{1}{m} dZ A_\text{prev}^\top$, $db = \frac{1}{m}$ (row sums of $dZ$),
#   $dA_\text{prev} = W^\top dZ$. Each gradient has its parameter's shape.
# - The whole backward pass walks the caches from the last layer to the
#   first, and returns the gradients in layer order.
# - The $\frac{1}{m}$ belongs to $dW$ and $db$ only, because only they add up
#   over the examples; in `course_lib` it lives in `linear_backward`.
# - Through a sigmoid output with cross-entropy, $dZ^{[L]} = A^{[L]} - Y$. The
#   lecture path computes the same number in two factors, and gives `nan`
#   as soon as the sigmoid rounds to exactly 1; the fused path stays finite.
# - Gradient checking compares backprop with centred finite differences: a
#   tiny relative error is strong evidence that the backward pass is right
#   (at the parameters and examples checked); one many orders of
#   magnitude larger (0.9 and 0.46 for the two slips shown) means a bug, even
#   one that leaves every shape intact.
#
# ## Questions to think about
#
# 1. If you divided by $m$ both in $dZ^{[L]}$ and in `linear_backward`, what
#    would the gradient check print for the 20-example subset?
# 2. The lecture path fails when $A^{[L]}$ rounds to 1. Can it also fail when
#    $A^{[L]}$ is close to 0, and at which $z$? (Try `cl.sigmoid` on large
#    negative numbers.)
# 3. Why is the finite-difference check done with $\theta \pm \varepsilon$
#    rather than with $\theta + \varepsilon$ alone? What happens to the
#    relative error if $\varepsilon$ is $10^{-12}$? If it is $10^{-2}$?
# 4. The ReLU has no derivative at $Z = 0$; the library uses 0 there. When
#    could a gradient check fail only because some $Z$ sits within
#    $\varepsilon$ of 0?

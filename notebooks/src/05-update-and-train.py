# %% [markdown]
# # 05 · Update and train
#
# **Goal.** Take a step downhill with the gradients of notebook 04, repeat the
# five steps in a loop, and read what the loop reports. We train twice: the
# network of the original question, where we meet the rising cost that this
# course is about, and a real classifier on the breast-cancer data, which
# works.
#
# initialise → forward → cost → backward → **update** (then repeat the last four).

# %% [markdown]
# ## The maths
#
# ### One step
#
# Gradient descent moves every parameter a little against its gradient. With a
# learning rate (step size) $\alpha > 0$, for every layer $l = 1, \dots, L$:
#
# $$
# \begin{aligned}
# W^{[l]} &\leftarrow W^{[l]} - \alpha \, dW^{[l]} && (n_l, n_{l-1}) \\
# b^{[l]} &\leftarrow b^{[l]} - \alpha \, db^{[l]} && (n_l, 1)
# \end{aligned}
# $$
#
# or, with all parameters in one vector $\theta$ and the gradient
# $g = \nabla_\theta J$, simply $\theta \leftarrow \theta - \alpha\, g$. Each
# gradient has its parameter's shape (notebook 04), so the update is an
# entry-by-entry subtraction: no transposes, no broadcasting.
#
# ### Why it goes downhill, and when it might not
#
# For a small step, the cost changes by about the gradient times the step:
#
# $$J(\theta - \alpha g) \approx J(\theta) - \alpha\, g^\top g,$$
#
# and $g^\top g > 0$ whenever the gradient is not zero, so a *small enough*
# step always lowers the cost. That approximation ignores the curvature of
# $J$. The next term of the Taylor series is
# $+\frac{\alpha^2}{2}\, g^\top H g$, with $H$ the matrix of second
# derivatives; it grows with the *square* of $\alpha$, and for a large enough
# step it wins and the cost goes *up*. Notebooks 06 and 07 are about exactly that.
#
# ### The loop
#
# With $X$ of shape $(n_0, m)$ (one example per column) and $Y$ of shape $(1, m)$:
#
# 1. initialise $W^{[l]}, b^{[l]}$ (notebook 01);
# 2. repeat `num_iterations` times: forward to $A^{[L]}$ $(1, m)$ (notebook 02),
#    cost $J$ (notebook 03), backward to every $dW^{[l]}, db^{[l]}$ (notebook 04),
#    update (this notebook).
#
# Every iteration uses all $m$ examples (full-batch gradient descent), as in
# the original question.

# %% [markdown]
# ## The code
#
# The update, from the library. It builds new arrays and returns a new list,
# so the parameters you passed in stay as they were (handy when you want to
# compare before and after):

# %%
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import NullFormatter

import course_lib as cl
from course_lib.exercises import check, show_source
from course_lib.plotting import OKABE_ITO, plot_costs

show_source(cl.gradient_descent_step)

# %% [markdown]
# The whole training loop fits in a few lines of our own, using
# `cl.cost_and_gradients` (one forward pass, the cost and one backward pass).
# Here it is for the first few steps on the original question's network and
# data, with the naive loss and the lecture's backward path, as the question
# had them:

# %%
X, Y = cl.odd_even()
params = cl.init_params([1, 1, 1], np.random.RandomState(3), scheme="small")
our_costs = []
for _ in range(6):
    cost, grads = cl.cost_and_gradients(X, Y, params, loss="naive")
    our_costs.append(cost)
    params = cl.gradient_descent_step(params, grads, learning_rate=0.03)
print("cost after 0 .. 5 steps:", np.round(our_costs, 6))

# %% [markdown]
# The library's `fit` is this loop plus three things: it checks its inputs
# (with messages that say how to fix them), it records the cost and the size
# of the gradient at every step, and it stops cleanly, without a
# `RuntimeWarning`, if a number overflows. The loop itself is near the end.
# With the default `optimizer="gd"`, its `optimizer_step` is exactly
# `gradient_descent_step`; momentum and Adam are in notebook 09.

# %%
show_source(cl.fit)

# %% [markdown]
# `fit` returns a `History`, which holds:
#
# | field | what it is |
# | --- | --- |
# | `costs` | the cost after 0, 1, ..., k steps (one more entry than steps taken) |
# | `grad_norms` | the length $\lVert g \rVert$ of the whole gradient at the same points |
# | `status` | `"converging"`, `"oscillating"`, `"diverging"` or `"non-finite"` |
# | `first_rise` | the first step after which the cost was *higher* than before, or `None` |
# | `first_nonfinite` | the step where the cost or gradient became inf or nan, or `None` |
# | `params` | the parameters after the last step |
# | `final_cost`, `lowest_cost`, `lowest_iteration` | read off `costs` for you |
# | `verdict()` | one sentence that sums the run up |
#
# ## The original question, trained
#
# First with a modest learning rate, 0.03, for 3000 steps. The run starts
# from the same parameters as our own loop, so its first costs must be the same
# numbers:

# %%
slow = cl.fit(
    X, Y, [1, 1, 1], learning_rate=0.03, num_iterations=3000,
    rng=np.random.RandomState(3), init="small", loss="naive",
)
print(f"log 2 = {np.log(2):.4f}, the cost of answering 0.5 for every example")
print("same costs as our own loop:", np.allclose(slow.costs[:6], our_costs, rtol=1e-12, atol=0))
print("costs shape      :", slow.costs.shape)
start, end = float(slow.grad_norms[0]), float(slow.grad_norms[-1])
print(f"gradient norm    : {start:.4g} at the start, {end:.4g} at the end")
print("status           :", slow.status)
print("first_rise       :", slow.first_rise)
print("first_nonfinite  :", slow.first_nonfinite)
print("verdict          :", slow.verdict())

# %% [markdown]
# The cost went down at every single step (there is no first rise), but not
# by much: it started right next to $\log 2$ and ended only a little lower.
# Now the learning rate of the original program, 1.2:

# %%
fast = cl.fit(
    X, Y, [1, 1, 1], learning_rate=1.2, num_iterations=3000,
    rng=np.random.RandomState(3), init="small", loss="naive",
)
print("verdict at 0.03:", slow.verdict())
print("verdict at 1.2 :", fast.verdict())
low = fast.lowest_iteration
print(f"at 1.2: cost {fast.costs[low]:.4f} at iteration {low}, highest after that {fast.costs[low:].max():.4f}")

# %% [markdown]
# This is the original question, reproduced: at 1.2 the cost falls at first,
# faster than at 0.03, reaches its lowest point, and then **rises**. For the
# rest of the run it bounces up and down but never gets back to that lowest
# point, and it ends above the slow run. The plot shows both runs; the
# dot marks the lowest point of the run whose cost rose afterwards.

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.8), layout="constrained")
runs = {"α = 0.03": slow, "α = 1.2": fast}
plot_costs(runs, ax=left, log_scale=True, title="All 3000 steps: at α = 1.2 the cost ends higher")
plot_costs(runs, ax=right, log_scale=True, title=f"First 300 steps: at α = 1.2 it rises after step {low}")
right.set_xlim(0, 300)
fig.suptitle("Odd/even, network [1, 1, 1]: a bigger learning rate falls faster, then bounces back up")
plt.show()

# %% [markdown]
# A minimiser that makes the cost grow: notebook 06 is about exactly this
# rise, and notebook 07 explains it with the curvature term of the maths
# above, measured on this very network.
#
# There is a second problem, and a lower cost does not solve it. Look at what
# the two trained networks predict:

# %%
for name, run in runs.items():
    predictions = cl.predict(X, run.params)
    print(f"{name:>8}: predicts {predictions.ravel()}  accuracy {cl.accuracy(predictions, Y):.2f}")
print(f"{'labels':>8}:          {Y.ravel().astype(int)}")

# %% [markdown]
# Neither run learned "odd or even". The good run says "odd" for the small
# numbers and "even" for the large ones: one ReLU unit followed by a sigmoid
# can only make its output go up (or down) with $x$, so all it can do is cut
# the number line once. Parity is not that kind of function. Notebook 08
# shows why this network cannot learn it whatever the learning rate.
#
# ## A real data set: breast cancer
#
# Now a problem a network *can* learn: 30 measurements of cell nuclei per
# example, label 1 for malignant. We hold a quarter of the examples back as
# a test set, never used for training or for choosing anything.

# %%
X_all, Y_all = cl.load_breast_cancer()
X_train, Y_train, X_test, Y_test = cl.train_test_split(X_all, Y_all, np.random.default_rng(0), test_fraction=0.25)
print(f"X_train {X_train.shape}, Y_train {Y_train.shape}, X_test {X_test.shape}, Y_test {Y_test.shape}")
spread = X_train.std(axis=1)
print(f"standard deviation of the raw features: from {spread.min():.3g} to {spread.max():.4g}")

# %% [markdown]
# The raw features live on wildly different scales. We standardise each one
# to mean 0 and standard deviation 1, using the mean and spread of the
# *training* set only, and apply the same shift and scale to the test set.
# (Why scaling matters so much for gradient descent is part of notebook 07.)

# %%
scaler = cl.Standardizer.fit(X_train)
X_train_s, X_test_s = scaler.transform(X_train), scaler.transform(X_test)
print("every training feature now has mean 0:", bool(np.allclose(X_train_s.mean(axis=1), 0, atol=1e-12)))
print("every training feature now has standard deviation 1:", bool(np.allclose(X_train_s.std(axis=1), 1, rtol=1e-12)))

# %% [markdown]
# A `[30, 16, 8, 1]` network with He initialisation (made for ReLU layers,
# notebook 01), the stable loss and the fused backward path. To pick a
# learning rate we try three, a factor 10 apart, and judge them on the
# **training** cost only:

# %%
candidates = {}
for rate in (0.01, 0.1, 1.0):
    candidates[f"α = {rate}"] = cl.fit(
        X_train_s, Y_train, [30, 16, 8, 1], learning_rate=rate, num_iterations=1500,
        rng=np.random.default_rng(0), init="he", loss="stable",
    )
print("\n".join(f"{name:>8}: {run.verdict()}" for name, run in candidates.items()))

# %% [markdown]
# On a log scale the three curves look smooth. The right panel shows each
# step's relative change in cost, $(J_i - J_{i-1}) / J_{i-1}$: below the
# dotted line the step lowered the cost, above it the step raised it.

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.8), layout="constrained")
plot_costs(candidates, ax=left, title="All three rates: α = 1.0 gets lowest, α = 0.01 slowest")
left.yaxis.set_minor_formatter(NullFormatter())  # label the decades only: the curves span four of them
for colour, (name, run) in reversed(list(zip(OKABE_ITO, candidates.items()))):  # largest rate drawn first, at the back
    change = np.diff(run.costs) / run.costs[:-1]
    right.plot(np.arange(1, run.costs.size), change, color=colour, linewidth=0.8, label=name)
right.axhline(0, color=OKABE_ITO[7], linestyle=":", linewidth=1)
right.set_ylim(-0.05, 0.03)
right.set(xlabel="iteration (gradient steps)", ylabel="relative change in cost per step",
          title="Only α = 1.0 has steps above 0: its cost rises again and again")
handles, labels = right.get_legend_handles_labels()
right.legend(handles[::-1], labels[::-1], fontsize=8)
fig.suptitle("Breast cancer, [30, 16, 8, 1]: the largest rate is fastest, but no longer goes downhill every step")
plt.show()

# %% [markdown]
# At 0.01 the cost is still falling slowly at the end. At 1.0 it gets lowest,
# but it has begun to rise now and then, the first sign of a step that is too
# big. The middle one, 0.1, falls at every step and is far below 0.01: we
# keep it. Only now do we look at the test set, once:

# %%
model = candidates["α = 0.1"]
train_accuracy = cl.accuracy(cl.predict(X_train_s, model.params), Y_train)
test_accuracy = cl.accuracy(cl.predict(X_test_s, model.params), Y_test)
print(f"training accuracy {train_accuracy:.1%}, test accuracy {test_accuracy:.1%}")
print("test accuracy above 95%:", test_accuracy > 0.95)

# %% [markdown]
# The same code that could not tell odd from even classifies tumours it has
# never seen correctly almost every time. So the training loop was never what
# went wrong in the original question. The next notebooks take its two real
# problems in turn: a step too large for the curvature of the cost (which
# depends on the learning rate *and* on the scale of the input), and a task
# that this network cannot represent.

# %% [markdown]
# ## Your turn
#
# Write `update_parameters(params, grads, learning_rate)`: `params` and
# `grads` are lists with one `(W, b)` pair per layer, in the same order and
# with the same shapes; return a **new** list of `(W, b)` pairs with
# $W - \alpha\, dW$ and $b - \alpha\, db$. Do not change the arrays you were
# given: write `W - learning_rate * dW`, not `W -= learning_rate * dW`.
#
# Replace the `raise` line with your code and run the cell. The check also
# tells you if your function changed its input in place.

# %%
def update_parameters(params, grads, learning_rate):
    """Return a new list of (W, b), one per layer: one gradient-descent step."""
    raise NotImplementedError  # your code here


check(update_parameters, "gradient_descent_step")

# %% [markdown] tags=["solution"]
# <details>
# <summary><b>Show a solution</b> (try first!)</summary>
#
# ```python
# def update_parameters(params, grads, learning_rate):
#     new_params = []
#     for (W, b), (dW, db) in zip(params, grads):
#         new_params.append((W - learning_rate * dW, b - learning_rate * db))
#     return new_params
# ```
#
# `W - learning_rate * dW` creates a new array. `W -= learning_rate * dW`
# would overwrite the caller's `W`, so the "before" parameters would be lost,
# and a `History` or a saved copy would silently change with them.
# </details>

# %% [markdown]
# ## Summary
#
# - One gradient-descent step: $W^{[l]} \leftarrow W^{[l]} - \alpha\, dW^{[l]}$,
#   $b^{[l]} \leftarrow b^{[l]} - \alpha\, db^{[l]}$, a new array of the same shape.
# - Training repeats forward, cost, backward, update. `cl.fit` does it and
#   returns a `History`: the costs, the gradient norms, a status, the first
#   rise, the first overflow, and a one-line `verdict()`.
# - On the original question, a modest learning rate lowers the cost at every
#   step; the original 1.2 lowers it at first and then makes it rise. Either
#   way the network does not learn odd/even.
# - On standardised breast-cancer data, the same code with He initialisation
#   and a learning rate chosen on the training cost classifies the held-out
#   test set almost perfectly.
#
# ## Questions to think about
#
# 1. The first-order approximation says a step always lowers the cost. Which
#    term does it leave out, and why does that term matter more for a large
#    $\alpha$ than for a small one?
# 2. At 1.2 the cost rose but stayed finite. The original program computed
#    its sigmoid with `math.exp` on one number at a time. For which inputs
#    would that have failed, and which notebook replaced it?
# 3. We chose the learning rate with the training cost, not the test accuracy.
#    What would go wrong if we tried many learning rates and kept the one with
#    the best test accuracy?
# 4. `fit` uses all examples at every step. How would the cost curve change if
#    each step used only a random handful of examples?

# %% [markdown]
# # 03 · The cost
#
# **Goal.** Measure how wrong the network's predictions are with one number,
# the binary cross-entropy; see why it is the natural choice; find exactly
# where its textbook formula returns `inf` or `nan` in floating point; and
# derive a form that stays finite for any finite logit $z$.
#
# initialise → forward → **cost** → backward → update (then repeat the last four).

# %% [markdown]
# ## The maths
#
# The forward pass gives $A^{[L]} \in \mathbb{R}^{1 \times m}$, one probability
# $a^{(i)} = \sigma(z^{(i)})$ per example, computed from the logits
# $Z^{[L]} \in \mathbb{R}^{1 \times m}$. The labels are $Y \in \{0, 1\}^{1 \times m}$,
# the same shape. The **binary cross-entropy** is
#
# $$J = -\frac{1}{m} \sum_{i=1}^{m} \Big( y^{(i)} \log a^{(i)} + \big(1 - y^{(i)}\big) \log\big(1 - a^{(i)}\big) \Big).$$
#
# For each example only one of the two terms is switched on: $-\log a$ when
# $y = 1$, $-\log(1 - a)$ when $y = 0$. Either way it is minus the log of the
# probability that the network gave to the **correct** label.
#
# **Why this cost?** Read $a$ as the network's probability that $y = 1$. The
# probability it gives to the label actually observed is
# $a^{y}(1 - a)^{1 - y}$ (that is $a$ if $y = 1$ and $1 - a$ if $y = 0$). If the
# examples are independent, the probability of all $m$ labels is the product
# $\prod_i (a^{(i)})^{y^{(i)}} (1 - a^{(i)})^{1 - y^{(i)}}$, the *likelihood*.
# Making it as large as possible is the same as making its logarithm, a sum,
# as large as possible, which is the same as making $J$, the negative of that
# sum divided by $m$, as small as possible. Minimising $J$ is
# maximum-likelihood estimation. Two consequences:
#
# - a confident wrong answer ($a \to 0$ when $y = 1$) costs without bound, since $-\log a \to \infty$;
# - an answer of $a = \tfrac12$ costs $\log 2$ whatever the label.
#
# **A form that works on the logits.** Write $e = e^{-z}$. Then
#
# $$\log a = \log \frac{1}{1 + e^{-z}} = -\log\big(1 + e^{-z}\big), \qquad
#   \log(1 - a) = \log \frac{e^{-z}}{1 + e^{-z}} = -z - \log\big(1 + e^{-z}\big).$$
#
# Put both into one example's loss $\ell = -y \log a - (1 - y) \log(1 - a)$:
#
# $$\ell = y \log\big(1 + e^{-z}\big) + (1 - y)\big(z + \log(1 + e^{-z})\big) = (1 - y)\, z + \log\big(1 + e^{-z}\big).$$
#
# This is exact, and it never forms $a$, so it never takes $\log 0$. It still
# has one weak spot: for very negative $z$ (below about $-709.78$, notebook
# 02), $e^{-z}$ overflows. Fix it with
# $\log(1 + e^{-z}) = -z + \log(1 + e^{z})$, which for $z < 0$ gives
# $\ell = -z\,y + \log(1 + e^{-|z|})$, while for $z \ge 0$ the line above is
# already $\ell = z - z\,y + \log(1 + e^{-|z|})$. Both cases in one line:
#
# $$\boxed{\;\ell(z, y) = \max(z, 0) - z\,y + \log\big(1 + e^{-|z|}\big)\;}, \qquad J = \frac{1}{m} \sum_{i=1}^{m} \ell\big(z^{(i)}, y^{(i)}\big).$$
#
# Now `exp` only sees $-|z| \le 0$, and the logarithm's argument lies in
# $[1, 2]$ (exactly 1 once $e^{-|z|}$ underflows to 0, beyond $|z| \approx 745$,
# where $\log 1 = 0$ is the right answer to double precision). NumPy's `log1p(t)` computes $\log(1 + t)$ without first rounding
# $1 + t$, which keeps the digits of a tiny $t$.

# %% [markdown]
# ## The code
#
# The library has both forms: `cl.cross_entropy_naive(A, Y)`, the formula
# as written, on probabilities, and `cl.cross_entropy_logits(Z, Y)`, the
# boxed form, on logits. Each returns the mean cost over the $m$ examples as
# one number. You write both yourself at the end of this notebook, and see
# the library's code after that.

# %%
import warnings
from decimal import Decimal, localcontext

import matplotlib.pyplot as plt
import numpy as np

import course_lib as cl
from course_lib.exercises import check, show_source
from course_lib.plotting import OKABE_ITO

# %% [markdown]
# `compute_cost` picks one of the two; `loss="naive"` or `loss="stable"` is
# how every later notebook names them:

# %%
show_source(cl.compute_cost)

# %% [markdown]
# ## What one example costs
#
# A few predictions for an example whose label is $y = 1$: the cost is small
# when the network is right and sure, and grows fast when it is wrong and sure.

# %%
Y_one = np.ones((1, 1))
for a in (0.99, 0.9, 0.5, 0.1, 0.01):
    loss = cl.cross_entropy_naive(np.array([[a]]), Y_one)
    print(f"a = {a:<4}  loss = -log a = {loss:.4f}")

# %% [markdown]
# ## The original network at the start
#
# Notebook 02 found that the original question's network outputs almost
# exactly one half for every input. So every example should cost about $\log 2$:

# %%
X, Y = cl.odd_even()
params = cl.init_params([1, 1, 1], np.random.RandomState(3), scheme="small")
A_L, caches = cl.model_forward(X, params)
Z_L = caches[-1].Z
print(f"labels: {int(Y.sum())} odd (y = 1), {int((1 - Y).sum())} even (y = 0)")
print(f"naive cost (from A_L):      {cl.cross_entropy_naive(A_L, Y):.6f}")
print(f"stable cost (from logits):  {cl.cross_entropy_logits(Z_L, Y):.6f}")
print(f"log 2:                      {float(np.log(2)):.6f}")
# each example's loss, -log of the probability the network gave its true label
example_loss = -np.log(np.where(Y == 1, A_L, 1 - A_L))
print(f"mean loss of the odd numbers:  {float(example_loss[Y == 1].mean()):.6f}")
print(f"mean loss of the even numbers: {float(example_loss[Y == 0].mean()):.6f}")

# %% [markdown]
# Both forms agree, and both are a little above $\log 2$: the outputs sit
# slightly above one half, which helps the odd numbers (label 1, a loss a
# little below $\log 2$) and hurts the even ones by a little more (a loss
# above it), as the last two lines show. A cost of about $\log 2$ is what a
# network that knows nothing scores on two classes of equal size (here five
# odd and five even numbers); training has to bring it below that.

# %% [markdown]
# ## Where the formula breaks
#
# ### The sigmoid rounds to exactly 1, and to exactly 0
#
# A float64 cannot hold every number near 1: the next float below 1 is
# $1 - 2^{-53}$ and the next one above is $1 + 2^{-52}$. When $e^{-z}$ is
# at most half that upper gap (a tie goes to 1), $1 + e^{-z}$ rounds to exactly 1, and so
# does $\sigma(z) = 1 / (1 + e^{-z})$:

# %%
gap_below = 1.0 - float(np.nextafter(1.0, 0.0))
gap_above = float(np.nextafter(1.0, 2.0)) - 1.0
print(f"gap below 1: {gap_below:.4g} = 2^{np.log2(gap_below):g}   gap above 1: {gap_above:.4g} = 2^{np.log2(gap_above):g}")
half_gap = gap_above / 2
print(f"half the gap above 1: {half_gap:.4g}")
for z in (36, 37):
    print(f"exp(-{z}) = {float(np.exp(-z)):.4g}   sigmoid({z}) == 1.0: {bool(cl.sigmoid(z) == 1.0)}")

z_grid = np.arange(0, 100)
first_one = int(z_grid[cl.sigmoid(z_grid) == 1.0].min())
print("smallest integer z with sigmoid(z) == 1.0:", first_one)

# %% [markdown]
# Near 0 the floats are far denser. Ordinary ("normal") float64 numbers, with
# their full 16 significant digits, go down to about $2.2 \times 10^{-308}$;
# below that come the *subnormal* numbers, with fewer and fewer digits, down
# to about $5 \times 10^{-324}$. A result closer to 0 than that cannot be
# stored at all and is rounded to exactly 0: that is called **underflow**
# (the opposite of the overflow of notebook 02). It is silent, NumPy does
# not even warn, but not harmless: below, a probability that underflows to
# exactly 0 makes the naive cost `inf` or `nan` just as one that rounds to 1
# does. So the sigmoid of a negative $z$ keeps a tiny
# positive value for much longer than it takes to round to 1 on the other
# side; it loses digits once its value is subnormal, and reaches exactly 0
# only when $e^{-|z|}$ underflows:

# %%
tiny, smallest = float(np.finfo(np.float64).tiny), float(np.finfo(np.float64).smallest_subnormal)
print(f"smallest normal float64:    {tiny:.4g}, whose log is {np.log(tiny):.5g}")
print(f"smallest positive float64:  {smallest:.4g}, whose log is {np.log(smallest):.5g}")
z_grid = np.arange(-800, 0)
last_zero = int(z_grid[cl.sigmoid(z_grid) == 0.0].max())
print(f"largest integer z with sigmoid(z) == 0.0: {last_zero}")
print(f"sigmoid({last_zero + 1}) = {float(cl.sigmoid(last_zero + 1)):.4g}")

# %% [markdown]
# (Why $-745$ and not $-744.44$? A result is rounded to the *nearest* float,
# so a value above half the smallest subnormal still rounds up to it.)
#
# The asymmetry matters. Once $a$ is exactly 1, $\log(1 - a) = \log 0 = -\infty$.
# If the label is 0, the loss is $+\infty$. If the label is 1, that term should
# be switched off by its factor $1 - y = 0$, but in floating point
# $0 \times (-\infty)$ is `nan`, "not a number". So with the naive formula a
# confident **right** answer gives `nan` and a confident wrong one gives `inf`,
# for either label, as soon as $z$ reaches the threshold above (or goes below
# the one for exactly 0).
#
# `cross_entropy_naive` returns these values without a single warning:

# %%
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    for z in (40.0, -800.0):
        Z = np.array([[z]])
        A = cl.sigmoid(Z)
        for y in (0.0, 1.0):
            cost = cl.cross_entropy_naive(A, np.array([[y]]))
            print(f"z = {z:>6g}, a = {float(A[0, 0]):g}, y = {y:g}:  naive cost = {cost}")
print("warnings raised:", len(caught))

# %% [markdown]
# A single such example is enough: the cost is a mean, and a mean that
# contains one `inf` or `nan` is `inf` or `nan`. Worse, the lecture's
# backward formula (notebook 04) divides by the same zero: it starts from
# $\partial \ell / \partial a = -(y/a - (1 - y)/(1 - a))$ and multiplies by
# $\sigma'(z) = a(1 - a)$, which is exactly 0 here. A look ahead at
# notebook 04's names: `dA` is that first factor (the library's
# `cl.cross_entropy_naive_gradient`), `cl.sigmoid_derivative` the second,
# and their product `dZ` is $\partial \ell / \partial z$, where the
# backward pass starts:

# %%
Z = np.array([[40.0]])
A = cl.sigmoid(Z)
for y in (0.0, 1.0):
    dA = cl.cross_entropy_naive_gradient(A, np.array([[y]]))
    with np.errstate(invalid="ignore"):  # inf * 0 is nan; we print it rather than warn
        dZ = dA * cl.sigmoid_derivative(Z)
    print(f"z = 40, y = {y:g}:  dA = {float(dA[0, 0])},  sigmoid'(z) = {float(cl.sigmoid_derivative(Z)[0, 0])},  dZ = {float(dZ[0, 0])}")

# %% [markdown]
# A `nan` in $dZ$ spreads to every gradient, because each gradient sums
# over the examples (notebook 04 shows it), and from there into every weight
# at the next update; a weight that is `nan` stays `nan`.
#
# ### The stable form, compared with the exact value
#
# To judge both forms we need the true loss to full float64 precision. Python's
# `decimal` module computes with as many digits as we ask for, so we evaluate
# $\log(1 + e^{z})$ (the loss for $y = 0$) and $\log(1 + e^{-z})$ (for $y = 1$)
# with enough digits that nothing rounds away:

# %%
def exact_loss(z, y):
    """-log P(label y | logit z), correctly rounded to float64, computed with `decimal`."""
    s = Decimal(float(z)) if y == 0 else -Decimal(float(z))  # the loss is log(1 + e^s)
    if s < -800:
        return 0.0  # log(1 + e^s) < e^s < 1e-347: below the smallest float64
    with localcontext() as context:
        # e^s = 10^(s / ln 10), and ln 10 is about 2.3: for s < 0, 1 + e^s written out is 1.000...0
        # with about -s / 2.3 zeros before the digits of e^s begin. Keep all of them, plus 40 digits.
        context.prec = 40 + max(0, int(-s / Decimal("2.3")))
        return float((1 + s.exp()).ln())


z_values = [-1e4, -800, -746, -745, -100, -37, -20, 0, 20, 36, 37, 100, 800, 1e4]
largest_relative, largest_tiny_gap, tiny_rows, naive_never_closer, naive_off = 0.0, 0.0, 0, True, []
for y in (0, 1):
    print(f"label y = {y}")
    print(f"{'z':>8} {'sigmoid(z)':>11} {'naive':>11} {'logits':>11} {'exact':>11}")
    for z in z_values:
        Z, Y_z = np.array([[z]], dtype=float), np.array([[y]], dtype=float)
        naive = cl.cross_entropy_naive(cl.sigmoid(Z), Y_z)
        stable = cl.cross_entropy_logits(Z, Y_z)
        exact = exact_loss(z, y)
        if exact > 1e-300:  # a relative error is only meaningful where the exact loss is not (nearly) 0
            largest_relative = max(largest_relative, abs(stable - exact) / exact)
        else:
            tiny_rows, largest_tiny_gap = tiny_rows + 1, max(largest_tiny_gap, abs(stable - exact))
        naive_error = abs(naive - exact) if np.isfinite(naive) else np.inf  # inf and nan: as far off as it gets
        naive_never_closer = naive_never_closer and naive_error >= abs(stable - exact)
        if np.isfinite(naive) and naive_error > 1e-4 * exact:
            naive_off.append(f"z = {z:g}, y = {y}")
        print(f"{z:>8g} {float(cl.sigmoid(Z)[0, 0]):>11.4g} {naive:>11.4g} {stable:>11.4g} {exact:>11.4g}")
print("logits form: relative error below 1e-15 on every row where the exact loss is above 1e-300:",
      largest_relative < 1e-15)
print(f"rows where the exact loss is at most 1e-300: {tiny_rows}; "
      f"largest |logits - exact| there: {largest_tiny_gap:.3g}")
print("naive form never closer to the exact loss than the logits form, on every row:", naive_never_closer)
print("finite naive losses off by more than 0.01%:", "; ".join(naive_off))

# %% [markdown]
# The logits form is finite on every row, up to $z = \pm 10^4$. Where the
# exact loss is above $10^{-300}$ its relative error is below $10^{-15}$;
# on the 6 rows where the exact loss is smaller (0, or a subnormal number
# with few digits, where a relative error says little) it equals the exact
# loss: the largest difference there is 0 (the third-to-last line). (The sigmoid column is rounded to 4 digits for
# display: it is exactly 1 only from the threshold found above.) The naive
# form fails exactly where the sigmoid rounds to 0 or 1, and on none of the
# table's rows is it closer to the exact value than the logits form. Notice also the rows
# *before* it fails (all listed on the last line): at $z = 36$ with either
# label and at $z = -37$ with $y = 0$ it is already visibly off, and at
# $z = -745$ with $y = 1$ too, where the sigmoid's value is a subnormal
# number with a single significant bit (it is the smallest one). For confident right answers
# ($z = -745$ and $z = -100$, $y = 0$) it returns $-0$, a negative zero, instead of a tiny
# positive loss: harmless in a sum, but the same rounding at work.
#
# ### The naive form loses digits before it reaches `inf`
#
# For $y = 0$ the naive loss needs $1 - a$ with $a$ close to 1. The stored $a$
# carries a rounding error of about $10^{-16}$, while $1 - a \approx e^{-z}$
# shrinks; subtracting two nearly equal numbers leaves mostly rounding error.
# Computing $a = 1 / (1 + e^{-z})$ rounds $1 + e^{-z}$ to the nearest
# float64, and half the gap between float64 numbers just above 1 is
# $2^{-53}$; so the stored $a$ is off by up to about $2^{-53}$, and $1 - a$ is off by a *relative* error of about
# $2^{-53} / e^{-z} = 2^{-53} e^{z}$. The logarithm turns a relative error
# $\delta$ of its argument into an absolute error of about $\delta$, and the
# loss itself is $-\log(1 - a) \approx z$; so the relative error of the loss
# is about $2^{-53} e^{z} / z$, growing roughly like $e^{z}$:

# %%
for z in (20, 30, 35):
    naive = cl.cross_entropy_naive(cl.sigmoid(np.array([[float(z)]])), np.zeros((1, 1)))
    exact = exact_loss(z, 0)
    print(f"z = {z}:  naive {naive:.10g}   exact {exact:.10g}   relative error {abs(naive - exact) / exact:.2g}")

# %% [markdown]
# For the figure we measure the naive loss on a fine grid of $z$, and take
# the logits form as the reference instead of `exact_loss`: the table above
# found it within $10^{-15}$ relative of the exact loss at these sizes of
# loss, far below the errors measured here, and it is one NumPy call per
# point where `exact_loss` needs long `decimal` arithmetic.

# %%
z_fine = np.arange(0.5, first_one, 0.25)
Z_fine = z_fine.reshape(1, -1)
naive_fine = np.array([cl.cross_entropy_naive(cl.sigmoid(Z_fine[:, [i]]), np.zeros((1, 1))) for i in range(z_fine.size)])
stable_fine = np.array([cl.cross_entropy_logits(Z_fine[:, [i]], np.zeros((1, 1))) for i in range(z_fine.size)])
relative_error = np.abs(naive_fine - stable_fine) / stable_fine
# A log axis cannot show an error of exactly 0, nor the inf where a rounds to 1.
shown = np.isfinite(relative_error) & (relative_error > 0)

fig, ax = plt.subplots(figsize=(6.0, 3.6), layout="constrained")
ax.semilogy(z_fine[shown], relative_error[shown], "o", markersize=3, color=OKABE_ITO[0], label="naive form, measured")
ax.semilogy(z_fine, half_gap * np.exp(z_fine) / z_fine, "--", color=OKABE_ITO[1], label=r"rounding estimate $2^{-53} e^{z} / z$")
ax.set_xlabel("logit z (label y = 0)")
ax.set_ylabel("relative error of the loss")
ax.set_title(f"The naive loss loses digits steadily, long before it turns inf (near z = {first_one})")
ax.legend()
plt.show()

# %% [markdown]
# *Figure, in words:* One panel. The horizontal axis is the logit z, for the
# label y = 0, from just above 0 to just below z = 37, near which, as the
# title says, the naive loss turns inf; the vertical axis is the relative error of
# the loss, on a log scale. Blue dots ("naive form, measured") are the naive
# form's measured error, one per value of z (values where the error is exactly
# 0 are left out, since a log axis cannot show them); an orange dashed line
# ("rounding estimate 2^−53 e^z / z") is the estimate. On the log axis the
# dashed line is close to a straight line that climbs steadily from left to
# right, and the dots climb with it along its whole length, mostly on or
# below it (some by one or two powers of ten, a few just above it), through the errors printed above (1.8e-09 at z = 20,
# 0.0016 at z = 35).

# %% [markdown]
# ### Does this explain the original question?
#
# Not by itself. To see that we must look ahead a little. Training repeats
# four steps: the forward pass (notebook 02), the cost (this notebook), the
# gradient of the cost with respect to every weight (the *backward pass*,
# notebook 04) and a small step of every weight against its gradient
# (notebook 05). The library's `cl.fit` runs that loop and returns, among
# other things, the cost at every iteration; notebook 05 shows it in full.
# Its `loss` argument chooses the formulation. `loss="naive"` is the
# original program's: the cost from the probabilities $A$, as in the first
# formula above, and a backward pass that starts from the derivative of that
# same formula with respect to $A$ (the lecture's way; notebook 04 shows it
# can divide by 0). `loss="stable"` is the boxed form on logits, with the
# gradient that goes with it. Here is the original program, with its
# learning rate 1.2 (the step size $\alpha$: each update subtracts $\alpha$
# times the gradient; notebook 05 writes it) and its 3000 iterations, the
# settings of the original question as notebook 06 retells it, trained both
# ways from the same start
# (`costs` holds one entry more than the iterations: the cost before the
# first update and after each one; notebook 05 explains the rest of what
# `fit` returns):

# %%
runs = {}
for loss in ("naive", "stable"):
    runs[loss] = cl.fit(X, Y, [1, 1, 1], learning_rate=1.2, num_iterations=3000, params=params,
                        loss=loss)
    history = runs[loss]
    print(f"{loss:>6} loss: cost {float(history.costs[0]):.4f} at the start, lowest {history.lowest_cost:.4f} "
          f"at iteration {history.lowest_iteration}, {history.final_cost:.4f} at the end")
difference = float(np.max(np.abs(runs["naive"].costs - runs["stable"].costs)))
print(f"largest difference between the two cost curves: below 1e-6? {difference < 1e-6}")
_, final_caches = cl.model_forward(X, runs["stable"].params)
print(f"largest |logit| after training: {float(np.abs(final_caches[-1].Z).max()):.3g}")
print(f"naive run: {runs['naive'].costs.size} costs, all finite: {bool(np.isfinite(runs['naive'].costs).all())}")

# %% [markdown]
# The same curve, with the same rise after the lowest point (the cost ends
# above its lowest), up to a difference far too small to see (the two
# backward formulas round differently). In this program the sigmoid never
# rounded to 0 or 1: had it done so, the naive run would have stopped at
# `inf` or `nan`, and all its costs are finite. So the naive formula is not
# why its cost goes up. The stable form is still the one to use. It does
# about as many operations: one `exp` and one `log1p` per example, where the naive
# form needs the sigmoid's `exp` and then two `log`s. It was at least as accurate at
# every $z$ of the table above (its second-to-last line), and once a network's logits grow
# (unscaled inputs, large weights, a learning rate that is too big) it is
# the difference between a cost you can read and a `nan`. The cause of the
# rise is the subject of the notebooks that follow.

# %% [markdown]
# ## Your turn
#
# ### Exercise 1: the cross-entropy as written
#
# Write `cross_entropy(A, Y)` that returns the mean binary cross-entropy (a
# single number) for probabilities `A` and labels `Y`, both of shape `(1, m)`.
# The check uses probabilities well inside $(0, 1)$, so the formula as written
# is fine here.

# %%
def cross_entropy(A, Y):
    """Return -(1/m) * sum(Y log A + (1 - Y) log(1 - A)) as a float."""
    raise NotImplementedError  # your code here


check(cross_entropy, "cross_entropy_naive")

# %% [markdown] tags=["solution"]
# <details>
# <summary><b>Show a solution</b> (try first!)</summary>
#
# ```python
# def cross_entropy(A, Y):
#     m = Y.shape[1]
#     log_likelihood = Y * np.log(A) + (1 - Y) * np.log(1 - A)  # (1, m)
#     return float(-np.sum(log_likelihood) / m)
# ```
#
# `np.mean` instead of `np.sum(...) / m` gives the same number.
# </details>

# %% [markdown]
# ### Exercise 2: the cross-entropy on logits
#
# Write `cross_entropy_from_logits(Z, Y)` that returns the same cost from the
# logits `Z` of shape `(1, m)`, using the boxed formula. The check's inputs
# include $z = 60$ and $z = -800$, and it turns NumPy's overflow warnings
# into errors: a version that computes $\log(1 + e^{-z})$ directly fails at
# $z = -800$, where $e^{800}$ overflows.

# %%
def cross_entropy_from_logits(Z, Y):
    """Return the mean of max(Z, 0) - Z Y + log(1 + exp(-|Z|)) as a float."""
    raise NotImplementedError  # your code here


check(cross_entropy_from_logits, "cross_entropy_logits")

# %% [markdown] tags=["solution"]
# <details>
# <summary><b>Show a solution</b> (try first!)</summary>
#
# ```python
# def cross_entropy_from_logits(Z, Y):
#     per_example = np.maximum(Z, 0) - Z * Y + np.log1p(np.exp(-np.abs(Z)))  # (1, m)
#     return float(np.mean(per_example))
# ```
#
# `np.exp(-np.abs(Z))` lies in $[0, 1]$ and cannot overflow; `np.log1p`
# keeps its digits when it is tiny.
# </details>

# %% [markdown]
# The library's two versions, read from the library itself:

# %%
show_source(cl.cross_entropy_naive)

# %%
show_source(cl.cross_entropy_logits)

# %% [markdown]
# The naive version switches NumPy's warnings off on purpose (you saw it
# return `inf` and `nan` above without a single warning): it exists to show
# the failure, and a `nan` cost is the symptom learners actually see.

# %% [markdown]
# ## Summary
#
# - The binary cross-entropy $J = -\frac1m \sum \big(y \log a + (1 - y)\log(1 - a)\big)$
#   is the mean negative log-probability of the correct labels: minimising it is
#   maximum likelihood.
# - A network that outputs one half everywhere costs $\log 2$; that is where
#   the original network starts.
# - In float64 the sigmoid rounds to exactly 1 from $z = 37$ (whole numbers)
#   and underflows to exactly 0 only from $z = -746$; then $\log 0$ gives `inf`, and
#   $0 \times \infty$ gives `nan`, silently. The naive form loses digits even
#   before that.
# - On logits, $\ell = \max(z, 0) - z y + \log(1 + e^{-|z|})$ is mathematically
#   exact, finite for any finite $z$, and in float64, on every $z$ tested above,
#   within $10^{-15}$ relative of the exact loss wherever that loss is above
#   $10^{-300}$; use it (`cl.cross_entropy_logits`).
#
# ## Questions to think about
#
# 1. A classifier ignores its input and predicts the same probability $a$ for
#    every example. On a data set where a fraction $p$ of the labels are 1,
#    which $a$ gives the lowest cost, and what is that cost? (Check your
#    answer on the odd-or-even data.)
# 2. Why is the naive formula accurate for $y = 1$ and very negative $z$
#    (until the sigmoid's value turns subnormal, below about $z = -708$, and
#    underflows to 0 at $z = -746$, both printed above), but not for $y = 0$
#    and large positive $z$? Both are confident wrong answers.
# 3. The gradient of the stable loss with respect to $z$ is $\sigma(z) - y$.
#    Differentiate the boxed formula for $z > 0$ and for $z < 0$ to check it.
# 4. Would switching from float64 to float32 move the threshold where the
#    sigmoid rounds to 1 up or down? Roughly to which $z$?

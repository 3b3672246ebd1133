# %% [markdown]
# # 08 · Fixing it
#
# **Goal.** Apply the three fixes that the rising cost calls for (scale the
# inputs, compute the loss on the logits, take smaller steps) one at a time
# and together, on the same data, and measure what each one does. Then
# measure how far scaling moves the largest learning rate that still works.
# Finally, come back to the original question and give it its second,
# honest answer: once the cost stops rising, the `[1, 1, 1]` network still
# cannot learn "odd or even", and no learning rate will change that.
#
# The parts:
#
# 1. each fix alone, in pairs and all three together on the breast-cancer data; each fix alone and scaling +
#    stable loss on the original odd/even data;
# 2. a learning-rate sweep with and without scaling, and its link to $2/\lambda_{\max}$;
# 3. the plateau that remains on odd/even: a representation problem, not an optimisation one;
# 4. a checklist for the next time your cost rises.

# %% [markdown]
# ## The maths
#
# Shapes as in every notebook: $X \in \mathbb{R}^{n_0 \times m}$ holds one
# example per column, $Y \in \{0, 1\}^{1 \times m}$, and layer $l$ has
# $W^{[l]} \in \mathbb{R}^{n_l \times n_{l-1}}$ and $b^{[l]} \in \mathbb{R}^{n_l \times 1}$.
#
# ### Fix 1: scale the inputs
#
# Standardising shifts and scales every feature (every row of $X$) with
# statistics of the **training** set only:
#
# $$
# \mu = \frac{1}{m_{\text{train}}} \sum_{i=1}^{m_{\text{train}}} x^{(i)} \in \mathbb{R}^{n_0 \times 1}, \qquad
# \sigma_j = \sqrt{\frac{1}{m_{\text{train}}} \sum_{i} \big(x^{(i)}_j - \mu_j\big)^2}, \qquad
# \tilde X = \frac{X - \mu}{\sigma} \in \mathbb{R}^{n_0 \times m},
# $$
#
# with $\mu$ and $\sigma$ (both $(n_0, 1)$) broadcast across the columns. The
# test set gets the *same* $\mu$ and $\sigma$: it is new data, and it must not
# influence anything we choose, the preprocessing included.
#
# Why it helps gradient descent: the first layer computes
# $Z^{[1]} = W^{[1]} X + b^{[1]}$, so multiplying the inputs by $c$ has the
# same effect as multiplying $W^{[1]}$ by $c$. For the same function
# ($W^{[1]}$ divided by $c$ as well), the gradient with respect to
# $W^{[1]}$, $dW^{[1]} = \frac{1}{m}\, dZ^{[1]} X^\top$, grows by $c$, and the
# curvature along $W^{[1]}$ (second derivatives) by $c^2$; with the same
# weights the network also computes a different function, which changes the
# curvature too (notebook 07, part 4, measures both). Features in the
# thousands make the curvature far larger than features near 1
# give, and gradient descent is only stable while
#
# $$\alpha < \frac{2}{\lambda_{\max}},$$
#
# with $\lambda_{\max}$ the largest eigenvalue of the Hessian (notebook 07).
#
# ### Fix 2: compute the loss on the logits
#
# The naive cross-entropy takes $\log a$ and $\log(1 - a)$ of the sigmoid
# output $a$, which is `inf` or `nan` as soon as $a$ rounds to exactly 0 or
# 1: `nan` ($0 \times \log 0$) when the rounded output matches the label,
# `inf` when it does not (notebook 03). The stable form works on the logit
# $z$ (notebook 03):
#
# $$\ell(z, y) = \max(z, 0) - z\, y + \log\big(1 + e^{-|z|}\big), \qquad dZ^{[L]} = A^{[L]} - Y \ \ (1, m).$$
#
# It is the same function wherever the naive one is finite, so it does not
# change the curvature, only whether the numbers survive.
#
# ### Fix 3: a smaller learning rate
#
# The direct way to satisfy $\alpha < 2/\lambda_{\max}$. It costs speed: the
# cost falls by about $\alpha\, g^\top g$ per step.
#
# ### What no fix of the optimiser can change
#
# The network of the question computes, for a single number $x$,
#
# $$f(x) = \sigma\big(w_2 \operatorname{ReLU}(w_1 x + b_1) + b_2\big).$$
#
# $w_1 x + b_1$ moves in one direction as $x$ grows; ReLU and $\sigma$ never
# reverse a direction, and multiplying by $w_2$ reverses it only when
# $w_2 < 0$, and then for every $x$ at once. A chain of steps that each keep
# or each reverse the order of their inputs keeps or reverses it as a whole,
# so $f$ is **monotone** in $x$: it only rises, only falls, or stays flat. The set where $f(x) > \tfrac12$ is
# then a half-line, one threshold on the number line, and "odd, even, odd,
# even" needs a new threshold between every two numbers.

# %% [markdown]
# ## The code
#
# The scalings, from the library. Each one is a shift and a scale learned
# from `X_train` alone and returned as a `Standardizer`, which applies them to
# any set with `.transform(X)`:

# %%
import itertools

import matplotlib.pyplot as plt
import numpy as np

import course_lib as cl
from course_lib.exercises import check, show_source
from course_lib.plotting import OKABE_ITO, plot_costs, plot_sharpness

show_source(cl.fit_scaling)

# %% [markdown]
# The other two fixes are arguments of `cl.fit`: `loss="stable"` (the
# cross-entropy of the logits, with $dZ = A - Y$) instead of `loss="naive"`, and
# `learning_rate`.
#
# ## 1. Each fix alone, and together
#
# The breast-cancer data of notebook 05, split once into a training and a
# test set. The scaling is fitted on the training set and applied to both.

# %%
X_bc, Y_bc = cl.load_breast_cancer()
X_train, Y_train, X_test, Y_test = cl.train_test_split(X_bc, Y_bc, np.random.default_rng(0), test_fraction=0.25)
scaler = cl.fit_scaling(X_train, "standardize")
X_train_s, X_test_s = scaler.transform(X_train), scaler.transform(X_test)
print(f"X_train {X_train.shape}, X_test {X_test.shape}")
print(f"largest |x| in the training set: raw {float(np.abs(X_train).max()):.4g}, "
      f"standardised {float(np.abs(X_train_s).max()):.3g}")

# %% [markdown]
# **The broken baseline**: the network `[30, 16, 8, 1]`, small initialisation
# from `RandomState(3)` (as in notebook 06), raw inputs, the naive loss with
# the lecture's backward path, and a learning rate of 1, one of the rates
# notebook 05 tried on standardised inputs (it reached the lowest cost there). Then every combination of the three
# fixes, where "smaller rate" means 0.1. All eight runs start from the same
# weights and take 1500 steps. For each we print the status, the final cost,
# the lowest cost and the step where it was reached, the step where the cost became `nan` (if it did), the training and test
# accuracy, and how many ReLU units of each hidden layer still output
# something other than 0 for at least one training example (16 and 8 when
# all are alive).

# %%
BASE_RATE, SMALL_RATE, STEPS = 1.0, 0.1, 1500


def live_units(X, params):
    """How many units of each hidden layer are positive for at least one example (column) of X."""
    _, caches = cl.model_forward(X, params)
    return [int((cache.Z > 0).any(axis=1).sum()) for cache in caches[:-1]]


def train_with(scaled, stable, smaller):
    return cl.fit(
        X_train_s if scaled else X_train, Y_train, [30, 16, 8, 1],
        learning_rate=SMALL_RATE if smaller else BASE_RATE, num_iterations=STEPS,
        rng=np.random.RandomState(3), init="small",
        loss="stable" if stable else "naive",
    )


combinations = {  # name: (scaled, stable loss, smaller rate)
    "baseline": (False, False, False),
    "scaling": (True, False, False),
    "stable loss": (False, True, False),
    "smaller rate": (False, False, True),
    "scaling + stable": (True, True, False),
    "scaling + smaller": (True, False, True),
    "stable + smaller": (False, True, True),
    "all three": (True, True, True),
}
fixes = {name: train_with(*flags) for name, flags in combinations.items()}

print(f"{'run':>18} {'α':>4} {'status':>11} {'final cost':>10} {'lowest (at step)':>17} {'nan at':>6} {'train':>6} "
      f"{'test':>6} {'live units':>10}")
for name, run in fixes.items():
    scaled = combinations[name][0]
    X_tr, X_te = (X_train_s, X_test_s) if scaled else (X_train, X_test)
    train_acc = cl.accuracy(cl.predict(X_tr, run.params), Y_train)
    test_acc = cl.accuracy(cl.predict(X_te, run.params), Y_test)
    nan_at = "-" if run.first_nonfinite is None else str(run.first_nonfinite)
    live = "/".join(map(str, live_units(X_tr, run.params)))
    lowest = f"{run.lowest_cost:.4g} ({run.lowest_iteration})"
    print(f"{name:>18} {run.learning_rate:>4g} {run.status:>11} {run.final_cost:>10.4g} {lowest:>17} {nan_at:>6} "
          f"{train_acc:>6.1%} {test_acc:>6.1%} {live:>10}")

# %% [markdown]
# Read the table by rows. For a run that became `nan`, the accuracies are those
# of the weights at the step where it happened. The status words are
# `cl.train.classify_run`'s (its rule is printed in notebook 06):
# `non-finite` when a cost became `inf` or `nan`; `oscillating` when more
# than a tenth of the steps in the second half raised the cost; `diverging`
# when the cost climbs or its bounces grow, **or** when the end of the run is
# smooth but well above the lowest cost it reached; otherwise `converging`.
# The two `diverging` runs here are of the last kind: they end flat (over
# their last 150 steps the cost moves by less than $10^{-15}$, printed
# below), but far above their lowest cost (0.593 at step 713), as the
# "lowest" column shows.
#
# - The **baseline** breaks almost at once.
# - Every run on **raw inputs** fails, whatever the loss and whichever of the
#   two rates. Those that stay finite have no live unit left in the first
#   hidden layer, and their final costs are all the same number. Which one?

# %%
p = float(Y_train.mean())
constant_cost = -(p * np.log(p) + (1 - p) * np.log(1 - p))
print(f"fraction of malignant examples in the training set: {p:.4f}")
print(f"cost of answering {p:.4f} for every example: {constant_cost:.4f}")
print(f"share of the majority class (benign): {1 - p:.1%}")
for name in ("smaller rate", "stable + smaller"):
    print(f"{name}: spread (highest - lowest) of the cost over its last 150 steps: {np.ptp(fixes[name].costs[-150:]):.0e}")
    after_low = fixes[name].costs[fixes[name].lowest_iteration:]
    print(f"{name}: highest cost after its lowest point: {after_low.max():.3f} at step "
          f"{fixes[name].lowest_iteration + int(after_low.argmax())}")
    early = fixes[name].costs[:30]
    print(f"{name}: lowest cost over steps 0-29: {early.min():.3f} at step {int(early.argmin())}")

# %% [markdown]
# It is the cost of a network that ignores its input and always answers the
# class frequency, and the accuracy of those runs is the share of the
# majority class. Steps on raw inputs can be huge (the gradient of
# $W^{[1]}$ is proportional to inputs in the thousands); in these runs,
# sooner or later one of them pushes every first-layer unit to a negative pre-activation for
# every example, and a ReLU that outputs 0 everywhere has gradient 0
# everywhere: it never comes back (notebook 06 met such dead units too).
# The cell below replays the three raw-input runs that stay finite through
# the course's training loop, `cl.training_steps`, and finds the first step
# at which no first-layer unit is positive for any example:

# %%
def first_dead_step(stable, rate):
    """The first step (params after that many updates) with no live first-layer unit, on raw inputs."""
    start = cl.init_params([30, 16, 8, 1], np.random.RandomState(3), scheme="small")
    steps = cl.training_steps(start, itertools.repeat((X_train, Y_train), STEPS), itertools.repeat(rate),
                              loss="stable" if stable else "naive")
    return next((step for step, (params, _, _) in enumerate(steps) if live_units(X_train, params)[0] == 0), None)


for name in ("stable loss", "smaller rate", "stable + smaller"):
    _, stable, smaller = combinations[name]
    rate = SMALL_RATE if smaller else BASE_RATE
    print(f"{name:>16} (α = {rate:g}): every first-layer unit dead from step {first_dead_step(stable, rate)};"
          f" lowest cost at step {fixes[name].lowest_iteration}")

# %% [markdown]
# At rate 1 it happens within the first few steps; at rate 0.1 it happens
# just after the lowest point of the run. With no live first-layer unit,
# the second layer receives 0 for every example, so its few live units (the
# last column of the table) output the same number for every example too:
# only constant terms keep learning (the output bias and those units), and
# the network learns the class frequency. The stable loss cannot help
# here, and 0.1 is still too large a rate for raw inputs: both runs at 0.1
# lose every first-layer unit at step 723 (the cell above). Part 2
# measures how small the rate must be from He initialisation; part 1 starts
# from the small one, so part 2 gives a guide, not the answer.
#
# - **Scaling alone** learns fast and well, and then the cost becomes `nan`
#   anyway. So does scaling with the smaller rate, only later.
# - **Scaling + stable loss** and **all three** train to the end and
#   classify the held-out test set correctly almost every time.
#
# Why does the scaled run with the naive loss end in `nan` when it had
# learned so well? Its outputs at the moment it broke:

# %%
broken = fixes["scaling"]
A_L, caches = cl.model_forward(X_train_s, broken.params)
rounded = A_L[0] == 1.0
print(f"scaling only: {broken.verdict()}")
print(f"largest logit: {float(caches[-1].Z.max()):.4g}; outputs rounded to exactly 1.0: {int(rounded.sum())}, "
      f"with label {Y_train[0, rounded]}")
print(f"the stable loss of the same weights: {cl.cross_entropy_logits(caches[-1].Z, Y_train):.4g}")
later, together = fixes["scaling + smaller"], fixes["all three"]
gap = float(np.max(np.abs(later.costs[: later.first_nonfinite] - together.costs[: later.first_nonfinite])))
print(f"scaling + smaller and all three, before step {later.first_nonfinite}: costs equal to 12 digits: {gap < 1e-12}")

# %% [markdown]
# One example became so certainly malignant that $\sigma(z)$ rounded to
# exactly 1.0. It *is* malignant, but the naive formula still evaluates
# $(1 - y) \log(1 - a) = 0 \times \log 0$, which is `nan` (notebook 03). A
# network that learns well becomes confident, as this one did, so the
# naive loss is not safe even when the learning rate is: the stable loss is
# not optional. Until its `nan`, the "scaling + smaller" run *is* the "all
# three" run (the two losses are the same function wherever the naive one is
# finite); only the loss on the logits carries on past that step.
#
# The cost curves of all eight runs, on an iteration axis that is linear up
# to 10 and logarithmic after, so that the first steps, where the failures
# happen, are visible.

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.2), layout="constrained")
alone = ["baseline", "scaling", "stable loss", "smaller rate", "all three"]
pairs = ["scaling + stable", "scaling + smaller", "stable + smaller", "all three"]
plot_costs({name: fixes[name] for name in alone}, ax=left,
           title="One fix at a time fails, each in its own way")
plot_costs({name: fixes[name] for name in pairs}, ax=right,
           title="Pairs: only scaling + stable loss trains to the end")
for ax in (left, right):
    ax.axhline(constant_cost, color="0.5", linestyle=":", linewidth=1)
    ax.set_xscale("symlog", linthresh=10)
    ax.set_xlim(0, STEPS)
    ax.set_xlabel("iteration (gradient steps; log scale after 10)")
    for line in ax.get_lines():
        if line.get_label().startswith("all three"):
            line.set_color(OKABE_ITO[4])  # the same colour in both panels
    ax.legend(fontsize=8, loc="lower left")
fig.suptitle("Breast cancer, [30, 16, 8, 1]: the runs on raw inputs die at the constant-answer cost (dotted)")
plt.show()

# %% [markdown]
# *Figure, in words:* Two panels, each with the iteration on the horizontal
# axis (linear up to 10, log scale after, to step 1500) and the cost
# (cross-entropy) on a log vertical axis, a grey dotted horizontal line at the
# constant-answer cost (0.6638), and the all three (converging) run in light
# orange (amber) in both. The left panel has the single fixes: baseline (non-finite, blue)
# stops at a blue dotted vertical line labelled "cost nan at 2"; stable loss
# (converging, green) shoots up in one tall spike at that step, comes straight
# back down to the grey line, with a green dot at its lowest point at step 1,
# and stays on the line; smaller rate (diverging, pink) runs along the grey
# line (a shallow dip below it, to 0.638 at step 10), dips to a pink dot at
# its lowest point (0.593 at step 713 in the table), spikes just after it
# above the grey line (to 0.787 at step 715; both printed with the
# constant-answer cost; every first-layer unit is dead from step 723) and
# returns to the line; scaling (non-finite, orange) falls steeply after a
# few dozen steps and stops at an orange dotted line labelled "cost nan at
# 63"; and the amber curve stays level for several hundred steps, then falls
# and keeps falling to the end. The right panel has the pairs: stable +
# smaller (diverging, green) runs along the grey line like the pink curve on
# the left, with its shallow dip, dot and spike at the same points; scaling + smaller (non-finite,
# orange) lies under the amber curve, which it matches step for step, until
# it stops at an orange dotted line labelled "cost nan at 608"; and scaling +
# stable (converging, blue) falls steeply after a few dozen steps and keeps
# falling, to end far below the amber curve, the lowest of all.

# %% [markdown]
# The fixed model is the "all three" run: scaled inputs, the stable loss,
# learning rate 0.1. The table above already showed its test accuracy;
# here it is in full. The test examples took no part in training or in any
# choice we made: they only measure.

# %%
fixed = fixes["all three"]
fixed_test = cl.accuracy(cl.predict(X_test_s, fixed.params), Y_test)
print(f"all three: {fixed.verdict()}")
print(f"held-out test accuracy: {fixed_test:.1%} ({int(round(fixed_test * Y_test.shape[1]))} of {Y_test.shape[1]})")
print("at least 95%:", fixed_test >= 0.95)

# %% [markdown]
# Notice what the table does *not* say: that the smaller rate was needed.
# Scaling + stable loss at the original rate 1 trained just as safely. Once
# the inputs are scaled, a rate of 1 is no longer too large. How much larger
# a rate scaling allows is part 2.
#
# ### The original odd/even question, with the fixes
#
# Part of the same comparison on the question's own set-up (each fix alone, and
# scaling + stable loss): `[1, 1, 1]`, small
# initialisation from `RandomState(3)`, 3000 steps, with the class's rate
# 1.2. Scaling is the one the question's comments suggested, $X / 10$
# ([the question and its comments](06-rising-cost.ipynb#The-two-questions)). For each run we
# also print the largest rise of the cost in one step, relative to the cost
# before it.

# %%
X_oe, Y_oe = cl.odd_even()
X_oe10 = cl.fit_scaling(X_oe, "divide by 10").transform(X_oe)


def odd_even_run(X, stable, rate):
    return cl.fit(
        X, Y_oe, [1, 1, 1], learning_rate=rate, num_iterations=3000, rng=np.random.RandomState(3), init="small",
        loss="stable" if stable else "naive",
    )


def describe_rises(run):
    """The largest one-step rise of the cost, relative to the cost before it, and where the run ends."""
    rising = np.diff(run.costs) > run.costs[:-1] * cl.train.RISE_TOLERANCE + 1e-15  # first_rise's test
    if run.first_rise is None:
        rises = "no step raised the cost"
    else:
        rises = (f"{int(rising.sum())} steps raised the cost, the largest by "
                 f"{float(np.max(np.diff(run.costs) / run.costs[:-1])):.2%}")
    above = run.final_cost - run.lowest_cost
    ends = "ends at its lowest cost" if above <= 1e-12 else f"ends {above:.2g} above its lowest cost"
    return f"{rises}, {ends}"


odd_even_runs = {
    "original (raw x, naive, α = 1.2)": odd_even_run(X_oe, False, 1.2),
    "x / 10, naive, α = 1.2": odd_even_run(X_oe10, False, 1.2),
    "raw x, stable, α = 1.2": odd_even_run(X_oe, True, 1.2),
    "raw x, naive, α = 0.3": odd_even_run(X_oe, False, 0.3),
    "x / 10, stable, α = 1.2": odd_even_run(X_oe10, True, 1.2),
}
for name, run in odd_even_runs.items():
    print(f"{name:>33}: {run.verdict()}")
    print(f"{'':>33}  {describe_rises(run)}")
same_but_loss = {  # the naive and the stable run on the same inputs, and a bound on their difference
    "raw x": ("original (raw x, naive, α = 1.2)", "raw x, stable, α = 1.2", 1e-7),
    "x / 10": ("x / 10, naive, α = 1.2", "x / 10, stable, α = 1.2", 1e-12),
}
for inputs_name, (naive, stable, bound) in same_but_loss.items():
    gap = float(np.max(np.abs(odd_even_runs[naive].costs - odd_even_runs[stable].costs)))
    print(f"{inputs_name:>6}: naive and stable loss give the same cost to within {bound:g} at every step:",
          gap < bound)
raw_gap = np.abs(odd_even_runs[same_but_loss["raw x"][0]].costs - odd_even_runs[same_but_loss["raw x"][1]].costs)
print(f" raw x, the two costs' largest difference: at step 0 (the same weights) {raw_gap[0]:.0e}, steps 1-50 "
      f"{raw_gap[1:51].max():.0e}, steps 51-100 {raw_gap[51:101].max():.0e} (the largest of all, at step "
      f"{int(raw_gap.argmax())}), steps 2000-3000 {raw_gap[2000:].max():.0e}")
late_change = max(float(np.max(np.abs(np.diff(odd_even_runs[name].costs[600:]))))
                  for name in same_but_loss["x / 10"][:2])
print(f"x / 10, from step 600 on: no step changes the cost by more than 1e-12: {late_change < 1e-12}")

# %% [markdown]
# With $X / 10$ at the very same rate 1.2, the cost no longer climbs back
# up: the run ends at its lowest cost. Eight steps still raise it on the
# way (the first at step 184), but the largest by a few hundredths of a
# percent, against a few percent on raw $x$ (1476 rising steps), where the run
# ends above its lowest point. The stable loss changes little here (nothing overflowed
# on this tiny problem): its costs agree with the naive loss's to within
# $10^{-7}$ at every step on raw $x$ and to within $10^{-12}$ on $X / 10$
# (the lines above). Why not to the last digit, if the two losses are the same
# function? Because the two formulas, and their gradients, round differently:
# on the very same first weights the two costs already differ by about
# $10^{-16}$. On $X / 10$ nothing magnifies that (the gap stays below
# $10^{-12}$). On raw $x$, from about
# step 50 every step multiplies the part of the weights along the sharpest
# direction by about $|1 - \alpha\lambda_{\max}| > 1$ (the zig-zag notebook 07
# watched), and a rounding difference in that part grows with it: to about
# $2 \times 10^{-8}$ at step 76, just after the cost's peak (step 70), before it shrinks again
# later in the run (at most $3 \times 10^{-14}$ over steps 2000-3000). The two $X / 10$ runs report their lowest cost at
# different steps, 618 and 661, only because by then their costs change by
# less than $10^{-12}$ per step, so rounding picks the step. A smaller
# rate, 0.3, also stops the rise.
#
# But look at the final costs: every run ends near 0.68, far above 0. The
# rise is fixed; the network still has not learned odd and even. Part 3
# is about that.
#
# ## 2. How far scaling moves the largest stable learning rate
#
# A sweep: the same `[30, 16, 8, 1]` network on the breast-cancer training
# set, He initialisation from `RandomState(3)` (the initialisation made for
# ReLU networks, notebook 01), the stable loss, 400 steps, at 29 learning
# rates from $10^{-6}$ to 10 (four per power of ten); once on raw inputs and
# once standardised, both from the same initial weights.
#
# A rate **works** here if the run's status is "converging", its final cost
# is below its initial cost, and below the constant-answer cost
# 0.6638 of part 1, so that a run that "converged" to a dead network does not
# count.

# %%
rates = 10.0 ** np.arange(-6, 1.01, 0.25)
start = cl.init_params([30, 16, 8, 1], np.random.RandomState(3), scheme="he")
inputs = {"raw": X_train, "scaled": X_train_s}
sweep = {
    name: [cl.fit(X, Y_train, [30, 16, 8, 1], learning_rate=rate, num_iterations=400, params=start) for rate in rates]
    for name, X in inputs.items()
}


def works(run):
    return run.status == "converging" and run.final_cost < min(float(run.costs[0]), constant_cost)


print(f"initial cost: raw {sweep['raw'][0].costs[0]:.4g}, scaled {sweep['scaled'][0].costs[0]:.4g}; "
      f"constant-answer cost {constant_cost:.4f}")
print("* = the rate works; live = ReLU units of hidden layers 1/2 still alive after the 400 steps")
print(f"{'α':>9} | {'raw: status':>12} {'final':>9} {'live':>5} | {'scaled: status':>14} {'final':>9} {'live':>5}")
for index, rate in enumerate(rates):
    cells = []
    for name, X in inputs.items():
        run = sweep[name][index]
        live = "/".join(map(str, live_units(X, run.params)))
        cells.append(f"{run.status:>12} {run.final_cost:>9.3g}{'*' if works(run) else ' '}{live:>5}")
    print(f"{rate:>9.3g} | {cells[0]} | {'':>2}{cells[1]}")

# %%
largest = {name: float(max(rate for rate, run in zip(rates, sweep[name]) if works(run))) for name in inputs}
print(f"largest learning rate that works, raw inputs   : {largest['raw']:.3g}")
print(f"largest learning rate that works, scaled inputs: {largest['scaled']:.3g}")
print(f"ratio: {largest['scaled'] / largest['raw']:.4g}")

# %% [markdown]
# On raw inputs, He initialisation starts saturated (an initial cost far
# above $\log 2$). The smallest rates converge but are slow; from $3.16 \times 10^{-5}$
# to 0.00178 the runs oscillate, except at 0.000316, the largest rate that
# works; from 0.00316 to 5.62 they end at or next to the constant-answer
# cost (at 10, above it), with almost no live hidden unit left. With standardised inputs
# every rate from $10^{-6}$ to 1.78 converges, every unit stays alive, and
# from 0.000562 to 3.16 the cost ends below the constant answer (at 5.62 it
# ends at it, at 10 above it). The largest rate
# that works is thousands of times larger once the inputs are scaled.
#
# Notebook 07 tied the largest stable rate to the sharpness
# $\lambda_{\max}$, the largest eigenvalue of the Hessian: steps are stable
# while $\alpha < 2/\lambda_{\max}$. The sharpness of the *initial*
# weights, raw and scaled (`cl.sharpness`, by power iteration on
# Hessian-vector products):

# %%
initial_sharpness = {}
for name, X in inputs.items():
    top = cl.sharpness(X, Y_train, start, np.random.default_rng(0), num_iterations=1000)
    initial_sharpness[name] = top.value
    print(f"{name:>6}: λ_max = {top.value:.4g} (converged: {top.converged}), 2/λ_max = {2 / top.value:.3g}, "
          f"largest rate that works {largest[name]:.3g}")
ratio = initial_sharpness["raw"] / initial_sharpness["scaled"]
print(f"scaling divides the initial sharpness by {ratio:.4g}")

# %% [markdown]
# Scaling divides the initial sharpness by hundreds: the right direction, but
# not the right size. The sharpness falls about 426-fold while the largest
# rate that works rises about 5623-fold, and $2/\lambda_{\max}$ of the
# *initial* weights is not the measured limit. On raw inputs the largest rate that works is several times
# *below* it; scaled, it is *above* it. The sharpness changes as the weights
# move (notebook 07). (These are not quite notebook 07's numbers for the same
# initial weights: that notebook measured them on all 569 examples, training
# and test sets together, standardised with the statistics of all 569; here
# the cost, and so its Hessian, is over the 427 training examples only.)
# Here it is, measured every 10 steps along the two runs at the largest
# rates that work, with the run's cost on the right-hand axis:

# %%
fig, axes = plt.subplots(1, 2, figsize=(12, 4.2), layout="constrained")
for ax, (name, X) in zip(axes, inputs.items()):
    along = cl.sharpness_along_training(
        X, Y_train, start, learning_rate=largest[name], num_iterations=400, every=10,
        rng=np.random.default_rng(0), power_iterations=300,
    )
    early, late = along.iterations < 100, along.iterations >= 100
    limit = 2 / largest[name]
    sharp = along.sharpness
    print(f"{name:>6} at α = {largest[name]:.3g}, 2/α = {limit:.4g}: sharpness {sharp[0]:.4g} at the start"
          f" = {sharp[0] / limit:.2f} x 2/α; before step 100, {int((sharp[early] > limit).sum())} of"
          f" {int(early.sum())} measurements above 2/α, the highest {sharp[early].max():.3g}"
          f" = {sharp[early].max() / limit:.2f} x 2/α")
    lowest_late = int(np.argmin(np.where(late, sharp, np.inf)))
    print(f"{'':>6} the next measurement (step {along.iterations[1]}): {sharp[1]:.3g}; from step 100 on: lowest"
          f" {sharp[lowest_late]:.4g} = {sharp[lowest_late] / limit:.2f} x 2/α (step {along.iterations[lowest_late]}),"
          f" highest {sharp[late].max():.4g} = {sharp[late].max() / limit:.2f} x 2/α, at the end {sharp[-1]:.4g}"
          f" = {sharp[-1] / limit:.2f} x 2/α (all power iterations converged: {bool(along.converged.all())})")
    run = sweep[name][int(np.flatnonzero(rates == largest[name])[0])]
    rises = np.diff(run.costs) > 0
    largest_jump = float(np.max(run.costs[1:101] / run.costs[:100]))
    print(f"{'':>6} steps that raise the cost: {int(rises[:100].sum())} of the first 100"
          + (f" (the largest multiplies it by {largest_jump:.2g})" if rises[:100].any() else "")
          + f", {int(rises[100:].sum())} of the other {rises[100:].size}; run.first_rise: step {run.first_rise}")
    plot_sharpness(along, ax=ax, first_rise=run.first_rise,
                   title=f"{name} inputs, α = {largest[name]:.3g}")
    ax.set_yscale("log")
    ax.cost_axis.set_yscale("log")
    ax.set_ylabel(r"sharpness $\lambda_{max}$ (log scale)", color=OKABE_ITO[0])
    ax.cost_axis.set_ylabel("cost (log scale)", color=OKABE_ITO[2])
fig.suptitle("At the largest rates that work, both runs go above 2/α early on and survive; from step 100 on "
             "the sharpness stays below 2/α, close to it by the end (raw) or far below it (scaled)")
plt.show()

# %% [markdown]
# *Figure, in words:* Two panels, raw inputs at α = 0.000316 (left) and scaled
# inputs at α = 1.78 (right), each with the iteration (gradient steps) on the
# horizontal axis, the sharpness λ_max on a log axis at the left (blue
# lettering) and the cost on a log axis at the right (green lettering). In
# each panel a blue line is the sharpness, measured every 10 steps, an orange
# dashed horizontal line marks 2/α (6.32e+03 on the left, 1.12 on the right),
# a thin green line is the cost, and a grey dotted vertical line marks where
# the cost first rises (at step 1 on the left, 105 on the right). On the left,
# for the first few dozen steps the blue line jumps far above and below the
# orange line and the green cost zig-zags wildly; after that the cost becomes
# a smooth line that falls slowly, and the sharpness settles below the
# orange line: lowest near step 110 (0.77 times 2/α, printed above), then
# rising slowly to just under the line, where it stays until the end. On the right the blue line starts above the
# orange line (2.034, printed above), is far below it at the next measurement,
# then rises to a hump and falls back with small wiggles to 0.1995 at the end,
# below the line from the second measurement on, while the green cost falls with no visible rise.

# %% [markdown]
# On raw inputs the start is violent (41 of the first 100 steps raise the
# cost, one of them twelvefold), and the sharpness is above $2/\alpha$ at
# 3 of the 10 measurements before step 100, up to 2.43 times it. Yet the
# run survives: after step 100 no step raises the cost, and at every
# measurement from step 100 on the sharpness is *under* $2/\alpha$, between
# 0.77 and 0.95 times it (0.92 times at the end), close to the edge; the
# next rate of the grid, 0.000562, already oscillates. Scaled, the run *starts* above the edge (1.81 times
# $2/\alpha$), is far below it at the next measurement (0.387 at step 10),
# and from step 100 on stays below 0.7 times $2/\alpha$ (0.18 times at the
# end).
#
# So $\alpha < 2/\lambda_{\max}$ does not have to hold at every step: the
# two runs measured, at the largest rate that works on raw and on scaled
# inputs, both break it early on and survive. What they share is where
# the sharpness goes after that: below $2/\alpha$, close under it on raw
# inputs and far under it on scaled ones. Neither the early excursions nor
# where the sharpness ends up are predicted by the initial sharpness; that
# is why the sweep measures instead of predicting.
#
# The whole sweep in one figure: final cost against learning rate (filled
# where the rate works), the largest rates that work (dashed) and
# $2/\lambda_{\max}$ of the initial weights (dotted).

# %%
fig, ax = plt.subplots(figsize=(8, 4.6), layout="constrained")
for colour, name in zip(OKABE_ITO, inputs):
    finals = np.array([run.final_cost for run in sweep[name]])
    ok = np.array([works(run) for run in sweep[name]])
    ax.plot(rates, finals, color=colour, linewidth=1, label=f"{name} inputs")
    ax.plot(rates[ok], finals[ok], "o", color=colour, markersize=6)
    ax.plot(rates[~ok], finals[~ok], "x", color=colour, markersize=6)
    ax.axvline(largest[name], color=colour, linestyle="--", linewidth=1.2,
               label=f"largest rate that works, {name}: {largest[name]:.3g}")
    ax.axvline(2 / initial_sharpness[name], color=colour, linestyle=":", linewidth=1.2,
               label=f"2/λ_max at the start, {name}: {2 / initial_sharpness[name]:.3g}")
ax.axhline(constant_cost, color="0.5", linestyle="-.", linewidth=1, label="constant-answer cost")
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel("learning rate α (log scale)")
ax.set_ylabel("cost after 400 steps (log scale)")
ax.set_title("Breast cancer, [30, 16, 8, 1]: scaled inputs take rates thousands of times larger\n"
             "(● works, × does not)")
ax.legend(fontsize=7.5, loc="lower left")
plt.show()

# %% [markdown]
# *Figure, in words:* One panel with the learning rate α on a log horizontal
# axis and the cost after 400 steps on a log vertical axis; each rate of the
# sweep is a marker, a filled dot where the rate works and a cross where it
# does not, joined by a thin line, blue for raw inputs and orange for scaled
# inputs. Vertical lines in the same colours mark the largest rate that works
# (dashed: 0.000316 raw, 1.78 scaled) and 2/λ_max at the start (dotted:
# 0.00231 raw, 0.983 scaled), and a grey dash-dotted horizontal line marks the
# constant-answer cost. The blue markers start above the grey line, dip below
# it in a mix of dots and crosses to their lowest at the blue dashed line, and
# from a little beyond the blue dotted line run as a row of crosses along the
# grey line to the right edge, except the last, at α = 10, which sits above
# it (0.811 in the table), on the same spot as the last orange cross. The
# orange markers run as crosses just above the grey line at the small rates,
# then cross below it and fall steeply, all dots, levelling off near their
# lowest (0.00104 at α = 1, 0.000712 at 1.78 in the table) at the orange
# dashed line, just right of the orange dotted one, and then
# shoot back up, as crosses, to the grey line and above.

# %% [markdown]
# ## 3. The second problem: odd/even is a representation problem
#
# Back to the question. With the fixes (inputs $X / 10$, the stable loss,
# 1.2, now stable), train the `[1, 1, 1]` network for a long time, and then
# from 16 other starting points:

# %%
plateau = cl.fit(X_oe10, Y_oe, [1, 1, 1], learning_rate=1.2, num_iterations=5000,
                 rng=np.random.RandomState(3), init="small")
predicted = cl.predict(X_oe10, plateau.params)
print(f"[1, 1, 1] on x / 10: {plateau.verdict()}")
print(f"predictions {predicted.ravel()}, accuracy {cl.accuracy(predicted, Y_oe):.0%}")
print(f"labels      {Y_oe.ravel().astype(int)}")

others = []
for seed in range(8):
    for scheme in ("small", "he"):
        run = cl.fit(X_oe10, Y_oe, [1, 1, 1], learning_rate=1.2, num_iterations=2000,
                     rng=np.random.default_rng(seed), init=scheme)
        others.append((run.lowest_cost, cl.accuracy(cl.predict(X_oe10, run.params), Y_oe)))
best_cost, best_accuracy = min(cost for cost, _ in others), max(acc for _, acc in others)
print(f"16 other starts: lowest cost {best_cost:.4g}, best accuracy {best_accuracy:.0%}")

# %% [markdown]
# The cost plateaus well above 0 and the accuracy stays at 60%: the network
# says "odd" up to 5 and "even" after. Is 60% a coincidence? The maths
# section showed that this network's output is monotone in $x$, so its
# answers are one cut of the number line: "odd" on one side of a threshold,
# "even" on the other. Try every cut:

# %%
x, y = X_oe.ravel(), Y_oe.ravel().astype(int)
best_cut = max(
    float(np.mean(np.where(x < threshold, first, 1 - first) == y))
    for threshold in np.arange(0.5, 11.5, 1.0)
    for first in (0, 1)
)
print(f"best accuracy of any single threshold on 1, ..., 10: {best_cut:.0%}")

# %% [markdown]
# 60% is the best any single cut can do, and the trained network reached it.
# No learning rate, scaling or loss can take the `[1, 1, 1]` network beyond
# it: parity is not a monotone function of $x$, since it flips between
# every two neighbouring whole numbers. The rising cost was an
# optimisation problem; this plateau is a **representation** problem.
#
# ### (a) A bigger network memorises, and that is all
#
# A network with two hidden layers of 32 units can draw many cuts. We give
# it every advantage: inputs scaled to $[0, 1]$ by dividing by the largest
# training value, tanh hidden units with the initialisation notebook 01
# recommends for them (the scheme `xavier`, LeCun's scale $\sqrt{1/n_{l-1}}$),
# the stable loss and Adam (a variant of gradient descent that moves each
# parameter by a step of the order of the learning rate, whatever the size of its
# gradient; notebook 09 explains it), 2000 steps, from three random starts. Then we ask
# it about 11, ..., 20, scaled with the *training* maximum.

# %%
to_unit = cl.fit_scaling(X_oe, "divide by max")
X_new = np.arange(11, 21, dtype=float).reshape(1, 10)
Y_new = X_new % 2
print(f"inputs divided by {float(to_unit.scale[0, 0]):g}: 1..10 becomes {float(to_unit.transform(X_oe).min()):g}..1, "
      f"11..20 becomes {float(to_unit.transform(X_new).min()):g}..{float(to_unit.transform(X_new).max()):g}")
memorisers = []
for seed in range(3):
    big = cl.fit(to_unit.transform(X_oe), Y_oe, [1, 32, 32, 1], learning_rate=0.01, num_iterations=2000,
                 rng=np.random.default_rng(seed), init="xavier", hidden_activation="tanh", optimizer="adam")
    memorisers.append(big)
    seen = cl.accuracy(cl.predict(to_unit.transform(X_oe), big.params, "tanh"), Y_oe)
    new = cl.predict(to_unit.transform(X_new), big.params, "tanh")
    print(f"start {seed}: final cost {big.final_cost:.2g}, accuracy on 1..10 {seen:.0%}, "
          f"on 11..20 {cl.accuracy(new, Y_new):.0%} (predicts {new.ravel()})")

# %% [markdown]
# It gets all ten training numbers right, with a cost near 0, and then
# answers "even" for every number from 11 to 20: 50%, a coin toss. It has
# *memorised* ten points by bending its output up and down between them;
# nothing in $x$ tells it to keep alternating beyond 10.
#
# ### (b) A better representation: $\cos(\pi x)$
#
# For whole numbers, $\cos(\pi x) = (-1)^x$: $-1$ for odd, $+1$ for even.
# With that one feature (or $x \bmod 2$) instead of $x$, the answer *is* a
# monotone function of the input. The original program, unchanged apart from
# its input: `[1, 1, 1]`, small initialisation from `RandomState(3)`, the
# naive loss, the lecture's backward path, $\alpha = 1.2$, 3000 steps. Then
# we test it on 11, ..., 100.

# %%
def parity_feature(X):
    """cos(pi x) for each entry of X (1, m): -1 for odd whole numbers, +1 for even ones."""
    return np.cos(np.pi * X)


X_far = np.arange(11, 101, dtype=float).reshape(1, 90)
Y_far = X_far % 2
cosine = cl.fit(parity_feature(X_oe), Y_oe, [1, 1, 1], learning_rate=1.2, num_iterations=3000,
                rng=np.random.RandomState(3), init="small", loss="naive")
print(f"[1, 1, 1] on cos(πx): {cosine.verdict()}")
print(f"first step that raised the cost (first_rise): {cosine.first_rise}; final cost {cosine.final_cost:.2g}")
print(f"the cost fell at every one of its {cosine.costs.size - 1} steps: {bool(np.all(np.diff(cosine.costs) < 0))}")
print(f"accuracy on 1..10  : {cl.accuracy(cl.predict(parity_feature(X_oe), cosine.params), Y_oe):.0%}")
print(f"accuracy on 11..100: {cl.accuracy(cl.predict(parity_feature(X_far), cosine.params), Y_far):.0%}")

# %% [markdown]
# The same tiny network, the same learning rate that made the cost rise,
# even the naive loss: the cost now falls at every one of the 3000 steps, to 0.00031, and
# every number from 11 to 100 is classified correctly. The three networks
# side by side, as functions of a continuous $x$ from 0.5 to 20.5 (the grey
# band is the training range):

# %%
grid = np.linspace(0.5, 20.5, 801).reshape(1, -1)
curves = {
    "[1, 1, 1] on x / 10: one threshold": cl.predict_proba(grid / 10, plateau.params),
    "[1, 32, 32, 1] on x / 10: memorised": cl.predict_proba(to_unit.transform(grid), memorisers[0].params, "tanh"),
    "[1, 1, 1] on cos(πx): parity": cl.predict_proba(parity_feature(grid), cosine.params),
}
numbers = np.arange(1, 21)
fig, axes = plt.subplots(1, 3, figsize=(13, 3.6), layout="constrained", sharey=True)
for ax, (title, probability) in zip(axes, curves.items()):
    ax.axvspan(0.5, 10.5, color="0.92")
    ax.plot(grid.ravel(), probability.ravel(), color=OKABE_ITO[0], linewidth=1.2)
    ax.axhline(0.5, color="0.5", linestyle=":", linewidth=1)
    odd = numbers % 2 == 1
    ax.plot(numbers[odd], np.ones(odd.sum()), "^", color=OKABE_ITO[1], label="odd (label 1)")
    ax.plot(numbers[~odd], np.zeros((~odd).sum()), "o", color=OKABE_ITO[2], label="even (label 0)")
    ax.set_xticks([1, 5, 10, 15, 20])
    ax.set_xlabel("x (the number; training range shaded)")
    ax.set_title(title, fontsize=10)
axes[0].set_ylabel("predicted probability of odd")
axes[0].legend(fontsize=8, loc="center right")
fig.suptitle("Only the right feature makes the answer alternate beyond 10")
plt.show()

# %% [markdown]
# *Figure, in words:* Three panels side by side sharing one vertical axis, the
# predicted probability of odd, with the number x on the horizontal axis from
# 1 to 20 and the training range, 1 to 10, shaded grey; in each, orange
# triangles at height 1 mark the odd numbers (label 1), green dots at height 0
# the even ones (label 0), a grey dotted horizontal line marks one half, and a
# blue line is the network's predicted probability for every x in between. In
# the left panel, [1, 1, 1] on x / 10, the blue line starts above one half
# with a short flat piece up to about x = 0.8, just left of the first
# training number (the hidden ReLU is off there),
# then falls steadily, crossing the dotted line once,
# between 5 and 6, as the printed predictions say. In the middle panel, [1,
# 32, 32, 1] on x / 10, the blue line swings up to each triangle and down to
# each dot inside the shaded range, then stays flat at 0 from just after 10 to
# the end. In the right panel, [1, 1, 1] on cos(πx), the blue line swings up
# to every triangle and down to every dot across the whole axis, inside and
# outside the shaded range.

# %% [markdown]
# So the honest answer to the original question has two parts:
#
# 1. **The rising cost** was an optimisation problem: a step too large for
#    the curvature, which unscaled inputs make large. Scale the inputs
#    (or take smaller steps) and the cost no longer climbs back above its
#    lowest point; compute the loss on the logits and it cannot turn into
#    `inf` or `nan` while the logits are finite.
# 2. **The plateau** is a representation problem: from the raw number, a
#    `[1, 1, 1]` network can only cut the line once, and the big network we
#    tried (three starts) only memorised the ten numbers. Give it a feature
#    in which the answer is simple, and even the smallest network learns it
#    and generalises.
#
# ## 4. When your cost rises: a checklist
#
# 1. **Is it `nan` or `inf`?** Look at the step where it happened and at the
#    outputs: a probability rounded to 0 or 1 makes the naive loss `nan` if it matches the
#    label and `inf` if it does not. Use the loss on
#    the logits and $dZ = A - Y$. ([03](03-cost.ipynb), [04](04-backprop.ipynb),
#    [06](06-rising-cost.ipynb), part 1 here.)
# 2. **Are the inputs scaled?** Print each feature's range. Standardise with
#    the training set's statistics only, and apply them to the test set.
#    ([06](06-rising-cost.ipynb), [07](07-why-it-rises.ipynb), parts 1 and 2 here; the exercise below.)
# 3. **Is the step too large for the curvature?** If the cost falls, then
#    bounces up, compare $\alpha$ with $2/\lambda_{\max}$, or sweep the rate
#    on a log grid and keep one safely below the largest that works.
#    ([07](07-why-it-rises.ipynb), part 2 here, the range test in [09](09-beyond.ipynb).)
# 4. **Has the network died?** A cost stuck at the constant-answer value,
#    with no live ReLU unit, means a step (or an initialisation) threw every
#    unit below zero. Lower the rate, scale the inputs, and use He
#    initialisation; He alone does not prevent it (in part 2, He-initialised
#    runs on raw inputs ended with a whole hidden layer dead at every rate
#    from 0.00316 up). ([01](01-initialize.ipynb), [06](06-rising-cost.ipynb), part 1 here.)
# 5. **Are the gradients right?** A wrong backward pass can make a cost
#    rise at any rate: check it with finite differences. ([04](04-backprop.ipynb).)
# 6. **Does the cost stop falling well above 0?** That is not a rise. Ask
#    whether the model *can* represent the answer from the inputs it gets,
#    and test it on data it has not seen. (Part 3 here.)
# 7. **Still slow after all that?** Momentum or Adam, and a learning-rate
#    range test. ([09](09-beyond.ipynb).)
#
# ## Your turn
#
# Write `standardize(X_train, X_test)`. Both arrays have one feature per row
# and one example per column, `(n_x, m_train)` and `(n_x, m_test)`. Return a
# pair `(X_train_scaled, X_test_scaled)`: each row shifted by its mean and
# divided by its standard deviation, both computed on `X_train` only (use
# NumPy's default standard deviation, `ddof=0`). Build new arrays; do not
# change the ones you were given. If a row of `X_train` is constant, its
# standard deviation is 0 and dividing by it gives `nan`; `cl.Standardizer`
# divides by 1 there instead (see the note under the solution). The check
# uses no constant rows, so your function need not handle them.
#
# Replace the `raise` line with your code and run the cell. The check
# compares your result with `cl.Standardizer` on sets whose test part has its
# own mean and spread, and tells you, for the most common mistakes (the test
# set's own statistics, both sets pooled, `ddof=1`, no division, a mix of
# training and test statistics), which one you made. It needs only this cell
# and the imports at the top.

# %%
def standardize(X_train, X_test):
    """Return (X_train_scaled, X_test_scaled), both scaled with X_train's per-row mean and standard deviation."""
    raise NotImplementedError  # your code here


check(standardize, "standardize")

# %% [markdown] tags=["solution"]
# <details>
# <summary><b>Show a solution</b> (try first!)</summary>
#
# ```python
# def standardize(X_train, X_test):
#     mean = X_train.mean(axis=1, keepdims=True)  # (n_x, 1): one mean per feature (row)
#     std = X_train.std(axis=1, keepdims=True)    # (n_x, 1)
#     return (X_train - mean) / std, (X_test - mean) / std
# ```
#
# `axis=1` averages along each row, over the examples; `keepdims=True` keeps
# the result a column, `(n_x, 1)`, so that it broadcasts across the `m`
# columns of either set. The test set is shifted and scaled with the
# *training* statistics, even though its own mean and spread differ: that is
# the point. `cl.Standardizer` does one more thing: a feature that is
# constant in the training set has standard deviation 0, and dividing by it
# would give `nan`, so it divides by 1 there instead.
# </details>

# %% [markdown]
# The library's version, read from the library itself. `fit` learns the
# statistics from the training set and `transform` applies them to any set:

# %%
show_source(cl.Standardizer)

# %% [markdown]
# ## The answer to the first question, on one screen
#
# The cell below gathers the answer's numbers. It measures again the
# sharpness (lines 2, 3 and 4) and the runs at 0.84, 0.85 and 0.003 (line 3);
# the rest comes from the cells above, and line 5's lowest cost and its 60% restate
# notebook 07's search (the cost through its formula); the table after it says what each number means and links to the
# cell that first measured it and explains it.

# %%
original = odd_even_runs["original (raw x, naive, α = 1.2)"]
params_here, sharpness_by_step = cl.init_params([1, 1, 1], np.random.RandomState(3), scheme="small"), []
for step in range(61):  # the original run, with the sharpness (full 4 x 4 Hessian) before each step
    sharpness_by_step.append(float(np.linalg.eigvalsh(cl.full_hessian(X_oe, Y_oe, params_here))[-1]))
    _, grads_here = cl.cost_and_gradients(X_oe, Y_oe, params_here, loss="naive")
    params_here = cl.gradient_descent_step(params_here, grads_here, 1.2)
crossing = next(step for step, value in enumerate(sharpness_by_step) if value > 2 / 1.2)
boundary = {rate: odd_even_run(X_oe, False, rate) for rate in (0.84, 0.85)}
sharpness_settled = float(np.linalg.eigvalsh(cl.full_hessian(X_oe, Y_oe, boundary[0.84].params))[-1])
scaled_run = odd_even_runs["x / 10, naive, α = 1.2"]
scaled_steps = cl.training_steps(cl.init_params([1, 1, 1], np.random.RandomState(3), scheme="small"),
                                 itertools.repeat((X_oe10, Y_oe), 3000), itertools.repeat(1.2), loss="naive")
scaled_sharpness = max(float(np.linalg.eigvalsh(cl.full_hessian(X_oe10, Y_oe, params))[-1])
                       for step, (params, _, _) in enumerate(scaled_steps) if step % 10 == 0)
slow = cl.fit(X_oe, Y_oe, [1, 1, 1], learning_rate=0.003, num_iterations=7000, rng=np.random.RandomState(3),
              init="small", loss="naive")
print(f"1. α = 1.2: lowest cost {original.lowest_cost:.4f} at step {original.lowest_iteration}, "
      f"first rise at step {original.first_rise}, final cost {original.final_cost:.4f}")
print(f"2. sharpness {sharpness_by_step[0]:.4f} at the start, above 2/α = {2 / 1.2:.4f} from step {crossing}, "
      f"{sharpness_by_step[60]:.4f} at step 60")
print(f"3. first rise in 3000 steps: α = 0.84 {boundary[0.84].first_rise}, α = 0.85 {boundary[0.85].first_rise}; "
      f"sharpness where the 0.84 run settles {sharpness_settled:.4f}, 2 / it = {2 / sharpness_settled:.4f}")
print(f"   α = 0.84: final cost {boundary[0.84].final_cost:.4f}, "
      f"accuracy {cl.accuracy(cl.predict(X_oe, boundary[0.84].params), Y_oe):.0%}")
print(f"   α = 0.003, 7000 steps (our run of the question's second try): first rise {slow.first_rise}, "
      f"cost {slow.costs[0]:.4f} -> {slow.final_cost:.4f}")
print(f"4. x / 10 at α = 1.2: final cost {scaled_run.final_cost:.4f}, lowest {scaled_run.lowest_cost:.4f} "
      f"({scaled_run.status}); first bump at step {scaled_run.first_rise}, {describe_rises(scaled_run)}")
print(f"   x / 10: accuracy {cl.accuracy(cl.predict(X_oe10, scaled_run.params), Y_oe):.0%}; highest sharpness "
      f"over the 3000 steps (every 10th) {scaled_sharpness:.2f}, against 2/α = {2 / 1.2:.4f}")
print(f"5. best single threshold on 1..10: {best_cut:.0%}; [1, 1, 1] lowest found about (9/10) H(4/9) = "
      f"{0.9 * -(4 / 9 * np.log(4 / 9) + 5 / 9 * np.log(5 / 9)):.4f}, and 60% right (notebook 07's search, restated)")
print(f"6. [1, 1, 1] on cos(πx): accuracy on 11..100 "
      f"{cl.accuracy(cl.predict(parity_feature(X_far), cosine.params), Y_far):.0%}")

# %% [markdown]
# **The question**: the cost of a from-scratch `[1, 1, 1]` network on the
# numbers 1 to 10 (odd or even) fell for a while and then rose; neither a
# smaller learning rate nor more iterations helped
# ([the question, told in notebook 06](06-rising-cost.ipynb#The-two-questions)).
#
# **The answer** has two parts.
#
# | | what happens | the numbers (printed above) | measured and explained in |
# | --- | --- | --- | --- |
# | 1 | At the class's learning rate the cost falls, then rises, and in 3000 steps never gets back down. | lowest 0.6779 at step 60, first rise at step 61 (line 1) | [06, section 1](06-rising-cost.ipynb#1.-The-original-question:-the-cost-falls,-then-rises) |
# | 2 | The *sharpness* (the largest curvature of the cost) grows during training and passes the limit $2/\alpha$ of a step of size $\alpha$. The cost rises some 30 steps later, once the zig-zag along the sharpest direction, growing by $\lvert 1 - \alpha\lambda_{\max}\rvert$ per step, has become most of the gradient. | 0.2735 at the start, above 1.6667 from step 27, 2.2954 at step 60 (line 2) | [07, the sharpness along the run](07-why-it-rises.ipynb#The-sharpness-along-the-original-run), [why the rise comes later](07-why-it-rises.ipynb#Why-the-rise-comes-later-than-the-crossing) |
# | 3 | Which rates rise is set by the curvature of the minimum that the runs from 0.1 to 0.84 all reach (notebook 06's table): no rise up to 0.84, a rise from 0.85. In our reproduction of the question's second try, 0.003 did not rise; it was slower: after 7000 steps still above the cost at which 0.84 ends (0.6838 against 0.6779). | first rise: none at 0.84, step 1019 at 0.85; sharpness there 2.3874, limit 0.8377; at 0.003 no rise, 0.6932 to 0.6838 in 7000 steps, against 0.6779 at 0.84 (line 3) | [06, section 1](06-rising-cost.ipynb#1.-The-original-question:-the-cost-falls,-then-rises), [07, why 0.84 does not rise](07-why-it-rises.ipynb#Why-0.84-does-not-rise-and-0.85-does), [above the boundary](07-why-it-rises.ipynb#Above-the-boundary:-where-the-sharpness-ends) |
# | 4 | Unscaled inputs make that curvature large (for the same function the first-layer block grows with the square of the input scale; with the same weights the network also computes a different function; 07, part 4, measures both). Dividing $x$ by 10, as a comment suggested, keeps the sharpness below $2/\alpha$ at the same rate 1.2 (measured at every 10th of the 3000 steps, it is at most 0.71, against $2/\alpha = 1.6667$): the cost no longer climbs back above its lowest point, and the run ends there; only 8 tiny bumps remain on the way. | x / 10: final cost = lowest cost 0.6779; 8 rising steps, the largest by 0.06%; sharpness at most 0.71 against 1.6667 (line 4) | [07, part 4](07-why-it-rises.ipynb#Part-4:-why-the-scale-of-the-inputs-matters), [08, the odd/even runs](#The-original-odd/even-question,-with-the-fixes) |
# | 5 | The plateau is a second, separate problem: this network's output is monotone in $x$, so it cuts the number line once, and odd/even needs a cut between every two numbers. The lowest cost found for it (about 0.618, notebook 07's search) is still 60% right. From the question's start, where the rise is stopped (x / 10 at 1.2) or does not show in 3000 steps (raw x at 0.84, held there by rounding, notebook 07), it ends at 0.6779, also 60%; at 1.2 on raw x it ends above that, still bouncing. | best threshold 60%, best cost 0.6183 (line 5); 0.6779 and 60% at 0.84 (line 3) and on x / 10 (line 4) | [08, part 3](#3.-The-second-problem:-odd/even-is-a-representation-problem), [07, how low it can go](07-why-it-rises.ipynb#How-low-can-this-network-go) |
# | 6 | With a feature in which the answer is simple, $\cos(\pi x)$, the same network at the same rate learns parity and generalises. | 100% on 11..100 (line 6) | [08, part 3 (b)](#3.-The-second-problem:-odd/even-is-a-representation-problem) |
#
# In one sentence: the learning rate 1.2 is too large for the curvature that
# this network's cost develops on unscaled inputs, so gradient descent
# overshoots and the cost rises; scaling the inputs (or a rate below
# $2/\lambda^* \approx 0.838$) stops the cost climbing back above its lowest point, but the network
# still cannot learn odd/even from the raw number, because one ReLU unit can
# only draw one threshold.

# %% [markdown]
# ## Summary
#
# - Each fix repairs one failure. Scaling makes the curvature small enough
#   for ordinary learning rates (and, at the rates that work, keeps ReLU units
#   alive); the loss on the
#   logits keeps a confident network from turning the cost into `inf` or `nan`; a
#   smaller rate keeps the step below $2/\lambda_{\max}$.
# - On breast cancer, no single fix was enough: raw inputs
#   either hit `nan` at step 2 (naive loss, rate 1) or killed every first-layer unit
#   (stable loss, or the rate 0.1), and scaled inputs with
#   the naive loss ended in `nan` after learning well. Scaling with the
#   stable loss worked; all three together reached the test accuracy above.
# - Scaling moved the largest learning rate that works up by a factor of
#   thousands and divided the initial sharpness by hundreds. $2/\lambda_{\max}$
#   of the initial weights did not predict the limit: the runs at the
#   largest rates that work (0.000316 raw, 1.78 scaled) went above
#   $2/\alpha$ early on and survived; from step 100 on their
#   sharpness stayed under $2/\alpha$, between 0.77 and 0.95 times it (raw),
#   or far under it (scaled).
# - On odd/even, $X / 10$ stops the cost climbing back above its lowest
#   point at the question's own rate 1.2 (only bumps of a few hundredths of
#   a percent remain). The cost then plateaus: a monotone network makes one
#   cut and gets at most 60% right. Our big network memorised the ten
#   numbers and answered "even" for every number from 11 to 20; the feature
#   $\cos(\pi x)$ lets `[1, 1, 1]` learn parity and generalise perfectly.
#
# ## Questions to think about
#
# 1. In part 1, "stable + smaller" ended with every first-layer unit dead.
#    Part 2 found the largest rate that works on raw inputs from He
#    initialisation. Would you expect part 1's small initialisation to need
#    a smaller or a larger rate, how would you find out, and how many steps
#    would you then need to reach the test accuracy of "all three"?
# 2. We fitted the scaler on the training set only. Suppose you standardised
#    the whole data set before splitting it. Would the test accuracy be
#    higher or lower, and would it still measure what it claims to?
# 3. The memorising network used tanh units. Sketch what a ReLU network of
#    the same size would predict for 11, ..., 20, given that ReLU networks
#    are piecewise linear and continue in a straight line beyond the data.
# 4. $\cos(\pi x)$ solved odd/even because we knew the answer. What would you
#    do for a task where you do not know the right feature in advance?

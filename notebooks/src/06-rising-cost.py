# %% [markdown]
# # 06 · The rising cost, reproduced
#
# **Goal.** Reproduce, with course_lib, the two situations this course was
# written for: a small network whose cost falls and then *rises* during
# gradient descent, and a loss that explodes. Section 3 below shows the
# explosion in its simplest form, a loss that grows from about a hundred (the
# thousands after one step) past a trillion until it overflows to `inf`; a
# set-up modelled on the question (a network trained on mini-batches, in
# float32 and float64; the network, loss and batch size are the course's
# assumptions), where the loss passes a trillion within a few steps and
# reaches `nan` within one epoch, is in
# [notebook 10](10-second-question.ipynb). We measure first and explain afterwards: this
# notebook shows *what* happens, for which learning rates, and where;
# notebook 07 explains *why*; notebook 08 fixes it.
#
# The four experiments:
#
# 1. the original odd/even network, at the learning rates its author tried and many more;
# 2. a real data set with unscaled features, where the naive cost becomes `nan`;
# 3. least-squares regression, where the loss explodes at one learning rate and not at one ten times smaller;
# 4. the divergence lab, a widget to run your own experiments.

# %% [markdown]
# ## The two questions
#
# Both were asked on public question-and-answer sites, whose posts are
# licensed CC BY-SA (Creative Commons Attribution-ShareAlike). We tell them,
# and the answers they received, in our own words; no text or code of theirs
# is copied into the course. The credit belongs to the askers and answerers
# named on the original pages.
#
# **The first question: "why does my cost rise after some iterations?"** A
# beginner who had just followed a well-known lecture series on deep learning
# wrote a binary classifier from scratch in NumPy, expecting the cost to fall
# at every iteration. It fell a little, then rose sharply, and changing the
# learning rate (from the class's 1.2 to 0.003) and the number of iterations
# did not help. The data: the numbers 1 to 10, unscaled, labelled 1 if odd;
# the network: one ReLU hidden unit and a sigmoid output, weights
# `randn * 0.01` after seeding NumPy with 3, the cross-entropy computed on the
# probabilities, plain gradient descent. The comments suggested a much
# smaller learning rate (1e-5) and scaling the input, for example dividing
# it by 10. We could not find that page again to link it.
#
# **The second question: "why does the learning rate make my weights
# explode?"**
# ([Data Science Stack Exchange, question 15962](https://datascience.stackexchange.com/questions/15962/why-is-learning-rate-causing-my-neural-networks-weights-to-skyrocket)).
# Someone training a small network with TensorFlow got `nan` weights. With a
# learning rate of 0.001 the loss went from thousands to about a trillion
# within one epoch, then to `nan`; with 0.0001 everything worked. They asked
# why one order of magnitude matters so much, and how a function that
# *minimises* the loss can make it grow. A comment asked how the weights were
# initialised; another suggested the Adam optimiser. One answer pointed to
# chapter 8 of Goodfellow, Bengio and Courville's *Deep Learning*: the
# problem may be ill-conditioned, and to second order a gradient step changes
# the cost by a first-order fall plus a curvature term that grows with the
# square of the step, so when the curvature is large the step raises the
# cost. Another answer gave two reasons: with mini-batches each step is
# judged on new data, so the loss can look higher even after a good step; and
# on a parabola a step that is too long lands on the other side, farther
# out each time.
#
# Where the course answers them: the first in this notebook (section 1),
# [07](07-why-it-rises.ipynb) and [08](08-fixing-it.ipynb); the second in
# section 3 below, [07](07-why-it-rises.ipynb) (the curvature term, measured),
# [09](09-beyond.ipynb) (Adam) and [10](10-second-question.ipynb)
# (mini-batches and float32, in a set-up modelled on the question; its
# Part 4, "the Taylor terms and the sharpness", measures the curvature term
# and the sharpness in that set-up).

# %% [markdown]
# ## The maths
#
# **The network of the first question.** One input, one ReLU hidden unit, one
# sigmoid output: `layer_dims = [1, 1, 1]`. With $m = 10$ examples,
#
# $$
# \begin{aligned}
# X &\in \mathbb{R}^{1 \times 10} \ (\text{the numbers } 1, \dots, 10), &
# Y &\in \{0, 1\}^{1 \times 10} \ (1 \text{ for odd}), \\
# A^{[1]} &= \operatorname{ReLU}\big(W^{[1]} X + b^{[1]}\big) \in \mathbb{R}^{1 \times 10}, &
# W^{[1]} &\in \mathbb{R}^{1 \times 1},\ b^{[1]} \in \mathbb{R}^{1 \times 1}, \\
# A^{[2]} &= \sigma\big(W^{[2]} A^{[1]} + b^{[2]}\big) \in \mathbb{R}^{1 \times 10}, &
# W^{[2]} &\in \mathbb{R}^{1 \times 1},\ b^{[2]} \in \mathbb{R}^{1 \times 1},
# \end{aligned}
# $$
#
# and the naive cross-entropy of notebook 03, computed on the probabilities
# $A^{[2]}$:
#
# $$J = -\frac{1}{m} \sum_{i=1}^{m} \Big( y^{(i)} \log a^{(i)} + \big(1 - y^{(i)}\big) \log\big(1 - a^{(i)}\big) \Big).$$
#
# A network that answers $a = \tfrac12$ for every example has $J = \log 2$.
#
# **One step of gradient descent**, with all parameters in one vector
# $\theta$ and $g = \nabla_\theta J$, is $\theta \leftarrow \theta - \alpha g$.
# To second order (notebook 05),
#
# $$J(\theta - \alpha g) - J(\theta) \approx -\alpha\, g^\top g + \frac{\alpha^2}{2}\, g^\top H g,$$
#
# with $H$ the matrix of second derivatives. The first term always lowers the
# cost; the second, the curvature term, grows with $\alpha^2$. So a small
# enough step always goes downhill (while $g \neq 0$). If the cost curves up
# along the gradient, $g^\top H g > 0$, the curvature term wins for large
# enough $\alpha$: to second order the step goes *uphill* once
# $\alpha > 2\, g^\top g / g^\top H g$. If $g^\top H g \le 0$ the second
# order predicts no rise at all (any rise must then come from higher-order
# terms). Notebook 07 measures both terms; here we only look
# at what the cost does.
#
# **Least squares**, for the second question. One feature $x \in \mathbb{R}^{1 \times m}$,
# targets $y \in \mathbb{R}^{1 \times m}$, a weight $w$ and a bias $b$:
#
# $$J(w, b) = \frac{1}{2m} \big\lVert w\, x + b - y \big\rVert^2 .$$
#
# Stack $x$ over a row of ones into $\tilde X \in \mathbb{R}^{2 \times m}$; then
# the Hessian is the constant $2 \times 2$ matrix $H = \tilde X \tilde X^\top / m$,
# and $J$ is exactly quadratic. Its eigenvalues $\lambda_1 \le \lambda_2 = \lambda_{\max}$
# will tell us which learning rates work.

# %% [markdown]
# ## The code
#
# Sections 1, 2 and 4 train with `cl.fit` (notebook 05); section 3 has its own
# least-squares loops. `fit`'s `History` names what
# the cost curve did with a status. The rule, from the library:

# %%
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import FixedLocator, NullLocator

import course_lib as cl
from course_lib.data import breast_cancer_feature_names
from course_lib.exercises import check, show_source
from course_lib.plotting import OKABE_ITO, plot_costs, plot_feature_ranges
from course_lib.quadratic import least_squares_descent, least_squares_hessian

show_source(cl.train.classify_run)

# %% [markdown]
# `_rise_fraction` counts a step as raising the cost only if the cost grows
# by more than rounding, a relative `RISE_TOLERANCE`, the same test that
# `first_rise` uses:

# %%
print(f"RISE_TOLERANCE = {cl.train.RISE_TOLERANCE:g}")
show_source(cl.train._rise_fraction)

# %% [markdown]
# `first_rise` is the first iteration whose cost is higher than the one
# before by more than rounding (you will write it yourself at the end, with
# the tolerance), and `verdict()` puts it all
# in one line.
#
# ## 1. The original question: the cost falls, then rises
#
# The set-up as the question had it (with one difference, in brackets
# below): $X = 1, \dots, 10$ unscaled,
# `[1, 1, 1]`, weights drawn with `np.random.RandomState(3)` times 0.01, the
# naive loss, and the lecture's way back through the output layer ($dA$ first,
# then the sigmoid derivative). (Its posted code computed the sigmoid with
# `math.exp` wrapped in `np.vectorize`, one number at a time, as notebook 02
# says; here `fit` uses the course's `cl.sigmoid`.) Its author used the class's learning rate,
# 1.2 for 3000 iterations, then tried 0.003 for 7000:

# %%
X, Y = cl.odd_even()
print("X =", X.ravel().astype(int), " shape", X.shape)
print("Y =", Y.ravel().astype(int), " shape", Y.shape)


def train_odd_even(rate, iterations=3000):
    """The original question's run at one learning rate."""
    return cl.fit(
        X, Y, [1, 1, 1], learning_rate=rate, num_iterations=iterations,
        rng=np.random.RandomState(3), init="small", loss="naive",
    )


original = {"α = 1.2, 3000 steps": train_odd_even(1.2, 3000), "α = 0.003, 7000 steps": train_odd_even(0.003, 7000)}
for name, run in original.items():
    print(f"{name}: cost at the start {run.costs[0]:.4f}; {run.verdict()}")
slow_steps = np.diff(original["α = 0.003, 7000 steps"].costs)
print(f"α = 0.003: the cost fell at every one of its {slow_steps.size} steps: {bool(np.all(slow_steps < 0))}")
careful, fast_run = original["α = 0.003, 7000 steps"], original["α = 1.2, 3000 steps"]
covered = (careful.costs[0] - careful.final_cost) / (careful.costs[0] - fast_run.lowest_cost)
print(f"α = 0.003 ends at {careful.final_cost:.4f}: {covered:.0%} of the way from its start down to the lowest cost"
      f" of the run at 1.2 ({fast_run.lowest_cost:.4f}), and below that run's final cost ({fast_run.final_cost:.4f})")

# %% [markdown]
# At 1.2 the cost falls to its lowest point, then rises at the very next step
# and in 3000 steps never gets back down that far: the rise of the question,
# reproduced. At 0.003 the cost does **not** rise: it falls at every one of
# its 7000 steps, from 0.6932 to 0.6838: 61% of the way down to the lowest
# cost of the run at 1.2, 0.6779, and below where that run ends, 0.688 (the
# last line). So on this set-up the smaller rate removes the rise and ends
# lower than 1.2 does, but after 7000 steps it is still above the lowest cost
# that faster rates reach (the sweep below finds 0.677857 for every rate it
# tried from 0.1 to 0.84); the question does not say what its cost did at 0.003. The right
# panel zooms in on the first 200 steps of the fast run (linear scale): the
# dot is the lowest point, the dashed line the first rise.

# %%
fast = original["α = 1.2, 3000 steps"]
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.8), layout="constrained")
plot_costs(original, ax=left, log_scale=False, title="All steps: α = 1.2 ends higher than its lowest point")
plot_costs({"α = 1.2": fast}, ax=right, log_scale=False,
           title=f"Zoom: lowest at step {fast.lowest_iteration}, then up and down")
right.axvline(fast.first_rise, color=OKABE_ITO[1], linestyle="--", linewidth=0.8)
right.set_xlim(0, 200)
right.set_ylim(0.67, 0.72)
fig.suptitle("Odd/even, [1, 1, 1], naive loss: the cost falls, then rises")
plt.show()

# %% [markdown]
# *Figure, in words:* Two panels, each with the iteration (gradient steps) on
# the horizontal axis and the cost (cross-entropy) on a linear vertical axis.
# The left panel shows both runs in full: α = 1.2, 3000 steps (oscillating) is
# a blue line that drops at once to a blue dot at its lowest point, shoots up
# in a narrow spike and then fills a band of rapid up-and-down zig-zags, above
# the dot, until step 3000; α = 0.003, 7000 steps (converging) is an orange
# line that starts at the same level, stays almost flat for thousands of steps
# and then bends gently downwards until step 7000. The right panel zooms in on
# the start of the α = 1.2 run: the cost falls smoothly to the dot at step 60,
# an orange dashed vertical line marks the first rise at step 61, and the
# curve then jumps in a few tall spikes before settling into a steady zig-zag.

# %% [markdown]
# ### Which learning rates make the cost rise?
#
# One run per learning rate, each for 3000 steps from the same starting
# weights. The last column is the largest input the hidden unit receives,
# $\max_x (W^{[1]} x + b^{[1]})$, after training; we will need it in a moment.

# %%
def sweep_row(rate, run):
    W1, b1 = run.params[0]
    largest_input = float((W1 @ X + b1).max())
    rise = "-" if run.first_rise is None else run.first_rise
    return (f"{rate:>6} | {run.lowest_cost:>11.6f} | {run.lowest_iteration:>12} | {run.final_cost:>10.6f} "
            f"| {rise:>10} | {run.status:<11} | {largest_input:>8.3g}")


rates = [0.003, 0.01, 0.03, 0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 1.0, 1.2, 2, 3]
sweep = {rate: train_odd_even(rate) for rate in rates}
print("  rate | lowest cost | at iteration | final cost | first rise | status      | max W1x+b1")
for rate, run in sweep.items():
    print(sweep_row(rate, run))

# %% [markdown]
# Up to 0.8 the cost does not rise in 3000 steps; from 0.9 on it does.
# Refine in between:

# %%
finer = {rate: train_odd_even(rate) for rate in (0.81, 0.82, 0.83, 0.84, 0.85, 0.86, 0.87, 0.88)}
print("  rate | lowest cost | at iteration | final cost | first rise | status      | max W1x+b1")
for rate, run in finer.items():
    print(sweep_row(rate, run))
sweep |= finer
no_rise = max(rate for rate, run in sweep.items() if run.first_rise is None)
rise = min(rate for rate, run in sweep.items() if run.first_rise is not None)
print(f"largest rate without a rise in 3000 steps: {no_rise}; smallest rate with one: {rise}")
calm = [run for rate, run in sweep.items() if rate <= no_rise]
print(f"runs up to {no_rise}: every rise from one step to the next below 1e-12 (rounding):"
      f" {all(np.diff(run.costs).max() < 1e-12 for run in calm)}; every cost after the lowest within 1e-12 of it:"
      f" {all(np.ptp(run.costs[run.lowest_iteration:]) < 1e-12 for run in calm)}")

# %% [markdown]
# So on this exact set-up the boundary lies between 0.84 and 0.85. The
# class's 1.2 is well above it, which is why its author saw the rise. No
# rate we tried up to 0.84 raises the cost by more than rounding in its 3000
# steps (the last line): the runs from 0.1 to 0.84 fall to their lowest cost (at
# iteration 390 for 0.84) and stay there; the slower ones are still falling
# at step 3000.
#
# Where does the boundary come from? Every run we tried from 0.1 to 0.84 ends at
# nearly the same point: the same lowest cost 0.677857, the same largest
# input 3.18, and (printed below) weights that differ by about a thousandth.
# The runs at 0.003 to 0.03 are still on their way there after 3000 steps:
# their cost is higher and their largest input smaller. The curvature
# of the cost there, its *sharpness* $\lambda^*$ (the largest eigenvalue of
# the Hessian, the $4 \times 4$ matrix of second derivatives of the cost that
# `cl.full_hessian` returns below), limits the learning rates that can stay there:
# near a minimum, each step multiplies a small zig-zag across it by
# $|1 - \alpha\lambda^*|$, which is below 1 only for $\alpha < 2/\lambda^*$
# (notebook 07 derives this rule in its maths and computes the Hessian in Part 3).

# %%
same_end = [rate for rate in sorted(sweep) if 0.1 <= rate <= 0.84]
end_weights = np.array([cl.flatten_params(sweep[rate].params) for rate in same_end])
end_sharpness = [float(np.linalg.eigvalsh(cl.full_hessian(X, Y, sweep[rate].params))[-1]) for rate in same_end]
print(f"the {len(same_end)} runs from 0.1 to 0.84: final weights differ by at most"
      f" {np.ptp(end_weights, axis=0).max():.2g}; sharpness at their ends from {min(end_sharpness):.3f} to {max(end_sharpness):.3f}")
settled = sweep[0.8]  # the point notebook 07 takes too
sharpness_settled = float(np.linalg.eigvalsh(cl.full_hessian(X, Y, settled.params))[-1])
print(f"sharpness where the run at 0.8 ends: λ* = {sharpness_settled:.4f}; 2 / λ* = {2 / sharpness_settled:.4f}")
for rate in (0.83, 0.84, 0.85, 0.9):
    print(f"α = {rate}: |1 - α λ*| = {abs(1 - rate * sharpness_settled):.4f}")
late_half = sweep[0.85].costs[1500:]
print(f"α = 0.85, steps 1500-3000: {cl.train._rise_fraction(late_half):.0%} of them raise the cost beyond rounding"
      f" (the status rule's test), the largest by {np.diff(late_half).max():.1g}")

# %% [markdown]
# The limit $2/\lambda^* \approx 0.838$ lies just below 0.84. So at 0.84
# the rule predicts a zig-zag that grows by half a percent per step, and yet
# the run at 0.84 does not rise in 3000 steps: notebook 07 finds out why (the
# zig-zag never gets started: floating-point rounding holds it in place). At
# 0.85 the factor is 1.03 per step and the cost rises after about a thousand
# steps; at 0.9 it is 1.15. Notebook 07 measures this in detail, and follows
# the runs above the boundary. Three more things the tables show:
#
# - **Close to the boundary the rise comes late.** At 0.85 the cost first
#   rises only after more than a thousand steps, so a shorter run would not
#   have seen it. The boundary we found is "for 3000 steps". Its status,
#   `oscillating`, says that more than a tenth of the steps in the second
#   half of the run raised the cost; here those bounces are at most about
#   two millionths high (the largest, 2e-06, is printed above), and the
#   final cost equals the lowest to the six digits shown.
# - **At 2 and 3 the cost ends at 0.693147**, which is $\log 2$ to six
#   digits, the cost of answering $\tfrac12$ for everyone. The last column
#   says why: the largest input of the hidden unit is negative. Check it:

# %%
print(f"log 2 = {np.log(2):.6f}")
for rate in (2, 3):
    run = sweep[rate]
    (W1, b1), (W2, b2) = run.params
    hidden_input = W1 @ X + b1
    print(f"α = {rate}: W1 = {float(W1[0, 0]):.4g}, b1 = {float(b1[0, 0]):.4g}, "
          f"W1 x + b1 <= 0 for every x: {bool((hidden_input <= 0).all())}, "
          f"output σ(b2) = {float(cl.sigmoid(b2)[0, 0]):.6f}, final cost {run.final_cost:.6f}")

# %% [markdown]
# The hidden ReLU unit is **dead**: for every $x$ from 1 to 10 its input
# $W^{[1]} x + b^{[1]}$ is negative, so it outputs 0, and its derivative
# there is 0 too. No gradient reaches $W^{[1]}$ or $b^{[1]}$ any more, so it can
# never come back. All that is left is $\sigma(b^{[2]})$, the same
# answer for every example; with five odd and five even numbers the best such
# answer is $\tfrac12$, at cost $\log 2$. When did it die? We replay the first
# 200 steps by hand and look for the first step at which the unit's input
# is non-positive for all ten examples:

# %%
for rate in (1.2, 2, 3):
    params = cl.init_params([1, 1, 1], np.random.RandomState(3), scheme="small")
    died = None
    for step in range(200):
        W1, b1 = params[0]
        if died is None and ((W1 @ X + b1) <= 0).all():
            died = step
        cost, grads = cl.cost_and_gradients(X, Y, params, loss="naive")
        params = cl.gradient_descent_step(params, grads, rate)
    print(f"α = {rate}: the hidden unit is dead from step {died}" if died is not None
          else f"α = {rate}: the hidden unit is alive for all 200 steps")

# %% [markdown]
# At 2 and 3 the unit survived the first rise, but the steps that were too
# large kept throwing its weights about until one left it switched off, for
# good. A rising cost can do lasting damage.
#
# - **Even the best run stays far above 0.** The runs that got lowest all
#   stopped at the same cost, and it is barely below $\log 2$:

# %%
best = min(sweep.values(), key=lambda run: run.lowest_cost)
print(f"lowest cost of any run: {best.lowest_cost:.4f} (α = {best.learning_rate}); log 2 = {np.log(2):.4f}")
print("predictions:", cl.predict(X, best.params).ravel(), " accuracy", cl.accuracy(cl.predict(X, best.params), Y))
print("labels:     ", Y.ravel().astype(int))

# %% [markdown]
# A perfect classifier would have a cost near 0. This one gets 6 of 10
# right by saying "odd" for small numbers and "even" for large ones. That is a
# second, separate problem: one ReLU unit and a sigmoid can only cut the
# number line once (notebook 08 shows why), and "odd or even" needs a cut between every pair of
# neighbours. No learning rate fixes that; notebook 08 comes back to it.
#
# ## 2. Real data, unscaled: the cost becomes `nan`
#
# The breast-cancer data (notebook 05) has 30 features, measured in very
# different units: areas in the thousands next to ratios below 0.1.
# This time we do **not** scale them.

# %%
X_bc, Y_bc = cl.load_breast_cancer()
names = breast_cancer_feature_names()
print(f"X {X_bc.shape}, Y {Y_bc.shape}")
largest = X_bc.max(axis=1)
for index in (int(np.argmin(largest)), names.index("radius_mean"), names.index("perimeter_mean"), int(np.argmax(largest))):
    print(f"{names[index]:>22}: from {X_bc[index].min():.4g} to {X_bc[index].max():.4g}")
positive = X_bc[X_bc > 0]
print(f"smallest positive value {positive.min():.3g}, largest value {positive.max():.4g}, "
      f"ratio {positive.max() / positive.min():.2g}")

# %%
fig, ax = plt.subplots(figsize=(6.4, 6.4), layout="constrained")
plot_feature_ranges(X_bc, names, ax=ax,
                    title="Raw breast-cancer features: their values span almost 7 powers of 10")
plt.show()

# %% [markdown]
# *Figure, in words:* One panel with a horizontal blue bar for each of the 30
# breast-cancer features, named down the vertical axis from radius_mean at the
# top to fractal_dimension_worst at the bottom. Each bar runs from the
# feature's smallest to its largest positive value along a log horizontal axis
# ("range of the feature's positive values (log scale)"). The bars sit at very
# different places: the area and perimeter features lie at the right,
# area_worst rightmost, reaching the 4254 printed above, while the smoothness,
# compactness, concavity, symmetry and fractal-dimension features lie at the
# left, mostly below 1, where fractal_dimension_se ends at the 0.02984 printed
# above.

# %% [markdown]
# The network `[30, 16, 8, 1]`, small initialisation from
# `RandomState(3)`, learning rate 0.01, 1000 steps: first with the naive loss
# and the lecture's backward path, as in the question; then with the stable
# loss on the logits and $dZ = A - Y$ (notebook 03 and 04). The two start
# from the same weights.

# %%
def train_raw(loss):
    return cl.fit(
        X_bc, Y_bc, [30, 16, 8, 1], learning_rate=0.01, num_iterations=1000,
        rng=np.random.RandomState(3), init="small", loss=loss,
    )


naive = train_raw("naive")
stable = train_raw("stable")
print("naive :", naive.verdict())
print("stable:", stable.verdict())
print(f"both start at cost {naive.costs[0]:.4f}; naive first_nonfinite: {naive.first_nonfinite}")
same = np.abs(naive.costs[: naive.first_nonfinite] - stable.costs[: naive.first_nonfinite]).max()
print(f"largest difference between the two cost curves before that: below 1e-6? {same < 1e-6}")
swings = [float(np.diff(stable.costs[first - 1:first + 100]).max()) for first in (101, 201, 301, 401)]
print("stable run, largest rise from one step to the next in iterations 101-200, 201-300, 301-400, 401-500:",
      ", ".join(f"{swing:.2g}" for swing in swings))

# %% [markdown]
# The naive cost becomes `nan` at iteration 397. Until then, the two runs
# are the same run: their costs agree to within a millionth. Both first rose
# at iteration 101. One rise alone would prove little (try 2 of the lab
# below comes back to that), but here the rises grow: the largest rise from
# one step to the next is 0.098 in iterations 101-200 and 0.75 in 401-500
# (the last line), and the stable run peaks at 1.334, far above its start at
# 0.6931. The learning rate appears too large for these raw features with
# either loss (the rises grow; notebook 08, part 2, measures it from He
# initialisation: a guide for this run). Why `nan` and not just a large
# number? Look at the network's outputs at the moment it happened:

# %%
A_L, caches = cl.model_forward(X_bc, naive.params)
saturated = A_L[0] == 1.0
print(f"largest logit z: {float(caches[-1].Z.max()):.4g}")
print(f"outputs that rounded to exactly 1.0: {int(saturated.sum())}, their labels: {Y_bc[0, saturated]}")
print(f"the stable cost of these same weights: {cl.cross_entropy_logits(caches[-1].Z, Y_bc):.4g}")

# %% [markdown]
# Two malignant examples got logits so large (the largest is above 40) that
# $\sigma(z)$ rounds to exactly 1.0. Their labels are 1, so they are *right*, but the
# naive formula still evaluates $(1 - y)\log(1 - a) = 0 \times \log 0 = 0 \times (-\infty)$,
# which is `nan`. The stable loss never forms $\log(1 - a)$, and for the
# same weights it gives an ordinary number. Notebook 07 follows `nan` back to
# where it comes from.
#
# The stable run stays finite, but it is not healthy: it keeps oscillating,
# and its verdict above names a peak well above where it started. Both curves:

# %%
fig, ax = plt.subplots(figsize=(7.5, 4), layout="constrained")
# The naive curve is drawn last, on top: the two are the same until it stops.
plot_costs({"stable loss": stable, "naive loss": naive}, ax=ax,
           title="Breast cancer, raw, α = 0.01: naive hits nan; stable stays finite but spikes")
plt.show()

# %% [markdown]
# *Figure, in words:* One panel with the iteration (gradient steps) on the
# horizontal axis and the cost (cross-entropy) on a log vertical axis, for the
# two runs of the legend: stable loss (oscillating) in blue and naive loss
# (non-finite) in orange, drawn on top, so that the blue curve is hidden
# wherever the two agree. From the same start both fall slowly, then, from
# iteration 101, zig-zag up and down in larger and larger swings; the orange
# curve ends at an orange dot, its lowest point, just before an orange dotted
# vertical line labelled "cost nan at 397". After that only the blue curve
# goes on: it jumps in a few tall spikes, the highest above 1, then drops back
# and drifts slowly down with small wiggles to a blue dot, its lowest point,
# near the end.

# %% [markdown]
# The stable loss removed the `nan`, not the rise. Is the step too large
# for the curvature? `cl.sharpness_along_training` repeats the stable run's
# first 100 steps and measures the sharpness of section 1 every 10 steps, by
# power iteration (an iterative estimate of the largest eigenvalue; notebook
# 07, Part 3); near a minimum, a step of $\alpha$ is stable only
# while the sharpness is below $2/\alpha = 200$:

# %%
measured = cl.sharpness_along_training(
    X_bc, Y_bc, cl.init_params([30, 16, 8, 1], np.random.RandomState(3), scheme="small"),
    learning_rate=0.01, num_iterations=100, every=10, rng=np.random.default_rng(0),
)
print("same costs as the stable run, to 1e-12:",
      bool(np.allclose(measured.cost_curve, stable.costs[:101], rtol=0, atol=1e-12)))
for step, value, converged in zip(measured.iterations, measured.sharpness, measured.converged):
    if step >= 50:
        print(f"iteration {step:3d}: sharpness {value:6.1f}  (power iteration converged: {converged})")
print(f"2 / α = {measured.threshold:.0f}; first rise of the run at iteration {stable.first_rise}")

# %% [markdown]
# The sharpness climbs from 24 at iteration 50 to 191 at iteration 100,
# close to 200, and the cost rises at the next step. That fits a step grown
# too large for the curvature, but does not prove it: the limit holds only
# near a minimum, and at iteration 100 the sharpness is still just below it.
# Notebook 07 follows the sharpness step by step on the odd/even run, and
# compares raw and scaled inputs for a network with these layer sizes
# (He-initialised, at its start). Notebook 08 scales the features.
#
# ## 3. The second question: a loss that explodes
#
# The symptom, in short: with learning rate 0.001 the loss grew from
# thousands to about a trillion within one epoch, then became `nan`; with
# 0.0001 everything worked. We reproduce it with the simplest model that has a loss:
# least-squares linear regression, predicting a tumour's mean radius from its
# mean perimeter, one feature, by gradient descent from $w = b = 0$:

# %%
show_source(least_squares_descent)

# %%
x = X_bc[[names.index("perimeter_mean")]]
y = X_bc[[names.index("radius_mean")]]
print(f"x = perimeter_mean {x.shape}, from {x.min():.4g} to {x.max():.4g}")
print(f"y = radius_mean    {y.shape}, from {y.min():.4g} to {y.max():.4g}")

explode = least_squares_descent(x, y, learning_rate=0.001, num_iterations=200)
works = least_squares_descent(x, y, learning_rate=0.0001, num_iterations=200)
with np.printoptions(precision=3):
    print("α = 0.001,  losses after 0..10 steps:", explode.losses[:11])
    print("α = 0.0001, losses after 0..10 steps:", works.losses[:11])

# %% [markdown]
# At 0.001 the loss is in the thousands after one step and grows by almost
# two powers of ten at every step after that. Where does it pass a trillion,
# and where does it overflow?

# %%
trillion = int(np.argmax(explode.losses > 1e12))
print(f"α = 0.001:  loss {explode.losses[trillion]:.3g} after step {trillion}, the first above 1e12")
print(f"α = 0.001:  loss {explode.losses[-1]} after step {explode.first_nonfinite} (first_nonfinite)")
float32_max = float(np.finfo(np.float32).max)
print(f"α = 0.001:  first step above the largest float32 ({float32_max:.3g}): {int(np.argmax(explode.losses > float32_max))}")
print(f"α = 0.0001: first_nonfinite {works.first_nonfinite}, loss after 200 steps {works.losses[-1]:.4g}")
print("α = 0.0001: the loss fell at every step:", bool(np.all(np.diff(works.losses) < 0)))
X_tilde = np.vstack([x, np.ones_like(x)])
theta_best = np.linalg.lstsq(X_tilde.T, y.T, rcond=None)[0].T
best_loss = float(np.sum((theta_best @ X_tilde - y) ** 2) / (2 * x.shape[1]))
print(f"lowest possible loss (least-squares solution): {best_loss:.4g}")

# %% [markdown]
# `least_squares_descent` computes in float64. Frameworks compute in float32
# by default; the same steps at 0.001, replayed by hand in float32, then
# float64's overflow, extrapolated:

# %%
from decimal import Decimal

x32, y32, rate32 = x.astype(np.float32), y.astype(np.float32), np.float32(0.001)
w32, b32 = np.float32(0), np.float32(0)
with np.errstate(over="ignore", invalid="ignore"):  # the overflow is what we are looking for
    for step in range(explode.first_nonfinite + 1):
        residual = w32 * x32 + b32 - y32
        loss32 = np.mean(residual ** 2) / 2
        if not np.isfinite(loss32):
            break
        w32, b32 = w32 - rate32 * np.mean(residual * x32), b32 - rate32 * np.mean(residual)
print(f"float32, α = 0.001: loss {loss32} ({loss32.dtype}) after step {step}")
largest_square = np.max(residual ** 2)
print(f"float32 after step {step}: largest single squared error {largest_square:.3g} ({largest_square.dtype}),"
      f" finite: {bool(np.isfinite(largest_square))}")
print(f"float64 after step {step}: loss {explode.losses[step]:.3g}, sum of the squared errors"
      f" {2 * x.shape[1] * explode.losses[step]:.3g} (largest float32 {float32_max:.3g})")
last = explode.first_nonfinite - 1
growth = explode.losses[last] / explode.losses[last - 1]  # the loss's growth per step, by now constant
sum_next = 2 * x.shape[1] * Decimal(explode.losses[last]) * Decimal(growth)  # Decimal: no float64 limit
print(f"float64 after step {last + 1}, at the growth of step {last} (x{growth:.2f}): loss about"
      f" {explode.losses[last] * growth:.2g}, sum of the squared errors about {sum_next:.2g}"
      f" (largest float64 {np.finfo(np.float64).max:.3g})")

# %% [markdown]
# At 0.001 the loss passes a trillion after only 6 steps, and after 168 it is
# `inf`. To take the mean, the code first adds up the squared errors, and that
# sum, 569 times their mean, overflows first: in float64 after step 168,
# where the loss would still fit (extrapolated at the constant growth
# x64.78, printed above); in float32 already after 19 steps, two before the
# float64 loss passes the largest float32 (after 21). In float32 each
# squared error on its own still fits: after step 19 the largest is
# 2.18e+37, a finite float32, while their sum, computed in float64, is
# 3.15e+39, beyond the largest float32 (both printed above). The next operation on an
# `inf` can give `nan`. At 0.0001 the loss
# falls at every step; after 200 steps it is still above the best possible
# value, because one direction of this problem is very slow (a large
# condition number, in notebook 07's terms; measured below), but it only
# ever goes down.
#
# **Why one factor of ten matters so much.** Measure how much each step
# multiplies the size of the error, $\sqrt{J_{t+1} / J_t}$ (the loss is
# quadratic in the error, hence the square root), and compare it with the
# eigenvalues of the Hessian $H = \tilde X \tilde X^\top / m$:

# %%
growth = np.sqrt(explode.losses[1:explode.first_nonfinite] / explode.losses[:explode.first_nonfinite - 1])
print("α = 0.001: sqrt(J[t+1] / J[t]) for the first 6 steps:", np.round(growth[:6], 4))
print(f"α = 0.001: the same from step 5 to the last finite one: from {growth[5:].min():.6f} to {growth[5:].max():.6f}")
H = least_squares_hessian(x)
eigenvalues = np.linalg.eigvalsh(H)
lam_max = float(eigenvalues[-1])
print(f"eigenvalues of H: {float(eigenvalues[0]):.4g} and λ_max = {lam_max:.6g}")
for rate in (0.001, 0.0001):
    print(f"α = {rate}: |1 - α λ_max| = {abs(1 - rate * lam_max):.6f}")
print(f"stability threshold 2 / λ_max = {2 / lam_max:.4g}")
lam_min = float(eigenvalues[0])
print(f"condition number λ_max / λ_min = {lam_max / lam_min:.3g}")
print(f"α = 0.0001, along the flattest eigenvector: factor 1 - α λ_min = {1 - 0.0001 * lam_min:.7f},"
      f" error left after 200 steps (1 - α λ_min)^200 = {(1 - 0.0001 * lam_min) ** 200:.4f}")

# %% [markdown]
# The measured growth factor settles at 8.048641 per step, equal to
# $|1 - \alpha \lambda_{\max}|$ for $\alpha = 0.001$ in all six decimals printed. For a quadratic cost, each
# gradient step multiplies the error along each eigenvector of $H$ by
# $(1 - \alpha\lambda)$, so the error along the top eigenvector shrinks when
# $\alpha < 2 / \lambda_{\max}$ and grows, flipping sign every step, when
# $\alpha > 2 / \lambda_{\max}$; notebook 07 derives this. Here
# $2 / \lambda_{\max} \approx 0.000221$ lies between the two rates the
# questioner tried: at 0.0001 the factor is about 0.095 (the error along the
# top eigenvector shrinks tenfold per step), at 0.001 it is about $-8$ (it
# grows eightfold and changes sign). That is why one order of magnitude is the difference between
# working and exploding, and how a *minimiser* makes the loss grow.
#
# The same rule explains the slow end at 0.0001: along the flattest
# eigenvector the factor is 0.9999935, so after 200 steps 0.9987 of the
# error along it is still there (condition number 1.39e+05, the last lines).

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.8), layout="constrained")
# The axis limits and ticks are set by hand, before plotting: matplotlib's automatic
# choices for a log axis reaching 1e304 would themselves overflow.
left.set_yscale("log")
left.set_ylim(1e-2, 1e308)
left.yaxis.set_major_locator(FixedLocator(10.0 ** np.arange(0, 301, 50)))
left.yaxis.set_minor_locator(NullLocator())
finite = explode.losses[: explode.first_nonfinite]  # the last entry is inf, which a log axis cannot place
left.plot(finite, color=OKABE_ITO[1], label="α = 0.001")
left.plot(works.losses, color=OKABE_ITO[0], label="α = 0.0001")
left.axhline(1e12, color=OKABE_ITO[7], linestyle=":", linewidth=1, label="a trillion (1e12)")
left.axvline(explode.first_nonfinite, color=OKABE_ITO[1], linestyle="--", linewidth=0.8,
             label=f"inf at step {explode.first_nonfinite}")
left.set(xlabel="step (gradient descent)", ylabel="loss J (radius units squared), log scale",
         title="0.001: a straight line up on a log scale, then inf")
left.legend(fontsize=8)
right.plot(works.losses, color=OKABE_ITO[0], label="α = 0.0001")
right.axhline(best_loss, color=OKABE_ITO[7], linestyle=":", linewidth=1, label="lowest possible loss")
right.set_yscale("log")
right.set(xlabel="step (gradient descent)", ylabel="loss J (radius units squared), log scale",
          title="0.0001: down at every step, the last part slowly")
right.legend(fontsize=8)
fig.suptitle("Least squares, radius from perimeter: one factor of ten in α separates exploding from converging")
plt.show()

# %% [markdown]
# *Figure, in words:* Two panels, both with the step (gradient descent) on the
# horizontal axis and the loss J (radius units squared) on a log vertical
# axis. In the left panel the α = 0.001 run is an orange straight line that
# climbs from the bottom left corner to the top, where an orange dashed
# vertical line marks "inf at step 168"; a black dotted horizontal line marks
# a trillion (1e12) near the bottom, and the α = 0.0001 run, in blue, lies
# flat along the bottom edge. The right panel shows the α = 0.0001 run alone:
# the blue line falls almost vertically from its start at 106 in the first few
# steps, then runs nearly flat, still falling slowly, to the end, above a
# black dotted horizontal line at the lowest possible loss (0.02656).

# %% [markdown]
# On a log scale a constant growth factor is a straight line: the loss at
# 0.001 climbs by the same number of powers of ten every step until it
# overflows.
#
# ## 4. The divergence lab
#
# Now it is your turn to experiment. The lab trains one network with the
# settings you choose, always from `RandomState(3)` weights as in the
# question, and shows the cost curve (first rise marked; on a log scale
# only when the run's finite costs span more than a factor of 10) and the
# verdict line.
# Its default state is the original question for 500 steps (the printed
# settings say so):

# %%
from course_lib.widgets import divergence_lab, draw_divergence_lab, run_divergence_lab

result = run_divergence_lab()
print(result.settings)
fig, ax = plt.subplots(figsize=(6.4, 3.6), layout="constrained")
draw_divergence_lab(result, ax)
plt.show()
print(result.verdict())

# %% [markdown]
# *Figure, in words:* One panel, titled with the lab's settings for the data
# (odd/even, scaling: none, hidden: [1], init: small), with the iteration
# (gradient steps) on the horizontal axis and the cost (cross-entropy) on a
# plain linear vertical axis: this run's costs stay between its lowest,
# 0.6779, and its peak, 0.7167 (both in the verdict), well within a factor
# of 10. A single blue line, whose legend gives the run's settings (alpha =
# 1.2, naive loss, batch all, float64) and its status (oscillating), starts
# flat at about 0.693 (the start printed in section 1), some 40% of the way up
# the panel (the spike to 0.7167 sets the top), then falls smoothly to a blue dot at its lowest
# point; an orange dashed vertical line right after the dot is labelled
# "first rise: 61". The cost then shoots up in a few tall spikes, the
# tallest reaching the top of the panel, and settles into a band of rapid
# up-and-down zig-zags, all above the dot and below the start, until the
# last of the 500 steps.

# %% [markdown]
# The learning-rate slider moves on a log grid laid through 1.2, so not
# every round number is on it; its range, the grid values near the rates
# used below, the other controls' ranges and the data sets' shapes:

# %%
from course_lib import widgets as lab_widgets

rate_low, rate_high = lab_widgets.LEARNING_RATE_RANGE
grid = 10 ** np.arange(lab_widgets.LEARNING_RATE_LOG_RANGE[0], lab_widgets.LEARNING_RATE_LOG_RANGE[1] + 1e-9,
                       lab_widgets.LEARNING_RATE_LOG_STEP)
print(f"learning rate slider: {rate_low:.3g} to {rate_high:.3g}, {grid.size} positions, "
      f"each {10 ** lab_widgets.LEARNING_RATE_LOG_STEP:.3f} times the one before")
for wanted in (0.01, 0.85, 1.2):
    nearest = grid[np.argsort(np.abs(np.log(grid / wanted)))[:2]]
    print(f"   nearest to {wanted}: {', '.join(f'{value:.3g}' for value in sorted(nearest))}")
print(f"iterations: {lab_widgets.ITERATION_RANGE[0]} to {lab_widgets.ITERATION_RANGE[1]};"
      f" batch sizes: {list(lab_widgets.BATCH_SIZES)}; dtypes: {list(lab_widgets.DTYPES)}")
print("data sets, X and Y shapes: " + "; ".join(
    f"{name} {lab_widgets.lab_data(name)[0].shape}, {lab_widgets.lab_data(name)[1].shape}"
    for name in lab_widgets.DATASETS))

# %% [markdown]
# The controls:
#
# | control | what it changes |
# | --- | --- |
# | data set | odd/even (the question), breast cancer (30 raw features), moons (200 points in the plane, two interleaved half-circles with noise, one per class: a set no straight line separates; `cl.make_moons`) |
# | input scaling | none, divide by 10 (the comment's suggestion), divide by max, standardize |
# | loss | naive (with the lecture's backward path) or stable (logits, $dZ = A - Y$) |
# | learning rate | from about $9.5 \times 10^{-5}$ to 9.53, on the log grid printed above |
# | iterations | 10 to 1000 steps |
# | initialisation | small, he, xavier (notebook 01; `xavier` is LeCun's scale $\sqrt{1/n_{l-1}}$) |
# | hidden layers | the sizes of the hidden layers: "1" is the question's network |
# | batch size | "all" (full-batch gradient descent, as everywhere in notebooks 01-09) or mini-batches of 64, 16, 4 or 1 examples ([notebook 10](10-second-question.ipynb)) |
# | dtype | float64 (NumPy's default, used everywhere else except the float32 replay of section 3 and notebook 10) or float32 (the default of most frameworks, notebook 10) |
#
# Things to try:
#
# 1. Keep odd/even and lower the learning rate from 1.2 until the first rise
#    disappears, then raise it again slowly. Is the boundary where the sweep
#    above put it? Remember that the lab runs 500 steps unless you change it,
#    not 3000, and what
#    the sweep said about the rise at 0.85.
# 2. Set input scaling to "divide by 10", as the commenters suggested, and
#    try 1.2 again, then smaller and larger rates. Read each verdict to the
#    end: does the cost still rise somewhere, and does the run still end at
#    its lowest point? Is "the cost rose once" the same as "the run went
#    wrong"? Keep your notes for notebooks 07 and 08.
# 3. Choose breast cancer, hidden layers "16, 8", learning rate 0.0107 (the
#    slider's nearest position above the 0.01 of section 2), naive loss,
#    1000 iterations (the lab's default is 500; section 2 ran 1000): a run
#    close to that of section 2, at a slightly larger rate. Do its `nan` and
#    its first rise come at the same iterations as there? Switch the loss to stable, then set the
#    scaling to "standardize". Which change removes the `nan`, and which the
#    rise?
# 4. Breast cancer, standardised, stable loss, hidden layers "16, 8",
#    learning rate 0.0107: compare the small and the he initialisation. Is a
#    smooth curve that never rises always a good one? Read the training
#    accuracy in the verdict.

# %% [markdown]
# *Figure, in words:* The lab shows its controls in two columns, then a line
# of bold text with the run's verdict (as printed above, with the training
# accuracy), then a plot like the one above: the cost per iteration (on a
# log axis when the finite costs span more than a factor of 10, otherwise a
# linear one), one line whose legend gives the learning rate, loss, batch size and
# dtype, a dot at the lowest point when the cost rose after it, and an orange
# dashed vertical line at the first rise. When the cost becomes inf or nan, a
# dotted vertical line marks that iteration, with the value written beside
# it. Every change of a control trains the network again and redraws the
# verdict and the plot.

# %%
# NBVAL_IGNORE_OUTPUT
# (widget output lands in the widget state when run headless)
divergence_lab()

# %% [markdown]
# ## Your turn
#
# Write `first_rise(costs)`: given a 1-D array of costs, one per iteration,
# return the first index `i` at which the cost went **up**, that is
# `costs[i] > costs[i - 1]`, as a Python `int`; or `None` if it never did.
#
# One refinement: on a flat stretch, floating-point rounding can make the
# cost go up by a few units in the 16th digit. That is not a rise. Count a
# step as a rise only if `costs[i] > costs[i - 1] * (1 + 1e-9)`. All the
# test curves are finite.
#
# Replace the `raise` line with your code and run the cell. The check
# compares your function with the library's `cl.train.first_rise` on four
# test curves, numbered in this order: 1, always falling; 2, falling then
# rising from step 40; 3, one whose only "rise" is rounding noise; 4, rising
# at the very first step. It tells you the first one where they disagree,
# by its number.

# %%
def first_rise(costs):
    """First index i with costs[i] > costs[i - 1] * (1 + 1e-9), as an int, or None."""
    raise NotImplementedError  # your code here


check(first_rise, "first_rise")

# %% [markdown] tags=["solution"]
# <details>
# <summary><b>Show a solution</b> (try first!)</summary>
#
# ```python
# def first_rise(costs):
#     for i in range(1, len(costs)):
#         if costs[i] > costs[i - 1] * (1 + 1e-9):
#             return i
#     return None
# ```
#
# Or without a Python loop:
#
# ```python
# def first_rise(costs):
#     rises = np.flatnonzero(costs[1:] > costs[:-1] * (1 + 1e-9)) + 1
#     return int(rises[0]) if rises.size else None
# ```
#
# `costs[1:]` and `costs[:-1]` line up each cost with the one before it;
# `+ 1` turns a position in the shorter array back into an index of `costs`;
# `int(...)` turns NumPy's integer into a Python `int`. Without the tolerance,
# the curve "only rounding noise" would report a rise where its cost went up
# only in the 16th digit.
# </details>

# %% [markdown]
# The library's version, read from the library itself: the vectorised form,
# with one difference. It first drops every `inf` and `nan` from the costs
# and compares each remaining cost with the finite one before it, so a step
# *to* `inf` or `nan` is never counted as a rise (`fit` stops at the first
# non-finite cost, so there it can only be the last; the two examples under
# the source show it). Its relative tolerance `RISE_TOLERANCE`
# is the exercise's 1e-9 (printed below the source); the `+ 1e-15` is a tiny
# absolute tolerance for costs so near 0 that a margin of 1e-9 times the
# cost is smaller than the rounding error of computing it:

# %%
show_source(cl.train.first_rise)

# %%
print(f"cl.train.RISE_TOLERANCE = {cl.train.RISE_TOLERANCE}")
for costs in ([0.7, 0.6, np.inf], [0.7, 0.6, 0.65, np.nan]):
    print(f"cl.train.first_rise({costs}) = {cl.train.first_rise(np.array(costs))}")

# %% [markdown]
# ## Summary
#
# - The original question reproduced: on `[1, 1, 1]` with $X = 1, \dots, 10$
#   unscaled and the naive loss, no learning rate we tried up to 0.84
#   raises the cost by more than rounding in 3000 steps (from 0.1 to 0.84 the
#   cost falls to its lowest value, then stays there); at every rate we tried
#   from 0.85 up the cost rises.
#   The class's 1.2 rises after its lowest point at step 60.
# - The boundary is set by the curvature where the runs from 0.1 to 0.84
#   end: their sharpness $\lambda^* \approx 2.387$ allows $\alpha < 2/\lambda^* \approx 0.838$
#   (0.84, just above, does not rise only because rounding holds its
#   zig-zag in place; notebook 07).
# - Too large a step can do lasting damage: at 2 and 3 the hidden ReLU unit
#   dies and the cost ends at $\log 2$.
# - Even the best run stays far above 0: this network cannot represent
#   odd/even. That is a second problem, not an optimisation one.
# - On raw breast-cancer features at 0.01, the naive cost becomes `nan` at
#   iteration 397 (a correct answer rounded to probability 1.0); the stable
#   loss stays finite but still oscillates.
# - Least squares at 0.001 multiplies the error by $|1 - \alpha\lambda_{\max}|
#   \approx 8.05$ per step and overflows; at 0.0001, below the threshold
#   $2/\lambda_{\max}$, it converges.
#
# ## Questions to think about
#
# 1. At 0.85 the cost reached its lowest value at iteration 386 and stayed
#    there, to six digits, until it first rose at iteration 1019. What might
#    have changed in the network during those steps to make a step of the
#    same size suddenly too large?
# 2. A dead ReLU unit gets no gradient. Which of the changes in the lab
#    (initialisation, scaling, learning rate, a wider hidden layer) would you
#    expect to make a dead unit less likely, or less harmful?
# 3. In section 3, what would happen to $\lambda_{\max}$ and to
#    $2/\lambda_{\max}$ if the perimeter were divided by 100 before
#    training? Which learning rates would then work?
# 4. The second question's framework reported `nan`, our regression `inf`.
#    Which operation on an `inf` loss or weight gives `nan`?

# %% [markdown]
# # 07 · Why it rises: curvature
#
# **Goal.** Explain, with measurements, why the cost of the original
# question's network falls for a while and then rises. We start with a
# parabola, where every step can be worked out by hand; then predict the cost
# change of one step of the real network from its gradient and its curvature;
# then measure the network's *sharpness* (the largest curvature of its cost)
# at every step of the original run and watch it cross the limit $2/\alpha$;
# then see why the scale of the inputs sets that curvature; and last, why the
# textbook loss turns into `inf` and `nan` on real data.
#
# This notebook answers both questions the course started from: "why does my
# cost rise after some iterations?" and "why can a minimiser make the loss
# grow?". Notebook 06 tells both questions and the answers they received
# ([The two questions](06-rising-cost.ipynb#The-two-questions)); here we
# test those answers by measurement.

# %% [markdown]
# ## The maths
#
# ### All parameters in one vector
#
# The network has layers $l = 1, \dots, L$ with $W^{[l]}$ of shape
# $(n_l, n_{l-1})$ and $b^{[l]}$ of shape $(n_l, 1)$; the data are
# $X$ of shape $(n_0, m)$, one example per column, and labels $Y$ of shape
# $(1, m)$. Stack every entry of every $W^{[l]}$ and $b^{[l]}$ into one
# vector $\theta \in \mathbb{R}^P$ (`cl.flatten_params` does it: $W^{[1]}$,
# $b^{[1]}$, $W^{[2]}$, ...). The original network `[1, 1, 1]` has $P = 4$:
# $\theta = (w^{[1]}, b^{[1]}, w^{[2]}, b^{[2]})$.
#
# The gradient $g = \nabla_\theta J$ has shape $(P,)$, and the **Hessian**
# $H$, with $H_{ij} = \partial^2 J / \partial\theta_i \partial\theta_j$, has
# shape $(P, P)$. It is symmetric, so it has $P$ real eigenvalues
# $\lambda_1 \le \dots \le \lambda_P$ with orthonormal eigenvectors
# $q_1, \dots, q_P$. Near $\theta$, the cost is a quadratic to second order:
#
# $$J(\theta + d) \approx J(\theta) + g^\top d + \tfrac12\, d^\top H d .$$
#
# ### One parameter, exactly quadratic
#
# Take $f(w) = \tfrac{\lambda}{2} w^2$ with $\lambda > 0$: its minimum is at
# $w = 0$, its gradient is $f'(w) = \lambda w$ and its curvature is
# $f''(w) = \lambda$. One gradient step with learning rate $\alpha$ gives
#
# $$w_{t+1} = w_t - \alpha \lambda w_t = (1 - \alpha\lambda)\, w_t,
#   \qquad\text{so}\qquad w_t = (1 - \alpha\lambda)^t\, w_0 .$$
#
# Every step multiplies the distance to the minimum by the same factor
# $1 - \alpha\lambda$. It shrinks exactly when $|1 - \alpha\lambda| < 1$,
# that is when $0 < \alpha < 2/\lambda$:
#
# | learning rate | factor $1 - \alpha\lambda$ | what the steps do |
# | --- | --- | --- |
# | $0 < \alpha < 1/\lambda$ | between 0 and 1 | approach the minimum from one side |
# | $\alpha = 1/\lambda$ | 0 | land on the minimum in one step |
# | $1/\lambda < \alpha < 2/\lambda$ | between $-1$ and 0 | jump across it, a bit closer each time (zig-zag) |
# | $\alpha = 2/\lambda$ | $-1$ | bounce between $w_0$ and $-w_0$ for ever |
# | $\alpha > 2/\lambda$ | below $-1$ | jump across it, **farther** out each time: the cost grows |
#
# That is the answer to "why can a minimiser make the loss grow": a gradient
# step of a fixed size overshoots when the curvature is large compared with
# $1/\alpha$.
#
# ### Many parameters
#
# On an exactly quadratic cost $J = J^* + \tfrac12 (\theta - \theta^*)^\top H (\theta - \theta^*)$,
# the gradient is $H(\theta - \theta^*)$ and one step gives
# $\theta - \theta^* \leftarrow (I - \alpha H)(\theta - \theta^*)$. Along each
# eigenvector $q_i$ this is the 1-D story with $\lambda = \lambda_i$: the
# component $c_i = q_i^\top(\theta - \theta^*)$ is multiplied by
# $1 - \alpha\lambda_i$ at every step. All of them shrink only if
# $\alpha < 2/\lambda_{\max}$. The largest eigenvalue $\lambda_{\max}$ is the
# **sharpness**; $2/\lambda_{\max}$ is the largest stable learning rate.
#
# This is exact only for a quadratic. A network's cost is not one, but near
# a minimum it is close to one (the second-order approximation above, with
# $g \approx 0$), so the rule carries over *locally*: a minimum whose
# sharpness is above $2/\alpha$ cannot hold a run at learning rate $\alpha$,
# except where floating-point rounding stops the zig-zag from growing (the
# run at 0.84, below, is held that way).
# Away from a minimum, and wherever $H$ changes quickly from step to step, it
# is only a guide; the rest of this notebook measures how good a guide.
#
# ### One step of any cost, to second order
#
# Put $d = -\alpha g$ into the quadratic approximation:
#
# $$\Delta J = J(\theta - \alpha g) - J(\theta) \approx -\alpha\, g^\top g + \frac{\alpha^2}{2}\, g^\top H g .$$
#
# This is the formula one of the answers to the course's second question
# used (notebook 06 tells that answer), from Goodfellow, Bengio and Courville, *Deep Learning* (MIT Press, 2016),
# sections 4.3.1 and 8.2.1. The first term always lowers the cost; the
# second grows with $\alpha^2$ and raises it when $g^\top H g > 0$. If
# $g^\top H g > 0$ the prediction is a parabola in $\alpha$:
#
# - it is lowest at $\alpha^* = \dfrac{g^\top g}{g^\top H g}$;
# - it is back to zero at $2\alpha^*$, and positive (a predicted **rise**) beyond.
#
# Since $g^\top H g \le \lambda_{\max}\, g^\top g$, we have
# $2\alpha^* \ge 2/\lambda_{\max}$: below $2/\lambda_{\max}$ the quadratic
# model never predicts a rise. Above it, a rise needs enough of $g$ to lie
# along the sharp directions. Keep that in mind; it is why the cost of the
# original run does not rise the moment the sharpness passes $2/\alpha$.

# %% [markdown]
# ## Part 1: a parabola
#
# `course_lib.quadratic.quadratic_descent` runs gradient descent on
# $\tfrac{\lambda}{2} w^2$; the widget helpers `run_quadratic` and
# `draw_quadratic` wrap it:

# %%
import matplotlib.pyplot as plt
import numpy as np

import course_lib as cl
from course_lib import curvature
from course_lib.exercises import check, show_source
from course_lib.plotting import OKABE_ITO, plot_sharpness
from course_lib.quadratic import least_squares_hessian, quadratic_descent
from course_lib.train import first_rise
from course_lib.widgets import draw_quadratic, quadratic_explorer, run_quadratic

show_source(quadratic_descent)

# %% [markdown]
# With $\lambda = 2$ the limits are $1/\lambda = 0.5$ and $2/\lambda = 1$.
# Three learning rates, one in each regime: 0.3 (below $1/\lambda$), 0.9
# (between $1/\lambda$ and $2/\lambda$) and 1.1 (beyond $2/\lambda$). Each
# panel starts at $w_0 = 1$ and takes 12 steps; the printed lines give each
# run's factor and the first positions.

# %%
fig, axes = plt.subplots(1, 3, figsize=(12.0, 3.6), layout="constrained")
for ax, alpha in zip(axes, (0.3, 0.9, 1.1)):
    result = run_quadratic(alpha, curvature=2.0)
    draw_quadratic(result, ax)
    ax.legend(fontsize=8, loc="upper center")
    print(result.verdict())
    print("   w_0 .. w_5:", np.round(result.positions[:6], 4), f"  |w_12| = {abs(float(result.positions[-1])):.4g}")
fig.suptitle(r"$f(w) = w^2$ ($\lambda = 2$): one side, zig-zag in, zig-zag out once $\alpha > 2/\lambda$")
plt.show()

# %% [markdown]
# *Figure, in words:* Three panels side by side, one per learning rate, titled
# "α = 0.3 with 2/λ = 1", "α = 0.9 with 2/λ = 1" and "α = 1.1 with 2/λ = 1",
# with "parameter w" on the horizontal axis and "cost f(w)" on the vertical
# axis. In each panel a grey parabola is the cost, "f(w) = λw² / 2" in the
# legend, a blue square marks the start at w =
# 1, and orange dots joined by orange lines are the gradient steps. At α = 0.3
# the dots slide down the right-hand side of the parabola to the bottom
# without crossing it; at α = 0.9 they jump from side to side, each landing
# lower, and bunch up at the bottom; at α = 1.1 they also jump from side to
# side, but each lands higher, so the path climbs up the walls (this panel's
# axes are wider, and only its first steps fit in it).

# %% [markdown]
# Move the slider and watch the factor: the steps zig-zag as soon as
# $\alpha$ passes $1/\lambda = 0.5$, and grow once it passes $2/\lambda = 1$.

# %% [markdown]
# *Figure, in words:* The explorer shows a learning-rate slider, then a line
# of bold text with the verdict for the chosen rate (like the lines printed
# above: the factor 1 − αλ, and whether the steps converge or diverge, from
# one side or zig-zagging), then one panel drawn like each of those above:
# the grey parabola, the blue square at the start and the orange path of the
# gradient steps. Moving the slider redraws the verdict and the panel for the
# new rate.

# %%
# NBVAL_IGNORE_OUTPUT
# (nbval: a widget's output lands in the widget state when run headless)
quadratic_explorer(curvature=2.0, learning_rate=0.3)

# %% [markdown]
# ## Part 2: predicting one step of the real network
#
# Now the network of the original question: one input $x = 1, \dots, 10$,
# one ReLU unit, one sigmoid output, weights from `RandomState(3)` times 0.01,
# learning rate 1.2. `cl.step_cost_changes` takes a point $\theta$, computes
# $g$ and $Hg$ there (a Hessian-vector product, Part 3), and for each
# learning rate returns the predicted change
# $-\alpha g^\top g + \tfrac{\alpha^2}{2} g^\top H g$ next to the actual
# change $J(\theta - \alpha g) - J(\theta)$. The prediction itself is short:

# %%
show_source(curvature.taylor_step_prediction)

# %%
show_source(curvature.taylor_best_learning_rate)

# %% [markdown]
# We stop the original run (naive loss, lecture backward path, as in the
# question) after 50 and after 60 steps, and look at one more step from
# each point. (`fit` returns the parameters after its last step.)

# %%
X, Y = cl.odd_even()
params_start = cl.init_params([1, 1, 1], np.random.RandomState(3), scheme="small")
ALPHA = 1.2


def original_run(num_steps, X=X):
    """The parameters after num_steps of the original program (naive loss, lecture path, alpha 1.2)."""
    history = cl.fit(X, Y, [1, 1, 1], learning_rate=ALPHA, num_iterations=num_steps, params=params_start,
                     loss="naive")
    return history.params


first_100 = cl.fit(X, Y, [1, 1, 1], learning_rate=ALPHA, num_iterations=100, params=params_start,
                   loss="naive")
print(f"the original run's lowest cost in its first 100 steps is at iteration {first_100.lowest_iteration}\n")

rates = np.logspace(-2, 2, 81)
taylor, at_run = {}, {}
for steps in (50, 60):
    params_here = original_run(steps)
    changes = cl.step_cost_changes(X, Y, params_here, rates)
    at_alpha = cl.step_cost_changes(X, Y, params_here, [ALPHA])
    taylor[steps], at_run[steps] = changes, at_alpha
    ratio = changes.gradient_curvature / changes.gradient_norm_squared
    print(f"after {steps} steps:")
    print(f"   g^T g = {changes.gradient_norm_squared:.4g},  g^T H g = {changes.gradient_curvature:.4g},"
          f"  curvature along g (g^T H g / g^T g) = {ratio:.4g}")
    print(f"   best alpha g^T g / g^T H g = {changes.best_learning_rate:.4g};"
          f"  prediction turns positive at 2 g^T g / g^T H g = {2 * changes.best_learning_rate:.4g}")
    print(f"   the run's step, alpha = {ALPHA}: predicted change {float(at_alpha.predicted[0]):.4g},"
          f"  actual change {float(at_alpha.actual[0]):.4g}")

# %% [markdown]
# Ten steps apart, two different pictures. After 50 steps the gradient
# hardly "sees" any curvature: the best step by the quadratic model is far
# larger than 1.2, and the step of 1.2 lowers the cost, as predicted. After
# 60 steps the curvature along the gradient is much larger; the prediction
# turns positive below 1.2, and the step of 1.2 raises the cost, by about
# what the second-order formula says. Iteration 60 is where the original run's
# cost is lowest: the rise after it is this step.
#
# How far can we trust the formula? The difference between the actual and
# the predicted change comes from the third and higher terms of the Taylor
# series. We measure it against the size of the first-order term
# $\alpha\, g^\top g$:

# %%
for steps, changes in taylor.items():
    tried = changes.learning_rates
    error = np.abs(changes.actual - changes.predicted) / (tried * changes.gradient_norm_squared)
    found = []
    for level in (0.01, 0.1):
        above = np.flatnonzero(error > level)  # the grid only brackets where the error passes the level
        if above.size == 0:
            found.append(f"never above {level:.0%}")
        elif above[0] == 0:
            found.append(f"above {level:.0%} already at alpha {float(tried[0]):.3g}")
        else:
            found.append(f"passes {level:.0%} between alpha {float(tried[above[0] - 1]):.3g}"
                         f" and {float(tried[above[0]]):.3g}")
    print(f"after {steps} steps, error relative to alpha g^T g: {'; '.join(found)}"
          f"  (alphas tried: {float(tried[0]):.3g} to {float(tried[-1]):.3g}, {tried.size} on a log grid)")
    run = at_run[steps]
    run_error = abs(float(run.actual[0] - run.predicted[0])) / (ALPHA * run.gradient_norm_squared)
    print(f"   at the run's own alpha = {ALPHA}: error {100 * run_error:.3g}% of alpha g^T g")
    far = error > 0.1
    above_prediction = int(np.sum(changes.actual[far] > changes.predicted[far]))
    print(f"   where the error is above 10%, actual > predicted at {above_prediction} of {int(far.sum())} learning rates")

# %%
fig, axes = plt.subplots(1, 2, figsize=(12.0, 4.0), layout="constrained", sharey=True)
for ax, (steps, changes) in zip(axes, taylor.items()):
    ax.plot(changes.learning_rates, changes.predicted, color=OKABE_ITO[0], label="predicted (second order)")
    ax.plot(changes.learning_rates, changes.actual, "o", markersize=3, color=OKABE_ITO[1], label="actual")
    best = changes.best_learning_rate
    ax.axvline(best, color=OKABE_ITO[2], linestyle="--", linewidth=1,
               label=rf"best $\alpha$ by the model = {best:.3g}")
    ax.axvline(2 * best, color=OKABE_ITO[3], linestyle=":", linewidth=1.5,
               label=rf"prediction turns positive: $\alpha$ = {2 * best:.3g}")
    ax.axvline(ALPHA, color="0.5", linewidth=1, label=rf"the run's $\alpha$ = {ALPHA}")
    ax.axhline(0, color="0.8", linewidth=0.8)
    ax.set_xscale("log")
    ax.set_yscale("symlog", linthresh=1e-6)
    ax.set_xlabel(r"learning rate $\alpha$ (log scale)")
    ax.set_title(f"after {steps} steps of the original run")
    ax.legend(fontsize=8, loc="upper left")
axes[0].set_ylabel(r"cost change $\Delta J$ of one step (symlog scale)")
fig.suptitle("The quadratic model predicts the change of one step; after 60 steps it says α = 1.2 goes up")
plt.show()

# %% [markdown]
# *Figure, in words:* Two panels side by side, after 50 steps (left) and after
# 60 steps (right) of the original run, sharing one vertical axis. The
# horizontal axis is the learning rate α on a log scale; the vertical axis is
# the cost change ΔJ of one step on a symlog scale, linear between −10^−6 and
# 10^−6 and logarithmic outside, so that falls (below a light grey line at 0)
# and rises (above it) fit on one figure. In each panel a blue line is the
# second-order prediction and orange dots the actual change, with three
# vertical lines: green dashed at the best α by the model, pink dotted where
# the prediction turns positive, and solid grey at the run's α = 1.2. In both
# panels line and dots start below 0, reach their lowest near the green line
# and then climb steeply through 0 at the pink line, lying on top of each
# other over most of the range; after 50 steps the grey line is far to the
# left of the green one (18.2) and meets the curve below 0, while after 60
# steps it lies just to the right of the pink one (1.07), where the change is
# above 0.

# %% [markdown]
# The error passes 10% of $\alpha\, g^\top g$ at a rate of a few units after
# 60 steps, of several tens after 50. Beyond that the real change is
# larger than predicted, at every such rate (the last line of each group):
# over so long a step the cost no longer looks like a quadratic. For the
# run's own step, $\alpha = 1.2$, the formula gets the sign right and the size
# within about 10% (2.401e-06 against 2.216e-06 after 60 steps); its error
# is 1.03% of $\alpha\, g^\top g$, right where it passes 1%.

# %% [markdown]
# ## Part 3: the sharpness, and how to measure it
#
# ### Hessian-vector products
#
# We never need $H$ itself, only $H v$ for a vector $v$. The gradient changes
# along $v$ at the rate $H v$, so a centred difference of two gradients gives it:
#
# $$H v \approx \frac{g(\theta + \varepsilon v) - g(\theta - \varepsilon v)}{2\varepsilon},$$
#
# two backward passes whatever the number of parameters. The library's
# version:

# %%
show_source(cl.hessian_vector_product)

# %% [markdown]
# It takes one precaution for ReLU networks, in its helper `_hvp` (below).
# If the step from $\theta$ to $\theta \pm \varepsilon v$ switches a hidden
# unit on or off for some example, the two gradients come from two
# different smooth pieces of the cost, and their difference divided by
# $2\varepsilon$ is a spike, not a curvature. So `_hvp` compares the on/off
# pattern of the units on each side with the pattern at $\theta$; while they
# differ it divides $\varepsilon$ by 10 and tries again (up to
# `KINK_RETRIES` times), and if only one side ever matches, it takes the
# one-sided difference on that side. What it measures is the curvature of
# the smooth piece of the cost that contains $\theta$.

# %%
show_source(curvature._hvp)

# %% [markdown]
# The first step is `HVP_RELATIVE_STEP` times $1 + \lVert\theta\rVert$
# (divided by $\lVert v \rVert$); the two constants, read from the library:

# %%
print(f"HVP_RELATIVE_STEP = {curvature.HVP_RELATIVE_STEP:g},  KINK_RETRIES = {curvature.KINK_RETRIES}")

# %% [markdown]
# ### Power iteration
#
# To find the largest eigenvalue from products $Hv$ alone:
#
# 1. start from a random unit vector $v$;
# 2. replace $v$ by $Hv / \lVert Hv \rVert$, and repeat.
#
# Write $v = \sum_i c_i q_i$ in the eigenvectors of $H$. After $k$ products
# $H^k v = \sum_i \lambda_i^k c_i q_i$: the term with the largest $|\lambda_i|$
# grows fastest and soon dominates: at every step it gains on the runner-up
# by the ratio of the largest $|\lambda_i|$ to the next largest. The estimate of the eigenvalue is the Rayleigh
# quotient $v^\top H v$; it stops when $Hv$ is parallel to $v$ up to a tolerance.
# You will write power iteration yourself at the end of this notebook; the
# library's version is shown after that exercise.
#
# Power iteration finds the eigenvalue of largest *magnitude*, and a
# network's Hessian can have negative eigenvalues too (the cost curves down in
# some directions). `top_eigenvalue` handles that case with a shift: the
# eigenvalues of $H + sI$ are $\lambda_i + s$, all at least about zero for $s$
# about $\max|\lambda_i|$, so the largest one in magnitude is then
# $\lambda_{\max} + s$.

# %%
show_source(curvature.top_eigenvalue)

# %% [markdown]
# `cl.sharpness` runs `top_eigenvalue` on the Hessian-vector products of
# the cost at given parameters. The network has only 4 parameters, so we can
# also build the whole $4 \times 4$ Hessian with `cl.full_hessian` (one
# Hessian-vector product per column) and ask NumPy for all its eigenvalues.
# Both, at the start and after 60 steps of the original run:

# %%
params_60 = original_run(60)
for label, params_here in (("at the start", params_start), ("after 60 steps", params_60)):
    estimate = cl.sharpness(X, Y, params_here, np.random.default_rng(0))
    eigenvalues = np.linalg.eigvalsh(cl.full_hessian(X, Y, params_here))
    print(f"{label}:")
    print(f"   all eigenvalues (numpy.linalg.eigvalsh): {np.array2string(eigenvalues, precision=4)}")
    print(f"   largest: eigvalsh {float(eigenvalues[-1]):.6f}, power iteration {estimate.value:.6f}"
          f"  ({estimate.iterations} products, tolerance met: {estimate.converged})")

# %% [markdown]
# Both methods agree to every printed digit. At the start, the largest and
# the most negative eigenvalue are close in magnitude, so plain power
# iteration cannot separate them within its budget of products and the
# shifted second run needs many steps too: the tolerance is not met, but the
# Rayleigh quotient is already right to the digits shown. Notice also how the
# sharpness changed in 60 steps.
#
# ### The sharpness along the original run
#
# `cl.sharpness_along_training` trains exactly as `fit` does and measures
# the sharpness at every step (`every=1`). Here is the original program, 300
# steps at $\alpha = 1.2$, so $2/\alpha \approx 1.667$:

# %%
history = cl.sharpness_along_training(X, Y, params_start, learning_rate=ALPHA, num_iterations=300, every=1,
                                      rng=np.random.default_rng(0), loss="naive")
threshold = history.threshold
costs = history.cost_curve
crossing = int(history.iterations[np.argmax(history.sharpness > threshold)])
lowest = int(np.argmin(costs))
rise = first_rise(costs)
print(f"2 / alpha                                  : {threshold:.4g}")
print(f"sharpness at the start                     : {history.sharpness[0]:.4g}")
dip = int(np.argmin(history.sharpness[:crossing]))
print(f"lowest sharpness before the crossing       : {history.sharpness[dip]:.4g} at iteration {dip}")
print(f"first iteration with sharpness > 2 / alpha : {crossing}")
print(f"lowest cost                                : {costs[lowest]:.6f} at iteration {lowest},"
      f" where the sharpness is {history.sharpness[lowest]:.4g}")
print(f"the cost first rises at iteration          : {rise}")
print(f"largest sharpness in the run               : {history.sharpness.max():.4g}")

# %%
ax = plot_sharpness(history, first_rise=rise,
                    title="The sharpness climbs past 2/α; the cost turns up some 30 steps later")
ax.axvline(crossing, color=OKABE_ITO[0], linestyle=":", linewidth=1)
ax.annotate(f"crosses 2/α ({crossing})", xy=(crossing, 0.93), xycoords=("data", "axes fraction"),
            xytext=(3, 0), textcoords="offset points", fontsize=8, color=OKABE_ITO[0])
ax.set_ylim(0, 3.6)
plt.show()

# %% [markdown]
# *Figure, in words:* One panel with the iteration (gradient steps) on the
# horizontal axis and two linear vertical axes: the sharpness λ_max of the
# Hessian on the left, lettered in blue, and the cost on the right, lettered
# in green. A blue line is the sharpness, an orange dashed horizontal line
# marks 2/α = 1.67 and a thin green line is the cost; a blue dotted vertical
# line is labelled "crosses 2/α (27)" and a grey dotted one "cost first rises
# (61)". The blue line starts low, dips a little, then climbs smoothly across
# the orange line at the first dotted line and keeps rising more slowly, while
# the green cost falls and flattens out. Just after the second dotted line
# both break into rapid up-and-down oscillation that lasts to the end of the
# run: the sharpness swings above and below the orange line, the cost in a
# band above its lowest level.

# %% [markdown]
# The sharpness passes $2/\alpha$ long before the cost does anything visible.
# The cost keeps falling for about 30 more steps, reaches its lowest point,
# and only then rises; from then on, both bounce.
#
# ### Why the rise comes later than the crossing
#
# On a fixed quadratic, once $\lambda_{\max} > 2/\alpha$, the component of
# the gradient along the sharpest direction $q$ would be multiplied by
# $1 - \alpha\lambda_{\max}$ at every step: it would flip sign and grow by
# $|1 - \alpha\lambda_{\max}|$. The network's cost is not a fixed quadratic:
# as the other parameters learn, the valley moves. So we read $q^\top g$ as
# the sum of two parts (measured after the table):
#
# - a **steady part**, set by that slow drift of the landscape: it keeps its
#   sign and changes little from one step to the next;
# - a **zig-zag part**, the deviation that the rule $1 - \alpha\lambda_{\max}$
#   governs. We expect it to be small at the crossing: in the steps before,
#   the factor was below 1 in size and squeezed it, and just past the
#   crossing the factor is barely above 1.
#
# The cost should only notice when the zig-zag part has grown to the size of
# the rest of the gradient. We follow the run step by step, measure
# $q^\top g$ (with $q$ from power iteration, its sign kept consistent from
# one step to the next) and compare each step's ratio with $1 - \alpha\lambda_{\max}$:

# %%
params = params_start
previous_q = None
along_q, whole, sharpest = [], [], []
for step in range(72):
    cost, grads = cl.cost_and_gradients(X, Y, params, loss="naive")
    top = cl.sharpness(X, Y, params, np.random.default_rng(0))
    q = top.vector if previous_q is None or top.vector @ previous_q > 0 else -top.vector
    previous_q = q
    g = cl.flatten_params(grads)
    along_q.append(float(q @ g))
    whole.append(float(np.linalg.norm(g)))
    sharpest.append(top.value)
    params = cl.gradient_descent_step(params, grads, ALPHA)
along_q, whole, sharpest = np.array(along_q), np.array(whole), np.array(sharpest)

print(" step   sharpness   1 - alpha*lambda   q^T g        ratio to the step before")
for step in (28, 32, 36, 40, 41, 42, 43, 44, 45, 46, 48, 50, 52, 54, 56, 58, 60):
    print(f"{step:5d}   {sharpest[step]:9.4f}   {1 - ALPHA * sharpest[step]:+16.3f}   {along_q[step]:+.3e}"
          f"   {along_q[step] / along_q[step - 1]:+.3f}")
share = np.abs(along_q) / whole
print(f"share of the gradient along q: {share[crossing]:.2g} at the crossing ({crossing}),"
      f" {share[lowest]:.2g} at the lowest cost ({lowest})")
peak = int(np.argmax(np.abs(along_q[:crossing])))
print(f"|q^T g| before the crossing: largest {abs(along_q[peak]):.2g} at step {peak}, then {abs(along_q[crossing]):.2g}"
      f" at the crossing, {abs(along_q[peak] / along_q[crossing]):.0f} times smaller")
print(f"|q^T g| at step 43 / at step 44: {abs(along_q[43] / along_q[44]):.0f}")
step_ratio = along_q[1:] / along_q[:-1]  # step_ratio[s - 1] is the ratio of step s to step s - 1
print(f"steps 28-40: ratio from {step_ratio[27:40].min():.2f} to {step_ratio[27:40].max():.2f};"
      f" q^T g keeps its sign at every step from {crossing} to 45: {bool(np.all(step_ratio[crossing:45] > 0))}")
gap = np.abs(step_ratio[52:60] - (1 - ALPHA * sharpest[53:61]))
print(f"sign flips at every step from 46 to 60: {bool(np.all(step_ratio[45:60] < 0))};"
      f" steps 53-60: largest |ratio - (1 - alpha*lambda)| {gap.max():.2f} (below 0.02: {bool(gap.max() < 0.02)})")

# %% [markdown]
# Read the table from the top. From step 28 to step 40 the ratio is
# positive and between 0.75 and 1.38 (the line under the table), nowhere near
# $1 - \alpha\lambda_{\max}$: $q^\top g$ keeps its sign and changes slowly.
# That is the steady part, and the rule does not
# describe it. From step 42 the ratios swing much further from $+1$
# ($+0.523$, $+1.946$, $+0.015$ and $+94.583$ at steps 42 to 45): the
# zig-zag part, flipping sign every step, is about a third of the steady
# part at step 42 and its size at steps 44-45 (measured below), alternately
# adding to it and taking from it. At step 44 the two nearly cancel
# ($q^\top g$ is 68 times smaller than at step 43, printed under the table;
# hence the ratio $+0.015$, and the huge one after it). From step 46 on the
# zig-zag part dominates: the sign flips at every step, and the ratio closes
# in on $1 - \alpha\lambda_{\max}$, then settles near it: from step 53 to
# step 60 it stays within 0.02 of it (the last line).
#
# The two parts can be measured from consecutive steps: the mean of
# $q^\top g$ over steps $s-1$ and $s$ keeps what has the same sign at both
# (the steady part), half their difference keeps what flips (the zig-zag):

# %%
two_step_mean = (along_q[1:] + along_q[:-1]) / 2  # index s - 1 holds steps s - 1 and s
half_difference = (along_q[1:] - along_q[:-1]) / 2
print(" step   two-step mean   half difference   |half difference| / |mean|")
for step in (28, 32, 36, 40, 42, 44, 45, 46, 48, 50, 54, 58, 60):
    print(f"{step:5d}   {two_step_mean[step - 1]:+13.2e}   {half_difference[step - 1]:+15.2e}"
          f"   {abs(half_difference[step - 1] / two_step_mean[step - 1]):10.2g}")
ratios_28_40 = np.abs(half_difference[27:40] / two_step_mean[27:40])  # every step from 28 to 40
print(f"steps 28-40, every step: |half difference| / |mean| from {ratios_28_40.min():.2g} to {ratios_28_40.max():.2g}")
factor_60 = 1 - ALPHA * sharpest[60]
print(f"a pure zig-zag with ratio r = {factor_60:.3f} (step 60) would give |r - 1| / |r + 1| ="
      f" {abs(factor_60 - 1) / abs(factor_60 + 1):.2g}")

# %% [markdown]
# From step 28 to step 40 the half difference is at most a sixth of the
# mean (0.0039 to 0.16, the line before last): the steady part dominates.
# At steps 44 and 45 the two are about the same size; from step 46 the half
# difference is several times the mean: the zig-zag dominates. At steps 54, 58 and 60 the ratio is
# 3.6 to 3.8, close to the 3.7 that a pure zig-zag growing by
# $|1 - \alpha\lambda_{\max}|$ would give (the last line): the two-step
# mean of a growing zig-zag is not zero, so by then even the mean is mostly
# the zig-zag, and this split can no longer see a steady part beside it.

# %%
fig, ax = plt.subplots(figsize=(6.4, 3.8), layout="constrained")
steps = np.arange(along_q.size)
ax.semilogy(steps, whole, color=OKABE_ITO[2], label=r"whole gradient $\Vert g \Vert$")
positive = along_q > 0
ax.semilogy(steps[positive], along_q[positive], "^", markersize=4, color=OKABE_ITO[0], label=r"$q^\top g > 0$")
ax.semilogy(steps[~positive], -along_q[~positive], "v", markersize=4, color=OKABE_ITO[1], label=r"$q^\top g < 0$")
ax.axvline(crossing, color=OKABE_ITO[0], linestyle=":", linewidth=1, label=f"sharpness passes 2/α ({crossing})")
ax.axvline(rise, color="0.4", linestyle="--", linewidth=1, label=f"cost first rises ({rise})")
ax.set_xlabel("iteration (gradient steps)")
ax.set_ylabel(r"size of $q^\top g$ and of $\Vert g \Vert$ (log scale)")
ax.set_title("The sharp component zig-zags and grows until it is most of the gradient", fontsize=10)
ax.legend(fontsize=8, loc="lower left")
plt.show()

# %% [markdown]
# *Figure, in words:* One panel with the iteration (gradient steps) on the
# horizontal axis and, on a log vertical axis, the size of q^T g and of the
# whole gradient ‖g‖. A green line is the whole gradient ‖g‖; blue upward
# triangles mark steps where q^T g > 0 and orange downward triangles steps
# where q^T g < 0; a blue dotted vertical line marks where the sharpness
# passes 2/α (27) and a grey dashed one where the cost first rises (61). The
# green line dips slightly over the first steps, rises several-fold to a
# broad peak around step 12, falls slowly until a few steps before the dashed
# line, and then climbs steeply to a peak near the end, turning down over the
# last steps. The blue triangles start just below it, first fall for a few
# steps, then rise to a hump at step 12 (the largest value before the
# crossing, printed under the table), just below the green peak, and then
# fall steeply, by several powers of ten, to the dotted line; after it they
# stay low in a nearly flat row of orange triangles (step 44, printed above
# at −1.894e-08, lies far below the rest), then alternate between up and down
# while climbing in a nearly straight line on the log axis, reaching the
# green line around the dashed line and running along it to the end, all but
# the next-to-last triangle, which lies well below it.

# %% [markdown]
# The figure tells the same story. In the fifteen steps before the crossing
# the component along $q$ shrinks fast: from its largest value, at step 12,
# to the crossing it becomes some three thousand times smaller (printed under
# the table). After the crossing it stays tiny and keeps its
# sign (the steady part) until the zig-zag takes over in the mid-forties: from
# step 46 the sign flips at every step, and from about step 50 each step
# multiplies the size by about $|1 - \alpha\lambda_{\max}|$ (within 0.02 of
# it from step 53, the last line under the table). From iteration 46 to 60
# the zig-zag takes it from about $10^{-6}$ to nearly the size of the whole
# gradient: at the crossing a ten-thousandth of the gradient's length lay
# along $q$, at iteration 60 about nine tenths of it (0.00012 and 0.9,
# printed under the table), and the quadratic model of Part 2 then predicts
# (correctly) that a step of 1.2 goes up. So between the crossing (27) and the lowest point (60)
# the cost kept falling, because the part of the gradient that a step of 1.2
# overshoots was still too small to matter.
#
# ### The edge of stability
#
# Cohen, Kaur, Li, Kolter and Talwalkar, "Gradient Descent on Neural Networks
# Typically Occurs at the Edge of Stability" (ICLR 2021), measured this on
# many networks trained by full-batch gradient descent. They found two
# regularities that the classical picture (pick $\alpha < 2/\lambda_{\max}$
# and the cost falls) does not predict:
#
# - **progressive sharpening**: the sharpness tends to rise during training,
#   until it reaches $2/\alpha$;
# - **the edge of stability**: then, instead of diverging, training hovers
#   with the sharpness at or just above $2/\alpha$, while the cost keeps
#   falling over long times, though not at every step.
#
# Our run sharpened progressively too (from about 0.27 to above $2/\alpha$).
# Does it hover around $2/\alpha$ afterwards, and does the cost keep falling?

# %%
later = history.iterations >= 100
print(f"iterations 100-300: mean sharpness {history.sharpness[later].mean():.4g} (2 / alpha = {threshold:.4g}),"
      f" lowest {history.sharpness[later].min():.4g}, highest {history.sharpness[later].max():.4g}")
print(f"lowest cost after iteration 100: {costs[100:].min():.6f}  (lowest overall: {costs[lowest]:.6f} at {lowest})")
long_run = cl.fit(X, Y, [1, 1, 1], learning_rate=ALPHA, num_iterations=3000, params=params_start,
                  loss="naive")
print("3000 steps:", long_run.verdict())
print("the last steps of the 300: sharpness, and the hidden unit's pre-activation z1 for x = 1")
for step in range(295, 301):
    _, caches_here = cl.model_forward(X, original_run(step))
    print(f"   after {step} steps: sharpness {history.sharpness[step]:.4g}, z1 = {float(caches_here[0].Z[0, 0]):+.4f}")

# %% [markdown]
# On average, yes: over the later iterations the mean sharpness sits right
# at $2/\alpha$. But each single value is far from it: in the last steps
# printed the run bounces with a period of two steps, and every other step
# lands right at a ReLU kink, where the
# hidden unit's pre-activation for $x = 1$ is about zero (the unit is
# switching off for that example) and the cost is much flatter. And the
# cost does not keep falling: in 3000 steps it never gets back down to its
# lowest value, 0.677885. Why not, when smaller rates settle even lower,
# at 0.677857 (notebook 06's sweep; the run at 0.8 below)? The answer is
# in the curvature *at* the lowest point, the subject of the next section.

# %% [markdown]
# ## The boundary of notebook 06, and how low the cost can go
#
# ### Why 0.84 does not rise and 0.85 does
#
# Notebook 06 found that no rate up to 0.84 raises the cost by more than
# rounding in 3000 steps, and every rate it tried from 0.85 up raises it at some step. The runs
# it tried from 0.1 to 0.84 all end at nearly the same point (notebook 06 printed
# how much their final weights differ: by at most 0.0011); the run at 0.8
# stands for them here. Its cost, gradient and Hessian, and what the rule $|1 - \alpha\lambda_{\max}|$ says there for
# the rates around the boundary:

# %%
def run_at(rate, num_steps=3000):
    """The original program at another learning rate (notebook 06's sweep)."""
    return cl.fit(X, Y, [1, 1, 1], learning_rate=rate, num_iterations=num_steps, params=params_start, loss="naive")


settled = run_at(0.8)
eigenvalues_settled = np.linalg.eigvalsh(cl.full_hessian(X, Y, settled.params))
sharp_settled = float(eigenvalues_settled[-1])
print(f"α = 0.8 after 3000 steps: cost {settled.final_cost:.6f}, gradient norm {settled.grad_norms[-1]:.1e}")
print(f"   Hessian eigenvalues there: {np.array2string(eigenvalues_settled, precision=4)}")
print(f"   sharpness λ* = {sharp_settled:.4f}, so this point is stable for α < 2 / λ* = {2 / sharp_settled:.4f}")
print("   α     |1 - α λ*|   first rise in 3000 steps   (first rise) x ln|1 - α λ*|   gradient norm at 1000, 3000")
near_boundary = {rate: run_at(rate) for rate in (0.83, 0.84, 0.845, 0.85, 0.86, 0.87, 0.88, 0.9)}
for rate, run in near_boundary.items():
    factor = abs(1 - rate * sharp_settled)
    product = "" if run.first_rise is None or factor < 1 else f"{run.first_rise * np.log(factor):.0f}"
    print(f"  {rate:<6} {factor:10.4f}   {run.first_rise!s:>24}   {product:>29}   "
          f"{run.grad_norms[1000]:.1e}, {run.grad_norms[-1]:.1e}")

# %% [markdown]
# The point where the run at 0.8 settles is a minimum (gradient at rounding
# level; two eigenvalues are positive and two at rounding level, the flat
# directions of a valley of equal cost, explained below) with sharpness $\lambda^* \approx 2.387$, so
# the rule of Part 1 puts the limit at $2/\lambda^* \approx 0.838$. Below it
# the factor is under 1 and the run settles. Above it the zig-zag along the
# sharpest direction grows by $|1 - \alpha\lambda^*|$ per step, and the cost
# rises once it has grown past rounding: the product (first rise)
# $\times \ln|1 - \alpha\lambda^*|$ stays between 29 and 38 from 0.845 to
# 0.9. This is a rough rule, not a count of growth: it counts from step 0,
# but the zig-zag grows only once the sharpness, 0.2735 at the start
# (Part 3), passes $2/\alpha$. That is why the rise comes so late near the boundary: a factor of
# 1.03 per step (0.85) needs a thousand steps.
#
# At 0.84 the rule seems to fail. Its factor, 1.0054, would multiply the
# zig-zag by tens of thousands between step 1000 and step 3000, and yet the
# gradient norm is the same $2.8 \times 10^{-14}$ at both. Is the point
# stable at 0.84 after all? We measure the sharpness where the run at 0.84
# ends, and take two more steps from there:

# %%
run_084 = near_boundary[0.84]
factor_084 = abs(1 - 0.84 * sharp_settled)
print(f"α = 0.84: predicted growth from step 1000 to 3000, {factor_084:.4f}^2000 = {factor_084 ** 2000:.0e};"
      f" measured {run_084.grad_norms[-1] / run_084.grad_norms[1000]:.2f}")
sharp_084 = float(np.linalg.eigvalsh(cl.full_hessian(X, Y, run_084.params))[-1])
print(f"sharpness where it ends: {sharp_084:.4f}; 2 / 0.84 = {2 / 0.84:.4f}; 0.84 is {0.84 * sharp_084 / 2:.4f}"
      f" times the limit there")
path = [run_084.params]
for _ in range(2):
    _, grads_here = cl.cost_and_gradients(X, Y, path[-1], loss="naive")
    path.append(cl.gradient_descent_step(path[-1], grads_here, 0.84))
theta_0, theta_1, theta_2 = (cl.flatten_params(params_here) for params_here in path)
print(f"parameters after 3002 steps identical to those after 3000, bit for bit: {np.array_equal(theta_2, theta_0)}")
growth_asked = (abs(1 - 0.84 * sharp_084) - 1) * np.abs(theta_1 - theta_0) / 2
spacing = np.spacing(np.abs(theta_0))
print("per parameter (w1, b1, w2, b2):")
print(f"   size of the step from 3000 to 3001 : {np.array2string(np.abs(theta_1 - theta_0), precision=1)}")
print(f"   growth per step the rule asks for  : {np.array2string(growth_asked, precision=1)}")
print(f"   gap to the next float64 there      : {np.array2string(spacing, precision=1)}")
print(f"   growth asked for / gap             : {np.array2string(growth_asked / spacing, precision=2)}")
print(f"growth asked for below the gap, for every parameter: {bool(np.all(growth_asked < spacing))};"
      f" below half the gap: {growth_asked < spacing / 2}")

# %% [markdown]
# The point is not stable at 0.84: its sharpness is above $2/0.84$, by a
# quarter of a percent. But the run has stopped moving: after 3000 steps its
# parameters alternate between two points, exactly, to the last bit. The
# zig-zag between them is about $10^{-14}$ wide, and the half percent the
# rule adds to it per step (to its size, which is half the jump between
# the two points: the parameters swing that far either side of the
# midpoint, hence the `/ 2` in `growth_asked`) is of the order of the gap
# between neighbouring float64 numbers at these parameters: 0.17 to 0.84 of
# it (the last two lines). Every update is rounded to a float64, and a change
# smaller than half the gap, added to a parameter, is rounded away. That
# covers $b_1$ and $b_2$ (0.25 and 0.17 of the gap) but not $w_1$ and $w_2$
# (0.84 and 0.71), so the sizes alone do not prove that rounding cancels the
# growth; the bit-for-bit cycle shows that here it does. To see the instability
# the rule predicts, give the zig-zag a start well above rounding level: we
# push the end point by $10^{-7}$ along the sharpest direction $q$, far too
# little to change the printed cost, and run 3000 more steps at 0.84:

# %%
top_084 = cl.sharpness(X, Y, run_084.params, np.random.default_rng(0))
pushed = cl.unflatten_params(theta_0 + 1e-7 * top_084.vector, [1, 1, 1])
after_push = cl.fit(X, Y, [1, 1, 1], learning_rate=0.84, num_iterations=3000, params=pushed, loss="naive")
per_step = (after_push.grad_norms[1000] / after_push.grad_norms[0]) ** (1 / 1000)
print(f"pushed by 1e-7 along q: gradient norm {after_push.grad_norms[0]:.1e} at the start,"
      f" {after_push.grad_norms[1000]:.1e} after 1000 steps: {per_step:.4f} per step"
      f" (the rule: {abs(1 - 0.84 * sharp_084):.4f})")
print("3000 steps at 0.84 from there:", after_push.verdict())
sharp_pushed = float(np.linalg.eigvalsh(cl.full_hessian(X, Y, after_push.params))[-1])
print(f"sharpness at the end: {sharp_pushed:.4f}, {sharp_pushed * 0.84 / 2:.3f} of 2 / α")

# %% [markdown]
# Pushed, the run does what the rule says: the gradient, now mostly the
# zig-zag, grows by 1.0054 per
# step, the cost rises (at iteration 1422, by amounts too small for the
# four digits of the verdict), and by the end the run has moved to a flatter
# point of the valley, just below the limit, as the runs from 0.85 to 0.9 do
# in the next section. So notebook 06's boundary between 0.84 and 0.85 is the
# curvature of this one minimum, $2/\lambda^* \approx 0.8377$, seen through
# runs of a finite length and through floating-point rounding: the true
# limit lies below 0.84, and what kept the run at 0.84 from rising is that
# its zig-zag, at rounding level, never got started.
#
# ### Above the boundary: where the sharpness ends
#
# Where do the runs above the boundary end? The minimum is not a single
# point. While the hidden unit is on for every example, the network computes
# $\sigma\big(w^{[2]} w^{[1]} x + w^{[2]} b^{[1]} + b^{[2]}\big)$, logistic
# regression on $x$: only the slope $w^{[2]} w^{[1]}$ and the intercept
# $w^{[2]} b^{[1]} + b^{[2]}$ matter, so a whole two-parameter valley of
# weights has the same lowest cost (the two eigenvalues near 0 above), and
# its points differ in sharpness. We measure the sharpness over that valley
# (the part with $w^{[1]} > 0$, where the runs are), and at the last two
# steps of each run:

# %%
slope = float(settled.params[1].W[0, 0] * settled.params[0].W[0, 0])
intercept = float(settled.params[1].W[0, 0] * settled.params[0].b[0, 0] + settled.params[1].b[0, 0])


def valley_point(w1, b1):
    """The weights with hidden unit w1 x + b1 that compute the same function as the settled network."""
    w2 = slope / w1
    return [cl.LayerParams(np.array([[w1]]), np.array([[b1]])),
            cl.LayerParams(np.array([[w2]]), np.array([[intercept - w2 * b1]]))]


valley = [(float(np.linalg.eigvalsh(cl.full_hessian(X, Y, valley_point(w1, share * w1)))[-1]), w1, share * w1)
          for w1 in np.linspace(0.1, 1.5, 15) for share in np.linspace(-0.99, 1.0, 9)]
flattest, w1_flat, b1_flat = min(valley)
print(f"valley of lowest cost: sharpness from {flattest:.4f} to {max(valley)[0]:.4g} over {len(valley)} points")
print(f"   flattest at w1 = {w1_flat:.3g}, b1 = {b1_flat:.3g} (z1 for x = 1: {w1_flat + b1_flat:.3g}, the unit's "
      f"edge); stable there for α < 2 / {flattest:.4f} = {2 / flattest:.3f}")
print(f"   there b1 / w1 = {b1_flat / w1_flat:.2f}: the end of the sampled range of b1 / w1, -0.99 to 1")
print("   α    | final cost | sharpness after 3000 and 3001 steps | as a share of 2/α | smallest z1 | status")
above = {rate: near_boundary.get(rate) or run_at(rate) for rate in (0.85, 0.86, 0.88, 0.9, 0.95, 1.0, 1.1, 1.2)}
for rate, run in above.items():
    _, grads_last = cl.cost_and_gradients(X, Y, run.params, loss="naive")
    one_more = cl.gradient_descent_step(run.params, grads_last, rate)
    last_two = [float(np.linalg.eigvalsh(cl.full_hessian(X, Y, params_here))[-1])
                for params_here in (run.params, one_more)]
    print(f"  {rate:<5} | {run.final_cost:10.6f} | {last_two[0]:16.4f} {last_two[1]:17.4f} | "
          f"{last_two[0] * rate / 2:7.3f} {last_two[1] * rate / 2:7.3f}   | "
          f"{float((run.params[0].W @ X + run.params[0].b).min()):+11.4f} | {run.status}")
_, grads_12 = cl.cost_and_gradients(X, Y, above[1.2].params, loss="naive")
z1_12 = [float((params_here[0].W @ X + params_here[0].b)[0, 0])
         for params_here in (above[1.2].params, cl.gradient_descent_step(above[1.2].params, grads_12, 1.2))]
print(f"α = 1.2: z1 for x = 1 after 3000 and 3001 steps: {z1_12[0]:+.4f}, {z1_12[1]:+.4f}")

# %% [markdown]
# Two regimes above the boundary:
#
# - **From 0.85 to 0.9** (the runs in the table: 0.85, 0.86, 0.88 and 0.9)
#   the instability does not wreck the run; it moves
#   it. After its rise and bounces, each run ends at the same lowest cost
#   0.677857 as the small rates, but at another point of the valley, a
#   flatter one, where the sharpness is $2/\alpha$ to within 0.2%, and it
#   alternates between 0.998 and 0.999 or 1.000 of $2/\alpha$ from one step to the
#   next: the run is still bouncing (`oscillating`), very slightly, at the limit
#   (gradient norm from $3 \times 10^{-4}$ to $6 \times 10^{-4}$ after 3000
#   steps, in the table before). The larger the rate, the flatter the point it ends at.
# - **From 0.95 up** none of the sampled points is flat enough: the flattest of the 135
#   points of the valley we sampled has sharpness about 2.19, so none of
#   them is stable for $\alpha$ above about 0.91 (the flattest one lies at the end of the
#   sampled range, $b^{[1]}/w^{[1]} = -0.99$, next to the valley's edge, where the hidden
#   unit switches off for $x = 1$; points closer still to that edge were not sampled). These runs
#   do not settle in 3000 steps: they end `oscillating` (at 1.2 bouncing across
#   that ReLU kink, as in the 300-step run above: $z_1$ for $x = 1$ is $-0.0006$ after
#   3000 steps and $+0.1409$ after 3001, the last line), with the sharpness well
#   below $2/\alpha$ at one of their last two steps and well above it at the
#   other, and their final cost is above 0.677857. The class's 1.2 is one of them.
#
# How this relates to Cohen et al.: we see **progressive sharpening** (0.27
# at the start, 2.3 at iteration 60), and we see the sharpness **driven to
# $2/\alpha$** by the instability itself: from 0.85 to 0.9 the runs end with
# the sharpness at 0.998 to 1.000 of $2/\alpha$ instead of at the sharper
# minimum the smaller rates find. What we do not see is their long phase in
# which the sharpness hovers at or above $2/\alpha$ *while the cost keeps
# falling*: here the runs at 0.85 to 0.9 are already at the lowest cost nearby,
# 0.677857, and those we tried from 0.95 up do not settle in that valley (none of its
# sampled points is flat enough for them): they keep bouncing (at 1.2 across a kink)
# and end above 0.677857. Their experiments used far larger networks, mostly with
# smooth activations; ours has four parameters and one ReLU kink.
#
# ### How low can this network go
#
# Is 0.6779 the best this network can do? No. The runs whose final cost is
# printed, from 0.1 to 0.84 in notebook 06 and at 0.85, 0.86, 0.88 and 0.9 here, all
# stop at 0.677857 because, with the hidden unit on
# for every example (its smallest input $z_1$ over the ten numbers after 3000
# steps is above 0: from $+0.0431$ to $+0.1700$ for 0.85 to 0.9 in the
# table's "smallest z1" column, and 0.174 for the run at 0.8, which stands
# for those of notebook 06, printed below), the network is logistic regression on $x$, and that is
# the best logistic regression on $x$ can do. But one ReLU unit can do
# something logistic regression cannot: switch **on** between $x = 1$ and
# $x = 2$ and stay off for every larger number, say
# $\operatorname{ReLU}(-(x - 1.5))$. Then the output can be made as sure as we
# like that 1 is odd, while the other nine numbers get one shared answer,
# best set to their share of odd numbers, $4/9$. The cost of that network
# tends to $\tfrac{9}{10}\, H(4/9)$, with $H(p) = -p\log p - (1-p)\log(1-p)$,
# as its weights grow. A search over kinks every 0.25 from 0.5 to 10.5, in
# both directions, finds nothing lower, and gradient descent (the question's $\alpha = 1.2$ and
# naive loss) started with the unit on only for $x = 1$ gets there, though some of its
# steps raise the cost on the way:

# %%
def entropy(p):
    return -(p * np.log(p) + (1 - p) * np.log(1 - p))


x_row, y_row = X.ravel(), Y.ravel()
output_slopes = np.concatenate([-np.logspace(-2, 3, 51), np.logspace(-2, 3, 51)])[:, None, None]
output_biases = np.linspace(-3, 3, 61)[None, :, None]
search = []
for kink in np.arange(0.5, 10.51, 0.25):
    for direction in (1, -1):  # the unit is on above the kink (1) or below it (-1)
        Z2 = output_biases + output_slopes * np.maximum(direction * (x_row - kink), 0)[None, None, :]
        costs_here = (np.maximum(Z2, 0) - Z2 * y_row + np.log1p(np.exp(-np.abs(Z2)))).mean(axis=2)
        search.append((float(costs_here.min()), kink, direction))
lowest_found, kink_found, direction_found = min(search)
print(f"limit of the construction, (9/10) H(4/9) = {0.9 * entropy(4 / 9):.4f}")
print(f"lowest cost in a search over {len(search) // 2} kinks x 2 directions x 102 output slopes x 61 output biases:"
      f" {lowest_found:.4f}"
      f" (kink at {kink_found}, unit on {'above' if direction_found > 0 else 'below'} it)")
print(f"logistic regression on x, where the runs stop: {settled.final_cost:.4f}")
start_x1_only = [cl.LayerParams(np.array([[-1.0]]), np.array([[1.5]])),
                 cl.LayerParams(np.array([[1.0]]), np.array([[0.0]]))]
other_start = cl.fit(X, Y, [1, 1, 1], learning_rate=ALPHA, num_iterations=3000, params=start_x1_only, loss="naive")
print(f"gradient descent from w1 = -1, b1 = 1.5 (on only for x = 1): {other_start.verdict()}")
rising_steps = np.flatnonzero(np.diff(other_start.costs) > other_start.costs[:-1] * cl.train.RISE_TOLERANCE + 1e-15) + 1
print(f"   {rising_steps.size} of its 3000 steps raise the cost beyond rounding, the last at step {rising_steps[-1]},"
      f" the largest rise {np.max(np.diff(other_start.costs)[rising_steps - 1]):.2g}")
print(f"   predictions {cl.predict(X, other_start.params).ravel()}, accuracy "
      f"{cl.accuracy(cl.predict(X, other_start.params), Y):.0%}")
print("accuracy of the runs from the question's start, after 3000 steps: "
      + ", ".join(f"{rate}: {cl.accuracy(cl.predict(X, run.params), Y):.0%}"
                  for rate, run in {0.8: settled, **near_boundary}.items()))
print(f"the question's start: w1 = {float(params_start[0].W[0, 0]):.4f}, b1 = {float(params_start[0].b[0, 0]):g};"
      f" after 3000 steps at 0.8 the smallest z1 is {float((settled.params[0].W @ X + settled.params[0].b).min()):.3f}")

# %% [markdown]
# So this architecture can reach about 0.618, well below 0.6779, for example
# from a start where the unit is off for most examples. The question's
# initialisation has $w^{[1]} > 0$ and $b^{[1]} = 0$: the unit is on for all
# ten numbers from the first step. In that region the cost is the logistic
# regression cost, which is convex in the slope and intercept, so its lowest
# point, 0.6779, is a minimum, not a saddle (the Hessian alone cannot say so:
# two of its eigenvalues are at rounding level, along the flat valley above). To reach the
# 0.618 region the unit would have to switch off for nine of the ten
# numbers, and no small step from that minimum lowers the cost; gradient
# descent only follows the slope, so it stays. Neither answer learns
# odd/even: the 0.618 network and every run from the question's start whose
# accuracy is printed (0.8 and 0.83 to 0.9) get 60% right, 6 of 10 (the
# 0.618 network says "odd" for 1 and "even" for everything else; notebook 06
# prints the predictions of its lowest-cost run). Notebook 08
# shows why no setting of this network can do better than 60%.

# %% [markdown]
# ## Part 4: why the scale of the inputs matters
#
# ### The chain rule
#
# In the first layer, $z^{[1]} = W^{[1]} x + b^{[1]}$, so
# $\partial z^{[1]}_j / \partial W^{[1]}_{jk} = x_k$. Every gradient with
# respect to a first-layer weight carries one factor of the input:
#
# $$\frac{\partial J}{\partial W^{[1]}_{jk}} = \frac{1}{m}\sum_{i} \frac{\partial \ell^{(i)}}{\partial z^{[1]}_j}\; x^{(i)}_k ,$$
#
# and differentiating once more brings a second factor, so the Hessian block
# of the first-layer weights carries $x_k x_{k'}$. Multiply the inputs by
# $c$ (and the first-layer weights by $1/c$, so that the network computes
# exactly the same function) and these entries scale by $c$ and $c^2$ while
# nothing else changes: the curvature of the first-layer weights grows with
# the **square** of the input scale, their mixed entries with its first
# power. The sharpness, the largest eigenvalue of the whole matrix, then grows
# by a factor between 1 and $c^2$, depending on how much of the top
# eigenvector lies in the first-layer block; we measure it below. The check,
# at the lowest-cost point of the original run: divide $x$ by
# 10 and multiply $W^{[1]}$ by 10.

# %%
W1, b1 = params_60[0]
params_60_rescaled = [cl.LayerParams(W1 * 10, b1), params_60[1]]
cost_raw, grads_raw = cl.cost_and_gradients(X, Y, params_60)
cost_small, grads_small = cl.cost_and_gradients(X / 10, Y, params_60_rescaled)
print(f"same cost: {cost_raw:.10f} with x, {cost_small:.10f} with x/10 and 10 W[1]")
print("gradient ratio, raw / rescaled (w1, b1, w2, b2):",
      np.round(cl.flatten_params(grads_raw) / cl.flatten_params(grads_small), 4))
hessian_raw = cl.full_hessian(X, Y, params_60)
hessian_small = cl.full_hessian(X / 10, Y, params_60_rescaled)
print("Hessian ratio, raw / rescaled, entry by entry:")
print(np.round(hessian_raw / hessian_small, 3))

# %% [markdown]
# Exactly the chain rule: the $w^{[1]}$ gradient is 10 times larger with the
# raw inputs, the $w^{[1]}$ curvature 100 times, its mixed entries 10 times,
# and everything else is unchanged.
#
# ### Sharpness with raw and with scaled inputs
#
# The first question's commenters suggested scaling the input, for example
# dividing it by 10 (notebook 06). Here we compare the *same*
# parameters, fed raw $x$, $x/10$, or standardised $x$ (mean 0, standard
# deviation 1: `cl.fit_scaling(X, "standardize")` subtracts each feature's
# mean and divides by its standard deviation, both taken from $X$; notebook
# 08 shows the code). We measure the sharpness and `cl.condition_number` (the
# ratio of the largest to the smallest *positive* eigenvalue of the Hessian)
# at the initial parameters and at the lowest-cost point of the original run:

# %%
show_source(cl.condition_number)

# %%
inputs = {"raw x": X, "x / 10": X / 10, "standardised x": cl.fit_scaling(X, "standardize").transform(X)}
print(f"{'inputs':>15} | {'at the start':^26} | {'after 60 steps of the original run':^42}")
print(f"{'':>15} | {'sharpness':>10} {'condition':>15} | {'sharpness':>10} {'condition':>15} {'2 / sharpness':>15}")
for name, X_in in inputs.items():
    row = []
    for params_here in (params_start, params_60):
        row.append(cl.sharpness(X_in, Y, params_here, np.random.default_rng(0)).value)
        row.append(cl.condition_number(X_in, Y, params_here))
    print(f"{name:>15} | {row[0]:10.4g} {row[1]:15.4g} | {row[2]:10.4g} {row[3]:15.4g} {2 / row[2]:15.4g}")
print("\nall four eigenvalues of the Hessian:")
for name, X_in in inputs.items():
    for label, params_here in (("start", params_start), ("after 60", params_60)):
        eigenvalues = np.linalg.eigvalsh(cl.full_hessian(X_in, Y, params_here))
        print(f"{name:>15}, {label:>8}: " + "  ".join(f"{value:+.4g}" for value in eigenvalues))
print("\nsharpness ratio raw x / (x / 10): same weights (a different function) | W[1] times 10 (the same function)")
ratios = {}
for label, params_here in (("at the start", params_start), ("after 60 steps", params_60)):
    sharp_raw = cl.sharpness(X, Y, params_here, np.random.default_rng(0)).value
    same_weights = sharp_raw / cl.sharpness(X / 10, Y, params_here, np.random.default_rng(0)).value
    params_same_function = [cl.LayerParams(params_here[0].W * 10, params_here[0].b), params_here[1]]
    same_function = sharp_raw / cl.sharpness(X / 10, Y, params_same_function, np.random.default_rng(0)).value
    print(f"   {label:>14}: {same_weights:.3g} | {same_function:.3g}")
    ratios[label] = (same_weights, same_function)
same_weights_60, same_function_60 = ratios["after 60 steps"]
print(f"after 60 steps, same weights / same function: {same_weights_60:.3g} / {same_function_60:.3g}"
      f" = {same_weights_60 / same_function_60:.3g} (what the different function adds)")
print("\nthe Hessian at the start (order w1, b1, w2, b2):")
for name in ("raw x", "x / 10"):
    hessian_start = cl.full_hessian(inputs[name], Y, params_start)
    print(f"{name}:\n{np.array2string(hessian_start, precision=4, suppress_small=True)}")
A_start, _ = cl.model_forward(X, params_start)
print(f"mean((a - y) x) at the start: raw x {float(((A_start - Y) * X).mean()):.4f}")
print(f"w2: {float(params_start[1].W[0, 0]):.4f} at the start, {float(params_60[1].W[0, 0]):.4f} after 60 steps")

# %% [markdown]
# At the start the sharpness hardly depends on the inputs (ratio 1.09 with
# the same weights, 1.08 for the same function):
# with weights of size about 0.01, the first-layer block is multiplied by
# $(w^{[2]})^2$, about $2 \times 10^{-5}$ ($w^{[2]} = 0.0044$, the last
# line), and the output bias has the curvature
# $\operatorname{mean} \sigma'(z) \approx 1/4$ whatever the input. The
# entries that involve $w^{[1]}$ or $w^{[2]}$ change with the input (compare
# the two matrices above); the largest is the mixed derivative
# $\partial^2 J / \partial w^{[1]} \partial w^{[2]}$, which contains the term
# $\operatorname{mean}\big((a - y)\, x\big)$ (differentiate
# $\partial J/\partial w^{[2]} = \operatorname{mean}\big((a - y)\operatorname{ReLU}(w^{[1]}x + b^{[1]})\big)$
# by $w^{[1]}$), which is about 0.25 with raw $x$ and 0.025 with $x/10$. A
# symmetric pair of off-diagonal entries like that, with about nothing on
# the diagonal, has the eigenvalues $+0.25$ and $-0.25$: that is where the
# negative eigenvalue comes from (the cost curves down along
# $w^{[1]} = -w^{[2]}$), and with raw $x$ its positive partner, coupled to
# the output bias's 0.25, lifts the sharpness to 0.2735.
# After 60 steps $w^{[2]}$ has grown in size, from 0.0044 to $-0.36$ (the last
# line), the first-layer block matters, and the
# raw inputs make the cost about ten times sharper than either scaled
# version fed the same weights (ratio 9.2 for $x/10$). Most of that factor
# is not the chain rule: with the same weights, $x/10$ makes the network
# compute a different function. For the same function ($x/10$ with
# $10\,W^{[1]}$) the ratio is 2.07, between 1 and the $c^2 = 100$ of the
# first-layer block alone, as the start of this part says; the other factor,
# 4.45 (the quotient printed under the ratios), is the change of function. With the same weights the
# largest stable learning rate drops below 1.2 with raw $x$,
# while with scaled inputs it is far above it.
#
# The condition number tells no such clean story on this network. At the
# start, where the three sharpnesses are within 10% of each other, it ranges
# from 1.189 (raw $x$) to $7.6 \times 10^5$ (standardised); after 60 steps
# it lies between 191 and 623.4, and its order (largest for $x/10$) is not
# that of the sharpness (largest for raw $x$). The eigenvalues show why. A
# network's Hessian has eigenvalues near zero, of either sign, and whichever of them happens to be positive (and above the
# cut-off that `condition_number` uses to tell noise from zero) becomes the
# denominator. A ratio with a nearly-zero denominator says little.
#
# For a cost that is exactly quadratic, the picture is clean. Least-squares
# linear regression has the Hessian $\tilde X \tilde X^\top / m$ (with a row
# of ones for the bias), which depends on the inputs alone. On the 30
# breast-cancer features, whose scales differ by orders of magnitude:

# %%
X_bc, Y_bc = cl.load_breast_cancer()
scaled_bc = {"raw": X_bc, "divided by 10": X_bc / 10,
             "standardised": cl.fit_scaling(X_bc, "standardize").transform(X_bc)}
print("least squares on the breast-cancer features:")
for name, X_in in scaled_bc.items():
    eigenvalues = np.linalg.eigvalsh(least_squares_hessian(X_in))
    print(f"   {name:>14}: largest eigenvalue {float(eigenvalues[-1]):10.4g}, smallest {float(eigenvalues[0]):10.4g},"
          f" condition number {float(eigenvalues[-1] / eigenvalues[0]):10.4g}")

# %% [markdown]
# Dividing every feature by the same 10 divides the eigenvalues by about 100
# (not exactly: the bias's row of ones is not divided): the sharpness falls
# by 100 (so a 100 times larger learning rate is stable),
# but the condition number, a ratio, does not move. Standardising rescales
# each feature by its own spread, and that shrinks the condition number by
# many orders of magnitude. The sharpness sets the largest learning rate you
# can use; the condition number says how slowly the flattest direction then
# moves: even at the largest stable learning rate, each step multiplies the
# distance along it by about $1 - 2\lambda_{\min}/\lambda_{\max} = 1 - 2/\kappa$,
# which is very close to 1 when the condition number $\kappa$ is large.
#
# For the breast-cancer *network* (30 inputs, hidden layers of 16 and 8, He
# initialisation with `RandomState(3)`) we measure only the sharpness, by
# power iteration, at its initial parameters, with the same weights fed all
# three inputs:

# %%
params_bc = cl.init_params([30, 16, 8, 1], np.random.RandomState(3), scheme="he")
sharpness_bc = {}
for name, X_in in scaled_bc.items():
    top = cl.sharpness(X_in, Y_bc, params_bc, np.random.default_rng(0), num_iterations=1000)
    sharpness_bc[name] = top.value
    print(f"   {name:>14}: sharpness {top.value:8.4g},  largest stable learning rate 2 / sharpness {2 / top.value:.3g}"
          f"  (tolerance met: {top.converged})")
print(f"sharpness ratio raw / divided by 10: {sharpness_bc['raw'] / sharpness_bc['divided by 10']:.1f};"
      f"  raw / standardised: {sharpness_bc['raw'] / sharpness_bc['standardised']:.0f}")

# %% [markdown]
# Raw inputs make this network's cost about ten times sharper than inputs
# divided by 10, and several hundred times sharper than standardised ones
# (ratios 9.4 and 436, the last line),
# so the largest stable learning rate is that many times smaller: 0.00227
# against 0.0212 and 0.989. These are same-weights ratios, like the 9.2 of
# the odd/even network: the network computes a different function on each
# input, so the bound from the start of this part (a factor between 1 and
# $c^2$) does not apply to them. That bound holds only for the same function
# ($W^{[1]}$ divided by $c$ when $x$ is multiplied by $c$), and standardising,
# which shifts and divides each feature by its own numbers, has no single $c$
# at all. What the cell does show, for the second question: at these weights
# the limit $2/\lambda_{\max}$ for raw inputs is 436 times lower than for
# standardised ones, and the rule of Part 1 says that a larger step
# overshoots along the sharpest direction, as far as the cost there is close
# to a quadratic. The cell measures the limit only; runs on the raw inputs
# come in Part 5.
#
# ### The original run with $x/10$
#
# Back to the odd/even network, trained from the same initial weights at the
# same $\alpha = 1.2$, but on $x/10$:

# %%
history_10 = cl.sharpness_along_training(X / 10, Y, params_start, learning_rate=ALPHA, num_iterations=300, every=1,
                                         rng=np.random.default_rng(0), loss="naive")
costs_10 = history_10.cost_curve
print(f"x / 10: sharpness {history_10.sharpness[0]:.4g} at the start, largest {history_10.sharpness.max():.4g}"
      f" (2 / alpha = {history_10.threshold:.4g})")
rise_10 = first_rise(costs_10)
rises_10 = np.diff(costs_10)
print(f"x / 10: cost {costs_10[0]:.6f} -> {costs_10[-1]:.6f}; first rise at iteration {rise_10},"
      f" largest single rise {rises_10.max():.2g} (raw x: {np.diff(costs).max():.2g})")

# %%
fig, ax = plt.subplots(figsize=(6.4, 3.8), layout="constrained")
ax.plot(history.iterations, history.sharpness, color=OKABE_ITO[0], label="raw x")
ax.plot(history_10.iterations, history_10.sharpness, color=OKABE_ITO[2], label="x / 10")
ax.axhline(threshold, color=OKABE_ITO[1], linestyle="--", label=rf"$2/\alpha$ = {threshold:.3g}")
ax.set_xlabel("iteration (gradient steps)")
ax.set_ylabel(r"sharpness $\lambda_{max}$ of the Hessian")
ax.set_title("Same network, same α = 1.2: with x/10 the sharpness stays below 2/α", fontsize=10)
ax.legend(fontsize=8, loc="upper right")
plt.show()

# %% [markdown]
# *Figure, in words:* One panel with the iteration (gradient steps) on the
# horizontal axis and the sharpness λ_max of the Hessian on a linear vertical
# axis, with an orange dashed horizontal line at 2/α = 1.67. The blue line,
# raw x, is the run of the sharpness figure above: it starts low, climbs
# smoothly above the orange line and then swings rapidly above and below it
# until the end. The green line, x / 10, starts at the printed 0.25, stays
# flat for a long stretch and then rises slowly, with a few small notches,
# levelling off well below the orange line near its largest value, the printed
# 0.7015.

# %% [markdown]
# With $x/10$ the sharpness also rises (progressive sharpening again), but
# slowly, and after 300 steps it is still well below $2/\alpha$. The cost
# does tick up a few times, by tiny amounts. Those ticks are not the
# instability of this notebook: they come where the hidden unit switches on
# or off for the smallest input, $x = 0.1$, a kink of the ReLU where the
# quadratic picture does not apply. Every rise in the 300 steps (with the
# tolerance of `first_rise`), and the hidden pre-activation $z_1$ for
# $x = 0.1$ before and after it:

# %%
rise_steps = np.flatnonzero(np.diff(costs_10) > costs_10[:-1] * cl.train.RISE_TOLERANCE + 1e-15) + 1  # as first_rise
print(f"{rise_steps.size} rises in {costs_10.size - 1} steps")
print(" step   rise of the cost   z1 for x = 0.1, before -> after   the unit")
for step in rise_steps:
    before, after = (float(cl.model_forward(X / 10, original_run(s, X=X / 10))[1][0].Z[0, 0]) for s in (step - 1, step))
    change = ("switches on" if before <= 0 < after else "switches off" if after <= 0 < before
              else "stays on" if after > 0 else "stays off")
    print(f"{step:5d}   {costs_10[step] - costs_10[step - 1]:16.2g}   {before:+14.4f} -> {after:+.4f}   {change}")

# %% [markdown]
# Every rise comes at a step across the kink, the unit switching on for
# $x = 0.1$ (or, once, off), and none reaches $4 \times 10^{-4}$, against a
# largest rise of 0.024 with raw $x$ (printed above).

# %% [markdown]
# ## Part 5: where `inf` and `nan` come from
#
# None of the odd/even runs of notebooks 06 and 07 produced `inf` or `nan`.
# On the raw breast-cancer data they can appear
# at once: with the He initialisation used below, before the first step
# (with notebook 06's small initialisation, only after hundreds of steps).
# Notebook 03 found where the
# sigmoid rounds to exactly 1 and to exactly 0 in float64 by trying whole
# numbers; here is the exact boundary, by bisection between neighbouring
# floats:

# %%
def boundary(is_past, inside, outside):
    """The two neighbouring floats between which is_past(z) changes from False (inside) to True (outside)."""
    while True:
        middle = (inside + outside) / 2
        if middle == inside or middle == outside:
            return inside, outside
        if is_past(middle):
            outside = middle
        else:
            inside = middle


below_one, first_one = boundary(lambda z: cl.sigmoid(z) == 1.0, 30.0, 40.0)
above_zero, last_zero = boundary(lambda z: cl.sigmoid(z) == 0.0, -700.0, -800.0)
print(f"smallest z with sigmoid(z) == 1.0: {first_one:.10g}  (sigmoid of the float just below: 1 - {1 - float(cl.sigmoid(below_one)):.3g})")
print(f"largest z with sigmoid(z) == 0.0:  {last_zero:.10g}  (sigmoid of the float just above: {float(cl.sigmoid(above_zero)):.3g})")

# %% [markdown]
# Once $a$ is exactly 1 or 0, the naive loss takes $\log 0$, and a label's
# factor of 0 multiplies it. In IEEE floating point:

# %%
with np.errstate(divide="ignore", invalid="ignore"):  # print the values instead of warning
    log_zero = np.log(0.0)
    zero_times_inf = 0.0 * log_zero
    a = cl.sigmoid(40.0)
    print("log(0)               =", float(log_zero))
    print("0 * log(0)           =", float(zero_times_inf))
    for y in (0.0, 1.0):
        term = y * np.log(a) + (1 - y) * np.log(1 - a)
        dA = -(y / a - (1 - y) / (1 - a))
        dZ = dA * a * (1 - a)
        print(f"z = 40, y = {y:g}: a = {float(a)}, loss term {float(-term)}, dA = {float(dA)}, dZ = dA * a(1-a) = {float(dZ)}")

# %% [markdown]
# For $y = 0$ the loss is `inf`; for $y = 1$, a right and confident answer,
# the switched-off term is $0 \times (-\infty)$ = `nan`. The lecture's
# backward path fails too: $dA$ divides by $1 - a = 0$, which gives `inf`
# for $y = 0$ (and `inf` times $\sigma'(z) = a(1-a) = 0$ is `nan`) and
# $0/0$ = `nan` for $y = 1$.
#
# The stable forms never build the dangerous numbers:
#
# - the loss on logits, $\max(z, 0) - zy + \log(1 + e^{-|z|})$ (notebook 03),
#   never takes a log of 0;
# - the fused gradient $dZ = A - Y$ (notebook 04) is the product
#   $dA \cdot \sigma'(z)$ multiplied out by hand, so the $1/(1-a)$ and the
#   $a(1-a)$ cancel on paper instead of producing $\infty \cdot 0$; it lies in
#   $[-1, 1]$ whatever $z$ is.

# %%
show_source(cl.cross_entropy_logits)

# %% [markdown]
# ### On the raw breast-cancer data
#
# The breast-cancer features are not scaled: some are around $10^{-3}$,
# others in the thousands. The network of Part 4, He-initialised, on the
# raw features:

# %%
A_L, caches_bc = cl.model_forward(X_bc, params_bc)
Z_L = caches_bc[-1].Z
m = Y_bc.shape[1]
print(f"largest input value: {float(X_bc.max()):.5g}")
print("mean |weight| of W[1], W[2], W[3]: " + ", ".join(f"{float(np.abs(layer.W).mean()):.2f}" for layer in params_bc))
print(f"output logits z: smallest {float(Z_L.min()):.4g}, median {float(np.median(Z_L)):.4g}, largest {float(Z_L.max()):.4g}")
print(f"outputs exactly 1.0: {int((A_L == 1.0).sum())} of {m};  exactly 0.0: {int((A_L == 0.0).sum())} of {m}")
print(f"labels: {int(Y_bc.sum())} are 1, {int(m - Y_bc.sum())} are 0")
print(f"naive cost : {cl.cross_entropy_naive(A_L, Y_bc)}")
print(f"stable cost: {cl.cross_entropy_logits(Z_L, Y_bc):.4g}")
with np.errstate(divide="ignore", invalid="ignore"):
    dZ_lecture = cl.cross_entropy_naive_gradient(A_L, Y_bc) * cl.sigmoid_derivative(Z_L)
dZ_fused = A_L - Y_bc
print(f"dZ by the lecture path: {int(np.isnan(dZ_lecture).sum())} nan of {m};"
      f"  dZ = A - Y: {int(np.isfinite(dZ_fused).sum())} finite of {m}, all within [{float(dZ_fused.min()):g}, {float(dZ_fused.max()):g}]")

# %% [markdown]
# Every logit is large and positive: a thousand-sized input times weights of
# 0.2 to 0.3 on average (printed above), summed over 30 features and passed through two layers. Most
# outputs round to exactly 1.0, beyond the boundary found above. The
# naive cost is `nan` before a single step (the examples with label 1 and
# $a = 1$ give $0 \times (-\infty)$), while the stable cost is a large but
# ordinary number. `fit` stops the naive run at iteration 0 and trains the
# stable one (with a learning rate well below the $2/\lambda_{\max}$ that
# Part 4 measured for these raw inputs):

# %%
for loss in ("naive", "stable"):
    run = cl.fit(X_bc, Y_bc, [30, 16, 8, 1], learning_rate=1e-5, num_iterations=100, params=params_bc,
                 loss=loss)
    print(f"{loss:>6} loss: cost at iteration 0 = {float(run.costs[0]):.4g};  {run.verdict()}")

# %% [markdown]
# The stable loss keeps the numbers finite, but it does not make the raw
# inputs a good idea: the sharpness at this point (Part 4) allows only tiny
# learning rates. Notebook 08 puts the fixes together.

# %% [markdown]
# ## Your turn
#
# Write `largest_stable_learning_rate(H, num_steps=100)`: given a symmetric
# matrix `H` of shape `(P, P)` whose largest eigenvalue is positive and is
# also its largest in magnitude, return $2/\lambda_{\max}$, with
# $\lambda_{\max}$ found by **power iteration** (do not call
# `np.linalg.eig*`): start from `v = np.ones(P)`, repeat `num_steps` times
# $v \leftarrow Hv / \lVert Hv \rVert$, then take $\lambda_{\max} \approx v^\top H v$.
#
# Replace the `raise` line with your code and run the cell. The check
# compares your answer with $2/\lambda_{\max}$ on four matrices: a diagonal
# $2 \times 2$ one, the Hessian of the odd/even network after 60 steps of
# the original run (Part 3), the least-squares Hessian of the standardised
# breast-cancer features (Part 4), and a $5 \times 5$ matrix that is not
# diagonal. It needs only the cell below and the imports at the top, so it
# still works after a restart of the kernel.

# %%
def largest_stable_learning_rate(H, num_steps=100):
    """Return 2 / lambda_max of the symmetric matrix H (P, P), lambda_max by power iteration from np.ones(P)."""
    raise NotImplementedError  # your code here


check(largest_stable_learning_rate, "largest_stable_learning_rate")

# %% [markdown] tags=["solution"]
# <details>
# <summary><b>Show a solution</b> (try first!)</summary>
#
# ```python
# def largest_stable_learning_rate(H, num_steps=100):
#     v = np.ones(H.shape[0])
#     for _ in range(num_steps):
#         Hv = H @ v
#         v = Hv / np.linalg.norm(Hv)
#     lambda_max = v @ H @ v  # the Rayleigh quotient of a unit vector
#     return 2.0 / lambda_max
# ```
#
# On the odd/even Hessian the top eigenvalue is many times the next one
# (Part 3 printed all four), so a handful of steps would do; the closer the
# two largest eigenvalues, the more steps power iteration needs. The start vector must have some
# component along the top eigenvector: `np.ones` could miss it in an unlucky
# case, which is why the library starts from a random vector.
# </details>

# %% [markdown]
# The library's version, read from the library itself. It is the same loop,
# with a random start chosen by the caller, and it stops early once $Hv$ is
# parallel to $v$ to within `tol` (`Eigenpair` holds the value, the vector,
# the number of products and whether the tolerance was met):

# %%
show_source(curvature.power_iteration)

# %% [markdown]
# ## Summary
#
# - On $f(w) = \tfrac{\lambda}{2}w^2$ a gradient step multiplies the distance
#   to the minimum by $1 - \alpha\lambda$: one-sided for $\alpha < 1/\lambda$,
#   zig-zag for $1/\lambda < \alpha < 2/\lambda$, growing beyond $2/\lambda$.
#   On a quadratic cost the same holds exactly along each eigenvector of the
#   Hessian, so the **sharpness** $\lambda_{\max}$ sets the limit
#   $\alpha < 2/\lambda_{\max}$; on a network's cost it holds near a minimum,
#   where the cost is close to a quadratic.
# - One step changes the cost by about $-\alpha g^\top g + \tfrac{\alpha^2}{2} g^\top H g$
#   (Goodfellow et al., 4.3.1 and 8.2.1). It predicts the real network's steps
#   with an error below 10% of the first-order term $\alpha g^\top g$ up to
#   learning rates of a few units (after 60 steps the error passes 1%
#   between 1.12 and 1.26; at the run's own 1.2 it is 1.03%), and gets the
#   sign of the step of the original run that raised the cost right.
# - The sharpness is measured with Hessian-vector products (two gradients)
#   and power iteration, and checked against the full Hessian.
# - In the original run the sharpness passes $2/\alpha$ at step 27; the
#   cost keeps falling until step 60. The gradient's component along the
#   sharpest direction first stays tiny and keeps its sign; from step 46 it
#   flips sign at every step, and from about step 50 it grows by about
#   $|1 - \alpha\lambda_{\max}|$ per step (within 0.02 from step 53), until at
#   step 60 it is about nine tenths of the gradient's length; then the cost
#   rises.
# - The boundary of notebook 06 is the sharpness of the minimum the rates
#   from 0.1 to 0.84 reach: $\lambda^* \approx 2.387$, stable for
#   $\alpha < 2/\lambda^* \approx 0.838$; from 0.845 to 0.9 the rise comes after
#   $(29 \text{ to } 38) / \ln|1 - \alpha\lambda^*|$ steps. At 0.84, just above the
#   limit, rounding holds the run in an exact two-step cycle; pushed by
#   $10^{-7}$, it rises too. The runs at 0.85, 0.86, 0.88 and 0.9 end
#   at a flatter minimum with the sharpness at $2/\alpha$ (the sharpness
#   driven to $2/\alpha$, as Cohen et al., 2021, describe); above about 0.91
#   none of the points of the valley we sampled is flat enough, and
#   the runs we tried there (0.95 to 1.2) keep bouncing and end above 0.677857.
# - The network could reach a cost of about 0.618 with its unit on only for
#   $x = 1$; from the question's start, at every rate from 0.1 to 0.9 whose
#   final cost is printed (06 and the table above), it ends at 0.6779, the
#   best of logistic regression on $x$. The 0.618 network and every run
#   whose accuracy is printed (0.8 and 0.83 to 0.9) get 60% right.
# - Scaling the inputs by $c$ (and $W^{[1]}$ by $1/c$, the same function)
#   scales the first-layer curvature by $c^2$; for $c = 10$ the sharpness
#   changed by 1.08 times at the start and 2.07 times after 60 steps,
#   between 1 and $c^2$. Fed the same weights, $x/10$ gives a different
#   function and that bound does not apply: the ratios were 1.09 and 9.2
#   (9.4 for the breast-cancer network, and 436 against standardised
#   inputs, which have no single $c$). With $x/10$ the sharpness of the
#   original run stays below $2/\alpha$ for the 300 steps measured. For least
#   squares on the breast-cancer features a common factor changes the
#   sharpness, not the condition number, and standardising each feature
#   reduces both by orders of magnitude (the condition number still stays
#   near $10^5$). On the odd/even network the condition number ranges from
#   1.189 to $7.6 \times 10^5$ at the start, where the sharpness hardly
#   changes with the inputs, and says little.
# - `inf` and `nan` come from the sigmoid rounding to exactly 1 or 0, then
#   $\log 0$ and $0 \times \infty$. With He initialisation, raw breast-cancer
#   inputs make the logits so large that the naive cost is `nan` before
#   training starts (with notebook 06's small initialisation, only at
#   iteration 397); the logits
#   form and $dZ = A - Y$ never build those numbers.
#
# ## Questions to think about
#
# 1. On $f(w) = \tfrac{\lambda}{2} w^2$ with $\alpha = 1.5/\lambda$, the
#    cost falls at every step even though the steps zig-zag. By what factor
#    does the *cost* shrink per step? And for $\alpha = 2.5/\lambda$?
# 2. The quadratic model says a step of size $2 g^\top g / g^\top H g$ leaves
#    the cost unchanged. Why is that always at least $2/\lambda_{\max}$? What
#    has to be true of the gradient for the cost to rise at an $\alpha$ only
#    slightly above $2/\lambda_{\max}$?
# 3. Power iteration on a matrix whose eigenvalues are $-5$, $1$ and $3$
#    returns about $-5$. How does `top_eigenvalue` still find 3, and why would
#    a Hessian have a negative eigenvalue at all?
# 4. Dividing all inputs by 10 (and multiplying $W^{[1]}$ by 10) makes the
#    first-layer curvature 100 times smaller. Why did the odd/even sharpness
#    after 60 steps then fall only by 2.07 times, while least squares on the
#    breast-cancer features fell by 100? And why did it fall by more (9.2)
#    when the same weights met $x/10$?

# %% [markdown]
# # 09 · Beyond plain gradient descent
#
# **Goal.** Try three tools that go beyond the plain gradient descent of the
# earlier notebooks, and measure what each one really changes:
#
# 1. **Momentum and Adam** (Adam is what a comment on the second question
#    suggested; [notebook 06](06-rising-cost.ipynb#The-two-questions) tells
#    that question): what they do to the same runs that went wrong with
#    plain gradient descent;
# 2. **He initialisation** in a *deep* network: why the `small` scheme of the
#    lecture (weights times 0.01) stops a deep ReLU network from learning anything but the base rate
#    (answering the fraction of malignant tumours for every example);
# 3. a **learning-rate range test**: a quick, automatic way to find a
#    sensible learning rate for your own network before you train it.
#
# It ends with pointers to what to read next. After it,
# [notebook 10](10-second-question.ipynb) returns to the second question on
# its own terms: mini-batches and float32.

# %% [markdown]
# ## 1 · Momentum and Adam
#
# ### The maths
#
# As in notebook 05, gather every parameter in one vector $\theta$ (all
# $W^{[l]}$ of shape $(n_l, n_{l-1})$ and $b^{[l]}$ of shape $(n_l, 1)$) and
# write $g_t = \nabla_\theta J(\theta_t)$ for the gradient at step $t$,
# computed on all $m$ examples ($X$ of shape $(n_0, m)$, $Y$ of shape $(1, m)$).
# Plain gradient descent is $\theta_{t+1} = \theta_t - \alpha\, g_t$.
#
# **Momentum** (the "heavy ball") keeps a *velocity* $v$, one number per
# parameter, so each $v^{[l]}$ has the shape of its $W^{[l]}$ or $b^{[l]}$. It
# starts at $v_0 = 0$:
#
# $$v_{t+1} = \beta\, v_t + g_t, \qquad \theta_{t+1} = \theta_t - \alpha\, v_{t+1}, \qquad \beta = 0.9 \text{ by default.}$$
#
# The velocity is a running sum of past gradients, each one weighted by
# $\beta$ once more for every step it ages. Where the gradient keeps pointing
# the same way, the sum grows towards $g / (1 - \beta)$, ten times the gradient
# for $\beta = 0.9$: the steps get longer on a long, gentle slope. Where the
# gradient flips sign from one step to the next (a zigzag across a narrow
# valley), successive terms cancel.
#
# **Adam** (Kingma and Ba, 2015) keeps two running means per parameter, of the
# gradient and of its square (entry by entry, so again the shapes of
# $W^{[l]}$ and $b^{[l]}$), corrects them for having started at zero, and
# divides one by the square root of the other:
#
# $$
# \begin{aligned}
# m_{t+1} &= \beta_1 m_t + (1 - \beta_1)\, g_t, &
# s_{t+1} &= \beta_2 s_t + (1 - \beta_2)\, g_t \odot g_t, \\
# \hat m &= m_{t+1} / (1 - \beta_1^{t+1}), &
# \hat s &= s_{t+1} / (1 - \beta_2^{t+1}), \\
# \theta_{t+1} &= \theta_t - \alpha\, \hat m \,/\, (\sqrt{\hat s} + \epsilon), &
# & \beta_1 = 0.9,\ \beta_2 = 0.999,\ \epsilon = 10^{-8}.
# \end{aligned}
# $$
#
# Each parameter's step is its own gradient divided by (roughly) the typical
# size of that gradient, so its size is of the order of $\alpha$ *whatever
# the scale of the gradient*. On the very first step, $\hat m = g$ and
# $\hat s = g \odot g$, so every parameter moves by
# $\alpha\, g / (|g| + \epsilon)$, in the direction of $-g$: never more than
# $\alpha$, and almost exactly $\alpha$ unless $|g|$ is not much larger than
# $\epsilon$ (part (b) below measures how many move by almost exactly $\alpha$).
#
# ### The code
#
# Both rules are in `course_lib.optim`; `cl.fit(..., optimizer="momentum")` or
# `optimizer="adam"` uses them instead of the plain step. You will write the
# momentum step yourself at the end of this notebook (the library's version
# is shown after that exercise); here is Adam's:

# %%
import matplotlib.pyplot as plt
import numpy as np

import course_lib as cl
from course_lib import optim
from course_lib.exercises import check, show_source
from course_lib.plotting import OKABE_ITO, plot_costs

show_source(optim.adam_step)

# %% [markdown]
# ### Momentum on a quadratic: where is its limit?
#
# Notebook 07 showed that plain gradient descent on $f(w) = \frac{\lambda}{2} w^2$
# is stable only while $\alpha < 2 / \lambda$. With momentum the gradient is
# $\lambda w$, and the pair $(w, v)$ changes by a fixed matrix each step:
#
# $$
# \begin{pmatrix} w_{t+1} \\ v_{t+1} \end{pmatrix}
# = \begin{pmatrix} 1 - \alpha\lambda & -\alpha\beta \\ \lambda & \beta \end{pmatrix}
# \begin{pmatrix} w_t \\ v_t \end{pmatrix}.
# $$
#
# The run shrinks to the minimum when both eigenvalues of that matrix are
# smaller than 1 in size, and grows when one is larger. Working that condition
# out by hand gives $\alpha < 2(1 + \beta) / \lambda$, the heavy-ball bound.
# Rather than trust the algebra, we measure it: for a fine grid of learning
# rates we compute the eigenvalues, and for the rates 1 % on either side of
# the bound we simply run 2000 steps.

# %%
def heavy_ball_matrix(rate, curvature, beta):
    """The 2 x 2 matrix that maps (w, v) to the next (w, v) for momentum on (curvature / 2) w^2."""
    return np.array([[1 - rate * curvature, -rate * beta], [curvature, beta]])


def heavy_ball_run(rate, curvature, beta, num_steps, w=1.0):
    """|w| after num_steps momentum steps on (curvature / 2) w^2, from w (and v = 0)."""
    v = 0.0
    for _ in range(num_steps):
        v = beta * v + curvature * w
        w = w - rate * v
    return abs(w)


curvature = 1.0
rates = np.arange(1, 50_001) * 1e-4  # 0.0001, 0.0002, ..., 5
print(f"curvature λ = {curvature}; plain gradient descent is stable for α < 2/λ = {2 / curvature:.4g}")
print(" beta | largest stable α (eigenvalues) | 2(1+β)/λ | |w| after 2000 steps at 0.99x and 1.01x the bound")
for beta in (0.0, 0.5, 0.9):
    matrices = np.stack([heavy_ball_matrix(a, curvature, beta) for a in rates])  # (50000, 2, 2)
    radius = np.abs(np.linalg.eigvals(matrices)).max(axis=1)  # the larger eigenvalue size for each rate
    largest = float(rates[radius < 1].max())
    bound = 2 * (1 + beta) / curvature
    below, above = heavy_ball_run(0.99 * bound, curvature, beta, 2000), heavy_ball_run(1.01 * bound, curvature, beta, 2000)
    print(f"  {beta:3} | {largest:30.4g} | {bound:8.4g} | {below:.3g} and {above:.3g}")

# %% [markdown]
# The measured limit is $2(1+\beta)/\lambda$ each time: just below it the
# distance to the minimum has shrunk to almost nothing after 2000 steps, just
# above it it has grown enormously. So on a quadratic momentum *raises* the
# largest stable learning rate, from $2/\lambda$ to $3.8/\lambda$ for
# $\beta = 0.9$. Two other facts matter more on a real network, and both
# are measured below:

# %%
beta = 0.9
velocity = 0.0
for _ in range(50):
    velocity = beta * velocity + 1.0  # a gradient that stays 1 step after step
print(f"on a steady slope, after 50 steps the velocity is {velocity:.4g} times the gradient (1/(1-β) = {1 / (1 - beta):.4g})")

w, v, costs = 1.0, 0.0, []
for _ in range(200):
    costs.append(0.5 * curvature * w**2)
    v = beta * v + curvature * w
    w = w - 1.0 * v
rises = np.flatnonzero(np.diff(costs) > 0) + 1
print(f"momentum at α = 1 on λ = 1 (half the plain limit 2/λ = 2, {1 / 3.8:.2f} of the momentum bound 3.8/λ): "
      f"the cost first rises at step {rises[0]}, rises in {rises.size} of 199 steps, and |w| after 200 steps "
      f"is {abs(w):.2g}")

# %% [markdown]
# - On a long slope the velocity grows to almost ten times the gradient
#   (9.948 after 50 steps), so a momentum step can be almost ten times
#   longer than a plain step with the same $\alpha$. A learning rate with
#   which plain gradient descent learns can be far too big with momentum:
#   in part (b) below, on raw breast-cancer data at 0.01, plain gradient
#   descent ends at a cost of 0.2502 with 91.8% training accuracy, while
#   momentum (the row `momentum 0.010`) ends at the base-rate cost 0.6638
#   (the cost of answering the fraction of malignant tumours, the base rate,
#   for everyone: 08's constant-answer cost), calling every tumour benign (0 of 427 predicted malignant).
# - With momentum the cost can go *up* even in a run that is converging: the
#   ball rolls past the bottom and back, again and again, with swings that
#   die down. A rising cost means something else with momentum than without it.
#
# Adam's update rule has no threshold set by the curvature alone: it divides
# each gradient by that gradient's own typical size, so its step is of the
# order of $\alpha$ whatever the curvature. So the question for Adam is
# rather whether a step of about $\alpha$ in *every* parameter at once is
# too big for the network.
#
# ### (a) The original question at learning rates 1.2 and 3
#
# The same setup as in notebooks 05 to 08: odd/even data, network
# `[1, 1, 1]`, the lecture's small initialisation from `RandomState(3)`, the
# naive loss and the lecture's backward path, 3000 iterations. Only the
# update rule changes. The last column counts the examples on which the
# hidden ReLU unit is active ($Z^{[1]} > 0$) at the end.

# %%
X, Y = cl.odd_even()
odd_even_runs = {}
for rate in (1.2, 3.0):
    for name in ("gd", "momentum", "adam"):
        odd_even_runs[name, rate] = cl.fit(
            X, Y, [1, 1, 1], learning_rate=rate, num_iterations=3000, rng=np.random.RandomState(3),
            init="small", loss="naive", optimizer=name,
        )

print(f"log 2 = {np.log(2):.4f}, the cost of answering 0.5 for every example")
print("optimizer     α       status  first rise  lowest cost  final cost  accuracy  hidden unit active on")
for (name, rate), run in odd_even_runs.items():
    _, caches = cl.model_forward(X, run.params)
    active = int((caches[0].Z > 0).sum())
    accuracy = cl.accuracy(cl.predict(X, run.params), Y)
    print(f"{name:>9} {rate:5.1f} {run.status:>12} {run.first_rise!s:>11} {run.lowest_cost:12.6f} "
          f"{run.final_cost:11.6f} {accuracy:9.1f}  {active} of 10 examples")

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 3.8), layout="constrained")
for ax, rate, top in zip(axes, (1.2, 3.0), (0.9, 1.6)):
    runs = {name: odd_even_runs[name, rate] for name in ("gd", "momentum", "adam")}
    plot_costs(runs, ax=ax, log_scale=False, title=f"α = {rate}")
    ax.set_xscale("symlog", linthresh=10)
    ax.set_ylim(0.67, top)
    ax.set_xlabel("iteration (gradient steps, log scale after 10)")
fig.suptitle("Odd/even, [1, 1, 1]: at α = 1.2 only momentum settles, below gd's lowest point; "
             "Adam jumps up at the first step and ends at log 2")
plt.show()

# %% [markdown]
# *Figure, in words:* Two panels, α = 1.2 (left) and α = 3.0 (right), each
# with the iteration on the horizontal axis (linear up to 10, log scale after)
# and the cost (cross-entropy) on a linear vertical axis, and one curve per
# optimiser, named in the legend with its status: gd in blue, momentum in
# orange and adam in green, with a dot at the lowest point of each run whose
# cost rose at some step (wherever that lowest point is). In the left panel the green adam curve jumps up at the
# first step and zig-zags through a series of peaks that shrink, then runs
# flat, with a few isolated spikes near the end; the blue gd curve falls
# slowly and then, after a spike, bounces in a narrow band just above its dot;
# the orange momentum curve falls below the others, wiggles a little and then
# runs flat, lowest of the three, to the end. In the right panel all three
# curves rise to peaks within the first few dozen steps, the green one highest
# and first, and then settle on the same flat level, at about the printed
# 0.6931, for the rest of the run, the green one with a few small spikes near
# the end.

# %% [markdown]
# What the table says, run by run:
#
# - **Plain gradient descent at 1.2** is the original question: the cost
#   rises and keeps bouncing (status `oscillating`) and ends above its lowest
#   point.
# - **Momentum at 1.2** also has rises, early on, but they die down and it
#   settles at 0.677857, the lowest cost in the table, a little below the
#   lowest point plain gradient descent passes through (0.677885) before it
#   starts bouncing. Its first rise is
#   *earlier* than plain gradient descent's: as measured on the quadratic, a
#   rise is no alarm with momentum.
# - **Adam at 1.2** raises the cost at its very first step. The next cell
#   shows why.
# - **At 3** all three end at or just above $\log 2$ (0.693147 and 0.693565)
#   with accuracy 0.5, and the hidden unit
#   is active on none of the examples: a *dead* ReLU unit, whose gradient is
#   zero from then on. For plain gradient descent that means nothing can
#   bring it back. Momentum and Adam can still move a parameter whose
#   gradient is zero, through the steps they remember (the velocity, or
#   Adam's running mean), but in these runs that did not bring the unit back
#   either: it is active on 0 of 10 examples at the end.
#
# And none of them learns "odd or even": that is the representation problem
# of notebook 08, which no optimiser can fix. Here is Adam's first step at
# $\alpha = 1.2$:

# %%
params = cl.init_params([1, 1, 1], np.random.RandomState(3), scheme="small")
cost, grads = cl.cost_and_gradients(X, Y, params, loss="naive")
after, _ = optim.adam_step(params, grads, optim.init_optimizer_state("adam", params), learning_rate=1.2)
for index, name in enumerate(("W[1]", "b[1]", "W[2]", "b[2]")):
    layer, part = divmod(index, 2)
    before_value, after_value = float(params[layer][part][0, 0]), float(after[layer][part][0, 0])
    gradient = float(grads[layer][part][0, 0])
    print(f"{name}: gradient {gradient:9.3g}   {before_value:8.4f} -> {after_value:8.4f}   (moved by {after_value - before_value:.4f})")
_, caches = cl.model_forward(X, after)
print("Z[1] after one Adam step:", caches[0].Z.ravel().round(2))

# %% [markdown]
# Every parameter moved by about $\alpha = 1.2$, even $b^{[1]}$, whose
# gradient was about ten thousand times smaller than that of $W^{[2]}$ (it
# moved a little less than 1.2 only because its gradient is not much larger
# than $\epsilon$). That
# one step made $Z^{[1]} = W^{[1]} x + b^{[1]}$ negative for every $x$ from 1
# to 10: the hidden unit died at the first step. For Adam, $\alpha$ is not a
# multiplier of the gradient but about the *size of the step* in every parameter,
# and 1.2 is an enormous step for weights that start around 0.01.
#
# ### (b) Raw breast-cancer data
#
# Now the real data set of notebook 05, **without** standardising it: the
# spreads of its 30 features differ by a factor of about a quarter of a
# million (printed below). Network
# `[30, 16, 8, 1]`, the small initialisation (so every run starts at a cost
# close to $\log 2$), the stable loss, 1000 iterations, three learning rates a
# factor 10 apart. Accuracies are on the training set and on the held-out
# test set.

# %%
X_all, Y_all = cl.load_breast_cancer()
X_train, Y_train, X_test, Y_test = cl.train_test_split(X_all, Y_all, np.random.default_rng(0), test_fraction=0.25)
raw_runs = {}
for rate in (0.001, 0.01, 0.1):
    for name in ("gd", "momentum", "adam"):
        raw_runs[name, rate] = cl.fit(
            X_train, Y_train, [30, 16, 8, 1], learning_rate=rate, num_iterations=1000,
            rng=np.random.default_rng(0), init="small", loss="stable", optimizer=name,
        )

spread = X_train.std(axis=1)
print(f"standard deviation of the raw features: from {spread.min():.3g} to {spread.max():.4g} "
      f"(a factor {spread.max() / spread.min():.3g})")
base_rate = float(Y_train.mean())
base_cost = -(base_rate * np.log(base_rate) + (1 - base_rate) * np.log(1 - base_rate))
print(f"fraction malignant in the training set {base_rate:.3f}; predicting it for everyone costs {base_cost:.4f}")
starts = [float(run.costs[0]) for run in raw_runs.values()]
print(f"starting cost of the {len(starts)} runs: from {min(starts):.4f} to {max(starts):.4f} (log 2 = {np.log(2):.4f})")
print("optimizer      α       status  first rise  final cost  train acc  test acc  predicted malignant (train)")
for (name, rate), run in raw_runs.items():
    train_acc = cl.accuracy(cl.predict(X_train, run.params), Y_train)
    test_acc = cl.accuracy(cl.predict(X_test, run.params), Y_test)
    print(f"{name:>9} {rate:6.3f} {run.status:>12} {run.first_rise!s:>11} {run.final_cost:11.4f} "
          f"{train_acc:10.1%} {test_acc:9.1%}  {int(cl.predict(X_train, run.params).sum()):>4} of {Y_train.shape[1]}")

# %%
fig, axes = plt.subplots(1, 3, figsize=(13, 3.8), layout="constrained", sharey=True)
for ax, rate in zip(axes, (0.001, 0.01, 0.1)):
    runs = {name: raw_runs[name, rate] for name in ("gd", "momentum", "adam")}
    plot_costs(runs, ax=ax, title=f"α = {rate}")
fig.suptitle("Raw breast-cancer data, [30, 16, 8, 1]: Adam is best at 0.001 and 0.01; "
             "at 0.1 every optimiser ends at the base-rate cost")
plt.show()

# %% [markdown]
# *Figure, in words:* Three panels, α = 0.001, 0.01 and 0.1 from left to
# right, with the iteration (gradient steps) on the horizontal axis and a
# shared log vertical axis, the cost (cross-entropy); in each, gd is blue,
# momentum orange and adam green, named in the legend with their statuses,
# with a dot at the lowest point of each run whose cost rose at some step
# (wherever that lowest point is). At α =
# 0.001 the blue curve falls only a little and stays highest, the orange curve
# drops after a slow start and then runs level with a few sharp spikes, and
# the green curve drops earliest and lowest and keeps drifting down with only
# small bumps. At α = 0.01 the orange curve, after an early peak, runs flat at
# one level to the end, the blue curve falls slowly with many spikes, and the
# green curve falls lowest, with a handful of tall spikes from each of which
# it comes back down. At α = 0.1 the green curve spikes high at the start, and
# all three curves then lie on the same flat line, the printed base-rate cost
# of 0.6638, to the end.

# %% [markdown]
# Reading the table and the curves:
#
# - **Plain gradient descent** is slow at 0.001 (after 1000 steps the cost
#   is still above 0.6 and falling slowly), bounces at 0.01, and at 0.1 ends
#   at the cost of predicting the base rate for everyone: its accuracy is
#   the fraction of benign tumours, because it calls every tumour benign
#   (0 predicted malignant, the last column).
# - **Momentum** behaves like plain gradient descent with a learning rate
#   about ten times larger: at 0.001 it does about as well as plain descent
#   at 0.01 (a little better), and already at 0.01 it ends at the base-rate
#   cost. That is consistent with the factor $1/(1-\beta)$ from above.
# - **Adam** reaches the lowest costs and the best accuracies at 0.001 and
#   0.01. Its cost bounces too (status `oscillating`), and at 0.1 it fails
#   like the others (its status says `converging`: it did converge, to the
#   base-rate cost).
#
# How much do these runs lose by not scaling the inputs? The same runs of
# plain gradient descent and Adam on standardised inputs (standardised with
# the training set's mean and spread, as in notebook 08), beside the raw
# ones above:

# %%
scaler = cl.Standardizer.fit(X_train)
X_train_s, X_test_s = scaler.transform(X_train), scaler.transform(X_test)
print("optimizer      α | raw: final cost  test acc | standardised: final cost  test acc")
for rate in (0.001, 0.01, 0.1):
    for name in ("gd", "adam"):
        scaled_run = cl.fit(X_train_s, Y_train, [30, 16, 8, 1], learning_rate=rate, num_iterations=1000,
                            rng=np.random.default_rng(0), init="small", loss="stable", optimizer=name)
        raw_run = raw_runs[name, rate]
        raw_acc = cl.accuracy(cl.predict(X_test, raw_run.params), Y_test)
        scaled_acc = cl.accuracy(cl.predict(X_test_s, scaled_run.params), Y_test)
        print(f"{name:>9} {rate:6.3f} | {raw_run.final_cost:15.4f} {raw_acc:9.1%} |"
              f" {scaled_run.final_cost:24.4f} {scaled_acc:9.1%}")

# %% [markdown]
# For plain gradient descent the scale of the inputs decides which rates
# work: on raw inputs its best rate here is 0.01, and 0.1 fails; on
# standardised inputs (with this small initialisation) 0.001 and 0.01 leave
# it at or above the base-rate cost after 1000 steps, and 0.1 works. Adam works at
# 0.001 and 0.01 on both, and standardising raises its test accuracy by only
# a point or two; at 0.1 it fails on raw inputs and works on standardised
# ones. So Adam is much less sensitive to the scale of the inputs than plain
# gradient descent, at the rates where it works, but not insensitive to the
# learning rate.
#
# Why Adam copes with raw inputs: the gradient of a weight is proportional to
# the size of the input it multiplies ($dW^{[1]} = dZ^{[1]} X^\top / m$), so on raw data the
# gradients of $W^{[1]}$ differ enormously from feature to feature. A plain
# step multiplies all of them by the same $\alpha$; Adam divides each by its
# own typical size. The first step of each, at the start of the runs above:

# %%
params = cl.init_params([30, 16, 8, 1], np.random.default_rng(0), scheme="small")
cost, grads = cl.cost_and_gradients(X_train, Y_train, params)
per_feature = np.abs(grads[0].W).mean(axis=0)  # mean |dW[1]| for each of the 30 input features
print(f"mean |dW[1]| per input feature: from {per_feature.min():.3g} to {per_feature.max():.3g} "
      f"(a factor {per_feature.max() / per_feature.min():.3g})")

rate = 0.01
after, _ = optim.adam_step(params, grads, optim.init_optimizer_state("adam", params), learning_rate=rate)
gradient = cl.flatten_params(grads)
adam_move = np.abs(cl.flatten_params(after) - cl.flatten_params(params))
plain_move = rate * np.abs(gradient)
moving = gradient != 0
print(f"{int(moving.sum())} of {gradient.size} parameters have a non-zero gradient (the rest have a gradient of "
      "exactly 0)")
print(f"plain step at α = {rate}: from {plain_move[moving].min():.3g} to {plain_move[moving].max():.3g}")
print(f"Adam's first step at α = {rate}: from {adam_move[moving].min():.3g} to {adam_move[moving].max():.3g}; "
      f"{np.mean(adam_move[moving] > 0.99 * rate):.0%} of those with a non-zero gradient moved by more than 0.99 α")
_, caches = cl.model_forward(X_train, params)
off_1, off_2 = [(cache.Z <= 0).all(axis=1) for cache in caches[:2]]  # units off for every training example
touching_off = off_1.sum() * 31 + off_2.sum() * 17 + (~off_2).sum() * off_1.sum() + off_2.sum()  # W and b in, W out
print(f"hidden units off (Z <= 0) for every training example: {off_1.sum()} of 16 in layer 1, {off_2.sum()} of 8 "
      f"in layer 2; {touching_off} of the {int((~moving).sum())} zero gradients are weights or biases into or "
      "out of them")
on_1, on_2 = caches[0].Z > 0, caches[1].Z > 0
others = (grads[1].W == 0) & ~off_2[:, None] & ~off_1[None, :]  # zero dW[2] between units that are on sometimes
never_together = (on_2.astype(int) @ on_1.T.astype(int))[others] == 0
print(f"the other {int(others.sum())}: weights of W[2] between two units that are each on for some example; "
      f"on together for no example: {bool(never_together.all())}")

# %% [markdown]
# The plain steps span many orders of magnitude, so no single $\alpha$ suits
# all of them: large enough for the weights of the small features is far too
# large for the weights of the big ones. Adam's steps are all at most
# $\alpha$. Of the parameters with a non-zero gradient, most (61%, printed
# above) move by more than $0.99\,\alpha$; the rest of them move less, only
# because their gradients are so tiny that $\epsilon = 10^{-8}$ in the
# denominator is no longer negligible. The parameters with a gradient of
# exactly 0 do not move at all. They are not a bug: at this small start,
# some ReLU units are off for every training example (printed
# above). An off unit sends 0 forward and passes no gradient back, so the
# weights and biases into it and the weights out of it get exactly 0; the other 2 connect two units that
# are never on for the same example (the last line).
#
# **So, was "try Adam" good advice to the second question?** Partly. On
# this data, at 0.001 and 0.01, Adam on raw inputs comes within a point or
# two of its test accuracy on standardised inputs, and beats the best plain
# run on raw inputs (the two tables above).
# Whether it would have stopped the explosion in a set-up modelled on the
# question (mini-batches, float32) is measured in
# [notebook 10](10-second-question.ipynb). Either way it does not free you from choosing
# $\alpha$, it does not fix a network that cannot represent the task, and
# scaling the inputs enough (notebook 08; notebook 10 measures how much is
# enough there) fixes the cause rather than the symptom. Both
# together are the usual choice.

# %% [markdown]
# ## 2 · He initialisation in a deep network
#
# ### The maths
#
# Take a hidden layer $l$ with $n_{l-1}$ inputs, weights drawn independently
# with standard deviation $\sigma$ and biases 0. Each entry of
# $Z^{[l]} = W^{[l]} A^{[l-1]}$ (shape $(n_l, m)$) is a sum of $n_{l-1}$
# independent terms, so its variance is
#
# $$\operatorname{Var} Z^{[l]} = n_{l-1}\, \sigma^2\, \mathbb{E}\big[(A^{[l-1]})^2\big].$$
#
# For a ReLU, $A = \max(0, Z)$ keeps half of a symmetric $Z$, so
# $\mathbb{E}[A^2] = \tfrac12 \operatorname{Var} Z$. From one hidden layer to
# the next the standard deviation is therefore multiplied by
#
# $$\sigma \sqrt{n_{l-1} / 2}\,: \qquad 0.01 \sqrt{32/2} = 0.04 \text{ for the small scheme with } n_{l-1} = 32,
# \qquad \sqrt{2/n_{l-1}}\, \sqrt{n_{l-1}/2} = 1 \text{ for He.}$$
#
# He's scale is the one for which this argument predicts a signal of the
# same size from layer to layer (the measurement below finds its spread
# staying between 1 and 3). With the small scale the signal shrinks 25-fold *per layer*, and
# with it everything computed from it.
#
# ### The measurement
#
# A network with 8 hidden layers of 32 ReLU units on the standardised
# breast-cancer data (standardised as in part 1, with the training set's
# mean and spread), both initialisations drawn from the same seed. We read
# $Z^{[l]}$ of every layer from the caches of one forward pass:

# %%
deep_dims = [30] + [32] * 8 + [1]
start = {scheme: cl.init_params(deep_dims, np.random.default_rng(0), scheme=scheme) for scheme in ("small", "he")}
z_std = {}
for scheme, params in start.items():
    _, caches = cl.model_forward(X_train_s, params)
    z_std[scheme] = np.array([float(cache.Z.std()) for cache in caches])

print(f"layer sizes {deep_dims}")
print("layer   std of Z, small   ratio to previous   std of Z, He")
for layer in range(1, len(deep_dims)):
    small, he = z_std["small"][layer - 1], z_std["he"][layer - 1]
    ratio = "" if layer == 1 else f"{small / z_std['small'][layer - 2]:.3g}"
    print(f"{layer:5}   {small:15.3g}   {ratio:>17}   {he:12.3g}")

# %%
fig, ax = plt.subplots(figsize=(6.4, 3.8), layout="constrained")
layers = np.arange(1, len(deep_dims))
ax.plot(layers, z_std["he"], "o-", color=OKABE_ITO[0], label="He: $\\sqrt{2/n_{l-1}}$")
ax.plot(layers, z_std["small"], "s-", color=OKABE_ITO[1], label="small: 0.01")
ax.plot(layers, z_std["small"][0] * 0.04 ** (layers - 1.0), ":", color=OKABE_ITO[7],
        label="small, predicted: × 0.04 per layer")
ax.set_yscale("log")
ax.set(xlabel="layer l (9 = the output's logits)", ylabel="standard deviation of $Z^{[l]}$ (log scale)",
       title="At initialisation: He keeps the signal's size,\nsmall shrinks it 25-fold per layer")
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# *Figure, in words:* One panel with the layer l on the horizontal axis, from
# 1 to 9 (9 = the output's logits), and the standard deviation of Z^[l] on a
# log vertical axis. Blue circles joined by a line are He initialisation
# (√(2/n_{l−1})), orange squares joined by a line the small scheme (0.01), and
# a black dotted line the small scheme's prediction, × 0.04 per layer. The
# blue line runs almost level near the top of the plot, while the orange
# squares fall in a straight line on the log scale, from 0.0521 at layer 1 to
# 5.99e-13 at layer 9 (the table above), on or just above the dotted line.

# %% [markdown]
# The measured shrink factor of the small scheme scatters around the
# predicted 0.04 (each layer has only 32 units, so the estimate is noisy),
# and by the output the logits are about $6 \times 10^{-13}$: the network outputs
# $\sigma(0) = 0.5$ for every example, whatever its input. With He the
# spread stays between 1 and 3 all the way to the output.
#
# The gradients at initialisation, as the Euclidean norm of each $dW^{[l]}$,
# and, for the small scheme, of each $db^{[l]}$, the mean of the backward
# signal $dZ^{[l]}$ over the examples:

# %%
print("layer   |dW|, small   |dW|, He   |db|, small")
grads_at_start = {scheme: cl.cost_and_gradients(X_train_s, Y_train, params)[1] for scheme, params in start.items()}
for layer in range(1, len(deep_dims)):
    small, he = (float(np.linalg.norm(grads_at_start[s][layer - 1].W)) for s in ("small", "he"))
    small_db = float(np.linalg.norm(grads_at_start["small"][layer - 1].b))
    print(f"{layer:5}   {small:11.3g}   {he:8.3g}   {small_db:11.3g}")

# %% [markdown]
# With the small scheme every weight gradient is more than ten orders of
# magnitude smaller than with He. It is not just the first layers: the
# gradient of $W^{[l]}$ is $dZ^{[l]} A^{[l-1]\top} / m$, and while the
# forward signal $A^{[l-1]}$ shrinks towards the output, the backward signal
# $dZ^{[l]}$ shrinks towards the input (its mean over the examples, $db^{[l]}$, falls from
# 0.121 at the output to $2.5 \times 10^{-12}$ at layer 1), so their product
# is tiny everywhere. The output bias $b^{[9]}$ has a gradient of ordinary size.
# Now train both networks the same way: learning rate 0.1, 1000 iterations.

# %%
deep_runs = {}
for scheme, params in start.items():
    deep_runs[scheme] = cl.fit(X_train_s, Y_train, deep_dims, learning_rate=0.1, num_iterations=1000, params=params)

print(f"base-rate cost (predict {base_rate:.3f} for everyone): {base_cost:.4f}")
for scheme, run in deep_runs.items():
    train_acc = cl.accuracy(cl.predict(X_train_s, run.params), Y_train)
    test_acc = cl.accuracy(cl.predict(X_test_s, run.params), Y_test)
    W1_before, W1_after = start[scheme][0].W, run.params[0].W
    moved = float(np.linalg.norm(W1_after - W1_before) / np.linalg.norm(W1_before))
    print(f"{scheme:>5}: {run.verdict()}")
    print(f"       train accuracy {train_acc:.1%}, test accuracy {test_acc:.1%}, W[1] moved by {moved:.3g} of its size")
    if scheme == "small":  # how far every layer moved, to see what this network learned
        layers_before_after = list(zip(start[scheme], run.params))
        W_moves = [np.linalg.norm(new.W - old.W) / np.linalg.norm(old.W) for old, new in layers_before_after]
        b_moves = [np.abs(new.b - old.b).max() for old, new in layers_before_after]
        print("       W[1] to W[9] moved by " + ", ".join(f"{value:.1g}" for value in W_moves) + " of their size")
        print("       the largest change of one entry of b[1] to b[9]: "
              + ", ".join(f"{value:.1g}" for value in b_moves))
        _, small_caches = cl.model_forward(X_train_s, run.params)
        print(f"       logits after training: spread (std) {float(small_caches[-1].Z.std()):.1g};"
              f" predicted malignant: {int(cl.predict(X_train_s, run.params).sum())} of {Y_train.shape[1]};"
              f" the cost fell by {float(run.costs[500] - run.costs[-1]):.1g} over the last 500 steps")
        print(f"       largest rise of the cost from one step to the next: {float(np.diff(run.costs).max()):.1g}"
              f" (first_rise, beyond rounding: {run.first_rise})")
    if scheme == "he":  # (the small run's cost is flat: its rises are rounding noise)
        later_rises = np.flatnonzero(np.diff(run.costs)[1:] > 0) + 1  # steps after the first that raise the cost
        relative = np.diff(run.costs)[later_rises] / run.costs[later_rises]
        print(f"       after the first step, {later_rises.size} steps raise the cost, from step {later_rises[0]}"
              f" to step {later_rises[-1]}, the largest by {relative.max():.0%}, the smallest by {relative.min():.1%}")

# %%
fig, ax = plt.subplots(figsize=(6.4, 3.8), layout="constrained")
plot_costs({"small init": deep_runs["small"], "He init": deep_runs["he"]}, ax=ax, mark=False,
           title="8 hidden layers, α = 0.1: He learns, small stays at the base-rate cost")
ax.axhline(base_cost, color=OKABE_ITO[7], linestyle=":", linewidth=1, label="base-rate cost")
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# *Figure, in words:* One panel with the iteration (gradient steps) on the
# horizontal axis and the cost (cross-entropy) on a log vertical axis: small
# init (converging) in blue, He init (converging) in orange, and a black
# dotted horizontal line at the base-rate cost (0.6638). The blue curve lies
# on or just above the dotted line from start to end. The orange curve jumps
# up at the first step, to the peak of 2.06 printed above, then falls steeply,
# with a dozen small bumps between steps 82 and 104 (printed above), and keeps
# falling, more and more slowly, to 0.0001373 at iteration 1000.

# %% [markdown]
# The He network fits the training set and classifies the test set well. The
# small-initialised one learned next to nothing but its output bias
# $b^{[9]}$, which moved by about 0.5. The output weights $W^{[9]}$ moved
# by 7% of their (small) size, but they multiply activations of the order
# of $10^{-11}$ (the table of $Z$ above); every earlier weight matrix moved
# by at most 2e-05 of its size, the first seven by at most 2e-08. Its cost
# fell to the cost of predicting the fraction of malignant tumours for
# everyone and stayed there, and it calls every tumour benign (0 of 427
# predicted malignant): its logits still vary from example to example by
# only about $2 \times 10^{-13}$ (their spread after training). We expect more
# iterations to barely help, though we have not run them here: steps of
# $\alpha$ times gradients of about $10^{-11}$ go almost nowhere, and over
# the last 500 of the 1000 steps the cost fell by only about $10^{-12}$. (The He network's
# jump at its very first step is a large first step, but not a harmful
# one.) (The shallow `[1, 1, 1]` network of the original question has
# only one hidden layer, so nothing shrinks layer after layer; there the
# starting point mattered in another way: it decided which minimum gradient
# descent reached, notebook 07.)

# %% [markdown]
# ## 3 · A learning-rate range test
#
# How do you pick $\alpha$ for a network you have never trained? The range
# test (after L. N. Smith, 2017) trains *once*, for a hundred steps, raising
# the learning rate geometrically at every step, from $10^{-5}$ to 10 by
# default. At first the rate is too small to do anything; then the cost
# falls faster and faster; then the rate gets too large and the cost
# shoots up. The suggested rate is a tenth of the rate at the lowest
# (smoothed) cost: safely below the point where things go wrong.

# %%
show_source(cl.learning_rate_range_test)

# %% [markdown]
# We run it on the `[30, 16, 8, 1]` network of notebook 05 (He
# initialisation, the default) with the standardised and the raw
# breast-cancer data:

# %%
range_tests = {
    "standardised": cl.learning_rate_range_test(X_train_s, Y_train, [30, 16, 8, 1], np.random.default_rng(0)),
    "raw": cl.learning_rate_range_test(X_train, Y_train, [30, 16, 8, 1], np.random.default_rng(0)),
}
for name, test in range_tests.items():
    print(f"{name:>12}: {test.costs.size} of 100 steps run (it stops once the cost is 4 times its lowest), "
          f"cost {float(test.costs[0]):.4g} -> lowest {float(test.costs.min()):.4g}; "
          f"suggested learning rate {test.suggested:.3g}")
ratio = range_tests["standardised"].suggested / range_tests["raw"].suggested
print(f"the suggested rate for standardised inputs is {ratio:.3g} times the one for raw inputs")

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 3.8), layout="constrained")
for ax, (name, test) in zip(axes, range_tests.items()):
    ax.plot(test.learning_rates, test.costs, ".-", color=OKABE_ITO[0], label="cost after the step")
    ax.axvline(test.suggested, color=OKABE_ITO[2], linestyle="--", label=f"suggested α = {test.suggested:.3g}")
    ax.axvline(10 * test.suggested, color=OKABE_ITO[1], linestyle=":", label=f"lowest (smoothed) at {10 * test.suggested:.3g}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set(xlabel="learning rate α of the step (log scale)", ylabel="cost (log scale)", title=f"{name} inputs")
    ax.legend(fontsize=8)
fig.suptitle("Learning-rate range test, [30, 16, 8, 1]: raw inputs need a rate about 60 000 times smaller")
plt.show()

# %% [markdown]
# *Figure, in words:* Two panels, standardised inputs (left) and raw inputs
# (right), each with the learning rate α of the step on a log horizontal axis
# and the cost on a log vertical axis; blue dots joined by a line are the cost
# after each step of the range test, a green dashed vertical line marks the
# suggested α (0.87 on the left, 1.42e-05 on the right) and an orange dotted
# one the lowest point of the smoothed curve (8.7 and 0.000142). On the left
# the curve runs flat over the smallest rates, bends down into a long fall to
# its lowest near the orange line, and turns sharply up at its last point. On
# the right the curve starts high, at the printed 19.8, and falls steeply from
# its first point, then more slowly to its lowest near the orange line, and
# turns up at its last point.

# %% [markdown]
# On the standardised data the curve has the expected shape, but only just:
# its lowest cost comes at step 97 of 0 to 99, and its sharp rise only at
# the very last step, at the top of the range (the first line below). Step 3
# of the recipe below asks for a clear rise, and one point at the edge is
# not clear, so run it again with a range ten times wider:

# %%
default = range_tests["standardised"]
print(f"standardised, max_rate 10: lowest cost at step {int(np.argmin(default.costs))} of steps 0 to"
      f" {default.costs.size - 1}; the last step's cost is {default.costs[-1] / default.costs.min():.1f} times"
      " the lowest")
wider = cl.learning_rate_range_test(X_train_s, Y_train, [30, 16, 8, 1], np.random.default_rng(0), max_rate=100.0)
print(f"standardised, max_rate 100: {wider.costs.size} of 100 steps run (it stopped once the cost was 4 times its"
      f" lowest), suggested learning rate {wider.suggested:.3g} (with max_rate 10: {default.suggested:.3g})")

# %% [markdown]
# Now the cost turns up well inside the range and the run stops, and the
# suggestion stays put: the default range was just wide enough. The raw-data
# curve has no flat start: with He weights on inputs in the thousands, the starting cost is
# huge and even the smallest rate lowers it, so the suggestion lies close to
# the left edge of the range. Is it an artefact of where the range starts?
# Start a thousand times lower and see:

# %%
lower_start = cl.learning_rate_range_test(X_train, Y_train, [30, 16, 8, 1], np.random.default_rng(0), min_rate=1e-8)
print(f"raw, min_rate 1e-8: {lower_start.costs.size} of 100 steps run, suggested learning rate {lower_start.suggested:.3g} "
      f"(with min_rate 1e-5: {range_tests['raw'].suggested:.3g})")

# %% [markdown]
# Much the same rate, so the suggestion is not an artefact of the range.
# Now the proof of the pudding: train for 1000 iterations with the suggested
# rate, and, to see why the test backs off by a factor of 10, with the rate
# at the lowest point itself.

# %%
data = {"standardised": (X_train_s, X_test_s), "raw": (X_train, X_test)}
for name, test in range_tests.items():
    train_inputs, test_inputs = data[name]
    for factor in (1, 10):
        rate = factor * test.suggested
        run = cl.fit(train_inputs, Y_train, [30, 16, 8, 1], learning_rate=rate, num_iterations=1000,
                     rng=np.random.default_rng(0), init="he")
        train_acc = cl.accuracy(cl.predict(train_inputs, run.params), Y_train)
        test_acc = cl.accuracy(cl.predict(test_inputs, run.params), Y_test)
        print(f"{name:>12}, α = {rate:.3g} ({'suggested' if factor == 1 else '10 x suggested'}): {run.verdict()}")
        print(f"{'':>14}train accuracy {train_acc:.1%}, test accuracy {test_acc:.1%}, predicted malignant "
              f"{int(cl.predict(train_inputs, run.params).sum())} of {Y_train.shape[1]} training examples")

# %% [markdown]
# With the suggested rate both trainings work: on the standardised data the
# test accuracy is the best in this notebook; on the raw data it is clearly
# lower. One rate has to suit features whose gradients differ by a factor of
# hundreds of thousands (part 1), so standardising is still worth it. The status
# `oscillating` on the standardised data is honest: more than a tenth of
# the steps in the second half of the run raised the cost (the rule
# printed in notebook 06), yet it ends a hair above its lowest cost (0.0004169
# against 0.0004165), so the bounces do little harm. At ten times the suggested
# rate the standardised run blows up and ends up calling every tumour
# benign (0 predicted malignant), while the raw one survives: the factor of 10 is a safety margin, sometimes needed and
# sometimes more careful than necessary.
#
# ### A recipe for your own network
#
# 1. Scale your inputs (standardise with the training set's mean and spread).
# 2. Run `cl.learning_rate_range_test(X_train, Y_train, layer_dims, rng)`
#    with your layer sizes and the initialisation you will train with.
# 3. Plot `test.costs` against `test.learning_rates` on a log axis. You want
#    a flat start, a clear fall and a clear rise. If the cost is still
#    falling at the right edge, raise `max_rate`; if it falls from the very
#    first step, lower `min_rate` and check that the suggestion stays put.
# 4. Train with `test.suggested`. If the cost bounces late in training, halve
#    the rate; if it falls steadily but slowly, try twice the rate.
# 5. Judge by the training cost; look at the test set once, at the end.

# %% [markdown]
# ## Your turn
#
# Write `momentum_step(params, grads, velocity, learning_rate, beta)`.
# `params`, `grads` and `velocity` are lists with one `(W, b)` pair per layer,
# all with the same shapes. Return a pair `(new_params, new_velocity)`,
# two new lists of `(W, b)` pairs, with
# $v \leftarrow \beta v + g$ and then $\theta \leftarrow \theta - \alpha v$
# for every `W` and `b`. Do not change the arrays you were given.
#
# The check compares your function with `course_lib.optim.momentum_step` for
# several values of $\beta$, including $\beta = 0$, where one momentum step
# is one plain gradient-descent step, and says what differs first.

# %%
def momentum_step(params, grads, velocity, learning_rate, beta):
    """Return (new_params, new_velocity): v <- beta v + g, then theta <- theta - learning_rate v."""
    raise NotImplementedError  # your code here


check(momentum_step, "momentum_step")

# %% [markdown] tags=["solution"]
# <details>
# <summary><b>Show a solution</b> (try first!)</summary>
#
# ```python
# def momentum_step(params, grads, velocity, learning_rate, beta):
#     new_params, new_velocity = [], []
#     for (W, b), (dW, db), (vW, vb) in zip(params, grads, velocity):
#         vW, vb = beta * vW + dW, beta * vb + db
#         new_velocity.append((vW, vb))
#         new_params.append((W - learning_rate * vW, b - learning_rate * vb))
#     return new_params, new_velocity
# ```
#
# The velocity is updated *first* and the parameters move with the new
# velocity. `beta * vW + dW` builds a new array, so the caller's velocity is
# left as it was.
# </details>

# %% [markdown]
# The library's version, read from the library itself: the same two lines
# per layer, written as list comprehensions, with the parameter update done by
# `gradient_descent_step` (a plain step along the velocity):

# %%
show_source(optim.momentum_step)

# %% [markdown]
# ## Summary
#
# - **Momentum** adds up past gradients: $v \leftarrow \beta v + g$,
#   $\theta \leftarrow \theta - \alpha v$. On a quadratic it is stable up to
#   $\alpha = 2(1+\beta)/\lambda$ (measured), but on a steady slope its steps
#   are up to $1/(1-\beta)$ times longer than plain ones, and its cost can rise
#   in a run that converges. On the raw breast-cancer data its results were
#   consistent with plain gradient descent at a ten times larger rate.
# - **Adam** divides each parameter's step by the typical size of its
#   gradient, so its steps are of the order of $\alpha$ (its first step on
#   the raw breast-cancer data: at most $\alpha$, and above $0.99\,\alpha$
#   for 61% of those with a non-zero gradient): it copes with badly scaled
#   inputs far better than plain gradient descent, but a large $\alpha$ still
#   wrecks the run (on odd/even at 1.2 its first step killed the ReLU unit).
# - **Initialisation** matters more the deeper the network: with weights
#   times 0.01, a ReLU layer of width 32 shrinks the signal about 25-fold, so
#   after 8 hidden layers the logits depend on the input only at the
#   $10^{-13}$ level (spread $6 \times 10^{-13}$ at the start) and the
#   network learns nothing but the base rate. With He's scale
#   $\sqrt{2/n_{l-1}}$ the spread of $Z$ stays between 1 and 3 in all 9 layers.
# - A **learning-rate range test** finds a workable rate in one short run;
#   it gave rates tens of thousands of times apart for raw and standardised
#   inputs, and both worked.
#
# ## Questions to think about
#
# 1. Momentum at $\alpha = 1.2$ settled at a lower cost than plain gradient descent at 1.2 reached on
#    odd/even, where plain gradient descent kept bouncing, even though its first rise
#    came earlier. What does that say about using "the cost went up" as the
#    sign that the learning rate is too high?
# 2. Adam's first step moves every parameter whose gradient is well above
#    $\epsilon$ by almost exactly $\alpha$. Which starting weights are safe
#    with $\alpha = 0.01$, and which are not?
# 3. The variance argument for He's scale assumed a ReLU. Redo it for
#    $\tanh$, which is close to the identity near 0: which scale keeps the
#    signal's size? (Compare the scheme called `xavier` in notebook 01,
#    which is LeCun's scale $\sqrt{1/n_{l-1}}$.)
# 4. The range test changes the rate at every step *while* the network
#    learns. Why might the rate it suggests be too careful, or too bold, for
#    a training run of 10 000 steps?
#
# ## Where to go next
#
# - **Mini-batches and stochastic gradient descent.** Every step here used
#   all $m$ examples. Real training uses small random batches: much cheaper
#   steps, and noise in the gradient that changes which learning rates are
#   stable. [Notebook 10](10-second-question.ipynb) starts there, with a
#   set-up modelled on the second question.
# - **Learning-rate schedules.** Start large and shrink the rate over time
#   (step decay, cosine), or warm up from a small rate first; the range test
#   above is the first half of Smith's cyclical learning rates.
# - **Batch normalisation** (Ioffe and Szegedy, 2015) standardises the
#   inputs of every *layer*, not just the first, which makes deep networks far
#   less sensitive to initialisation and to the learning rate.
# - **The edge of stability.** Cohen, Kaur, Li, Kolter and Talwalkar (2021),
#   "Gradient Descent on Neural Networks Typically Occurs at the Edge of
#   Stability", measure the sharpness of notebook 07 in large networks: it
#   rises until it reaches $2/\alpha$ and then hovers there while the cost
#   keeps falling, bouncing as it goes. On the question's four-parameter
#   network, notebook 07 found the sharpness climbing past $2/\alpha$ and, on
#   average, hovering there afterwards, but not a cost that keeps falling. A good
#   next read after this course.
# - **The book** cited in the answer to the second question: Goodfellow,
#   Bengio and Courville, *Deep Learning* (2016), chapter 8, on optimisation
#   for training deep models.

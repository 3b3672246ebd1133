# %% [markdown]
# # Why does my network's cost go up? A course in ten notebooks
#
# You wrote a neural network from scratch, you expected the cost to fall at
# every iteration, and it fell for a while and then climbed. Or you changed the
# learning rate by a factor of ten and the loss went from thousands to a
# trillion to `nan` within one epoch (notebook 10 reproduces that pattern).
# Both are common when you train networks by hand, and both have
# explanations you can *measure*.
#
# This course builds a deep binary classifier in NumPy one step at a time
# (initialise, forward, cost, backprop, update) on a small tested library,
# `course_lib`. Then it reproduces a beginner's rising cost on their
# setup, explains it with the curvature of the cost, and fixes it.
#
# **Who it is for.** You know Python and NumPy arrays, and a little calculus
# (derivatives, the chain rule). You may have followed a deep-learning lecture
# series and want to understand what your own code is doing.
#
# **How to use a notebook.** Run the cells from top to bottom
# (*Run → Run All Cells*, or Shift+Enter cell by cell). Each notebook has one
# idea: a goal, the maths with every shape, the library's code, *your turn*
# exercises with automatic checks, a summary and questions. In notebooks 01
# to 05 you write every step of the network yourself, and the library's code
# for a step is shown only after its exercise.
# If you skip an exercise, everything after it still runs: the notebooks use
# the library's reference version, not yours. The exceptions build on your
# earlier exercises: the whole forward pass (exercise 3 of 02), the whole
# backward pass (exercise 3 of 04) and its check at the end of 04, the
# training loop (exercise 2 of 05, which calls your exercise 1), and the
# last section of 05, where you assemble your own network; each says which
# of your pieces are still missing.

# %% [markdown]
# ## Contents
#
# {{CONTENTS_TABLE}}

# %% [markdown]
# ## Check your setup
#
# The next cell compares the packages in this kernel with the versions the
# course was tested with (the pins in `requirements.txt`). If a line says
# something is missing or different, close JupyterLab and start it again with
# `python3 course.py lab` from the course folder: that command installs exactly
# the pinned versions into the folder's own environment, `.venv`. (On Binder or
# a JupyterHub you cannot do that yourself: tell whoever runs it which line
# the cell printed.)

# %%
import sys

from course_lib.environment import check_environment, python_is_supported

statuses = check_environment()
problems = [s for s in statuses if not s.ok]
if not python_is_supported():
    print(f"Python {sys.version_info.major}.{sys.version_info.minor} is too old: the course needs 3.10 or newer.")
elif problems:
    for status in problems:
        found = status.installed or "not installed"
        print(f"{status.name}: found {found}, the course was tested with {status.wanted}")
    print("Fix: run `python3 course.py lab` from the course folder (it installs the tested versions).")
else:
    print(f"All {len(statuses)} packages the notebooks need are installed, at the tested versions.")

# %% [markdown]
# Now check that interactive widgets work in your browser. Below this text you
# should see a slider labelled *learning rate*; drag it and the line under it
# should change.
#
# - If you see **"Error displaying widget: model not found"** or only a line
#   of text such as `FloatLogSlider(value=0.01, ...)`, the widget packages in
#   the kernel and in JupyterLab do not match. Start the course with
#   `python3 course.py lab`, which pins `ipywidgets` and `jupyterlab_widgets`
#   together, then reload the browser tab.
# - In VS Code or another editor, widgets need that editor's Jupyter extension.

# %%
# NBVAL_IGNORE_OUTPUT
# (a widget's view exists only in a live kernel, so its output is not compared)
import ipywidgets as widgets
from IPython.display import display

slider = widgets.FloatLogSlider(value=0.01, base=10, min=-4, max=1, step=0.1, description="learning rate")
echo = widgets.Label()


def show_rate(change):
    echo.value = f"you chose a learning rate of {change['new']:.4g}"


slider.observe(show_rate, names="value")
show_rate({"new": slider.value})
display(widgets.VBox([slider, echo]))

# %% [markdown]
# ## How the course is organised
#
# - `course_lib/`: the library, one file per step (`init.py`, `activations.py`,
#   `layers.py`, `losses.py`, `model.py`, `optim.py`, `train.py`, ...). After
#   each step you write, the notebook shows you the library's own code for
#   it (with `show_source`), so what you read is what runs.
# - `notebooks/`: these notebooks, in reading order.
# - `tests/`: the tests that keep the library correct and the notebooks'
#   printed numbers true.
#
# The two questions this course answers, in our own words:
#
# 1. *"My from-scratch network's cost goes down for a few dozen iterations and
#    then rises sharply. Changing the learning rate or the number of iterations
#    didn't help. Why?"* The network in that question classified the numbers
#    1 to 10 as odd or even, with one hidden unit, unscaled inputs and a
#    learning rate of 1.2.
# 2. *"Why does a learning rate of 0.001 make my loss explode to `nan` when
#    0.0001 works fine? How can a minimiser make the loss grow?"*
#
# Notebooks 01 to 05 build the network that the first question was about;
# the later notebooks reproduce both symptoms and measure their causes.
#
# When a notebook says *the lecture*, it means the popular deep-learning
# lecture series whose programming assignments the first question's code
# followed: its shapes ($W^{[l]}$ is $n_l \times n_{l-1}$, one column per
# example), its initialisation (normal random numbers from NumPy with seed
# 3, times 0.01) and its cost computed from the probabilities.
# The course reproduces those conventions; its code and text are its own.

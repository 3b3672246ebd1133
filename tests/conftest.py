"""Set-up shared by every test module: draw figures off screen."""

import matplotlib

# No window, no display needed: figures are drawn in memory (CI, Binder, a terminal).
matplotlib.use("Agg")

"""The course's data sets, a train/test split and a standardiser.

Every X is (n_x, m), one example per column; every Y is (1, m) of 0s and 1s.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ._validation import as_float_matrix, check_choice, check_labels, check_rng

DATA_DIR = Path(__file__).parent / "data"
BREAST_CANCER_CSV = DATA_DIR / "breast_cancer_wisconsin.csv"


def odd_even() -> tuple[np.ndarray, np.ndarray]:
    """The original question's data: X = 1, 2, ..., 10 as a row, Y = 1 for odd numbers.

    Returns X (1, 10) float64 and Y (1, 10) float64 (1, 0, 1, 0, ...), unscaled.
    """
    X = np.arange(1, 11, dtype=np.float64).reshape(1, 10)
    Y = (X % 2).astype(np.float64)
    return X, Y


def breast_cancer_feature_names() -> list[str]:
    """The 30 feature names of the breast-cancer data, in the row order of its X."""
    with open(BREAST_CANCER_CSV, encoding="utf-8") as handle:
        return handle.readline().strip().split(",")[:-1]


def load_breast_cancer() -> tuple[np.ndarray, np.ndarray]:
    """The Wisconsin diagnostic breast-cancer data, raw (unscaled).

    Returns X (30, 569) and Y (1, 569) with Y = 1 for malignant.
    Citation and licence (CC BY 4.0): course_lib/data/README.md.
    """
    table = np.loadtxt(BREAST_CANCER_CSV, delimiter=",", skiprows=1)
    return table[:, :-1].T.copy(), table[:, -1:].T.copy()


def make_moons(m: int, rng, noise: float = 0.15) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved half-circles in 2-D, a set no straight line separates.

    m : number of examples (half in each class, the odd one in class 1)
    rng : np.random.Generator or RandomState (uses standard_normal only)
    noise : standard deviation of the Gaussian noise added to each coordinate

    Returns X (2, m) and Y (1, m).
    """
    check_rng(rng)
    if isinstance(m, bool) or not isinstance(m, (int, np.integer)) or m < 2:
        raise ValueError(f"m must be a whole number of examples, at least 2; got {m!r}.")
    n_upper = m // 2
    angle_upper = np.linspace(0, np.pi, n_upper)
    angle_lower = np.linspace(0, np.pi, m - n_upper)
    upper = np.vstack([np.cos(angle_upper), np.sin(angle_upper)])
    lower = np.vstack([1 - np.cos(angle_lower), 0.5 - np.sin(angle_lower)])
    X = np.hstack([upper, lower]) + noise * rng.standard_normal((2, m))
    Y = np.hstack([np.zeros(n_upper), np.ones(m - n_upper)]).reshape(1, m)
    return X, Y


def train_test_split(X, Y, rng, test_fraction: float = 0.25):
    """Shuffle the columns and split them into a training and a test set.

    X (n_x, m), Y (1, m) -> X_train (n_x, m_train), Y_train (1, m_train),
    X_test (n_x, m_test), Y_test (1, m_test), with m_test = round(test_fraction * m).
    Uses ``rng.permutation`` (which both Generator and RandomState have).
    """
    X = as_float_matrix(X, "X")
    Y = check_labels(Y, m=X.shape[1])
    check_rng(rng)
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be between 0 and 1 (for example 0.25); got {test_fraction}.")
    m = X.shape[1]
    m_test = int(round(test_fraction * m))
    if m_test < 1 or m_test > m - 1:
        raise ValueError(f"test_fraction {test_fraction} leaves no example on one side of the split of {m}.")
    order = rng.permutation(m)
    test, train = order[:m_test], order[m_test:]
    return X[:, train], Y[:, train], X[:, test], Y[:, test]


@dataclass(frozen=True)
class Standardizer:
    """Shift and scale each feature (row) to mean 0 and standard deviation 1.

    Fit it on the training set only, then apply the *same* shift and scale to
    the test set: the test set must not leak into the preprocessing.

    mean : (n_x, 1)   scale : (n_x, 1), the standard deviation (1 where a feature is constant)
    """

    mean: np.ndarray
    scale: np.ndarray

    @classmethod
    def fit(cls, X_train) -> Standardizer:
        """Learn each row's mean and standard deviation from X_train (n_x, m)."""
        X_train = as_float_matrix(X_train, "X_train")
        mean = X_train.mean(axis=1, keepdims=True)
        scale = X_train.std(axis=1, keepdims=True)
        # A constant feature carries no information; leave it centred, not divided by 0 (or by the
        # ~1e-17 that rounding gives as the spread of a row such as 0.1, 0.1, 0.1).
        constant = X_train.max(axis=1, keepdims=True) == X_train.min(axis=1, keepdims=True)
        scale = np.where(constant, 1.0, scale)
        return cls(mean, scale)

    def transform(self, X) -> np.ndarray:
        """(X - mean) / scale for X (n_x, m); returns a new array."""
        X = as_float_matrix(X, "X")
        if X.shape[0] != self.mean.shape[0]:
            raise ValueError(
                f"this Standardizer was fitted on {self.mean.shape[0]} features but X has {X.shape[0]} rows; "
                "did you mean X.T?"
                if X.shape[1] == self.mean.shape[0]
                else f"this Standardizer was fitted on {self.mean.shape[0]} features but X has {X.shape[0]} rows."
            )
        return (X - self.mean) / self.scale


SCALINGS = ("none", "divide by 10", "divide by max", "standardize")


def fit_scaling(X_train, method: str) -> Standardizer:
    """A shift-and-scale for the rows of X_train (n_x, m), learned from X_train only.

    method:
      "none"          : leave the inputs as they are
      "divide by 10"  : x / 10 (the suggestion made to the original question)
      "divide by max" : x / max|x| per feature, so every feature lies in [-1, 1]
      "standardize"   : (x - mean) / standard deviation per feature

    Returns a Standardizer; apply it to any set with ``.transform(X)``.
    """
    check_choice(method, "scaling", SCALINGS)
    X_train = as_float_matrix(X_train, "X_train")
    n_features = X_train.shape[0]
    zeros, ones = np.zeros((n_features, 1)), np.ones((n_features, 1))
    if method == "none":
        return Standardizer(zeros, ones)
    if method == "divide by 10":
        return Standardizer(zeros, 10 * ones)
    if method == "divide by max":
        largest = np.abs(X_train).max(axis=1, keepdims=True)
        return Standardizer(zeros, np.where(largest > 0, largest, 1.0))
    return Standardizer.fit(X_train)

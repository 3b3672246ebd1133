"""The course's data sets, a train/test split and a standardiser.

Every X is (n_x, m), one example per column; every Y is (1, m) of 0s and 1s.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ._validation import as_float_matrix, check_choice, checked, needs_rng

DATA_DIR = Path(__file__).parent / "data"
BREAST_CANCER_CSV = DATA_DIR / "breast_cancer_wisconsin.csv"
# The shipped file, as git stores it (line endings "\n"; a Windows checkout's "\r\n" is read as "\n").
BREAST_CANCER_SHA256 = "3df6821a97b59154efb1f79fbd20883f99751d5c12b381d2d1ca045061ab5db0"
BREAST_CANCER_ROWS, BREAST_CANCER_FEATURES = 569, 30
BREAST_CANCER_MALIGNANT, BREAST_CANCER_BENIGN = 212, 357


def odd_even() -> tuple[np.ndarray, np.ndarray]:
    """The original question's data: X = 1, 2, ..., 10 as a row, Y = 1 for odd numbers.

    Returns X (1, 10) float64 and Y (1, 10) float64 (1, 0, 1, 0, ...), unscaled.
    """
    X = np.arange(1, 11, dtype=np.float64).reshape(1, 10)
    Y = (X % 2).astype(np.float64)
    return X, Y


def breast_cancer_feature_names(path=BREAST_CANCER_CSV) -> list[str]:
    """The 30 feature names of the breast-cancer data, in the row order of its X."""
    return _verified_text(path).split("\n", 1)[0].split(",")[:-1]


def load_breast_cancer(path=BREAST_CANCER_CSV) -> tuple[np.ndarray, np.ndarray]:
    """The Wisconsin diagnostic breast-cancer data, raw (unscaled).

    Returns X (30, 569) and Y (1, 569) with Y = 1 for malignant (212) and 0 for benign (357).
    The file is checked against the SHA-256 of the shipped copy first: a damaged
    copy raises ValueError saying what is wrong with it and how to restore it.
    Citation and licence (CC BY 4.0): course_lib/data/README.md.
    """
    table = np.loadtxt(io.StringIO(_verified_text(path)), delimiter=",", skiprows=1)
    return table[:, :-1].T.copy(), table[:, -1:].T.copy()


def _verified_text(path) -> str:
    """The text of the breast-cancer file at ``path``, after checking it is the shipped one, byte for byte."""
    if not isinstance(path, (str, Path)):
        raise TypeError(f"path must be a file name (a str or pathlib.Path), not {type(path).__name__}; "
                        "call load_breast_cancer() without it to use the shipped copy.")
    path = Path(path)
    try:
        content = path.read_bytes().replace(b"\r\n", b"\n")
    except OSError as error:
        raise FileNotFoundError(f"cannot read the breast-cancer data at {path} ({error.strerror}). "
                                f"{_how_to_restore(path)}") from None
    if hashlib.sha256(content).hexdigest() != BREAST_CANCER_SHA256:
        raise ValueError(f"{path} is not the course's breast-cancer data: {_what_is_wrong(content)}. "
                         f"{_how_to_restore(path)}")
    return content.decode("utf-8")


def _how_to_restore(path: Path) -> str:
    if path.resolve() != BREAST_CANCER_CSV.resolve():
        return f"Call load_breast_cancer() without a path to use the shipped copy, {BREAST_CANCER_CSV}."
    return ("Restore it by running `git checkout -- course_lib/data/breast_cancer_wisconsin.csv` in the course's "
            "folder, or download (git clone) the course again.")


def _what_is_wrong(content: bytes) -> str:
    """The first thing that differs from the shipped file: its size, its shape, its labels or its numbers."""
    lines = [line for line in content.decode("utf-8", errors="replace").split("\n") if line.strip()]
    if not lines:
        return "the file is empty"
    width = BREAST_CANCER_FEATURES + 1
    header, rows = lines[0].split(","), [line.split(",") for line in lines[1:]]
    if len(header) != width:
        return f"its header has {len(header)} columns, not {width} (30 features, then the label 'malignant')"
    if len(rows) != BREAST_CANCER_ROWS:
        cut = "it was cut short" if len(rows) < BREAST_CANCER_ROWS else "rows were added"
        return f"it has {len(rows)} rows of data, not {BREAST_CANCER_ROWS}: {cut}"
    for number, row in enumerate(rows, start=2):
        if len(row) != width:
            return f"line {number} has {len(row)} values, not {width}"
    return _what_is_wrong_with_the_numbers(rows)


def _what_is_wrong_with_the_numbers(rows: list[list[str]]) -> str:
    try:
        labels = np.array([row[-1] for row in rows], dtype=float)
        np.array(rows, dtype=float)
    except ValueError:
        return "some of its entries are not numbers"
    malignant, benign = int(np.sum(labels == 1)), int(np.sum(labels == 0))
    if (malignant, benign) != (BREAST_CANCER_MALIGNANT, BREAST_CANCER_BENIGN):
        return (f"its labels count {malignant} malignant (1) and {benign} benign (0), not "
                f"{BREAST_CANCER_MALIGNANT} and {BREAST_CANCER_BENIGN} (were the labels changed or flipped?)")
    return ("its shape and labels are right but its numbers differ from the shipped file (the SHA-256 does not "
            "match): a value was edited, or columns or rows were swapped")


@checked(needs_rng)
def make_moons(m: int, rng, noise: float = 0.15) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved half-circles in 2-D, a set no straight line separates.

    m : number of examples (half in each class, the odd one in class 1)
    rng : np.random.Generator or RandomState (uses standard_normal only)
    noise : standard deviation of the Gaussian noise added to each coordinate

    Returns X (2, m) and Y (1, m).
    """
    n_upper = m // 2
    angle_upper = np.linspace(0, np.pi, n_upper)
    angle_lower = np.linspace(0, np.pi, m - n_upper)
    upper = np.vstack([np.cos(angle_upper), np.sin(angle_upper)])
    lower = np.vstack([1 - np.cos(angle_lower), 0.5 - np.sin(angle_lower)])
    X = np.hstack([upper, lower]) + noise * rng.standard_normal((2, m))
    Y = np.hstack([np.zeros(n_upper), np.ones(m - n_upper)]).reshape(1, m)
    return X, Y


@checked(needs_rng)
def train_test_split(X, Y, rng, test_fraction: float = 0.25):
    """Shuffle the columns and split them into a training and a test set.

    X (n_x, m), Y (1, m) -> X_train (n_x, m_train), Y_train (1, m_train),
    X_test (n_x, m_test), Y_test (1, m_test), with m_test = round(test_fraction * m).
    Uses ``rng.permutation`` (which both Generator and RandomState have).
    """
    m = X.shape[1]
    m_test = int(round(test_fraction * m))
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

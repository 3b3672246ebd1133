"""The course's data sets, the train/test split and the standardiser."""

import hashlib

import numpy as np
import pytest

from course_lib import Standardizer, data, fit_scaling, load_breast_cancer, make_moons, odd_even, train_test_split
from course_lib.data import BREAST_CANCER_CSV, breast_cancer_feature_names


def test_odd_even_is_one_to_ten_with_label_one_for_odd_numbers():
    X, Y = odd_even()
    assert X.shape == (1, 10) and Y.shape == (1, 10)
    assert X.dtype == np.float64 and Y.dtype == np.float64
    np.testing.assert_array_equal(X[0], np.arange(1, 11))
    np.testing.assert_array_equal(Y[0], [n % 2 for n in range(1, 11)])


def test_breast_cancer_shapes_labels_and_feature_names():
    X, Y = load_breast_cancer()
    names = breast_cancer_feature_names()
    assert X.shape == (30, 569) and Y.shape == (1, 569)
    assert set(np.unique(Y)) == {0.0, 1.0}
    assert Y.sum() == 212  # malignant
    assert len(names) == 30 and len(set(names)) == 30
    assert np.all(np.isfinite(X))


def test_breast_cancer_is_raw_with_very_unequal_feature_scales():
    X, _ = load_breast_cancer()
    names = breast_cancer_feature_names()
    assert X[names.index("area_worst")].max() == 4254.0
    assert X[names.index("fractal_dimension_se")].max() < 0.03


@pytest.mark.parametrize("m", [2, 3, 10, 101])
def test_make_moons_shape_and_balance(m):
    X, Y = make_moons(m, np.random.default_rng(0))
    assert X.shape == (2, m) and Y.shape == (1, m)
    assert set(np.unique(Y)) <= {0.0, 1.0}
    assert (Y == 0).sum() == m // 2
    assert (Y == 1).sum() == m - m // 2


def test_make_moons_is_deterministic_for_a_seed():
    X1, Y1 = make_moons(50, np.random.default_rng(7))
    X2, Y2 = make_moons(50, np.random.default_rng(7))
    X3, _ = make_moons(50, np.random.default_rng(8))
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(Y1, Y2)
    assert not np.array_equal(X1, X3)


def test_make_moons_without_noise_lies_on_two_half_circles():
    X, Y = make_moons(40, np.random.default_rng(0), noise=0.0)
    upper, lower = X[:, Y[0] == 0], X[:, Y[0] == 1]
    np.testing.assert_allclose(upper[0] ** 2 + upper[1] ** 2, 1.0)
    np.testing.assert_allclose((lower[0] - 1) ** 2 + (lower[1] - 0.5) ** 2, 1.0)
    assert upper[1].min() >= -1e-12 and lower[1].max() <= 0.5 + 1e-12


def test_make_moons_accepts_a_legacy_random_state():
    X, _ = make_moons(20, np.random.RandomState(0))
    assert X.shape == (2, 20)


def numbered_columns(m, n_x=3):
    """X whose first row numbers the columns, Y that is that number's parity: a column's identity is visible."""
    ids = np.arange(m, dtype=float)
    X = np.vstack([ids] + [ids * (k + 2) for k in range(n_x - 1)])
    return X, (ids % 2).reshape(1, m)


@pytest.mark.parametrize(("m", "fraction"), [(10, 0.25), (569, 0.25), (7, 0.5), (100, 0.1)])
def test_train_test_split_sizes(m, fraction):
    X, Y = numbered_columns(m)
    X_train, Y_train, X_test, Y_test = train_test_split(X, Y, np.random.default_rng(0), test_fraction=fraction)
    m_test = int(round(fraction * m))
    assert X_test.shape == (3, m_test) and Y_test.shape == (1, m_test)
    assert X_train.shape == (3, m - m_test) and Y_train.shape == (1, m - m_test)


@pytest.mark.parametrize("rng", [np.random.default_rng(1), np.random.RandomState(1)], ids=["Generator", "RandomState"])
def test_train_test_split_uses_every_column_exactly_once_and_keeps_labels_with_their_column(rng):
    m = 57
    X, Y = numbered_columns(m)
    X_train, Y_train, X_test, Y_test = train_test_split(X, Y, rng)
    ids = np.concatenate([X_train[0], X_test[0]])
    np.testing.assert_array_equal(np.sort(ids), np.arange(m))
    np.testing.assert_array_equal(Y_train[0], X_train[0] % 2)
    np.testing.assert_array_equal(Y_test[0], X_test[0] % 2)
    np.testing.assert_array_equal(X_train[1], 2 * X_train[0])


def test_train_test_split_shuffles_and_is_deterministic_for_a_seed():
    X, Y = numbered_columns(40)
    first = train_test_split(X, Y, np.random.default_rng(3))
    again = train_test_split(X, Y, np.random.default_rng(3))
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[2][0], np.arange(10))  # the test set is not just the first columns


def test_standardizer_gives_mean_zero_and_std_one_on_the_training_set():
    X, _ = load_breast_cancer()
    scaled = Standardizer.fit(X).transform(X)
    np.testing.assert_allclose(scaled.mean(axis=1), 0.0, atol=1e-12)
    np.testing.assert_allclose(scaled.std(axis=1), 1.0, rtol=1e-12)


def test_standardizer_applies_training_statistics_to_the_test_set():
    rng = np.random.default_rng(2)
    X_train = rng.normal(loc=[[5.0], [-3.0]], scale=[[2.0], [0.5]], size=(2, 50))
    X_test = rng.normal(loc=[[7.0], [0.0]], scale=[[1.0], [4.0]], size=(2, 20))
    scaler = Standardizer.fit(X_train)
    expected = (X_test - X_train.mean(axis=1, keepdims=True)) / X_train.std(axis=1, keepdims=True)
    np.testing.assert_allclose(scaler.transform(X_test), expected, rtol=1e-12)
    # not refitted on the test set: its own statistics would give mean 0 there
    assert abs(scaler.transform(X_test).mean(axis=1)[0]) > 0.5
    assert scaler.mean.shape == (2, 1) and scaler.scale.shape == (2, 1)


def test_standardizer_centres_an_exactly_constant_feature_without_dividing_by_zero():
    X = np.vstack([np.full((1, 6), 5.0), np.arange(6.0)])
    scaler = Standardizer.fit(X)
    assert scaler.scale[0, 0] == 1.0
    np.testing.assert_array_equal(scaler.transform(X)[0], np.zeros(6))
    np.testing.assert_array_equal(scaler.transform(X + 1.0)[0], np.ones(6))


@pytest.mark.parametrize("value", [0.1, 3.7])
def test_standardizer_treats_a_constant_feature_with_inexact_mean_as_constant(value):
    X = np.vstack([np.full((1, 3), value), np.arange(3.0)])
    scaler = Standardizer.fit(X)
    assert scaler.scale[0, 0] == 1.0
    np.testing.assert_allclose(scaler.transform(X)[0], 0.0, atol=1e-12)
    np.testing.assert_allclose(scaler.transform(X + 1.0)[0], 1.0, atol=1e-12)


def test_standardizer_transform_returns_a_new_array():
    X = np.arange(12.0).reshape(3, 4)
    scaler = Standardizer.fit(X)
    assert scaler.transform(X) is not X


def test_fit_scaling_methods_use_the_training_set_only():
    rng = np.random.default_rng(4)
    X_train = rng.normal(loc=[[100.0], [-2.0]], scale=[[30.0], [0.1]], size=(2, 40))
    X_test = rng.normal(loc=[[300.0], [5.0]], scale=[[30.0], [0.1]], size=(2, 10))
    np.testing.assert_array_equal(fit_scaling(X_train, "none").transform(X_test), X_test)
    np.testing.assert_allclose(fit_scaling(X_train, "divide by 10").transform(X_test), X_test / 10, rtol=1e-15)
    largest = np.abs(X_train).max(axis=1, keepdims=True)
    by_max = fit_scaling(X_train, "divide by max")
    np.testing.assert_allclose(by_max.transform(X_test), X_test / largest, rtol=1e-15)
    np.testing.assert_allclose(np.abs(by_max.transform(X_train)).max(axis=1), 1.0, rtol=1e-15)
    standard = fit_scaling(X_train, "standardize")
    np.testing.assert_allclose(standard.mean, Standardizer.fit(X_train).mean, rtol=1e-15)
    np.testing.assert_allclose(standard.scale, Standardizer.fit(X_train).scale, rtol=1e-15)


def test_fit_scaling_divide_by_max_leaves_an_all_zero_feature_alone():
    X = np.vstack([np.zeros(5), np.arange(5.0)])
    np.testing.assert_array_equal(fit_scaling(X, "divide by max").transform(X)[0], np.zeros(5))


def test_fit_scaling_rejects_an_unknown_method():
    with pytest.raises(ValueError, match=r"unknown scaling 'minmax'; choose one of 'none', 'divide by 10'"):
        fit_scaling(np.ones((2, 3)), "minmax")


# --- the shipped breast-cancer file is verified before it is used ----------------------------------


SHIPPED = BREAST_CANCER_CSV.read_bytes()
RESTORE = r"git checkout -- course_lib/data/breast_cancer_wisconsin\.csv"


def altered_copy(tmp_path, change):
    """A copy of the shipped CSV with ``change(lines)`` applied to its lines; returns its path."""
    lines = SHIPPED.decode("utf-8").split("\n")
    path = tmp_path / "breast_cancer_wisconsin.csv"
    path.write_text("\n".join(change(lines)), encoding="utf-8")
    return path


def test_the_shipped_file_has_the_recorded_checksum_shape_and_classes():
    assert hashlib.sha256(SHIPPED).hexdigest() == data.BREAST_CANCER_SHA256
    X, Y = load_breast_cancer()
    assert X.shape == (30, 569) and int(Y.sum()) == 212 and int((Y == 0).sum()) == 357


def test_an_exact_copy_loads_and_a_windows_checkout_too(tmp_path):
    same = altered_copy(tmp_path, lambda lines: lines)
    np.testing.assert_array_equal(load_breast_cancer(same)[0], load_breast_cancer()[0])
    crlf = tmp_path / "crlf.csv"
    crlf.write_bytes(SHIPPED.replace(b"\n", b"\r\n"))  # git's autocrlf on Windows
    np.testing.assert_array_equal(load_breast_cancer(crlf)[1], load_breast_cancer()[1])


def drop_last_column(lines):
    return [",".join(line.split(",")[:-1]) if line else line for line in lines]


def flip_labels(lines):
    return [lines[0]] + [line[:-1] + str(1 - int(line[-1])) if line else line for line in lines[1:]]


def swap_first_two_columns(lines):
    def swap(line):
        fields = line.split(",")
        return ",".join([fields[1], fields[0], *fields[2:]]) if line else line

    return [lines[0]] + [swap(line) for line in lines[1:]]


ALTERATIONS = {
    "truncated": (lambda lines: lines[:301], r"it has 300 rows of data, not 569: it was cut short"),
    "extra column": (lambda lines: [line + ",0" if line else line for line in lines],
                     r"its header has 32 columns, not 31"),
    "a column removed": (drop_last_column, r"its header has 30 columns, not 31"),
    "empty": (lambda lines: [], r"the file is empty"),
    "rows added": (lambda lines: lines[:-1] + lines[1:3] + [""], r"it has 571 rows of data, not 569: rows were added"),
    "flipped labels": (flip_labels, r"its labels count 357 malignant \(1\) and 212 benign \(0\), not 212 and 357"),
    "swapped columns": (swap_first_two_columns, r"its shape and labels are right but its numbers differ"),
    "a short line": (lambda lines: [lines[0], lines[1].rsplit(",", 2)[0], *lines[2:]], r"line 2 has 29 values"),
    "a word in the numbers": (
        lambda lines: [lines[0], "x" + lines[1], *lines[2:]], r"some of its entries are not numbers"
    ),
}


@pytest.mark.parametrize("alteration", sorted(ALTERATIONS))
def test_a_damaged_copy_is_refused_with_what_is_wrong(tmp_path, alteration):
    change, message = ALTERATIONS[alteration]
    with pytest.raises(ValueError, match=rf"is not the course's breast-cancer data: {message}"):
        load_breast_cancer(altered_copy(tmp_path, change))


def test_a_damaged_shipped_file_says_how_to_restore_it(tmp_path, monkeypatch):
    damaged = altered_copy(tmp_path, lambda lines: lines[:301])
    monkeypatch.setattr(data, "BREAST_CANCER_CSV", damaged)
    with pytest.raises(ValueError, match=rf"cut short\. Restore it by running `{RESTORE}`.*git clone"):
        data.load_breast_cancer(damaged)
    with pytest.raises(ValueError, match=r"cut short"):
        data.breast_cancer_feature_names(damaged)


def test_a_missing_file_is_named():
    with pytest.raises(FileNotFoundError, match=r"cannot read the breast-cancer data at .*nowhere\.csv"):
        load_breast_cancer("nowhere.csv")


# --- make_moons and the split: bad arguments are refused at the door -------------------------------


@pytest.mark.parametrize("noise", [np.nan, np.inf, -0.1, "0.1", 1e308], ids=["nan", "inf", "negative", "str", "huge"])
def test_make_moons_noise_must_be_a_sensible_standard_deviation(noise):
    # nan used to give an X of nothing but nan.
    with pytest.raises(ValueError, match=r"noise must be a number from 0 to 10 \(a standard deviation"):
        make_moons(10, np.random.default_rng(0), noise=noise)


def test_make_moons_refuses_a_number_of_examples_that_cannot_fit_in_memory():
    with pytest.raises(ValueError, match=r"would not fit in memory"):
        make_moons(10**12, np.random.default_rng(0))


@pytest.mark.parametrize("fraction", ["0.2", None, [0.2]])
def test_train_test_split_fraction_must_be_a_number(fraction):
    X, Y = odd_even()
    with pytest.raises(ValueError, match=r"test_fraction must be between 0 and 1, a number such as 0\.25, not"):
        train_test_split(X, Y, np.random.default_rng(0), test_fraction=fraction)

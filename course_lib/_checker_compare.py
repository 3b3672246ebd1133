"""Comparing a learner's result with the reference, for the exercise checker.

Every number the learner returns is first turned into a plain float64 NumPy
array (or rejected with a sentence saying why): a masked array, an ndarray
subclass or a number written as text cannot change the comparison. Then
``compare`` returns None when the result matches, or one sentence about the
first difference, naming it as the learner's code names it (dW, caches[1].Z).
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

RTOL, ATOL = 1e-7, 1e-10


@dataclass(frozen=True)
class Tolerance:
    """rtol, atol : how close a number must be; m : the number of examples (for "did you divide by m?"), or None."""

    rtol: float = RTOL
    atol: float = ATOL
    m: int | None = None


def plural(count: float, word: str, words: str | None = None) -> str:
    """'1 item', '3 items', '0.3 seconds'."""
    return f"{count:g} {word if count == 1 else (words or word + 's')}"


def kind_of(value) -> str:
    """A few words for what a value is: 'a list of 2 items', 'a str', 'None'."""
    if value is None or isinstance(value, numbers.Number):
        try:
            text = repr(value)
        except ValueError:  # an int of more than 4300 digits
            return f"a {type(value).__name__} too large to print"
        return text if len(text) <= 40 else f"{text[:20]}...{text[-8:]}"
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of {plural(len(value), 'item')}"
    return f"a {type(value).__name__}"


def _masked_problem(value, where: str) -> str | None:
    hidden = int(np.ma.count_masked(value))
    if hidden:
        return (f"{where} is a masked array with {plural(hidden, 'hidden entry', 'hidden entries')}; return a "
                "plain NumPy array (a mask would hide those entries from the comparison).")
    return None


def as_float_array(value, where: str, expected: np.ndarray) -> tuple[np.ndarray | None, str | None]:
    """(value as a plain float64 ndarray, None), or (None, a sentence saying why it is not an array of numbers).

    A list or tuple of numbers is accepted where the expected result is 1-D (a list of costs).
    """
    if np.ma.isMaskedArray(value):
        problem = _masked_problem(value, where)
        if problem:
            return None, problem
        value = np.ma.getdata(value)
    if isinstance(value, (list, tuple)) and expected.ndim == 1:
        if not all(isinstance(item, (numbers.Real, np.ndarray)) for item in value):
            return None, f"{where} should hold numbers, but it holds {kind_of(value[0]) if value else 'nothing'}."
        try:
            value = np.asarray(value)
        except ValueError:  # items of different shapes
            return None, f"{where} should hold one number per entry, but its items have different shapes."
    if not isinstance(value, np.ndarray):
        summed = "; did you sum over every entry instead of along one axis (axis=1, keepdims=True)?" \
            if isinstance(value, numbers.Number) and expected.size > 1 else "."
        return None, f"{where} should be a NumPy array of shape {expected.shape} but is {kind_of(value)}{summed}"
    value = value.view(np.ndarray)  # a subclass's own == or isclose must not take part in the comparison
    if value.dtype.kind not in "biuf":
        return None, f"{where} holds {value.dtype} values; it should hold real numbers."
    return value.astype(np.float64), None


def as_float_number(value, where: str) -> tuple[float | None, str | None]:
    """(value as a float, None), or (None, a sentence saying why it is not one number)."""
    if isinstance(value, (str, bytes)):
        return None, f"{where} is the text {value!r}; return a number (a float), not a str."
    if np.ma.isMaskedArray(value) or value is np.ma.masked:
        return None, f"{where} is a masked value; return a plain number."
    if isinstance(value, numbers.Real) and not isinstance(value, np.ndarray):
        try:
            return float(value), None
        except OverflowError:
            return None, f"{where} is {kind_of(value)}, a number too large for a float."
    array = np.asarray(value) if isinstance(value, np.ndarray) else None
    if array is None or array.dtype.kind not in "biuf" or array.size != 1:
        shape = f" of shape {array.shape}" if array is not None else ""
        return None, f"{where} should be a single number but is {kind_of(value)}{shape}."
    return float(array.reshape(())), None


def factor_hint(got: np.ndarray, expected: np.ndarray, tolerance: Tolerance, what: str = "Every entry") -> str:
    """A sentence when ``got`` is ``expected`` times one constant (m, 1/m, -1, ...), else ''."""
    nonzero = np.abs(expected) > tolerance.atol
    if not nonzero.any() or not np.allclose(got[~nonzero], 0.0, atol=tolerance.atol):
        return ""
    ratios = got[nonzero] / expected[nonzero]
    factor = float(np.median(ratios))
    if not np.isfinite(factor) or abs(factor) < 1e-9 or np.isclose(factor, 1.0, rtol=1e-4) \
            or not np.allclose(ratios, factor, rtol=1e-6):
        return ""
    m = tolerance.m
    if m and m > 1 and np.isclose(factor, m):
        return f" {what} is m = {m} times too large: did you divide by m?"
    if m and m > 1 and np.isclose(factor, 1 / m):
        return f" {what} is m = {m} times too small: did you divide by m twice?"
    if np.isclose(factor, -1.0):
        return f" {what} has the wrong sign."
    return f" {what} is {factor:.4g} times the right value." if nonzero.sum() > 1 else ""


def _compare_array(got, expected: np.ndarray, where: str, tolerance: Tolerance) -> str | None:
    if got is None:
        return f"{where} is None; did you forget a `return`?"
    array, problem = as_float_array(got, where, expected)
    if problem:
        return problem
    if array.shape != expected.shape:
        return f"{where} has shape {array.shape}{_shape_hint(array, expected)} but should have shape {expected.shape}."
    with np.errstate(invalid="ignore"):
        close = np.isclose(array, expected, rtol=tolerance.rtol, atol=tolerance.atol)
    if close.all():
        return None
    index = tuple(int(i) for i in np.argwhere(~close)[0])
    entry = ", ".join(map(str, index))
    with np.errstate(all="ignore"):
        hint = factor_hint(array, expected, tolerance) or _precision_hint(array, expected)
    digits = 6 if f"{array[index]:.6g}" != f"{expected[index]:.6g}" else 12
    return f"entry [{entry}] of {where} is {array[index]:.{digits}g} but should be {expected[index]:.{digits}g}.{hint}"


def _shape_hint(array: np.ndarray, expected: np.ndarray) -> str:
    if array.shape == expected.shape[::-1] and array.ndim > 1:
        return " (transposed?)"
    if array.size == expected.size and expected.ndim == 1:
        return " (the right numbers with extra dimensions of size 1: make each cost one number with float(cost))"
    if array.size == expected.size:
        return " (the right number of entries: did you forget keepdims=True, or a reshape?)"
    return ""


def _precision_hint(array: np.ndarray, expected: np.ndarray) -> str:
    """A sentence when the numbers agree to float32's precision only."""
    if np.allclose(array, expected, rtol=1e-5, atol=1e-7):
        return (" Your numbers agree with the right ones to about 6 digits only: did you compute in float32, "
                "or round? Compute in float64.")
    return ""


def _compare_scalar(got, expected, where: str, tolerance: Tolerance) -> str | None:
    if got is None:
        if isinstance(expected, (int, np.integer)):
            return f"{where} is None but should be {expected}."
        return f"{where} is None; did you forget a `return`?"
    value, problem = as_float_number(got, where)
    if problem:
        return problem
    if np.isclose(value, float(expected), rtol=tolerance.rtol, atol=tolerance.atol):
        return None
    with np.errstate(all="ignore"):
        hint = factor_hint(np.array([value]), np.array([float(expected)]), tolerance, "It")
    return f"{where} is {value:.10g} but should be {float(expected):.10g}.{hint}"


def _wanted(expected, names) -> str:
    if names:
        return f"a tuple ({', '.join(names)})"
    if isinstance(expected, list) and expected and hasattr(expected[0], "_fields"):
        return f"a list with one entry per layer ({plural(len(expected), 'layer')})"
    return f"a {type(expected).__name__} of {plural(len(expected), 'item')}"


def _item_label(where: str, index: int, names, item) -> tuple[str, str]:
    """(label, note) of item ``index``: its name in a returned tuple, or where[index] with its layer."""
    if names:
        return names[index], ""
    if hasattr(item, "_fields"):
        return f"{where}[{index}]", f" (layer {index + 1})"
    return f"{where}[{index}]", ""


def _compare_sequence(got, expected, where: str, tolerance: Tolerance, names=()) -> str | None:
    if got is None:
        return f"{where} is None; did you forget a `return`?"
    if not isinstance(got, (tuple, list)):
        return f"{where} should be {_wanted(expected, names)} but is {kind_of(got)}."
    if len(got) != len(expected):
        per_layer = ", one per layer" if expected and hasattr(expected[0], "_fields") else ""
        return f"{where} has {plural(len(got), 'item')} but should have {len(expected)}{per_layer}."
    for index, (item, wanted) in enumerate(zip(got, expected)):
        label, note = _item_label(where, index, names, wanted)
        problem = compare(item, wanted, label, tolerance, note=note)
        if problem:
            return problem
    return None


def _compare_record(got, expected, where: str, tolerance: Tolerance, note: str) -> str | None:
    """A LayerParams, LayerCache or (dW, db): by attribute when ``got`` has the fields, else by position."""
    fields = expected._fields
    if all(hasattr(got, field) for field in fields):
        items = [getattr(got, field) for field in fields]
    elif isinstance(got, (tuple, list)) and len(got) == len(fields):
        items = list(got)
    else:
        nested = isinstance(got, tuple) and any(isinstance(item, tuple) for item in got)
        flatten = f"; flatten the nesting to ({', '.join(fields)})" if nested else ""
        return (f"{where}{note} should be {type(expected).__name__}({', '.join(fields)}), or a tuple of those "
                f"{len(fields)} in that order, but is {kind_of(got)}{flatten}.")
    for field, item, wanted in zip(fields, items, expected):
        problem = compare(item, wanted, f"{where}.{field}{note}", tolerance)
        if problem:
            return problem
    return None


def compare(got, expected, where: str, tolerance: Tolerance, names=(), note: str = "") -> str | None:
    """None if ``got`` matches ``expected``, else a sentence about the first difference.

    names : the names of the items of a returned tuple (dA_prev, dW, db);
    note : words added after the label, such as ' (layer 2)'.
    """
    if expected is None:
        return None if got is None else f"{where}{note} is {kind_of(got)} but should be None."
    if hasattr(expected, "_fields"):
        return _compare_record(got, expected, where, tolerance, note)
    if isinstance(expected, (tuple, list)):
        return _compare_sequence(got, expected, where + note, tolerance, names)
    if isinstance(expected, np.ndarray):
        return _compare_array(got, expected, where + note, tolerance)
    return _compare_scalar(got, expected, where + note, tolerance)

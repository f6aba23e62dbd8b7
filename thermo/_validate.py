"""Input checks shared by the public functions and parameter dataclasses.

Each check raises :class:`ValueError` naming the parameter and the allowed range,
before any work is done.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from numbers import Integral, Real

import numpy as np

__all__ = [
    "check_choice",
    "check_finite",
    "check_in_range",
    "check_int",
    "check_nonnegative",
    "check_positive",
    "check_probability",
]


def _as_float(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, Real | np.floating | np.integer):
        raise ValueError(f"{name} must be a real number; got {value!r}")
    return float(value)


def check_finite(name: str, value: object) -> float:
    """Return ``value`` as float; raise unless it is a finite real number."""
    x = _as_float(name, value)
    if not math.isfinite(x):
        raise ValueError(f"{name} must be finite; got {value!r}")
    return x


def check_positive(name: str, value: object, *, allow_inf: bool = False) -> float:
    """Require ``0 < value < inf`` (or ``<= inf`` with ``allow_inf``)."""
    x = _as_float(name, value)
    if math.isnan(x) or x <= 0 or (math.isinf(x) and not allow_inf):
        upper = "inf]" if allow_inf else "inf)"
        raise ValueError(f"{name} must be in (0, {upper}; got {value!r}")
    return x


def check_nonnegative(name: str, value: object, *, allow_inf: bool = False) -> float:
    """Require ``0 <= value < inf`` (or ``<= inf`` with ``allow_inf``)."""
    x = _as_float(name, value)
    if math.isnan(x) or x < 0 or (math.isinf(x) and not allow_inf):
        upper = "inf]" if allow_inf else "inf)"
        raise ValueError(f"{name} must be in [0, {upper}; got {value!r}")
    return x


def check_in_range(
    name: str, value: object, low: float, high: float, *, closed: str = "both"
) -> float:
    """Require ``low <= value <= high``; ``closed`` in {"both", "left", "right", "neither"}."""
    x = _as_float(name, value)
    lo_ok = x >= low if closed in ("both", "left") else x > low
    hi_ok = x <= high if closed in ("both", "right") else x < high
    if math.isnan(x) or not (lo_ok and hi_ok):
        left = "[" if closed in ("both", "left") else "("
        right = "]" if closed in ("both", "right") else ")"
        raise ValueError(f"{name} must be in {left}{low}, {high}{right}; got {value!r}")
    return x


def check_probability(name: str, value: object) -> float:
    """Require ``0 <= value <= 1``."""
    return check_in_range(name, value, 0.0, 1.0)


def check_int(name: str, value: object, *, minimum: int = 1, maximum: int | None = None) -> int:
    """Require an integer with ``minimum <= value (<= maximum)``."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value!r}")
    v = int(value)
    if v < minimum or (maximum is not None and v > maximum):
        rng = f">= {minimum}" if maximum is None else f"in [{minimum}, {maximum}]"
        raise ValueError(f"{name} must be an integer {rng}; got {value!r}")
    return v


def check_choice(name: str, value: object, choices: Iterable[str]) -> str:
    """Require ``value`` to be one of ``choices``."""
    options = tuple(choices)
    if value not in options:
        listed = ", ".join(repr(c) for c in options)
        raise ValueError(f"{name} must be one of {listed}; got {value!r}")
    return str(value)

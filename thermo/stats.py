"""Estimators with their standard errors.

Every simulated number in the book is quoted with a standard error; these helpers
compute them in one way everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats as _st

from thermo.random import SeedLike, as_generator

__all__ = [
    "Estimate",
    "LinearFit",
    "bootstrap_se",
    "column_mean_se",
    "exp_average",
    "mean_se",
    "variance_se",
    "weighted_linear_fit",
]


@dataclass(frozen=True)
class Estimate:
    """A value with its standard error."""

    value: float
    se: float

    def deviation(self, reference: float) -> float:
        """``(value - reference) / se`` (inf if ``se`` is 0 and they differ)."""
        diff = self.value - reference
        if self.se > 0:
            return diff / self.se
        return 0.0 if diff == 0 else float(np.sign(diff) * np.inf)

    def __iter__(self):
        yield self.value
        yield self.se

    def __format__(self, spec: str) -> str:
        spec = spec or ".4g"
        return f"{self.value:{spec}} ± {self.se:{spec}}"


def mean_se(x: ArrayLike) -> Estimate:
    """Sample mean and its standard error ``std(ddof=1)/sqrt(n)``."""
    a = np.asarray(x, dtype=float).ravel()
    if a.size < 2:
        raise ValueError("mean_se needs at least 2 samples")
    return Estimate(float(a.mean()), float(a.std(ddof=1) / np.sqrt(a.size)))


def column_mean_se(x: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard error of each column of a 2-d array (samples along axis 0)."""
    a = np.asarray(x, dtype=float)
    if a.ndim != 2 or a.shape[0] < 2:
        raise ValueError("column_mean_se needs a 2-d array with at least 2 rows")
    return a.mean(axis=0), a.std(axis=0, ddof=1) / np.sqrt(a.shape[0])


def variance_se(x: ArrayLike) -> Estimate:
    """Unbiased sample variance and its standard error.

    ``se^2 = (m4 - s^4 (n - 3)/(n - 1)) / n`` with the fourth central moment ``m4``
    (no Gaussian assumption).
    """
    a = np.asarray(x, dtype=float).ravel()
    n = a.size
    if n < 4:
        raise ValueError("variance_se needs at least 4 samples")
    d = a - a.mean()
    s2 = float(d @ d / (n - 1))
    m4 = float(np.mean(d**4))
    return Estimate(s2, float(np.sqrt(max(m4 - s2 * s2 * (n - 3) / (n - 1), 0.0) / n)))


def exp_average(w: ArrayLike, weights: ArrayLike | None = None) -> Estimate:
    """``<exp(-w)>`` (optionally ``<exp(-w) weights>``) with its standard error.

    The standard error is the sample standard deviation over ``sqrt(n)``; it is
    meaningful only when the sample is much larger than ``exp(Var w)``.
    """
    a = np.asarray(w, dtype=float).ravel()
    terms = np.exp(-a)
    if weights is not None:
        terms = terms * np.asarray(weights, dtype=float).ravel()
    return mean_se(terms)


def bootstrap_se(
    statistic: Callable[[np.ndarray], float], x: ArrayLike, n_boot: int = 1000, seed: SeedLike = 0
) -> float:
    """Bootstrap standard error of ``statistic(x)`` (resampling the first axis)."""
    a = np.asarray(x)
    rng = as_generator(seed)
    idx = rng.integers(0, a.shape[0], size=(n_boot, a.shape[0]))
    values = np.array([statistic(a[i]) for i in idx])
    return float(values.std(ddof=1))


@dataclass(frozen=True)
class LinearFit:
    """Weighted least-squares fit ``y = a + b x``."""

    intercept: float
    slope: float
    intercept_se: float
    slope_se: float
    covariance: np.ndarray
    chi2: float
    dof: int

    @property
    def p_value(self) -> float:
        """Probability of a chi^2 at least this large if the model is right."""
        return float(_st.chi2.sf(self.chi2, self.dof)) if self.dof > 0 else float("nan")


def weighted_linear_fit(x: ArrayLike, y: ArrayLike, se: ArrayLike) -> LinearFit:
    """Fit ``y = a + b x`` with weights ``1/se**2``; errors from the covariance matrix.

    The parameter errors are not rescaled by chi^2/dof (the standard errors are
    taken as known); check ``chi2`` and ``p_value`` for the fit's consistency.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    s = np.asarray(se, dtype=float)
    if not (x.shape == y.shape == s.shape) or x.size < 2:
        raise ValueError("x, y and se must have the same shape with at least 2 points")
    if np.any(~(s > 0)):
        raise ValueError("se must be > 0 everywhere")
    A = np.stack([np.ones_like(x), x], axis=1) / s[:, None]
    b = y / s
    cov = np.linalg.inv(A.T @ A)
    params = cov @ (A.T @ b)
    resid = b - A @ params
    return LinearFit(
        intercept=float(params[0]),
        slope=float(params[1]),
        intercept_se=float(np.sqrt(cov[0, 0])),
        slope_se=float(np.sqrt(cov[1, 1])),
        covariance=cov,
        chi2=float(resid @ resid),
        dof=int(x.size - 2),
    )

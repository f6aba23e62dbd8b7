"""Entropies and mutual informations (nats).

* :func:`binary_entropy` -- ``S(x) = -x ln x - (1-x) ln(1-x)`` with ``S(0) = S(1) = 0``;
* :func:`bsc_information` -- information of a binary symmetric channel that reproduces
  a label with probability ``p``: ``I = ln 2 - S(p)``;
* Gaussian entropies and the mutual information of two jointly Gaussian variables.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import entr

__all__ = [
    "LN2",
    "binary_entropy",
    "bsc_information",
    "gaussian_entropy",
    "gaussian_entropy_change",
    "gaussian_mutual_information",
]

LN2 = float(np.log(2.0))


def _probability(name: str, p: ArrayLike) -> np.ndarray:
    arr = np.asarray(p, dtype=float)
    if np.any(~np.isfinite(arr)) or np.any((arr < 0) | (arr > 1)):
        raise ValueError(f"{name} must lie in [0, 1]; got values outside that range")
    return arr


def binary_entropy(x: ArrayLike) -> np.ndarray | float:
    """Binary entropy ``S(x) = -x ln x - (1 - x) ln(1 - x)`` in nats.

    Parameters
    ----------
    x : array_like
        Probabilities in ``[0, 1]``; ``S(0) = S(1) = 0`` exactly.

    Raises
    ------
    ValueError
        If any ``x`` lies outside ``[0, 1]``.
    """
    arr = _probability("x", x)
    out = entr(arr) + entr(1.0 - arr)
    return float(out) if out.ndim == 0 else out


def bsc_information(p: ArrayLike) -> np.ndarray | float:
    """Mutual information ``ln 2 - S(p)`` (nats) of a binary symmetric channel.

    ``p`` is the probability that the output label equals the input label;
    equiprobable inputs. ``I(1/2) = 0``, ``I(0) = I(1) = ln 2``.
    """
    arr = _probability("p", p)
    out = LN2 - (entr(arr) + entr(1.0 - arr))
    return float(out) if np.ndim(out) == 0 else out


def gaussian_entropy(variance: ArrayLike) -> np.ndarray | float:
    """Differential entropy ``(1/2) ln(2 pi e s^2)`` of a normal density, in nats."""
    v = np.asarray(variance, dtype=float)
    if np.any(~(v > 0)):
        raise ValueError("variance must be > 0")
    out = 0.5 * np.log(2.0 * np.pi * np.e * v)
    return float(out) if out.ndim == 0 else out


def gaussian_entropy_change(variance_initial: ArrayLike, variance_final: ArrayLike):
    """``Delta S = (1/2) ln(s_f^2 / s_i^2)`` between two normal densities (nats)."""
    vi = np.asarray(variance_initial, dtype=float)
    vf = np.asarray(variance_final, dtype=float)
    if np.any(~(vi > 0)) or np.any(~(vf > 0)):
        raise ValueError("variances must be > 0")
    out = 0.5 * np.log(vf / vi)
    return float(out) if out.ndim == 0 else out


def gaussian_mutual_information(rho: ArrayLike) -> np.ndarray | float:
    """``I = -(1/2) ln(1 - rho^2)`` (nats) of two jointly Gaussian variables, correlation rho."""
    r = np.asarray(rho, dtype=float)
    if np.any(~np.isfinite(r)) or np.any(np.abs(r) > 1):
        raise ValueError("rho must lie in [-1, 1]")
    out = -0.5 * np.log1p(-(r * r))
    return float(out) if out.ndim == 0 else out

"""A harmonic trap dragged at constant speed: exact results (chapter 0).

Model: ``V(x, t) = kappa (x - v t)**2 / 2``, mobility 1, k_B T = 1, started in
equilibrium. The work is Gaussian, so its mean and variance fix everything.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from thermo._validate import check_choice, check_finite, check_positive

__all__ = [
    "ChainWork",
    "chain_work_moments",
    "euler_stationary_variance",
    "mean_heat",
    "mean_lag",
    "mean_work",
    "stationary_variance",
    "work_variance",
]


def mean_work(t: ArrayLike, v: float, kappa: float) -> np.ndarray:
    """``<W>(t) = v^2 [t - (1 - exp(-kappa t))/kappa]`` (k_B T)."""
    check_finite("v", v)
    check_positive("kappa", kappa)
    t = np.asarray(t, dtype=float)
    return v * v * (t + np.expm1(-kappa * t) / kappa)


def work_variance(t: ArrayLike, v: float, kappa: float) -> np.ndarray:
    """``Var W = 2 <W>``: Gaussian work with Jarzynski ``<exp(-W)> = 1`` (Delta F = 0)."""
    return 2.0 * mean_work(t, v, kappa)


def mean_lag(t: ArrayLike, v: float, kappa: float) -> np.ndarray:
    """Mean lag of the particle behind the trap centre, ``v (1 - exp(-kappa t))/kappa``."""
    check_positive("kappa", kappa)
    return -v * np.expm1(-kappa * np.asarray(t, dtype=float)) / kappa


def mean_heat(t: ArrayLike, v: float, kappa: float) -> np.ndarray:
    """Mean heat released, ``<Q> = <W> - <Delta V> = <W> - kappa <lag>^2 / 2``.

    The position variance stays ``1/kappa`` while the mean lags behind the trap, so the
    mean potential energy grows by ``kappa lag^2 / 2``.
    """
    return mean_work(t, v, kappa) - 0.5 * kappa * mean_lag(t, v, kappa) ** 2


def stationary_variance(kappa: float) -> float:
    """Equilibrium position variance ``1/kappa`` (k_B T = 1)."""
    return 1.0 / check_positive("kappa", kappa)


def euler_stationary_variance(kappa: float, dt: float) -> float:
    """Stationary variance of the Euler-Maruyama chain, ``1 / (kappa (1 - kappa dt / 2))``.

    From ``x' = (1 - kappa dt) x + sqrt(2 dt) z``: ``s^2 = 2 dt / (1 - (1 - kappa dt)^2)``.
    Requires ``0 < kappa dt < 2`` (stability).
    """
    check_positive("kappa", kappa)
    check_positive("dt", dt)
    if kappa * dt >= 2:
        raise ValueError(f"kappa * dt must be in (0, 2) for a stable chain; got {kappa * dt}")
    return 1.0 / (kappa * (1.0 - 0.5 * kappa * dt))


class ChainWork(tuple):
    """``(mean, variance, jarzynski)`` of the discrete-chain work."""

    __slots__ = ()

    def __new__(cls, mean: float, variance: float):
        return super().__new__(cls, (mean, variance))

    @property
    def mean(self) -> float:
        return self[0]

    @property
    def variance(self) -> float:
        return self[1]

    @property
    def jarzynski(self) -> float:
        """``<exp(-W)> = exp(-mean + variance/2)`` (the work is Gaussian)."""
        return float(np.exp(-self[0] + 0.5 * self[1]))


def chain_work_moments(
    centres: ArrayLike, kappa: float, dt: float, method: str = "euler"
) -> ChainWork:
    """Exact mean and variance of the work of the simulated discrete chain.

    The chain is the one of :func:`thermo.langevin.simulate`: at step ``k`` the
    trap centre jumps from ``centres[k]`` to ``centres[k+1]`` at fixed ``x`` (work),
    then ``x`` moves one step in the new trap. ``x_0`` is drawn from the
    equilibrium ``N(centres[0], 1/kappa)``.

    Every ``x_k`` is an affine function of independent Gaussians, so the work
    ``W = sum_k kappa (l_k - l_{k+1}) x_k + kappa (l_{k+1}^2 - l_k^2)/2`` is Gaussian
    and its moments follow from a backward recursion. With ``method="exact"`` the
    fixed-centre step preserves the Boltzmann density and ``<exp(-W)> = 1`` exactly;
    with ``"euler"`` the deviation is O(dt).

    Parameters
    ----------
    centres : array_like, shape (n + 1,)
        Trap centre at each time point.
    kappa, dt : float
        Stiffness and time step (> 0).
    method : {"euler", "exact"}
    """
    lam = np.asarray(centres, dtype=float)
    check_positive("kappa", kappa)
    check_positive("dt", dt)
    check_choice("method", method, ("euler", "exact"))
    if lam.ndim != 1 or lam.size < 2:
        raise ValueError("centres must be a 1-d array with at least 2 entries")
    n = lam.size - 1
    if method == "euler":
        a = np.full(n, 1.0 - kappa * dt)
        s2 = np.full(n, 2.0 * dt)
    else:
        a = np.full(n, np.exp(-kappa * dt))
        s2 = np.full(n, -np.expm1(-2.0 * kappa * dt) / kappa)
    b = lam[1:] * (1.0 - a)  # x_{k+1} = a x_k + b_k + s_k z_k (centre of step k is lam[k+1])
    alpha = kappa * (lam[:-1] - lam[1:])  # coefficient of x_k in W
    const = 0.5 * kappa * np.sum(lam[1:] ** 2 - lam[:-1] ** 2)
    # Means m_k of x_k (k = 0..n-1).
    m = np.empty(n)
    m[0] = lam[0]
    for k in range(n - 1):
        m[k + 1] = a[k] * m[k] + b[k]
    # G_k = alpha_k + a_k G_{k+1}: total weight of x_k in W through all later x's.
    G = np.zeros(n + 1)
    for k in range(n - 1, -1, -1):
        G[k] = alpha[k] + a[k] * G[k + 1]
    mean = float(alpha @ m + const)
    variance = float(G[0] ** 2 / kappa + np.sum(s2 * G[1:] ** 2))
    return ChainWork(mean, variance)

"""Geometry and exact statements for the Landauer double well (chapter 1).

``u(x; g, f) = 4 E_b [ -g x**2 / 2 + x**4 / 4 - A f x ]`` (k_B T; x in units of x_m,
time in t_0 = x_m**2 / D). Everything here is analytic or a one-dimensional quadrature.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from thermo._validate import check_finite, check_positive

__all__ = [
    "barrier_height",
    "critical_tilt",
    "equilibrium_well_probability",
    "local_minima",
    "potential",
    "reappearance_g",
    "relaxation_time",
    "slow_driving_variance",
    "well_curvature",
]


def potential(x: ArrayLike, g: float, f: float, *, E_b: float = 13.0, A: float = 0.5) -> np.ndarray:
    """``u(x; g, f)`` in k_B T."""
    check_positive("E_b", E_b)
    x = np.asarray(x, dtype=float)
    return 4.0 * E_b * (-0.5 * g * x**2 + 0.25 * x**4 - A * f * x)


def critical_tilt() -> float:
    """``A_c = 2 / (3 sqrt 3)``: at ``g = f = 1`` the left well exists only for ``A < A_c``.

    The cubic ``u'/(4E_b) = x**3 - x - A`` has three real roots iff ``A < 2/(3 sqrt 3)``
    (its local maximum at ``x = -1/sqrt 3`` equals ``2/(3 sqrt 3) - A``).
    """
    return 2.0 / (3.0 * np.sqrt(3.0))


def reappearance_g(A: float) -> float:
    """Barrier scale ``g_c = 3 (A/2)**(2/3)`` at which the second well appears at ``f = 1``.

    ``x**3 - g x - A`` has three real roots iff ``4 g**3 > 27 A**2``. For ``A < A_c``
    we have ``g_c < 1``, so the non-target well reappears while the barrier is raised
    (stage 3 of the erasure) and erasure is incomplete.
    """
    check_finite("A", A)
    if A < 0:
        raise ValueError(f"A must be >= 0; got {A!r}")
    return 3.0 * (A / 2.0) ** (2.0 / 3.0)


def local_minima(g: float, f: float, *, A: float = 0.5) -> np.ndarray:
    """Positions of the local minima of ``u(x; g, f)`` (sorted; independent of E_b)."""
    roots = np.roots([1.0, 0.0, -float(g), -float(A) * float(f)])
    real = np.sort(roots[np.abs(roots.imag) < 1e-9].real)
    curv = 3.0 * real**2 - g
    return real[curv > 0]


def well_curvature(E_b: float = 13.0) -> float:
    """``u''(x = +-1)`` at ``g = 1, f = 0``: ``8 E_b`` (k_B T / x_m**2)."""
    check_positive("E_b", E_b)
    return 8.0 * E_b


def relaxation_time(E_b: float = 13.0) -> float:
    """Intra-well relaxation time ``1 / (8 E_b)`` in ``t_0`` (mobility 1)."""
    return 1.0 / well_curvature(E_b)


def barrier_height(g: ArrayLike, *, E_b: float = 13.0) -> np.ndarray:
    """Barrier of the symmetric well (``f = 0``): ``E_b g**2`` (k_B T)."""
    check_positive("E_b", E_b)
    g = np.asarray(g, dtype=float)
    return E_b * g**2


def equilibrium_well_probability(g: float, f: float, *, E_b: float = 13.0, A: float = 0.5,
                                 n_grid: int = 200_001) -> float:  # fmt: skip
    """Equilibrium probability of ``x > 0`` at fixed ``(g, f)`` (quadrature)."""
    x = np.linspace(-3.0, 3.0, n_grid)
    u = potential(x, g, f, E_b=E_b, A=A)
    w = np.exp(-(u - u.min()))
    return float(np.trapezoid(w * (x > 0), x) / np.trapezoid(w, x))


def slow_driving_variance(mean_w: ArrayLike, w_inf: float) -> np.ndarray:
    """Linear-response prediction ``Var W = 2 (<W> - W_inf)`` (k_B T^2).

    For slow driving the work is close to Gaussian; Jarzynski then ties the variance to
    the dissipated work ``<W> - W_inf``.
    """
    return 2.0 * (np.asarray(mean_w, dtype=float) - float(w_inf))

"""Time-dependent potentials, written as polynomials in the position.

Every one-dimensional potential in the book is a polynomial in ``x`` whose
coefficients depend on control parameters ``lam``:

    V(x, lam) = sum_j c_j(lam) x**j      (energies in k_B T).

One cached numba kernel (:mod:`thermo.langevin`) therefore integrates all of them:
the protocol is tabulated once as a coefficient table ``c_j(lam(t_k))`` and the
kernel evaluates ``V`` and ``-dV/dx`` by Horner's rule. A new potential is a
subclass that maps controls to coefficients with numpy; no new kernel, no
recompilation.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from thermo._validate import check_finite, check_int, check_positive

__all__ = [
    "DoubleWell",
    "HarmonicTrap",
    "Polynomial",
    "PolynomialPotential",
]


class PolynomialPotential(ABC):
    """Base class: ``V(x, lam) = sum_j c_j(lam) x**j``.

    Subclasses set :attr:`degree`, :attr:`control_names` and implement
    :meth:`coefficients`.
    """

    degree: int
    control_names: tuple[str, ...]

    @property
    def n_controls(self) -> int:
        """Number of control parameters (columns of ``lam``)."""
        return len(self.control_names)

    @abstractmethod
    def coefficients(self, lam: np.ndarray) -> np.ndarray:
        """Coefficients ``c_j`` for each row of ``lam``.

        Parameters
        ----------
        lam : ndarray, shape (n, n_controls)
            Control parameters at ``n`` times.

        Returns
        -------
        ndarray, shape (n, degree + 1)
            ``c[:, j]`` multiplies ``x**j`` (units: k_B T per unit length**j).
        """

    def _coef(self, lam: np.ndarray | float | tuple) -> np.ndarray:
        lam = np.atleast_1d(np.asarray(lam, dtype=float))
        if lam.ndim == 1:
            lam = lam.reshape(1, -1) if lam.size == self.n_controls else lam.reshape(-1, 1)
        if lam.shape[1] != self.n_controls:
            raise ValueError(
                f"lam must have {self.n_controls} column(s) {self.control_names}; "
                f"got shape {lam.shape}"
            )
        return self.coefficients(lam)

    def energy(self, x: np.ndarray | float, lam: np.ndarray | float | tuple) -> np.ndarray:
        """``V(x, lam)`` in k_B T for a single control vector ``lam`` (numpy, vectorised in x)."""
        c = self._coef(lam)[0]
        return np.polynomial.polynomial.polyval(np.asarray(x, dtype=float), c)

    def force(self, x: np.ndarray | float, lam: np.ndarray | float | tuple) -> np.ndarray:
        """``-dV/dx`` in k_B T per unit length for a single control vector ``lam``."""
        c = self._coef(lam)[0]
        return -np.polynomial.polynomial.polyval(
            np.asarray(x, dtype=float), np.polynomial.polynomial.polyder(c)
        )

    def max_stiffness(self, coef: np.ndarray, n_rows: int = 1025) -> float:
        """Largest curvature ``V''`` at a local minimum over (a subsample of) a coefficient table.

        Used to check that an Euler-Maruyama time step resolves the fastest
        relaxation, ``dt * max_stiffness <= 0.1``. The critical points of all sampled
        rows are found at once as eigenvalues of companion matrices.
        """
        coef = np.asarray(coef, dtype=float)
        rows = np.unique(np.linspace(0, coef.shape[0] - 1, min(n_rows, coef.shape[0])).astype(int))
        c = coef[rows]
        d = c.shape[1] - 1
        if d < 2:
            return 0.0  # constant force: no minimum, no relaxation time
        if d == 2:
            return float(max(2.0 * c[:, 2].max(), 0.0))
        j = np.arange(1, d + 1)
        d1 = c[:, 1:] * j  # V' coefficients, degree d - 1
        d2 = d1[:, 1:] * j[:-1]  # V'' coefficients
        lead = d1[:, -1]
        ok = lead != 0
        best = 0.0
        if np.any(~ok):  # rows whose degree drops: fall back to numpy's root finder
            P = np.polynomial.polynomial
            for r in np.flatnonzero(~ok):
                roots = P.polyroots(np.trim_zeros(d1[r], "b")) if np.any(d1[r]) else np.array([])
                real = roots[np.abs(roots.imag) < 1e-9].real
                curv = P.polyval(real, d2[r])
                if np.any(curv > 0):
                    best = max(best, float(curv[curv > 0].max()))
        d1, d2, lead = d1[ok], d2[ok], lead[ok]
        if d1.shape[0]:
            m = d - 1  # number of critical points
            comp = np.zeros((d1.shape[0], m, m))
            comp[:, 1:, :-1] = np.eye(m - 1)
            comp[:, :, -1] = -d1[:, :-1] / lead[:, None]
            roots = np.linalg.eigvals(comp)
            real = np.where(np.abs(roots.imag) < 1e-9, roots.real, np.nan)
            curv = sum(d2[:, i : i + 1] * real**i for i in range(d2.shape[1]))
            curv = np.where(curv > 0, curv, np.nan)
            if np.any(np.isfinite(curv)):
                best = max(best, float(np.nanmax(curv)))
        return best

    def equilibrium_density(
        self, lam: np.ndarray | float | tuple, n_grid: int = 200_001, cutoff: float = 60.0
    ) -> tuple[np.ndarray, np.ndarray]:
        """Boltzmann density ``exp(-V)/Z`` on a grid covering ``V - V_min < cutoff``.

        Returns ``(x, p)`` with ``p`` normalised by the trapezoidal rule.
        """
        c = np.trim_zeros(self._coef(lam)[0], "b")  # vanishing leading terms do not count
        if c.size < 3 or c[-1] <= 0 or (c.size - 1) % 2:
            raise ValueError(
                "an equilibrium density needs a confining potential (even degree >= 2 "
                "with a positive leading coefficient)"
            )
        P = np.polynomial.polynomial
        # Bracket the region where V - V_min < cutoff: start from the critical points and widen.
        crit = P.polyroots(P.polyder(c))
        crit = crit[np.abs(crit.imag) < 1e-9].real
        vmin = P.polyval(crit, c).min()
        lo, hi = crit.min() - 1.0, crit.max() + 1.0
        while P.polyval(lo, c) - vmin < cutoff:
            lo -= hi - lo
        while P.polyval(hi, c) - vmin < cutoff:
            hi += hi - lo
        x = np.linspace(lo, hi, n_grid)
        p = np.exp(-(P.polyval(x, c) - vmin))
        p /= np.trapezoid(p, x)
        return x, p

    def sample_equilibrium(
        self, lam: np.ndarray | float | tuple, n: int, rng: np.random.Generator
    ) -> np.ndarray:
        """``n`` exact-in-distribution samples of ``exp(-V(x, lam))/Z``.

        Inverse-transform sampling on a fine grid (200 001 points, linear
        interpolation of the cumulative distribution); subclasses with a closed
        form (the harmonic trap) override it.
        """
        x, p = self.equilibrium_density(lam)
        cdf = np.concatenate([[0.0], np.cumsum(0.5 * (p[1:] + p[:-1]) * np.diff(x))])
        cdf /= cdf[-1]
        return np.interp(rng.random(n), cdf, x)


@dataclass(frozen=True)
class HarmonicTrap(PolynomialPotential):
    """``V(x, lam) = kappa (x - lam)**2 / 2``: a trap of stiffness ``kappa`` centred at ``lam``.

    Parameters
    ----------
    kappa : float
        Stiffness in k_B T per unit length squared (> 0).
    """

    kappa: float = 1.0
    degree: int = field(default=2, init=False, repr=False)
    control_names: tuple[str, ...] = field(default=("centre",), init=False, repr=False)

    def __post_init__(self) -> None:
        check_positive("kappa", self.kappa)

    def coefficients(self, lam: np.ndarray) -> np.ndarray:
        centre = lam[:, 0]
        k = self.kappa
        return np.stack([0.5 * k * centre**2, -k * centre, np.full_like(centre, 0.5 * k)], axis=1)

    def sample_equilibrium(
        self, lam: np.ndarray | float | tuple, n: int, rng: np.random.Generator
    ) -> np.ndarray:
        centre = float(np.atleast_1d(np.asarray(lam, dtype=float)).ravel()[0])
        return centre + rng.standard_normal(n) / np.sqrt(self.kappa)


@dataclass(frozen=True)
class DoubleWell(PolynomialPotential):
    """The virtual double well of Jun, Gavrilov & Bechhoefer (PRL 113, 190601, 2014).

    ``U(x, g, f) = 4 E_b [ -g x**2 / 2 + x**4 / 4 - A f x ]`` with position in units of
    the well position ``x_m`` and energies in k_B T. ``g`` scales the barrier (height
    ``E_b g**2``), ``f`` the tilt.

    Parameters
    ----------
    E_b : float
        Barrier height at ``g = 1, f = 0`` in k_B T (> 0).
    A : float
        Tilt amplitude (finite, >= 0); full erasure needs ``A > 2/(3 sqrt 3)``.
    """

    E_b: float = 13.0
    A: float = 0.5
    degree: int = field(default=4, init=False, repr=False)
    control_names: tuple[str, ...] = field(default=("g", "f"), init=False, repr=False)

    def __post_init__(self) -> None:
        check_positive("E_b", self.E_b)
        check_finite("A", self.A)
        if self.A < 0:
            raise ValueError(f"A must be in [0, inf); got {self.A!r}")

    def coefficients(self, lam: np.ndarray) -> np.ndarray:
        g, f = lam[:, 0], lam[:, 1]
        e4 = 4.0 * self.E_b
        zero = np.zeros_like(g)
        return np.stack(
            [zero, -e4 * self.A * f, -0.5 * e4 * g, zero, np.full_like(g, 0.25 * e4)], axis=1
        )


@dataclass(frozen=True)
class Polynomial(PolynomialPotential):
    """A user-defined polynomial potential.

    Parameters
    ----------
    coefficient_function : callable
        Maps ``lam`` of shape ``(n, n_controls)`` to coefficients of shape
        ``(n, degree + 1)`` (numpy, vectorised).
    degree : int
        Polynomial degree in ``x`` (>= 1).
    control_names : tuple of str
        Names of the control parameters.

    Examples
    --------
    A unit trap with a ramped linear force, ``V = w**2/2 - f(t) w``:

    >>> pot = Polynomial(lambda lam: np.stack([0*lam[:, 0], -lam[:, 0], 0*lam[:, 0] + 0.5], 1),
    ...                  degree=2, control_names=("f",))
    """

    coefficient_function: Callable[[np.ndarray], np.ndarray]
    degree: int = 2
    control_names: tuple[str, ...] = ("lam",)

    def __post_init__(self) -> None:
        check_int("degree", self.degree, minimum=1)
        if not self.control_names:
            raise ValueError("control_names must name at least one control parameter")

    def coefficients(self, lam: np.ndarray) -> np.ndarray:
        c = np.asarray(self.coefficient_function(lam), dtype=float)
        if c.shape != (lam.shape[0], self.degree + 1):
            raise ValueError(
                f"coefficient_function must return shape (n, degree + 1) = "
                f"({lam.shape[0]}, {self.degree + 1}); got {c.shape}"
            )
        return c

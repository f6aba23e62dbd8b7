"""Closed forms for a perceptron memorising random labels (Goldt & Seifert, PRL 118, 010601).

Chapter 2 (physics note ``02-random-labels.md``). Units: k_B T = 1, mobility 1, time in
units of the trap relaxation time (stiffness 1), information, entropy and heat in nats.

Toy model (N = P = 1): the weight ``w`` follows ``dw/dt = -w + f(t) + zeta`` with the linear
ramp ``f(t) = nu F t / tau`` (``F = sigma_T xi = +-1``) for ``0 <= t <= tau``, then ``nu F``,
and relaxes completely. Then

* heat (paper's Eq. 13): ``Delta Q = nu^2 (e^{-tau} + tau - 1) / tau^2``;
* entropy (OUR derivation): ``Delta S = nu^2 - E_z[ln cosh(nu (nu + z))]``, the entropy of
  the mixture ``(N(nu,1) + N(-nu,1))/2`` minus that of ``N(0, 1)``;
* information: ``I = ln 2 - S(p_C)`` with ``p_C = E_{Delta ~ N(nu, 1)}[logistic(Delta)]``.

Hebbian learning (``alpha = P/N``, N, P -> infinity): the stability is ``N(nu, 1 + alpha nu^2)``,
``p_C(alpha, nu)`` is the same Gaussian-logistic average with variance ``1 + alpha nu^2``,
``Delta S(w_n) = (1/2) ln(1 + alpha nu^2)`` (Gaussian, WITH the 1/2),
``Delta Q_n = alpha nu^2 (e^{-tau} + tau - 1)/tau^2`` and ``eta~ = alpha I / (Delta S + Delta Q)``.

Quadrature: ``E[logistic(nu + s z)] = int sigma'(x) Phi((nu - x)/s) dx`` (integration by parts),
evaluated with the trapezoidal rule on an analytic integrand (poles of ``sigma'`` at
``x = +- i pi``), whose error is ~ exp(-2 pi^2 / h) ~ 1e-80 for the step used here; it stays
accurate for any ``s >= 1`` (no failure at alpha = 1e4 unlike Gauss-Hermite).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy.optimize import brentq, minimize_scalar
from scipy.special import erf, expit, ndtr

from thermo.information import LN2, bsc_information

__all__ = [
    "LOGISTIC_SLOPE_MEAN",
    "SMALL_NU_EFFICIENCY",
    "hebb_efficiency",
    "hebb_entropy",
    "hebb_heat",
    "hebb_information",
    "hebb_pc",
    "hebb_pc_erf",
    "hebb_pc_probit",
    "hebb_supremum",
    "logistic_gaussian_mean",
    "ramp_mean",
    "toy_efficiency",
    "toy_entropy",
    "toy_heat",
    "toy_information",
    "toy_optimal_nu",
    "toy_pc",
    "toy_qs_crossing",
]

# trapezoid grid for int sigma'(x) Phi((m - x)/s) dx: sigma' decays like e^{-|x|}
_H_X = 0.05
_X = np.arange(-80.0, 80.0 + _H_X / 2, _H_X)
_WX = _H_X * expit(_X) * expit(-_X)
# trapezoid grid in z ~ N(0, 1) for the toy entropy (ln cosh has poles at nu(nu+z) = i pi/2)
_H_Z = 0.002
_Z = np.arange(-13.0, 13.0 + _H_Z / 2, _H_Z)
_WZ = _H_Z * np.exp(-0.5 * _Z**2) / np.sqrt(2.0 * np.pi)


def _arr(name: str, value: ArrayLike, *, positive: bool = False, allow_inf: bool = False):
    a = np.asarray(value, dtype=float)
    if np.any(np.isnan(a)) or (not allow_inf and np.any(np.isinf(a))):
        raise ValueError(f"{name} must be finite; got {value!r}")
    if positive:
        if np.any(~(a > 0)):
            raise ValueError(f"{name} must be > 0; got {value!r}")
    elif np.any(a < 0):
        raise ValueError(f"{name} must be >= 0; got {value!r}")
    return a


def _out(x: np.ndarray):
    x = np.asarray(x, dtype=float)
    return float(x) if x.ndim == 0 else x


def logistic_gaussian_mean(mean: ArrayLike, variance: ArrayLike):
    """``E[1/(1 + e^{-D})]`` for ``D ~ N(mean, variance)``, ``variance > 0`` (accurate to 1e-12).

    Uses ``int sigma'(x) Phi((mean - x)/sqrt(variance)) dx`` on a fine trapezoid grid.
    """
    m = np.asarray(mean, dtype=float)
    v = _arr("variance", variance, positive=True)
    m, v = np.broadcast_arrays(m, v)
    s = np.sqrt(v)
    out = ndtr((m[..., None] - _X) / s[..., None]) @ _WX
    return _out(out)


def _ramp_factor(tau: np.ndarray) -> np.ndarray:
    """``g(tau) = (e^{-tau} + tau - 1)/tau^2`` with g(0+) = 1/2 and g(inf) = 0."""
    t = np.asarray(tau, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        big = (np.expm1(-t) + t) / t**2
        small = 0.5 - t / 6.0 + t**2 / 24.0 - t**3 / 120.0
    g = np.where(t < 1e-3, small, big)
    return np.where(np.isinf(t), 0.0, g)


def ramp_mean(t: ArrayLike, nu: ArrayLike, tau: ArrayLike):
    """Mean ``m(t)`` of ``w F`` under the ramp: ``dm/dt = -m + f(t)``, ``m(0) = 0``.

    ``m = nu (t - 1 + e^{-t})/tau`` for ``t <= tau`` and relaxes to ``nu`` afterwards.
    """
    t = _arr("t", t)
    nu = _arr("nu", nu)
    tau = _arr("tau", tau, positive=True)
    during = nu * (t - 1.0 + np.exp(-t)) / tau
    m_tau = nu * (tau - 1.0 + np.exp(-tau)) / tau
    after = nu + (m_tau - nu) * np.exp(-(t - tau))
    return _out(np.where(t <= tau, during, after))


# ---------------------------------------------------------------- toy model N = P = 1
def toy_heat(nu: ArrayLike, tau: ArrayLike):
    """Mean heat (paper's Eq. 13) of the ramp plus full relaxation, ``nu^2 g(tau)``.

    ``g(tau) = (e^{-tau} + tau - 1)/tau^2``: ``nu^2/2`` for tau -> 0, -> 0 for tau -> inf.
    ``tau`` may be ``np.inf`` (quasi-static).
    """
    nu = _arr("nu", nu)
    tau = _arr("tau", tau, positive=True, allow_inf=True)
    return _out(nu**2 * _ramp_factor(tau))


def toy_entropy(nu: ArrayLike):
    """``Delta S = nu^2 - E_z[ln cosh(nu(nu + z))]`` (nats), OUR derivation; -> ln 2 at large nu."""
    nu = _arr("nu", nu)
    y = np.abs(nu[..., None] * (nu[..., None] + _Z))
    lncosh = y + np.log1p(np.exp(-2.0 * y)) - LN2
    return _out(nu**2 - lncosh @ _WZ)


def toy_pc(nu: ArrayLike):
    """Probability of a correct prediction, ``E_{D ~ N(nu, 1)}[logistic(D)]``."""
    nu = _arr("nu", nu)
    return logistic_gaussian_mean(nu, 1.0)


def toy_information(nu: ArrayLike):
    """``I(sigma_T : sigma) = ln 2 - S(p_C)`` of the toy model (nats)."""
    return _out(bsc_information(np.clip(toy_pc(nu), 0.0, 1.0)))


# E_{z ~ N(0,1)}[sigma(z)(1 - sigma(z))] and the small-nu quasi-static efficiency 4 E[sigma']^2
LOGISTIC_SLOPE_MEAN = float(np.sum(_WZ * expit(_Z) * expit(-_Z)))
SMALL_NU_EFFICIENCY = 4.0 * LOGISTIC_SLOPE_MEAN**2


def toy_efficiency(nu: ArrayLike, tau: ArrayLike):
    """``eta = I / (Delta S + Delta Q) <= 1`` (paper's Eq. 11); nu = 0 gives the limit
    ``4 E[sigma']^2 / (1 + 2 g(tau))``. ``tau`` may be ``np.inf``."""
    nu = _arr("nu", nu)
    tau = _arr("tau", tau, positive=True, allow_inf=True)
    nu, tau = np.broadcast_arrays(nu, tau)
    g = _ramp_factor(tau)
    with np.errstate(divide="ignore", invalid="ignore"):
        eta = toy_information(nu) / (toy_entropy(nu) + nu**2 * g)
    # below nu ~ 1e-3 the ratio loses digits; use the small-nu limit (error O(nu^2))
    limit = SMALL_NU_EFFICIENCY / (1.0 + 2.0 * g)
    return _out(np.where(nu < 1e-3, limit, eta))


def toy_optimal_nu(tau: float, *, nu_max: float = 30.0) -> tuple[float, float]:
    """``(nu*, eta_max)``: the learning strength maximising ``toy_efficiency(., tau)``."""
    tau = float(_arr("tau", tau, positive=True, allow_inf=True))
    res = minimize_scalar(
        lambda x: -toy_efficiency(x, tau),
        bounds=(1e-3, nu_max),
        method="bounded",
        options={"xatol": 1e-8},
    )
    return float(res.x), float(-res.fun)


def toy_qs_crossing(level: float = 0.99) -> float:
    """The ``nu`` at which the quasi-static efficiency ``I/Delta S`` first reaches ``level``."""
    if not 0.1708 < level < 1.0:
        raise ValueError(f"level must lie in (0.1708, 1); got {level!r}")
    return float(brentq(lambda x: toy_efficiency(x, np.inf) - level, 1e-2, 30.0, xtol=1e-10))


# ---------------------------------------------------------------- Hebbian learning
def hebb_pc(alpha: ArrayLike, nu: ArrayLike):
    """``p_C(alpha, nu) = E[logistic(D)]``, ``D ~ N(nu, 1 + alpha nu^2)`` (paper's Eq. 20)."""
    alpha = _arr("alpha", alpha)
    nu = _arr("nu", nu)
    return logistic_gaussian_mean(nu, 1.0 + alpha * nu**2)


def hebb_information(alpha: ArrayLike, nu: ArrayLike):
    """Information per pattern ``I = ln 2 - S(p_C(alpha, nu))`` (paper's Eq. 21), nats."""
    return _out(bsc_information(np.clip(hebb_pc(alpha, nu), 0.0, 1.0)))


def hebb_entropy(alpha: ArrayLike, nu: ArrayLike):
    """``Delta S(w_n) = (1/2) ln(1 + alpha nu^2)``: Gaussian entropy change (WITH the 1/2)."""
    alpha = _arr("alpha", alpha)
    nu = _arr("nu", nu)
    return _out(0.5 * np.log1p(alpha * nu**2))


def hebb_heat(alpha: ArrayLike, nu: ArrayLike, tau: ArrayLike = np.inf):
    """Mean heat per weight ``alpha nu^2 g(tau)`` (Eq. 13 with ``F_n^2 -> alpha``)."""
    alpha = _arr("alpha", alpha)
    nu = _arr("nu", nu)
    tau = _arr("tau", tau, positive=True, allow_inf=True)
    return _out(alpha * nu**2 * _ramp_factor(tau))


def hebb_efficiency(alpha: ArrayLike, nu: ArrayLike, tau: ArrayLike = np.inf):
    """``eta~ = alpha I / (Delta S(w_n) + Delta Q_n)`` (paper's Eq. 22) with the 1/2 convention.

    Limits: alpha -> 0 gives ``I_1(nu) / (nu^2 (1/2 + g))``; nu -> 0 gives
    ``4 E[sigma']^2/(1 + 2 g)`` at alpha -> 0 (used for nu = 0 or alpha nu^2 < 1e-9 and nu<1e-3).
    """
    alpha = _arr("alpha", alpha)
    nu = _arr("nu", nu)
    tau = _arr("tau", tau, positive=True, allow_inf=True)
    alpha, nu, tau = np.broadcast_arrays(alpha, nu, tau)
    g = _ramp_factor(tau)
    info = hebb_information(alpha, nu)
    x = alpha * nu**2
    with np.errstate(divide="ignore", invalid="ignore"):
        eta = alpha * info / (0.5 * np.log1p(x) + x * g)
        # alpha -> 0 at fixed nu: log1p(x)/2 -> x/2
        eta0 = info / (nu**2 * (0.5 + g))
    eta = np.where(x < 1e-9, eta0, eta)
    eta = np.where(nu < 1e-3, SMALL_NU_EFFICIENCY / (1.0 + 2.0 * g) * np.ones_like(x), eta)
    # at nu < 1e-3 with large alpha nu^2 use the scaling form instead
    big = (nu < 1e-3) & (x >= 1e-9)
    if np.any(big):
        eta = np.where(big, _scaling_efficiency(x, g), eta)
    return _out(eta)


def _scaling_efficiency(x: ArrayLike, g: ArrayLike):
    """Limit ``alpha -> inf, nu -> 0`` at fixed ``x = alpha nu^2`` of ``eta~``.

    ``p_C - 1/2 ~ nu E[sigma'(sqrt(1+x) z)]``, ``alpha I ~ 2 x E[sigma'(s z)]^2``.
    """
    x = np.asarray(x, dtype=float)
    s = np.sqrt(1.0 + x)
    slope = (expit(s[..., None] * _Z) * expit(-s[..., None] * _Z)) @ _WZ
    return 2.0 * x * slope**2 / (0.5 * np.log1p(x) + x * np.asarray(g))


def hebb_supremum() -> tuple[float, float]:
    """``(sup eta~, x*)``: supremum of the quasi-static Hebbian efficiency over (alpha, nu).

    Reached in the scaling limit alpha -> inf, nu -> 0 at fixed ``x = alpha nu^2``; returns
    the maximum over ``x`` of :func:`_scaling_efficiency` (tau = inf) and its argmax ``x*``.
    """
    res = minimize_scalar(
        lambda lx: -float(_scaling_efficiency(np.exp(lx), 0.0)),
        bounds=(-3.0, 5.0),
        method="bounded",
        options={"xatol": 1e-9},
    )
    return float(-res.fun), float(np.exp(res.x))


def hebb_pc_erf(alpha: ArrayLike, nu: ArrayLike, gamma: float = 0.8):
    """Approximation ``1/2 + erf[(g nu/2)/sqrt(1 + g^2 (1 + alpha nu^2)/2)]/2`` (OUR closed form
    from the supplement's ``tanh(x/2) ~ erf(g x/2)``, ``g = 4/5``)."""
    alpha = _arr("alpha", alpha)
    nu = _arr("nu", nu)
    v = 1.0 + alpha * nu**2
    return _out(0.5 + 0.5 * erf((gamma * nu / 2.0) / np.sqrt(1.0 + gamma**2 * v / 2.0)))


def hebb_pc_probit(alpha: ArrayLike, nu: ArrayLike):
    """Probit approximation ``Phi(sqrt(pi/8) nu / sqrt(1 + (pi/8)(1 + alpha nu^2)))``."""
    alpha = _arr("alpha", alpha)
    nu = _arr("nu", nu)
    c = np.pi / 8.0
    return _out(ndtr(np.sqrt(c) * nu / np.sqrt(1.0 + c * (1.0 + alpha * nu**2))))

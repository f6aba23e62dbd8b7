"""Order parameters and thermodynamic efficiency of a student learning a teacher's rule.

OUR RECONSTRUCTION (chapter 3, physics note ``03-teacher.md``) of the model of Goldt &
Seifert, New J. Phys. 19, 113001 (2017): the student ``w`` (N weights) follows

    dw/dt = -k w + nu(t) [a1(R, Q) T + a2(R, Q) w] + zeta,   <zeta zeta'> = 2 delta,

the sample-averaged ("mean-field", MF) force of online learning with a fresh input per
sample (the limit gamma -> infinity of the sample-by-sample process at rate gamma N).
It is a gradient flow on ``U = k|w|^2/2 + nu N E(R, Q)`` with the population loss ``E``.
Order parameters: ``R = w.T/N``, ``Q = w.w/N`` (self-overlap, not heat), ``rho = R/sqrt Q``,
``eps_g = arccos(rho)/pi``. Units: k_B T = 1, mobility 1, time in units of the trap
relaxation time scale (k has units of inverse time), information, entropy, heat in nats.

Rules (``g = sigma_T F``): ``"hebb"`` (F = 1), ``"perceptron"`` (F = theta(-u x)),
``"adatron"`` (F = |x| theta(-u x)); ``u`` is the teacher's field, ``x`` the student's.

Thermodynamics per weight (sudden switch-on at t = 0 from equilibrium R = 0, Q = 1/k):
heat ``Q_n = int qdot dt`` with ``qdot = -(k_e/2) dQ/dt + h dR/dt``, ``k_e = k - nu a2``,
``h = nu a1`` (the switch-on work is booked as work); marginal entropy change
``Delta S(w_n) = ln(kQ)/2``; information ``I = ln 2 - S(eps_g)``; efficiency
``eta = I / (Delta S(w_n) + Q_n) <= 4/pi**2``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.integrate import solve_ivp
from scipy.optimize import brentq

from thermo._validate import check_choice, check_finite, check_nonnegative, check_positive

__all__ = [
    "RULES",
    "GaussianAverages",
    "OrderParameters",
    "TeacherEfficiency",
    "efficiency",
    "efficiency_from_state",
    "eps_g",
    "fixed_point",
    "gaussian_averages",
    "information",
    "information_ratio",
    "order_parameters",
    "population_loss",
    "quasi_static_efficiency",
    "rhs",
    "small_nu_efficiency",
    "weight_information",
]

RULES: tuple[str, ...] = ("hebb", "perceptron", "adatron")
_C = float(np.sqrt(2.0 / np.pi))
_S2PI = float(np.sqrt(2.0 * np.pi))
LN2 = float(np.log(2.0))
RTOL, ATOL = 1e-10, 1e-12


def _rule(rule: object) -> str:
    return check_choice("rule", rule, RULES)


@dataclass(frozen=True)
class GaussianAverages:
    """Gaussian averages over a fresh input at order parameters (R, Q).

    ``a1 = <d g/d u>``, ``a2 = <d g/d x>`` (force ``nu (a1 T + a2 w)``), ``ug = <u g>``,
    ``xg = <x g>``, ``F2 = <F**2>``, ``E`` the population loss (all per weight, k_BT = 1).
    """

    a1: float | np.ndarray
    a2: float | np.ndarray
    ug: float | np.ndarray
    xg: float | np.ndarray
    F2: float | np.ndarray
    E: float | np.ndarray


def _angles(R, Q):
    rho = np.clip(R / np.sqrt(Q), -1.0, 1.0)
    phi = np.arccos(rho)
    s = np.sqrt(1.0 - rho * rho)
    return rho, phi, s


def gaussian_averages(rule: str, R: ArrayLike, Q: ArrayLike) -> GaussianAverages:
    """Closed-form Gaussian averages of rule ``rule`` at ``(R, Q)`` (``Q > 0``).

    Table 7 of the physics note; checked by Monte Carlo in the tests.
    """
    rule = _rule(rule)
    R = np.asarray(R, dtype=float)
    Q = np.asarray(Q, dtype=float)
    if np.any(~(Q > 0)):
        raise ValueError("Q must be > 0")
    rho, phi, s = _angles(R, Q)
    if rule == "hebb":
        a1 = np.full_like(R * Q, _C)
        a2 = np.zeros_like(a1)
        F2 = np.ones_like(a1)
        E = -_C * R + 0.0 * Q
    elif rule == "perceptron":
        a1 = np.full_like(R * Q, 1.0 / _S2PI)
        a2 = -1.0 / (_S2PI * np.sqrt(Q)) + 0.0 * R
        F2 = phi / np.pi
        E = (np.sqrt(Q) - R) / _S2PI
    else:
        a1 = np.sqrt(Q) * s / np.pi
        a2 = -phi / np.pi
        F2 = Q * (phi - rho * s) / np.pi
        E = Q * (phi - rho * s) / (2.0 * np.pi)
    ug = a1 + a2 * R
    xg = a1 * R + a2 * Q

    def _f(v):
        return float(v) if np.ndim(v) == 0 else v

    return GaussianAverages(_f(a1), _f(a2), _f(ug), _f(xg), _f(F2), _f(E))


def population_loss(rule: str, R: ArrayLike, Q: ArrayLike) -> float | np.ndarray:
    """Population loss ``E(R, Q)`` with ``a1 = -dE/dR``, ``a2 = -2 dE/dQ``.

    Hebb ``-sigma_T x``; perceptron ``|x| theta(-u x)``; AdaTron ``x**2 theta(-u x) / 2``.
    """
    return gaussian_averages(rule, R, Q).E


def eps_g(R: ArrayLike, Q: ArrayLike) -> float | np.ndarray:
    """Generalisation error ``arccos(R/sqrt Q)/pi`` (rho clipped to [-1, 1])."""
    out = np.arccos(np.clip(np.asarray(R, float) / np.sqrt(np.asarray(Q, float)), -1, 1)) / np.pi
    return float(out) if np.ndim(out) == 0 else out


def information(rho: ArrayLike) -> float | np.ndarray:
    """``I(sigma_T : sigma) = ln 2 - S(arccos(rho)/pi)`` in nats (rho clipped to [-1, 1])."""
    e = np.arccos(np.clip(np.asarray(rho, dtype=float), -1.0, 1.0)) / np.pi
    with np.errstate(divide="ignore", invalid="ignore"):
        S = -np.where(e > 0, e * np.log(np.where(e > 0, e, 1.0)), 0.0) - np.where(
            e < 1, (1 - e) * np.log(np.where(e < 1, 1 - e, 1.0)), 0.0
        )
    out = LN2 - S
    return float(out) if np.ndim(out) == 0 else out


def weight_information(rho: ArrayLike) -> float | np.ndarray:
    """``I(w_n : T_n) = I(u : x) = -ln(1 - rho**2)/2`` in nats (jointly Gaussian)."""
    r = np.asarray(rho, dtype=float)
    out = -0.5 * np.log1p(-(r * r))
    return float(out) if np.ndim(out) == 0 else out


def information_ratio(rho: ArrayLike) -> float | np.ndarray:
    """``G(rho) = I(sigma_T:sigma) / I(w_n:T_n)``; ``G -> 4/pi**2`` as ``rho -> 0``.

    Below ``|rho| = 0.01`` the two-term series is used (rounding limits the ratio there).
    """
    r = np.abs(np.asarray(rho, dtype=float))
    small = r < 0.01
    rs = np.where(small, 0.5, r)
    with np.errstate(divide="ignore", invalid="ignore"):
        direct = np.asarray(information(rs)) / np.asarray(weight_information(rs))
    # series: I ~ 2r^2/pi^2 + (2/(3 pi^4))(pi^2 - 4)... use numerically safe series ratio
    r2 = r * r
    i_sig = 2 * r2 / np.pi**2 + r2 * r2 * (2.0 / (3.0 * np.pi**2) + 4.0 / (3.0 * np.pi**4))
    i_w = 0.5 * r2 + 0.25 * r2 * r2
    with np.errstate(divide="ignore", invalid="ignore"):
        series = np.where(r2 > 0, i_sig / np.where(r2 > 0, i_w, 1.0), 4.0 / np.pi**2)
    out = np.where(small, series, direct)
    return float(out) if np.ndim(out) == 0 else out


def _check_model(nu, k, gamma, *, allow_k0=False):
    nu = check_nonnegative("nu", nu)
    k = check_nonnegative("k", k) if allow_k0 else check_positive("k", k)
    gamma = check_positive("gamma", gamma, allow_inf=True)
    return nu, k, gamma


def rhs(
    rule: str,
    nu: float,
    k: float,
    R: ArrayLike,
    Q: ArrayLike,
    *,
    gamma: float = np.inf,
    thermal_noise: bool = True,
) -> tuple:
    """Right-hand sides ``(dR/dt, dQ/dt, qdot)`` of the order-parameter ODEs.

    ``dR/dt = -kR + nu <u g>``, ``dQ/dt = -2kQ + 2 + 2 nu <x g> + nu**2 <F**2>/gamma``;
    the ``+2`` is the thermal noise (dropped with ``thermal_noise=False``), the last term
    the learning noise of the sample-by-sample process at rate ``gamma`` (absent in MF,
    ``gamma = inf``). ``qdot = -(k_e/2) dQ/dt + h dR/dt`` is the (coarse-grained) heat
    rate per weight of the sample-averaged force.
    """
    g = gaussian_averages(rule, R, Q)
    R = np.asarray(R, float)
    Q = np.asarray(Q, float)
    dR = -k * R + nu * g.ug
    dQ = -2 * k * Q + (2.0 if thermal_noise else 0.0) + 2 * nu * g.xg
    if np.isfinite(gamma):
        dQ = dQ + nu * nu * g.F2 / gamma
    ke = k - nu * g.a2
    h = nu * g.a1
    qdot = -0.5 * ke * dQ + h * dR
    return dR, dQ, qdot


@dataclass(frozen=True)
class OrderParameters:
    """Time course of the order parameters and the heat per weight (nats, k_BT = 1)."""

    rule: str
    nu: float
    k: float
    t: np.ndarray
    R: np.ndarray
    Q: np.ndarray
    rho: np.ndarray
    eps_g: np.ndarray
    heat: np.ndarray


def _nu_of_t(nu, tau):
    if tau > 0:
        return lambda s: nu * min(s / tau, 1.0)
    return lambda s: nu


def order_parameters(
    rule: str,
    nu: float,
    k: float,
    t: ArrayLike,
    *,
    tau: float = 0.0,
    gamma: float = np.inf,
    R0: float = 0.0,
    Q0: float | None = None,
    thermal_noise: bool = True,
) -> OrderParameters:
    """Integrate the order-parameter ODEs (LSODA, rtol 1e-10, atol 1e-12).

    Parameters
    ----------
    rule : {"hebb", "perceptron", "adatron"}
    nu : float
        Learning rate (>= 0); with ``tau > 0`` the ramp ``nu(t) = nu min(t/tau, 1)``.
    k : float
        Trap stiffness (> 0; ``k = 0`` allowed only with an explicit ``Q0``).
    t : array_like
        Non-negative, non-decreasing output times.
    tau : float
        Ramp duration; 0 (default) is the sudden switch-on at ``t = 0``.
    gamma : float
        Sample-rate factor; ``inf`` (default) is the MF model.
    R0, Q0 : float
        Initial state; default equilibrium ``R0 = 0``, ``Q0 = 1/k``.
    thermal_noise : bool
        Keep the thermal ``+2`` in ``dQ/dt`` (False for classical noiseless online learning).
    """
    rule = _rule(rule)
    nu, k, gamma = _check_model(nu, k, gamma, allow_k0=Q0 is not None)
    tau = check_nonnegative("tau", tau)
    R0 = check_finite("R0", R0)
    Q0 = 1.0 / k if Q0 is None else check_positive("Q0", Q0)
    if R0 * R0 > Q0:
        raise ValueError("need R0**2 <= Q0")
    t = np.atleast_1d(np.asarray(t, dtype=float))
    if t.ndim != 1 or np.any(~np.isfinite(t)) or np.any(t < 0) or np.any(np.diff(t) < 0):
        raise ValueError("t must be finite, >= 0 and non-decreasing")
    nu_t = _nu_of_t(nu, tau)

    def f(s, y):
        dR, dQ, q = rhs(rule, nu_t(s), k, y[0], y[1], gamma=gamma, thermal_noise=thermal_noise)
        return [dR, dQ, q]

    out = np.empty((3, t.size))
    y = np.array([R0, Q0, 0.0])
    t_end = float(t[-1]) if t.size else 0.0
    # integrate piecewise so that the ramp's kink at tau is a segment boundary
    edges = [0.0, *([tau] if 0 < tau < t_end else []), t_end]
    for i, (a, b) in enumerate(itertools.pairwise(edges)):
        last = i == len(edges) - 2
        mask = (t >= a) & ((t <= b) if last else (t < b))
        if b > a:
            te, idx = np.unique(np.append(t[mask], b), return_inverse=True)
            sol = solve_ivp(f, (a, b), y, method="LSODA", rtol=RTOL, atol=ATOL, t_eval=te)
            if not sol.success:
                raise RuntimeError(f"ODE integration failed: {sol.message}")
            out[:, mask] = sol.y[:, idx[:-1]]
            y = sol.y[:, -1]
        else:
            out[:, mask] = y[:, None]
    R, Q, heat = out
    rho = np.clip(R / np.sqrt(Q), -1.0, 1.0)
    return OrderParameters(rule, nu, k, t, R, Q, rho, np.arccos(rho) / np.pi, heat)


def fixed_point(rule: str, nu: float, k: float) -> tuple[float, float]:
    """Steady state ``(R, Q)`` of the MF model at constant ``nu`` (the Gibbs state of U).

    ``Q - R**2 = 1/k_e``, ``R = h/k_e`` with ``k_e = k - nu a2``, ``h = nu a1``.
    """
    rule = _rule(rule)
    nu, k, _ = _check_model(nu, k, np.inf)
    if nu == 0:
        return 0.0, 1.0 / k
    if rule == "hebb":
        R = nu * _C / k
        return R, R * R + 1.0 / k
    if rule == "perceptron":

        def parts(Q):
            ke = k + nu / (_S2PI * np.sqrt(Q))
            R = nu / (_S2PI * ke)
            return R, R * R + 1.0 / ke

        qmax = nu * nu / (2 * np.pi * k * k) + 1.0 / k
        Q = brentq(lambda Q: parts(Q)[1] - Q, 1e-300, qmax * (1 + 1e-12), xtol=1e-300, rtol=1e-15)
        R, Q = parts(Q)
        return float(R), float(Q)

    def parts_a(phi):
        ke = k + nu * phi / np.pi
        R = nu / (np.pi * ke**1.5)
        return R, R * R + 1.0 / ke

    def g(phi):
        R, Q = parts_a(phi)
        return np.arccos(min(R / np.sqrt(Q), 1.0)) - phi

    phi = brentq(g, 0.0, np.pi / 2, xtol=1e-300, rtol=1e-15)
    R, Q = parts_a(phi)
    return float(R), float(Q)


@dataclass(frozen=True)
class TeacherEfficiency:
    """Thermodynamics of learning per weight (nats, k_BT = 1).

    ``R, Q, rho, eps_g`` the order parameters; ``information = ln 2 - S(eps_g)``;
    ``weight_information = I(w_n:T_n) = -ln(1-rho**2)/2``; ``entropy = Delta S(w_n) =
    ln(kQ)/2``; ``heat = Q_n``; ``entropy_production = Delta S(w_n|T_n) + Q_n``;
    ``eta = information / (entropy + heat)`` (nan where the cost vanishes).
    """

    R: float | np.ndarray
    Q: float | np.ndarray
    rho: float | np.ndarray
    eps_g: float | np.ndarray
    information: float | np.ndarray
    weight_information: float | np.ndarray
    entropy: float | np.ndarray
    heat: float | np.ndarray
    entropy_production: float | np.ndarray
    eta: float | np.ndarray


def efficiency_from_state(R, Q, heat, k) -> TeacherEfficiency:
    """Assemble the efficiency record from ``(R, Q, Q_n)`` (any shapes; ``k > 0``)."""
    k = check_positive("k", k)
    R = np.asarray(R, float)
    Q = np.asarray(Q, float)
    heat = np.asarray(heat, float)
    rho = np.clip(R / np.sqrt(Q), -1.0, 1.0)
    info = np.asarray(information(rho))
    iw = np.asarray(weight_information(rho))
    ent = 0.5 * np.log(k * Q)
    cost = ent + heat
    with np.errstate(divide="ignore", invalid="ignore"):
        eta = np.where(cost > 0, info / np.where(cost > 0, cost, 1.0), np.nan)
    sigma = ent - iw + heat

    def _f(v):
        v = np.asarray(v, float)
        return float(v) if v.ndim == 0 else v

    return TeacherEfficiency(
        _f(R), _f(Q), _f(rho), _f(np.arccos(rho) / np.pi), _f(info), _f(iw), _f(ent), _f(heat),
        _f(sigma), _f(eta),
    )  # fmt: skip


def efficiency(
    rule: str, nu: float, k: float, t: ArrayLike = np.inf, *, tau: float = 0.0
) -> TeacherEfficiency:
    """Efficiency ``eta = I(sigma_T:sigma) / (Delta S(w_n) + Q_n)`` of the MF model.

    Parameters
    ----------
    rule : {"hebb", "perceptron", "adatron"}
    nu, k : float
        Learning rate (>= 0) and stiffness (> 0).
    t : float or array_like
        Time(s) after the switch-on; ``np.inf`` (default) gives the steady state, in
        closed form (fixed point plus first law) for the sudden switch.
    tau : float
        Duration of the linear ramp ``nu(t) = nu min(t/tau, 1)``; 0 is the sudden switch.

    Returns
    -------
    TeacherEfficiency
        Fields ``R, Q, rho, eps_g, information, weight_information, entropy, heat,
        entropy_production, eta`` (floats for scalar ``t``).
    """
    rule = _rule(rule)
    nu, k, _ = _check_model(nu, k, np.inf)
    tau = check_nonnegative("tau", tau)
    t_arr = np.asarray(t, dtype=float)
    if np.any(np.isnan(t_arr)) or np.any(t_arr < 0):
        raise ValueError("t must be >= 0 (np.inf for the steady state)")
    if t_arr.ndim == 0 and np.isinf(t_arr):
        Rs, Qs = fixed_point(rule, nu, k)
        if tau == 0:
            R1, Q1, heat1 = 0.0, 1.0 / k, 0.0
        else:
            op = order_parameters(rule, nu, k, [tau], tau=tau)
            R1, Q1, heat1 = op.R[0], op.Q[0], op.heat[0]
        # first law at constant nu from the state at the end of the ramp
        E1 = population_loss(rule, R1, Q1)
        Es = population_loss(rule, Rs, Qs)
        heat = heat1 + 0.5 * k * (Q1 - Qs) + nu * (E1 - Es)
        return efficiency_from_state(Rs, Qs, heat, k)
    flat = t_arr.ravel()
    if np.any(np.isinf(flat)):
        raise ValueError("t = inf only as a scalar")
    order = np.argsort(flat)
    op = order_parameters(rule, nu, k, flat[order], tau=tau)
    inv = np.empty_like(order)
    inv[order] = np.arange(order.size)
    shape = t_arr.shape
    return efficiency_from_state(
        op.R[inv].reshape(shape), op.Q[inv].reshape(shape), op.heat[inv].reshape(shape), k
    )


def quasi_static_efficiency(rule: str, nu: float, k: float) -> float:
    """``eta_qs = G(rho_inf)``: the efficiency of an infinitely slow ramp to ``nu``."""
    R, Q = fixed_point(rule, nu, k)
    return float(information_ratio(R / np.sqrt(Q)))


def small_nu_efficiency(rule: str) -> float:
    """Sudden-switch ``eta_inf`` as ``nu -> 0``: ``(4/pi**2) / (2 + a2**2 / (2 k a1**2))``.

    Hebb ``2/pi**2``, perceptron ``8/(5 pi**2)``, AdaTron ``32/(pi**2 (16 + pi**2))``.
    """
    extra = {"hebb": 0.0, "perceptron": 0.5, "adatron": np.pi**2 / 8}[_rule(rule)]
    return float((4 / np.pi**2) / (2 + extra))

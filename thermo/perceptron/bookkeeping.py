"""Bookkeepings that break the bound, and ramped learning, in the teacher model (chapter 3).

OUR DERIVATION (physics note 03, section 3) for OUR RECONSTRUCTION of the model of
Goldt & Seifert (NJP 2017); the model itself is in :mod:`thermo.theory.teacher` and
:mod:`thermo.perceptron.teacher`. Units k_B T = 1, mobility 1; heat and entropy in nats,
per weight.

* :func:`coarse_grained_margin` -- finite sample rate ``gamma N`` with the learning noise
  ``nu**2 <F**2>/gamma`` kept in ``dQ/dt`` but only the Sekimoto heat of the
  sample-averaged force booked: the margin ``Delta S(w_n) + Q_n - I(sigma_T:sigma)`` of
  the bound along the finite-gamma order-parameter ODE (it goes negative).
* :func:`simulate_literal` and :func:`literal_heat` -- the literal per-sample force
  ``f_n = nu sqrt(N) xi_n sigma_T F`` held for a dwell ``1/(gamma N)`` per sample, with
  its full Sekimoto heat (simulation), and the prediction
  ``qdot = nu**2 N <F**2> - k (2 nu <x g> + nu**2 <F**2>/gamma) + k (k Q - 1)`` per weight
  (exact to O(1/N) for Hebb).

Ramped learning at finite N is ``simulate_mean_field(..., tau=tau)`` of
:mod:`thermo.perceptron.teacher`.

Every stochastic function takes ``seed``; runs are split into fixed-size chunks with their
own generators (:mod:`thermo.random`), so results do not depend on the thread count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from thermo._validate import check_int, check_nonnegative, check_positive
from thermo.parallel import map_chunks
from thermo.perceptron.teacher import TeacherRuns, _check, _check_times, _network_init
from thermo.random import SeedLike, chunks
from thermo.theory.teacher import (
    RULES,
    efficiency_from_state,
    gaussian_averages,
    order_parameters,
)

__all__ = [
    "CoarseGrainedMargin",
    "coarse_grained_margin",
    "literal_heat",
    "simulate_literal",
]

_RUN_CHUNK = 16


@dataclass(frozen=True)
class CoarseGrainedMargin:
    """Bound margin of the coarse-grained finite-gamma bookkeeping (nats per weight).

    ``t`` times; ``cost = Delta S(w_n) + Q_n`` with ``Delta S = ln(kQ)/2`` and ``Q_n`` the
    Sekimoto heat of the sample-averaged force; ``information = I(sigma_T:sigma)``;
    ``margin = cost - information`` (the bound requires ``margin >= 0``).
    """

    t: np.ndarray
    cost: np.ndarray
    information: np.ndarray
    margin: np.ndarray


def coarse_grained_margin(
    rule: str, nu: float, k: float, t: ArrayLike, *, gamma: float
) -> CoarseGrainedMargin:
    """Margin ``cost - I`` of the bound in the coarse-grained finite-gamma bookkeeping.

    Parameters
    ----------
    rule : {"hebb", "perceptron", "adatron"}
    nu, k : float
        Learning rate (>= 0) and trap stiffness (> 0), sudden switch-on at ``t = 0``.
    t : array_like
        Non-negative, non-decreasing times (time unit: mobility/k_BT = 1).
    gamma : float
        Sample-rate factor (> 0, finite): ``nu**2 <F**2>/gamma`` enters ``dQ/dt``.
    """
    gamma = check_positive("gamma", gamma)
    if not np.isfinite(gamma):
        raise ValueError("gamma must be finite (gamma = inf is the mean-field model)")
    op = order_parameters(rule, nu, k, _check_times(t), gamma=gamma)
    e = efficiency_from_state(op.R, op.Q, op.heat, k)
    cost = np.asarray(e.entropy + e.heat, float)
    info = np.asarray(e.information, float)
    return CoarseGrainedMargin(op.t, cost, info, cost - info)


def literal_heat(nu: float, k: float, t: ArrayLike, n_weights: int, *, gamma: float = 1.0):
    """Predicted mean Sekimoto heat per weight of the literal per-sample Hebbian force.

    ``Q_n(t) = int_0^t [nu**2 N - k (2 nu <x g> + nu**2/gamma) + k (k Q - 1)] ds`` along
    the finite-gamma ODE (``<x g> = R sqrt(2/pi)``, ``<F**2> = 1`` for Hebb); exact up to
    O(1/N) corrections from the relaxation within a dwell.

    Parameters
    ----------
    nu, k : float
        Learning rate (>= 0) and stiffness (> 0).
    t : array_like
        Times (non-decreasing, >= 0).
    n_weights : int
        N (>= 3); the leading term grows as ``nu**2 N``.
    gamma : float
        Sample-rate factor (> 0, finite).

    Returns
    -------
    numpy.ndarray
        Heat per weight [k_BT] at ``t``.
    """
    nu = check_nonnegative("nu", nu)
    k = check_positive("k", k)
    N = check_int("n_weights", n_weights, minimum=3)
    gamma = check_positive("gamma", gamma)
    t = _check_times(t)
    # dense grid for the quadrature of the rate along the ODE
    grid = np.union1d(np.linspace(0.0, float(t[-1]), 2001), t)
    op = order_parameters("hebb", nu, k, grid, gamma=gamma)
    ga = gaussian_averages("hebb", op.R, op.Q)
    rate = nu * nu * N * ga.F2 - k * (2 * nu * ga.xg + nu * nu * ga.F2 / gamma) + k * (k * op.Q - 1)
    cum = np.concatenate([[0.0], np.cumsum(0.5 * (rate[1:] + rate[:-1]) * np.diff(grid))])
    return np.interp(t, grid, cum)


def _literal_chunk(code, nu, k, N, gamma, rec, n, rng):
    T, w = _network_init(k, N, n, rng)
    delta = 1.0 / (gamma * N)
    a = math.exp(-k * delta)
    b = math.sqrt((1.0 - a * a) / k)
    sqN = math.sqrt(N)
    out = np.empty((3, n, rec.size))
    heat = np.zeros(n)
    j = 0
    for s in range(int(rec[-1]) + 1):
        while j < rec.size and rec[j] == s:
            out[0, :, j] = np.einsum("ij,ij->i", w, T) / N
            out[1, :, j] = np.einsum("ij,ij->i", w, w) / N
            out[2, :, j] = heat
            j += 1
        if s == rec[-1]:
            break
        xi = rng.standard_normal((n, N))
        u = np.einsum("ij,ij->i", xi, T) / sqN
        x = np.einsum("ij,ij->i", xi, w) / sqN
        sig = np.where(u >= 0, 1.0, -1.0)
        wrong = (u * x < 0).astype(float)
        F = (np.ones(n), wrong, np.abs(x) * wrong)[code]
        f = (nu * sqN * sig * F)[:, None] * xi
        # exact OU step in V = k|w|^2/2 - f.w over the dwell; heat = V(start) - V(end)
        w_new = a * w + (1.0 - a) * f / k + b * rng.standard_normal((n, N))
        dv_trap = 0.5 * k * np.einsum("ij,ij->i", w - w_new, w + w_new)
        heat += (dv_trap + np.einsum("ij,ij->i", f, w_new - w)) / N
        w = w_new
    return out


def simulate_literal(
    rule: str,
    nu: float,
    k: float,
    t: ArrayLike,
    n_weights: int,
    n_runs: int,
    *,
    gamma: float = 1.0,
    seed: SeedLike = None,
    threads: int | None = 1,
) -> TeacherRuns:
    """Literal per-sample force with its full Sekimoto heat (all N weights).

    Samples arrive every ``1/(gamma N)``; during each dwell the force
    ``f = nu sqrt(N) xi sigma_T F(u, x)`` (fields at the start of the dwell) acts on every
    weight together with the trap ``k`` and the thermal noise (exact OU step). The heat
    per weight is the exact Sekimoto heat ``[V(w_start) - V(w_end)]/N`` of each dwell in
    ``V = k|w|**2/2 - f.w``. Record times are rounded to whole samples.

    Parameters
    ----------
    rule : {"hebb", "perceptron", "adatron"}
    nu, k : float
        Learning rate (>= 0) and trap stiffness (> 0).
    t : array_like
        Record times, non-decreasing.
    n_weights, n_runs : int
        N (>= 3) and the number of independent runs (teacher, initial state, noise).
    gamma : float
        Sample-rate factor (> 0).
    seed : int, SeedSequence, Generator or None
    threads : int or None
        Threads for the chunks (results do not depend on it).

    Returns
    -------
    TeacherRuns
        ``R, Q, heat`` of shape (n_runs, n_times); ``heat`` in k_BT per weight.
    """
    rule, nu, k, t, N, n_runs = _check(rule, nu, k, t, n_weights, n_runs)
    gamma = check_positive("gamma", gamma)
    rec = np.rint(t * gamma * N).astype(np.int64)
    code = RULES.index(rule)
    parts = map_chunks(
        lambda ch: _literal_chunk(code, nu, k, N, gamma, rec, ch.stop - ch.start, ch.rng),
        chunks(seed, n_runs, _RUN_CHUNK),
        threads,
    )
    out = np.concatenate(parts, axis=1)
    return TeacherRuns(rule, nu, k, N, rec / (gamma * N), out[0], out[1], out[2])

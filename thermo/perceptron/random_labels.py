"""Simulations of a perceptron memorising random labels (chapter 2; k_B T = 1, nats).

* :func:`simulate_toy_ramp` -- N = P = 1: overdamped Langevin weight in the trap
  ``V(w, t) = w^2/2 - f(t) w`` with the ramp ``f = nu F t/tau`` (``F = sigma_T xi = +-1``),
  then full relaxation to ``t_end``. Heat by the first law ``Q = W - Delta V`` with
  ``W = int d_t V dt``. The weight is advanced with the exact Ornstein-Uhlenbeck step
  for a force held constant over each step at its mid-step value; the jumps of ``f``
  between steps are booked as work, so the only discretisation error is that of the
  piecewise-constant protocol (O(dt^2) per unit time in the mean heat). The steps run in a
  compiled kernel that reproduces the simple numpy loop (kept as ``_toy_chunk_reference``
  for the tests) bit for bit.
* :func:`simulate_hebb` -- Hebbian batch learning, N weights, P = alpha N fixed +-1 inputs,
  random labels; exact sampling of the stationary weights ``w = nu F + z`` after the
  ramp (Gaussian given the data), Rao-Blackwellised ``p_C`` (mean logistic of the stability).

Every function takes ``seed`` and splits the work into fixed-size chunks with their own
generator (``thermo.random.chunks``), so results depend only on the seed and sizes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit

from thermo._numba import jit
from thermo._validate import check_int, check_nonnegative, check_positive
from thermo.random import SeedLike, chunks

__all__ = ["HebbRuns", "ToyRamp", "simulate_hebb", "simulate_toy_ramp"]

_TOY_CHUNK = 4096


@dataclass(frozen=True)
class ToyRamp:
    """Per-trajectory results of :func:`simulate_toy_ramp` (arrays of length ``n_traj``).

    Attributes
    ----------
    heat : Sekimoto heat released into the bath over the whole protocol (k_B T).
    work : work ``int d_t V dt`` done on the weight (k_B T).
    w_final : final weight; ``F * w_final`` has mean ``nu`` and variance 1.
    label : true label times input, ``F = +-1``.
    pc_averaged : ``logistic(F w_final)`` (Rao-Blackwellised prediction correctness).
    pc_sampled : 0/1 indicator that a sampled prediction equals the true label.
    """

    nu: float
    tau: float
    dt: float
    t_end: float
    heat: np.ndarray
    work: np.ndarray
    w_final: np.ndarray
    label: np.ndarray
    pc_averaged: np.ndarray
    pc_sampled: np.ndarray


@jit
def _toy_kernel(w, F, work, h, f, decay, sd, rng):
    """All steps for one chunk, in place; draws in the reference's order (step, trajectory).

    Step ``k``: the protocol jumps to ``f[k]`` (work ``-(f[k] - f[k-1]) w F``), then, if
    ``h[k] > 0``, the exact OU step ``w -> f F + (w - f F) decay + sd z``. The arithmetic is
    that of :func:`_toy_chunk_reference`, operation by operation, so results are identical.
    """
    n = w.size
    f_prev = 0.0
    for k in range(h.size):
        df = f[k] - f_prev
        f_prev = f[k]
        if h[k] > 0:
            a = decay[k]
            s = sd[k]
            fk = f[k]
            for i in range(n):
                wi = w[i]
                Fi = F[i]
                work[i] -= df * wi * Fi
                w[i] = fk * Fi + (wi - fk * Fi) * a + s * rng.standard_normal()
        else:
            for i in range(n):
                work[i] -= df * w[i] * F[i]


def _toy_finish(out, ch, nu, F, w0, w, work, rng):
    v0 = 0.5 * w0**2
    v1 = 0.5 * w**2 - nu * F * w
    heat = work - (v1 - v0)
    pa = expit(F * w)
    ps = (rng.random(w.size) < pa).astype(float)
    sl = slice(ch.start, ch.stop)
    out["heat"][sl], out["work"][sl], out["w"][sl] = heat, work, w
    out["F"][sl], out["pa"][sl], out["ps"][sl] = F, pa, ps


def _toy_chunk_reference(steps, F, w, rng):
    """The simple numpy loop that :func:`_toy_kernel` replaces (kept for the tests).

    ``steps`` is the list of ``(h, f)``; returns ``(w, work)`` after all steps.
    """
    work = np.zeros(w.size)
    f_prev = 0.0
    for h, f_amp in steps:
        # jump of the protocol f: V -> V - (f_new - f_old) w F
        work -= (f_amp - f_prev) * w * F
        f_prev = f_amp
        if h > 0:
            a = np.exp(-h)
            w = (
                f_amp * F
                + (w - f_amp * F) * a
                + np.sqrt(-np.expm1(-2 * h)) * rng.standard_normal(w.size)
            )
    return w, work


def simulate_toy_ramp(
    nu: float,
    tau: float,
    *,
    n_traj: int = 20_000,
    dt: float = 2e-3,
    t_relax: float = 12.0,
    seed: SeedLike = None,
) -> ToyRamp:
    """Langevin simulation of the toy model N = P = 1 under the linear force ramp.

    Parameters
    ----------
    nu : float
        Learning strength (>= 0), final force ``nu F``.
    tau : float
        Ramp duration (> 0, units of the relaxation time).
    n_traj : int
        Number of independent trajectories (labels ``F`` drawn at random).
    dt : float
        Time step (> 0); the ramp uses ``ceil(tau/dt)`` steps.
    t_relax : float
        Relaxation time after the ramp (>= 0); ``exp(-t_relax)`` is the residual lag.
    seed : int, SeedSequence, Generator or None
        Seed for the chunked generators.

    Gaussian draws per trajectory and step: 1.
    """
    nu = check_nonnegative("nu", nu)
    tau = check_positive("tau", tau)
    dt = check_positive("dt", dt)
    t_relax = check_nonnegative("t_relax", t_relax)
    n_traj = check_int("n_traj", n_traj)
    n_ramp = max(1, int(np.ceil(tau / dt)))
    h_ramp = tau / n_ramp
    n_rel = int(np.ceil(t_relax / dt)) if t_relax > 0 else 0
    h_rel = t_relax / n_rel if n_rel else 0.0
    steps = [(h_ramp, nu * (i + 0.5) / n_ramp) for i in range(n_ramp)]
    steps += [(h_rel, nu)] * n_rel
    if n_rel == 0:
        steps.append((0.0, nu))
    h = np.array([st[0] for st in steps])
    f = np.array([st[1] for st in steps])
    # the step's OU coefficients, computed as in the reference (numpy scalars), per distinct h
    coef = {hv: (np.exp(-hv), np.sqrt(-np.expm1(-2 * hv))) for hv in set(h.tolist()) if hv > 0}
    decay = np.array([coef[hv][0] if hv > 0 else 1.0 for hv in h.tolist()])
    sd = np.array([coef[hv][1] if hv > 0 else 0.0 for hv in h.tolist()])
    out = {k: np.empty(n_traj) for k in ("heat", "work", "w", "F", "pa", "ps")}
    for ch in chunks(seed, n_traj, _TOY_CHUNK):
        rng = ch.rng
        n = ch.stop - ch.start
        F = np.where(rng.random(n) < 0.5, -1.0, 1.0)
        w = rng.standard_normal(n)  # equilibrium in V = w^2/2
        w0 = w.copy()
        work = np.zeros(n)
        _toy_kernel(w, F, work, h, f, decay, sd, rng)
        _toy_finish(out, ch, nu, F, w0, w, work, rng)
    return ToyRamp(
        nu=nu,
        tau=tau,
        dt=dt,
        t_end=tau + t_relax,
        heat=out["heat"],
        work=out["work"],
        w_final=out["w"],
        label=out["F"],
        pc_averaged=out["pa"],
        pc_sampled=out["ps"],
    )


@dataclass(frozen=True)
class HebbRuns:
    """Per-repetition results of :func:`simulate_hebb` (arrays of length ``n_rep``).

    Attributes
    ----------
    pc : Rao-Blackwellised probability of a correct prediction, averaged over the P patterns.
    w2 : mean square weight ``<w_n^2>`` over the N weights (theory ``1 + alpha nu^2``).
    entropy_change : ``(1/2) ln var(w_n)`` pooled over weights (Gaussian fit, nats).
    stability_var : variance of the stabilities over patterns (theory ``1 + nu^2 (P-1)/N``).
    """

    alpha: float
    nu: float
    n_weights: int
    n_patterns: int
    pc: np.ndarray
    w2: np.ndarray
    entropy_change: np.ndarray
    stability_var: np.ndarray


def simulate_hebb(
    alpha: float,
    nu: float,
    *,
    n_weights: int = 1000,
    n_rep: int = 4,
    seed: SeedLike = None,
    row_chunk: int = 2048,
) -> HebbRuns:
    """Hebbian batch learning of ``P = round(alpha N)`` random labels, stationary state.

    Inputs ``xi in {+-1}^{P x N}`` and labels are fixed per repetition; the weights after
    the ramp and full relaxation are ``w = nu F + z``, ``F = xi^T sigma_T / sqrt N``,
    ``z ~ N(0, 1)`` (exact: given the data, the Langevin weights are Gaussian). The
    stability of pattern mu is ``sigma_T^mu xi^mu . w / sqrt N``.

    Parameters
    ----------
    alpha : float
        Load ``P/N`` (>= 0; at least one pattern is used).
    nu : float
        Learning strength (>= 0).
    n_weights : int
        N (>= 2).
    n_rep : int
        Independent repetitions (new inputs, labels and noise each).
    seed : int, SeedSequence, Generator or None
        One child stream per repetition.
    row_chunk : int
        Patterns drawn and multiplied at once (memory; results depend on it through the
        order of the draws, so keep the default for reproducibility).
    """
    alpha = check_nonnegative("alpha", alpha)
    nu = check_nonnegative("nu", nu)
    n = check_int("n_weights", n_weights, minimum=2)
    n_rep = check_int("n_rep", n_rep)
    p = max(1, round(alpha * n))
    res = {k: np.empty(n_rep) for k in ("pc", "w2", "ds", "sv")}
    sqn = np.sqrt(n)
    for ch in chunks(seed, n_rep, 1):
        rng = ch.rng
        sig = np.where(rng.random(p) < 0.5, -1.0, 1.0)
        xi = np.empty((p, n), dtype=np.int8)
        F = np.zeros(n)
        for s in range(0, p, row_chunk):
            blk = 2 * rng.integers(0, 2, size=(min(row_chunk, p - s), n), dtype=np.int8) - 1
            xi[s : s + blk.shape[0]] = blk
            F += sig[s : s + blk.shape[0]] @ blk.astype(float)
        F /= sqn
        w = nu * F + rng.standard_normal(n)
        stab = np.empty(p)
        for s in range(0, p, row_chunk):
            blk = xi[s : s + row_chunk].astype(float)
            stab[s : s + row_chunk] = sig[s : s + row_chunk] * (blk @ w) / sqn
        i = ch.index
        res["pc"][i] = expit(stab).mean()
        res["w2"][i] = np.mean(w**2)
        res["ds"][i] = 0.5 * np.log(np.var(w))
        res["sv"][i] = np.var(stab)
    return HebbRuns(
        alpha=alpha,
        nu=nu,
        n_weights=n,
        n_patterns=p,
        pc=res["pc"],
        w2=res["w2"],
        entropy_change=res["ds"],
        stability_var=res["sv"],
    )

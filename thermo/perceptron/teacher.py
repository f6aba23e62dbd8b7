"""Finite-N simulation of a student perceptron learning a teacher's rule (chapter 3).

OUR RECONSTRUCTION of the model of Goldt & Seifert (NJP 2017); theory in
:mod:`thermo.theory.teacher`. Units k_B T = 1, mobility 1; heat and entropy in nats.

* :func:`simulate_mean_field` -- the sample-averaged (MF) model
  ``dw/dt = -k w + nu (a1 T + a2 w) + zeta`` at finite N. ``method="reduced"``
  propagates the exact finite-N Markov chain of ``(R, Q)`` (isotropic noise: three
  random numbers per step, O(1) in N); ``method="network"`` propagates all N weights
  (compiled kernel, one Gaussian number per weight and step; the numpy implementation
  it is tested against is kept as ``_network_chunk_reference``) and returns the final
  weights (for the pooled weight histogram). Both use the exact
  Ornstein-Uhlenbeck step with coefficients frozen over ``dt`` and book the
  Stratonovich (midpoint) heat of the total force.
* :func:`simulate_samples` -- the sample-by-sample process at sample rate ``gamma N``:
  per sample an OU step in the trap ``k`` (dwell ``1/(gamma N)``) and a kick
  ``(nu/(gamma sqrt N)) xi sigma_T F`` with a fresh Gaussian input (exact reduced chain).
  The heat booked is the coarse-grained Sekimoto heat of the sample-averaged force,
  ``-(k_e/2) dQ + h dR`` (trapezoidal coefficients per sample interval).

Every function takes ``seed``; runs are split into fixed-size chunks with their own
generators (:mod:`thermo.random`), so results do not depend on the thread count.
Initial state: equilibrium in the trap, ``w ~ N(0, 1/k)``, drawn at finite N.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from thermo._numba import jit
from thermo._validate import check_choice, check_int, check_nonnegative, check_positive
from thermo.parallel import map_chunks
from thermo.random import SeedLike, chunks
from thermo.theory.teacher import RULES, efficiency_from_state, gaussian_averages

__all__ = [
    "TeacherRuns",
    "pooled_entropy_change",
    "simulate_mean_field",
    "simulate_samples",
    "summarize_runs",
]

_C = math.sqrt(2.0 / math.pi)
_S2PI = math.sqrt(2.0 * math.pi)
_RUN_CHUNK = 16


@dataclass(frozen=True)
class TeacherRuns:
    """Independent runs of a finite-N student.

    ``t`` (n_times,) record times; ``R``, ``Q``, ``heat`` of shape (n_runs, n_times):
    overlaps ``R = w.T/N``, self-overlap ``Q = w.w/N`` and heat per weight (k_BT).
    ``weights`` (n_runs, N) the final weights (network method only, else ``None``).
    """

    rule: str
    nu: float
    k: float
    n_weights: int
    t: np.ndarray
    R: np.ndarray
    Q: np.ndarray
    heat: np.ndarray
    weights: np.ndarray | None = None


def _check(rule, nu, k, t, n_weights, n_runs):
    rule = check_choice("rule", rule, RULES)
    nu = check_nonnegative("nu", nu)
    k = check_positive("k", k)
    n_weights = check_int("n_weights", n_weights, minimum=3)
    n_runs = check_int("n_runs", n_runs, minimum=1)
    return rule, nu, k, _check_times(t), n_weights, n_runs


def _check_times(t) -> np.ndarray:
    """Record times as a 1-d array; they must be finite, >= 0 and non-decreasing."""
    t = np.atleast_1d(np.asarray(t, dtype=float))
    if t.ndim != 1 or np.any(~np.isfinite(t)) or np.any(t < 0) or np.any(np.diff(t) < 0):
        raise ValueError("t must be finite, >= 0 and non-decreasing")
    return t


@jit
def _coeffs(rule, nu, k, R, Q):
    """Effective stiffness ``k_e = k - nu a2`` and field ``h = nu a1`` at (R, Q)."""
    if rule == 0:
        return k, nu * _C
    if rule == 1:
        return k + nu / (_S2PI * math.sqrt(Q)), nu / _S2PI
    rho = R / math.sqrt(Q)
    rho = min(1.0, max(-1.0, rho))
    phi = math.acos(rho)
    s = math.sqrt(1.0 - rho * rho)
    return k + nu * phi / math.pi, nu * math.sqrt(Q) * s / math.pi


@jit
def _mf_reduced_kernel(rule, nu, k, N, dt, tau, rec, n_runs, rng, R_out, Q_out, H_out):
    # tau > 0: the learning rate is ramped, nu(t) = nu min(t/tau, 1); tau = 0: sudden switch
    sqN = math.sqrt(N)
    n_rec = rec.size
    n_steps = rec[-1]
    for r in range(n_runs):
        g = rng.standard_normal()
        R = g / math.sqrt(k * N)
        Q = (g * g + rng.chisquare(N - 1)) / (k * N)
        heat = 0.0
        nu_s = 0.0 if tau > 0 else nu
        ke, h = _coeffs(rule, nu_s, k, R, Q)
        j = 0
        while j < n_rec and rec[j] == 0:
            R_out[r, j] = R
            Q_out[r, j] = Q
            H_out[r, j] = heat
            j += 1
        for s in range(1, n_steps + 1):
            e = math.exp(-ke * dt)
            c = h / ke * (1.0 - e)
            sd = math.sqrt((1.0 - e * e) / ke)
            g1 = rng.standard_normal()
            g2 = rng.standard_normal()
            chi = rng.chisquare(N - 2)
            perp = math.sqrt(max(Q - R * R, 0.0))
            p = (R * g1 + perp * g2) / sqN
            Rn = e * R + c + sd * g1 / sqN
            Qn = (e * e * Q + c * c + 2 * e * c * R + 2 * e * sd * p + 2 * c * sd * g1 / sqN
                  + sd * sd * (g1 * g1 + g2 * g2 + chi) / N)  # fmt: skip
            ww = e * Q + c * R + sd * p
            nu_n = nu * min(s * dt / tau, 1.0) if tau > 0 else nu
            ken, hn = _coeffs(rule, nu_n, k, Rn, Qn)
            # Stratonovich midpoint heat; the end-point force is that of the new time
            heat += 0.5 * (-ke * (ww - Q) + h * (Rn - R) - ken * (Qn - ww) + hn * (Rn - R))
            R, Q, ke, h = Rn, Qn, ken, hn
            while j < n_rec and rec[j] == s:
                R_out[r, j] = R
                Q_out[r, j] = Q
                H_out[r, j] = heat
                j += 1


@jit
def _samples_kernel(rule, nu, k, N, gamma, rec, n_runs, rng, R_out, Q_out, H_out):
    sqN = math.sqrt(N)
    n_rec = rec.size
    n_samples = rec[-1]
    dwell = 1.0 / (gamma * N)
    a = math.exp(-k * dwell)
    b = math.sqrt((1.0 - a * a) / k)
    step = nu / (gamma * N)
    for r in range(n_runs):
        g = rng.standard_normal()
        R = g / math.sqrt(k * N)
        Q = (g * g + rng.chisquare(N - 1)) / (k * N)
        heat = 0.0
        ke, h = _coeffs(rule, nu, k, R, Q)
        j = 0
        while j < n_rec and rec[j] == 0:
            R_out[r, j] = R
            Q_out[r, j] = Q
            H_out[r, j] = heat
            j += 1
        for s in range(1, n_samples + 1):
            # thermal OU step in the trap k over one dwell time
            g1 = rng.standard_normal()
            g2 = rng.standard_normal()
            chi = rng.chisquare(N - 2)
            perp = math.sqrt(max(Q - R * R, 0.0))
            Rn = a * R + b * g1 / sqN
            Qn = (a * a * Q + 2 * a * b / sqN * (R * g1 + perp * g2)
                  + b * b / N * (g1 * g1 + g2 * g2 + chi))  # fmt: skip
            # kick by a fresh sample
            u = rng.standard_normal()
            z = rng.standard_normal()
            chi = rng.chisquare(N - 2)
            perp = math.sqrt(max(Qn - Rn * Rn, 0.0))
            x = Rn * u + perp * z
            sT = 1.0 if u > 0 else -1.0
            if rule == 0:
                F = 1.0
            elif rule == 1:
                F = 1.0 if u * x < 0 else 0.0
            else:
                F = abs(x) if u * x < 0 else 0.0
            xi2 = (u * u + z * z + chi) / N
            Rn += step * sT * F * u
            Qn += 2 * step * sT * F * x + step * step * N * F * F * xi2
            ken, hn = _coeffs(rule, nu, k, Rn, Qn)
            heat += -0.25 * (ke + ken) * (Qn - Q) + 0.5 * (h + hn) * (Rn - R)
            R, Q, ke, h = Rn, Qn, ken, hn
            while j < n_rec and rec[j] == s:
                R_out[r, j] = R
                Q_out[r, j] = Q
                H_out[r, j] = heat
                j += 1


def _run_reduced(kernel, args, rec, n_runs, seed, threads):
    n_rec = rec.size
    R = np.empty((n_runs, n_rec))
    Q = np.empty((n_runs, n_rec))
    H = np.empty((n_runs, n_rec))

    def work(ch):
        sl = slice(ch.start, ch.stop)
        kernel(*args, rec, ch.stop - ch.start, ch.rng, R[sl], Q[sl], H[sl])

    map_chunks(work, chunks(seed, n_runs, _RUN_CHUNK), threads)
    return R, Q, H


@jit
def _network_kernel(rule, nu, k, dt, rec, rng, T, w, out):
    """All N weights of ``n`` runs, one Gaussian number per weight and step.

    Draws in the order of :func:`_network_chunk_reference` (step, run, weight), so both
    consume the same stream. ``T`` (n, N) teachers, ``w`` (n, N) initial weights
    (overwritten by the final ones), ``out`` (3, n, n_rec) receives R, Q and heat. The
    heat of the midpoint rule needs only the overlaps: with ``X = w.w'/N``,
    ``f0.dw/N = -k_e (X - Q) + h (R' - R)`` and ``f1.dw/N = -k_e' (Q' - X) + h' (R' - R)``.
    """
    n, N = w.shape
    n_rec = rec.size
    n_steps = rec[-1] if n_rec else 0
    R = np.empty(n)
    Q = np.empty(n)
    heat = np.zeros(n)
    KE = np.empty(n)
    H = np.empty(n)
    z = np.empty(N)
    for r in range(n):
        sR = 0.0
        sQ = 0.0
        for i in range(N):
            sR += w[r, i] * T[r, i]
            sQ += w[r, i] * w[r, i]
        R[r] = sR / N
        Q[r] = sQ / N
        KE[r], H[r] = _coeffs(rule, nu, k, R[r], Q[r])
    j = 0
    while j < n_rec and rec[j] == 0:
        for r in range(n):
            out[0, r, j] = R[r]
            out[1, r, j] = Q[r]
            out[2, r, j] = heat[r]
        j += 1
    for s in range(1, n_steps + 1):
        for r in range(n):
            ke = KE[r]
            h = H[r]
            e = math.exp(-ke * dt)
            c = h / ke * (1.0 - e)
            sd = math.sqrt((1.0 - e * e) / ke)
            wr = w[r]
            Tr = T[r]
            # the draws first, in a tight loop of their own: the generator's state update
            # is the critical path and runs faster without the arithmetic interleaved
            for i in range(N):
                z[i] = rng.standard_normal()
            sR = 0.0
            sQ = 0.0
            sX = 0.0
            for i in range(N):
                wi = wr[i]
                wn = e * wi + c * Tr[i] + sd * z[i]
                sR += wn * Tr[i]
                sQ += wn * wn
                sX += wn * wi
                wr[i] = wn
            Rn = sR / N
            Qn = sQ / N
            X = sX / N
            ken, hn = _coeffs(rule, nu, k, Rn, Qn)
            dR = Rn - R[r]
            heat[r] += 0.5 * (-ke * (X - Q[r]) + h * dR - ken * (Qn - X) + hn * dR)
            R[r] = Rn
            Q[r] = Qn
            KE[r] = ken
            H[r] = hn
        while j < n_rec and rec[j] == s:
            for r in range(n):
                out[0, r, j] = R[r]
                out[1, r, j] = Q[r]
                out[2, r, j] = heat[r]
            j += 1


def _network_init(k, N, n, rng):
    """Teachers normalised to ``T.T = N`` and equilibrium weights ``w ~ N(0, 1/k)``."""
    T = rng.standard_normal((n, N))
    T *= np.sqrt(N) / np.linalg.norm(T, axis=1, keepdims=True)
    w = rng.standard_normal((n, N)) / np.sqrt(k)
    return T, w


def _network_chunk(rule, nu, k, N, dt, rec, n, rng):
    """One chunk of the network method through the compiled kernel."""
    T, w = _network_init(k, N, n, rng)
    out = np.empty((3, n, rec.size))
    _network_kernel(RULES.index(rule), nu, k, dt, rec, rng, T, w, out)
    return out, w


def _network_chunk_reference(rule, nu, k, N, dt, rec, n, rng):
    """The simple vectorised-numpy implementation of :func:`_network_chunk` (for the tests).

    Same draws in the same order; the numbers agree to rounding (summation order of the
    dot products, and the closed forms of :func:`thermo.theory.teacher.gaussian_averages`).
    """
    T, w = _network_init(k, N, n, rng)
    out = np.empty((3, n, rec.size))
    heat = np.zeros(n)

    def coeffs(w):
        R = np.einsum("ij,ij->i", w, T) / N
        Q = np.einsum("ij,ij->i", w, w) / N
        g = gaussian_averages(rule, R, Q)
        return R, Q, k - nu * np.asarray(g.a2), nu * np.asarray(g.a1)

    R, Q, ke, h = coeffs(w)
    j = 0
    while j < rec.size and rec[j] == 0:
        out[:, :, j] = R, Q, heat
        j += 1
    for s in range(1, int(rec[-1]) + 1):
        e = np.exp(-ke * dt)
        c = h / ke * (1 - e)
        sd = np.sqrt((1 - e * e) / ke)
        wn = e[:, None] * w + c[:, None] * T + sd[:, None] * rng.standard_normal((n, N))
        Rn, Qn, ken, hn = coeffs(wn)
        dw = wn - w
        f0 = -ke[:, None] * w + h[:, None] * T
        f1 = -ken[:, None] * wn + hn[:, None] * T
        heat = heat + 0.5 * np.einsum("ij,ij->i", f0 + f1, dw) / N
        w, R, Q, ke, h = wn, Rn, Qn, ken, hn
        while j < rec.size and rec[j] == s:
            out[:, :, j] = R, Q, heat
            j += 1
    return out, w


def simulate_mean_field(
    rule: str,
    nu: float,
    k: float,
    t: ArrayLike,
    n_weights: int,
    n_runs: int,
    *,
    dt: float = 0.002,
    method: str = "reduced",
    tau: float = 0.0,
    seed: SeedLike = None,
    threads: int | None = 1,
) -> TeacherRuns:
    """Finite-N simulation of the sample-averaged (MF) model after a switch-on.

    Parameters
    ----------
    rule : {"hebb", "perceptron", "adatron"}
    nu, k : float
        Learning rate (>= 0) and trap stiffness (> 0).
    t : array_like
        Record times (rounded to multiples of ``dt``), non-decreasing.
    n_weights, n_runs : int
        N (>= 3) and the number of independent runs (teacher, initial state, noise).
    dt : float
        Time step of the exact OU step with frozen coefficients.
    method : {"reduced", "network"}
        Exact (R, Q) chain, or all N weights (returns the final weights).
    tau : float
        Length of a linear ramp ``nu(t) = nu min(t/tau, 1)`` (>= 0; 0 is the sudden
        switch-on; ramps need ``method="reduced"``). The chain propagates each step with the
        learning rate at its start and books the Stratonovich heat of the total force, which
        then contains the ramp's work ``int nu' E dt``; compare with
        ``thermo.theory.teacher.order_parameters(..., tau=tau)``.
    seed : int, SeedSequence, Generator or None
    threads : int or None
        Threads for the chunks (results do not depend on it).
    """
    rule, nu, k, t, N, n_runs = _check(rule, nu, k, t, n_weights, n_runs)
    dt = check_positive("dt", dt)
    method = check_choice("method", method, ("reduced", "network"))
    tau = check_nonnegative("tau", tau)
    if tau > 0 and method != "reduced":
        raise ValueError(f"tau > 0 (a ramp) needs method='reduced'; got method={method!r}")
    rec = np.rint(t / dt).astype(np.int64)
    code = RULES.index(rule)
    if method == "reduced":
        args = (code, nu, k, N, dt, tau)
        R, Q, H = _run_reduced(_mf_reduced_kernel, args, rec, n_runs, seed, threads)
        return TeacherRuns(rule, nu, k, N, rec * dt, R, Q, H)
    parts = map_chunks(
        lambda ch: _network_chunk(rule, nu, k, N, dt, rec, ch.stop - ch.start, ch.rng),
        chunks(seed, n_runs, _RUN_CHUNK),
        threads,
    )
    out = np.concatenate([p[0] for p in parts], axis=1)
    w = np.concatenate([p[1] for p in parts], axis=0)
    return TeacherRuns(rule, nu, k, N, rec * dt, out[0], out[1], out[2], w)


def simulate_samples(
    rule: str,
    nu: float,
    k: float,
    t: ArrayLike,
    n_weights: int,
    n_runs: int,
    *,
    gamma: float,
    seed: SeedLike = None,
    threads: int | None = 1,
) -> TeacherRuns:
    """The sample-by-sample process at sample rate ``gamma N`` (exact reduced chain).

    ``gamma = 1`` is classical online learning at learning rate ``nu`` (then ``t = alpha``).
    Record times are rounded to whole samples. The heat is the coarse-grained heat of the
    sample-averaged force (compare :func:`thermo.theory.teacher.order_parameters` with
    the same ``gamma``). Other parameters as in :func:`simulate_mean_field`.
    """
    rule, nu, k, t, N, n_runs = _check(rule, nu, k, t, n_weights, n_runs)
    gamma = check_positive("gamma", gamma)
    rec = np.rint(t * gamma * N).astype(np.int64)
    args = (RULES.index(rule), nu, k, N, gamma)
    R, Q, H = _run_reduced(_samples_kernel, args, rec, n_runs, seed, threads)
    return TeacherRuns(rule, nu, k, N, rec / (gamma * N), R, Q, H)


def pooled_entropy_change(weights: ArrayLike, k: float) -> float:
    """``Delta S(w_n)`` (nats) from the pooled final weights: Ebrahimi spacing estimate of
    the differential entropy minus the initial ``ln(2 pi e / k)/2``.

    Pooling over the weights of a run samples the marginal over the teacher ensemble.
    """
    from scipy.stats import differential_entropy  # imported here: scipy.stats takes 0.4 s

    k = check_positive("k", k)
    x = np.asarray(weights, dtype=float).ravel()
    if x.size < 10:
        raise ValueError("need at least 10 weights")
    return float(differential_entropy(x, method="ebrahimi") - 0.5 * np.log(2 * np.pi * np.e / k))


def summarize_runs(runs: TeacherRuns, index: int = -1) -> dict[str, float]:
    """Means and standard errors over runs at record ``index``.

    Keys ``R, Q, rho, heat, entropy (= ln(kQ)/2), information, weight_information, cost,
    eta`` and ``<key>_se``; ``eta`` is the ratio of means ``<I>/<cost>`` with a
    delta-method standard error (the mean of per-run ratios is biased at small N).
    """
    e = efficiency_from_state(runs.R[:, index], runs.Q[:, index], runs.heat[:, index], runs.k)
    n = runs.R.shape[0]
    cols = {
        "R": np.asarray(e.R),
        "Q": np.asarray(e.Q),
        "rho": np.asarray(e.rho),
        "heat": np.asarray(e.heat),
        "entropy": np.asarray(e.entropy),
        "information": np.asarray(e.information),
        "weight_information": np.asarray(e.weight_information),
        "cost": np.asarray(e.entropy) + np.asarray(e.heat),
    }
    out: dict[str, float] = {}
    for key, v in cols.items():
        out[key] = float(v.mean())
        out[key + "_se"] = float(v.std(ddof=1) / np.sqrt(n)) if n > 1 else float("nan")
    i, c = cols["information"], cols["cost"]
    eta = i.mean() / c.mean()
    out["eta"] = float(eta)
    if n > 1:
        cov = np.cov(i, c, ddof=1) / n
        var = (cov[0, 0] - 2 * eta * cov[0, 1] + eta * eta * cov[1, 1]) / c.mean() ** 2
        out["eta_se"] = float(np.sqrt(max(var, 0.0)))
    else:
        out["eta_se"] = float("nan")
    return out

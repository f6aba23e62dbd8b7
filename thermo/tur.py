"""Thermodynamic uncertainty relation (chapter 5): exact current statistics and Monte Carlo.

Conventions: k_B T = 1, entropies in nats, rates per unit time.

* :func:`linear_current_statistics` -- for a linear diffusion ``dx = A x dt + sqrt(2D) dW``
  and a Stratonovich current ``J_t = int x^T M o dx``: the mean rate ``j``, the
  diffusion coefficient ``D_J = lim Var(J_t)/(2t)`` (scaled cumulant generating function,
  Lyapunov equations) and the total entropy production rate ``sigma``.
* :func:`linear_current_finite_time` -- exact mean and variance of ``J_t`` at finite t
  from a stationary start (the time-dependent quadratic ansatz, integrated as ODEs).
* :func:`tracking_model` -- the student-tracks-teacher model, closed form or numerics.
* :func:`tilted_generator_statistics` -- the same statistics for a jump process from
  the largest eigenvalue of the tilted generator (perturbation theory at s = 0).
* :func:`simulate_linear_current` -- Monte Carlo of ``J_t`` on stationary trajectories
  (exact Gaussian step, midpoint current), chunked with their own generators so that
  the result depends only on ``seed``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.integrate import solve_ivp
from scipy.linalg import cholesky, expm, solve_continuous_lyapunov

from thermo._numba import jit
from thermo._validate import check_choice, check_int, check_positive
from thermo.random import SeedLike, chunks
from thermo.theory.tur import tracking_closed_form

__all__ = [
    "CurrentStatistics",
    "JumpCurrentStatistics",
    "LinearCurrentMC",
    "TrackingModel",
    "block_variance",
    "information_weight",
    "linear_current_finite_time",
    "linear_current_statistics",
    "ring_rates",
    "scheme_mean_rate",
    "simulate_linear_current",
    "tilted_generator_statistics",
    "tracking_matrices",
    "tracking_model",
]


def _check_linear(A, D, M):
    A = np.atleast_2d(np.asarray(A, dtype=float))
    D = np.atleast_2d(np.asarray(D, dtype=float))
    M = np.atleast_2d(np.asarray(M, dtype=float))
    n = A.shape[0]
    if A.shape != (n, n) or D.shape != (n, n) or M.shape != (n, n):
        raise ValueError(
            f"A, D and M must be square of one size; got {A.shape}, {D.shape}, {M.shape}"
        )
    if not (np.all(np.isfinite(A)) and np.all(np.isfinite(D)) and np.all(np.isfinite(M))):
        raise ValueError("A, D and M must be finite")
    if not np.allclose(D, D.T):
        raise ValueError("D must be symmetric")
    if np.linalg.eigvalsh(D).min() <= 0:
        raise ValueError("D must be positive definite (all eigenvalues > 0)")
    if np.linalg.eigvals(A).real.max() >= 0:
        raise ValueError("A must be stable (all eigenvalues with real part < 0)")
    return A, D, M


@dataclass(frozen=True)
class CurrentStatistics:
    """Long-time statistics of a current: ``mean`` j (per unit time), ``D_J``
    (Var(J_t) ~ 2 D_J t), ``sigma`` (total entropy production rate), ``covariance``
    (stationary), and ``Q_TUR = 2 D_J sigma / j^2`` (>= 2 by the TUR)."""

    mean: float
    D_J: float
    sigma: float
    covariance: np.ndarray = field(repr=False)

    @property
    def Q_TUR(self) -> float:
        return 2.0 * self.D_J * self.sigma / self.mean**2


def _lyap(A, C):
    """K with A^T K + K A + C = 0."""
    K = solve_continuous_lyapunov(A.T, -C)
    return 0.5 * (K + K.T)


def linear_current_statistics(A, D, M) -> CurrentStatistics:
    """Exact long-time statistics of ``J_t = int x^T M o dx`` for ``dx = A x dt + sqrt(2D) dW``.

    Scaled cumulant generating function from the ansatz ``exp(x^T K x / 2)``,
    ``K = s K1 + s^2 K2``::

        A^T K1 + K1 A + (M A + A^T M^T) = 0,            j = tr(D K1) + tr(M D)
        A^T K2 + K2 A + 2 K1 D K1 + 2 (M D K1 + K1 D M^T) + 2 M D M^T = 0,
                                                        D_J = tr(D K2)

    and ``sigma = tr[(A + D S^-1)^T D^-1 (A + D S^-1) S]`` with ``A S + S A^T + 2D = 0``.

    Raises
    ------
    ValueError
        If shapes differ, D is not symmetric positive definite or A is not stable.
    """
    A, D, M = _check_linear(A, D, M)
    S = solve_continuous_lyapunov(A, -2.0 * D)
    S = 0.5 * (S + S.T)
    K1 = _lyap(A, M @ A + A.T @ M.T)
    MD = M @ D
    K2 = _lyap(A, 2.0 * K1 @ D @ K1 + 2.0 * (MD @ K1 + K1 @ MD.T) + 2.0 * MD @ M.T)
    j = float(np.trace(D @ K1) + np.trace(MD))
    D_J = float(np.trace(D @ K2))
    nu = A + D @ np.linalg.inv(S)
    sigma = float(np.trace(nu.T @ np.linalg.solve(D, nu) @ S))
    return CurrentStatistics(mean=j, D_J=D_J, sigma=sigma, covariance=S)


def scheme_mean_rate(A, D, M, dt: float) -> float:
    """Exact mean rate of the *discretised* current of :func:`simulate_linear_current`.

    The simulation takes exact Gaussian steps ``x' = E x + noise`` with ``E = expm(A dt)`` from
    the stationary state (covariance ``S``) and sums the midpoint increments
    ``(x + x')^T M (x' - x) / 2``. Per step their mean is ``tr[M (E S - S E^T)] / 2``, so the
    rate differs from the continuum :func:`linear_current_statistics` mean at order ``dt``.

    Parameters
    ----------
    A, D, M : array_like
        Drift, diffusion and current matrices as in :func:`linear_current_statistics`.
    dt : float
        Time step (> 0).
    """
    A, D, M = _check_linear(A, D, M)
    dt = check_positive("dt", dt)
    S = solve_continuous_lyapunov(A, -2.0 * D)
    S = 0.5 * (S + S.T)
    E = expm(A * dt)
    return float(0.5 * np.trace(M @ (E @ S - S @ E.T)) / dt)


def linear_current_finite_time(A, D, M, t) -> tuple[np.ndarray, np.ndarray]:
    """Exact mean and variance of ``J_t`` at times ``t`` (stationary start).

    ``E exp(s J_t) = det(1 - S K(t))^(-1/2) exp(phi(t))`` with ``K(0) = 0``, ``phi(0) = 0``
    and ``K' = `` the quadratic form of :func:`linear_current_statistics` (time-dependent),
    ``phi' = tr(D K) + s tr(M D)``; expanded to second order in s and integrated
    (rtol 1e-12). Returns ``(mean, var)`` arrays shaped like ``t``.
    """
    A, D, M = _check_linear(A, D, M)
    t = np.atleast_1d(np.asarray(t, dtype=float))
    if np.any(t < 0) or not np.all(np.isfinite(t)):
        raise ValueError("t must be finite and >= 0")
    n = A.shape[0]
    S = solve_continuous_lyapunov(A, -2.0 * D)
    S = 0.5 * (S + S.T)
    MD = M @ D
    C1 = M @ A + A.T @ M.T
    trMD = np.trace(MD)

    def rhs(_, y):
        K1 = y[: n * n].reshape(n, n)
        K2 = y[n * n : 2 * n * n].reshape(n, n)
        dK1 = A.T @ K1 + K1 @ A + C1
        dK2 = A.T @ K2 + K2 @ A + 2 * K1 @ D @ K1 + 2 * (MD @ K1 + K1 @ MD.T) + 2 * MD @ M.T
        return np.concatenate(
            [dK1.ravel(), dK2.ravel(), [np.trace(D @ K1) + trMD, np.trace(D @ K2)]]
        )

    order = np.argsort(t)
    sol = solve_ivp(rhs, (0.0, float(t.max())), np.zeros(2 * n * n + 2), t_eval=t[order],
                    method="DOP853", rtol=1e-12, atol=1e-14)  # fmt: skip
    mean = np.empty_like(t)
    var = np.empty_like(t)
    for col, i in enumerate(order):
        y = sol.y[:, col]
        K1 = y[: n * n].reshape(n, n)
        K2 = y[n * n : 2 * n * n].reshape(n, n)
        SK1 = S @ K1
        mean[i] = y[-2] + 0.5 * np.trace(SK1)
        var[i] = 2.0 * y[-1] + np.trace(S @ K2) + 0.5 * np.trace(SK1 @ SK1)
    return mean, var


# ----------------------------------------------------------------------------- tracking model


def tracking_matrices(gamma: float, kappa: float, k: float, D_B: float = 1.0, D_w: float = 1.0):
    """Drift ``A`` and diffusion ``D`` of ``x = (B, w)`` for the tracking model."""
    tracking_closed_form(gamma, kappa, k, D_B, D_w)  # validates
    A = np.array([[-gamma, 0.0], [kappa, -k]], dtype=float)
    D = np.diag([float(D_B), float(D_w)])
    return A, D


def information_weight(S: np.ndarray, index: int = 1) -> np.ndarray:
    """Matrix M with ``x^T M o dx = d_w i(w, B) o dw`` for the Gaussian stationary state.

    ``d_w i = -(S^-1 x)_w + w / S_ww`` (``w`` = component ``index``); only column ``index``
    of M is non-zero.
    """
    S = np.asarray(S, dtype=float)
    n = S.shape[0]
    e = np.zeros(n)
    e[index] = 1.0
    M = np.zeros((n, n))
    M[:, index] = -np.linalg.solve(S, e) + e / S[index, index]
    return M


@dataclass(frozen=True)
class TrackingModel:
    """Statistics of the student's information current J_I in the tracking model.

    ``sigma`` total entropy production rate, ``l_w`` learning rate (= speed v),
    ``D_I`` (Var J_I ~ 2 D_I t; reliability R = 1/(2 D_I)), ``Q_TUR = 2 D_I sigma/l_w^2``,
    ``sigma_w`` student's partial entropy production, ``Q_part = 2 D_I sigma_w/l_w^2``,
    ``covariance`` the stationary covariance of (B, w), ``method`` how it was computed.
    """

    gamma: float
    kappa: float
    k: float
    D_B: float
    D_w: float
    sigma: float
    l_w: float
    D_I: float
    Q_TUR: float
    sigma_w: float
    Q_part: float
    I_ss: float
    covariance: np.ndarray = field(repr=False)
    method: str = "closed"

    @property
    def eta(self) -> float:
        """Efficiency l_w / sigma."""
        return self.l_w / self.sigma

    @property
    def reliability(self) -> float:
        """R = lim t / Var(J_I(t)) = 1/(2 D_I)."""
        return 1.0 / (2.0 * self.D_I)


def tracking_model(gamma: float, kappa: float, k: float, D_B: float = 1.0, D_w: float = 1.0,
                   method: str = "closed") -> TrackingModel:  # fmt: skip
    """The tracking model's sigma, l_w, D_I, Q_TUR and stationary covariance.

    ``method="closed"`` uses the closed forms (:mod:`thermo.theory.tur`);
    ``method="numeric"`` the Lyapunov / scaled-cumulant method
    (:func:`linear_current_statistics`) with the partial entropy production
    ``sigma_w = <nu_w^2>/D_w`` from the mean local velocity.

    Raises
    ------
    ValueError
        If gamma, k, D_B, D_w are not > 0, kappa is zero or not finite, or method unknown.
    """
    check_choice("method", method, ("closed", "numeric"))
    c = tracking_closed_form(gamma, kappa, k, D_B, D_w)
    kw = dict(gamma=float(gamma), kappa=float(kappa), k=float(k), D_B=float(D_B), D_w=float(D_w))
    if method == "closed":
        S = np.array([[c["S_BB"], c["S_wB"]], [c["S_wB"], c["S_ww"]]])
        return TrackingModel(**kw, sigma=c["sigma"], l_w=c["l_w"], D_I=c["D_I"], Q_TUR=c["Q_TUR"],
                             sigma_w=c["sigma_w"], Q_part=c["Q_part"], I_ss=c["I_ss"],
                             covariance=S, method="closed")  # fmt: skip
    A, D = tracking_matrices(gamma, kappa, k, D_B, D_w)
    S = solve_continuous_lyapunov(A, -2.0 * D)
    S = 0.5 * (S + S.T)
    st = linear_current_statistics(A, D, information_weight(S))
    nu = A + D @ np.linalg.inv(S)
    sigma_w = float(nu[1] @ S @ nu[1] / D[1, 1])
    rho2 = S[0, 1] ** 2 / (S[0, 0] * S[1, 1])
    return TrackingModel(**kw, sigma=st.sigma, l_w=st.mean, D_I=st.D_J, Q_TUR=st.Q_TUR,
                         sigma_w=sigma_w, Q_part=2.0 * st.D_J * sigma_w / st.mean**2,
                         I_ss=float(-0.5 * np.log1p(-rho2)), covariance=S,
                         method="numeric")  # fmt: skip


# ----------------------------------------------------------------------------- jump processes


@dataclass(frozen=True)
class JumpCurrentStatistics:
    """Long-time statistics of a jump current: ``mean``, ``D_J``, ``sigma``, stationary ``p``."""

    mean: float
    D_J: float
    sigma: float
    p: np.ndarray = field(repr=False)

    @property
    def Q_TUR(self) -> float:
        return 2.0 * self.D_J * self.sigma / self.mean**2


def tilted_generator_statistics(rates, increments) -> JumpCurrentStatistics:
    """Mean, diffusion coefficient and entropy production of a jump current.

    Parameters
    ----------
    rates : (n, n) array
        ``rates[i, j]`` = rate of the jump i -> j (>= 0; diagonal ignored). Every jump
        must have its reverse (``rates[j, i] > 0``), otherwise sigma is infinite.
    increments : (n, n) array
        ``increments[i, j]`` = increment d_ij of the current on the jump i -> j,
        antisymmetric.

    Notes
    -----
    The tilted generator ``L(s)[j, i] = rates[i, j] exp(s d_ij)`` (j != i), with minus the
    escape rates on the diagonal; ``j = lambda'(0)`` and ``2 D_J = lambda''(0)`` of its
    largest eigenvalue, by first- and second-order perturbation theory around the
    stationary state (exact to rounding). ``sigma = sum_{i<j} J_ij ln(p_i k_ij/(p_j k_ji))``.

    Raises
    ------
    ValueError
        On negative or non-finite rates, one-way jumps, non-antisymmetric increments.
    """
    W = np.array(rates, dtype=float)
    d = np.asarray(increments, dtype=float)
    n = W.shape[0]
    if W.shape != (n, n) or d.shape != (n, n):
        raise ValueError(
            f"rates and increments must be square of one size; got {W.shape}, {d.shape}"
        )
    np.fill_diagonal(W, 0.0)
    if not np.all(np.isfinite(W)) or np.any(W < 0):
        raise ValueError("rates must be finite and >= 0")
    if np.any((W > 0) != (W.T > 0)):
        raise ValueError("every jump i -> j needs its reverse j -> i (rates[j, i] > 0)")
    if not np.all(np.isfinite(d)) or not np.allclose(d, -d.T):
        raise ValueError("increments must be finite and antisymmetric (d_ij = -d_ji)")
    L0 = W.T - np.diag(W.sum(axis=1))
    L1 = (W * d).T
    L2 = (W * d * d).T
    # stationary state: L0 p = 0, sum p = 1
    aug = np.vstack([L0, np.ones(n)])
    rhs = np.zeros(n + 1)
    rhs[-1] = 1.0
    p = np.linalg.lstsq(aug, rhs, rcond=None)[0]
    if np.any(p < -1e-12):
        raise ValueError("the stationary state is not unique (rates not irreducible)")
    lam1 = float(np.sum(L1 @ p))
    r = -(L1 @ p - lam1 * p)
    rhs = np.concatenate([r, [0.0]])
    x1 = np.linalg.lstsq(aug, rhs, rcond=None)[0]
    lam2 = float(np.sum(L2 @ p) + 2.0 * np.sum(L1 @ x1))
    flux = p[:, None] * W
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(W > 0, (flux - flux.T) * np.log(flux / flux.T), 0.0)
    sigma = float(0.5 * terms.sum())
    return JumpCurrentStatistics(mean=lam1, D_J=0.5 * lam2, sigma=sigma, p=p)


def ring_rates(n_sites: int, V0: float = 0.0, f: float = 0.0, D: float = 1.0):
    """Rates and displacement increments of overdamped diffusion on a ring of length 1.

    Potential ``V(x) = V0 cos(2 pi x)``, force ``f``, ``n_sites`` sites spaced ``h = 1/n``:
    ``k_{i -> i+-1} = (D/h^2) exp(-(V_{i+-1} - V_i -+ f h)/2)`` (k_B T = 1), which is
    thermodynamically consistent and tends to the Fokker-Planck dynamics as h -> 0.
    With ``V0 = 0`` it is a biased random walk with ``A = f h`` per step.
    Returns ``(rates, increments)`` for :func:`tilted_generator_statistics`.
    """
    n = check_int("n_sites", n_sites, minimum=3)
    D = check_positive("D", D)
    h = 1.0 / n
    x = np.arange(n) * h
    V = float(V0) * np.cos(2 * np.pi * x)
    W = np.zeros((n, n))
    d = np.zeros((n, n))
    for i in range(n):
        ip, im = (i + 1) % n, (i - 1) % n
        W[i, ip] = D / h**2 * np.exp(-(V[ip] - V[i] - f * h) / 2.0)
        W[i, im] = D / h**2 * np.exp(-(V[im] - V[i] + f * h) / 2.0)
        d[i, ip] = h
        d[i, im] = -h
    return W, d


# ----------------------------------------------------------------------------- Monte Carlo


@jit
def _mc_chunk(x, E, L, M, n_steps, rec_every, rng, out):
    """Advance stationary states ``x`` (m, n) by exact Gaussian steps ``x' = E x + L z``,
    accumulating the midpoint current; ``out[r, i]`` = J at step (r+1)*rec_every."""
    m, n = x.shape
    z = np.empty(n)
    xn = np.empty(n)
    for a in range(m):
        J = 0.0
        r = 0
        for step in range(n_steps):
            for i in range(n):
                z[i] = rng.standard_normal()
            for i in range(n):
                acc = 0.0
                for c in range(n):
                    acc += E[i, c] * x[a, c]
                for c in range(i + 1):
                    acc += L[i, c] * z[c]
                xn[i] = acc
            for i in range(n):
                g = 0.0
                for c in range(n):
                    g += 0.5 * (x[a, c] + xn[c]) * M[c, i]
                J += g * (xn[i] - x[a, i])
            for i in range(n):
                x[a, i] = xn[i]
            if (step + 1) % rec_every == 0:
                out[r, a] = J
                r += 1


@dataclass(frozen=True)
class LinearCurrentMC:
    """Monte Carlo currents: ``times`` (n_rec,), ``J`` (n_rec, n_traj), ``dt``."""

    times: np.ndarray
    J: np.ndarray = field(repr=False)
    dt: float

    @property
    def mean(self) -> np.ndarray:
        return self.J.mean(axis=1)

    @property
    def var(self) -> np.ndarray:
        return self.J.var(axis=1, ddof=1)


def simulate_linear_current(A, D, M, duration: float, n_traj: int, dt: float = 1e-3,
                            record_every: int = 1, seed: SeedLike = None,
                            chunk_size: int = 256) -> LinearCurrentMC:  # fmt: skip
    """Monte Carlo of ``J_t = int x^T M o dx`` on ``n_traj`` stationary trajectories.

    Each step is the exact Gaussian transition of the linear diffusion over ``dt``
    (``E = exp(A dt)``, covariance ``S - E S E^T``), the current the midpoint sum
    ``sum ((x_k + x_{k+1})/2)^T M (x_{k+1} - x_k)`` (Stratonovich; its mean is biased by
    O(dt)). Initial states are drawn from the stationary Gaussian. Trajectories run in
    chunks of ``chunk_size`` with their own generators (result depends only on ``seed``).

    (The core :func:`thermo.langevin.simulate` integrates one coordinate in a potential;
    the tracking model is two-dimensional and non-gradient, hence this integrator.)
    """
    A, D, M = _check_linear(A, D, M)
    duration = check_positive("duration", duration)
    dt = check_positive("dt", dt)
    n_traj = check_int("n_traj", n_traj, minimum=2)
    record_every = check_int("record_every", record_every, minimum=1)
    n_steps = round(duration / dt)
    if n_steps < record_every:
        raise ValueError(f"duration/dt = {n_steps} must be >= record_every = {record_every}")
    n = A.shape[0]
    S = solve_continuous_lyapunov(A, -2.0 * D)
    S = 0.5 * (S + S.T)
    E = expm(A * dt)
    C = S - E @ S @ E.T
    Lc = cholesky(0.5 * (C + C.T), lower=True)
    Ls = cholesky(S, lower=True)
    n_rec = n_steps // record_every
    out = np.empty((n_rec, n_traj))
    for ch in chunks(seed, n_traj, chunk_size):
        m = ch.stop - ch.start
        x = ch.rng.standard_normal((m, n)) @ Ls.T
        buf = np.empty((n_rec, m))
        _mc_chunk(np.ascontiguousarray(x), E, Lc, M, n_steps, record_every, ch.rng, buf)
        out[:, ch.start : ch.stop] = buf
    times = dt * record_every * np.arange(1, n_rec + 1)
    return LinearCurrentMC(times=times, J=out, dt=dt)


def block_variance(J: np.ndarray, times: np.ndarray, t_block: float) -> tuple[float, float, int]:
    """Var(block increment)/t_b from one long record ``J(times)`` (uniform grid from dt).

    Returns ``(estimate, standard error, n_blocks)``. The standard error uses the sample
    fourth moment (increments of short blocks are far from Gaussian) and treats blocks as
    independent, which holds once ``t_block`` exceeds the relaxation time.
    """
    J = np.asarray(J, dtype=float)
    times = np.asarray(times, dtype=float)
    step = times[0]
    every = round(float(t_block) / float(step))
    if every < 1:
        raise ValueError(f"t_block must be >= the record step {step}")
    Jb = np.concatenate([[0.0], J[every - 1 :: every]])
    inc = np.diff(Jb)
    nb = inc.size
    if nb < 3:
        raise ValueError(f"need >= 3 blocks; got {nb}")
    var = inc.var(ddof=1)
    m4 = np.mean((inc - inc.mean()) ** 4)
    se_var = np.sqrt(max(m4 - var**2 * (nb - 3) / (nb - 1), 0.0) / nb)
    tb = every * step
    return float(var / tb), float(se_var / tb), nb

"""Integral fluctuation theorem for learning (chapter 4): exact and sampled averages.

Units: k_B T = 1, entropies and information in nats. The theorem itself
(``<exp(-(ds_w + q) + i(w; D) - sum_k i_tr^k)> = 1``) is OUR derivation in the
Sagawa--Ueda / Ito--Sagawa framework; see ``shared/physics/04-fluctuation-theorem.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr

from thermo._numba import jit
from thermo._validate import check_int, check_nonnegative, check_positive
from thermo.parallel import map_chunks
from thermo.random import SeedLike, as_generator, as_seed_sequence, chunks
from thermo.stats import exp_average

__all__ = [
    "GaussianLearningModel",
    "HebbianExact",
    "IFTEstimate",
    "IFTMoments",
    "euler_conditional",
    "hebbian_conditional",
    "hebbian_exact",
    "hebbian_ift_moments",
    "hebbian_ift_samples",
    "hebbian_inputs",
    "hebbian_langevin",
    "ift_estimate",
    "ift_gaussian_exact",
    "lognormal_ift_estimates",
    "samples_needed",
]


def ift_gaussian_exact(H, h, c: float = 0.0) -> float:
    """Exact ``<exp(-Sigma)>`` for ``Sigma = z^T H z + h.z + c`` with ``z ~ N(0, I)``.

    Parameters
    ----------
    H : array_like, shape (n, n)
        Symmetric matrix of the quadratic form (dimensionless, nats).
    h : array_like, shape (n,)
        Linear coefficients (nats).
    c : float
        Constant (nats).

    Returns
    -------
    float
        ``det(I + 2H)^(-1/2) exp(h^T (I + 2H)^(-1) h / 2 - c)``; ``inf`` when
        ``I + 2H`` is not positive definite (the average diverges).
    """
    H = np.atleast_2d(np.asarray(H, dtype=float))
    h = np.atleast_1d(np.asarray(h, dtype=float))
    if H.ndim != 2 or H.shape[0] != H.shape[1]:
        raise ValueError(f"H must be a square matrix, got shape {H.shape}")
    if h.shape != (H.shape[0],):
        raise ValueError(f"h must have shape ({H.shape[0]},), got {h.shape}")
    if not np.allclose(H, H.T, rtol=1e-12, atol=1e-12):
        raise ValueError("H must be symmetric")
    if not np.isfinite(c):
        raise ValueError(f"c must be finite, got {c}")
    return float(_exp_average_many(H, h[None, :], c)[0])


@dataclass(frozen=True)
class IFTEstimate:
    """Sample estimate of ``<exp(-Sigma)>``.

    Attributes
    ----------
    value : float
        Sample mean of ``exp(-Sigma)`` (unbiased).
    stderr : float
        Standard error of ``value`` (meaningless when Var e^{-Sigma} is infinite).
    var_sigma : float
        Sample variance of Sigma (nats^2); reliable estimates need n >> exp(var_sigma).
    mean_sigma : float
        Sample mean of Sigma (nats).
    n : int
        Number of samples.
    """

    value: float
    stderr: float
    var_sigma: float
    mean_sigma: float
    n: int


def ift_estimate(sigma) -> IFTEstimate:
    """Estimate ``<exp(-Sigma)>`` from trajectory samples of Sigma (nats).

    Raises
    ------
    ValueError
        If fewer than two samples or any non-finite sample is given.
    """
    s = np.asarray(sigma, dtype=float).ravel()
    if s.size < 2:
        raise ValueError(f"sigma needs at least 2 samples, got {s.size}")
    if not np.all(np.isfinite(s)):
        raise ValueError("sigma must be finite")
    avg = exp_average(s)
    return IFTEstimate(
        value=avg.value,
        stderr=avg.se,
        var_sigma=float(s.var(ddof=1)),
        mean_sigma=float(s.mean()),
        n=int(s.size),
    )


def hebbian_conditional(
    t, k: float = 1.0, nu: float = 1.0, T: float = 1.0, c0: float | None = None
):
    """Hebbian conditional density ``p(w_t | D) = N(m(t) y + e^{-kt}<w_0>, c(t) I)``.

    Parameters
    ----------
    t : float or array_like
        Times (>= 0).
    k, nu, T : float
        Spring constant (> 0), learning rate (>= 0), temperature (> 0).
    c0 : float, optional
        Initial variance per component (>= 0); default ``T/k`` (equilibrium start).

    Returns
    -------
    (m, decay, c) : tuple of arrays
        ``m(t) = nu (1 - e^{-kt})/k``, ``decay = e^{-kt}`` and
        ``c(t) = e^{-2kt} c0 + (T/k)(1 - e^{-2kt})``.
    """
    if not k > 0:
        raise ValueError(f"k must be > 0, got {k}")
    if not nu >= 0:
        raise ValueError(f"nu must be >= 0, got {nu}")
    if not T > 0:
        raise ValueError(f"T must be > 0, got {T}")
    if c0 is None:
        c0 = T / k
    if not c0 >= 0:
        raise ValueError(f"c0 must be >= 0, got {c0}")
    t = np.asarray(t, dtype=float)
    if np.any(t < 0) or not np.all(np.isfinite(t)):
        raise ValueError("t must be finite and >= 0")
    decay = np.exp(-k * t)
    m = nu * (1.0 - decay) / k
    c = decay**2 * c0 + (T / k) * (1.0 - decay**2)
    return m, decay, c


def _lg(x, m, v):
    return -0.5 * np.log(2.0 * np.pi * v) - (x - m) ** 2 / (2.0 * v)


def _regress(Lx, Ly):
    """Regression of x on y for z ~ N(0, I): coefficients and conditional covariance."""
    Lx = np.atleast_2d(Lx)
    Ly = np.atleast_2d(Ly)
    Cxy = Lx @ Ly.T
    A = np.linalg.solve(Ly @ Ly.T, Cxy.T).T
    return A, float(np.squeeze(Lx @ Lx.T - A @ Cxy.T))


def _polarise(S, n: int, quadratic: bool = True):
    """``(H, h, c)`` of a quadratic function ``S(z) = z^T H z + h.z + c`` on R^n, exactly.

    Reads the coefficients off ``S`` at ``0``, ``+-e_i`` and ``e_i + e_j``; with
    ``quadratic=False`` only ``h`` and ``c`` are computed (``H`` is returned as ``None``).
    """
    E = np.eye(n)
    c = S(np.zeros(n))
    plus = np.array([S(E[i]) for i in range(n)])
    minus = np.array([S(-E[i]) for i in range(n)])
    h = (plus - minus) / 2
    if not quadratic:
        return None, h, c
    H = np.diag((plus + minus) / 2 - c)
    for i in range(n):
        for j in range(i + 1, n):
            H[i, j] = H[j, i] = (S(E[i] + E[j]) - c - h[i] - h[j] - H[i, i] - H[j, j]) / 2
    return H, h, c


VERSIONS = ("generalised", "teacher", "no_transfer", "plain")


@dataclass(frozen=True)
class GaussianLearningModel:
    """Exactly solvable Gaussian learning model (physics note 04, section 6a) [derived].

    One-dimensional student ``dw = (-k w + nu d_k) dt + noise`` (T = 1) during sample
    interval ``k`` of length ``dt``; ``w_0 ~ N(0, 1)``, ``B ~ N(0, 1)``, data
    ``d_k = B - a w(t_k) + eta_k`` with ``eta_k ~ N(0, noise^2)``; ``a = 0`` is no feedback.
    All latents ``z = (w_0, B, eta_1..K, xi_1..K)`` are standard normal; Sigma is an exact
    quadratic form in ``z``.
    """

    a: float = 0.0
    K: int = 4
    dt: float = 0.5
    k: float = 1.0
    nu: float = 0.7
    noise: float = 0.5

    def __post_init__(self):
        if not np.isfinite(self.a):
            raise ValueError(f"a must be finite, got {self.a}")
        if not (isinstance(self.K, int | np.integer) and self.K >= 1):
            raise ValueError(f"K must be an integer >= 1, got {self.K}")
        for name in ("dt", "k", "noise"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be > 0, got {getattr(self, name)}")
        if not np.isfinite(self.nu):
            raise ValueError(f"nu must be finite, got {self.nu}")

    @property
    def n_latent(self) -> int:
        return 2 + 2 * self.K

    def _maps(self):
        n = self.n_latent
        E = np.eye(n)
        e = np.exp(-self.k * self.dt)
        sd = np.sqrt((1.0 - e * e) / self.k)
        w, d = [E[0]], []
        for j in range(self.K):
            dj = E[1] - self.a * w[-1] + self.noise * E[2 + j]
            d.append(dj)
            w.append(e * w[-1] + self.nu * dj * (1.0 - e) / self.k + sd * E[2 + self.K + j])
        return w, d

    def terms(self, z):
        """Terms ``(ds_w, q, i(w_tau; D), sum_k i_tr^k)`` at latent vector ``z`` (nats)."""
        z = np.asarray(z, dtype=float)
        w, d = self._maps()
        Dm = np.array(d)
        wt = w[-1]
        A, vc = _regress(wt, Dm)
        vm = float(wt @ wt)
        ws = [x @ z for x in w]
        ds = [x @ z for x in d]
        q = 0.0
        for j in range(self.K):
            f = ds[j]
            q += (self.k * ws[j] ** 2 / 2 - self.nu * f * ws[j]) - (
                self.k * ws[j + 1] ** 2 / 2 - self.nu * f * ws[j + 1]
            )
        dsw = _lg(ws[0], 0.0, 1.0) - _lg(ws[-1], 0.0, vm)
        i = _lg(ws[-1], float((A @ (Dm @ z))[0]), vc) - _lg(ws[-1], 0.0, vm)
        tr = 0.0
        for j in range(self.K):
            Y1 = np.array(d[:j] + w[: j + 1])
            A1, v1 = _regress(d[j], Y1)
            m1 = float((A1 @ (Y1 @ z))[0])
            if j == 0:
                m0, v0 = 0.0, float(d[0] @ d[0])
            else:
                Y0 = np.array(d[:j])
                A0, v0 = _regress(d[j], Y0)
                m0 = float((A0 @ (Y0 @ z))[0])
            tr += _lg(ds[j], m1, v1) - _lg(ds[j], m0, v0)
        return dsw, q, i, tr

    def teacher_terms(self, z):
        """The alternative bookkeeping with the teacher as an explicit node (nats).

        Returns ``(i(w_tau; B, D), sum_k i_tr^k)`` with
        ``i_tr^k = ln p(d_k | B, w(t_k)) / p(d_k | B, d_<k)``.
        """
        z = np.asarray(z, dtype=float)
        w, d = self._maps()
        n = self.n_latent
        Bv = np.eye(n)[1]
        wt = w[-1]
        Y = np.array([Bv, *d])
        A, vc = _regress(wt, Y)
        i = _lg(wt @ z, float((A @ (Y @ z))[0]), vc) - _lg(wt @ z, 0.0, float(wt @ wt))
        tr = 0.0
        for j in range(self.K):
            dj = float(d[j] @ z)
            Y1 = np.array([Bv, w[j]])
            A1, v1 = _regress(d[j], Y1)
            Y0 = np.array([Bv, *d[:j]])
            A0, v0 = _regress(d[j], Y0)
            tr += _lg(dj, float((A1 @ (Y1 @ z))[0]), v1) - _lg(dj, float((A0 @ (Y0 @ z))[0]), v0)
        return i, tr

    def sigma(self, z, version: str = "generalised") -> float:
        """Sigma in nats for one latent vector ``z``.

        ``version``: ``"generalised"`` = ds_w + q - i(w; D) + sum i_tr (data bookkeeping);
        ``"teacher"`` = ds_w + q - i(w; B, D) + sum i_tr (teacher kept as a node);
        ``"no_transfer"`` = ds_w + q - i(w; D); ``"plain"`` = ds_w + q (Seifert).
        """
        if version not in VERSIONS:
            raise ValueError(f"version must be one of {VERSIONS}, got {version!r}")
        dsw, q, i, tr = self.terms(z)
        if version == "generalised":
            return dsw + q - i + tr
        if version == "teacher":
            i_b, tr_b = self.teacher_terms(z)
            return dsw + q - i_b + tr_b
        if version == "no_transfer":
            return dsw + q - i
        return dsw + q

    def tail_eigenvalue(self, version: str = "generalised") -> float:
        """Smallest eigenvalue of ``I + 4H``: ``<e^{-2 Sigma}>`` is finite only if it is > 0."""
        H, _h, _c = self.quadratic_form(version)
        return float(np.linalg.eigvalsh(np.eye(H.shape[0]) + 4.0 * H)[0])

    def second_moment(self, version: str = "generalised") -> float:
        """Exact ``<e^{-2 Sigma}>`` (``inf`` when ``I + 4H`` is not positive definite)."""
        H, h, c = self.quadratic_form(version)
        return ift_gaussian_exact(2.0 * H, 2.0 * h, 2.0 * c)

    def sample_sigma(self, n: int, version: str = "generalised", seed: SeedLike = None):
        """``n`` samples of Sigma (nats), from ``z ~ N(0, I)`` and the exact quadratic form."""
        n = check_int("n", n, minimum=2)
        H, h, c = self.quadratic_form(version)
        out = np.empty(n)
        for ch in chunks(seed, n, _IFT_CHUNK):
            z = ch.rng.standard_normal((ch.stop - ch.start, H.shape[0]))
            out[ch.start : ch.stop] = np.einsum("ni,ij,nj->n", z, H, z) + z @ h + c
        return out

    def quadratic_form(self, version: str = "generalised"):
        """Exact ``(H, h, c)`` with Sigma = z^T H z + h.z + c (read off by polarisation)."""
        return _polarise(lambda z: self.sigma(z, version), self.n_latent)

    def ift(self, version: str = "generalised") -> float:
        """Exact ``<exp(-Sigma)>`` for the chosen version."""
        return ift_gaussian_exact(*self.quadratic_form(version))

    def transfer_entropy(self) -> float:
        """Mean transfer entropy ``sum_k T_{w -> d_k}`` (nats); zero without feedback."""
        Hg, _hg, cg = self.quadratic_form("generalised")
        Hn, _hn, cn = self.quadratic_form("no_transfer")
        return float(np.trace(Hg) + cg - np.trace(Hn) - cn)

    def means(self) -> dict:
        """Exact means: ``cost`` = DS(w) + Q, ``I_wD`` = I(w_tau; D), ``I_wB`` = I(w_tau; B)."""
        Hc, _hc, cc = self.quadratic_form("plain")
        Hg, _hg, cg = self.quadratic_form("no_transfer")
        cost = float(np.trace(Hc) + cc)
        I_wD = cost - float(np.trace(Hg) + cg)
        w, _ = self._maps()
        wt = w[-1]
        rho2 = wt[1] ** 2 / (wt @ wt)
        return {"cost": cost, "I_wD": I_wD, "I_wB": float(-0.5 * np.log1p(-rho2))}


# --------------------------------------------------------------------------- Hebbian perceptron

_IFT_CHUNK = 2048  # runs per generator (fixed: the numbers do not depend on the thread count)
_P_MAX = 14  # labels are enumerated: 2^P mixture components


def _check_hebbian(tau, N, P, k, nu, xi):
    tau = check_nonnegative("tau", tau)
    N = check_int("N", N)
    P = check_int("P", P, maximum=_P_MAX)
    k = check_positive("k", k)
    nu = check_nonnegative("nu", nu)
    if xi is not None:
        xi = np.asarray(xi, dtype=float)
        if xi.shape != (P, N):
            raise ValueError(f"xi must have shape (P, N) = ({P}, {N}), got {xi.shape}")
        if not np.all(np.isfinite(xi)):
            raise ValueError("xi must be finite")
    return tau, N, P, k, nu, xi


def _all_labels(P: int) -> np.ndarray:
    """All 2^P label vectors in {-1, 1}^P, shape (2^P, P)."""
    return np.array(np.meshgrid(*[[-1.0, 1.0]] * P, indexing="ij")).reshape(P, -1).T


def hebbian_inputs(N: int, P: int, seed: SeedLike = None) -> np.ndarray:
    """Quenched +-1 inputs ``xi`` of shape (P, N), drawn from ``seed``."""
    N = check_int("N", N)
    P = check_int("P", P, maximum=_P_MAX)
    return as_generator(seed).choice([-1.0, 1.0], size=(P, N))


def _inputs_and_runs(seed, N, P, xi):
    """Inputs (drawn from the seed's first child unless given) and the runs' seed sequence."""
    xi_seq, run_seq = as_seed_sequence(seed).spawn(2)
    return (hebbian_inputs(N, P, xi_seq) if xi is None else xi), run_seq


def _ift_chunk(rng, n, xi, labels_all, k, nu, m, decay, c):
    _P, N = xi.shape
    sqN = np.sqrt(N)
    Y = labels_all @ xi / sqN  # (2^P, N) the Hebbian field of every label configuration
    idx = rng.integers(0, labels_all.shape[0], size=n)
    labels = labels_all[idx]
    y = Y[idx]
    w0 = rng.standard_normal((n, N)) / np.sqrt(k)
    wt = decay * w0 + m * y + np.sqrt(max(c - decay**2 / k, 0.0)) * rng.standard_normal((n, N))
    # potential V = k|w|^2/2 - nu w.y is constant in time: the heat is exact (telescoping)
    q = k * (np.sum(w0 * w0, 1) - np.sum(wt * wt, 1)) / 2 - nu * np.sum((w0 - wt) * y, 1)
    c0 = 1.0 / k
    lp0 = -0.5 * N * np.log(2 * np.pi * c0) - np.sum(w0 * w0, 1) / (2 * c0)
    # log N(wt; m Y_c, c I) for all components at once: one matrix product
    norm = -0.5 * N * np.log(2 * np.pi * c)
    comp = norm - (np.sum(wt * wt, 1)[:, None] - 2 * m * wt @ Y.T + m * m * np.sum(Y * Y, 1)) / (
        2 * c
    )
    lcond = comp[np.arange(n), idx]
    cmax = comp.max(axis=1)
    lmarg = cmax + np.log(np.mean(np.exp(comp - cmax[:, None]), axis=1))
    h = wt @ xi.T / sqN
    err = np.mean(np.where(h >= 0, 1.0, -1.0) != labels, axis=1)
    return lp0 - lmarg, q, lcond - lmarg, err


def hebbian_ift_samples(
    tau: float,
    n_runs: int,
    N: int = 10,
    P: int = 5,
    k: float = 1.0,
    nu: float = 1.0,
    seed: SeedLike = None,
    xi=None,
    threads: int | None = 1,
) -> dict:
    """Monte Carlo of the learning IFT in the Langevin Hebbian perceptron (T = 1).

    Quenched inputs ``xi`` (P x N; drawn with :func:`hebbian_inputs` from the first child of
    ``seed`` if not given), random labels ``sigma_T`` uniform in {-1, 1}^P, equilibrium start
    ``w_0 ~ N(0, I/k)``, the learning force ``(nu/sqrt N) sum_mu xi^mu sigma_T^mu`` switched on
    at t = 0, and the exact Ornstein-Uhlenbeck step to ``tau``. Densities are exact:
    ``p(w | sigma_T, xi)`` is Gaussian and ``p_tau(w | xi)`` the mixture over all ``2^P`` label
    configurations. Runs are split into fixed chunks with their own generators, so the numbers
    depend only on ``seed`` and the sizes, never on ``threads``.

    Parameters
    ----------
    tau : float
        Learning time (>= 0, units of the mobility times k_B T).
    n_runs : int
        Number of independent runs (>= 2).
    N, P : int
        Weights and patterns (1 <= P <= 14).
    k, nu : float
        Trap stiffness (> 0) and learning rate (>= 0).
    seed : int, SeedSequence, Generator or None
    xi : array_like, optional
        Inputs, shape (P, N).
    threads : int or None
        Threads for the chunks.

    Returns
    -------
    dict
        Arrays ``ds`` (Delta s_w), ``q`` (heat into the bath), ``i`` (i(w_tau; sigma_T | xi)),
        ``sigma`` = ds + q - i (nats) and ``train_error`` (fraction of the P patterns the
        student's output sign(w.xi/sqrt N) gets wrong), one entry per run; and ``xi``.
    """
    tau, N, P, k, nu, xi = _check_hebbian(tau, N, P, k, nu, xi)
    n = check_int("n_runs", n_runs, minimum=2)
    xi, run_seq = _inputs_and_runs(seed, N, P, xi)
    m, decay, c = (float(v) for v in hebbian_conditional(tau, k=k, nu=nu, T=1.0))
    labels_all = _all_labels(P)
    parts = map_chunks(
        lambda ch: _ift_chunk(ch.rng, ch.stop - ch.start, xi, labels_all, k, nu, m, decay, c),
        chunks(run_seq, n, _IFT_CHUNK),
        threads,
    )
    ds, q, i, err = (np.concatenate([p[j] for p in parts]) for j in range(4))
    return {"ds": ds, "q": q, "i": i, "sigma": ds + q - i, "train_error": err, "xi": xi}


@dataclass(frozen=True)
class HebbianExact:
    """Exact means of the Hebbian perceptron with quenched inputs (nats, k_B T = 1).

    Attributes
    ----------
    tau : float
        Learning time.
    heat : float
        Mean heat ``Q = (nu m - k m^2/2) sum_mu |xi^mu|^2 / N`` with ``m = nu (1 - e^{-k tau})/k``.
    pattern_information : ndarray, shape (P,)
        ``I(sigma_T^mu; sigma^mu)`` between each true label and the student's output.
    information_sum : float
        ``sum_mu I(sigma_T^mu; sigma^mu)`` (the PRL's information).
    train_error : float
        Mean fraction of wrongly reproduced labels.
    """

    tau: float
    heat: float
    pattern_information: np.ndarray
    information_sum: float
    train_error: float


def hebbian_exact(tau: float, xi, k: float = 1.0, nu: float = 1.0) -> HebbianExact:
    """Exact means of the Hebbian perceptron: heat, label information, training error.

    Given the labels, the field ``h^mu = w.xi^mu/sqrt N`` is Gaussian with mean
    ``m y.xi^mu/sqrt N`` and variance ``c |xi^mu|^2/N``; averaging over the ``2^P`` label
    configurations gives the joint law of ``(sigma_T^mu, sign h^mu)`` exactly. Equilibrium
    start ``w_0 ~ N(0, I/k)``.
    """
    xi = np.asarray(xi, dtype=float)
    if xi.ndim != 2:
        raise ValueError(f"xi must have shape (P, N), got {xi.shape}")
    P, N = xi.shape
    tau, N, P, k, nu, xi = _check_hebbian(tau, N, P, k, nu, xi)
    m, _decay, c = (float(v) for v in hebbian_conditional(tau, k=k, nu=nu, T=1.0))
    L = _all_labels(P)
    y = L @ xi / np.sqrt(N)  # (2^P, N)
    mean_h = m * (y @ xi.T) / np.sqrt(N)  # (2^P, P)
    sd_h = np.sqrt(c * np.sum(xi * xi, 1) / N)
    p_plus = ndtr(mean_h / sd_h)  # P(sign h^mu = +1 | labels)
    info = np.empty(P)
    for mu in range(P):
        joint = np.empty((2, 2))
        for a, s in enumerate((-1.0, 1.0)):
            sel = L[:, mu] == s
            pp = p_plus[sel, mu].mean()
            joint[a] = 0.5 * np.array([1 - pp, pp])
        pa = joint.sum(1, keepdims=True)
        pb = joint.sum(0, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.where(joint > 0, joint * np.log(joint / (pa * pb)), 0.0)
        info[mu] = terms.sum()
    err = float(np.mean(np.where(L > 0, 1 - p_plus, p_plus)))
    heat = (nu * m - k * m * m / 2) * float(np.sum(xi * xi)) / N
    return HebbianExact(float(tau), float(heat), info, float(info.sum()), err)


@jit
def _hebbian_euler_kernel(w, y, k, nu, dt, n_steps, rng, q_strat, q_ito):
    n, N = w.shape
    s2 = np.sqrt(2.0 * dt)
    for r in range(n):
        for _ in range(n_steps):
            for j in range(N):
                f0 = -k * w[r, j] + nu * y[r, j]
                dw = f0 * dt + s2 * rng.standard_normal()
                f1 = f0 - k * dw
                q_strat[r] += 0.5 * (f0 + f1) * dw  # midpoint (Stratonovich)
                q_ito[r] += f0 * dw  # pre-point (Ito): wrong by O(1), kept to show it
                w[r, j] += dw


def hebbian_langevin(
    tau: float,
    dt: float,
    n_runs: int,
    N: int = 10,
    P: int = 5,
    k: float = 1.0,
    nu: float = 1.0,
    seed: SeedLike = None,
    xi=None,
    threads: int | None = 1,
) -> dict:
    """Euler-Maruyama integration of the Hebbian Langevin perceptron with on-the-fly heat.

    ``dw = (-k w + nu y) dt + sqrt(2 dt) N(0, 1)`` per weight, ``y`` the Hebbian field of
    random labels on quenched inputs ``xi`` (as in :func:`hebbian_ift_samples`). The heat
    is accumulated as the Stratonovich (midpoint) sum ``sum F(w_mid) dw`` and, to show the
    difference, as the Ito (pre-point) sum. Gaussian draws per run and step: ``N``.

    Returns
    -------
    dict
        ``w0``, ``w`` (n_runs, N) initial and final weights; ``y`` (n_runs, N) the field;
        ``q_strat``, ``q_ito`` the two heat sums; ``q_potential`` = V(w_0) - V(w_tau)
        (k_B T); ``xi``; ``n_steps``.
    """
    tau = check_positive("tau", tau)
    dt = check_positive("dt", dt)
    _tau, N, P, k, nu, xi = _check_hebbian(tau, N, P, k, nu, xi)
    n = check_int("n_runs", n_runs)
    n_steps = max(1, round(tau / dt))
    xi, run_seq = _inputs_and_runs(seed, N, P, xi)
    labels_all = _all_labels(P)

    def work(ch):
        rng, m = ch.rng, ch.stop - ch.start
        y = labels_all[rng.integers(0, labels_all.shape[0], size=m)] @ xi / np.sqrt(N)
        w0 = rng.standard_normal((m, N)) / np.sqrt(k)
        w = w0.copy()
        qs, qi = np.zeros(m), np.zeros(m)
        _hebbian_euler_kernel(w, y, k, nu, tau / n_steps, n_steps, rng, qs, qi)
        return w0, w, y, qs, qi

    parts = map_chunks(work, chunks(run_seq, n, _IFT_CHUNK // 8), threads)
    w0, w, y, qs, qi = (np.concatenate([p[j] for p in parts]) for j in range(5))

    def V(x):
        return k * np.sum(x * x, 1) / 2 - nu * np.sum(x * y, 1)

    return {"w0": w0, "w": w, "y": y, "q_strat": qs, "q_ito": qi, "q_potential": V(w0) - V(w),
            "xi": xi, "n_steps": n_steps}  # fmt: skip


# --------------------------------------------------------------------------- estimator pitfalls


def lognormal_ift_estimates(
    var_sigma: float, n: int, n_repeat: int, seed: SeedLike = None
) -> np.ndarray:
    """Repeated IFT estimates for Gaussian ``Sigma ~ N(var/2, var)``, where ``<e^{-Sigma}> = 1``.

    Returns the ``n_repeat`` sample means of ``e^{-Sigma}``, each over ``n`` samples: their
    spread and the bias of ``-ln`` of them show the estimator's behaviour at a given Var Sigma.
    """
    v = check_nonnegative("var_sigma", var_sigma)
    n = check_int("n", n)
    n_repeat = check_int("n_repeat", n_repeat)
    out = np.empty(n_repeat)
    rows = max(1, _IFT_CHUNK * 64 // n)  # about 10^5 numbers per chunk
    for ch in chunks(seed, n_repeat, rows):
        s = 0.5 * v + np.sqrt(v) * ch.rng.standard_normal((ch.stop - ch.start, n))
        out[ch.start : ch.stop] = np.exp(-s).mean(axis=1)
    return out


def samples_needed(var_sigma, rel_error: float = 0.1):
    """Samples for a relative standard error ``rel_error`` of ``<e^{-Sigma}>``, Gaussian Sigma.

    For Gaussian Sigma with ``<e^{-Sigma}> = 1``, ``Var e^{-Sigma} = e^{Var Sigma} - 1``, so
    ``n = (e^{Var Sigma} - 1) / rel_error^2``; ``-ln`` of the mean is then biased upward by
    about ``(e^{Var Sigma} - 1) / (2 n)`` (delta method).
    """
    rel_error = check_positive("rel_error", rel_error)
    v = np.asarray(var_sigma, dtype=float)
    if np.any(v < 0) or not np.all(np.isfinite(v)):
        raise ValueError("var_sigma must be finite and >= 0")
    return np.expm1(v) / rel_error**2


def _exp_average_many(H, h, c):
    """``<exp(-(z^T H z + h.z + c))>`` for one ``H`` and many rows ``h`` (inf if divergent)."""
    A = np.eye(H.shape[0]) + 2.0 * H
    try:
        L = np.linalg.cholesky(A)
    except np.linalg.LinAlgError:
        return np.full(len(h), np.inf)
    logdet = 2.0 * np.sum(np.log(np.diag(L)))
    u = np.linalg.solve(L, np.asarray(h).T)
    return np.exp(-0.5 * logdet + 0.5 * np.sum(u * u, axis=0) - c)


@dataclass(frozen=True)
class IFTMoments:
    """Exact first and second moments of ``e^{-Sigma}`` (dimensionless).

    ``mean`` = <e^{-Sigma}> (1 for an exact IFT), ``second`` = <e^{-2 Sigma}>; the standard
    error of a sample mean over ``n`` runs is ``sqrt((second - mean^2)/n)``.
    """

    mean: float
    second: float

    def stderr(self, n: int) -> float:
        """Standard error of the sample mean of ``e^{-Sigma}`` over ``n`` runs."""
        return float(np.sqrt((self.second - self.mean**2) / n))


def hebbian_ift_moments(tau: float, xi, k: float = 1.0, nu: float = 1.0) -> dict:
    """Exact <e^{-Sigma}> and <e^{-2 Sigma}> of the Hebbian perceptron, two versions [derived].

    Given the labels, ``Sigma_gen = ds_w + q - i`` is a quadratic form in the 2N standard
    normal latents ``(sqrt(k) w_0, zeta)`` with a label-independent quadratic part, and the
    plain ``Sigma_plain = ds_w + q = Sigma_gen + i`` differs by ``i = ln p(w|y)/p(w)``, whose
    exponential ``p(w)/p(w|y)`` is the mean over label configurations of exponentials of
    LINEAR functions of ``w``. Both moments are therefore finite sums of Gaussian integrals
    (2^P x 4^P for the plain second moment), evaluated in closed form.

    Returns
    -------
    dict
        ``{"generalised": IFTMoments, "plain": IFTMoments}``.
    """
    xi = np.asarray(xi, dtype=float)
    if xi.ndim != 2:
        raise ValueError(f"xi must have shape (P, N), got {xi.shape}")
    P, N = xi.shape
    tau, N, P, k, nu, xi = _check_hebbian(tau, N, P, k, nu, xi)
    if P > 8:
        raise ValueError(f"P must be <= 8 for the exact second moment (4^P terms), got {P}")
    m, a, c = (float(v) for v in hebbian_conditional(tau, k=k, nu=nu, T=1.0))
    s = np.sqrt(max(c - a * a / k, 0.0))
    Y = _all_labels(P) @ xi / np.sqrt(N)  # (2^P, N)
    n = 2 * N
    Aw0 = np.hstack([np.eye(N) / np.sqrt(k), np.zeros((N, N))])  # w_0 = Aw0 z
    Awt = np.hstack([a * np.eye(N) / np.sqrt(k), s * np.eye(N)])  # w_tau = Awt z + m y

    def sigma_gen(z, y):
        w0 = Aw0 @ z
        wt = Awt @ z + m * y
        V0 = k * w0 @ w0 / 2 - nu * w0 @ y
        V1 = k * wt @ wt / 2 - nu * wt @ y
        lp0 = -0.5 * N * np.log(2 * np.pi / k) - k * w0 @ w0 / 2
        lc = -0.5 * N * np.log(2 * np.pi * c) - (wt - m * y) @ (wt - m * y) / (2 * c)
        return lp0 - lc + V0 - V1

    # the quadratic part does not depend on the labels: read it off once
    H, _h, _c = _polarise(lambda z: sigma_gen(z, Y[0]), n)
    first = {"generalised": 0.0, "plain": 0.0}
    second = {"generalised": 0.0, "plain": 0.0}
    for y in Y:
        _H, hy, cy = _polarise(lambda z, y=y: sigma_gen(z, y), n, quadratic=False)
        # ln p(w|Y_c) - ln p(w|y) = g_c.z + e_c (linear in z)
        g = (m / c) * (Y - y) @ Awt  # (2^P, n)
        e = (m / c) * (Y - y) @ (m * y) - m * m * (np.sum(Y * Y, 1) - y @ y) / (2 * c)
        first["generalised"] += _exp_average_many(H, hy[None], cy)[0]
        second["generalised"] += _exp_average_many(2 * H, 2 * hy[None], 2 * cy)[0]
        first["plain"] += np.mean(_exp_average_many(H, hy[None] - g, cy - e))
        pair_h = 2 * hy[None, None] - g[:, None] - g[None, :]
        pair_c = 2 * cy - e[:, None] - e[None, :]
        vals = _exp_average_many(2 * H, pair_h.reshape(-1, n), 0.0) * np.exp(-pair_c.ravel())
        second["plain"] += np.mean(vals)
    nY = len(Y)
    return {v: IFTMoments(first[v] / nY, second[v] / nY) for v in ("generalised", "plain")}


def euler_conditional(tau: float, dt: float, k: float = 1.0, nu: float = 1.0):
    """Exact conditional law of the Euler-Maruyama chain of :func:`hebbian_langevin`.

    After ``n = round(tau/dt)`` steps of ``w -> r w + nu y h + sqrt(2h) N(0,1)`` with
    ``h = tau/n`` and ``r = 1 - k h``: ``w_n = r^n w_0 + m_E y + N(0, v_E)`` with
    ``m_E = nu (1 - r^n)/k`` and ``v_E = 2h (1 - r^{2n})/(1 - r^2)``. As ``dt -> 0`` these
    tend to ``(e^{-k tau}, m(tau), c(tau) - e^{-2 k tau}/k)`` of :func:`hebbian_conditional`.

    Returns
    -------
    (m_E, decay_E, v_E) : tuple of float
    """
    tau = check_positive("tau", tau)
    dt = check_positive("dt", dt)
    k = check_positive("k", k)
    nu = check_nonnegative("nu", nu)
    n = max(1, round(tau / dt))
    h = tau / n
    r = 1.0 - k * h
    if not abs(r) < 1:
        raise ValueError(f"dt must satisfy k dt < 2 for a stable chain, got k dt = {k * h}")
    decay = r**n
    return nu * (1.0 - decay) / k, decay, 2.0 * h * (1.0 - r ** (2 * n)) / (1.0 - r * r)

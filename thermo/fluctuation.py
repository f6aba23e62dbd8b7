"""Integral fluctuation theorem for learning (chapter 4): exact and sampled averages.

Units: k_B T = 1, entropies and information in nats. The theorem itself
(``<exp(-(ds_w + q) + i(w; D) - sum_k i_tr^k)> = 1``) is OUR derivation in the
Sagawa--Ueda / Ito--Sagawa framework; see ``shared/physics/04-fluctuation-theorem.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "GaussianLearningModel",
    "IFTEstimate",
    "hebbian_conditional",
    "hebbian_ift_samples",
    "ift_estimate",
    "ift_gaussian_exact",
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
    A = np.eye(H.shape[0]) + 2.0 * H
    try:
        L = np.linalg.cholesky(A)
    except np.linalg.LinAlgError:
        return float("inf")
    logdet = 2.0 * np.sum(np.log(np.diag(L)))
    u = np.linalg.solve(L, h)
    return float(np.exp(-0.5 * logdet + 0.5 * u @ u - c))


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
    e = np.exp(-s)
    return IFTEstimate(
        value=float(e.mean()),
        stderr=float(e.std(ddof=1) / np.sqrt(s.size)),
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

    def sigma(self, z, version: str = "generalised") -> float:
        """Sigma: ``"generalised"`` = ds_w + q - i + sum i_tr, ``"no_transfer"``, ``"plain"``."""
        dsw, q, i, tr = self.terms(z)
        if version == "generalised":
            return dsw + q - i + tr
        if version == "no_transfer":
            return dsw + q - i
        if version == "plain":
            return dsw + q
        raise ValueError(f"version must be generalised, no_transfer or plain, got {version!r}")

    def quadratic_form(self, version: str = "generalised"):
        """Exact ``(H, h, c)`` with Sigma = z^T H z + h.z + c (read off by polarisation)."""
        n = self.n_latent
        E = np.eye(n)
        S = lambda z: self.sigma(z, version)  # noqa: E731
        c = S(np.zeros(n))
        H = np.zeros((n, n))
        h = np.zeros(n)
        for i in range(n):
            p, m = S(E[i]), S(-E[i])
            h[i] = (p - m) / 2
            H[i, i] = (p + m) / 2 - c
        for i in range(n):
            for j in range(i + 1, n):
                v = S(E[i] + E[j]) - c - h[i] - h[j] - H[i, i] - H[j, j]
                H[i, j] = H[j, i] = v / 2
        return H, h, c

    def ift(self, version: str = "generalised") -> float:
        """Exact ``<exp(-Sigma)>`` for the chosen version."""
        return ift_gaussian_exact(*self.quadratic_form(version))

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


def hebbian_ift_samples(
    tau: float,
    n_runs: int,
    N: int = 10,
    P: int = 5,
    k: float = 1.0,
    nu: float = 1.0,
    seed=None,
    xi=None,
) -> dict:
    """Monte Carlo of the learning IFT in the Langevin Hebbian perceptron (T = 1).

    Quenched inputs ``xi`` (P x N, +-1; drawn from ``seed`` if not given), random labels
    ``sigma_T`` uniform in {-1, 1}^P, equilibrium start ``w_0 ~ N(0, I/k)``, exact OU step
    to ``tau``. Densities are exact: ``p(w|sigma_T)`` Gaussian, ``p_tau(w)`` the mixture
    over all ``2^P`` label configurations.

    Returns
    -------
    dict
        Arrays ``ds`` (Delta s_w), ``q`` (heat), ``i`` (i(w_tau; sigma_T | xi)) and
        ``sigma`` = ds + q - i, all in nats, one entry per run.
    """
    from thermo.random import as_generator

    if not tau >= 0:
        raise ValueError(f"tau must be >= 0, got {tau}")
    if not (int(n_runs) == n_runs and n_runs >= 2):
        raise ValueError(f"n_runs must be an integer >= 2, got {n_runs}")
    if not (1 <= P <= 14):
        raise ValueError(f"P must be in [1, 14] (labels are enumerated), got {P}")
    if not N >= 1:
        raise ValueError(f"N must be >= 1, got {N}")
    if not k > 0:
        raise ValueError(f"k must be > 0, got {k}")
    rng = as_generator(seed)
    if xi is None:
        xi = rng.choice([-1.0, 1.0], size=(P, N))
    xi = np.asarray(xi, dtype=float)
    if xi.shape != (P, N):
        raise ValueError(f"xi must have shape ({P}, {N}), got {xi.shape}")
    n = int(n_runs)
    labels = rng.choice([-1.0, 1.0], size=(n, P))
    y = labels @ xi / np.sqrt(N)
    m, decay, c = hebbian_conditional(tau, k=k, nu=nu, T=1.0)
    w0 = rng.normal(size=(n, N)) / np.sqrt(k)
    wt = decay * w0 + m * y + np.sqrt(c - decay**2 / k) * rng.normal(size=(n, N))

    def V(w):
        return k * np.sum(w * w, axis=1) / 2 - nu * np.sum(w * y, axis=1)

    q = V(w0) - V(wt)
    c0 = 1.0 / k
    lp0 = -0.5 * N * np.log(2 * np.pi * c0) - np.sum(w0 * w0, axis=1) / (2 * c0)

    def lgauss(w, mean):
        return -0.5 * N * np.log(2 * np.pi * c) - np.sum((w - mean) ** 2, axis=1) / (2 * c)

    lcond = lgauss(wt, m * y)
    allabels = np.array(np.meshgrid(*[[-1.0, 1.0]] * P, indexing="ij")).reshape(P, -1).T
    Y = allabels @ xi / np.sqrt(N)
    comp = np.stack([lgauss(wt, m * Yc) for Yc in Y], axis=1)
    cmax = comp.max(axis=1, keepdims=True)
    lmarg = (cmax + np.log(np.mean(np.exp(comp - cmax), axis=1, keepdims=True)))[:, 0]
    ds = lp0 - lmarg
    i = lcond - lmarg
    return {"ds": ds, "q": q, "i": i, "sigma": ds + q - i}

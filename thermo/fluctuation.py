"""Integral fluctuation theorem for learning (chapter 4): exact and sampled averages.

Units: k_B T = 1, entropies and information in nats. The theorem itself
(``<exp(-(ds_w + q) + i(w; D) - sum_k i_tr^k)> = 1``) is OUR derivation in the
Sagawa--Ueda / Ito--Sagawa framework; see ``shared/physics/04-fluctuation-theorem.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "IFTEstimate",
    "hebbian_conditional",
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

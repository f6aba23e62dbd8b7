"""Closed forms of chapter 5 (thermodynamic uncertainty relation), k_B T = 1, nats.

The tracking model (``shared/physics/05-tur.md`` section 3, our derivation): a teacher
Ornstein-Uhlenbeck process ``dB = -gamma B dt + sqrt(2 D_B) dW_B`` followed by a student
``dw = (-k w + kappa B) dt + sqrt(2 D_w) dW_w``. Rates are per unit time; ``sigma`` and
``l_w`` in nats per unit time; ``D_I`` in nats^2 per unit time.
"""

from __future__ import annotations

import numpy as np

from thermo._validate import check_finite, check_positive

__all__ = [
    "biased_walk_quality",
    "tracking_closed_form",
]


def tracking_closed_form(
    gamma: float, kappa: float, k: float, D_B: float = 1.0, D_w: float = 1.0
) -> dict[str, float]:
    """Closed forms of the tracking model.

    Returns a dict with the stationary covariance entries ``S_BB``, ``S_wB``, ``S_ww``,
    ``I_ss`` (nats), ``sigma`` (total entropy production rate), ``l_w`` (learning rate),
    ``sigma_w = sigma - l_w`` (student's partial entropy production), ``eta = l_w/sigma``,
    ``Q_TUR = 2 [1 + sigma/(k + gamma)]``, ``D_I = Q_TUR l_w^2 / (2 sigma)`` and
    ``Q_part = 2 D_I sigma_w / l_w^2``.

    Raises
    ------
    ValueError
        If gamma, k, D_B or D_w is not > 0, or kappa is not finite and non-zero.
    """
    gamma = check_positive("gamma", gamma)
    k = check_positive("k", k)
    D_B = check_positive("D_B", D_B)
    D_w = check_positive("D_w", D_w)
    kappa = check_finite("kappa", kappa)
    if kappa == 0.0:
        raise ValueError("kappa must be non-zero (kappa != 0): no current without coupling")
    s = k + gamma
    S_BB = D_B / gamma
    S_wB = kappa * D_B / (gamma * s)
    S_ww = D_w / k + kappa**2 * D_B / (k * gamma * s)
    rho2 = S_wB**2 / (S_BB * S_ww)
    sigma = kappa**2 * D_B / (D_w * s)
    l_w = k * kappa**2 * D_B / (D_w * s**2 + kappa**2 * D_B)
    Q = 2.0 * (1.0 + sigma / s)
    D_I = Q * l_w**2 / (2.0 * sigma)
    sigma_w = sigma - l_w
    return {
        "S_BB": S_BB,
        "S_wB": S_wB,
        "S_ww": S_ww,
        "I_ss": -0.5 * np.log1p(-rho2),
        "sigma": sigma,
        "l_w": l_w,
        "sigma_w": sigma_w,
        "eta": l_w / sigma,
        "Q_TUR": Q,
        "D_I": D_I,
        "Q_part": 2.0 * D_I * sigma_w / l_w**2,
    }


def biased_walk_quality(ratio: float) -> float:
    """Q_TUR = A coth(A/2), A = ln(k_+/k_-), of a biased random walk (exact, any t).

    Raises
    ------
    ValueError
        If ``ratio = k_+/k_-`` is not > 0.
    """
    ratio = check_positive("ratio", ratio)
    a = np.log(ratio)
    if a == 0.0:
        return 2.0
    return float(a / np.tanh(a / 2.0))

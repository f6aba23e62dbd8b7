"""Entropy change of one weight, ``Delta S(w_n)``, from samples (chapter 2; nats).

Three values of the same quantity are compared:

* the closed form -- toy model: ``rl.toy_entropy(nu)`` (symmetric Gaussian mixture);
  Hebbian learning: ``(1/2) ln(1 + alpha nu^2)``;
* the Gaussian fit -- fit the conditional Gaussians of the sample and use the closed forms:
  toy model: ``m, v`` = mean and variance of ``F w`` (the weight given its label), ``v_0`` =
  variance of the initial weights, ``Delta S = (1/2) ln(v / v_0) + rl.toy_entropy(m/sqrt v)``;
  Hebbian learning: ``(1/2) ln(var w_final / var w_initial)``;
* the Kozachenko-Leonenko estimate ``H(w_final) - H(w_initial)`` of
  :func:`thermo.entropy_estimators.kl_entropy_change`, which assumes no functional form.

Samples (``n`` weights each, initial and final drawn independently):

* :func:`toy_weight_samples` -- final weights from the Langevin ramp
  (:func:`thermo.perceptron.random_labels.simulate_toy_ramp`, exact OU steps, so a coarse
  ``dt`` is exact for the relaxed final density); initial weights from the equilibrium
  density ``N(0, 1)`` of ``V = w^2/2`` in which every trajectory starts.
* :func:`hebb_weight_samples` -- ``w = nu F + z`` with ``F = (2B - P)/sqrt N``,
  ``B ~ Binomial(P, 1/2)``, ``P = round(alpha N)``: the exact law of one weight after Hebbian
  learning of ``P`` random labels of random +-1 inputs (``F_n = xi_n . sigma_T / sqrt N``
  is a sum of ``P`` independent +-1 terms), so its finite-N non-Gaussianity is included.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from thermo._validate import check_choice, check_int, check_nonnegative, check_positive
from thermo.entropy_estimators import kl_entropy
from thermo.information import gaussian_entropy
from thermo.perceptron.random_labels import simulate_toy_ramp
from thermo.random import SeedLike, as_generator, as_seed_sequence
from thermo.stats import mean_se
from thermo.theory import random_labels as rl

__all__ = ["EntropyCheck", "entropy_change_check", "hebb_weight_samples", "toy_weight_samples"]

_H0 = float(gaussian_entropy(1.0))  # entropy of the initial N(0, 1) weight


def toy_weight_samples(
    nu: float,
    n_samples: int,
    *,
    tau: float = 1.0,
    dt: float = 0.05,
    t_relax: float = 12.0,
    seed: SeedLike = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Initial and final weights of the toy model (N = P = 1) and the final labels.

    Returns ``(w_initial, w_final, label)``, each of length ``n_samples``; ``w_final`` and
    ``label`` come from :func:`simulate_toy_ramp` (``nu``, ``tau``, ``dt``, ``t_relax``),
    ``w_initial`` are independent ``N(0, 1)`` draws (the equilibrium start of every run).
    """
    nu = check_nonnegative("nu", nu)
    n = check_int("n_samples", n_samples, minimum=2)
    s_init, s_sim = as_seed_sequence(seed).spawn(2)
    r = simulate_toy_ramp(nu, tau, n_traj=n, dt=dt, t_relax=t_relax, seed=s_sim)
    w0 = as_generator(s_init).standard_normal(n)
    return w0, r.w_final, r.label


def hebb_weight_samples(
    alpha: float,
    nu: float,
    n_samples: int,
    *,
    n_weights: int = 10_000,
    seed: SeedLike = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Initial ``N(0, 1)`` and final Hebbian weights ``nu F + z`` (``n_samples`` each).

    ``F = (2B - P)/sqrt(N)``, ``B ~ Binomial(P, 1/2)``, ``P = max(1, round(alpha N))``,
    ``N = n_weights`` (>= 2); ``z ~ N(0, 1)``.
    """
    alpha = check_nonnegative("alpha", alpha)
    nu = check_nonnegative("nu", nu)
    n = check_int("n_samples", n_samples, minimum=2)
    n_w = check_int("n_weights", n_weights, minimum=2)
    p = max(1, round(alpha * n_w))
    rng = as_generator(seed)
    w0 = rng.standard_normal(n)
    F = (2.0 * rng.binomial(p, 0.5, size=n) - p) / np.sqrt(n_w)
    return w0, nu * F + rng.standard_normal(n)


@dataclass(frozen=True)
class EntropyCheck:
    """``Delta S(w_n)`` of one model from ``n_rep`` independent samples of ``n_samples``.

    Attributes
    ----------
    model : ``"toy"`` or ``"hebb"``.
    alpha, nu : load (0 for the toy model) and learning strength.
    n_samples, k : weights per sample and neighbour order of the KL estimator.
    closed_form : ``Delta S`` from the closed form (nats).
    kl : KL estimates of ``H(w_final) - H(w_initial)``, one per repetition (nats).
    gaussian_fit : fitted-Gaussian ``Delta S``, one per repetition (nats).
    kl_initial_error : KL estimate of ``H(w_initial)`` minus the exact ``(1/2) ln(2 pi e)``,
        one per repetition: a direct probe of the estimator's bias at ``n_samples``.
    """

    model: str
    alpha: float
    nu: float
    n_samples: int
    k: int
    closed_form: float
    kl: np.ndarray
    gaussian_fit: np.ndarray
    kl_initial_error: np.ndarray

    def __post_init__(self) -> None:
        check_choice("model", self.model, ("toy", "hebb"))
        if not (len(self.kl) == len(self.gaussian_fit) == len(self.kl_initial_error) >= 2):
            raise ValueError("kl, gaussian_fit and kl_initial_error need equal lengths >= 2")

    @property
    def kl_mean_se(self) -> tuple[float, float]:
        """Mean of the KL estimates and its standard error over repetitions (nats)."""
        return tuple(mean_se(self.kl))

    @property
    def fit_mean_se(self) -> tuple[float, float]:
        """Mean of the Gaussian-fit estimates and its standard error (nats)."""
        return tuple(mean_se(self.gaussian_fit))

    @property
    def kl_sd(self) -> float:
        """Standard deviation of ONE KL estimate of ``Delta S`` at ``n_samples`` (nats)."""
        return float(np.std(self.kl, ddof=1))


def entropy_change_check(
    model: str,
    nu: float,
    alpha: float = 0.0,
    *,
    n_samples: int = 100_000,
    n_rep: int = 10,
    k: int = 4,
    seed: SeedLike = None,
    **sample_kwargs: float,
) -> EntropyCheck:
    """Closed form, Gaussian fit and KL estimate of ``Delta S(w_n)`` (see the module doc).

    Parameters
    ----------
    model : {"toy", "hebb"}
        Toy model (``alpha`` ignored) or Hebbian learning at load ``alpha``.
    nu : float
        Learning strength (>= 0).
    alpha : float
        Load ``P/N`` (>= 0; Hebbian model only).
    n_samples : int
        Weights per sample (>= 10).
    n_rep : int
        Independent repetitions (>= 2); repetition ``i`` uses the ``i``-th child of ``seed``.
    k : int
        Neighbour order of the KL estimator (>= 1).
    seed : int, SeedSequence, Generator or None
        Root seed.
    **sample_kwargs
        Passed to :func:`toy_weight_samples` or :func:`hebb_weight_samples`.
    """
    model = check_choice("model", model, ("toy", "hebb"))
    nu = check_nonnegative("nu", nu)
    alpha = check_nonnegative("alpha", alpha)
    n = check_int("n_samples", n_samples, minimum=10)
    n_rep = check_int("n_rep", n_rep, minimum=2)
    k = check_int("k", k, minimum=1, maximum=n - 1)
    for key, value in sample_kwargs.items():
        check_positive(key, value)
    kl = np.empty(n_rep)
    fit = np.empty(n_rep)
    err0 = np.empty(n_rep)
    for i, ss in enumerate(as_seed_sequence(seed).spawn(n_rep)):
        if model == "toy":
            w0, w1, label = toy_weight_samples(nu, n, seed=ss, **sample_kwargs)
            x = label * w1
            v = np.var(x, ddof=1)
            fit[i] = 0.5 * np.log(v / np.var(w0, ddof=1)) + rl.toy_entropy(np.mean(x) / np.sqrt(v))
        else:
            w0, w1 = hebb_weight_samples(alpha, nu, n, seed=ss, **sample_kwargs)
            fit[i] = 0.5 * np.log(np.var(w1, ddof=1) / np.var(w0, ddof=1))
        h0 = kl_entropy(w0, k)
        kl[i] = kl_entropy(w1, k) - h0
        err0[i] = h0 - _H0
    closed = rl.toy_entropy(nu) if model == "toy" else rl.hebb_entropy(alpha, nu)
    return EntropyCheck(
        model=model,
        alpha=alpha if model == "hebb" else 0.0,
        nu=nu,
        n_samples=n,
        k=k,
        closed_form=float(closed),
        kl=kl,
        gaussian_fit=fit,
        kl_initial_error=err0,
    )

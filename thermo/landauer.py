"""Landauer erasure of one bit in the virtual double well (chapter 1).

Model (Jun, Gavrilov & Bechhoefer, PRL 113, 190601 (2014); positions in units of the
well position ``x_m``, time in ``t_0 = x_m**2 / D``, energies in k_B T)::

    U(x, t) = 4 E_b [ -g(t) x**2 / 2 + x**4 / 4 - A f(t) x ]

A cycle of length ``tau`` has four stages of ``tau / 4``; ``s`` is the fraction of the
current stage elapsed (piecewise-linear schedules, our reconstruction of the
"lower, tilt, raise, untilt" sequence)::

    stage          erasure g, f        control g, f
    1 lower        1 - s, 0            1 - s, 0
    2 tilt         0,     s            0,     s
    3              s,     1  (raise)   0,     1 - s  (untilt)
    4              1,     1 - s        s,     0      (raise)
                   (untilt)

The tilt ``-A f x`` favours ``x > 0``: the *target* well is the right one (+1), the
other well is -1. The cycle starts and ends at ``g = 1, f = 0`` (Delta F = 0).
Work and heat are the discrete-chain estimators of :mod:`thermo.langevin`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from thermo._validate import check_choice, check_finite, check_int, check_positive
from thermo.langevin import simulate
from thermo.potentials import DoubleWell
from thermo.protocols import Protocol
from thermo.random import SeedLike
from thermo.stats import LinearFit, weighted_linear_fit

__all__ = [
    "A_CRITICAL",
    "KINDS",
    "CrooksFit",
    "CycleResult",
    "CycleStatistics",
    "InverseTauFit",
    "LandauerProtocol",
    "crooks_fit",
    "cycle_statistics",
    "erasure_protocol",
    "fit_inverse_tau",
    "landauer_bound",
    "simulate_cycle",
]

#: Critical tilt ``2 / (3 sqrt 3)``: for ``A > A_CRITICAL`` the non-target well does not
#: exist at ``g = 1, f = 1`` (full erasure in the slow limit).
A_CRITICAL = 2.0 / (3.0 * np.sqrt(3.0))

#: Protocol kinds: erasure (lower, tilt, raise, untilt) and the control (lower, tilt,
#: untilt, raise).
KINDS = ("erasure", "control")

_KNOTS = (0.0, 0.25, 0.5, 0.75, 1.0)
_KNOT_VALUES = {
    "erasure": ((1.0, 0.0), (0.0, 0.0), (0.0, 1.0), (1.0, 1.0), (1.0, 0.0)),
    "control": ((1.0, 0.0), (0.0, 0.0), (0.0, 1.0), (0.0, 0.0), (1.0, 0.0)),
}


@dataclass(frozen=True)
class LandauerProtocol(Protocol):
    """The (g, f) schedule of one cycle, usable by :func:`thermo.langevin.simulate`.

    Parameters
    ----------
    kind : {"erasure", "control"}
        Which sequence of operations.
    tau : float
        Cycle time (> 0) in ``t_0 = x_m**2 / D``.
    reverse : bool
        The time-reversed schedule ``(g, f)(tau - t)`` (for Crooks).
    """

    kind: str = "erasure"
    tau: float = 1.0
    reverse: bool = False

    def __post_init__(self) -> None:
        check_choice("kind", self.kind, KINDS)
        check_positive("tau", self.tau)
        if not isinstance(self.reverse, bool | np.bool_):
            raise ValueError(f"reverse must be a bool; got {self.reverse!r}")

    @property
    def duration(self) -> float:  # type: ignore[override]
        return float(self.tau)

    @property
    def n_controls(self) -> int:  # type: ignore[override]
        return 2

    @property
    def knots(self) -> np.ndarray:
        """Stage boundaries ``0, tau/4, tau/2, 3 tau/4, tau``."""
        return np.asarray(_KNOTS) * self.tau

    @property
    def knot_values(self) -> np.ndarray:
        """``(g, f)`` at the stage boundaries, shape (5, 2) (reversed order if ``reverse``)."""
        vals = np.asarray(_KNOT_VALUES[self.kind], dtype=float)
        return vals[::-1].copy() if self.reverse else vals

    def values(self, t: np.ndarray) -> np.ndarray:
        """``(g, f)`` at times ``t`` (clipped to ``[0, tau]``), shape ``(len(t), 2)``."""
        t = np.atleast_1d(np.asarray(t, dtype=float))
        vals = self.knot_values
        k = self.knots
        return np.stack([np.interp(t, k, vals[:, 0]), np.interp(t, k, vals[:, 1])], axis=1)

    def g(self, t: ArrayLike) -> np.ndarray:
        """Barrier scale ``g(t)``."""
        return self.values(np.asarray(t, dtype=float))[:, 0]

    def f(self, t: ArrayLike) -> np.ndarray:
        """Tilt scale ``f(t)``."""
        return self.values(np.asarray(t, dtype=float))[:, 1]

    def reversed(self) -> LandauerProtocol:
        """The time-reversed schedule (reversing twice gives the original)."""
        return LandauerProtocol(self.kind, self.tau, not self.reverse)

    def scaled(self, tau: float) -> LandauerProtocol:
        """The same schedule with cycle time ``tau``."""
        return LandauerProtocol(self.kind, tau, self.reverse)


def erasure_protocol(kind: str = "erasure", tau: float = 1.0) -> LandauerProtocol:
    """The (g, f) schedule of ``kind`` ("erasure" or "control") with cycle time ``tau``.

    ``.reversed()`` gives the time-reversed schedule, ``.scaled(tau)`` another cycle time.
    """
    return LandauerProtocol(kind, tau)


@dataclass(frozen=True)
class CycleResult:
    """Per-run output of :func:`simulate_cycle` (energies in k_B T).

    Attributes
    ----------
    work, heat : ndarray, shape (n_runs,)
        Work on the particle and heat released to the bath over the cycle.
    final_well : ndarray of int, shape (n_runs,)
        +1 if the run ends in the target (right, ``x > 0``) well, -1 otherwise.
    x_final, x_initial : ndarray, shape (n_runs,)
        Final and initial positions (units of ``x_m``).
    initial_well : ndarray of int, shape (n_runs,)
        Sign of the initial position (+1 target side).
    tau, E_b, A, dt : float
        Parameters of the run.
    kind : str
    reverse : bool
    """

    work: np.ndarray
    heat: np.ndarray
    final_well: np.ndarray
    x_final: np.ndarray
    x_initial: np.ndarray
    initial_well: np.ndarray
    tau: float
    kind: str
    reverse: bool
    E_b: float
    A: float
    dt: float

    @property
    def success(self) -> float:
        """Fraction of runs ending in the target well."""
        return float(np.mean(self.final_well == 1))


def simulate_cycle(
    tau: float,
    n_runs: int,
    *,
    kind: str = "erasure",
    E_b: float = 13.0,
    A: float = 0.5,
    dt: float = 2e-4,
    seed: SeedLike = None,
    reverse: bool = False,
    threads: int | None = None,
) -> CycleResult:
    """Simulate ``n_runs`` independent cycles of the erasure (or control) protocol.

    Each run starts in global equilibrium of ``U(x, g=1, f=0)`` (both wells, weight 1/2
    each, sampled exactly) and is integrated by Euler-Maruyama.

    Parameters
    ----------
    tau : float
        Cycle time (> 0) in ``t_0 = x_m**2 / D``; ``tau / dt`` must be an integer.
    n_runs : int
        Number of cycles (>= 1).
    kind : {"erasure", "control"}
    E_b : float
        Barrier height at ``g = 1`` (> 0, k_B T).
    A : float
        Tilt amplitude (finite, >= 0); full erasure needs ``A > A_CRITICAL``.
    dt : float
        Time step (> 0) in ``t_0``; ``dt * 8 E_b`` must not exceed 0.1.
    seed : int, SeedSequence, Generator or None
        Randomness; the same seed gives identical results for any thread count.
    reverse : bool
        Run the time-reversed schedule.
    threads : int or None
        Threads (None: ``$THERMO_THREADS`` or all CPUs).

    Returns
    -------
    CycleResult

    Raises
    ------
    ValueError
        On invalid parameters, before any work is done.
    """
    check_positive("tau", tau)
    check_int("n_runs", n_runs, minimum=1)
    check_choice("kind", kind, KINDS)
    check_positive("E_b", E_b)
    check_finite("A", A)
    if A < 0:
        raise ValueError(f"A must be in [0, inf); got {A!r}")
    check_positive("dt", dt)
    protocol = LandauerProtocol(kind, float(tau), bool(reverse))
    res = simulate(DoubleWell(E_b=float(E_b), A=float(A)), protocol, n_runs, dt=dt, seed=seed,
                   threads=threads)  # fmt: skip
    return CycleResult(
        work=res.work,
        heat=res.heat,
        final_well=np.where(res.x_final > 0, 1, -1),
        x_final=res.x_final,
        x_initial=res.x_initial,
        initial_well=np.where(res.x_initial > 0, 1, -1),
        tau=float(tau),
        kind=kind,
        reverse=bool(reverse),
        E_b=float(E_b),
        A=float(A),
        dt=float(dt),
    )


def landauer_bound(p: ArrayLike) -> np.ndarray | float:
    """Generalised Landauer bound ``ln 2 + p ln p + (1 - p) ln(1 - p)`` (k_B T).

    The least mean work to bring a random bit to the target state with success
    probability ``p`` (Dillenschneider & Lutz 2009); ``0 ln 0 = 0``.

    Parameters
    ----------
    p : float or array
        Success probability, ``0 <= p <= 1``.

    Raises
    ------
    ValueError
        If any ``p`` is outside ``[0, 1]`` or not a number.
    """
    a = np.asarray(p, dtype=float)
    if not np.all((a >= 0) & (a <= 1)):
        raise ValueError(f"p must be in [0, 1]; got {p!r}")
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.where(a > 0, a * np.log(np.where(a > 0, a, 1.0)), 0.0) + np.where(
            a < 1, (1 - a) * np.log(np.where(a < 1, 1 - a, 1.0)), 0.0
        )
    out = np.log(2.0) + s
    return float(out) if out.ndim == 0 else out


@dataclass(frozen=True)
class InverseTauFit:
    """Weighted fit ``<W>(tau) = W_inf + B / tau``.

    Attributes
    ----------
    w_inf, w_inf_se : float
        Asymptote (k_B T) and its standard error (0 if it was held fixed).
    b, b_se : float
        Coefficient ``B`` (k_B T t_0, with ``t_0 = x_m**2 / D``) and its standard error.
    chi2 : float
    dof : int
    p_value : float
        Probability of a chi^2 at least this large if the model is right.
    """

    w_inf: float
    w_inf_se: float
    b: float
    b_se: float
    chi2: float
    dof: int
    p_value: float


def fit_inverse_tau(
    tau: ArrayLike, mean_w: ArrayLike, stderr: ArrayLike, *, w_inf: float | None = None
) -> InverseTauFit:
    """Weighted least-squares fit of ``mean_w = W_inf + B / tau``.

    Parameters
    ----------
    tau : array
        Cycle times (> 0).
    mean_w, stderr : array
        Mean work and its standard error (> 0) at each ``tau``.
    w_inf : float, optional
        Hold the asymptote fixed at this value and fit ``B`` alone.

    Returns
    -------
    InverseTauFit
        Errors from the covariance matrix (not rescaled by chi^2/dof).
    """
    t = np.asarray(tau, dtype=float)
    y = np.asarray(mean_w, dtype=float)
    s = np.asarray(stderr, dtype=float)
    if not (t.shape == y.shape == s.shape) or t.ndim != 1:
        raise ValueError("tau, mean_w and stderr must be 1-d arrays of the same length")
    if np.any(~(t > 0)) or np.any(~np.isfinite(t)):
        raise ValueError("tau must be finite and > 0")
    if np.any(~(s > 0)):
        raise ValueError("stderr must be > 0")
    from scipy import stats as _st

    x = 1.0 / t
    if w_inf is None:
        if t.size < 2:
            raise ValueError("fitting W_inf and B needs at least 2 values of tau")
        fit: LinearFit = weighted_linear_fit(x, y, s)
        return InverseTauFit(fit.intercept, fit.intercept_se, fit.slope, fit.slope_se,
                             fit.chi2, fit.dof, fit.p_value)  # fmt: skip
    check_finite("w_inf", w_inf)
    wgt = 1.0 / s**2
    b = float(np.sum(wgt * x * (y - w_inf)) / np.sum(wgt * x * x))
    b_se = float(1.0 / np.sqrt(np.sum(wgt * x * x)))
    chi2 = float(np.sum(wgt * (y - w_inf - b * x) ** 2))
    dof = int(t.size - 1)
    p = float(_st.chi2.sf(chi2, dof)) if dof > 0 else float("nan")
    return InverseTauFit(float(w_inf), 0.0, b, b_se, chi2, dof, p)


@dataclass(frozen=True)
class CycleStatistics:
    """Summary of a :class:`CycleResult` (every value with its standard error).

    ``jar_*`` are exponential averages ``<exp(-W) 1_m>``; ``dF_eff`` is
    ``-ln <exp(-W) | target>`` (delta-method error). ``log_n_over_evar`` is
    ``ln n_runs - Var W``: exponential averages are trustworthy only when it is >> 0.
    """

    n_runs: int
    mean_w: float
    mean_w_se: float
    var_w: float
    var_w_se: float
    mean_q: float
    mean_q_se: float
    p: float
    p_se: float
    jar: float
    jar_se: float
    jar_target: float
    jar_target_se: float
    jar_other: float
    jar_other_se: float
    dF_eff: float
    dF_eff_se: float
    frac_below_ln2: float
    log_n_over_evar: float

    def as_dict(self) -> dict[str, float]:
        """Plain dictionary (for sweeps)."""
        return {k: (int(v) if k == "n_runs" else float(v)) for k, v in self.__dict__.items()}


def _mean_se(a: np.ndarray) -> tuple[float, float]:
    n = a.size
    return float(a.mean()), float(a.std(ddof=1) / np.sqrt(n)) if n > 1 else float("nan")


def cycle_statistics(result: CycleResult, *, well: str = "final") -> CycleStatistics:
    """Means, variances, success rate and well-resolved exponential averages.

    Parameters
    ----------
    result : CycleResult
    well : {"final", "initial"}
        Resolve the exponential averages by the final well (forward identities) or by the
        initial well (reversed runs).
    """
    check_choice("well", well, ("final", "initial"))
    w = np.asarray(result.work, dtype=float)
    n = w.size
    if n < 4:
        raise ValueError("cycle_statistics needs at least 4 runs")
    m = result.final_well if well == "final" else result.initial_well
    tgt = (m == 1).astype(float)
    e = np.exp(-w)
    mean_w, mean_w_se = _mean_se(w)
    d = w - mean_w
    var = float(d @ d / (n - 1))
    m4 = float(np.mean(d**4))
    var_se = float(np.sqrt(max(m4 - var * var * (n - 3) / (n - 1), 0.0) / n))
    mean_q, mean_q_se = _mean_se(np.asarray(result.heat, dtype=float))
    p = float(tgt.mean())
    p_se = float(np.sqrt(p * (1 - p) / n))
    jar, jar_se = _mean_se(e)
    jt, jt_se = _mean_se(e * tgt)
    jo, jo_se = _mean_se(e * (1 - tgt))
    if p > 0 and jt > 0:
        r = jt / p
        r_se = float(np.std(e * tgt - r * tgt, ddof=1) / (np.sqrt(n) * p))
        dF, dF_se = float(-np.log(r)), r_se / r
    else:
        dF, dF_se = float("nan"), float("nan")
    return CycleStatistics(
        n_runs=n, mean_w=mean_w, mean_w_se=mean_w_se, var_w=var, var_w_se=var_se,
        mean_q=mean_q, mean_q_se=mean_q_se, p=p, p_se=p_se, jar=jar, jar_se=jar_se,
        jar_target=jt, jar_target_se=jt_se, jar_other=jo, jar_other_se=jo_se,
        dF_eff=dF, dF_eff_se=dF_se, frac_below_ln2=float(np.mean(w < np.log(2.0))),
        log_n_over_evar=float(np.log(n) - var),
    )  # fmt: skip


@dataclass(frozen=True)
class CrooksFit:
    """Fit ``ln[P_F(W) / P_R(-W)] = a + b W`` over the overlap window.

    Attributes
    ----------
    a, a_se, b, b_se : float
        Intercept and slope with standard errors (Crooks: a = -Delta F = 0, b = 1).
    chi2 : float
    dof : int
    w, log_ratio, log_ratio_se : ndarray
        Bin centres used and the per-bin log ratio with its (Poisson) error.
    """

    a: float
    a_se: float
    b: float
    b_se: float
    chi2: float
    dof: int
    w: np.ndarray
    log_ratio: np.ndarray
    log_ratio_se: np.ndarray


def crooks_fit(
    counts_forward: ArrayLike,
    counts_reverse: ArrayLike,
    edges: ArrayLike,
    n_forward: int,
    n_reverse: int,
    *,
    window: tuple[float, float] = (-1.0, 3.0),
    min_count: int = 5,
) -> CrooksFit:
    """Crooks test from forward and reverse work histograms on mirror-symmetric bins.

    Parameters
    ----------
    counts_forward : array
        Histogram of forward work ``W`` on ``edges``.
    counts_reverse : array
        Histogram of reverse work ``W_R`` on the same ``edges``; ``P_R(-W)`` is read
        from the mirrored bin.
    edges : array
        Uniformly spaced bin edges with 0 on an edge, so that every bin has a mirror
        bin ``-W`` (where it lies inside the edges).
    n_forward, n_reverse : int
        **Total** numbers of runs: both densities are normalised by them, including runs
        outside the window (normalising inside the window biases the intercept).
    window : (float, float)
        Range of ``W`` used in the fit.
    min_count : int
        Bins with fewer forward or reverse counts are skipped.
    """
    cf = np.asarray(counts_forward, dtype=float)
    cr = np.asarray(counts_reverse, dtype=float)
    e = np.asarray(edges, dtype=float)
    if cf.shape != cr.shape or e.shape != (cf.size + 1,):
        raise ValueError("counts must have the same length and edges one more")
    h = np.diff(e)
    if e.size < 2 or not np.allclose(h, h[0], rtol=1e-9) or h[0] <= 0:
        raise ValueError("edges must be increasing and uniformly spaced")
    h0 = float(h[0])
    if abs(e[0] / h0 - round(e[0] / h0)) > 1e-6:
        raise ValueError("edges must be uniformly spaced with 0 on an edge (symmetric bins)")
    check_int("n_forward", n_forward, minimum=1)
    check_int("n_reverse", n_reverse, minimum=1)
    centres = 0.5 * (e[1:] + e[:-1])
    mirror = np.rint((-centres - e[0]) / h0 - 0.5).astype(int)  # bin of W_R = -W
    ok = (mirror >= 0) & (mirror < cf.size)
    cr_mirror = np.where(ok, cr[np.clip(mirror, 0, cf.size - 1)], 0.0)
    inside = (centres > window[0]) & (centres < window[1])
    sel = ok & inside & (cf >= min_count) & (cr_mirror >= min_count)
    if sel.sum() < 3:
        raise ValueError("fewer than 3 usable bins in the window; more runs or a wider window")
    lr = np.log(cf[sel] / n_forward) - np.log(cr_mirror[sel] / n_reverse)
    lr_se = np.sqrt(1.0 / cf[sel] + 1.0 / cr_mirror[sel])
    fit = weighted_linear_fit(centres[sel], lr, lr_se)
    return CrooksFit(fit.intercept, fit.intercept_se, fit.slope, fit.slope_se, fit.chi2,
                     fit.dof, centres[sel], lr, lr_se)  # fmt: skip

"""Overdamped Langevin dynamics of an ensemble with on-the-fly stochastic energetics.

Dynamics (k_B T = 1, mobility 1, so D = 1)::

    dx = -dV/dx(x, lam(t)) dt + sqrt(2 dt) N(0, 1)

for ``M`` independent particles in a polynomial potential (:mod:`thermo.potentials`)
driven by a protocol (:mod:`thermo.protocols`).

Energetics (Sekimoto; the discrete chain of ``shared/physics/00`` section 4c). At
each step the control is first updated at fixed position, then the particle moves
at fixed control::

    work  W += V(x_k, lam_{k+1}) - V(x_k, lam_k)
    heat  Q += V(x_k, lam_{k+1}) - V(x_{k+1}, lam_{k+1})      (released to the bath)

Both are accumulated separately in the kernel, so the first law
``W - Q = V(x_N, lam_N) - V(x_0, lam_0)`` is a genuine check that closes to rounding
error on every trajectory. With this ordering Jarzynski and Crooks are exact
identities of the simulated chain whenever the fixed-``lam`` step preserves the
Boltzmann density -- true for ``method="exact"`` (the exact Ornstein-Uhlenbeck
step of a harmonic potential), and up to O(dt) for ``method="euler"``.

Optionally the kernel also accumulates the Stratonovich midpoint heat
``sum F(x_mid, lam_{k+1}) (x_{k+1} - x_k)`` (estimator (b)), which differs from the
chain heat by O(dt), and records thinned paths of ``x``, ``W`` and ``Q``.

Threads: particles are split into chunks of :data:`thermo.random.CHUNK_SIZE`, each
with its own generator spawned from ``seed``; chunks run concurrently on
``threads`` threads and the result is bit-identical for any thread count.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from thermo._numba import jit
from thermo._validate import check_choice, check_int, check_positive
from thermo.parallel import map_chunks, resolve_threads
from thermo.potentials import PolynomialPotential
from thermo.protocols import Protocol, n_steps_for
from thermo.random import SeedLike, as_seed_sequence, chunks

__all__ = [
    "MAX_DT_STIFFNESS",
    "LangevinResult",
    "SimulationParams",
    "simulate",
]

#: Largest allowed ``dt * stiffness`` for Euler-Maruyama (resolve the fastest relaxation).
MAX_DT_STIFFNESS = 0.1

_EULER, _EXACT = 0, 1


@jit(inline="always")
def _horner(coef, k, x, d):
    """V(x) = sum_j coef[k, j] x**j (degree d).

    Degrees 2 and 4 (all potentials of the book) are unrolled; the quartic uses
    Estrin's scheme, whose dependency chain is shorter than Horner's.
    """
    if d == 2:
        return coef[k, 0] + x * (coef[k, 1] + x * coef[k, 2])
    if d == 4:
        x2 = x * x
        return (coef[k, 0] + coef[k, 1] * x) + x2 * (
            (coef[k, 2] + coef[k, 3] * x) + x2 * coef[k, 4]
        )
    v = coef[k, d]
    for j in range(d - 1, -1, -1):
        v = v * x + coef[k, j]
    return v


@jit(inline="always")
def _dhorner(coef, k, x, d):
    """dV/dx for row k of the coefficient table (degree d)."""
    if d == 2:
        return coef[k, 1] + 2.0 * x * coef[k, 2]
    if d == 4:
        return (coef[k, 1] + 2.0 * coef[k, 2] * x) + (x * x) * (
            3.0 * coef[k, 3] + 4.0 * coef[k, 4] * x
        )
    if d == 0:
        return 0.0
    v = d * coef[k, d]
    for j in range(d - 1, 0, -1):
        v = v * x + j * coef[k, j]
    return v


@jit
def _integrate_chunk(
    x, coef, dt, method, ou_decay, ou_sd, rng,
    work, heat, heat_mid, midpoint,
    rec_index, x_path, w_path, q_path,
):  # fmt: skip
    """Integrate particles ``x`` (in place) through the whole coefficient table.

    ``coef`` has one row per time point ``t_k`` (k = 0..n). Step ``k -> k+1`` uses
    row ``k+1``: first ``W += V(x, lam_{k+1}) - V(x, lam_k)`` at fixed ``x``, then the
    move, then ``Q += V(x_old, lam_{k+1}) - V(x_new, lam_{k+1})``. ``rec_index[k] >= 0``
    gives the column in which to record the state at step ``k`` (empty ``rec_index``
    disables recording).

    Particles advance in pairs: two independent dependency chains per iteration let
    the CPU overlap their latencies (1.5-2x faster than one particle at a time). The
    step is written out for both members on purpose -- an inlined helper returning a
    tuple measured 3x slower. Within a pair the normals are drawn alternately (step k:
    first member, then second); an odd last particle draws its normals in sequence.
    :func:`thermo._reference.simulate_numpy` reproduces this order exactly.
    """
    n = coef.shape[0] - 1
    d = coef.shape[1] - 1  # loop-invariant: the degree branches are hoisted
    noise = np.sqrt(2.0 * dt)
    record = rec_index.shape[0] > 0
    m = x.shape[0]
    for a in range(0, m - 1, 2):
        b = a + 1
        xa, xb = x[a], x[b]
        wa = wb = qa = qb = qma = qmb = 0.0
        pa = _horner(coef, 0, xa, d)
        pb = _horner(coef, 0, xb, d)
        if record and rec_index[0] >= 0:
            for i, xi in ((a, xa), (b, xb)):
                x_path[i, rec_index[0]] = xi
                w_path[i, rec_index[0]] = 0.0
                q_path[i, rec_index[0]] = 0.0
        for k in range(n):
            kk = k + 1
            za = rng.standard_normal()
            zb = rng.standard_normal()
            va = _horner(coef, kk, xa, d)  # control updated at fixed position: work
            vb = _horner(coef, kk, xb, d)
            wa += va - pa
            wb += vb - pb
            if method == _EXACT:
                centre = -coef[kk, 1] / (2.0 * coef[kk, 2])
                na = centre + (xa - centre) * ou_decay[k] + ou_sd[k] * za
                nb = centre + (xb - centre) * ou_decay[k] + ou_sd[k] * zb
            else:
                na = xa - _dhorner(coef, kk, xa, d) * dt + noise * za
                nb = xb - _dhorner(coef, kk, xb, d) * dt + noise * zb
            if midpoint:
                qma -= _dhorner(coef, kk, 0.5 * (xa + na), d) * (na - xa)
                qmb -= _dhorner(coef, kk, 0.5 * (xb + nb), d) * (nb - xb)
            xa, xb = na, nb
            pa = _horner(coef, kk, xa, d)  # particle moved at fixed control: heat
            pb = _horner(coef, kk, xb, d)
            qa += va - pa
            qb += vb - pb
            if record:
                col = rec_index[kk]
                if col >= 0:
                    x_path[a, col], w_path[a, col], q_path[a, col] = xa, wa, qa
                    x_path[b, col], w_path[b, col], q_path[b, col] = xb, wb, qb
        x[a], work[a], heat[a], heat_mid[a] = xa, wa, qa, qma
        x[b], work[b], heat[b], heat_mid[b] = xb, wb, qb, qmb
    if m % 2:  # the odd last particle, one chain
        i = m - 1
        xi = x[i]
        w = q = qm = 0.0
        p = _horner(coef, 0, xi, d)
        if record and rec_index[0] >= 0:
            x_path[i, rec_index[0]] = xi
            w_path[i, rec_index[0]] = 0.0
            q_path[i, rec_index[0]] = 0.0
        for k in range(n):
            kk = k + 1
            z = rng.standard_normal()
            v = _horner(coef, kk, xi, d)
            w += v - p
            if method == _EXACT:
                centre = -coef[kk, 1] / (2.0 * coef[kk, 2])
                nx = centre + (xi - centre) * ou_decay[k] + ou_sd[k] * z
            else:
                nx = xi - _dhorner(coef, kk, xi, d) * dt + noise * z
            if midpoint:
                qm -= _dhorner(coef, kk, 0.5 * (xi + nx), d) * (nx - xi)
            xi = nx
            p = _horner(coef, kk, xi, d)
            q += v - p
            if record:
                col = rec_index[kk]
                if col >= 0:
                    x_path[i, col], w_path[i, col], q_path[i, col] = xi, w, q
        x[i], work[i], heat[i], heat_mid[i] = xi, w, q, qm


@dataclass(frozen=True)
class SimulationParams:
    """Numerical parameters of an ensemble simulation.

    Parameters
    ----------
    n_particles : int
        Number of independent trajectories ``M`` (>= 1).
    dt : float
        Time step (> 0, in the model's time unit); must divide the protocol duration.
    method : {"euler", "exact"}
        ``"euler"``: Euler-Maruyama for any polynomial potential.
        ``"exact"``: exact Ornstein-Uhlenbeck step at frozen control (harmonic
        potentials only); it preserves the Boltzmann density, which makes the
        discrete-chain Jarzynski and Crooks relations exact at any ``dt``.
    record_every : int
        Record ``x``, ``W``, ``Q`` every this many steps (0: do not record paths).
    midpoint_heat : bool
        Also accumulate the Stratonovich midpoint heat (estimator (b)).
    """

    n_particles: int
    dt: float
    method: str = "euler"
    record_every: int = 0
    midpoint_heat: bool = False

    def __post_init__(self) -> None:
        check_int("n_particles", self.n_particles, minimum=1)
        check_positive("dt", self.dt)
        check_choice("method", self.method, ("euler", "exact"))
        check_int("record_every", self.record_every, minimum=0)


@dataclass(frozen=True)
class LangevinResult:
    """Per-trajectory output of :func:`simulate` (energies in k_B T).

    Attributes
    ----------
    work, heat : ndarray, shape (M,)
        Work done on the particle and heat released into the bath (discrete chain).
    heat_midpoint : ndarray or None
        Stratonovich midpoint heat, if requested.
    x_initial, x_final : ndarray, shape (M,)
        Positions at ``t = 0`` and at the end of the protocol.
    energy_initial, energy_final : ndarray, shape (M,)
        ``V(x_0, lam_0)`` and ``V(x_N, lam_N)``.
    times : ndarray
        Recorded times (empty if paths were not recorded).
    x_path, work_path, heat_path : ndarray, shape (M, len(times)) or None
        Recorded paths of position, accumulated work and accumulated heat.
    dt : float
        Time step used.
    """

    work: np.ndarray
    heat: np.ndarray
    heat_midpoint: np.ndarray | None
    x_initial: np.ndarray
    x_final: np.ndarray
    energy_initial: np.ndarray
    energy_final: np.ndarray
    times: np.ndarray
    x_path: np.ndarray | None
    work_path: np.ndarray | None
    heat_path: np.ndarray | None
    dt: float

    @property
    def first_law_residual(self) -> np.ndarray:
        """``W - Q - (V_final - V_initial)`` per trajectory; zero up to rounding."""
        return self.work - self.heat - (self.energy_final - self.energy_initial)


def simulate(
    potential: PolynomialPotential,
    protocol: Protocol,
    n_particles: int,
    *,
    dt: float,
    x0: str | float | np.ndarray = "equilibrium",
    method: str = "euler",
    record_every: int = 0,
    midpoint_heat: bool = False,
    seed: SeedLike = None,
    threads: int | None = None,
) -> LangevinResult:
    """Simulate ``n_particles`` overdamped trajectories through ``protocol``.

    Parameters
    ----------
    potential : PolynomialPotential
        ``V(x, lam)`` in k_B T.
    protocol : Protocol
        ``lam(t)`` on ``[0, duration]``; ``duration / dt`` must be an integer.
    n_particles : int
        Number of independent trajectories (>= 1).
    dt : float
        Time step (> 0). For ``method="euler"`` it must satisfy
        ``dt * max_stiffness <= 0.1`` (:data:`MAX_DT_STIFFNESS`).
    x0 : "equilibrium", float or array of shape (n_particles,)
        Initial positions; ``"equilibrium"`` samples ``exp(-V(x, lam(0)))/Z``.
    method : {"euler", "exact"}
        Integrator, see :class:`SimulationParams`.
    record_every : int
        Record paths every this many steps (0: no paths; memory stays O(M)).
    midpoint_heat : bool
        Also return the Stratonovich midpoint heat.
    seed : int, SeedSequence, Generator or None
        Randomness; the same seed gives identical arrays for any ``threads``.
    threads : int or None
        Threads to use (None: ``$THERMO_THREADS`` or all CPUs).

    Returns
    -------
    LangevinResult

    Raises
    ------
    ValueError
        On invalid parameters, before any work is done.
    """
    params = SimulationParams(n_particles, dt, method, record_every, midpoint_heat)
    threads = resolve_threads(threads)
    if not isinstance(potential, PolynomialPotential):
        raise ValueError(f"potential must be a PolynomialPotential; got {type(potential).__name__}")
    if not isinstance(protocol, Protocol):
        raise ValueError(f"protocol must be a Protocol; got {type(protocol).__name__}")
    if protocol.n_controls != potential.n_controls:
        raise ValueError(
            f"protocol has {protocol.n_controls} control(s) but the potential needs "
            f"{potential.n_controls} {potential.control_names}"
        )
    n = n_steps_for(protocol.duration, dt)
    times, lam = protocol.table(dt)
    coef = np.ascontiguousarray(potential.coefficients(lam), dtype=float)
    if not np.all(np.isfinite(coef)):
        raise ValueError("the potential's coefficients must be finite along the protocol")

    if params.method == "exact":
        if coef.shape[1] != 3 or np.any(coef[:, 2] <= 0):
            raise ValueError(
                'method="exact" needs a harmonic potential (degree 2, positive stiffness)'
            )
        kappa = 2.0 * coef[1:, 2]
        ou_decay = np.exp(-kappa * dt)
        ou_sd = np.sqrt(-np.expm1(-2.0 * kappa * dt) / kappa)
    else:
        stiffness = potential.max_stiffness(coef)
        if dt * stiffness > MAX_DT_STIFFNESS:
            raise ValueError(
                f"dt is too large for the potential's stiffness: dt * kappa_max = "
                f"{dt} * {stiffness:.4g} = {dt * stiffness:.3g} > {MAX_DT_STIFFNESS}; "
                f"use dt <= {MAX_DT_STIFFNESS / stiffness:.3g}"
            )
        ou_decay = ou_sd = np.empty(0)

    root = as_seed_sequence(seed)
    init_seed, kernel_seed = root.spawn(2)
    if isinstance(x0, str):
        if x0 != "equilibrium":
            raise ValueError(f'x0 must be "equilibrium", a float or an array; got {x0!r}')
        x = potential.sample_equilibrium(lam[0], n_particles, np.random.default_rng(init_seed))
    else:
        x = np.broadcast_to(np.asarray(x0, dtype=float), (n_particles,)).copy()
        if not np.all(np.isfinite(x)):
            raise ValueError("x0 must be finite")
    x = np.ascontiguousarray(x, dtype=float)
    x_initial = x.copy()

    if record_every:
        steps = np.arange(0, n + 1, record_every)
        if steps[-1] != n:
            steps = np.append(steps, n)
        rec_index = np.full(n + 1, -1, dtype=np.int64)
        rec_index[steps] = np.arange(steps.size)
        rec_times = times[steps]
        x_path = np.empty((n_particles, steps.size))
        w_path = np.empty_like(x_path)
        q_path = np.empty_like(x_path)
    else:
        rec_index = np.empty(0, dtype=np.int64)
        rec_times = np.empty(0)
        x_path = w_path = q_path = np.empty((0, 0))

    work = np.empty(n_particles)
    heat = np.empty(n_particles)
    heat_mid = np.zeros(n_particles)
    method_code = _EXACT if params.method == "exact" else _EULER

    def run(chunk):
        s = slice(chunk.start, chunk.stop)
        _integrate_chunk(
            x[s], coef, float(dt), method_code, ou_decay, ou_sd, chunk.rng,
            work[s], heat[s], heat_mid[s], bool(midpoint_heat),
            rec_index,
            x_path[s] if record_every else x_path,
            w_path[s] if record_every else w_path,
            q_path[s] if record_every else q_path,
        )  # fmt: skip

    map_chunks(run, chunks(kernel_seed, n_particles), threads)

    c0, cN = coef[0], coef[-1]
    P = np.polynomial.polynomial
    return LangevinResult(
        work=work,
        heat=heat,
        heat_midpoint=heat_mid if midpoint_heat else None,
        x_initial=x_initial,
        x_final=x,
        energy_initial=P.polyval(x_initial, c0),
        energy_final=P.polyval(x, cN),
        times=rec_times,
        x_path=x_path if record_every else None,
        work_path=w_path if record_every else None,
        heat_path=q_path if record_every else None,
        dt=float(dt),
    )

"""The Langevin core against exact results (dragged harmonic trap, stationary states)."""

from __future__ import annotations

import numpy as np
import pytest

from thermo import stats
from thermo.langevin import simulate
from thermo.potentials import DoubleWell, HarmonicTrap
from thermo.protocols import Constant, LinearDrag, PiecewiseLinear
from thermo.theory import drag

KAPPA, V, T = 1.0, 0.5, 4.0


@pytest.fixture(scope="module")
def dragged():
    return simulate(HarmonicTrap(KAPPA), LinearDrag(V, T), 40_000, dt=2e-3, seed=11,
                    record_every=200)  # fmt: skip


def test_mean_work_of_dragged_trap_within_4_se(dragged):
    est = stats.mean_se(dragged.work)
    assert abs(est.deviation(float(drag.mean_work(T, V, KAPPA)))) < 4


def test_mean_work_path_matches_exact_curve(dragged):
    mean, se = stats.column_mean_se(dragged.work_path)
    exact = drag.mean_work(dragged.times, V, KAPPA)
    assert np.all(np.abs(mean[1:] - exact[1:]) < 4 * se[1:] + 1e-12)


def test_recorded_final_values_equal_returned_values(dragged):
    np.testing.assert_array_equal(dragged.work_path[:, -1], dragged.work)
    np.testing.assert_array_equal(dragged.heat_path[:, -1], dragged.heat)
    np.testing.assert_array_equal(dragged.x_path[:, -1], dragged.x_final)
    assert dragged.times[-1] == pytest.approx(T)


def test_first_law_closes_on_every_trajectory(dragged):
    assert np.max(np.abs(dragged.first_law_residual)) < 1e-10


def test_work_variance_is_twice_the_mean(dragged):
    var = stats.variance_se(dragged.work)
    assert abs(var.deviation(float(drag.work_variance(T, V, KAPPA)))) < 4


def test_jarzynski_within_error(dragged):
    est = stats.exp_average(dragged.work)
    assert abs(est.deviation(1.0)) < 4


@pytest.mark.parametrize("method", ["euler", "exact"])
def test_stationary_variance(method):
    kappa, dt = 2.0, 0.05
    res = simulate(
        HarmonicTrap(kappa), Constant((0.0,), 10.0), 40_000, dt=dt, method=method, seed=3
    )
    expected = drag.euler_stationary_variance(kappa, dt) if method == "euler" else 1 / kappa
    assert abs(stats.variance_se(res.x_final).deviation(expected)) < 4


def test_euler_stationary_variance_differs_from_exact_one():
    """The discrete-time Euler value is resolved, not just 1/kappa within noise."""
    kappa, dt = 1.0, 0.1
    res = simulate(HarmonicTrap(kappa), Constant((0.0,), 20.0), 100_000, dt=dt, seed=4)
    est = stats.variance_se(res.x_final)
    assert abs(est.deviation(drag.euler_stationary_variance(kappa, dt))) < 4
    assert est.deviation(1 / kappa) > 4


def test_exact_step_jarzynski_at_coarse_dt():
    """Boltzmann-preserving step: the chain's Jarzynski holds at dt = 0.3 (00 section 4)."""
    res = simulate(HarmonicTrap(1.0), LinearDrag(1 / 1.5, 1.5), 1_000_000, dt=0.3,
                   method="exact", seed=5)  # fmt: skip
    assert abs(stats.exp_average(res.work).deviation(1.0)) < 4


def test_euler_jarzynski_bias_matches_chain_theory():
    dt = 0.1
    proto = LinearDrag(1 / 1.5, 1.5)
    res = simulate(HarmonicTrap(1.0), proto, 1_000_000, dt=dt, seed=6)
    theory = drag.chain_work_moments(proto.table(dt)[1][:, 0], 1.0, dt, "euler").jarzynski
    est = stats.exp_average(res.work)
    assert abs(est.deviation(theory)) < 4
    assert est.deviation(1.0) > 4  # the O(dt) bias is resolved


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_same_seed_identical_for_any_thread_count(threads):
    kw = dict(dt=1e-2, seed=123, record_every=10)
    ref = simulate(HarmonicTrap(1.0), LinearDrag(1.0, 1.0), 1000, threads=1, **kw)
    res = simulate(HarmonicTrap(1.0), LinearDrag(1.0, 1.0), 1000, threads=threads, **kw)
    for name in ("work", "heat", "x_initial", "x_final", "x_path", "work_path", "heat_path"):
        np.testing.assert_array_equal(getattr(res, name), getattr(ref, name))


def test_double_well_identical_for_one_and_two_threads():
    pot = DoubleWell(13.0, 0.5)
    proto = PiecewiseLinear((0, 0.5, 1.0), ((1, 0), (0, 1), (1, 1)))
    a = simulate(pot, proto, 600, dt=2e-4, seed=9, threads=1)
    b = simulate(pot, proto, 600, dt=2e-4, seed=9, threads=2)
    np.testing.assert_array_equal(a.work, b.work)
    np.testing.assert_array_equal(a.x_final, b.x_final)


def test_different_seeds_give_different_arrays():
    a = simulate(HarmonicTrap(1.0), LinearDrag(1.0, 1.0), 500, dt=1e-2, seed=1)
    b = simulate(HarmonicTrap(1.0), LinearDrag(1.0, 1.0), 500, dt=1e-2, seed=2)
    assert not np.array_equal(a.work, b.work)
    assert not np.array_equal(a.x_initial, b.x_initial)


def test_generator_seed_is_reproducible_and_advances():
    g1, g2 = np.random.default_rng(7), np.random.default_rng(7)
    a = simulate(HarmonicTrap(1.0), LinearDrag(1.0, 1.0), 300, dt=1e-2, seed=g1)
    b = simulate(HarmonicTrap(1.0), LinearDrag(1.0, 1.0), 300, dt=1e-2, seed=g2)
    c = simulate(HarmonicTrap(1.0), LinearDrag(1.0, 1.0), 300, dt=1e-2, seed=g1)
    np.testing.assert_array_equal(a.work, b.work)
    assert not np.array_equal(a.work, c.work)


def test_midpoint_heat_equals_chain_heat_for_harmonic_potential():
    """For a quadratic V the Stratonovich midpoint rule is exact: -V'(x_mid) dx = -dV."""
    res = simulate(
        HarmonicTrap(2.0), LinearDrag(1.0, 1.0), 2000, dt=1e-2, seed=8, midpoint_heat=True
    )
    np.testing.assert_allclose(res.heat_midpoint, res.heat, atol=1e-10)


def test_midpoint_heat_bias_shrinks_with_dt_in_double_well():
    """For a quartic V the midpoint heat differs from the chain heat by O(dt)."""
    pot = DoubleWell(13.0, 0.5)
    proto = PiecewiseLinear((0, 0.5, 1.0), ((1, 0), (0, 1), (1, 1)))
    gaps = []
    for dt in (4e-4, 2e-4, 1e-4):
        r = simulate(pot, proto, 400, dt=dt, seed=10, midpoint_heat=True)
        gaps.append(np.mean(np.abs(r.heat_midpoint - r.heat)))
    assert gaps[0] > gaps[1] > gaps[2]
    assert 1.4 < gaps[0] / gaps[1] < 2.9 and 1.4 < gaps[1] / gaps[2] < 2.9


def test_equilibrium_sampler_of_double_well_is_symmetric_and_bimodal():
    pot = DoubleWell(13.0, 0.5)
    x = pot.sample_equilibrium((1.0, 0.0), 200_000, np.random.default_rng(0))
    frac = np.mean(x > 0)
    assert abs(frac - 0.5) < 4 * np.sqrt(0.25 / x.size)
    # Well-bottom curvature 8 E_b: each well has variance ~ 1/(8 E_b) (harmonic approx.)
    assert np.var(np.abs(x)) == pytest.approx(1 / (8 * 13.0), rel=0.1)


def test_memory_without_paths_is_o_particles():
    res = simulate(HarmonicTrap(1.0), LinearDrag(1.0, 1.0), 100, dt=1e-3, seed=1)
    assert res.x_path is None and res.work_path is None and res.times.size == 0


def test_generic_degree_path_matches_unrolled_quartic():
    """A quartic padded with zero x^5, x^6 terms takes the generic Horner loop and must give
    the trajectories of the unrolled (Estrin) degree-4 path up to rounding."""
    from thermo.potentials import Polynomial

    dw = DoubleWell(13.0, 0.5)
    padded = Polynomial(
        lambda lam: np.pad(dw.coefficients(lam), ((0, 0), (0, 2))),
        degree=6,
        control_names=("g", "f"),
    )
    proto = PiecewiseLinear((0, 0.5, 1.0), ((1, 0), (0, 1), (1, 1)))
    a = simulate(dw, proto, 300, dt=2e-4, seed=12, midpoint_heat=True)
    b = simulate(padded, proto, 300, dt=2e-4, seed=12, midpoint_heat=True)
    for name in ("work", "heat", "heat_midpoint", "x_final"):
        np.testing.assert_allclose(getattr(a, name), getattr(b, name), rtol=0, atol=1e-8)
    assert np.max(np.abs(b.first_law_residual)) < 1e-9


@pytest.mark.parametrize(
    ("potential", "protocol", "dt", "method"),
    [
        (HarmonicTrap(1.5), LinearDrag(0.7, 0.5), 1e-3, "euler"),
        (HarmonicTrap(1.5), LinearDrag(0.7, 0.5), 0.05, "exact"),
        (
            DoubleWell(13.0, 0.5),
            PiecewiseLinear((0, 0.1, 0.2), ((1, 0), (0, 1), (1, 1))),
            2e-4,
            "euler",
        ),
    ],
)
def test_kernel_matches_simple_numpy_reference(potential, protocol, dt, method):
    """Same seed, same chunks, same random stream: the numba kernel and the plain-numpy
    reference implementation produce the same trajectories (up to rounding)."""
    from thermo._reference import simulate_numpy

    M = 700  # three chunks
    ss = np.random.SeedSequence(21)
    x0 = np.linspace(-1.2, 1.2, M)
    fast = simulate(potential, protocol, M, dt=dt, x0=x0, method=method, seed=ss)
    _, kernel_seed = np.random.SeedSequence(21).spawn(2)  # what simulate() hands its chunks
    w, q, x = simulate_numpy(potential, protocol, x0, dt=dt, seed=kernel_seed, method=method)
    np.testing.assert_allclose(fast.x_final, x, rtol=0, atol=1e-9)
    np.testing.assert_allclose(fast.work, w, rtol=0, atol=1e-9)
    np.testing.assert_allclose(fast.heat, q, rtol=0, atol=1e-9)

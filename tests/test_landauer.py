"""Landauer erasure (chapter 1): protocols, bound, fits, identities and bad inputs."""

from __future__ import annotations

import numpy as np
import pytest

from thermo import catalog
from thermo.landauer import (
    A_CRITICAL,
    crooks_fit,
    cycle_statistics,
    erasure_protocol,
    fit_inverse_tau,
    landauer_bound,
    simulate_cycle,
)
from thermo.landauer_sweeps import EDGES
from thermo.theory import landauer as th

LN2 = np.log(2.0)


# ----------------------------------------------------------------------------- protocols


@pytest.mark.parametrize(
    ("kind", "table"),
    [
        ("erasure", [(1, 0), (0, 0), (0, 1), (1, 1), (1, 0)]),
        ("control", [(1, 0), (0, 0), (0, 1), (0, 0), (1, 0)]),
    ],
)
def test_protocol_stage_boundaries(kind, table):
    p = erasure_protocol(kind, tau=8.0)
    np.testing.assert_array_equal(p.values(np.array([0.0, 2.0, 4.0, 6.0, 8.0])), table)
    # midpoints of the stages are halfway between the boundary values
    mids = p.values(np.array([1.0, 3.0, 5.0, 7.0]))
    np.testing.assert_allclose(mids, 0.5 * (np.array(table[:-1]) + np.array(table[1:])))


@pytest.mark.parametrize("kind", ["erasure", "control"])
def test_protocol_is_continuous_and_reversible(kind):
    p = erasure_protocol(kind, tau=4.0)
    t, lam = p.table(1e-3)
    assert np.abs(np.diff(lam, axis=0)).max() <= 1e-3 / 1.0 + 1e-12  # slope 4/tau per unit time
    r = p.reversed()
    np.testing.assert_allclose(r.values(t), p.values(4.0 - t), atol=1e-14)
    assert r.reversed() == p
    assert p.scaled(16.0).duration == 16.0
    np.testing.assert_allclose(p.g(t), lam[:, 0])
    np.testing.assert_allclose(p.f(t), lam[:, 1])


def test_control_is_its_own_time_reverse():
    c = erasure_protocol("control", tau=1.0)
    t = np.linspace(0, 1, 101)
    # g and f are both symmetric under t -> tau - t: the control is its own reverse
    np.testing.assert_allclose(c.reversed().values(t), c.values(t), atol=1e-14)
    e = erasure_protocol("erasure", tau=1.0)
    assert not np.allclose(e.reversed().values(t), e.values(t))


@pytest.mark.parametrize(
    "kwargs", [dict(kind="foo"), dict(tau=0.0), dict(tau=-1.0), dict(tau=float("nan"))]
)
def test_protocol_bad_inputs(kwargs):
    args = dict(kind="erasure", tau=1.0) | kwargs
    with pytest.raises(ValueError):
        erasure_protocol(**args)


# ----------------------------------------------------------------------------- bound


def test_landauer_bound_edges():
    assert landauer_bound(0.5) == pytest.approx(0.0, abs=1e-15)
    assert landauer_bound(1.0) == pytest.approx(LN2, abs=1e-15)
    assert landauer_bound(0.0) == pytest.approx(LN2, abs=1e-15)
    p = np.linspace(0, 1, 11)
    np.testing.assert_allclose(landauer_bound(p), landauer_bound(1 - p), atol=1e-15)
    assert np.all(landauer_bound(p) >= -1e-15)
    assert landauer_bound(0.9) == pytest.approx(LN2 + 0.9 * np.log(0.9) + 0.1 * np.log(0.1))


@pytest.mark.parametrize("p", [-0.01, 1.01, float("nan"), [0.5, 2.0]])
def test_landauer_bound_bad_inputs(p):
    with pytest.raises(ValueError, match="p must be in"):
        landauer_bound(p)


# ----------------------------------------------------------------------------- fits


def test_fit_inverse_tau_recovers_exact_data():
    tau = np.array([16.0, 32.0, 64.0, 128.0])
    w = LN2 + 8.0 / tau
    fit = fit_inverse_tau(tau, w, np.full(4, 0.01))
    assert fit.w_inf == pytest.approx(LN2, abs=1e-12)
    assert fit.b == pytest.approx(8.0, abs=1e-10)
    assert fit.chi2 == pytest.approx(0.0, abs=1e-18)
    assert fit.dof == 2
    fixed = fit_inverse_tau(tau, w, np.full(4, 0.01), w_inf=LN2)
    assert fixed.b == pytest.approx(8.0, abs=1e-10)
    assert fixed.w_inf_se == 0.0 and fixed.dof == 3


@pytest.mark.parametrize(
    ("tau", "w", "se"),
    [([1.0], [1.0], [0.1]), ([0.0, 1.0], [1.0, 1.0], [0.1, 0.1]),
     ([1.0, 2.0], [1.0, 1.0], [0.1, 0.0]), ([1.0, 2.0], [1.0], [0.1, 0.1])],
)  # fmt: skip
def test_fit_inverse_tau_bad_inputs(tau, w, se):
    with pytest.raises(ValueError):
        fit_inverse_tau(np.array(tau), np.array(w), np.array(se))


def test_crooks_fit_on_exact_gaussian_histograms():
    """Symmetric protocol with Gaussian work N(mu, 2 mu): P_F(W)/P_R(-W) = e^W exactly."""
    from scipy import stats as sps

    mu, n = 1.0, 10**7
    cdf = sps.norm.cdf(EDGES, mu, np.sqrt(2 * mu))
    counts = n * np.diff(cdf)
    fit = crooks_fit(counts, counts, EDGES, n, n)
    assert fit.b == pytest.approx(1.0, abs=2e-3)  # finite bin width only
    assert fit.a == pytest.approx(0.0, abs=2e-3)
    with pytest.raises(ValueError, match="0 on an edge"):
        crooks_fit(counts, counts, EDGES + 0.05, n, n)


# ----------------------------------------------------------------------------- simulation


@pytest.mark.parametrize(
    "kwargs",
    [dict(tau=0.0), dict(n_runs=0), dict(kind="reset"), dict(E_b=-1.0), dict(A=-0.1),
     dict(A=float("inf")), dict(dt=0.0), dict(dt=2e-3), dict(tau=1.0, dt=0.3e-3)],
)  # fmt: skip
def test_simulate_cycle_bad_inputs(kwargs):
    args = dict(tau=1.0, n_runs=4) | kwargs
    tau, n = args.pop("tau"), args.pop("n_runs")
    with pytest.raises(ValueError):
        simulate_cycle(tau, n, **args)


def test_simulate_cycle_reproducible_and_first_law():
    a = simulate_cycle(1.0, 300, seed=5, threads=1)
    b = simulate_cycle(1.0, 300, seed=5, threads=2)
    np.testing.assert_array_equal(a.work, b.work)
    np.testing.assert_array_equal(a.final_well, b.final_well)
    u = th.potential
    dv = u(a.x_final, 1.0, 0.0) - u(a.x_initial, 1.0, 0.0)
    np.testing.assert_allclose(a.work - a.heat, dv, atol=1e-9)
    assert set(np.unique(a.final_well)) <= {-1, 1}
    assert np.all(a.final_well == np.where(a.x_final > 0, 1, -1))


def test_erasure_identities_tau16():
    """Full erasure: p = 1 and <exp(-W) 1_target> = 1/2; the naive Jarzynski average ~ 1/2."""
    s = cycle_statistics(simulate_cycle(16.0, 1000, seed=11))
    assert s.p == 1.0
    assert abs(s.jar_target - 0.5) <= 3 * s.jar_target_se
    assert abs(s.jar - 0.5) <= 3 * s.jar_se  # no failed runs sampled: misses half of 1
    assert abs(s.dF_eff - LN2) <= 3 * s.dF_eff_se
    assert 1.0 < s.mean_w < 1.35  # note: 1.150 +- 0.011 at 4000 runs


def test_control_identities_tau16():
    s = cycle_statistics(simulate_cycle(16.0, 1000, kind="control", seed=12))
    assert abs(s.p - 0.5) <= 3 * s.p_se
    assert abs(s.jar_target - 0.5) <= 3 * s.jar_target_se
    assert abs(s.jar_other - 0.5) <= 3 * s.jar_other_se


def test_fit_on_reduced_tau_set():
    """<W> = W_inf + B/tau over tau = 16, 32, 64 (fixed seed): W_inf near ln 2."""
    taus = np.array([16.0, 32.0, 64.0])
    stats = [cycle_statistics(simulate_cycle(t, 800, seed=100 + i)) for i, t in enumerate(taus)]
    fit = fit_inverse_tau(taus, [s.mean_w for s in stats], [s.mean_w_se for s in stats])
    assert abs(fit.w_inf - LN2) <= 3 * fit.w_inf_se
    assert 5.0 < fit.b < 11.0
    assert all(s.p == 1.0 for s in stats)


def test_crooks_slope_tau8():
    fwd = simulate_cycle(8.0, 2000, seed=21)
    rev = simulate_cycle(8.0, 2000, seed=22, reverse=True)
    cf, _ = np.histogram(fwd.work, EDGES)
    cr, _ = np.histogram(rev.work, EDGES)
    fit = crooks_fit(cf, cr, EDGES, 2000, 2000, window=(-1.0, 4.0))
    assert abs(fit.b - 1.0) <= 3 * fit.b_se
    assert abs(fit.a) <= 3 * fit.a_se


def test_incomplete_erasure_respects_the_generalised_bound():
    s = cycle_statistics(simulate_cycle(8.0, 1000, A=0.02, seed=31))
    assert 0.6 < s.p < 0.9
    assert s.mean_w >= landauer_bound(s.p) - 3 * s.mean_w_se
    assert abs(s.jar_target - 0.5) <= 3 * s.jar_target_se
    assert abs(s.jar_other - 0.5) <= 3 * s.jar_other_se


def test_cycle_statistics_bad_inputs():
    r = simulate_cycle(0.5, 8, seed=1)
    with pytest.raises(ValueError, match="well"):
        cycle_statistics(r, well="middle")


# ----------------------------------------------------------------------------- theory


def test_critical_tilt_and_reappearance():
    assert A_CRITICAL == pytest.approx(th.critical_tilt())
    assert th.critical_tilt() == pytest.approx(2 / (3 * np.sqrt(3)), abs=1e-15)
    eps = 1e-6
    assert len(th.local_minima(1.0, 1.0, A=A_CRITICAL - eps)) == 2
    assert len(th.local_minima(1.0, 1.0, A=A_CRITICAL + eps)) == 1
    assert th.reappearance_g(A_CRITICAL) == pytest.approx(1.0, abs=1e-12)
    for A in (0.02, 0.2, 0.35):
        gc = th.reappearance_g(A)
        assert len(th.local_minima(gc * (1 - 1e-6), 1.0, A=A)) == 1
        assert len(th.local_minima(gc * (1 + 1e-6), 1.0, A=A)) == 2
    with pytest.raises(ValueError):
        th.reappearance_g(-1.0)


def test_well_curvature_and_barrier():
    x = 1.0
    h = 1e-4
    u = th.potential(np.array([x - h, x, x + h]), 1.0, 0.0, E_b=13.0)
    assert (u[0] - 2 * u[1] + u[2]) / h**2 == pytest.approx(th.well_curvature(13.0), rel=1e-6)
    assert th.well_curvature(13.0) == 104.0
    assert th.relaxation_time(13.0) == pytest.approx(1 / 104)
    assert th.potential(0.0, 1.0, 0.0) - th.potential(1.0, 1.0, 0.0) == pytest.approx(13.0)
    assert th.barrier_height(0.5) == pytest.approx(13.0 / 4)
    assert th.equilibrium_well_probability(1.0, 0.0) == pytest.approx(0.5, abs=1e-9)
    assert th.equilibrium_well_probability(1.0, 1.0) == pytest.approx(1.0, abs=1e-9)


# ----------------------------------------------------------------------------- sweeps


@pytest.mark.parametrize("name", ["work-vs-tau", "crooks", "partial-erasure", "timestep"])
def test_sweeps_are_registered(name):
    for mode in ("quick", "full"):
        sweep = catalog.get(f"01-landauer/{name}", mode)
        assert sweep.key == f"01-landauer/{name}"
    with pytest.raises(ValueError, match="unknown sweep parameters"):
        catalog.get(f"01-landauer/{name}", "quick", bogus=1)

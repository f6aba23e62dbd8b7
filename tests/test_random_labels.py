"""Chapter 2: perceptron memorising random labels (theory and simulation)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import quad, solve_ivp
from scipy.special import expit
from scipy.stats import norm

from thermo.theory import random_labels as rl

TOY_TABLE = [  # nu, tau, dS, dQ, pC, I, eta (physics note section 4)
    (8, 1e5, 0.6931, 6.4e-4, 0.9994, 0.6885, 0.9923),
    (8, 1e-6, 0.6931, 32.0, 0.9994, 0.6885, 0.0211),
    (2, 10, 0.6327, 0.3600, 0.8445, 0.2611, 0.2630),
    (1, 1, 0.3368, 0.3679, 0.6967, 0.0795, 0.1129),
    (4, 1e3, 0.6931, 0.0160, 0.9719, 0.5651, 0.7969),
]
HEBB_TABLE = [  # alpha, nu, pC, I, alpha I, dS, eta(inf), eta(tau=1)
    (0.5, 1, 0.6849, 0.0700, 0.0350, 0.2027, 0.1726, 0.0905),
    (1, 1, 0.6751, 0.0626, 0.0626, 0.3466, 0.1806, 0.0876),
    (1, 2, 0.7600, 0.1420, 0.1420, 0.8047, 0.1765, 0.0624),
    (2, 2, 0.7174, 0.0978, 0.1956, 1.0986, 0.1780, 0.0484),
]


def _quad_pc(mean, var):
    s = np.sqrt(var)
    return quad(
        lambda d: norm.pdf(d, mean, s) * expit(d),
        mean - 40 * s,
        mean + 40 * s,
        epsabs=1e-13,
        epsrel=1e-13,
        limit=400,
        points=[0.0],
    )[0]


def _quad_mixture_entropy_change(nu):
    def p(w):
        return 0.5 * (norm.pdf(w, nu, 1) + norm.pdf(w, -nu, 1))

    def integrand(w):
        pw = p(w)
        return -pw * np.log(pw) if pw > 0 else 0.0

    s = quad(integrand, -nu - 30, nu + 30, epsabs=1e-12, limit=400, points=[-nu, 0, nu])[0]
    return s - 0.5 * np.log(2 * np.pi * np.e)


@pytest.mark.parametrize("nu", [0.1, 0.5, 1.0, 2.0, 5.0, 8.0, 12.0])
def test_toy_closed_forms_against_quadrature(nu):
    assert rl.toy_pc(nu) == pytest.approx(_quad_pc(nu, 1.0), abs=1e-9)
    assert rl.toy_entropy(nu) == pytest.approx(_quad_mixture_entropy_change(nu), abs=1e-8)


@pytest.mark.parametrize(("nu", "tau"), [(2.0, 2.0), (3.0, 0.5), (1.0, 30.0), (5.0, 1e-3)])
def test_toy_heat_against_moment_ode(nu, tau):
    # dQ/dt = (f - m)^2 for the mean m (variance stays 1); integrate ramp + relaxation
    def rhs(t, y):
        f = nu * min(t, tau) / tau
        return [-y[0] + f, (f - y[0]) ** 2]

    kw = {"rtol": 1e-11, "atol": 1e-13}
    ramp = solve_ivp(rhs, (0, tau), [0.0, 0.0], max_step=tau / 20, **kw)
    sol = solve_ivp(rhs, (tau, tau + 40), ramp.y[:, -1], **kw)
    assert rl.toy_heat(nu, tau) == pytest.approx(sol.y[1, -1], rel=1e-7)
    assert rl.ramp_mean(tau + 40, nu, tau) == pytest.approx(nu, rel=1e-12)


@pytest.mark.parametrize("row", TOY_TABLE)
def test_toy_reference_table(row):
    nu, tau, ds, dq, pc, info, eta = row
    assert rl.toy_entropy(nu) == pytest.approx(ds, abs=5e-5)
    assert rl.toy_heat(nu, tau) == pytest.approx(dq, rel=1e-3, abs=5e-5)
    assert rl.toy_pc(nu) == pytest.approx(pc, abs=5e-5)
    assert rl.toy_information(nu) == pytest.approx(info, abs=5e-5)
    assert rl.toy_efficiency(nu, tau) == pytest.approx(eta, abs=5e-5)


def test_toy_specials():
    assert rl.toy_information(8.0) == pytest.approx(0.68850, abs=1e-4)
    assert rl.toy_entropy(8.0) == pytest.approx(np.log(2), abs=1e-5)
    assert rl.toy_heat(2.0, 2.0) == pytest.approx(1.135, abs=1e-3)
    assert rl.toy_heat(3.0, 0.5) == pytest.approx(3.835, abs=1e-3)
    assert rl.toy_heat(2.0, 1e-12) == pytest.approx(2.0)
    assert rl.toy_heat(2.0, np.inf) == 0.0
    qs = rl.toy_efficiency(np.array([1, 2, 4, 8, 12]), np.inf)
    np.testing.assert_allclose(qs, [0.236, 0.413, 0.815, 0.993, 0.9998], atol=6e-4)
    assert rl.LOGISTIC_SLOPE_MEAN == pytest.approx(0.20662, abs=1e-5)
    assert rl.SMALL_NU_EFFICIENCY == pytest.approx(0.1708, abs=1e-4)
    assert rl.toy_efficiency(1e-2, np.inf) == pytest.approx(0.1708, abs=1e-3)
    assert rl.toy_qs_crossing(0.99) == pytest.approx(7.56, abs=0.01)
    # sudden switch
    nu_s, eta_s = rl.toy_optimal_nu(1e-9)
    assert eta_s == pytest.approx(0.1000, abs=5e-4)
    assert nu_s == pytest.approx(1.72, abs=0.02)
    assert rl.toy_efficiency(2.0, 1e-9) == pytest.approx(0.0992, abs=1e-4)


def test_toy_optimal_nu_table():
    taus = [1e-2, 1, 10, 1e2, 1e5]
    nus = [1.72, 1.95, 2.92, 4.62, 11.3]
    etas = [0.100, 0.124, 0.295, 0.678, 0.998]
    res = [rl.toy_optimal_nu(t) for t in taus]
    for (nu, eta), nu_ref, eta_ref in zip(res, nus, etas, strict=True):
        assert nu == pytest.approx(nu_ref, abs=0.02 if nu_ref < 10 else 0.05)
        assert eta == pytest.approx(eta_ref, abs=1e-3)
    dense = [rl.toy_optimal_nu(t) for t in np.logspace(-2, 5, 15)]
    assert np.all(np.diff([d[0] for d in dense]) > 0)
    assert np.all(np.diff([d[1] for d in dense]) > 0)


def test_toy_bound_at_random_points():
    rng = np.random.default_rng(20261128)
    nu = rng.uniform(0, 15, 4000)
    tau = 10.0 ** rng.uniform(-4, 6, 4000)
    eta = rl.toy_efficiency(nu, tau)
    assert np.all(eta <= 1.0) and np.all(eta > 0)
    grid = rl.toy_efficiency(np.linspace(0, 12, 61)[:, None], np.logspace(-2, 5, 36)[None, :])
    assert grid.max() < 1.0


@pytest.mark.parametrize("row", HEBB_TABLE)
def test_hebb_reference_table(row):
    a, nu, pc, info, ainfo, ds, eta_inf, eta_1 = row
    assert rl.hebb_pc(a, nu) == pytest.approx(pc, abs=5e-5)
    assert rl.hebb_pc(a, nu) == pytest.approx(_quad_pc(nu, 1 + a * nu**2), abs=1e-9)
    assert rl.hebb_information(a, nu) == pytest.approx(info, abs=5e-5)
    assert a * rl.hebb_information(a, nu) == pytest.approx(ainfo, abs=5e-5)
    assert rl.hebb_entropy(a, nu) == pytest.approx(ds, abs=5e-5)
    assert rl.hebb_efficiency(a, nu) == pytest.approx(eta_inf, abs=5e-5)
    assert rl.hebb_efficiency(a, nu, 1.0) == pytest.approx(eta_1, abs=5e-5)


def test_hebb_limits_and_supremum():
    assert rl.hebb_pc(1, 2) == pytest.approx(0.7600, abs=1e-4)
    for a, ref in [(10, 0.222), (100, 0.305), (1e4, 0.3182)]:
        assert a * rl.hebb_information(a, 1.0) == pytest.approx(ref, abs=6e-4)
    assert rl.hebb_pc(1e4, 1.0) == pytest.approx(_quad_pc(1.0, 1e4 + 1), abs=1e-9)
    sup, x = rl.hebb_supremum()
    assert sup == pytest.approx(0.1986, abs=1e-3)
    assert x == pytest.approx(3.36, abs=0.05)
    # the supremum bounds a dense grid
    a = np.logspace(-3, 4, 50)[:, None]
    nu = np.logspace(-2, 1.1, 50)[None, :]
    eta = rl.hebb_efficiency(a, nu)
    assert eta.max() <= sup + 1e-9
    # fixed-nu maxima
    al = np.logspace(-2, 2, 4001)
    assert rl.hebb_efficiency(al, 1.0).max() == pytest.approx(0.1925, abs=1e-4)
    assert rl.hebb_efficiency(al, 2.0).max() == pytest.approx(0.1785, abs=1e-4)
    # alpha -> 0 limit 2 I_1(nu)/nu^2
    assert rl.hebb_efficiency(0.0, 1.0) == pytest.approx(2 * rl.toy_information(1.0), rel=1e-12)
    assert rl.hebb_efficiency(1e-7, 1.0) == pytest.approx(2 * rl.toy_information(1.0), rel=1e-6)
    assert rl.hebb_efficiency(0.0, 1e-4) == pytest.approx(0.1708, abs=1e-4)


def test_hebb_per_weight_bound_on_grid():
    a = np.linspace(0, 5, 26)[:, None, None]
    nu = np.linspace(0, 12, 25)[None, :, None]
    tau = np.logspace(-2, 5, 8)[None, None, :]
    lhs = a * rl.hebb_information(a, nu + 0 * tau)
    rhs = rl.hebb_entropy(a, nu + 0 * tau) + rl.hebb_heat(a, nu, tau)
    assert np.all(lhs <= rhs + 1e-15)


def test_pc_approximations():
    a = np.linspace(0, 5, 51)[:, None]
    nu = np.linspace(0.01, 12, 400)[None, :]
    exact = rl.hebb_pc(a, nu)
    assert np.max(np.abs(rl.hebb_pc_erf(a, nu) - exact)) <= 0.01
    assert np.max(np.abs(rl.hebb_pc_probit(a, nu) - exact)) <= 0.015


@pytest.mark.parametrize(
    ("fn", "args"),
    [
        (rl.toy_heat, (-1.0, 1.0)),
        (rl.toy_heat, (1.0, 0.0)),
        (rl.toy_heat, (1.0, -1.0)),
        (rl.toy_entropy, (-0.1,)),
        (rl.toy_information, (np.nan,)),
        (rl.toy_efficiency, (1.0, 0.0)),
        (rl.hebb_pc, (-0.5, 1.0)),
        (rl.hebb_pc, (0.5, -1.0)),
        (rl.hebb_information, (-1.0, 1.0)),
        (rl.hebb_efficiency, (1.0, 1.0, 0.0)),
        (rl.hebb_efficiency, (-1.0, 1.0)),
        (rl.hebb_entropy, (1.0, -2.0)),
    ],
)
def test_bad_inputs(fn, args):
    with pytest.raises(ValueError):
        fn(*args)


# ---------------------------------------------------------------- simulations
@pytest.mark.parametrize(("nu", "tau"), [(2.0, 2.0), (3.0, 0.5)])
def test_toy_ramp_simulation_matches_theory(nu, tau):
    from thermo.perceptron import simulate_toy_ramp

    r = simulate_toy_ramp(nu, tau, n_traj=20_000, dt=2e-3, seed=7)
    se = r.heat.std(ddof=1) / np.sqrt(r.heat.size)
    assert abs(r.heat.mean() - rl.toy_heat(nu, tau)) < 3 * se
    x = r.label * r.w_final
    assert abs(x.mean() - nu) < 3 * x.std(ddof=1) / np.sqrt(x.size)
    assert abs(x.var(ddof=1) - 1.0) < 3 * np.sqrt(2.0 / x.size)
    pc = rl.toy_pc(nu)
    se_a = r.pc_averaged.std(ddof=1) / np.sqrt(x.size)
    se_s = r.pc_sampled.std(ddof=1) / np.sqrt(x.size)
    assert abs(r.pc_averaged.mean() - pc) < 3 * se_a
    assert abs(r.pc_sampled.mean() - pc) < 3 * se_s
    assert se_a < se_s


def test_toy_ramp_reproducible():
    from thermo.perceptron import simulate_toy_ramp

    a = simulate_toy_ramp(1.0, 1.0, n_traj=5000, dt=1e-2, t_relax=2.0, seed=3)
    b = simulate_toy_ramp(1.0, 1.0, n_traj=5000, dt=1e-2, t_relax=2.0, seed=3)
    np.testing.assert_array_equal(a.heat, b.heat)


@pytest.mark.parametrize(("alpha", "nu"), [(0.5, 2.0), (2.0, 1.0), (1.0, 1.0)])
def test_hebb_simulation_matches_theory(alpha, nu):
    from thermo.perceptron import simulate_hebb

    h = simulate_hebb(alpha, nu, n_weights=1000, n_rep=16, seed=11)
    # one repetition at N = 1000 scatters by ~0.011 in p_C (200 reps: no bias at alpha=0.5, nu=2),
    # so the mean of 16 has SE ~0.0027 and the tolerance 0.01 is ~3.7 SE
    assert abs(h.pc.mean() - rl.hebb_pc(alpha, nu)) < 0.01
    w2_se = h.w2.std(ddof=1) / np.sqrt(h.w2.size)
    assert abs(h.w2.mean() - (1 + alpha * nu**2)) < 3 * w2_se
    assert h.w2.mean() == pytest.approx(1 + alpha * nu**2, rel=0.03)
    var_th = 1 + nu**2 * (h.n_patterns - 1) / h.n_weights
    assert h.stability_var.mean() == pytest.approx(var_th, rel=0.05)


def test_simulation_bad_inputs():
    from thermo.perceptron import simulate_hebb, simulate_toy_ramp

    with pytest.raises(ValueError):
        simulate_toy_ramp(1.0, 0.0, seed=1)
    with pytest.raises(ValueError):
        simulate_toy_ramp(-1.0, 1.0, seed=1)
    with pytest.raises(ValueError):
        simulate_hebb(-0.5, 1.0, seed=1)
    with pytest.raises(ValueError):
        simulate_hebb(0.5, -1.0, seed=1)


@pytest.mark.parametrize(("nu", "tau", "dt", "t_relax"),
                         [(2.0, 2.0, 2e-3, 1.0), (3.0, 0.5, 2e-2, 0.0), (1.0, 8.0, 2e-2, 0.5)])  # fmt: skip
def test_toy_kernel_matches_numpy_reference(nu, tau, dt, t_relax):
    """The compiled toy-ramp steps reproduce the simple numpy loop bit for bit."""
    from thermo.perceptron import random_labels as sim

    n_ramp = max(1, int(np.ceil(tau / dt)))
    n_rel = int(np.ceil(t_relax / dt)) if t_relax > 0 else 0
    steps = [(tau / n_ramp, nu * (i + 0.5) / n_ramp) for i in range(n_ramp)]
    steps += [(t_relax / n_rel, nu)] * n_rel if n_rel else [(0.0, nu)]
    rng = np.random.default_rng(5)
    F = np.where(rng.random(301) < 0.5, -1.0, 1.0)
    w = rng.standard_normal(301)
    w_ref, work_ref = sim._toy_chunk_reference(steps, F, w.copy(), np.random.default_rng(9))
    h = np.array([s[0] for s in steps])
    decay = np.array([np.exp(-x) if x > 0 else 1.0 for x in h])
    sd = np.array([np.sqrt(-np.expm1(-2 * x)) if x > 0 else 0.0 for x in h])
    work = np.zeros(w.size)
    f = np.array([s[1] for s in steps])
    sim._toy_kernel(w, F, work, h, f, decay, sd, np.random.default_rng(9))
    np.testing.assert_array_equal(w, w_ref)
    np.testing.assert_array_equal(work, work_ref)

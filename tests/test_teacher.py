"""Chapter 3: order-parameter ODEs and efficiency of learning a teacher's rule (our model)."""

from __future__ import annotations

import numpy as np
import pytest

from thermo.theory import teacher as T

RULES = T.RULES

# physics note 03-teacher, section 9 (R, Q, eps_g, I, Delta S, Q_n, Sigma_n, eta, eta_qs)
REFERENCE = [
    ("hebb", 1, 0.5, [1.5958, 4.5465, 0.2308, 0.1529, 0.4106, 0.6366, 0.6366, 0.1460, 0.3723]),
    ("hebb", 2, 1, [1.5958, 3.5465, 0.1782, 0.2245, 0.6330, 1.2732, 1.2732, 0.1178, 0.3547]),
    ("perceptron", 1, 0.5, [0.4785, 1.4282, 0.3689, 0.0348, -0.1684, 0.4212, 0.1655, 0.1376, 0.3983]),
    ("perceptron", 1, 0.1, [1.5322, 6.1884, 0.2888, 0.0921, -0.2400, 1.0710, 0.5925, 0.1108, 0.3861]),
    ("adatron", 1, 0.5, [0.3786, 1.2660, 0.3908, 0.0241, -0.2286, 0.5000, 0.2113, 0.0887, 0.4005]),
    ("adatron", 2, 0.5, [0.4926, 1.0855, 0.3432, 0.0500, -0.3056, 1.0000, 0.5679, 0.0720, 0.3951]),
]  # fmt: skip
ETA_K1 = {
    "hebb": [0.1999, 0.1922, 0.1682, 0.1178, 0.0596, 0.0223],
    "perceptron": [0.1588, 0.1547, 0.1453, 0.1274, 0.1013, 0.0728],
    "adatron": [0.1181, 0.1121, None, 0.0887, 0.0720, 0.0545],
}


@pytest.mark.parametrize(("rule", "nu", "k", "ref"), REFERENCE)
def test_reference_rows(rule, nu, k, ref):
    e = T.efficiency(rule, nu, k)
    got = [e.R, e.Q, e.eps_g, e.information, e.entropy, e.heat, e.entropy_production, e.eta,
           T.quasi_static_efficiency(rule, nu, k)]  # fmt: skip
    np.testing.assert_allclose(got, ref, atol=5.01e-5)


@pytest.mark.parametrize("rule", RULES)
def test_eta_row_at_k1(rule):
    for nu, ref in zip([0.25, 0.5, 1, 2, 4, 8], ETA_K1[rule], strict=True):
        if ref is not None:
            assert T.efficiency(rule, nu, 1.0).eta == pytest.approx(ref, abs=5.01e-5)


@pytest.mark.parametrize("rule", RULES)
def test_gaussian_averages_monte_carlo(rule):
    rng = np.random.default_rng(3)
    n = 2_000_000
    u, z = rng.standard_normal((2, n))
    for R, Q in [(0.3, 1.0), (1.2, 2.5), (1.9, 4.0)]:
        x = R * u + np.sqrt(Q - R * R) * z
        s = np.sign(u)
        wrong = u * x < 0
        F = {"hebb": np.ones(n), "perceptron": wrong * 1.0, "adatron": np.abs(x) * wrong}[rule]
        loss = {"hebb": -s * x, "perceptron": np.abs(x) * wrong, "adatron": 0.5 * x * x * wrong}
        g = T.gaussian_averages(rule, R, Q)
        for got, mc in [(g.ug, np.mean(u * s * F)), (g.xg, np.mean(x * s * F)),
                        (g.F2, np.mean(F * F)), (g.E, np.mean(loss[rule]))]:  # fmt: skip
            assert got == pytest.approx(mc, abs=1e-3 * max(1.0, abs(mc)))


@pytest.mark.parametrize("rule", RULES)
def test_gradient_structure(rule):
    R, Q, d = 0.7, 2.1, 1e-5
    g = T.gaussian_averages(rule, R, Q)
    dE_dR = (T.population_loss(rule, R + d, Q) - T.population_loss(rule, R - d, Q)) / (2 * d)
    dE_dQ = (T.population_loss(rule, R, Q + d) - T.population_loss(rule, R, Q - d)) / (2 * d)
    assert g.a1 == pytest.approx(-dE_dR, abs=1e-8)
    assert g.a2 == pytest.approx(-2 * dE_dQ, abs=1e-8)


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize(("nu", "k"), [(1.0, 0.5), (3.0, 2.0)])
def test_ode_reaches_fixed_point_and_first_law(rule, nu, k):
    op = T.order_parameters(rule, nu, k, [80 / k])
    R, Q = T.fixed_point(rule, nu, k)
    assert op.R[0] == pytest.approx(R, abs=1e-9)
    assert op.Q[0] == pytest.approx(Q, abs=1e-9)
    assert op.heat[0] == pytest.approx(T.efficiency(rule, nu, k).heat, abs=1e-7)


def test_hebb_closed_forms():
    nu, k = 2.0, 0.5
    t = np.linspace(0, 10, 21)
    op = T.order_parameters("hebb", nu, k, t)
    c = np.sqrt(2 / np.pi)
    R = nu * c / k * (1 - np.exp(-k * t))
    np.testing.assert_allclose(op.R, R, atol=1e-8)
    np.testing.assert_allclose(op.Q, R**2 + 1 / k, atol=1e-8)
    np.testing.assert_allclose(op.heat, nu * c * R - k * R**2 / 2, atol=1e-8)
    e = T.efficiency("hebb", nu, k, t[1:])
    np.testing.assert_allclose(e.entropy, 0.5 * np.log1p(k * R[1:] ** 2), atol=1e-8)
    assert T.efficiency("hebb", nu, k).heat == pytest.approx(8 / np.pi, abs=1e-12)


@pytest.mark.parametrize(("nu", "k"), [(0.3, 0.2), (1.0, 1.0), (5.0, 0.7)])
def test_adatron_virial(nu, k):
    assert T.efficiency("adatron", nu, k).heat == pytest.approx(nu / (4 * k), abs=1e-10)


@pytest.mark.parametrize(
    ("rule", "a", "b"),
    [("hebb", (0.5, 0.25), (1, 1)), ("perceptron", (2, 4), (1, 1)), ("adatron", (2, 1), (1, 0.5))],
)
def test_scaling_collapse(rule, a, b):
    assert T.efficiency(rule, *a).eta == pytest.approx(T.efficiency(rule, *b).eta, abs=1e-8)
    kt = np.array([0.1, 1.0, 3.0])
    ea = T.efficiency(rule, a[0], a[1], kt / a[1]).eta
    eb = T.efficiency(rule, b[0], b[1], kt / b[1]).eta
    np.testing.assert_allclose(ea, eb, atol=1e-8)


def test_small_nu_limits():
    exact = {"hebb": 2 / np.pi**2, "perceptron": 8 / (5 * np.pi**2),
             "adatron": 32 / (np.pi**2 * (16 + np.pi**2))}  # fmt: skip
    for rule, val in exact.items():
        assert T.small_nu_efficiency(rule) == pytest.approx(val, rel=1e-14)
        k = 2.0
        nu = 1e-3 * (k if rule == "adatron" else np.sqrt(k))
        assert T.efficiency(rule, nu, k).eta == pytest.approx(val, abs=1e-4)


def test_information_inequality_and_ceiling():
    rho = np.linspace(-0.999, 0.999, 4001)
    assert np.all(T.information(rho) <= 4 / np.pi**2 * T.weight_information(rho) + 1e-15)
    G = T.information_ratio(np.linspace(0.0, 0.999, 200_001))
    assert G.max() == pytest.approx(4 / np.pi**2, abs=1e-6)
    assert np.all(np.diff(T.information_ratio(np.linspace(0.01, 0.999, 5000))) < 0)


def test_eta_below_ceiling_random_points():
    rng = np.random.default_rng(7)
    for _ in range(60):
        rule = RULES[rng.integers(3)]
        nu, k = np.exp(rng.uniform(-4, 3)), np.exp(rng.uniform(-3, 2))
        e = T.efficiency(rule, nu, k, np.array([0.3, 3.0]) / k)
        assert np.all(e.information <= e.weight_information + 1e-12)
        assert np.all(e.weight_information <= e.entropy + e.heat + 1e-12)
        assert np.all(e.entropy_production >= -1e-12)
        assert np.all(e.eta <= 4 / np.pi**2)
        assert T.efficiency(rule, nu, k).eta <= 4 / np.pi**2


def test_ramps_and_eta_of_t():
    etas = [T.efficiency("hebb", 1.0, 0.5, tau=tau).eta for tau in (0, 1, 10, 100, 1000)]
    np.testing.assert_allclose(etas, [0.146, 0.160, 0.249, 0.351, 0.370], atol=5.01e-4)
    assert np.all(np.diff(etas) > 0)
    assert T.efficiency("hebb", 1.0, 0.5, 2.0).eta == pytest.approx(0.106, abs=5e-4)


def test_equal_eps_ranking():
    ref = {"hebb": 0.18637, "perceptron": 0.13198, "adatron": 0.07435}
    from scipy.optimize import brentq

    for k in (0.1, 1.0, 3.0):
        for rule, val in ref.items():
            nu = brentq(lambda n, r=rule, k=k: T.efficiency(r, n, k).eps_g - 0.35, 1e-3, 50)
            assert T.efficiency(rule, nu, k).eta == pytest.approx(val, abs=1e-5)


def test_noiseless_classical_limits():
    kw = dict(gamma=1.0, Q0=1e-10, thermal_noise=False)
    op = T.order_parameters("hebb", 1.0, 0.0, [20, 100, 1000], **kw)
    np.testing.assert_allclose(op.eps_g, [0.08698, 0.03969, 0.01261], atol=5e-6)
    np.testing.assert_allclose(
        op.eps_g,
        np.arccos((1 + np.pi / (2 * np.array([20, 100, 1000]))) ** -0.5) / np.pi,
        atol=1e-6,
    )
    op = T.order_parameters("perceptron", 1.0, 0.0, [10, 100, 1000], **kw)
    np.testing.assert_allclose(op.eps_g, [0.1376, 0.0605, 0.0279], atol=5e-5)
    assert op.eps_g[-1] * 1000 ** (1 / 3) == pytest.approx(0.2786, abs=5e-4)
    for nu, ref in [(1.5, 0.00133), (1.0, 0.00150)]:
        op = T.order_parameters("adatron", nu, 0.0, [1000], **kw)
        assert op.eps_g[0] == pytest.approx(ref, abs=5e-6)


def test_bad_inputs():
    with pytest.raises(ValueError, match=r"hebb.*perceptron.*adatron"):
        T.efficiency("oja", 1.0, 1.0)
    with pytest.raises(ValueError, match="rule"):
        T.order_parameters("Hebb", 1.0, 1.0, [1.0])
    with pytest.raises(ValueError, match="k"):
        T.efficiency("hebb", 1.0, 0.0)
    with pytest.raises(ValueError, match="nu"):
        T.efficiency("hebb", -1.0, 1.0)
    with pytest.raises(ValueError, match="t"):
        T.efficiency("hebb", 1.0, 1.0, -1.0)
    with pytest.raises(ValueError, match="tau"):
        T.efficiency("hebb", 1.0, 1.0, tau=-1.0)
    with pytest.raises(ValueError, match="gamma"):
        T.order_parameters("hebb", 1.0, 1.0, [1.0], gamma=0.0)


# ---- finite-N simulation (thermo.perceptron.teacher)

from thermo.perceptron import teacher as P  # noqa: E402


@pytest.mark.parametrize(("rule", "nu"), [("hebb", 1.0), ("perceptron", 2.0), ("adatron", 2.0)])
def test_mean_field_simulation_matches_ode(rule, nu):
    runs = P.simulate_mean_field(rule, nu, 0.5, [2.0], 1000, 200, seed=11)
    s = P.summarize_runs(runs)
    e = T.efficiency(rule, nu, 0.5, 2.0)
    for key in ("R", "Q", "heat", "entropy", "information"):
        assert abs(s[key] - getattr(e, key)) < 3 * s[key + "_se"], key
    assert abs(s["eta"] - e.eta) < 3 * s["eta_se"]


def test_network_matches_reduced_and_pooled_entropy():
    kw = dict(rule="perceptron", nu=2.0, k=0.5, t=[1.0], n_weights=300)
    net = P.simulate_mean_field(**kw, n_runs=40, method="network", seed=5)
    red = P.simulate_mean_field(**kw, n_runs=400, seed=6)
    a, b = P.summarize_runs(net), P.summarize_runs(red)
    for key in ("R", "Q", "heat"):
        assert abs(a[key] - b[key]) < 3 * np.hypot(a[key + "_se"], b[key + "_se"]), key
    assert net.weights.shape == (40, 300)
    pooled = P.pooled_entropy_change(net.weights, 0.5)
    assert pooled == pytest.approx(0.5 * np.log(0.5 * net.Q[:, -1].mean()), abs=0.02)


@pytest.mark.parametrize("rule", ["hebb", "perceptron", "adatron"])
def test_network_kernel_matches_numpy_reference(rule):
    """The compiled network kernel against the simple numpy implementation, same draws."""
    rec = np.array([0, 0, 7, 200, 400])
    a, wa = P._network_chunk(rule, 2.0, 0.5, 150, 0.002, rec, 5, np.random.default_rng(3))
    b, wb = P._network_chunk_reference(rule, 2.0, 0.5, 150, 0.002, rec, 5, np.random.default_rng(3))
    np.testing.assert_allclose(wa, wb, rtol=0, atol=1e-12)
    np.testing.assert_allclose(a, b, rtol=1e-11, atol=1e-13)


def test_network_reproducible_for_any_thread_count():
    kw = dict(rule="adatron", nu=1.0, k=1.0, t=[0.1, 0.2], n_weights=50, n_runs=40,
              method="network", seed=4)  # fmt: skip
    a = P.simulate_mean_field(**kw, threads=1)
    b = P.simulate_mean_field(**kw, threads=2)
    for x, y in ((a.R, b.R), (a.Q, b.Q), (a.heat, b.heat), (a.weights, b.weights)):
        np.testing.assert_array_equal(x, y)


def test_samples_converge_to_finite_gamma_ode():
    runs = P.simulate_samples("perceptron", 2.0, 0.5, [1.0, 2.0], 300, 100, gamma=8.0, seed=7)
    op = T.order_parameters("perceptron", 2.0, 0.5, [2.0], gamma=8.0)
    s = P.summarize_runs(runs)
    for key, ref in (("R", op.R[0]), ("Q", op.Q[0]), ("heat", op.heat[0])):
        assert abs(s[key] - ref) < 3 * s[key + "_se"], key


def test_simulation_reproducible_for_any_thread_count():
    a = P.simulate_mean_field("adatron", 1.0, 1.0, [0.5], 100, 40, seed=9, threads=1)
    b = P.simulate_mean_field("adatron", 1.0, 1.0, [0.5], 100, 40, seed=9, threads=2)
    np.testing.assert_array_equal(a.Q, b.Q)
    c = P.simulate_samples("hebb", 1.0, 1.0, [0.5], 50, 40, gamma=2.0, seed=9, threads=2)
    d = P.simulate_samples("hebb", 1.0, 1.0, [0.5], 50, 40, gamma=2.0, seed=9, threads=1)
    np.testing.assert_array_equal(c.heat, d.heat)


def test_simulation_bad_inputs():
    with pytest.raises(ValueError, match="rule"):
        P.simulate_mean_field("oja", 1.0, 1.0, [1.0], 100, 2, seed=0)
    with pytest.raises(ValueError, match="n_weights"):
        P.simulate_mean_field("hebb", 1.0, 1.0, [1.0], 2, 2, seed=0)
    with pytest.raises(ValueError, match="gamma"):
        P.simulate_samples("hebb", 1.0, 1.0, [1.0], 100, 2, gamma=0.0, seed=0)
    with pytest.raises(ValueError, match="method"):
        P.simulate_mean_field("hebb", 1.0, 1.0, [1.0], 100, 2, method="exact", seed=0)
    with pytest.raises(ValueError, match="k"):
        P.simulate_mean_field("hebb", 1.0, -1.0, [1.0], 100, 2, seed=0)

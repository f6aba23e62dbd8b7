import numpy as np
import pytest

from thermo.fluctuation import hebbian_conditional, ift_estimate, ift_gaussian_exact


def test_gaussian_log_ratio_is_exactly_one():
    # Sigma = ln p(z)/p~(z) with p = N(0,1), p~ = N(mu, s^2): <e^{-Sigma}> = 1 exactly.
    mu, s = 0.3, 1.4
    # Sigma = -z^2/2 + (z-mu)^2/(2 s^2) + ln s
    H = np.array([[-0.5 + 0.5 / s**2]])
    h = np.array([-mu / s**2])
    c = mu**2 / (2 * s**2) + np.log(s)
    assert abs(ift_gaussian_exact(H, h, c) - 1.0) < 1e-12


def test_gaussian_exact_matches_monte_carlo():
    rng = np.random.default_rng(1)
    A = rng.normal(size=(3, 3)) * 0.1
    H = (A + A.T) / 2
    h = rng.normal(size=3) * 0.2
    z = rng.normal(size=(200000, 3))
    sig = np.einsum("ni,ij,nj->n", z, H, z) + z @ h + 0.1
    est = ift_estimate(sig)
    assert abs(est.value - ift_gaussian_exact(H, h, 0.1)) < 4 * est.stderr


def test_divergent_case_returns_inf():
    assert ift_gaussian_exact([[-0.6]], [0.0]) == float("inf")


def test_hebbian_conditional_equilibrium_variance():
    m, _decay, c = hebbian_conditional([0.0, 1.0, 10.0], k=1.0, nu=0.7, T=1.0)
    assert np.allclose(c, 1.0)
    assert np.isclose(m[-1], 0.7 * (1 - np.exp(-10)))


@pytest.mark.parametrize("kw", [{"k": 0.0}, {"nu": -1.0}, {"T": 0.0}, {"c0": -1.0}])
def test_hebbian_bad_inputs(kw):
    with pytest.raises(ValueError):
        hebbian_conditional(1.0, **kw)


def test_bad_inputs():
    with pytest.raises(ValueError):
        ift_gaussian_exact([[1.0, 2.0], [0.0, 1.0]], [0.0, 0.0])
    with pytest.raises(ValueError):
        ift_gaussian_exact([[1.0]], [0.0, 1.0])
    with pytest.raises(ValueError):
        ift_estimate([1.0])
    with pytest.raises(ValueError):
        ift_estimate([1.0, np.nan])


def test_gaussian_model_note_values():
    from thermo.fluctuation import GaussianLearningModel as G

    for a in (0.0, 0.2, 0.8):
        assert abs(G(a=a).ift("generalised") - 1.0) < 1e-10
    assert abs(G(a=0.0).ift("plain") - 1.0) < 1e-10
    assert abs(G(a=0.2).ift("no_transfer") - 0.787) < 1e-3
    assert abs(G(a=0.2).ift("plain") - 0.807) < 1e-3
    assert abs(G(a=0.8).ift("no_transfer") - 0.451) < 1e-3
    assert abs(G(a=0.8).ift("plain") - 0.451) < 1e-3
    m = G(a=0.0).means()
    assert m["cost"] >= m["I_wD"] >= m["I_wB"] >= 0
    assert abs(m["cost"] - 0.585) < 1e-3
    assert abs(m["I_wD"] - 0.166) < 1e-3
    assert abs(m["I_wB"] - 0.152) < 1e-3
    with pytest.raises(ValueError):
        G(dt=0.0)
    with pytest.raises(ValueError):
        G().sigma([0.0] * 10, "bogus")


def test_hebbian_ift_monte_carlo():
    from thermo.fluctuation import hebbian_ift_samples

    for tau in (0.1, 1.0):
        r = hebbian_ift_samples(tau, 20000, seed=7)
        est = ift_estimate(r["sigma"])
        assert abs(est.value - 1.0) < 4 * est.stderr
        cost = np.mean(r["ds"] + r["q"])
        assert cost >= np.mean(r["i"]) >= 0
    with pytest.raises(ValueError):
        hebbian_ift_samples(-1.0, 100)
    with pytest.raises(ValueError):
        hebbian_ift_samples(1.0, 100, P=20)


def test_teacher_bookkeeping_and_transfer_entropy():
    from thermo.fluctuation import GaussianLearningModel as G

    for a in (0.0, 0.2, 0.8):
        assert abs(G(a=a).ift("teacher") - 1.0) < 1e-10
    assert abs(G(a=0.0).transfer_entropy()) < 1e-12
    assert G(a=0.2).transfer_entropy() > 0.05
    assert abs(G(a=0.2).ift("generalised") - 1.0) < 1e-10


def test_heavy_tail_criterion():
    from thermo.fluctuation import GaussianLearningModel as G

    bad = G(a=0.8)
    assert bad.tail_eigenvalue() < 0 and bad.second_moment() == float("inf")
    good = G(a=0.2, nu=0.3)
    assert good.tail_eigenvalue() > 0
    m2 = good.second_moment()
    s = good.sample_sigma(200_000, seed=11)
    est = ift_estimate(s)
    assert abs(est.value - 1.0) < 4 * np.sqrt((m2 - 1) / s.size)
    assert np.isfinite(m2) and m2 > 1
    assert np.array_equal(s, good.sample_sigma(200_000, seed=11))


def test_hebbian_samples_thread_independent_and_seeded():
    from thermo.fluctuation import hebbian_ift_samples

    r1 = hebbian_ift_samples(1.0, 5000, seed=3, threads=1)
    r2 = hebbian_ift_samples(1.0, 5000, seed=3, threads=2)
    for key in r1:
        assert np.array_equal(r1[key], r2[key])
    r3 = hebbian_ift_samples(1.0, 5000, seed=4)
    assert not np.array_equal(r1["sigma"], r3["sigma"])


def test_hebbian_exact_means_against_monte_carlo():
    from thermo.fluctuation import hebbian_exact, hebbian_ift_samples, hebbian_inputs

    xi = hebbian_inputs(10, 5, seed=42)
    for tau in (0.3, 3.0):
        r = hebbian_ift_samples(tau, 40_000, seed=5, xi=xi)
        ex = hebbian_exact(tau, xi)
        n = r["q"].size
        assert abs(r["q"].mean() - ex.heat) < 4 * r["q"].std() / np.sqrt(n)
        err = r["train_error"]
        assert abs(err.mean() - ex.train_error) < 4 * err.std() / np.sqrt(n)
        # bound chain: cost >= I(w; sigma_T | xi) >= sum_mu I(sigma_T^mu; sigma^mu)
        cost = np.mean(r["ds"] + r["q"])
        assert cost >= r["i"].mean() >= ex.information_sum > 0
    # infinitely long learning: Q -> nu^2 sum |xi|^2 / (2 k N) = P/2 for +-1 inputs
    assert abs(hebbian_exact(50.0, xi).heat - 2.5) < 1e-12


def test_hebbian_moments_exact_and_against_monte_carlo():
    from thermo.fluctuation import hebbian_ift_moments, hebbian_ift_samples, hebbian_inputs

    xi = hebbian_inputs(10, 5, seed=42)
    for tau in (0.1, 1.0, 10.0):
        mom = hebbian_ift_moments(tau, xi)
        for v in ("generalised", "plain"):
            assert abs(mom[v].mean - 1.0) < 1e-10
    mom = hebbian_ift_moments(0.1, xi)
    r = hebbian_ift_samples(0.1, 100_000, seed=9, xi=xi)
    e2 = np.exp(-2 * r["sigma"])
    assert abs(e2.mean() - mom["generalised"].second) < 5 * e2.std() / np.sqrt(e2.size)
    # the plain estimator is far more heavy-tailed once learning has happened
    m10 = hebbian_ift_moments(10.0, xi)
    assert m10["plain"].second > 1e6 * m10["generalised"].second


def test_hebbian_langevin_heat_and_conditional_density():
    from thermo.fluctuation import hebbian_conditional, hebbian_langevin

    tau, dt, k = 1.0, 2e-3, 1.0
    L = hebbian_langevin(tau, dt, 4000, seed=8)
    # midpoint heat of a quadratic potential telescopes: equals V(w_0) - V(w_tau) exactly
    assert np.max(np.abs(L["q_strat"] - L["q_potential"])) < 1e-9
    # the Ito sum is off by k N tau on average (the Ito-Stratonovich correction)
    d = L["q_ito"] - L["q_strat"]
    assert abs(d.mean() - k * 10 * tau) < 4 * d.std() / np.sqrt(d.size) + 0.01
    m, decay, c = hebbian_conditional(tau, k=k, nu=1.0)
    resid = L["w"] - decay * L["w0"] - m * L["y"]
    # Var(w_tau | w_0, y) = c - decay^2/k (Euler: O(dt) relative bias)
    var_exact = c - decay**2 / k
    assert abs(resid.var() / var_exact - 1) < 4 * np.sqrt(2 / resid.size) + dt
    assert abs(resid.mean()) < 4 * np.sqrt(var_exact / resid.size) + dt
    L2 = hebbian_langevin(tau, dt, 4000, seed=8, threads=2)
    assert np.array_equal(L["w"], L2["w"]) and np.array_equal(L["q_ito"], L2["q_ito"])


def test_lognormal_estimates_and_samples_needed():
    from thermo.fluctuation import lognormal_ift_estimates, samples_needed

    est = lognormal_ift_estimates(1.0, 1000, 400, seed=1)
    assert est.shape == (400,)
    assert abs(est.mean() - 1.0) < 4 * est.std() / np.sqrt(est.size)
    assert np.isclose(samples_needed(1.0, 0.1), np.expm1(1.0) * 100)
    # -ln of the mean is biased upward by about (e^v - 1)/(2n)
    bias = np.mean(-np.log(lognormal_ift_estimates(2.0, 200, 4000, seed=2)))
    assert abs(bias - np.expm1(2.0) / 400) < 0.3 * np.expm1(2.0) / 400


@pytest.mark.parametrize(
    "call",
    [
        lambda f: f.hebbian_ift_samples(1.0, 1),
        lambda f: f.hebbian_ift_samples(1.0, 10, P=15),
        lambda f: f.hebbian_ift_samples(1.0, 10, k=0.0),
        lambda f: f.hebbian_ift_samples(1.0, 10, xi=np.ones((3, 3))),
        lambda f: f.hebbian_langevin(1.0, 0.0, 10),
        lambda f: f.hebbian_langevin(0.0, 0.1, 10),
        lambda f: f.hebbian_exact(-1.0, np.ones((2, 3))),
        lambda f: f.hebbian_ift_moments(1.0, np.ones((9, 3))),
        lambda f: f.lognormal_ift_estimates(-1.0, 10, 10),
        lambda f: f.samples_needed(1.0, 0.0),
        lambda f: f.GaussianLearningModel(K=0),
    ],
)
def test_more_bad_inputs(call):
    import thermo.fluctuation as f

    with pytest.raises(ValueError):
        call(f)


def test_bound_chain_at_random_parameters():
    from thermo.fluctuation import GaussianLearningModel as G

    rng = np.random.default_rng(2024)
    for _ in range(12):
        kw = dict(K=int(rng.integers(1, 6)), dt=float(rng.uniform(0.1, 2)),
                  k=float(rng.uniform(0.2, 3)), nu=float(rng.uniform(-2, 2)),
                  noise=float(rng.uniform(0.1, 2)))  # fmt: skip
        m = G(a=0.0, **kw).means()
        assert m["cost"] >= m["I_wD"] - 1e-12 >= m["I_wB"] - 2e-12 >= -3e-12
        fb = G(a=float(rng.uniform(-1, 1)), **kw)
        assert abs(fb.ift("generalised") - 1) < 1e-9
        assert fb.means()["cost"] >= fb.means()["I_wD"] - fb.transfer_entropy() - 1e-12

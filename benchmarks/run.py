"""Performance benchmarks: kernels against the rate of drawing their Gaussian numbers.

Run ``python benchmarks/run.py`` (or ``make bench``). Every measurement is repeated and
the repeats are interleaved (A, B, C, A, B, C, ...) so that a busy machine slows all
contenders alike; the tables report medians. Results are written as JSON
(``benchmarks/results/latest.json`` by default) together with a description of the
machine; the book's "Performance" page renders the committed file.

Rates are in normal numbers consumed per second (one per particle-step for the
one-dimensional kernels; one per weight-step for the perceptron, plus two per weight for
the teacher and the initial weights). The reference rate is numpy's
``Generator(PCG64).standard_normal(out=buffer)`` on one thread.

The perceptron case is chapter 3's network method,
``simulate_mean_field("perceptron", nu=2, k=0.5, ..., method="network")``: 32 independent
students of N weights (two chunks of 16 runs, so two threads have one chunk each), exact
Ornstein-Uhlenbeck step with frozen coefficients, and per step and run the three overlaps
``w'.T``, ``w'.w'`` and ``w.w'`` (R, Q and the midpoint heat). N = 100 and N = 10^4.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import textwrap
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numba
import numpy as np

from thermo._numba import jit
from thermo.langevin import simulate
from thermo.parallel import map_chunks
from thermo.perceptron import random_labels
from thermo.perceptron.teacher import simulate_mean_field
from thermo.potentials import DoubleWell, HarmonicTrap
from thermo.protocols import LinearDrag, PiecewiseLinear
from thermo.provenance import REPO_ROOT, provenance
from thermo.random import chunks

HERE = Path(__file__).resolve().parent


# --------------------------------------------------------------------------- contenders


def _trap_protocol(n_steps: int, dt: float) -> LinearDrag:
    return LinearDrag(1.0, n_steps * dt)


def _well_protocol(n_steps: int, dt: float) -> PiecewiseLinear:
    """Lower, tilt, raise, untilt: the four-stage erasure cycle, tabulated by the core."""
    tau = n_steps * dt
    return PiecewiseLinear(
        tuple(tau * s for s in (0, 0.25, 0.5, 0.75, 1.0)), ((1, 0), (0, 0), (0, 1), (1, 1), (1, 0))
    )


CASES = {
    "trap": (HarmonicTrap(1.0), _trap_protocol, 1e-3),
    "double_well": (DoubleWell(13.0, 0.5), _well_protocol, 2e-4),
}


@jit
def _flops(n: int, seed: float) -> float:
    """A compute-only control: no memory traffic, no random numbers."""
    s = seed
    for i in range(n):
        s = s * 0.9999999 + 1e-9 * i
    return s


@jit
def _draw_only(rng, buf, fills):
    """Normals drawn inside a compiled loop and stored, nothing else: the floor of a kernel."""
    for _ in range(fills):
        for i in range(buf.size):
            buf[i] = rng.standard_normal()


@jit
def _numba_global_random_trap(x, lam, dt):
    """The same Euler step with numba's own np.random (for comparison only; seeded outside)."""
    n = lam.shape[0] - 1
    noise = np.sqrt(2.0 * dt)
    for i in range(x.shape[0]):
        xi = x[i]
        for k in range(n):
            xi += -(xi - lam[k + 1]) * dt + noise * np.random.standard_normal()  # noqa: NPY002
        x[i] = xi


def _pure_python_trap(n_steps: int, dt: float) -> float:
    import random

    rnd = random.Random(1)
    x, w, noise = 0.0, 0.0, (2 * dt) ** 0.5
    lam_prev = 0.0
    for k in range(n_steps):
        lam = (k + 1) * dt
        w += 0.5 * ((x - lam) ** 2 - (x - lam_prev) ** 2)
        x += -(x - lam) * dt + noise * rnd.gauss(0.0, 1.0)
        lam_prev = lam
    return w


def _sdeint_trap(n_steps: int, dt: float) -> None:
    import sdeint

    tspan = np.linspace(0.0, n_steps * dt, n_steps + 1)
    sdeint.itoEuler(lambda x, t: -(x - t), lambda x, t: np.sqrt(2.0), 0.0, tspan)


def _numpy_best(name: str, particles: int, steps: int, threads: int) -> None:
    """The best vectorised-numpy version of the same step we could write.

    All particles advance together; normals are drawn into a preallocated buffer
    (``standard_normal(out=...)``), every update is in place, the work increment uses the
    closed form of the potential, and the heat follows from the first law at the end.
    With ``threads > 1`` the particles are split into halves with their own generators
    (numpy releases the GIL in ufuncs and in the generator's fill).
    """
    pot, make_proto, dt = CASES[name]
    _, lam = make_proto(steps, dt).table(dt)
    coef = pot.coefficients(lam)

    def run(part: tuple[int, int]) -> None:
        m, seed = part
        rng = np.random.Generator(np.random.PCG64(seed))
        x = np.zeros(m)
        w = np.zeros(m)
        z = np.empty(m)
        tmp = np.empty(m)
        noise = np.sqrt(2 * dt)
        if name == "trap":  # V = c0 + c1 x + c2 x^2 with c2 = kappa / 2
            for k in range(steps):
                c0, c1 = coef[k], coef[k + 1]
                np.multiply(x, c1[1] - c0[1], out=tmp)
                w += tmp
                rng.standard_normal(out=z)
                x *= 1.0 - 2.0 * c1[2] * dt
                x -= c1[1] * dt
                z *= noise
                x += z
        else:  # quartic: V = c1 x + c2 x^2 + c4 x^4 (c0 = c3 = 0, c4 constant)
            x2 = np.empty(m)
            for k in range(steps):
                c0, c1 = coef[k], coef[k + 1]
                np.multiply(x, x, out=x2)
                np.multiply(x2, c1[2] - c0[2], out=tmp)
                w += tmp
                np.multiply(x, c1[1] - c0[1], out=tmp)
                w += tmp
                # force -(c1 + 2 c2 x + 4 c4 x^3) = -(c1 + x (2 c2 + 4 c4 x^2))
                x2 *= 4.0 * c1[4]
                x2 += 2.0 * c1[2]
                x2 *= x
                x2 += c1[1]
                x2 *= -dt
                rng.standard_normal(out=z)
                z *= noise
                x += x2
                x += z

    parts = [(particles // threads + (i < particles % threads), 100 + i) for i in range(threads)]
    map_chunks(run, parts, threads)


PERCEPTRON = {"nu": 2.0, "k": 0.5, "dt": 0.002, "runs": 32}
_S2PI = np.sqrt(2.0 * np.pi)


def _perceptron_kernel(n_weights: int, steps: int, threads: int) -> None:
    p = PERCEPTRON
    simulate_mean_field("perceptron", p["nu"], p["k"], [steps * p["dt"]], n_weights, p["runs"],
                        dt=p["dt"], method="network", seed=1, threads=threads)  # fmt: skip


def _perceptron_numpy(n_weights: int, steps: int, threads: int) -> None:
    """The best vectorised-numpy version of the network step we could write.

    All runs of a thread advance together as one (runs, N) array; normals are drawn into a
    preallocated buffer, updates are in place, the overlaps are row-wise ``einsum`` dot
    products, and the midpoint heat uses the same overlap identity as the kernel
    (``f.dw`` from ``w.w'``), so per step there are three dot products and no extra pass.
    With ``threads > 1`` the runs are split into halves with their own generators.
    """
    nu, k, dt, N = PERCEPTRON["nu"], PERCEPTRON["k"], PERCEPTRON["dt"], n_weights

    def run(part: tuple[int, int]) -> None:
        m, seed = part
        rng = np.random.Generator(np.random.PCG64(seed))
        T = rng.standard_normal((m, N))
        T *= np.sqrt(N) / np.linalg.norm(T, axis=1, keepdims=True)
        w = rng.standard_normal((m, N))
        w *= 1.0 / np.sqrt(k)
        wn, z, tmp = np.empty((m, N)), np.empty((m, N)), np.empty((m, N))
        R = np.einsum("ij,ij->i", w, T) / N
        Q = np.einsum("ij,ij->i", w, w) / N
        heat = np.zeros(m)
        h = nu / _S2PI  # perceptron rule: a1 = 1/sqrt(2 pi), a2 = -1/sqrt(2 pi Q)
        ke = k + h / np.sqrt(Q)
        for _ in range(steps):
            e = np.exp(-ke * dt)
            c = h / ke * (1.0 - e)
            sd = np.sqrt((1.0 - e * e) / ke)
            rng.standard_normal(out=z)
            z *= sd[:, None]
            np.multiply(w, e[:, None], out=wn)
            np.multiply(T, c[:, None], out=tmp)
            wn += tmp
            wn += z
            Rn = np.einsum("ij,ij->i", wn, T) / N
            Qn = np.einsum("ij,ij->i", wn, wn) / N
            X = np.einsum("ij,ij->i", w, wn) / N
            ken = k + h / np.sqrt(Qn)
            heat += 0.5 * (-ke * (X - Q) - ken * (Qn - X) + 2.0 * h * (Rn - R))
            w, wn = wn, w
            R, Q, ke = Rn, Qn, ken

    runs = PERCEPTRON["runs"]
    parts = [(runs // threads + (i < runs % threads), 200 + i) for i in range(threads)]
    map_chunks(run, parts, threads)


def measure_perceptron(n_weights: int, steps: int, repeats: int) -> dict:
    """Interleaved medians of normals/s for the perceptron network at one N."""
    runs = PERCEPTRON["runs"]
    normals = runs * n_weights * (steps + 2)  # thermal noise, teacher and initial weights
    buf = np.empty(min(normals, 1 << 22))
    fills = -(-normals // buf.size)
    rng = np.random.Generator(np.random.PCG64(1))

    def fill() -> None:
        for _ in range(fills):
            rng.standard_normal(out=buf)

    rng_draw = np.random.Generator(np.random.PCG64(2))
    buf_draw = np.empty(buf.size)
    contenders: dict[str, Callable[[], object]] = {
        "numpy_fill": fill,
        "numba_draw": lambda: _draw_only(rng_draw, buf_draw, fills),
    }
    for threads in (1, 2):
        contenders[f"perceptron_{threads}t"] = lambda th=threads: _perceptron_kernel(
            n_weights, steps, th
        )
    for threads in (1, 2):
        contenders[f"perceptron_numpy_{threads}t"] = lambda th=threads: _perceptron_numpy(
            n_weights, steps, th
        )
    med, spread = _interleaved_medians(contenders, repeats)
    out = {key: normals / v for key, v in med.items() if key.startswith("perceptron")}
    out["numpy_fill"] = fills * buf.size / med["numpy_fill"]
    out["numba_draw"] = fills * buf.size / med["numba_draw"]
    out["control_speedup_2t"] = med["control_flops_1t"] / med["control_flops_2t"]
    return {"n_weights": n_weights, "runs": runs, "steps": steps, "repeats": repeats,
            "normals": normals, "normals_per_s": out,
            "ns_per_weight_step": {key: 1e9 * v / (runs * n_weights * steps)
                                   for key, v in med.items() if key.startswith("perceptron")},
            "spread": spread}  # fmt: skip


TOY = {"nu": 2.0, "tau": 2.0, "dt": 2e-3, "t_relax": 2.0, "n_traj": 20_000}


def _toy_numpy() -> None:
    """Chapter 2's toy ramp with the simple numpy loop the kernel replaced (same chunks)."""
    t = TOY
    n_ramp = round(t["tau"] / t["dt"])
    n_rel = round(t["t_relax"] / t["dt"])
    steps = [(t["dt"], t["nu"] * (i + 0.5) / n_ramp) for i in range(n_ramp)]
    steps += [(t["dt"], t["nu"])] * n_rel
    for ch in chunks(1, t["n_traj"], random_labels._TOY_CHUNK):
        n = ch.stop - ch.start
        F = np.where(ch.rng.random(n) < 0.5, -1.0, 1.0)
        random_labels._toy_chunk_reference(steps, F, ch.rng.standard_normal(n), ch.rng)


def measure_toy_ramp(repeats: int) -> dict:
    """The random-labels toy ramp (N = 1 perceptron): kernel, numpy loop, numpy fill."""
    t = TOY
    n_steps = round(t["tau"] / t["dt"]) + round(t["t_relax"] / t["dt"])
    normals = t["n_traj"] * n_steps
    buf = np.empty(normals // 4)
    rng = np.random.Generator(np.random.PCG64(1))

    def fill() -> None:
        for _ in range(4):
            rng.standard_normal(out=buf)

    contenders: dict[str, Callable[[], object]] = {
        "numpy_fill": fill,
        "toy_ramp_1t": lambda: random_labels.simulate_toy_ramp(
            t["nu"], t["tau"], n_traj=t["n_traj"], dt=t["dt"], t_relax=t["t_relax"], seed=1
        ),
        "toy_ramp_numpy_1t": _toy_numpy,
    }
    med, spread = _interleaved_medians(contenders, repeats, control=False)
    return {**TOY, "steps": n_steps, "repeats": repeats,
            "normals_per_s": {key: normals / v for key, v in med.items()},
            "ns_per_step": {key: 1e9 * v / normals for key, v in med.items()},
            "spread": spread}  # fmt: skip


def _interleaved_medians(
    contenders: dict[str, Callable[[], object]], repeats: int, *, control: bool = True
) -> tuple[dict[str, float], dict[str, float]]:
    """Median seconds and relative spread per contender (plus the flop-only thread control).

    Every contender runs once to compile and warm up; then the repeats are interleaved
    (A, B, C, A, B, C, ...) so that a busy machine slows all of them alike.
    """
    if control:
        for threads in (1, 2):
            contenders[f"control_flops_{threads}t"] = lambda th=threads: map_chunks(
                lambda s: _flops(50_000_000, s), [0.5, 0.7], th
            )
    for fn in contenders.values():
        fn()  # compile and warm up
    times: dict[str, list[float]] = {key: [] for key in contenders}
    for _ in range(repeats):
        for name, fn in contenders.items():
            times[name].append(_timed(fn))
    spread = {key: float(np.std(v) / np.mean(v)) for key, v in times.items()}
    return {key: _median(v) for key, v in times.items()}, spread


def _timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def _median(values: list[float]) -> float:
    return float(np.median(values))


# --------------------------------------------------------------------------- measurements


def measure_rates(particles: int, steps: int, repeats: int) -> dict:
    """Interleaved medians of normals/s for every contender at one problem size."""
    buf = np.empty(particles * steps)
    rng = np.random.Generator(np.random.PCG64(1))
    contenders: dict[str, Callable[[], object]] = {
        "numpy_fill": lambda: rng.standard_normal(out=buf)
    }
    for name, (pot, make_proto, dt) in CASES.items():
        proto = make_proto(steps, dt)
        for threads in (1, 2):
            contenders[f"{name}_{threads}t"] = lambda p=pot, pr=proto, dt=dt, th=threads: simulate(
                p, pr, particles, dt=dt, x0=0.0, seed=1, threads=th
            )
        for threads in (1, 2):
            contenders[f"{name}_numpy_{threads}t"] = lambda name=name, threads=threads: _numpy_best(
                name, particles, steps, threads
            )
    lam = np.linspace(0.0, steps * 1e-3, steps + 1)
    contenders["trap_numba_np_random"] = lambda: _numba_global_random_trap(
        np.zeros(particles), lam, 1e-3
    )
    med, spread = _interleaved_medians(contenders, repeats)
    normals = particles * steps
    out = {k: normals / v for k, v in med.items() if not k.startswith("control")}
    out["control_speedup_2t"] = med["control_flops_1t"] / med["control_flops_2t"]
    return {"particles": particles, "steps": steps, "repeats": repeats, "normals_per_s": out,
            "spread": spread}  # fmt: skip


def measure_slow_references(steps: int, repeats: int) -> dict:
    """Per-trajectory rates of sdeint and a pure-Python loop (one trajectory each)."""
    out: dict[str, float] = {}
    pure = [_timed(lambda: _pure_python_trap(steps, 1e-3)) for _ in range(repeats)]
    out["pure_python"] = steps / _median(pure)
    try:
        import sdeint  # noqa: F401
    except ImportError:
        out["sdeint"] = float("nan")
    else:
        sd = [_timed(lambda: _sdeint_trap(steps, 1e-3)) for _ in range(repeats)]
        out["sdeint"] = steps / _median(sd)
    return out


def measure_scaling(sizes: list[int], steps: int, repeats: int) -> list[dict]:
    """Time per particle-step and peak traced memory per particle, over particle numbers."""
    pot, make_proto, dt = CASES["trap"]
    proto = make_proto(steps, dt)
    rows = []
    simulate(pot, proto, 10, dt=dt, seed=0, threads=1)
    for m in sizes:
        ts = [
            _timed(lambda m=m: simulate(pot, proto, m, dt=dt, seed=0, threads=1))
            for _ in range(repeats)
        ]
        tracemalloc.start()
        simulate(pot, proto, m, dt=dt, seed=0, threads=1)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rows.append({"particles": m, "steps": steps, "seconds": _median(ts),
                     "ns_per_particle_step": 1e9 * _median(ts) / (m * steps),
                     "peak_bytes_per_particle": peak / m})  # fmt: skip
    return rows


COMPILE_SCRIPT = textwrap.dedent(
    """
    import time
    t0 = time.perf_counter()
    import numpy as np
    from thermo.langevin import simulate
    from thermo.potentials import DoubleWell, HarmonicTrap
    from thermo.protocols import LinearDrag, PiecewiseLinear
    t_import = time.perf_counter() - t0
    simulate(HarmonicTrap(1.0), LinearDrag(1.0, 0.01), 4, dt=1e-3, seed=0, method="euler")
    simulate(HarmonicTrap(1.0), LinearDrag(1.0, 0.01), 4, dt=1e-3, seed=0, method="exact",
             record_every=2, midpoint_heat=True)
    simulate(DoubleWell(), PiecewiseLinear((0, 0.01), ((1, 0), (1, 1))), 4, dt=1e-4, seed=0)
    EXTRA
    print(t_import, time.perf_counter() - t0)
    """
)

#: Kernels of the chapters, compiled in the cold/warm measurement.
EXTRA_KERNELS: list[str] = [
    "from thermo.perceptron.teacher import simulate_mean_field, simulate_samples",
    "from thermo.tur import simulate_linear_current, tracking_matrices",
    "for m in ('reduced', 'network'):",
    "    simulate_mean_field('adatron', 1.0, 1.0, [0.01], 20, 2, dt=0.002, method=m, seed=0)",
    "simulate_samples('perceptron', 1.0, 1.0, [0.1], 20, 2, gamma=1.0, seed=0)",
    "from thermo.perceptron.random_labels import simulate_toy_ramp",
    "simulate_toy_ramp(1.0, 0.1, n_traj=4, dt=0.05, t_relax=0.1, seed=0)",
    "from thermo.fluctuation import hebbian_langevin",
    "hebbian_langevin(0.01, 0.005, 2, seed=0)",
    "A, D = tracking_matrices(1.0, 1.0, 1.0)",
    "simulate_linear_current(A, D, np.zeros((2, 2)), 0.01, 4, seed=0)",
]


def measure_compile() -> dict:
    """Cold compile (empty cache directory) and warm load (same directory) in new processes."""
    script = COMPILE_SCRIPT.replace("EXTRA", "\n".join(EXTRA_KERNELS))
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        out = {}
        for label in ("cold", "warm"):
            res = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                                 text=True, check=True, cwd=REPO_ROOT)  # fmt: skip
            t_import, t_total = map(float, res.stdout.split()[-2:])
            out[label] = {"import_s": t_import, "total_s": t_total}
    return out


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "numba_threading_layer": numba.config.THREADING_LAYER,
        "load_average_start": os.getloadavg(),
    }


def summarise(result: dict) -> list[tuple[str, float, float, str]]:
    """(quantity, measured, target, verdict) rows for the report."""
    rows = []
    by_size = {r["particles"]: r["normals_per_s"] for r in result["rates"]}
    big = max(by_size)
    small = min(by_size)
    r = by_size[big]
    fill = r["numpy_fill"]
    ctrl = r["control_speedup_2t"]

    def add(label, value, target):
        rows.append((label, value, target, "met" if value >= target else "MISSED"))

    # Thread targets assume an idle second core. On a shared machine the flop-only control
    # (no memory traffic, no random numbers) tells how much of it was available: a kernel
    # meets its target if it reaches the same fraction of the ideal that the control did.
    avail = min(ctrl / 2.0, 1.0)

    def add_threads(label, value, target):
        adjusted = target * avail
        verdict = "met" if value >= target else ("met (busy machine)" if value >= adjusted
                                                  else "MISSED")  # fmt: skip
        rows.append((f"{label}; control-adjusted target {adjusted:.2f}", value, target, verdict))

    add(f"harmonic trap, serial / numpy fill ({big:,} particles)", r["trap_1t"] / fill, 0.9)
    perc = {p["n_weights"]: p for p in result.get("perceptron", [])}
    if perc:
        pb, ps = perc[max(perc)], perc[min(perc)]
        nb, ns = pb["normals_per_s"], ps["normals_per_s"]
        add(f"perceptron, serial / numpy fill (N = {pb['n_weights']:,}; normals consumed)",
            nb["perceptron_1t"] / nb["numpy_fill"], 1.0)  # fmt: skip
        best_small = max(ns["perceptron_numpy_1t"], ns["perceptron_numpy_2t"])
        add(f"perceptron: serial / best numpy (N = {ps['n_weights']:,})",
            ns["perceptron_1t"] / best_small, 5.0)  # fmt: skip
        add(f"perceptron: serial / numpy (N = {pb['n_weights']:,})",
            nb["perceptron_1t"] / nb["perceptron_numpy_1t"], 1.25)  # fmt: skip
        avail_p = min(nb["control_speedup_2t"] / 2.0, 1.0)
        for label, value, target in (
            (f"perceptron: 2 threads / serial (N = {pb['n_weights']:,})",
             nb["perceptron_2t"] / nb["perceptron_1t"], 1.8),
            (f"perceptron: 2 threads / best numpy (N = {pb['n_weights']:,})",
             nb["perceptron_2t"] / max(nb["perceptron_numpy_1t"], nb["perceptron_numpy_2t"]), 2.2),
        ):  # fmt: skip
            adjusted = target * avail_p
            verdict = "met" if value >= target else ("met (busy machine)" if value >= adjusted
                                                      else "MISSED")  # fmt: skip
            label = f"{label}; control-adjusted target {adjusted:.2f}"
            rows.append((label, value, target, verdict))
    if "toy_ramp" in result:
        toy = result["toy_ramp"]["normals_per_s"]
        add("random-labels toy ramp (N = 1), serial / numpy fill",
            toy["toy_ramp_1t"] / toy["numpy_fill"], 1.0)  # fmt: skip
    add(f"double well, serial / numpy fill ({big:,} particles)", r["double_well_1t"] / fill, 0.75)
    for name in ("trap", "double_well"):
        add_threads(f"{name}: 2 threads / serial ({big:,})", r[f"{name}_2t"] / r[f"{name}_1t"], 1.8)
        add_threads(f"{name}: 2 threads / serial ({small:,})", by_size[small][f"{name}_2t"]
            / by_size[small][f"{name}_1t"], 1.5)  # fmt: skip
        best = max(r[f"{name}_numpy_1t"], r[f"{name}_numpy_2t"])  # numpy on 1 or 2 threads
        add(f"{name}: serial / numpy ({big:,})", r[f"{name}_1t"] / r[f"{name}_numpy_1t"], 1.25)
        add_threads(f"{name}: 2 threads / best numpy ({big:,})", r[f"{name}_2t"] / best, 2.2)
    slow = result["slow_references"]
    if np.isfinite(slow["sdeint"]):
        add("trap serial / sdeint per trajectory", r["trap_1t"] / slow["sdeint"], 500)
    rows.append(("flop-only control: 2 threads / 1 thread", ctrl, 2.0, "(machine)"))
    comp = result["compile"]
    rows.append(("cold compile of all kernels [s]", comp["cold"]["total_s"], 15.0,
                 "met" if comp["cold"]["total_s"] < 15 else "MISSED"))  # fmt: skip
    rows.append(("warm import + load of all kernels [s]", comp["warm"]["total_s"], 2.0,
                 "met" if comp["warm"]["total_s"] < 2 else "MISSED"))  # fmt: skip
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke test)")
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "latest.json")
    args = parser.parse_args(argv)
    repeats = args.repeats or (2 if args.quick else 15)
    sizes = [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000]
    steps = 100 if args.quick else 1000
    start = time.time()
    result = {"machine": machine(), "provenance": provenance(), "repeats": repeats}
    result["rates"] = [
        measure_rates(m, steps if m <= 10_000 else steps // 10, repeats) for m in sizes
    ]
    perceptron_steps = {100: 2000, 10_000: 200}  # about 6.4e6 and 6.4e7 normals per run
    result["perceptron"] = [
        measure_perceptron(n, steps // 10 if args.quick else steps, repeats)
        for n, steps in perceptron_steps.items()
    ]
    result["toy_ramp"] = measure_toy_ramp(repeats)
    result["slow_references"] = measure_slow_references(200 if args.quick else 2000, repeats)
    result["scaling"] = measure_scaling(
        [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000, 1_000_000],
        100,
        max(2, repeats // 2),
    )
    result["compile"] = measure_compile()
    result["machine"]["load_average_end"] = os.getloadavg()
    result["wall_time_s"] = time.time() - start
    result["summary"] = [dict(zip(("quantity", "measured", "target", "verdict"), row, strict=True))
                         for row in summarise(result)]  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, default=float) + "\n")
    print(f"machine: {result['machine']['cpu']} ({result['machine']['cpus']} CPUs), "
          f"load {result['machine']['load_average_start']}")  # fmt: skip
    print(f"numpy fill rate: {result['rates'][-1]['normals_per_s']['numpy_fill'] / 1e6:.1f} M/s")
    for q, v, t, verdict in summarise(result):
        print(f"  {q:55s} {v:10.3g}  (target {t:g})  {verdict}")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

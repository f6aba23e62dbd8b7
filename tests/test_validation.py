"""Bad inputs raise ValueError naming the parameter, before any work is done."""

from __future__ import annotations

import numpy as np
import pytest

from thermo.langevin import simulate
from thermo.potentials import DoubleWell, HarmonicTrap
from thermo.protocols import Constant, LinearDrag, PiecewiseLinear
from thermo.random import as_seed_sequence, chunks

TRAP, DRAG = HarmonicTrap(1.0), LinearDrag(1.0, 1.0)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(n_particles=0, dt=1e-2), "n_particles"),
        (dict(n_particles=2.5, dt=1e-2), "n_particles"),
        (dict(n_particles=10, dt=0.0), "dt"),
        (dict(n_particles=10, dt=-1e-3), "dt"),
        (dict(n_particles=10, dt=float("nan")), "dt"),
        (dict(n_particles=10, dt=float("inf")), "dt"),
        (dict(n_particles=10, dt=0.3), "dt"),  # 1.0/0.3 is not a whole number of steps
        (dict(n_particles=10, dt=1e-2, method="rk4"), "method"),
        (dict(n_particles=10, dt=1e-2, record_every=-1), "record_every"),
        (dict(n_particles=10, dt=1e-2, seed=-1), "seed"),
        (dict(n_particles=10, dt=1e-2, seed=1.5), "seed"),
        (dict(n_particles=10, dt=1e-2, threads=0), "threads"),
        (dict(n_particles=10, dt=1e-2, x0="uniform"), "x0"),
        (dict(n_particles=10, dt=1e-2, x0=np.nan), "x0"),
    ],
)
def test_simulate_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        simulate(TRAP, DRAG, **kwargs)


def test_time_step_too_large_for_stiffness():
    with pytest.raises(ValueError, match=r"dt \* kappa_max"):
        simulate(HarmonicTrap(50.0), LinearDrag(1.0, 1.0), 10, dt=0.01)


def test_double_well_stiffness_check_uses_the_deepest_minimum():
    pot = DoubleWell(13.0, 0.5)  # curvature up to ~ 4 E_b (3 x^2 - 1) ~ 170 at full tilt
    proto = PiecewiseLinear((0, 1.0), ((1, 1), (1, 1)))
    with pytest.raises(ValueError, match="dt"):
        simulate(pot, proto, 10, dt=1e-3)
    simulate(pot, proto, 10, dt=2e-4, seed=0)  # accepted


def test_exact_method_needs_harmonic_potential():
    proto = PiecewiseLinear((0, 1.0), ((1, 0), (1, 0)))
    with pytest.raises(ValueError, match="exact"):
        simulate(DoubleWell(), proto, 10, dt=1e-4, method="exact")


def test_control_count_mismatch():
    with pytest.raises(ValueError, match="control"):
        simulate(DoubleWell(), DRAG, 10, dt=1e-4)


@pytest.mark.parametrize(
    ("factory", "match"),
    [
        (lambda: HarmonicTrap(0.0), "kappa"),
        (lambda: HarmonicTrap(-1.0), "kappa"),
        (lambda: DoubleWell(E_b=0.0), "E_b"),
        (lambda: DoubleWell(A=-0.1), "A"),
        (lambda: DoubleWell(A=float("nan")), "A"),
        (lambda: LinearDrag(1.0, 0.0), "duration"),
        (lambda: LinearDrag(float("inf"), 1.0), "v"),
        (lambda: Constant((0.0,), -1.0), "duration"),
        (lambda: PiecewiseLinear((0, 0), ((0,), (1,))), "knots"),
        (lambda: PiecewiseLinear((1, 2), ((0,), (1,))), "knots"),
        (lambda: PiecewiseLinear((0, 1), ((0,), (np.nan,))), "knot_values"),
    ],
)
def test_parameter_dataclasses_validate(factory, match):
    with pytest.raises(ValueError, match=match):
        factory()


def test_seed_types():
    assert as_seed_sequence(3).entropy == 3
    ss = np.random.SeedSequence(5)
    assert as_seed_sequence(ss) is ss
    with pytest.raises(ValueError, match="seed"):
        as_seed_sequence(True)
    with pytest.raises(ValueError, match="seed"):
        as_seed_sequence("1")
    with pytest.raises(ValueError, match="n_items"):
        chunks(0, 0)


def test_chunks_cover_items_exactly_once():
    cs = chunks(1, 1000, chunk_size=256)
    assert [c.start for c in cs] == [0, 256, 512, 768]
    assert cs[-1].stop == 1000

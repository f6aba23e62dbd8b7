"""The published sweeps, one line each: ``"<chapter>/<name>": "module:factory"``.

Kept apart from :mod:`thermo.catalog` so that chapters add lines without touching
code (``.gitattributes`` merges this file line-wise). Keep one entry per line.
"""

REGISTRY: dict[str, str] = {
    # "<chapter>/<name>": "module:factory",
    "01-landauer/work-vs-tau": "thermo.landauer_sweeps:work_vs_tau",
    "01-landauer/crooks": "thermo.landauer_sweeps:crooks",
    "01-landauer/partial-erasure": "thermo.landauer_sweeps:partial_erasure",
    "01-landauer/timestep": "thermo.landauer_sweeps:timestep",
    "03-teacher/dynamics": "thermo.teacher_sweeps:dynamics",
    "03-teacher/network": "thermo.teacher_sweeps:network",
    "03-teacher/gamma": "thermo.teacher_sweeps:gamma",
    "05-tur/finite-time": "thermo.tur_sweeps:finite_time",
    "05-tur/blocks": "thermo.tur_sweeps:blocks",
    "02-random-labels/toy-ramp": "thermo.random_labels_sweeps:toy_ramp",
    "02-random-labels/hebb": "thermo.random_labels_sweeps:hebb",
    "04-fluctuation-theorem/perceptron-ift": "thermo.fluctuation_sweeps:perceptron_ift",
}

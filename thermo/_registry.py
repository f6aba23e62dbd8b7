"""The published sweeps, one line each: ``"<chapter>/<name>": "module:factory"``.

Kept apart from :mod:`thermo.catalog` so that chapters add lines without touching
code (``.gitattributes`` merges this file line-wise). Keep one entry per line.
"""

REGISTRY: dict[str, str] = {
    # "<chapter>/<name>": "module:factory",
}

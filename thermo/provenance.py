"""Where the book's files live, and where a number came from.

:func:`provenance` returns the record stored next to every data file and figure:
package version, git commit (and whether the work tree was dirty), library
versions, Python, machine and date.
"""

from __future__ import annotations

import datetime as _dt
import functools
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

__all__ = [
    "REPO_ROOT",
    "claims_dir",
    "data_dir",
    "git_commit",
    "provenance",
]

#: Root of the source tree (the package is installed in editable mode).
REPO_ROOT = Path(__file__).resolve().parents[1]


def data_dir() -> Path:
    """Directory of cached sweep data: ``$THERMO_DATA_DIR`` or ``<repo>/data``."""
    return Path(os.environ.get("THERMO_DATA_DIR") or REPO_ROOT / "data")


def claims_dir() -> Path:
    """Directory where executed notebooks write their claim ledgers.

    ``$THERMO_CLAIMS_DIR`` or ``<repo>/_build/claims``.
    """
    return Path(os.environ.get("THERMO_CLAIMS_DIR") or REPO_ROOT / "_build" / "claims")


@functools.lru_cache(maxsize=1)
def git_commit() -> tuple[str, bool]:
    """``(commit hash, dirty)`` of the repository, or ``("unknown", False)`` outside git."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True,
            check=True, timeout=10,
        ).stdout.strip()  # fmt: skip
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO_ROOT,
            capture_output=True, text=True, check=True, timeout=10,
        ).stdout.strip()  # fmt: skip
        return commit, bool(status)
    except (OSError, subprocess.SubprocessError):
        return "unknown", False


def provenance(**extra: Any) -> dict[str, Any]:
    """Provenance record: versions, commit, machine and UTC date, plus ``extra`` fields."""
    import numba
    import numpy
    import scipy

    from thermo import __version__

    commit, dirty = git_commit()
    record: dict[str, Any] = {
        "package": "stl-thermo",
        "package_version": __version__,
        "git_commit": commit,
        "git_dirty": dirty,
        "python": sys.version.split()[0],
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "numba": numba.__version__,
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        "date": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
    }
    record.update(extra)
    return record

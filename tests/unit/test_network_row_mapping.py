"""Corridor network <-> rows (store/mapping/network.py), without a database."""

from __future__ import annotations

import random
from dataclasses import fields
from datetime import UTC, datetime

from hypothesis import given
from tests.network_examples import networks, small_network

from transcaspian.domain.network import CorridorNetwork
from transcaspian.services.ports import DatasetVersion
from transcaspian.store.mapping.network import (
    NetworkRows,
    network_from_rows,
    network_to_rows,
    version_from_row,
    version_to_row,
)


def assert_same_network(got: CorridorNetwork, expected: CorridorNetwork) -> None:
    assert got == expected
    # mappings iterate in the order they were loaded, not only hold the same items
    for name in ("locations", "legs", "services", "tariffs", "sources"):
        assert list(getattr(got, name)) == list(getattr(expected, name)), name


def test_the_small_network_comes_back_from_its_rows_unchanged():
    network = small_network()

    assert_same_network(network_from_rows(network_to_rows(network)), network)


@given(networks())
def test_any_network_comes_back_from_its_rows_unchanged(network):
    assert_same_network(network_from_rows(network_to_rows(network)), network)


@given(networks())
def test_the_order_rows_are_read_in_does_not_matter(network):
    rows = network_to_rows(network)
    shuffled = NetworkRows(
        **{f.name: random.Random(7).sample(getattr(rows, f.name), len(getattr(rows, f.name)))
           for f in fields(rows)}
    )  # fmt: skip

    assert_same_network(network_from_rows(shuffled), network)


def test_each_cited_source_becomes_one_reference_row_in_citing_order():
    network = small_network()

    refs = network_to_rows(network).source_refs
    rail = [
        r.source_id for r in refs if r.subject_id == "AZALA-GEPTI-rail" and r.role == "distance"
    ]

    assert rail == list(network.legs["AZALA-GEPTI-rail"].distance_sources)
    assert len(refs) == sum(
        len(x.sources) for x in [*network.locations.values(), *network.tariffs.values()]
    ) + sum(
        len(leg.distance_sources) + len(leg.time_sources) for leg in network.legs.values()
    ) + sum(len(s.sources) + len(s.time_sources) for s in network.services.values()) + sum(
        len(c.sources) for c in network.capacities
    ) + sum(len(d.sources) for d in network.dwell_times)


def test_a_dataset_version_comes_back_from_its_row():
    version = DatasetVersion(
        "ab" * 32, "/data/corridor", datetime(2025, 5, 1, tzinfo=UTC), {"legs": 3}
    )

    assert version_from_row(version_to_row(version)) == version

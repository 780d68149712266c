"""Every numeric figure in every bundled file has a source, or is an explicit assumption."""

import pytest

from transcaspian.data.loader import figure_census, figures_without_source, read_table
from transcaspian.settings import BUNDLED_DATASET

CSV_FILES = sorted(BUNDLED_DATASET.glob("*.csv"))
SOURCE_FILES = [f for f in CSV_FILES if f.name.startswith("sources")]


def all_sources() -> dict[str, dict[str, str]]:
    return {row["source_id"]: row for f in SOURCE_FILES for row in read_table(f).rows}


def test_the_bundled_dataset_has_its_core_files():
    names = {f.name for f in CSV_FILES}
    assert {
        "sources.csv",
        "locations.csv",
        "legs.csv",
        "services.csv",
        "departures.csv",
        "tariffs.csv",
        "capacities.csv",
        "dwell_times.csv",
    } <= names


@pytest.mark.parametrize("path", CSV_FILES, ids=lambda p: p.name)
def test_every_numeric_figure_has_a_known_source(path):
    table = read_table(path)
    problems = figures_without_source(table, all_sources())
    assert problems == [], "\n".join(map(str, problems))


def test_the_source_rule_catches_a_figure_whose_source_is_removed():
    table = read_table(BUNDLED_DATASET / "legs.csv")
    row = dict(table.rows[0])
    row["distance_km_source"] = ""
    broken = type(table)(table.name, table.columns, (row, *table.rows[1:]))
    problems = figures_without_source(broken, all_sources())
    assert [str(p) for p in problems] == [
        "legs.csv:1: distance_km_source: no source for distance_km"
    ]


def test_every_assumption_states_its_reasoning_and_every_web_source_its_url():
    for source_id, row in all_sources().items():
        if row["kind"] == "assumption":
            assert len(row["reasoning"].strip()) >= 20, source_id
        if row["kind"] == "web":
            assert row["url"].startswith(("http://", "https://")), source_id


def test_most_figures_cite_a_publication_not_an_assumption():
    census = figure_census(BUNDLED_DATASET)
    assert census["unsourced"] == 0
    assert census["figures"] == census["published"] + census["assumption"]
    assert census["published"] > census["assumption"] > 0


def test_the_census_counts_an_assumed_figure_as_an_assumption(tmp_path):
    (tmp_path / "sources.csv").write_text(
        "source_id,kind,title,url,reasoning\n"
        "pub,web,A page,https://example.org/a,\n"
        "guess,assumption,A guess,,because the page gives only a range of 10 to 30\n"
    )
    (tmp_path / "things.csv").write_text(
        "thing_id,year,value,source\nt1,2024,12.5,pub\nt2,2024,20,guess\nt3,2025,7,\n"
    )
    census = figure_census(tmp_path)
    assert census == {"figures": 3, "published": 1, "assumption": 1, "unsourced": 1}

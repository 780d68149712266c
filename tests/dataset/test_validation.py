"""`transcaspian data validate`: the bundled dataset passes; a copy with one broken row fails with
one line naming file, row, field and problem."""

import itertools
import subprocess
import sys
from pathlib import Path

import pytest

from tests.dataset.conftest import read_rows, write_rows
from transcaspian.data.loader import read_dataset, unserved_water_legs, validate_dataset
from transcaspian.settings import BUNDLED_DATASET


def run_validate(path: Path | None = None) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, "-m", "transcaspian", "data", "validate"]
    if path is not None:
        args.append(str(path))
    return subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)


def test_the_bundled_dataset_is_valid():
    assert validate_dataset(BUNDLED_DATASET) == []
    result = run_validate()
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: ")


def single_problem(path: Path) -> str:
    problems = validate_dataset(path)
    assert len(problems) == 1, [str(p) for p in problems]
    result = run_validate(path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0] == f"error: {problems[0]}"
    assert "Traceback" not in result.stderr
    return lines[0]


def no_service_uses(leg: dict[str, str]) -> bool:
    """True for a leg between locations that no service calls at one after the other."""
    _, services = read_rows(BUNDLED_DATASET / "services.csv")
    pairs = set()
    for service in services:
        stops = service["stops"].split(";")
        pairs |= {frozenset(p) for p in itertools.pairwise(stops)}
    return frozenset((leg["origin"], leg["destination"])) not in pairs


def test_a_leg_to_an_unknown_location(dataset_copy, edit_row):
    row = edit_row("legs.csv", lambda r: r.update(destination="XXNOP"), where=no_service_uses)
    line = single_problem(dataset_copy)
    assert line == f"error: legs.csv:{row}: destination: unknown location 'XXNOP'"


def test_a_negative_distance(dataset_copy, edit_row):
    row = edit_row("legs.csv", lambda r: r.update(distance_km="-120"))
    line = single_problem(dataset_copy)
    assert line.startswith(f"error: legs.csv:{row}: distance_km: ")
    assert "greater than 0" in line and "-120" in line


def test_a_figure_without_a_source(dataset_copy, edit_row):
    row = edit_row("capacities.csv", lambda r: r.update(source=""))
    line = single_problem(dataset_copy)
    assert line == f"error: capacities.csv:{row}: source: no source for value"


def test_a_source_that_does_not_exist(dataset_copy, edit_row):
    row = edit_row("dwell_times.csv", lambda r: r.update(source="no-such-source"))
    line = single_problem(dataset_copy)
    assert line == f"error: dwell_times.csv:{row}: source: unknown source 'no-such-source'"


def test_an_assumption_without_reasoning(dataset_copy, edit_row):
    row = edit_row(
        "sources.csv", lambda r: r.update(reasoning=""), where=lambda r: r["kind"] == "assumption"
    )
    line = single_problem(dataset_copy)
    assert line == f"error: sources.csv:{row}: reasoning: an assumption needs its reasoning"


def test_a_malformed_un_locode(dataset_copy, edit_row):
    row = edit_row(
        "locations.csv",
        lambda r: r.update(un_locode="KZ1"),
        where=lambda r: r["un_locode"] == "KZAAU",
    )
    line = single_problem(dataset_copy)
    assert line.startswith(f"error: locations.csv:{row}: un_locode: 'KZ1' is not a UN/LOCODE")


def test_a_un_locode_that_differs_from_the_location_id(dataset_copy, edit_row):
    row = edit_row(
        "locations.csv",
        lambda r: r.update(un_locode="KZKUR"),
        where=lambda r: r["un_locode"] == "KZAAU",
    )
    line = single_problem(dataset_copy)
    assert line.startswith(f"error: locations.csv:{row}: location_id: 'KZAAU' differs")


def test_a_local_code_that_looks_like_a_un_locode(dataset_copy, edit_row):
    row = edit_row(
        "locations.csv", lambda r: r.update(un_locode=""), where=lambda r: r["un_locode"] == "KZAAU"
    )
    line = single_problem(dataset_copy)
    assert line.startswith(f"error: locations.csv:{row}: location_id: 'KZAAU' has no UN/LOCODE")


def test_a_duplicate_id(dataset_copy):
    path = dataset_copy / "legs.csv"
    columns, rows = read_rows(path)
    rows.append(dict(rows[0]))
    write_rows(path, columns, rows)
    line = single_problem(dataset_copy)
    assert line == (
        f"error: legs.csv:{len(rows)}: leg_id: duplicate id {rows[0]['leg_id']!r} (first on row 1)"
    )


def test_a_timetable_whose_arrival_precedes_its_departure(dataset_copy, edit_row):
    row = edit_row("services.csv", lambda r: r.update(time_p50_h="-20"))
    line = single_problem(dataset_copy)
    assert line.startswith(f"error: services.csv:{row}: time_p50_h: ")
    assert "-20" in line


def test_a_running_time_shorter_than_its_minimum(dataset_copy, edit_row):
    row = edit_row("legs.csv", lambda r: r.update(time_min_h=str(float(r["time_p50_h"]) + 5)))
    line = single_problem(dataset_copy)
    assert line.startswith(f"error: legs.csv:{row}: time_p50_h: ")
    assert "arrival before the departure" in line


def test_a_p90_below_the_p50(dataset_copy, edit_row):
    row = edit_row(
        "dwell_times.csv",
        lambda r: r.update(p90_h=str(float(r["p50_h"]) / 2)),
        where=lambda r: float(r["p50_h"]) > 1,
    )
    line = single_problem(dataset_copy)
    assert line.startswith(f"error: dwell_times.csv:{row}: p90_h: ")


def test_a_service_whose_stops_have_no_leg(dataset_copy, edit_row):
    def reverse_stops(row: dict[str, str]) -> None:
        stops = row["stops"].split(";")
        row["stops"] = ";".join(
            [stops[0], "GRPIR"] if stops[-1] != "GRPIR" else [stops[0], "CNURM"]
        )

    row = edit_row("services.csv", reverse_stops, where=lambda r: r["mode"] == "ferry")
    line = single_problem(dataset_copy)
    assert line.startswith(f"error: services.csv:{row}: stops: no ferry leg joins ")


def test_a_departure_of_an_unknown_service(dataset_copy):
    path = dataset_copy / "departures.csv"
    columns, rows = read_rows(path)
    rows.append({**rows[0], "service_id": "no-such-service"})
    write_rows(path, columns, rows)
    line = single_problem(dataset_copy)
    assert line == (
        f"error: departures.csv:{len(rows)}: service_id: unknown service 'no-such-service'"
    )


@pytest.mark.parametrize(
    ("file", "column", "value"),
    [
        ("legs.csv", "mode", "hovercraft"),
        ("locations.csv", "kind", "castle"),
        ("departures.csv", "weekday", "Someday"),
        ("tariffs.csv", "unit", "bucket"),
    ],
)
def test_an_unknown_enum_value(dataset_copy, edit_row, file, column, value):
    where = no_service_uses if file == "legs.csv" else (lambda r: True)
    row = edit_row(file, lambda r: r.update({column: value}), where=where)
    line = single_problem(dataset_copy)
    assert line.startswith(f"error: {file}:{row}: {column}: ")
    assert value in line


def test_a_missing_file(dataset_copy):
    (dataset_copy / "legs.csv").unlink()
    assert single_problem(dataset_copy) == "error: legs.csv: file is missing"


def test_a_missing_column(dataset_copy):
    path = dataset_copy / "legs.csv"
    columns, rows = read_rows(path)
    columns.remove("distance_km")
    for row in rows:
        del row["distance_km"]
    write_rows(path, columns, rows)
    assert (
        single_problem(dataset_copy) == "error: legs.csv: distance_km: required column is missing"
    )


def test_several_problems_give_one_line_each(dataset_copy, edit_row):
    edit_row("legs.csv", lambda r: r.update(distance_km="-1"))
    edit_row("capacities.csv", lambda r: r.update(source=""))
    result = run_validate(dataset_copy)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 2


# --- water legs are crossed only by services --------------------------------------------------


def unserved_directions(path: Path) -> set[tuple[str, str, str]]:
    return {
        (item.leg.leg_id, item.origin, item.destination)
        for item in unserved_water_legs(read_dataset(path))
    }


def test_the_water_legs_no_service_sails_are_reported_by_name():
    unserved = unserved_directions(BUNDLED_DATASET)
    # the legs the issue names: sailed by no service in these directions today
    assert {
        ("GEBUS-ROCND-ferry", "ROCND", "GEBUS"),
        ("GEBUS-ROCND-sea", "ROCND", "GEBUS"),
        ("GEPTI-BGVAR-ferry", "GEPTI", "BGVAR"),
        ("GEPTI-BGVAR-ferry", "BGVAR", "GEPTI"),
        ("GRPIR-NLRTM-sea", "GRPIR", "NLRTM"),
        ("GRPIR-NLRTM-sea", "NLRTM", "GRPIR"),
        ("CNLYG-CNSHA-sea", "CNSHA", "CNLYG"),
        ("CNLYG-CNSHA-sea", "CNLYG", "CNSHA"),
    } <= unserved
    # sailed by a service: never reported
    assert (
        not {
            ("KZKUR-AZALA-ferry", "KZKUR", "AZALA"),
            ("KZKUR-AZALA-ferry", "AZALA", "KZKUR"),
            ("GEPTI-ROCND-ferry", "ROCND", "GEPTI"),
            ("GEBUS-BGBOJ-ferry", "GEBUS", "BGBOJ"),
            ("GEBUS-ROCND-sea", "GEBUS", "ROCND"),
        }
        & unserved
    )
    result = run_validate()
    assert result.returncode == 0
    warnings = result.stderr.strip().splitlines()
    assert len(warnings) == len(unserved)
    assert all(line.startswith("warning: legs.csv:") for line in warnings)
    assert any("GEPTI-BGVAR-ferry is unserved BGVAR->GEPTI" in line for line in warnings)


def test_a_water_leg_loses_its_service_and_becomes_unserved(dataset_copy):
    path = dataset_copy / "services.csv"
    columns, rows = read_rows(path)
    write_rows(path, columns, [r for r in rows if r["service_id"] != "e60-poti-constanta"])
    departures = dataset_copy / "departures.csv"
    columns, rows = read_rows(departures)
    write_rows(departures, columns, [r for r in rows if r["service_id"] != "e60-poti-constanta"])
    assert validate_dataset(dataset_copy) == []  # a warning, not an error
    unserved = unserved_directions(dataset_copy)
    assert ("GEPTI-ROCND-ferry", "GEPTI", "ROCND") in unserved
    assert ("GEPTI-ROCND-ferry", "ROCND", "GEPTI") not in unserved
    assert ("GEPTI-ROCND-ferry", "GEPTI", "ROCND") not in unserved_directions(BUNDLED_DATASET)


def test_a_service_of_another_mode_does_not_serve_a_water_leg(dataset_copy, edit_row):
    # the Aktau-Alat feeders are `sea`; made `ferry`, the sea leg loses its service
    feeders = ("kmtf-aktau-alat-feeder", "kmtf-alat-aktau-feeder", "kmtf-aktau-alat-weekly-2019")
    for service_id in feeders:
        edit_row(
            "services.csv",
            lambda r: r.update(mode="ferry"),
            where=lambda r, s=service_id: r["service_id"] == s,
        )
    unserved = unserved_directions(dataset_copy)
    assert ("KZAAU-AZALA-sea", "KZAAU", "AZALA") in unserved
    assert ("KZAAU-AZALA-sea", "AZALA", "KZAAU") in unserved


def test_a_capacity_of_an_unknown_subject(dataset_copy, edit_row):
    row = edit_row("capacities.csv", lambda r: r.update(subject="caspian"))
    line = single_problem(dataset_copy)
    assert line == (
        f"error: capacities.csv:{row}: subject: "
        "unknown location, leg, service or corridor 'caspian'"
    )

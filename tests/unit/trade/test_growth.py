"""Growth arithmetic: CAGR, the path to a target and the year a trend reaches it."""

import itertools
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transcaspian.domain.errors import InvalidValueError
from transcaspian.domain.trade import (
    LABELS,
    Period,
    PeriodKind,
    Reporter,
    TradeDirection,
    TradeFlow,
    TradeObservation,
    annual_series,
    cagr,
    disagreements,
    growth_path,
    label,
    reporters_with_series,
    required_growth,
    year_on_year,
    year_reaching,
)

values = st.floats(min_value=1.0, max_value=1e5, allow_nan=False)
rates = st.floats(min_value=0.01, max_value=2.0)


def test_cagr_of_a_doubling_in_one_year_is_100_percent():
    assert cagr(100, 200, 1) == pytest.approx(1.0)
    assert cagr(109, 529.4, 3) == pytest.approx((529.4 / 109) ** (1 / 3) - 1)


@given(values, values, st.integers(min_value=1, max_value=30))
def test_compounding_the_cagr_gives_back_the_last_value(first, last, years):
    assert first * (1 + cagr(first, last, years)) ** years == pytest.approx(last, rel=1e-9)


@pytest.mark.parametrize(("first", "last", "years"), [(0, 10, 1), (10, -1, 1), (10, 20, 0)])
def test_cagr_rejects_non_positive_values_and_years(first, last, years):
    with pytest.raises(InvalidValueError):
        cagr(first, last, years)


@given(values, values, st.integers(min_value=2000, max_value=2030), st.integers(1, 15))
def test_the_growth_path_starts_at_the_value_and_ends_at_the_target(start, target, year, n):
    path = growth_path(year, start, target, year + n)
    assert path[0] == (year, pytest.approx(start))
    assert path[-1] == (year + n, target)
    assert [y for y, _ in path] == list(range(year, year + n + 1))
    rate = required_growth(start, target, n)
    for (_, a), (_, b) in itertools.pairwise(path):
        assert b / a == pytest.approx(1 + rate, rel=1e-9)


@given(values, values, rates)
def test_the_year_reaching_is_the_first_year_at_or_above_the_target(start, target, rate):
    year = year_reaching(2024, start, target, rate)
    assert year is not None
    n = year - 2024
    assert start * (1 + rate) ** n >= target * (1 - 1e-9)
    if n > 0:
        assert start * (1 + rate) ** (n - 1) < target


def test_a_shrinking_trend_never_reaches_a_higher_target():
    assert year_reaching(2024, 470, 1000, -0.05) is None
    assert year_reaching(2024, 470, 1000, 0.0) is None
    assert year_reaching(2024, 1200, 1000, -0.05) == 2024


def test_needing_one_billion_from_470_in_2030_takes_about_13_percent_a_year():
    assert required_growth(470, 1000, 6) == pytest.approx(0.1341, abs=1e-4)
    assert year_reaching(2024, 470, 1000, 0.441) == 2027  # 470*1.441^3 = 1406 ≥ 1000 > 977


def test_year_on_year_growth():
    growth = year_on_year([(2022, 460), (2023, 529.4), (2025, 600)])
    assert growth[0].growth is None
    assert growth[1].growth == pytest.approx(0.1509, abs=1e-4)
    assert growth[2].growth is None  # 2024 missing: no growth over two years


@pytest.mark.parametrize(
    ("text", "kind", "months"),
    [
        ("2023", PeriodKind.YEAR, 12),
        ("2024-H1", PeriodKind.HALF_YEAR, 6),
        ("2025-01..10", PeriodKind.MONTHS, 10),
        ("2023-ytd", PeriodKind.YEAR_TO_DATE, None),
        ("unstated", PeriodKind.UNSTATED, None),
    ],
)
def test_periods_parse(text, kind, months):
    period = Period.parse(text)
    assert period.kind is kind
    assert period.months == months


@pytest.mark.parametrize("text", ["2023-H3", "2025-10..01", "23", "2025-00..03", ""])
def test_a_malformed_period_is_rejected(text):
    with pytest.raises(InvalidValueError, match="period"):
        Period.parse(text)


def _obs(series_id, period, value, used=False, flow=TradeFlow.TURNOVER, reporter=Reporter.KZ):
    return TradeObservation(
        series_id, Period.parse(period), flow, value, ("s",), reporter, used=used
    )


def test_an_observation_needs_a_source_and_a_non_negative_value():
    with pytest.raises(InvalidValueError, match="source"):
        TradeObservation("x", Period.parse("2023"), TradeFlow.TURNOVER, 1.0, (), Reporter.KZ)
    with pytest.raises(InvalidValueError, match="value_usd_m"):
        _obs("x", "2023", -1.0)
    with pytest.raises(InvalidValueError, match="value_usd_m"):
        _obs("x", "2023", math.nan)


def test_only_annual_figures_can_be_used():
    with pytest.raises(InvalidValueError, match="used"):
        _obs("x", "2024-H1", 280.6, used=True)


def test_the_annual_series_takes_the_used_rows_of_one_reporter_in_year_order():
    rows = [
        _obs("b", "2023", 529.4, True),
        _obs("a", "2022", 460, True),
        _obs("c", "2023", 598),
        _obs("az", "2024", 470, True, reporter=Reporter.AZ),
    ]
    assert [o.series_id for o in annual_series(rows, Reporter.KZ)] == ["a", "b"]
    assert [o.series_id for o in annual_series(rows, Reporter.AZ)] == ["az"]


def test_a_gap_stays_a_gap_and_the_other_country_never_fills_it():
    rows = [
        _obs("a", "2021", 135.7, True),
        _obs("b", "2023", 529.4, True),
        _obs("az", "2022", 300, True, reporter=Reporter.AZ),
    ]
    assert [o.period.year for o in annual_series(rows, Reporter.KZ)] == [2021, 2023]


def test_two_used_values_for_one_reporter_and_year_are_an_error():
    with pytest.raises(InvalidValueError, match="twice"):
        annual_series([_obs("a", "2023", 529.4, True), _obs("b", "2023", 598, True)], Reporter.KZ)
    mirror = [
        _obs("a", "2023", 529.4, True),
        _obs("b", "2023", 598, True, reporter=Reporter.AZ),
    ]
    assert len(annual_series(mirror, Reporter.KZ)) == 1  # mirror statistics are not a clash


def test_a_figure_naming_no_reporting_country_cannot_be_in_a_series():
    with pytest.raises(InvalidValueError, match="reporting country"):
        _obs("x", "2021", 135.7, used=True, reporter=Reporter.OTHER)


def test_the_reporter_with_the_most_used_years_comes_first():
    rows = [
        _obs("a", "2020", 109, True),
        _obs("b", "2022", 460, True),
        _obs("c", "2019", 229.6, True, reporter=Reporter.AZ),
        _obs("d", "2024", 470, True, reporter=Reporter.AZ),
        _obs("e", "2023", 529.4, True),
    ]
    assert reporters_with_series(rows) == [Reporter.KZ, Reporter.AZ]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2023", "2023"),
        ("2024-H1", "H1 2024"),
        ("2025-01..07", "Jan–Jul 2025"),
        ("2025-03..03", "Mar 2025"),
        ("2023-ytd", "2023, months not stated"),
        ("unstated", "period not stated"),
    ],
)
def test_a_period_reads_in_words(text, words):
    assert Period.parse(text).label == words


def test_periods_sort_by_year_then_month_then_length():
    texts = ["2025-01..10", "2024", "2025-H1", "2025-01..07", "2018-01..08", "unstated"]
    ordered = sorted((Period.parse(t) for t in texts), key=lambda p: p.sort_key)
    assert [p.text for p in ordered] == [
        "2018-01..08",
        "2024",
        "2025-H1",
        "2025-01..07",
        "2025-01..10",
        "unstated",
    ]


def test_every_code_a_user_could_see_has_a_label_in_words():
    for code in (*TradeFlow, *TradeDirection, *Reporter):
        assert code in LABELS
        words = label(code)
        assert words != code.value
        assert "_" not in words
        assert not any(w.isupper() for w in words.split())  # no KZ, AZ


def test_disagreements_group_values_of_one_period_and_flow():
    found = disagreements(
        [_obs("a", "2023", 529.4, True), _obs("b", "2023", 598.47), _obs("c", "2022", 460)]
    )
    assert len(found) == 1
    assert found[0].period.text == "2023"
    assert found[0].spread == pytest.approx(598.47 / 529.4 - 1)

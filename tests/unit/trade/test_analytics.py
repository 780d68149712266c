"""The trade service: reading the sourced series, the target arithmetic, forecast and backtest."""

from dataclasses import replace
from pathlib import Path

import pytest
from tests.unit.trade.conftest import row

from transcaspian.data.loader import read_dataset
from transcaspian.domain.errors import DatasetError, InvalidValueError, NotFoundError
from transcaspian.services.analytics import (
    MODELS,
    PRIMARY_MODEL,
    backtest,
    forecast_trade,
    read_trade_book,
    summarize_trade,
)

BUNDLED = Path(__file__).parents[3] / "src" / "transcaspian" / "data" / "corridor"


def test_the_summary_finds_the_growth_and_when_the_trend_reaches_the_target(growing_network):
    summary = summarize_trade(read_trade_book(growing_network), target_usd_m=1000, horizon=3)
    assert summary.points == 5
    assert summary.cagr == pytest.approx(0.5)
    assert summary.trend_reaches_target_in == 2026  # 506.25 * 1.5^2 = 1139 ≥ 1000 > 759
    assert [p.by_year for p in summary.target_paths] == [2025, 2026, 2027]
    assert summary.target_paths[-1].path[-1] == (2027, 1000)
    assert summary.latest_partial is not None
    assert summary.latest_partial.series_id == "p-2025"
    assert [d.period.text for d in summary.disagreements] == ["2023"]


def test_a_missing_or_unknown_source_is_a_dataset_error(make_network):
    network = make_network(
        [row("a", "2023", 529.4, "yes", source="nowhere"), row("b", "2024", 1, source="")]
    )
    with pytest.raises(DatasetError) as caught:
        read_trade_book(network)
    problems = [str(p) for p in caught.value.problems]
    assert any("unknown source 'nowhere'" in p for p in problems)
    assert any("trade_kz_az.csv:2: source" in p for p in problems)


def test_a_dataset_without_the_trade_table_is_not_found(make_network):
    network = replace(make_network([]), extra_tables={})
    with pytest.raises(NotFoundError):
        read_trade_book(network)


def test_the_backtest_scores_held_out_years_and_a_perfect_model_scores_zero(growing_network):
    values = [100, 150, 225, 337.5, 506.25]  # exactly +50 % a year: drift is exact
    drift = backtest(values, "drift", min_train=3, first_year=2020)
    assert [(e.origin, e.year) for e in drift.errors] == [(2022, 2023), (2023, 2024)]
    assert drift.mape == pytest.approx(0.0, abs=1e-12)
    assert drift.mase == pytest.approx(0.0, abs=1e-12)
    naive = backtest(values, "naive", min_train=3, first_year=2020)
    # naive predicts last year's value: errors 1/3 of the actual each year
    assert naive.mape == pytest.approx(1 / 3)
    assert [e.forecast for e in naive.errors] == [225, 337.5]
    # MASE: |error| / mean |step| of the training years; 112.5/62.5 and 168.75/79.1667
    assert naive.mase == pytest.approx((112.5 / 62.5 + 168.75 / (237.5 / 3)) / 2)


def test_a_backtest_needs_a_year_to_hold_out():
    with pytest.raises(InvalidValueError, match="min_train"):
        backtest([1.0, 2.0, 3.0], "naive", min_train=3)
    with pytest.raises(InvalidValueError, match="model"):
        backtest([1.0, 2.0, 3.0, 4.0], "oracle")


def test_the_forecast_is_reproducible_and_reports_every_model(growing_network):
    book = read_trade_book(growing_network)
    first = forecast_trade(book, horizon=4)
    second = forecast_trade(book, horizon=4)
    assert first == second
    assert first.primary.model == PRIMARY_MODEL
    assert first.primary.years == (2025, 2026, 2027, 2028)
    assert {b.model for b in first.backtests} == set(MODELS)
    for low, mid, high in zip(
        first.primary.lower, first.primary.median, first.primary.upper, strict=True
    ):
        assert low is not None and high is not None
        assert low <= mid <= high
    assert first.points == 5


def test_statsmodels_warnings_on_tiny_series_are_reported_not_raised(growing_network):
    # three training years are too few for statsmodels' start values: it warns, we report
    forecast = forecast_trade(read_trade_book(growing_network), horizon=2)
    assert any("Warning" in w for w in forecast.warnings)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"horizon": 0}, "horizon"), ({"target_usd_m": 0}, "target"), ({"level": 1.0}, "level")],
)
def test_bad_forecast_parameters_are_rejected(growing_network, kwargs, field):
    with pytest.raises(InvalidValueError, match=field):
        forecast_trade(read_trade_book(growing_network), **kwargs)


def test_every_series_value_in_the_bundled_dataset_has_a_known_source():
    network = read_dataset(BUNDLED)
    book = read_trade_book(network)  # raises DatasetError on an unknown or missing source
    assert book.observations
    for observation in book.observations:
        assert observation.sources
        for source_id in observation.sources:
            assert source_id in network.sources
    for item in book.goods:
        for source_id in item.sources:
            assert source_id in network.sources


def test_the_bundled_series_uses_one_value_a_year_from_2020():
    book = read_trade_book(read_dataset(BUNDLED))
    annual = book.annual()
    assert annual[0].period.year == 2020
    assert len({o.period.year for o in annual}) == len(annual)
    forecast = forecast_trade(book)
    assert all(b.errors for b in forecast.backtests)

"""UnLocode and DurationEstimate: parsing, rules and the distribution's quantiles."""

import random
import statistics
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transcaspian.domain.errors import InvalidValueError
from transcaspian.domain.values import DurationEstimate, UnLocode

countries = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2)
places = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ23456789", min_size=3, max_size=3)


@given(countries, places)
def test_un_locode_round_trips_through_its_shown_form(country, place):
    code = UnLocode(country + place)
    assert UnLocode.parse(str(code)) == code
    assert str(code) == f"{country} {place}"
    assert (code.country, code.place) == (country, place)


def test_parsing_normalises_case_and_the_space():
    assert UnLocode.parse(" kz aau ") == UnLocode.parse("KZAAU") == UnLocode("KZAAU")


@pytest.mark.parametrize("text", ["KZ1", "KZAA", "K1AAU", "KZAA1", "KZAA0", "KZ-ALT", ""])
def test_malformed_un_locodes_are_rejected_naming_the_field(text):
    with pytest.raises(InvalidValueError) as error:
        UnLocode.parse(text)
    assert error.value.field == "un_locode"
    assert "is not a UN/LOCODE" in error.value.message


def test_a_duration_with_p90_below_p50_is_rejected():
    with pytest.raises(InvalidValueError, match="p90"):
        DurationEstimate.from_hours(20, 10)


def test_a_duration_with_p50_below_its_minimum_is_rejected():
    with pytest.raises(InvalidValueError, match="p50"):
        DurationEstimate.from_hours(5, 10, 8)


def test_a_single_value_is_a_fixed_duration():
    fixed = DurationEstimate.from_hours(21)
    assert fixed.is_fixed
    assert fixed.minimum == fixed.p50 == fixed.p90 == timedelta(hours=21)
    assert fixed.sample_hours(random.Random(1)) == 21


@given(
    st.floats(min_value=0, max_value=50),
    st.floats(min_value=0.5, max_value=100),
    st.floats(min_value=1.01, max_value=5),
)
def test_quantiles_reproduce_p50_and_p90(min_h, spread, ratio):
    p50 = min_h + spread
    p90 = min_h + spread * ratio
    estimate = DurationEstimate.from_hours(p50, p90, min_h)
    assert estimate.quantile_hours(0.5) == pytest.approx(p50, rel=1e-9)
    assert estimate.quantile_hours(0.9) == pytest.approx(p90, rel=1e-9)
    assert estimate.mean_hours() >= p50  # right-skewed


def test_samples_follow_the_stated_median_and_p90():
    estimate = DurationEstimate.from_hours(48, 120, 20)
    rng = random.Random(7)
    draws = sorted(estimate.sample_hours(rng) for _ in range(20_000))
    assert min(draws) >= 20
    assert statistics.median(draws) == pytest.approx(48, rel=0.03)
    assert draws[int(0.9 * len(draws))] == pytest.approx(120, rel=0.05)
    assert statistics.fmean(draws) == pytest.approx(estimate.mean_hours(), rel=0.03)

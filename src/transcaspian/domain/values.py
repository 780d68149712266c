"""Small frozen value objects shared by the whole domain.

``UnLocode`` is a United Nations Code for Trade and Transport Locations; ``DurationEstimate`` is
an uncertain duration given by its minimum, median (P50) and 90th percentile (P90), the form in
which the corridor dataset records dwell, border, running and sailing times.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass
from datetime import timedelta

from transcaspian.domain.errors import InvalidValueError

_LOCODE = re.compile(r"^[A-Z]{2}[A-Z2-9]{3}$")
_LOCODE_SHOWN = re.compile(r"^([A-Z]{2})[ ]?([A-Z2-9]{3})$")
_Z90 = 1.2815515655446004  # standard normal quantile at 0.9


@dataclass(frozen=True, slots=True, order=True)
class UnLocode:
    """A UN/LOCODE: 2-letter ISO 3166 country + 3-character place (letters and digits 2-9).

    Stored without the space (``KZAAU``), shown with it (``KZ AAU``).
    """

    code: str

    def __post_init__(self) -> None:
        if not _LOCODE.match(self.code):
            raise InvalidValueError(
                f"un_locode: {self.code!r} is not a UN/LOCODE "
                "(2-letter country + 3-character place of letters and digits 2-9)",
                field="un_locode",
            )

    @classmethod
    def parse(cls, text: str) -> UnLocode:
        """Read ``KZAAU`` or ``KZ AAU``; raises InvalidValueError for anything else."""
        match = _LOCODE_SHOWN.match(text.strip().upper())
        if match is None:
            raise InvalidValueError(
                f"un_locode: {text!r} is not a UN/LOCODE "
                "(2-letter country + 3-character place of letters and digits 2-9)",
                field="un_locode",
            )
        return cls(match.group(1) + match.group(2))

    @property
    def country(self) -> str:
        return self.code[:2]

    @property
    def place(self) -> str:
        return self.code[2:]

    def __str__(self) -> str:
        return f"{self.country} {self.place}"


@dataclass(frozen=True, slots=True)
class DurationEstimate:
    """An uncertain duration: minimum, median (P50) and 90th percentile (P90).

    Sampling uses a lognormal shifted by the minimum, with its median at ``p50`` and its 90th
    percentile at ``p90`` — right-skewed, as waiting and dwell times are. ``p50 == p90`` means
    a fixed duration.
    """

    p50: timedelta
    p90: timedelta
    minimum: timedelta = timedelta(0)

    def __post_init__(self) -> None:
        if self.minimum < timedelta(0):
            raise InvalidValueError("minimum: a duration cannot be negative", field="minimum")
        if self.p50 < self.minimum:
            raise InvalidValueError(
                f"p50: {self.p50} is below the minimum {self.minimum}", field="p50"
            )
        if self.p90 < self.p50:
            raise InvalidValueError(f"p90: {self.p90} is below the p50 {self.p50}", field="p90")

    @classmethod
    def fixed(cls, duration: timedelta) -> DurationEstimate:
        return cls(p50=duration, p90=duration, minimum=duration)

    @classmethod
    def from_hours(
        cls, p50_h: float, p90_h: float | None = None, min_h: float | None = None
    ) -> DurationEstimate:
        """Build from hours; a missing P90 means fixed, a missing minimum means zero."""
        p90 = p50_h if p90_h is None else p90_h
        minimum = 0.0 if min_h is None else min_h
        if p90_h is None and min_h is None:
            minimum = p50_h
        return cls(
            p50=timedelta(hours=p50_h), p90=timedelta(hours=p90), minimum=timedelta(hours=minimum)
        )

    @property
    def is_fixed(self) -> bool:
        return self.p50 == self.p90

    def _lognormal(self) -> tuple[float, float] | None:
        """(mu, sigma) of the shifted lognormal in hours, or None when the duration is fixed."""
        median = (self.p50 - self.minimum).total_seconds() / 3600
        upper = (self.p90 - self.minimum).total_seconds() / 3600
        if upper <= median or median <= 0:
            return None
        return math.log(median), math.log(upper / median) / _Z90

    def sample_hours(self, rng: random.Random) -> float:
        """One draw in hours, from the given seeded generator."""
        base = self.minimum.total_seconds() / 3600
        params = self._lognormal()
        if params is None:
            return self.p50.total_seconds() / 3600
        mu, sigma = params
        return base + rng.lognormvariate(mu, sigma)

    def quantile_hours(self, q: float) -> float:
        """The q-quantile (0 < q < 1) in hours."""
        from statistics import NormalDist

        base = self.minimum.total_seconds() / 3600
        params = self._lognormal()
        if params is None:
            return self.p50.total_seconds() / 3600
        mu, sigma = params
        return base + math.exp(mu + sigma * NormalDist().inv_cdf(q))

    def mean_hours(self) -> float:
        """The expected value in hours."""
        params = self._lognormal()
        if params is None:
            return self.p50.total_seconds() / 3600
        mu, sigma = params
        return self.minimum.total_seconds() / 3600 + math.exp(mu + sigma**2 / 2)

"""The size class of a kommune from its population: a pure rule with the pool's thresholds."""
from __future__ import annotations

from dataclasses import dataclass

from portal.kommuner.enums import SizeClass


@dataclass(frozen=True)
class SizeThresholds:
    """A kommune is 'mellem' from `medium_from` inhabitants and 'stor' from `large_from`."""

    medium_from: int = 35_000
    large_from: int = 60_000

    def __post_init__(self) -> None:
        if not 0 < self.medium_from < self.large_from:
            raise ValueError("thresholds must satisfy 0 < medium_from < large_from")


def size_class(population: int, thresholds: SizeThresholds) -> SizeClass:
    """Lille below `medium_from`, stor from `large_from`, mellem in between (both bounds inclusive-low)."""
    if population < 0:
        raise ValueError("population cannot be negative")
    if population >= thresholds.large_from:
        return SizeClass.STOR
    if population >= thresholds.medium_from:
        return SizeClass.MELLEM
    return SizeClass.LILLE

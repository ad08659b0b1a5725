"""Regions, the agency's regional offices (AMK) and size classes."""
from enum import Enum


class Region(str, Enum):
    HOVEDSTADEN = "Hovedstaden"
    SJAELLAND = "Sjælland"
    SYDDANMARK = "Syddanmark"
    MIDTJYLLAND = "Midtjylland"
    NORDJYLLAND = "Nordjylland"

    @property
    def label(self) -> str:
        return f"Region {self.value}"


class AMK(str, Enum):
    """Arbejdsmarkedskontor: the agency's three regional offices."""

    OST = "Øst"
    MIDT_NORD = "Midt-Nord"
    SYD = "Syd"

    @property
    def label(self) -> str:
        return f"AMK {self.value}"


class SizeClass(str, Enum):
    LILLE = "lille"
    MELLEM = "mellem"
    STOR = "stor"

    @property
    def label(self) -> str:
        return {"lille": "Lille", "mellem": "Mellem", "stor": "Stor"}[self.value]

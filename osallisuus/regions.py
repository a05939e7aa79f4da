"""Finland's regions (wellbeing services counties and Helsinki), read from regions.yaml."""
from __future__ import annotations

import functools
from dataclasses import dataclass

from .errors import OsallisuusError
from .fileio import safe_load
from .instruments import normalise_label
from .settings import package_data


class RegionError(OsallisuusError):
    """A region name matches no known region."""


@dataclass(frozen=True)
class Region:
    id: str
    name: dict[str, str]
    county: dict[str, str]
    aliases: tuple[str, ...]
    pilot_2017: bool = False

    def label(self, lang: str = "fi") -> str:
        return self.name[lang]


@functools.lru_cache(maxsize=1)
def list_regions() -> tuple[Region, ...]:
    """All regions, in the order of regions.yaml."""
    doc = safe_load(package_data("regions.yaml").read_text(encoding="utf-8"))
    return tuple(Region(r["id"], r["name"], r.get("county", r["name"]), tuple(r.get("aliases") or ()),
                        bool(r.get("pilot_2017", False))) for r in doc["regions"])


@functools.lru_cache(maxsize=1)
def _index() -> dict[str, Region]:
    index: dict[str, Region] = {}
    for r in list_regions():
        for text in (r.id, *r.name.values(), *r.county.values(), *r.aliases):
            index[normalise_label(text)] = r
    return index


def find_region(name: str) -> Region | None:
    """The region a name, id or alias stands for (case-insensitive), or None."""
    return _index().get(normalise_label(name))


def resolve_region(name: str) -> Region:
    """Like :func:`find_region` but raises :class:`RegionError` listing valid names."""
    region = find_region(name)
    if region is None:
        names = ", ".join(r.name["fi"] for r in list_regions())
        raise RegionError(f"unknown region {name!r}; expected one of: {names}")
    return region


def region_label(name: str, lang: str = "fi") -> str:
    return resolve_region(name).label(lang)


def region_name_in(name: str, lang: str) -> str:
    """A region's name in ``lang`` ('Itä-Uusimaa' -> 'East Uusimaa'), or the name as given when
    it is no known region (a group of the data, a region of another country).

    >>> region_name_in("Pohjanmaa", "sv"), region_name_in("Xyz", "en")
    ('Österbotten', 'Xyz')
    """
    region = find_region(name)
    return region.name.get(lang, name) if region else name

"""The English and Welsh principal councils shipped with the app (data/local_authorities.csv)."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from itertools import groupby
from pathlib import Path

from consult.i18n import N_

DATA = Path(__file__).parent / "data" / "local_authorities.csv"


@dataclass(frozen=True)
class LocalAuthority:
    slug: str
    name: str
    nation: str
    region: str
    type: str
    name_cy: str = ""  # the Welsh name of a Welsh council, when it differs or not

    def name_in(self, lang: str) -> str:
        return self.name_cy if lang == "cy" and self.name_cy else self.name


# Region names, for the catalogues: pages show them translated.
REGIONS = (N_("East Midlands"), N_("East of England"), N_("London"), N_("North East"), N_("North West"),
           N_("South East"), N_("South West"), N_("Wales"), N_("West Midlands"), N_("Yorkshire and The Humber"))


@cache
def all_authorities() -> tuple[LocalAuthority, ...]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        return tuple(LocalAuthority(**row) for row in csv.DictReader(handle))


@cache
def by_slug() -> dict[str, LocalAuthority]:
    return {authority.slug: authority for authority in all_authorities()}


@cache
def by_region() -> tuple[tuple[str, tuple[LocalAuthority, ...]], ...]:
    """Regions in file order, each with its councils sorted by name."""
    ordered = sorted(all_authorities(), key=lambda a: (a.nation, a.region, a.name))
    return tuple((region, tuple(group)) for region, group in groupby(ordered, key=lambda a: a.region))

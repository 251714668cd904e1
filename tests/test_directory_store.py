"""Building the directory from the seed, ORUK import/export/validate, and the CLI."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from directory_data import oruk_service
from jsonschema import Draft7Validator, FormatChecker

from bot.contact import front_door_contact
from bot.directory import build_directory, load_directory
from bot.directory.__main__ import main as cli
from bot.directory.oruk import (
    SCHEMA_DIR,
    InvalidDirectoryData,
    export_services,
    import_file,
    validate_services,
)
from bot.directory.seed import latest_date, split_phone
from bot.directory.store import write_services
from server.launch import SEED

SEED_RECORDS = json.loads(SEED.read_text(encoding="utf-8"))
VERIFIED = [r for r in SEED_RECORDS if r["verified"]]


def dump(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table, to prove a failed import changed nothing."""
    conn = sqlite3.connect(db)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: sorted(map(repr, conn.execute(f"SELECT * FROM [{t}]"))) for t in tables}
    finally:
        conn.close()


@pytest.fixture
def directory_copy(tmp_path: Path, seeded_directory: Path) -> Path:
    db = tmp_path / "directory.sqlite"
    db.write_bytes(seeded_directory.read_bytes())
    return db


def test_only_verified_records_are_loaded(seeded_directory: Path) -> None:
    names = {s.name for s in load_directory(seeded_directory).services}
    assert names == {r["name"] for r in VERIFIED}
    assert len(names) == 34


def test_no_unverified_field_is_stored(seeded_directory: Path) -> None:
    for table, rows in dump(seeded_directory).items():
        assert not any("UNVERIFIED" in row for row in rows), table


@pytest.mark.parametrize("record", VERIFIED, ids=lambda r: r["name"][:40])
def test_phone_numbers_are_split_from_notes_without_changing_a_digit(record: dict) -> None:
    phones = split_phone(record["phone"])
    assert phones, "every verified record has a number"
    for number, _ in phones:
        assert number in record["phone"] and re.fullmatch(r"\+?[\d ]+", number)
    digits = re.sub(r"\D", "", record["phone"])
    assert re.sub(r"\D", "", "".join(n + note for n, note in phones)) == digits


def test_phone_split_examples() -> None:
    assert split_phone("0808 2000 247 (freephone; also via TypeTalk on the same number)") == [
        ("0808 2000 247", "freephone; also via TypeTalk on the same number")
    ]
    assert split_phone("0845 372 7701 / 01245 258680") == [
        ("0845 372 7701", ""),
        ("01245 258680", ""),
    ]
    assert split_phone("999 emergency; 101 non-emergency") == [
        ("999", "emergency"),
        ("101", "non-emergency"),
    ]
    assert split_phone("none found (the helpline 0808 2000 247 is run by Refuge)") == []


def test_every_service_carries_its_sources_and_source_date(seeded_directory: Path) -> None:
    by_name = {r["name"]: r for r in VERIFIED}
    for service in load_directory(seeded_directory).services:
        record = by_name[service.name]
        assert list(service.source_urls) == record["source"]
        assert service.source_date == record["source_date"]
        assert service.assured_date == latest_date(record["source_date"])


def test_source_dates_are_read_conservatively() -> None:
    assert latest_date("2019-04 (IOPC campaign) to 2020-04-30") == "2020-04-30"
    assert latest_date("2013-2015") == "2015-01-01"
    assert latest_date("~2022") == "2022-01-01"
    assert latest_date("undated (annual data to March 2025 on news page)") is None


def test_front_door_falls_back_to_the_sourced_helpline(seeded_directory: Path) -> None:
    assert front_door_contact(seeded_directory, {}) == (
        "the Hertfordshire Domestic Abuse Helpline on 08 088 088 088"
    )
    configured = {"OFD_FRONT_DOOR_PHONE": "01234 000000", "OFD_FRONT_DOOR_WEB": "https://x.test"}
    assert front_door_contact(seeded_directory, configured) == (
        "the One Front Door on 01234 000000 or at https://x.test"
    )


def test_export_of_the_seed_validates_against_the_compiled_service_list_schema(
    seeded_directory: Path,
) -> None:
    page = export_services(seeded_directory)
    schema = json.loads((SCHEMA_DIR / "compiled" / "service_list.json").read_text())
    validator = Draft7Validator(schema, format_checker=FormatChecker())
    assert page["total_items"] == len(page["contents"]) == 34
    for service in page["contents"]:
        assert list(validator.iter_errors(service)) == []
    assert validate_services(page["contents"]) == []


def test_export_then_import_gives_the_same_directory(tmp_path: Path, seeded_directory: Path):
    exported = tmp_path / "export.json"
    exported.write_text(json.dumps(export_services(seeded_directory)))
    db = tmp_path / "again.sqlite"
    assert import_file(db, exported) == 34
    assert export_services(db) == export_services(seeded_directory)


def test_a_file_with_one_bad_record_changes_nothing(tmp_path: Path, directory_copy: Path):
    before = dump(directory_copy)
    good = oruk_service("Good Service")
    bad = oruk_service("Broken Service")
    bad["phones"][0].pop("number")
    path = tmp_path / "import.json"
    path.write_text(json.dumps({"contents": [good, bad]}))
    with pytest.raises(InvalidDirectoryData) as error:
        import_file(directory_copy, path)
    assert "record 2 ('Broken Service')" in str(error.value)
    assert "phones[0]" in str(error.value) and "'number' is a required property" in str(error.value)
    assert dump(directory_copy) == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda s: s.update(status="open"), "field status"),
        (lambda s: s.update(id="not-a-uuid"), "field id"),
        (lambda s: s.update(url="javascript:alert(1)"), "field url"),
        (lambda s: s["attributes"][0].pop("link_type"), "field attributes[0].link_type"),
        (lambda s: s.update(service_at_locations=[{"id": s["id"]}]), "service_at_locations[0]"),
        (lambda s: s["service_areas"][0].update(name="Essex"), "field service_areas[0].name"),
        (
            lambda s: s["attributes"][0]["taxonomy_term"].update(name="gardening"),
            "field attributes[0].taxonomy_term.name",
        ),
    ],
)
def test_bad_fields_are_named(tmp_path: Path, directory_copy: Path, change, field: str) -> None:
    before = dump(directory_copy)
    record = oruk_service("Odd Service")
    change(record)
    path = tmp_path / "one.json"
    path.write_text(json.dumps([oruk_service("Fine Service"), record]))
    with pytest.raises(InvalidDirectoryData, match=re.escape(field)):
        import_file(directory_copy, path)
    assert dump(directory_copy) == before


def test_a_failure_while_writing_rolls_everything_back(directory_copy: Path) -> None:
    """Past validation, a failure mid-write (here: a record that skipped validation) undoes
    the deletions and writes already made in the same transaction."""
    before = dump(directory_copy)
    existing = export_services(directory_copy)["contents"][0]  # replaced, so deleted first
    broken = oruk_service("Broken")
    broken["attributes"][0].pop("taxonomy_term")
    with pytest.raises(KeyError):
        write_services(directory_copy, [existing, broken], source_label="test")
    assert dump(directory_copy) == before


def test_a_good_import_adds_services(tmp_path: Path, directory_copy: Path) -> None:
    path = tmp_path / "new.json"
    path.write_text(json.dumps(oruk_service("Brand New Service", areas=("Watford",))))
    assert import_file(directory_copy, path) == 1
    names = [s.name for s in load_directory(directory_copy).services]
    assert "Brand New Service" in names and len(names) == 35


def test_cli_build_export_validate_import(tmp_path: Path, capsys) -> None:
    db = tmp_path / "cli.sqlite"
    assert cli(["--db", str(db), "build"]) == 0
    assert cli(["--db", str(db), "validate"]) == 0
    out = tmp_path / "out.json"
    assert cli(["--db", str(db), "export", "--out", str(out)]) == 0
    assert cli(["validate", str(out)]) == 0
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"id": "x", "name": "No status"}]))
    capsys.readouterr()
    assert cli(["--db", str(db), "import", str(bad)]) == 1
    error = capsys.readouterr().err
    assert "record 1 ('No status')" in error and "'status' is a required property" in error
    assert cli(["--db", str(db), "import", "--replace-all", str(out)]) == 0
    assert len(load_directory(db).services) == 34


def test_rebuilding_gives_the_same_ids(tmp_path: Path, seeded_directory: Path) -> None:
    db = tmp_path / "again.sqlite"
    build_directory(SEED, db)
    assert export_services(db) == export_services(seeded_directory)

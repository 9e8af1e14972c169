"""Bad input: each gets a clear report and changes nothing."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.feeds.importer import run_import
from directory.feeds.report import ImportReport
from directory.models import Location, Organization, Phone, Service, ServiceAtLocation
from directory.oruk import vocab

DATA = Path(__file__).parents[1] / "data"
FEED = DATA / "feeds" / "council_feed.json"
TEMPLATE = Path(__file__).parents[2] / "seeds" / "import_template.csv"


def snapshot(db: Session) -> dict[str, Any]:
    counts = {
        m.__name__: db.scalar(select(func.count()).select_from(m))
        for m in (Service, Organization, Location, Phone, ServiceAtLocation)
    }
    return counts | {
        "versions": sorted(db.execute(select(Service.external_id, Service.version, Service.name)).all())
    }


@pytest.fixture
def existing(db: Session) -> Session:
    """A directory that already holds a feed, so 'nothing changed' means something."""
    assert run_import(db, FEED, source="council").ok
    db.commit()
    return db


def refused(db: Session, path: Path, *expected: str, **options: Any) -> ImportReport:
    """Import ``path`` expecting failure; check the messages and that nothing changed."""
    before = snapshot(db)
    report = run_import(db, path, source=options.pop("source", "council"), **options)
    db.commit()
    lines = "\n".join(report.lines())
    assert not report.ok, lines
    for words in expected:
        assert words in lines, lines
    assert "Nothing was imported" in lines
    db.expire_all()
    assert snapshot(db) == before
    return report


def items() -> list[dict[str, Any]]:
    return json.loads(FEED.read_text())


def write(path: Path, content: Any) -> Path:
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


def test_invalid_json(existing: Session, tmp_path: Path) -> None:
    text = FEED.read_text()
    refused(existing, write(tmp_path / "cut.json", text[: len(text) // 2]), "not valid JSON", "line ")
    refused(
        existing, write(tmp_path / "comma.json", '[{"id": "a",}]'), "not valid JSON: Expecting property name"
    )


def test_a_file_of_the_wrong_kind(existing: Session, tmp_path: Path) -> None:
    png = tmp_path / "logo.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    refused(existing, png, "not a file we can import")
    archive = tmp_path / "photos.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("a.txt", "hello")
    refused(existing, archive, "not a file we can import")
    refused(existing, write(tmp_path / "object.json", {"hello": "world"}), "a JSON object with no `contents`")
    refused(
        existing, write(tmp_path / "numbers.json", [1, 2]), "item 1: expected a service object, found int"
    )


def test_the_wrong_schema(existing: Session, tmp_path: Path) -> None:
    wrong = [
        {"id": "a", "title": "Not HSDS"},
        {"id": "b", "name": ["list"], "status": "active", "organization": {"id": "o", "name": "Org"}},
        {"id": "c", "name": "C", "status": "open", "organization": {"id": "o", "name": "Org"}},
        {"id": "d", "name": "D", "status": "active"},
        {
            "id": "e",
            "name": "E",
            "status": "active",
            "organization": {"id": "o", "name": "Org"},
            "phones": "020 7946 0000",
        },
        {
            "id": "f",
            "name": "F",
            "status": "active",
            "organization": {"id": "o", "name": "Org"},
            "minimum_age": 12.5,
        },
    ]
    refused(
        existing,
        write(tmp_path / "wrong.json", wrong),
        "item 1 (service a): name: is missing",
        "item 1 (service a): status: is missing",
        "item 2 (service b): name: must be text, not list",
        "item 3 (service c): status: 'open' is not one of active, inactive, defunct, temporarily closed",
        "item 4 (service d): organization: is missing",
        "item 5 (service e): phones: must be a list, not str",
        "item 6 (service f): minimum_age: 12.5 must be a whole number of years",
    )


def test_duplicate_ids(existing: Session, tmp_path: Path) -> None:
    twice = items()
    twice.append(dict(twice[0], name="Another"))
    refused(
        existing,
        write(tmp_path / "twice.json", twice),
        "item 4 (service 5a1d3c0e-0000-4000-8000-000000000001): id: is used twice (also item 1)",
    )
    package = tmp_path / "package"
    (package).mkdir()
    for name in ("datapackage.json", "services.csv", "organizations.csv"):
        (package / name).write_text((DATA / "hsds3" / "examples" / "csv" / name).read_text())
    orgs = (package / "organizations.csv").read_text().splitlines()
    (package / "organizations.csv").write_text("\n".join([*orgs, orgs[1]]) + "\n")
    refused(
        existing, package, "organizations.csv row 3: id: 'd9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610' is used twice"
    )
    lines = TEMPLATE.read_text().splitlines()
    clash = lines[4].replace("Debt advice line", "Money line")
    refused(
        existing,
        write(tmp_path / "sheet.csv", "\n".join([*lines, clash]) + "\n"),
        "row 6 (service example-debt-line): service_id: 'example-debt-line' is also on row 5 with different service",
    )


def test_bad_postcodes(existing: Session, tmp_path: Path) -> None:
    feed = items()
    feed[0]["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] = "ZZ99 9ZZ"
    refused(
        existing,
        write(tmp_path / "postcode.json", feed),
        "location 0f000000-0000-4000-8000-000000000001: postcode: We do not know the postcode district ZZ99",
    )
    sheet = TEMPLATE.read_text().replace("SE6 4RU", "NOT A POSTCODE")
    refused(existing, write(tmp_path / "sheet.csv", sheet), "postcode: “NOT A POSTCODE” is not a UK postcode")


def test_unknown_taxonomy_terms_of_our_own_taxonomies(existing: Session, tmp_path: Path) -> None:
    def attribute(taxonomy: str, code: str, value: str | None = None) -> dict[str, Any]:
        found: dict[str, Any] = {
            "id": "7b000000-0000-4000-8000-000000000001",
            "taxonomy_term": {
                "id": "7c000000-0000-4000-8000-000000000001",
                "code": code,
                "name": code,
                "taxonomy": taxonomy,
            },
        }
        if value is not None:
            found["value"] = value
        return found

    feed = items()
    feed[0]["attributes"] = [
        attribute(vocab.NEEDS_TAXONOMY, "NOT_A_NEED"),
        attribute(vocab.FIELDS_TAXONOMY, "favourite_colour", "blue"),
        attribute(vocab.FIELDS_TAXONOMY, "referral_route", "carrier_pigeon"),
        attribute(vocab.FIELDS_TAXONOMY, "cohort"),
    ]
    refused(
        existing,
        write(tmp_path / "terms.json", feed),
        "needs: unknown need code 'NOT_A_NEED'",
        "attributes: 'favourite_colour' is not a term of diversion-directory-fields",
        "referral_routes: 'carrier_pigeon' is not one of self, professional, probation, gp, drop_in",
        "cohort: the attribute has no value",
    )
    sheet = TEMPLATE.read_text().replace("DEBT; INCOME_BENEFITS", "DEBT; LONELINESS")
    refused(existing, write(tmp_path / "sheet.csv", sheet), "needs: unknown need code 'LONELINESS'")


def test_other_bad_values_are_row_errors(existing: Session, tmp_path: Path) -> None:
    sheet = (
        TEMPLATE.read_text().replace(",16,,,residence", ",30,20,,residence").replace("E09000023", "E99999999")
    )
    sheet = sheet.replace("mon-fri 08:00-20:00", "weekdays 8 till late").replace("waiting_list", "full up")
    refused(
        existing,
        write(tmp_path / "sheet.csv", sheet),
        "row 2 (service example-housing-options): minimum_age: 30 is above maximum_age 20",
        "catchment_areas: 'E99999999' is not a local authority code or postcode district",
        "row 5 (service example-debt-line): hours: 'weekdays 8 till late' is not like 'mon-fri 09:00-17:00'",
        "capacity_status: 'full_up' is not one of accepting",
    )


def test_empty_files(existing: Session, tmp_path: Path) -> None:
    refused(existing, write(tmp_path / "empty.json", ""), "the file is empty")
    refused(existing, write(tmp_path / "blank.json", "  \n"), "the file is empty")
    refused(existing, write(tmp_path / "list.json", "[]"), "the file holds no services")
    refused(
        existing,
        write(tmp_path / "page.json", {"total_items": 0, "contents": []}),
        "the file holds no services",
    )
    header = TEMPLATE.read_text().splitlines()[0]
    refused(
        existing, write(tmp_path / "header.csv", header + "\n"), "the file holds no services (only a header)"
    )


@pytest.fixture(scope="module")
def hundred_megabytes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 100 MB JSON file that is not a feed: a list of 100,000 strings of 1 KB."""
    path = tmp_path_factory.mktemp("big") / "big.json"
    chunk = json.dumps("x" * 1000)
    with path.open("w") as handle:
        handle.write("[" + ",".join([chunk] * 104_857) + "]")
    assert path.stat().st_size > 100_000_000
    return path


def test_a_100_megabyte_file_over_the_limit_is_refused_unread(
    existing: Session, hundred_megabytes: Path
) -> None:
    refused(
        existing,
        hundred_megabytes,
        "the file is 100.3 MB; the import limit is 50.0 MB (IMPORT_MAX_BYTES)",
        max_bytes=50 * 1024 * 1024,
    )


def test_a_100_megabyte_file_of_junk_gets_a_bounded_report(
    existing: Session, hundred_megabytes: Path
) -> None:
    report = refused(existing, hundred_megabytes, "item 1: expected a service object, found str")
    assert report.problems.errors == 104_857
    assert len(report.problems.listed) == 1000
    assert "... and 103857 more problem(s) not listed" in "\n".join(report.lines())


def test_the_size_limit_setting_reaches_the_command(app: Flask, hundred_megabytes: Path) -> None:
    app.config["IMPORT_MAX_BYTES"] = 1024 * 1024
    result = app.test_cli_runner().invoke(args=["import", str(hundred_megabytes)])
    assert result.exit_code == 1
    assert "the import limit is 1.0 MB (IMPORT_MAX_BYTES)" in result.output


def test_a_csv_with_a_wrong_header_or_encoding(existing: Session, tmp_path: Path) -> None:
    text = TEMPLATE.read_text()
    refused(
        existing,
        write(tmp_path / "renamed.csv", text.replace("service_id,", "service_ref,", 1)),
        "unknown column(s): service_ref",
        "missing column(s): service_id",
    )
    refused(
        existing,
        write(tmp_path / "other.csv", "name,phone\nJo,0800 000 000\n"),
        "unknown column(s): name, phone",
    )
    latin = tmp_path / "latin1.csv"
    latin.write_bytes(text.replace("Debt advice line", "Débt advice line").encode("cp1252"))
    refused(existing, latin, "the file is not UTF-8 text (line 5", "save it as 'CSV UTF-8'")
    hsds_table = DATA / "hsds3" / "examples" / "csv" / "services.csv"
    refused(existing, hsds_table, "looks like one table of an HSDS data package")
    ragged = "\n".join([*text.splitlines()[:2], text.splitlines()[4] + ",extra,cells"]) + "\n"
    refused(existing, write(tmp_path / "ragged.csv", ragged), "row 3: has 46 cells; the header has 44")


def test_a_data_package_with_a_broken_table(existing: Session, tmp_path: Path) -> None:
    package = tmp_path / "package"
    package.mkdir()
    (package / "datapackage.json").write_text("{}")
    (package / "services.csv").write_text("ref,title\n1,Thing\n")
    (package / "organizations.csv").write_text("id,name\n")
    refused(existing, package, "services.csv: missing column(s) id, name, status")
    (package / "services.csv").write_bytes("id,name,status\n1,Caf\xe9,active\n".encode("latin-1"))
    refused(existing, package, "services.csv: the file is not UTF-8 text")


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (
            lambda p: write(
                p / "x.json",
                [
                    {
                        "id": "x" * 300,
                        "name": "N",
                        "status": "active",
                        "organization": {"id": "o", "name": "O"},
                    }
                ],
            ),
            "id: is 300 characters long",
        ),
        (
            lambda p: write(
                p / "x.json",
                [
                    {
                        "id": "x",
                        "name": "N" * 300,
                        "status": "active",
                        "organization": {"id": "o", "name": "O"},
                    }
                ],
            ),
            "name: is 300 characters long; at most 255 fit",
        ),
    ],
)
def test_values_too_long_for_the_database_are_errors_not_crashes(
    existing: Session, tmp_path: Path, make: Callable[[Path], Path], words: str
) -> None:
    refused(existing, make(tmp_path), words)


DEEP = b"[" * 100_000 + b"]" * 100_000  # 200 KB: took a worker to 23 GB before reading was bounded
# In-process tests nest 1,000 deep: refused now, and only megabytes for the unbounded reader before.
DEEPISH = b"[" * 1_000 + b"]" * 1_000
DEEP_SHAPES = {
    "a-list": DEEPISH,
    "a-saved-page": b'{"contents": ' + DEEPISH + b', "total_items": 1}',
    "inside-a-service": b'[{"id": "s-1", "name": "Deep", "attributes": ' + DEEPISH + b"}]",
}


@pytest.mark.parametrize("shape", DEEP_SHAPES)
def test_deeply_nested_json_is_refused(existing: Session, tmp_path: Path, shape: str) -> None:
    path = tmp_path / "deep.json"
    path.write_bytes(DEEP_SHAPES[shape])
    refused(existing, path, "deep.json", "arrays and objects nest more than 64 levels deep")


def test_the_import_command_refuses_deep_json(app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_bytes(DEEPISH)
    result = app.test_cli_runner().invoke(args=["import", str(path), "--source", "council"])
    assert result.exit_code == 1
    assert "nest more than 64 levels deep" in result.output


MEASURE = """
import resource, sys
from pathlib import Path
limit = 2 * 1024 ** 3  # a cap, so the unbounded reader fails here instead of taking the machine
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from directory.feeds.readers import read_feed
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
feed = read_feed(Path(sys.argv[1]), max_bytes=1024 ** 3)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(feed.problems.errors, (after - before) // 1024)
"""


def test_reading_deep_json_stays_small_in_memory(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_bytes(DEEP)
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    errors, grown_mb = map(int, done.stdout.split())
    assert errors == 1
    assert grown_mb < 200


def test_control_characters_in_a_feed_are_stripped_not_a_crash(db: Session, tmp_path: Path) -> None:
    listed = items()
    listed[0]["name"] = "Food\u0000 bank"
    listed[0]["description"] = "Open\u0001 weekdays"
    report = run_import(db, write(tmp_path / "nul.json", listed), source="council")
    db.commit()
    assert report.ok, "\n".join(report.lines())
    names = set(db.scalars(select(Service.name)))
    assert "Food bank" in names
    assert "Open weekdays" in set(db.scalars(select(Service.description)))

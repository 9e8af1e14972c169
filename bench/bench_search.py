"""Search latency and memory on a synthetic national directory, on SQLite and PostgreSQL.

    .venv/bin/python bench/bench_search.py --services 100000

generates (once; later runs reuse it) a directory of N services over every GB postcode district in
``bench/out/national-N.sqlite3`` and in the PostgreSQL database ``dd_bench_N`` (on the server in
``--postgres``, default ``postgresql://postgres@127.0.0.1:5432/postgres``), then measures each database
in its own process, one request at a time:

- the page: ``GET /search?...`` or ``GET /services/<id>`` through the Flask app, rendering included;
- ``search()``: ``directory.search.search_services`` alone;
- plain SQL: the database alone returning the same candidate rows, for comparison: the SQL filters
  (``directory.search.filters``) for filter cases; for text, fetching the matched rows by id (no
  database does typo-tolerant matching without an extension); for the service page, its queries.

and the process's resident memory after warm-up and at its peak. ``GET /api/v1/services`` pages are
measured when the app has that route, and skipped otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.synthetic import generate, normalise_url_for  # noqa: E402

OUT = ROOT / "bench" / "out"
TYPOS = (
    "citzens advise manchster",
    "alchohol suport leeds",
    "foodbank birmingam",
    "womens aid bristol",
    "op courage",
    "talking therapys camden",
    "homless day centre",
    "drug servise cardiff",
    "mental helth crisis line",
    "jobcentre plymuth",
)
PLACES = ("SE13 6LJ", "M1 3BE", "LS1", "B1", "BS1", "CF10", "EH1", "G1", "PL1", "PO1", "NE1", "NR1")
NEEDS = ("DEBT", "SUBST_ALCOHOL", "NO_BED_TONIGHT", "MH_COMMON", "FOOD_ESSENTIALS", "HOUSING_RISK", "DA_HIGH")
# "Open now" in search() and plain SQL is asked at a busy moment (most services open); the page can only
# ask about the real now.
BUSY_MOMENT = datetime(2026, 11, 18, 10, 30, tzinfo=ZoneInfo("Europe/London"))


def rss_mb() -> float:
    """This process's resident memory now."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_mb() -> float:
    """This process's peak resident memory."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p95 in milliseconds."""
    ordered = sorted(samples)
    at = lambda q: ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]  # noqa: E731
    return at(0.50) * 1000, at(0.95) * 1000


def timed(action: Callable[[int], Any], runs: int, cpu: list[float] | None = None) -> tuple[list[float], Any]:
    """Wall-clock seconds of each run (and, into ``cpu``, this process's CPU seconds)."""
    samples, result = [], None
    for n in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = action(n)
        samples.append(time.perf_counter() - start)
        if cpu is not None:
            cpu.append(time.process_time() - start_cpu)
    return samples, result


def measure(database_url: str, runs: int) -> dict[str, Any]:
    """Every case on one database, in this process."""
    from directory import create_app
    from directory.db import get_session
    from directory.geography import resolve
    from directory.models import Service
    from directory.search import SearchQuery, search_services
    from directory.search.engine import load_services
    from directory.search.filters import filtered_ids
    from directory.search.index import current_index

    app = create_app(
        {
            "DATABASE_URL": normalise_url_for(database_url),
            "SECRET_KEY": "bench",
            "INSTANCE_PATH": str(OUT / "instance"),
            "TESTING": True,
        }
    )
    client = app.test_client()
    rng = random.Random(7)
    report: dict[str, Any] = {"cases": []}
    with app.app_context():
        session = get_session()
        start = time.perf_counter()
        index = current_index(session)
        report["build_seconds"] = time.perf_counter() - start
        report["services"] = index.size
        service_ids = rng.sample(index.ids, min(runs, index.size))
        session.rollback()

    def case(
        name: str, url: Callable[[int], str], query: Callable[[int], SearchQuery] | None, plain: Any
    ) -> None:
        client.get(url(0))  # warm the templates and caches
        cpu: list[float] = []
        page, _ = timed(lambda n: client.get(url(n)), runs, cpu)
        row: dict[str, Any] = {"case": name, "page": percentiles(page), "cpu": percentiles(cpu)}
        with app.app_context():
            session = get_session()
            totals: list[int] = []
            if query is not None:
                found, _ = timed(lambda n: totals.append(search_services(session, query(n)).total), runs)
                row["search"] = percentiles(found)
            plain_rows: list[int] = []
            plain_times, _ = timed(lambda n: plain_rows.append(plain(session, n)), runs)
            row["plain"] = percentiles(plain_times)
            counted = totals or plain_rows  # the search's totals; for a service page, its one row
            row["rows"] = round(sum(counted) / len(counted))
            session.rollback()
        report["cases"].append(row)

    def typo(n: int) -> SearchQuery:
        return SearchQuery(text=TYPOS[n % len(TYPOS)])

    with app.app_context():  # the rows each typo query matches (its first 100), fetched by id below
        session = get_session()
        matched = [
            [hit.service.id for hit in search_services(session, SearchQuery(text=t, per_page=100)).items]
            for t in TYPOS
        ]
        session.rollback()
    case(
        "typo query",
        lambda n: f"/search?q={TYPOS[n % len(TYPOS)].replace(' ', '+')}",
        typo,
        lambda session, n: len(
            session.execute(
                select(Service.id, Service.name).where(Service.id.in_(matched[n % len(TYPOS)]))
            ).all()
        ),
    )

    def near(n: int) -> SearchQuery:
        return SearchQuery(needs=(NEEDS[n % len(NEEDS)],), postcode=PLACES[n % len(PLACES)], radius_km=10)

    case(
        "need + postcode + 10 km",
        lambda n: f"/search?need={NEEDS[n % len(NEEDS)]}&postcode={PLACES[n % len(PLACES)]}&radius=10",
        near,
        lambda session, n: len(
            session.scalars(filtered_ids(near(n), resolve(PLACES[n % len(PLACES)]))).all()
        ),
    )

    def open_now(n: int) -> SearchQuery:
        return SearchQuery(needs=(NEEDS[n % len(NEEDS)],), open_now=True, at=BUSY_MOMENT)

    case(
        "need + open now",
        lambda n: f"/search?need={NEEDS[n % len(NEEDS)]}&open_now=y",
        open_now,
        lambda session, n: len(session.scalars(filtered_ids(open_now(n), None)).all()),
    )
    case(
        "service page",
        lambda n: f"/services/{service_ids[n % len(service_ids)]}",
        None,
        lambda session, n: len(load_services(session, [service_ids[n % len(service_ids)]])),
    )
    if any(rule.rule == "/api/v1/services" for rule in app.url_map.iter_rules()):
        client.get("/api/v1/services")
        pages = max(1, report["services"] // 50)
        api, _ = timed(lambda n: client.get(f"/api/v1/services?page={rng.randint(1, min(pages, 200))}"), runs)
        report["cases"].append({"case": "GET /api/v1/services pages", "page": percentiles(api)})
    else:
        report["cases"].append({"case": "GET /api/v1/services pages", "skipped": "no /api/v1/services route"})
    report["rss_mb"] = rss_mb()
    report["peak_mb"] = peak_mb()
    return report


def postgres_database(admin_url: str, name: str) -> str:
    """The URL of database ``name`` on the server of ``admin_url``, created if missing."""
    admin = make_url(normalise_url_for(admin_url))
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return admin.set(database=name).render_as_string(hide_password=False)


def ms(pair: tuple[float, float] | None) -> str:
    return f"{pair[0]:7.1f} {pair[1]:7.1f}" if pair else f"{'-':>7} {'-':>7}"


def print_table(services: int, runs: int, reports: dict[str, dict[str, Any]]) -> None:
    print(
        f"\nSearch benchmark: {services:,} synthetic services, {runs} runs per case, one process per database"
    )
    print(
        f"Machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (other processes slow every figure)."
    )
    print("Times in milliseconds (p50 p95). page = whole request through Flask; search() = search_services;")
    print(
        "page CPU = this process's CPU time per page (no waiting for other processes, nor PostgreSQL's own work);"
    )
    print("plain SQL = the database alone returning the same candidate rows; rows = mean results per query.")
    print(
        f"'Open now': search() and plain SQL at {BUSY_MOMENT:%A %H:%M}, the page at the real time ({datetime.now():%A %H:%M}).\n"
    )
    header = (
        f"{'database':<11}{'case':<28}{'rows':>7}  {'page p50 p95':>15}  {'page CPU p50 p95':>16}  "
        f"{'search() p50 p95':>16}  {'plain SQL p50 p95':>17}"
    )
    print(header)
    print("-" * len(header))
    for backend, report in reports.items():
        for row in report["cases"]:
            if "skipped" in row:
                print(f"{backend:<11}{row['case']:<28}{'':>7}  skipped: {row['skipped']}")
                continue
            rows = row.get("rows", "")
            print(
                f"{backend:<11}{row['case']:<28}{rows!s:>7}  {ms(row.get('page')):>15}  {ms(row.get('cpu')):>16}  "
                f"{ms(row.get('search')):>16}  {ms(row.get('plain')):>17}"
            )
    print()
    for backend, report in reports.items():
        print(
            f"{backend}: index build {report['build_seconds']:.1f} s for {report['services']:,} services; "
            f"memory {report['rss_mb']:.0f} MB resident after the run, {report['peak_mb']:.0f} MB peak"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=50, help="requests per case (default 50)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL server where the user may create databases; 'none' to skip PostgreSQL",
    )
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # internal: measure one database, print JSON
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.runs)))
        return

    OUT.mkdir(parents=True, exist_ok=True)
    databases = {"sqlite": f"sqlite:///{OUT / f'national-{args.services}.sqlite3'}"}
    if args.postgres != "none":
        databases["postgresql"] = postgres_database(args.postgres, f"dd_bench_{args.services}")
    reports = {}
    for backend, url in databases.items():
        report = generate(url, args.services, seed=args.seed)
        action = "reused" if report.reused else f"generated in {report.seconds:.0f} s"
        print(f"{backend}: {args.services:,} services {action}", flush=True)
        child = subprocess.run(
            [sys.executable, __file__, "--measure", url, "--runs", str(args.runs)],
            capture_output=True,
            text=True,
            check=True,
        )
        reports[backend] = json.loads(child.stdout.strip().splitlines()[-1])
    print_table(args.services, args.runs, reports)


if __name__ == "__main__":
    main()

"""Import benchmark: a 100,000-service ORUK feed into SQLite and PostgreSQL, then the unchanged feed again.

    .venv/bin/python bench/bench_import.py                 # 100,000 services, both databases
    .venv/bin/python bench/bench_import.py --services 10000 --backends sqlite

Targets: first import <= 60 s and <= 1 GB peak memory; re-import of the unchanged feed <= 30 s. Each
step runs in its own process, so its peak memory (``ru_maxrss``) is its own. PostgreSQL uses
``BENCH_DATABASE_URL`` (or ``TEST_DATABASE_URL``, default ``postgresql://postgres@127.0.0.1:5432/postgres``)
to create a scratch database, dropped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import secrets
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "bench" / "out"


def run_step(url: str, feed: Path) -> dict[str, float | int | str]:
    """One import in this process: seconds, peak MB, and what it did."""
    from directory import create_app
    from directory.db import get_session
    from directory.feeds.importer import collector_paused, run_import

    app = create_app({"DATABASE_URL": url, "SKIP_DB_CHECK": True, "INSTANCE_PATH": str(OUT / "instance")})
    with app.app_context():
        session = get_session()
        started = time.perf_counter()
        with collector_paused():  # as the import command runs it
            report = run_import(session, feed, source="bench")
        if not report.ok:
            print("\n".join(list(report.lines())[:20]), file=sys.stderr)
            raise SystemExit(1)
        session.commit()
        seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": round(seconds, 1), "peak_mb": round(peak_mb), "summary": report.summary()}


def prepare(backend: str) -> tuple[str, str | None]:
    """A fresh, migrated database with the needs taxonomy; returns (url, PostgreSQL database to drop)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from directory import create_app, migrate
    from directory.db import get_session
    from directory.seeding import seed_taxonomy

    dropped = None
    if backend == "sqlite":
        path = OUT / "bench.sqlite3"
        path.unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    else:
        admin = make_url(
            os.environ.get("BENCH_DATABASE_URL")
            or os.environ.get("TEST_DATABASE_URL")
            or "postgresql://postgres@127.0.0.1:5432/postgres"
        ).set(drivername="postgresql+psycopg")
        dropped = f"bench_import_{secrets.token_hex(4)}"
        engine = create_engine(admin, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{dropped}"'))
        engine.dispose()
        url = admin.set(database=dropped).render_as_string(hide_password=False)
    migrate.upgrade(url)
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(OUT / "instance")})
    with app.app_context():
        seed_taxonomy(get_session())
        get_session().commit()
        app.extensions["db_engine"].dispose()
    return url, dropped


def drop(database: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = make_url(
        os.environ.get("BENCH_DATABASE_URL")
        or os.environ.get("TEST_DATABASE_URL")
        or "postgresql://postgres@127.0.0.1:5432/postgres"
    ).set(drivername="postgresql+psycopg")
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
    engine.dispose()


def child(url: str, feed: Path) -> dict[str, float | int | str]:
    result = subprocess.run(
        [sys.executable, __file__, "--step", url, "--feed", str(feed)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise SystemExit(f"import failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description="Time importing a synthetic ORUK feed.")
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--feed", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(run_step(args.step, args.feed)))
        return

    from bench.generate_feed import write

    OUT.mkdir(parents=True, exist_ok=True)
    feed = OUT / f"feed-{args.services}.json"
    if not feed.exists():
        started = time.perf_counter()
        write(feed, args.services)
        print(
            f"generated {feed.name}: {feed.stat().st_size / 1e6:.0f} MB in {time.perf_counter() - started:.0f} s"
        )
    rows = []
    for backend in args.backends.split(","):
        url, database = prepare(backend)
        try:
            for step in ("import", "re-import (unchanged)"):
                result = child(url, feed)
                rows.append((backend, step, result))
                print(
                    f"{backend:10} {step:22} {result['seconds']:7.1f} s {result['peak_mb']:6} MB  {result['summary']}",
                    flush=True,
                )
        finally:
            if database:
                drop(database)
    print()
    print(f"Import of {args.services:,} services ({feed.stat().st_size / 1e6:.0f} MB of ORUK JSON)")
    print("| database | step | seconds | peak memory (MB) | target |")
    print("| --- | --- | ---: | ---: | --- |")
    for backend, step, result in rows:
        target = "<= 60 s, <= 1024 MB" if step == "import" else "<= 30 s"
        print(f"| {backend} | {step} | {result['seconds']} | {result['peak_mb']} | {target} |")


if __name__ == "__main__":
    main()

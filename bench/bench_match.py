"""``POST /api/v1/match`` latency on a synthetic national directory, on SQLite and PostgreSQL.

    .venv/bin/python bench/bench_match.py --services 100000

generates (once; later runs reuse it) a directory of N services over every GB postcode district in
``bench/out/national-N.sqlite3`` and in the PostgreSQL database ``dd_bench_N`` (the same files and
database as ``bench_search.py``), then measures each database in its own single process, one request
at a time through the Flask test client:

- request: the whole ``POST /api/v1/match`` (validation, fetch, matcher, JSON);
- fetch: ``directory.matching.bridge.build_request`` (choosing candidates in the search index, and
  loading those this worker has not seen since the directory last changed); "of which loading" is
  ``load_options`` alone (the queries and the rows turned into the matcher's dataclasses; 0 when every
  candidate was already loaded);
- matcher: ``matcher.engine.build_package`` alone;
- cover: ``matcher.cover.solve`` inside the engine, summed over the request (the engine calls it twice
  when it adds a GP registration step), with the number of candidates it was given.

Requests are realistic: 6 needs drawn from the taxonomy (urgent ones included), homes in busy urban
districts, rural ones (Cornwall gets the 30 km rural radius) and no fixed abode, a custody suite, court
or community setting nearby, and moments spread over the week, day and night. 24-need requests (every
need in the taxonomy) show the set cover at its largest.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.bench_search import OUT, postgres_database  # noqa: E402
from bench.synthetic import generate, normalise_url_for  # noqa: E402

# (home, where now): busy urban districts, then rural ones. None at home = no fixed abode.
URBAN = (
    ("SE13 6LJ", "SE6 4RU"),
    ("E1 6AN", "E14 2BG"),
    ("M1 3BE", "M8 8FE"),
    ("B12 0AA", "B5 4UA"),
    ("LS9 8AA", "LS1 4AP"),
    ("N17 9LH", "N15 4TP"),
    ("SW9 8AB", "SE11 4TP"),
    ("L8 1YP", "L1 8JQ"),
    ("NE4 5AA", "NE1 8AG"),
    ("G31 2AA", "G2 5UG"),
    ("BS5 0AA", "BS1 6AD"),
    ("CF24 1AA", "CF10 1ET"),
    (None, "SE1 7TP"),
    (None, "M2 5GP"),
)
RURAL = (
    ("TR18 4AA", "TR1 2HQ"),  # Penzance, Truro custody: Cornwall, rural radius
    ("PL26 7AA", "PL25 4NR"),
    ("TR15 2AA", "TR1 2HQ"),
    ("LD1 5AA", "LD3 7AA"),  # Powys
    ("EX20 1AA", "EX2 5DW"),  # Okehampton, Exeter court
    ("LA22 0AA", "LA9 4AA"),  # Ambleside, Kendal
    ("IV27 4AA", "IV2 3BA"),  # Sutherland, Inverness
    ("SY23 1AA", "SY23 3DT"),
    (None, "TR1 2HQ"),
)
URGENT_NEEDS = (
    "NO_BED_TONIGHT",
    "SUBST_CONTINUITY",
    "MH_CRISIS",
    "RISK_SUICIDE_NOW",
    "DA_HIGH",
    "EXPLOITATION",
)
COMMON_NEEDS = (
    "HOUSING_RISK",
    "INCOME_BENEFITS",
    "DEBT",
    "FOOD_ESSENTIALS",
    "GP_UNREGISTERED",
    "MH_COMMON",
    "MH_SEVERE",
    "SUBST_DRUGS",
    "SUBST_ALCOHOL",
    "RISK_SELFHARM",
    "DA_STANDARD",
    "PHYS_HEALTH",
    "ETE",
    "FAMILY_RELATIONSHIPS",
    "LD",
    "NEURODIV",
    "VETERAN",
)
ALL_NEEDS = URGENT_NEEDS + COMMON_NEEDS + ("SAFEGUARD_CHILD",)
START = datetime(2026, 1, 5, tzinfo=UTC)


def payload(rng: random.Random, n_needs: int) -> dict[str, Any]:
    """A realistic match request: mostly urban, some rural, some no fixed abode, any time of the week."""
    home, where = rng.choice(URBAN if rng.random() < 0.7 else RURAL)
    if n_needs >= len(ALL_NEEDS):
        needs = list(ALL_NEEDS)
    else:
        urgent = rng.sample(URGENT_NEEDS, rng.choice((0, 1, 1, 2)))
        needs = urgent + rng.sample(COMMON_NEEDS, n_needs - len(urgent))
    age = rng.choice((17, *range(18, 70)))
    at = START + timedelta(days=rng.randrange(330), minutes=rng.randrange(24 * 60))
    return {
        "needs": needs,
        "person": {
            "age": age,
            "gender": rng.choice(("male", "male", "female", "non_binary")),
            "postcode": home,
            "local_authority": None,
            "gp_registered": rng.random() < 0.7,
            "probation": rng.choice(("none", "none", "community_order_rar", "licence", "pss")),
            "veteran": rng.random() < 0.1,
            "language": "en",
        },
        "where": {"setting": rng.choice(("custody", "custody", "court", "community")), "postcode": where},
        "at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p95 in milliseconds."""
    ordered = sorted(samples)
    at = lambda q: ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]  # noqa: E731
    return at(0.50) * 1000, at(0.95) * 1000


class Stopwatch:
    """Wraps a module function so each call's wall-clock time adds to the current request's total."""

    def __init__(self, module: Any, name: str) -> None:
        self.module, self.name, self.inner = module, name, getattr(module, name)
        self.total = 0.0
        self.calls: list[Any] = []

    def __enter__(self) -> Stopwatch:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return self.inner(*args, **kwargs)
            finally:
                self.total += time.perf_counter() - start
                self.calls.append(args)

        setattr(self.module, self.name, timed)
        return self

    def __exit__(self, *exc: object) -> None:
        setattr(self.module, self.name, self.inner)

    def take(self) -> float:
        total, self.total = self.total, 0.0
        return total


def measure(database_url: str, runs: int, runs_24: int) -> dict[str, Any]:
    """Every case on one database, in this process."""
    from directory import create_app
    from directory.matching import bridge
    from matcher import engine

    app = create_app(
        {
            "DATABASE_URL": normalise_url_for(database_url),
            "SECRET_KEY": "bench",
            "INSTANCE_PATH": str(OUT / "instance"),
            "TESTING": True,
        }
    )
    client = app.test_client()
    report: dict[str, Any] = {"cases": []}

    def case(name: str, n_needs: int, count: int) -> None:
        rng = random.Random(n_needs)
        bodies = [payload(rng, n_needs) for _ in range(count)]
        for body in bodies[:5]:  # warm caches, templates and the database
            client.post("/api/v1/match", json=body)
        samples: dict[str, list[float]] = {
            k: [] for k in ("request", "cpu", "fetch", "load", "matcher", "cover")
        }
        candidates: list[int] = []
        cover_sizes: list[int] = []
        items: list[int] = []
        with (
            Stopwatch(bridge, "build_request") as fetch,
            Stopwatch(bridge, "load_options") as load,
            Stopwatch(bridge, "build_package") as matcher,
            Stopwatch(engine, "solve") as cover,
        ):
            for body in bodies:
                cover.calls.clear()
                start, start_cpu = time.perf_counter(), time.process_time()
                response = client.post("/api/v1/match", json=body)
                samples["request"].append(time.perf_counter() - start)
                samples["cpu"].append(time.process_time() - start_cpu)
                if response.status_code != 200:
                    raise SystemExit(f"{response.status_code}: {response.get_data(as_text=True)} for {body}")
                items.append(len(response.get_json()["items"]))
                samples["fetch"].append(fetch.take())
                samples["load"].append(load.take())
                samples["matcher"].append(matcher.take())
                samples["cover"].append(cover.take())
                candidates.append(len(matcher.calls[-1][0].services))
                cover_sizes.append(max(len(args[0]) for args in cover.calls))
        row: dict[str, Any] = {"case": name, "runs": count}
        row.update({key: percentiles(values) for key, values in samples.items()})
        row["candidates"] = (round(sum(candidates) / count), max(candidates))
        row["cover_size"] = (round(sum(cover_sizes) / count), max(cover_sizes))
        row["items"] = round(sum(items) / count, 1)
        report["cases"].append(row)

    case("6 needs", 6, runs)
    case("24 needs", len(ALL_NEEDS), runs_24)
    return report


def ms(pair: tuple[float, float]) -> str:
    return f"{pair[0]:6.1f} {pair[1]:6.1f}"


def print_table(services: int, reports: dict[str, dict[str, Any]]) -> None:
    print(
        f"\nMatch benchmark: POST /api/v1/match on {services:,} synthetic services, one process per database"
    )
    print(f"Machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}.")
    print(
        "Times in milliseconds, p50 p95. request = the whole API call; CPU = this process's CPU per request;"
    )
    print(
        "fetch = bridge.build_request (candidates from the search index, loading new ones); loading ="
        " load_options alone;"
    )
    print(
        "matcher = engine.build_package; cover = cover.solve within it. candidates = services handed to the"
    )
    print("matcher (mean max); cover = candidates handed to the set cover (mean max).\n")
    header = (
        f"{'database':<11}{'case':<10}{'runs':>5}  {'request':>13}  {'CPU':>13}  {'fetch':>13}  "
        f"{'of which load':>13}  {'matcher':>13}  {'cover':>13}  {'candidates':>11}  {'cover':>8}"
    )
    print(header)
    print("-" * len(header))
    for backend, report in reports.items():
        for row in report["cases"]:
            print(
                f"{backend:<11}{row['case']:<10}{row['runs']:>5}  {ms(row['request'])}  {ms(row['cpu'])}  "
                f"{ms(row['fetch'])}  {ms(row['load'])}  {ms(row['matcher'])}  {ms(row['cover'])}  "
                f"{row['candidates'][0]:>5} {row['candidates'][1]:>5}  {row['cover_size'][0]:>3} {row['cover_size'][1]:>4}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200, help="6-need requests per database (default 200)")
    parser.add_argument("--runs-24", type=int, default=50, help="24-need requests per database (default 50)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL server where the user may create databases; 'none' to skip PostgreSQL",
    )
    parser.add_argument("--only", choices=("sqlite", "postgresql"), help="measure one database")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="measure each database this many times, each in a fresh process, and show the run with the"
        " median 6-need p95 (a shared machine has bad moments; every run's p95 is listed too)",
    )
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # internal: measure one database, print JSON
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.runs, args.runs_24)))
        return

    OUT.mkdir(parents=True, exist_ok=True)
    databases = {"sqlite": f"sqlite:///{OUT / f'national-{args.services}.sqlite3'}"}
    if args.postgres != "none":
        databases["postgresql"] = postgres_database(args.postgres, f"dd_bench_{args.services}")
    if args.only:
        databases = {args.only: databases[args.only]}
    reports = {}
    every_run: dict[str, list[dict[str, Any]]] = {}
    run: Callable[..., subprocess.CompletedProcess[str]] = subprocess.run
    for backend, url in databases.items():
        report = generate(url, args.services, seed=args.seed)
        action = "reused" if report.reused else f"generated in {report.seconds:.0f} s"
        print(f"{backend}: {args.services:,} services {action}", flush=True)
        runs = []
        for _ in range(max(1, args.repeat)):
            child = run(
                [
                    sys.executable,
                    __file__,
                    "--measure",
                    url,
                    "--runs",
                    str(args.runs),
                    "--runs-24",
                    str(args.runs_24),
                ],
                capture_output=True,
                text=True,
            )
            if child.returncode:
                raise SystemExit(child.stderr)
            runs.append(json.loads(child.stdout.strip().splitlines()[-1]))
        runs.sort(key=lambda r: r["cases"][0]["request"][1])
        reports[backend], every_run[backend] = runs[len(runs) // 2], runs
    print_table(args.services, reports)
    if args.repeat > 1:
        print(
            f"\nEach database measured {args.repeat} times; the table shows the run with the median 6-need p95."
        )
        for backend, runs in every_run.items():
            for n, case in enumerate(runs[0]["cases"]):
                p95s = sorted(r["cases"][n]["request"][1] for r in runs)
                print(
                    f"{backend:<11}{case['case']:<10} request p95 of every run: {', '.join(f'{v:.1f}' for v in p95s)}"
                )


if __name__ == "__main__":
    main()

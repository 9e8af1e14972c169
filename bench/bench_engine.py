"""build_package timings on realistic synthetic requests: 6 and 24 needs against directories of about
150 and 600 services with realistic weekly schedules.

Run: python bench/bench_engine.py [runs]

Each directory is a fixed spec (seeded): agencies working in one field (drugs and alcohol, housing and
money, mental health, ...) plus a few generalists, most services local to Lewisham and some national
phone lines; office hours with jittered times, part-time access points, evening drop-ins, overnight
helplines, weekend food banks, 24/7 lines, Christmas closures and extra sessions; a few with unknown
hours. As the database bridge does, every request gets freshly built ``ServiceOption`` and
``OpeningHours`` objects (equal in value, not the same objects), at a random moment of 2026 (nights,
weekends, bank holidays and both clock-change days included). Prints p50/p95/max wall-clock
milliseconds, p50/p95 CPU milliseconds of this process (steadier on a shared machine), and the share
of the time spent in :func:`matcher.hours.open_state`.
"""

from __future__ import annotations

import csv
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matcher import engine, hours
from matcher.engine import build_package
from matcher.hours import DatedException, OpeningHours, Session
from matcher.model import GeoPoint, MatchRequest, Need, Person, ServiceOption, Where
from matcher.vocabulary import NeedGroup, NeedRole

ROOT = Path(__file__).resolve().parents[1]

LEWISHAM = "E09000023"
SE13 = GeoPoint(51.4585, -0.0107)
SE6 = GeoPoint(51.4397, -0.0195)
BANK_HOLIDAYS_2026 = frozenset(
    date(2026, m, d) for m, d in ((1, 1), (4, 3), (4, 6), (5, 4), (5, 25), (8, 31), (12, 25), (12, 28))
) | frozenset({date(2027, 1, 1)})
FIELDS = (
    ("RISK_SUICIDE_NOW", "RISK_SELFHARM", "MH_CRISIS", "MH_COMMON", "MH_SEVERE"),
    ("SUBST_CONTINUITY", "SUBST_DRUGS", "SUBST_ALCOHOL"),
    ("DA_HIGH", "DA_STANDARD", "SAFEGUARD_CHILD", "EXPLOITATION"),
    ("NO_BED_TONIGHT", "HOUSING_RISK", "FOOD_ESSENTIALS"),
    ("INCOME_BENEFITS", "DEBT", "ETE"),
    ("GP_UNREGISTERED", "PHYS_HEALTH", "LD", "NEURODIV"),
    ("VETERAN", "FAMILY_RELATIONSHIPS"),
)


def _load_needs() -> dict[str, Need]:
    with (ROOT / "seeds" / "needs.csv").open(newline="") as f:
        return {
            r["code"]: Need(
                r["code"],
                r["label"],
                NeedGroup(r["group"]),
                r["urgent"] == "yes",
                r["basic"] == "yes",
                frozenset(NeedRole(role) for role in r["roles"].split()),
            )
            for r in csv.DictReader(f)
        }


NEEDS = _load_needs()


def _t(hour: float) -> clock:
    minutes = round(hour * 60) % (24 * 60)
    return clock(minutes // 60, minutes % 60)


def _weekly(rng: random.Random) -> dict[str, Any]:
    """One realistic schedule as plain data (turned into OpeningHours afresh for every request)."""
    kind = rng.choices(
        ["office", "access_point", "drop_in", "helpline", "weekend", "always", "unknown"],
        weights=[40, 15, 12, 10, 5, 12, 6],
    )[0]
    sessions: list[tuple[int, float, float, bool]] = []
    open_on_bh = False
    if kind == "office":
        opens, closes = rng.choice([8.5, 9, 9, 9.5, 10]), rng.choice([16, 16.5, 17, 17, 17.5, 18])
        days = range(5) if rng.random() < 0.8 else (0, 1, 2, 3)
        sessions = [(d, opens, closes, False) for d in days]
        if rng.random() < 0.3:
            sessions.append((rng.randrange(5), 17.5, 20, True))  # a late evening
    elif kind == "access_point":
        sessions = [(d, 9, 15, False) for d in (0, 1, 3, 4)] + [(2, 13, 15, False)]
    elif kind == "drop_in":
        sessions = [
            (d, rng.choice([10, 12, 13]), rng.choice([14, 16]), True) for d in rng.sample(range(7), 3)
        ]
    elif kind == "helpline":
        open_on_bh = True
        sessions = [(d, 17.5, 9, False) for d in range(5)] + [(5, 0, 0, False), (6, 0, 0, False)]
    elif kind == "weekend":
        sessions = [(5, 10, 13, True), (6, rng.choice([11, 12]), 15, True)]
    exceptions: list[tuple[date, bool, float | None, float | None]] = []
    if kind not in ("unknown",) and rng.random() < 0.3:
        exceptions.append((date(2026, 12, 24), True, None, None))
        if rng.random() < 0.5:
            exceptions.append((date(2026, 12, 29), False, 10, 12))
    if kind not in ("unknown",) and rng.random() < 0.15:
        day = date(2026, 1, 1) + timedelta(days=rng.randrange(365))
        exceptions.append((day, rng.random() < 0.6, 10, 14))
    return {
        "always_open": kind == "always",
        "open_on_bh": open_on_bh or kind == "always",
        "sessions": sessions,
        "exceptions": exceptions,
        "known": kind != "unknown",
    }


def _opening_hours(spec: dict[str, Any]) -> OpeningHours:
    def maybe(hour: float | None) -> clock | None:
        return None if hour is None else _t(hour)

    return OpeningHours(
        always_open=spec["always_open"],
        sessions=tuple(Session(d, _t(o), _t(c), di) for d, o, c, di in spec["sessions"]),
        exceptions=tuple(
            DatedException(day, closed, maybe(o), maybe(c), "") for day, closed, o, c in spec["exceptions"]
        ),
        open_on_bank_holidays=spec["open_on_bh"],
        known=spec["known"],
    )


def directory(size: int, rng: random.Random) -> list[dict[str, Any]]:
    """``size`` service specs from about size/3 agencies."""
    field_of = {n: fi for fi, f in enumerate(FIELDS) for n in f}
    orgs = [
        (f"org{i:03d}", rng.randrange(len(FIELDS)) if rng.random() > 0.1 else None) for i in range(size // 3)
    ]
    specs = []
    for i in range(size):
        org, fld = rng.choice(orgs)
        pool = list(NEEDS) if fld is None else list(FIELDS[fld])
        first = rng.choice(pool)
        size_needs = rng.choices([1, 2, 3, 4], weights=[55, 25, 12, 8])[0]
        more = [
            n
            for n in pool
            if n != first and (fld is not None or field_of[n] == field_of[first] or rng.random() < 0.3)
        ]
        codes = (first, *rng.sample(more, min(size_needs - 1, len(more))))
        national = rng.random() < 0.2
        lat = None if national else SE13.lat + rng.uniform(-0.08, 0.08)
        lon = None if national else SE13.lon + rng.uniform(-0.12, 0.12)
        specs.append(
            {
                "id": f"svc{i:04d}",
                "name": f"Service {i}",
                "organization_id": org,
                "organization_name": org.title(),
                "needs": codes,
                "status": rng.choices(["active", "inactive", "temporarily_closed"], weights=[92, 4, 4])[0],
                "min_age": rng.choice([None, 16, 18, 18, 18]),
                "max_age": rng.choice([None] * 8 + [25, 17]),
                "genders": ("female",)
                if set(codes) & {"DA_HIGH", "DA_STANDARD"} and rng.random() < 0.5
                else (),
                "catchment_type": rng.choices(
                    ["none", "residence", "gp", "either"], weights=[50, 30, 10, 10]
                )[0]
                if not national
                else "none",
                "catchment_areas": (LEWISHAM,) if rng.random() < 0.85 else ("E09000022",),
                "cohorts": ("veteran",) if "VETERAN" in codes else (),
                "referral_routes": rng.choice(
                    [("self",), ("self", "professional"), ("professional",), ("self", "drop_in")]
                ),
                "capacity_status": rng.choices(
                    ["accepting", "waiting_list", "at_capacity"], weights=[80, 15, 5]
                )[0],
                "wait_days": rng.choice([None, None, 3, 14, 42]),
                "delivery": ("phone",) if national else rng.choice([("in_person",), ("in_person", "phone")]),
                "assured_date": date(2026, 10, 1) - timedelta(days=rng.randrange(0, 500)),
                "location_id": None if national else f"{org}-site{rng.randrange(2)}",
                "lat": lat,
                "lon": lon,
                "phone": "0800 000 000",
                "hours": _weekly(rng),
            }
        )
    return specs


def services(specs: list[dict[str, Any]]) -> tuple[ServiceOption, ...]:
    """Fresh objects, as the bridge builds them for every request."""
    return tuple(ServiceOption(**{**s, "hours": _opening_hours(s["hours"])}) for s in specs)


def moment(rng: random.Random) -> datetime:
    """A random minute of 2026, the clock-change days and nights over-represented."""
    if rng.random() < 0.1:
        day = rng.choice([date(2026, 3, 29), date(2026, 10, 25), date(2026, 12, 25)])
    else:
        day = date(2026, 1, 1) + timedelta(days=rng.randrange(365))
    return datetime.combine(day, clock(0), tzinfo=UTC) + timedelta(minutes=rng.randrange(24 * 60))


def request(specs: list[dict[str, Any]], n_needs: int, rng: random.Random) -> MatchRequest:
    codes = rng.sample(list(NEEDS), n_needs)
    person = Person(
        age=rng.choice([17, 22, 34, 45, 70]),
        gender=rng.choice(["male", "male", "female", "non_binary"]),
        home_district="SE13",
        home_authority=LEWISHAM,
        home_location=SE13,
        gp_registered=rng.random() < 0.7,
        gp_authority=LEWISHAM,
        veteran=rng.random() < 0.1,
    )
    return MatchRequest(
        needs=tuple(NEEDS[c] for c in codes),
        person=person,
        where=Where("custody", "SE6", LEWISHAM, SE6),
        at=moment(rng),
        services=services(specs),
        bank_holidays=BANK_HOLIDAYS_2026,
        taxonomy=tuple(NEEDS.values()),
    )


class _HoursClock:
    """Counts time spent in open_state (the engine's name for it is patched for the measurement)."""

    def __init__(self) -> None:
        self.spent = 0.0
        self.real = hours.open_state

    def __call__(self, *args: Any, **kw: Any) -> hours.OpenState:
        t0 = time.perf_counter()
        try:
            return self.real(*args, **kw)
        finally:
            self.spent += time.perf_counter() - t0


def _pct(times: list[float], q: float) -> float:
    return sorted(times)[int(q * (len(times) - 1))]


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    for size in (150, 600):
        specs = directory(size, random.Random(size))
        for n_needs in (6, 24):
            rng = random.Random(20261123 + n_needs)
            times, cpu, items = [], [], []
            for _ in range(runs):
                req = request(specs, n_needs, rng)
                t0, c0 = time.perf_counter(), time.process_time()
                pkg = build_package(req)
                cpu.append((time.process_time() - c0) * 1000)
                times.append((time.perf_counter() - t0) * 1000)
                items.append(len(pkg.items))
            # Again with open_state timed, for its share (the wrapper adds a little overhead).
            rng = random.Random(20261123 + n_needs)
            timer = _HoursClock()
            engine.open_state = timer  # type: ignore[assignment]
            try:
                total = 0.0
                for _ in range(runs):
                    req = request(specs, n_needs, rng)
                    t0 = time.perf_counter()
                    build_package(req)
                    total += time.perf_counter() - t0
            finally:
                engine.open_state = timer.real
            print(
                f"{size:4d} services, {n_needs:2d} needs: p50 {statistics.median(times):7.3f} ms  "
                f"p95 {_pct(times, 0.95):7.3f} ms  max {max(times):7.3f} ms  "
                f"(cpu p50 {statistics.median(cpu):6.3f} p95 {_pct(cpu, 0.95):6.3f})  "
                f"open_state {100 * timer.spent / total:4.1f}% of the time  "
                f"items {statistics.mean(items):4.1f}"
            )


if __name__ == "__main__":
    main()

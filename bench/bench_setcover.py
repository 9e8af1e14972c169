"""Set-cover timings for 6, 12 and 24 needs with realistic candidate counts.

Run: python bench/bench_setcover.py [runs]

"clustered" is the realistic shape: every need gets top-k (5) candidate services; agencies work in a
field (drugs and alcohol, housing and money, mental health, domestic abuse, ...) so most multi-need
services combine needs of one field, and a few generalists (women's centres, probation CRS, court
advice services) span fields. "random" is a stress test: multi-need services combine needs at random
across all fields, which joins everything into one hard component. Prints p50/p95/max wall-clock
milliseconds, p50/p95 CPU milliseconds of this process (steadier on a shared machine), and how many
runs the search proved optimal within its node budget.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matcher.cover import Candidate, solve_detailed

K = 5
FIELDS = (
    ("RISK_SUICIDE_NOW", "RISK_SELFHARM", "MH_CRISIS", "MH_COMMON", "MH_SEVERE"),
    ("SUBST_CONTINUITY", "SUBST_DRUGS", "SUBST_ALCOHOL"),
    ("DA_HIGH", "DA_STANDARD", "SAFEGUARD_CHILD", "EXPLOITATION"),
    ("NO_BED_TONIGHT", "HOUSING_RISK", "FOOD_ESSENTIALS"),
    ("INCOME_BENEFITS", "DEBT", "ETE"),
    ("GP_UNREGISTERED", "PHYS_HEALTH", "LD", "NEURODIV"),
    ("VETERAN", "FAMILY_RELATIONSHIPS"),
)
ALL_NEEDS = [n for f in FIELDS for n in f]


def instance(n_needs: int, rng: random.Random, clustered: bool) -> list[Candidate]:
    """Top-k candidates per need, with multi-need services and shared agencies and sites."""
    needs = sorted(rng.sample(ALL_NEEDS, n_needs), key=ALL_NEEDS.index)
    bit = {n: i for i, n in enumerate(needs)}
    field_of = {n: fi for fi, f in enumerate(FIELDS) for n in f}
    cands: list[Candidate] = []
    per_need = dict.fromkeys(needs, 0)
    while min(per_need.values()) < K:
        need = min(needs, key=lambda n: (per_need[n], rng.random()))
        size = rng.choices([1, 2, 3, 4], weights=[60, 25, 10, 5])[0]
        generalist = not clustered or rng.random() < 0.1
        pool = [n for n in needs if n != need and (generalist or field_of[n] == field_of[need])]
        covered = [need, *rng.sample(pool, min(size - 1, len(pool)))]
        for n in covered:
            per_need[n] += 1
        fld = "gen" if generalist else str(field_of[need])
        org = f"org-{fld}-{rng.randrange(4)}"
        i = len(cands)
        site = f"{org}-site{rng.randrange(2)}" if rng.random() < 0.7 else f"phone{i}"
        mask = sum(1 << bit[n] for n in covered)
        cands.append(Candidate(f"svc{i:03d}", org, site, mask, rng.randrange(0, 600)))
    return cands


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    rng = random.Random(20261122)
    for clustered in (True, False):
        for n in (6, 12, 24):
            times, cpu, sizes, exact = [], [], [], 0
            for _ in range(runs):
                cands = instance(n, rng, clustered)
                sizes.append(len(cands))
                t0, c0 = time.perf_counter(), time.process_time()
                result = solve_detailed(cands)
                cpu.append((time.process_time() - c0) * 1000)
                times.append((time.perf_counter() - t0) * 1000)
                exact += result.exact
            times.sort()
            cpu.sort()
            p50 = statistics.median(times)
            p95 = times[int(0.95 * (len(times) - 1))]
            print(
                f"{'clustered' if clustered else 'random   '} {n:2d} needs, {statistics.mean(sizes):5.1f} "
                f"candidates: p50 {p50:7.3f} ms  p95 {p95:7.3f} ms  max {times[-1]:7.3f} ms  "
                f"(cpu p50 {statistics.median(cpu):6.3f} p95 {cpu[int(0.95 * (len(cpu) - 1))]:6.3f})  "
                f"exact {exact}/{runs}"
            )


if __name__ == "__main__":
    main()

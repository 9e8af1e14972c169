"""HTTP throughput under gunicorn, each route beside a bare Flask JSON route served the same way.

    .venv/bin/python bench/bench_http.py                      # SQLite only, 10 s per route
    .venv/bin/python bench/bench_http.py --database-url postgresql://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/bench_http.py --compare /tmp/before  # A/B against another checkout

loads the demo directory into a fresh SQLite file (and, with ``--database-url``, into a fresh database
``dd_bench_http`` on that PostgreSQL server), creates the demo accounts, then serves the app with
gunicorn (2 workers, ``gunicorn.conf.py`` when the project has one) on a free port of 127.0.0.1, and a
bare Flask app answering one small JSON object the same way. Load comes from a separate process:
wrk (Debian's ``wrk`` package) when it is installed, else a Python client (threads, keep-alive
``http.client``). Every route gets the same fixed time and concurrency, only ever on 127.0.0.1.

Each route's time is cut into slices that alternate with slices of the bare route (and of the other
app, with ``--compare``), and its ratio is to those bare slices: the machine is shared and its speed
drifts, so only figures taken side by side are compared. p50/p95 are the median slice's.
``--compare PATH`` serves the app from another source tree too (e.g. ``git worktree add /tmp/before
<commit>``), so a change is measured before and after in one run.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from contextlib import ExitStack, closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PG_DATABASE = "dd_bench_http"
WARM_SECONDS = 2
SIGNED_IN = ("editor", "practitioner")
MATCH_BODY = {
    "needs": ["NO_BED_TONIGHT", "SUBST_ALCOHOL", "DEBT", "MH_COMMON", "FOOD_ESSENTIALS", "INCOME_BENEFITS"],
    "person": {"age": 34, "gender": "male", "postcode": "SE13 6LJ", "gp_registered": True},
    "where": {"setting": "custody", "postcode": "SE13 6LJ"},
}
# wrk prints this line, parsed below; percentiles in microseconds.
WRK_SCRIPT = """
wrk.method = os.getenv("BENCH_METHOD") or "GET"
wrk.body = os.getenv("BENCH_BODY")
if os.getenv("BENCH_COOKIE") then wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE") end
if wrk.body then wrk.headers["Content-Type"] = "application/json" end
done = function(summary, latency, requests)
  io.write(string.format(
    "BENCH {\\"requests\\": %d, \\"seconds\\": %f, \\"p50\\": %f, \\"p95\\": %f, \\"bad\\": %d}\\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(95),
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout))
end
"""


def bare_app() -> Any:
    """The baseline: Flask answering one small JSON object, nothing else (``gunicorn 'bench.bench_http:bare_app()'``)."""
    from flask import Flask, jsonify

    app = Flask("bare")

    @app.get("/")
    def index() -> Any:
        return jsonify({"status": "ok", "service": "bare"})

    return app


@dataclass
class Route:
    """One thing to measure: a name, a path, and how to ask for it."""

    name: str
    path: str
    method: str = "GET"
    body: str | None = None
    cookie: str | None = None
    kind: str = "html"  # html or json: which target applies


@dataclass
class Result:
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    bad: int = 0
    requests: int = 0


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def run(command: list[str], env: dict[str, str]) -> str:
    """Run a setup command; its output, or the command's errors and exit."""
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"{' '.join(command[:4])} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def fresh_postgres(server_url: str) -> str:
    """A new, empty database ``dd_bench_http`` on the server in ``server_url``; its URL."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    server = make_url(server_url).set(drivername="postgresql+psycopg")
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {PG_DATABASE}"))
    engine.dispose()
    return server.set(database=PG_DATABASE).render_as_string(hide_password=False)


def app_env(database_url: str, instance: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"FLASK_APP", "DIRECTORY_ENV"}}
    env.update(DATABASE_URL=database_url, SECRET_KEY=secrets.token_hex(32), BENCH_INSTANCE=str(instance))
    return env


def prepare(database_url: str, env: dict[str, str]) -> dict[str, str]:
    """Migrate, load the demo directory and create the demo accounts; their passwords by role."""
    flask = [sys.executable, "-m", "flask", "--app", "directory"]
    run([*flask, "setup"], env)
    printed = run([*flask, "demo-users"], env)
    return {m[1]: m[2] for m in re.finditer(r"^\s+.+?\s+(\w+)@example\.org\s+(\S+)", printed, re.M)}


class Server:
    """A gunicorn serving ``target`` from ``tree`` with ``workers`` workers on a free port."""

    def __init__(self, target: str, tree: Path, env: dict[str, str], workers: int, log: Path) -> None:
        self.port = free_port()
        config = tree / "gunicorn.conf.py"
        command = [sys.executable, "-m", "gunicorn", "--chdir", str(tree)]
        if config.exists():
            command += ["-c", str(config)]
        command += ["--workers", str(workers), "--bind", f"{HOST}:{self.port}", target]
        self.log = log
        self.process = subprocess.Popen(
            command, env=env, cwd=tree, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
        )

    def wait(self, path: str) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn stopped:\n{self.log.read_text()[-3000:]}")
            try:
                status, _, _ = fetch(self.port, Route("probe", path))
                if status < 500:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        sys.exit(f"gunicorn did not answer within 60 s:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def fetch(port: int, route: Route, extra: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    """One request; status, headers and body."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    headers = dict(extra or {})
    if route.cookie:
        headers["Cookie"] = route.cookie
    if route.body is not None:
        headers.setdefault("Content-Type", "application/json")
    try:
        connection.request(route.method, route.path, body=route.body, headers=headers)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read().decode()
    finally:
        connection.close()


def sign_in(port: int, email: str, password: str) -> str:
    """A signed-in session's Cookie header, got through the sign-in form like a person would."""
    status, headers, page = fetch(port, Route("login", "/login"))
    cookie = headers.get("set-cookie", "").split(";")[0]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    if status != 200 or token is None:
        sys.exit(f"the sign-in page answered {status} without a CSRF token")
    form = urllib.parse.urlencode({"csrf_token": token[1], "email": email, "password": password})
    status, headers, _ = fetch(
        port,
        Route("login", "/login", method="POST", body=form, cookie=cookie),
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    if status != 302:
        sys.exit(f"signing in as {email} answered {status}, not a redirect")
    return headers.get("set-cookie", cookie).split(";")[0]


def first_ids(database_url: str) -> tuple[str, str]:
    """A Lewisham service with hours (for the service page) and any active service (for the API)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as connection:
        page = connection.execute(
            text(
                "SELECT s.id FROM service s JOIN organization o ON o.id = s.organization_id "
                "WHERE s.status = 'active' AND o.name LIKE '%Lewisham%' ORDER BY s.name LIMIT 1"
            )
        ).scalar()
        api = connection.execute(
            text("SELECT id FROM service WHERE status = 'active' ORDER BY name")
        ).scalar()
    engine.dispose()
    return str(page or api), str(api)


def routes(service_id: str, api_id: str, cookies: dict[str, str]) -> list[Route]:
    found = [
        Route("home", "/"),
        Route("search: typo query", "/search?q=citzens+advise"),
        Route("search: need + postcode", "/search?need=DEBT&postcode=SE13+6LJ&radius=10"),
        Route("service page", f"/services/{service_id}"),
        Route("package page (GET)", "/package"),
    ]
    if "editor" in cookies:
        found.append(Route("listings (editor)", "/listings/", cookie=cookies["editor"]))
    if "practitioner" in cookies:
        found.append(Route("cases home (practitioner)", "/cases/", cookie=cookies["practitioner"]))
    found += [
        Route("API services", "/api/v1/services", kind="json"),
        Route("API service", f"/api/v1/services/{api_id}", kind="json"),
        Route("API match (POST)", "/api/v1/match", method="POST", body=json.dumps(MATCH_BODY), kind="json"),
    ]
    return found


def load_with_wrk(port: int, route: Route, seconds: float, connections: int, script: Path) -> Result:
    env = dict(os.environ, BENCH_METHOD=route.method)
    for name, value in (("BENCH_BODY", route.body), ("BENCH_COOKIE", route.cookie)):
        if value is not None:
            env[name] = value
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s", "-s", str(script)]
    out = subprocess.run(
        [*command, f"http://{HOST}:{port}{route.path}"], env=env, capture_output=True, text=True, check=True
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("BENCH "))
    found = json.loads(line[len("BENCH ") :])
    return Result(
        found["requests"] / found["seconds"],
        found["p50"] / 1000,
        found["p95"] / 1000,
        found["bad"],
        found["requests"],
    )


def load_with_python(port: int, route: Route, seconds: float, connections: int) -> Result:
    """The same load from a child process of this script (so the client's CPU is its own)."""
    spec = json.dumps({"route": route.__dict__, "port": port, "seconds": seconds, "connections": connections})
    out = subprocess.run(
        [sys.executable, __file__, "--load-client", spec], capture_output=True, text=True, check=True
    ).stdout
    found = json.loads(out)
    return Result(found["rps"], found["p50"], found["p95"], found["bad"], found["requests"])


def python_client(spec: dict[str, Any]) -> dict[str, float]:
    """Threads on keep-alive connections, each sending the request again as soon as it is answered."""
    route, port = Route(**spec["route"]), int(spec["port"])
    headers = {"Cookie": route.cookie} if route.cookie else {}
    if route.body is not None:
        headers["Content-Type"] = "application/json"
    stop = time.monotonic() + float(spec["seconds"])
    latencies: list[float] = []
    bad = [0]

    def worker() -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                connection.request(route.method, route.path, body=route.body, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.will_close:
                    connection.close()
            except (OSError, http.client.HTTPException):
                bad[0] += 1
                connection.close()
                continue
            latencies.append(time.perf_counter() - started)
            if response.status >= 400:
                bad[0] += 1

    threads = [threading.Thread(target=worker) for _ in range(int(spec["connections"]))]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {
        "rps": len(latencies) / elapsed,
        "p50": cuts[49] * 1000,
        "p95": cuts[94] * 1000,
        "bad": bad[0],
        "requests": len(latencies),
    }


def target_met(route: Route, ratio: float) -> str:
    need = 0.30 if route.kind == "json" else 0.15
    return "yes" if ratio >= need else f"no (target {need:.0%})"


def combined(slices: list[Result]) -> Result:
    """Rounds of one route as one result: total requests over total time, the median round's p50/p95."""
    seconds = [s.requests / s.requests_per_second for s in slices if s.requests_per_second]
    return Result(
        sum(s.requests for s in slices) / (sum(seconds) or 1),
        statistics.median(s.p50_ms for s in slices),
        statistics.median(s.p95_ms for s in slices),
        sum(s.bad for s in slices),
        requests=sum(s.requests for s in slices),
    )


def print_table(label: str, names: list[str], rows: list[tuple[Route, dict[str, Result]]]) -> None:
    head = ["route"]
    for name in names:
        prefix = f"{name}: " if len(names) > 1 else ""
        head += [f"{prefix}req/s", f"{prefix}p50 / p95 ms", f"{prefix}of bare"]
    head += ["bare req/s", "target met"]
    print(f"\n{label}")
    print("| " + " | ".join(head) + " |")
    print("|" + " --- |" * len(head))
    for route, measured in rows:
        bare = measured["bare"].requests_per_second
        cells = [route.name]
        for name in names:
            r = measured[name]
            cells += [
                f"{r.requests_per_second:,.0f}" + (f" ({r.bad} failed)" if r.bad else ""),
                f"{r.p50_ms:.1f} / {r.p95_ms:.1f}",
                f"{r.requests_per_second / bare:.1%}",
            ]
        cells += [f"{bare:,.0f}", target_met(route, measured[names[-1]].requests_per_second / bare)]
        print("| " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", help="a PostgreSQL server: also measure on a fresh database there")
    parser.add_argument("--seconds", type=float, default=10, help="load time per route and app (default 10)")
    parser.add_argument(
        "--rounds", type=int, default=5, help="slices the time is cut into, alternating (default 5)"
    )
    parser.add_argument("--connections", type=int, default=4, help="concurrent connections (default 4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--client", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--only", help="measure only routes whose name contains this")
    parser.add_argument(
        "--compare", type=Path, help="another source tree of the app, measured beside this one"
    )
    parser.add_argument("--load-client", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load_client:
        print(json.dumps(python_client(json.loads(args.load_client))))
        return
    client = args.client
    if client == "auto":
        client = "wrk" if shutil.which("wrk") else "python"
    trees = {"before": args.compare.resolve(), "after": ROOT} if args.compare else {"this": ROOT}
    slice_seconds = args.seconds / args.rounds

    with ExitStack() as stack:
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-http-")))
        script = scratch / "bench.lua"
        script.write_text(WRK_SCRIPT)

        def measure(port: int, route: Route, seconds: float) -> Result:
            if client == "wrk":
                return load_with_wrk(port, route, seconds, args.connections, script)
            return load_with_python(port, route, seconds, args.connections)

        bare = Server(
            "bench.bench_http:bare_app()", ROOT, dict(os.environ), args.workers, scratch / "bare.log"
        )
        stack.callback(bare.stop)
        bare.wait("/")
        bare_route = Route("bare Flask JSON route", "/", kind="json")
        measure(bare.port, bare_route, WARM_SECONDS)

        databases = {"SQLite": f"sqlite:///{scratch / 'directory.sqlite3'}"}
        if args.database_url:
            databases["PostgreSQL"] = fresh_postgres(args.database_url)
        results: dict[str, list[tuple[Route, dict[str, Result]]]] = {}
        for label, url in databases.items():
            env = app_env(url, scratch)
            passwords = prepare(url, env)
            service_id, api_id = first_ids(url)
            servers = {}
            for name, tree in trees.items():
                log = scratch / f"{label}-{name}.log"
                servers[name] = Server("directory:create_app()", tree, env, args.workers, log)
                stack.callback(servers[name].stop)
            for server in servers.values():
                server.wait("/healthz")
            port = next(iter(servers.values())).port
            cookies = {
                role: sign_in(port, f"{role}@example.org", passwords[role])
                for role in SIGNED_IN
                if role in passwords
            }
            rows = []
            for route in routes(service_id, api_id, cookies):
                if args.only and args.only not in route.name:
                    continue
                for name, server in servers.items():
                    status, _, body = fetch(server.port, route)
                    if status != 200:
                        sys.exit(
                            f"{label} {name}: {route.method} {route.path} answered {status}:\n{body[:500]}"
                        )
                    measure(server.port, route, WARM_SECONDS)  # search index, caches: in both workers
                slices: dict[str, list[Result]] = {"bare": [], **{name: [] for name in servers}}
                for _ in range(args.rounds):  # alternate, so a slow moment of the machine hits each alike
                    slices["bare"].append(measure(bare.port, bare_route, slice_seconds))
                    for name, server in servers.items():
                        slices[name].append(measure(server.port, route, slice_seconds))
                measured = {name: combined(found) for name, found in slices.items()}
                rows.append((route, measured))
                shown = ", ".join(f"{n} {r.requests_per_second:,.0f} req/s" for n, r in measured.items())
                print(f"{label}: {route.name}: {shown}", flush=True)
            results[label] = rows
            for server in servers.values():
                server.stop()

    print(
        f"\ngunicorn {args.workers} workers, {args.connections} connections, {args.seconds:g} s per route and app "
        f"in {args.rounds} alternating slices, client {client}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f}; 'of bare' is against the bare route's slices in between"
    )
    for label, rows in results.items():
        print_table(label, list(trees), rows)


if __name__ == "__main__":
    main()

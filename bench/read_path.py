"""Benchmark of the public read path: product summary and first review page under load.

    python bench/read_path.py [--backend sqlite|postgresql|both] [--duration 20]
        [--connections 32] [--reviews 1000000] [--products 10000] [--repeat 3]
        [--workers 1] [--regenerate] [--profile] [--skip-demo]

For each backend, on benchmark data made by ``bench/datagen.py`` (cached: an SQLite file
under ``build/bench/``, the PostgreSQL database ``rd_bench``), it starts two servers in
subprocesses, in the same configuration (uvicorn, ``--workers`` processes, uvloop and
httptools, access log off, on a free port on 127.0.0.1):

- the real application, ``reviewdesk.api.app.create_app`` over the benchmark database;
- the ceiling: a bare FastAPI application whose one endpoint returns a precomputed JSON
  body as large as a typical product summary (``/ceiling``, an ``async def``: the cheapest
  path through the framework), plus ``/ceiling-sync``, the same from a plain ``def``
  (run in the thread pool like reviewdesk's routes), shown for information.

Load comes from ``wrk`` (Debian's package; installed with apt-get when missing) in its own
process, one thread, ``--connections`` connections, a Lua script choosing a random product
of the 10,000 for every request. The endpoints are measured in interleaved rounds
(ceiling, summary, first page, ceiling-sync; ``--repeat`` rounds) after a short warm-up,
so that a disturbance of this shared machine hits all of them alike; the table shows the
median of the rounds with the spread (min-max), and the ratio is the median of the
per-round ratios to the ceiling measured in the same round.

Goals (issue 4): summary >= 0.5 of the ceiling's req/s, first review page >= 0.3, p99 under
50 ms; ``reviewdesk demo --no-serve`` end to end on a fresh SQLite file under 60 s. The
exit code is 0 even when a goal is missed (this is a measurement); missed goals are listed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform as pyplatform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

SUMMARY_GOAL = 0.5
FIRST_PAGE_GOAL = 0.3
P99_GOAL_MS = 50.0
DEMO_GOAL_S = 60.0
API = "/api/v1/public"

# --------------------------------------------------------------------------------------
# The servers (run in subprocesses: ``read_path.py --serve real|ceiling``)
# --------------------------------------------------------------------------------------


def real_app() -> Any:
    """reviewdesk's application over the benchmark database (uvicorn factory)."""
    from datagen import bench_settings
    from reviewdesk.api.app import create_app
    from reviewdesk.db.migrate import current_revision, head_revision
    from reviewdesk.services.platform import open_platform

    workdir = Path(os.environ["RD_BENCH_WORKDIR"])
    # As ``reviewdesk serve`` does: the platform with its job queue (Huey, embedded SQLite).
    settings = bench_settings(os.environ["RD_BENCH_DATABASE_URL"], workdir).model_copy(
        update={"jobs_immediate": False}
    )
    platform = open_platform(settings)
    if current_revision(platform.db) != head_revision():
        raise SystemExit("the benchmark database is not at the current schema revision")
    return create_app(platform)


def ceiling_app() -> Any:
    """A bare FastAPI application returning a precomputed body (uvicorn factory)."""
    from fastapi import FastAPI, Response

    size = int(os.environ["RD_BENCH_BODY_SIZE"])
    head = b'{"id":1,"handle":"ceiling","padding":"'
    body = head + b"x" * max(0, size - len(head) - 2) + b'"}'
    app = FastAPI()

    @app.get("/ceiling")
    async def ceiling() -> Response:
        return Response(body, media_type="application/json")

    @app.get("/ceiling-sync")
    def ceiling_sync() -> Response:
        return Response(body, media_type="application/json")

    return app


def serve(kind: str, port: int, workers: int) -> None:
    import uvicorn

    uvicorn.run(
        f"read_path:{kind}_app",
        factory=True,
        host="127.0.0.1",
        port=port,
        workers=workers,
        loop="uvloop",
        http="httptools",
        log_level="warning",
        access_log=False,
    )


@dataclass
class Server:
    kind: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def pids(self) -> list[int]:
        """The server process and its worker processes."""
        found = [self.process.pid]
        for path in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = path.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                found.append(int(path.parent.name))
        return found

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(kind: str, workers: int, env: dict[str, str], logdir: Path) -> Server:
    port = free_port()
    log = logdir / f"server-{kind}-{port}.log"
    process = subprocess.Popen(
        [sys.executable, __file__, "--serve", kind, "--port", str(port), "--workers", str(workers)],
        env={**os.environ, **env},
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    server = Server(kind, port, process, log)
    probe = "/ceiling" if kind == "ceiling" else f"{API}/shops"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{kind} server exited:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(server.base + probe, timeout=5) as response:
                if response.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"{kind} server did not answer within 120 s")


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


# --------------------------------------------------------------------------------------
# Load (wrk)
# --------------------------------------------------------------------------------------

_LUA = """
local paths = {%(paths)s}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end
function init(args)
  math.randomseed(%(seed)d + 7919 * (id or 0))
end
function request()
  return wrk.format("GET", paths[math.random(#paths)])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RDBENCH {\\"requests\\": %%d, \\"duration_us\\": %%d, \\"p50_us\\": %%.1f, " ..
    "\\"p90_us\\": %%.1f, \\"p99_us\\": %%.1f, \\"max_us\\": %%.1f, \\"mean_us\\": %%.1f, " ..
    "\\"connect\\": %%d, \\"read\\": %%d, \\"write\\": %%d, \\"status\\": %%d, " ..
    "\\"timeout\\": %%d, \\"bytes\\": %%d}\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean, e.connect, e.read, e.write,
    e.status, e.timeout, summary.bytes))
end
"""


def lua_script(paths: list[str], path: Path, seed: int) -> Path:
    quoted = ",\n".join(json.dumps(p) for p in paths)
    path.write_text(_LUA % {"paths": quoted, "seed": seed})
    return path


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is missing: installing Debian's package (apt-get install -y wrk)", flush=True)
    command = ["apt-get", "install", "-y", "wrk"]
    if os.geteuid() != 0:
        command.insert(0, "sudo")
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk could not be installed; install it and run again")
    return found


def cpu_by_pid(pids: list[int]) -> dict[int, float]:
    """User + system CPU seconds of each live process of ``pids`` so far."""
    tick = os.sysconf("SC_CLK_TCK")
    found = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[pid] = (int(fields[11]) + int(fields[12])) / tick
    return found


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds used between two readings (processes started in between count whole)."""
    return sum(max(0.0, cpu - before.get(pid, 0.0)) for pid, cpu in after.items())


def postgres_pids() -> list[int]:
    found = []
    for path in Path("/proc").glob("[0-9]*/comm"):
        try:
            if path.read_text().strip() == "postgres":
                found.append(int(path.parent.name))
        except OSError:
            continue
    return found


@dataclass
class Run:
    rps: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    errors: int
    non_2xx: int
    server_cpu: float  # cores busy in the server processes
    db_cpu: float  # cores busy in PostgreSQL (0 on SQLite)
    wrk_cpu: float
    loadavg: float


def run_wrk(
    wrk: str,
    url: str,
    script: Path,
    seconds: float,
    connections: int,
    server: Server,
    with_db: bool,
) -> Run:
    pids = server.pids()
    db_pids = postgres_pids() if with_db else []
    cpu0, db0, t0 = cpu_by_pid(pids), cpu_by_pid(db_pids), time.perf_counter()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(
            [wrk, "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s",
             "-s", str(script), url],
            stdout=out,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - t0
        out.seek(0)
        text = out.read().decode(errors="replace")
    if process.returncode != 0:
        raise RuntimeError(f"wrk failed ({process.returncode}):\n{text}")
    match = re.search(r"^RDBENCH (\{.*\})$", text, re.M)
    if not match:
        raise RuntimeError(f"no summary from wrk:\n{text}")
    s = json.loads(match.group(1))
    if with_db:
        db_pids = sorted(set(db_pids) | set(postgres_pids()))
    return Run(
        rps=s["requests"] / (s["duration_us"] / 1e6),
        p50_ms=s["p50_us"] / 1000,
        p99_ms=s["p99_us"] / 1000,
        max_ms=s["max_us"] / 1000,
        errors=s["connect"] + s["read"] + s["write"] + s["timeout"],
        non_2xx=s["status"],
        server_cpu=cpu_used(cpu0, cpu_by_pid(pids)) / elapsed,
        db_cpu=cpu_used(db0, cpu_by_pid(db_pids)) / elapsed if with_db else 0.0,
        wrk_cpu=(usage.ru_utime + usage.ru_stime) / elapsed,
        loadavg=os.getloadavg()[0],
    )


# --------------------------------------------------------------------------------------
# Profiling (--profile): py-spy on the real server during one run of each endpoint
# --------------------------------------------------------------------------------------


def start_profile(server: Server, out: Path, seconds: float) -> subprocess.Popen[bytes] | None:
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(spy).exists():
        print("  (py-spy not found: pip install py-spy; no profile taken)")
        return None
    return subprocess.Popen(
        [spy, "record", "-p", str(server.pids()[-1]), "-d", str(int(seconds)), "-r", "200",
         "-f", "raw", "-o", str(out), "--nonblocking"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip


def profile_report(path: Path, top: int = 25) -> list[str]:
    """Inclusive share of the on-CPU samples per function (py-spy leaves idle threads out)."""
    totals: dict[str, int] = {}
    samples = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        n = int(count)
        samples += n
        for name in dict.fromkeys(re.sub(r":\d+\)", ")", f) for f in frames):
            totals[name] = totals.get(name, 0) + n
    rows = sorted(totals.items(), key=lambda kv: -kv[1])
    return [f"{100 * n / samples:5.1f}%  {name}" for name, n in rows[:top]] if samples else []


# --------------------------------------------------------------------------------------
# The demo
# --------------------------------------------------------------------------------------


def time_demo() -> tuple[float, str]:
    """Wall time of ``reviewdesk demo --no-serve`` on a fresh SQLite file in a temp dir."""
    exe = Path(sys.executable).parent / "reviewdesk"
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "reviewdesk.cli"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("REVIEWDESK_")}
    with tempfile.TemporaryDirectory(prefix="rd-demo-") as tmp:
        started = time.perf_counter()
        done = subprocess.run(
            [*command, "demo", "--no-serve"], cwd=tmp, env=env, capture_output=True, text=True
        )
        seconds = time.perf_counter() - started
    if done.returncode != 0:
        return seconds, f"FAILED (exit {done.returncode}): {done.stderr[-500:]}"
    counts = re.findall(r"│\s*(reviews|orders|products)\s*│\s*([\d,]+)", done.stdout)
    return seconds, ", ".join(f"{n} {k}" for k, n in counts)


# --------------------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------------------


def machine() -> list[str]:
    mem = "?"
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))  # type: ignore[union-attr]
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass
    model = "?"
    try:
        found = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
        model = found.group(1).strip() if found else "?"
    except OSError:
        pass
    import fastapi
    import sqlalchemy
    import uvicorn

    return [
        f"date      {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"machine   {os.cpu_count()} cores ({model}), {mem} RAM, {pyplatform.platform()}",
        f"software  Python {pyplatform.python_version()}, FastAPI {fastapi.__version__}, "
        f"uvicorn {uvicorn.__version__}, SQLAlchemy {sqlalchemy.__version__}",
        f"load avg  {' '.join(f'{x:.2f}' for x in os.getloadavg())} (shared machine)",
    ]


@dataclass
class Endpoint:
    name: str
    key: str
    goal_ratio: float | None
    runs: list[Run] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)
    size: int = 0


def _spread(values: list[float], fmt: str) -> str:
    med = statistics.median(values)
    if len(values) == 1:
        return format(med, fmt)
    return f"{format(med, fmt)} ({format(min(values), fmt)}-{format(max(values), fmt)})"


def table(backend: str, endpoints: list[Endpoint]) -> tuple[list[str], list[str]]:
    head = (
        f"{'endpoint':<34} {'req/s (min-max)':>22} {'p99 ms (min-max)':>22} {'ratio':>6} "
        f"{'goal':<22} {'result':<6} {'CPU ms/req srv/db':>17}  cores srv/db/wrk"
    )
    lines, missed = [head, "-" * len(head)], []
    for ep in endpoints:
        rps = _spread([r.rps for r in ep.runs], ",.0f")
        p99 = _spread([r.p99_ms for r in ep.runs], ".1f")
        p99_med = statistics.median(r.p99_ms for r in ep.runs)
        bad = sum(r.errors + r.non_2xx for r in ep.runs)
        if ep.key == "ceiling":
            ratio, goal, result = "1.00", "(reference)", ""
        elif ep.goal_ratio is None:
            ratio = f"{statistics.median(ep.ratios):.2f}"
            goal, result = "(information)", ""
        else:
            r = statistics.median(ep.ratios)
            ratio = f"{r:.2f}"
            goal = f">= {ep.goal_ratio}, p99 < {P99_GOAL_MS:.0f} ms"
            fails = []
            if r < ep.goal_ratio:
                fails.append(f"ratio {r:.2f} < {ep.goal_ratio}")
            if p99_med >= P99_GOAL_MS:
                fails.append(f"p99 {p99_med:.1f} ms >= {P99_GOAL_MS:.0f} ms")
            if bad:
                fails.append(f"{bad} errors/non-2xx responses")
            result = "FAIL" if fails else "pass"
            missed += [f"{backend}: {ep.name}: {f}" for f in fails]
        cores = "/".join(
            f"{statistics.median(getattr(r, a) for r in ep.runs):.2f}"
            for a in ("server_cpu", "db_cpu", "wrk_cpu")
        )
        per_request = "/".join(
            f"{statistics.median(1000 * getattr(r, a) / r.rps for r in ep.runs):.2f}"
            for a in ("server_cpu", "db_cpu")
        )
        flag = f"  [{bad} errors]" if bad else ""
        lines.append(
            f"{ep.name:<34} {rps:>22} {p99:>22} {ratio:>6} {goal:<22} {result:<6} "
            f"{per_request:>17}  {cores}{flag}"
        )
    return lines, missed


# --------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------


def bench_backend(
    backend: str, url: str, args: argparse.Namespace, wrk: str, workdir: Path
) -> tuple[list[str], list[str]]:
    from datagen import product_paths

    print(f"\n=== {backend} ===", flush=True)
    pairs = product_paths(url)
    summary_paths = [f"{API}/shops/{quote(s)}/products/{quote(h)}" for s, h in pairs]
    page_paths = [f"{p}/reviews" for p in summary_paths]
    real = start_server(
        "real",
        args.workers,
        {"RD_BENCH_DATABASE_URL": url, "RD_BENCH_WORKDIR": str(workdir / backend)},
        workdir,
    )
    servers = [real]
    try:
        # A typical summary's size: the median over a sample of products; all answers 200.
        rng = random.Random(7)
        sizes: dict[str, list[int]] = {"summary": [], "first_page": []}
        for path in rng.sample(summary_paths, min(200, len(summary_paths))):
            for key, p in (("summary", path), ("first_page", f"{path}/reviews")):
                status, body = fetch(real.base + p)
                if status != 200:
                    raise RuntimeError(f"GET {p} gave {status}: {body[:300]!r}")
                sizes[key].append(len(body))
        body_size = int(statistics.median(sizes["summary"]))
        ceiling_env = {"RD_BENCH_BODY_SIZE": str(body_size)}
        ceiling = start_server("ceiling", args.workers, ceiling_env, workdir)
        servers.append(ceiling)
        endpoints = [
            Endpoint(f"ceiling (bare FastAPI, {body_size:,} B)", "ceiling", None),
            Endpoint("product summary", "summary", SUMMARY_GOAL),
            Endpoint("first review page", "first_page", FIRST_PAGE_GOAL),
            Endpoint("ceiling-sync (def, thread pool)", "ceiling_sync", None),
        ]
        endpoints[1].size = body_size
        endpoints[2].size = int(statistics.median(sizes["first_page"]))
        scripts = {
            "ceiling": (ceiling, lua_script(["/ceiling"], workdir / "ceiling.lua", 1)),
            "ceiling_sync": (
                ceiling,
                lua_script(["/ceiling-sync"], workdir / "ceiling_sync.lua", 1),
            ),
            "summary": (real, lua_script(summary_paths, workdir / f"{backend}-summary.lua", 2)),
            "first_page": (real, lua_script(page_paths, workdir / f"{backend}-page.lua", 3)),
        }
        print(
            f"  {len(pairs):,} products; typical summary {body_size:,} B, first page "
            f"{endpoints[2].size:,} B; {args.repeat} rounds of {args.duration:g} s per "
            f"endpoint, {args.connections} connections, {args.workers} server worker(s)",
            flush=True,
        )
        with_db = backend == "postgresql"
        for round_no in range(1, args.repeat + 1):
            ceiling_rps = 0.0
            for ep in endpoints:
                server, script = scripts[ep.key]
                run_wrk(wrk, server.base, script, args.warmup, args.connections, server, with_db)
                spy = None
                if args.profile and round_no == 1 and ep.key in ("summary", "first_page"):
                    out = BENCH.parent / "build" / "bench" / f"profile-{backend}-{ep.key}.txt"
                    spy = start_profile(server, out, args.duration)
                run = run_wrk(
                    wrk, server.base, script, args.duration, args.connections, server, with_db
                )
                if spy is not None:
                    spy.wait()
                ep.runs.append(run)
                if ep.key == "ceiling":
                    ceiling_rps = run.rps
                else:
                    ep.ratios.append(run.rps / ceiling_rps)
                bad = run.errors + run.non_2xx
                print(
                    f"  round {round_no} {ep.name:<34} {run.rps:>8,.0f} req/s  p50 "
                    f"{run.p50_ms:6.1f} ms  p99 {run.p99_ms:6.1f} ms  cpu server "
                    f"{run.server_cpu:.2f} db {run.db_cpu:.2f} wrk {run.wrk_cpu:.2f}  "
                    f"load {run.loadavg:.1f}"
                    + (f"  errors {run.errors} non-2xx {run.non_2xx}" if bad else ""),
                    flush=True,
                )
        if args.profile:
            for key in ("summary", "first_page"):
                out = BENCH.parent / "build" / "bench" / f"profile-{backend}-{key}.txt"
                if out.exists():
                    print(f"\n  profile of the real server, {key} ({out}):")
                    for line in profile_report(out):
                        print("    " + line)
        return table(backend, endpoints)
    finally:
        for server in servers:
            server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="interleaved rounds")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds before each run")
    parser.add_argument("--workers", type=int, default=1, help="server processes (both apps)")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the benchmark data")
    parser.add_argument("--profile", action="store_true", help="py-spy the real server")
    parser.add_argument("--skip-demo", action="store_true")
    parser.add_argument("--serve", choices=("real", "ceiling"), help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve, args.port, args.workers)
        return 0

    from datagen import Scale, ensure_databases, postgresql_url, sqlite_url

    print("reviewdesk read-path benchmark")
    for line in machine():
        print("  " + line)
    wrk = ensure_wrk()
    scale = Scale(reviews=args.reviews, products=args.products)
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    urls = {"sqlite": sqlite_url(scale), "postgresql": postgresql_url()}
    generated = ensure_databases(
        [urls[b] for b in backends], scale, regenerate=args.regenerate, log=print
    )
    results: dict[str, list[str]] = {}
    missed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="rd-bench-") as tmp:
        workdir = Path(tmp)
        for backend in backends:
            (workdir / backend).mkdir()
            lines, miss = bench_backend(backend, urls[backend], args, wrk, workdir)
            results[backend] = lines
            missed += miss
    demo = None
    if not args.skip_demo:
        print("\ntiming `reviewdesk demo --no-serve` on a fresh SQLite file ...", flush=True)
        demo = time_demo()

    print("\n" + "=" * 100)
    print(
        "CPU ms/req: CPU seconds used per request by the server processes and by PostgreSQL "
        "(robust to the machine's other load); cores: the same per second of the run."
    )
    print(
        f"reviewdesk read path: {scale.reviews:,} reviews over {scale.products:,} products; "
        f"wrk 1 thread, {args.connections} connections, {args.duration:g} s x {args.repeat} "
        f"interleaved rounds; {args.workers} uvicorn worker process(es) for both apps"
    )
    for line in machine():
        print("  " + line)
    if generated["generated"]:
        print(f"  data generated in this run: {generated['seconds']:.0f} s")
    else:
        print("  data: cached databases reused (bench/datagen.py; --regenerate rebuilds)")
    for backend, lines in results.items():
        print(f"\n[{backend}]  (median of rounds, min-max in brackets; ratio = median "
              f"of per-round ratios to the ceiling)")  # fmt: skip
        for line in lines:
            print("  " + line)
    if demo is not None:
        seconds, detail = demo
        verdict = "pass" if seconds < DEMO_GOAL_S and "FAILED" not in detail else "FAIL"
        print(
            f"\n`reviewdesk demo --no-serve` (fresh SQLite): {seconds:.1f} s "
            f"(goal < {DEMO_GOAL_S:.0f} s) {verdict}  [{detail}]"
        )
        if verdict == "FAIL":
            missed.append(f"demo: {seconds:.1f} s (goal < {DEMO_GOAL_S:.0f} s) {detail}")
    if missed:
        print("\nGOALS MISSED:")
        for line in missed:
            print("  - " + line)
    else:
        print("\nAll goals met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

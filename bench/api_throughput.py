"""Throughput of the JSON API over real HTTP: instances started and tasks completed per second.

Run by hand from the project folder (it prints figures and asserts nothing about time):

    .venv/bin/python bench/api_throughput.py                   # both servers, 1 and 4 clients
    .venv/bin/python bench/api_throughput.py --quick           # a smoke run, rough numbers
    .venv/bin/python bench/api_throughput.py --only sqlite --instances 50

Each client is a thread with its own keep-alive connection and its own user (role Clerk,
bearer token). It starts an instance of bench/bpmn/bench_three_steps.bpmn (three user tasks
in a row) and completes its three tasks, each from the previous answer's `open_tasks`, then
starts the next: four requests per instance, no polling.

Servers, each on a fresh database set up with the CLI (`db upgrade`, `deploy`, `users add`,
`users token`), both `secretariat serve --workers N` (N gunicorn web processes, default 2,
and the timer-worker process), as an operator runs it:
- on a SQLite file;
- on PostgreSQL, a throwaway cluster like the tests' one (fsync off: no disk durability).
After the runs it prints the resident memory of the server's processes, then starts
`--rss-instances` more instances (10,000 by default, four clients) and prints it again.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PROCESS = ROOT / "bench" / "bpmn"
KEY = "bench_three_steps"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli(database_url: str, *args: str, stdin: str | None = None) -> str:
    done = subprocess.run([str(VENV_BIN / "secretariat"), "--database-url", database_url, *args], input=stdin,
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"secretariat {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout.strip()


def prepare(database_url: str, clients: int) -> list[str]:
    """Migrate, deploy the benchmark process and add one Clerk per client; their tokens."""
    cli(database_url, "db", "upgrade")
    cli(database_url, "deploy", str(PROCESS))
    tokens = []
    for i in range(clients):
        cli(database_url, "users", "add", f"bench{i}", "--role", "Clerk", "--password-stdin", stdin="bench password\n")
        tokens.append(cli(database_url, "users", "token", f"bench{i}").splitlines()[-1])
    return tokens


@contextmanager
def running(command: list[str], port: int, env: dict, log: Path):
    """Start a server, wait until it answers, stop it at the end."""
    with open(log, "w") as out:
        server = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                    connection.request("GET", "/api/v1/openapi.json")
                    if connection.getresponse().status == 200:
                        break
                except OSError:
                    pass
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not come up; see {log}")
                time.sleep(0.2)
            yield server
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()


class Client:
    """One user's keep-alive connection; every request timed."""

    def __init__(self, port: int, token: str):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.starts: list[float] = []
        self.completions: list[float] = []

    def post(self, path: str, body: dict, timings: list[float]) -> dict:
        began = time.perf_counter()
        self.connection.request("POST", "/api/v1" + path, body=json.dumps(body), headers=self.headers)
        response = self.connection.getresponse()
        raw = response.read()
        timings.append(time.perf_counter() - began)
        if response.will_close:
            self.connection.close()  # reopened by the next request (gunicorn's sync workers close each time)
        if response.status >= 300:
            raise RuntimeError(f"{path}: {response.status} {raw[:300]!r}")
        return json.loads(raw)

    def run_instance(self) -> None:
        instance = self.post("/process-instances", {"process_key": KEY, "data": {}}, self.starts)
        for step in range(3):
            [task] = instance["open_tasks"]
            result = self.post(f"/tasks/{task['id']}/complete", {"data": {"note": f"step {step + 1}"}},
                               self.completions)
            instance = result["process_instance"]
        assert instance["state"] == "completed", instance["state"]


def measure(port: int, tokens: list[str], clients: int, instances: int, warmup: int) -> dict:
    workers = [Client(port, token) for token in tokens[:clients]]
    errors: list[str] = []

    def work(worker: Client, count: int) -> None:
        for _ in range(count):
            try:
                worker.run_instance()
            except (OSError, http.client.HTTPException, RuntimeError) as error:  # reported with the figures
                errors.append(f"{type(error).__name__}: {error}")
                worker.connection.close()

    for worker in workers:
        work(worker, warmup)
        worker.starts.clear()
        worker.completions.clear()
    errors.clear()
    threads = [threading.Thread(target=work, args=(w, instances)) for w in workers]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    starts = [t for w in workers for t in w.starts]
    completions = [t for w in workers for t in w.completions]
    return {"clients": clients, "instances": len(starts), "seconds": elapsed,
            "instances_per_s": len(starts) / elapsed, "completions_per_s": len(completions) / elapsed,
            "start": percentiles(starts), "complete": percentiles(completions), "errors": errors}


def percentiles(values: list[float]) -> tuple[float, float]:
    if not values:
        return (float("nan"), float("nan"))
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def bench_server(name: str, database_url: str, args, folder: Path) -> list[dict]:
    tokens = prepare(database_url, max(args.clients))
    port = free_port()
    results = []
    command = [str(VENV_BIN / "secretariat"), "--database-url", database_url, "serve", "--port", str(port),
               "--workers", str(args.workers)]
    log = folder / f"{name.split(',')[-1].strip()}.log"
    with running(command, port, {"SECRETARIAT_INSTANCE_PATH": str(folder)}, log) as server:
        for clients in args.clients:
            result = measure(port, tokens, clients, args.instances, args.warmup)
            result["server"] = name
            results.append(result)
            print(row(result), flush=True)
        print(f"{'':<32} server processes' resident memory: {resident_mb(server.pid):.0f} MB", flush=True)
        if args.rss_instances:
            began = time.perf_counter()
            started = fill(port, tokens[:4], args.rss_instances)
            print(f"{'':<32} after {started:,} more instances started over HTTP ({time.perf_counter() - began:.0f} s): "
                  f"{resident_mb(server.pid):.0f} MB", flush=True)
    return results


def fill(port: int, tokens: list[str], count: int) -> int:
    """Start `count` instances from a few clients at once (each leaves one open task behind)."""
    workers = [Client(port, token) for token in tokens]
    share = [count // len(workers) + (1 if i < count % len(workers) else 0) for i in range(len(workers))]

    def work(worker: Client, n: int) -> None:
        for _ in range(n):
            try:
                worker.post("/process-instances", {"process_key": KEY, "data": {}}, worker.starts)
            except (OSError, http.client.HTTPException, RuntimeError) as error:
                print(f"  fill stopped: {type(error).__name__}: {error}", flush=True)
                return
    threads = [threading.Thread(target=work, args=(w, n)) for w, n in zip(workers, share)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(len(w.starts) for w in workers)


def resident_mb(pid: int) -> float:
    """RSS of a process and its descendants, from /proc (Linux)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                total += next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
            with open(f"/proc/{current}/task/{current}/children") as children:
                todo += [int(c) for c in children.read().split()]
        except (OSError, StopIteration):
            continue
    return total / 1024


def sqlite_server(args, folder: Path) -> list[dict]:
    url = f"sqlite:///{folder / 'bench.db'}"
    return bench_server(f"serve --workers {args.workers}, SQLite", url, args, folder)


def postgres_server(args, folder: Path) -> list[dict]:
    sys.path.insert(0, str(ROOT))
    from tests.support.postgres import ThrowawayCluster, find_bin_dir
    bin_dir = find_bin_dir()
    if bin_dir is None:
        print("PostgreSQL server binaries not found: skipping the PostgreSQL run")
        return []
    cluster = ThrowawayCluster(bin_dir).start()
    try:
        admin = subprocess.run([str(bin_dir / "psql"), "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres",
                                "-c", "CREATE DATABASE bench"], capture_output=True, text=True)
        if admin.returncode != 0:
            raise RuntimeError(admin.stderr)
        return bench_server(f"serve --workers {args.workers}, PostgreSQL", cluster.url("bench"), args, folder)
    finally:
        cluster.stop()


HEADER = (f"{'server':<32} {'clients':>7} {'instances':>9} {'inst/s':>7} {'tasks/s':>8} "
          f"{'start p50/p95 ms':>17} {'complete p50/p95 ms':>20}")


def row(r: dict) -> str:
    text = (f"{r['server']:<32} {r['clients']:>7} {r['instances']:>9} {r['instances_per_s']:>7.1f} "
            f"{r['completions_per_s']:>8.1f} {r['start'][0]:>8.1f}/{r['start'][1]:<8.1f} "
            f"{r['complete'][0]:>10.1f}/{r['complete'][1]:<9.1f}")
    return text + (f"  ERRORS: {r['errors'][:2]}" if r["errors"] else "")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--instances", type=int, default=40, help="instances per client (default 40)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed instances per client first")
    parser.add_argument("--clients", default="1,4,16", help="client counts, comma-separated (default 1,4,16)")
    parser.add_argument("--workers", type=int, default=2, help="web processes of `serve` (default 2)")
    parser.add_argument("--only", choices=("sqlite", "postgres"), help="run one server only")
    parser.add_argument("--quick", action="store_true", help="5 instances per client, 1 warm-up")
    parser.add_argument("--rss-instances", type=int, default=10000,
                        help="after the runs, start this many more instances, then print the servers' memory "
                             "again (default 10,000; 0: skip)")
    args = parser.parse_args(argv)
    args.clients = [int(c) for c in args.clients.split(",")]
    if args.quick:
        args.instances, args.warmup, args.rss_instances = 5, 1, min(args.rss_instances, 40)
    folder = Path(tempfile.mkdtemp(prefix="secretariat-api-bench-"))
    load_before = os.getloadavg()[0]
    print(f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}; {args.instances} instances per client "
          f"(3 task completions each) after {args.warmup} warm-up\n")
    print(HEADER)
    try:
        results = []
        if args.only in (None, "sqlite"):
            results += sqlite_server(args, folder)
        if args.only in (None, "postgres"):
            results += postgres_server(args, folder)
    except BaseException:
        for log in folder.glob("*.log"):
            print(f"--- the end of {log.name}:\n" + "\n".join(log.read_text().splitlines()[-30:]), file=sys.stderr)
        raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"\nload average before/after: {load_before:.1f} / {os.getloadavg()[0]:.1f} "
          "(other work on the machine makes these figures lower)")
    return 1 if any(r["errors"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())

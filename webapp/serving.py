"""`secretariat serve`: the documented way to run the product on one machine.

One Python process runs on one core, so the web app runs in N processes (gunicorn, default
one per core) and timers fire in one separate worker process (`secretariat worker`), on
SQLite (each process its own connections; writers queue on SQLite's lock) or PostgreSQL.
With `--workers 1`, or where gunicorn cannot run (not a POSIX system), it is one process
with a timer thread, as before."""
from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import threading

from engine.notifications.worker import run_mail_round

log = logging.getLogger("secretariat.serve")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class TimerWorker(threading.Thread):
    """Fires due timers and sends due e-mail in the background of a one-process installation."""

    def __init__(self, engine, interval: float):
        super().__init__(name="timer-worker", daemon=True)
        self.engine, self.interval, self.stopped = engine, interval, threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                fired = self.engine.run_due_jobs()
                if fired:
                    log.info("fired timers of instances %s", fired)
            except BaseException:  # nothing a process raises (SystemExit included) ends this thread
                log.exception("timer run failed")
            try:
                run_mail_round(self.engine)
            except Exception:  # the outbox keeps what was not sent
                log.exception("mail round failed")


def _app_config(host: str) -> dict:
    # Browsers keep Secure cookies on http://127.0.0.1 but not on other plain-http hosts.
    return {"SESSION_COOKIE_SECURE": host not in LOOPBACK, "REMEMBER_COOKIE_SECURE": host not in LOOPBACK}


def default_workers() -> int:
    return os.cpu_count() or 1


def serve(args) -> int:
    """`SECRETARIAT_TIMER_WORKER=false` when `secretariat worker` processes run elsewhere."""
    from engine import Engine
    from webapp import create_app
    engine = Engine(args.database_url)
    engine.upgrade_database()
    config = _app_config(args.host)
    if args.database_url:
        config["DATABASE_URL"] = args.database_url
    app = create_app(config, engine=engine)  # also writes the secret key once, before any worker races to
    settings = app.extensions["settings"]
    interval = args.timer_interval or settings.timer_interval
    timers = f"a timer worker every {interval:g} s" if settings.timer_worker else "no timer worker"
    workers = args.workers or default_workers()
    if workers == 1 or os.name != "posix":
        if settings.timer_worker:
            TimerWorker(engine, interval).start()
        print(f"Serving on http://{args.host}:{args.port}: one process, {timers}", flush=True)
        from werkzeug.serving import run_simple
        run_simple(args.host, args.port, app, threaded=True, use_reloader=False)
        return 0
    engine.dispose()
    if not _port_free(args.host, args.port):  # said at once, before starting the timer worker
        print(f"Cannot serve on {args.host}:{args.port}: the address is in use", file=sys.stderr)
        return 1
    timer = _start_timer_process(args.database_url, interval) if settings.timer_worker else None
    print(f"Serving on http://{args.host}:{args.port}: {workers} web processes, {timers}", flush=True)
    try:
        _Gunicorn(config, {"bind": f"{args.host}:{args.port}", "workers": workers,
                           "threads": max(1, getattr(args, "threads", 1) or 1)}).run()
    finally:
        if timer is not None:
            timer.terminate()
            timer.wait(timeout=10)
    return 0


REQUESTS_PER_CONNECTION = 50


def _close_now_and_then(_worker, request) -> None:
    """A keep-alive connection stays with the worker that accepted it, so a few busy clients
    could all sit on one worker while the other core idles (seen: every connection of the
    benchmark on one). Closing each connection after a number of requests, as nginx does,
    lets the client reconnect, and the worker with time to spare accepts it first."""
    if request.req_number % REQUESTS_PER_CONNECTION == 0:
        request.must_close = True


def _port_free(host: str, port: int) -> bool:
    try:
        with socket.create_server((host, port)):
            return True
    except OSError:
        return False


def _start_timer_process(database_url: str | None, interval: float) -> subprocess.Popen:
    command = [sys.executable, "-m", "webapp.cli"]
    if database_url:
        command += ["--database-url", database_url]
    return subprocess.Popen([*command, "worker", "--interval", str(interval)])


def _gunicorn_base():
    from gunicorn.app.base import BaseApplication
    return BaseApplication


class _Gunicorn(_gunicorn_base()):
    """Each worker process builds its own app and engine after the fork (no shared connections).
    Threaded workers keep connections alive (sync workers open one per request: 11.5 ms median
    completion instead of 6.6 ms, bench/README.md). One thread each by default: a process's
    threads share one interpreter lock, and a thread holding SQLite's turn to write then waits
    for that lock behind its siblings, so four threads a process gave 230 completions/s where
    one gives 300 (bench/README.md)."""

    def __init__(self, app_config: dict, options: dict):
        self.app_config, self.options = app_config, options
        super().__init__()

    def load_config(self):
        for key, value in {"accesslog": None, "timeout": 60, "worker_class": "gthread", "threads": 1,
                           "keepalive": 5, "pre_request": _close_now_and_then,
                           **self.options}.items():
            self.cfg.set(key, value)

    def load(self):
        from webapp import create_app
        return create_app(dict(self.app_config))

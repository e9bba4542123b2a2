"""`secretariat serve`: the documented way to run the product on one machine.

One Python process runs on one core, so the web app runs in N processes (gunicorn, default
one per core) and timers fire in one separate worker process (`secretariat worker`), on
SQLite (each process its own connections; writers queue on SQLite's lock) or PostgreSQL.
With `--workers 1`, or where gunicorn cannot run (not a POSIX system), it is one process
with a timer thread, as before."""
from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading

log = logging.getLogger("secretariat.serve")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class TimerWorker(threading.Thread):
    """Fires due timers in the background of a one-process installation."""

    def __init__(self, engine, interval: float):
        super().__init__(name="timer-worker", daemon=True)
        self.engine, self.interval, self.stopped = engine, interval, threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                fired = self.engine.run_due_jobs()
                if fired:
                    log.info("fired timers of instances %s", fired)
            except Exception:
                log.exception("timer run failed")


def _app_config(host: str) -> dict:
    # Browsers keep Secure cookies on http://127.0.0.1 but not on other plain-http hosts.
    return {"SESSION_COOKIE_SECURE": host not in LOOPBACK, "REMEMBER_COOKIE_SECURE": host not in LOOPBACK}


def default_workers() -> int:
    return os.cpu_count() or 1


def serve(args) -> int:
    from engine import Engine
    from webapp import create_app
    engine = Engine(args.database_url)
    engine.upgrade_database()
    config = _app_config(args.host)
    if args.database_url:
        config["DATABASE_URL"] = args.database_url
    workers = args.workers or default_workers()
    if workers == 1 or os.name != "posix":
        app = create_app(config, engine=engine)
        TimerWorker(engine, args.timer_interval).start()
        print(f"Serving on http://{args.host}:{args.port}, one process "
              f"(timer worker every {args.timer_interval:g} s)", flush=True)
        from werkzeug.serving import run_simple
        run_simple(args.host, args.port, app, threaded=True, use_reloader=False)
        return 0
    create_app(config, engine=engine)  # writes the instance's secret key once, before the workers race to
    engine.dispose()
    timer = _start_timer_process(args)
    print(f"Serving on http://{args.host}:{args.port} with {workers} web processes and a timer worker "
          f"(every {args.timer_interval:g} s)", flush=True)
    try:
        _Gunicorn(config, {"bind": f"{args.host}:{args.port}", "workers": workers}).run()
    finally:
        timer.terminate()
        timer.wait(timeout=10)
    return 0


def _start_timer_process(args) -> subprocess.Popen:
    command = [sys.executable, "-m", "webapp.cli"]
    if args.database_url:
        command += ["--database-url", args.database_url]
    return subprocess.Popen([*command, "worker", "--interval", str(args.timer_interval)])


def _gunicorn_base():
    from gunicorn.app.base import BaseApplication
    return BaseApplication


class _Gunicorn(_gunicorn_base()):
    """Each worker process builds its own app and engine after the fork (no shared connections)."""

    def __init__(self, app_config: dict, options: dict):
        self.app_config, self.options = app_config, options
        super().__init__()

    def load_config(self):
        for key, value in {"accesslog": None, "timeout": 60, **self.options}.items():
            self.cfg.set(key, value)

    def load(self):
        from webapp import create_app
        return create_app(dict(self.app_config))

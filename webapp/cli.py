"""`secretariat`: the engine's commands plus `serve`, the web app with a built-in timer worker."""
from __future__ import annotations

import logging
import sys
import threading

from engine import cli as engine_cli

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
            except BaseException:  # nothing a process raises (SystemExit included) ends this thread
                log.exception("timer run failed")


def serve(args) -> int:
    from webapp import create_app
    engine = engine_cli.Engine(args.database_url)
    engine.upgrade_database()
    # Browsers keep Secure cookies on http://127.0.0.1 but not on other plain-http hosts.
    app = create_app({"SESSION_COOKIE_SECURE": args.host not in LOOPBACK,
                      "REMEMBER_COOKIE_SECURE": args.host not in LOOPBACK}, engine=engine)
    settings = app.extensions["settings"]
    interval = args.timer_interval or settings.timer_interval
    if settings.timer_worker:  # SECRETARIAT_TIMER_WORKER=false when `secretariat worker` runs beside it
        TimerWorker(engine, interval).start()
    timers = f"timer worker every {interval:g} s" if settings.timer_worker else "no timer worker"
    print(f"Serving on http://{args.host}:{args.port} ({timers})", flush=True)
    from werkzeug.serving import run_simple
    run_simple(args.host, args.port, app, threaded=True, use_reloader=False)
    return 0


def build_parser():
    parser = engine_cli.build_parser()
    commands = next(a for a in parser._actions if a.dest == "command")
    srv = commands.add_parser("serve", help="the web app with a built-in timer worker")
    srv.add_argument("--host", default="127.0.0.1")
    srv.add_argument("--port", type=int, default=5000)
    srv.add_argument("--timer-interval", type=float, default=None,
                     help="seconds between timer checks (default: $SECRETARIAT_TIMER_INTERVAL, else 5)")
    srv.set_defaults(handler=serve)
    return parser


def main(argv=None) -> int:
    return engine_cli.main(argv, parser=build_parser())


if __name__ == "__main__":
    sys.exit(main())

"""`secretariat`: the engine's commands plus `serve`, the web app with its timer worker."""
from __future__ import annotations

import sys

from engine import cli as engine_cli
from webapp.serving import default_workers, serve


def build_parser():
    parser = engine_cli.build_parser()
    commands = next(a for a in parser._actions if a.dest == "command")
    srv = commands.add_parser("serve", help="the web app: N web processes and a timer worker")
    srv.add_argument("--host", default="127.0.0.1")
    srv.add_argument("--port", type=int, default=5000)
    srv.add_argument("--workers", type=int, default=None,
                     help=f"web processes (default: one per core, here {default_workers()}); 1 = one process")
    srv.add_argument("--threads", type=int, default=1,
                     help="threads per web process (default 1: the fastest; raise it when requests wait on slow "
                          "outside services, e.g. connectors)")
    srv.add_argument("--timer-interval", type=float, default=None,
                     help="seconds between timer checks (default: $SECRETARIAT_TIMER_INTERVAL, else 5)")
    srv.set_defaults(handler=serve)
    return parser


def main(argv=None) -> int:
    return engine_cli.main(argv, parser=build_parser())


if __name__ == "__main__":
    sys.exit(main())

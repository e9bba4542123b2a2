"""`secretariat`: the command line over the engine's services."""
from __future__ import annotations

import argparse
import getpass
import logging
import signal
import sys
import time

from engine import Engine, EngineError, InvalidInput
from engine.notifications.worker import run_mail_round
from engine.views import Actor

DEPLOYER = Actor("cli", frozenset({"manager"}))
log = logging.getLogger("secretariat")


def _engine(args) -> Engine:
    return Engine(args.database_url)


def db_upgrade(args) -> int:
    engine = _engine(args)
    engine.upgrade_database()
    print(f"Database is up to date: {engine.database.url}")
    return 0


def deploy(args) -> int:
    engine = _engine(args)
    with engine.unit_of_work() as uow:
        result = uow.repository.deploy_paths(args.paths, actor=Actor(args.user or "cli", DEPLOYER.roles),
                                             note=args.note)
        uow.commit()
    for definition in result.definitions:
        status = "new version" if definition.new else "unchanged"
        print(f"{definition.key}: version {definition.version} ({status})")
    for form in result.forms:
        print(f"form {form}")
    for warning in result.warnings:
        print(f"warning: {warning}")
    return 0


def instances_migrate(args) -> int:
    """One instance (its id) or every running instance of `--process KEY`, to `--to-version`
    (default: the latest); `--dry-run` only says what would happen. 1 when any cannot move."""
    engine = _engine(args)
    admin = Actor(args.user or "cli", frozenset({"admin"}))
    with engine.unit_of_work() as uow:
        if args.process:
            outcomes = uow.migration.migrate_process(args.process, admin, args.to_version, args.dry_run)
        else:
            outcomes = [uow.migration.migrate_instance(args.instance_id, admin, args.to_version, args.dry_run)]
        uow.commit()
    for outcome in outcomes:
        verb = ("would move" if outcome.dry_run else "moved") if outcome.migrated else "cannot move"
        print(f"instance {outcome.instance_id}: {verb} from version {outcome.from_version} "
              f"to version {outcome.to_version}")
        for problem in outcome.problems:
            print(f"  {problem}")
    if not outcomes:
        print("no running instance to migrate")
    return 0 if all(o.migrated for o in outcomes) else 1


def users_add(args) -> int:
    password = None
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    elif sys.stdin.isatty():
        password = getpass.getpass(f"Password for {args.name} (empty for none): ") or None
    engine = _engine(args)
    with engine.unit_of_work() as uow:
        user = uow.identity.add_user(args.name, args.role or [], password=password, display_name=args.display_name,
                                      email=args.email)
        uow.commit()
    print(f"Added {user.username} with roles: {', '.join(sorted(user.roles)) or '(none)'}")
    return 0


def users_token(args) -> int:
    engine = _engine(args)
    with engine.unit_of_work() as uow:
        token = uow.identity.issue_token(args.name, expires_in_days=args.expires_in)
        uow.commit()
    print(token)
    return 0


def users_revoke_tokens(args) -> int:
    engine = _engine(args)
    with engine.unit_of_work() as uow:
        ended = uow.identity.revoke_tokens(args.name)
        uow.commit()
    print(f"Revoked {ended} token(s) of {args.name}")
    return 0


def worker(args) -> int:
    """Fire due timers and send due e-mail until stopped; several workers may share one PostgreSQL database."""
    engine = _engine(args)
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    print(f"Timer worker polling every {args.interval} s; Ctrl-C to stop.", flush=True)
    try:
        while not stopping:
            try:
                fired = engine.run_due_jobs()
                if fired:
                    log.info("fired timers of instances %s", fired)
            except Exception:  # keep the worker alive; the failed instance stays due
                log.exception("timer run failed")
            try:
                run_mail_round(engine)
            except Exception:  # the outbox keeps what was not sent
                log.exception("mail round failed")
            if args.once:
                break
            time.sleep(args.interval)
    except KeyboardInterrupt:
        pass
    return 0


def demo(args) -> int:
    """Deploy the Secretariat's processes and add the demo users, printing their log-ins."""
    from engine.demo import load_demo
    engine = _engine(args)
    engine.upgrade_database()
    print(load_demo(engine, args.root))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="secretariat", description=__doc__)
    parser.add_argument("--database-url", default=None,
                        help="SQLAlchemy URL (default: $SECRETARIAT_DATABASE_URL, else instance/secretariat.db)")
    commands = parser.add_subparsers(dest="command", required=True)

    db = commands.add_parser("db", help="database schema").add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade", help="create or migrate the database").set_defaults(handler=db_upgrade)

    dep = commands.add_parser("deploy", help="deploy BPMN/DMN/form files, folders or zips")
    dep.add_argument("paths", nargs="+")
    dep.add_argument("--note", help="change note recorded with the deployment")
    dep.add_argument("--user", help="who deploys (recorded in the history)")
    dep.set_defaults(handler=deploy)

    users = commands.add_parser("users", help="users and tokens").add_subparsers(dest="users_command", required=True)
    add = users.add_parser("add", help="add a user")
    add.add_argument("name")
    add.add_argument("--role", action="append", help="a lane name, or manager/admin; repeat for more")
    add.add_argument("--display-name", help="the name people see (default: NAME)")
    add.add_argument("--email", help="address for e-mail notifications")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.set_defaults(handler=users_add)
    token = users.add_parser("token", help="print a new API token for a user")
    token.add_argument("name")
    token.add_argument("--expires-in", type=float, default=90, metavar="DAYS",
                       help="days until the token stops working (default 90)")
    token.set_defaults(handler=users_token)
    revoke = users.add_parser("revoke-tokens", help="end every API token of a user")
    revoke.add_argument("name")
    revoke.set_defaults(handler=users_revoke_tokens)

    instances = commands.add_parser("instances", help="process instances").add_subparsers(
        dest="instances_command", required=True)
    migrate = instances.add_parser("migrate", help="move running instances to another version of their process")
    which = migrate.add_mutually_exclusive_group(required=True)
    which.add_argument("instance_id", nargs="?", type=int, help="one instance")
    which.add_argument("--process", metavar="KEY", help="every running instance of this process")
    migrate.add_argument("--to-version", type=int, help="default: the latest version")
    migrate.add_argument("--dry-run", action="store_true", help="change nothing; say what would happen")
    migrate.add_argument("--user", help="the administrator recorded in the history")
    migrate.set_defaults(handler=instances_migrate)

    dem = commands.add_parser("demo", help="load the Secretariat's processes and demo users")
    dem.add_argument("--root", default=".", help="project folder holding processes/ and forms/")
    dem.set_defaults(handler=demo)

    work = commands.add_parser("worker", help="run the timer worker")
    work.add_argument("--interval", type=float, default=5.0, help="seconds between polls")
    work.add_argument("--once", action="store_true", help="fire what is due, then exit")
    work.set_defaults(handler=worker)
    return parser


def main(argv=None, parser: argparse.ArgumentParser | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("spiff", "alembic.runtime.migration"):  # a line per task change drowns what matters
        logging.getLogger(noisy).setLevel(logging.WARNING)
    args = (parser or build_parser()).parse_args(argv)
    try:
        return args.handler(args)
    except InvalidInput as error:
        print(f"error: {error.title}", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    except EngineError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

"""The ``rcommerce`` command."""

from __future__ import annotations

import json
import sys

import click

from rcommerce import __version__, db, domains
from rcommerce.commands import command_runtime, configure_logging, load_settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rcommerce")
def main() -> None:
    """rcommerce: referrals, reviews, testimonials and word-of-mouth reports for online stores.

    Configuration comes from the environment (RCOMMERCE_DATABASE_URL, RCOMMERCE_REDIS_URL,
    RCOMMERCE_SECRET_KEY, RCOMMERCE_BASE_URL, ...; see the README).
    """


@main.command()
def migrate() -> None:
    """Bring the database to the current schema."""
    settings = load_settings()
    db.migrate(settings)
    click.echo("database is at the current schema")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--forwarded-allow-ips",
    default="127.0.0.1",
    show_default=True,
    help="Proxies trusted to set X-Forwarded-For (comma-separated, or '*').",
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=int,
    help="Web processes (distributed mode; embedded mode runs one).",
)
def serve(host: str, port: int, forwarded_allow_ips: str, workers: int) -> None:
    """Serve the API, widgets, advocate portal and dashboard."""
    import uvicorn

    settings = load_settings()
    configure_logging(settings)
    if workers > 1 and not settings.distributed:
        raise click.ClickException(
            "Several web processes need RCOMMERCE_REDIS_URL (distributed mode)."
        )
    uvicorn.run(
        "rcommerce.asgi:app",
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        forwarded_allow_ips=forwarded_allow_ips,
        log_level=settings.log_level.lower(),
        access_log=False,
        server_header=False,
    )


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.option(
    "--concurrency", "-c", default=2, show_default=True, type=int, help="Worker processes."
)
@click.pass_context
def worker(ctx: click.Context, concurrency: int) -> None:
    """Run a Celery worker (distributed mode). Extra options are passed to Celery."""
    from rcommerce.worker import create_celery

    settings = load_settings()
    if not settings.distributed:
        raise click.ClickException(
            "A worker needs RCOMMERCE_REDIS_URL; without it tasks run in-process."
        )
    configure_logging(settings)
    app = create_celery(settings)
    app.worker_main(
        [
            "worker",
            "--loglevel",
            settings.log_level,
            "--concurrency",
            str(concurrency),
            "--queues",
            "rcommerce",
            *ctx.args,
        ]
    )


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.pass_context
def beat(ctx: click.Context) -> None:
    """Run Celery beat, the scheduler of periodic tasks (run exactly one)."""
    from rcommerce.worker import create_celery

    settings = load_settings()
    if not settings.distributed:
        raise click.ClickException(
            "beat needs RCOMMERCE_REDIS_URL; embedded mode schedules in-process."
        )
    configure_logging(settings)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    app = create_celery(settings)
    app.start(
        [
            "beat",
            "--loglevel",
            settings.log_level,
            "--schedule",
            str(settings.data_dir / "celerybeat-schedule"),
            *ctx.args,
        ]
    )


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
def demo(host: str, port: int) -> None:
    """Migrate, seed the demo store "Cửa hàng Demo" and serve it (embedded mode)."""
    import uvicorn

    from rcommerce.app import create_app, ready_to_serve
    from rcommerce.boot import start_runtime
    from rcommerce.demo.seed import seed_demo, settle

    base_url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"  # noqa: S104
    settings = load_settings(demo=True, base_url=base_url)
    configure_logging(settings)
    db.migrate(settings)
    runtime = start_runtime(settings)
    seeded = seed_demo(runtime)
    settle(runtime)
    click.echo(seeded.banner())
    sys.stdout.flush()
    app = create_app(settings, runtime=runtime)
    ready_to_serve()
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
    finally:
        runtime.close()


@main.group()
def stores() -> None:
    """Create and manage stores (tenants)."""


@stores.command("create")
@click.option("--name", required=True, help="The store's name.")
@click.option(
    "--origin",
    "origins",
    multiple=True,
    required=True,
    help="An origin the widgets may be embedded on (repeatable), e.g. https://shop.example.",
)
@click.option("--currency", default="VND", show_default=True, help="ISO 4217 currency.")
@click.option("--locale", default="vi", show_default=True, type=click.Choice(["vi", "en"]))
@click.option("--timezone", default="Asia/Ho_Chi_Minh", show_default=True, help="IANA time zone.")
def stores_create(
    name: str, origins: tuple[str, ...], currency: str, locale: str, timezone: str
) -> None:
    """Create a store and print its id and keys as JSON (the secret key is shown only now)."""
    from rcommerce.stores import service

    with command_runtime() as runtime, runtime.transaction() as session:
        created = service.create_store(
            session=session,
            name=name,
            origins=list(origins),
            currency=currency,
            locale=locale,
            timezone=timezone,
        )
        out = {
            "store_id": created.store.id,
            "secret_key": created.secret_key,
            "publishable_key": created.store.publishable_key,
        }
    click.echo(json.dumps(out))


@stores.command("list")
def stores_list() -> None:
    """List stores as JSON lines (never their secret keys)."""
    from sqlmodel import select

    from rcommerce.stores.models import Store

    with command_runtime() as runtime, runtime.transaction(readonly=True) as session:
        for store in session.exec(select(Store).order_by(Store.id)):  # type: ignore[arg-type]
            row = {
                "store_id": store.id,
                "name": store.name,
                "publishable_key": store.publishable_key,
                "secret_key_hint": store.secret_key_hint + "...",
                "allowed_origins": store.allowed_origins,
            }
            click.echo(json.dumps(row, ensure_ascii=False))


@stores.command("rotate-key")
@click.option("--store", "store_id", required=True, type=int, help="The store's id.")
def stores_rotate_key(store_id: int) -> None:
    """Replace a store's secret key and print the new one (the old one stops working)."""
    from rcommerce.stores import service

    with command_runtime() as runtime, runtime.transaction() as session:
        store = service.get_store(session, store_id)
        secret = service.rotate_secret_key(session=session, store=store)
    click.echo(json.dumps({"store_id": store_id, "secret_key": secret}))


@main.group()
def managers() -> None:
    """Dashboard logins."""


@managers.command("create")
@click.option("--store", "store_id", required=True, type=int, help="The store's id.")
@click.option("--email", required=True, help="Login e-mail.")
@click.option("--name", default="", help="Display name.")
@click.password_option(help="Password (asked for when not given; at least 10 characters).")
def managers_create(store_id: int, email: str, name: str, password: str) -> None:
    """Create a dashboard login for a store."""
    from rcommerce.stores import service

    with command_runtime() as runtime, runtime.transaction() as session:
        store = service.get_store(session, store_id)
        manager = service.create_manager(
            session=session, store=store, email=email, password=password, name=name
        )
        out = {"manager_id": manager.id, "store_id": store_id, "email": manager.email}
    click.echo(json.dumps(out))


@main.group()
def jobs() -> None:
    """Background jobs: what waits, what runs, what fails."""


@jobs.command("status")
@click.option(
    "--max-wait",
    type=float,
    default=None,
    help="Exit with status 1 when the oldest due job has waited longer than this many "
    "seconds (for a monitoring check).",
)
def jobs_status(max_wait: float | None) -> None:
    """Print the job backlog as JSON: due jobs and how long the oldest has waited, running
    jobs and those whose worker died (abandoned), retries and failures of the last day by job
    name, and in distributed mode the depth of the Redis queue."""
    from rcommerce.jobs import backlog, lease_of

    with command_runtime() as runtime:
        with runtime.transaction(readonly=True) as session:
            summary = backlog(session, runtime.now(), lease=lease_of(runtime.settings))
        out: dict[str, object] = {
            "due": summary.due,
            "oldest_due_seconds": round(summary.oldest_due_seconds, 1),
            "running": summary.running,
            "abandoned": summary.abandoned,
            "retrying": summary.retrying,
            "failed_last_day": summary.failed_last_day,
            "failing_by_name": summary.failing,
        }
        if runtime.settings.distributed:
            from rcommerce.worker import CeleryDispatcher

            dispatcher = runtime.dispatcher
            assert isinstance(dispatcher, CeleryDispatcher)
            out["queue_depth"] = dispatcher.queue_depth()
    click.echo(json.dumps(out, sort_keys=True))
    if max_wait is not None and summary.oldest_due_seconds > max_wait:
        sys.exit(1)


for _module in domains.load("cli"):
    for _command in _module.commands:
        main.add_command(_command)

"""`rcommerce reports ...`: rebuild roll-ups for a range, print the report, preview the digest."""

from __future__ import annotations

import json
from datetime import date, timedelta

import click


def _day(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("use a date such as 2026-01-31", param_hint=name) from None


@click.group("reports")
def reports() -> None:
    """Word-of-mouth reports: rebuild daily roll-ups, print a report, preview the digest."""


@reports.command("rebuild")
@click.option("--store", "store_id", required=True, type=int, help="The store's id.")
@click.option("--from", "first", required=True, help="First day (YYYY-MM-DD, store's time zone).")
@click.option("--to", "last", required=True, help="Last day, included.")
def rebuild_command(store_id: int, first: str, last: str) -> None:
    """Recompute the roll-ups of every day in the range from the raw events (after an import
    of old orders, or a change older than the nightly window), then the customer segments."""
    from rcommerce.commands import command_runtime
    from rcommerce.customers import service as segments
    from rcommerce.reports import service
    from rcommerce.stores.service import get_store

    start, end = _day(first, "--from"), _day(last, "--to")
    with command_runtime() as runtime:
        done = 0
        day = start
        while day <= end:
            chunk_end = min(day + timedelta(days=30), end)
            with runtime.transaction() as session:
                store = get_store(session, store_id)
                done += service.refresh(
                    session=session,
                    settings=runtime.settings,
                    store=store,
                    first=day,
                    last=chunk_end,
                    now=runtime.now(),
                )
            day = chunk_end + timedelta(days=1)
        with runtime.transaction() as session:
            store = get_store(session, store_id)
            members = segments.compute(session=session, store=store, now=runtime.now())
    click.echo(json.dumps({"store_id": store_id, "days": done, "segments": members}))


@reports.command("show")
@click.option("--store", "store_id", required=True, type=int, help="The store's id.")
@click.option("--from", "first", required=True, help="First day (YYYY-MM-DD).")
@click.option("--to", "last", required=True, help="Last day, included.")
@click.option(
    "--group", type=click.Choice(["day", "week", "month"]), default="week", show_default=True
)
@click.option(
    "--csv",
    "table",
    default=None,
    help="Print one table as CSV instead of JSON (periods, channels, top_advocates, ...).",
)
def show_command(store_id: int, first: str, last: str, group: str, table: str | None) -> None:
    """Print the word-of-mouth report as JSON (or one of its tables as CSV)."""
    from rcommerce.commands import command_runtime
    from rcommerce.reports import report, tables
    from rcommerce.stores.service import get_store

    start, end = _day(first, "--from"), _day(last, "--to")
    with command_runtime() as runtime:
        if table:
            tables.check_table(table)  # before the report is computed
        with runtime.transaction() as session:
            data = report.word_of_mouth(
                session=session,
                settings=runtime.settings,
                store=get_store(session, store_id),
                first=start,
                last=end,
                group=group,  # type: ignore[arg-type]
                now=runtime.now(),
            )
        click.echo(tables.csv_table(data, table) if table else json.dumps(data, indent=2))


@reports.command("digest")
@click.option("--store", "store_id", required=True, type=int, help="The store's id.")
def digest_command(store_id: int) -> None:
    """Print last week's digest e-mails as they would be sent (nothing is sent)."""
    from rcommerce.commands import command_runtime
    from rcommerce.reports.tasks import digest_preview

    with command_runtime() as runtime:
        for mail in digest_preview(runtime, store_id):
            click.echo(f"To: {mail.to}\nSubject: {mail.subject}\n\n{mail.text}\n")


commands: list[click.Command] = [reports]

"""`rcommerce reviews ...` (import, export, rebuild aggregates) and `rcommerce sentiment rescore`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from sqlmodel import col, func, or_, select
from tqdm import tqdm

from rcommerce.stores.models import Store


@click.group("reviews")
def reviews() -> None:
    """Reviews: import from Judge.me / Yotpo / generic CSV, export, repair aggregates."""


@reviews.command("import")
@click.option("--store", "store_id", required=True, type=int, help="The store's id.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["judgeme", "yotpo", "generic"]),
    default="generic",
    show_default=True,
    help="The CSV's layout (see docs/reviews.md).",
)
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(store_id: int, fmt: str, csv_file: Path) -> None:
    """Import reviews from CSV_FILE and print a JSON report of imported and failed rows."""
    from rcommerce.commands import command_runtime
    from rcommerce.reviews import imports
    from rcommerce.stores.service import get_store

    try:
        text = csv_file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise click.ClickException("The CSV file must be UTF-8 encoded.") from None
    with command_runtime() as runtime:
        with runtime.transaction() as session:
            store = get_store(session, store_id)
            report = imports.import_csv(
                session=session, store=store, text=text, fmt=fmt, now=runtime.now()
            )
        drain = getattr(runtime.dispatcher, "drain", None)
        if drain is not None:  # embedded mode: score the imported reviews now
            drain()
    click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    if report.failed:
        sys.exit(1)


@reviews.command("export")
@click.option("--store", "store_id", required=True, type=int, help="The store's id.")
@click.option(
    "--status",
    type=click.Choice(["received", "published", "pending", "rejected", "unpublished"]),
    default=None,
    help="Only reviews in this state.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file instead of standard output.",
)
def export_command(store_id: int, status: str | None, output: Path | None) -> None:
    """Export a store's reviews as CSV (the generic import format)."""
    from rcommerce.commands import command_runtime
    from rcommerce.reviews import imports
    from rcommerce.stores.service import get_store

    with command_runtime() as runtime, runtime.transaction(readonly=True) as session:
        text = imports.export_csv(session, get_store(session, store_id), status)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


@reviews.command("rebuild-aggregates")
@click.option("--store", "store_id", required=True, type=int, help="The store's id.")
def rebuild_command(store_id: int) -> None:
    """Recompute the store's per-product rating summaries from its reviews."""
    from rcommerce.commands import command_runtime
    from rcommerce.reviews import aggregates
    from rcommerce.stores.service import get_store

    with command_runtime() as runtime, runtime.transaction() as session:
        count = aggregates.rebuild(session, get_store(session, store_id).id or 0)
    click.echo(json.dumps({"store_id": store_id, "products": count}))


@click.group("sentiment")
def sentiment() -> None:
    """Sentiment scores of reviews and testimonials."""


@sentiment.command("rescore")
@click.option("--store", "store_id", type=int, default=None, help="Only this store.")
@click.option(
    "--all", "everything", is_flag=True, help="Rescore everything, not only stale scores."
)
@click.option("--batch", default=500, show_default=True, type=int, help="Rows per transaction.")
def rescore(store_id: int | None, everything: bool, batch: int) -> None:
    """Score reviews and testimonials whose score is missing or from an older scorer version
    (all of them with --all); rating summaries follow."""
    from rcommerce.commands import command_runtime
    from rcommerce.reviews import scoring
    from rcommerce.reviews.models import Review, Testimonial
    from rcommerce.sentiment import SCORER_VERSION, warm

    warm()
    done = {"reviews": 0, "testimonials": 0}
    with command_runtime() as runtime:
        models: tuple[tuple[type[Review] | type[Testimonial], str], ...] = (
            (Review, "reviews"),
            (Testimonial, "testimonials"),
        )
        for model, kind in models:
            where = []
            if store_id is not None:
                where.append(col(model.store_id) == store_id)
            if not everything:
                where.append(
                    or_(
                        col(model.scorer_version).is_(None),
                        col(model.scorer_version) != SCORER_VERSION,
                    )
                )
            with runtime.transaction(readonly=True) as session:
                total = session.exec(select(func.count()).select_from(model).where(*where)).one()
                ids = list(session.exec(select(model.id).where(*where).order_by(col(model.id))))
            stores: dict[int, Store] = {}
            with tqdm(total=total, desc=f"rescoring {kind}", unit=kind[:-1]) as bar:
                for start in range(0, len(ids), batch):
                    chunk = ids[start : start + batch]
                    with runtime.transaction() as session:
                        rows: list[Review | Testimonial] = list(
                            session.exec(
                                select(model).where(  # type: ignore[arg-type]
                                    col(model.id).in_(chunk)
                                )
                            )
                        )
                        for row in rows:
                            store = stores.get(row.store_id) or session.get(Store, row.store_id)
                            assert store is not None
                            stores[row.store_id] = store
                            scoring.rescore(session=session, row=row, store=store)
                    done[kind] += len(chunk)
                    bar.update(len(chunk))
    click.echo(json.dumps({**done, "scorer_version": SCORER_VERSION}))


commands = [reviews, sentiment]

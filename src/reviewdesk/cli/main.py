"""``reviewdesk``: serve, migrate, demo, token, recompute, export, worker, text engine tools."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from reviewdesk.cli import analytics as analytics_cli
from reviewdesk.config import Settings, get_settings
from reviewdesk.domain.principals import OPERATOR, Role
from reviewdesk.errors import Conflict, InvalidInput, NotFound, ReviewdeskError
from reviewdesk.integrations.feeds.formats import ExportFormat

app = typer.Typer(
    name="reviewdesk",
    help="reviewdesk: product ratings and reviews platform.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
token_app = typer.Typer(help="Bearer tokens.", no_args_is_help=True)
app.add_typer(token_app, name="token")
console = Console()
err = Console(stderr=True)


def _fail(error: ReviewdeskError) -> typer.Exit:
    err.print(f"[red]error[/red] [bold]{error.code}[/bold]: {error.detail}")
    return typer.Exit(code=2)


def _platform(settings: Settings | None = None):  # type: ignore[no-untyped-def]
    from reviewdesk.services.platform import open_platform

    return open_platform(settings or get_settings())


def worker_environment(settings: Settings) -> dict[str, str]:
    """The environment under which a ``reviewdesk worker`` process sees the same settings."""
    env = dict(os.environ)
    env.update(
        {
            "REVIEWDESK_DATABASE_URL": settings.database_url,
            "REVIEWDESK_MEDIA_DIR": str(settings.media_dir),
            "REVIEWDESK_IMPORT_DIR": str(settings.import_dir),
            "REVIEWDESK_JOBS_PATH": str(settings.jobs_path),
            "REVIEWDESK_JOBS_QUEUE": settings.jobs_queue,
        }
    )
    if settings.redis_url:
        env["REVIEWDESK_REDIS_URL"] = settings.redis_url
    return env


def start_worker_process(settings: Settings) -> subprocess.Popen[bytes]:
    """A ``reviewdesk worker`` child process with the same settings."""
    return subprocess.Popen(
        [sys.executable, "-m", "reviewdesk", "worker"], env=worker_environment(settings)
    )


def serve_platform(settings: Settings, host: str, port: int, worker: bool) -> None:
    """Serve the app over ``settings`` with uvicorn (and a worker process when asked)."""
    import uvicorn

    from reviewdesk.api.app import create_app
    from reviewdesk.db.migrate import current_revision, head_revision

    platform = _platform(settings)
    if current_revision(platform.db) != head_revision():
        err.print("[red]The database schema is not current: run `reviewdesk migrate`.[/red]")
        raise typer.Exit(code=2)
    child = start_worker_process(settings) if worker else None
    console.print(
        f"reviewdesk serving on [bold]http://{host}:{port}[/bold]  "
        f"(API docs: http://{host}:{port}/api/v1/docs)"
    )
    try:
        uvicorn.run(
            create_app(platform), host=host, port=port, log_level="info", proxy_headers=True
        )
    finally:
        if child is not None:
            child.terminate()
            child.wait(timeout=10)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on")] = None,
    worker: Annotated[
        bool,
        typer.Option(help="Also run a background worker process (thumbnails, scheduled checks)"),
    ] = True,
) -> None:
    """Serve the REST API and the pages."""
    settings = get_settings()
    serve_platform(settings, host or settings.host, port or settings.port, worker)


@app.command()
def migrate() -> None:
    """Create or upgrade the database schema to the newest revision."""
    from reviewdesk.db.migrate import current_revision, upgrade

    platform = _platform()
    upgrade(platform.db)
    console.print(f"database at revision [bold]{current_revision(platform.db)}[/bold]")


@app.command()
def demo(
    serve_after: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve the demo when loaded")
    ] = True,
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None,
    seed: Annotated[int, typer.Option(help="Seed of the generated data")] = 2026,
    reviews: Annotated[int, typer.Option(help="Number of reviews")] = 10_000,
    orders: Annotated[int, typer.Option(help="Number of orders")] = 20_000,
    products: Annotated[int, typer.Option(help="Number of products")] = 200,
) -> None:
    """Load demo data into the configured database (a fresh SQLite file by default) and serve."""
    from reviewdesk.demo.loader import DemoScale, demo_settings, load_demo

    settings = demo_settings()
    try:
        result = load_demo(
            settings,
            DemoScale(products=products, orders=orders, reviews=reviews),
            seed=seed,
            console=err,
        )
    except ReviewdeskError as error:
        raise _fail(error) from None
    table = Table(title="reviewdesk demo", show_header=False)
    table.add_row("database", settings.database_url)
    for name, value in result.counts.items():
        table.add_row(name, f"{value:,}")
    table.add_row("time", f"{result.seconds:.1f} s")
    console.print(table)
    console.print("Tokens (send as [bold]Authorization: Bearer <token>[/bold]):")
    console.print(f"  operator: {result.tokens['operator']}")
    console.print(f"  seller ({result.seller_name}): {result.tokens['seller']}")
    console.print(f"  buyer ({result.buyer_display}): {result.tokens['buyer']}")
    console.print("Sign in as the buyer at /login with the buyer token to write reviews.")
    if serve_after:
        serve_platform(settings, host or settings.host, port or settings.port, worker=True)


@token_app.command("create")
def token_create(
    role: Annotated[Role, typer.Option(help="operator, moderator, seller or buyer")],
    seller: Annotated[int | None, typer.Option(help="Seller account id (seller tokens)")] = None,
    buyer: Annotated[
        str | None, typer.Option(help="Buyer id or the buyer's external id (buyer tokens)")
    ] = None,
    name: Annotated[str, typer.Option(help="A note on what the token is for")] = "",
) -> None:
    """Issue a bearer token; it is printed once and only its hash is stored."""
    from reviewdesk.services.access import create_token, resolve_buyer

    platform = _platform()
    try:
        buyer_id = resolve_buyer(platform, buyer) if buyer is not None else None
        plain, row = create_token(
            platform, OPERATOR, role=role, seller_id=seller, buyer_id=buyer_id, name=name
        )
    except ReviewdeskError as error:
        raise _fail(error) from None
    err.print(f"token {row.id} ({role.value}) created; store it now, it is not shown again:")
    console.print(plain)


@app.command()
def recompute(
    check: Annotated[bool, typer.Option("--check", help="Report drift (the default)")] = False,
    fix: Annotated[bool, typer.Option("--fix", help="Repair drift")] = False,
) -> None:
    """Recompute every star summary from the reviews; report (and with --fix repair) drift."""
    from rich.progress import Progress

    from reviewdesk.services.ratings import check_summaries, shop_ids

    if check and fix:
        err.print("[red]Give --check or --fix, not both.[/red]")
        raise typer.Exit(code=2)
    platform = _platform()
    drifts = []
    ids = shop_ids(platform)
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("recomputing", total=len(ids))
        for shop_id in ids:
            drifts.extend(check_summaries(platform, OPERATOR, fix=fix, only=[shop_id]))
            progress.advance(task)
    if not drifts:
        console.print(f"[green]no drift[/green] in {len(ids)} shop(s)")
        return
    table = Table(title="fixed drift" if fix else "drift found")
    for column in ("scope", "shop", "product", "stored count/sum", "recomputed count/sum"):
        table.add_column(column)
    for d in drifts:
        table.add_row(
            d.scope,
            str(d.shop_id),
            str(d.product_id or ""),
            f"{d.stored.count}/{d.stored.total}",
            f"{d.recomputed.count}/{d.recomputed.total}",
        )
    console.print(table)
    if not fix:
        raise typer.Exit(code=1)


@app.command()
def export(
    shop: Annotated[str, typer.Option(help="Shop id or slug")],
    format: Annotated[
        ExportFormat, typer.Option(help="google (2.4 XML feed), meta (CSV feed), csv, jsonl")
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout)")
    ] = None,
) -> None:
    """Export a shop's published reviews as a review feed or a CSV / JSON lines file."""
    from reviewdesk.services.access import resolve_shop
    from reviewdesk.services.exports import export_reviews

    platform = _platform()
    try:
        shop_id = resolve_shop(platform, shop)
        if output is None:
            written = export_reviews(platform, OPERATOR, shop_id, format, sys.stdout.buffer)
        else:
            # Written beside the target and renamed when complete: a failed export leaves
            # neither a half file nor a damaged earlier one.
            handle, temporary = tempfile.mkstemp(
                dir=output.resolve().parent, prefix=f".{output.name}.", suffix=".part"
            )
            try:
                with os.fdopen(handle, "wb") as stream:
                    written = export_reviews(platform, OPERATOR, shop_id, format, stream)
                    stream.flush()
                    os.fsync(stream.fileno())
                os.chmod(temporary, 0o666 & ~_umask())
                os.replace(temporary, output)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
    except ReviewdeskError as error:
        raise _fail(error) from None
    except OSError as error:
        err.print(f"[red]error[/red] cannot write {output}: {error.strerror or error}")
        raise typer.Exit(code=2) from None
    finally:
        platform.close()
    err.print(f"{written:,} review(s) exported" + (f" to {output}" if output else ""))


@app.command("import")
def import_reviews(
    file: Annotated[
        Path | None, typer.Argument(help="The export file of the other app", exists=True)
    ] = None,
    shop: Annotated[str | None, typer.Option(help="Shop id or slug")] = None,
    source: Annotated[
        str | None,
        typer.Option(
            help="judgeme, yotpo, okendo, junip, reviewsio, loox, stamped, shopify, "
            "trustpilot, google, csv, jsonl"
        ),
    ] = None,
    map_: Annotated[
        list[str] | None,
        typer.Option("--map", help="target=header, repeatable (generic files)"),
    ] = None,
    match_by: Annotated[
        str, typer.Option(help="auto, variant_id, gtin, product_id, sku or handle")
    ] = "auto",
    id_platform: Annotated[
        str | None,
        typer.Option("--platform", help="Whose product ids the file has (default: shopify)"),
    ] = None,
    day_first: Annotated[
        bool | None,
        typer.Option("--day-first/--month-first", help="Numeric dates the file cannot prove"),
    ] = None,
    timezone: Annotated[str, typer.Option(help="Zone of dates written without one")] = "UTC",
    assume_verified: Annotated[
        bool, typer.Option(help="Every review in the file is a verified buyer's")
    ] = False,
    fetch_media: Annotated[
        bool | None, typer.Option("--fetch-media/--keep-media-links", help="Photo URLs")
    ] = None,
    detach: Annotated[
        bool, typer.Option(help="Queue the import for the worker and return")
    ] = False,
    resume: Annotated[
        int | None, typer.Option(help="Resume an interrupted import (its job id) here")
    ] = None,
    report: Annotated[
        Path | None, typer.Option(help="Write the report (skipped and failed rows) as CSV")
    ] = None,
) -> None:
    """Import reviews from another platform's export, with a progress bar and a report."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from reviewdesk.services import imports
    from reviewdesk.services.access import resolve_shop
    from reviewdesk.services.platform import InlineJobs, open_platform

    class _Here(InlineJobs):
        """Runs the import in this process (with the bar) unless detached."""

        def import_created(self, job_id: int) -> None:
            created.append(job_id)

    created: list[int] = []
    settings = get_settings()
    platform = _platform(settings) if detach else open_platform(settings, jobs=_Here())
    try:
        if resume is not None:
            job_id = resume
        else:
            if file is None or shop is None or source is None:
                raise InvalidInput(
                    "missing_option", "give FILE, --shop and --source (or --resume JOB)"
                )
            mapping = {}
            for item in map_ or []:
                target, sep, header = item.partition("=")
                if not sep or not target.strip() or not header.strip():
                    raise InvalidInput("invalid_mapping", f"--map {item!r}: write target=header")
                mapping[target.strip()] = header.strip()
            options = imports.ImportOptions.model_validate(
                {
                    "source": source,
                    "mapping": mapping,
                    "match_by": match_by,
                    "platform": id_platform,
                    "day_first": day_first,
                    "timezone": timezone,
                    "assume_verified": assume_verified,
                    "fetch_media": fetch_media,
                }
            )
            shop_id = resolve_shop(platform, shop)
            with file.open("rb") as stream:
                job = imports.create_import(platform, OPERATOR, shop_id, stream, file.name, options)
            for note in job.notes:
                err.print(f"[yellow]note[/yellow] {note}")
            job_id = job.id
            if detach:
                err.print(f"import {job_id} queued for the worker")
                return
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=err,
        ) as bar:
            task = bar.add_task(f"import {job_id}", total=None)

            def progress(done: int, total: int | None) -> None:
                bar.update(task, completed=done, total=total)

            result = imports.run_import(platform, job_id, progress=progress)
        if isinstance(result, float):
            raise Conflict(
                "import_running",
                f"import {job_id} is being run by a worker (try again in {result:.0f} s)",
            )
        view = result or imports.get_import(platform, OPERATOR, _shop_of(platform, job_id), job_id)
        if report is not None:
            with report.open("wb") as out:
                for chunk in imports.report_csv(platform, OPERATOR, view.shop_id, job_id):
                    out.write(chunk)
    except ValidationError as error:
        first = error.errors()[0]
        err.print(f"[red]error[/red] {'.'.join(map(str, first['loc']))}: {first['msg']}")
        raise typer.Exit(code=2) from None
    except ReviewdeskError as error:
        raise _fail(error) from None
    finally:
        platform.close()
    _print_import(view, report is not None)
    if view.status != "completed":
        raise typer.Exit(code=1)


def _shop_of(platform, job_id: int) -> int:  # type: ignore[no-untyped-def]
    from reviewdesk.db.imports import ImportJob

    with platform.db.read() as session:
        job = session.get(ImportJob, job_id)
        if job is None:
            raise NotFound("import_not_found", f"import {job_id} does not exist")
        return int(job.shop_id)


def _print_import(view, report_written: bool) -> None:  # type: ignore[no-untyped-def]
    table = Table(title=f"import {view.id}: {view.status}", show_header=False)
    table.add_row("file", f"{view.file_name} ({view.source_name})")
    table.add_row("rows", f"{view.rows_done:,}")
    for name, count in view.counts.model_dump().items():
        table.add_row(name, f"{count:,}")
    console.print(table)
    if view.error:
        err.print(f"[red]failed[/red] [bold]{view.error.code}[/bold]: {view.error.detail}")
    if (view.counts.skipped or view.counts.failed) and not report_written:
        err.print(
            f"report of skipped and failed rows: GET /api/v1/shops/{view.shop_id}"
            f"/imports/{view.id}/report.csv"
        )


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@app.command()
def worker(
    workers: Annotated[int, typer.Option(help="Worker threads")] = 2,
) -> None:
    """Run background jobs (Huey): media processing and scheduled checks."""
    from reviewdesk.worker.queue import run_worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    run_worker(get_settings(), workers=workers)


analytics_cli.register(app)


def main() -> None:
    """Entry point of the ``reviewdesk`` command."""
    app()

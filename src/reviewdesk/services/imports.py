"""Review imports: a file from another platform becomes the shop's imported reviews.

How an import runs (``docs/decisions/005-review-imports.md`` has the why):

1. ``create_import`` copies the upload into ``import_dir``, opens it once to check its
   type, encoding and columns (a bad file is refused before any job exists), records the
   job as ``queued`` and hands it to the worker.
2. ``run_import`` (the worker) reads the rows after the job's ``rows_done`` in batches.
   Each batch is one transaction: its rows' outcomes (imported, unmatched, duplicate,
   skipped, failed) are written together with the new ``rows_done``, so a worker killed
   at any point resumes after the last committed batch, with nothing lost or repeated.
   A lease on the job keeps a second worker off it while the first is alive.
3. Rows are *staged* in ``imported_reviews``; when the last row is read, one transaction
   makes the matched ones reviews (``INSERT ... SELECT``), adds them to the rating
   summaries and marks the job ``completed``. Until then nothing of the import is
   visible, and a file that turns out unreadable half-way fails its job with nothing
   half-written: the staged rows are removed, the report keeps what was read.

Rules (product spec §1 "Imported reviews"): only verified-buyer product reviews are
imported (store/site reviews, incentivized reviews, reviews hidden in the source and rows
without a verified-buyer flag are skipped, each with its reason); deduplication by source +
external review id, or the content hash when a row has none; matching by the seller's chosen
key (``match_by``), by default in the order platform variant id, GTIN (as GTIN-14),
platform product id, SKU, handle, after the seller's own links. A row that matches nothing
is kept *unmatched*, grouped by its external product, and becomes a review when that
product is linked.

Imported reviews are labelled "Review from <source>", count in the star rating when
``imported_count_in_rating`` is on, and never in NRR (they have no order line). The
reviewer's e-mail address is read only to tell duplicates apart (content hash); it is not
stored. Replies in the file are kept with the imported review for the seller-reply feature.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import logging
import re
import uuid
import zoneinfo
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO, Literal, cast

from pydantic import BaseModel, Field, field_validator
from sqlalchemy import (
    Table,
    and_,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reviewdesk.db.catalog import ExternalId, Product, ProductCode, Variant
from reviewdesk.db.imports import ImportedReview, ImportJob, ImportLink, ImportProblem
from reviewdesk.db.reviews import Review
from reviewdesk.domain.display import mask_display_name, source_name
from reviewdesk.domain.pagination import decode_cursor, encode_cursor
from reviewdesk.domain.principals import Principal
from reviewdesk.domain.ratings import PUBLISHED, RatingSummary
from reviewdesk.errors import InvalidInput, NotFound, TooLarge
from reviewdesk.integrations.importers import (
    DEFAULT_LIMITS,
    ImportedRow,
    ImportFile,
    ImportFileError,
    RowProblem,
    read_import,
    source_spec,
)
from reviewdesk.integrations.importers.records import content_hash
from reviewdesk.services.access import audit, shop_for_staff
from reviewdesk.services.catalog import Page
from reviewdesk.services.platform import Platform
from reviewdesk.services.ratings import apply_delta
from reviewdesk.services.text import language_of, public_copy

log = logging.getLogger("reviewdesk.imports")

QUEUED, RUNNING, COMPLETED, FAILED = "queued", "running", "completed", "failed"
MATCHED, UNMATCHED, REMOVED = "matched", "unmatched", "deleted"
MATCH_KEYS = ("variant_id", "gtin", "product_id", "sku", "handle")
MatchBy = Literal["auto", "variant_id", "gtin", "product_id", "sku", "handle"]
# The apps whose exports carry Shopify's product and variant ids.
_SHOPIFY_APPS = frozenset({"judgeme", "yotpo", "okendo", "junip", "loox", "stamped", "shopify"})
_COPY_CHUNK = 1024 * 1024


# ---- views and inputs ------------------------------------------------------------------------


class ImportOptions(BaseModel):
    """How to read and match a file (everything but the file itself)."""

    source: str = Field(description="judgeme, yotpo, okendo, junip, reviewsio, loox, ...")
    mapping: dict[str, str] = Field(
        default_factory=dict, description="target field -> the file's header (generic files)"
    )
    match_by: MatchBy = Field(
        "auto", description="auto: variant id, GTIN, product id, SKU, handle in that order"
    )
    platform: str | None = Field(
        None,
        max_length=48,
        description="whose product/variant ids the file has (external id platform); "
        "default shopify for Shopify apps, else the source",
    )
    day_first: bool | None = Field(None, description="numeric dates day/month (when unprovable)")
    timezone: str = Field("UTC", description="zone of dates written without one")
    assume_verified: bool = Field(
        False, description="the file holds only verified-buyer reviews but does not say so"
    )
    fetch_media: bool | None = Field(
        None, description="fetch photo URLs into our storage; default: import_fetch_media"
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value


class ImportCounts(BaseModel):
    imported: int
    unmatched: int
    duplicates: int
    skipped: int
    failed: int


class ImportError_(BaseModel):
    code: str
    detail: str


class ImportJobView(BaseModel):
    id: int
    shop_id: int
    source: str
    source_name: str
    file_name: str
    file_bytes: int
    status: Literal["queued", "running", "completed", "failed"]
    match_by: str
    platform: str
    rows_total: int | None
    rows_done: int
    progress: float | None = Field(description="rows done / total, 0-1, when the total is known")
    counts: ImportCounts
    notes: list[str]
    error: ImportError_ | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class ImportProblemView(BaseModel):
    row_number: int
    outcome: Literal["skipped", "failed"]
    code: str
    column: str | None
    message: str


# ---- creating a job ----------------------------------------------------------------------------


def _platform_of(options: ImportOptions) -> str:
    if options.platform:
        return options.platform.strip().casefold()
    key = source_spec(options.source).key
    return "shopify" if key in _SHOPIFY_APPS else key


def _store_upload(platform: Platform, stream: BinaryIO) -> tuple[Path, int, str]:
    """Copy the upload into ``import_dir`` within the size limit; (path, bytes, sha256)."""
    directory = Path(platform.settings.import_dir)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{uuid.uuid4().hex}.upload"
    digest = hashlib.sha256()
    size = 0
    limit = platform.settings.import_max_bytes
    try:
        with path.open("xb") as out:
            while chunk := stream.read(_COPY_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise TooLarge(
                        "file_too_large", f"an import file may have at most {limit} bytes"
                    )
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    if size == 0:
        path.unlink(missing_ok=True)
        raise InvalidInput("empty_file", "the file is empty")
    return path, size, digest.hexdigest()


def _open(platform: Platform, job: ImportJob, path: Path) -> ImportFile:
    limits = DEFAULT_LIMITS
    if platform.settings.import_max_bytes != limits.max_file_bytes:
        from dataclasses import replace

        limits = replace(limits, max_file_bytes=platform.settings.import_max_bytes)
    return read_import(
        path,
        job.source,
        json.loads(job.mapping) or None,
        limits=limits,
        day_first=job.day_first,
        timezone=zoneinfo.ZoneInfo(job.timezone),
    )


def create_import(
    platform: Platform,
    actor: Principal,
    shop_id: int,
    stream: BinaryIO,
    file_name: str,
    options: ImportOptions,
) -> ImportJobView:
    """Check and keep an import file, and queue its job (the worker runs it)."""
    spec = source_spec(options.source)
    with platform.db.read() as session:
        shop_for_staff(session, actor, shop_id)
    path, size, sha256 = _store_upload(platform, stream)
    try:
        job = ImportJob(
            shop_id=shop_id,
            source=spec.key,
            file_name=(file_name or "upload")[-300:],
            file_key=path.name,
            file_bytes=size,
            file_sha256=sha256,
            mapping=json.dumps(options.mapping),
            match_by=options.match_by,
            platform=_platform_of(options),
            day_first=options.day_first,
            timezone=options.timezone,
            assume_verified=options.assume_verified,
            fetch_media=(
                platform.settings.import_fetch_media
                if options.fetch_media is None
                else options.fetch_media
            ),
            status=QUEUED,
            created_by=actor.key,
            created_at=platform.now(),
        )
        opened = _open(platform, job, path)  # refuses a bad file before any job exists
        notes = list(opened.notes)
        if opened.unknown_columns:
            notes.append("columns not imported: " + ", ".join(opened.unknown_columns))
        if "verified" not in opened.column_map and spec.key != "google":
            if not options.assume_verified:
                raise InvalidInput(
                    "verified_unknown",
                    "The file does not say which reviews are from verified buyers, and only "
                    "those are imported: map a column to 'verified', or confirm with "
                    "assume_verified that every review in it is from a verified buyer.",
                )
            notes.append("every row taken as a verified buyer's review (assume_verified)")
        job.notes = json.dumps(notes)
        with platform.db.write() as session:
            shop_for_staff(session, actor, shop_id)
            session.add(job)
            session.flush()
            audit(
                session,
                actor,
                "import.create",
                "import_job",
                job.id,
                shop_id,
                {"source": job.source, "file": job.file_name, "bytes": size},
            )
            job_id = job.id
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    platform.jobs.import_created(job_id)
    return get_import(platform, actor, shop_id, job_id)


# ---- reading ---------------------------------------------------------------------------------


def _job_view(job: ImportJob) -> ImportJobView:
    total = job.rows_total
    progress = None
    if job.status == COMPLETED:
        progress = 1.0
    elif total:
        progress = min(1.0, job.rows_done / total)
    return ImportJobView(
        id=job.id,
        shop_id=job.shop_id,
        source=job.source,
        source_name=source_name(job.source),
        file_name=job.file_name,
        file_bytes=job.file_bytes,
        status=job.status,
        match_by=job.match_by,
        platform=job.platform,
        rows_total=total,
        rows_done=job.rows_done,
        progress=progress,
        counts=ImportCounts(
            imported=job.imported,
            unmatched=job.unmatched,
            duplicates=job.duplicates,
            skipped=job.skipped,
            failed=job.failed,
        ),
        notes=json.loads(job.notes),
        error=ImportError_(code=job.error_code, detail=job.error_detail or "")
        if job.error_code
        else None,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
    )


def _job_for_staff(session: Session, actor: Principal, shop_id: int, job_id: int) -> ImportJob:
    shop_for_staff(session, actor, shop_id)
    job = session.get(ImportJob, job_id)
    if job is None or job.shop_id != shop_id:
        raise NotFound("import_not_found", f"import {job_id} does not exist in shop {shop_id}")
    return job


def get_import(platform: Platform, actor: Principal, shop_id: int, job_id: int) -> ImportJobView:
    """An import with its progress and counts per outcome."""
    with platform.db.read() as session:
        return _job_view(_job_for_staff(session, actor, shop_id, job_id))


def list_imports(
    platform: Platform,
    actor: Principal,
    shop_id: int,
    *,
    cursor: str | None = None,
    limit: int = 20,
) -> Page[ImportJobView]:
    """The shop's imports, newest first."""
    limit = max(1, min(limit, platform.settings.max_page_size))
    with platform.db.read() as session:
        shop_for_staff(session, actor, shop_id)
        query = select(ImportJob).where(ImportJob.shop_id == shop_id)
        if cursor:
            (after,) = decode_cursor(cursor, "imports", 1)
            query = query.where(ImportJob.id < int(after))
        rows = session.scalars(query.order_by(ImportJob.id.desc()).limit(limit + 1)).all()
        return Page[ImportJobView](
            items=[_job_view(r) for r in rows[:limit]],
            next_cursor=encode_cursor("imports", [rows[limit - 1].id])
            if len(rows) > limit
            else None,
        )


def import_problems(
    platform: Platform,
    actor: Principal,
    shop_id: int,
    job_id: int,
    *,
    cursor: str | None = None,
    limit: int = 100,
) -> Page[ImportProblemView]:
    """The skipped and failed rows of an import, in row order."""
    limit = max(1, min(limit, platform.settings.max_page_size))
    with platform.db.read() as session:
        _job_for_staff(session, actor, shop_id, job_id)
        query = select(ImportProblem).where(ImportProblem.job_id == job_id)
        if cursor:
            (after,) = decode_cursor(cursor, "problems", 1)
            query = query.where(ImportProblem.row_number > int(after))
        rows = session.scalars(query.order_by(ImportProblem.row_number).limit(limit + 1)).all()
        return Page[ImportProblemView](
            items=[_problem_view(r) for r in rows[:limit]],
            next_cursor=encode_cursor("problems", [rows[limit - 1].row_number])
            if len(rows) > limit
            else None,
        )


def _problem_view(row: ImportProblem) -> ImportProblemView:
    return ImportProblemView(
        row_number=row.row_number,
        outcome=row.outcome,
        code=row.code,
        column=row.column_name,
        message=row.message,
    )


REPORT_COLUMNS = ("row_number", "outcome", "code", "column", "message")


def report_csv(platform: Platform, actor: Principal, shop_id: int, job_id: int) -> Iterator[bytes]:
    """The import's report as CSV: a summary block, then each skipped or failed row.

    Checked for access before the first byte; streamed in row order. Cells that a
    spreadsheet would run as a formula are neutralised.
    """
    from reviewdesk.integrations.feeds import neutralise_formula

    with platform.db.read() as session:
        job = _job_view(_job_for_staff(session, actor, shop_id, job_id))

    def rows() -> Iterator[bytes]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")

        def flush() -> bytes:
            data = buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
            return data

        buffer.write("\ufeff")
        writer.writerow(["# import", job.id, job.source_name, neutralise_formula(job.file_name)])
        writer.writerow(["# status", job.status, job.error.code if job.error else ""])
        for name, value in job.counts.model_dump().items():
            writer.writerow([f"# {name}", value])
        writer.writerow(REPORT_COLUMNS)
        yield flush()
        after = 0
        while True:
            with platform.db.read() as session:
                batch = session.scalars(
                    select(ImportProblem)
                    .where(ImportProblem.job_id == job_id, ImportProblem.row_number > after)
                    .order_by(ImportProblem.row_number)
                    .limit(2000)
                ).all()
            if not batch:
                return
            for p in batch:
                writer.writerow(
                    [
                        p.row_number,
                        p.outcome,
                        p.code,
                        neutralise_formula(p.column_name or ""),
                        neutralise_formula(p.message),
                    ]
                )
            after = batch[-1].row_number
            yield flush()

    return rows()


# ---- running a job ---------------------------------------------------------------------------


class LeaseLost(Exception):
    """Another worker took the job over (this one was presumed dead)."""


@dataclass
class _Outcome:
    """What one batch adds: staged reviews, report rows, counts, the last row number."""

    staged: list[dict[str, Any]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(
            ("imported", "unmatched", "duplicates", "skipped", "failed"), 0
        )
    )
    last_row: int = 0


def _skip_reason(row: ImportedRow, assume_verified: bool) -> tuple[str, str, str | None] | None:
    if row.source_kind != "product":
        return ("not_a_product_review", f"a {row.source_kind} review, not a product review", None)
    if row.incentivized:
        return ("incentivized", "an incentivized review (only unpaid reviews are imported)", None)
    if row.published is False:
        return ("hidden_in_source", "the review is hidden or unpublished in the source", None)
    if row.verified is False or (row.verified is None and not assume_verified):
        return (
            "not_verified",
            "not a verified buyer's review (only those are imported)",
            "verified",
        )
    return None


def _dedup_key(row: ImportedRow) -> str:
    if row.external_review_id:
        return "id:" + row.external_review_id.strip()[:200]
    return "hash:" + (
        row.content_hash
        or content_hash(
            product_keys=(row.platform_product_id, row.platform_variant_id, row.handle, row.sku),
            rating=row.rating,
            title=row.title,
            body=row.body,
            created_at=row.created_at,
            reviewer_name=row.reviewer_name,
            reviewer_email=row.reviewer_email,
        )
    )


def _product_key(row: ImportedRow) -> str:
    """The external product a row's review belongs to (what links and views group by)."""
    for prefix, value in (
        ("product", row.platform_product_id),
        ("variant", row.platform_variant_id),
        ("gtin", row.gtin),
        ("sku", row.sku),
        ("handle", row.handle),
    ):
        if value and value.strip():
            return f"{prefix}:{value.strip()}"[:300]
    if row.product_name and row.product_name.strip():
        return ("name:" + " ".join(row.product_name.casefold().split()))[:300]
    return "unknown"


Target = tuple[int, int | None, str]  # product id, variant id, matched by


class _Matcher:
    """Finds our product for a batch of rows: the seller's links first, then the keys."""

    def __init__(self, session: Session, job: ImportJob) -> None:
        self.session, self.job = session, job
        self.keys = MATCH_KEYS if job.match_by == "auto" else (job.match_by,)

    def _external(self, kind: str, values: set[str]) -> dict[str, tuple[int, int | None]]:
        if not values:
            return {}
        rows = self.session.execute(
            select(ExternalId.value, ExternalId.product_id, ExternalId.variant_id)
            .join(Product, Product.id == ExternalId.product_id)
            .where(
                ExternalId.shop_id == self.job.shop_id,
                ExternalId.platform == f"{self.job.platform}_{kind}",
                ExternalId.value.in_(values),
                Product.removed_at.is_(None),
            )
        )
        return {r.value: (r.product_id, r.variant_id) for r in rows}

    def lookups(self, rows: list[ImportedRow]) -> dict[str, dict[str, tuple[int, int | None]]]:
        def values(attr: str) -> set[str]:
            return {v.strip() for r in rows if (v := getattr(r, attr)) and v.strip()}

        shop = self.job.shop_id
        found: dict[str, dict[str, tuple[int, int | None]]] = {}
        if "variant_id" in self.keys:
            found["variant_id"] = self._external("variant", values("platform_variant_id"))
        if "product_id" in self.keys:
            found["product_id"] = {
                k: (p, None)
                for k, (p, _v) in self._external("product", values("platform_product_id")).items()
            }
        if "gtin" in self.keys and (gtins := values("gtin")):
            found["gtin"] = {
                r.gtin: (r.product_id, r.variant_id)
                for r in self.session.execute(
                    select(ProductCode.gtin, ProductCode.product_id, ProductCode.variant_id)
                    .join(Product, Product.id == ProductCode.product_id)
                    .where(
                        ProductCode.shop_id == shop,
                        ProductCode.gtin.in_(gtins),
                        Product.removed_at.is_(None),
                    )
                )
            }
        if "sku" in self.keys and (skus := values("sku")):
            found["sku"] = {
                r.sku: (r.product_id, r.id)
                for r in self.session.execute(
                    select(Variant.sku, Variant.product_id, Variant.id)
                    .join(Product, Product.id == Variant.product_id)
                    .where(
                        Variant.shop_id == shop,
                        Variant.sku.in_(skus),
                        Variant.removed_at.is_(None),
                        Product.removed_at.is_(None),
                    )
                )
            }
        if "handle" in self.keys and (handles := values("handle")):
            found["handle"] = {
                r.handle: (r.id, None)
                for r in self.session.execute(
                    select(Product.handle, Product.id).where(
                        Product.shop_id == shop,
                        Product.handle.in_(handles),
                        Product.removed_at.is_(None),
                    )
                )
            }
        return found

    def links(self, keys: set[str]) -> dict[str, tuple[int, int | None]]:
        if not keys:
            return {}
        rows = self.session.execute(
            select(ImportLink.product_key, ImportLink.product_id, ImportLink.variant_id)
            .join(Product, Product.id == ImportLink.product_id)
            .where(
                ImportLink.shop_id == self.job.shop_id,
                ImportLink.source == self.job.source,
                ImportLink.product_key.in_(keys),
                Product.removed_at.is_(None),
            )
        )
        return {r.product_key: (r.product_id, r.variant_id) for r in rows}


_ROW_ATTR = {
    "variant_id": "platform_variant_id",
    "gtin": "gtin",
    "product_id": "platform_product_id",
    "sku": "sku",
    "handle": "handle",
}
_KEY_NAMES = {
    "variant_id": "variant id",
    "gtin": "GTIN",
    "product_id": "product id",
    "sku": "SKU",
    "handle": "handle",
}


def _match(
    row: ImportedRow,
    product_key: str,
    keys: tuple[str, ...],
    found: dict[str, dict[str, tuple[int, int | None]]],
    links: dict[str, tuple[int, int | None]],
) -> tuple[Target | None, str | None]:
    if product_key in links:
        product_id, variant_id = links[product_key]
        return (product_id, variant_id, "link"), None
    tried = []
    for key in keys:
        value = getattr(row, _ROW_ATTR[key])
        if not value or not value.strip():
            continue
        hit = found.get(key, {}).get(value.strip())
        if hit is not None:
            return (hit[0], hit[1], key), None
        tried.append(f"{_KEY_NAMES[key]} {value.strip()}")
    if not tried:
        wanted = " or ".join(_KEY_NAMES[k] for k in keys)
        return None, f"the row has no {wanted} to match"[:200]
    return None, ("no product of this shop has " + ", ".join(tried))[:200]


def _stage(job: ImportJob, row: ImportedRow, dedup: str, now: datetime) -> dict[str, Any]:
    names = [row.reviewer_name] if row.reviewer_name else []
    text = " ".join(x for x in (row.title, row.body) if x) or None
    media = [u for u in row.media_urls if u.startswith(("https://", "http://"))]
    return {
        "shop_id": job.shop_id,
        "job_id": job.id,
        "row_number": row.row_number,
        "source": job.source,
        "dedup_key": dedup,
        "external_review_id": (row.external_review_id or None) and row.external_review_id[:200],
        "product_key": _product_key(row),
        "external_product_id": _cut(row.platform_product_id, 200),
        "external_variant_id": _cut(row.platform_variant_id, 200),
        "handle": _cut(row.handle, 300),
        "sku": _cut(row.sku, 200),
        "gtin": row.gtin,
        "product_name": _cut(row.product_name, 500),
        "product_url": row.product_url,
        "rating": row.rating,
        "title": _cut(row.title, 300),
        "body": row.body,
        "public_title": _cut(public_copy(row.title, names), 300),
        "public_body": public_copy(row.body, names),
        "language": language_of(text),
        "reviewer_name": _cut(row.reviewer_name, 300),
        "reviewer_display": _display_name(row.reviewer_name),
        "written_at": row.created_at,
        "media_urls": json.dumps(media),
        "media_fetched": False,
        "reply": row.reply,
        "reply_at": row.reply_at,
        "created_at": now,
    }


_MASKED = re.compile(r"\w\*{3}\w?")


def _display_name(name: str | None) -> str:
    """The public name: masked, unless the source already masked it (``j***n`` stays)."""
    if name and _MASKED.fullmatch(name.strip()):
        return name.strip().lower()
    return mask_display_name(name)


def _cut(value: str | None, length: int) -> str | None:
    return value[:length] if value else value


def _classify(
    session: Session, job: ImportJob, batch: list[ImportedRow | RowProblem], now: datetime
) -> _Outcome:
    """The outcome of each row of ``batch`` (nothing written yet)."""
    outcome = _Outcome(last_row=batch[-1].row_number)
    candidates: list[tuple[ImportedRow, str]] = []
    for row in batch:
        if isinstance(row, RowProblem):
            outcome.counts["failed"] += 1
            outcome.problems.append(
                {
                    "row_number": row.row_number,
                    "outcome": "failed",
                    "code": row.code,
                    "column_name": row.column,
                    "message": row.message,
                }
            )
            continue
        reason = _skip_reason(row, job.assume_verified)
        if reason is not None:
            code, message, column = reason
            outcome.counts["skipped"] += 1
            outcome.problems.append(
                {
                    "row_number": row.row_number,
                    "outcome": "skipped",
                    "code": code,
                    "column_name": column,
                    "message": message,
                }
            )
            continue
        candidates.append((row, _dedup_key(row)))
    if not candidates:
        return outcome
    known = set(
        session.scalars(
            select(ImportedReview.dedup_key).where(
                ImportedReview.shop_id == job.shop_id,
                ImportedReview.source == job.source,
                ImportedReview.dedup_key.in_({key for _row, key in candidates}),
            )
        )
    )
    fresh: list[tuple[ImportedRow, str]] = []
    for row, key in candidates:
        if key in known:
            outcome.counts["duplicates"] += 1
            continue
        known.add(key)
        fresh.append((row, key))
    matcher = _Matcher(session, job)
    rows = [row for row, _key in fresh]
    found = matcher.lookups(rows)
    staged = [_stage(job, row, key, now) for row, key in fresh]
    links = matcher.links({s["product_key"] for s in staged})
    for row, values in zip(rows, staged, strict=True):
        target, why = _match(row, values["product_key"], matcher.keys, found, links)
        if target is None:
            values.update(
                state=UNMATCHED,
                unmatched_reason=why,
                matched_by=None,
                product_id=None,
                variant_id=None,
            )
            outcome.counts["unmatched"] += 1
        else:
            product_id, variant_id, matched_by = target
            values.update(
                state=MATCHED,
                unmatched_reason=None,
                matched_by=matched_by,
                product_id=product_id,
                variant_id=variant_id,
            )
            outcome.counts["imported"] += 1
    outcome.staged = staged
    return outcome


_IMPORTED = cast(Table, ImportedReview.__table__)
_PROBLEMS = cast(Table, ImportProblem.__table__)


def _write_batch(platform: Platform, job: ImportJob, owner: str, outcome: _Outcome) -> None:
    """Stage a batch and move the job's checkpoint past it, in one transaction."""
    settings = platform.settings
    now = platform.now()
    with platform.db.write() as session:
        moved = session.execute(
            update(ImportJob)
            .where(ImportJob.id == job.id, ImportJob.lease_owner == owner)
            .values(
                rows_done=outcome.last_row,
                lease_until=now + timedelta(seconds=settings.import_lease_seconds),
                **{name: getattr(ImportJob, name) + n for name, n in outcome.counts.items() if n},
            )
        )
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            raise LeaseLost(f"import {job.id} was taken over by another worker")
        # Core executemany (not the ORM's bulk insert, which splits batches by row shape).
        if outcome.staged:
            session.execute(insert(_IMPORTED), outcome.staged)
        if outcome.problems:
            session.execute(
                insert(_PROBLEMS),
                [{"shop_id": job.shop_id, "job_id": job.id, **p} for p in outcome.problems],
            )


def _batches(
    rows: Iterator[ImportedRow | RowProblem], size: int
) -> Iterator[list[ImportedRow | RowProblem]]:
    while batch := list(itertools.islice(rows, size)):
        yield batch


def _claim(platform: Platform, job_id: int, owner: str) -> ImportJob | float | None:
    """Take the job's lease. The job, or the seconds until another worker's lease ends,
    or None when there is nothing to do (finished, or gone)."""
    now = platform.now()
    with platform.db.write() as session:
        job = session.scalars(
            select(ImportJob)
            .where(ImportJob.id == job_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).first()
        if job is None or job.status in (COMPLETED, FAILED):
            return None
        if job.lease_owner not in (None, owner) and job.lease_until and job.lease_until > now:
            return (job.lease_until - now).total_seconds()
        job.lease_owner = owner
        job.lease_until = now + timedelta(seconds=platform.settings.import_lease_seconds)
        job.status = RUNNING
        job.started_at = job.started_at or now
        session.flush()
        session.expunge(job)
        return job


class _Statistics:
    """Keeps PostgreSQL's planner statistics of ``imported_reviews`` up with a bulk load.

    A table that grows from nothing within one import has statistics saying it is empty,
    and the planner then answers the per-batch duplicate lookup by scanning the shop's
    rows instead of probing the unique index: quadratic. ``ANALYZE`` after 5,000 staged
    rows and each time they double keeps the plans right (about a dozen times for a
    million rows; SQLite plans these lookups by the index shape, without statistics).
    """

    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        self.enabled = platform.db.dialect == "postgresql"
        self.staged = 0
        self.next_at = 5_000

    def grew(self, rows: int) -> None:
        self.staged += rows
        if self.enabled and self.staged >= self.next_at:
            self.next_at = self.staged * 2
            with self.platform.db.autocommit() as connection:
                connection.execute(text("ANALYZE imported_reviews"))


Progress = Callable[[int, int | None], None]


def run_import(
    platform: Platform, job_id: int, *, progress: Progress | None = None
) -> ImportJobView | float | None:
    """Run (or resume) an import until it completes or fails.

    Returns the finished job; or the seconds to wait when another live worker holds it;
    or None when it was already finished. Raises ``LeaseLost`` when this worker was
    presumed dead and the job taken over (its last batch is then not written).
    """
    owner = uuid.uuid4().hex
    claimed = _claim(platform, job_id, owner)
    if not isinstance(claimed, ImportJob):
        return claimed
    job = claimed
    path = Path(platform.settings.import_dir) / job.file_key
    try:
        opened = _open(platform, job, path)
        total = opened.total_rows
        if total is not None and job.rows_total != total:
            with platform.db.write() as session:
                session.execute(
                    update(ImportJob).where(ImportJob.id == job_id).values(rows_total=total)
                )
        done = job.rows_done
        if progress:
            progress(done, total)
        statistics = _Statistics(platform)
        for batch in _batches(opened.resume_after(done), platform.settings.import_batch_rows):
            for attempt in range(3):
                with platform.db.read() as session:
                    outcome = _classify(session, job, batch, platform.now())
                try:
                    _write_batch(platform, job, owner, outcome)
                    break
                except IntegrityError:
                    # A concurrent import of the same reviews (PostgreSQL) won the race:
                    # read the batch again, its rows are now duplicates.
                    if attempt == 2:
                        raise
            done = outcome.last_row
            statistics.grew(len(outcome.staged))
            if progress:
                progress(done, total)
    except FileNotFoundError:
        _fail(platform, job_id, owner, "import_file_missing", "the uploaded file is gone")
    except ImportFileError as error:
        _fail(platform, job_id, owner, error.code, error.detail)
    else:
        _finish(platform, job_id, owner)
    path.unlink(missing_ok=True)
    with platform.db.read() as session:
        finished = session.get(ImportJob, job_id)
        assert finished is not None
        return _job_view(finished)


def _fail(platform: Platform, job_id: int, owner: str, code: str, detail: str) -> None:
    """Fail the job: nothing it staged stays; its report stays."""
    with platform.db.write() as session:
        moved = session.execute(
            update(ImportJob)
            .where(ImportJob.id == job_id, ImportJob.lease_owner == owner)
            .values(
                status=FAILED,
                error_code=code,
                error_detail=detail,
                finished_at=platform.now(),
                lease_owner=None,
                lease_until=None,
            )
        )
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            raise LeaseLost(f"import {job_id} was taken over by another worker")
        session.execute(delete(ImportedReview).where(ImportedReview.job_id == job_id))
    log.warning("import %s failed: %s: %s", job_id, code, detail)


def _finish(platform: Platform, job_id: int, owner: str) -> None:
    """Publish the job's matched reviews and complete it, in one transaction."""
    with platform.db.write() as session:
        job = session.scalars(
            select(ImportJob)
            .where(ImportJob.id == job_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).one()
        if job.lease_owner != owner:
            raise LeaseLost(f"import {job_id} was taken over by another worker")
        # Links made while the job ran apply to what it staged before them.
        linked = apply_links(session, job.shop_id, ImportedReview.job_id == job_id)
        job.imported += linked
        job.unmatched -= linked
        materialise(platform, session, job.shop_id, (ImportedReview.job_id == job_id))
        job.status = COMPLETED
        job.finished_at = platform.now()
        job.lease_owner = None
        job.lease_until = None
        fetch = job.fetch_media
    after_publish(platform, job_id, fetch)


def apply_links(session: Session, shop_id: int, condition: Any) -> int:
    """Match the unmatched reviews under ``condition`` whose external product is linked."""
    link = (
        select(ImportLink.product_id, ImportLink.variant_id)
        .where(
            ImportLink.shop_id == ImportedReview.shop_id,
            ImportLink.source == ImportedReview.source,
            ImportLink.product_key == ImportedReview.product_key,
        )
        .correlate(ImportedReview)
    )
    result = session.execute(
        update(ImportedReview)
        .where(
            ImportedReview.shop_id == shop_id,
            ImportedReview.state == UNMATCHED,
            condition,
            exists(link),
        )
        .values(
            state=MATCHED,
            matched_by="link",
            unmatched_reason=None,
            product_id=link.with_only_columns(ImportLink.product_id).scalar_subquery(),
            variant_id=link.with_only_columns(ImportLink.variant_id).scalar_subquery(),
        )
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def sum_by_product(rows: Iterable[Any]) -> dict[int, RatingSummary]:
    """Per product, the summary of (product, rating, count) rows."""
    sums: dict[int, RatingSummary] = {}
    for product_id, rating, n in rows:
        assert product_id is not None
        histogram = [0, 0, 0, 0, 0]
        histogram[rating - 1] = n
        one = RatingSummary(n, rating * n, tuple(histogram))  # type: ignore[arg-type]
        sums[product_id] = sums.get(product_id, RatingSummary()) + one
    return sums


def _not_yet_reviews(condition: Any) -> Any:
    return and_(
        ImportedReview.state == MATCHED,
        condition,
        ~exists().where(Review.imported_review_id == ImportedReview.id),
    )


def materialise(platform: Platform, session: Session, shop_id: int, condition: Any) -> int:
    """Make the matched imported reviews under ``condition`` reviews, with their counts."""
    pending = and_(ImportedReview.shop_id == shop_id, _not_yet_reviews(condition))
    if platform.settings.imported_count_in_rating:
        deltas = sum_by_product(
            session.execute(
                select(ImportedReview.product_id, ImportedReview.rating, func.count())
                .join(Product, Product.id == ImportedReview.product_id)
                .where(pending, Product.removed_at.is_(None))
                .group_by(ImportedReview.product_id, ImportedReview.rating)
            )
        )
        for product_id in sorted(deltas):
            apply_delta(session, shop_id, product_id, deltas[product_id])
    has_text = func.coalesce(func.length(ImportedReview.body), 0) > 0
    columns = {
        "shop_id": ImportedReview.shop_id,
        "product_id": ImportedReview.product_id,
        "variant_id": ImportedReview.variant_id,
        "imported_review_id": ImportedReview.id,
        "source": ImportedReview.source,
        "status": literal(PUBLISHED),
        "rating": ImportedReview.rating,
        "title": ImportedReview.title,
        "body": ImportedReview.body,
        "public_title": ImportedReview.public_title,
        "public_body": ImportedReview.public_body,
        "language": ImportedReview.language,
        "reviewer_display": ImportedReview.reviewer_display,
        "is_verified": literal(True),
        "is_incentivized": literal(False),
        "has_text": has_text,
        "photo_count": literal(0),
        "video_count": literal(0),
        "helpful_count": literal(0),
        "version": literal(1),
        "created_at": ImportedReview.written_at,
        "published_at": ImportedReview.written_at,
    }
    result = session.execute(
        insert(Review).from_select(list(columns), select(*columns.values()).where(pending))
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def after_publish(platform: Platform, job_id: int, fetch: bool) -> None:
    """Media of the newly published reviews: queued for fetching, or kept as links."""
    if fetch:
        platform.jobs.import_published(job_id)
    else:
        from reviewdesk.services.import_media import keep_media_links

        keep_media_links(platform, job_id)


def unfinished_imports(platform: Platform) -> list[int]:
    """Jobs queued or running (a worker starting up takes them on; leases keep order)."""
    with platform.db.read() as session:
        return list(
            session.scalars(
                select(ImportJob.id)
                .where(ImportJob.status.in_((QUEUED, RUNNING)))
                .order_by(ImportJob.id)
            )
        )


def stalled_imports(platform: Platform) -> list[int]:
    """Jobs no worker is running: queued for over a minute, or running with a lapsed lease."""
    now = platform.now()
    with platform.db.read() as session:
        return list(
            session.scalars(
                select(ImportJob.id)
                .where(
                    (
                        (ImportJob.status == QUEUED)
                        & (ImportJob.created_at < now - timedelta(minutes=1))
                    )
                    | ((ImportJob.status == RUNNING) & (ImportJob.lease_until < now))
                )
                .order_by(ImportJob.id)
            )
        )

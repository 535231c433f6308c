"""Routes: review imports (upload, progress, report), the Matched/Unmatched views, links."""

from __future__ import annotations

import json
from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Query, UploadFile, status
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ValidationError

from reviewdesk.api.auth import PlatformDep, PrincipalDep
from reviewdesk.api.params import RowId
from reviewdesk.errors import InvalidInput
from reviewdesk.services import imported, imports
from reviewdesk.services.catalog import Page
from reviewdesk.services.imported import (
    ExternalProductRef,
    ExternalProductView,
    ImportedReviewView,
    LinkIn,
    LinkView,
)
from reviewdesk.services.imports import ImportJobView, ImportOptions, ImportProblemView, MatchBy

router = APIRouter(tags=["imports"])

Limit = Annotated[int, Query(ge=1, le=1000)]


class Deleted(BaseModel):
    deleted: int


class Unlinked(BaseModel):
    moved_to_unmatched: int


@router.post("/shops/{shop_id}/imports", status_code=status.HTTP_202_ACCEPTED)
def create_import(
    shop_id: RowId,
    platform: PlatformDep,
    principal: PrincipalDep,
    file: Annotated[UploadFile, File(description="the export file (CSV, TSV, JSON lines, XML)")],
    source: Annotated[str, Form(description="judgeme, yotpo, okendo, junip, reviewsio, ...")],
    mapping: Annotated[
        str | None,
        Form(description='JSON object: target field -> header, e.g. {"rating": "Stars"}'),
    ] = None,
    match_by: Annotated[MatchBy, Form()] = "auto",
    id_platform: Annotated[
        str | None, Form(alias="platform", description="whose product ids the file has")
    ] = None,
    day_first: Annotated[bool | None, Form()] = None,
    timezone: Annotated[str, Form()] = "UTC",
    assume_verified: Annotated[bool, Form()] = False,
    fetch_media: Annotated[bool | None, Form()] = None,
) -> ImportJobView:
    """Upload a file of reviews from another platform; the worker imports it.

    The file is checked (type, encoding, columns) before the job is created; follow the
    job's progress at ``GET .../imports/{job_id}``.
    """
    try:
        parsed = json.loads(mapping) if mapping else {}
    except json.JSONDecodeError as error:
        raise InvalidInput("invalid_mapping", f"mapping is not JSON: {error}") from None
    try:
        options = ImportOptions.model_validate(
            {
                "source": source,
                "mapping": parsed,
                "match_by": match_by,
                "platform": id_platform,
                "day_first": day_first,
                "timezone": timezone,
                "assume_verified": assume_verified,
                "fetch_media": fetch_media,
            }
        )
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InvalidInput("invalid_import_options", f"{where}: {first['msg']}") from None
    return imports.create_import(
        platform, principal, shop_id, file.file, file.filename or "upload", options
    )


@router.get("/shops/{shop_id}/imports")
def list_imports(
    shop_id: RowId,
    platform: PlatformDep,
    principal: PrincipalDep,
    cursor: str | None = None,
    limit: Limit = 20,
) -> Page[ImportJobView]:
    """The shop's imports, newest first."""
    return imports.list_imports(platform, principal, shop_id, cursor=cursor, limit=limit)


@router.get("/shops/{shop_id}/imports/{job_id}")
def get_import(
    shop_id: RowId, job_id: RowId, platform: PlatformDep, principal: PrincipalDep
) -> ImportJobView:
    """An import: status, rows done of the total, counts per outcome, notes, error."""
    return imports.get_import(platform, principal, shop_id, job_id)


@router.get("/shops/{shop_id}/imports/{job_id}/problems")
def import_problems(
    shop_id: RowId,
    job_id: RowId,
    platform: PlatformDep,
    principal: PrincipalDep,
    cursor: str | None = None,
    limit: Limit = 100,
) -> Page[ImportProblemView]:
    """The import's skipped and failed rows, with row number and reason."""
    return imports.import_problems(platform, principal, shop_id, job_id, cursor=cursor, limit=limit)


@router.get(
    "/shops/{shop_id}/imports/{job_id}/report.csv",
    response_class=StreamingResponse,
    responses={200: {"description": "The report as CSV", "content": {"text/csv": {}}}},
)
def import_report(
    shop_id: RowId, job_id: RowId, platform: PlatformDep, principal: PrincipalDep
) -> StreamingResponse:
    """The import's report: counts per outcome, then each skipped or failed row."""
    chunks = imports.report_csv(platform, principal, shop_id, job_id)
    return StreamingResponse(
        chunks,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="import-{job_id}-report.csv"'},
    )


@router.get("/shops/{shop_id}/imported-reviews")
def list_imported_reviews(
    shop_id: RowId,
    platform: PlatformDep,
    principal: PrincipalDep,
    state: Literal["matched", "unmatched"] | None = None,
    source: str | None = None,
    product_key: str | None = None,
    job_id: RowId | None = None,
    cursor: str | None = None,
    limit: Limit = 50,
) -> Page[ImportedReviewView]:
    """Imported reviews (Matched, Unmatched or both), by source, external product, import."""
    return imported.list_imported_reviews(
        platform,
        principal,
        shop_id,
        state=state,
        source=source,
        product_key=product_key,
        job_id=job_id,
        cursor=cursor,
        limit=limit,
    )


@router.delete("/shops/{shop_id}/imported-reviews/{imported_review_id}")
def delete_imported_review(
    shop_id: RowId, imported_review_id: RowId, platform: PlatformDep, principal: PrincipalDep
) -> Deleted:
    """Delete one imported review (gone from display and metrics; not re-imported)."""
    count = imported.delete_imported(
        platform, principal, shop_id, imported_review_id=imported_review_id
    )
    return Deleted(deleted=count)


@router.get("/shops/{shop_id}/imported-products")
def list_external_products(
    shop_id: RowId,
    platform: PlatformDep,
    principal: PrincipalDep,
    state: Literal["matched", "unmatched"] = "unmatched",
    source: str | None = None,
    cursor: str | None = None,
    limit: Limit = 50,
) -> Page[ExternalProductView]:
    """Imported reviews grouped by external product, with its identifiers and the reason
    it did not match (the Unmatched view), or the product it matched (Matched)."""
    return imported.list_external_products(
        platform, principal, shop_id, state=state, source=source, cursor=cursor, limit=limit
    )


@router.post("/shops/{shop_id}/imported-products/delete")
def delete_external_product(
    shop_id: RowId, body: ExternalProductRef, platform: PlatformDep, principal: PrincipalDep
) -> Deleted:
    """Delete every imported review of an external product."""
    return Deleted(deleted=imported.delete_imported(platform, principal, shop_id, product=body))


@router.get("/shops/{shop_id}/import-links")
def list_links(shop_id: RowId, platform: PlatformDep, principal: PrincipalDep) -> list[LinkView]:
    """The shop's links of external products to its products."""
    return imported.list_links(platform, principal, shop_id)


@router.post("/shops/{shop_id}/import-links", status_code=status.HTTP_201_CREATED)
def link_product(
    shop_id: RowId, body: LinkIn, platform: PlatformDep, principal: PrincipalDep
) -> LinkView:
    """Link reviews: map an external product to a product of the shop; its unmatched
    reviews move to Matched and show."""
    return imported.link_product(platform, principal, shop_id, body)


@router.delete("/shops/{shop_id}/import-links/{link_id}")
def unlink_product(
    shop_id: RowId, link_id: RowId, platform: PlatformDep, principal: PrincipalDep
) -> Unlinked:
    """Unlink: the link's reviews leave display and go back to Unmatched."""
    return Unlinked(
        moved_to_unmatched=imported.unlink_product(platform, principal, shop_id, link_id)
    )

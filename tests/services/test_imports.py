"""Review imports: outcomes, report, deduplication, matching, links, resume, failure."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import func, select

from builders import World, jpeg_with_gps, refused
from reviewdesk.db.imports import ImportedReview
from reviewdesk.db.reviews import Review
from reviewdesk.domain.principals import OPERATOR
from reviewdesk.services import imported, imports, public
from reviewdesk.services.imported import ExternalProductRef, LinkIn
from reviewdesk.services.imports import ImportOptions
from reviewdesk.services.ratings import check_summaries

HEADER = (
    "id,title,body,rating,review_date,reviewer_name,reviewer_email,product_id,"
    "product_handle,verified,incentivized,picture_urls,reply,reply_date\n"
)
# Row numbers count the records after the header (the spreadsheet row minus one).
ROWS = [
    # 1: matched by Shopify product id (world: linen shirt has shopify_product 7001)
    "r-1,Soft,Lovely linen call me at +62 812 3456 7890,5,2024-03-05 10:00:00 UTC,"
    "Siti Rahma,siti@example.com,7001,,buyer,,,Thanks Siti!,2024-03-06 09:00:00 UTC",
    # 2: matched by handle
    "r-2,Nice scarf,Colours are bright,4,2024-03-06 10:00:00 UTC,Tom Becker,tom@example.com,"
    ",batik-scarf,buyer,,,,",
    # 3: unmatched (nothing of ours has this handle)
    "r-3,Mug,Mug arrived chipped,2,2024-03-07 10:00:00 UTC,An Nguyen,an@example.com,"
    ",mystery-mug,buyer,,,,",
    # 4: unmatched, same external product
    "r-4,Mug again,Second mug fine,4,2024-03-08 10:00:00 UTC,Budi,budi@example.com,"
    ",mystery-mug,buyer,,,,",
    # 5: skipped: not a verified buyer
    "r-5,Hmm,Never bought it,1,2024-03-08 10:00:00 UTC,Troll,t@example.com,7001,,nothing,,,,",
    # 6: skipped: incentivized
    "r-6,Paid,Got it free,5,2024-03-08 10:00:00 UTC,Ann,ann@example.com,7001,,buyer,true,,,",
    # 7: failed: no rating
    "r-7,No stars,Forgot,,2024-03-08 10:00:00 UTC,Ann,ann@example.com,7001,,buyer,,,,",
    # 8: duplicate of row 1 (same review id)
    "r-1,Soft,Lovely linen,5,2024-03-05 10:00:00 UTC,Siti Rahma,siti@example.com,7001,,buyer,,,,",
]


def csv_file(rows: list[str] = ROWS) -> io.BytesIO:
    return io.BytesIO((HEADER + "\n".join(rows) + "\n").encode("utf-8"))


def run(world: World, data: io.BytesIO, **options: object) -> imports.ImportJobView:
    return imports.create_import(
        world.platform,
        world.seller_a.principal,
        world.shop_a,
        data,
        "judgeme.csv",
        ImportOptions.model_validate({"source": "judgeme", "fetch_media": False, **options}),
    )


def live_imported(world: World) -> int:
    with world.platform.db.read() as session:
        return session.scalar(
            select(func.count())
            .select_from(Review)
            .where(Review.source == "judgeme", Review.status == "published")
        )


def test_an_import_reports_every_outcome_and_publishes_the_matched_reviews(world: World) -> None:
    job = run(world, csv_file())
    assert job.status == "completed"
    assert job.counts.model_dump() == {
        "imported": 2,
        "unmatched": 2,
        "duplicates": 1,
        "skipped": 2,
        "failed": 1,
    }
    assert (job.rows_done, job.progress) == (8, 1.0)
    problems = imports.import_problems(
        world.platform, world.seller_a.principal, world.shop_a, job.id
    ).items
    assert [(p.row_number, p.outcome, p.code) for p in problems] == [
        (5, "skipped", "not_verified"),
        (6, "skipped", "incentivized"),
        (7, "failed", "missing_rating"),
    ]
    report = b"".join(
        imports.report_csv(world.platform, world.seller_a.principal, world.shop_a, job.id)
    ).decode("utf-8-sig")
    assert "5,skipped,not_verified,verified," in report
    assert "7,failed,missing_rating,rating," in report

    shirt = public.product_summary(world.platform, "batik-house", "linen-shirt")
    assert (shirt.rating.count, shirt.rating.histogram["5"]) == (1, 1)
    page = public.list_product_reviews(world.platform, "batik-house", "linen-shirt")
    imported = [r for r in page.items if r.source == "Judge.me"]
    assert len(imported) == 1
    review = imported[0]
    assert review.labels[-1] == "Review from Judge.me"
    assert review.reviewer == "s***i"
    assert "+62" not in (review.text or "") and "[phone]" in (review.text or "")
    assert review.published_at.year == 2024
    assert check_summaries(world.platform, OPERATOR) == []


def test_the_same_file_twice_creates_nothing(world: World) -> None:
    run(world, csv_file())
    before = live_imported(world)
    again = run(world, csv_file())
    assert again.counts.imported == 0 and again.counts.unmatched == 0
    assert again.counts.duplicates == 5
    assert live_imported(world) == before == 2


def test_rows_without_an_id_are_deduplicated_by_content(world: World) -> None:
    rows = [",".join(["", *r.split(",")[1:]]) for r in ROWS[:2]]
    first = run(world, csv_file(rows))
    assert first.counts.imported == 2
    # Re-saved by a spreadsheet: CRLF line ends, trailing blanks in a cell.
    resaved = (HEADER + "\r\n".join(r.replace("Soft,", "Soft  ,") for r in rows)).encode()
    second = run(world, io.BytesIO(resaved))
    assert second.counts.duplicates == 2 and second.counts.imported == 0


def test_unmatched_reviews_are_grouped_and_a_link_publishes_them(world: World) -> None:
    seller = world.seller_a.principal
    run(world, csv_file())
    groups = imported.list_external_products(world.platform, seller, world.shop_a).items
    assert [(g.product_key, g.review_count, g.handle) for g in groups] == [
        ("handle:mystery-mug", 2, "mystery-mug")
    ]
    assert "mystery-mug" in (groups[0].unmatched_reason or "")
    before = public.product_summary(world.platform, "batik-house", "batik-scarf").rating.count

    link = imported.link_product(
        world.platform,
        seller,
        world.shop_a,
        LinkIn(source="judgeme", product_key="handle:mystery-mug", product_id=world.product_a2),
    )
    assert link.reviews_matched == 2
    after = public.product_summary(world.platform, "batik-house", "batik-scarf").rating
    assert after.count == before + 2
    assert imported.list_external_products(world.platform, seller, world.shop_a).items == []
    matched = imported.list_external_products(
        world.platform, seller, world.shop_a, state="matched"
    ).items
    assert {g.product_key for g in matched} >= {"handle:mystery-mug"}
    assert check_summaries(world.platform, OPERATOR) == []

    # Linking elsewhere is refused while linked; unlinking takes the reviews back.
    refused(
        "already_linked",
        imported.link_product,
        world.platform,
        seller,
        world.shop_a,
        LinkIn(source="judgeme", product_key="handle:mystery-mug", product_id=world.product_a),
    )
    moved = imported.unlink_product(world.platform, seller, world.shop_a, link.id)
    assert moved == 2
    back = public.product_summary(world.platform, "batik-house", "batik-scarf").rating
    assert back.count == before
    assert check_summaries(world.platform, OPERATOR) == []

    # A later import of the same external product follows a link made before it.
    imported.link_product(
        world.platform,
        seller,
        world.shop_a,
        LinkIn(source="judgeme", product_key="handle:mystery-mug", product_id=world.product_a2),
    )
    more = run(
        world,
        csv_file(
            [
                "r-9,Third mug,Good mug,5,2024-03-09 10:00:00 UTC,Eko,eko@example.com,"
                ",mystery-mug,buyer,,,,"
            ]
        ),
    )
    assert more.counts.imported == 1 and more.counts.unmatched == 0


def test_deleting_imported_reviews_removes_them_from_display_and_metrics(world: World) -> None:
    seller = world.seller_a.principal
    run(world, csv_file())
    before = public.product_summary(world.platform, "batik-house", "linen-shirt").rating.count
    deleted = imported.delete_imported(
        world.platform,
        seller,
        world.shop_a,
        product=ExternalProductRef(source="judgeme", product_key="product:7001"),
    )
    assert deleted == 1
    after = public.product_summary(world.platform, "batik-house", "linen-shirt").rating.count
    assert after == before - 1
    assert check_summaries(world.platform, OPERATOR) == []
    # Deleted stays deleted: the same file again does not bring it back.
    run(world, csv_file())
    assert (
        public.product_summary(world.platform, "batik-house", "linen-shirt").rating.count == after
    )


def test_a_foreign_seller_cannot_import_into_or_read_a_shop(world: World) -> None:
    job = run(world, csv_file())
    foreign = world.seller_b.principal
    refused(
        "not_your_shop",
        imports.create_import,
        world.platform,
        foreign,
        world.shop_a,
        csv_file(),
        "x.csv",
        ImportOptions(source="judgeme"),
    )
    refused("not_your_shop", imports.get_import, world.platform, foreign, world.shop_a, job.id)
    # A job id of shop A asked through shop B (which B may manage) is not found.
    refused("import_not_found", imports.get_import, world.platform, foreign, world.shop_b, job.id)
    refused(
        "not_your_shop",
        imported.list_imported_reviews,
        world.platform,
        foreign,
        world.shop_a,
    )


def test_a_file_without_a_verified_column_needs_the_sellers_word(world: World) -> None:
    header = "title,body,rating,review_date,reviewer_name,product_handle\n"
    data = header + "Ok,Fine scarf,4,2024-03-06,Tom,batik-scarf\n"
    refused("verified_unknown", run, world, io.BytesIO(data.encode()))
    job = run(world, io.BytesIO(data.encode()), assume_verified=True)
    assert job.counts.imported == 1
    assert any("assume_verified" in note for note in job.notes)


def test_an_interrupted_import_resumes_without_duplicates_or_losses(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    platform = world.platform
    monkeypatch.setattr(platform.settings, "import_batch_rows", 10)
    rows = [
        f"k-{i},Title {i},Body number {i},{1 + i % 5},2024-03-05 10:00:00 UTC,"
        f"Name {i},n{i}@example.com,7001,,buyer,,,,"
        for i in range(95)
    ]
    calls = []

    def crash_after_three_batches(done: int, total: int | None) -> None:
        calls.append(done)
        if len(calls) == 4:
            raise KeyboardInterrupt  # the worker dies here

    # Queue the job without running it, then run it by hand and "kill" it.
    monkeypatch.setattr(platform.jobs, "import_created", lambda job_id: None)
    job = run(world, csv_file(rows))
    with pytest.raises(KeyboardInterrupt):
        imports.run_import(platform, job.id, progress=crash_after_three_batches)
    stuck = imports.get_import(platform, world.seller_a.principal, world.shop_a, job.id)
    assert (stuck.status, stuck.rows_done, stuck.counts.imported) == ("running", 30, 30)
    assert live_imported(world) == 0  # nothing shows before the import completes

    # A second worker is kept off while the first one's lease runs...
    assert isinstance(imports.run_import(platform, job.id), float)
    # ...and takes the job over once it lapses.
    later = platform.now() + timedelta(seconds=platform.settings.import_lease_seconds + 1)
    monkeypatch.setattr(platform, "now", lambda: later)
    done = imports.run_import(platform, job.id)
    assert isinstance(done, imports.ImportJobView)
    assert (done.status, done.rows_done, done.counts.imported) == ("completed", 95, 95)
    assert live_imported(world) == 95
    with platform.db.read() as session:
        assert session.scalar(select(func.count()).select_from(ImportedReview)) == 95
    assert check_summaries(platform, OPERATOR) == []


def rows_around(bad: str, before: int = 30, after: int = 10) -> bytes:
    rows = [
        f"u-{i},T,Body {i},5,2024-03-05 10:00:00 UTC,N,n@example.com,7001,,buyer,,,,"
        for i in range(before + after)
    ]
    return (HEADER + "\n".join([*rows[:before], bad, *rows[before:]]) + "\n").encode()


def test_a_bad_row_never_aborts_an_import(world: World) -> None:
    data = rows_around("u-x,T,Body,5,the 5th of Smarch,N,n@example.com,7001,,buyer,,,,")
    job = run(world, io.BytesIO(data))
    assert job.status == "completed"
    assert (job.counts.imported, job.counts.failed) == (40, 1)
    problems = imports.import_problems(
        world.platform, world.seller_a.principal, world.shop_a, job.id
    ).items
    assert [(p.row_number, p.code) for p in problems] == [(31, "invalid_date")]


def test_a_file_unreadable_half_way_fails_with_nothing_half_written(world: World) -> None:
    # A cell beyond the field limit makes the rest of the file unreadable. Near the top,
    # it is found when the file is checked, and nothing is created at all:
    huge = "u-x,T," + "x" * 200_000 + ",5,2024-03-05,N,n@example.com,7001,,buyer,,,,"
    refused("field_too_large", run, world, io.BytesIO(rows_around(huge)))
    assert list(Path(world.platform.settings.import_dir).glob("*")) == []
    # Further down (past the rows read up-front), the job fails when it gets there.
    world.platform.settings.import_batch_rows = 1000
    job = run(world, io.BytesIO(rows_around(huge, before=5_200)))
    assert job.status == "failed"
    assert job.error is not None and job.error.code == "field_too_large"
    assert live_imported(world) == 0
    with world.platform.db.read() as session:
        assert session.scalar(select(func.count()).select_from(ImportedReview)) == 0
    assert check_summaries(world.platform, OPERATOR) == []


def test_the_upload_is_removed_once_the_import_is_done(world: World) -> None:
    run(world, csv_file())
    assert list(Path(world.platform.settings.import_dir).glob("*.upload")) == []


def media_row(urls: str) -> str:
    return (
        "m-1,Photos,See the pictures,5,2024-03-05 10:00:00 UTC,Siti,s@example.com,7001,,"
        f'buyer,,"{urls}",,'
    )


def test_media_urls_are_kept_as_links_when_fetching_is_off(world: World) -> None:
    urls = "https://cdn.example.com/r/a.jpg,https://cdn.example.com/r/b.mp4"
    run(world, csv_file([media_row(urls)]), fetch_media=False)
    page = public.list_product_reviews(
        world.platform, "batik-house", "linen-shirt", filters=public.ReviewFilters(with_media=True)
    )
    (review,) = page.items
    assert [(m.kind, m.url, m.thumbnail_url) for m in review.media] == [
        ("photo", "https://cdn.example.com/r/a.jpg", None),
        ("video", "https://cdn.example.com/r/b.mp4", None),
    ]
    refused(
        "media_not_stored",
        public.public_media,
        world.platform,
        review.media[0].id,
        thumbnail=False,
    )


@pytest.fixture
def media_server() -> Iterator[tuple[str, list[str]]]:
    """A real HTTP server on 127.0.0.1 with one photo; it records each path asked for."""
    photo = jpeg_with_gps()
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            asked.append(self.path)
            if self.path == "/photo.jpg":
                self.send_response(200)
                self.send_header("Content-Type", "image/jpeg")
                self.send_header("Content-Length", str(len(photo)))
                self.end_headers()
                self.wfile.write(photo)
            else:
                self.send_error(404)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", asked
    server.shutdown()
    server.server_close()


def test_media_urls_are_fetched_and_a_failed_fetch_keeps_the_link(
    world: World, media_server: tuple[str, list[str]]
) -> None:
    base, asked = media_server
    world.platform.settings.import_media_allow_private = True  # the server is on loopback
    urls = f"{base}/photo.jpg,{base}/gone.jpg,http://169.254.169.254/latest/meta-data.jpg"
    job = run(world, csv_file([media_row(urls)]), fetch_media=True)
    assert job.counts.imported == 1
    (review,) = public.list_product_reviews(world.platform, "batik-house", "linen-shirt").items
    stored, gone, metadata = review.media
    assert stored.url == f"/media/{stored.id}" and stored.thumbnail_url is not None
    assert (stored.width, stored.height) != (None, None)
    key, mime = public.public_media(world.platform, stored.id, thumbnail=False)
    assert mime == "image/jpeg"
    assert b"GPS" not in world.platform.storage.get(key)  # location stripped as for uploads
    assert gone.url == f"{base}/gone.jpg"  # 404: kept as a link, the review is fine
    assert metadata.url.startswith("http://169.254.169.254/")  # never requested
    assert asked == ["/photo.jpg", "/gone.jpg"]


def test_private_addresses_are_not_fetched_by_default(
    world: World, media_server: tuple[str, list[str]]
) -> None:
    base, asked = media_server
    run(world, csv_file([media_row(f"{base}/photo.jpg")]), fetch_media=True)
    (review,) = public.list_product_reviews(world.platform, "batik-house", "linen-shirt").items
    assert [m.url for m in review.media] == [f"{base}/photo.jpg"]
    assert asked == []


FIXTURES = Path(__file__).parent.parent / "integrations" / "importers" / "fixtures"
# file -> (source, mapping); files without a verified column need the seller's word.
FIXTURE_SOURCES = {
    "judgeme.csv": ("judgeme", {}),
    "yotpo.csv": ("yotpo", {}),
    "okendo.csv": ("okendo", {}),
    "junip.tsv": ("junip", {}),
    "reviewsio.csv": ("reviewsio", {}),
    "loox.csv": ("loox", {}),
    "stamped.csv": ("stamped", {}),
    "shopify.csv": ("shopify", {}),
    "trustpilot.csv": ("trustpilot", {}),
    "google_feed.xml": ("google", {}),
    "generic.csv": (
        "csv",
        {
            "rating": "Stars",
            "body": "Comment",
            "created_at": "Posted",
            "sku": "Item SKU",
            "reviewer_name": "Customer",
            "media_urls": "Photos",
            "external_review_id": "Ref",
        },
    ),
    "generic.jsonl": (
        "jsonl",
        {"sku": "product.sku", "gtin": "product.gtin", "media_urls": "media"},
    ),
}


def test_every_fixture_file_is_accounted_for() -> None:
    assert sorted(FIXTURE_SOURCES) == sorted(p.name for p in FIXTURES.iterdir())


@pytest.mark.parametrize("name", sorted(FIXTURE_SOURCES))
def test_each_apps_export_imports_with_every_row_accounted_for(world: World, name: str) -> None:
    source, mapping = FIXTURE_SOURCES[name]
    job = imports.create_import(
        world.platform,
        world.seller_a.principal,
        world.shop_a,
        io.BytesIO((FIXTURES / name).read_bytes()),
        name,
        ImportOptions(source=source, mapping=mapping, fetch_media=False, assume_verified=True),
    )
    assert job.status == "completed", job.error
    counts = job.counts
    reported = imports.import_problems(
        world.platform, world.seller_a.principal, world.shop_a, job.id
    ).items
    assert len(reported) == counts.skipped + counts.failed
    kept = imported.list_imported_reviews(
        world.platform, world.seller_a.principal, world.shop_a, job_id=job.id
    ).items
    assert len(kept) == counts.imported + counts.unmatched > 0
    # Every row of the file has exactly one outcome (a blank line is none).
    assert (
        counts.imported + counts.unmatched + counts.duplicates + counts.skipped + (counts.failed)
        <= job.rows_done
    )
    assert check_summaries(world.platform, OPERATOR) == []

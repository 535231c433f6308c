"""Round trip: a shop's Google product review feed, imported into another shop, gives the
same reviews (rating, title, text, date, reviewer as shown, product by GTIN)."""

from __future__ import annotations

import io

from builders import World
from reviewdesk.domain.principals import OPERATOR
from reviewdesk.services import catalog, exports, imported, imports, public, reviews
from reviewdesk.services.catalog import CodeIn, ProductIn, VariantIn
from reviewdesk.services.imports import ImportOptions


def test_google_feed_exported_then_imported_gives_the_same_reviews(world: World) -> None:
    platform = world.platform
    reviews.submit_review(
        platform,
        world.buyer_x.principal,
        order_line_id=world.lines["seed-x"],
        rating=4,
        title="Soft & cool",
        text='Breathes well in Jakarta heat <3\nSecond line, with "quotes".',
    )
    reviews.submit_review(
        platform,
        world.buyer_y.principal,
        order_line_id=world.lines["seed-y"],
        rating=2,
        text="Áo bị co sau khi giặt, hơi thất vọng 😕",
    )
    feed = io.BytesIO()
    assert exports.export_reviews(platform, OPERATOR, world.shop_a, "google", feed) == 2

    seller_id = catalog.get_shop(platform, OPERATOR, world.shop_a).seller_id
    mirror = catalog.create_shop(
        platform, OPERATOR, seller_id=seller_id, slug="batik-mirror", name="Batik Mirror"
    )
    catalog.create_product(
        platform,
        OPERATOR,
        mirror.id,
        ProductIn(
            handle="linen-shirt-2",
            title="Linen shirt (mirror)",
            codes=[CodeIn(value="4006381333931")],
            variants=[VariantIn(sku="M-LS", title="M")],
        ),
    )
    feed.seek(0)
    job = imports.create_import(
        platform,
        world.seller_a.principal,
        mirror.id,
        feed,
        "feed.xml",
        ImportOptions(source="google", fetch_media=False),
    )
    assert job.status == "completed", job.error
    assert (job.counts.imported, job.counts.unmatched, job.counts.skipped) == (2, 0, 0)

    def shown(slug: str, handle: str) -> list[tuple[object, ...]]:
        page = public.list_product_reviews(platform, slug, handle)
        return sorted(
            # The feed's timestamps are to the second.
            (r.rating, r.title, r.text, r.published_at.replace(microsecond=0), r.reviewer)
            for r in page.items
        )

    assert shown("batik-mirror", "linen-shirt-2") == shown("batik-house", "linen-shirt")
    mirrored = public.product_summary(platform, "batik-mirror", "linen-shirt-2").rating
    original = public.product_summary(platform, "batik-house", "linen-shirt").rating
    assert mirrored == original
    matched = imported.list_imported_reviews(
        platform, world.seller_a.principal, mirror.id, state="matched"
    ).items
    assert {r.matched_by for r in matched} == {"gtin"}

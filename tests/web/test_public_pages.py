"""The public pages: shops, a shop's profile, the product page's review widget, media."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlsplit

from PIL import Image
from web_flow import jsonld_of, links, review_ids_in, seed_reviews

from builders import World, jpeg_with_gps
from reviewdesk.domain.principals import OPERATOR
from reviewdesk.services import catalog, public, reviews
from reviewdesk.services.catalog import ProductIn
from reviewdesk.services.reviews import MediaUpload

PRODUCT = "/shops/batik-house/products/linen-shirt"


def test_home_lists_shops_with_ratings_and_links_to_product_pages(world: World, client) -> None:
    """Every shop, its rating, its first products; more products on the shop's page."""
    seed_reviews(world, [5, 3])
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Batik House" in page.text and "Northwind Apparel" in page.text
    targets = links(page.text)
    assert PRODUCT in targets
    assert "/shops/batik-house/products/batik-scarf" in targets
    assert "/shops/northwind-apparel/products/rain-jacket" in targets
    assert "Rated 4.0 out of 5 stars" in page.text and "(2 ratings)" in page.text

    for n in range(12):
        catalog.create_product(
            world.platform,
            OPERATOR,
            world.shop_b,
            ProductIn(handle=f"sock-{n:02d}", title=f"Sock {n:02d}"),
        )
    page = client.get("/")
    more = [t for t in links(page.text) if t.startswith("/shops/northwind-apparel?products=")]
    assert len(more) == 1
    shop_page = client.get(more[0])
    assert shop_page.status_code == 200
    assert "/shops/northwind-apparel/products/sock-11" in links(shop_page.text)
    assert "/shops/northwind-apparel/products/rain-jacket" not in links(shop_page.text)


def test_shop_profile_shows_summary_histogram_products_and_recent_reviews(
    world: World, client
) -> None:
    """The shop's profile."""
    seed_reviews(world, [5, 4, 4, 1])
    page = client.get("/shops/batik-house")
    assert page.status_code == 200
    assert "Average rating 3.5 out of 5 stars" in page.text
    assert "4 stars: 2 reviews (50%)" in page.text and "1 stars: 1 review (25%)" in page.text
    assert PRODUCT in links(page.text)
    assert len(review_ids_in(page.text)) == 4
    assert 'on <a href="/shops/batik-house/products/linen-shirt">Linen shirt</a>' in page.text


def test_product_page_shows_summary_histogram_reviews_labels_and_media(
    world: World, client
) -> None:
    """The review widget's content."""
    ids = seed_reviews(world, [5, 4, 4, 2])
    page = client.get(PRODUCT)
    assert page.status_code == 200
    text = page.text
    assert "<h1>Linen shirt</h1>" in text and "Batik House" in text
    assert "Average rating 3.8 out of 5 stars" in text and "4 ratings" in text
    assert "2 stars: 1 review (25%)" in text
    assert review_ids_in(text) == list(reversed(ids))
    assert "Verified purchase" in text and "x***a" in text
    assert "Review 0" in text and "Text of review 0 with 5 stars." in text
    # Clicking a bar filters by those stars.
    assert f"{PRODUCT}?stars=4#reviews" in links(text)
    assert "Edited" not in text

    reviews.edit_review(world.platform, world.buyer_x.principal, ids[0], rating=3)
    view = reviews.add_media(
        world.platform, world.buyer_x.principal, ids[0], [MediaUpload(jpeg_with_gps(), "p.jpg")]
    )
    page = client.get(PRODUCT)
    assert '<span class="edited">Edited</span>' in page.text
    media = view.media[0]
    assert f'href="/media/{media.id}"' in page.text
    assert f'src="/media/{media.id}/thumbnail"' in page.text


def test_filters_keep_only_matching_reviews(world: World, client) -> None:
    """Stars (one or several), text, verified, imported, incentivized, media."""
    ids = seed_reviews(world, [5, 4, 3, 4, 1])
    page = client.get(PRODUCT, params={"stars": "4"})
    assert review_ids_in(page.text) == [ids[3], ids[1]]
    assert 'aria-current="true"' in page.text
    both = client.get(PRODUCT, params=[("stars", "1"), ("stars", "5")])
    assert sorted(review_ids_in(both.text)) == sorted([ids[0], ids[4]])
    # Reviews 0, 2 and 4 have text.
    with_text = client.get(PRODUCT, params={"with_text": "true"})
    assert review_ids_in(with_text.text) == [ids[4], ids[2], ids[0]]
    without_text = client.get(PRODUCT, params={"with_text": "false"})
    assert review_ids_in(without_text.text) == [ids[3], ids[1]]
    assert len(review_ids_in(client.get(PRODUCT, params={"verified": "true"}).text)) == 5
    assert len(review_ids_in(client.get(PRODUCT, params={"incentivized": "false"}).text)) == 5
    imported = client.get(PRODUCT, params={"imported": "true"})
    assert review_ids_in(imported.text) == [] and "No reviews match these filters." in imported.text
    reviews.add_media(
        world.platform, world.buyer_x.principal, ids[1], [MediaUpload(jpeg_with_gps(), "a.jpg")]
    )
    assert review_ids_in(client.get(PRODUCT, params={"with_media": "true"}).text) == [ids[1]]


def test_sort_orders_by_rating_and_helpfulness(world: World, client) -> None:
    """Highest, lowest, most helpful."""
    ids = seed_reviews(world, [3, 5, 1])
    reviews.vote_helpful(world.platform, world.buyer_y.principal, ids[0])
    highest = review_ids_in(client.get(PRODUCT, params={"sort": "highest"}).text)
    lowest = review_ids_in(client.get(PRODUCT, params={"sort": "lowest"}).text)
    helpful = review_ids_in(client.get(PRODUCT, params={"sort": "most_helpful"}).text)
    assert highest == [ids[1], ids[0], ids[2]]
    assert lowest == [ids[2], ids[0], ids[1]]
    assert helpful[0] == ids[0]


def test_next_page_link_carries_cursor_and_filters(world: World, client) -> None:
    """Keyset pagination through the filtered list."""
    world.platform.settings.page_size = 2
    ids = seed_reviews(world, [4, 4, 5, 4, 4, 4])
    fours = [i for i, r in zip(ids, [4, 4, 5, 4, 4, 4], strict=True) if r == 4]
    seen: list[int] = []
    url = f"{PRODUCT}?stars=4&verified=true&sort=lowest"
    for _ in range(5):
        page = client.get(url)
        assert page.status_code == 200
        seen += review_ids_in(page.text)
        nexts = [t for t in links(page.text) if "cursor=" in t and 'rel="next"' in page.text]
        if not nexts:
            break
        url = nexts[-1].split("#")[0]
        query = parse_qs(urlsplit(url).query)
        assert query["stars"] == ["4"] and query["verified"] == ["true"]
        assert query["sort"] == ["lowest"]
    assert seen == sorted(fours, reverse=True)


def test_jsonld_parses_matches_the_summary_and_escapes_script_ends(world: World, client) -> None:
    """schema.org Product + AggregateRating + Review."""
    page = client.get("/shops/batik-house/products/batik-scarf")
    data = jsonld_of(page.text)
    assert "aggregateRating" not in data and "review" not in data and "gtin14" not in data
    assert "No reviews yet." in page.text
    seed_reviews(world, [5, 4, 4])
    page = client.get(PRODUCT)
    data = jsonld_of(page.text)
    summary = public.product_summary(world.platform, "batik-house", "linen-shirt")
    assert data["@type"] == "Product" and data["name"] == "Linen shirt"
    assert data["gtin14"] == "04006381333931"
    assert data["brand"] == {"@type": "Brand", "name": "Batik House"}
    rating = data["aggregateRating"]
    assert rating["@type"] == "AggregateRating"
    assert float(rating["ratingValue"]) == summary.rating.average == 4.3
    assert rating["reviewCount"] == summary.rating.count == 3
    assert (rating["bestRating"], rating["worstRating"]) == (5, 1)
    assert len(data["review"]) == 3
    first = data["review"][0]
    assert first["@type"] == "Review" and first["author"]["name"] == "x***a"
    assert first["reviewRating"]["ratingValue"] == 4
    assert first["datePublished"][:4].isdigit()
    assert data["review"][2]["reviewBody"] == "Text of review 0 with 5 stars."
    line = world.deliver("evil", "x", world.product_a)
    hostile = 'Great </script><script>alert("x")</script> & <!-- shirt'
    reviews.submit_review(
        world.platform, world.buyer_x.principal, order_line_id=line, rating=5, text=hostile
    )
    page = client.get(PRODUCT)
    assert "<script>alert" not in page.text
    assert jsonld_of(page.text)["review"][0]["reviewBody"] == hostile
    assert "&lt;/script&gt;&lt;script&gt;alert" in page.text


def test_unknown_pages_are_friendly_404s_and_odd_queries_are_ignored(world: World, client) -> None:
    """No error documents on pages."""
    for url in ("/shops/nowhere", "/shops/nowhere/products/x", "/shops/batik-house/products/x"):
        page = client.get(url)
        assert page.status_code == 404, url
        assert page.headers["content-type"].startswith("text/html")
        assert "We could not find that page" in page.text
    seed_reviews(world, [5])
    page = client.get(PRODUCT, params={"stars": "9", "sort": "random", "verified": "maybe"})
    assert page.status_code == 200 and len(review_ids_in(page.text)) == 1
    stale = client.get(PRODUCT, params={"cursor": "not-a-cursor"})
    assert stale.status_code == 200 and "out of date" in stale.text


def test_media_is_served_with_type_nosniff_long_cache_and_404_when_not_public(
    world: World, client
) -> None:
    """/media/{id} and its thumbnail."""
    (rid,) = seed_reviews(world, [5])
    view = reviews.add_media(
        world.platform, world.buyer_x.principal, rid, [MediaUpload(jpeg_with_gps(), "a.jpg")]
    )
    media_id = view.media[0].id
    full = client.get(f"/media/{media_id}")
    assert full.status_code == 200 and full.headers["content-type"] == "image/jpeg"
    assert full.headers["x-content-type-options"] == "nosniff"
    assert "max-age=31536000" in full.headers["cache-control"]
    image = Image.open(io.BytesIO(full.content))
    assert image.size == (640, 480) and not image.getexif().get_ifd(0x8825)
    thumb = client.get(f"/media/{media_id}/thumbnail")
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/jpeg"
    assert max(Image.open(io.BytesIO(thumb.content)).size) < 640

    reviews.delete_review(world.platform, world.buyer_x.principal, rid)
    for url in (
        f"/media/{media_id}",
        f"/media/{media_id}/thumbnail",
        "/media/999999",
        "/media/abc",
    ):
        gone = client.get(url)
        assert gone.status_code == 404 and "text/html" in gone.headers["content-type"], url


def test_public_pages_never_show_personal_data_and_send_security_headers(
    world: World, client
) -> None:
    """No buyer e-mail, phone, name or address."""
    seed_reviews(world, [5, 2])
    seed_reviews(world, [4], buyer="y")
    secrets = [
        value
        for buyer in world.buyers.values()
        for value in (buyer.email, buyer.full_name, buyer.phone, buyer.address)
        if value
    ]
    secrets += [name.split()[0] for name in (b.full_name for b in world.buyers.values()) if name]
    for url in ("/", "/shops/batik-house", PRODUCT, f"{PRODUCT}?sort=highest"):
        page = client.get(url).text
        for secret in secrets:
            assert secret not in page, (url, secret)
    page = client.get(PRODUCT)
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"

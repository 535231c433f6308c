"""The database layer: prepared reads on the driver, their memory bound, transactions."""

from __future__ import annotations

import pytest
from sqlalchemy import bindparam, literal, select

from reviewdesk.db.catalog import Shop
from reviewdesk.db.engine import _MAX_PREPARED, Database
from reviewdesk.domain.principals import OPERATOR
from reviewdesk.services import catalog
from reviewdesk.services.platform import Platform


def test_prepared_reads_bind_values_and_return_rows(platform: Platform) -> None:
    seller = catalog.create_seller(platform, OPERATOR, name="S")
    catalog.create_shop(platform, OPERATOR, seller_id=seller.id, slug="one", name="One")
    rows = platform.db.fetch_prepared(
        "shop_by_slug",
        lambda: select(Shop.id, Shop.name).where(Shop.slug == bindparam("slug")),
        {"slug": "one"},
    )
    assert [tuple(r)[1] for r in rows] == ["One"]
    assert platform.db.fetch_prepared("shop_by_slug", lambda: select(Shop.id), {"slug": "x"}) == []


def test_prepared_shapes_are_bounded(platform: Platform) -> None:
    db: Database = platform.db
    for n in range(_MAX_PREPARED + 50):
        db.fetch_prepared(("shape", n), lambda n=n: select(literal(n)), {})  # type: ignore[misc]
    assert len(db._prepared) <= _MAX_PREPARED


def test_a_failed_prepared_read_does_not_poison_the_read_pool(platform: Platform) -> None:
    db = platform.db
    # The driver refuses the value: the connection it used must not come back broken.
    with pytest.raises(Exception):  # noqa: B017 - any driver error will do
        db.fetch_prepared(
            "broken",
            lambda: select(Shop.id).where(Shop.slug == bindparam("slug")),
            {"slug": object()},
        )
    assert db.fetch_prepared("ok", lambda: select(literal(1)), {}) == [(1,)]

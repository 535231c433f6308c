"""Test data built through the services, the way real callers build it."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image

from reviewdesk.domain.principals import OPERATOR, Principal, Role
from reviewdesk.errors import ReviewdeskError
from reviewdesk.services import access, catalog, orders
from reviewdesk.services.catalog import CodeIn, ProductIn, VariantIn
from reviewdesk.services.orders import BuyerIn, OrderEventIn, OrderIn, OrderLineIn
from reviewdesk.services.platform import Platform


def refused(code: str, call, *args, **kwargs) -> ReviewdeskError:  # type: ignore[no-untyped-def]
    """The error ``call`` raises, which must carry ``code``."""
    with pytest.raises(ReviewdeskError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value.detail
    return caught.value


def now() -> datetime:
    return datetime.now(UTC)


def order_in(
    external_id: str,
    buyer: BuyerIn,
    lines: list[OrderLineIn],
    *,
    placed_days_ago: float = 10,
    delivered_days_ago: float | None = 5,
    shipped: bool = True,
) -> OrderIn:
    placed = now() - timedelta(days=placed_days_ago)
    events = []
    if shipped:
        events.append(OrderEventIn(status="shipped", occurred_at=placed + timedelta(hours=6)))
    if delivered_days_ago is not None:
        events.append(
            OrderEventIn(status="delivered", occurred_at=now() - timedelta(days=delivered_days_ago))
        )
    return OrderIn(
        external_id=external_id, buyer=buyer, placed_at=placed, lines=lines, events=events
    )


@dataclass
class Actor:
    principal: Principal
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class World:
    platform: Platform
    operator: Actor
    seller_a: Actor
    seller_b: Actor
    buyer_x: Actor
    buyer_y: Actor
    shop_a: int
    shop_b: int
    product_a: int
    product_a2: int
    product_b: int
    moderator: Actor
    handle_a: str = "linen-shirt"
    lines: dict[str, int] = field(default_factory=dict)
    orders: dict[str, int] = field(default_factory=dict)
    buyers: dict[str, BuyerIn] = field(default_factory=dict)

    def deliver(
        self,
        name: str,
        buyer: str,
        product_id: int,
        shop: int | None = None,
        *,
        delivered_days_ago: float | None = 5,
        placed_days_ago: float = 10,
    ) -> int:
        """Feed an order of one line and return the line id."""
        fed = orders.feed_order(
            self.platform,
            OPERATOR,
            shop or self.shop_a,
            order_in(
                name,
                self.buyers[buyer],
                [OrderLineIn(external_id=f"{name}-1", product_id=product_id)],
                delivered_days_ago=delivered_days_ago,
                placed_days_ago=placed_days_ago,
            ),
        )
        self.orders[name] = fed.order.id
        self.lines[name] = fed.order.lines[0].id
        return fed.order.lines[0].id


def _token(platform: Platform, role: Role, **owner: int) -> Actor:
    plain, row = access.create_token(platform, OPERATOR, role=role, **owner)
    return Actor(Principal(role, row.seller_id, row.buyer_id, row.id), plain)


def build_world(platform: Platform) -> World:
    seller_a = catalog.create_seller(platform, OPERATOR, name="Nusantara Goods")
    seller_b = catalog.create_seller(platform, OPERATOR, name="Northwind Outfitters")
    shop_a = catalog.create_shop(
        platform, OPERATOR, seller_id=seller_a.id, slug="batik-house", name="Batik House"
    )
    shop_b = catalog.create_shop(
        platform,
        OPERATOR,
        seller_id=seller_b.id,
        slug="northwind-apparel",
        name="Northwind Apparel",
    )
    p_a = catalog.create_product(
        platform,
        OPERATOR,
        shop_a.id,
        ProductIn(
            handle="linen-shirt",
            title="Linen shirt",
            brand="Batik House",
            codes=[CodeIn(value="4006381333931")],
            external_ids={"shopify_product": "7001"},
            variants=[VariantIn(sku="LS-M", title="M"), VariantIn(sku="LS-L", title="L")],
        ),
    )
    p_a2 = catalog.create_product(
        platform, OPERATOR, shop_a.id, ProductIn(handle="batik-scarf", title="Batik scarf")
    )
    p_b = catalog.create_product(
        platform, OPERATOR, shop_b.id, ProductIn(handle="rain-jacket", title="Rain jacket")
    )
    buyers = {
        "x": BuyerIn(
            external_id="buyer-x",
            email="xandra.quill@example.org",
            full_name="Xandra Quillfeather",
            phone="+6281234567890",
            address="Jalan Melati 12, Bandung",
        ),
        "y": BuyerIn(
            external_id="buyer-y",
            email="yusuf.brightwater@example.net",
            full_name="Yusuf Brightwater",
            phone="+84912345678",
            address="12 Nguyen Hue, Ho Chi Minh City",
        ),
    }
    first = orders.feed_order(
        platform,
        OPERATOR,
        shop_a.id,
        order_in("seed-x", buyers["x"], [OrderLineIn(external_id="seed-x-1", product_id=p_a.id)]),
    )
    second = orders.feed_order(
        platform,
        OPERATOR,
        shop_a.id,
        order_in("seed-y", buyers["y"], [OrderLineIn(external_id="seed-y-1", product_id=p_a.id)]),
    )
    world = World(
        platform=platform,
        operator=_token(platform, Role.OPERATOR),
        seller_a=_token(platform, Role.SELLER, seller_id=seller_a.id),
        seller_b=_token(platform, Role.SELLER, seller_id=seller_b.id),
        buyer_x=_token(platform, Role.BUYER, buyer_id=first.order.buyer_id),
        buyer_y=_token(platform, Role.BUYER, buyer_id=second.order.buyer_id),
        shop_a=shop_a.id,
        shop_b=shop_b.id,
        product_a=p_a.id,
        product_a2=p_a2.id,
        product_b=p_b.id,
        moderator=_token(platform, Role.MODERATOR),
        buyers=buyers,
    )
    world.lines.update({"seed-x": first.order.lines[0].id, "seed-y": second.order.lines[0].id})
    world.orders.update({"seed-x": first.order.id, "seed-y": second.order.id})
    return world


def jpeg_with_gps(size: tuple[int, int] = (640, 480)) -> bytes:
    """A real JPEG photo carrying EXIF GPS coordinates."""
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    gps = {1: "S", 2: (6.0, 54.0, 0.0), 3: "E", 4: (107.0, 36.0, 0.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()

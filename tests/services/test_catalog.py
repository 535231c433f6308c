"""Sellers, shops, products, variants and identifiers: rules and refusals."""

from __future__ import annotations

import pytest

from builders import World, refused
from reviewdesk.domain.principals import OPERATOR
from reviewdesk.services import catalog
from reviewdesk.services.catalog import CodeIn, ProductIn, ProductPatch, VariantIn


def test_codes_are_stored_as_gtin14_with_their_kind(world: World) -> None:
    product = catalog.create_product(
        world.platform,
        world.seller_a.principal,
        world.shop_a,
        ProductIn(
            handle="book",
            title="A book",
            codes=[CodeIn(value="0-306-40615-2")],
            variants=[VariantIn(sku="MUG-S", codes=[CodeIn(value="04252614", kind="upc_e")])],
        ),
    )
    codes = {(c.gtin, c.kind.value, c.variant_id is not None) for c in product.codes}
    assert codes == {("09780306406157", "isbn10", False), ("00042100005264", "upc_e", True)}


def test_one_gtin_belongs_to_one_product_per_shop(world: World) -> None:
    error = refused(
        "duplicate_product_code",
        catalog.create_product,
        world.platform,
        world.seller_a.principal,
        world.shop_a,
        ProductIn(handle="copy", title="Copy", codes=[CodeIn(value="04006381333931")]),
    )
    assert error.extra["field"] == "codes[0].value"
    # Another shop may list the same article.
    catalog.create_product(
        world.platform,
        world.seller_b.principal,
        world.shop_b,
        ProductIn(handle="copy", title="Copy", codes=[CodeIn(value="4006381333931")]),
    )


def test_nothing_is_stored_when_one_part_of_a_product_is_refused(world: World) -> None:
    refused(
        "invalid_product_code",
        catalog.create_product,
        world.platform,
        world.seller_a.principal,
        world.shop_a,
        ProductIn(
            handle="half",
            title="Half",
            variants=[VariantIn(sku="H-1"), VariantIn(sku="H-2", codes=[CodeIn(value="123")])],
        ),
    )
    page = catalog.list_products(world.platform, world.seller_a.principal, world.shop_a)
    assert "half" not in {p.handle for p in page.items}
    catalog.add_variant(
        world.platform,
        world.seller_a.principal,
        world.shop_a,
        world.product_a2,
        VariantIn(sku="H-1"),
    )  # the SKU was not taken


@pytest.mark.parametrize(
    ("product", "code"),
    [
        (ProductIn(handle="linen-shirt", title="Again"), "handle_taken"),
        (ProductIn(handle="x1", title="X", variants=[VariantIn(sku="LS-M")]), "sku_taken"),
        (
            ProductIn(handle="x2", title="X", external_ids={"shopify_product": "7001"}),
            "duplicate_external_id",
        ),
        (
            ProductIn(handle="x3", title="X", external_ids={"Shopify Product": "1"}),
            "invalid_external_id",
        ),
    ],
)
def test_product_refusals(world: World, product: ProductIn, code: str) -> None:
    refused(
        code,
        catalog.create_product,
        world.platform,
        world.seller_a.principal,
        world.shop_a,
        product,
    )


def test_seller_manages_only_own_shops(world: World) -> None:
    refused(
        "not_your_shop",
        catalog.create_product,
        world.platform,
        world.seller_b.principal,
        world.shop_a,
        ProductIn(handle="intruder", title="Intruder"),
    )
    refused(
        "not_your_shop",
        catalog.update_product,
        world.platform,
        world.seller_b.principal,
        world.shop_a,
        world.product_a,
        ProductPatch(title="Hacked"),
    )
    refused(
        "not_your_seller",
        catalog.create_shop,
        world.platform,
        world.seller_b.principal,
        seller_id=catalog.get_shop(world.platform, OPERATOR, world.shop_a).seller_id,
        slug="stolen",
        name="Stolen",
    )
    assert [s.id for s in catalog.list_shops(world.platform, world.seller_b.principal)] == [
        world.shop_b
    ]
    refused(
        "operator_only",
        catalog.create_seller,
        world.platform,
        world.seller_a.principal,
        name="Another",
    )


def test_product_of_another_shop_is_not_found_through_this_shop(world: World) -> None:
    refused(
        "product_not_found",
        catalog.get_product,
        world.platform,
        world.operator.principal,
        world.shop_a,
        world.product_b,
    )


def test_shop_slug_rules(world: World) -> None:
    seller_id = catalog.get_shop(world.platform, OPERATOR, world.shop_a).seller_id
    refused(
        "slug_taken",
        catalog.create_shop,
        world.platform,
        OPERATOR,
        seller_id=seller_id,
        slug="batik-house",
        name="Again",
    )
    refused(
        "invalid_slug",
        catalog.create_shop,
        world.platform,
        OPERATOR,
        seller_id=seller_id,
        slug="Batik House!",
        name="Bad",
    )


def test_products_page_by_keyset(world: World) -> None:
    for i in range(7):
        catalog.create_product(
            world.platform,
            world.seller_a.principal,
            world.shop_a,
            ProductIn(handle=f"p-{i}", title=f"P {i}"),
        )
    seen, cursor = [], None
    while True:
        page = catalog.list_products(
            world.platform, world.seller_a.principal, world.shop_a, cursor=cursor, limit=3
        )
        seen.extend(p.id for p in page.items)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 9 and seen == sorted(seen)

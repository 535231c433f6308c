"""Seller accounts, shops, products, variants and their identifiers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from reviewdesk.db.base import MAX_ID
from reviewdesk.db.catalog import (
    ExternalId,
    Product,
    ProductCode,
    SellerAccount,
    SellerMember,
    Shop,
    Variant,
)
from reviewdesk.db.reviews import ProductRatingSummary, ShopRatingSummary
from reviewdesk.domain.identifiers import CodeKind, normalise_code
from reviewdesk.domain.pagination import decode_cursor, encode_cursor
from reviewdesk.domain.principals import Principal, Role, may_manage_seller
from reviewdesk.errors import Conflict, InvalidInput, NotAllowed, NotFound
from reviewdesk.services.access import audit, require_operator, shop_for_staff
from reviewdesk.services.platform import Platform
from reviewdesk.services.ratings import apply_delta, summary_of

SLUG = r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$"
PLATFORM_NAME = r"^[a-z][a-z0-9_]{1,63}$"
T = TypeVar("T")
RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]
"""An id given in a request body: within the 64-bit range of the database's keys."""


class Page(BaseModel, Generic[T]):
    """One page of a keyset-paginated list."""

    items: list[T]
    next_cursor: str | None = None


# ---- inputs -------------------------------------------------------------------------------


class CodeIn(BaseModel):
    """A product code as given: GTIN/UPC/EAN/ISBN; ``kind`` only needed for UPC-E."""

    model_config = ConfigDict(extra="forbid")
    value: str = Field(min_length=1, max_length=32)
    kind: CodeKind | None = None


class VariantIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sku: str = Field(min_length=1, max_length=100)
    title: str | None = Field(None, max_length=300)
    codes: list[CodeIn] = Field(default_factory=list, max_length=20)
    external_ids: dict[str, str] = Field(default_factory=dict, max_length=20)


class ProductIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    handle: str = Field(pattern=r"^[a-z0-9](?:[a-z0-9-]{0,198}[a-z0-9])?$")
    title: str = Field(min_length=1, max_length=500)
    brand: str | None = Field(None, max_length=200)
    mpn: str | None = Field(None, max_length=100)
    description: str | None = Field(None, max_length=20000)
    codes: list[CodeIn] = Field(default_factory=list, max_length=20)
    external_ids: dict[str, str] = Field(default_factory=dict, max_length=20)
    variants: list[VariantIn] = Field(default_factory=list, max_length=500)


class ProductPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str | None = Field(None, min_length=1, max_length=500)
    brand: str | None = Field(None, max_length=200)
    mpn: str | None = Field(None, max_length=100)
    description: str | None = Field(None, max_length=20000)


# ---- views --------------------------------------------------------------------------------


class SellerView(BaseModel):
    id: int
    name: str
    created_at: datetime


class MemberView(BaseModel):
    id: int
    seller_id: int
    email: str
    name: str


class ShopView(BaseModel):
    id: int
    seller_id: int
    slug: str
    name: str
    created_at: datetime


class CodeView(BaseModel):
    gtin: str
    kind: CodeKind
    original: str
    variant_id: int | None


class ExternalIdView(BaseModel):
    platform: str
    value: str
    variant_id: int | None


class VariantView(BaseModel):
    id: int
    sku: str
    title: str | None


class ProductView(BaseModel):
    id: int
    shop_id: int
    handle: str
    title: str
    brand: str | None
    mpn: str | None
    description: str | None
    codes: list[CodeView]
    external_ids: list[ExternalIdView]
    variants: list[VariantView]
    created_at: datetime
    removed_at: datetime | None


def _shop_view(shop: Shop) -> ShopView:
    return ShopView(
        id=shop.id,
        seller_id=shop.seller_id,
        slug=shop.slug,
        name=shop.name,
        created_at=shop.created_at,
    )


def _product_views(session: Session, products: Sequence[Product]) -> list[ProductView]:
    """Views of ``products``, their variants, codes and external ids read in one query each."""
    ids = [p.id for p in products]
    variants: dict[int, list[VariantView]] = {pid: [] for pid in ids}
    codes: dict[int, list[CodeView]] = {pid: [] for pid in ids}
    externals: dict[int, list[ExternalIdView]] = {pid: [] for pid in ids}
    if ids:
        for v in session.scalars(
            select(Variant)
            .where(Variant.product_id.in_(ids), Variant.removed_at.is_(None))
            .order_by(Variant.id)
        ):
            variants[v.product_id].append(VariantView(id=v.id, sku=v.sku, title=v.title))
        for c in session.scalars(
            select(ProductCode).where(ProductCode.product_id.in_(ids)).order_by(ProductCode.id)
        ):
            codes[c.product_id].append(
                CodeView(
                    gtin=c.gtin,
                    kind=CodeKind(c.kind),
                    original=c.original,
                    variant_id=c.variant_id,
                )
            )
        for e in session.scalars(
            select(ExternalId).where(ExternalId.product_id.in_(ids)).order_by(ExternalId.id)
        ):
            externals[e.product_id].append(
                ExternalIdView(platform=e.platform, value=e.value, variant_id=e.variant_id)
            )
    return [
        ProductView(
            id=p.id,
            shop_id=p.shop_id,
            handle=p.handle,
            title=p.title,
            brand=p.brand,
            mpn=p.mpn,
            description=p.description,
            codes=codes[p.id],
            external_ids=externals[p.id],
            variants=variants[p.id],
            created_at=p.created_at,
            removed_at=p.removed_at,
        )
        for p in products
    ]


def _product_view(session: Session, product: Product) -> ProductView:
    return _product_views(session, [product])[0]


# ---- sellers and shops --------------------------------------------------------------------


def create_seller(platform: Platform, actor: Principal, *, name: str) -> SellerView:
    """Open a seller account (operator)."""
    require_operator(actor)
    if not name.strip():
        raise InvalidInput("invalid_name", "name must not be empty", field="name")
    with platform.db.write() as session:
        seller = SellerAccount(name=name.strip())
        session.add(seller)
        session.flush()
        audit(session, actor, "seller.create", "seller", seller.id, None, {"name": name})
        return SellerView(id=seller.id, name=seller.name, created_at=seller.created_at)


def get_seller(platform: Platform, actor: Principal, seller_id: int) -> SellerView:
    """A seller account, for the operator and its members."""
    with platform.db.read() as session:
        seller = session.get(SellerAccount, seller_id)
        if seller is None:
            raise NotFound("seller_not_found", f"seller {seller_id} does not exist")
        if not may_manage_seller(actor, seller_id):
            raise NotAllowed("not_your_seller", "This is another seller account.")
        return SellerView(id=seller.id, name=seller.name, created_at=seller.created_at)


def add_member(
    platform: Platform, actor: Principal, seller_id: int, *, email: str, name: str
) -> MemberView:
    """Add a staff member to a seller account."""
    with platform.db.write() as session:
        if session.get(SellerAccount, seller_id) is None:
            raise NotFound("seller_not_found", f"seller {seller_id} does not exist")
        if not may_manage_seller(actor, seller_id):
            raise NotAllowed("not_your_seller", "This is another seller account.")
        email = email.strip().lower()
        exists = session.scalar(
            select(SellerMember.id).where(
                SellerMember.seller_id == seller_id, SellerMember.email == email
            )
        )
        if exists:
            raise Conflict("member_exists", f"{email} is already a member of this seller")
        member = SellerMember(seller_id=seller_id, email=email, name=name.strip())
        session.add(member)
        session.flush()
        audit(session, actor, "seller.member_add", "seller_member", member.id, None, {})
        return MemberView(id=member.id, seller_id=seller_id, email=email, name=member.name)


def create_shop(
    platform: Platform, actor: Principal, *, seller_id: int, slug: str, name: str
) -> ShopView:
    """Open a shop under a seller account (the operator, or that seller's staff)."""
    import re

    if not re.match(SLUG, slug):
        raise InvalidInput(
            "invalid_slug",
            "slug: lowercase letters, digits and inner hyphens, 1-64 characters",
            field="slug",
        )
    with platform.db.write() as session:
        if session.get(SellerAccount, seller_id) is None:
            raise NotFound("seller_not_found", f"seller {seller_id} does not exist")
        if not may_manage_seller(actor, seller_id):
            raise NotAllowed("not_your_seller", "This is another seller account.")
        if session.scalar(select(Shop.id).where(Shop.slug == slug)):
            raise Conflict("slug_taken", f"a shop with slug {slug!r} exists", field="slug")
        shop = Shop(seller_id=seller_id, slug=slug, name=name.strip() or slug)
        session.add(shop)
        session.flush()
        session.add(ShopRatingSummary(shop_id=shop.id))
        audit(session, actor, "shop.create", "shop", shop.id, shop.id, {"slug": slug})
        return _shop_view(shop)


def get_shop(platform: Platform, actor: Principal, shop_id: int) -> ShopView:
    """A shop, for the operator and its seller's staff."""
    with platform.db.read() as session:
        return _shop_view(shop_for_staff(session, actor, shop_id))


def list_shops(platform: Platform, actor: Principal) -> list[ShopView]:
    """The shops the principal manages (all of them for the operator)."""
    query = select(Shop).order_by(Shop.id)
    if actor.role is Role.SELLER:
        query = query.where(Shop.seller_id == actor.seller_id)
    elif not actor.is_operator:
        raise NotAllowed("staff_only", "Only the operator and sellers list their shops.")
    with platform.db.read() as session:
        return [_shop_view(s) for s in session.scalars(query)]


# ---- products -----------------------------------------------------------------------------


def _check_platform_name(name: str, field: str) -> None:
    import re

    if not re.match(PLATFORM_NAME, name):
        raise InvalidInput(
            "invalid_external_id",
            f"{field}: platform names are lowercase words like shopify_product",
            field=field,
        )


def _add_identifiers(
    session: Session,
    shop_id: int,
    product_id: int,
    variant_id: int | None,
    codes: list[CodeIn],
    external_ids: dict[str, str],
    field: str,
) -> None:
    for index, code in enumerate(codes):
        where = f"{field}codes[{index}].value"
        value = normalise_code(code.value, code.kind, field=where)
        clash = session.scalar(
            select(ProductCode.product_id).where(
                ProductCode.shop_id == shop_id, ProductCode.gtin == value.gtin
            )
        )
        if clash is not None:
            raise Conflict(
                "duplicate_product_code",
                f"{where}: GTIN {value.gtin} is already used by product {clash} in this shop",
                field=where,
            )
        session.add(
            ProductCode(
                shop_id=shop_id,
                product_id=product_id,
                variant_id=variant_id,
                gtin=value.gtin,
                kind=value.kind.value,
                original=value.original,
            )
        )
        session.flush()
    for platform_name, external in external_ids.items():
        where = f"{field}external_ids.{platform_name}"
        _check_platform_name(platform_name, where)
        if not external.strip():
            raise InvalidInput("invalid_external_id", f"{where}: empty value", field=where)
        clash = session.scalar(
            select(ExternalId.product_id).where(
                ExternalId.shop_id == shop_id,
                ExternalId.platform == platform_name,
                ExternalId.value == external.strip(),
            )
        )
        if clash is not None:
            raise Conflict(
                "duplicate_external_id",
                f"{where}: {external!r} already identifies product {clash} in this shop",
                field=where,
            )
        session.add(
            ExternalId(
                shop_id=shop_id,
                product_id=product_id,
                variant_id=variant_id,
                platform=platform_name,
                value=external.strip(),
            )
        )
        session.flush()


def _add_variant(
    session: Session, shop_id: int, product_id: int, variant: VariantIn, field: str
) -> Variant:
    taken = session.scalar(
        select(Variant.id).where(
            Variant.shop_id == shop_id, Variant.sku == variant.sku, Variant.removed_at.is_(None)
        )
    )
    if taken:
        raise Conflict(
            "sku_taken", f"{field}sku: {variant.sku!r} exists in this shop", field=f"{field}sku"
        )
    row = Variant(shop_id=shop_id, product_id=product_id, sku=variant.sku, title=variant.title)
    session.add(row)
    session.flush()
    _add_identifiers(
        session, shop_id, product_id, row.id, variant.codes, variant.external_ids, field
    )
    return row


def create_product(
    platform: Platform, actor: Principal, shop_id: int, product: ProductIn
) -> ProductView:
    """List a product in a shop, with its variants and identifiers (all or nothing)."""
    with platform.db.write() as session:
        shop_for_staff(session, actor, shop_id)
        taken = session.scalar(
            select(Product.id).where(
                Product.shop_id == shop_id,
                Product.handle == product.handle,
                Product.removed_at.is_(None),
            )
        )
        if taken:
            raise Conflict(
                "handle_taken",
                f"handle {product.handle!r} is used by product {taken}",
                field="handle",
            )
        row = Product(
            shop_id=shop_id,
            handle=product.handle,
            title=product.title.strip(),
            brand=product.brand,
            mpn=product.mpn,
            description=product.description,
        )
        session.add(row)
        session.flush()
        session.add(ProductRatingSummary(product_id=row.id, shop_id=shop_id))
        _add_identifiers(session, shop_id, row.id, None, product.codes, product.external_ids, "")
        for index, variant in enumerate(product.variants):
            _add_variant(session, shop_id, row.id, variant, f"variants[{index}].")
        audit(
            session, actor, "product.create", "product", row.id, shop_id, {"handle": product.handle}
        )
        return _product_view(session, row)


def _product_for_staff(
    session: Session, actor: Principal, shop_id: int, product_id: int
) -> Product:
    shop_for_staff(session, actor, shop_id)
    product = session.get(Product, product_id)
    if product is None or product.shop_id != shop_id:
        raise NotFound("product_not_found", f"product {product_id} is not in shop {shop_id}")
    return product


def get_product(platform: Platform, actor: Principal, shop_id: int, product_id: int) -> ProductView:
    """A product with its variants and identifiers, for the shop's staff."""
    with platform.db.read() as session:
        return _product_view(session, _product_for_staff(session, actor, shop_id, product_id))


def list_products(
    platform: Platform,
    actor: Principal,
    shop_id: int,
    *,
    cursor: str | None = None,
    limit: int = 50,
    include_removed: bool = False,
) -> Page[ProductView]:
    """The shop's products by id, a page at a time."""
    limit = max(1, min(limit, platform.settings.max_page_size))
    with platform.db.read() as session:
        shop_for_staff(session, actor, shop_id)
        query = select(Product).where(Product.shop_id == shop_id)
        if not include_removed:
            query = query.where(Product.removed_at.is_(None))
        if cursor:
            (after,) = decode_cursor(cursor, "id", 1)
            query = query.where(Product.id > int(after))
        rows = session.scalars(query.order_by(Product.id).limit(limit + 1)).all()
        items = _product_views(session, rows[:limit])
        more = len(rows) > limit
        return Page[ProductView](
            items=items, next_cursor=encode_cursor("id", [rows[limit - 1].id]) if more else None
        )


def update_product(
    platform: Platform, actor: Principal, shop_id: int, product_id: int, patch: ProductPatch
) -> ProductView:
    """Change a product's descriptive fields."""
    with platform.db.write() as session:
        product = _product_for_staff(session, actor, shop_id, product_id)
        if product.removed_at is not None:
            raise Conflict("product_removed", "a removed product cannot be changed")
        changes = patch.model_dump(exclude_unset=True)
        for name, value in changes.items():
            if name == "title" and value is None:
                raise InvalidInput("invalid_title", "title cannot be empty", field="title")
            setattr(product, name, value)
        audit(session, actor, "product.update", "product", product.id, shop_id, changes)
        session.flush()
        return _product_view(session, product)


def add_variant(
    platform: Platform, actor: Principal, shop_id: int, product_id: int, variant: VariantIn
) -> ProductView:
    """Add a variant (SKU) to a product."""
    with platform.db.write() as session:
        product = _product_for_staff(session, actor, shop_id, product_id)
        if product.removed_at is not None:
            raise Conflict("product_removed", "a removed product cannot be changed")
        _add_variant(session, shop_id, product_id, variant, "")
        audit(
            session, actor, "variant.create", "product", product_id, shop_id, {"sku": variant.sku}
        )
        return _product_view(session, product)


def remove_product(platform: Platform, actor: Principal, shop_id: int, product_id: int) -> None:
    """Delist a product: its reviews are hidden and leave the shop's rating.

    Relisting the same article later creates a new product that starts without reviews.
    """
    with platform.db.write() as session:
        _product_for_staff(session, actor, shop_id, product_id)
        product = session.scalars(
            select(Product)
            .where(Product.id == product_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).one()
        if product.removed_at is not None:
            return
        product.removed_at = platform.now()
        summary = session.scalars(
            select(ProductRatingSummary)
            .where(ProductRatingSummary.product_id == product_id)
            .with_for_update()
        ).one()
        # The product's counted reviews leave both summaries in this same transaction.
        apply_delta(session, shop_id, product_id, -summary_of(summary))
        # Variants and codes are released so that a relisted product can take them.
        for variant in session.scalars(select(Variant).where(Variant.product_id == product_id)):
            variant.removed_at = product.removed_at
        released = _product_view(session, product)
        session.execute(delete(ProductCode).where(ProductCode.product_id == product_id))
        session.execute(delete(ExternalId).where(ExternalId.product_id == product_id))
        audit(
            session,
            actor,
            "product.remove",
            "product",
            product_id,
            shop_id,
            {
                "codes": [c.gtin for c in released.codes],
                "external_ids": [e.model_dump() for e in released.external_ids],
            },
        )

"""Tables of sellers, shops, products, variants and their identifiers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from reviewdesk.db.base import Base, Id, UTCDateTime, utcnow

ACTIVE = text("removed_at IS NULL")


class SellerAccount(Base):
    __tablename__ = "seller_accounts"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SellerMember(Base):
    __tablename__ = "seller_members"
    __table_args__ = (UniqueConstraint("seller_id", "email"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("seller_accounts.id"), index=True)
    email: Mapped[str] = mapped_column(String(320))
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Shop(Base):
    __tablename__ = "shops"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("seller_accounts.id"), index=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Product(Base):
    __tablename__ = "products"
    __table_args__ = (
        # A removed product frees its handle; a relisted product is a new row.
        Index(
            "uq_products_shop_handle_active",
            "shop_id",
            "handle",
            unique=True,
            sqlite_where=ACTIVE,
            postgresql_where=ACTIVE,
        ),
        Index("ix_products_shop_id_id", "shop_id", "id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    handle: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(500))
    brand: Mapped[str | None] = mapped_column(String(200))
    mpn: Mapped[str | None] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Variant(Base):
    __tablename__ = "variants"
    __table_args__ = (
        Index(
            "uq_variants_shop_sku_active",
            "shop_id",
            "sku",
            unique=True,
            sqlite_where=ACTIVE,
            postgresql_where=ACTIVE,
        ),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    sku: Mapped[str] = mapped_column(String(100))
    title: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ProductCode(Base):
    """A GTIN-family code (GTIN/UPC/EAN/ISBN) of a product or variant, stored as GTIN-14."""

    __tablename__ = "product_codes"
    __table_args__ = (UniqueConstraint("shop_id", "gtin"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    variant_id: Mapped[int | None] = mapped_column(ForeignKey("variants.id"), index=True)
    gtin: Mapped[str] = mapped_column(String(14))
    kind: Mapped[str] = mapped_column(String(16))
    original: Mapped[str] = mapped_column(String(32))


class ExternalId(Base):
    """An identifier of a product or variant on another platform (e.g. ``shopify_product``)."""

    __tablename__ = "external_ids"
    __table_args__ = (UniqueConstraint("shop_id", "platform", "value"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    variant_id: Mapped[int | None] = mapped_column(ForeignKey("variants.id"), index=True)
    platform: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(String(200))

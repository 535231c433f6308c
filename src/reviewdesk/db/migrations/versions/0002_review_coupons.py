"""review coupons

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 17:05:08.270787
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "review_promotions",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("shop_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("discount_kind", sa.String(length=8), nullable=False),
        sa.Column("discount_value", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("covers_all", sa.Boolean(), nullable=False),
        sa.Column("start_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("budget", sa.Integer(), nullable=True),
        sa.Column("issued_count", sa.Integer(), nullable=False),
        sa.Column("coupon_days", sa.Integer(), nullable=False),
        sa.Column("deactivated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["shop_id"], ["shops.id"], name=op.f("fk_review_promotions_shop_id_shops")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_promotions")),
    )
    with op.batch_alter_table("review_promotions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_review_promotions_shop_window", ["shop_id", "start_at", "end_at"], unique=False
        )

    op.create_table(
        "review_promotion_products",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("shop_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "promotion_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "product_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_review_promotion_products_product_id_products"),
        ),
        sa.ForeignKeyConstraint(
            ["promotion_id"],
            ["review_promotions.id"],
            name=op.f("fk_review_promotion_products_promotion_id_review_promotions"),
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"], ["shops.id"], name=op.f("fk_review_promotion_products_shop_id_shops")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_promotion_products")),
        sa.UniqueConstraint(
            "promotion_id",
            "product_id",
            name=op.f("uq_review_promotion_products_promotion_id_product_id"),
        ),
    )
    with op.batch_alter_table("review_promotion_products", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_promotion_products_product_id"), ["product_id"], unique=False
        )

    op.create_table(
        "coupons",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("shop_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "promotion_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "review_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "order_line_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("buyer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("discount_kind", sa.String(length=8), nullable=False),
        sa.Column("discount_value", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("redeemed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "redeemed_order_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("redeemed_amount", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.ForeignKeyConstraint(
            ["buyer_id"], ["buyers.id"], name=op.f("fk_coupons_buyer_id_buyers")
        ),
        sa.ForeignKeyConstraint(
            ["order_line_id"], ["order_lines.id"], name=op.f("fk_coupons_order_line_id_order_lines")
        ),
        sa.ForeignKeyConstraint(
            ["promotion_id"],
            ["review_promotions.id"],
            name=op.f("fk_coupons_promotion_id_review_promotions"),
        ),
        sa.ForeignKeyConstraint(
            ["redeemed_order_id"], ["orders.id"], name=op.f("fk_coupons_redeemed_order_id_orders")
        ),
        sa.ForeignKeyConstraint(
            ["review_id"], ["reviews.id"], name=op.f("fk_coupons_review_id_reviews")
        ),
        sa.ForeignKeyConstraint(["shop_id"], ["shops.id"], name=op.f("fk_coupons_shop_id_shops")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coupons")),
        sa.UniqueConstraint("code", name=op.f("uq_coupons_code")),
        sa.UniqueConstraint(
            "promotion_id", "order_line_id", name=op.f("uq_coupons_promotion_id_order_line_id")
        ),
    )
    with op.batch_alter_table("coupons", schema=None) as batch_op:
        batch_op.create_index("ix_coupons_buyer", ["buyer_id", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_coupons_promotion_id"), ["promotion_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_coupons_review_id"), ["review_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("coupons", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coupons_review_id"))
        batch_op.drop_index(batch_op.f("ix_coupons_promotion_id"))
        batch_op.drop_index("ix_coupons_buyer")

    op.drop_table("coupons")
    with op.batch_alter_table("review_promotion_products", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_promotion_products_product_id"))

    op.drop_table("review_promotion_products")
    with op.batch_alter_table("review_promotions", schema=None) as batch_op:
        batch_op.drop_index("ix_review_promotions_shop_window")

    op.drop_table("review_promotions")

"""Moderation: screening of new and edited reviews, the queue, decisions, auto-publish."""

from __future__ import annotations

from datetime import timedelta

import pytest

from builders import World, refused
from reviewdesk.domain.principals import OPERATOR
from reviewdesk.services import moderation, public, reviews
from reviewdesk.services.moderation import DecisionIn
from reviewdesk.services.ratings import check_summaries

SPAM = "Great shirt! Buy cheaper copies at cheapshirts.shop, use code SAVE50"
ABUSE = "The seller is a stupid idiot and this shirt is garbage"


def write(world: World, text: str, rating: int = 5, line: str = "seed-x") -> reviews.ReviewView:
    buyer = world.buyer_x if line == "seed-x" else world.buyer_y
    return reviews.submit_review(
        world.platform, buyer.principal, order_line_id=world.lines[line], rating=rating, text=text
    )


def shown(world: World) -> list[int]:
    return [
        r.id
        for r in public.list_product_reviews(world.platform, "batik-house", "linen-shirt").items
    ]


def count(world: World) -> int:
    return public.product_summary(world.platform, "batik-house", "linen-shirt").rating.count


def test_a_clean_review_is_published_and_the_decision_logged(world: World) -> None:
    review = write(world, "Soft linen, fits as expected, colour as shown")
    assert review.status == "published" and review.published_at is not None
    assert shown(world) == [review.id] and count(world) == 1
    (decision,) = moderation.review_history(world.platform, world.moderator.principal, review.id)
    assert (decision.action, decision.actor, decision.reasons) == ("publish", "system", [])


@pytest.mark.parametrize(
    ("text", "reason"),
    [(SPAM, "spam_link"), (ABUSE, "abusive"), (" ".join(["good"] * 30), "spam_repeated")],
)
def test_spam_and_abuse_are_held_with_their_reasons(world: World, text: str, reason: str) -> None:
    review = write(world, text, rating=1)
    assert review.status == "held" and review.published_at is None
    assert shown(world) == [] and count(world) == 0  # neither shown nor counted
    queue = moderation.moderation_queue(world.platform, world.moderator.principal).items
    assert [(q.id, reason in q.reasons) for q in queue] == [(review.id, True)]
    assert queue[0].text == text  # the moderator reads the original
    assert check_summaries(world.platform, OPERATOR) == []


def test_contact_details_are_masked_not_held(world: World) -> None:
    review = write(world, "Lovely shirt, ask me on siti.rahma@example.com how it washes")
    assert review.status == "published"
    (item,) = public.list_product_reviews(world.platform, "batik-house", "linen-shirt").items
    assert "siti.rahma@example.com" not in (item.text or "")


def test_a_moderator_publishes_hides_and_rejects_with_summaries_following(world: World) -> None:
    mod = world.moderator.principal
    held = write(world, ABUSE, rating=1)
    clean = write(world, "Nice shirt, runs a bit small", rating=4, line="seed-y")
    assert count(world) == 1
    moderation.decide(world.platform, mod, held.id, DecisionIn(action="publish"))
    assert count(world) == 2 and set(shown(world)) == {held.id, clean.id}
    refused(
        "reason_required",
        moderation.decide,
        world.platform,
        mod,
        clean.id,
        DecisionIn(action="hide"),
    )
    moderation.decide(world.platform, mod, clean.id, DecisionIn(action="hide", reason="checking"))
    assert shown(world) == [held.id] and count(world) == 1
    moderation.decide(world.platform, mod, clean.id, DecisionIn(action="publish"))
    moderation.decide(world.platform, mod, held.id, DecisionIn(action="reject", reason="abuse"))
    assert shown(world) == [clean.id] and count(world) == 1
    refused(
        "decision_not_allowed",
        moderation.decide,
        world.platform,
        mod,
        held.id,
        DecisionIn(action="publish"),
    )
    history = moderation.review_history(world.platform, mod, held.id)
    assert [(d.action, d.actor.split(":")[0]) for d in history] == [
        ("hold", "system"),
        ("publish", "moderator"),
        ("reject", "moderator"),
    ]
    assert history[-1].reasons == ["abuse"]
    assert check_summaries(world.platform, OPERATOR) == []


def test_an_edit_is_screened_again_but_never_undoes_a_moderators_decision(world: World) -> None:
    mod = world.moderator.principal
    review = write(world, "Nice shirt")
    edited = reviews.edit_review(world.platform, world.buyer_x.principal, review.id, text=SPAM)
    assert edited.status == "held" and count(world) == 0
    cleaned = reviews.edit_review(
        world.platform, world.buyer_x.principal, review.id, text="Nice shirt, washed well"
    )
    assert cleaned.status == "published" and count(world) == 1
    moderation.decide(world.platform, mod, review.id, DecisionIn(action="hide", reason="check"))
    again = reviews.edit_review(
        world.platform, world.buyer_x.principal, review.id, text="Nice shirt, truly"
    )
    assert again.status == "hidden" and count(world) == 0
    assert check_summaries(world.platform, OPERATOR) == []


def test_sellers_and_buyers_are_not_moderators(world: World) -> None:
    review = write(world, ABUSE)
    for actor in (world.seller_a, world.buyer_x):
        refused("moderator_only", moderation.moderation_queue, world.platform, actor.principal)
        refused(
            "moderator_only",
            moderation.decide,
            world.platform,
            actor.principal,
            review.id,
            DecisionIn(action="publish"),
        )
    # The operator may moderate too.
    moderation.decide(world.platform, OPERATOR, review.id, DecisionIn(action="publish"))


def test_a_held_review_nobody_decides_is_published_after_auto_publish_days(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    review = write(world, SPAM, rating=2)
    assert moderation.publish_overdue(world.platform) == 0
    days = world.platform.settings.auto_publish_days
    later = world.platform.now() + timedelta(days=days, minutes=1)
    monkeypatch.setattr(world.platform, "now", lambda: later)
    assert moderation.publish_overdue(world.platform) == 1
    assert shown(world) == [review.id] and count(world) == 1
    last = moderation.review_history(world.platform, OPERATOR, review.id)[-1]
    assert (last.action, last.actor) == ("auto_publish", "system")
    assert check_summaries(world.platform, OPERATOR) == []

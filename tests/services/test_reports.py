"""Reports (disputes): who may report what and when, the transitions, what each does to the
review, its display and its rating summaries."""

from __future__ import annotations

import io
import threading
from datetime import datetime, timedelta

import pytest
from PIL import Image
from sqlalchemy import select

from builders import World, jpeg_with_gps, refused
from reviewdesk.db.access import AuditEntry
from reviewdesk.domain.principals import OPERATOR
from reviewdesk.errors import ReviewdeskError
from reviewdesk.services import moderation, public, reports, reviews
from reviewdesk.services.moderation import DecisionIn
from reviewdesk.services.ratings import check_summaries
from reviewdesk.services.reports import (
    EvidenceUpload,
    ReportDecisionIn,
    ReportIn,
    ReportView,
    TakeIn,
)
from reviewdesk.services.reviews import ReviewView

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def review_of(
    world: World, buyer: str = "x", rating: int = 1, line: str | None = None
) -> ReviewView:
    actor = world.buyer_x if buyer == "x" else world.buyer_y
    return reviews.submit_review(
        world.platform,
        actor.principal,
        order_line_id=world.lines[line or f"seed-{buyer}"],
        rating=rating,
        text="The stitching came apart after one wash.",
    )


def report(
    world: World, review_id: int, reason: str = "false_or_misleading", **kw: object
) -> ReportView:
    evidence = kw.pop("evidence", ())
    return reports.report_review(
        world.platform,
        world.seller_a.principal,
        review_id,
        ReportIn.model_validate({"reason": reason, **kw}),
        evidence,  # type: ignore[arg-type]
    )


def take(world: World, report_id: int, hide: bool = False) -> ReportView:
    return reports.take_report(
        world.platform, world.moderator.principal, report_id, TakeIn(hide=hide)
    )


def decide(
    world: World, report_id: int, outcome: str, note: str = "Checked the order."
) -> ReportView:
    return reports.decide_report(
        world.platform,
        world.moderator.principal,
        report_id,
        ReportDecisionIn.model_validate({"outcome": outcome, "note": note}),
    )


def rating_count(world: World) -> int:
    return public.product_summary(world.platform, "batik-house", "linen-shirt").rating.count


def shown(world: World, review_id: int) -> bool:
    page = public.list_product_reviews(world.platform, "batik-house", "linen-shirt")
    return any(item.id == review_id for item in page.items)


def exact(world: World) -> bool:
    return check_summaries(world.platform, OPERATOR) == []


def move_clock(world: World, monkeypatch: pytest.MonkeyPatch, days: float) -> None:
    moved = world.platform.now() + timedelta(days=days)
    monkeypatch.setattr(world.platform, "now", lambda: moved)


# ---- reporting ------------------------------------------------------------------------------


def test_seller_reports_a_review_with_note_and_evidence(world: World) -> None:
    review = review_of(world)
    photo = jpeg_with_gps((60, 40))
    made = report(
        world,
        review.id,
        "competitor_or_malicious",
        note="This buyer works for a competitor.",
        evidence=[EvidenceUpload(photo, "../../chat.jpg"), EvidenceUpload(PDF, "invoice.pdf")],
    )
    assert made.status == "submitted" and made.reason == "competitor_or_malicious"
    assert made.reporter == world.seller_a.principal.key and made.in_review_at is None
    assert [(e.file_name, e.mime) for e in made.evidence] == [
        ("chat.jpg", "image/jpeg"),
        ("invoice.pdf", "application/pdf"),
    ]
    listed = reports.list_shop_reports(world.platform, world.seller_a.principal, world.shop_a)
    assert [r.id for r in listed.items] == [made.id]
    # The photo was re-encoded without its GPS data; the PDF is kept as sent.
    _, stored = reports.evidence_file(
        world.platform, world.moderator.principal, made.id, made.evidence[0].id
    )
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG" and 0x8825 not in image.getexif()
    _, pdf = reports.evidence_file(
        world.platform, world.seller_a.principal, made.id, made.evidence[1].id
    )
    assert pdf == PDF
    # The review stays shown while the report waits.
    assert shown(world, review.id) and rating_count(world) == 1


def test_only_the_shops_staff_may_report(world: World) -> None:
    review = review_of(world)
    for actor in (world.seller_b, world.buyer_x, world.moderator):
        refused(
            "not_your_shop",
            reports.report_review,
            world.platform,
            actor.principal,
            review.id,
            ReportIn(reason="abusive"),
        )
    assert (
        reports.report_review(
            world.platform, OPERATOR, review.id, ReportIn(reason="abusive")
        ).status
        == "submitted"
    )


def test_reason_other_needs_a_note(world: World) -> None:
    review = review_of(world)
    refused("note_required", report, world, review.id, "other")
    refused("note_required", report, world, review.id, "other", note="   ")
    assert report(world, review.id, "other", note="Posted twice.").note == "Posted twice."


def test_every_reason_of_the_spec_is_accepted_without_note(world: World) -> None:
    reasons = [
        "abusive",
        "personal_information",
        "false_or_misleading",
        "spam_or_irrelevant",
        "competitor_or_malicious",
        "coerced_or_incentivized",
    ]
    review = review_of(world)
    for reason in reasons:
        made = report(world, review.id, reason)
        take(world, made.id)
        decide(world, made.id, "rejected")
    with pytest.raises(ValueError):
        ReportIn.model_validate({"reason": "boring"})


def test_report_refused_after_the_window(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    review = review_of(world)
    move_clock(world, monkeypatch, 29.9)
    inside = report(world, review.id)
    take(world, inside.id)
    decide(world, inside.id, "rejected")
    move_clock(world, monkeypatch, 0.2)  # 30.1 days after publication
    refused("report_window_closed", report, world, review.id)


def test_report_window_is_a_setting(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    review = review_of(world)
    world.platform.settings = world.platform.settings.model_copy(update={"report_window_days": 2})
    move_clock(world, monkeypatch, 2.5)
    refused("report_window_closed", report, world, review.id)


def test_one_open_report_per_review(world: World) -> None:
    review = review_of(world)
    first = report(world, review.id)
    refused("report_already_open", report, world, review.id, "abusive")
    take(world, first.id)
    refused("report_already_open", report, world, review.id, "abusive")
    decide(world, first.id, "rejected")
    # Decided: the seller may report it again (new evidence, another reason).
    again = report(world, review.id, "abusive")
    assert again.status == "submitted"
    statuses = [
        r.status for r in reports.list_shop_reports(world.platform, OPERATOR, world.shop_a).items
    ]
    assert statuses == ["submitted", "rejected"]


def test_concurrent_reports_leave_one_open(world: World) -> None:
    review = review_of(world)
    outcomes: list[str] = []

    def attempt() -> None:
        try:
            report(world, review.id)
            outcomes.append("created")
        except ReviewdeskError as error:
            outcomes.append(error.code)

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["created"] + ["report_already_open"] * 3


def test_evidence_is_checked_by_content_and_size(world: World) -> None:
    review = review_of(world)
    refused(
        "unsupported_evidence_type",
        report,
        world,
        review.id,
        evidence=[EvidenceUpload(b"MZ\x90\x00 not really a pdf", "invoice.pdf")],
    )
    mp4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
    refused(
        "unsupported_evidence_type",
        report,
        world,
        review.id,
        evidence=[EvidenceUpload(mp4, "clip.jpg")],
    )
    world.platform.settings = world.platform.settings.model_copy(
        update={"report_evidence_max_bytes": 100, "report_max_evidence": 2}
    )
    refused(
        "evidence_too_large",
        report,
        world,
        review.id,
        evidence=[EvidenceUpload(PDF + b"x" * 100, "big.pdf")],
    )
    refused(
        "too_many_evidence_files",
        report,
        world,
        review.id,
        evidence=[EvidenceUpload(PDF, f"{i}.pdf") for i in range(3)],
    )
    assert not list(world.platform.settings.media_dir.rglob("*.pdf"))


def test_only_published_reviews_can_be_reported(world: World) -> None:
    review = review_of(world)
    moderation.decide(
        world.platform,
        world.moderator.principal,
        review.id,
        DecisionIn(action="hide", reason="abusive"),
    )
    refused("review_not_reportable", report, world, review.id)
    other = review_of(world, "y")
    reviews.delete_review(world.platform, world.buyer_y.principal, other.id)
    refused("review_not_found", report, world, other.id)


# ---- moderators ---------------------------------------------------------------------------


def test_report_moves_submitted_in_review_decided(world: World) -> None:
    review = review_of(world)
    made = report(world, review.id)
    refused("report_not_in_review", decide, world, made.id, "upheld")
    taken = take(world, made.id)
    assert taken.status == "in_review" and taken.in_review_at is not None
    assert not taken.review_hidden and shown(world, review.id)
    refused("report_already_in_review", take, world, made.id)
    decided = decide(world, made.id, "rejected", "The review describes the product fairly.")
    refused("report_already_decided", decide, world, made.id, "upheld")
    refused("report_already_decided", take, world, made.id)
    # What the seller sees: the decision, its note and every timestamp.
    seen = reports.get_report(world.platform, world.seller_a.principal, made.id)
    assert seen == decided
    assert seen.status == "rejected" and seen.decided_by == world.moderator.principal.key
    assert seen.moderator_note == "The review describes the product fairly."
    assert seen.created_at <= seen.in_review_at <= seen.decided_at  # type: ignore[operator]
    assert shown(world, review.id) and exact(world)


def test_only_moderators_take_and_decide(world: World) -> None:
    made = report(world, review_of(world).id)
    for actor in (world.seller_a, world.seller_b, world.buyer_x):
        refused("moderator_only", reports.take_report, world.platform, actor.principal, made.id)
        refused(
            "moderator_only",
            reports.decide_report,
            world.platform,
            actor.principal,
            made.id,
            ReportDecisionIn(outcome="upheld", note="x"),
        )
        refused("moderator_only", reports.report_queue, world.platform, actor.principal)
    # The operator may act as a moderator.
    assert reports.take_report(world.platform, OPERATOR, made.id).status == "in_review"


def test_decision_needs_a_note(world: World) -> None:
    made = report(world, review_of(world).id)
    take(world, made.id)
    refused("moderator_note_required", decide, world, made.id, "upheld", "   ")
    with pytest.raises(ValueError):
        ReportDecisionIn.model_validate({"outcome": "upheld", "note": ""})


def test_upheld_report_removes_the_review_from_display_and_metrics(world: World) -> None:
    kept = review_of(world, "y", rating=5)
    review = review_of(world)
    made = report(world, review.id)
    take(world, made.id)
    assert rating_count(world) == 2
    decided = decide(world, made.id, "upheld", "Abusive language.")
    assert decided.review.status == "removed" and not decided.review_hidden
    assert not shown(world, review.id) and shown(world, kept.id)
    summary = public.product_summary(world.platform, "batik-house", "linen-shirt").rating
    assert summary.count == 1 and summary.histogram == {"1": 0, "2": 0, "3": 0, "4": 0, "5": 1}
    assert public.shop_summary(world.platform, "batik-house").rating.count == 1
    assert exact(world)
    # Gone for good: not reportable again, its order line stays taken.
    refused("review_not_reportable", report, world, review.id)
    refused(
        "already_reviewed",
        reviews.submit_review,
        world.platform,
        world.buyer_x.principal,
        order_line_id=world.lines["seed-x"],
        rating=5,
    )


def test_hiding_takes_the_review_off_display_until_rejected(world: World) -> None:
    review = review_of(world)
    made = report(world, review.id)
    taken = take(world, made.id, hide=True)
    assert taken.review_hidden and taken.review.status == "hidden"
    assert not shown(world, review.id) and rating_count(world) == 0 and exact(world)
    rejected = decide(world, made.id, "rejected")
    assert rejected.review.status == "published" and not rejected.review_hidden
    assert shown(world, review.id) and rating_count(world) == 1 and exact(world)


def test_upheld_after_hiding_removes_the_review(world: World) -> None:
    review = review_of(world)
    made = report(world, review.id)
    take(world, made.id, hide=True)
    assert decide(world, made.id, "upheld").review.status == "removed"
    assert rating_count(world) == 0 and exact(world)


def test_rejection_does_not_undo_what_happened_since_the_hide(world: World) -> None:
    # A moderator published the hidden review through moderation meanwhile: no double count.
    first = review_of(world)
    made = report(world, first.id)
    take(world, made.id, hide=True)
    moderation.decide(
        world.platform, world.moderator.principal, first.id, DecisionIn(action="publish")
    )
    assert decide(world, made.id, "rejected").review.status == "published"
    assert rating_count(world) == 1 and exact(world)
    # The buyer deleted the hidden review: it stays deleted.
    second = review_of(world, "y")
    made = report(world, second.id)
    take(world, made.id, hide=True)
    reviews.delete_review(world.platform, world.buyer_y.principal, second.id)
    assert decide(world, made.id, "rejected").review.status == "deleted"
    assert rating_count(world) == 1 and exact(world)


def test_upheld_report_on_a_deleted_review_leaves_it_deleted(world: World) -> None:
    review = review_of(world)
    made = report(world, review.id)
    take(world, made.id)
    reviews.delete_review(world.platform, world.buyer_x.principal, review.id)
    assert decide(world, made.id, "upheld").review.status == "deleted"
    assert exact(world)


def test_moderator_queue_filters(world: World) -> None:
    world.deliver("third", "x", world.product_a)
    first = report(world, review_of(world).id, "abusive")
    second = report(world, review_of(world, "y").id, "spam_or_irrelevant")
    third = report(world, review_of(world, line="third").id, "abusive")
    take(world, second.id)
    decide(world, second.id, "upheld")
    mod = world.moderator.principal

    def ids(**filters: object) -> list[int]:
        return [r.id for r in reports.report_queue(world.platform, mod, **filters).items]  # type: ignore[arg-type]

    assert ids() == [first.id, third.id]  # open ones, oldest first
    assert ids(status="upheld") == [second.id]
    assert ids(reason="abusive") == [first.id, third.id]
    assert ids(shop_id=world.shop_b) == []
    assert ids(shop_id=world.shop_a, status="submitted") == [first.id, third.id]
    page = reports.report_queue(world.platform, mod, limit=1)
    assert [r.id for r in page.items] == [first.id] and page.next_cursor
    rest = reports.report_queue(world.platform, mod, limit=1, cursor=page.next_cursor)
    assert [r.id for r in rest.items] == [third.id]
    shop_list = reports.list_shop_reports(
        world.platform, world.seller_a.principal, world.shop_a, status="upheld"
    )
    assert [r.id for r in shop_list.items] == [second.id]
    refused(
        "not_your_shop",
        reports.list_shop_reports,
        world.platform,
        world.seller_b.principal,
        world.shop_a,
    )


def test_reports_are_private_to_the_shop_and_moderators(world: World) -> None:
    made = report(world, review_of(world).id, evidence=[EvidenceUpload(PDF, "a.pdf")])
    for actor in (world.seller_b, world.buyer_x):
        refused("not_your_report", reports.get_report, world.platform, actor.principal, made.id)
        refused(
            "not_your_report",
            reports.evidence_file,
            world.platform,
            actor.principal,
            made.id,
            made.evidence[0].id,
        )
    assert reports.get_report(world.platform, world.moderator.principal, made.id).id == made.id


def test_every_step_is_audited(world: World) -> None:
    review = review_of(world)
    made = report(world, review.id)
    take(world, made.id, hide=True)
    decide(world, made.id, "upheld")
    with world.platform.db.read() as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.subject_type == "report").order_by(AuditEntry.id)
        ).all()
        decisions = moderation.review_history(world.platform, world.moderator.principal, review.id)
    assert [(e.action, e.actor) for e in entries] == [
        ("report.create", world.seller_a.principal.key),
        ("report.take", world.moderator.principal.key),
        ("report.upheld", world.moderator.principal.key),
    ]
    assert [d.action for d in decisions][-2:] == ["report_hide", "report_remove"]
    assert all(isinstance(e.created_at, datetime) for e in entries)

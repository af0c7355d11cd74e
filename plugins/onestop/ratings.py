"""The applicant's rating of a returned dossier (đánh giá mức độ hài lòng): a
score from 1 to 5 for each criterion, and a comment if they like, once.

The criteria are the setting ``cong.onestop.rating_criteria``, a line each,
``slug Label`` (``thai-do Thái độ phục vụ``); without it :data:`DEFAULT_CRITERIA`.
The rating is kept on the dossier (``dossier.rating``) and its scores, without
the comment, in the desk's ``ratings`` by time, which the statistics average
(:mod:`plugins.onestop.statistics`).
"""

from __future__ import annotations

import re
from datetime import UTC

from BTrees.OOBTree import OOBTree
from pyramid.exceptions import ConfigurationError

from core.clock import now
from core.i18n import _
from plugins.onestop import statuses
from plugins.onestop.dossier import Dossier
from plugins.onestop.transitions import TransitionError

SETTING = "cong.onestop.rating_criteria"
DEFAULT_CRITERIA = (
    ("thai-do", "Thái độ phục vụ"),
    ("thoi-gian", "Thời gian giải quyết"),
    ("huong-dan", "Hướng dẫn rõ ràng, đầy đủ"),
    ("dung-hen", "Trả kết quả đúng hẹn"),
)
SCORES = range(1, 6)
#: The longest comment, in characters.
MAX_COMMENT = 1000
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")


def parse_criteria(text: str) -> tuple[tuple[str, str], ...]:
    """The criteria of the setting's ``text``; ConfigurationError for a bad line
    (or none)."""
    found = []
    for line in text.splitlines():
        if not line.strip():
            continue
        slug, _sep, label = line.strip().partition(" ")
        if not SLUG.fullmatch(slug) or not label.strip() or slug in dict(found):
            raise ConfigurationError(f"{SETTING}: each line is 'slug Label' with a new slug")
        found.append((slug, label.strip()))
    if not found:
        raise ConfigurationError(f"{SETTING}: no criterion")
    return tuple(found)


def read_criteria(registry) -> None:
    """Check and keep the criteria of the settings, at start-up."""
    text = registry.settings.get(SETTING, "")
    registry.onestop_rating_criteria = (
        parse_criteria(text) if text and text.strip() else DEFAULT_CRITERIA
    )


def criteria(registry) -> tuple[tuple[str, str], ...]:
    """The rating criteria: ``(slug, label)`` in order."""
    return registry.onestop_rating_criteria


def check_scores(registry, scores) -> dict[str, int]:
    """``scores`` (criterion slug -> 1..5, every criterion) as kept;
    :class:`TransitionError` 400 otherwise."""
    slugs = [slug for slug, _label in criteria(registry)]
    if not isinstance(scores, dict) or set(scores) != set(slugs):
        raise TransitionError(
            _("Cần chấm điểm đủ các tiêu chí: ${names}.", mapping={"names": ", ".join(slugs)}),
            400,
            {"scores": "criteria"},
        )
    for slug in slugs:
        value = scores[slug]
        if isinstance(value, bool) or not isinstance(value, int) or value not in SCORES:
            raise TransitionError(
                _("Điểm mỗi tiêu chí là số nguyên từ 1 đến 5."), 400, {slug: "invalid"}
            )
    return {slug: scores[slug] for slug in slugs}


def rate(request, dossier: Dossier, scores, comment="") -> dict:
    """Keep the applicant's rating of ``dossier`` (returned, not rated yet);
    :class:`TransitionError` 409 or 400 when refused, leaving it as it was. Who
    may rate is the caller's check (the applicant, or the look-up pair)."""
    if dossier.status != statuses.RETURNED or dossier.origin:
        raise TransitionError(_("Chỉ đánh giá hồ sơ đã trả kết quả."), 409)
    if dossier.rating is not None:
        raise TransitionError(_("Hồ sơ này đã được đánh giá."), 409)
    kept = check_scores(request.registry, scores)
    if (
        not isinstance(comment, str)
        or len(comment) > MAX_COMMENT
        or any(ord(c) < 32 and c not in "\t\r\n" for c in comment)
    ):
        raise TransitionError(
            _("Ý kiến là văn bản, tối đa ${n} ký tự.", mapping={"n": MAX_COMMENT}),
            400,
            {"comment": "invalid"},
        )
    when = now()
    dossier.rating = {"when": when, "scores": kept, "comment": comment.strip()}
    desk = dossier.__parent__
    if getattr(desk, "ratings", None) is None:  # a desk made before ratings
        desk.ratings = OOBTree()
    desk.ratings[(when.astimezone(UTC).isoformat(), dossier.code)] = dict(kept)
    return dossier.rating

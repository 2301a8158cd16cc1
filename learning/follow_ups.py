"""What became of an audit's learning actions elsewhere: the delivery plan (reporting) takes
them up. Learning never imports reporting, so reporting registers, in its `AppConfig.ready`, a
function that says for each of an audit's actions where it went, or offers to take it:

    register_learning_action_follow_up(delivery_plan_follow_ups)
    # (*, actions: list[LearningAction], user: Practitioner) -> {action id: FollowUp}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from cases.models import Practitioner

from .models import LearningAction


@dataclass(frozen=True)
class FollowUp:
    text: str
    href: str = ""  # empty: the reader may not open it
    done: bool = True  # False: an offer to take the action up, not a record that it was


class FollowUpsFn(Protocol):
    def __call__(
        self, *, actions: list[LearningAction], user: Practitioner
    ) -> Mapping[int, FollowUp]: ...


_follow_ups: list[FollowUpsFn] = []


def register_learning_action_follow_up(fn: FollowUpsFn) -> None:
    if fn not in _follow_ups:
        _follow_ups.append(fn)


def learning_actions_with_follow_ups(
    *, actions: list[LearningAction], user: Practitioner
) -> list[tuple[LearningAction, list[FollowUp]]]:
    """Each action with what every registered follow-up says about it, in action order."""
    answers = [fn(actions=actions, user=user) for fn in _follow_ups]
    return [
        (action, [answer[action.pk] for answer in answers if action.pk in answer])
        for action in actions
    ]

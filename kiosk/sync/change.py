"""What an update changes, for the preview on screen and the receipt: added, removed, changed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass

from kiosk.roster import Roster


@dataclass(frozen=True)
class Change:
    members_added: int = 0
    members_removed: int = 0
    members_changed: int = 0
    pledges_added: int = 0
    pledges_removed: int = 0
    pledges_changed: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    @property
    def empty(self) -> bool:
        return not any(self.as_dict().values())

    def lines(self) -> list[str]:
        """Two short lines for the preview screen."""
        return [
            f"党员：新增 {self.members_added} 名，删除 {self.members_removed} 名，修改 {self.members_changed} 名",
            f"承诺：新增 {self.pledges_added} 条，删除 {self.pledges_removed} 条，修改 {self.pledges_changed} 条",
        ]

    def summary(self) -> str:
        return "与原数据相同，没有变化。" if self.empty else "；".join(self.lines()) + "。"


def compare(old: Roster, new: Roster) -> Change:
    """Members by (village, number); pledges by (village, pledge code). A member counts as
    changed when anything shown about them changed: their own fields, pledges, grades, feedback."""
    old_members, new_members = _members(old), _members(new)
    old_pledges, new_pledges = _pledges(old), _pledges(new)
    return Change(
        members_added=len(new_members.keys() - old_members.keys()),
        members_removed=len(old_members.keys() - new_members.keys()),
        members_changed=sum(1 for key in new_members.keys() & old_members.keys() if new_members[key] != old_members[key]),
        pledges_added=len(new_pledges.keys() - old_pledges.keys()),
        pledges_removed=len(old_pledges.keys() - new_pledges.keys()),
        pledges_changed=sum(1 for key in new_pledges.keys() & old_pledges.keys() if new_pledges[key] != old_pledges[key]),
    )


def _members(roster: Roster) -> dict[tuple[str, str], tuple[object, ...]]:
    found: dict[tuple[str, str], tuple[object, ...]] = {}
    for village in roster.villages:
        code = village.village.code
        related: dict[str, list[object]] = defaultdict(list)
        for record in (*village.pledges, *village.evaluations, *village.feedback):
            related[record.member_number].append(record)
        for member in village.members:
            found[(code, member.number)] = (member, *related.get(member.number, ()))
    return found


def _pledges(roster: Roster) -> dict[tuple[str, str], object]:
    return {(v.village.code, p.code or f"{p.member_number}#{i}"): p
            for v in roster.villages for i, p in enumerate(v.pledges)}

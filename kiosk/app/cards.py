"""A bounded cache of rendered member cards: memory follows the cache, not the roster."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from datetime import date

from pygame import Surface

from kiosk.render.card import CardStyle, render_card, render_card_placeholder
from kiosk.render.layout import Size
from kiosk.render.qr import Matrix, feedback_url, qr_matrix
from kiosk.store.snapshot import MemberCard

log = logging.getLogger("kiosk.cards")


class CardCache:
    """Renders a card the first time it is needed and keeps the most recent `capacity` ones."""

    def __init__(
        self,
        style: CardStyle,
        load_photo: Callable[[str], Surface | None],
        capacity: int,
    ) -> None:
        self.style = style
        self.load_photo = load_photo
        self.capacity = capacity
        self._cards: OrderedDict[tuple[str, Size], Surface] = OrderedDict()

    def __len__(self) -> int:
        return len(self._cards)

    def clear(self) -> None:
        self._cards.clear()

    def has(self, card: MemberCard, size: Size) -> bool:
        return (card.member.number, size) in self._cards

    def get(self, card: MemberCard, size: Size, *, url_template: str, village: str, today: date) -> Surface:
        key = (card.member.number, size)
        surface = self._cards.get(key)
        if surface is not None:
            self._cards.move_to_end(key)
            return surface
        surface = self._render(card, size, url_template=url_template, village=village, today=today)
        self._cards[key] = surface
        while len(self._cards) > self.capacity:
            self._cards.popitem(last=False)
        return surface

    def _render(self, card: MemberCard, size: Size, *, url_template: str, village: str, today: date) -> Surface:
        try:
            url = feedback_url(url_template, village, card.member.number)
            qr: Matrix | None = qr_matrix(url) if url else None
            photo = self.load_photo(card.member.photo)
            return render_card(card, size, self.style, photo=photo, qr=qr, today=today)
        except Exception:  # noqa: BLE001 - one bad card must never stop the wall
            log.exception("card of member %s could not be drawn", card.member.number)
            return render_card_placeholder(card.member.name, size, self.style)

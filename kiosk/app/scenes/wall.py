"""The wall scene: pages of member cards and summary pages, turned on a timer with a slide.

State only; it draws from state into the surface it is given, with the time passed in. It tells
the loop how much changed so that nothing is redrawn when nothing moves.
"""

from __future__ import annotations

import math
from datetime import date, datetime

import pygame
from pygame import Rect, Surface

from kiosk.app.cards import CardCache
from kiosk.app.pointer import Gesture
from kiosk.app.scenes.base import Action, Redraw
from kiosk.config import DisplaySettings
from kiosk.render.card import CardStyle
from kiosk.render.layout import Size, summary_rows, wall_layout
from kiosk.render.pages import (
    PageRef,
    draw_notices,
    header_button,
    notice_lines,
    notice_seconds,
    page_sequence,
    render_empty_body,
    render_footer,
    render_header,
    render_notice_line,
    render_summary_body,
    render_wall_body,
    summary_first_row,
    summary_order,
)
from kiosk.store.snapshot import EMPTY_SNAPSHOT, CardList, MemberCard, WallSnapshot

EMPTY_MESSAGE = "暂无党员承诺数据，请由管理员用U盘导入名册"
SEARCH_LABEL = "查找"


class WallScene:
    def __init__(
        self,
        size: Size,
        settings: DisplaySettings,
        style: CardStyle,
        cards: CardCache,
        *,
        feedback_url: str = "",
    ) -> None:
        self.size = size
        self.settings = settings
        self.style = style
        self.cards = cards
        self.feedback_override = feedback_url
        self.layout = wall_layout(size, settings.grid)
        self.rows_per_summary = summary_rows(size)
        self.snapshot = EMPTY_SNAPSHOT
        self._summary_cards: CardList = EMPTY_SNAPSHOT.cards
        self.sequence: tuple[PageRef, ...] = (PageRef("wall", 0, 1),)
        self.position = 0
        self._bodies: dict[PageRef, Surface] = {}
        self._page_started = 0.0
        self._transition: tuple[float, Surface, Surface] | None = None
        self._header: Surface | None = None
        self._header_key: tuple[str, str] = ("", "")
        self._footer: Surface | None = None
        self._notice_box = Rect(0, 0, 0, 0)
        self._notices: list[str] = []  # the notices cut into footer lines, shown one after another
        self._notices_started = 0.0
        self._notice_index = 0
        self._notice_line: Surface | None = None
        self._today: date | None = None
        self._direction = 1
        self._pending = Redraw.ALL

    # --- state changes -------------------------------------------------------------------
    def set_snapshot(self, snapshot: WallSnapshot, t: float, now: datetime) -> None:
        """New data: forget rendered cards and pages, start again at the first page."""
        self.snapshot = snapshot
        self.cards.clear()
        self._bodies.clear()
        self._today = now.date()
        members = len(snapshot.cards)
        wall_pages = max(1, math.ceil(members / self.layout.per_page))
        summary_pages = math.ceil(members / self.rows_per_summary) if members else 0
        self.sequence = page_sequence(wall_pages, summary_pages, self.settings.summary_every)
        self._summary_cards = summary_order(snapshot.cards, self.settings.summary_order)
        self.position = 0
        self._page_started = t
        self._transition = None
        self._footer, self._notice_box = render_footer(snapshot.updated_at, self.layout.footer.size, self.style)
        self._notices = notice_lines(snapshot.active_notices(now.date()), self._notice_box.width, self.style)
        self._notices_started, self._notice_index, self._notice_line = t, 0, None
        self._pending = Redraw.ALL

    def turn(self, step: int, t: float) -> None:
        """Go to the next (1) or previous (-1) page with a slide."""
        old = self._body(self.page)
        self.position = (self.position + step) % len(self.sequence)
        new = self._body(self.page)
        self._page_started = t
        if self.settings.transition_ms > 0 and new is not old:
            self._transition = (t, old, new) if step > 0 else (t, new, old)
            self._direction = step
        self._bodies = {ref: body for ref, body in self._bodies.items() if ref in self._near()}
        self._pending = Redraw.ALL

    def show(self, position: int, t: float) -> None:
        """Jump straight to a page of the sequence (no slide), e.g. for `pledgewall render`."""
        self.position = position % len(self.sequence)
        self._page_started = t
        self._transition = None
        self._pending = Redraw.ALL

    def repaint(self) -> None:
        self._pending = Redraw.ALL

    @property
    def page(self) -> PageRef:
        return self.sequence[self.position]

    @property
    def moving(self) -> bool:
        """True while something animates (the loop then runs at full frame rate).

        Long notices do not scroll: a ticker costs a redraw every frame (80 % of a core under X11
        for the footer alone), and elderly readers read still lines more easily. They are shown
        a line at a time instead, each for as long as it takes to read.
        """
        return self._transition is not None

    # --- input ---------------------------------------------------------------------------
    def gesture(self, gesture: Gesture, t: float) -> Action | None:
        if gesture.kind == "swipe":
            self.turn(-1 if gesture.dx > 0 else 1, t)
        elif gesture.kind == "tap":
            if self.search_button.collidepoint(gesture.pos):
                return Action("search")
            number = self.member_at(gesture.pos)
            if number:
                return Action("detail", number)
        return None

    def text(self, text: str, t: float) -> Action | None:
        return Action("search", text) if text.strip() else None

    def key(self, key: int, mod: int, t: float) -> Action | None:
        if key in (pygame.K_RIGHT, pygame.K_PAGEDOWN, pygame.K_SPACE):
            self.turn(1, t)
        elif key in (pygame.K_LEFT, pygame.K_PAGEUP):
            self.turn(-1, t)
        elif key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_F3):
            return Action("search")
        return None

    @property
    def search_button(self) -> Rect:
        return header_button(self.layout.header.size, self.style, SEARCH_LABEL).move(self.layout.header.topleft)

    def member_at(self, pos: tuple[int, int]) -> str:
        """The member whose card (or summary row) is at a screen position, or ''."""
        if self._transition is not None:
            return ""
        cards = self._page_cards(self.page)
        if self.page.kind == "wall":
            for card, rect in zip(cards, self.layout.cards):
                if rect.collidepoint(pos):
                    return card.member.number
            return ""
        top = self.layout.body.y + summary_first_row(self.style.type)
        if pos[1] < top or not self.layout.body.collidepoint(pos):
            return ""
        row = (pos[1] - top) // self.style.type.row
        return cards[row].member.number if row < len(cards) else ""

    # --- time ----------------------------------------------------------------------------
    def update(self, t: float, now: datetime) -> Redraw:
        if self._today is not None and now.date() != self._today:
            self.set_snapshot(self.snapshot, t, now)  # overdue marks and notices change by date
        redraw = self._pending
        self._pending = Redraw.NONE
        if self._transition is not None:
            redraw = Redraw.ALL
            if t - self._transition[0] >= self.settings.transition_ms / 1000:
                self._transition = None
        elif len(self.sequence) > 1 and t - self._page_started >= self.settings.page_seconds:
            self.turn(1, t)
            redraw = Redraw.ALL
        if self._header is not None and self._header_key != (now.strftime("%Y%m%d%H%M"), self.page.label):
            redraw = Redraw.ALL
        if len(self._notices) > 1:
            index = self._notice_at(t)
            if index != self._notice_index:
                self._notice_index, self._notice_line = index, None
                redraw = max(redraw, Redraw.FOOTER, key=lambda r: r.value)
        return redraw

    def _notice_at(self, t: float) -> int:
        """Which notice line is up at time t (the lines cycle, each for its reading time)."""
        durations = [notice_seconds(line) for line in self._notices]
        elapsed = (t - self._notices_started) % sum(durations)
        for index, seconds in enumerate(durations):
            if elapsed < seconds:
                return index
            elapsed -= seconds
        return 0

    def prepare_ahead(self) -> bool:
        """Render one card (or one page) of the next page; False when nothing is left to do.

        Called by the loop when it has time to spare, so page turns only blit.
        """
        if self._transition is not None:
            return False
        upcoming = self.sequence[(self.position + 1) % len(self.sequence)]
        if upcoming in self._bodies:
            return False
        if upcoming.kind == "wall":
            for card in self._page_cards(upcoming):
                if not self.cards.has(card, self.layout.card_size):
                    self._card(card)
                    return True
        self._body(upcoming)
        return True

    # --- drawing -------------------------------------------------------------------------
    def draw(self, target: Surface, t: float, now: datetime, redraw: Redraw = Redraw.ALL) -> None:
        layout = self.layout
        if redraw == Redraw.ALL:
            target.blit(self._header_surface(now), layout.header)
            if self._transition is None:
                target.blit(self._body(self.page), layout.body)
            else:
                self._draw_transition(target, t)
        self._draw_footer(target)

    def _draw_transition(self, target: Surface, t: float) -> None:
        assert self._transition is not None
        started, left, right = self._transition
        share = min(1.0, (t - started) / max(0.001, self.settings.transition_ms / 1000))
        eased = 1 - (1 - share) ** 3
        width = self.layout.body.width
        shift = round(eased * width) if self._direction > 0 else round((1 - eased) * width)
        body = self.layout.body
        target.set_clip(body)
        target.blit(left, (body.x - shift, body.y))
        target.blit(right, (body.x - shift + width, body.y))
        target.set_clip(None)

    def _draw_footer(self, target: Surface) -> None:
        footer_rect = self.layout.footer
        if self._footer is None:
            self._footer, self._notice_box = render_footer(
                self.snapshot.updated_at, footer_rect.size, self.style
            )
        target.blit(self._footer, footer_rect)
        if self._notice_line is None and self._notices:
            self._notice_line = render_notice_line(self._notices[self._notice_index], self.style)
        draw_notices(target, self._notice_box.move(footer_rect.topleft), self._notice_line)

    def _header_surface(self, now: datetime) -> Surface:
        key = (now.strftime("%Y%m%d%H%M"), self.page.label)
        if self._header is None or key != self._header_key:
            self._header = render_header(
                self.snapshot.village, now, self.page.label, self.layout.header.size, self.style, SEARCH_LABEL
            )
            self._header_key = key
        return self._header

    def _near(self) -> set[PageRef]:
        """Page pictures worth keeping: this one and the next (7 MB each at 1080p). Going back
        recomposes the previous page from the card cache, which still holds its cards."""
        n = len(self.sequence)
        return {self.sequence[(self.position + d) % n] for d in (0, 1)}

    def _page_cards(self, page: PageRef) -> list[MemberCard]:
        if page.kind == "wall":
            cards, per = self.snapshot.cards, self.layout.per_page
        else:
            cards, per = self._summary_cards, self.rows_per_summary
        return list(cards[page.index * per : (page.index + 1) * per])

    def _card(self, card: MemberCard) -> Surface:
        village = self.snapshot.village
        template = self.feedback_override or (village.feedback_url if village else "")
        return self.cards.get(
            card,
            self.layout.card_size,
            url_template=template,
            village=village.code if village else "",
            today=self._today or datetime.now().date(),
        )

    def _body(self, page: PageRef) -> Surface:
        body = self._bodies.get(page)
        if body is not None:
            return body
        cards = self._page_cards(page)
        today = self._today or datetime.now().date()
        if not cards:
            body = render_empty_body(self.layout.body.size, self.style, EMPTY_MESSAGE)
        elif page.kind == "wall":
            body = render_wall_body([self._card(c) for c in cards], self.layout, self.style.theme.background)
        else:
            year = self.snapshot.pledge_year(today)
            body = render_summary_body(cards, self.layout.body.size, self.style, year=year, today=today)
        self._bodies[page] = body
        return body

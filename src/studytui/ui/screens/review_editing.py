"""The review screen's card editing: edit the shown card, add a card to a deck.

Split from ``review.py`` by job. The text of an edited card is shown at once and written in a
worker; a write that fails puts the stored text back and says so (``save_in_worker``).
"""

from __future__ import annotations

from studytui.core.services.facade import Services
from studytui.core.services.review import CardView, ReviewFilter
from studytui.ui.saving import save_in_worker
from studytui.ui.screens.review_dialogs import AddCardScreen, CardText, EditCardScreen, NewCard
from studytui.ui.screens.review_messages import CardsAdded, DeckChoicesLoaded
from studytui.ui.screens.review_saving import RatingsScreen


class CardEditing(RatingsScreen):
    """What ``ReviewScreen`` edits and adds; it provides the card, the filter and the drawing."""

    services: Services
    card: CardView | None
    filter: ReviewFilter

    def render_card(self) -> None:
        raise NotImplementedError

    def load_deck_choices(self, purpose: str) -> object:
        raise NotImplementedError

    def on_deck_choices_loaded(self, message: DeckChoicesLoaded) -> None:
        deck = self.card.deck if self.card is not None else self.filter.deck
        if deck is None and self.filter.topic:
            deck = next((d.name for d in message.decks if d.topic_id == self.filter.topic), None)
        self.app.push_screen(AddCardScreen(message.decks, deck), self._card_added)

    def on_cards_added(self, message: CardsAdded) -> None:
        deck = message.cards[0].deck_title if message.cards else ""
        self.notify(
            f"Added {len(message.cards)} card(s) to {deck}; they are new cards from the next "
            "reload on.",
            markup=False,
        )

    def action_edit(self) -> None:
        card = self.card
        if card is None:
            return
        title = f"Edit card · {card.deck_title} (its review history is kept)"
        self.app.push_screen(EditCardScreen(title, card.front, card.back), self._edited)

    def _edited(self, result: CardText | None) -> None:
        card = self.card
        if result is None or card is None or self.session is None:
            return
        session = self.session
        session.replace_text(card.id, result.front, result.back)
        self.card = session.current
        self.render_card()

        def revert(_why: str) -> None:  # show the stored text again
            if session.current is not None and session.current.id == card.id:
                session.current = card
                if self.session is session:
                    self.card = card
                    self.render_card()

        save_in_worker(
            self,
            "The edit",
            lambda: self.services.review.edit(card.id, result.front, result.back),
            failed=revert,
            group="review-edit",
        )

    def action_add(self) -> None:
        self.load_deck_choices("add")

    def _card_added(self, result: NewCard | None) -> None:
        if result is None:
            return
        review = self.services.review
        save_in_worker(
            self,
            "The new card",
            lambda: review.add(result.deck, result.front, result.back, result.reverse),
            saved=lambda cards: self.on_cards_added(CardsAdded(cards)),
            group="review-edit",
        )

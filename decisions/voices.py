"""One voice per organisation: a per-network option (``DecisionSettings.one_voice_per_organisation``).

When it is on, an organisation that is a partner of the network, and has a representative, speaks
with one voice in a consent round: its representative answers for it, and its named deputy may answer
when the representative has not. Other persons affiliated with it are spoken for and do not answer
themselves; everyone else answers for themselves, as usual. Quorum and the two consents needed for
adoption are then counted in voices, not persons. The electorate, voices included, is fixed when a
round opens.

``decisions/`` knows no partners: the partners app tells who speaks for which organisation by
registering a provider in its ``AppConfig.ready`` (``register_voice_provider``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from ecosystem.models import Network


@dataclass(frozen=True)
class OrganisationVoice:
    key: str  # stable within the network, e.g. "partnership:12"
    label: str  # the organisation's name, shown as "answered for ..."
    representative_id: int
    deputy_id: int | None
    member_ids: frozenset[int]  # persons affiliated with the organisation (spoken for)


@dataclass(frozen=True)
class Seat:
    """One person's place in a round's electorate: whose voice they give, and whether as deputy."""

    person_id: int
    role: str
    voice: str
    voice_label: str = ""
    speaks_for_id: int | None = None  # a deputy speaks for the representative


Provider = Callable[[Network], Iterable[OrganisationVoice]]
_provider: Provider | None = None


def register_voice_provider(provider: Provider) -> None:
    global _provider
    _provider = provider


def personal_voice(person_id: int) -> str:
    return f"person:{person_id}"


def seats(network: Network, eligible: dict[int, str], *, one_voice: bool) -> list[Seat]:
    """The electorate of a new round: eligible person id → role, grouped into voices."""
    if not one_voice or _provider is None:
        return [Seat(pid, role, personal_voice(pid)) for pid, role in sorted(eligible.items())]
    spoken_for: dict[int, OrganisationVoice] = {}
    for group in _provider(network):
        speakers = {group.representative_id, group.deputy_id} - {None}
        if not speakers & set(eligible):
            continue  # nobody who may answer speaks for it: its members answer for themselves
        for member_id in group.member_ids | speakers:
            if member_id is not None:
                spoken_for.setdefault(member_id, group)
    result = []
    for person_id, role in sorted(eligible.items()):
        organisation = spoken_for.get(person_id)
        if organisation is None:
            result.append(Seat(person_id, role, personal_voice(person_id)))
        elif person_id == organisation.representative_id:
            result.append(Seat(person_id, role, organisation.key, organisation.label))
        elif person_id == organisation.deputy_id:
            result.append(Seat(person_id, role, organisation.key, organisation.label, organisation.representative_id))
        # any other member of the organisation is spoken for: no seat of their own
    return result


class _SeatLike(Protocol):
    person_id: int
    voice: str
    speaks_for_id: int | None


class _AnswerLike(Protocol):
    person_id: int
    voice: str


A = TypeVar("A", bound=_AnswerLike)


def answers_per_voice(seats: Iterable[_SeatLike], answers: Iterable[A]) -> dict[str, A]:
    """Which answer counts for each voice: the one rule, used by the pages, the inbox's tallies and closing.

    ``seats``: a round's electors (or :class:`Seat`); ``answers``: its current answers. A person's own
    voice counts their answer; an organisation's voice counts its representative's answer, its
    deputy's only while the representative has none. Answers of persons without a seat do not count.
    Each counted answer gets ``.voice``.
    """
    seat_of = {seat.person_id: seat for seat in seats}
    chosen: dict[str, A] = {}
    for answer in answers:
        seat = seat_of.get(answer.person_id)
        if seat is None:
            continue
        held = chosen.get(seat.voice)
        if held is None or (seat.speaks_for_id is None and seat_of[held.person_id].speaks_for_id is not None):
            answer.voice = seat.voice
            chosen[seat.voice] = answer
    return chosen

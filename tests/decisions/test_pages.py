"""The decision pages: what each shows and to whom, the actions on a proposal, the answer form with and
without htmx, the register and its CSV, and the query budgets.

New decision strings are not translated yet, so requests here ask for English (``django_language``
cookie); the statuses per persona are in tests/test_permission_matrix.py.
"""

from __future__ import annotations

import csv
import datetime
import io

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from decisions import notifications, services
from decisions.diff import word_diff
from decisions.models import (
    Answer,
    AnswerKind,
    ClarifyingQuestion,
    ConsentRound,
    Electorate,
    Proposal,
    ProposalKind,
    ProposalState,
    Reaction,
)
from ecosystem.models import GovernanceForm, Role, Stage
from partners import services as partner_services
from partners.models import Status
from tests.conftest import World
from tests.decisions.factories import answer, in_days, make_proposal, make_round
from tests.factories import make_partnership, make_person
from tests.helpers import english, messages_of, page_text
from tests.queries import assert_constant_queries


def url(name: str, world: World, *args) -> str:
    return reverse(name, args=[world.network.slug, *args])


def adopt(world: World, proposal: Proposal, *, by: str = "coalition") -> Proposal:
    """Bring a proposal through a round in which everyone consents (the council's four)."""
    round = make_round(world, proposal, by=by)
    for persona in ("coordinator", "coalition", "member2", "member3"):
        answer(world, round, persona, AnswerKind.CONSENT)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.ADOPTED
    return proposal


# --- The list ----------------------------------------------------------------------------------------


def test_the_list_shows_open_rounds_first_with_their_progress_then_the_other_states(council):
    draft = make_proposal(council, state=ProposalState.DRAFT, title="A draft idea")
    questions = make_proposal(council, state=ProposalState.QUESTIONS, title="Asking questions")
    reactions = make_proposal(council, state=ProposalState.REACTIONS, title="Gathering reactions")
    round = make_round(council, title="In a round")
    answer(council, round, "member2", AnswerKind.CONSENT)
    decided = adopt(council, make_proposal(council, title="Already adopted"))

    response = english(council.client("coordinator")).get(url("proposal_list", council))
    assert response.status_code == 200
    page = page_text(response)
    assert page.index("Consent rounds open") < page.index("In a round") < page.index("Clarifying questions")
    assert "1 of 4 answered" in page
    assert "awaits your answer" in page
    for proposal in (draft, questions, reactions, decided):
        assert proposal.title in page
    assert page.index("Decided") < page.index("Already adopted")
    assert f'href="{url("proposal_answer", council, round.proposal.pk)}"' in response.content.decode()


def test_only_those_who_propose_see_the_new_proposal_button(world):
    assert 'id="new-proposal"' in english(world.client("coalition")).get(url("proposal_list", world)).content.decode()
    for persona in ("broad_partner", "observer", "facilitator"):
        assert (
            'id="new-proposal"' not in english(world.client(persona)).get(url("proposal_list", world)).content.decode()
        )


def test_the_network_menu_links_proposals_for_readers_and_the_register_for_funders(world):
    proposals, register = url("proposal_list", world), url("decision_register", world)
    coalition_page = english(world.client("coalition")).get(url("network_detail", world)).content.decode()
    funder_page = english(world.client("funder")).get(url("network_detail", world)).content.decode()
    assert f'href="{proposals}"' in coalition_page
    assert f'href="{proposals}"' not in funder_page and f'href="{register}"' in funder_page


# --- A new proposal --------------------------------------------------------------------------------------


def test_a_coalition_member_makes_a_proposal_in_draft(world):
    response = english(world.client("coalition")).post(
        url("proposal_new", world),
        {
            "title": "Wednesday meetings",
            "driver": "We never meet.",
            "text": "We meet on Wednesdays.",
            "kind": ProposalKind.GENERAL,
            "electorate": Electorate.NETWORK,
        },
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response.url == url("proposal_detail", world, proposal.pk)
    assert (proposal.state, proposal.electorate, proposal.proposer) == (
        ProposalState.DRAFT,
        Electorate.NETWORK,
        world.persons["coalition"],
    )
    assert proposal.versions.get().text == "We meet on Wednesdays."


def test_the_partner_pages_link_prefills_an_admission_and_the_form_admits_that_partner(world):
    partnership = make_partnership(world.network, "Bibliotheek Borgloon")
    client = english(world.client("coordinator"))
    response = client.get(url("proposal_new", world), {"kind": "admit_partner", "partnership": partnership.pk})
    form = response.context["form"]
    assert form.initial["kind"] == ProposalKind.ADMIT_PARTNER
    assert form.initial["partnership"] == partnership.pk
    assert form.initial["title"] == "Admit Bibliotheek Borgloon to the core"
    assert f'<option value="{partnership.pk}" selected>Bibliotheek Borgloon</option>' in response.content.decode()

    response = client.post(
        url("proposal_new", world),
        {
            "title": "Admit the library",
            "driver": "They host us every week.",
            "text": "The library becomes a core partner.",
            "kind": ProposalKind.ADMIT_PARTNER,
            "partnership": partnership.pk,
            "electorate": Electorate.COALITION,
        },
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert (proposal.kind, proposal.subject) == (ProposalKind.ADMIT_PARTNER, partnership)


def test_core_partners_and_those_who_left_cannot_be_proposed_for_admission(world):
    broad = make_partnership(world.network, "Sportclub")
    left = make_partnership(world.network, "Gone vzw")
    partner_services.change_status(partnership=left, to_status=Status.LEFT, on=timezone.localdate(), by=None)
    other = make_partnership(world.other_network, "Elsewhere vzw")
    response = english(world.client("coordinator")).get(url("proposal_new", world))
    offered = list(response.context["form"].fields["partnership"].queryset)
    assert offered == [broad]
    response = english(world.client("coordinator")).get(url("proposal_new", world), {"partnership": other.pk})
    assert "partnership" not in response.context["form"].initial


def test_a_proposal_to_change_the_networks_stage_carries_the_stage(world):
    english(world.client("coordinator")).post(
        url("proposal_new", world),
        {
            "title": "On to experimentation",
            "driver": "We are ready.",
            "text": "We move on.",
            "kind": ProposalKind.CHANGE_NETWORK_STAGE,
            "to_stage": Stage.EXPERIMENTATION,
            "electorate": Electorate.COALITION,
        },
    )
    proposal = Proposal.objects.get()
    assert proposal.effect_params == {"to_stage": Stage.EXPERIMENTATION}
    page = page_text(english(world.client("coordinator")).get(url("proposal_detail", world, proposal.pk)))
    assert "The network moves to the stage: Dynamic experimentation" in page


def test_a_proposal_to_change_the_governance_carries_form_and_principles(world):
    english(world.client("coordinator")).post(
        url("proposal_new", world),
        {
            "title": "Shared governance",
            "driver": "The lead organisation carries too much.",
            "text": "We share.",
            "kind": ProposalKind.CHANGE_GOVERNANCE,
            "governance_form": GovernanceForm.SHARED,
            "principles": "Learn by doing\n\n  Nobody decides alone  \n",
            "electorate": Electorate.COALITION,
        },
    )
    proposal = Proposal.objects.get()
    assert proposal.effect_params == {
        "governance_form": GovernanceForm.SHARED,
        "principles": ["Learn by doing", "Nobody decides alone"],
    }


def test_kinds_whose_effect_nobody_carries_out_are_not_offered(world, monkeypatch):
    from decisions import effects

    monkeypatch.setattr(effects, "_effects", {k: v for k, v in effects._effects.items() if k != "adopt_experiment"})
    response = english(world.client("coordinator")).get(url("proposal_new", world))
    kinds = [value for value, _label in response.context["form"].fields["kind"].choices]
    assert ProposalKind.GENERAL in kinds and ProposalKind.ADMIT_PARTNER in kinds
    assert ProposalKind.ADOPT_EXPERIMENT not in kinds  # offered once an app registers its effect


# --- The proposal page --------------------------------------------------------------------------------


def test_the_proposer_takes_a_proposal_from_draft_to_a_consent_round_through_the_page(
    council, django_capture_on_commit_callbacks
):
    proposal = make_proposal(council, state=ProposalState.DRAFT)
    client = english(council.client("coalition"))
    detail = url("proposal_detail", council, proposal.pk)
    assert 'id="start-questions"' in client.get(detail).content.decode()

    assert client.post(url("proposal_start_questions", council, proposal.pk)).url == detail
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.QUESTIONS
    assert client.post(url("proposal_start_reactions", council, proposal.pk)).url == detail
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.REACTIONS

    deadline = timezone.localtime() + datetime.timedelta(days=3)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("proposal_open_round", council, proposal.pk),
            {"deadline": deadline.strftime("%Y-%m-%dT%H:%M"), "hide_answers_until_close": "on"},
        )
    assert response.status_code == 302
    round = ConsentRound.objects.get(proposal=proposal)
    assert round.hide_answers_until_close and round.deadline == deadline.replace(second=0, microsecond=0)
    assert round.opened_by == council.persons["coalition"]
    # Everyone eligible has the link to the answer form, which is this page's URL.
    link = notifications.answer_url(proposal)
    assert link.endswith(url("proposal_answer", council, proposal.pk))
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        f"{p}@example.test" for p in ("coordinator", "coalition", "member2", "member3")
    )
    assert all(link in m.body for m in mail.outbox)


def test_a_coordinator_moves_someone_elses_proposal_along_but_cannot_withdraw_it(council):
    proposal = make_proposal(council, state=ProposalState.DRAFT)
    client = english(council.client("coordinator"))
    page = client.get(url("proposal_detail", council, proposal.pk)).content.decode()
    assert 'id="start-questions"' in page and "Withdraw the proposal" not in page
    client.post(url("proposal_start_questions", council, proposal.pk))
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.QUESTIONS
    assert client.post(url("proposal_withdraw", council, proposal.pk)).status_code == 403
    assert client.get(url("proposal_new_version", council, proposal.pk)).status_code == 403


def test_a_member_asks_a_question_and_the_proposer_answers_it_inline(council):
    proposal = make_proposal(council, state=ProposalState.QUESTIONS)
    detail = url("proposal_detail", council, proposal.pk)
    response = english(council.client("member2")).post(
        url("proposal_ask", council, proposal.pk), {"text": "Which room?"}
    )
    assert response.status_code == 302 and response.url == detail
    question = ClarifyingQuestion.objects.get()
    assert question.asked_by == council.persons["member2"]

    proposer = english(council.client("coalition"))
    assert f'name="q{question.pk}-answer"' in proposer.get(detail).content.decode()
    assert f'name="q{question.pk}-answer"' not in english(council.client("member2")).get(detail).content.decode()
    response = proposer.post(
        url("proposal_answer_question", council, proposal.pk, question.pk), {f"q{question.pk}-answer": "Room 2."}
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.answer == "Room 2." and question.answered_by == council.persons["coalition"]
    assert "Room 2." in page_text(english(council.client("observer")).get(detail))


def test_a_broad_partners_reaction_on_a_coalition_decision_is_advice(council):
    proposal = make_proposal(council)  # the coalition decides
    detail = url("proposal_detail", council, proposal.pk)
    client = english(council.client("broad_partner"))
    assert "your reaction is recorded as advice" in page_text(client.get(detail))
    client.post(url("proposal_react", council, proposal.pk), {"text": "Mind the holidays."})
    reaction = Reaction.objects.get()
    assert reaction.is_advice and reaction.by == council.persons["broad_partner"]
    english(council.client("member2")).post(url("proposal_react", council, proposal.pk), {"text": "Fine by me."})
    assert not Reaction.objects.get(text="Fine by me.").is_advice
    page = page_text(english(council.client("observer")).get(detail))
    assert "Mind the holidays." in page and "advice" in page


def test_the_page_shows_each_version_and_the_difference_with_the_one_before(council):
    proposal = make_proposal(council, text="We meet in the library on Wednesdays.")
    services.new_version(
        proposal=proposal,
        text="We meet in the town hall on Wednesdays <b>evening</b>.",
        change_note="The library is closed.",
        by=council.user("coalition"),
    )
    response = english(council.client("observer")).get(url("proposal_detail", council, proposal.pk))
    content = response.content.decode()
    assert "The proposal (version 2)" in page_text(response)
    assert "The library is closed." in page_text(response)
    assert "<del>" in content and "library" in content.split("<del>")[1].split("</del>")[0]
    assert "town hall" in content.split("<ins>")[1].split("</ins>")[0]
    assert "&lt;b&gt;evening&lt;/b&gt;" in content  # the text is escaped, also inside a difference


def test_the_word_difference_marks_removals_and_additions_for_screen_readers_too():
    diff = word_diff("one two three", "one 2 three four")
    assert diff == (
        'one <del><span class="visually-hidden">[removed: </span>two<span class="visually-hidden">]</span></del>'
        '<ins><span class="visually-hidden">[added: </span>2<span class="visually-hidden">]</span></ins> three'
        '<ins><span class="visually-hidden">[added: </span> four<span class="visually-hidden">]</span></ins>'
    )
    assert "&lt;script&gt;" in word_diff("a", "<script>")


def test_the_electorate_sees_the_answers_others_see_only_who_answered(council):
    round = make_round(council)
    answer(council, round, "member2", AnswerKind.OBJECTION, reason="Too soon for the volunteers.")
    detail = url("proposal_detail", council, round.proposal.pk)
    elector_page = page_text(english(council.client("member3")).get(detail))
    assert "Too soon for the volunteers." in elector_page
    assert "objection" in elector_page
    observer_page = page_text(english(council.client("observer")).get(detail))
    assert "Too soon for the volunteers." not in observer_page
    assert "answered" in observer_page and "not yet" in observer_page


def test_a_round_that_hides_answers_shows_each_elector_only_their_own_until_it_closes(council):
    round = services.open_consent_round(
        proposal=make_proposal(council),
        deadline=in_days(7),
        hide_answers_until_close=True,
        by=council.user("coalition"),
    )
    answer(council, round, "member2", AnswerKind.OBJECTION, reason="Too soon for the volunteers.")
    answer(council, round, "member3", AnswerKind.CONSENT)
    detail = url("proposal_detail", council, round.proposal.pk)
    page = page_text(english(council.client("member3")).get(detail))
    assert "Too soon for the volunteers." not in page
    assert "The answers are hidden until the round closes." in page
    assert "Your answer: consent" in page
    assert "Too soon for the volunteers." in page_text(english(council.client("member2")).get(detail))  # their own

    answer(council, round, "coordinator", AnswerKind.CONSENT)
    answer(council, round, "coalition", AnswerKind.CONSENT)  # everyone answered: the round closes
    page = page_text(english(council.client("observer")).get(detail))
    assert "Too soon for the volunteers." in page
    assert "Outcome" in page and "not adopted" in page


def test_after_an_objection_the_proposer_writes_a_new_version_that_opens_a_new_round(
    council, django_capture_on_commit_callbacks
):
    round = make_round(council)
    answer(council, round, "member2", AnswerKind.OBJECTION, reason="Not in the holidays.")
    proposal = round.proposal
    client = english(council.client("coalition"))
    assert 'id="new-version"' in client.get(url("proposal_detail", council, proposal.pk)).content.decode()
    page = client.get(url("proposal_new_version", council, proposal.pk))
    assert "Not in the holidays." in page_text(page)
    assert page.context["form"].initial["text"] == "We meet in the library on Wednesdays, from September on."

    mail.outbox.clear()
    deadline = (timezone.localtime() + datetime.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("proposal_new_version", council, proposal.pk),
            {
                "text": "We meet in the library on Wednesdays, from September on, not in the holidays.",
                "change_note": "Integrates the objection about the holidays.",
                "open_round": "on",
                "deadline": deadline,
            },
        )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.CONSENT_ROUND
    first, second = proposal.rounds.order_by("number")
    assert first.result == "superseded" and second.is_open and second.version.number == 2
    assert len(mail.outbox) == 4
    page = page_text(english(council.client("member2")).get(url("proposal_detail", council, proposal.pk)))
    assert "Round 1: replaced by a new version" in page


def test_the_proposer_withdraws_with_a_reason(council):
    round = make_round(council)
    response = english(council.client("coalition")).post(
        url("proposal_withdraw", council, round.proposal.pk), {"reason": "The library closes."}
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.state == ProposalState.WITHDRAWN and "The library closes." in proposal.outcome
    assert not ConsentRound.objects.filter(closed_at__isnull=True).exists()


def test_another_networks_proposal_is_not_found_here(world):
    elsewhere = make_person(world.other_network, Role.COORDINATOR)
    proposal = services.create_proposal(
        network=world.other_network, title="Elsewhere", driver="d", text="t", by=elsewhere.user
    )
    client = english(world.client("coordinator"))
    assert client.get(url("proposal_detail", world, proposal.pk)).status_code == 404
    assert client.get(url("proposal_answer", world, proposal.pk)).status_code == 404


# --- The answer form ------------------------------------------------------------------------------------


def test_the_answer_form_works_without_javascript(council):
    round = make_round(council)
    answer_url = url("proposal_answer", council, round.proposal.pk)
    client = english(council.client("member2"))
    response = client.get(answer_url)
    content = response.content.decode()
    assert response.status_code == 200 and "<html" in content
    for kind in AnswerKind.values:
        assert f'<input class="form-check-input" type="radio" name="kind" value="{kind}" id="kind-{kind}"' in content
    assert f'action="{answer_url}"' in content and 'method="post"' in content
    assert "We meet in the library on Wednesdays" in page_text(response)

    response = client.post(answer_url, {"kind": AnswerKind.CONCERN, "reason": "Mind the holidays."})
    assert response.status_code == 302 and response.url == answer_url
    assert messages_of(response) == ["Your answer is saved: consent with a concern."]
    page = client.get(answer_url)
    assert "Your answer now: consent with a concern" in page_text(page)
    assert 'value="concern" id="kind-concern" aria-describedby="kind-concern-hint" checked' in page.content.decode()

    client.post(answer_url, {"kind": AnswerKind.CONSENT})  # changed until the round closes
    current = Answer.objects.get(round=round, person=council.persons["member2"], is_current=True)
    assert current.kind == AnswerKind.CONSENT
    assert Answer.objects.filter(round=round, person=council.persons["member2"]).count() == 2


def test_with_htmx_the_answer_form_swaps_in_place(council):
    round = make_round(council)
    answer_url = url("proposal_answer", council, round.proposal.pk)
    client = english(council.client("member2"))
    partial = client.get(answer_url, headers={"HX-Request": "true"})
    assert partial.status_code == 200
    content = partial.content.decode()
    assert content.startswith('<section id="answer-form"') and "<html" not in content
    assert f'hx-post="{answer_url}"' in content and 'hx-target="#answer-form"' in content

    response = client.post(answer_url, {"kind": AnswerKind.STAND_ASIDE}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    content = response.content.decode()
    assert content.startswith('<section id="answer-form"') and "<html" not in content
    assert "Your answer is saved: stand aside." in page_text(response)
    assert "Your answer now: stand aside" in page_text(response)
    assert messages_of(response) == []

    refused = client.post(answer_url, {"kind": AnswerKind.OBJECTION}, headers={"HX-Request": "true"})
    assert refused.status_code == 200 and "<html" not in refused.content.decode()
    assert "An objection needs a reason" in page_text(refused)


def test_the_answer_that_completes_the_round_shows_the_outcome_in_place(council):
    round = make_round(council)
    for persona in ("coordinator", "coalition", "member3"):
        answer(council, round, persona, AnswerKind.CONSENT)
    response = english(council.client("member2")).post(
        url("proposal_answer", council, round.proposal.pk), {"kind": AnswerKind.CONSENT}, headers={"HX-Request": "true"}
    )
    page = page_text(response)
    assert "This round has closed: adopted." in page
    outcome = Proposal.objects.get().outcome  # in the site's language
    assert " ".join(outcome.split()) in page
    assert 'name="kind"' not in response.content.decode()


def test_after_the_round_closed_the_answer_page_is_read_only_with_the_outcome(council):
    round = make_round(council)
    answer(council, round, "member2", AnswerKind.OBJECTION, reason="Unsafe.")
    with time_machine.travel(in_days(8)):
        services.close_due_rounds()
        response = english(council.client("member2")).get(url("proposal_answer", council, round.proposal.pk))
    page = page_text(response)
    assert 'name="kind"' not in response.content.decode()
    assert "This round has closed: not adopted." in page
    assert "Your answer was: objection: Unsafe." in page


def test_with_one_voice_per_organisation_the_pages_say_who_answers_for_whom(council):
    make_person(council.network, Role.COALITION_MEMBER, name="Member4 Person")
    school = make_partnership(council.network, "School")
    for persona in ("member2", "member3", "coalition"):
        partner_services.affiliate(person=council.persons[persona], organisation=school.organisation, by=None)
    partner_services.update_partnership(
        partnership=school, by=None, representative=council.persons["member2"], deputy=council.persons["member3"]
    )
    services.update_decision_settings(network=council.network, by=None, one_voice_per_organisation=True)
    round = make_round(council, by="coordinator")
    answer(council, round, "member3", AnswerKind.CONCERN, reason="Not on Wednesdays.")  # the deputy, in place

    page = page_text(english(council.client("coordinator")).get(url("proposal_detail", council, round.proposal.pk)))
    assert "Member3 Person consent with a concern (for School) Not on Wednesdays." in page
    assert "Member2 Person School has answered through someone else" in page
    assert "1 of 3 answered" in page  # in voices: the coordinator, the School, member 4
    representative = english(council.client("member2")).get(url("proposal_answer", council, round.proposal.pk))
    assert "You answer for School: one voice per organisation." in page_text(representative)
    assert "School has answered through someone else already." in page_text(representative)
    # The coalition member is spoken for by the School's representative: no answer of their own.
    assert (
        english(council.client("coalition")).get(url("proposal_answer", council, round.proposal.pk)).status_code == 403
    )


def test_only_the_rounds_electorate_answers(council):
    round = make_round(council)  # the coalition decides
    answer_url = url("proposal_answer", council, round.proposal.pk)
    assert english(council.client("broad_partner")).get(answer_url).status_code == 403
    response = english(council.client("broad_partner")).post(answer_url, {"kind": AnswerKind.CONSENT})
    assert response.status_code == 403
    for persona in ("funder", "observer", "facilitator"):
        assert english(council.client(persona)).get(answer_url).status_code == 403
    assert english(council.client("outsider")).get(answer_url).status_code == 404
    assert not Answer.objects.exists()


def test_a_proposal_without_a_round_has_no_answer_form(council):
    proposal = make_proposal(council)
    assert english(council.client("member2")).get(url("proposal_answer", council, proposal.pk)).status_code == 404


def test_a_long_proposal_text_folds_away_on_the_answer_form(council):
    round = make_round(council, text="Long. " * 200)
    content = (
        english(council.client("member2")).get(url("proposal_answer", council, round.proposal.pk)).content.decode()
    )
    assert '<details class="mb-3 border rounded p-2" id="proposal-text">' in content
    short = make_round(council)
    content = (
        english(council.client("member2")).get(url("proposal_answer", council, short.proposal.pk)).content.decode()
    )
    assert '<details class="mb-3 border rounded p-2" id="proposal-text" open>' in content


# --- The register ---------------------------------------------------------------------------------------


def test_the_register_lists_decisions_with_rounds_answers_and_review_dates(council):
    adopted = adopt(council, make_proposal(council, title="Wednesday meetings"))
    withdrawn = make_proposal(council, title="Withdrawn idea")
    services.withdraw_proposal(proposal=withdrawn, by=council.user("coalition"))
    make_proposal(council, title="Still under way")
    response = english(council.client("observer")).get(url("decision_register", council))
    page = page_text(response)
    assert "Wednesday meetings" in page and "Withdrawn idea" in page and "Still under way" not in page
    assert f"review on {adopted.review_date:%-d %B %Y}" in page
    assert "Round 1 (version 1): adopted · 4 of 4 answered" in page
    assert "Member2 Person: consent" in page
    assert "due for review" not in page
    with time_machine.travel(adopted.review_date + datetime.timedelta(days=1)):
        assert "due for review" in page_text(english(council.client("observer")).get(url("decision_register", council)))


def test_a_funder_reads_the_adopted_decisions_without_names(council):
    adopted = make_round(council, title="Wednesday meetings")
    answer(council, adopted, "member2", AnswerKind.CONCERN, reason="Mind the holidays.")
    for persona in ("coordinator", "coalition", "member3"):
        answer(council, adopted, persona, AnswerKind.CONSENT)
    assert "Member2 Person" in Proposal.objects.get(title="Wednesday meetings").outcome
    round = make_round(council, title="Objected")
    answer(council, round, "member2", AnswerKind.OBJECTION, reason="Unsafe.")
    with time_machine.travel(in_days(8)):
        services.close_due_rounds()
    response = english(council.client("funder")).get(url("decision_register", council))
    page = page_text(response)
    assert "Wednesday meetings" in page and "Objected" not in page
    assert "Member2 Person" not in page and "proposed by" not in page
    assert "state" not in response.context["filter_form"].fields
    assert url("proposal_detail", council, round.proposal.pk) not in response.content.decode()
    download = english(council.client("funder")).get(url("decision_register_csv", council))
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert [row[1] for row in rows[1:]] == ["Wednesday meetings"]
    assert "Proposer" not in rows[0] and "Answers" not in rows[0] and "Outcome statement" not in rows[0]
    assert "Member2 Person" not in download.content.decode("utf-8-sig")


def test_the_register_filters_and_its_csv_takes_the_same_filters(council):
    adopt(council, make_proposal(council, title="Library evenings", driver="The library asks."))
    withdrawn = make_proposal(council, title="Town hall", driver="Cheaper.")
    services.withdraw_proposal(proposal=withdrawn, by=council.user("coalition"))
    client = english(council.client("coordinator"))

    def titles(params) -> list[str]:
        return [e.proposal.title for e in client.get(url("decision_register", council), params).context["entries"]]

    def csv_titles(params) -> list[str]:
        content = client.get(url("decision_register_csv", council), params).content.decode("utf-8-sig")
        return [row[1] for row in list(csv.reader(io.StringIO(content)))[1:]]

    year = timezone.localdate().year
    for params, expected in [
        ({}, {"Library evenings", "Town hall"}),
        ({"state": ProposalState.ADOPTED}, {"Library evenings"}),
        ({"state": ProposalState.WITHDRAWN}, {"Town hall"}),
        ({"q": "library"}, {"Library evenings"}),
        ({"kind": ProposalKind.BUDGET}, set()),
        ({"year": year}, {"Library evenings", "Town hall"}),
        ({"year": year - 1}, set()),
    ]:
        assert set(titles(params)) == expected, params
        assert set(csv_titles(params)) == expected, params


def test_the_csv_names_the_answers_for_readers_and_guards_against_formulas(council):
    adopt(council, make_proposal(council, title='=HYPERLINK("http://evil")'))
    response = english(council.client("coordinator")).get(url("decision_register_csv", council))
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="klooz-decisions-' in response["Content-Disposition"]
    header, row = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    record = dict(zip(header, row, strict=True))
    assert record["Title"].startswith("'=")
    assert record["Outcome"] == "adopted"
    assert (record["Answered"], record["Electorate"], record["Consent"]) == ("4", "4", "4")
    assert record["Proposer"] == "Coalition Person"
    assert "Member2 Person: consent" in record["Answers"]


# --- Query budgets ---------------------------------------------------------------------------------------


def both_see(world: World, page: str, *personas: str):
    """A fetch for the query checks: each persona opens ``page``; the last response is returned."""
    clients = [english(world.client(persona)) for persona in personas]

    def fetch():
        responses = [client.get(page) for client in clients]
        assert [r.status_code for r in responses] == [200] * len(clients)
        return responses[-1]

    return fetch


def test_the_proposal_page_keeps_its_query_count_at_1_10_and_100_answers(council):
    voters = [make_person(council.network, Role.COALITION_MEMBER, login=False) for _ in range(100)]
    proposal = make_proposal(council, electorate=Electorate.NETWORK)
    question = services.ask_question(proposal=proposal, text="Which room?", by=council.user("member2"))
    services.answer_question(question=question, answer="Room 2.", by=council.user("coalition"))
    services.add_reaction(proposal=proposal, text="Fine.", by=council.user("broad_partner"))
    round = make_round(council, proposal)
    answered = iter(voters)

    def grow(n: int) -> None:
        for _ in range(n):
            person = next(answered)
            services.submit_answer(round=round, kind=AnswerKind.CONSENT, by=None, on_behalf_of=person)

    detail = url("proposal_detail", council, round.proposal.pk)
    # A coordinator (who steers) and an observer (who reads only) see the page at each size.
    assert_constant_queries(both_see(council, detail, "coordinator", "observer"), grow, budget=32)


def test_the_register_keeps_its_query_count_at_1_10_and_100_decisions(council):
    def grow(n: int) -> None:
        for _ in range(n):
            adopt(council, make_proposal(council))

    register = url("decision_register", council)
    assert_constant_queries(both_see(council, register, "coordinator", "funder"), grow, budget=22)


def test_the_list_keeps_its_query_count(council):
    def grow(n: int) -> None:
        for _ in range(n):
            make_round(council)

    client = english(council.client("coordinator"))
    assert_constant_queries(lambda: client.get(url("proposal_list", council)), grow, sizes=(1, 10, 30), budget=9)


@pytest.mark.parametrize("persona", ["coordinator", "observer"])
def test_every_page_renders_for_readers(council, persona):
    round = make_round(council)
    client = english(council.client(persona))
    for name, args in [
        ("proposal_list", ()),
        ("decision_register", ()),
        ("proposal_detail", (round.proposal.pk,)),
    ]:
        assert client.get(url(name, council, *args)).status_code == 200

"""An experiment into mainstreaming, in Chromium on a phone.

Jonas (member@example.org) pulls the Klooz maker space, which the coalition adopted and which is
catalysing and initiating. On a 375 px phone he moves it to dynamic experimentation with evidence and
proposes mainstreaming from its page; the coalition consents (through the services); the board shows
the experiment in the mainstreaming column.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from decisions import services as decision_services
from decisions.models import AnswerKind, Proposal, ProposalKind, ProposalState
from ecosystem import demo
from ecosystem.models import Person, Stage
from experiments import services
from experiments.models import Experiment
from partners import demo as partners_demo
from tests.browser.conftest import PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TREKKER = "member@example.org"
COALITION = ["coordinator@example.org", "bram.claes@example.org", "nele.maes@example.org", "pieter.wouters@example.org"]


def _consent(proposal: Proposal, emails: list[str]) -> None:
    proposal = decision_services.start_questions(proposal=proposal, by=None)
    deadline = timezone.now() + datetime.timedelta(days=5)
    round = decision_services.open_consent_round(proposal=proposal, deadline=deadline, by=None)
    for email in emails:
        person = Person.objects.get(email=email)
        decision_services.submit_answer(round=round, kind=AnswerKind.CONSENT, by=None, on_behalf_of=person)
    decision_services.close_round(round=round, now=round.deadline)


def _maker_space() -> Experiment:
    networks = demo.build()
    partners_demo.build(networks)
    klooz = networks["klooz"]
    experiment = services.start_experiment(
        network=klooz,
        by=None,
        trekker=Person.objects.get(email=TREKKER),
        title="Makerspace",
        question="Komen tieners terug om te leren als ze zelf iets mogen maken?",
        fit={p.pk: "Past." for p in klooz.principles.filter(archived_at__isnull=True)},
    )
    proposal = services.propose(
        experiment=experiment,
        kind=ProposalKind.ADOPT_EXPERIMENT,
        by=None,
        on_behalf_of=Person.objects.get(email=TREKKER),
        title="Makerspace wordt een experiment van Klooz",
        driver="Tieners vragen erom.",
        text="We nemen de makerspace op.",
    )
    _consent(proposal, COALITION)
    services.move_experiment(experiment=experiment, to_stage=Stage.CATALYSING, why="Lokaal gevonden", by=None)
    return experiment


def test_a_trekker_moves_the_experiment_on_a_phone_and_the_coalition_mainstreams_it(phone_page, live_server):
    experiment = _maker_space()
    page = phone_page
    log_in(page, live_server, TREKKER, demo.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/n/klooz/experiments/{experiment.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.locator("#move_to_stage").select_option(Stage.EXPERIMENTATION)
    page.locator("#move_why").fill("Twaalf tieners kwamen drie weken op rij terug.")
    page.locator("#move_evidence").fill("Aanwezigheidslijsten van september")
    page.locator("form[action$='/move/'] button[type=submit]").click()
    expect(page.locator("[data-stage]")).to_have_attribute("data-stage", Stage.EXPERIMENTATION)
    expect(page.locator("#timeline")).to_contain_text("Aanwezigheidslijsten van september")

    page.locator("a[href*='kind=experiment_to_mainstreaming']").click()
    page.locator("#draft-proposal").click()
    page.wait_for_url("**/proposals/*/")
    proposal = Proposal.objects.get(kind=ProposalKind.EXPERIMENT_TO_MAINSTREAMING)
    assert page.url.endswith(f"/proposals/{proposal.pk}/")
    assert proposal.state == ProposalState.DRAFT

    _consent(proposal, COALITION)
    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.ADOPTED

    page.goto(f"{live_server.url}/n/klooz/experiments/")
    expect(page.locator("section[data-column='mainstreaming']")).to_contain_text("Makerspace")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

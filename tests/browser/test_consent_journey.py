"""A consent decision from proposal to effect, in Chromium.

The proposer (Bram, a coordinator of Klooz) proposes to admit Repair Café Loon to the core and opens a
round from the pages. The member (Jonas) opens the e-mailed link on a 375 px phone and objects, with a
reason. The proposer integrates the objection in a new version, which opens a new round. The member
consents; the others have answered already (through the services), so the round closes at once:
adopted, and Repair Café Loon is a core partner. The coordinator (Lotte) sees it on the proposal and on
the partner's page.

The decision pages are not translated yet, so the steps find their way by ids, names and links.
"""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from decisions import effects, services
from decisions.models import Answer, AnswerKind, ConsentRound, Proposal, ProposalKind, ProposalState
from ecosystem import demo
from ecosystem import services as ecosystem_services
from ecosystem.models import Person
from partners import demo as partners_demo
from partners.models import Partnership, Tier
from tests.browser.conftest import PHONE
from tests.factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEMBER = "member@example.org"
PROPOSER = "bram.claes@example.org"
COORDINATOR = "coordinator@example.org"
# The rest of Klooz's coalition, who answer through the services.
OTHERS = ["coordinator@example.org", "nele.maes@example.org", "pieter.wouters@example.org", "hanne.jacobs@example.org"]
LAST_OTHERS = ["karim.bouzid@example.org", PROPOSER]


def fill_login(page: Page, email: str, password: str) -> None:
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()


def desktop(browser: Browser, live_server, email: str, password: str) -> Page:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/accounts/login/")
    fill_login(page, email, password)
    return page


def answer_link(email: str) -> str:
    """The path of the answer link in the one e-mail ``email`` got since the outbox was cleared."""
    bodies = [m.body for m in mail.outbox if m.to == [email]]
    assert len(bodies) == 1, f"{len(bodies)} e-mails to {email}: {[m.subject for m in mail.outbox]}"
    link = re.search(r"https?://\S+/answer/", bodies[-1])
    assert link is not None, bodies[-1]
    return urlparse(link.group(0)).path


def assert_phone_sized(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways on a phone ({width} px)"
    for box in [label.bounding_box() for label in page.locator("label.answer-choice").all()]:
        assert box is not None and box["height"] >= 44 and box["width"] >= 280, box


def by_service(proposal: Proposal, emails: list[str]) -> None:
    round = ConsentRound.objects.get(proposal=proposal, closed_at__isnull=True)
    for email in emails:
        person = Person.objects.get(email=email)
        services.submit_answer(round=round, kind=AnswerKind.CONSENT, by=None, on_behalf_of=person)


def test_a_member_objects_on_a_phone_the_proposer_integrates_it_and_the_partner_becomes_core(
    live_server, browser, phone_page
):
    assert effects.effect_for(ProposalKind.ADMIT_PARTNER) is not None, "partners registers the admission effect"
    partners_demo.build(demo.build())
    bram = Person.objects.get(email=PROPOSER)
    ecosystem_services.link_user(person=bram, user=make_user(PROPOSER))
    repair_cafe = Partnership.objects.get(network__slug="klooz", organisation__name="Repair Café Loon")
    assert repair_cafe.tier == Tier.BROAD

    # The proposer proposes the admission from the partner's page, and opens a round.
    proposer = desktop(browser, live_server, PROPOSER, PASSWORD)
    proposer.goto(f"{live_server.url}/n/klooz/partners/{repair_cafe.pk}/")
    proposer.locator(f'a[href="/n/klooz/proposals/new/?kind=admit_partner&partnership={repair_cafe.pk}"]').click()
    form = proposer.locator("#proposal-form")
    expect(form.locator("[name=partnership]")).to_have_value(str(repair_cafe.pk))
    form.locator("[name=driver]").fill("Het Repair Café draait elke maand met onze jongeren.")
    form.locator("[name=text]").fill("Repair Café Loon wordt kernpartner van Klooz.")
    form.locator("button[type=submit]").click()
    expect(proposer).to_have_url(re.compile(r"/n/klooz/proposals/\d+/$"))
    # partners' demo has its own admission (the library's): this one is about the Repair Café.
    proposal = Proposal.objects.get(network__slug="klooz", kind=ProposalKind.ADMIT_PARTNER, object_id=repair_cafe.pk)
    assert (proposal.kind, proposal.subject, proposal.proposer) == (ProposalKind.ADMIT_PARTNER, repair_cafe, bram)
    proposer.locator("#start-questions").click()
    proposer.locator("#start-reactions").click()
    mail.outbox.clear()
    proposer.locator("#open-round-form button[type=submit]").click()
    expect(proposer.locator("#round-open")).to_be_visible()

    # The member opens the e-mailed link on a phone, logs in, and lands on the answer form.
    path = answer_link(MEMBER)
    assert path == f"/n/klooz/proposals/{proposal.pk}/answer/"
    member = phone_page
    member.goto(f"{live_server.url}{path}")
    fill_login(member, MEMBER, demo.DEMO_PASSWORD)
    expect(member).to_have_url(f"{live_server.url}{path}")
    expect(member.get_by_role("heading", level=1)).to_have_text(proposal.title)
    assert_phone_sized(member)

    # An objection without a reason is refused; with one it is saved, in place (htmx).
    member.locator("label[for=kind-objection]").click()
    member.locator("#send-answer").click()
    expect(member.locator("#answer-form .invalid-feedback")).to_be_visible()  # tied to the reason field
    expect(member.locator("textarea[name=reason]")).to_have_attribute("aria-invalid", "true")
    expect(member.locator("#kind-objection")).to_be_checked()
    member.locator("textarea[name=reason]").fill("Eerst een proefperiode van drie maanden: zo weten we wat we beloven.")
    member.locator("#send-answer").click()
    expect(member.locator("#answer-form .alert-success")).to_be_visible()
    expect(member.locator("#current-answer")).to_be_visible()
    expect(member).to_have_url(f"{live_server.url}{path}")
    objection = Answer.objects.get(round__proposal=proposal, person__email=MEMBER, is_current=True)
    assert objection.kind == AnswerKind.OBJECTION and objection.reason.startswith("Eerst een proefperiode")
    assert_phone_sized(member)

    # The proposer sees the objection and integrates it in a new version, which opens a new round.
    proposer.reload()
    expect(proposer.locator("#rounds")).to_contain_text("Eerst een proefperiode")
    proposer.locator("#new-version").click()
    expect(proposer.locator("aside")).to_contain_text("Eerst een proefperiode")
    version = proposer.locator("#version-form")
    version.locator("[name=text]").fill(
        "Repair Café Loon wordt kernpartner van Klooz, na een proefperiode van drie maanden."
    )
    version.locator("[name=change_note]").fill("De proefperiode uit het bezwaar van Jonas.")
    expect(version.locator("[name=open_round]")).to_be_checked()
    mail.outbox.clear()
    version.locator("button[type=submit]").click()
    expect(proposer.locator("#round-open")).to_be_visible()
    expect(proposer.locator("#versions ins").first).to_contain_text("proefperiode")
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.CONSENT_ROUND and proposal.rounds.count() == 2

    # Everyone is asked again; the others answer through the services, all but the member.
    assert answer_link(MEMBER) == path
    by_service(proposal, OTHERS + LAST_OTHERS)

    # The member opens the new link on the phone and consents: the round closes, adopted.
    member.goto(f"{live_server.url}{path}")
    expect(member.locator("#proposal-text")).to_contain_text("proefperiode van drie maanden")
    expect(member.locator("#current-answer")).to_have_count(0)  # answers count per version: asked anew
    assert_phone_sized(member)
    member.locator("label[for=kind-consent]").click()
    member.locator("#send-answer").click()
    expect(member.locator("#round-closed")).to_be_visible()
    expect(member.locator("input[name=kind]")).to_have_count(0)
    assert_phone_sized(member)

    proposal.refresh_from_db()
    assert proposal.state == ProposalState.ADOPTED and proposal.review_date is not None
    repair_cafe.refresh_from_db()
    assert repair_cafe.tier == Tier.CORE

    # The coordinator sees it adopted, and the partner a core partner on its page.
    coordinator = desktop(browser, live_server, COORDINATOR, demo.DEMO_PASSWORD)
    coordinator.goto(f"{live_server.url}/n/klooz/proposals/")
    coordinator.locator(f'#proposals-decided a[href="/n/klooz/proposals/{proposal.pk}/"]').click()
    expect(coordinator.locator("#outcome")).to_be_visible()
    expect(coordinator.locator("#proposal-state .badge.text-bg-success")).to_be_visible()
    expect(coordinator.locator("#round-2")).to_contain_text("Jonas Peeters")
    coordinator.locator(f'a[href="/n/klooz/partners/{repair_cafe.pk}/"]').click()
    expect(coordinator.get_by_role("heading", level=1, name="Repair Café Loon")).to_be_visible()
    expect(coordinator.locator("main p.mb-3 .badge").first).to_have_class(re.compile("text-bg-success"))


def test_without_javascript_the_answer_form_posts_and_comes_back_with_the_answer(live_server, browser):
    """A phone with JavaScript off: the same form, a plain POST and a redirect back to it."""
    networks = demo.build()
    coordinator = Person.objects.get(email=COORDINATOR)
    proposal = services.create_proposal(
        network=networks["klooz"],
        title="Werkplaats op woensdag",
        driver="Jongeren vragen een plek om te herstellen.",
        text="We openen op woensdag een werkplaats in de oude schuur.",
        by=coordinator.user,
    )
    services.start_questions(proposal=proposal, by=None)
    services.open_consent_round(proposal=proposal, deadline=timezone.now() + datetime.timedelta(days=3), by=None)

    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    path = f"/n/klooz/proposals/{proposal.pk}/answer/"
    page.goto(f"{live_server.url}{path}")
    fill_login(page, MEMBER, demo.DEMO_PASSWORD)
    expect(page).to_have_url(f"{live_server.url}{path}")
    assert_phone_sized(page)
    page.locator("label[for=kind-concern]").click()
    page.locator("textarea[name=reason]").fill("Wie betaalt het materiaal?")
    page.locator("#send-answer").click()
    expect(page).to_have_url(f"{live_server.url}{path}")  # after the redirect
    expect(page.locator("main .alert-success")).to_be_visible()  # the message, on the page read afresh
    expect(page.locator("#kind-concern")).to_be_checked()
    expect(page.locator("textarea[name=reason]")).to_have_value("Wie betaalt het materiaal?")
    assert Answer.objects.get(person__email=MEMBER, is_current=True).kind == AnswerKind.CONCERN
    context.close()

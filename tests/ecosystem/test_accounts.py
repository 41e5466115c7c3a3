"""Logging in and out through allauth: password, e-mailed code, two-factor (TOTP and recovery codes).

Sign-up is closed (people come in by invitation), logout needs a POST, failed logins are rate limited,
the session key changes at login, and the account pages sit inside the site's own layout, in Dutch.
"""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from ecosystem.models import User
from tests.conftest import World
from tests.factories import PASSWORD

EMAIL = "coalition@example.test"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and used TOTP codes live in the cache: each test starts without them."""
    cache.clear()
    yield
    cache.clear()


def _log_in(client: Client, email: str = EMAIL, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def _is_logged_in(client: Client) -> bool:
    """What the person sees: the home page opens, or they are sent to the login page."""
    response = client.get(reverse("home"))
    if response.status_code == 302:
        assert response.url.startswith(reverse("account_login"))
        return False
    assert response.status_code == 200
    return True


# --- Password login ------------------------------------------------------------------------------


def test_it_logs_in_with_email_and_password(client, world: World):
    response = _log_in(client)

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert int(client.session["_auth_user_id"]) == world.user("coalition").pk
    home = client.get(response.url)
    assert "Klooz" in home.content.decode()


def test_it_accepts_the_email_address_in_capitals(client, world: World):
    response = _log_in(client, email="Coalition@Example.TEST")

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == world.user("coalition").pk


def test_it_refuses_a_wrong_password_in_dutch(client, world: World):
    response = _log_in(client, password="not-the-password")

    assert response.status_code == 200
    assert "Het door jou opgegeven e-mailadres en/of wachtwoord is niet correct." in response.content.decode()
    assert not _is_logged_in(client)


def test_it_changes_the_session_key_at_login(client, world: World):
    client.get(reverse("account_login"))
    before = client.session.session_key
    assert before

    _log_in(client)

    after = client.session.session_key
    assert after and after != before
    # The old key is gone: someone who planted it learns nothing.
    assert not Session.objects.filter(session_key=before).exists()


def test_a_get_to_logout_asks_for_confirmation_and_keeps_you_logged_in(client, world: World):
    _log_in(client)

    response = client.get(reverse("account_logout"))

    assert response.status_code == 200
    assert "Weet je zeker dat je wilt afmelden?" in response.content.decode()
    assert _is_logged_in(client)


def test_a_post_to_logout_logs_you_out(client, world: World):
    _log_in(client)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert response.url == reverse("account_login")
    assert not _is_logged_in(client)


def test_a_logged_out_session_no_longer_opens_network_pages(client, world: World):
    _log_in(client)
    members = reverse("members", kwargs={"network_slug": "klooz"})
    assert client.get(members).status_code == 200

    client.post(reverse("account_logout"))

    response = client.get(members)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


# --- Sign-up is closed ---------------------------------------------------------------------------


def test_signup_shows_the_closed_page(client, world: World):
    response = client.get(reverse("account_signup"))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Registratie gesloten" in body
    assert "Helaas, maar je kunt je momenteel niet registreren." in body


def test_signup_by_post_creates_no_user(client, world: World):
    users = User.objects.count()

    response = client.post(
        reverse("account_signup"),
        {"email": "stranger@example.test", "password1": "Heel-geheim-2026", "password2": "Heel-geheim-2026"},
    )

    assert response.status_code == 200
    assert "Registratie gesloten" in response.content.decode()
    assert User.objects.count() == users
    assert not User.objects.filter(email="stranger@example.test").exists()
    assert mail.outbox == []


# --- Rate limiting -------------------------------------------------------------------------------


def test_it_refuses_even_the_right_password_after_five_failures(client, world: World):
    for _ in range(5):
        response = _log_in(client, password="guess")
        assert response.status_code == 200
        assert "niet correct" in response.content.decode()

    response = _log_in(client)

    assert response.status_code == 200
    assert "Te veel inlogpogingen. Probeer het later nogmaals." in response.content.decode()
    assert not _is_logged_in(client)


def test_the_limit_follows_the_address_across_ip_addresses(world: World):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        _log_in(attacker, password="guess")

    # Another machine cannot go on guessing for the same address...
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    response = _log_in(elsewhere)
    assert "Te veel inlogpogingen" in response.content.decode()
    assert not _is_logged_in(elsewhere)

    # ... while another person, from a machine without failures, logs in as usual.
    response = _log_in(elsewhere, email="coordinator@example.test")
    assert response.status_code == 302
    assert _is_logged_in(elsewhere)


# --- Login by e-mailed code ----------------------------------------------------------------------


def test_it_logs_in_with_a_code_sent_by_email(client, world: World):
    response = client.post(reverse("account_request_login_code"), {"email": EMAIL})

    assert response.status_code == 302
    assert response.url == reverse("account_confirm_login_code")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [EMAIL]
    assert "aanmeldcode" in message.body.lower()
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", message.body, re.MULTILINE).group(1)

    confirm = client.get(response.url)
    assert "Aanmeldcode invullen" in confirm.content.decode()
    response = client.post(reverse("account_confirm_login_code"), {"code": code})

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert int(client.session["_auth_user_id"]) == world.user("coalition").pk


def test_a_wrong_login_code_is_refused(client, world: World):
    client.post(reverse("account_request_login_code"), {"email": EMAIL})

    response = client.post(reverse("account_confirm_login_code"), {"code": "AAAA-AAAA"})

    assert response.status_code == 200
    assert "Ongeldige code." in response.content.decode()
    assert not _is_logged_in(client)


# --- Password reset ------------------------------------------------------------------------------


def test_it_sends_a_password_reset_link_that_sets_a_new_password(client, world: World):
    response = client.post(reverse("account_reset_password"), {"email": EMAIL})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [EMAIL]
    assert message.subject == "[Leerecosysteem] Nieuw wachtwoord"
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", message.body).group(1)

    # allauth moves the key from the URL into the session, then shows the form.
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    new_password = "Nieuw-wachtwoord-voor-Klooz-7"
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302

    assert User.objects.get(email=EMAIL).check_password(new_password)
    assert _log_in(Client(), password=new_password).status_code == 302


# --- Two-factor authentication -------------------------------------------------------------------


def _totp_codes(secret: str) -> set[str]:
    """Every code allauth accepts right now (the current period and its tolerance)."""
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    spread = range(-mfa_settings.TOTP_TOLERANCE - 1, mfa_settings.TOTP_TOLERANCE + 2)
    return {format_hotp_value(hotp_value(secret, counter + i)) for i in spread}


def _current_totp(secret: str) -> str:
    """The code an authenticator app shows now; waits out the last seconds of a period so the code
    is still current when the request arrives (allauth accepts no neighbouring period by default)."""
    period = mfa_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < 3:
        time.sleep(left + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def _open_totp_setup(client: Client):
    """Log in with the password, confirm it once more (a sensitive change), open the TOTP set-up."""
    assert _log_in(client).status_code == 302
    setup = reverse("mfa_activate_totp")
    response = client.get(setup)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    response = client.post(response.url, {"password": PASSWORD})
    assert response.status_code == 302
    assert response.url == setup
    page = client.get(setup)
    assert page.status_code == 200
    return page


def _activate_totp(client: Client) -> str:
    """Set up TOTP with a code computed from the secret on the page; return the secret."""
    page = _open_totp_setup(client)
    secret = page.context["form"].secret
    assert secret in page.content.decode()  # shown for typing into an authenticator app
    response = client.post(reverse("mfa_activate_totp"), {"code": _current_totp(secret)})
    assert response.status_code == 302, response.content.decode()
    return secret


def test_it_activates_totp_with_a_valid_code(client, world: World):
    _activate_totp(client)

    user = world.user("coalition")
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).count() == 1
    recovery = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    assert len(RecoveryCodes(recovery).get_unused_codes()) >= 5


def test_it_refuses_to_activate_totp_with_a_wrong_code(client, world: World):
    page = _open_totp_setup(client)
    secret = page.context["form"].secret
    wrong = next(c for c in (f"{n:06d}" for n in range(1000000)) if c not in _totp_codes(secret))

    response = client.post(reverse("mfa_activate_totp"), {"code": wrong})

    assert response.status_code == 200
    assert "Ongeldige code." in response.content.decode()
    assert not Authenticator.objects.filter(user=world.user("coalition")).exists()


def test_after_totp_the_password_alone_does_not_log_in(client, world: World):
    secret = _activate_totp(client)
    client.post(reverse("account_logout"))

    response = _log_in(client)

    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert not _is_logged_in(client)

    wrong = next(c for c in (f"{n:06d}" for n in range(1000000)) if c not in _totp_codes(secret))
    response = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert response.status_code == 200
    assert "Ongeldige code." in response.content.decode()
    assert not _is_logged_in(client)

    response = client.post(reverse("mfa_authenticate"), {"code": _current_totp(secret)})
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert int(client.session["_auth_user_id"]) == world.user("coalition").pk


def test_a_recovery_code_logs_in_once(client, world: World):
    _activate_totp(client)
    client.post(reverse("account_logout"))
    recovery = Authenticator.objects.get(user=world.user("coalition"), type=Authenticator.Type.RECOVERY_CODES)
    code = RecoveryCodes(recovery).get_unused_codes()[0]

    assert _log_in(client).url == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert _is_logged_in(client)

    client.post(reverse("account_logout"))
    assert _log_in(client).url == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 200
    assert "Ongeldige code." in response.content.decode()
    assert not _is_logged_in(client)
    recovery.refresh_from_db()
    assert code not in RecoveryCodes(recovery).get_unused_codes()


# --- Layout and language -------------------------------------------------------------------------


def test_the_login_page_sits_in_the_site_layout_in_dutch(client, world: World):
    response = client.get(reverse("account_login"))

    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="nl">' in body
    assert 'class="navbar-brand"' in body
    assert "Leerecosysteem" in body
    assert "vendor/bootstrap/bootstrap.min.css" in body
    assert "Inloggen" in body
    assert "Wachtwoord vergeten?" in body
    assert "Mail me een inlogcode" in body


def test_the_login_page_follows_the_language_switch(client, world: World):
    client.cookies["django_language"] = "en"

    body = client.get(reverse("account_login")).content.decode()

    assert '<html lang="en">' in body
    assert "Log in" in body
    assert "Inloggen" not in body


# --- The Django admin ----------------------------------------------------------------------------


def test_a_superuser_opens_the_admin(client, world: World):
    admin = User.objects.create_superuser(email="admin@example.test", password=PASSWORD)
    client.force_login(admin)

    response = client.get("/admin/")

    assert response.status_code == 200
    assert reverse("admin:ecosystem_network_changelist") in response.content.decode()


def test_a_coordinator_is_sent_to_the_admin_login(world: World):
    response = world.client("coordinator").get("/admin/")

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert "next=/admin/" in response.url

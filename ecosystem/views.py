"""Pages of the core: my networks, network profile, members, invitations, health."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from ecosystem import selectors, services
from ecosystem.forms import AddPersonForm, EndRoleForm, GiveRoleForm, NetworkProfileForm, SetPasswordForm
from ecosystem.models import Membership
from ecosystem.permissions import CHANGE_NETWORK, MANAGE_MEMBERS, VIEW_MEMBERS
from ecosystem.views_base import NetworkActionView, NetworkMixin


@login_required
@require_GET
def home(request):
    return render(request, "ecosystem/home.html", {"entries": selectors.my_networks(request.user)})


@require_GET
@never_cache
def healthz(request):
    """200 when the database answers, 503 otherwise: for load balancers and uptime checks."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


class NetworkDetailView(NetworkMixin, TemplateView):
    template_name = "ecosystem/network_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            principles=selectors.current_principles(self.network),
            stage_history=selectors.stage_history(self.network),
            **kwargs,
        )


class NetworkEditView(NetworkActionView):
    permission = CHANGE_NETWORK
    template_name = "ecosystem/network_edit.html"
    form_class = NetworkProfileForm

    def get_form_kwargs(self):
        principles = "\n".join(p.text for p in selectors.current_principles(self.network))
        return {**super().get_form_kwargs(), "instance": self.network, "initial": {"principles": principles}}

    def perform(self, form) -> str:
        changes = {name: form.cleaned_data[name] for name in form.Meta.fields}
        services.update_network_profile(
            network=self.network, by=self.user, principles=form.principle_lines(), **changes
        )
        return _("The network profile is saved.")

    def get_success_url(self) -> str:
        return reverse("network_detail", kwargs={"network_slug": self.network.slug})

    def form_invalid(self, form):
        # ModelForm validation wrote the bad values onto self.network; read it afresh for the page.
        self.network.refresh_from_db()
        return super().form_invalid(form)


class MembersView(NetworkMixin, TemplateView):
    permission = VIEW_MEMBERS
    template_name = "ecosystem/members.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        members = selectors.members_of(self.network)
        context: dict[str, object] = {
            "members": Paginator(members, self.paginate_by).get_page(self.request.GET.get("page"))
        }
        if MANAGE_MEMBERS in self.rights:
            context.update(
                ended=selectors.ended_memberships(self.network),
                add_form=kwargs.pop("add_form", None) or AddPersonForm(),
                role_form=kwargs.pop("role_form", None) or GiveRoleForm(persons=members),
            )
        return super().get_context_data(**context, **kwargs)


class MembersAction(NetworkActionView):
    """A POST on the members page; back to it afterwards."""

    permission = MANAGE_MEMBERS
    http_method_names = ["post"]

    def get_success_url(self) -> str:
        return reverse("members", kwargs={"network_slug": self.network.slug})


def _role_given(membership: Membership) -> str:
    return _("%(person)s is now %(role)s.") % {"person": membership.person, "role": membership.get_role_display()}


class AddPersonView(MembersAction, MembersView):
    form_class = AddPersonForm
    form_name = "add_form"

    def perform(self, form) -> str:
        return _role_given(services.add_person(network=self.network, by=self.user, **form.cleaned_data))


class GiveRoleView(MembersAction, MembersView):
    form_class = GiveRoleForm
    form_name = "role_form"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "persons": selectors.members_of(self.network)}

    def perform(self, form) -> str:
        return _role_given(services.give_role(network=self.network, by=self.user, **form.cleaned_data))


class EndRoleView(MembersAction):
    form_class = EndRoleForm
    rerender = False  # a button in a list: a refusal comes back as a message

    @cached_property
    def membership(self) -> Membership:
        return get_object_or_404(Membership.objects.active(), network=self.network, pk=self.kwargs["membership_id"])

    def perform(self, form) -> str:
        membership = self.membership
        services.end_role(membership=membership, by=self.user, end_date=form.cleaned_data["end_date"])
        return _("The role %(role)s of %(person)s has ended.") % {
            "person": membership.person,
            "role": membership.get_role_display(),
        }


class InvitePersonView(MembersAction):
    rerender = False

    def perform(self, form) -> str:
        person = get_object_or_404(selectors.members_of(self.network), pk=self.kwargs["person_id"])
        services.invite_person(person=person, network=self.network, by=self.user)
        return _("An invitation is on its way to %(email)s.") % {"email": person.email}


@never_cache
def accept_invitation(request, token: str):
    invitation = services.find_invitation(token)
    if invitation is None:
        return render(request, "ecosystem/invitation_invalid.html", status=404)
    form = SetPasswordForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(invitation=invitation, password=form.cleaned_data["password1"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend="allauth.account.auth_backends.AuthenticationBackend")
            messages.success(request, _("Welcome, %(name)s. Your account is ready.") % {"name": invitation.person})
            return redirect("network_detail", network_slug=invitation.network.slug)
    return render(request, "ecosystem/accept_invitation.html", {"form": form, "invitation": invitation})

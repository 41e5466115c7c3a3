"""Pages of the core: my networks, network profile, members, invitations, health."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import FormView, TemplateView

from ecosystem import selectors, services
from ecosystem.forms import AddPersonForm, EndRoleForm, GiveRoleForm, NetworkProfileForm, SetPasswordForm
from ecosystem.models import Membership
from ecosystem.permissions import CHANGE_NETWORK, MANAGE_MEMBERS, VIEW_CONTACT_DETAILS, VIEW_MEMBERS
from ecosystem.views_base import NetworkMixin


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
            can_edit=self.can(CHANGE_NETWORK),
            **kwargs,
        )


class NetworkEditView(NetworkMixin, FormView):
    permission = CHANGE_NETWORK
    template_name = "ecosystem/network_edit.html"
    form_class = NetworkProfileForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.network
        kwargs["initial"] = {"principles": "\n".join(p.text for p in selectors.current_principles(self.network))}
        return kwargs

    def form_valid(self, form):
        changes = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            # One transaction: refused principles must not leave the profile half saved.
            with transaction.atomic():
                services.update_network_profile(network=self.network, by=self.request.user, **changes)
                services.set_principles(network=self.network, texts=form.principle_lines(), by=self.request.user)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The network profile is saved."))
        return redirect("network_detail", network_slug=self.network.slug)

    def form_invalid(self, form):
        # ModelForm validation wrote the bad values onto self.network; read it afresh for the page.
        self.network.refresh_from_db()
        return super().form_invalid(form)


class MembersView(NetworkMixin, TemplateView):
    permission = VIEW_MEMBERS
    template_name = "ecosystem/members.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        manage = self.can(MANAGE_MEMBERS)
        members = selectors.members_of(self.network)
        page = Paginator(members, self.paginate_by).get_page(self.request.GET.get("page"))
        context = {
            "members": page,
            "can_manage": manage,
            "show_contact": self.can(VIEW_CONTACT_DETAILS),
        }
        if manage:
            context.update(
                ended=selectors.ended_memberships(self.network),
                add_form=kwargs.pop("add_form", None) or AddPersonForm(),
                role_form=kwargs.pop("role_form", None) or GiveRoleForm(persons=members),
            )
        return super().get_context_data(**context, **kwargs)


class AddPersonView(MembersView):
    permission = MANAGE_MEMBERS
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = AddPersonForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                membership = services.add_person(
                    network=self.network,
                    by=request.user,
                    full_name=data["full_name"],
                    email=data["email"],
                    phone=data["phone"],
                    affiliation=data["affiliation"],
                    role=data["role"],
                    start_date=data["start_date"],
                )
                if data["send_invitation"] and membership.person.user_id is None:
                    services.invite_person(
                        person=membership.person,
                        network=self.network,
                        by=request.user,
                        base_url=request.build_absolute_uri("/"),
                    )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("%(person)s is now %(role)s.")
                    % {"person": membership.person, "role": membership.get_role_display()},
                )
                return _to_members(self.network)
        return self.render_to_response(self.get_context_data(add_form=form))


class GiveRoleView(MembersView):
    permission = MANAGE_MEMBERS
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = GiveRoleForm(request.POST, persons=selectors.members_of(self.network))
        if form.is_valid():
            try:
                membership = services.give_role(network=self.network, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("%(person)s is now %(role)s.")
                    % {"person": membership.person, "role": membership.get_role_display()},
                )
                return _to_members(self.network)
        return self.render_to_response(self.get_context_data(role_form=form))


class EndRoleView(NetworkMixin, TemplateView):
    permission = MANAGE_MEMBERS
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        membership = get_object_or_404(Membership.objects.active(), network=self.network, pk=kwargs["membership_id"])
        form = EndRoleForm(request.POST)
        if form.is_valid():
            try:
                services.end_role(membership=membership, by=request.user, end_date=form.cleaned_data["end_date"])
            except ValidationError as error:
                form.add_error(None, error)
        if form.errors:
            for message in form.errors.get("__all__", []) + form.errors.get("end_date", []):
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("The role %(role)s of %(person)s has ended.")
                % {"person": membership.person, "role": membership.get_role_display()},
            )
        return _to_members(self.network)


class InvitePersonView(NetworkMixin, TemplateView):
    permission = MANAGE_MEMBERS
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        person = get_object_or_404(selectors.members_of(self.network), pk=kwargs["person_id"])
        try:
            services.invite_person(
                person=person, network=self.network, by=request.user, base_url=request.build_absolute_uri("/")
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("An invitation is on its way to %(email)s.") % {"email": person.email})
        return _to_members(self.network)


def _to_members(network) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("members", kwargs={"network_slug": network.slug}))


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

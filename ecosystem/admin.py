"""Django admin for superusers. Roles are given through the services, so rights stay in sync."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from ecosystem import services
from ecosystem.models import Invitation, Membership, Network, OutgoingEmail, Person, StageChange, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "is_active", "is_staff", "is_superuser", "last_login"]
    search_fields = ["email"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Status", {"fields": ["is_active", "is_staff", "is_superuser", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = ()


@admin.register(Network)
class NetworkAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "stage", "governance_form"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["stage"]  # the stage changes by a consent decision, through change_network_stage


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "email", "affiliation", "user"]
    search_fields = ["full_name", "email"]
    raw_id_fields = ["user"]

    def save_model(self, request, obj, form, change):
        """The login changes only through ``set_login``, so the old and the new login's rights follow."""
        new_user = obj.user
        obj.user = Person.objects.get(pk=obj.pk).user if change else None
        super().save_model(request, obj, form, change)
        services.set_login(person=obj, user=new_user)


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    """Adding here goes through ``give_role`` (so guardian's store follows); existing rows are read only."""

    list_display = ["person", "network", "role", "start_date", "end_date"]
    list_filter = ["network", "role"]
    fields = ["person", "network", "role", "start_date"]

    def get_readonly_fields(self, request, obj=None):
        return ["person", "network", "role", "start_date", "end_date"] if obj else []

    def save_model(self, request, obj, form, change):
        if not change:
            created = services.give_role(
                person=obj.person, network=obj.network, role=obj.role, start_date=obj.start_date, by=None
            )
            obj.pk = created.pk

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin):
    list_display = ["network", "from_stage", "to_stage", "changed_at", "changed_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "network", "created_at", "expires_at", "accepted_at", "revoked_at"]
    exclude = ["token_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["to", "subject", "created_at", "sent_at", "attempts"]
    list_filter = ["sent_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

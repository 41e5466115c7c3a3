"""Django admin for superusers: decisions are read here, never changed; they change through the services."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from decisions import services
from decisions.models import (
    Answer,
    ClarifyingQuestion,
    ConsentRound,
    DecisionSettings,
    DigestItem,
    Elector,
    NotificationPreference,
    Proposal,
    ProposalVersion,
    Reaction,
)


class ReadOnlyMixin:
    """Governance records are archived, not edited or deleted: the admin only reads them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class VersionInline(ReadOnlyMixin, admin.TabularInline):
    model = ProposalVersion
    fields = ["number", "text", "change_note", "created_by", "created_at"]
    extra = 0


class RoundInline(ReadOnlyMixin, admin.TabularInline):
    model = ConsentRound
    fields = ["number", "version", "opened_at", "deadline", "closed_at", "result", "quorum", "answered_count"]
    extra = 0
    show_change_link = True


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["title", "network", "kind", "electorate", "state", "proposer", "decided_at", "review_date"]
    list_filter = ["network", "state", "kind"]
    search_fields = ["title", "driver"]
    inlines = [VersionInline, RoundInline]


@admin.register(ProposalVersion)
class ProposalVersionAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["proposal", "number", "created_by", "created_at"]


class ElectorInline(ReadOnlyMixin, admin.TabularInline):
    model = Elector
    fields = ["person", "role"]
    extra = 0


class AnswerInline(ReadOnlyMixin, admin.TabularInline):
    model = Answer
    fields = ["person", "kind", "reason", "is_current", "created_at", "version"]
    extra = 0


@admin.register(ConsentRound)
class ConsentRoundAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["proposal", "number", "opened_at", "deadline", "closed_at", "result"]
    list_filter = ["result"]
    inlines = [ElectorInline, AnswerInline]


@admin.register(ClarifyingQuestion)
class ClarifyingQuestionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["proposal", "asked_by", "asked_at", "answered_at"]


@admin.register(Reaction)
class ReactionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["proposal", "by", "is_advice", "created_at"]


@admin.register(DecisionSettings)
class DecisionSettingsAdmin(SimpleHistoryAdmin):
    """Saved through ``update_decision_settings``, like a coordinator's change."""

    list_display = ["network", "quorum_fraction", "one_voice_per_organisation", "review_after_days"]
    fields = ["network", *services.SETTINGS_FIELDS]

    def get_readonly_fields(self, request, obj=None):
        return ["network"] if obj else []

    def save_model(self, request, obj, form, change):
        saved = services.update_decision_settings(
            network=obj.network, by=None, **{name: getattr(obj, name) for name in services.SETTINGS_FIELDS}
        )
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["person", "delivery", "updated_at"]


@admin.register(DigestItem)
class DigestItemAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["person", "subject", "created_at", "sent_at"]
    list_filter = ["sent_at"]

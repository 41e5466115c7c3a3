from django.urls import path

from partners import views, views_io

# Mounted under n/<slug:network_slug>/partners/
urlpatterns = [
    path("", views.PartnerListView.as_view(), name="partner_list"),
    path("on-date/", views.PartnersOnDateView.as_view(), name="partners_on_date"),
    path("overview/", views.PartnerOverviewView.as_view(), name="partner_overview"),
    path("new/", views.RegisterPartnerView.as_view(), name="partner_register"),
    path("bulk/", views.BulkRegisterView.as_view(), name="partner_bulk"),
    path("import/", views_io.PartnerImportView.as_view(), name="partners_import"),
    path("export.<str:fmt>", views_io.PartnersExportView.as_view(), name="partners_export"),
    path("<int:partnership_id>/", views.PartnerDetailView.as_view(), name="partner_detail"),
    path("<int:partnership_id>/edit/", views.EditPartnershipView.as_view(), name="partner_edit"),
    path("<int:partnership_id>/persons/", views.AffiliateView.as_view(), name="partner_affiliate"),
    path("<int:partnership_id>/status/", views.ChangeStatusView.as_view(), name="partner_status"),
    path("<int:partnership_id>/contributions/", views.RecordContributionView.as_view(), name="contribution_add"),
    path("ledger/", views.LedgerView.as_view(), name="ledger"),
    path("ledger/export.<str:fmt>", views_io.LedgerExportView.as_view(), name="ledger_export"),
    path("ledger/<int:contribution_id>/correct/", views.CorrectContributionView.as_view(), name="contribution_correct"),
]

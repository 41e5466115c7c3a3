from django.urls import path

from ecosystem import views

# Mounted under n/<slug:network_slug>/
urlpatterns = [
    path("", views.NetworkDetailView.as_view(), name="network_detail"),
    path("edit/", views.NetworkEditView.as_view(), name="network_edit"),
    path("members/", views.MembersView.as_view(), name="members"),
    path("members/add/", views.AddPersonView.as_view(), name="member_add"),
    path("members/role/", views.GiveRoleView.as_view(), name="role_give"),
    path("members/<int:membership_id>/end/", views.EndRoleView.as_view(), name="role_end"),
    path("persons/<int:person_id>/invite/", views.InvitePersonView.as_view(), name="person_invite"),
]

from django.urls import path

from experiments import views, views_actions

# Mounted under n/<slug:network_slug>/experiments/
urlpatterns = [
    path("", views.BoardView.as_view(), name="experiment_board"),
    path("new/", views_actions.StartExperimentView.as_view(), name="experiment_new"),
    path("<int:experiment_id>/", views.ExperimentDetailView.as_view(), name="experiment_detail"),
    path("<int:experiment_id>/edit/", views_actions.EditExperimentView.as_view(), name="experiment_edit"),
    path("<int:experiment_id>/move/", views_actions.MoveView.as_view(), name="experiment_move"),
    path("<int:experiment_id>/stop/", views_actions.StopView.as_view(), name="experiment_stop"),
    path("<int:experiment_id>/trekker/", views_actions.TrekkerView.as_view(), name="experiment_trekker"),
    path("<int:experiment_id>/reopen/", views_actions.ReopenView.as_view(), name="experiment_reopen"),
    path("<int:experiment_id>/reach/", views_actions.RecordReachView.as_view(), name="experiment_reach"),
    path("<int:experiment_id>/lessons/", views_actions.RecordLessonView.as_view(), name="experiment_lesson"),
    path("<int:experiment_id>/evidence/<int:file_id>/", views.EvidenceFileView.as_view(), name="experiment_evidence"),
    path("<int:experiment_id>/propose/", views_actions.ProposeView.as_view(), name="experiment_propose"),
]

from django.urls import path

from decisions import views

# Mounted under n/<slug:network_slug>/proposals/. The answer form's path is also in
# decisions/notifications.py (ANSWER_PATH): the e-mailed link lands there.
urlpatterns = [
    path("", views.ProposalListView.as_view(), name="proposal_list"),
    path("new/", views.NewProposalView.as_view(), name="proposal_new"),
    path("register/", views.DecisionRegisterView.as_view(), name="decision_register"),
    path("register.csv", views.DecisionRegisterCsvView.as_view(), name="decision_register_csv"),
    path("<int:proposal_id>/", views.ProposalDetailView.as_view(), name="proposal_detail"),
    path("<int:proposal_id>/answer/", views.AnswerView.as_view(), name="proposal_answer"),
    path("<int:proposal_id>/questions/start/", views.StartQuestionsView.as_view(), name="proposal_start_questions"),
    path("<int:proposal_id>/reactions/start/", views.StartReactionsView.as_view(), name="proposal_start_reactions"),
    path("<int:proposal_id>/round/", views.OpenRoundView.as_view(), name="proposal_open_round"),
    path("<int:proposal_id>/version/", views.NewVersionView.as_view(), name="proposal_new_version"),
    path("<int:proposal_id>/withdraw/", views.WithdrawView.as_view(), name="proposal_withdraw"),
    path("<int:proposal_id>/questions/", views.AskQuestionView.as_view(), name="proposal_ask"),
    path(
        "<int:proposal_id>/questions/<int:question_id>/answer/",
        views.AnswerQuestionView.as_view(),
        name="proposal_answer_question",
    ),
    path("<int:proposal_id>/reactions/", views.AddReactionView.as_view(), name="proposal_react"),
]

from django.urls import path

from decisions.views import actions, answer, proposals, register

# Mounted under n/<slug:network_slug>/proposals/.
urlpatterns = [
    path("", proposals.ProposalListView.as_view(), name="proposal_list"),
    path("new/", proposals.NewProposalView.as_view(), name="proposal_new"),
    path("register/", register.DecisionRegisterView.as_view(), name="decision_register"),
    path("register.csv", register.DecisionRegisterCsvView.as_view(), name="decision_register_csv"),
    path("<int:proposal_id>/", proposals.ProposalDetailView.as_view(), name="proposal_detail"),
    path("<int:proposal_id>/answer/", answer.AnswerView.as_view(), name="proposal_answer"),
    path(
        "<int:proposal_id>/questions/start/",
        actions.MoveAlongView.as_view(step="start_questions"),
        name="proposal_start_questions",
    ),
    path(
        "<int:proposal_id>/reactions/start/",
        actions.MoveAlongView.as_view(step="start_reactions"),
        name="proposal_start_reactions",
    ),
    path("<int:proposal_id>/round/", actions.OpenRoundView.as_view(), name="proposal_open_round"),
    path("<int:proposal_id>/version/", actions.NewVersionView.as_view(), name="proposal_new_version"),
    path("<int:proposal_id>/withdraw/", actions.WithdrawView.as_view(), name="proposal_withdraw"),
    path("<int:proposal_id>/questions/", actions.AskQuestionView.as_view(), name="proposal_ask"),
    path(
        "<int:proposal_id>/questions/<int:question_id>/answer/",
        actions.AnswerQuestionView.as_view(),
        name="proposal_answer_question",
    ),
    path("<int:proposal_id>/reactions/", actions.AddReactionView.as_view(), name="proposal_react"),
]

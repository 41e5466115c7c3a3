"""The board and the experiment page: what each persona reads and does, query budgets, Dutch."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from decisions.models import Proposal, ProposalKind, ProposalState
from ecosystem.models import Stage
from experiments import services
from experiments.models import Experiment, Standing, TargetGroup
from tests.conftest import World
from tests.experiments.factories import adopted, make_experiment
from tests.factories import make_partnership
from tests.helpers import english
from tests.queries import assert_constant_queries


def board(world: World) -> str:
    return reverse("experiment_board", args=[world.network.slug])


def page(experiment: Experiment, name: str = "experiment_detail") -> str:
    return reverse(name, args=[experiment.network.slug, experiment.pk])


def test_the_board_has_a_column_for_candidates_each_stage_and_stopped(council):
    candidate = make_experiment(council, title="Maker space in the youth house")
    running = adopted(council, stage=Stage.EXPERIMENTATION, title="Repair Café workshop")
    stopped = make_experiment(council, title="Evening bike repair")
    services.stop_experiment(experiment=stopped, lessons="Evenings do not work.", by=None)
    response = english(council.client("broad_partner")).get(board(council))
    columns = {c.key: [e.title for e in c.experiments] for c in response.context["columns"]}
    assert list(columns) == ["candidate", *Stage.values, "stopped"]
    assert columns["candidate"] == [candidate.title]
    assert columns[Stage.EXPERIMENTATION] == [running.title]
    assert columns["stopped"] == [stopped.title]
    assert "Risk of losing ambition or momentum." in response.content.decode()


def test_the_board_filters_by_partner_target_group_and_trekker(world):
    pibo = make_partnership(world.network, "PIBO Campus")
    talent = make_experiment(world, title="Talent path", partners=[pibo], target_groups=[TargetGroup.YOUTH])
    other = make_experiment(world, by="coordinator", title="Maker space", target_groups=[TargetGroup.NEET])
    client = english(world.client("coalition"))

    def shown(**query) -> set[str]:
        response = client.get(board(world), query)
        return {e.title for c in response.context["columns"] for e in c.experiments}

    assert shown(partner=pibo.pk) == {talent.title}
    assert shown(target_group=TargetGroup.NEET) == {other.title}
    assert shown(trekker=world.persons["coordinator"].pk) == {other.title}
    assert shown() == {talent.title, other.title}


def test_a_funder_reads_the_ecosystems_experiments_without_names(council):
    running = adopted(council, stage=Stage.CATALYSING, title="Repair Café workshop")
    candidate = make_experiment(council, title="Secret candidate")
    client = english(council.client("funder"))
    response = client.get(board(council))
    content = response.content.decode()
    assert running.title in content and candidate.title not in content
    assert "Coalition Person" not in content
    detail = client.get(page(running))
    assert detail.status_code == 200 and "Coalition Person" not in detail.content.decode()
    assert client.get(page(candidate)).status_code == 403


def test_another_networks_experiment_is_not_found(world):
    experiment = make_experiment(world)
    url = reverse("experiment_detail", args=[world.other_network.slug, experiment.pk])
    assert world.client("outsider").get(url).status_code == 404
    assert world.client("outsider").get(page(experiment)).status_code == 404


def test_the_trekker_moves_the_experiment_with_evidence_through_the_page(world):
    experiment = make_experiment(world)
    response = english(world.client("coalition")).post(
        page(experiment, "experiment_move"),
        {"to_stage": Stage.CATALYSING, "why": "Partners found", "evidence": "PIBO signed", "links": "https://x.test/a"},
    )
    assert response.status_code == 302
    event = experiment.events.last()
    assert (event.to_stage, event.evidence, event.links) == (Stage.CATALYSING, "PIBO signed", ["https://x.test/a"])


def test_someone_who_is_not_the_trekker_gets_403_on_its_forms(world):
    experiment = make_experiment(world)
    client = world.client("broad_partner")
    assert (
        client.post(page(experiment, "experiment_move"), {"to_stage": Stage.CATALYSING, "why": "x"}).status_code == 403
    )
    assert Experiment.objects.get(pk=experiment.pk).stage == Stage.HYPOTHESIS
    assert "experiment_move" not in client.get(page(experiment)).content.decode()


def test_a_stop_without_lessons_comes_back_with_the_reason(world):
    experiment = make_experiment(world)
    response = english(world.client("coalition")).post(page(experiment, "experiment_stop"), {"lessons": " "})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert Experiment.objects.get(pk=experiment.pk).standing == Standing.CANDIDATE


def test_adoption_is_proposed_from_the_experiments_page_prefilled(world):
    experiment = make_experiment(world, title="Repair Café workshop")
    client = english(world.client("coalition"))
    form = client.get(page(experiment, "experiment_propose")).context["form"]
    assert form.initial["title"] == "Adopt “Repair Café workshop” into the ecosystem"
    response = client.post(page(experiment, "experiment_propose"), {**form.initial, "electorate": "coalition"})
    proposal = Proposal.objects.get()
    assert response.url == reverse("proposal_detail", args=[world.network.slug, proposal.pk])
    assert (proposal.kind, proposal.subject, proposal.state) == (
        ProposalKind.ADOPT_EXPERIMENT,
        experiment,
        ProposalState.DRAFT,
    )


def test_a_stopped_experiment_reopens_from_its_page(world):
    experiment = make_experiment(world)
    services.stop_experiment(experiment=experiment, lessons="No room.", by=None)
    response = world.client("broad_partner").post(page(experiment, "experiment_reopen"), {"why": "A room now"})
    again = Experiment.objects.get(reopened_from=experiment)
    assert response.url == page(again)


def test_the_board_query_count_does_not_grow_and_stays_in_budget(world):
    client = world.client("coalition")
    partnership = make_partnership(world.network)

    def grow(k: int) -> None:
        for _ in range(k):
            experiment = make_experiment(world, partners=[partnership], target_groups=[TargetGroup.YOUTH])
            services.record_reach(experiment=experiment, target_group=TargetGroup.YOUTH, participants=3, by=None)

    assert_constant_queries(lambda: client.get(board(world)), grow, budget=15)


def test_the_experiment_page_query_count_does_not_grow_with_its_timeline(world):
    experiment = make_experiment(world)
    client = world.client("coalition")
    ContentType.objects.get_for_model(Experiment)  # cached for the process: not the page's cost

    def grow(k: int) -> None:
        for _ in range(k):
            experiment.refresh_from_db()
            back_and_forth = Stage.HYPOTHESIS if experiment.stage == Stage.CATALYSING else Stage.CATALYSING
            services.move_experiment(experiment=experiment, to_stage=back_and_forth, why="x", evidence="y", by=None)
            services.record_lesson(experiment=experiment, text="A lesson", by=None)
            services.record_reach(experiment=experiment, target_group=TargetGroup.YOUTH, participants=3, by=None)

    assert_constant_queries(lambda: client.get(page(experiment)), grow, budget=19)


def test_the_pages_render_in_dutch(world, nl):
    experiment = make_experiment(world)
    content = world.client("coalition").get(board(world), **nl).content.decode()
    assert "Kandidaten" in content and "Risico op verlies van ambitie of momentum." in content
    detail = world.client("coalition").get(page(experiment), **nl).content.decode()
    assert "Hypothese en visievorming" in detail and "Naar een ander stadium" in detail


def test_the_board_shows_the_networks_own_stage_history_beside_its_experiments(world):
    from ecosystem import services as ecosystem_services

    ecosystem_services.change_network_stage(
        network=world.network, to_stage=Stage.CATALYSING, reason="Six partners signed", by=None
    )
    make_experiment(world)
    response = english(world.client("funder")).get(board(world))
    assert [c.to_stage for c in response.context["stage_history"]] == [Stage.CATALYSING]
    assert "The network's own stage" in response.content.decode()

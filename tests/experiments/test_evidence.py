"""Evidence files: a size limit, a type allow-list by content, random names, served only to readers."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ecosystem.models import Stage
from experiments.models import EvidenceFile, Experiment
from tests.experiments.factories import adopted, make_experiment
from tests.helpers import english

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def _move(client, experiment, upload, **extra):
    url = reverse("experiment_move", args=[experiment.network.slug, experiment.pk])
    data = {"to_stage": Stage.CATALYSING, "why": "Partners signed", "evidence_files": upload, **extra}
    return client.post(url, data)


def _file_url(evidence: EvidenceFile) -> str:
    return reverse("experiment_evidence", args=[evidence.experiment.network.slug, evidence.experiment_id, evidence.pk])


def test_a_pdf_is_stored_under_a_random_name_and_served_to_a_reader(world):
    experiment = make_experiment(world)
    response = _move(world.client("coalition"), experiment, SimpleUploadedFile("../../etc/passwd.pdf", PDF))
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get()
    assert (evidence.extension, evidence.content_type, evidence.event.to_stage) == (
        "pdf",
        "application/pdf",
        Stage.CATALYSING,
    )
    assert "passwd" not in evidence.file.name and evidence.file.name.endswith(".pdf")
    served = world.client("observer").get(_file_url(evidence))
    assert served.status_code == 200 and b"".join(served.streaming_content) == PDF
    assert served["Content-Disposition"] == f'attachment; filename="evidence-{evidence.pk}.pdf"'
    assert served["X-Content-Type-Options"] == "nosniff"


def test_a_file_over_the_limit_is_refused_with_a_clear_message_and_nothing_moves(world, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    experiment = make_experiment(world)
    big = SimpleUploadedFile("report.pdf", PDF + b"0" * 2048)
    response = _move(english(world.client("coalition")), experiment, big)
    assert response.status_code == 200
    assert "The file is larger than 1.0\xa0KB." in response.content.decode()
    assert not EvidenceFile.objects.exists()
    assert Experiment.objects.get(pk=experiment.pk).stage == Stage.HYPOTHESIS


@pytest.mark.parametrize(
    ("name", "content"),
    [("run.exe", b"MZ\x90\x00"), ("page.html", b"<html><script>alert(1)</script>"), ("fake.pdf", b"#!/bin/sh\n")],
)
def test_a_refused_type_is_refused_whatever_its_name(world, name, content):
    experiment = make_experiment(world)
    response = _move(english(world.client("coalition")), experiment, SimpleUploadedFile(name, content))
    assert "This type of file is not accepted: send a PDF, an image or an office document." in (
        response.content.decode()
    )
    assert not EvidenceFile.objects.exists()


def test_another_networks_member_gets_404_and_a_funder_reads_only_adopted_experiments_files(council):
    candidate = make_experiment(council)
    _move(council.client("coalition"), candidate, SimpleUploadedFile("a.pdf", PDF))
    evidence = EvidenceFile.objects.get()
    assert council.client("outsider").get(_file_url(evidence)).status_code == 404
    assert council.client("anonymous").get(_file_url(evidence)).status_code == 302
    assert council.client("funder").get(_file_url(evidence)).status_code == 403
    running = adopted(council, stage=Stage.HYPOTHESIS)
    _move(council.client("coalition"), running, SimpleUploadedFile("b.pdf", PDF))
    assert council.client("funder").get(_file_url(EvidenceFile.objects.get(experiment=running))).status_code == 200
    other = reverse("experiment_evidence", args=[council.network.slug, running.pk, evidence.pk])
    assert council.client("coordinator").get(other).status_code == 404  # the file of another experiment


def test_the_refusal_of_a_file_is_in_the_users_language(world, nl):
    experiment = make_experiment(world)
    url = reverse("experiment_move", args=[world.network.slug, experiment.pk])
    data = {"to_stage": Stage.CATALYSING, "why": "Partners", "evidence_files": SimpleUploadedFile("a.exe", b"MZ")}
    response = world.client("coalition").post(url, data, **nl)
    assert "Dit soort bestand wordt niet aanvaard" in response.content.decode()

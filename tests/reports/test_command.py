import io

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from clusterhub.reports import services


def _run(*args) -> str:
    out = io.StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def test_the_command_writes_the_html_and_a_pdf_whose_text_has_the_report(
    world, organiser, tmp_path
):
    event = world.event
    services.session_highlight_set(
        event=event, session=world.part_two,
        key_messages="Partnerships are not optional; they are essential.", actor=organiser,
    )  # fmt: skip
    html, pdf = tmp_path / "report.html", tmp_path / "report.pdf"
    out = _run(event.slug, "--html", str(html), "--pdf", str(pdf))
    assert f"Wrote {html}" in out
    assert f"Wrote {pdf}" in out
    assert "(not published)" in out
    assert "Partnerships are not optional; they are essential." in html.read_text()
    reader = PdfReader(pdf)
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert reader.metadata.title == "Highlights from Oslo Deep Dive Days 2025"
    assert "Highlights from Oslo Deep Dive Days 2025" in text
    assert "Partnerships are not optional; they are essential." in text
    assert "Participants (checked in) 5" in text  # the reporting table, figures and all
    assert "1:1 meetings held (reported) 2" in text
    assert "Partnerships started 1" in text
    assert "Pilot of remote monitoring" in text
    assert "Secret comment about pricing" not in text


def test_the_command_without_files_prints_the_figures(world):
    out = _run(world.event.slug)
    assert "Highlights from Oslo Deep Dive Days 2025" in out
    assert "Participants (checked in)" in out
    assert "Partnerships started" in out


def test_the_command_refuses_an_unknown_event(db, tmp_path):
    with pytest.raises(CommandError, match="No event with the short name “nope”"):
        _run("nope", "--html", str(tmp_path / "r.html"))
    assert not (tmp_path / "r.html").exists()


@pytest.mark.parametrize("option", ["--html", "--pdf"])
def test_the_command_refuses_a_file_it_cannot_write(event, tmp_path, option):
    with pytest.raises(CommandError, match="does not exist"):
        _run(event.slug, option, str(tmp_path / "missing" / "r.out"))
    with pytest.raises(CommandError, match=f"Cannot write {tmp_path}"):
        _run(event.slug, option, str(tmp_path))  # a folder, not a file

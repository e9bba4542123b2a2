"""Data shown as data: keys by their forms' titles, dates formatted, choices by label, people by
name; and the SVG charts, whose words are escaped like any page text."""
from __future__ import annotations

import re

from engine import Actor
from engine.services.field_labels import labels_from
from tests.engine.helpers import complete, start
from tests.webapp.conftest import PASSWORD
from webapp.svg_charts import Series, grouped_columns, stacked_bars
from tests.webapp.test_bureau import SHORTLIST, WEB_FIXTURES

REGISTRAR = Actor("rita", frozenset({"Registrar"}))
FORM = {"properties": {
    "venue": {"type": "string", "title": "Venue", "oneOf": [{"const": "hq", "title": "Headquarters"}]},
    "opens_on": {"type": "string", "format": "date", "title": "Opens on"},
    "rapporteur": {"type": "string", "title": "Rapporteur", "x-directory-role": "Registrar"},
    "papers": {"type": "array", "title": "Papers", "items": {"type": "string", "x-attachment": True}},
    "delegations": {"type": "array", "title": "Delegations", "items": {
        "type": "object", "properties": {"state": {"type": "string", "title": "State Party"}}}},
}}


def test_the_forms_give_titles_dates_choices_people_and_attachments():
    labels = labels_from([FORM, None, {"properties": {"venue": {"title": "Another title"}}}])
    assert labels.title("venue") == "Venue" and labels.title("state") == "State Party"  # nested columns too
    assert labels.date_formats == {"opens_on": "date"} and labels.choices == {"venue": {"hq": "Headquarters"}}
    assert labels.people == {"rapporteur"} and labels.attachments == {"papers"}
    assert labels.title("unknown") is None


def test_instance_data_reads_with_form_titles_and_formatted_dates(engine, deploy, app, browser_as):
    with engine.unit_of_work() as uow:
        for member in SHORTLIST["members"]:
            uow.identity.add_user(member, ["Bureau"], password=PASSWORD)
        uow.commit()
    deploy("bureau_selection.bpmn", "shortlist.schema.json", "shortlist.uischema.json", "vote.schema.json",
           folder=WEB_FIXTURES)
    proposal = start(engine, "bureau_selection", REGISTRAR).open_tasks[0]
    instance = complete(engine, proposal.id, REGISTRAR, {**SHORTLIST, "decision_by": "2027-03-15"}).process_instance
    html = browser_as("mara").get(f"/instances/{instance.id}").get_data(as_text=True)
    data = html.split('id="data-heading"')[1]
    assert "<dt>Decision needed by</dt><dd><span class=\"data-text\">March 15, 2027</span></dd>" in data
    assert "<dt>Bureau members who vote</dt>" in data and "<dt>members</dt>" not in data
    columns = re.findall(r'<th scope="col">([^<]+)</th>', data.split('<table class="data-table">')[1])
    assert columns[:3] == ["Name", "Regional group", "Years of experience"]
    assert "2027-03-15" not in data


def test_chart_words_are_escaped_and_bars_scale_to_the_largest():
    chart = stacked_bars("Open <tasks>", ["<script>x</script>", "Bureau"],
                         [Series("New", [4, 1]), Series("Old", [0, 1])])
    assert "<script>x" not in chart and "&lt;script&gt;x&lt;/script&gt;" in chart
    widths = [float(w) for w in re.findall(r'<rect class="chart-series-\d" x="[\d.]+" y="\d+" width="([\d.]+)"', chart)]
    assert widths == [320.0, 80.0, 80.0]  # 4 fills the bar; the zero segment is not drawn
    columns = grouped_columns("Weeks", ["1 Mar", "8 Mar"], [Series("Started", [0, 2])])
    assert columns.count("<rect") == 2 and ">2</text>" in columns and 'aria-label="Weeks"' in columns

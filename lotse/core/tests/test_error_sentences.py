"""The error summary speaks in sentences: "Please answer the question “…?”", not "…?: required"."""

from __future__ import annotations

from django import forms
from django.utils import translation

from lotse.core.forms import KernForm, error_summary


class QuestionForm(KernForm):
    why = forms.CharField(label="Why are these the same person?")
    street = forms.CharField(label="Street")
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A")], widget=forms.RadioSelect)
    count = forms.IntegerField(label="How many?")
    name = forms.CharField(label="Name", error_messages={"required": "Enter the name."})


def _texts(data: dict[str, str]) -> list[str]:
    form = QuestionForm(data=data)
    form.is_valid()
    return [item.text for item in error_summary(form)]


def test_missing_answers_read_as_requests_naming_the_field():
    with translation.override("en"):
        texts = _texts({"count": "1"})
    assert texts == [
        "Please answer the question “Why are these the same person?”.",
        "Please fill in “Street”.",
        "Please choose an answer for “Kind”.",
        "Name: Enter the name.",  # a field's own message stays, after its label
    ]


def test_other_errors_of_a_question_follow_it_without_a_colon():
    with translation.override("en"):
        texts = _texts({"why": "x", "street": "x", "kind": "a", "name": "x", "count": "many"})
    assert texts == ["How many? Enter a whole number."]


def test_the_request_reads_in_german_too():
    with translation.override("de"):
        texts = _texts({"count": "1"})
    # The German wording comes with the lead's translations; the question is named either way.
    assert "Why are these the same person?" in texts[0]
    assert "Dieses Feld ist zwingend erforderlich" not in texts[0]

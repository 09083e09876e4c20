"""The form helpers: KERN-UX classes, service errors on their fields, the error summary."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.formsets import formset_factory

from lotse.core.forms import (
    KernForm,
    RowTexts,
    apply_service_errors,
    error_field,
    error_summary,
    explained_choices,
    suppress_errors,
)

ROWS = RowTexts(field="Row %(row)s – %(field)s: %(message)s", plain="Row %(row)s: %(message)s")


class NameForm(KernForm):
    name = forms.CharField(
        label="Name", max_length=20, error_messages={"required": "Enter the name."}
    )
    kinds = forms.MultipleChoiceField(
        label="Kinds",
        required=False,
        choices=[("a", "A"), ("b", "B")],
        widget=forms.CheckboxSelectMultiple,
    )
    agreed = forms.BooleanField(label="Agreed", required=False)
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A")], widget=forms.RadioSelect)
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)


RowFormSet = formset_factory(NameForm, extra=0, can_delete=True)


def _rows(*rows: dict[str, str], deleted: tuple[int, ...] = ()) -> dict[str, str]:
    data = {"rows-TOTAL_FORMS": str(len(rows)), "rows-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        data.update({f"rows-{index}-{key}": value for key, value in row.items()})
        if index in deleted:
            data[f"rows-{index}-DELETE"] = "on"
    return data


def test_every_widget_gets_its_kern_class_and_the_error_variant_when_wrong():
    form = NameForm(data={"name": "", "kind": "a"})

    assert not form.is_valid()
    assert form.fields["name"].widget.attrs["class"] == (
        "kern-form-input__input kern-form-input__input--error"
    )
    assert form.fields["kinds"].widget.attrs["class"] == "kern-form-check__checkbox"
    assert form.fields["agreed"].widget.attrs["class"] == "kern-form-check__checkbox"
    assert form.fields["kind"].widget.attrs["class"] == "kern-form-check__radio"
    assert "class" not in form.fields["hidden"].widget.attrs


def test_each_choice_comes_with_its_explanation():
    choices = explained_choices(NameForm()["kinds"], {"a": "The first kind."})

    assert [choice.help for choice in choices] == ["The first kind.", ""]


def test_a_service_error_lands_on_the_field_it_names_even_inside_it():
    form = NameForm(data={"name": "Amal", "kind": "a"})
    assert form.is_valid()

    apply_service_errors(
        form,
        ValidationError(
            {"name": "Taken.", "kinds[1]": "Unknown kind.", "other": "Elsewhere.", "__all__": "No."}
        ),
    )

    assert form.errors["name"] == ["Taken."]
    assert form.errors["kinds"] == ["Unknown kind."]
    assert form.non_field_errors() == ["Elsewhere.", "No."]


def test_a_service_error_without_fields_lands_on_the_form():
    form = NameForm(data={"name": "Amal", "kind": "a"})
    assert form.is_valid()

    apply_service_errors(form, ValidationError("Not now."))

    assert form.non_field_errors() == ["Not now."]


def test_error_keys_name_the_field_they_point_into():
    assert error_field("members[0].given_names") == "members"
    assert error_field("aliases[1]") == "aliases"
    assert error_field("name") == "name"
    assert error_field("__all__") is None
    assert error_field(None) is None


def test_the_summary_names_each_field_and_links_to_it():
    form = NameForm(data={"name": "", "kind": "a"})
    form.is_valid()
    form.add_error(None, "Something else.")

    summary = error_summary(form, NameForm())

    assert [(item.anchor, item.text) for item in summary] == [
        ("id_name", "Name: Enter the name."),
        ("main", "Something else."),
    ]


def test_the_error_of_a_prefixed_form_links_to_the_page():
    form = NameForm(data={"review-name": "Amal", "review-kind": "a"}, prefix="review")
    form.is_valid()
    form.add_error(None, "Already reviewed.")

    assert [(i.anchor, i.text) for i in error_summary(form)] == [("main", "Already reviewed.")]


def test_the_summary_names_the_row_and_skips_rows_left_out():
    formset = RowFormSet(
        data=_rows(
            {"name": "Amal", "kind": "a"},
            {"name": "", "kind": "a"},
            {"name": "", "kind": "a"},
            deleted=(2,),
        ),
        prefix="rows",
    )
    formset.is_valid()
    formset.forms[0].add_error(None, "Two heads.")
    formset.non_form_errors().append("Too many rows.")

    summary = error_summary(NameForm(), formset=formset, rows=ROWS)

    assert [(item.anchor, item.text) for item in summary] == [
        ("rows", "Too many rows."),
        ("rows-0", "Row 1: Two heads."),
        ("id_rows-1-name", "Row 2 – Name: Enter the name."),
    ]


def test_suppressed_errors_are_not_shown():
    form = NameForm(data={"name": ""})
    formset = RowFormSet(data=_rows({"name": ""}), prefix="rows")

    suppress_errors(form, formset=formset)

    assert error_summary(form, formset=formset, rows=ROWS) == []
    assert not formset.non_form_errors()

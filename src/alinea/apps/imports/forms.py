from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alinea.apps.imports.selectors import mapping_choices


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    upload = MultipleFileField(
        label=_("Files"),
        help_text=_("CSV, TSV, Excel (.xlsx), Parquet or JSON Lines; several files at once."),
    )
    mapping = forms.ChoiceField(label=_("Mapping"))
    timezone = forms.CharField(
        label=_("Time zone of times without one"),
        required=False,
        help_text=_("For example Europe/Madrid or UTC."),
    )
    date_format = forms.ChoiceField(
        label=_("Order of dates like 03-04-2018"),
        required=False,
        choices=[
            ("", _("Find out from the values")),
            ("dd-mm-yyyy", _("Day first (dd-mm-yyyy)")),
            ("mm/dd/yyyy", _("Month first (mm/dd/yyyy)")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["mapping"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (c.name, c.name if c.built_in else f"{c.name} ✎") for c in mapping_choices()
        ]


class CommitForm(forms.Form):
    skip_bad_rows = forms.BooleanField(label=_("Skip the rows with problems"), required=False)


class SaveMappingForm(forms.Form):
    save_as = forms.SlugField(
        label=_("Save the mapping as"),
        max_length=100,
        help_text=_("Letters, digits and hyphens; an edited copy that you can use again."),
    )


class CopyMappingForm(forms.Form):
    name = forms.SlugField(
        label=_("Name of the copy"),
        max_length=100,
        help_text=_("Letters, digits and hyphens."),
    )


class EditMappingForm(forms.Form):
    name = forms.SlugField(label=_("Name"), max_length=100)
    definition = forms.CharField(
        label=_("Rules (JSON)"),
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false", "class": "code"}),
        help_text=_(
            "The mapping as JSON: for each file pattern, the facts it yields and how each column "
            "is read. Checked when you save."
        ),
    )

    def clean_definition(self) -> dict[str, Any]:
        try:
            found = json.loads(self.cleaned_data["definition"])
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("This is not valid JSON (line %(line)s): %(why)s"),
                params={"line": error.lineno, "why": error.msg},
            ) from None
        if not isinstance(found, dict):
            raise forms.ValidationError(_("The rules must be one JSON object."))
        return found

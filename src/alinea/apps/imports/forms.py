from __future__ import annotations

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

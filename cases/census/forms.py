from __future__ import annotations

from django import forms
from django.utils import timezone

from cases.census.layout import collection_year_on
from cases.web.forms import GovUKForm

MAX_UPLOAD_BYTES = 500 * 1024 * 1024


def _years() -> list[tuple[int, str]]:
    current = collection_year_on(timezone.localdate())
    return [
        (year, f"{year - 1} to {year} (ending 31 March {year})")
        for year in range(current, current - 4, -1)
    ]


class CensusExportForm(GovUKForm):
    year = forms.TypedChoiceField(
        label="Collection year",
        coerce=int,
        choices=_years,
        error_messages={"required": "Choose the collection year"},
    )


class CensusImportForm(GovUKForm):
    year = forms.TypedChoiceField(
        label="Collection year of the file",
        coerce=int,
        choices=_years,
        error_messages={"required": "Choose the collection year"},
    )
    file = forms.FileField(
        label="Census file (XML)",
        widget=forms.ClearableFileInput(attrs={"class": "govuk-file-upload", "accept": ".xml"}),
        error_messages={"required": "Choose the census XML file to import"},
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file must be smaller than 500 MB")
        if not upload.name.lower().endswith(".xml"):
            raise forms.ValidationError("The file must be a census XML file (.xml)")
        return upload

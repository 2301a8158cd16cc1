"""The upload form and the matching queue's forms."""

from __future__ import annotations

from django import forms

from cases.notifications.models import NotificationKind
from cases.web.forms import GovUKForm, required, submission_key_field


class NotificationUploadForm(GovUKForm):
    kind = forms.ChoiceField(
        label="What the file holds",
        choices=NotificationKind.choices,
        widget=forms.RadioSelect,
        error_messages=required("Choose what the file holds"),
    )
    file = forms.FileField(
        label="Upload a file",
        help_text="A CSV or XLSX file in the layout for its kind, with the column names in the "
        "first row.",
        error_messages=required("Select a CSV or XLSX file"),
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    dry_run = forms.BooleanField(
        label="Check the file only: change nothing",
        required=False,
    )
    submission_key = submission_key_field()


class RowRejectForm(GovUKForm):
    reason = forms.CharField(
        label="Why is this row rejected?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=required("Enter why the row is rejected"),
    )


class RowLinkForm(GovUKForm):
    child = forms.TypedChoiceField(
        label="Which child is this row about?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages=required("Choose the child this row is about"),
    )

    def __init__(self, *args: object, choices: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["child"].choices = choices  # type: ignore[attr-defined]

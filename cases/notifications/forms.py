"""The upload form and the matching queue's forms."""

from __future__ import annotations

from typing import Any

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
    submission_key = submission_key_field()


class RowRegisterForm(GovUKForm):
    submission_key = submission_key_field()
    # "yes" once the practitioner has seen the possible duplicates and none is the child.
    confirmed_new = forms.CharField(required=False, widget=forms.HiddenInput)


class RowLinkForm(GovUKForm):
    """The child is one of `choices` on the page; the service decides which children the row
    may be linked to (one it matched, or one the practitioner may see)."""

    child = forms.IntegerField(
        label="Which child is this row about?",
        widget=forms.RadioSelect,
        error_messages={
            **required("Choose the child this row is about"),
            "invalid": "Choose the child this row is about",
        },
    )
    submission_key = submission_key_field()

    def __init__(
        self, *args: Any, choices: list[tuple[int, str]], label: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["child"].widget.choices = choices  # type: ignore[attr-defined]
        if label:
            self.fields["child"].label = label

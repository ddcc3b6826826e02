from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from klantocratie.parties.validators import validate_bsn, validate_kvk_number


class ClientSearchForm(forms.Form):
    """Find a client by BSN (persons) or KvK number (businesses)."""

    query = forms.CharField(
        label="BSN of KvK-nummer",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, autofocus: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # On the search page the cursor starts in the box; beside a client view it must
        # not, or the browser scrolls away from the client.
        self.fields["query"].widget.attrs["autofocus"] = autofocus

    def clean_query(self) -> tuple[str, str]:
        value = "".join(self.cleaned_data["query"].split()).replace(".", "")
        if len(value) == 9:
            validate_bsn(value)
            return ("bsn", value)
        if len(value) == 8:
            validate_kvk_number(value)
            return ("kvk", value)
        raise ValidationError("Geef een BSN (9 cijfers) of een KvK-nummer (8 cijfers).")

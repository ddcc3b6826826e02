"""Errors of the privacy gate. Each names the field of the request it is about."""


class GateError(Exception):
    field = "non_field_errors"
    code = "gate_error"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if field:
            self.field = field


class UnknownActivity(GateError):
    field, code = "activity", "unknown_activity"


class ActivityNotValid(GateError):
    field, code = "activity", "activity_not_valid"


class UnknownElement(GateError):
    field, code = "elements", "unknown_element"


class AccessDenied(GateError):
    code = "access_denied"


class ChoiceDenies(AccessDenied):
    """The person's own privacy choice excludes this processing."""

    code = "choice_denies"


class LogWriteFailed(GateError):
    """The processing log could not be written, so the operation did not happen."""

    code = "log_write_failed"

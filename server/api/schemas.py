"""Marshmallow schemas for every input and output of the HTTP API (and its OpenAPI document)."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates, validates_schema

from .. import address_forms
from ..messageid import MAX_LENGTH, InvalidMessageId, normalize_message_id
from ..shared_mailboxes import ADDRESS

MAX_ID = 2**31 - 1  # onOffice record ids and IMAP UIDs are 32-bit


class StrictInt(fields.Integer):
    """An integer that refuses floats, booleans and numeric strings in JSON bodies."""

    def __init__(self, **kwargs: Any):
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> int:
        if isinstance(value, bool):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


def _record_id(**kw: Any) -> StrictInt:
    return StrictInt(validate=validate.Range(min=0, max=MAX_ID), **kw)


class MessageIdField(fields.String):
    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return normalize_message_id(text)
        except InvalidMessageId as exc:
            raise ValidationError(str(exc)) from None


_FOLDER = {"validate": validate.Length(min=1, max=1000)}


class MailboxField(fields.String):
    """The mailbox a mail sits in: a plain ASCII address, so no look-alike or header trick
    can match a grant or reach the mail server."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if len(text) > 320 or not ADDRESS.fullmatch(text):
            raise ValidationError("not a mailbox address (plain ASCII, like info@example.de)")
        return text.lower()


def _unique(ids: list[int]) -> None:
    if len(set(ids)) != len(ids):
        raise ValidationError("ids must be unique")


def _id_list(min_items: int) -> fields.List:
    return fields.List(StrictInt(validate=validate.Range(min=1, max=MAX_ID)), allow_none=True,
                       validate=[validate.Length(min=min_items, max=address_forms.MAX_IDS),
                                 _unique], metadata={"uniqueItems": True})


class _Strict(Schema):
    class Meta:
        unknown = RAISE


def _no_control(value: str) -> None:
    if any(c in value for c in "\r\n\x00"):
        raise ValidationError("must not contain line breaks or NUL characters")


class LinkRequestSchema(_Strict):
    messageId = MessageIdField(required=True, metadata={"maxLength": MAX_LENGTH,
                               "example": "<20261118093412.4F2A1@mueller-partner.de>"})
    addressId = _record_id(allow_none=True, metadata={
        "description": "the seed's form: the one linked address, 0 unlinks"})
    addressIds = _id_list(0)
    addAddressIds = _id_list(1)
    removeAddressIds = _id_list(1)
    estateId = _record_id(allow_none=True, metadata={"description": "0 unlinks"})
    folder = fields.String(allow_none=True, **_FOLDER)
    uid = StrictInt(allow_none=True, validate=validate.Range(min=1, max=MAX_ID))
    mailbox = MailboxField(allow_none=True, metadata={
        "description": "the shared or delegated mailbox the mail sits in; absent = your own"})

    @validates("folder")
    def _folder(self, value: str | None, **_: Any) -> None:
        if value is not None:
            _no_control(value)

    @validates_schema
    def _one_form(self, data: dict[str, Any], **_: Any) -> None:
        errors = address_forms.form_errors(data)
        if errors:
            raise ValidationError(errors)  # type: ignore[arg-type]


class LinksQuerySchema(_Strict):
    messageId = MessageIdField(required=True)
    folder = fields.String(**_FOLDER)
    uid = fields.Integer(validate=validate.Range(min=1, max=MAX_ID))
    mailbox = MailboxField()

    @validates("folder")
    def _folder(self, value: str, **_: Any) -> None:
        _no_control(value)


class EmailList(fields.String):
    """Comma-separated e-mail addresses; each one is checked, at most 20."""

    _email = fields.Email()

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> list[str]:
        text = super()._deserialize(value, attr, data, **kwargs)
        items = [part.strip() for part in text.split(",") if part.strip()]
        if len(items) > 20:
            raise ValidationError("at most 20 addresses")
        return [self._email.deserialize(item) for item in items]


class SuggestionsQuerySchema(_Strict):
    from_ = fields.Email(required=True, data_key="from")
    subject = fields.String(validate=validate.Length(max=2000))
    participants = EmailList(metadata={"description": "comma-separated e-mail addresses"})


class EmailArray(fields.List):
    """A JSON list of e-mail addresses (at most 20); a comma-separated string works too."""

    def __init__(self, **kwargs: Any):
        super().__init__(fields.Email(), validate=validate.Length(max=20), **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> list[str]:
        if isinstance(value, str):
            return EmailList()._deserialize(value, attr, data, **kwargs)
        return super()._deserialize(value, attr, data, **kwargs)


class SuggestionsBodySchema(_Strict):
    from_ = fields.Email(required=True, data_key="from")
    subject = fields.String(validate=validate.Length(max=2000))
    participants = EmailArray()
    body = fields.String(allow_none=True, metadata={
        "description": "plain text of the mail; only the first 16 KiB are read, the rest is "
                       "ignored; never stored or logged"})


class StrippedString(fields.String):
    """A string without surrounding blanks, so length checks count what is actually sent on."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        return super()._deserialize(value, attr, data, **kwargs).strip()


class SearchQuerySchema(_Strict):
    kind = fields.String(required=True, validate=validate.OneOf(["address", "estate"]))
    # "   " must be a 422 here, not onOffice's "search cannot be empty" passed on as a 502.
    q = StrippedString(required=True, validate=validate.Length(min=2, max=200))
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=50))


def _name(**kw: Any) -> StrippedString:
    return StrippedString(validate=[validate.Length(max=100), _no_control], **kw)


class NewAddressSchema(_Strict):
    email = fields.Email(required=True, validate=validate.Length(max=254))
    firstName = _name()
    lastName = _name()
    title = _name(metadata={"example": "Dr."})
    salutation = _name(metadata={"description": "onOffice's Anrede, e.g. Herr, Frau"})
    company = _name()
    phone = StrippedString(validate=[validate.Length(max=40),
                                     validate.Regexp(r"^[0-9+()/ .-]*$",
                                                     error="digits, spaces and + ( ) / . - only")])


class DemoSignInSchema(_Strict):
    mailbox = fields.Email(load_default=None)


class TokenRequestSchema(_Strict):
    code = fields.String(required=True, validate=validate.Length(min=1, max=200),
                         metadata={"description": "the one-time code from the redirect's query"})
    redirectUri = fields.String(required=True, validate=validate.Length(min=1, max=500),
                                metadata={"description": "the redirect_uri the sign-in started with"})


class ReasonSchema(Schema):
    kind = fields.String(validate=validate.OneOf(["sender", "participant", "subject", "body"]))
    text = fields.String()


class RecordSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(["address", "estate"]))
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    subtitle = fields.String()
    email = fields.String()
    linkedBy = fields.String(allow_none=True)
    linkedByName = fields.String(allow_none=True)  # the person's name as they signed in
    linkedAt = fields.DateTime(allow_none=True)
    reason = fields.Nested(ReasonSchema)


class HistorySchema(Schema):
    at = fields.DateTime()
    by = fields.String()
    byName = fields.String()
    action = fields.String()
    addressId = fields.Integer(allow_none=True)
    estateId = fields.Integer(allow_none=True)
    outcome = fields.String()
    errorCode = fields.Integer(allow_none=True)
    mailbox = fields.String(allow_none=True)
    addedIds = fields.List(fields.Integer(), allow_none=True)
    removedIds = fields.List(fields.Integer(), allow_none=True)


class PendingSchema(Schema):
    """A click kept in the outbox until onOffice answers (in click order)."""

    id = fields.Integer()
    at = fields.DateTime()
    by = fields.String()
    action = fields.String()
    addressId = fields.Integer()
    addressIds = fields.List(fields.Integer())
    addAddressIds = fields.List(fields.Integer())
    removeAddressIds = fields.List(fields.Integer())
    estateId = fields.Integer()
    attempts = fields.Integer()
    lastError = fields.String(allow_none=True)


class LinksSchema(Schema):
    messageId = fields.String()
    folder = fields.String()
    uid = fields.Integer()
    mailbox = fields.String()
    addresses = fields.List(fields.Nested(RecordSchema))
    estates = fields.List(fields.Nested(RecordSchema))
    history = fields.List(fields.Nested(HistorySchema))
    pending = fields.List(fields.Nested(PendingSchema))


class LinkResultSchema(Schema):
    messageId = fields.String()
    folder = fields.String()
    uid = fields.Integer()
    identity = fields.String()
    mailbox = fields.String()
    addressId = fields.Integer(allow_none=True)
    addressIds = fields.List(fields.Integer())
    addAddressIds = fields.List(fields.Integer())
    removeAddressIds = fields.List(fields.Integer())
    estateId = fields.Integer(allow_none=True)


class QueuedSchema(LinkResultSchema):
    """202: onOffice did not answer; the click is kept and applied once it does, in order."""

    status = fields.String(metadata={"example": "queued"})
    folder = fields.String(allow_none=True)
    uid = fields.Integer(allow_none=True)
    pending = fields.Nested(PendingSchema)


class SuggestionsSchema(Schema):
    addresses = fields.List(fields.Nested(RecordSchema))
    estates = fields.List(fields.Nested(RecordSchema))


class RecentSchema(Schema):
    addresses = fields.List(fields.Nested(RecordSchema))
    estates = fields.List(fields.Nested(RecordSchema))


class SearchResultSchema(Schema):
    results = fields.List(fields.Nested(RecordSchema))


class MeSchema(Schema):
    mailbox = fields.String()
    identity = fields.String()
    name = fields.String()


class RecordUrlSchema(Schema):
    url = fields.String()


class HealthSchema(Schema):
    status = fields.String()


class SessionTokenSchema(Schema):
    token = fields.String()
    mailbox = fields.String()
    expiresAt = fields.DateTime()


class ErrorBodySchema(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)
    details = fields.Dict()


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBodySchema, required=True)

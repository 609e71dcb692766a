"""The address forms of a link click and what each one makes of the current links.

``addressId`` (the seed's single address, ``0`` unlinks), ``addressIds`` (the whole list,
``[]`` unlinks all) and ``addAddressIds``/``removeAddressIds`` (a change the server merges
with what onOffice reports). Plain data and pure functions: the API, the link service and a
queue replaying clicks later all use the same ones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

MAX_IDS = 500  # onOffice's limit for addressIds (error 302)
ONE, LIST, CHANGE = "one", "list", "change"
FIELDS = ("addressId", "addressIds", "addAddressIds", "removeAddressIds")
SINGLE_MODE_HINT = ("This deployment links one address per mail (ONOFFICE_ADDRESS_LINKS=single): "
                    "send addressId, or addressIds/addAddressIds with one id.")


class SingleAddressOnly(ValueError):
    """The form needs onOffice's addressIds, which ONOFFICE_ADDRESS_LINKS=single switches off."""


@dataclass(frozen=True)
class AddressForm:
    kind: Literal["one", "list", "change"]
    ids: tuple[int, ...] = ()  # ONE: (id,) with 0 = unlink; LIST: the whole list
    add: tuple[int, ...] = ()
    remove: tuple[int, ...] = ()

    def apply(self, current: Sequence[int]) -> list[int]:
        """The list of linked addresses after this click, given what is linked now."""
        if self.kind == ONE:
            return [self.ids[0]] if self.ids[0] else []
        if self.kind == LIST:
            return list(self.ids)
        gone = set(self.remove)
        return [i for i in dict.fromkeys([*current, *self.add]) if i not in gone]

    def to_json(self) -> dict[str, Any]:
        """The request fields this form came from (for echoes, queues and logs)."""
        if self.kind == ONE:
            return {"addressId": self.ids[0]}
        if self.kind == LIST:
            return {"addressIds": list(self.ids)}
        out: dict[str, Any] = {}
        if self.add:
            out["addAddressIds"] = list(self.add)
        if self.remove:
            out["removeAddressIds"] = list(self.remove)
        return out


def from_fields(body: Mapping[str, Any]) -> AddressForm | None:
    """The form in already validated request fields; ``None`` when none was sent."""
    given = [f for f in FIELDS if body.get(f) is not None]
    if not given:
        return None
    if given[0] == "addressId":
        return AddressForm(ONE, (int(body["addressId"]),))
    if given[0] == "addressIds":
        return AddressForm(LIST, tuple(body["addressIds"]))
    return AddressForm(CHANGE, add=tuple(body.get("addAddressIds") or ()),
                       remove=tuple(body.get("removeAddressIds") or ()))


def form_errors(body: Mapping[str, Any]) -> dict[str, list[str]]:
    """Field errors for a body naming more than one form ({} when it is fine)."""
    given = [f for f in FIELDS if body.get(f) is not None]
    if given[1:] and set(given) != {"addAddressIds", "removeAddressIds"}:
        message = (f"send one address form, not {' and '.join(given)} "
                   "(addAddressIds and removeAddressIds may come together)")
        return {f: [message] for f in given}
    overlap = set(body.get("addAddressIds") or ()) & set(body.get("removeAddressIds") or ())
    if overlap:
        return {"removeAddressIds": [f"ids both added and removed: {sorted(overlap)}"]}
    return {}


def single_address_id(form: AddressForm, current: Sequence[int]) -> int:
    """The seed's ``addressid`` for a form, when onOffice takes one address per mail.

    Adding one address replaces the linked one, as the seed's form always did.
    """
    if form.kind == ONE:
        return form.ids[0]
    if form.kind == CHANGE and len(form.add) == 1 and not form.remove:
        return form.add[0]
    after = form.apply(current)
    if len(after) > 1:
        raise SingleAddressOnly(SINGLE_MODE_HINT)
    return after[0] if after else 0


def changes(before: Sequence[int] | None,
            after: Sequence[int]) -> tuple[list[int], list[int] | None]:
    """(added, removed) between two lists; without ``before`` (not read) what this click linked
    counts as added and what it removed is not known (None)."""
    if before is None:
        return list(after), None
    return [i for i in after if i not in before], [i for i in before if i not in after]

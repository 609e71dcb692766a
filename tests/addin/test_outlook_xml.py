"""The add-in-only XML manifest: well-formed, the required elements, every resid resolves,
every URL under PUBLIC_URL. (Microsoft's XSDs are not redistributable, so these are our own
XPath checks; the online validator cannot run here.)"""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from server.addin.render import addin_ids, render_outlook_xml

from ..servers import require_binary
from .conftest import PUBLIC_URL, REPO

NS = {
    "o": "http://schemas.microsoft.com/office/appforoffice/1.1",
    "bt": "http://schemas.microsoft.com/office/officeappbasictypes/1.0",
    "v0": "http://schemas.microsoft.com/office/mailappversionoverrides",
    "v1": "http://schemas.microsoft.com/office/mailappversionoverrides/1.1",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
XSI_TYPE = f"{{{NS['xsi']}}}type"


@pytest.fixture
def root() -> ET.Element:
    return ET.fromstring(render_outlook_xml(PUBLIC_URL))


def one(el: ET.Element, path: str) -> ET.Element:
    found = el.findall(path, NS)
    assert len(found) == 1, f"{path}: {len(found)} matches"
    return found[0]


def test_xmllint_accepts_it(tmp_path: Path) -> None:
    xmllint = require_binary("xmllint", "apt-get install -y --no-install-recommends libxml2-utils")
    path = tmp_path / "manifest.xml"
    path.write_text(render_outlook_xml(PUBLIC_URL), encoding="utf-8")
    subprocess.run([xmllint, "--noout", str(path)], check=True)
    path.write_text(render_outlook_xml(PUBLIC_URL).replace("</Hosts>", "", 1), encoding="utf-8")
    assert subprocess.run([xmllint, "--noout", str(path)], capture_output=True).returncode != 0


def test_mail_app_that_reads_messages_with_least_permission(root: ET.Element) -> None:
    assert root.tag == f"{{{NS['o']}}}OfficeApp"
    assert root.get(XSI_TYPE) == "MailApp"
    assert one(root, "o:Id").text == addin_ids(PUBLIC_URL)[0]
    assert re.fullmatch(r"\d+\.\d+\.\d+\.\d+", one(root, "o:Version").text or "")
    assert one(root, "o:Permissions").text == "ReadItem"
    rule = one(root, ".//o:Rule[@ItemType]")
    assert (rule.get(XSI_TYPE), rule.get("ItemType"), rule.get("FormType")) == ("ItemIs", "Message", "Read")
    assert one(root, "o:Hosts/o:Host").get("Name") == "Mailbox"
    assert one(root, "o:AppDomains/o:AppDomain").text == PUBLIC_URL


def test_v1_1_override_nests_in_v1_0_with_pinning_shared_folders_and_mobile(root: ET.Element) -> None:
    v0 = one(root, "v0:VersionOverrides")
    assert v0.get(XSI_TYPE) == "VersionOverridesV1_0"
    v1 = one(v0, "v1:VersionOverrides")
    assert v1.get(XSI_TYPE) == "VersionOverridesV1_1"
    assert list(v0)[-1] is v1, "the V1_1 block closes the V1_0 block"
    desktop = one(v1, "v1:Hosts/v1:Host/v1:DesktopFormFactor")
    assert one(desktop, "v1:SupportsSharedFolders").text == "true"
    surface = one(desktop, "v1:ExtensionPoint")
    assert surface.get(XSI_TYPE) == "MessageReadCommandSurface"
    button = one(surface, "v1:OfficeTab[@id='TabDefault']/v1:Group/v1:Control")
    assert button.get(XSI_TYPE) == "Button"
    action = one(button, "v1:Action")
    assert action.get(XSI_TYPE) == "ShowTaskpane"
    assert one(action, "v1:SupportsPinning").text == "true"
    mobile = one(v1, "v1:Hosts/v1:Host/v1:MobileFormFactor/v1:ExtensionPoint")
    assert mobile.get(XSI_TYPE) == "MobileMessageReadCommandSurface"
    control = one(mobile, "v1:Group/v1:Control")
    assert control.get(XSI_TYPE) == "MobileButton"
    sizes = {(i.get("size"), i.get("scale")) for i in control.findall("v1:Icon/bt:Image", NS)}
    assert sizes == {(s, c) for s in ("25", "32", "48") for c in ("1", "2", "3")}
    # Pinning and shared folders exist only in Mail 1.1; they must not leak into V1_0.
    assert not v0.findall("v0:Hosts//v0:SupportsPinning", NS)
    assert not v0.findall("v0:Hosts//v0:SupportsSharedFolders", NS)


@pytest.mark.parametrize("block", ["v0", "v1"])
def test_every_resid_resolves_inside_its_own_block(root: ET.Element, block: str) -> None:
    vo = one(root, "v0:VersionOverrides") if block == "v0" else one(root, ".//v1:VersionOverrides")
    ns = f"{{{NS[block]}}}"
    res = one(vo, f"{block}:Resources")
    ids = [el.get("id") for el in res.iter() if el.get("id")]
    assert len(ids) == len(set(ids)), "resource ids are unique"
    hosts = one(vo, f"{block}:Hosts")
    used = {el.get("resid") for el in hosts.iter() if el.get("resid")}
    assert used, "the block uses resources"
    assert used <= set(ids), f"unresolved: {sorted(used - set(ids))}"
    assert all(el.tag.startswith(ns) or el.tag.startswith(f"{{{NS['bt']}}}") for el in hosts.iter())


def test_every_url_is_under_public_url_and_every_icon_exists(root: ET.Element) -> None:
    urls = [v for el in root.iter() for v in el.attrib.values() if v.startswith(("http:", "https:"))]
    urls += [el.text for el in root.iter() if el.text and el.text.startswith(("http:", "https:"))]
    assert len(urls) >= 15
    assert all(u == PUBLIC_URL or u.startswith(PUBLIC_URL + "/") for u in urls), urls
    for u in urls:
        if "/static/" in u:
            assert (REPO / "server" / "static" / u.split("/static/", 1)[1]).is_file(), u


def test_sso_block_only_with_a_client_id_and_last() -> None:
    assert "WebApplicationInfo" not in render_outlook_xml(PUBLIC_URL)
    cid = "66666666-7777-8888-9999-000000000000"
    uri = f"api://onoffice-link.makler-demo.de/{cid}"
    v1 = one(ET.fromstring(render_outlook_xml(PUBLIC_URL, (cid, uri))), ".//v1:VersionOverrides")
    last = list(v1)[-1]
    assert last.tag == f"{{{NS['v1']}}}WebApplicationInfo"
    assert one(last, "v1:Id").text == cid
    assert one(last, "v1:Resource").text == uri


def test_ids_are_stable_per_deployment_and_differ_between_deployments() -> None:
    assert render_outlook_xml(PUBLIC_URL) == render_outlook_xml(PUBLIC_URL + "/")
    assert addin_ids(PUBLIC_URL) != addin_ids("https://crm.other-makler.de")
    xml_id, unified_id = addin_ids(PUBLIC_URL)
    assert xml_id != unified_id
    with pytest.raises(ValueError, match="PUBLIC_URL"):
        render_outlook_xml("crm.makler-demo.de")


def test_xml_special_characters_in_the_url_are_escaped() -> None:
    root = ET.fromstring(render_outlook_xml("https://h.example/a&b"))
    assert one(root, "o:AppDomains/o:AppDomain").text == "https://h.example/a&b"

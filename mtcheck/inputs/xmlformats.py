"""Readers for XLIFF 1.2, XLIFF 2.x and TMX 1.4.

XML is parsed with ``defusedxml``'s SAX parser: entity declarations (the
"billion laughs" expansion attack, external entities) are refused with an
``InputError``, and nothing is ever fetched (no DTD or entity retrieval). SAX is used
rather than ``defusedxml.ElementTree`` because it reports the line of every
element, which ends up in ``Segment.line``; the handler builds an ordinary
``ElementTree`` with a side table of lines.

Inline markup is reduced to text: elements that carry text (``g``, ``mrk``,
``pc``, ``hi``) keep it, placeholders and native codes (``x``, ``bx``,
``ex``, ``ph``, ``bpt``, ``ept``, ``it``, ``ut``, ``sc``, ``ec``) are dropped,
and XLIFF 2 ``<cp hex="..."/>`` becomes its character.
"""

from __future__ import annotations

import codecs
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler, feature_external_ges, feature_external_pes

from mtcheck.data import DocumentPair
from mtcheck.errors import InputError
from mtcheck.inputs.encoding import detect_bom, read_bytes
from mtcheck.inputs.units import Unit, document_id, same_language, units_pair

XML_NS = "http://www.w3.org/XML/1998/namespace"
_DROPPED = {"x", "bx", "ex", "ph", "bpt", "ept", "it", "ut", "sc", "ec", "sm", "em"}
_DECL_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


class XmlTree:
    """A parsed XML document: the root element and the line of each element."""

    def __init__(self, root: ET.Element, lines: dict[ET.Element, int], encoding: str):
        self.root = root
        self.lines = lines
        self.encoding = encoding

    def line(self, elem: ET.Element) -> int | None:
        return self.lines.get(elem)


class _TreeHandler(ContentHandler):
    def __init__(self) -> None:
        super().__init__()
        self.builder = ET.TreeBuilder()
        self.lines: dict[ET.Element, int] = {}
        self.locator = None

    def setDocumentLocator(self, locator) -> None:  # noqa: N802 (SAX API name)
        self.locator = locator

    def startElementNS(self, name, qname, attrs) -> None:  # noqa: N802
        elem = self.builder.start(_clark(name), {_clark(k): v for k, v in attrs.items()})
        if self.locator is not None:
            self.lines[elem] = self.locator.getLineNumber()

    def endElementNS(self, name, qname) -> None:  # noqa: N802
        self.builder.end(_clark(name))

    def characters(self, content: str) -> None:
        self.builder.data(content)

    ignorableWhitespace = characters


def _clark(name: tuple[str | None, str]) -> str:
    uri, local = name
    return f"{{{uri}}}{local}" if uri else local


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def xml_encoding(data: bytes) -> str:
    bom = detect_bom(data)
    if bom:
        return bom[1]
    m = _DECL_ENCODING.match(data[:400])
    if m:
        try:
            return codecs.lookup(m.group(1).decode("ascii")).name
        except LookupError:
            return m.group(1).decode("ascii").lower()
    return "utf-8"


def parse_xml(path: str | Path, data: bytes | None = None) -> XmlTree:
    """Parse an XML input safely; every failure is an ``InputError`` naming the file."""
    from defusedxml import DefusedXmlException
    from defusedxml.expatreader import DefusedExpatParser

    data = read_bytes(path) if data is None else data
    if detect_bom(data) is None and b"\x00" in data:
        raise InputError(path, "looks like a binary file (contains NUL bytes), not XML")
    handler = _TreeHandler()
    # Entity declarations (internal or external) are refused. A DOCTYPE naming
    # an external DTD (common in TMX) is allowed but never fetched: external
    # entity loading stays off, so expat's handler returns without reading it.
    parser = DefusedExpatParser(namespaceHandling=1, forbid_dtd=False, forbid_entities=True, forbid_external=False)
    parser.setFeature(feature_external_ges, False)
    parser.setFeature(feature_external_pes, False)
    parser.setContentHandler(handler)
    try:
        parser.parse(io.BytesIO(data))
    except DefusedXmlException as exc:
        raise InputError(
            path, f"refused unsafe XML ({type(exc).__name__}): entity declarations and external "
            "entities are not allowed (entity-expansion / external-entity attack?)",
        ) from None
    except SAXParseException as exc:
        raise InputError(path, f"malformed XML: {exc.getMessage()} (column {exc.getColumnNumber() + 1})",
                         exc.getLineNumber()) from None
    root = handler.builder.close()
    return XmlTree(root, handler.lines, xml_encoding(data))


def inline_text(elem: ET.Element | None) -> str:
    """The text of a source/target/seg element with inline markup reduced to text."""
    if elem is None:
        return ""
    parts: list[str] = []
    _collect(elem, parts)
    return "".join(parts).strip()


def _collect(elem: ET.Element, parts: list[str]) -> None:
    if elem.text:
        parts.append(elem.text)
    for child in elem:
        name = local(child.tag)
        if name == "cp":
            try:
                parts.append(chr(int(child.get("hex", ""), 16)))
            except ValueError:
                pass
        elif name not in _DROPPED:
            _collect(child, parts)
        if child.tail:
            parts.append(child.tail)


def _child(elem: ET.Element, name: str) -> ET.Element | None:
    for child in elem:
        if local(child.tag) == name:
            return child
    return None


def _check_lang(path: str | Path, declared: str | None, wanted: str, attr: str, line: int | None) -> None:
    if not same_language(declared, wanted):
        side = "--src-lang" if "src" in attr.lower() or "source" in attr else "--tgt-lang"
        raise InputError(path, f"{attr}={declared!r} but the expected language is {wanted!r} (set {side})", line)


def _pair_ids(path: str | Path, names: list[str]) -> list[str]:
    stem = document_id(path)
    if len(names) == 1:
        return [stem]
    ids: list[str] = []
    for i, name in enumerate(names, 1):
        candidate = f"{stem}.{Path(name).name if name else i}"
        ids.append(candidate if candidate not in ids else f"{candidate}.{i}")
    return ids


def read_xliff(path: str | Path, src_lang: str, tgt_lang: str, tree: XmlTree | None = None) -> list[DocumentPair]:
    """XLIFF 1.2 or 2.x: one ``DocumentPair`` per ``<file>`` element.

    1.2: one unit per ``<trans-unit>`` (``translate="no"`` units skipped);
    2.x: one unit per ``<segment>`` of each ``<unit>`` (``<ignorable>`` skipped;
    ``unit_id`` is ``unit/segment`` when a unit has several segments).
    A missing ``<target>`` gives an empty MT unit.
    """
    tree = tree or parse_xml(path)
    root = tree.root
    if local(root.tag) != "xliff":
        raise InputError(path, f"not XLIFF: root element is <{local(root.tag)}>")
    version = root.get("version", "")
    v2 = version.startswith("2") or ":xliff:document:2" in root.tag
    if not v2 and not version.startswith("1") and ":xliff:document:1" not in root.tag:
        raise InputError(path, f"unsupported XLIFF version {version!r} (1.2 and 2.x are read)")
    if v2:
        _check_lang(path, root.get("srcLang"), src_lang, "srcLang", tree.line(root))
        _check_lang(path, root.get("trgLang"), tgt_lang, "trgLang", tree.line(root))
    files = [f for f in root if local(f.tag) == "file"]
    if not files:
        raise InputError(path, "XLIFF has no <file> element")
    ids = _pair_ids(path, [f.get("original") or f.get("id") or "" for f in files])
    pairs = []
    for doc_id, file_elem in zip(ids, files):
        if not v2:
            _check_lang(path, file_elem.get("source-language"), src_lang, "source-language", tree.line(file_elem))
            _check_lang(path, file_elem.get("target-language"), tgt_lang, "target-language", tree.line(file_elem))
        units = _xliff2_units(path, file_elem, tree) if v2 else _xliff1_units(path, file_elem, tree)
        if not units:
            raise InputError(path, f"<file> {doc_id!r} has no translation units", tree.line(file_elem))
        pairs.append(units_pair(doc_id, units, "xliff", path, tree.encoding, src_lang, tgt_lang))
    return pairs


def _xliff1_units(path: str | Path, file_elem: ET.Element, tree: XmlTree) -> list[Unit]:
    units = []
    for tu in file_elem.iter():
        if local(tu.tag) != "trans-unit" or tu.get("translate") == "no":
            continue
        source = _child(tu, "source")
        if source is None:
            raise InputError(path, f"<trans-unit id={tu.get('id')!r}> has no <source>", tree.line(tu))
        unit_id = tu.get("id") or str(len(units) + 1)
        units.append(Unit(unit_id, inline_text(source), inline_text(_child(tu, "target")), tree.line(tu)))
    return units


def _xliff2_units(path: str | Path, file_elem: ET.Element, tree: XmlTree) -> list[Unit]:
    units = []
    for unit in file_elem.iter():
        if local(unit.tag) != "unit" or unit.get("translate") == "no":
            continue
        segments = [s for s in unit if local(s.tag) == "segment"]
        uid = unit.get("id") or str(len(units) + 1)
        for k, seg in enumerate(segments, 1):
            source = _child(seg, "source")
            if source is None:
                raise InputError(path, f"<segment> in <unit id={uid!r}> has no <source>", tree.line(seg))
            unit_id = uid if len(segments) == 1 else f"{uid}/{seg.get('id') or k}"
            units.append(Unit(unit_id, inline_text(source), inline_text(_child(seg, "target")), tree.line(seg)))
    return units


def _lang_of(tuv: ET.Element) -> str:
    return (tuv.get(f"{{{XML_NS}}}lang") or tuv.get("lang") or "").replace("_", "-").lower()


def _pick_tuv(tuvs: list[ET.Element], lang: str) -> ET.Element | None:
    """The ``<tuv>`` in ``lang``: an exact tag first, else the same primary language (en-US for en)."""
    wanted = lang.replace("_", "-").lower()
    for tuv in tuvs:
        if _lang_of(tuv) == wanted:
            return tuv
    for tuv in tuvs:
        if same_language(_lang_of(tuv) or None, wanted) and _lang_of(tuv):
            return tuv
    return None


def read_tmx(path: str | Path, src_lang: str, tgt_lang: str, tree: XmlTree | None = None) -> list[DocumentPair]:
    """TMX 1.4 (also 1.1-style ``lang``): one ``DocumentPair`` for the file.

    Each ``<tu>`` with a ``<tuv>`` in both languages is a unit (``unit_id``
    from ``tuid`` or the unit's number); units lacking either language are
    skipped, and a file with none is an ``InputError`` listing the languages found.
    """
    tree = tree or parse_xml(path)
    root = tree.root
    if local(root.tag) != "tmx":
        raise InputError(path, f"not TMX: root element is <{local(root.tag)}>")
    units: list[Unit] = []
    seen: set[str] = set()
    n = 0
    for tu in root.iter():
        if local(tu.tag) != "tu":
            continue
        n += 1
        tuvs = [t for t in tu if local(t.tag) == "tuv"]
        seen.update(_lang_of(t) for t in tuvs)
        src, mt = _pick_tuv(tuvs, src_lang), _pick_tuv(tuvs, tgt_lang)
        if src is None or mt is None or src is mt:
            continue
        units.append(Unit(tu.get("tuid") or str(n), inline_text(_child(src, "seg")), inline_text(_child(mt, "seg")), tree.line(tu)))
    if not units:
        found = ", ".join(sorted(x for x in seen if x)) or "none"
        raise InputError(path, f"no <tu> has both a {src_lang} and a {tgt_lang} <tuv> (languages found: {found})")
    return [units_pair(document_id(path), units, "tmx", path, tree.encoding, src_lang, tgt_lang)]

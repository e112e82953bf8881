"""Translation catalogues of eisenhower_tui, with the standard library only.

    python scripts/i18n.py extract   # eisenhower_tui/**/*.py -> eisenhower_tui/locale/*.pot
    python scripts/i18n.py update    # merge the .pot into each <lang>/LC_MESSAGES/eisenhower_tui.po
    python scripts/i18n.py compile   # each .po -> the .mo beside it (the GNU format gettext reads)
    python scripts/i18n.py check     # exit 1 if the .pot, a French msgstr or a .mo is missing/stale

``extract`` collects the literal first argument of every ``_()`` call and the two first arguments
of every ``ngettext()`` call, plus the string values of the tables listed in ``DYNAMIC`` (texts
that reach ``_()`` through a variable, such as the quadrant names) and the descriptions of
Textual's own bindings that the help screen translates. Output is sorted and carries no dates, so
running a command twice gives the same bytes and the committed .mo is reproducible.
"""

from __future__ import annotations

import argparse
import ast
import re
import struct
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "eisenhower_tui"
LOCALE = PACKAGE / "locale"
DOMAIN = "eisenhower_tui"
POT = LOCALE / f"{DOMAIN}.pot"
REQUIRED_LANGUAGES = ("fr",)

# Texts passed to _() through a variable: (file, name of a module-level dict/tuple/list of them).
DYNAMIC = [
    ("eisenhower_tui/model.py", "_LABELS"),
    ("eisenhower_tui/cli.py", "_ARGPARSE_ERRORS"),
    ("eisenhower_tui/demo.py", "DEMO"),  # rows whose first item is a title
    ("eisenhower_tui/demo.py", "DONE"),  # the same, for the done work of past weeks
    ("eisenhower_tui/dates.py", "_DAYS"),
    ("eisenhower_tui/dates.py", "_MONTHS"),
]
# Descriptions of Textual's own bindings, which the help screen (`?`) lists through _().
# tests/test_i18n.py fails when a Textual upgrade shows one that is not here.
TEXTUAL_BINDINGS = [
    "Copy selected text",
    "Focus Next",
    "Focus Previous",
    "Page Left",
    "Page Right",
    "Quit",
]
TEXTUAL_REF = "textual:0"

HEADER = {
    "Project-Id-Version": "eisenhower-tui",
    "Report-Msgid-Bugs-To": "",
    "Language": "",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=2; plural=(n > 1);",
}
PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)?(?:![rsa])?(?::[^{}]*)?\}(?!\})")
MO_MAGIC = 0x950412DE


@dataclass
class Entry:
    msgid: str
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=lambda: [""])
    msgctxt: str | None = None
    refs: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)  # translator comments, without "# "

    @property
    def key(self) -> tuple[str, str]:
        return (self.msgctxt or "", self.msgid)

    @property
    def translated(self) -> bool:
        return "fuzzy" not in self.flags and all(self.msgstr) and bool(self.msgstr)


# --- extract ----------------------------------------------------------------------------------


def _literal(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _func_name(node: ast.AST) -> str | None:
    return node.id if isinstance(node, ast.Name) else None


def extract(root: Path = ROOT) -> tuple[dict[tuple[str, str], Entry], list[str]]:
    """The messages of the package, and warnings about ``_()`` calls that are not literals."""
    entries: dict[tuple[str, str], Entry] = {}
    warnings: list[str] = []

    def add(msgid: str, plural: str | None, ref: str) -> None:
        entry = entries.setdefault(("", msgid), Entry(msgid, plural))
        if plural is not None and entry.msgid_plural not in (None, plural):
            warnings.append(f"{ref}: '{msgid}' has two plural forms; keeping the first")
        entry.msgid_plural = entry.msgid_plural or plural
        if ref not in entry.refs:
            entry.refs.append(ref)

    dynamic = {(file, name) for file, name in DYNAMIC}
    for path in sorted((root / "eisenhower_tui").rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _func_name(node.func) in ("_", "ngettext"):
                name = _func_name(node.func)
                ref = f"{rel}:{node.lineno}"
                args = [_literal(a) for a in node.args[: 1 if name == "_" else 2]]
                if len(args) < (1 if name == "_" else 2) or any(a is None for a in args):
                    label = node.args and isinstance(node.args[0], ast.Attribute)
                    if not (label and node.args[0].attr == "label"):  # type: ignore[union-attr]
                        warnings.append(f"{ref}: {name}() of a non-literal is not extracted")
                    continue
                add(args[0], args[1] if name == "ngettext" else None, ref)  # type: ignore[arg-type]
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name) and (rel, target.id) in dynamic:
                        for value in _table_strings(node.value):
                            add(value.value, None, f"{rel}:{value.lineno}")
    for text in TEXTUAL_BINDINGS:
        add(text, None, TEXTUAL_REF)
    for entry in entries.values():
        entry.refs.sort(key=_ref_order)
        if PLACEHOLDER.search(entry.msgid) or PLACEHOLDER.search(entry.msgid_plural or ""):
            entry.flags = ["python-brace-format"]
    return dict(sorted(entries.items())), warnings


def _table_strings(node: ast.AST | None) -> list[ast.Constant]:
    if isinstance(node, ast.Dict):
        values: Iterable[ast.AST | None] = node.values
    elif isinstance(node, ast.Tuple | ast.List | ast.Set):
        values = node.elts
    else:
        return []
    # A row (tuple) contributes its first item: the demo table's rows start with the title.
    firsts = [v.elts[0] if isinstance(v, ast.Tuple) and v.elts else v for v in values]
    return [v for v in firsts if isinstance(v, ast.Constant) and isinstance(v.value, str)]


def _ref_order(ref: str) -> tuple[str, int]:
    file, _sep, line = ref.rpartition(":")
    return file, int(line)


# --- .po reading and writing ------------------------------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def _unquote(text: str, where: str) -> str:
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise ValueError(f"{where}: expected a quoted string, got {text!r}")
    body, out, i = text[1:-1], [], 0
    while i < len(body):
        ch = body[i]
        if ch == '"':
            raise ValueError(f"{where}: unescaped quote in {text!r}")
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        i += 1
        if i >= len(body):
            raise ValueError(f"{where}: string ends with a backslash")
        ch = body[i]
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
            i += 1
        elif ch in "\\\"'?":
            out.append(ch)
            i += 1
        elif ch in "01234567":
            digits = re.match(r"[0-7]{1,3}", body[i:]).group()  # type: ignore[union-attr]
            out.append(chr(int(digits, 8)))
            i += len(digits)
        elif ch == "x":
            digits = re.match(r"[0-9A-Fa-f]+", body[i + 1 :])
            if digits is None:
                raise ValueError(f"{where}: bad \\x escape")
            out.append(chr(int(digits.group(), 16)))
            i += 1 + len(digits.group())
        else:
            raise ValueError(f"{where}: unknown escape \\{ch}")
    return "".join(out)


def parse_po(text: str, name: str = "<po>") -> list[Entry]:
    """Entries of a .po/.pot file, the header (msgid "") included; obsolete ``#~`` ones skipped."""
    entries: list[Entry] = []
    current: Entry | None = None
    keyword: str | None = None  # which field continuation lines belong to
    pending_refs: list[str] = []
    pending_flags: list[str] = []
    pending_comments: list[str] = []

    def finish() -> None:
        nonlocal current, keyword
        if current is not None:
            if current.msgid_plural is not None and len(current.msgstr) < 2:
                current.msgstr += [""] * (2 - len(current.msgstr))
            entries.append(current)
        current, keyword = None, None

    def field_value(entry: Entry, key: str) -> str:
        if key == "msgid":
            return entry.msgid
        if key == "msgid_plural":
            return entry.msgid_plural or ""
        if key == "msgctxt":
            return entry.msgctxt or ""
        return entry.msgstr[int(key[7:-1])] if key.startswith("msgstr[") else entry.msgstr[0]

    def set_field(entry: Entry, key: str, value: str) -> None:
        if key == "msgid":
            entry.msgid = value
        elif key == "msgid_plural":
            entry.msgid_plural = value
        elif key == "msgctxt":
            entry.msgctxt = value
        elif key.startswith("msgstr["):
            index = int(key[7:-1])
            while len(entry.msgstr) <= index:
                entry.msgstr.append("")
            entry.msgstr[index] = value
        else:
            entry.msgstr[0] = value

    for number, raw in enumerate(text.splitlines(), 1):
        where = f"{name}:{number}"
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#"):
            if current is not None and keyword is not None and keyword.startswith("msgstr"):
                finish()
            if line.startswith("#:"):
                pending_refs += line[2:].split()
            elif line.startswith("#,"):
                pending_flags += [f.strip() for f in line[2:].split(",") if f.strip()]
            elif line.startswith("#.") or line.startswith("#|"):
                pass
            else:
                pending_comments.append(line[1:].strip())
            continue
        match = re.match(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(.*)$", line)
        if match:
            key, rest = match.groups()
            continues_context = key == "msgid" and keyword == "msgctxt"
            if key in ("msgctxt", "msgid") and not continues_context:
                finish()
                current = Entry("", refs=pending_refs, flags=pending_flags)
                current.comments = pending_comments
                pending_refs, pending_flags, pending_comments = [], [], []
            if current is None:
                raise ValueError(f"{where}: {key} before msgid")
            set_field(current, key, _unquote(rest, where))
            keyword = key
            continue
        if line.startswith('"'):
            if current is None or keyword is None:
                raise ValueError(f"{where}: a string outside an entry")
            set_field(current, keyword, field_value(current, keyword) + _unquote(line, where))
            continue
        raise ValueError(f"{where}: cannot read {raw!r}")
    finish()
    return entries


def _quote(text: str) -> str:
    out = text.replace("\\", "\\\\").replace('"', '\\"')
    out = out.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")
    return f'"{out}"'


def _po_field(keyword: str, value: str) -> list[str]:
    """One field; a text with a line break inside is split after each break, as msgmerge does."""
    if "\n" not in value[:-1]:
        return [f"{keyword} {_quote(value)}"]
    return [f'{keyword} ""', *(_quote(piece) for piece in value.splitlines(keepends=True))]


def _wrap_refs(refs: list[str], width: int = 79) -> list[str]:
    lines: list[str] = []
    line = "#:"
    for ref in refs:
        if len(line) + 1 + len(ref) > width and line != "#:":
            lines.append(line)
            line = "#:"
        line += " " + ref
    if line != "#:":
        lines.append(line)
    return lines


def header_text(language: str) -> str:
    values = dict(HEADER, Language=language)
    return "".join(f"{key}: {value}\n" for key, value in values.items())


def write_po(entries: Iterable[Entry], header: str, title: str) -> str:
    out = [f"# {title}", "# This file is distributed under the same license as eisenhower-tui."]
    out += ['msgid ""', 'msgstr ""', *(_quote(line) for line in header.splitlines(keepends=True))]
    for entry in sorted(entries, key=lambda e: e.key):
        if entry.msgid == "" and not entry.msgctxt:
            continue
        out.append("")
        out += [f"# {c}".rstrip() for c in entry.comments]
        out += _wrap_refs(entry.refs)
        if entry.flags:
            out.append("#, " + ", ".join(entry.flags))
        if entry.msgctxt is not None:
            out += _po_field("msgctxt", entry.msgctxt)
        out += _po_field("msgid", entry.msgid)
        if entry.msgid_plural is not None:
            out += _po_field("msgid_plural", entry.msgid_plural)
            forms = entry.msgstr + [""] * (2 - len(entry.msgstr))
            for index, form in enumerate(forms):
                out += _po_field(f"msgstr[{index}]", form)
        else:
            out += _po_field("msgstr", entry.msgstr[0])
    return "\n".join(out) + "\n"


def pot_text(entries: dict[tuple[str, str], Entry]) -> str:
    blank = [
        Entry(
            e.msgid, e.msgid_plural, [""] * (2 if e.msgid_plural else 1), e.msgctxt, e.refs, e.flags
        )
        for e in entries.values()
    ]
    return write_po(
        blank, header_text(""), "Messages of eisenhower-tui (generated: scripts/i18n.py extract)."
    )


# --- .mo --------------------------------------------------------------------------------------


def compile_mo(entries: list[Entry]) -> bytes:
    """GNU .mo bytes: the header and the translated, non-fuzzy entries, sorted; no hash table."""
    pairs: dict[bytes, bytes] = {}
    for entry in entries:
        is_header = entry.msgid == "" and not entry.msgctxt
        if not is_header and not entry.translated:
            continue
        key = entry.msgid
        if entry.msgctxt is not None:
            key = f"{entry.msgctxt}\x04{key}"
        if entry.msgid_plural is not None:
            key += "\0" + entry.msgid_plural
        pairs[key.encode("utf-8")] = "\0".join(entry.msgstr).encode("utf-8")
    keys = sorted(pairs)
    count = len(keys)
    originals_at = 7 * 4
    translations_at = originals_at + 8 * count
    data_at = translations_at + 8 * count
    originals = bytearray()
    translations = bytearray()
    blob = bytearray()
    for key in keys:
        originals += struct.pack("<II", len(key), data_at + len(blob))
        blob += key + b"\0"
    for key in keys:
        value = pairs[key]
        translations += struct.pack("<II", len(value), data_at + len(blob))
        blob += value + b"\0"
    header = struct.pack("<7I", MO_MAGIC, 0, count, originals_at, translations_at, 0, data_at)
    return bytes(header + originals + translations + blob)


def po_files() -> list[Path]:
    return sorted(LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def read_po(path: Path) -> list[Entry]:
    return parse_po(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))


# --- commands ---------------------------------------------------------------------------------


def cmd_extract() -> int:
    entries, warnings = extract()
    for warning in warnings:
        print(f"note: {warning}", file=sys.stderr)
    LOCALE.mkdir(parents=True, exist_ok=True)
    POT.write_text(pot_text(entries), encoding="utf-8")
    print(f"{POT.relative_to(ROOT)}: {len(entries)} messages")
    return 0


def cmd_update() -> int:
    template = {e.key: e for e in parse_po(POT.read_text(encoding="utf-8")) if e.msgid}
    for language in REQUIRED_LANGUAGES:
        path = LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(write_po([], header_text(language), f"{language} messages"), "utf-8")
    for path in po_files():
        old = read_po(path)
        header = next((e.msgstr[0] for e in old if e.msgid == "" and not e.msgctxt), "")
        known = {e.key: e for e in old if e.msgid}
        merged = []
        for key, source in template.items():
            entry = Entry(source.msgid, source.msgid_plural, [""], source.msgctxt)
            entry.refs, entry.flags = list(source.refs), list(source.flags)
            previous = known.get(key)
            if previous is not None:
                entry.msgstr = list(previous.msgstr)
                entry.comments = previous.comments
                if "fuzzy" in previous.flags:
                    entry.flags.append("fuzzy")
            if entry.msgid_plural is not None and len(entry.msgstr) < 2:
                entry.msgstr += [""] * (2 - len(entry.msgstr))
            merged.append(entry)
        dropped = sorted(set(known) - set(template))
        for _ctxt, msgid in dropped:
            print(f"{path.relative_to(ROOT)}: dropped obsolete '{msgid}'", file=sys.stderr)
        title = next((line[2:] for line in path.read_text("utf-8").splitlines()[:1]), "")
        path.write_text(write_po(merged, header, title.strip() or "messages"), encoding="utf-8")
        missing = sum(1 for e in merged if not e.translated)
        print(f"{path.relative_to(ROOT)}: {len(merged)} messages, {missing} to translate")
    return 0


def cmd_compile() -> int:
    for path in po_files():
        target = path.with_suffix(".mo")
        target.write_bytes(compile_mo(read_po(path)))
        print(f"{target.relative_to(ROOT)}")
    return 0


def _placeholders(text: str) -> set[str]:
    return {m.group(0) for m in PLACEHOLDER.finditer(text)}


def problems() -> list[str]:
    found: list[str] = []
    if not POT.exists():
        return [f"{POT.relative_to(ROOT)} is missing: run `python scripts/i18n.py extract`"]
    template = {e.key: e for e in parse_po(POT.read_text(encoding="utf-8")) if e.msgid}
    current, _warnings = extract()
    if set(current) != set(template):
        new = sorted(m for _c, m in set(current) - set(template))
        gone = sorted(m for _c, m in set(template) - set(current))
        found.append(
            f"{POT.relative_to(ROOT)} is stale (new: {new}, gone: {gone}): "
            "run `python scripts/i18n.py extract` then `update`"
        )
    for language in REQUIRED_LANGUAGES:
        path = LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"
        if not path.exists():
            found.append(
                f"{path.relative_to(ROOT)} is missing: run `python scripts/i18n.py update`"
            )
    for path in po_files():
        rel = path.relative_to(ROOT)
        entries = read_po(path)
        header = next((e.msgstr[0] for e in entries if e.msgid == "" and not e.msgctxt), "")
        if (
            "charset=UTF-8" not in header
            or "Plural-Forms: nplurals=2; plural=(n > 1);" not in header
        ):
            found.append(f"{rel}: the header needs charset=UTF-8 and the Plural-Forms line")
        by_key = {e.key: e for e in entries if e.msgid}
        for key, source in template.items():
            entry = by_key.get(key)
            if entry is None or not entry.translated:
                found.append(f"{rel}: no translation for '{source.msgid}'")
                continue
            if (entry.msgid_plural is None) != (source.msgid_plural is None):
                found.append(f"{rel}: '{source.msgid}' plural form differs from the .pot")
                continue
            sources = [source.msgid] + ([source.msgid_plural] if source.msgid_plural else [])
            for index, form in enumerate(entry.msgstr):
                expected = _placeholders(sources[min(index, len(sources) - 1)])
                if _placeholders(form) != expected:
                    found.append(
                        f"{rel}: '{form}' must use the placeholders {sorted(expected)} "
                        f"of '{source.msgid}'"
                    )
        mo = path.with_suffix(".mo")
        if not mo.exists() or mo.read_bytes() != compile_mo(entries):
            found.append(f"{mo.relative_to(ROOT)} is stale: run `python scripts/i18n.py compile`")
    return found


def cmd_check() -> int:
    found = problems()
    for problem in found:
        print(problem, file=sys.stderr)
    if not found:
        count = len(parse_po(POT.read_text(encoding="utf-8"))) - 1
        print(f"ok: {count} messages, translated in {len(po_files())} language(s), .mo up to date")
    return 1 if found else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/i18n.py", description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["extract", "update", "compile", "check"])
    args = parser.parse_args(argv)
    return {
        "extract": cmd_extract,
        "update": cmd_update,
        "compile": cmd_compile,
        "check": cmd_check,
    }[args.command]()


if __name__ == "__main__":
    sys.exit(main())

"""The vocabulary holds every stored code: each with words, none twice, and no audit action or
record type written as a bare string anywhere in the app."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from schoolsafe import vocab

ROOT = Path(__file__).resolve().parents[2]
TERMS = [value for value in vars(vocab).values()
         if inspect.isclass(value) and issubclass(value, vocab.Term) and value is not vocab.Term]

# Calls whose first argument is an audit action; the views' change helpers pass theirs second.
ACTION_FIRST = {"audited", "audited_as", "audit_user", "_audit"}
ACTION_SECOND = {"_change"}
AUDIT_KEYWORDS = {"action", "record_type"}


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _literal(node: ast.expr) -> bool:
    """A string written in place (plain, f-string, or either side of `a if b else c`)."""
    if isinstance(node, ast.IfExp):
        return _literal(node.body) or _literal(node.orelse)
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str))


def _audit_arguments(call: ast.Call) -> list[ast.expr]:
    name, args = _name(call), call.args
    found = [k.value for k in call.keywords if k.arg in AUDIT_KEYWORDS]
    if name in ACTION_FIRST and args:
        found.append(args[0])
    if name == "audited_as" and len(args) > 1:
        found.append(args[1])
    if name in ACTION_SECOND and len(args) > 1:
        found.append(args[1])
    return found


def test_no_audit_action_or_record_type_is_a_bare_string():
    literals = []
    for path in sorted((ROOT / "schoolsafe").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                literals += [f"{path.relative_to(ROOT)}:{argument.lineno}"
                             for argument in _audit_arguments(node) if _literal(argument)]
    assert literals == [], "use vocab.AuditAction / AuditRecordType members instead"


def test_the_check_sees_bare_strings():
    calls = ['audited("view", record)', 'audited_as(A.VIEW, "case", 1, 2)',
             'audit.record(s, action=f"export_{n}", record_type=T.CASE)',
             '_change(public_id, "note", change, done)', 'audit_user(A.X if b else "y", u)']
    for text in calls:
        call = ast.parse(text).body[0].value
        assert any(_literal(argument) for argument in _audit_arguments(call)), text


def test_the_audit_vocabularies_are_there():
    assert {vocab.AuditAction, vocab.AuditRecordType} <= set(TERMS)


@pytest.mark.parametrize("term", TERMS, ids=lambda term: term.__name__)
def test_every_code_has_words_and_appears_once(term: type[vocab.Term]):
    # A repeated code would make the second member a silent alias of the first.
    aliases = [name for name, member in term.__members__.items() if member.name != name]
    assert aliases == []
    assert all(member.label.strip() for member in term), term.labels()


"""Problems found in a roster: what is wrong, where (file, sheet, row, column), what to do."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"  # blocks the import
    WARNING = "warning"  # imported anyway (e.g. placeholder photo)
    NOTE = "note"  # for information (ignored columns, defaults applied)

    def label(self, lang: str = "zh") -> str:
        if lang == "en":
            return {"error": "ERROR", "warning": "WARNING", "note": "NOTE"}[self.value]
        return {"error": "错误", "warning": "警告", "note": "提示"}[self.value]


def column_letter(index: int) -> str:
    """1 → "A", 27 → "AA", as Excel names columns."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class Location:
    """A place in a roster file, numbered as Excel shows it (rows from 1, columns as letters)."""

    file: str
    sheet: str = ""
    row: int | None = None
    column: str = ""  # column letter, e.g. "C"
    header: str = ""  # the column's header as written in the file, e.g. "状态"

    def format(self, lang: str = "zh", *, with_file: bool = False) -> str:
        en = lang == "en"
        parts = ""
        if self.sheet:
            parts = self.sheet
            if self.column and self.row is not None:
                parts += f"!{self.column}{self.row}"
            elif self.row is not None:
                parts += f"!row {self.row}" if en else f"!第{self.row}行"
            elif self.column:
                parts += f"!column {self.column}" if en else f"!{self.column}列"
            if self.header:
                parts += f" ({self.header})"
        if with_file or not parts:
            name = Path(self.file).name if self.file else ""
            parts = f"{name} {parts}".strip() if parts else name
        return parts


@dataclass(frozen=True)
class Problem:
    severity: Severity
    location: Location
    code: str  # stable identifier for tests and scripts, e.g. "status.unknown"
    zh: str
    en: str

    def message(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh

    def format(self, lang: str = "zh", *, with_file: bool = False) -> str:
        """"承诺!C7 (状态): 无法识别的状态“搞定”，应为 已完成/进行中/未开始/未完成"."""
        return f"{self.location.format(lang, with_file=with_file)}: {self.message(lang)}"


class Problems:
    """Collects problems while a roster is read and mapped."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, severity: Severity, location: Location, code: str, zh: str, en: str) -> None:
        self.items.append(Problem(severity, location, code, zh, en))

    def error(self, location: Location, code: str, zh: str, en: str) -> None:
        self.add(Severity.ERROR, location, code, zh, en)

    def warning(self, location: Location, code: str, zh: str, en: str) -> None:
        self.add(Severity.WARNING, location, code, zh, en)

    def note(self, location: Location, code: str, zh: str, en: str) -> None:
        self.add(Severity.NOTE, location, code, zh, en)

    @property
    def has_errors(self) -> bool:
        return any(p.severity == Severity.ERROR for p in self.items)


def count(problems: tuple[Problem, ...] | list[Problem], severity: Severity) -> int:
    return sum(1 for p in problems if p.severity == severity)


def summary(problems: tuple[Problem, ...] | list[Problem], lang: str = "zh") -> str:
    errors = count(problems, Severity.ERROR)
    warnings = count(problems, Severity.WARNING)
    notes = count(problems, Severity.NOTE)
    if lang == "en":
        return f"{errors} errors, {warnings} warnings, {notes} notes"
    return f"{errors} 个错误，{warnings} 个警告，{notes} 条提示"

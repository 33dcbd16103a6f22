"""Check → photos → store: the roster pipeline that `roster check` and `import` run.

`check_roster` reads and validates a file and finds each member's photo file; `check_photos`
decodes those photos (in parallel) and turns failures into warnings; `import_roster` does both
and, when there is no error, writes the photos and the records in one transaction.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from kiosk.errors import PledgeWallError
from kiosk.ingest.problems import Location, Problem, Severity
from kiosk.ingest.roster import Mapped, map_roster
from kiosk.ingest.tables import SUFFIXES, read_table
from kiosk.roster import Roster

if TYPE_CHECKING:
    from kiosk.ingest.photos import NormalizedPhoto
    from kiosk.store.write import WriteCounts

PHOTO_SUFFIXES = {".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".webp", ".heic", ".heif", ".bmp", ".tif", ".tiff"}

MemberKey = tuple[str, str]  # (village code, member number)


@dataclass(frozen=True)
class CheckResult:
    roster: Roster | None  # None when any problem is an ERROR
    problems: tuple[Problem, ...]
    photo_sources: dict[MemberKey, Path] = field(default_factory=dict)
    member_locations: dict[MemberKey, Location] = field(default_factory=dict)

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.severity == Severity.WARNING)

    @property
    def ok(self) -> bool:
        return self.errors == 0


@dataclass(frozen=True)
class ImportResult:
    check: CheckResult  # including photo warnings
    counts: WriteCounts | None  # None when refused
    photos: int  # photos stored


def check_roster(path: Path, photos_dir: Path | None = None, *, lang: str = "zh",
                 today: date | None = None) -> CheckResult:
    """Read and validate a roster; find photo files. Unreadable files raise PledgeWallError.

    `lang` is accepted for symmetry with the commands: every Problem carries both languages.
    """
    path = Path(path)
    if photos_dir is not None and not Path(photos_dir).is_dir():
        raise PledgeWallError(f"照片文件夹 {photos_dir} 不存在或不是文件夹，请检查路径")
    if path.is_dir():
        return _check_folder(path, photos_dir, today)
    book = read_table(path)
    mapped = map_roster(book, today=today)
    sources, photo_problems = find_photos(mapped, path.parent, photos_dir)
    return _township_checked(CheckResult(mapped.roster, mapped.problems + tuple(photo_problems), sources,
                                         dict(mapped.members)))


def _check_folder(folder: Path, photos_dir: Path | None, today: date | None) -> CheckResult:
    """One workbook per village in a folder, checked as one township roster."""
    files = sorted(p for p in folder.iterdir()
                   if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(("~$", ".")))
    if not files:
        raise PledgeWallError(f"文件夹 {folder} 里没有花名册文件（.xlsx/.xls/.ods/.csv）")
    parts = [check_roster(file, photos_dir, today=today) for file in files]
    problems = [problem for part in parts for problem in part.problems]
    seen: dict[str, Path] = {}
    for file, part in zip(files, parts):
        for village in part.roster.villages if part.roster else ():
            code = village.village.code
            if code in seen:
                problems.append(Problem(Severity.ERROR, Location(str(file)), "village.duplicate",
                                        f"村代码“{code}”在 {seen[code].name} 和 {file.name} 里都有；每个村只能有一个花名册",
                                        f"village code “{code}” is in both {seen[code].name} and {file.name}"))
            seen.setdefault(code, file)
    merged = CheckResult(
        Roster(tuple(v for part in parts if part.roster for v in part.roster.villages)),
        tuple(problems),
        {k: v for part in parts for k, v in part.photo_sources.items()},
        {k: v for part in parts for k, v in part.member_locations.items()},
    )
    return _township_checked(merged)


def _township_checked(result: CheckResult) -> CheckResult:
    """Member numbers are unique across the township: feedback links and bundles rely on it."""
    villages_of: dict[str, list[MemberKey]] = defaultdict(list)
    for key in result.member_locations:
        villages_of[key[1]].append(key)
    problems = list(result.problems)
    for number, keys in villages_of.items():
        if len(keys) > 1:
            names = "、".join(code for code, _ in keys)
            problems.append(Problem(Severity.ERROR, result.member_locations[keys[1]], "member.duplicate_township",
                                    f"党员编号“{number}”在 {names} 都有；全镇的编号不能重复，可在前面加村代码（如 {keys[1][0]}{number}）",
                                    f"member number “{number}” is used in {names}; numbers must be unique across the township"))
    ok = result.roster is not None and not any(p.severity == Severity.ERROR for p in problems)
    return dataclasses.replace(result, roster=result.roster if ok else None, problems=tuple(problems))


def find_photos(mapped: Mapped, roster_dir: Path, photos_dir: Path | None
                ) -> tuple[dict[MemberKey, Path], list[Problem]]:
    """The file named in 照片 (in the photos folder or beside the roster), else the file in the
    photos folder whose stem is the member number (a subfolder named after the village wins)."""
    by_stem: dict[str, list[Path]] = defaultdict(list)
    by_name: dict[str, list[Path]] = defaultdict(list)
    if photos_dir is not None:
        for p in sorted(Path(photos_dir).rglob("*")):
            if p.is_file() and not p.name.startswith("."):
                by_name[p.name.lower()].append(p)
                if p.suffix.lower() in PHOTO_SUFFIXES:
                    by_stem[p.stem.lower()].append(p)
    sources: dict[MemberKey, Path] = {}
    problems: list[Problem] = []
    requested = set()
    for request in mapped.photo_requests:
        key = (request.village, request.number)
        requested.add(key)
        found = _named_photo(request.name, roster_dir, photos_dir, by_name, by_stem)
        if found is None:
            where = f"照片文件夹 {photos_dir} 和花名册所在文件夹" if photos_dir else "花名册所在文件夹（可用 --photos 指定照片文件夹）"
            where_en = f"the photos folder {photos_dir} or the roster's folder" if photos_dir else "the roster's folder (use --photos DIR)"
            problems.append(Problem(Severity.WARNING, request.location, "photo.missing",
                                    f"照片“{request.name}”在{where}中都找不到，将显示占位图；请检查文件名",
                                    f"photo “{request.name}” not found in {where_en}; a placeholder will be shown"))
        else:
            sources[key] = found
    without: list[MemberKey] = []
    for key in mapped.members:
        if key in requested:
            continue
        candidates = by_stem.get(key[1].lower(), [])
        if candidates:
            preferred = [p for p in candidates if p.parent.name == key[0]]
            sources[key] = (preferred or candidates)[0]
        elif photos_dir is not None:
            without.append(key)
    if without:
        shown = "、".join(n for _v, n in without[:8]) + ("……" if len(without) > 8 else "")
        problems.append(Problem(Severity.NOTE, Location(str(photos_dir)), "photo.none",
                                f"{len(without)} 名党员没有照片（编号 {shown}），将显示占位图；"
                                "照片文件名用党员编号（如 M001.jpg）即可自动对应",
                                f"{len(without)} members have no photo (numbers {shown}); a placeholder will be shown. "
                                "Name photo files after the member number (e.g. M001.jpg)"))
    return sources, problems


def _named_photo(name: str, roster_dir: Path, photos_dir: Path | None,
                 by_name: dict[str, list[Path]], by_stem: dict[str, list[Path]]) -> Path | None:
    given = Path(name)
    if given.is_absolute():
        return given if given.is_file() else None
    for base in (photos_dir, roster_dir):
        if base is not None and (Path(base) / given).is_file():
            return Path(base) / given
    if by_name.get(given.name.lower()):
        return by_name[given.name.lower()][0]
    if not given.suffix and by_stem.get(given.name.lower()):
        return by_stem[given.name.lower()][0]
    if not given.suffix:
        for base in (roster_dir,):
            for suffix in sorted(PHOTO_SUFFIXES):
                candidate = Path(base) / (name + suffix)
                if candidate.is_file():
                    return candidate
    return None


class SourceCache(Protocol):
    """Normalised photos by the SHA-256 of their source file: a photo seen before is not redone."""

    def get(self, digest: str) -> NormalizedPhoto | None: ...

    def put(self, digest: str, photo: NormalizedPhoto) -> None: ...


def check_photos(result: CheckResult, *, workers: int | None = None,
                 progress: Callable[..., object] | None = None, cache: SourceCache | None = None
                 ) -> tuple[CheckResult, dict[MemberKey, NormalizedPhoto]]:
    """Decode every found photo; each failure becomes a WARNING (the member gets a placeholder).

    Files with the same content are normalised once (a county's shared photos; copies under
    several names), and with a `cache` not at all when an earlier import already did.
    """
    paths = sorted(set(result.photo_sources.values()))
    if not paths:
        return result, {}
    from kiosk.ingest.photos import PhotoError, normalize_many

    digests = {path: _file_digest(path) for path in paths}
    by_digest: dict[str, NormalizedPhoto | PhotoError] = {}
    first_of: dict[str, Path] = {}
    for path in paths:
        digest = digests[path]
        if digest in by_digest or digest in first_of:
            continue
        cached = cache.get(digest) if cache and digest else None
        if cached is not None:
            by_digest[digest] = cached
        else:
            first_of[digest] = path
    for digest, outcome in zip(first_of, normalize_many(list(first_of.values()), workers=workers, progress=progress)):
        by_digest[digest] = outcome
        if cache is not None and digest and not isinstance(outcome, PhotoError):
            cache.put(digest, outcome)
    by_path = {path: by_digest[digests[path]] if digests[path] else PhotoError(path, "无法读取文件") for path in paths}
    photos: dict[MemberKey, NormalizedPhoto] = {}
    problems = list(result.problems)
    reported: set[Path] = set()
    for key, path in result.photo_sources.items():
        outcome = by_path[path]
        if isinstance(outcome, PhotoError):
            if path not in reported:
                reported.add(path)
                loc = result.member_locations.get(key, Location(str(path)))
                problems.append(Problem(Severity.WARNING, loc, "photo.unreadable",
                                        f"{outcome}；编号“{key[1]}”的党员将显示占位图",
                                        f"photo {path.name} cannot be used ({outcome}); member “{key[1]}” gets a placeholder"))
        else:
            photos[key] = outcome
    sources = {k: p for k, p in result.photo_sources.items() if k in photos}
    return dataclasses.replace(result, problems=tuple(problems), photo_sources=sources), photos


def import_roster(path: Path, data_dir: Path, photos_dir: Path | None = None, *, lang: str = "zh",
                  workers: int | None = None, progress: Callable[..., object] | None = None,
                  today: date | None = None, checked: CheckResult | None = None, db: str | None = None
                  ) -> ImportResult:
    """Check, and when there is no error store the photos and replace the villages at once.

    With errors nothing is written (the store is not even opened). `checked` is the result of
    an earlier `check_roster` of the same file and photos folder (saves reading it twice).
    `db` is a database URL (a township store on a server); photos always go to `data_dir`.
    """
    result = checked if checked is not None else check_roster(path, photos_dir, lang=lang, today=today)
    if result.roster is None:
        return ImportResult(result, None, 0)
    from kiosk.store.photos import PhotoStore, SourceIndex

    store = PhotoStore(Path(data_dir) / "photos")
    sources = SourceIndex(store)
    result, photos = check_photos(result, workers=workers, progress=progress, cache=sources)
    roster = result.roster
    assert roster is not None
    store.put_many({p.sha256: p.jpeg for p in photos.values()}.values())  # shared photos are stored once
    sources.save()
    hashes = {key: photo.sha256 for key, photo in photos.items()}
    roster = with_photos(roster, hashes)
    from kiosk.store.db import open_engine
    from kiosk.store.write import replace_villages

    engine = open_engine(db or data_dir)
    try:
        counts = replace_villages(engine, roster)
    finally:
        engine.dispose()
    return ImportResult(dataclasses.replace(result, roster=roster), counts, len(set(hashes.values())))


def _file_digest(path: Path) -> str:
    """SHA-256 of a source file's bytes; "" when it cannot be read (normalising then says why)."""
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return ""


def with_photos(roster: Roster, hashes: dict[MemberKey, str]) -> Roster:
    if not hashes:
        return roster
    villages = []
    for v in roster.villages:
        members = tuple(
            dataclasses.replace(m, photo=hashes[(v.village.code, m.number)])
            if (v.village.code, m.number) in hashes else m
            for m in v.members
        )
        villages.append(dataclasses.replace(v, members=members) if members != v.members else v)
    return Roster(tuple(villages))


__all__ = ["CheckResult", "ImportResult", "check_photos", "check_roster",
           "find_photos", "import_roster", "with_photos"]

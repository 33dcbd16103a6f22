"""A synthetic county: 300 villages, 15,000 members, 60,000 pledges, photos shared.

    .venv/bin/python scripts/bench/county.py [--villages 300] [--members 15000] [--pledges-per-member 4]
                                            [--distinct-photos 150] [--db postgresql+psycopg://…]

Times: check the county roster; import it (check + photos + store); make all per-village bundles
(signed, from the township store). Prints bytes per bundle. Targets: import ≤ 30 s, all bundles
≤ 60 s on 2 cores. Photos: each member has a file named after their number, hard-linked to one
of --distinct-photos pictures, so normalisation by content is exercised as a county would share
them. Run with --db to put the township store on PostgreSQL (photos stay in the data dir).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest import write_workbook  # noqa: E402
from synthetic import portrait_jpegs  # noqa: E402

from kiosk.ingest.importer import check_roster, import_roster  # noqa: E402
from kiosk.sync.keys import generate_keys  # noqa: E402
from kiosk.sync.make import make_from_store  # noqa: E402


def write_photos(folder: Path, members: int, distinct: int) -> None:
    folder.mkdir()
    originals = []
    for i, jpeg in enumerate(portrait_jpegs(distinct)):
        original = folder / f"_original{i}.jpeg"
        original.write_bytes(jpeg)
        originals.append(original)
    for i in range(members):
        os.link(originals[i % distinct], folder / f"M{i + 1:06d}.jpg")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--villages", type=int, default=300)
    parser.add_argument("--members", type=int, default=15_000)
    parser.add_argument("--pledges-per-member", type=int, default=4)
    parser.add_argument("--distinct-photos", type=int, default=150)
    parser.add_argument("--db", default=None, help="township store URL (default: SQLite in the data dir)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        roster, photos, data = root / "county.xlsx", root / "photos", root / "township"
        started = time.perf_counter()
        write_workbook(roster, args.members, args.pledges_per_member, villages=args.villages)
        write_photos(photos, args.members, args.distinct_photos)
        print(f"county: {args.villages} villages, {args.members} members, {args.members * args.pledges_per_member} pledges, "
              f"{args.distinct_photos} distinct photos; files written in {time.perf_counter() - started:.1f} s (not timed)")

        started = time.perf_counter()
        checked = check_roster(roster, photos)
        assert checked.roster is not None, [str(p) for p in checked.problems[:5]]
        print(f"check roster:         {time.perf_counter() - started:6.2f} s")
        started = time.perf_counter()
        imported = import_roster(roster, data, photos, db=args.db)
        assert imported.counts is not None
        print(f"import (check+photos+store on {'PostgreSQL' if args.db else 'SQLite'}): {time.perf_counter() - started:6.2f} s "
              f"({imported.counts.villages} villages, {imported.photos} photos stored)")

        private, _public = generate_keys(root / "keys")
        started = time.perf_counter()
        made = make_from_store(data, private, root / "out", db=args.db)
        took = time.perf_counter() - started
        sizes = [bundle.size for bundle in made.bundles]
        print(f"all bundles:          {took:6.2f} s for {len(sizes)} bundles "
              f"({took / len(sizes) * 1000:.0f} ms each); bytes per bundle: median {statistics.median(sizes) / 1024:.0f} KB, "
              f"max {max(sizes) / 1024:.0f} KB, total {sum(sizes) / 2**20:.1f} MB")


if __name__ == "__main__":
    main()

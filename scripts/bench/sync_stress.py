"""Fault injection at scale: SIGKILL `pledgewall sync` at random moments, N times.

    .venv/bin/python scripts/bench/sync_stress.py [--runs 200] [--members 300] [--seed 1]

After every kill the store must pass PRAGMA integrity_check and hold exactly the old or exactly
the new roster, and a second unkilled run must finish the update. Prints how the runs ended.
Also times applying a bundle of --apply-members members (in process, after verification).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.conftest import make_roster  # noqa: E402
from tests.sync.conftest import with_photos  # noqa: E402
from tests.sync.killing import KillLab  # noqa: E402


def stress(runs: int, members: int, seed: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        lab = KillLab(Path(tmp), with_photos(make_roster(members), 0), with_photos(make_roster(members + 20, seed=5), 100))
        print(f"one whole sync: {lab.full_run:.2f} s (start-up {lab.start_up:.2f} s); killing in between, {runs} runs")
        rng = random.Random(seed)
        started = time.perf_counter()
        for i in range(runs):
            lab.run_once(rng)
            if (i + 1) % 25 == 0:
                print(f"  {i + 1} runs: {dict(lab.outcomes)}", flush=True)
        print(f"{runs} runs in {time.perf_counter() - started:.0f} s, every one old-or-new and intact: {dict(lab.outcomes)}")


def apply_time(members: int) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from kiosk.sync.apply import Trust, apply, prepare
    from kiosk.sync.keys import PublicKey
    from kiosk.sync.make import write_signed_bundle

    key = Ed25519PrivateKey.generate()
    trust = Trust((PublicKey(key.public_key(), "bench"),), kiosk_id="bench")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        roster, jpegs = with_photos(make_roster(members), 0)
        started = time.perf_counter()
        write_signed_bundle(roster, jpegs, key, root / "stick", version=1)
        made = time.perf_counter() - started
        started = time.perf_counter()
        prepared = prepare(root / "stick" / "pledgewall", root / "data", trust)
        checked = time.perf_counter() - started
        started = time.perf_counter()
        apply(prepared, root / "data")
        applied = time.perf_counter() - started
        pledges = sum(len(v.pledges) for v in roster.villages)
        print(f"{members} members / {pledges} pledges / {len(jpegs)} photos: bundle make {made:.2f} s, "
              f"verify+stage+read {checked:.2f} s, apply {applied:.2f} s, sync total {checked + applied:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--members", type=int, default=300)
    parser.add_argument("--apply-members", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    apply_time(args.apply_members)
    if args.runs:
        stress(args.runs, args.members, args.seed)


if __name__ == "__main__":
    main()

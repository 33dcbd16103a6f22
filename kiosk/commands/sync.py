"""`pledgewall keys|bundle|sync`: signing keys, signed USB bundles, and applying a stick."""

from __future__ import annotations

from pathlib import Path

import click

from kiosk.commands.options import data_dir_option, db_option
from kiosk.commands.roster import print_problems
from kiosk.paths import data_dir as resolve_data_dir


@click.group()
def keys() -> None:
    """Ed25519 keys: the admin signs bundles, kiosks trust the public key."""


@keys.command()
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the key pair (keep it on the admin's computer, not on the stick).")
def generate(out_dir: Path) -> None:
    """Make a key pair: a private .key (owner-only) and a .pub to list in each kiosk's config."""
    from kiosk.sync.keys import generate_keys, load_public_key

    private, public = generate_keys(out_dir)
    click.echo(f"私钥 {private}（只留在管理员电脑上，勿放U盘，勿外传）")
    click.echo(f"公钥 {public}（指纹 {load_public_key(public).fingerprint}）")
    click.echo(f'把公钥复制到公示屏数据目录，并在 config.toml 写：[sync] trusted_keys = ["{public.name}"]')


@click.group()
def bundle() -> None:
    """Signed update bundles on a USB stick."""


@bundle.command()
@click.option("--roster", "roster_file", type=click.Path(exists=True, path_type=Path),
              help="Roster file, or a folder with one workbook per village.")
@click.option("--photos", "photos_dir", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              help="Folder of member photos (with --roster).")
@click.option("--township", "township_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Make the bundles from this township data directory instead of a roster file.")
@db_option
@click.option("--village", help="Only this village (its bundle goes straight into OUT/pledgewall/).")
@click.option("--key", "key_file", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Private key file.")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The stick's root folder: OUT/pledgewall/ for one village, OUT/<village code>/pledgewall/ for several.")
@click.option("--version", "version", type=click.IntRange(min=1), default=None,
              help="Bundle version (default: seconds since 1970, and always above the last one signed with this key).")
def make(roster_file: Path | None, photos_dir: Path | None, township_dir: Path | None, db_url: str | None,
         village: str | None, key_file: Path, out_dir: Path, version: int | None) -> None:
    """Signed bundles for the kiosks: one per village, each holding only that village's data."""
    from kiosk.sync.make import make_from_roster, make_from_store

    if (roster_file is None) == (township_dir is None):
        raise click.UsageError("请给出 --roster（花名册）或 --township（乡镇数据目录）之一")
    if roster_file is not None:
        made = make_from_roster(roster_file, photos_dir, key_file, out_dir, village=village, version=version)
        assert made.check is not None
        print_problems(roster_file, made.check.problems, "zh")
        if not made.bundles:
            click.echo("有错误，未制作更新包；U盘没有改动。")
            raise click.exceptions.Exit(1)
    else:
        assert township_dir is not None
        made = make_from_store(township_dir, key_file, out_dir, db=db_url, village=village, version=version)
    for bundle in made.bundles:
        m = bundle.manifest
        click.echo(f"已制作更新包 {bundle.dir}：村 {bundle.village}，版本 {m.version}，党员 {m.counts['members']} 名，"
                   f"承诺 {m.counts['pledges']} 条，照片 {m.counts['photos']} 张，{bundle.size / 1024:.0f} KB")
    if len(made.bundles) > 1:
        click.echo(f"共 {len(made.bundles)} 个村的更新包，每个文件夹复制到对应村的U盘根目录")


@bundle.command()
@click.argument("usb_root", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--pubkey", "pubkeys", multiple=True, required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Public key to trust (repeatable).")
def verify(usb_root: Path, pubkeys: tuple[Path, ...]) -> None:
    """Check a bundle's signature and every file, and say what it holds."""
    from kiosk.sync.bundle import SyncRefused, check_files, find_bundle_dir, open_bundle
    from kiosk.sync.keys import load_public_key

    bundle_dir = find_bundle_dir(usb_root)
    if bundle_dir is None:
        raise SyncRefused("stick.empty", f"{usb_root} 里没有 pledgewall 文件夹")
    opened = open_bundle(bundle_dir, [load_public_key(p) for p in pubkeys])
    check_files(opened)
    m = opened.manifest
    click.echo(f"更新包有效：签名密钥 {opened.signer.fingerprint}，版本 {m.version}，制作于 {m.created_at}")
    click.echo(f"村 {'、'.join(m.villages)}；党员 {m.counts.get('members', 0)} 名，承诺 {m.counts.get('pledges', 0)} 条，"
               f"照片 {m.counts.get('photos', 0)} 张；文件 {len(m.files)} 个")


@click.command()
@click.argument("usb_root", required=False, type=click.Path(file_okay=False, path_type=Path))
@data_dir_option
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Settings file (default: config.toml in the data directory).")
@click.option("--pubkey", "pubkeys", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Also trust this public key for this run (repeatable).")
@click.option("--force-older", is_flag=True, help="Apply a bundle older than the applied one (a deliberate rollback).")
@click.option("--rollback", "roll_back", is_flag=True, help="Restore the data from before the last update.")
def sync(usb_root: Path | None, data_dir: Path | None, config_file: Path | None, pubkeys: tuple[Path, ...],
         force_older: bool, roll_back: bool) -> None:
    """Apply the bundle on the stick at USB_ROOT (what the kiosk does when a stick appears)."""
    from kiosk.config import load_settings
    from kiosk.sync.apply import rollback, trust_from
    from kiosk.sync.stick import look_at, sync_stick

    target = resolve_data_dir(data_dir)
    if roll_back:
        result = rollback(target)
        click.echo(result.message + (f"（{result.change.summary()}）" if result.change else ""))
        raise click.exceptions.Exit(0 if result.applied else 1)
    if usb_root is None:
        raise click.UsageError("请给出U盘的路径（或用 --rollback）")
    trust = trust_from(load_settings(target, config_file), pubkeys)
    contents = look_at(usb_root)
    pin_ok = contents is not None and not contents.signed and trust.allow_unsigned and _ask_pin(target)
    result, receipt = sync_stick(usb_root, target, trust, force_older=force_older, pin_ok=pin_ok)
    click.echo(f"{result.message}（{result.change.summary()}）" if result.applied and result.change
               else f"未更新（原数据不变）：{result.message}")
    if receipt:
        click.echo(receipt)
    raise click.exceptions.Exit(0 if result.applied else 1)


def _ask_pin(data_dir: Path) -> bool:
    from kiosk.sync.pin import PinStore

    ok, message = PinStore(data_dir).check(click.prompt("管理员PIN", hide_input=True))
    if not ok:
        click.echo(message, err=True)
    return ok


COMMANDS = [keys, bundle, sync]

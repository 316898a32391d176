"""``silat backup``, ``silat restore`` and ``silat pack``.

A backup directory (``silat.backup_dir``, default ``<var>/../backup``) holds:

- ``datafs/``: repozo's full (``.fs``) and incremental (``.deltafs``) copies of Data.fs;
- ``blobs/``: every blob file ever backed up (blob files never change once
  written, so an incremental run copies only the new ones);
- ``sets/<stamp>/``: per run, ``blobs.txt`` (the blob files present then)
  and ``keys/`` (``secret`` and the signing key and certificates, without
  which restored history chains and signatures cannot be checked).

``<stamp>`` is the UTC time ``YYYY-MM-DD-HH-MM-SS`` (repozo's format), so
``silat restore --date`` picks the Data.fs state and the blob set of the
last run at or before that time. Data.fs is copied before the blobs, so a
set never misses a blob its Data.fs needs. Works while ZEO serves.
"""
import datetime as dt
import os
import shutil
import subprocess
import sys
import time

from silat.cli.index import Progress

KEY_FILES = ("secret", "signing/dev-ca.pem", "signing/signer.pem", "signing/signer-key.pem")


def paths(settings):
    var = os.path.abspath(settings["silat.var_dir"])
    return {
        "var": var,
        "datafs": settings.get("silat.datafs") or os.path.join(var, "Data.fs"),
        "blobs": settings.get("silat.blob_dir") or os.path.join(var, "blobs"),
        "backup": settings.get("silat.backup_dir") or os.path.join(os.path.dirname(var), "backup"),
    }


def key_files(settings, var):
    """(source path, name in the backup) of every key file that exists."""
    found = []
    secret = settings.get("silat.secret_file") or os.path.join(var, "secret")
    found.append((secret, "secret"))
    for name in KEY_FILES[1:]:
        found.append((os.path.join(var, name), name))
    for setting, name in (("silat.signing.cert", "signing/signer.pem"),
                          ("silat.signing.key", "signing/signer-key.pem"),
                          ("silat.signing.ca", "signing/dev-ca.pem")):
        if settings.get(setting):
            found = [(settings[setting], name) if n == name else (p, n) for p, n in found]
    return [(path, name) for path, name in found if os.path.exists(path)]


def repozo(*args):
    cmd = [sys.executable, "-m", "ZODB.scripts.repozo", *args]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"silat: repozo failed: {result.stderr.strip() or result.stdout.strip()}")


def blob_files(blob_dir):
    """Relative paths of the committed blob files (not the temp dir)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(blob_dir):
        rel = os.path.relpath(dirpath, blob_dir)
        if rel == "tmp" or rel.startswith("tmp" + os.sep):
            dirnames[:] = []
            continue
        found.extend(os.path.normpath(os.path.join(rel, f)) for f in filenames)
    return sorted(found)


def stamp_now():
    return time.strftime("%Y-%m-%d-%H-%M-%S", time.gmtime())


def backup(env, args):
    p = paths(env.settings)
    target = os.path.abspath(args.dir or p["backup"])
    if not os.path.exists(p["datafs"]):
        print(f"silat: no Data.fs at {p['datafs']} (set silat.datafs); with RelStorage back up "
              "PostgreSQL (pg_dump or PITR) and the keys: see docs/operations.md", file=sys.stderr)
        return 2
    for sub in ("datafs", "blobs", "sets"):
        os.makedirs(os.path.join(target, sub), exist_ok=True)
    stamp = stamp_now()
    while os.path.exists(os.path.join(target, "sets", stamp)):
        time.sleep(0.2)                     # repozo names its files by the second
        stamp = stamp_now()
    print(f"backup {stamp}: Data.fs ({'full' if args.full else 'incremental'})", file=sys.stderr)
    repozo("-B", "-z", "-r", os.path.join(target, "datafs"), "-f", p["datafs"],
           *(["-F"] if args.full else []))
    datafs_stamp = _latest_repozo_stamp(os.path.join(target, "datafs"))
    files = blob_files(p["blobs"])
    bar = Progress(len(files), "backup blobs")
    copied = 0
    for n, rel in enumerate(files, 1):
        dest = os.path.join(target, "blobs", rel)
        if not os.path.exists(dest) or args.full and rel == ".layout":
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            shutil.copy2(os.path.join(p["blobs"], rel), dest + ".part")
            os.replace(dest + ".part", dest)
            copied += 1
        bar(n)
    bar.finish(len(files))
    set_dir = os.path.join(target, "sets", stamp)
    os.makedirs(os.path.join(set_dir, "keys"))
    keys = key_files(env.settings, p["var"])
    for path, name in keys:
        dest = os.path.join(set_dir, "keys", name)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copy2(path, dest)
        os.chmod(dest, 0o600)
    with open(os.path.join(set_dir, "datafs-stamp"), "w") as f:
        f.write(datafs_stamp + "\n")
    with open(os.path.join(set_dir, "blobs.txt.part"), "w") as f:
        f.write("\n".join(files) + "\n")
    os.replace(os.path.join(set_dir, "blobs.txt.part"), os.path.join(set_dir, "blobs.txt"))
    print(f"backup {stamp}: done in {target}: {len(files)} blob files ({copied} new), "
          f"{len(keys)} key files")
    return 0


def _latest_repozo_stamp(directory):
    """The time stamp of repozo's newest file (its own name for it)."""
    names = [n.split(".")[0] for n in os.listdir(directory)
             if n.endswith((".fs", ".fsz", ".deltafs", ".deltafsz"))]
    return max(names)


def _parse_date(text):
    parts = [int(x) for x in text.replace("T", "-").replace(":", "-").split("-")]
    return dt.datetime(*parts)


def restore(env, args):
    p = paths(env.settings)
    source = os.path.abspath(args.dir or p["backup"])
    stamps = sorted(os.listdir(os.path.join(source, "sets"))) if os.path.isdir(
        os.path.join(source, "sets")) else []
    complete = [s for s in stamps if os.path.exists(os.path.join(source, "sets", s, "blobs.txt"))]
    if args.date:
        limit = _parse_date(args.date)
        complete = [s for s in complete if _parse_date(s) <= limit]
    if not complete:
        print(f"silat: no backup in {source}{' at or before ' + args.date if args.date else ''}",
              file=sys.stderr)
        return 1
    stamp = complete[-1]
    var = os.path.join(os.path.abspath(args.to), "var")
    if os.path.exists(os.path.join(var, "Data.fs")):
        print(f"silat: {var}/Data.fs exists; restore into an empty directory", file=sys.stderr)
        return 1
    os.makedirs(var, exist_ok=True)
    print(f"restore {stamp}: Data.fs", file=sys.stderr)
    with open(os.path.join(source, "sets", stamp, "datafs-stamp")) as f:
        datafs_stamp = f.read().strip()
    repozo("-R", "-r", os.path.join(source, "datafs"), "-D", datafs_stamp,
           "-o", os.path.join(var, "Data.fs"))
    with open(os.path.join(source, "sets", stamp, "blobs.txt")) as f:
        files = [line.strip() for line in f if line.strip()]
    bar = Progress(len(files), "restore blobs")
    for n, rel in enumerate(files, 1):
        dest = os.path.join(var, "blobs", rel)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copy2(os.path.join(source, "blobs", rel), dest)
        bar(n)
    bar.finish(len(files))
    keys = os.path.join(source, "sets", stamp, "keys")
    shutil.copytree(keys, var, dirs_exist_ok=True)
    print(f"restored the backup of {stamp} into {var}: Data.fs, {len(files)} blob files, keys. "
          f"Next: point an ini's silat.var_dir there, then 'silat audit verify' and "
          f"'silat index rebuild'.")
    return 0


def pack(env, args):
    """Drop object revisions older than N days. The history view reads the
    sealed history stored in each dossier, never ZODB's undo records, so
    packing loses no history; only undo beyond N days goes."""
    started = time.monotonic()
    before = _size(paths(env.settings)["datafs"])
    env.db.pack(days=args.days)
    after = _size(paths(env.settings)["datafs"])
    print(f"packed (revisions older than {args.days} days dropped) in {time.monotonic() - started:.1f}s"
          + (f": Data.fs {before:,} -> {after:,} bytes" if before is not None else ""))
    return 0


def _size(path):
    return os.path.getsize(path) if os.path.exists(path) else None


def register(sub):
    p = sub.add_parser("backup", help="back up Data.fs (repozo), blobs and keys")
    p.add_argument("--full", action="store_true", help="a full Data.fs copy (default: incremental)")
    p.add_argument("--dir", default=None, help="backup directory (default silat.backup_dir or var/../backup)")
    p.set_defaults(run=backup)
    r = sub.add_parser("restore", help="restore a backup into DIR/var (point in time with --date)")
    r.add_argument("--to", required=True, help="an empty directory; the data goes to DIR/var")
    r.add_argument("--date", default=None, help="UTC YYYY-MM-DD[-HH[-MM[-SS]]]: the last backup at or before")
    r.add_argument("--dir", default=None, help="backup directory (default as for backup)")
    r.set_defaults(run=restore, database=False)
    k = sub.add_parser("pack", help="drop database revisions older than N days (keeps dossier history)")
    k.add_argument("--days", type=float, required=True)
    k.set_defaults(run=pack)

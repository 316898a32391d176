"""``silat audit rotate-key``: a new site secret without breaking old seals.

A history entry's seal is an HMAC of its hash under a key derived from
``var/secret``; the hash chain itself does not depend on the key. Rotating
therefore means: check every chain under the old key, re-seal every entry
under the new key (hashes and links unchanged), then switch the secret
file. The old secret is kept as ``secret.retired-<stamp>`` (delete it once
the new backups exist). A run that was interrupted is simply run again:
chains already sealed under the new key are recognised and skipped.

Stop the app processes first (they seal new entries with the key they
started with; the new secret also signs new sessions, so users log in
again).
"""
import os
import secrets
import sys
import time

from silat.resources import history
from silat.workflow.audit import histories

BATCH = 200


def _verify_with(secret, log):
    history.configure(secret)
    return log.verify()


def run(env, args):
    path = env.settings.get("silat.secret_file")
    if env.settings.get("silat.secret") or not path:
        print("silat: the secret is set in the ini (silat.secret): rotate it there by hand; "
              "this command rotates silat.secret_file", file=sys.stderr)
        return 2
    pending = path + ".new"
    with open(path) as f:
        old = f.read().strip()
    if not os.path.exists(pending):
        fd = os.open(pending, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
    with open(pending) as f:
        new = f.read().strip()
    resealed = skipped = 0
    broken = []
    try:
        with env.connection() as (conn, tm):
            tm.begin()
            site = conn.root()["silat"]
            for count, (where, log) in enumerate(histories(site), 1):
                if _verify_with(old, log) is None:
                    history.configure(new)
                    for seq, entry in list(log._entries.items()):
                        log._entries[seq] = {**entry, "seal": history.seal(entry["hash"])}
                    resealed += 1
                elif _verify_with(new, log) is None:
                    skipped += 1            # sealed by an interrupted earlier run
                else:
                    broken.append(where)
                if count % BATCH == 0:
                    tm.commit()
                    tm.begin()
                    conn.cacheGC()
                    print(f"\rrotate-key: {count} chains", end="", file=sys.stderr, flush=True)
            tm.commit()
    finally:
        history.configure(old)
    if broken:
        for where in broken:
            print(f"BROKEN {where}: left as it is", file=sys.stderr)
        print(f"rotate-key: {len(broken)} broken chains; the secret is NOT switched "
              f"(run 'silat audit verify', then again)", file=sys.stderr)
        return 1
    retired = f"{path}.retired-{time.strftime('%Y%m%d%H%M%S', time.gmtime())}"
    os.replace(path, retired)
    os.replace(pending, path)
    print(f"\rrotate-key: {resealed} chains re-sealed, {skipped} already done; new secret in "
          f"{path}; the old one is {retired} (delete it after the next backup). "
          f"Start the app processes again.")
    return 0

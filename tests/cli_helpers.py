"""Reading the database a CLI test wrote."""
from silat.resources.site import ZODB_ROOT_KEY


def open_site(ini_path):
    from ZODB import DB
    from ZODB.FileStorage import FileStorage
    var = ini_path.rsplit("/", 1)[0] + "/var"
    db = DB(FileStorage(f"{var}/Data.fs", blob_dir=f"{var}/blobs", read_only=True))
    return db, db.open().root()[ZODB_ROOT_KEY]

"""The archivist's workbench: classification browse, retention schedule,
physical locations, loans, destruction with approval, BagIt export
(see docs/archive.md)."""


def includeme(config):
    config.include("silat.archive.views")
    config.scan("silat.archive.find")

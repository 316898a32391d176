"""Operations: the run command (ZEO + app + jobs), the jobs runner, the
indexer process, backup, restore and pack (see docs/operations.md)."""

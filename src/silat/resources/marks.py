"""Open-work lists that many requests change at once.

A worklist index (the SLA watch list, the signer's lists, the intake
states, an agency's open requests) is an ``OOBTree`` of key -> ``OPEN``
(1) or ``CLOSED`` (0). Requests never delete from it: BTrees merge
parallel changes of different keys in one bucket, but not deletions that
leave a bucket empty, and a list that work flows through empties its
buckets all the time. Closing marks the key 0; ``silat sweep`` (a daily
job, one writer) removes the closed keys so the lists stay short.
Values are plain ints so that BTrees can compare them when merging.
"""
from BTrees.OOBTree import OOBTree

OPEN, CLOSED = 1, 0


def mark_open(tree, key):
    if tree.get(key) != OPEN:
        tree[key] = OPEN


def mark_closed(tree, key):
    if tree.get(key, CLOSED) != CLOSED:
        tree[key] = CLOSED


def is_open(tree, key):
    return tree.get(key, CLOSED) != CLOSED


def open_keys(tree):
    """The open keys, in key order."""
    return [key for key, value in tree.items() if value != CLOSED]


def from_keys(keys):
    """A new list with ``keys`` open (evolve steps converting tree sets)."""
    tree = OOBTree()
    for key in keys:
        tree[key] = OPEN
    return tree


def sweep(tree):
    """Remove the closed keys; the number removed. Run by one writer."""
    closed = [key for key, value in tree.items() if value == CLOSED]
    for key in closed:
        del tree[key]
    return len(closed)

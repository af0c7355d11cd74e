"""Item and Folder: the persistent base classes of the content tree.

Folders keep their children in an ``OOBTree`` with a ``BTrees.Length`` count and an
explicit order. The order is a pair of B-trees holding a sort key per name, so adding
at the end and moving one child are O(log n) writes whatever the folder's size (a
list of names would rewrite the whole list on every add).

These methods change the tree only; they fire no events. The operations that users
trigger (add, rename, move, copy, delete, reorder) live in :mod:`core.operations`,
which fires the events plugins hear.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator

from BTrees.Length import Length
from BTrees.OOBTree import OOBTree
from persistent import Persistent
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping
from zope.interface import implementer

from core.clock import now
from core.interfaces import IContent, IFolder

#: Gap between consecutive order keys; moves bisect gaps, renumbering when they run out.
ORDER_STEP = 1024.0
#: A new child's key is the last key + ORDER_STEP + a random fraction of this, so that
#: children added at once by concurrent transactions get distinct keys (the order
#: B-trees then merge both additions instead of failing on one key added twice).
ORDER_JITTER = 1.0


@implementer(IContent)
class Item(Persistent):
    """A piece of content: a leaf of the tree.

    ``__acl__`` is set by the workflow from the current state's permission map;
    ``local_roles`` maps a principal id to the roles granted to it on this object
    and everything below it.
    """

    type_name = "Item"
    __name__: str | None = None
    __parent__: Folder | None = None
    title = ""
    description = ""
    workflow_state = ""

    def __init__(self, **values):
        self.uid = uuid.uuid4().hex
        self.created = self.modified = now()
        self.creators = ()
        self.local_roles = PersistentMapping()
        self.workflow_history = PersistentList()
        for key, value in values.items():
            setattr(self, key, value)

    def __repr__(self) -> str:
        return f"<{self.type_name} {self.__name__!r} at {id(self):#x}>"


@implementer(IFolder)
class Folder(Item):
    """A container of content with an explicit order of its children."""

    type_name = "Folder"

    def __init__(self, **values):
        super().__init__(**values)
        self._data = OOBTree()
        self._count = Length(0)
        self._key_of = OOBTree()  # name -> order key
        self._name_at = OOBTree()  # order key -> name

    # mapping protocol ---------------------------------------------------------------
    def __getitem__(self, name: str) -> Item:
        return self._data[name]

    def get(self, name: str, default=None):
        return self._data.get(name, default)

    def __contains__(self, name: str) -> bool:
        return name in self._data

    def __len__(self) -> int:
        return self._count()

    def __bool__(self) -> bool:
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(self._name_at.values())

    def keys(self) -> list[str]:
        return list(self._name_at.values())

    def values(self) -> Iterator[Item]:
        data = self._data
        return (data[name] for name in self._name_at.values())

    def items(self) -> Iterator[tuple[str, Item]]:
        data = self._data
        return ((name, data[name]) for name in self._name_at.values())

    def slice(self, start: int, size: int) -> list[Item]:
        """Children ``start`` to ``start + size`` in order, loading only those."""
        names = self._name_at.values()
        stop = min(start + size, len(names))
        return [self._data[names[i]] for i in range(max(start, 0), stop)]

    # tree changes -------------------------------------------------------------------
    def attach(self, name: str, obj: Item) -> Item:
        """Place ``obj`` under ``name`` at the end of the order (name already checked)."""
        if name in self._data:
            raise KeyError(name)
        obj.__name__ = name
        obj.__parent__ = self
        self._data[name] = obj
        self._count.change(1)
        key = (self._name_at.maxKey() if self._name_at else 0.0) + ORDER_STEP
        key += random.random() * ORDER_JITTER
        self._key_of[name] = key
        self._name_at[key] = name
        return obj

    def detach(self, name: str) -> Item:
        """Take the child ``name`` out of the folder and return it."""
        obj = self._data.pop(name)
        self._count.change(-1)
        del self._name_at[self._key_of.pop(name)]
        obj.__parent__ = None
        return obj

    def position(self, name: str) -> int:
        """The 0-based position of ``name`` in the order."""
        return len(self._name_at.keys(max=self._key_of[name])) - 1

    def order_key(self, name: str) -> float:
        """The sort key of child ``name`` in the order (kept while others move,
        unless the folder renumbers: see :meth:`move_to`)."""
        return self._key_of[name]

    def move_to(self, name: str, position: int) -> bool:
        """Move child ``name`` to ``position`` (0-based, clamped to the folder's size).

        Return whether every child got a new order key (a gap ran out)."""
        old_key = self._key_of[name]
        del self._name_at[old_key]
        keys = self._name_at.keys()
        position = max(0, min(position, len(keys)))
        before = keys[position - 1] if position > 0 else 0.0
        after = keys[position] if position < len(keys) else before + 2 * ORDER_STEP
        key = (before + after) / 2
        if not before < key < after:  # the gap is exhausted: renumber, then retry
            self._name_at[old_key] = name
            self._renumber()
            self.move_to(name, position)
            return True
        self._key_of[name] = key
        self._name_at[key] = name
        return False

    def _renumber(self) -> None:
        names = list(self._name_at.values())
        self._name_at.clear()
        for index, child in enumerate(names, start=1):
            key = index * ORDER_STEP
            self._key_of[child] = key
            self._name_at[key] = child

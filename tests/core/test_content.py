"""The content model: folders, order, names, uids."""

import pytest

from core.content import Folder, Item
from core.names import BadName, check_name, choose_name, slugify


def make_folder(n=0):
    folder = Folder(title="f")
    for i in range(n):
        folder.attach(f"item-{i}", Item(title=f"Item {i}"))
    return folder


def test_folder_keeps_insertion_order_and_count():
    folder = make_folder(5)
    assert folder.keys() == [f"item-{i}" for i in range(5)]
    assert len(folder) == 5
    assert [obj.title for obj in folder.values()] == [f"Item {i}" for i in range(5)]


def test_attach_sets_name_and_parent_and_refuses_duplicates():
    folder = make_folder(1)
    child = folder["item-0"]
    assert child.__name__ == "item-0" and child.__parent__ is folder
    with pytest.raises(KeyError):
        folder.attach("item-0", Item())


def test_detach_removes_from_order_and_count():
    folder = make_folder(3)
    obj = folder.detach("item-1")
    assert obj.__parent__ is None
    assert folder.keys() == ["item-0", "item-2"]
    assert len(folder) == 2 and "item-1" not in folder


@pytest.mark.parametrize(
    "name, position, expected",
    [
        ("item-3", 0, ["item-3", "item-0", "item-1", "item-2"]),
        ("item-0", 3, ["item-1", "item-2", "item-3", "item-0"]),
        ("item-0", 99, ["item-1", "item-2", "item-3", "item-0"]),
        ("item-2", 1, ["item-0", "item-2", "item-1", "item-3"]),
    ],
)
def test_move_to_position(name, position, expected):
    folder = make_folder(4)
    folder.move_to(name, position)
    assert folder.keys() == expected
    assert folder.position(name) == expected.index(name)


def test_many_moves_into_one_gap_renumber_without_losing_order():
    folder = make_folder(3)
    for _ in range(200):  # halves the same gap far past float precision
        folder.move_to("item-2", 1)
        folder.move_to("item-1", 1)
    assert sorted(folder.keys()) == ["item-0", "item-1", "item-2"]
    assert folder.keys()[0] == "item-0" and len(folder) == 3


def test_slice_loads_only_the_requested_window():
    folder = make_folder(30)
    assert [o.__name__ for o in folder.slice(10, 5)] == [f"item-{i}" for i in range(10, 15)]
    assert folder.slice(28, 10)[-1].__name__ == "item-29"
    assert folder.slice(40, 10) == []


def test_each_item_has_its_own_uid():
    assert Item().uid != Item().uid


@pytest.mark.parametrize(
    "title, slug",
    [
        ("Tin tức nổi bật", "tin-tuc-noi-bat"),
        ("Đà Nẵng", "da-nang"),
        ("Quyết định số 12/QĐ-UBND", "quyet-dinh-so-12-qd-ubnd"),
        ("???", "noi-dung"),
    ],
)
def test_slugify_folds_vietnamese(title, slug):
    assert slugify(title) == slug


def test_choose_name_avoids_taken_names():
    folder = make_folder(0)
    folder.attach("gioi-thieu", Item())
    folder.attach("gioi-thieu-1", Item())
    assert choose_name(folder, "Giới thiệu") == "gioi-thieu-2"


@pytest.mark.parametrize(
    "name", ["../x", "a/b", "..", ".hidden", "@@edit", "_private", "", "a b", "x" * 101]
)
def test_check_name_refuses_path_tricks(name):
    with pytest.raises(BadName):
        check_name(make_folder(0), name)

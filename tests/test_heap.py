"""osallisuus.heap.frozen_heap: objects older than the block are out of the collector's sight
during it, handed back after it; a report and its exports leave nothing frozen."""
import gc
import weakref

import pytest

from osallisuus.heap import frozen_heap


class _Node:
    pass


def _cycle():
    """An unreachable reference cycle and a flag set when the collector frees it."""
    a, b = _Node(), _Node()
    a.other, b.other = b, a
    freed = []
    weakref.finalize(a, freed.append, True)
    return freed


def test_old_cycle_waits_until_the_block_ends_and_is_freed_then():
    gc.collect()
    freed = _cycle()                       # garbage made before the block
    with frozen_heap():
        assert gc.get_freeze_count() > 0
        gc.collect()                       # walks only what the block made
        assert freed == []
        new = _cycle()                     # garbage made inside the block is collected there
        gc.collect()
        assert new == [True]
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert freed == [True]


def test_nested_blocks_freeze_once_and_an_error_unfreezes():
    with pytest.raises(ValueError):
        with frozen_heap():
            outer = gc.get_freeze_count()
            with frozen_heap():
                _ = [_Node() for _ in range(100)]
                assert gc.get_freeze_count() <= outer    # the inner block froze nothing more (+100)
            assert 0 < gc.get_freeze_count() <= outer     # ... and unfroze nothing
            raise ValueError("boom")
    assert gc.get_freeze_count() == 0


def test_a_heap_frozen_by_the_caller_is_left_frozen():
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        made = [_Node() for _ in range(200)]     # tracked objects a second freeze would add
        with frozen_heap():
            pass
        after = gc.get_freeze_count()
        # neither unfrozen (0) nor frozen again (+200); a frozen object freed meanwhile (another
        # thread dropping its last reference) leaves the count, so it may fall by a few
        assert before - 100 <= after <= before, (before, after)
        assert len(made) == 200
    finally:
        gc.unfreeze()


def test_report_build_and_export_leave_nothing_frozen(example_dir, tmp_path):
    from osallisuus.export import export
    from osallisuus.report import RegionReport
    from osallisuus.batch.runner import regions_in_data
    from osallisuus.settings import load_settings
    region = regions_in_data(example_dir, load_settings())[0]
    report = RegionReport(region, example_dir)
    export(report.document(), "html", tmp_path / "r.html")
    assert report.section_names() and (tmp_path / "r.html").stat().st_size > 0
    assert gc.get_freeze_count() == 0


def test_hold_keeps_the_heap_frozen_for_good_and_blocks_leave_it():
    """hold() (the batch kernel's, after each reset) in a process of its own: it changes the process."""
    import subprocess
    import sys
    code = """
import gc
from osallisuus.heap import frozen_heap, hold
hold()
held = gc.get_freeze_count()
with frozen_heap():
    x = [object() for _ in range(1000)]
    inside = gc.get_freeze_count()
print(held > 0, inside == held, gc.get_freeze_count() == held)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "True", "True"]

"""The batch's warm kernel: one kernel, many notebooks, each as if run in a fresh kernel.

A real ipykernel and real papermill; the notebooks are written here with nbformat."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from osallisuus.batch.kernel import WarmKernel

pytestmark = pytest.mark.slow


def _notebook(path, *sources: str, parameters: str = "x = 0") -> str:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    cell = nbformat.v4.new_code_cell(parameters)
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell, *[nbformat.v4.new_code_cell(s) for s in sources]]
    nbformat.write(nb, path)
    return str(path)


def _printed(path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    return ["".join(o.get("text", "")) for c in nb.cells if c.cell_type == "code" for o in c.outputs
            if o.get("output_type") == "stream"]


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    k = WarmKernel(str(tmp_path_factory.mktemp("cwd")))
    k.start()
    yield k
    k.shutdown()


def test_notebooks_in_one_kernel_see_only_their_own_outputs(kernel, tmp_path):
    # two notebooks one after the other: each shows its own prints with its own parameters, the
    # second sees none of the first one's variables, and its execution count starts from 1
    first = _notebook(tmp_path / "a.ipynb", "print('eka', x)")
    second = _notebook(tmp_path / "b.ipynb", "print('toka', x)", "print('muuttuja' in dir())")
    kernel.execute(first, str(tmp_path / "a_out.ipynb"), {"x": 1, "muuttuja": 5})
    kernel.execute(second, str(tmp_path / "b_out.ipynb"), {"x": 2})
    assert _printed(tmp_path / "a_out.ipynb") == ["eka 1\n"]
    assert _printed(tmp_path / "b_out.ipynb") == ["toka 2\n", "False\n"]
    counts = [c.execution_count for c in nbformat.read(tmp_path / "b_out.ipynb", as_version=4).cells
              if c.cell_type == "code"]
    assert counts == [1, 2, 3, 4]          # parameters, injected parameters, two cells


def test_a_new_client_is_ready_when_the_kernel_has_answered_on_both_channels(kernel):
    # wait_for_ready returns after the kernel_info reply and that request's idle status on
    # IOPub; a request made right after it gets its whole output
    client = kernel.km.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=30)
        printed = []
        reply = client.execute_interactive("print('valmis')", timeout=30, store_history=False,
                                           output_hook=lambda m: printed.append(m["content"].get("text", "")))
    finally:
        client.stop_channels()
    assert reply["content"]["status"] == "ok" and "".join(printed) == "valmis\n"


def test_call_returns_the_function_result_and_leaves_a_clean_namespace(kernel, tmp_path):
    assert kernel.call("os.path:join", "a", "b") == "a/b"
    assert kernel.call("json:loads", '{"n": [1, 2]}') == {"n": [1, 2]}
    nb = _notebook(tmp_path / "c.ipynb", "print([k for k in ('_json', '_il', 'muuttuja') if k in dir()])")
    kernel.execute(nb, str(tmp_path / "c_out.ipynb"), {})
    assert _printed(tmp_path / "c_out.ipynb") == ["[]\n"]


def test_a_client_of_a_dead_kernel_is_not_ready(tmp_path):
    k = WarmKernel(str(tmp_path))
    k.start()
    try:
        client = k.km.client()
        k.km.provisioner.process.kill()     # the kernel process dies
        k.km.provisioner.process.wait()
        client.start_channels()
        with pytest.raises(RuntimeError, match="died"):
            client.wait_for_ready(timeout=5)
        client.stop_channels()
        assert not k.alive()
    finally:
        k.shutdown()


def test_a_new_client_waits_for_a_busy_kernel(kernel):
    # the kernel is running another request for 3 s: the kernel_info replies come late, one
    # behind the other, and the new client must still see the kernel as ready once it answers
    from jupyter_client.session import Session
    # a session of its own: clients that share one also share the shell socket's identity
    busy = kernel.km.client(session=Session(key=kernel.km.session.key))
    busy.start_channels()
    client = kernel.km.client()
    client.start_channels()
    try:
        busy.wait_for_ready(timeout=30)
        request = busy.execute("import time; time.sleep(3)", store_history=False)
        client.wait_for_ready(timeout=30)
        done = busy.get_shell_msg(timeout=30)
        assert done["parent_header"]["msg_id"] == request and done["content"]["status"] == "ok"
    finally:
        client.stop_channels()
        busy.stop_channels()


def test_a_thread_left_by_a_notebook_does_not_print_into_the_next_one(tmp_path):
    # ipykernel sends a thread's print to the request running when it prints: a thread the first
    # notebook leaves behind would write into the second notebook (another region's report)
    k = WarmKernel(str(tmp_path))
    k.start()
    try:
        first = _notebook(tmp_path / "a.ipynb", "import threading\n"
                          "threading.Timer(1.5, lambda: print('EDELLISEN ALUEEN TEKSTIÄ')).start()\nprint('eka')")
        second = _notebook(tmp_path / "b.ipynb", "import time\ntime.sleep(3)\nprint('toka')")
        k.execute(first, str(tmp_path / "a_out.ipynb"), {})
        k.execute(second, str(tmp_path / "b_out.ipynb"), {})
        assert _printed(tmp_path / "b_out.ipynb") == ["toka\n"]
        assert k.restarts == 1
    finally:
        k.shutdown()


def test_report_notebooks_leave_no_thread_behind(kernel, tmp_path):
    # the kernel is started again only when a notebook leaves a thread: never for the report
    root = Path(__file__).resolve().parents[1]
    before = kernel.restarts
    for region in ("Lappi", "Kanta-Häme"):
        kernel.execute(str(root / "notebooks" / "alueraportti.ipynb"), str(tmp_path / f"{region}.ipynb"),
                       {"region": region, "data_path": str(root / "data" / "example")})
    assert kernel.restarts == before

"""A warm Jupyter kernel that papermill executes many notebooks in.

papermill (the real one) is given our kernel manager as ``km``: nbclient then reuses a kernel
it does not own and leaves it running, so imports and the validated data are paid for once
per worker. Between notebooks the namespace is reset and the execution counter set back to 1,
so every region's notebook looks as if it ran in a fresh kernel. On POSIX systems the kernel
talks over IPC sockets in a private temporary folder (no TCP port, no warning about
unencrypted TCP, nothing written into the project).
"""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
import time

from ..errors import ReportError

__all__ = ["KERNEL", "REGION_TIMEOUT", "WarmKernel", "warm_kernel"]

KERNEL = "python3"
REGION_TIMEOUT = 600  # seconds one region's notebook may run
# seconds without an IOPub message before a new kernel_info request (jupyter_client waits 1 s:
# a whole second idle on every start of a kernel)
IOPUB_WAIT = 0.1
# modules of threads that may start in a kernel and stay without ever printing
_QUIET_THREADS = ("zmq.utils.garbage",)
_WARM_UP = "import osallisuus, osallisuus.report, osallisuus.figures, osallisuus.export, matplotlib.pyplot"
# figures closed first, then the namespace emptied (IPython collects garbage there), then what is
# left (modules, caches) frozen so that the next region's collections walk only its own objects
_RESET = ("import matplotlib.pyplot as _p; _p.close('all'); del _p\n"
          "get_ipython().run_line_magic('reset', '-f')\n"
          "import osallisuus.heap as _h; _h.hold(collect=False); del _h\n"
          "get_ipython().execution_count = 1")


def _client_class():
    """A kernel client whose ``wait_for_ready`` does not sit out 0.2 s of IOPub silence.

    jupyter_client's ``wait_for_ready`` ends by reading IOPub until nothing has come for 0.2 s,
    and nbclient and :meth:`WarmKernel.call` make a new client for every notebook and call: 0.4 s
    of waiting per region. This one waits for what the protocol promises instead: the
    ``kernel_info_reply`` on the shell channel and, on IOPub, the ``idle`` status of that same
    request (which also shows that IOPub is connected and that anything an earlier request left
    there has been read). Each request's messages are told apart by their parent's id anyway."""
    from queue import Empty

    from jupyter_client.blocking.client import BlockingKernelClient

    class WarmClient(BlockingKernelClient):
        def wait_for_ready(self, timeout: float | None = None) -> None:
            deadline = time.monotonic() + (timeout if timeout is not None else float("inf"))
            sent: set[str] = set()     # a busy kernel answers late: any of our requests counts
            while time.monotonic() < deadline:
                sent.add(self.kernel_info())
                try:
                    reply = self.get_shell_msg(timeout=1)
                except Empty:
                    reply = None
                if reply and reply["msg_type"] == "kernel_info_reply" \
                        and reply["parent_header"].get("msg_id") in sent and self._idle_after(sent, deadline):
                    self._handle_kernel_info_reply(reply)
                    return
                if not self.is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
            raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")   # only with a timeout

        def _idle_after(self, sent: set[str], deadline: float) -> bool:
            """Read IOPub up to the ``idle`` status of one of the requests ``sent``; False if
            nothing comes for :data:`IOPUB_WAIT` seconds (IOPub not connected yet: a request is
            sent again) or by the ``deadline`` (a thread of an earlier request may print without
            end). The ``idle`` status follows the reply at once once IOPub is connected; a kernel
            that has just started has often not seen the subscription yet and never sends it."""
            while time.monotonic() < deadline:
                try:
                    msg = self.get_iopub_msg(timeout=IOPUB_WAIT)
                except Empty:
                    return False
                if msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle" \
                        and msg["parent_header"].get("msg_id") in sent:
                    return True
            return False

    return WarmClient


class WarmKernel:
    """One Jupyter kernel kept alive across notebooks, with a clean namespace per run."""

    def __init__(self, cwd: str):
        self.cwd = cwd
        self.km = None
        self.lock = threading.Lock()   # a kernel runs one notebook at a time
        self._sockets = None
        self._clean = False            # namespace reset since the last notebook
        self._threads = 0              # threads in the kernel when it was warmed up
        self.restarts = 0              # kernels started again because a notebook left a thread

    def start(self) -> None:
        from jupyter_client.manager import KernelManager
        self.km = KernelManager(kernel_name=KERNEL)
        self.km.client_factory = _client_class()
        if os.name == "posix":
            self._sockets = tempfile.mkdtemp(prefix="osallisuus-kernel-")
            self.km.transport = "ipc"
            self.km.ip = os.path.join(self._sockets, "k")
        env = {**os.environ, "MPLBACKEND": "Agg", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
        self.km.start_kernel(cwd=self.cwd, env=env, extra_arguments=["--HistoryManager.enabled=False"])
        self._run(_WARM_UP + "\n" + _RESET)   # modules stay imported, the namespace is empty
        self._clean = True
        self._threads = self._thread_count()

    def _thread_count(self) -> int:
        """Threads in the kernel, but for pyzmq's garbage collector (started once by the first
        large output, it never prints)."""
        return int(self._run("import threading as _t\n"
                             f"print(sum(type(t).__module__ not in {_QUIET_THREADS!r} for t in _t.enumerate()))\n"
                             "del _t"))

    def _run(self, code: str) -> str:
        """Run ``code`` in the kernel; what it printed to stdout."""
        # A short-lived client of our own: a client that nbclient has driven is not reused.
        kc = self.km.client()
        kc.start_channels()
        printed: list[str] = []

        def hook(msg):
            if msg["msg_type"] == "stream" and msg["content"].get("name") == "stdout":
                printed.append(msg["content"]["text"])
        try:
            kc.wait_for_ready(timeout=120)
            # not stored in the history, so the execution counter stays where _RESET puts it
            reply = kc.execute_interactive(code, timeout=300, output_hook=hook, store_history=False)
        finally:
            kc.stop_channels()
        if reply["content"]["status"] != "ok":
            raise ReportError(f"kernel: {reply['content'].get('ename', '')}: {reply['content'].get('evalue', '')}")
        return "".join(printed)

    def call(self, function: str, *args):
        """``module:function(*args)`` run in the kernel, its JSON-able result returned (so the
        worker uses the kernel's imports and validated data instead of loading them again).

        The namespace is reset in the same request (each request makes a new client), so the
        next notebook needs no reset request of its own."""
        import json
        module, _, name = function.partition(":")
        code = (f"import json as _json, importlib as _il\n"
                f"print(_json.dumps(getattr(_il.import_module({module!r}), {name!r})(*_json.loads({json.dumps(args)!r})),"
                f" ensure_ascii=False))\n"
                f"del _json, _il\n" + _RESET)
        with self.lock:
            if not self.alive():
                raise ReportError("kernel: not running")
            self._clean = False
            result = json.loads(self._run(code))
            self._clean = True
            return result

    def alive(self) -> bool:
        return self.km is not None and self.km.is_alive()

    def execute(self, notebook: str, output: str, parameters: dict) -> None:
        """Run ``notebook`` with ``parameters`` into ``output`` (papermill, in this kernel)."""
        import papermill
        with self.lock:
            if not self.alive():
                self.shutdown()
                self.start()
            if not self._clean:
                self._run(_RESET)
            if self._thread_count() > self._threads:
                # a thread the last notebook left running: the kernel sends what it prints to
                # the request running at the time, which would be this region's notebook
                self.shutdown()
                self.start()
                self.restarts += 1
            self._clean = False
            # written once at the end (or when a cell fails), not twice per cell as papermill's default does
            papermill.execute_notebook(notebook, output, parameters=parameters, kernel_name=KERNEL, km=self.km,
                                       progress_bar=False, log_output=False, execution_timeout=REGION_TIMEOUT,
                                       request_save_on_cell_execute=False)

    def shutdown(self) -> None:
        try:
            if self.km is not None and self.km.has_kernel:
                self.km.shutdown_kernel(now=True)
        except Exception:  # noqa: BLE001 - best effort at exit
            pass
        self.km = None
        if self._sockets:
            shutil.rmtree(self._sockets, ignore_errors=True)
            self._sockets = None


_KERNEL: WarmKernel | None = None
_KERNEL_LOCK = threading.Lock()


def warm_kernel(cwd: str) -> WarmKernel:
    """This process's warm kernel (started on first use, shut down at exit)."""
    global _KERNEL
    with _KERNEL_LOCK:
        if _KERNEL is None:
            _KERNEL = WarmKernel(cwd)
            _KERNEL.start()
            atexit.register(_KERNEL.shutdown)
        return _KERNEL

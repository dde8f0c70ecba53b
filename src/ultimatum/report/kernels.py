"""Executing a notebook with papermill on a quiet, local kernel.

Kernels talk over local sockets in a folder of their own (IPC), not TCP:
nothing listens on the network, and ipykernel has no plain-TCP warning to
print. Their own log stays quiet: a cell's error reaches papermill as an
error output, not through the kernel's log. A kernel can be started ahead
(:func:`started`), so that it is ready when the notebook's turn comes."""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jupyter_client.manager import AsyncKernelManager

KERNEL = "python3"
#: Arguments of every kernel: its log says nothing papermill does not already report.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]


def config(sockets: str | Path) -> Any:
    """The traitlets config of a kernel whose sockets are files in ``sockets``."""
    from traitlets.config import Config
    cfg = Config()
    cfg.KernelManager.transport = "ipc"
    cfg.KernelManager.ip = str(Path(sockets) / "kernel")
    cfg.NotebookClient.extra_arguments = list(KERNEL_ARGUMENTS)
    return cfg


@contextmanager
def started(sockets: str | Path, cwd: str | Path) -> Iterator[AsyncKernelManager]:
    """A kernel started now in ``cwd`` (it loads while other work runs), shut down on leaving."""
    from jupyter_client.manager import AsyncKernelManager
    km = AsyncKernelManager(kernel_name=KERNEL, config=config(sockets))
    asyncio.run(_done(km.start_kernel(cwd=str(cwd), extra_arguments=list(KERNEL_ARGUMENTS))))
    try:
        yield km
    finally:
        asyncio.run(_done(km.shutdown_kernel(now=True)))


async def _done(step: Awaitable[Any]) -> None:
    await step


def execute(notebook: Path, target: Path, params: dict, sockets: str | Path,
            km: AsyncKernelManager | None = None) -> Path:
    """Run ``notebook`` with ``params`` into ``target`` on ``km`` (started in
    the notebook's folder), else on a kernel of its own started there.

    The kernel, not papermill, is given the working folder: papermill would
    change the whole process's folder while it runs, which notebooks run side
    by side in threads must not do."""
    import papermill as pm
    if km is None:
        with started(sockets, notebook.parent) as own:
            return execute(notebook, target, params, sockets, own)
    pm.execute_notebook(str(Path(notebook).resolve()), str(Path(target).resolve()), parameters=params,
                        kernel_name=KERNEL, progress_bar=False, log_output=False, config=config(sockets), km=km)
    return target

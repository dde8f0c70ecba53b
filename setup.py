"""Build step that pyproject.toml cannot express: the notebooks.

The notebooks are edited in the top-level ``notebooks/`` folder; a built
package (``pip install .``, ``python -m build``) carries a copy of them as
``ultimatum/notebooks/``, so ``ultimatum report`` runs when installed from a
wheel. Everything else is configured in pyproject.toml."""
from __future__ import annotations

import os
from glob import glob

from setuptools import setup
from setuptools.command.build_py import build_py

#: The notebooks' folder in the project and in the built package.
SOURCE_DIR = "notebooks"
PACKAGE_DIR = os.path.join("ultimatum", "notebooks")


class build_py_with_notebooks(build_py):
    """build_py that also copies ``notebooks/*.ipynb`` into the package."""

    def _notebooks(self) -> dict[str, str]:
        """Built file -> project file, for every notebook."""
        sources = sorted(glob(os.path.join(SOURCE_DIR, "*.ipynb")))
        if not sources:
            raise FileNotFoundError(f"no notebooks in {SOURCE_DIR}/: the package would not run its report")
        target = os.path.join(self.build_lib, PACKAGE_DIR)
        return {os.path.join(target, os.path.basename(source)): source for source in sources}

    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads the project's notebooks/
            return
        for target, source in self._notebooks().items():
            self.mkpath(os.path.dirname(target))
            self.copy_file(source, target)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = super().get_outputs(include_bytecode)
        return outputs if self.editable_mode else [*outputs, *self._notebooks()]

    def get_output_mapping(self) -> dict[str, str]:
        return {**super().get_output_mapping(), **self._notebooks()}


setup(cmdclass={"build_py": build_py_with_notebooks})

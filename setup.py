"""Ship the data package inside the wheel without a second copy of it in the repository.

At wheel-build time, datapackage.json, schemas/, data/ and seeds/ are copied from the clone's root
into spacecoop/_data/ of the build tree, where `spacecoop.paths.default_package_dir()` finds them
when spacecoop is installed from the wheel. Everything else is configured in pyproject.toml.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
PACKAGE_FILES = ("datapackage.json", "CITATION.cff")
PACKAGE_DIRS = ("schemas", "data", "seeds")


class build_py_with_data(build_py):
    def run(self) -> None:
        super().run()
        # An editable install reads the clone itself; only a real build gets the copy.
        if getattr(self, "editable_mode", False) or not (ROOT / "datapackage.json").is_file():
            return
        target = Path(self.build_lib) / "spacecoop" / "_data"
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        for name in PACKAGE_FILES:
            if (ROOT / name).is_file():
                shutil.copy2(ROOT / name, target / name)
        for name in PACKAGE_DIRS:
            shutil.copytree(ROOT / name, target / name)


# build/ holds the curation files: setuptools' scratch space goes elsewhere.
setup(cmdclass={"build_py": build_py_with_data}, options={"build": {"build_base": ".wheel-build"}, "bdist_wheel": {"bdist_dir": ".wheel-build/bdist"}})

"""claimtrack: keep the factual claims of many documents as YAML and show where they disagree."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from claimtrack.dataset import load_folder
    from claimtrack.report import analyze

__all__ = ["__version__", "analyze", "load_folder"]


def __getattr__(name: str) -> Any:
    # Re-exports are lazy so that `claimtrack --version` does not import pydantic.
    if name == "load_folder":
        from claimtrack.dataset import load_folder

        return load_folder
    if name == "analyze":
        from claimtrack.report import analyze

        return analyze
    raise AttributeError(name)

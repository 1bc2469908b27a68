"""Importers: ModernGov exports (text minutes, PDF-extracted agenda packs, mgWebService
GetMeeting XML) → documents, ready for :mod:`tuibrowser.writer`."""

from .base import (
    MAX_IMPORT_BYTES,
    ImportedDocument,
    ImportFailure,
    ImportResult,
    decode,
)
from .detect import FORMATS, detect
from .run import SKIPPED, import_bytes, import_file, import_text, planned_name, write_documents

__all__ = [
    "FORMATS",
    "MAX_IMPORT_BYTES",
    "SKIPPED",
    "ImportFailure",
    "ImportResult",
    "ImportedDocument",
    "decode",
    "detect",
    "import_bytes",
    "import_file",
    "import_text",
    "planned_name",
    "write_documents",
]

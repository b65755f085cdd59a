"""Stage 6, report: renderers over pipeline results (JSON records per INTERFACE.md, ...)."""

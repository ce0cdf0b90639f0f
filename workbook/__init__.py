"""The spreadsheet side: layout (single source of names), template and sample, book adapters,
the backend-agnostic refresh, the 汇总 sheet and the package-safety checks."""

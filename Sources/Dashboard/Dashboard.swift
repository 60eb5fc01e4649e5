// The Dashboard module; see docs/ARCHITECTURE.md.

// The TestSupport module; see docs/ARCHITECTURE.md.

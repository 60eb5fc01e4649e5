// The BatchEmulator module; see docs/ARCHITECTURE.md.

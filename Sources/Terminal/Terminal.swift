// The Terminal module; see docs/ARCHITECTURE.md.

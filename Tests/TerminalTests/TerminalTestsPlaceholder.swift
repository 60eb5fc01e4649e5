// Keeps the TerminalTests target buildable until its real tests land; delete when they do.

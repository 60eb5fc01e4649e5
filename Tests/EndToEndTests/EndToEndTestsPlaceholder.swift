// Keeps the EndToEndTests target buildable until its real tests land; delete when they do.

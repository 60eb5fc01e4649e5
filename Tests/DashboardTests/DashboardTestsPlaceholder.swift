// Keeps the DashboardTests target buildable until its real tests land; delete when they do.

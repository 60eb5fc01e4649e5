import Dashboard

/// What the dashboard runtime needs from the rest of batchtop: snapshots from the store, and
/// effects performed off the main thread with results posted back through the mailbox.
///
/// The integrator implements it over BatchKit (store reads, sync worker, operations); tests use
/// an in-memory fake.
protocol DashboardBackend: Sendable {
    /// The current snapshots (jobs, freshness, queue, spend, decisions) read synchronously from the
    /// store, for `--once`.
    func initialActions() throws -> [Action]
    /// Starts background work: the first snapshots, then worker events and fresh snapshots, are
    /// posted to `mailbox`.
    func start(mailbox: DashboardMailbox)
    /// Performs an effect asynchronously (never blocking the caller); the outcome is posted to
    /// `mailbox`, for writes as `.operationFinished`.
    func perform(_ effect: Effect, mailbox: DashboardMailbox)
    /// Stops background work; called once when the dashboard quits.
    func stop()
}

/// Everything that can change the dashboard: keys, resizes, time, and data from the worker.
public enum Action: Hashable, Sendable {
    case key(Key)
    case resize(width: Int, height: Int)
    /// The clock moved; the only way the dashboard learns the time.
    case tick(now: Int64)
    /// The whole job list, replacing what is shown.
    case jobsLoaded([JobRow])
    /// Jobs that are new or changed since the last load or change; the rest stay as they are.
    case jobsChanged([JobRow])
    case freshness(Freshness)
    case queueLoaded(QueueSnapshot)
    case spendLoaded(SpendSnapshot)
    case decisionsLoaded([DecisionRow])
    case jobDetailLoaded(JobDetail)
    case operationFinished(OperationResult)
    /// The runtime's answer to `.setPaused`, or polling paused elsewhere.
    case pausedChanged(Bool)
}

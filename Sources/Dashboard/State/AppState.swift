import BatchKit

/// Everything the dashboard shows, changed only by `reduce`.
public struct AppState: Sendable {
    /// Account, lanes and start-up flags.
    public var context: DashboardContext
    /// Screen width in cells, from the last resize.
    public var width: Int
    /// Screen height in cells, from the last resize.
    public var height: Int
    /// The time from the last tick (unix seconds); the dashboard never reads a clock.
    public var now: Int64

    /// The pane shown (below the detail view, when that is open).
    public var pane: Pane = .jobs
    /// Whether keys go to the panes, the `/` filter or the `:` command line.
    public var input: InputMode = .normal
    /// All jobs with their sorted and filtered index.
    public var jobs = JobList()
    /// The selected job, kept by id across sorting, filtering and reloads.
    public var selectedJobID: String?
    /// Position of the selection in the visible list.
    public var cursor: Int = 0
    /// First visible list row.
    public var scrollTop: Int = 0
    /// Jobs marked with space for a bulk action.
    public var marked: Set<String> = []
    /// Jobs new or changed in the last load; highlighted until the next one.
    public var changedIDs: Set<String> = []
    /// Whether at least one job list has been loaded.
    public var jobsLoadedOnce = false

    /// When data last arrived, and the last error.
    public var freshness = Freshness()
    /// Whether the view is frozen (`p`).
    public var paused = false
    /// The latest job list that arrived while paused; applied on resume.
    public var heldJobs: [JobRow]?
    /// Changed jobs that arrived while paused (the newest row per id); applied on resume after `heldJobs`.
    public var heldChanges: [String: JobRow] = [:]
    /// The Queue pane's data; nil until loaded.
    public var queue: QueueSnapshot?
    /// The Spend pane's data; nil until loaded.
    public var spend: SpendSnapshot?
    /// Routing decisions, pending and decided.
    public var decisions: [DecisionRow] = []
    /// The selected decision, kept by id.
    public var selectedDecisionID: String?
    /// Position of the selected decision in `orderedDecisions`.
    public var decisionCursor: Int = 0

    /// The job detail view, when open (it sits above the panes; Esc closes it).
    public var detail: DetailState?
    /// The open confirmation dialog, if any.
    public var dialog: Dialog?
    /// Help overlay open, with its scroll offset.
    public var helpScroll: Int?
    /// The message shown above the hint bar until it expires.
    public var toast: Toast?
    /// Set once quit was requested; the runtime stops after this frame.
    public var quitting = false
    /// Scroll offset of the Spend and Queue panes (they can be taller than the screen).
    public var paneScroll: Int = 0

    public init(context: DashboardContext, width: Int = 80, height: Int = 24, now: Int64 = 0) {
        self.context = context; self.width = width; self.height = height; self.now = now
    }

    /// The selected job's row, if any.
    public var selectedJob: JobRow? { selectedJobID.flatMap { jobs.row(id: $0) } }

    /// The selected decision, if any.
    public var selectedDecision: DecisionRow? {
        selectedDecisionID.flatMap { id in decisions.first { $0.id == id } }
    }

    /// Decisions in display order: pending first (oldest first), then history (newest first).
    public var orderedDecisions: [DecisionRow] {
        let pending = decisions.filter { $0.state == .pending }.sorted { ($0.requestedAt, $0.id) < ($1.requestedAt, $1.id) }
        let history = decisions.filter { $0.state != .pending }
            .sorted { ($0.decidedAt ?? $0.requestedAt, $0.id) > ($1.decidedAt ?? $1.requestedAt, $1.id) }
        return pending + history
    }

    /// Where keys are interpreted now, for the key map and the hint bar.
    public var keyContext: KeyContext {
        if helpScroll != nil { return .help }
        if dialog != nil { return .dialog }
        if detail != nil { return .detail }
        switch pane {
        case .jobs: return .jobs
        case .queue: return .queue
        case .spend: return .spend
        case .decisions: return .decisions
        }
    }

    /// Jobs-pane list rows that fit on screen (below the header, tab bar and column titles).
    public var listViewportHeight: Int { max(1, height - Layout.chromeRows - 1) }
}

/// Fixed layout sizes shared by the reducer (paging) and the renderer.
public enum Layout {
    /// Rows used by the header (2), the tab bar (1) and the bottom bar (1).
    public static let chromeRows = 4
    /// The smallest screen the layout supports.
    public static let minWidth = 60
    /// The smallest height the layout supports.
    public static let minHeight = 15
}

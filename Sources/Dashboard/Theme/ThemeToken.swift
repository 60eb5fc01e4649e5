/// A semantic colour role; themes assign a style to each, the renderer asks only for roles.
public enum ThemeToken: String, CaseIterable, Sendable, Hashable {
    case fg, bg, muted, accent, border, title, selection, marked, changed, header
    case danger, warn, ok, stale, info
    case badgePaused = "badge.paused"
    case badgeReadOnly = "badge.readonly"
    case statusValidating = "status.validating"
    case statusInProgress = "status.in_progress"
    case statusFinalizing = "status.finalizing"
    case statusCompleted = "status.completed"
    case statusFailed = "status.failed"
    case statusExpired = "status.expired"
    case statusCancelling = "status.cancelling"
    case statusCancelled = "status.cancelled"
    case statusUnknown = "status.unknown"
    case laneRealtime = "lane.realtime"
    case laneBatch = "lane.batch"
    case gaugeFill = "gauge.fill"
    case gaugeEmpty = "gauge.empty"
    case gaugeWarn = "gauge.warn"
    case gaugeCritical = "gauge.critical"
    case dialog, input
    case hintKey = "hint.key"
    case hintText = "hint.text"
    case toastInfo = "toast.info"
    case toastOK = "toast.ok"
    case toastError = "toast.error"

    /// The token a provider status is drawn with; unknown statuses get `status.unknown`.
    public static func status(_ raw: String) -> ThemeToken {
        ThemeToken(rawValue: "status." + raw) ?? .statusUnknown
    }

    /// Position in `allCases`, for array-backed lookups in the render loop.
    @usableFromInline
    static let ordinals: [ThemeToken: Int] = Dictionary(
        uniqueKeysWithValues: allCases.enumerated().map { ($1, $0) })
}

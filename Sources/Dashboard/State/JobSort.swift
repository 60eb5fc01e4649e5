/// The column the Jobs pane is sorted by; `s` cycles through them in this order.
public enum SortColumn: String, CaseIterable, Sendable, Hashable {
    case age, status, id, workload, lane, model, progress, eta, expiry, cost

    /// The next column in the cycle.
    public var next: SortColumn {
        let all = SortColumn.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}

/// A sort order: column and direction.
public struct JobSort: Hashable, Sendable, CustomStringConvertible {
    /// The column sorted by.
    public var column: SortColumn
    /// Whether the order is reversed.
    public var reversed: Bool

    /// Newest first.
    public init(column: SortColumn = .age, reversed: Bool = false) { self.column = column; self.reversed = reversed }

    public var description: String { column.rawValue + (reversed ? " (reversed)" : "") }

    /// Lifecycle rank used by the status sort: work needing attention first.
    static func rank(_ s: BatchStatus) -> Int {
        switch s {
        case .failed: return 0
        case .expired: return 1
        case .inProgress: return 2
        case .finalizing: return 3
        case .validating: return 4
        case .cancelling: return 5
        case .completed: return 7
        case .cancelled: return 8
        default: return 6
        }
    }
}

import BatchKit

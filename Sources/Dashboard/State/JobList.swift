import BatchKit

/// The jobs in state plus a cached sorted and filtered index of them.
///
/// Rule: the index is rebuilt only when jobs, sort or filter change, and a filter that only
/// narrows refines the previous result, why: with 100,000 jobs a frame must not sort or scan.
public struct JobList: Sendable {
    /// Jobs in load order.
    public private(set) var rows: [JobRow] = []
    private var positionByID: [String: Int] = [:]
    /// Lower-cased search fields per row, built on the first filter (not needed for the first frame).
    private var search: [SearchFields] = []
    private var searchBuilt = false
    /// Every row index in sort order.
    private var sorted: [Int32] = []
    /// Row indices that pass the filter, in sort order: what the pane shows.
    public private(set) var visible: [Int32] = []
    /// The current sort order.
    public private(set) var sort = JobSort()
    /// The current filter.
    public private(set) var filter = JobFilter("")
    /// Jobs not yet terminal, counted once per load for the header.
    public private(set) var inFlight = 0

    public init() {}

    /// Number of jobs in total.
    public var count: Int { rows.count }

    /// The job shown at a visible position.
    public func visibleRow(_ i: Int) -> JobRow { rows[Int(visible[i])] }

    /// A job by id.
    public func row(id: String) -> JobRow? { positionByID[id].map { rows[$0] } }

    /// The visible position of a job, if it passes the filter.
    public func visibleIndex(of id: String) -> Int? {
        guard let p = positionByID[id] else { return nil }
        let target = Int32(p)
        return visible.firstIndex(of: target)
    }

    /// Replaces all jobs; returns the ids that are new or changed since the previous load.
    public mutating func load(_ newRows: [JobRow], now: Int64) -> Set<String> {
        var changed = Set<String>()
        let hadRows = !rows.isEmpty
        var positions: [String: Int] = [:]
        positions.reserveCapacity(newRows.count)
        var fields: [SearchFields] = []
        if searchBuilt { fields.reserveCapacity(newRows.count) }
        // Keep the caller's array (no copy) unless it repeats an id; a duplicate keeps its first row.
        var kept: [JobRow]? = nil
        for (i, r) in newRows.enumerated() {
            if positions[r.id] != nil {
                if kept == nil { kept = Array(newRows[..<i]) }
                continue
            }
            var same = false
            if hadRows {
                if let old = positionByID[r.id] {
                    same = rows[old] == r
                    if !same { changed.insert(r.id) } else if searchBuilt { fields.append(search[old]) }
                } else {
                    changed.insert(r.id)
                }
            }
            if searchBuilt && !same { fields.append(SearchFields(r)) }
            positions[r.id] = positions.count
            kept?.append(r)
        }
        rows = kept ?? newRows
        positionByID = positions
        search = fields
        inFlight = rows.reduce(0) { $0 + ($1.status.isTerminal ? 0 : 1) }
        resort(now: now)
        return changed
    }

    /// Replaces or adds the given rows by id, keeping every other row; returns the ids whose row
    /// is new or differs from before. The index is rebuilt only when something differs.
    public mutating func apply(_ changes: [JobRow], now: Int64) -> Set<String> {
        var changed = Set<String>()
        for r in changes {
            if let p = positionByID[r.id] {
                if rows[p] == r { continue }
                inFlight += (r.status.isTerminal ? 0 : 1) - (rows[p].status.isTerminal ? 0 : 1)
                rows[p] = r
                if searchBuilt { search[p] = SearchFields(r) }
            } else {
                positionByID[r.id] = rows.count
                rows.append(r)
                if searchBuilt { search.append(SearchFields(r)) }
                inFlight += r.status.isTerminal ? 0 : 1
            }
            changed.insert(r.id)
        }
        if !changed.isEmpty { resort(now: now) }
        return changed
    }

    /// Changes the sort order and rebuilds the index.
    public mutating func setSort(_ newSort: JobSort, now: Int64) {
        sort = newSort
        resort(now: now)
    }

    /// Changes the filter, refining the previous result when the new filter only narrows it.
    public mutating func setFilter(_ newFilter: JobFilter) {
        let old = filter
        filter = newFilter
        if newFilter.text == old.text { return }
        ensureSearch()
        if !old.isEmpty && newFilter.narrows(old) {
            visible = visible.filter { newFilter.matches(search[Int($0)]) }
        } else {
            refilter()
        }
    }

    private mutating func refilter() {
        if filter.isEmpty { visible = sorted; return }
        ensureSearch()
        let f = filter
        visible = sorted.filter { f.matches(search[Int($0)]) }
    }

    private mutating func ensureSearch() {
        guard !searchBuilt else { return }
        search = rows.map(SearchFields.init)
        searchBuilt = true
    }

    private mutating func resort(now: Int64) {
        var idx = (0..<Int32(rows.count)).map { $0 }
        let rows = self.rows
        let reversed = sort.reversed
        func numeric(_ key: (JobRow) -> Int64) {
            let keys = rows.map(key)
            idx.sort { a, b in
                let ka = keys[Int(a)], kb = keys[Int(b)]
                if ka != kb { return reversed ? ka > kb : ka < kb }
                return rows[Int(a)].createdAt > rows[Int(b)].createdAt
                    || (rows[Int(a)].createdAt == rows[Int(b)].createdAt && rows[Int(a)].id < rows[Int(b)].id)
            }
        }
        func text(_ key: (JobRow) -> String) {
            let keys = rows.map(key)
            idx.sort { a, b in
                let ka = keys[Int(a)], kb = keys[Int(b)]
                if ka != kb { return reversed ? ka > kb : ka < kb }
                return rows[Int(a)].id < rows[Int(b)].id
            }
        }
        let far = Int64.max / 2
        switch sort.column {
        case .age: numeric { -$0.createdAt }  // newest (smallest age) first
        case .status: numeric { Int64(JobSort.rank($0.displayStatus)) }
        case .id: text { $0.id }
        case .workload: text { $0.workload ?? "~" }
        case .lane: text { $0.lane.rawValue }
        case .model: text { $0.model ?? "~" }
        case .progress: numeric { Int64($0.progress * 1_000_000) }
        case .eta: numeric { $0.eta(now: now) ?? far }
        case .expiry: numeric { $0.timeToExpiry(now: now) ?? far }
        case .cost: numeric { -($0.costSoFar?.value ?? -1) }  // most expensive first
        }
        sorted = idx
        refilter()
    }
}

/// The `/` filter: words that must all appear, `key=value` terms for one field, `!` to invert.
///
/// Every term is a case-insensitive "contains", why: typing one more letter then only narrows the
/// matches, so the list can be filtered incrementally from the previous result.
public struct JobFilter: Hashable, Sendable {
    /// One term: a field key (`lane`, `status`, `workload`, `model`, `endpoint`, `id`) or any field.
    public struct Term: Hashable, Sendable {
        public var key: String?
        public var value: String
    }

    public var terms: [Term]
    public var inverted: Bool
    /// The text as typed.
    public var text: String

    /// The field keys a term may name.
    public static let keys = ["id", "status", "workload", "lane", "model", "endpoint"]

    /// Parses the filter text; unknown keys are searched as plain words.
    public init(_ text: String) {
        self.text = text
        var t = Substring(text)
        while t.first == " " { t = t.dropFirst() }
        inverted = t.first == "!"
        if inverted { t = t.dropFirst() }
        terms = t.lowercased().split(separator: " ").map { word in
            if let eq = word.firstIndex(of: "="), Self.keys.contains(String(word[..<eq])) {
                return Term(key: String(word[..<eq]), value: String(word[word.index(after: eq)...]))
            }
            return Term(key: nil, value: String(word))
        }
    }

    /// Whether the filter lets everything through.
    public var isEmpty: Bool { terms.isEmpty }

    /// Whether every job this filter matches also matched `old`, so it can filter `old`'s result.
    public func narrows(_ old: JobFilter) -> Bool {
        guard !inverted, !old.inverted, terms.count >= old.terms.count else { return false }
        for (i, o) in old.terms.enumerated() where terms[i].key != o.key || !terms[i].value.contains(o.value) {
            return false
        }
        return true
    }

    /// Whether a job (given its lower-cased search fields) passes.
    func matches(_ fields: SearchFields) -> Bool {
        if terms.isEmpty { return true }
        var all = true
        for term in terms {
            let hit: Bool
            switch term.key {
            case nil: hit = fields.all.contains(term.value)
            case "id": hit = fields.id.contains(term.value)
            case "status": hit = fields.status.contains(term.value)
            case "workload": hit = fields.workload.contains(term.value)
            case "lane": hit = fields.lane.contains(term.value)
            case "model": hit = fields.model.contains(term.value)
            default: hit = fields.endpoint.contains(term.value)
            }
            if !hit { all = false; break }
        }
        return all != inverted
    }
}

/// A job's searchable fields, lower-cased once when the job is loaded.
struct SearchFields: Hashable, Sendable {
    var id, status, workload, lane, model, endpoint, all: String

    init(_ row: JobRow) {
        id = row.id.lowercased()
        status = row.displayStatus.rawValue.lowercased() + " " + row.displayStatus.rawValue.replacingOccurrences(of: "_", with: " ")
        workload = TextSanitizer.sanitize(row.job.workload ?? "").lowercased()
        lane = row.job.lane.rawValue
        model = TextSanitizer.sanitize(row.job.batch.model ?? "").lowercased()
        endpoint = row.job.batch.endpoint.lowercased()
        all = [id, status, workload, lane, model, endpoint].joined(separator: " ")
    }
}

import Foundation

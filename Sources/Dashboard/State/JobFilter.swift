/// The `/` filter: words that must all appear, `key=value` terms for one field, `!` to invert.
///
/// Every term is a case-insensitive "contains", why: typing one more letter then only narrows the
/// matches, so the list can be filtered incrementally from the previous result.
public struct JobFilter: Hashable, Sendable {
    /// One term: a field key (`lane`, `status`, `workload`, `model`, `endpoint`, `id`) or any field.
    public struct Term: Hashable, Sendable {
        /// The field, or nil for any field.
        public var key: String?
        /// The lower-cased text the field must contain.
        public var value: String
    }

    /// The terms, all of which must match.
    public var terms: [Term]
    /// Whether the filter shows the jobs that do not match (`!`).
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
            case nil: hit = fields.containsAnywhere(term.value)
            case "id": hit = SearchFields.contains(fields.id, term.value)
            case "status": hit = SearchFields.contains(fields.status, term.value)
            case "workload": hit = SearchFields.contains(fields.workload, term.value)
            case "lane": hit = SearchFields.contains(fields.lane, term.value)
            case "model": hit = SearchFields.contains(fields.model, term.value)
            default: hit = SearchFields.contains(fields.endpoint, term.value)
            }
            if !hit { all = false; break }
        }
        return all != inverted
    }
}

/// A job's searchable fields, lower-cased once when the job is loaded.
///
/// Rule: a field already in lower case is kept as is (sharing the job's storage), why: with
/// 100,000 jobs per poll, allocating copies of ids and endpoints dominates the reload time.
struct SearchFields: Hashable, Sendable {
    var id, status, workload, lane, model, endpoint: String

    init(_ row: JobRow) {
        id = Self.lower(row.id)
        let raw = row.displayStatus.rawValue
        status = raw.contains("_") ? Self.lower(raw) + " " + Self.lower(raw).replacingOccurrences(of: "_", with: " ") : Self.lower(raw)
        workload = Self.lower(UntrustedText.sanitized(row.workload ?? ""))
        lane = row.lane.rawValue
        model = Self.lower(UntrustedText.sanitized(row.model ?? ""))
        endpoint = Self.lower(row.endpoint)
    }

    /// Whether any field contains `value` (a plain word of the filter).
    func containsAnywhere(_ value: String) -> Bool {
        Self.contains(id, value) || Self.contains(workload, value) || Self.contains(status, value)
            || Self.contains(model, value) || Self.contains(lane, value) || Self.contains(endpoint, value)
    }

    /// Substring search over UTF-8 bytes; both sides are already lower-cased and sanitised.
    ///
    /// Why not `String.contains`: it compares by grapheme with Unicode canonical equivalence,
    /// which is ~10x slower and unnecessary for a case-folded filter over normalised text.
    static func contains(_ haystack: String, _ needle: String) -> Bool {
        if needle.isEmpty { return true }
        var hay = haystack, ndl = needle
        return hay.withUTF8 { h in
            ndl.withUTF8 { n in
                let hc = h.count, nc = n.count
                guard nc <= hc else { return false }
                let first = n[0]
                var i = 0
                while i <= hc - nc {
                    if h[i] == first {
                        var j = 1
                        while j < nc && h[i + j] == n[j] { j += 1 }
                        if j == nc { return true }
                    }
                    i += 1
                }
                return false
            }
        }
    }

    static func lower(_ s: String) -> String {
        for b in s.utf8 where (b >= 0x41 && b <= 0x5A) || b >= 0x80 { return s.lowercased() }
        return s
    }
}

import BatchKit
import Foundation

import Foundation

/// A small valid instance of a JSON Schema, deterministic from a seed: what a structured-output answer holds.
///
/// Covers the subset structured outputs use: objects (required properties, every property when strict),
/// arrays (`minItems`, `prefixItems`, `uniqueItems`), strings (length bounds, common formats), numbers and
/// integers within their bounds and `multipleOf`, booleans, null, `enum` and `const` (first value), `$ref` to
/// anything inside the schema (`$defs`, `definitions`, `#`), `anyOf`/`oneOf` (first branch), `allOf` (merged)
/// and type lists. Recursion is bounded: past `softDepth` it takes branches that end (null, no `$ref`), past
/// `hardDepth` or `maxNodes` it writes null rather than loop.
struct SchemaInstance {
    static let softDepth = 12
    static let hardDepth = 48
    static let maxNodes = 20_000

    private let root: JSONValue
    private let strict: Bool
    private var rng: SeededGenerator
    private var nodes = 0
    /// Resolved `$ref`s: a schema points at the same few definitions again and again.
    private var references: [String: JSONValue?] = [:]

    private init(root: JSONValue, strict: Bool, seed: UInt64) {
        self.root = root
        self.strict = strict
        rng = SeededGenerator(seed: seed, stream: "schema")
    }

    /// An instance of `schema`, the same for the same seed.
    static func make(_ schema: ResponseSchema, seed: UInt64) -> JSON {
        var builder = SchemaInstance(root: schema.schema, strict: schema.strict, seed: seed)
        return builder.value(schema.schema, depth: 0, key: nil, variant: 0)
    }

    // MARK: Dispatch

    private mutating func value(_ schema: JSONValue, depth: Int, key: String?, variant: Int) -> JSON {
        nodes += 1
        guard depth < Self.hardDepth, nodes < Self.maxNodes else { return .null }
        guard case .object(var node) = schema else {
            // `true` admits anything; `false` admits nothing, so null is as good as any.
            return schema == .bool(true) ? .string(text(key: key, min: 1, max: nil)) : .null
        }
        if case .string(let reference)? = node["$ref"] {
            guard let target = resolve(reference), case .object(let resolved) = target else { return .null }
            node["$ref"] = nil
            // Keywords beside `$ref` still apply; the referenced ones come first.
            return value(.object(resolved.merging(node) { first, _ in first }), depth: depth + 1, key: key, variant: variant)
        }
        if let constant = node["const"] { return constant.json }
        if let options = node["enum"]?.array, !options.isEmpty { return options[variant % options.count].json }
        if let parts = node["allOf"]?.array, !parts.isEmpty {
            node["allOf"] = nil
            var merged = node
            for part in parts { merge(resolved(part), into: &merged) }
            return value(.object(merged), depth: depth + 1, key: key, variant: variant)
        }
        for keyword in ["anyOf", "oneOf"] {
            guard let branches = node[keyword]?.array, !branches.isEmpty else { continue }
            node[keyword] = nil
            var branch = branches[0]
            if depth >= Self.softDepth, let ending = branches.first(where: Self.ends) { branch = ending }
            var merged = node
            merge(resolved(branch), into: &merged)
            return value(.object(merged), depth: depth + 1, key: key, variant: variant)
        }
        switch type(of: node, depth: depth) {
        case "object": return object(node, depth: depth)
        case "array": return array(node, depth: depth)
        case "integer": return .int(integer(node, variant: variant))
        case "number": return number(node, variant: variant)
        case "boolean": return .bool((rng.next() & 1 == 0) != (variant % 2 == 1))
        case "null": return .null
        default: return .string(string(node, key: key, variant: variant))
        }
    }

    /// The type to build: the declared one (the first non-null of a list, null when deep), else inferred.
    private func type(of node: [String: JSONValue], depth: Int) -> String {
        if let name = node["type"]?.string { return name }
        if let names = node["type"]?.array?.compactMap(\.string), !names.isEmpty {
            if depth >= Self.softDepth, names.contains("null") { return "null" }
            return names.first { $0 != "null" } ?? "null"
        }
        if node["properties"] != nil || node["required"] != nil || node["additionalProperties"] != nil { return "object" }
        if node["items"] != nil || node["prefixItems"] != nil || node["minItems"] != nil { return "array" }
        if node["minimum"] != nil || node["maximum"] != nil || node["exclusiveMinimum"] != nil
            || node["exclusiveMaximum"] != nil || node["multipleOf"] != nil { return "number" }
        return "string"
    }

    /// Whether a branch ends recursion: no `$ref` at its top and not an object or array that could hold one.
    private static func ends(_ branch: JSONValue) -> Bool {
        guard case .object(let node) = branch else { return true }
        if node["$ref"] != nil { return false }
        if let type = node["type"]?.string { return type != "object" && type != "array" }
        return node["properties"] == nil && node["items"] == nil
    }

    // MARK: References

    /// The schema a `$ref` inside this document points at (`#`, `#/$defs/x`, `#/definitions/x`, any pointer).
    private mutating func resolve(_ reference: String) -> JSONValue? {
        if let known = references[reference] { return known }
        let target = Self.pointer(reference, in: root)
        references[reference] = target
        return target
    }

    private static func pointer(_ reference: String, in root: JSONValue) -> JSONValue? {
        guard reference.hasPrefix("#") else { return nil }
        var pointer = String(reference.dropFirst())
        pointer = pointer.removingPercentEncoding ?? pointer
        if pointer.isEmpty { return root }
        guard pointer.hasPrefix("/") else { return nil }
        var current = root
        for raw in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            let token = raw.contains("~") ? raw.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
                                          : String(raw)
            switch current {
            case .object(let pairs):
                guard let next = pairs[token] else { return nil }
                current = next
            case .array(let items):
                guard let index = Int(token), items.indices.contains(index) else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }

    /// A branch with its top-level `$ref` followed (one hop), for merging.
    private mutating func resolved(_ schema: JSONValue) -> JSONValue {
        guard case .object(var node) = schema, let reference = node["$ref"]?.string,
              case .object(let target)? = resolve(reference) else { return schema }
        node["$ref"] = nil
        return .object(target.merging(node) { first, _ in first })
    }

    /// Adds `part`'s keywords to `node`: properties and required lists are united, other keywords kept if set.
    private func merge(_ part: JSONValue, into node: inout [String: JSONValue]) {
        guard case .object(let pairs) = part else { return }
        for (key, value) in pairs {
            switch (key, node[key], value) {
            case ("properties", .object(let mine)?, .object(let theirs)):
                node[key] = .object(mine.merging(theirs) { first, _ in first })
            case ("required", .array(let mine)?, .array(let theirs)):
                node[key] = .array(mine + theirs.filter { !mine.contains($0) })
            case (_, nil, _):
                node[key] = value
            default:
                break
            }
        }
    }

    // MARK: Types

    private mutating func object(_ node: [String: JSONValue], depth: Int) -> JSON {
        let properties = node["properties"]?.object ?? [:]
        var keys: [String] = []
        for name in node["required"]?.array?.compactMap(\.string) ?? [] where !keys.contains(name) { keys.append(name) }
        let optional = properties.keys.sorted().filter { !keys.contains($0) }
        if strict, depth < Self.softDepth { keys += optional }
        let wanted = Int(max(0, min(node["minProperties"]?.integer ?? 0, 1_000)))
        for name in optional where keys.count < wanted && !keys.contains(name) { keys.append(name) }
        let extra = node["additionalProperties"]
        var counter = 1
        while keys.count < wanted, extra != .bool(false), counter <= wanted {
            let name = "field_\(counter)"
            if properties[name] == nil, !keys.contains(name) { keys.append(name) }
            counter += 1
        }
        var pairs: [(String, JSON)] = []
        pairs.reserveCapacity(keys.count)
        for name in keys {
            let schema = properties[name] ?? (extra.flatMap { $0 == .bool(false) ? nil : $0 } ?? .object([:]))
            pairs.append((name, value(schema, depth: depth + 1, key: name, variant: 0)))
        }
        return .object(pairs)
    }

    private mutating func array(_ node: [String: JSONValue], depth: Int) -> JSON {
        let count = max(0, Int(min(node["minItems"]?.integer ?? 0, 1_000)))
        // Draft 2020-12: prefixItems then items; older drafts: an items list then additionalItems.
        let prefix = node["prefixItems"]?.array ?? node["items"]?.array ?? []
        let rest = node["prefixItems"] != nil ? node["items"] : (node["items"]?.array != nil ? node["additionalItems"] : node["items"])
        let unique = node["uniqueItems"]?.bool == true
        var items: [JSON] = []
        items.reserveCapacity(count)
        for index in 0..<count {
            let schema = index < prefix.count ? prefix[index] : (rest ?? .object([:]))
            // Enums and numbers step through their values only where items must differ.
            var item = value(schema, depth: depth + 1, key: nil, variant: unique ? index : 0)
            var attempt = 1
            while unique, items.contains(item), attempt < 16 {
                item = value(schema, depth: depth + 1, key: nil, variant: index + attempt * count)
                attempt += 1
            }
            items.append(item)
        }
        return .array(items)
    }

    /// `value` as an integer within ±1e15, so hostile bounds cannot overflow the arithmetic below.
    private static func bounded(_ value: Double) -> Int64 { Int64(max(-1e15, min(1e15, value.isNaN ? 0 : value))) }

    private mutating func integer(_ node: [String: JSONValue], variant: Int) -> Int64 {
        var low = node["minimum"]?.number.map { Self.bounded(ceil($0)) }
        var high = node["maximum"]?.number.map { Self.bounded(floor($0)) }
        // Draft 2020-12 exclusive bounds are numbers; draft 4 ones are booleans modifying minimum/maximum.
        if let bound = node["exclusiveMinimum"]?.number { low = max(low ?? .min, Self.bounded(floor(bound)) + 1) }
        if node["exclusiveMinimum"]?.bool == true, let bound = node["minimum"]?.number { low = Self.bounded(floor(bound)) + 1 }
        if let bound = node["exclusiveMaximum"]?.number { high = min(high ?? .max, Self.bounded(ceil(bound)) - 1) }
        if node["exclusiveMaximum"]?.bool == true, let bound = node["maximum"]?.number { high = Self.bounded(ceil(bound)) - 1 }
        var candidate: Int64
        switch (low, high) {
        case let (low?, high?) where high >= low:
            candidate = low + Int64(rng.int(in: 0...Int(min(high - low, 100))))
        case let (low?, _):
            candidate = low + Int64(rng.int(in: 0...20))
        case let (nil, high?):
            candidate = high - Int64(rng.int(in: 0...20))
        case (nil, nil):
            candidate = Int64(rng.int(in: 1...100))
        }
        if let given = node["multipleOf"]?.integer, given > 0 {
            let step = min(given, 1_000_000_000_000)
            candidate = (candidate + Int64(variant) * step + step - 1) / step * step
            if let high, candidate > high { candidate = high / step * step }
            if let low, candidate < low { candidate = (low + step - 1) / step * step }
        } else {
            candidate += Int64(variant)
        }
        if let high, candidate > high { candidate = max(low ?? high, high - Int64(variant % 50)) }
        return candidate
    }

    private mutating func number(_ node: [String: JSONValue], variant: Int) -> JSON {
        if node["multipleOf"]?.number != nil, node["multipleOf"]?.integer != nil { return .int(integer(node, variant: variant)) }
        var low = node["minimum"]?.number
        var high = node["maximum"]?.number
        var lowOpen = node["exclusiveMinimum"]?.bool == true
        var highOpen = node["exclusiveMaximum"]?.bool == true
        if let bound = node["exclusiveMinimum"]?.number, bound >= (low ?? -.infinity) { low = bound; lowOpen = true }
        if let bound = node["exclusiveMaximum"]?.number, bound <= (high ?? .infinity) { high = bound; highOpen = true }
        let fraction = 0.2 + 0.6 * rng.unit()
        var candidate: Double
        switch (low, high) {
        case let (low?, high?): candidate = low + (high - low) * fraction
        case let (low?, nil): candidate = low + 1 + Double(rng.int(in: 0...20)) + fraction
        case let (nil, high?): candidate = high - 1 - Double(rng.int(in: 0...20)) - fraction
        case (nil, nil): candidate = Double(rng.int(in: 0...99)) + fraction
        }
        if low == nil || high == nil { candidate += Double(variant) * (high == nil ? 1 : -1) }
        let rounded = (candidate * 100).rounded() / 100
        func inside(_ x: Double) -> Bool {
            if let low, lowOpen ? x <= low : x < low { return false }
            if let high, highOpen ? x >= high : x > high { return false }
            return true
        }
        if inside(rounded) { return .double(rounded) }
        if inside(candidate) { return .double(candidate) }
        return .double(low ?? high ?? 0)
    }

    private mutating func string(_ node: [String: JSONValue], key: String?, variant: Int) -> String {
        let minimum = Int(max(0, min(node["minLength"]?.integer ?? 0, 10_000)))
        let maximum = node["maxLength"]?.integer.map { Int(max(0, $0)) }
        let base: String
        switch node["format"]?.string {
        case "date-time"?: base = date(variant: variant) + "T" + time(variant: variant) + "Z"
        case "date"?: base = date(variant: variant)
        case "time"?: base = time(variant: variant) + "Z"
        case "email"?, "idn-email"?: base = "\(Self.words[pick(Self.words.count, variant)]).\(variant + 1)@example.com"
        case "uri"?, "url"?, "iri"?: base = "https://example.com/\(Self.words[pick(Self.words.count, variant)])/\(variant + 1)"
        case "hostname"?, "idn-hostname"?: base = "host\(variant + 1).example.com"
        case "ipv4"?: base = "192.0.2.\(1 + (pick(200, 0) + variant) % 254)"
        case "ipv6"?: base = "2001:db8::\(String(pick(0xffff, 0) + variant, radix: 16))"
        case "uuid"?: base = uuid()
        case "duration"?: base = "PT\(1 + pick(48, variant))H"
        default: return text(key: key, min: max(1, minimum), max: maximum, variant: variant)
        }
        return fit(base, min: minimum, max: maximum)
    }

    // MARK: Text

    static let words = ["summary", "refund", "invoice", "account", "order", "review", "shipping", "policy",
                        "ticket", "answer", "update", "customer", "billing", "report", "status", "priority"]

    /// Keys whose values read as sentences rather than labels.
    private static let proseKeys = ["summary", "description", "answer", "reason", "reasoning", "explanation",
                                    "text", "content", "message", "comment", "note", "notes", "rationale", "details"]

    private mutating func text(key: String?, min minimum: Int, max maximum: Int?, variant: Int = 0) -> String {
        var out: String
        if let key, Self.proseKeys.contains(key.lowercased()), maximum == nil {
            out = ProseText.sentence(Int(rng.next() % UInt64(Int.max)))
        } else {
            let count = 1 + Int(rng.next() % 3)
            out = (0..<count).map { _ in Self.words[pick(Self.words.count, 0)] }.joined(separator: " ")
            if variant > 0 { out += " \(variant + 1)" }
        }
        return fit(out, min: minimum, max: maximum)
    }

    /// `text` padded with words to `min` characters and cut to `max`.
    private mutating func fit(_ text: String, min minimum: Int, max maximum: Int?) -> String {
        var out = text
        while out.count < minimum { out += " " + Self.words[pick(Self.words.count, 0)] }
        if let maximum, out.count > maximum { out = String(out.prefix(maximum)) }
        return out
    }

    private mutating func pick(_ count: Int, _ variant: Int) -> Int { (Int(rng.next() % UInt64(count)) + variant) % count }

    private static let monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

    /// A day of 2026 (not a leap year), without a calendar: this runs for every date of every answer.
    private mutating func date(variant: Int) -> String {
        var day = pick(365, variant)
        var month = 0
        while day >= Self.monthDays[month] { day -= Self.monthDays[month]; month += 1 }
        return "2026-" + Self.twoDigits(month + 1) + "-" + Self.twoDigits(day + 1)
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    private mutating func time(variant: Int) -> String {
        let minute = pick(24 * 60, variant)
        return Self.twoDigits(minute / 60) + ":" + Self.twoDigits(minute % 60) + ":00"
    }

    private mutating func uuid() -> String {
        var hex = rng.token(32, alphabet: SeededGenerator.hex)
        // Version 4, variant 10xx, like the uuids clients generate.
        hex = String(hex.prefix(12)) + "4" + String(hex.dropFirst(13).prefix(3)) + "a" + String(hex.dropFirst(17))
        let characters = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }.joined(separator: "-")
    }
}

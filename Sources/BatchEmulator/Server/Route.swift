/// Every endpoint the emulator answers.
enum Endpoint: Sendable {
    case listFiles, uploadFile, retrieveFile, deleteFile, fileContent
    case createBatch, listBatches, retrieveBatch, cancelBatch
    case chatCompletions, responses, embeddings
    case usageCompletions, usageEmbeddings, costs, rateLimits
    case controlClock, controlAdvance, controlFaults, controlAddFault, controlClearFaults, controlCounters

    var isControl: Bool {
        switch self {
        case .controlClock, .controlAdvance, .controlFaults, .controlAddFault, .controlClearFaults, .controlCounters: return true
        default: return false
        }
    }

    var needsAdminKey: Bool {
        switch self {
        case .usageCompletions, .usageEmbeddings, .costs, .rateLimits: return true
        default: return false
        }
    }
}

/// A request matched to an endpoint: its counter key (`METHOD /path/{id}`) and the id in the path, if any.
struct Route: Sendable {
    var endpoint: Endpoint
    var key: String
    var id: String?
}

/// Why a path did not resolve.
enum RouteMiss: Error {
    case notFound
    case methodNotAllowed(allowed: [String])
}

/// Path patterns -> endpoints per method; `{id}` matches one segment.
enum Router {
    private static let table: [(pattern: [String], methods: [(String, Endpoint)])] = [
        (["v1", "files"], [("GET", .listFiles), ("POST", .uploadFile)]),
        (["v1", "files", "{id}"], [("GET", .retrieveFile), ("DELETE", .deleteFile)]),
        (["v1", "files", "{id}", "content"], [("GET", .fileContent)]),
        (["v1", "batches"], [("GET", .listBatches), ("POST", .createBatch)]),
        (["v1", "batches", "{id}"], [("GET", .retrieveBatch)]),
        (["v1", "batches", "{id}", "cancel"], [("POST", .cancelBatch)]),
        (["v1", "chat", "completions"], [("POST", .chatCompletions)]),
        (["v1", "responses"], [("POST", .responses)]),
        (["v1", "embeddings"], [("POST", .embeddings)]),
        (["v1", "organization", "usage", "completions"], [("GET", .usageCompletions)]),
        (["v1", "organization", "usage", "embeddings"], [("GET", .usageEmbeddings)]),
        (["v1", "organization", "costs"], [("GET", .costs)]),
        (["v1", "organization", "projects", "{id}", "rate_limits"], [("GET", .rateLimits)]),
        (["_emulator", "clock"], [("GET", .controlClock)]),
        (["_emulator", "clock", "advance"], [("POST", .controlAdvance)]),
        (["_emulator", "faults"], [("GET", .controlFaults), ("POST", .controlAddFault), ("DELETE", .controlClearFaults)]),
        (["_emulator", "counters"], [("GET", .controlCounters)]),
    ]

    static func resolve(method: String, path: String, controlEnabled: Bool) -> Result<Route, RouteMiss> {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        for (pattern, methods) in table where pattern.count == segments.count {
            var id: String?
            var matched = true
            for (part, segment) in zip(pattern, segments) {
                if part == "{id}" { id = segment.removingPercentEncoding ?? segment } else if part != segment { matched = false; break }
            }
            guard matched else { continue }
            if pattern.first == "_emulator", !controlEnabled { return .failure(.notFound) }
            let key = "/" + pattern.joined(separator: "/")
            guard let endpoint = methods.first(where: { $0.0 == method })?.1 else {
                return .failure(.methodNotAllowed(allowed: methods.map(\.0)))
            }
            return .success(Route(endpoint: endpoint, key: "\(method) \(key)", id: id))
        }
        return .failure(.notFound)
    }
}

import BatchKit
import Foundation
import Synchronization

/// An in-memory `BatchAPI` for tests and benchmarks: holds batches and files, pages newest first,
/// counts calls, tracks concurrent requests and fails on demand.
public final class FakeBatchAPI: BatchAPI, Sendable {
    /// The operations the fake counts and can fail.
    public enum Operation: String, Sendable, Hashable, CaseIterable {
        case list, retrieve, create, cancel, upload, retrieveFile, download, delete
    }

    private struct State {
        var batches: [String: Batch] = [:]
        var order: [String]? = nil
        var files: [String: Data] = [:]
        var calls: [Operation: Int] = [:]
        var inFlight = 0
        var maxInFlight = 0
        var failures: [(Operation?, any Error)] = []
        var nextID = 1
    }

    private let state = Mutex(State())
    private let clock: any WallClock

    public init(batches: [Batch] = [], clock: any WallClock = ManualClock()) {
        self.clock = clock
        put(batches)
    }

    // MARK: Arranging

    /// Adds or replaces batches.
    public func put(_ batches: [Batch]) {
        state.withLock { s in
            for b in batches {
                if s.order != nil, s.batches[b.id]?.createdAt != b.createdAt { s.order = nil }
                s.batches[b.id] = b
            }
        }
    }

    /// Changes a batch in place; returns false when it does not exist.
    @discardableResult
    public func update(_ id: String, _ body: (inout Batch) -> Void) -> Bool {
        state.withLock { s in
            guard var b = s.batches[id] else { return false }
            body(&b)
            // Listing order depends only on (created_at, id); keep the cached order when neither moved.
            if b.id != id || b.createdAt != s.batches[id]!.createdAt {
                s.batches[id] = nil
                s.order = nil
            }
            s.batches[b.id] = b
            return true
        }
    }

    /// Every batch held, newest first.
    public var batches: [Batch] {
        state.withLock { s in Self.sorted(&s).map { s.batches[$0]! } }
    }

    /// Sets the content served for a file id.
    public func setFileContent(_ data: Data, for fileID: String) {
        state.withLock { $0.files[fileID] = data }
    }

    /// Makes the next `count` calls of `operation` (any operation when nil) throw `error`.
    public func failNext(_ count: Int = 1, _ operation: Operation? = nil, with error: any Error) {
        state.withLock { s in
            for _ in 0..<count { s.failures.append((operation, error)) }
        }
    }

    // MARK: Observing

    /// Calls made of one operation.
    public func calls(_ operation: Operation) -> Int { state.withLock { $0.calls[operation] ?? 0 } }

    /// Calls made of every operation.
    public var totalCalls: Int { state.withLock { $0.calls.values.reduce(0, +) } }

    /// Forgets the call counts (not the batches).
    public func resetCalls() { state.withLock { $0.calls = [:] } }

    /// The most requests that were ever in flight at once.
    public var maxConcurrentRequests: Int { state.withLock { $0.maxInFlight } }

    // MARK: BatchAPI

    public func listBatches(after: String?, limit: Int) async throws -> BatchPage {
        try await call(.list) { s in
            let order = Self.sorted(&s)
            var start = 0
            if let after {
                guard let i = order.firstIndex(of: after) else {
                    throw FakeAPIError(status: 400, message: "after: no such batch \(after)")
                }
                start = i + 1
            }
            let end = min(order.count, start + max(1, min(limit, 100)))
            let data = order[start..<end].map { s.batches[$0]! }
            return BatchPage(data: data, hasMore: end < order.count)
        }
    }

    public func retrieveBatch(id: String) async throws -> Batch {
        try await call(.retrieve) { s in
            guard let b = s.batches[id] else { throw FakeAPIError(status: 404, message: "No batch found with id '\(id)'") }
            return b
        }
    }

    public func createBatch(_ request: CreateBatchRequest) async throws -> Batch {
        let now = clock.unixNow()
        return try await call(.create) { s in
            let id = String(format: "batch_fake%06d", s.nextID)
            s.nextID += 1
            let b = Batch(id: id, endpoint: request.endpoint, inputFileID: request.inputFileID,
                          completionWindow: request.completionWindow, status: .validating, createdAt: now,
                          expiresAt: now + 86_400, metadata: request.metadata ?? [:])
            s.batches[id] = b
            s.order = nil
            return b
        }
    }

    public func cancelBatch(id: String) async throws -> Batch {
        let now = clock.unixNow()
        return try await call(.cancel) { s in
            guard var b = s.batches[id] else { throw FakeAPIError(status: 404, message: "No batch found with id '\(id)'") }
            guard !b.status.isTerminal else {
                throw FakeAPIError(status: 409, message: "Cannot cancel a batch with status '\(b.status)'")
            }
            b.status = .cancelling
            b.cancellingAt = now
            s.batches[id] = b
            return b
        }
    }

    public func uploadFile(at path: URL, purpose: String) async throws -> FileObject {
        let data = try Data(contentsOf: path)
        let now = clock.unixNow()
        return try await call(.upload) { s in
            let id = String(format: "file-fake%06d", s.nextID)
            s.nextID += 1
            s.files[id] = data
            return FileObject(id: id, bytes: Int64(data.count), createdAt: now, filename: path.lastPathComponent, purpose: purpose, status: "processed")
        }
    }

    public func retrieveFile(id: String) async throws -> FileObject {
        try await call(.retrieveFile) { s in
            guard let data = s.files[id] else { throw FakeAPIError(status: 404, message: "No such File object: \(id)") }
            return FileObject(id: id, bytes: Int64(data.count), createdAt: 0, filename: "\(id).jsonl", purpose: "batch_output", status: "processed")
        }
    }

    public func downloadFileContent(id: String, to destination: URL) async throws -> Int64 {
        let data = try await call(.download) { s -> Data in
            guard let data = s.files[id] else { throw FakeAPIError(status: 404, message: "No such File object: \(id)") }
            return data
        }
        try data.write(to: destination)
        return Int64(data.count)
    }

    public func deleteFile(id: String) async throws {
        try await call(.delete) { s in
            guard s.files.removeValue(forKey: id) != nil else { throw FakeAPIError(status: 404, message: "No such File object: \(id)") }
        }
    }

    // MARK: Plumbing

    private func call<T: Sendable>(_ op: Operation, _ body: (inout State) throws -> T) async throws -> T {
        let failure = state.withLock { s -> (any Error)? in
            s.calls[op, default: 0] += 1
            s.inFlight += 1
            s.maxInFlight = max(s.maxInFlight, s.inFlight)
            if let i = s.failures.firstIndex(where: { $0.0 == nil || $0.0 == op }) {
                return s.failures.remove(at: i).1
            }
            return nil
        }
        // A suspension point while "in flight", so overlapping callers would be seen by maxConcurrentRequests.
        await Task.yield()
        defer { state.withLock { $0.inFlight -= 1 } }
        if let failure { throw failure }
        return try state.withLock { s in try body(&s) }
    }

    private static func sorted(_ s: inout State) -> [String] {
        if let order = s.order { return order }
        let order = s.batches.values.sorted { a, b in
            a.createdAt != b.createdAt ? a.createdAt > b.createdAt : a.id > b.id
        }.map(\.id)
        s.order = order
        return order
    }
}

/// The error `FakeBatchAPI` throws: an HTTP-like status, a message and an optional `Retry-After`.
public struct FakeAPIError: Error, RetryAfterProviding, Sendable, Hashable, CustomStringConvertible {
    public var status: Int
    public var message: String
    public var retryAfter: TimeInterval?

    public init(status: Int, message: String, retryAfter: TimeInterval? = nil) {
        self.status = status; self.message = message; self.retryAfter = retryAfter
    }

    public var description: String { "\(status) \(message)" }
}

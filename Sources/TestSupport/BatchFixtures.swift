import BatchKit
import Foundation

/// Ready-made batches and temporary directories for store and sync tests.
public enum BatchFixtures {
    /// A batch numbered `n` (ids sort by number), created at `createdAt + n` so newer numbers list first.
    public static func batch(
        _ n: Int, status: BatchStatus, createdAt: Int64 = 1_767_000_000, total: Int = 10, completed: Int = 0,
        failed: Int = 0, workload: String? = "nightly-eval", model: String? = "gpt-4o-mini",
        outputFileID: String? = nil, errorFileID: String? = nil
    ) -> Batch {
        let created = createdAt + Int64(n)
        var metadata: [String: String] = [:]
        if let workload { metadata[MetadataKey.workload] = workload }
        var b = Batch(
            id: String(format: "batch_%08d", n), model: model, inputFileID: "file-in\(n)", status: status,
            outputFileID: outputFileID, errorFileID: errorFileID, createdAt: created, expiresAt: created + 86_400,
            requestCounts: RequestCounts(total: status == .validating ? 0 : total, completed: completed, failed: failed),
            metadata: metadata)
        switch status {
        case .inProgress: b.inProgressAt = created + 5
        case .finalizing: b.inProgressAt = created + 5; b.finalizingAt = created + 50
        case .completed: b.inProgressAt = created + 5; b.finalizingAt = created + 50; b.completedAt = created + 60
        case .failed: b.failedAt = created + 3
        case .expired: b.inProgressAt = created + 5; b.expiredAt = created + 86_400
        case .cancelling: b.inProgressAt = created + 5; b.cancellingAt = created + 20
        case .cancelled: b.inProgressAt = created + 5; b.cancellingAt = created + 20; b.cancelledAt = created + 30
        default: break
        }
        return b
    }

    /// A fresh empty directory under the system temporary directory.
    public static func temporaryDirectory(_ label: String = "batchtop-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

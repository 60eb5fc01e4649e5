/// Where a model's rates came from, so every figure can say its source.
public enum PriceOrigin: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The table shipped with batchtop, with the date its prices were taken (e.g. `2026-11`).
    case shippedDefault(taken: String)
    /// A user price file, by path.
    case userFile(path: String)

    public var description: String {
        switch self {
        case .shippedDefault(let taken): return "batchtop default prices (taken \(taken))"
        case .userFile(let path): return "user prices (\(path))"
        }
    }
}

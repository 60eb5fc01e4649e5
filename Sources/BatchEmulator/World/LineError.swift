/// One entry of `Batch.errors.data`: why a batch failed, with the input line when known.
struct LineError: Sendable, Equatable {
    var code: String
    var message: String
    var param: String?
    var line: Int?

    var json: JSON {
        .object([("code", .string(code)), ("message", .string(message)), ("param", .string(param)),
                 ("line", line.map { .int($0) } ?? .null)])
    }
}

/// What validating a batch input file found: its shape, its problems, and the index the chunker needs.
public struct InputFileSummary: Sendable, Hashable {
    /// The file validated.
    public var path: String
    /// File size in bytes.
    public var bytes: Int64
    /// Modification time when validated (unix nanoseconds), to notice a file edited before its chunks are written.
    public var modifiedAtNanos: Int64
    /// Physical lines, blank ones included (a final line without `\n` counts).
    public var lines: Int
    /// Non-blank lines, i.e. requests.
    public var requests: Int
    /// The endpoint (`url`) of the first line that had a supported one.
    public var endpoint: String?
    /// The `body.model` of the first line that had one.
    public var model: String?
    /// Whether the file starts with a UTF-8 byte-order mark (stripped from uploaded chunks).
    public var hasByteOrderMark: Bool
    /// Lines ending in `\r\n` (converted to `\n` in uploaded chunks).
    public var crlfLines: Int
    /// Offsets, lengths and token estimates per request, in file order.
    public var index: LineIndex
    /// Inputs in `body.input` over all requests (the embeddings per-batch limit counts these).
    public var embeddingInputs: Int64
    /// Sum of the per-request estimates.
    public var estimatedInputTokens: TokenCount
    /// The problems reported, in line order then whole-file notices; capped (see `omittedProblems`).
    public var problems: [InputProblem]
    /// Problems found in total, reported or not.
    public var problemCount: Int
    /// Errors found in total, reported or not.
    public var errorCount: Int
    /// Problems found per kind, reported or not.
    public var countsByKind: [InputProblem.Kind: Int]

    public init(path: String) {
        self.path = path; bytes = 0; modifiedAtNanos = 0; lines = 0; requests = 0; endpoint = nil; model = nil
        hasByteOrderMark = false; crlfLines = 0; index = LineIndex(); embeddingInputs = 0
        estimatedInputTokens = TokenCount(value: 0, exact: false)
        problems = []; problemCount = 0; errorCount = 0; countsByKind = [:]
    }

    /// True when nothing blocks submission (notices allowed).
    public var isValid: Bool { errorCount == 0 }

    /// Problems found but left out of `problems` by the cap.
    public var omittedProblems: Int { problemCount - problems.count }

    /// The errors among the reported problems.
    public var errors: [InputProblem] { problems.filter { $0.severity == .error } }
}

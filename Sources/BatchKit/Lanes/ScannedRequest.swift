/// The top-level fields of one request line that batchtop checks, as found by `JSONLineScanner`.
///
/// Offsets are byte offsets into the scanned line; nothing is decoded until asked, why: the validator
/// runs over 200 MB files and must not allocate per line on the happy path.
public struct ScannedRequest: Sendable, Hashable {
    /// Top-level `custom_id`.
    public var customID: ScannedField = .absent
    /// Top-level `method`.
    public var method: ScannedField = .absent
    /// Top-level `url`.
    public var url: ScannedField = .absent
    /// Top-level `body`.
    public var body: ScannedBody = .absent
    /// `body.model` (top level of the body object only).
    public var model: ScannedField = .absent
    /// Inputs in `body.input` (embeddings count them against a per-batch limit): 1 for a string or a
    /// token array, the element count for an array of strings or token arrays, 0 when absent.
    public var embeddingInputs: Int = 0
    /// The first of the checked keys that appeared twice in the same object, if any.
    public var duplicateKey: String?

    public init() {}
}

/// A checked field's value: absent, a string (its raw slice), or some other JSON kind.
public enum ScannedField: Sendable, Hashable {
    case absent
    case string(StringSlice)
    case other(JSONKind)
}

/// The `body` field: absent, an object spanning a byte range, or some other JSON kind.
public enum ScannedBody: Sendable, Hashable {
    case absent
    /// `start` is the offset of `{`, `end` one past the matching `}`.
    case object(start: Int, end: Int)
    case other(JSONKind)
}

/// The raw content of a JSON string inside a line: the bytes between the quotes.
public struct StringSlice: Sendable, Hashable {
    /// Offset of the first content byte (after the opening quote).
    public var start: Int
    /// Offset of the closing quote.
    public var end: Int
    /// Whether the content contains backslash escapes, so the raw bytes differ from the value.
    public var hasEscapes: Bool

    public init(start: Int, end: Int, hasEscapes: Bool) {
        self.start = start; self.end = end; self.hasEscapes = hasEscapes
    }

    /// Byte length of the raw content.
    public var rawLength: Int { end - start }
}

/// The kind of a JSON value, for messages like "custom_id must be a string, found number".
public enum JSONKind: String, Sendable, Hashable, CustomStringConvertible {
    case object, array, string, number, boolean, null

    public var description: String {
        switch self {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .number: return "a number"
        case .boolean: return "a boolean"
        case .null: return "null"
        }
    }
}

/// Why a line is not a well-formed JSON object, with the 1-based byte column where it went wrong.
public struct JSONScanError: Error, Sendable, Hashable {
    /// Whether the bytes are not valid UTF-8 (as opposed to valid text that is not valid JSON).
    public enum Kind: Sendable, Hashable { case syntax, encoding }

    public var kind: Kind
    /// 1-based byte column within the line.
    public var column: Int
    public var message: String

    public init(kind: Kind, column: Int, message: String) {
        self.kind = kind; self.column = column; self.message = message
    }
}

/// One thing wrong (or worth knowing) about a batch input file, located by line.
public struct InputProblem: Codable, Sendable, Hashable, CustomStringConvertible {
    /// Whether the problem blocks submission.
    public enum Severity: String, Codable, Sendable, Hashable {
        /// The file is not submitted while any error remains.
        case error
        /// Informational: batchtop handles it (splits, strips, converts); nothing to fix.
        case notice
    }

    /// What rule the problem breaks; stable names for `--json` and for counting.
    public enum Kind: String, Codable, Sendable, Hashable, CaseIterable {
        case invalidJSON = "invalid_json"
        case notUTF8 = "not_utf8"
        case notAnObject = "not_an_object"
        case duplicateKey = "duplicate_key"
        case missingCustomID = "missing_custom_id"
        case customIDNotString = "custom_id_not_string"
        case emptyCustomID = "empty_custom_id"
        case duplicateCustomID = "duplicate_custom_id"
        case methodNotPost = "method_not_post"
        case missingURL = "missing_url"
        case unsupportedURL = "unsupported_url"
        case mixedURL = "mixed_url"
        case missingBody = "missing_body"
        case bodyNotObject = "body_not_object"
        case missingModel = "missing_model"
        case modelNotString = "model_not_string"
        case mixedModel = "mixed_model"
        case blankLine = "blank_line"
        case lineTooLong = "line_too_long"
        case emptyFile = "empty_file"
        case byteOrderMark = "byte_order_mark"
        case crlfLineEndings = "crlf_line_endings"
        case overRequestLimit = "over_request_limit"
        case overByteLimit = "over_byte_limit"
        case overEmbeddingInputLimit = "over_embedding_input_limit"

        /// The severity this kind always has.
        public var severity: Severity {
            switch self {
            case .byteOrderMark, .crlfLineEndings, .overRequestLimit, .overByteLimit, .overEmbeddingInputLimit: return .notice
            default: return .error
            }
        }
    }

    public var kind: Kind
    /// 1-based line number; 0 for whole-file problems.
    public var line: Int
    /// Last line of a run of lines with the same problem (blank lines), when more than one.
    public var lastLine: Int?
    /// 1-based byte column within the line, when known.
    public var column: Int?
    /// What is wrong and how to fix it.
    public var message: String

    public init(kind: Kind, line: Int, lastLine: Int? = nil, column: Int? = nil, message: String) {
        self.kind = kind; self.line = line; self.lastLine = lastLine; self.column = column; self.message = message
    }

    public var severity: Severity { kind.severity }

    /// `line 12, column 40: error: ...`
    public var description: String {
        var place = line == 0 ? "file" : "line \(line)"
        if let lastLine, lastLine != line { place = "lines \(line)-\(lastLine)" }
        if let column { place += ", column \(column)" }
        return "\(place): \(severity.rawValue): \(message)"
    }
}

import BatchKit

/// Glyph + word for a status, never colour alone; `ascii` for terminals without Unicode.
enum StatusStyle {
    static func glyph(_ status: BatchStatus, ascii: Bool = false) -> String {
        switch status {
        case .validating: return ascii ? "~" : "◌"
        case .inProgress: return ascii ? ">" : "▶"
        case .finalizing: return ascii ? "*" : "◐"
        case .completed: return ascii ? "+" : "✔"
        case .failed: return ascii ? "x" : "✖"
        case .expired: return ascii ? "!" : "◷"
        case .cancelling: return ascii ? "-" : "⊘"
        case .cancelled: return ascii ? "=" : "⊗"
        default: return "?"
        }
    }

    /// `✔ completed`; an unknown status shows its raw (sanitized) word.
    static func label(_ status: BatchStatus, ascii: Bool = false) -> String {
        "\(glyph(status, ascii: ascii)) \(UntrustedText.singleLine(status.rawValue, limit: 24))"
    }
}

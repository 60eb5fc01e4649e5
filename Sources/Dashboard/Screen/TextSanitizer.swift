/// Makes untrusted text (metadata, error messages, file names) safe to draw.
///
/// Rule: every string reaches the screen through `Canvas`, which sanitises as it draws, why: a
/// batch's metadata could otherwise carry escape sequences that retitle the window, move the
/// cursor or corrupt the layout. Removes C0/C1 controls and DEL, whole ANSI sequences (CSI, OSC,
/// DCS and two-byte escapes) and bidirectional overrides; tabs and newlines become spaces.
public enum TextSanitizer {
    /// The text with controls and escape sequences removed.
    public static func sanitize(_ text: String) -> String {
        if isClean(text) { return text }
        var out = String.UnicodeScalarView()
        var state = EscapeState.none
        for scalar in text.unicodeScalars {
            if let kept = feed(scalar, &state) { out.append(kept) }
        }
        return String(out)
    }

    /// Whether `text` needs no sanitising (the common case, checked without allocating).
    @inlinable
    public static func isClean(_ text: String) -> Bool {
        for b in text.utf8 where b < 0x20 || b == 0x7F || b >= 0xC2 {
            if b >= 0xC2 { return isCleanSlow(text) }
            return false
        }
        return true
    }

    @usableFromInline
    static func isCleanSlow(_ text: String) -> Bool {
        for s in text.unicodeScalars where isDropped(s) || s.value < 0x20 || s.value == 0x7F { return false }
        return true
    }

    /// Where the parser is inside an escape sequence.
    enum EscapeState {
        case none, escape, csi, string, stringEscape
    }

    /// Feeds one scalar through the escape-sequence parser; returns what to keep, if anything.
    static func feed(_ s: Unicode.Scalar, _ state: inout EscapeState) -> Unicode.Scalar? {
        let v = s.value
        switch state {
        case .escape:
            switch v {
            case 0x5B: state = .csi  // ESC [
            case 0x5D, 0x50, 0x58, 0x5E, 0x5F: state = .string  // OSC, DCS, SOS, PM, APC
            default: state = .none  // two-byte escape: drop the second byte too
            }
            return nil
        case .csi:
            if (0x40...0x7E).contains(v) { state = .none }
            return nil
        case .string:
            if v == 0x07 || v == 0x9C { state = .none } else if v == 0x1B { state = .stringEscape }
            return nil
        case .stringEscape:
            state = v == 0x5C ? .none : .string
            return nil
        case .none:
            if v == 0x1B { state = .escape; return nil }
            if v == 0x9B { state = .csi; return nil }
            if v == 0x9D || v == 0x90 { state = .string; return nil }
            if v == 0x09 || v == 0x0A || v == 0x0D { return " " }
            if v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) { return nil }
            if isDropped(s) { return nil }
            return s
        }
    }

    /// Bidirectional overrides and isolates, which can visually reorder a line.
    static func isDropped(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (0x80...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }
}

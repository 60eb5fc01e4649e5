/// The one sanitizer: makes text from outside (provider data, metadata, error messages, file names,
/// request ids, arguments) safe to show on a terminal.
///
/// Rule: every byte batchtop writes to a terminal (CLI text, CSV, error messages, the TUI's cells)
/// passes through this type, and JSON escapes the same characters (`TerminalSafeJSON`), why: a
/// batch's metadata is written by anyone who can create a batch in the project, and `ESC ]52` puts
/// text on the operator's clipboard, `ESC ]0` retitles the window, `ESC [2J` clears the screen; VTE,
/// screen and mosh obey the 8-bit C1 forms (U+009B, U+009D) too, and bidirectional overrides make an
/// id read differently from what it is.
///
/// What is removed: whole escape sequences (CSI `ESC [` / U+009B to the final byte; OSC, DCS, SOS, PM,
/// APC `ESC ] P X ^ _` / U+009D U+0090 U+0098 U+009E U+009F to BEL, ST or `ESC \`; other `ESC x`
/// pairs), every other C0 control, DEL, every C1 control, and bidirectional controls
/// (`isBidiControl`). Single-line text turns tab, newline and carriage return into a space; text
/// kept in lines (`sanitizedLines`) keeps newline and tab and drops carriage return.
public enum UntrustedText {
    /// One line: escape sequences and controls removed; tab, newline and carriage return become spaces.
    public static func sanitized(_ text: String) -> String {
        isClean(text) ? text : strip(text, keepLines: false)
    }

    /// Several lines: like `sanitized`, but newline and tab are kept (carriage return is dropped, so a
    /// line cannot be overwritten in place).
    public static func sanitizedLines(_ text: String) -> String {
        isClean(text, keepingLines: true) ? text : strip(text, keepLines: true)
    }

    /// `sanitized`, cut to `limit` characters with an ellipsis.
    ///
    /// Rule: human tables show untrusted values cut to a bound, why: a 1 MB metadata value would
    /// otherwise be one 1 MB line; the JSON forms keep every value whole.
    public static func singleLine(_ text: String, limit: Int) -> String {
        // Cut before sanitizing too, so a huge value is not walked whole just to show its start.
        let head = String(text.prefix(max(0, limit) * 4 + 256))
        let cut = head.utf8.count < text.utf8.count
        let clean = sanitized(head)
        if !cut && clean.count <= limit { return clean }
        return String(clean.prefix(max(0, limit - 1))) + "…"
    }

    /// Whether `text` needs no sanitizing (the common case, checked without allocating).
    ///
    /// ASCII is checked byte by byte; only text with a byte of 0xC2 or more (where C1 controls and
    /// bidi controls live) takes the scalar-by-scalar path.
    @inlinable
    public static func isClean(_ text: String, keepingLines: Bool = false) -> Bool {
        for b in text.utf8 where b < 0x20 || b == 0x7F || b >= 0xC2 {
            if b >= 0xC2 { return isCleanSlow(text, keepingLines: keepingLines) }
            if keepingLines && (b == 0x0A || b == 0x09) { continue }
            return false
        }
        return true
    }

    @usableFromInline
    static func isCleanSlow(_ text: String, keepingLines: Bool) -> Bool {
        for s in text.unicodeScalars where isUnsafe(s) {
            if keepingLines && (s.value == 0x0A || s.value == 0x09) { continue }
            return false
        }
        return true
    }

    /// Whether a terminal could act on `scalar` rather than print it: a C0 control (tab and newline
    /// included), DEL, a C1 control, or a bidirectional control.
    ///
    /// The one definition of "unsafe" both the sanitizer and the JSON escaper use.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || (0x7F...0x9F).contains(v) || isBidiControl(scalar)
    }

    /// Bidirectional embeddings, overrides, isolates and marks (U+202A–U+202E, U+2066–U+2069,
    /// U+200E, U+200F, U+061C), which can make a line read in a different order than it is stored.
    public static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: return true
        default: return false
        }
    }

    /// Where the parser is inside an escape sequence.
    enum EscapeState {
        case none, escape, csi, string, stringEscape
    }

    static func strip(_ text: String, keepLines: Bool) -> String {
        var out = String.UnicodeScalarView()
        var state = EscapeState.none
        for scalar in text.unicodeScalars {
            if let kept = feed(scalar, &state, keepLines: keepLines) { out.append(kept) }
        }
        return String(out)
    }

    /// Feeds one scalar through the escape-sequence parser; returns what to keep, if anything.
    ///
    /// An unterminated sequence swallows the rest of the text, as a terminal would.
    static func feed(_ s: Unicode.Scalar, _ state: inout EscapeState, keepLines: Bool) -> Unicode.Scalar? {
        let v = s.value
        switch state {
        case .escape:
            switch v {
            case 0x5B: state = .csi  // ESC [
            case 0x5D, 0x50, 0x58, 0x5E, 0x5F: state = .string  // ESC ] P X ^ _: OSC, DCS, SOS, PM, APC
            default: state = .none  // a two-character escape: the second character goes too
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
            switch v {
            case 0x1B: state = .escape; return nil
            case 0x9B: state = .csi; return nil
            case 0x9D, 0x90, 0x98, 0x9E, 0x9F: state = .string; return nil
            case 0x0A, 0x09: return keepLines ? s : " "
            case 0x0D: return keepLines ? nil : " "
            default: return isUnsafe(s) ? nil : s
            }
        }
    }
}

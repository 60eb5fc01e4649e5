/// Makes text from the API (metadata, error messages, file names) safe to print on a terminal.
///
/// Rule: strip C0/C1 controls, DEL and whole escape sequences, why: a batch's metadata could carry
/// `ESC ]` or `ESC [` sequences that retitle, recolour or rewrite an operator's terminal.
public enum UntrustedText {
    /// The text without escape sequences or control characters; newlines and tabs become spaces.
    public static func sanitized(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        while let s = scalars.next() {
            switch s.value {
            case 0x1B:
                // ESC: drop the sequence. CSI (ESC [) runs to a final byte 0x40-0x7E; OSC/DCS/PM/APC
                // (ESC ] P ^ _) run to BEL or ESC \; anything else is a two-character sequence.
                guard let next = scalars.next() else { break }
                switch next {
                case "[":
                    while let c = scalars.next(), !(0x40...0x7E).contains(c.value) {}
                case "]", "P", "^", "_", "X":
                    var previousWasEscape = false
                    while let c = scalars.next() {
                        if c.value == 0x07 || (previousWasEscape && c == "\\") { break }
                        previousWasEscape = c.value == 0x1B
                    }
                default:
                    break
                }
            case 0x9B:
                while let c = scalars.next(), !(0x40...0x7E).contains(c.value) {}
            case 0x9D, 0x90, 0x98, 0x9E, 0x9F:
                while let c = scalars.next(), c.value != 0x07, c.value != 0x9C {}
            case 0x09, 0x0A, 0x0D:
                out.append(" ")
            case 0x00..<0x20, 0x7F, 0x80..<0xA0:
                break
            case 0x202A...0x202E, 0x2066...0x2069:
                // Bidirectional overrides can make an id read differently from what it is.
                break
            default:
                out.append(s)
            }
        }
        return String(out)
    }

    /// `sanitized`, cut to `limit` characters with an ellipsis.
    public static func singleLine(_ text: String, limit: Int) -> String {
        let clean = sanitized(text)
        if clean.count <= limit { return clean }
        return String(clean.prefix(max(0, limit - 1))) + "…"
    }
}

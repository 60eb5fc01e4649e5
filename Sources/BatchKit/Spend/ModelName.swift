/// Helpers for the provider's model names.
public enum ModelName {
    /// `gpt-4o-mini-2024-07-18` -> `gpt-4o-mini`; nil when the name has no trailing `-YYYY-MM-DD`.
    ///
    /// Only the date is removed: the caller then looks the base up exactly, so `gpt-4o-mini-...`
    /// can never fall through to `gpt-4o`, and `o1-preview-2024-09-12` does not become `o1`.
    public static func strippingDateSuffix(_ name: String) -> String? {
        let bytes = Array(name.utf8)
        // "-dddd-dd-dd" is 11 bytes, and something must precede it.
        guard bytes.count > 11 else { return nil }
        let tail = bytes[(bytes.count - 11)...]
        let pattern = Array("-dddd-dd-dd".utf8)
        for (b, p) in zip(tail, pattern) {
            if p == UInt8(ascii: "d") {
                guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { return nil }
            } else if b != p {
                return nil
            }
        }
        return String(decoding: bytes[..<(bytes.count - 11)], as: UTF8.self)
    }
}

import Foundation

/// A colour as a theme file writes it: `default`, an ANSI or 256-colour index, or `#rrggbb`.
public enum ColorSpec: Hashable, Sendable, CustomStringConvertible {
    case terminalDefault
    case indexed(UInt8)
    case rgb(UInt8, UInt8, UInt8)

    /// Parses a theme value; nil when it is not one of the accepted forms.
    public init?(parsing text: String) {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t == "default" || t == "none" { self = .terminalDefault; return }
        if t.hasPrefix("#") {
            let hex = t.dropFirst()
            guard hex.count == 6, let v = UInt32(hex, radix: 16) else { return nil }
            self = .rgb(UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF))
            return
        }
        if let n = Int(t), (0...255).contains(n) { self = .indexed(UInt8(n)); return }
        if let n = Self.ansiNames.firstIndex(of: t) { self = .indexed(UInt8(n)); return }
        return nil
    }

    /// ANSI colour names accepted in place of 0-15.
    public static let ansiNames = [
        "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
        "bright-black", "bright-red", "bright-green", "bright-yellow", "bright-blue", "bright-magenta",
        "bright-cyan", "bright-white",
    ]

    public var description: String {
        switch self {
        case .terminalDefault: return "default"
        case .indexed(let i): return String(i)
        case .rgb(let r, let g, let b):
            return "#" + [r, g, b].map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
        }
    }

    /// The colour at the terminal's depth: `#rrggbb` to the nearest 256-colour, then to the 16 ANSI
    /// colours; no colour at all for a monochrome terminal.
    public func resolved(for depth: ColorDepth) -> TerminalColor {
        switch (self, depth) {
        case (_, .none), (.terminalDefault, _): return .default
        case (.indexed(let i), .ansi256), (.indexed(let i), .trueColor): return TerminalColor(i)
        case (.indexed(let i), .ansi16): return TerminalColor(i < 16 ? i : Self.nearest16(Self.rgbOf(index: i)))
        case (.indexed(let i), .ansi8): return TerminalColor((i < 16 ? i : Self.nearest16(Self.rgbOf(index: i))) % 8)
        case (.rgb(let r, let g, let b), .ansi8): return TerminalColor(Self.nearest16((r, g, b)) % 8)
        case (.rgb(let r, let g, let b), .ansi256), (.rgb(let r, let g, let b), .trueColor):
            return TerminalColor(Self.nearest256(r, g, b))
        case (.rgb(let r, let g, let b), .ansi16): return TerminalColor(Self.nearest16((r, g, b)))
        }
    }

    /// The xterm default RGB of the 16 ANSI colours.
    static let ansiRGB: [(UInt8, UInt8, UInt8)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
        (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255),
        (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]
    static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

    static func rgbOf(index i: UInt8) -> (UInt8, UInt8, UInt8) {
        if i < 16 { return ansiRGB[Int(i)] }
        if i >= 232 { let v = UInt8(8 + Int(i - 232) * 10); return (v, v, v) }
        let n = Int(i) - 16
        return (UInt8(cubeLevels[n / 36]), UInt8(cubeLevels[(n / 6) % 6]), UInt8(cubeLevels[n % 6]))
    }

    static func distance(_ a: (UInt8, UInt8, UInt8), _ b: (UInt8, UInt8, UInt8)) -> Int {
        let dr = Int(a.0) - Int(b.0), dg = Int(a.1) - Int(b.1), db = Int(a.2) - Int(b.2)
        // Weighted so greens and reds, to which the eye is more sensitive, count more.
        return 3 * dr * dr + 4 * dg * dg + 2 * db * db
    }

    static func nearest256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        var best: UInt8 = 16, bestD = Int.max
        for i in 16...255 {
            let d = distance((r, g, b), rgbOf(index: UInt8(i)))
            if d < bestD { bestD = d; best = UInt8(i) }
        }
        return best
    }

    static func nearest16(_ c: (UInt8, UInt8, UInt8)) -> UInt8 {
        var best: UInt8 = 0, bestD = Int.max
        for i in 0..<16 {
            let d = distance(c, ansiRGB[i])
            if d < bestD { bestD = d; best = UInt8(i) }
        }
        return best
    }
}

/// How many colours the terminal can show.
public enum ColorDepth: String, Sendable, Hashable, CaseIterable {
    case none, ansi8, ansi16, ansi256, trueColor

    /// The depth for a terminal reporting `colors` palette entries.
    public init(colorCount colors: Int) {
        switch colors {
        case ..<8: self = .none
        case 8..<16: self = .ansi8
        case 16..<256: self = .ansi16
        default: self = .ansi256
        }
    }
}

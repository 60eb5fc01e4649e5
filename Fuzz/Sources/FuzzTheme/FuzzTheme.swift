// Fuzz target: the theme parser (ThemeParser) and what reads a parsed theme (palettes, a rendered frame).
//
// Input: theme TOML text (the loader reads theme files as UTF-8; other bytes are dropped here). A parsed theme
// is turned into a palette at every colour depth and one loaded dashboard frame is drawn with it.
import Dashboard
import FuzzFixtures
import FuzzSupport

let state = DashboardFixture.loaded(width: 100, height: 30)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let text = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) else { return 0 }
    let theme: Theme
    do {
        theme = try ThemeParser.parse(name: "fuzz", toml: text, base: BuiltinThemes.default)
    } catch {
        fuzzCheck(!error.description.isEmpty, "an empty theme error")
        return 0
    }
    // A theme that parses keeps every token of its base (missing ones are inherited).
    for (token, _) in BuiltinThemes.default.styles { fuzzCheck(theme.styles[token] != nil, "theme lost token \(token)") }
    for warning in theme.warnings { _ = warning.count }
    var palettes: [Palette] = []
    for depth in ColorDepth.allCases { palettes.append(theme.palette(depth: depth)) }
    let palette = palettes[size % palettes.count]
    let screen = render(state, palette: palette)
    fuzzCheck(DashboardFixture.isClean(screen, width: state.width, height: state.height), "a themed frame has the wrong size or control characters")
    return 0
}

@main enum FuzzMain {
    static func main() { runLibFuzzer { data, size in fuzz(data ?? emptyFuzzInput, size) } }
}

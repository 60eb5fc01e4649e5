import CNcursesw
import Dashboard
import Testing
@testable import Terminal

@Suite struct KeyDecoderTests {
    struct CharCase: CustomStringConvertible, Sendable {
        var value: UInt32
        var key: Key?
        var description: String { String(value, radix: 16) }
    }

    static let characters: [CharCase] = [
        CharCase(value: 0x1B, key: .escape), CharCase(value: 0x0D, key: .enter), CharCase(value: 0x0A, key: .enter),
        CharCase(value: 0x09, key: .tab), CharCase(value: 0x7F, key: .backspace), CharCase(value: 0x08, key: .backspace),
        CharCase(value: 0x03, key: .ctrl("c")), CharCase(value: 0x15, key: .ctrl("u")), CharCase(value: 0x00, key: nil),
        CharCase(value: 0x1C, key: nil), CharCase(value: 0x71, key: .char("q")), CharCase(value: 0x20, key: .char(" ")),
        CharCase(value: 0x7FFB, key: .char("翻")), CharCase(value: 0xD800, key: nil),
    ]

    @Test(arguments: characters)
    func character(_ c: CharCase) { #expect(KeyDecoder.character(c.value) == c.key) }

    struct FunctionCase: CustomStringConvertible, Sendable {
        var code: Int32
        var key: Key?
        var description: String { String(code, radix: 8) }
    }

    static let functions: [FunctionCase] = [
        FunctionCase(code: KEY_UP, key: .up), FunctionCase(code: KEY_DOWN, key: .down), FunctionCase(code: KEY_LEFT, key: .left),
        FunctionCase(code: KEY_RIGHT, key: .right), FunctionCase(code: KEY_PPAGE, key: .pageUp), FunctionCase(code: KEY_NPAGE, key: .pageDown),
        FunctionCase(code: KEY_HOME, key: .home), FunctionCase(code: KEY_END, key: .end), FunctionCase(code: KEY_BTAB, key: .backTab),
        FunctionCase(code: KEY_BACKSPACE, key: .backspace), FunctionCase(code: KEY_DC, key: .delete), FunctionCase(code: KEY_ENTER, key: .enter),
        FunctionCase(code: batchtop_key_f0() + 1, key: .function(1)), FunctionCase(code: KEY_RESIZE, key: nil),
    ]

    @Test(arguments: functions)
    func functionKey(_ c: FunctionCase) { #expect(KeyDecoder.functionKey(c.code) == c.key) }
}

import CNcursesw
import Dashboard

/// Turns `wget_wch` results into `Key`s. Pure, so it is tested without a terminal.
public enum KeyDecoder {
    /// A function key code (`wget_wch` returned `KEY_CODE_YES`); nil for codes batchtop ignores.
    public static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_BTAB: return .backTab
        default:
            let f0 = batchtop_key_f0()
            if code > f0 && code <= f0 + 12 { return .function(Int(code - f0)) }
            return nil
        }
    }

    /// A character (`wget_wch` returned `OK`).
    public static func character(_ value: UInt32) -> Key? {
        switch value {
        case 0x1B: return .escape
        case 0x0D, 0x0A: return .enter
        case 0x09: return .tab
        case 0x7F, 0x08: return .backspace
        case 0x01...0x1A: return .ctrl(Character(Unicode.Scalar(value + 0x60)!))
        case 0x00..<0x20: return nil
        default:
            guard let scalar = Unicode.Scalar(value) else { return nil }
            return .char(Character(scalar))
        }
    }
}

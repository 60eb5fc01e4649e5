// Fuzz target: the terminal key decoder (KeyDecoder) and what keys drive (the reducer and the renderer).
//
// Input: a stream of events, each an opcode byte and its operands: a character as `wget_wch` returns it
// (one byte, or a full 32-bit value), a function key code, a mouse click or wheel, a resize, a tick, a data
// reload, an operation result with text from the input. Decoded keys go through `reduce` (a read-only dashboard
// must never return a write effect), and frames are drawn (every 8th event and at the end): each must have the
// requested size and no control characters.
import BatchKit
import Dashboard
import FuzzFixtures
import FuzzSupport
import Terminal

let states = [
    DashboardFixture.loaded(), DashboardFixture.loaded(readOnly: true), DashboardFixture.loaded(width: 60, height: 15, ascii: true),
]
let palette = BuiltinThemes.default.palette(depth: .ansi256)
/// The most events read from one input; the rest is ignored (keeps one input under a few milliseconds).
let maxEvents = 32

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzBytes(Array(UnsafeBufferPointer(start: data, count: size)))
    var state = states[Int(input.byte()) % states.count]
    var events = 0
    while !input.isAtEnd && events < maxEvents {
        events += 1
        guard let action = nextAction(&input) else { continue }
        let effects = reduce(&state, action)
        if state.context.readOnly {
            fuzzCheck(!effects.contains { $0.isWrite }, "a read-only dashboard returned a write effect: \(effects)")
        }
        if state.quitting { state.quitting = false }
        if events % 8 == 0 { check(state) }
    }
    // Every prefix of an input is an input too, so drawing the final state reaches every state the reducer can
    // be driven into; drawing only every 8th event in between keeps a run fast (a frame is most of its cost).
    check(state)
    return 0
}

func check(_ state: AppState) {
    let screen = render(state, palette: palette)
    fuzzCheck(DashboardFixture.isClean(screen, width: state.width, height: state.height),
              "frame \(screen.width)x\(screen.height) for \(state.width)x\(state.height), or control characters in it")
}

func nextAction(_ input: inout FuzzBytes) -> Action? {
    let op = input.byte()
    switch op % 10 {
    case 0, 1, 2:
        // The common case: one byte, as ncurses returns ASCII and control keys.
        return KeyDecoder.character(UInt32(input.byte())).map { .key($0) }
    case 3:
        return KeyDecoder.character(input.uint32()).map { .key($0) }
    case 4:
        // Function keys live at KEY_MIN (0o401) and up; any 32-bit code may arrive.
        let code = op & 0x80 == 0 ? Int32(0o400) + Int32(input.byte()) + Int32(input.byte() & 1) << 8 : Int32(bitPattern: input.uint32())
        return KeyDecoder.functionKey(code).map { .key($0) }
    case 5:
        let x = Int(Int8(bitPattern: input.byte())), y = Int(Int8(bitPattern: input.byte()))
        return .key(op & 0x80 == 0 ? .click(x: x, y: y) : (op & 0x40 == 0 ? .wheelUp : .wheelDown))
    case 6:
        // Up to 200 x 80: every layout threshold (60 x 15 minimum, wide-screen columns) without spending the
        // run on huge frames.
        return .resize(width: Int(input.byte()) % 201, height: Int(input.byte()) % 81)
    case 7:
        return .tick(now: DashboardFixture.now + Int64(input.byte()) * 600)
    case 8:
        let n = Int(input.byte()) % (DashboardFixture.jobs.count + 1)
        return op & 0x80 == 0 ? .jobsLoaded(Array(DashboardFixture.jobs.prefix(n))) : .decisionsLoaded(Array(DashboardFixture.decisions.prefix(n % 3)))
    default:
        return .operationFinished(OperationResult(effect: .pollNow, succeeded: op & 0x80 == 0, message: input.string()))
    }
}

@main enum FuzzMain {
    static func main() { runLibFuzzer { data, size in fuzz(data ?? emptyFuzzInput, size) } }
}

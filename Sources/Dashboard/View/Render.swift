import BatchKit

/// Renders the state into a screen at the state's size.
///
/// Pure and cheap: it draws only what fits (the Jobs pane touches visible rows only), so a frame
/// costs the same with 100 or 100,000 jobs.
public func render(_ state: AppState, palette: Palette, keyMap: KeyMap = .standard) -> Screen {
    let glyphs: GlyphSet = state.context.ascii ? .ascii : .unicode
    var canvas = Canvas(width: state.width, height: state.height, palette: palette, glyphs: glyphs)
    guard state.width >= Layout.minWidth, state.height >= Layout.minHeight else {
        TooSmallView.draw(&canvas, state)
        return canvas.screen
    }
    HeaderView.draw(&canvas, state)
    TabBarView.draw(&canvas, state)
    let body = Rect(x: 0, y: 3, width: state.width, height: state.height - Layout.chromeRows)
    if state.detail != nil {
        DetailView.draw(&canvas, state, in: body)
    } else {
        switch state.pane {
        case .jobs: JobsView.draw(&canvas, state, in: body)
        case .queue: QueueView.draw(&canvas, state, in: body)
        case .spend: SpendView.draw(&canvas, state, in: body)
        case .decisions: DecisionsView.draw(&canvas, state, in: body)
        }
    }
    BottomBarView.draw(&canvas, state, keyMap: keyMap)
    if let toast = state.toast { BottomBarView.drawToast(&canvas, toast) }
    if let dialog = state.dialog { DialogView.draw(&canvas, dialog) }
    if let scroll = state.helpScroll { HelpView.draw(&canvas, state, keyMap: keyMap, scroll: scroll) }
    return canvas.screen
}

/// A rectangle of the screen.
public struct Rect: Hashable, Sendable {
    /// Origin and size in cells.
    public var x, y, width, height: Int

    public init(x: Int, y: Int, width: Int, height: Int) { self.x = x; self.y = y; self.width = width; self.height = height }
}

/// Shown instead of the dashboard when the terminal is below the minimum size.
enum TooSmallView {
    static func draw(_ c: inout Canvas, _ state: AppState) {
        let msg = "terminal too small: \(state.width)x\(state.height), need \(Layout.minWidth)x\(Layout.minHeight)"
        let y = max(0, state.height / 2)
        let w = DisplayWidth.of(msg)
        c.text(msg, x: max(0, (state.width - w) / 2), y: y, style: c.palette[.warn])
    }
}

/// How far the scrollable views (Queue, Spend, job detail) can scroll: the content's line count
/// minus what fits.
///
/// The reducer clamps every scroll to it, why: a view only clamps what it draws, so without this
/// the state ran past the end and `k` seemed dead until it had walked back.
enum ScrollLimit {
    /// Styles do not change how many lines there are; a fixed palette keeps this cheap and pure.
    private static let palette = BuiltinThemes.mono.palette(depth: .none)

    /// The largest useful scroll offset of what is on screen now (0 when everything fits).
    static func maxScroll(_ state: AppState) -> Int {
        let glyphs: GlyphSet = state.context.ascii ? .ascii : .unicode
        let lines: Int
        if let d = state.detail {
            guard let row = d.detail?.row ?? state.jobs.row(id: d.jobID) else { return 0 }
            lines = DetailView.lines(row, d.detail, state: state, glyphs: glyphs, p: palette).count
        } else {
            switch state.pane {
            case .queue: lines = QueueView.lines(state, width: state.width, glyphs: glyphs, p: palette)?.count ?? 0
            case .spend: lines = SpendView.lines(state, width: state.width, glyphs: glyphs, p: palette)?.count ?? 0
            case .jobs, .decisions: return 0
            }
        }
        // The views draw below a one-line title or gap: the same height the job list gets.
        return max(0, lines - state.listViewportHeight)
    }
}

/// One column of the screen: a grapheme and its style.
///
/// Rule: a wide grapheme (CJK, most emoji) occupies its cell and the next one, which is marked
/// `isContinuation`, why: the grid stays one cell per column, so layout arithmetic and the diff
/// never need to know about display widths.
public struct Cell: Hashable, Sendable {
    /// The grapheme drawn in this cell (a space when empty).
    public var character: Character
    /// Colours and attributes.
    public var style: CellStyle
    /// The right half of a wide grapheme drawn in the cell to the left; never drawn itself.
    public var isContinuation: Bool

    public init(_ character: Character = " ", style: CellStyle = .plain, isContinuation: Bool = false) {
        self.character = character; self.style = style; self.isContinuation = isContinuation
    }
}

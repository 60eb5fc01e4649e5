/// Where a key is being interpreted.
public enum KeyContext: String, Hashable, Sendable, CaseIterable {
    case jobs, queue, spend, decisions, detail, dialog, help
}

/// What a key does; the reducer acts on commands, never on raw keys.
public enum Command: String, Hashable, Sendable, CaseIterable {
    case quit, help, nextPane, previousPane, paneJobs, paneQueue, paneSpend, paneDecisions
    case up, down, pageUp, pageDown, top, bottom, open, back
    case filter, commandLine, sortNext, sortReverse, mark, clearMarks
    case cancel, resubmit, resubmitFailed, reclassify, approve, reject
    case pollNow, pause
}

/// One binding: keys, the command, where it applies, and how help and the hint bar describe it.
public struct KeyBinding: Hashable, Sendable {
    /// The keys that trigger it; the first is shown in hints.
    public var keys: [Key]
    /// What it does.
    public var command: Command
    /// Short label for the hint bar ("cancel").
    public var hint: String
    /// One line for the help overlay.
    public var summary: String
    /// Contexts where the binding applies; empty means every non-modal context.
    public var contexts: Set<KeyContext>
    /// Whether the command writes (removed under `--readonly`).
    public var isWrite: Bool
    /// Whether the hint bar lists it.
    public var showsInHints: Bool

    public init(_ keys: [Key], _ command: Command, hint: String, summary: String, in contexts: Set<KeyContext> = [], write: Bool = false, hints: Bool = false) {
        self.keys = keys; self.command = command; self.hint = hint; self.summary = summary
        self.contexts = contexts; self.isWrite = write; self.showsInHints = hints
    }

    /// Whether the binding is live in a context.
    public func applies(in context: KeyContext) -> Bool {
        if context == .dialog || context == .help { return contexts.contains(context) }
        return contexts.isEmpty || contexts.contains(context)
    }

    /// The keys as help shows them ("j/↓").
    public var keyLabel: String { keys.map(\.description).joined(separator: "/") }
}

/// The live key map: the reducer dispatches from it and help and the hint bar are generated from it.
public struct KeyMap: Hashable, Sendable {
    /// Every binding; the first match for a key and context wins.
    public var bindings: [KeyBinding]

    public init(bindings: [KeyBinding]) { self.bindings = bindings }

    /// The binding for a key in a context, if any.
    public func binding(for key: Key, in context: KeyContext) -> KeyBinding? {
        bindings.first { $0.applies(in: context) && $0.keys.contains(key) }
    }

    /// Bindings that apply in a context, writes dropped when read-only.
    public func bindings(in context: KeyContext, readOnly: Bool) -> [KeyBinding] {
        bindings.filter { $0.applies(in: context) && !(readOnly && $0.isWrite) }
    }

    static let lists: Set<KeyContext> = [.jobs, .decisions, .detail, .queue, .spend]

    /// batchtop's standard keys (k9s / htop / lazygit conventions).
    public static let standard = KeyMap(bindings: [
        KeyBinding([.char("?")], .help, hint: "help", summary: "show this help", hints: true),
        KeyBinding([.char("q")], .quit, hint: "quit", summary: "quit (in the job detail: back to the list; Ctrl-C always quits)", hints: true),
        KeyBinding([.tab], .nextPane, hint: "pane", summary: "next pane", hints: false),
        KeyBinding([.backTab], .previousPane, hint: "pane", summary: "previous pane"),
        KeyBinding([.char("1")], .paneJobs, hint: "jobs", summary: "Jobs pane"),
        KeyBinding([.char("2")], .paneQueue, hint: "queue", summary: "Queue pane"),
        KeyBinding([.char("3")], .paneSpend, hint: "spend", summary: "Spend pane"),
        KeyBinding([.char("4")], .paneDecisions, hint: "decisions", summary: "Decisions pane"),
        KeyBinding([.char("k"), .up, .wheelUp], .up, hint: "up", summary: "move up", in: lists),
        KeyBinding([.char("j"), .down, .wheelDown], .down, hint: "down", summary: "move down", in: lists),
        KeyBinding([.pageUp, .ctrl("b")], .pageUp, hint: "page up", summary: "page up", in: lists),
        KeyBinding([.pageDown, .ctrl("f")], .pageDown, hint: "page down", summary: "page down", in: lists),
        KeyBinding([.char("g"), .home], .top, hint: "top", summary: "first row", in: lists),
        KeyBinding([.char("G"), .end], .bottom, hint: "bottom", summary: "last row", in: lists),
        KeyBinding([.enter], .open, hint: "detail", summary: "open the selected job's detail", in: [.jobs], hints: true),
        KeyBinding([.escape], .back, hint: "back", summary: "back out one level (close detail, clear filter and marks)", hints: true),
        KeyBinding([.char("/")], .filter, hint: "filter", summary: "filter jobs as you type (! inverts, key=value: lane status workload model endpoint id)", in: [.jobs], hints: true),
        KeyBinding([.char(":")], .commandLine, hint: "command", summary: "command line (:jobs lane=batch, :queue, :spend, :decisions, :sort eta, :q)", hints: true),
        KeyBinding([.char("s")], .sortNext, hint: "sort", summary: "sort by the next column", in: [.jobs], hints: true),
        KeyBinding([.char("S")], .sortReverse, hint: "reverse", summary: "reverse the sort order", in: [.jobs]),
        KeyBinding([.char(" ")], .mark, hint: "mark", summary: "mark or unmark the job for a bulk action", in: [.jobs], hints: true),
        KeyBinding([.char("u")], .clearMarks, hint: "unmark", summary: "clear all marks", in: [.jobs]),
        KeyBinding([.char("c")], .cancel, hint: "cancel", summary: "cancel the marked or selected jobs", in: [.jobs, .detail], write: true, hints: true),
        KeyBinding([.char("R")], .resubmit, hint: "resubmit", summary: "resubmit the whole job", in: [.jobs, .detail], write: true, hints: true),
        KeyBinding([.char("F")], .resubmitFailed, hint: "retry failed", summary: "resubmit only failed and unfinished requests", in: [.jobs, .detail], write: true),
        KeyBinding([.char("m")], .reclassify, hint: "reclassify", summary: "move the job's workload to another lane or urgency class", in: [.jobs, .detail], write: true, hints: true),
        KeyBinding([.char("a")], .approve, hint: "approve", summary: "approve the selected routing decision", in: [.decisions], write: true, hints: true),
        KeyBinding([.char("x")], .reject, hint: "reject", summary: "reject the selected routing decision", in: [.decisions], write: true, hints: true),
        KeyBinding([.char("r")], .pollNow, hint: "refresh", summary: "poll the provider now", hints: true),
        KeyBinding([.char("p")], .pause, hint: "pause", summary: "pause or resume live updates", hints: true),
    ])

    /// Keys inside dialogs and help, listed in help but handled by the dialog itself.
    public static let dialogHelp: [(String, String)] = [
        ("Tab / S-Tab", "next / previous field or button"),
        ("← →", "choose No or Yes"),
        ("↑ ↓", "choose a lane or class"),
        ("y", "Yes (when not typing in a field)"),
        ("n / Esc", "No: close without doing anything"),
        ("Enter", "activate the focused button (No by default)"),
    ]
}

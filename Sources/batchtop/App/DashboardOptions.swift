import ArgumentParser

/// The look-and-feel flags shared by `batchtop` (the dashboard) and `batchtop demo`.
struct DashboardOptions: ParsableArguments {
    @Flag(help: "Print one rendered frame as text and exit (also what a non-terminal stdout gets).")
    var once = false

    @Flag(help: "Remove every write action (cancel, resubmit, reclassify, approve, reject).")
    var readonly = false

    @Option(help: "Colour theme: a built-in name (see `batchtop themes`) or a path to a .toml file.")
    var theme: String?

    @Flag(name: .customLong("no-color"), help: "No colours (NO_COLOR is honoured too).")
    var noColor = false

    @Flag(help: "ASCII glyphs only.")
    var ascii = false

    @Flag(help: "Handle mouse clicks and the wheel.")
    var mouse = false

    @Option(help: "Width of the --once frame (default: $COLUMNS or 120).")
    var width: Int?

    @Option(help: "Height of the --once frame (default: $LINES or 40).")
    var height: Int?
}

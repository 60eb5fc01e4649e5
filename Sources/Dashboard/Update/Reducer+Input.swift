import BatchKit

extension Reducer {
    /// Keys while typing the `/` filter: the list refilters on every key.
    static func filterKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        var text = state.jobs.filter.text
        switch key {
        case .enter:
            state.input = .normal
            return []
        case .escape:
            state.input = .normal
            text = ""
        case .backspace:
            if text.isEmpty { state.input = .normal; return [] }
            text.removeLast()
        case .char(let c):
            guard text.count < 200 else { return [] }
            text.append(c)
        case .ctrl("u"):
            text = ""
        default:
            return []
        }
        setFilter(&state, text)
        return []
    }

    static func setFilter(_ state: inout AppState, _ text: String) {
        state.jobs.setFilter(JobFilter(text))
        reselect(&state)
    }

    /// Keys while typing a `:` command.
    static func commandKey(_ state: inout AppState, _ key: Key, text: String, keyMap: KeyMap) -> [Effect] {
        switch key {
        case .escape:
            state.input = .normal
        case .backspace:
            state.input = text.isEmpty ? .normal : .command(String(text.dropLast()))
        case .char(let c):
            if text.count < 200 { state.input = .command(text + String(c)) }
        case .enter:
            state.input = .normal
            return execute(&state, text, keyMap: keyMap)
        default: break
        }
        return []
    }

    /// Runs a `:` command line; unknown commands say so and what to try.
    static func execute(_ state: inout AppState, _ line: String, keyMap: KeyMap) -> [Effect] {
        let words = line.split(separator: " ").map(String.init)
        guard let verb = words.first?.lowercased() else { return [] }
        let rest = words.dropFirst().joined(separator: " ")
        switch verb {
        case "q", "q!", "quit", "exit":
            state.quitting = true
            return [.quit]
        case "jobs", "j":
            switchPane(&state, .jobs)
            if !rest.isEmpty { setFilter(&state, rest) }
        case "queue": switchPane(&state, .queue)
        case "spend": switchPane(&state, .spend)
        case "decisions", "decision": switchPane(&state, .decisions)
        case "help", "h": state.helpScroll = 0
        case "filter", "f":
            switchPane(&state, .jobs)
            setFilter(&state, rest)
        case "sort":
            let parts = rest.lowercased().split(separator: " ")
            guard let name = parts.first, let column = SortColumn(rawValue: String(name)) else {
                toast(&state, "sort by one of: " + SortColumn.allCases.map(\.rawValue).joined(separator: ", "), kind: .error)
                return []
            }
            let reversed = parts.count > 1 && (parts[1] == "reverse" || parts[1] == "desc" || parts[1] == "reversed")
            state.jobs.setSort(JobSort(column: column, reversed: reversed), now: state.now)
            reselect(&state)
        case "refresh", "poll", "r":
            return run(.pollNow, &state)
        case "pause":
            return state.paused ? [] : run(.pause, &state)
        case "resume":
            return state.paused ? run(.pause, &state) : []
        default:
            toast(&state, "unknown command ':\(verb)' (try :jobs, :queue, :spend, :decisions, :sort, :q, or ? for help)", kind: .error)
        }
        return []
    }
}

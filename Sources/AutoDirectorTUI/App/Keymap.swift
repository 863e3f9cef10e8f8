import Foundation

/// Keys → actions (SPEC §14 defaults), in two contexts as lazygit has them per view: the table
/// and detail (`Action`), and the compare view (`CompareAction`), where `q` and `C` go back to
/// the table instead of quitting or comparing again. Every key of those views reaches `Update`
/// through here; what stays fixed is what must work whatever the file says: Ctrl-C quits
/// anywhere, a prompt's line is edited as a shell edits it (`LineEditor`, Enter submits, Esc
/// cancels), and only `y` says yes to a confirmation.
///
/// A keymap file in the user's XDG config directory (`$XDG_CONFIG_HOME/autodirector/keys.conf`,
/// default `~/.config/…`) rebinds actions of either context, one per line: `approve = a, A`,
/// `compareFlip = f`. Lines starting with `#` are comments. A key bound to two actions of one
/// context is a conflict, reported with its line; unknown actions or keys are reported too.
public struct Keymap: Sendable, Equatable {
    public private(set) var bindings: [Key: Action]
    /// The compare view's keys; a key not bound here opens the help if it is `help`'s.
    public private(set) var compareBindings: [Key: CompareAction]

    public static let defaults: [(Action, [Key])] = [
        (.down, [.character("j"), .down]), (.up, [.character("k"), .up]),
        (.pageDown, [.pageDown, .control("d")]), (.pageUp, [.pageUp, .control("u")]),
        (.top, [.character("g"), .home]), (.bottom, [.character("G"), .end]),
        (.filter, [.character("/")]), (.sort, [.character("s")]), (.focus, [.tab]), (.detail, [.enter]),
        (.approve, [.character("a")]), (.reject, [.character("r")]), (.retake, [.character("t")]), (.hold, [.character("H")]), (.select, [.character(" ")]), (.selectAll, [.character("*")]), (.undo, [.character("u")]),
        (.note, [.character("n")]), (.nextNote, [.character("]")]), (.previousNote, [.character("[")]), (.resolveNote, [.character("X")]),
        (.assign, [.character("A")]), (.myQueue, [.character("m")]), (.view, [.character("w")]),
        (.patch, [.character("p")]), (.edit, [.character("e")]), (.rerender, [.character("R")]),
        (.cancelJob, [.character("c")]), (.export, [.character("E")]), (.compare, [.character("C")]), (.variants, [.character("V")]), (.refine, [.character("N")]),
        (.tabPreview, [.character("i")]), (.tabJSON, [.character("J")]), (.tabVersions, [.character("v")]), (.tabNotes, [.character("o")]),
        (.tabDiff, [.character("d")]), (.tabExplain, [.character("x")]), (.tabPrompt, [.character("P")]),
        (.nextTab, [.right, .character("l")]),
        (.copyHash, [.character("y")]), (.copyJSON, [.character("Y")]),
        (.help, [.character("?")]), (.quit, [.character("q")]),
    ]

    public static let compareDefaults: [(CompareAction, [Key])] = [
        (.compareOlder, [.character("[")]), (.compareNewer, [.character("]")]),
        (.compareFlip, [.character("f")]), (.compareDifference, [.character("D")]),
        (.compareBack, [.escape, .character("C"), .character("q")]),
    ]

    public init() {
        bindings = Self.table(Self.defaults)
        compareBindings = Self.table(Self.compareDefaults)
    }

    public func action(for key: Key) -> Action? { bindings[key] }

    public func compareAction(for key: Key) -> CompareAction? { compareBindings[key] }

    public func keys(for action: Action) -> [Key] { Self.keys(for: action, in: bindings) }

    public func keys(for action: CompareAction) -> [Key] { Self.keys(for: action, in: compareBindings) }

    /// A problem in a keymap file, with its line.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "keys.conf line \(line): \(message)" }
    }

    /// The defaults with the file's bindings applied: an action named in the file gets exactly
    /// the keys listed there. Returns the problems found (the keymap stays usable).
    public static func load(_ text: String) -> (Keymap, [Problem]) {
        var keymap = Keymap()
        var problems: [Problem] = []
        var table = Rebinding(keymap.bindings)
        var compare = Rebinding(keymap.compareBindings)
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let names = parts.count == 2 ? parts[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } : []
            if parts.count == 2, let action = Action(rawValue: parts[0]) {
                table.bind(action, names, line: number, problems: &problems)
            } else if parts.count == 2, let action = CompareAction(rawValue: parts[0]) {
                compare.bind(action, names, line: number, problems: &problems)
            } else {
                problems.append(Problem(line: number, message: "expected `action = key, key` with a known action (got \(TerminalText.clean(String(line.prefix(60)))))"))
            }
        }
        keymap.bindings = table.finished()
        keymap.compareBindings = compare.finished()
        return (keymap, problems)
    }

    /// Where the keymap file is.
    public static func fileURL(environment: [String: String]) -> URL? {
        if let config = environment["XDG_CONFIG_HOME"], !config.isEmpty {
            return URL(fileURLWithPath: config).appendingPathComponent("autodirector/keys.conf")
        }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return URL(fileURLWithPath: home).appendingPathComponent(".config/autodirector/keys.conf")
    }

    private static func table<Named: Hashable>(_ defaults: [(Named, [Key])]) -> [Key: Named] {
        var bindings: [Key: Named] = [:]
        for (action, keys) in defaults { for key in keys { bindings[key] = action } }
        return bindings
    }

    private static func keys<Named: Equatable>(for action: Named, in bindings: [Key: Named]) -> [Key] {
        bindings.filter { $0.value == action }.map(\.key).sorted { $0.name < $1.name }
    }
}

/// One context's bindings while a keymap file is read: conflicts are between actions of the
/// same context (`q` may quit in the table and go back in the compare view).
private struct Rebinding<Named: RawRepresentable & Hashable> where Named.RawValue == String {
    var bindings: [Key: Named]
    var assigned: [Key: (Named, Int)] = [:]

    init(_ bindings: [Key: Named]) { self.bindings = bindings }

    mutating func bind(_ action: Named, _ names: [String], line number: Int, problems: inout [Keymap.Problem]) {
        var keys: [Key] = []
        for name in names where !name.isEmpty {
            guard let key = Key(name: name) else {
                problems.append(Keymap.Problem(line: number, message: "unknown key \(TerminalText.clean(name))"))
                continue
            }
            if let (other, otherLine) = assigned[key], other != action {
                problems.append(Keymap.Problem(line: number, message: "\(name) is already bound to \(other.rawValue) on line \(otherLine)"))
                continue
            }
            assigned[key] = (action, number)
            keys.append(key)
        }
        bindings = bindings.filter { $0.value != action }
        for key in keys { bindings[key] = action }
    }

    /// A default key now taken by another action in the file loses its default action.
    func finished() -> [Key: Named] {
        var bindings = bindings
        for (key, (action, _)) in assigned { bindings[key] = action }
        return bindings
    }
}

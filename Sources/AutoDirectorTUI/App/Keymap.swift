import Foundation

/// Keys → actions (SPEC §14 defaults). A keymap file in the user's XDG config directory
/// (`$XDG_CONFIG_HOME/autodirector/keys.conf`, default `~/.config/…`) rebinds actions, one per
/// line: `approve = a, A`. Lines starting with `#` are comments. A key bound to two actions is
/// a conflict, reported with its line; unknown actions or keys are reported too.
public struct Keymap: Sendable, Equatable {
    public private(set) var bindings: [Key: Action]

    public static let defaults: [(Action, [Key])] = [
        (.down, [.character("j"), .down]), (.up, [.character("k"), .up]),
        (.pageDown, [.pageDown, .control("d")]), (.pageUp, [.pageUp, .control("u")]),
        (.top, [.character("g"), .home]), (.bottom, [.character("G"), .end]),
        (.filter, [.character("/")]), (.sort, [.character("s")]), (.focus, [.tab]), (.detail, [.enter]),
        (.approve, [.character("a")]), (.reject, [.character("r")]), (.select, [.character(" ")]), (.selectAll, [.character("*")]), (.undo, [.character("u")]),
        (.patch, [.character("p")]), (.edit, [.character("e")]), (.rerender, [.character("R")]),
        (.cancelJob, [.character("c")]), (.export, [.character("E")]), (.compare, [.character("C")]),
        (.tabPreview, [.character("i")]), (.tabJSON, [.character("J")]), (.tabVersions, [.character("v")]),
        (.tabDiff, [.character("d")]), (.tabExplain, [.character("x")]), (.tabPrompt, [.character("P")]),
        (.nextTab, [.right, .character("l")]),
        (.copyHash, [.character("y")]), (.copyJSON, [.character("Y")]),
        (.help, [.character("?")]), (.quit, [.character("q")]),
    ]

    public init() {
        var bindings: [Key: Action] = [:]
        for (action, keys) in Self.defaults { for key in keys { bindings[key] = action } }
        self.bindings = bindings
    }

    public func action(for key: Key) -> Action? { bindings[key] }

    public func keys(for action: Action) -> [Key] {
        bindings.filter { $0.value == action }.map(\.key).sorted { $0.name < $1.name }
    }

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
        var assigned: [Key: (Action, Int)] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let action = Action(rawValue: parts[0]) else {
                problems.append(Problem(line: number, message: "expected `action = key, key` with a known action (got \(TerminalText.clean(String(line.prefix(60)))))"))
                continue
            }
            var keys: [Key] = []
            for name in parts[1].split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
                guard let key = Key(name: name) else {
                    problems.append(Problem(line: number, message: "unknown key \(TerminalText.clean(name))"))
                    continue
                }
                if let (other, otherLine) = assigned[key], other != action {
                    problems.append(Problem(line: number, message: "\(name) is already bound to \(other.rawValue) on line \(otherLine)"))
                    continue
                }
                assigned[key] = (action, number)
                keys.append(key)
            }
            keymap.bindings = keymap.bindings.filter { $0.value != action }
            for key in keys { keymap.bindings[key] = action }
        }
        // A default key now taken by another action in the file loses its default action.
        for (key, (action, _)) in assigned { keymap.bindings[key] = action }
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
}

/// One reason a shot spec is invalid, located by its dotted JSON path (SPEC §3).
public struct SpecViolation: Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// A spec refused by validation, with every violation.
public struct InvalidSpecError: Error, Sendable, CustomStringConvertible {
    public var shotID: String?
    public var violations: [SpecViolation]

    public var description: String {
        let subject = shotID.map { "The spec of \($0)" } ?? "The spec"
        let count = violations.count == 1 ? "1 violation" : "\(violations.count) violations"
        return "\(subject) is invalid (\(count)):\n" + violations.map { "  - \($0)" }.joined(separator: "\n")
    }
}

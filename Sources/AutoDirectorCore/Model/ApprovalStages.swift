/// The stages a project approves in, in order (SPEC §17): `stages = art, brand` in the project's
/// configuration. A shot is approved when every stage has approved it, each after the one before;
/// any other decision (a retake at any stage, a rejection, a hold) starts the stages over. No
/// stages named: one stage, and `approve` alone approves, as always.
///
/// The list lives in the project's database, so every machine of a shared project counts the
/// same stages.
public struct ApprovalStages: Sendable, Equatable {
    public static let maximumCount = 8
    public static let maximumNameLength = 32

    public let names: [String]

    public static let single = ApprovalStages(checked: [])

    private init(checked names: [String]) { self.names = names }

    /// Reads `art, brand` (commas or spaces between names). Names are lowercase letters, digits,
    /// `-` and `_`, each named once; an empty text is the single default stage.
    public init(parsing text: String) throws(ApprovalStagesError) {
        let names = text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }).map(String.init)
        guard names.count <= Self.maximumCount else { throw .tooMany(names.count) }
        for name in names where !Self.isValidName(name) { throw .invalidName(name) }
        var seen = Set<String>()
        for name in names where !seen.insert(name).inserted { throw .repeated(name) }
        self.init(checked: names)
    }

    static func isValidName(_ name: String) -> Bool {
        guard (1...maximumNameLength).contains(name.count), let first = name.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
    }

    /// More than one stage: each approval must say its stage.
    public var isStaged: Bool { names.count > 1 }

    /// As the configuration writes it: `art, brand` (empty for the single default stage).
    public var text: String { names.joined(separator: ", ") }

    /// The stage an approval is for: `requested` checked against the list. With one stage or
    /// none the stage may be left out.
    public func stage(for requested: String?) throws(ApprovalStagesError) -> String? {
        guard let requested else {
            if isStaged { throw .stageRequired(names) }
            return names.first
        }
        guard names.contains(requested) else { throw .unknownStage(requested, known: names) }
        return requested
    }

    /// `approved` in the configured order, names no longer configured left out.
    public func ordered(_ approved: [String]) -> [String] { names.filter(approved.contains) }

    /// The first stage of the list that has not approved yet; nil when all have.
    public func awaiting(after approved: [String]) -> String? { names.first { !approved.contains($0) } }

    /// Progress as the table shows it: `art ✓ brand ·` (every mark ✓ once the version is
    /// approved; nothing for the single default stage). `ascii`: `art + brand .`.
    public func progress(approved: [String], status: ReviewStatus, ascii: Bool = false) -> String {
        guard isStaged else { return "" }
        let (done, waiting) = ascii ? ("+", ".") : ("✓", "·")
        return names.map { "\($0) \(status == .approved || approved.contains($0) ? done : waiting)" }.joined(separator: " ")
    }
}

/// Stored form of a version's approved stages: names joined by commas, in the configured order.
enum StoredStages {
    static func text(_ stages: [String]) -> String { stages.joined(separator: ",") }
    static func names(_ text: String?) -> [String] { (text ?? "").split(separator: ",").map(String.init) }
}

public enum ApprovalStagesError: Error, Sendable, Equatable, CustomStringConvertible {
    case tooMany(Int)
    case invalidName(String)
    case repeated(String)
    case stageRequired([String])
    case unknownStage(String, known: [String])
    /// A stage given to a decision other than an approval.
    case stageOnlyForApproval(String, String)

    public var description: String {
        switch self {
        case .tooMany(let count):
            return "A project has at most \(ApprovalStages.maximumCount) approval stages (got \(count))."
        case .invalidName(let name):
            return "\(TextSanitizer.quoted(name)) cannot name a stage: use lowercase letters, digits, - and _ (starting with a letter, at most \(ApprovalStages.maximumNameLength))."
        case .repeated(let name):
            return "Stage \(TextSanitizer.quoted(name)) is named twice."
        case .stageRequired(let names):
            return "This project approves in stages (\(names.joined(separator: ", "))): say which stage the approval is for."
        case .unknownStage(let name, let known):
            let list = known.isEmpty ? "this project has a single stage; leave the stage out" : "its stages: \(known.joined(separator: ", "))"
            return "No approval stage \(TextSanitizer.quoted(name)) in this project (\(list))."
        case .stageOnlyForApproval(let action, let stage):
            return "Only an approval names a stage (got \(TextSanitizer.quoted(stage)) for \(action)); any other decision applies at every stage."
        }
    }
}

extension ApprovalStagesError: CallerError { public var callerKind: CallerErrorKind { .invalid } }

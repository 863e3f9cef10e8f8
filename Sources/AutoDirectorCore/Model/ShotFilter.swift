import Foundation

/// A filter of the batch table that combines terms (SPEC §17), as typed after `/` in the TUI,
/// saved as a view in `tui.conf`, or given to `shots --filter`: every term must hold.
///
///     status:pending,on_hold   review status (also `review:`; `retake`, `hold` for short)
///     render:failed            render status
///     stage:brand              pending and waiting for that approval stage
///     assignee:ana             assigned to ana (`@me`: to me; `none`: to nobody)
///     notes:open               has open notes on its latest version
///     retakes>=2               asked for changes at least twice (`retakes:2` too)
///     new                      changed since my last visit (by someone else)
///     mug                      any other word: the id or subject contains it, or it names a
///                              review or render status exactly
public struct ShotFilter: Sendable, Equatable {
    public var words: [String] = []
    public var statuses: [ReviewStatus] = []
    public var renders: [RenderStatus] = []
    /// `stage:NAME`, as the stored approved stages of a version waiting for it: the stages
    /// before it, in order (approvals go in order, so that is exactly who has approved).
    public var awaitingStage: StageWait?
    public var assignee: Assignee?
    public var openNotes = false
    public var minimumRetakes: Int?
    /// `new`: changed after this time by someone other than `me`.
    public var changedSince: Date?
    /// Who "me" is (`assignee:@me`, and whose own changes are not new).
    public var me = ""

    public struct StageWait: Sendable, Equatable {
        public var name: String
        /// The stored approved stages of a version waiting for `name`.
        public var approvedBefore: String
    }

    public enum Assignee: Sendable, Equatable {
        case named(String)
        case nobody
    }

    public init() {}

    private init(me: String) { self.me = me }

    /// What the filter needs to know besides its text.
    public struct Context: Sendable {
        public var me: String
        /// My previous visit to the project (`new`); nil: never, so every shot is new.
        public var lastVisit: Date?
        public var stages: ApprovalStages

        public init(me: String, lastVisit: Date? = nil, stages: ApprovalStages = .single) {
            self.me = me
            self.lastVisit = lastVisit
            self.stages = stages
        }
    }

    public static func parse(_ text: String, _ context: Context) throws(ShotFilterError) -> ShotFilter {
        var filter = ShotFilter(me: context.me)
        for term in text.split(whereSeparator: \.isWhitespace).map(String.init) {
            if term.lowercased() == "new" {
                filter.changedSince = context.lastVisit ?? .distantPast
                continue
            }
            if let range = term.range(of: ">=") {
                guard term[..<range.lowerBound].lowercased() == "retakes", let count = Int(term[range.upperBound...]), count >= 0 else {
                    throw .invalid(term, "write retakes>=N")
                }
                filter.minimumRetakes = count
                continue
            }
            guard let colon = term.firstIndex(of: ":") else {
                filter.words.append(term)
                continue
            }
            let key = term[..<colon].lowercased()
            let value = String(term[term.index(after: colon)...])
            guard !value.isEmpty else { throw .invalid(term, "give a value after the colon") }
            switch key {
            case "status", "review":
                filter.statuses += try value.split(separator: ",").map { item throws(ShotFilterError) in
                    guard let status = reviewStatus(String(item)) else {
                        throw .invalid(term, "statuses are \(ReviewStatus.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    return status
                }
            case "render":
                filter.renders += try value.split(separator: ",").map { item throws(ShotFilterError) in
                    guard let status = RenderStatus(rawValue: item.lowercased()) else {
                        throw .invalid(term, "render statuses are not_rendered, queued, running, rendered, failed, blocked, cancelled")
                    }
                    return status
                }
            case "stage":
                guard let index = context.stages.names.firstIndex(of: value.lowercased()) else {
                    let known = context.stages.names
                    throw .invalid(term, known.isEmpty ? "this project has a single approval stage" : "its stages are \(known.joined(separator: ", "))")
                }
                filter.awaitingStage = StageWait(name: context.stages.names[index], approvedBefore: StoredStages.text(Array(context.stages.names[..<index])))
            case "assignee":
                switch value.lowercased() {
                case "@me": filter.assignee = .named(context.me)
                case "none", "-": filter.assignee = .nobody
                default: filter.assignee = .named(value)
                }
            case "notes":
                guard value.lowercased() == "open" else { throw .invalid(term, "write notes:open") }
                filter.openNotes = true
            case "retakes":
                guard let count = Int(value), count >= 0 else { throw .invalid(term, "write retakes:N (at least N)") }
                filter.minimumRetakes = count
            default:
                throw .unknownKey(String(key))
            }
        }
        return filter
    }

    private static func reviewStatus(_ text: String) -> ReviewStatus? {
        switch text.lowercased() {
        case "retake", "retakes": return .changesRequested
        case "hold": return .onHold
        case let other: return ReviewStatus(rawValue: other)
        }
    }
}

public enum ShotFilterError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownKey(String)
    case invalid(String, String)

    public var description: String {
        switch self {
        case .unknownKey(let key):
            return "The filter has no \(TextSanitizer.quoted(key + ":")) term; it knows status:, render:, stage:, assignee:, notes:open, retakes>=N and new."
        case .invalid(let term, let hint):
            return "The filter term \(TextSanitizer.quoted(term)) cannot be read: \(hint)."
        }
    }
}

extension ShotFilterError: CallerError { public var callerKind: CallerErrorKind { .invalid } }

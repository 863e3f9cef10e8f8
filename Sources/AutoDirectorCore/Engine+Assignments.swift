import Foundation

/// Assignment (SPEC §17): which reviewer a shot waits for. A bulk action is one transaction,
/// all or nothing; every change is logged with who made it and when.
extension Engine {
    public func assign(_ shotIDs: [String], to assignee: String, reviewer: String) throws -> AssignmentOutcome {
        let name = try ReviewerName.checked(assignee)
        return try EngineError.reporting { try store.assign(shotIDs, to: name, by: reviewer, at: clock()) }
    }

    public func unassign(_ shotIDs: [String], reviewer: String) throws -> AssignmentOutcome {
        try EngineError.reporting { try store.assign(shotIDs, to: nil, by: reviewer, at: clock()) }
    }

    public func assignee(of shotID: String) throws -> String? {
        _ = try shot(shotID)
        return try store.assignee(of: shotID)
    }

    public func assignmentLog(of shotID: String) throws -> [AssignmentEntry] {
        _ = try shot(shotID)
        return try store.assignmentLog(of: shotID)
    }
}

/// A reviewer's name as an assignee: some visible text, short, with nothing a terminal would act on.
enum ReviewerName {
    static func checked(_ name: String) throws -> String {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= 100, TextSanitizer.visible(trimmed) == trimmed else {
            throw EngineError.invalidAssignee(String(name.prefix(100)))
        }
        return trimmed
    }
}

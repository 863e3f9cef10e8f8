import Foundation

/// What an assignment action did: the shots it changed, and those already so.
public struct AssignmentOutcome: Sendable, Equatable {
    public var changed: [String]
    public var unchanged: [String]

    public init(changed: [String] = [], unchanged: [String] = []) {
        self.changed = changed
        self.unchanged = unchanged
    }
}

/// One change of a shot's assignment in the log (`assignee` nil: unassigned).
public struct AssignmentEntry: Sendable, Equatable {
    public var shotID: String
    public var assignee: String?
    public var reviewer: String
    public var at: Date

    public init(shotID: String, assignee: String?, reviewer: String, at: Date) {
        self.shotID = shotID
        self.assignee = assignee
        self.reviewer = reviewer
        self.at = at
    }
}

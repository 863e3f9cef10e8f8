/// A review decision (SPEC §8, §17): the status it sets and the words reports use. The CLI's
/// commands, `serve`'s endpoints and the TUI's keys of the same name all go through
/// `Engine.review(_:_:version:note:reviewer:)` with one of these.
public enum ReviewAction: String, CaseIterable, Sendable {
    case approve, reject, retake, hold, release

    /// The status the versions end with.
    public var status: ReviewStatus {
        switch self {
        case .approve: return .approved
        case .reject: return .rejected
        case .retake: return .changesRequested
        case .hold: return .onHold
        case .release: return .pending
        }
    }

    /// A note saying why is required (a rejection, a retake).
    public var needsNote: Bool { status.needsNote }

    /// Before a shot and its version in a report: "Approved PROD-001 v2", "On hold: PROD-001 v2".
    public var past: String {
        switch self {
        case .approve: return "Approved"
        case .reject: return "Rejected"
        case .retake: return "Changes requested on"
        case .hold: return "On hold:"
        case .release: return "Released"
        }
    }
}

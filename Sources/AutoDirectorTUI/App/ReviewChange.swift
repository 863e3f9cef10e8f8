import AutoDirectorCore

/// A review decision the TUI makes besides approve (SPEC §17): each the engine's call of the
/// same name, with the words its prompt, question and message use.
public enum ReviewChange: String, Sendable, Equatable {
    case reject, retake, hold, release

    /// The status the versions end with.
    var status: ReviewStatus {
        switch self {
        case .reject: return .rejected
        case .retake: return .changesRequested
        case .hold: return .onHold
        case .release: return .pending
        }
    }

    /// "Reject", "Request changes on" … (before the shots; with `?` as a question).
    var question: String {
        switch self {
        case .reject: return "Reject"
        case .retake: return "Request changes on"
        case .hold: return "Put on hold"
        case .release: return "Release"
        }
    }

    var progressive: String {
        switch self {
        case .reject: return "Rejecting"
        case .retake: return "Requesting changes on"
        case .hold: return "Putting on hold"
        case .release: return "Releasing"
        }
    }

    var past: String {
        switch self {
        case .reject: return "Rejected"
        case .retake: return "Changes requested on"
        case .hold: return "On hold:"
        case .release: return "Released"
        }
    }

    /// Said when the note prompt is submitted empty.
    var noteRequired: String {
        self == .retake ? "A retake needs a note saying what to change:" : "A rejection needs a note:"
    }

    func apply(_ engine: Engine, _ ids: [String], note: String?, reviewer: String) throws -> ReviewOutcome {
        switch self {
        case .reject: return try engine.reject(ids, note: note ?? "", reviewer: reviewer)
        case .retake: return try engine.retake(ids, note: note ?? "", reviewer: reviewer)
        case .hold: return try engine.hold(ids, note: note, reviewer: reviewer)
        case .release: return try engine.release(ids, note: note, reviewer: reviewer)
        }
    }
}

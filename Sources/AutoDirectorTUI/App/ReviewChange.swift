import AutoDirectorCore

/// A review decision the TUI makes besides approve (SPEC §17): the engine's `ReviewAction` of
/// the same name, with the words the TUI's prompt, question and progress use.
public enum ReviewChange: String, Sendable, Equatable {
    case reject, retake, hold, release

    var action: ReviewAction {
        switch self {
        case .reject: return .reject
        case .retake: return .retake
        case .hold: return .hold
        case .release: return .release
        }
    }

    /// The status the versions end with.
    var status: ReviewStatus { action.status }

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

    var past: String { action.past }

    /// Said when the note prompt is submitted empty.
    var noteRequired: String {
        self == .retake ? "A retake needs a note saying what to change:" : "A rejection needs a note:"
    }

    func apply(_ engine: Engine, _ ids: [String], note: String?, pin: NotePin? = nil, reviewer: String) throws -> ReviewOutcome {
        try engine.review(action, ids, note: note, pin: pin, reviewer: reviewer)
    }
}

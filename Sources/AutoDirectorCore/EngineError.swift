/// Errors of engine actions, each one sentence a user can act on. The sentences name no face's
/// commands or flags: the command line adds its own hint (`commandLineHint`), the service and
/// the TUI theirs.
public enum EngineError: Error, Sendable, CustomStringConvertible, Equatable {
    case unknownBatch(String, known: [String])
    case unknownShot(String)
    case unknownVersion(String, Int)
    case notRendered(String, Int, RenderStatus)
    /// A retake or a rejection without a note.
    case noteRequired(ReviewStatus)
    /// `release` of a version that is not on hold.
    case notOnHold(String, Int, ReviewStatus)
    /// Every reason the action was refused for, one per shot: nothing was changed.
    case reviewRefused([EngineError])
    case nothingToUndo(String)
    case patchChangesNothing(String, Int)
    case emptyPatch
    case shotNotPlanned(String)
    case undoSuperseded(Int64)
    case unknownJob(Int64)
    case renderBusy(String)
    case shotBusy(String)
    case unknownNote(Int64)
    case emptyNote
    case noteTooLong(limit: Int)
    /// A pin given to an action that writes no note.
    case pinWithoutNote(ReviewAction)
    case invalidAssignee(String)
    /// An approval at a stage whose earlier stage has not approved yet.
    case stageOutOfOrder(String, Int, stage: String, awaiting: String)
    /// A version proposed from the latest (a refinement, a picked variant) found another
    /// version stored since: nothing was stored.
    case baseMoved(String, Int)
    /// A new shot (from a picture) given an id another shot of the project has.
    case shotIDTaken(String)

    public var description: String {
        switch self {
        case .unknownBatch(let id, let known):
            let list = known.isEmpty ? "no batches yet; ingest a file first" : "known: \(known.joined(separator: ", "))"
            return "No batch \(TextSanitizer.quoted(id)) in this project (\(list))."
        case .unknownShot(let id):
            return "No shot \(TextSanitizer.quoted(id)) in this project."
        case .unknownVersion(let id, let number):
            return "Shot \(TextSanitizer.quoted(id)) has no version \(number)."
        case .notRendered(let id, let number, let status):
            return "Cannot approve \(TextSanitizer.visible(id)) v\(number): it has not been rendered (render status: \(status.rawValue.replacingOccurrences(of: "_", with: " "))); render it first."
        case .noteRequired(let status):
            return status == .changesRequested ? "A retake needs a note saying what to change." : "A rejection needs a note saying why."
        case .notOnHold(let id, let number, let status):
            return "\(TextSanitizer.visible(id)) v\(number) is not on hold (it is \(status.label)); only a version on hold is released."
        case .reviewRefused(let reasons) where reasons.count == 1:
            return reasons[0].description + " Nothing was changed."
        case .reviewRefused(let reasons):
            // A wrong list of 100k ids is refused in a screenful, not 100k lines.
            let shown = reasons.prefix(20).map { "  - \($0.description)" }
            let more = reasons.count > 20 ? ["  … and \(reasons.count - 20) more."] : []
            return "The review was refused and nothing was changed:\n" + (shown + more).joined(separator: "\n")
        case .nothingToUndo(let reviewer):
            return "There is no review action by \(TextSanitizer.quoted(reviewer)) left to undo."
        case .patchChangesNothing(let id, let number):
            return "The patch changes nothing in \(TextSanitizer.visible(id)) v\(number); no version was created."
        case .emptyPatch:
            return "No patch given: pass a merge patch ({…}), a JSON Patch ([…]) or dotted assignments (camera.fov=60)."
        case .unknownJob(let id):
            return "No render job \(id) in this project."
        case .renderBusy(let holder):
            return "Another process is rendering in this project (\(holder)); its jobs finish there."
        case .undoSuperseded(let action):
            return "Nothing to undo: every version of your latest review action (\(action)) has been reviewed again since."
        case .shotBusy(let id):
            return "Shot \(TextSanitizer.quoted(id)) kept getting new versions from others while the patch was applied; nothing was stored. Try again."
        case .unknownNote(let id):
            return "No note \(id) in this project."
        case .emptyNote:
            return "A note needs some text."
        case .noteTooLong(let limit):
            return "A note is at most \(limit) characters."
        case .pinWithoutNote(let action):
            return "Only a note can be pinned: \(action.rawValue) writes none (a retake's note, or a note of its own, can be)."
        case .invalidAssignee(let name):
            return "\(TextSanitizer.quoted(name)) cannot be an assignee: give a reviewer's name (visible text, at most 100 characters)."
        case .stageOutOfOrder(let id, let number, let stage, let awaiting):
            return "\(TextSanitizer.visible(id)) v\(number) waits for the \(awaiting) stage's approval before \(stage) can approve it."
        case .baseMoved(let id, let number):
            return "\(TextSanitizer.visible(id)) v\(number) is no longer the latest version: another was stored meanwhile. Nothing was stored; start again from the latest."
        case .shotNotPlanned(let id):
            return "Shot \(TextSanitizer.quoted(id)) is ingested but not planned yet; plan its batch first."
        case .shotIDTaken(let id):
            return "The project has a shot \(TextSanitizer.quoted(id)) already; shot ids are unique across batches. Nothing was stored."
        }
    }
}

extension EngineError {
    /// Runs a store action, reporting a record it found missing as the engine's error.
    static func reporting<T>(_ action: () throws -> T) throws -> T {
        do { return try action() } catch let missing as MissingRecord {
            switch missing {
            case .shot(let id): throw EngineError.unknownShot(id)
            case .version(let id, let number): throw EngineError.unknownVersion(id, number)
            case .note(let id): throw EngineError.unknownNote(id)
            }
        }
    }
}

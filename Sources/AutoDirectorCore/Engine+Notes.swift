import Foundation

/// Notes on a version (SPEC §17): written, answered (one level of threads), resolved and
/// reopened without changing the version's review status. Each is one transaction; every state
/// change is logged with its reviewer and time.
extension Engine {
    /// Writes a note on a shot's latest version (or `version`), pinned on the picture or not.
    public func writeNote(_ shotID: String, version: Int? = nil, text: String, pin: NotePin? = nil, author: String) throws -> Note {
        let draft = NoteDraft(target: .version(shotID: shotID, number: version), author: author, body: try NoteText.checked(text), pin: pin)
        return try EngineError.reporting { try store.writeNote(draft, at: clock()) }
    }

    /// Answers a note: the reply joins its thread (a reply to a reply, the same thread).
    public func reply(to noteID: Int64, text: String, author: String) throws -> Note {
        let draft = NoteDraft(target: .reply(to: noteID), author: author, body: try NoteText.checked(text), pin: nil)
        return try EngineError.reporting { try store.writeNote(draft, at: clock()) }
    }

    /// Resolves the thread a note belongs to; `changed` is false when it already was.
    public func resolveNote(_ id: Int64, reviewer: String) throws -> NoteStateChange {
        try EngineError.reporting { try store.setThreadState(of: id, to: .resolved, reviewer: reviewer, at: clock()) }
    }

    /// Opens the thread a note belongs to again.
    public func reopenNote(_ id: Int64, reviewer: String) throws -> NoteStateChange {
        try EngineError.reporting { try store.setThreadState(of: id, to: .open, reviewer: reviewer, at: clock()) }
    }

    public func note(_ id: Int64) throws -> Note {
        guard let note = try store.note(id) else { throw EngineError.unknownNote(id) }
        return note
    }

    /// A version's threads (the latest version when `version` is nil), and the retake notes of
    /// the version before it, which it answers.
    public func notes(of shotID: String, version: Int? = nil) throws -> VersionNotes {
        let number = try self.version(of: shotID, number: version).number
        let threads = NoteThread.threads(of: try store.notes(shotID: shotID, version: number))
        let answers = number > 1
            ? NoteThread.threads(of: try store.notes(shotID: shotID, version: number - 1)).filter { $0.note.isRetake && $0.note.state != .withdrawn }
            : []
        return VersionNotes(shotID: shotID, version: number, threads: threads, answers: answers)
    }

    /// Every state change of a shot's notes, in order (the notes themselves carry their author
    /// and time).
    public func noteLog(of shotID: String) throws -> [NoteEvent] {
        _ = try shot(shotID)
        return try store.noteLog(of: shotID)
    }
}

/// A version's notes as the faces show them.
public struct VersionNotes: Sendable, Equatable {
    public var shotID: String
    public var version: Int
    public var threads: [NoteThread]
    /// The retake notes of the version before, which this version answers (numbered as there).
    public var answers: [NoteThread]

    public var openCount: Int { threads.filter(\.note.isOpen).count }
}

/// The text of a note, checked before anything is stored.
enum NoteText {
    static let limit = 4000

    static func checked(_ text: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw EngineError.emptyNote }
        guard trimmed.count <= limit else { throw EngineError.noteTooLong(limit: limit) }
        return trimmed
    }
}

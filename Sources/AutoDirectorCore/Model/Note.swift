import Foundation

/// A note on one version of a shot (SPEC §17): it says something without changing the version's
/// review status. A note with no parent starts a thread; a reply belongs to one (threads are one
/// level deep). A retake's note is a note too, written by the review action.
public struct Note: Sendable, Equatable {
    public enum State: String, Sendable, Codable, CaseIterable {
        case open, resolved
        /// The retake that wrote it was undone.
        case withdrawn
    }

    public var id: Int64
    public var shotID: String
    public var version: Int
    /// The thread's first note, for a reply.
    public var parentID: Int64?
    public var author: String
    public var body: String
    public var pin: NotePin?
    /// The review action (a retake) that wrote it.
    public var actionID: Int64?
    public var state: State
    public var createdAt: Date
    /// Who set the state and when; nil while the note was never resolved.
    public var changedBy: String?
    public var changedAt: Date?

    public init(
        id: Int64, shotID: String, version: Int, parentID: Int64? = nil, author: String, body: String, pin: NotePin? = nil,
        actionID: Int64? = nil, state: State = .open, createdAt: Date, changedBy: String? = nil, changedAt: Date? = nil
    ) {
        self.id = id
        self.shotID = shotID
        self.version = version
        self.parentID = parentID
        self.author = author
        self.body = body
        self.pin = pin
        self.actionID = actionID
        self.state = state
        self.createdAt = createdAt
        self.changedBy = changedBy
        self.changedAt = changedAt
    }

    public var isOpen: Bool { state == .open }
    /// Written by a retake: what the next version is to change.
    public var isRetake: Bool { actionID != nil }
}

/// A thread of notes on a version: its first note, numbered among the version's threads in the
/// order they were written (the number drawn on its pin), and the replies in order.
public struct NoteThread: Sendable, Equatable {
    public var number: Int
    public var note: Note
    public var replies: [Note]

    public init(number: Int, note: Note, replies: [Note]) {
        self.number = number
        self.note = note
        self.replies = replies
    }

    /// Threads of one version's notes (given in id order).
    public static func threads(of notes: [Note]) -> [NoteThread] {
        let replies = Dictionary(grouping: notes.filter { $0.parentID != nil }, by: { $0.parentID! })
        return notes.filter { $0.parentID == nil }.enumerated().map { index, note in
            NoteThread(number: index + 1, note: note, replies: replies[note.id] ?? [])
        }
    }
}

/// One change of a note's state in the log (resolved, reopened as `open`, withdrawn).
public struct NoteEvent: Sendable, Equatable {
    public var id: Int64
    public var noteID: Int64
    public var state: Note.State
    public var reviewer: String
    public var at: Date

    public init(id: Int64, noteID: Int64, state: Note.State, reviewer: String, at: Date) {
        self.id = id
        self.noteID = noteID
        self.state = state
        self.reviewer = reviewer
        self.at = at
    }
}

/// A note to write: on a version (the latest when `version` is nil), or a reply to a note.
struct NoteDraft: Sendable {
    enum Target: Sendable {
        case version(shotID: String, number: Int?)
        case reply(to: Int64)
    }

    var target: Target
    var author: String
    var body: String
    var pin: NotePin?
}

/// A note a review action opens on each version it changes (a retake's note).
struct NoteToOpen: Sendable {
    var body: String
    var pin: NotePin?
}

/// What setting a thread's state did: the thread's first note after it, and whether it changed.
public struct NoteStateChange: Sendable, Equatable {
    public var note: Note
    public var changed: Bool
}

import Foundation
import PostgresNIO

/// Notes on versions (SPEC §17) in a shared project, as `SQLiteStore`'s.
extension PostgresStore {
    static let noteColumns = SQLiteStore.noteColumns

    func writeNote(_ draft: NoteDraft, at clock: @autoclosure () -> Date) throws -> Note {
        try write { tx in
            let now = clock()
            let shotID: String, version: Int, parentID: Int64?
            switch draft.target {
            case .version(let id, let number):
                guard let latest = try tx.one("SELECT MAX(number) FROM versions WHERE shot_id = \(id)", as: Int64?.self) ?? nil else {
                    throw MissingRecord.shot(id)
                }
                let wanted = number ?? Int(latest)
                guard try tx.one("SELECT 1 FROM versions WHERE shot_id = \(id) AND number = \(Int64(wanted))", as: Int32.self) != nil else {
                    throw MissingRecord.version(id, wanted)
                }
                (shotID, version, parentID) = (id, wanted, nil)
            case .reply(let noteID):
                guard let row = try tx.rows("SELECT shot_id, version, parent_id FROM notes WHERE id = \(noteID)").first else {
                    throw MissingRecord.note(noteID)
                }
                // One level of threads: a reply to a reply joins the first note's thread.
                (shotID, version, parentID) = (try row.string(0), try row.int(1), try row.at(2, as: Int64?.self) ?? noteID)
            }
            let note = Note(
                id: 0, shotID: shotID, version: version, parentID: parentID, author: draft.author, body: draft.body, pin: draft.pin,
                createdAt: now)
            return try Self.insert(note, tx)
        }
    }

    static func insert(_ note: Note, _ tx: PostgresTransaction) throws -> Note {
        let pin = note.pin
        let id = try tx.one("""
            INSERT INTO notes (shot_id, version, parent_id, author, body, pin_x, pin_y, pin_w, pin_h, action_id, state, created_at)
            VALUES (\(note.shotID), \(Int64(note.version)), \(note.parentID), \(note.author), \(note.body), \(pin?.x), \(pin?.y),
                \(pin?.size?.width), \(pin?.size?.height), \(note.actionID), \(note.state.rawValue), \(StoredDate.text(note.createdAt)))
            RETURNING id
            """, as: Int64.self) ?? 0
        var stored = note
        stored.id = id
        return stored
    }

    func notes(shotID: String, version: Int) throws -> [Note] {
        try read { tx in
            try tx.rows(
                "SELECT \(unescaped: Self.noteColumns) FROM notes WHERE shot_id = \(shotID) AND version = \(Int64(version)) ORDER BY id"
            ).map(Self.note)
        }
    }

    func note(_ id: Int64) throws -> Note? {
        try read { tx in try tx.rows("SELECT \(unescaped: Self.noteColumns) FROM notes WHERE id = \(id)").first.map(Self.note) }
    }

    func setThreadState(of id: Int64, to state: Note.State, reviewer: String, at clock: @autoclosure () -> Date) throws -> NoteStateChange {
        try write { tx in
            let now = clock()
            guard let parent = try tx.rows("SELECT parent_id FROM notes WHERE id = \(id)").first else { throw MissingRecord.note(id) }
            let threadID = try parent.at(0, as: Int64?.self) ?? id
            guard var thread = try tx.rows("SELECT \(unescaped: Self.noteColumns) FROM notes WHERE id = \(threadID)").first.map(Self.note)
            else { throw MissingRecord.note(threadID) }
            guard thread.state != state else { return NoteStateChange(note: thread, changed: false) }
            try Self.setState(of: threadID, to: state, reviewer: reviewer, at: StoredDate.text(now), tx)
            (thread.state, thread.changedBy, thread.changedAt) = (state, reviewer, StoredDate.date(StoredDate.text(now)))
            return NoteStateChange(note: thread, changed: true)
        }
    }

    private static func setState(of noteID: Int64, to state: Note.State, reviewer: String, at now: String, _ tx: PostgresTransaction) throws {
        try tx.execute("UPDATE notes SET state = \(state.rawValue), changed_by = \(reviewer), changed_at = \(now) WHERE id = \(noteID)")
        try tx.execute("INSERT INTO note_log (note_id, state, reviewer, at) VALUES (\(noteID), \(state.rawValue), \(reviewer), \(now))")
    }

    /// Withdraws the open notes action `actionID` wrote on `target` (its retake is undone).
    static func withdrawNotes(of actionID: Int64, on target: ReviewTarget, reviewer: String, at now: String, _ tx: PostgresTransaction) throws {
        let ids = try tx.column("""
            SELECT id FROM notes WHERE action_id = \(actionID) AND shot_id = \(target.shotID) AND version = \(Int64(target.version))
            AND state = 'open'
            """, as: Int64.self)
        for id in ids { try setState(of: id, to: .withdrawn, reviewer: reviewer, at: now, tx) }
    }

    func noteLog(of shotID: String) throws -> [NoteEvent] {
        try read { tx in
            try tx.rows("""
                SELECT l.id, l.note_id, l.state, l.reviewer, l.at FROM note_log l JOIN notes n ON n.id = l.note_id
                WHERE n.shot_id = \(shotID) ORDER BY l.id
                """
            ).map { row in
                NoteEvent(
                    id: try row.at(0, as: Int64.self), noteID: try row.at(1, as: Int64.self),
                    state: Note.State(rawValue: try row.string(2)) ?? .open, reviewer: try row.string(3), at: try row.date(4))
            }
        }
    }

    static func note(_ row: PostgresRow) throws -> Note {
        Note(
            id: try row.at(0, as: Int64.self), shotID: try row.string(1), version: try row.int(2), parentID: try row.at(3, as: Int64?.self),
            author: try row.string(4), body: try row.string(5),
            pin: storedPin(
                x: try row.at(6, as: Double?.self), y: try row.at(7, as: Double?.self), width: try row.at(8, as: Double?.self),
                height: try row.at(9, as: Double?.self)),
            actionID: try row.at(10, as: Int64?.self), state: Note.State(rawValue: try row.string(11)) ?? .open, createdAt: try row.date(12),
            changedBy: try row.optionalString(13), changedAt: try row.optionalDate(14))
    }
}

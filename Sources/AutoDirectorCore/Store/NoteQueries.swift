import Foundation
import GRDB

/// Notes on versions (SPEC §17) in the embedded store.
extension SQLiteStore {
    static let noteColumns =
        "id, shot_id, version, parent_id, author, body, pin_x, pin_y, pin_w, pin_h, action_id, state, created_at, changed_by, changed_at"

    func writeNote(_ draft: NoteDraft, at clock: @autoclosure () -> Date) throws -> Note {
        try write { db in
            let now = clock()
            let shotID: String, version: Int, parentID: Int64?
            switch draft.target {
            case .version(let id, let number):
                guard let latest = try Int.fetchOne(db, sql: "SELECT MAX(number) FROM versions WHERE shot_id = ?", arguments: [id]) else {
                    throw MissingRecord.shot(id)
                }
                let wanted = number ?? latest
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM versions WHERE shot_id = ? AND number = ?", arguments: [id, wanted]) != nil else {
                    throw MissingRecord.version(id, wanted)
                }
                (shotID, version, parentID) = (id, wanted, nil)
            case .reply(let noteID):
                guard let row = try Row.fetchOne(db, sql: "SELECT shot_id, version, parent_id FROM notes WHERE id = ?", arguments: [noteID]) else {
                    throw MissingRecord.note(noteID)
                }
                // One level of threads: a reply to a reply joins the first note's thread.
                let parent: Int64? = row[2]
                (shotID, version, parentID) = (row[0], row[1], parent ?? noteID)
            }
            let note = Note(
                id: 0, shotID: shotID, version: version, parentID: parentID, author: draft.author, body: draft.body, pin: draft.pin,
                createdAt: now)
            return try Self.insert(note, db)
        }
    }

    /// Inserts `note` (its id is the database's) and returns it with its id.
    static func insert(_ note: Note, _ db: Database) throws -> Note {
        try db.cachedStatement(
            sql: """
                INSERT INTO notes (shot_id, version, parent_id, author, body, pin_x, pin_y, pin_w, pin_h, action_id, state, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            note.shotID, note.version, note.parentID, note.author, note.body, note.pin?.x, note.pin?.y, note.pin?.size?.width,
            note.pin?.size?.height, note.actionID, note.state.rawValue, note.createdAt,
        ])
        var stored = note
        stored.id = db.lastInsertedRowID
        return stored
    }

    func notes(shotID: String, version: Int) throws -> [Note] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT \(Self.noteColumns) FROM notes WHERE shot_id = ? AND version = ? ORDER BY id", arguments: [shotID, version]
            ).map(Self.note)
        }
    }

    func note(_ id: Int64) throws -> Note? {
        try read { db in try Row.fetchOne(db, sql: "SELECT \(Self.noteColumns) FROM notes WHERE id = ?", arguments: [id]).map(Self.note) }
    }

    func setThreadState(of id: Int64, to state: Note.State, reviewer: String, at clock: @autoclosure () -> Date) throws -> NoteStateChange {
        try write { db in
            let now = clock()
            guard let parent = try Row.fetchOne(db, sql: "SELECT parent_id FROM notes WHERE id = ?", arguments: [id]) else {
                throw MissingRecord.note(id)
            }
            let threadID: Int64 = (parent[0] as Int64?) ?? id
            guard var thread = try Row.fetchOne(db, sql: "SELECT \(Self.noteColumns) FROM notes WHERE id = ?", arguments: [threadID]).map(Self.note)
            else { throw MissingRecord.note(threadID) }
            guard thread.state != state else { return NoteStateChange(note: thread, changed: false) }
            try Self.setState(of: threadID, to: state, reviewer: reviewer, at: now, db)
            (thread.state, thread.changedBy, thread.changedAt) = (state, reviewer, now)
            return NoteStateChange(note: thread, changed: true)
        }
    }

    static func setState(of noteID: Int64, to state: Note.State, reviewer: String, at now: Date, _ db: Database) throws {
        try db.cachedStatement(sql: "UPDATE notes SET state = ?, changed_by = ?, changed_at = ? WHERE id = ?")
            .execute(arguments: [state.rawValue, reviewer, now, noteID])
        try db.cachedStatement(sql: "INSERT INTO note_log (note_id, state, reviewer, at) VALUES (?, ?, ?, ?)")
            .execute(arguments: [noteID, state.rawValue, reviewer, now])
    }

    /// Withdraws the open notes action `actionID` wrote on `target` (its retake is undone).
    static func withdrawNotes(of actionID: Int64, on target: ReviewTarget, reviewer: String, at now: Date, _ db: Database) throws {
        let ids = try Int64.fetchAll(
            db.cachedStatement(sql: "SELECT id FROM notes WHERE action_id = ? AND shot_id = ? AND version = ? AND state = 'open'"),
            arguments: [actionID, target.shotID, target.version])
        for id in ids { try setState(of: id, to: .withdrawn, reviewer: reviewer, at: now, db) }
    }

    func noteLog(of shotID: String) throws -> [NoteEvent] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT l.id, l.note_id, l.state, l.reviewer, l.at FROM note_log l JOIN notes n ON n.id = l.note_id
                    WHERE n.shot_id = ? ORDER BY l.id
                    """,
                arguments: [shotID]
            ).map { row in
                NoteEvent(id: row[0], noteID: row[1], state: Note.State(rawValue: row[2]) ?? .open, reviewer: row[3], at: row[4])
            }
        }
    }

    static func note(_ row: Row) -> Note {
        Note(
            id: row[0], shotID: row[1], version: row[2], parentID: row[3], author: row[4], body: row[5],
            pin: storedPin(x: row[6], y: row[7], width: row[8], height: row[9]), actionID: row[10],
            state: Note.State(rawValue: row[11]) ?? .open, createdAt: row[12], changedBy: row[13], changedAt: row[14])
    }
}

/// A pin as the stores keep it: nil without a position (or with one that no longer checks).
func storedPin(x: Double?, y: Double?, width: Double?, height: Double?) -> NotePin? {
    guard let x, let y else { return nil }
    return try? NotePin.make(x: x, y: y, width: width, height: height)
}

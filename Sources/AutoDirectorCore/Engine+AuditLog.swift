import Foundation

/// One shot's audit log (SPEC §17): every review decision, note, note state change and
/// assignment, with who and when, in the order they happened — the same whichever face made them.
extension Engine {
    public func auditLog(of shotID: String) throws -> [AuditEvent] {
        let versions = try self.versions(of: shotID)
        var events: [AuditEvent] = []
        for entry in try reviewLog(of: shotID) {
            // A stage's approval says which stage ("approved at art"), whatever the status became.
            let action = entry.undoes != nil ? "undo → \(entry.status.rawValue)" : entry.stage.map { "approved at \($0)" } ?? entry.status.rawValue
            events.append(AuditEvent(at: entry.at, reviewer: entry.reviewer, version: entry.version, action: action, text: entry.note, order: (0, entry.id)))
        }
        var notesByID: [Int64: Note] = [:]
        for version in versions {
            for note in try store.notes(shotID: shotID, version: version.number) {
                notesByID[note.id] = note
                // A retake's note is written by the review action logged above; it is named here
                // too, as the note it became.
                let action = note.parentID != nil ? "reply" : note.isRetake ? "retake note" : "note"
                events.append(AuditEvent(
                    at: note.createdAt, reviewer: note.author, version: note.version, action: action, text: note.body, noteID: note.id,
                    pin: note.pin, order: (1, note.id)))
            }
        }
        for change in try store.noteLog(of: shotID) {
            let action = change.state == .open ? "reopened" : change.state.rawValue
            events.append(AuditEvent(
                at: change.at, reviewer: change.reviewer, version: notesByID[change.noteID]?.version, action: action, noteID: change.noteID,
                order: (2, change.id)))
        }
        for (index, entry) in try assignmentLog(of: shotID).enumerated() {
            events.append(AuditEvent(
                at: entry.at, reviewer: entry.reviewer, version: nil, action: entry.assignee == nil ? "unassigned" : "assigned",
                text: entry.assignee, order: (3, Int64(index))))
        }
        // By time; what one transaction wrote at the same instant keeps the order of its kinds.
        return events.sorted { ($0.at, $0.order.kind, $0.order.id) < ($1.at, $1.order.kind, $1.order.id) }
    }
}

/// An entry of a shot's audit log.
public struct AuditEvent: Sendable, Equatable {
    public var at: Date
    public var reviewer: String
    /// The version it is about (nil: the shot, as an assignment is).
    public var version: Int?
    /// `approved`, `changes_requested`, `undo → pending`, `note`, `reply`, `resolved`,
    /// `reopened`, `assigned` …
    public var action: String
    /// A note's text, a decision's note, an assignee.
    public var text: String?
    public var noteID: Int64?
    public var pin: NotePin?
    /// Where it sorts among entries of the same instant.
    var order: (kind: Int, id: Int64)

    public static func == (a: AuditEvent, b: AuditEvent) -> Bool {
        a.at == b.at && a.reviewer == b.reviewer && a.version == b.version && a.action == b.action && a.text == b.text
            && a.noteID == b.noteID && a.pin == b.pin
    }

    init(
        at: Date, reviewer: String, version: Int?, action: String, text: String? = nil, noteID: Int64? = nil, pin: NotePin? = nil,
        order: (Int, Int64)
    ) {
        (self.at, self.reviewer, self.version, self.action, self.text, self.noteID, self.pin) = (at, reviewer, version, action, text, noteID, pin)
        self.order = (order.0, order.1)
    }

    /// As JSON, the same from `log --json` and `GET /shots/{id}/log`.
    public var json: JSONValue {
        var object: JSONObject = ["at": .string(Timestamp.milliseconds(at)), "reviewer": .string(reviewer), "action": .string(action)]
        if let version { object["version"] = .number(Double(version)) }
        if let text { object["text"] = .string(text) }
        if let noteID { object["note_id"] = .number(Double(noteID)) }
        if let pin { object["pin"] = pin.json }
        return .object(object)
    }
}

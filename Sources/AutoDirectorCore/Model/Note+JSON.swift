import Foundation

/// Notes as JSON, the same from the command line (`--json`) and the service.
extension Note {
    public var json: JSONValue {
        var object: JSONObject = [
            "id": .number(Double(id)), "shot_id": .string(shotID), "version": .number(Double(version)),
            "author": .string(author), "text": .string(body), "state": .string(state.rawValue),
            "retake": .bool(isRetake), "created_at": .string(Timestamp.milliseconds(createdAt)),
        ]
        if let parentID { object["reply_to"] = .number(Double(parentID)) }
        if let pin { object["pin"] = pin.json }
        if let changedBy, let changedAt {
            object["changed_by"] = .string(changedBy)
            object["changed_at"] = .string(Timestamp.milliseconds(changedAt))
        }
        return .object(object)
    }
}

extension NotePin {
    /// `{"x", "y"}` for a point, with `"w", "h"` for a rectangle.
    public var json: JSONValue {
        var object: JSONObject = ["x": .number(x), "y": .number(y)]
        if let size {
            object["w"] = .number(size.width)
            object["h"] = .number(size.height)
        }
        return .object(object)
    }
}

extension NoteThread {
    public var json: JSONValue {
        guard case .object(var object) = note.json else { return .null }
        object["number"] = .number(Double(number))
        object["replies"] = .array(replies.map(\.json))
        return .object(object)
    }
}

extension VersionNotes {
    public var json: JSONValue {
        [
            "shot_id": .string(shotID), "version": .number(Double(version)), "threads": .array(threads.map(\.json)),
            "answers": .array(answers.map { ["version": .number(Double($0.note.version)), "number": .number(Double($0.number)), "id": .number(Double($0.note.id))] }),
        ]
    }
}

extension NoteEvent {
    public var json: JSONValue {
        [
            "id": .number(Double(id)), "note_id": .number(Double(noteID)), "state": .string(state.rawValue),
            "reviewer": .string(reviewer), "at": .string(Timestamp.milliseconds(at)),
        ]
    }
}

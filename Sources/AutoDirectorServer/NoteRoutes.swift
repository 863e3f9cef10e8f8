import AutoDirectorCore
import Hummingbird

/// Notes on a shot version (SPEC §17), as the commands `notes`, `note`, `reply`, `resolve`
/// and `reopen`: the same JSON, the same errors (404 for an unknown shot, version or note).
extension ServiceContext {
    func noteRoutes(_ router: ServiceRoutes) {
        router.get("/shots/:id/notes") { request, context -> Response in
            let id = try Self.shotID(context)
            let number = try Self.optionalInt(request, "version")
            let notes = try await engine { try $0.notes(of: id, version: number) }
            return JSONResponse.make(notes.json)
        }

        // {"text", "pin": {"x", "y"[, "w", "h"]}, "version"}
        router.post("/shots/:id/notes") { request, context -> Response in
            let id = try Self.shotID(context)
            let body = try await jsonBody(request)
            try JSONResponse.only(body, ["text", "pin", "version"])
            let text = try Self.noteText(body)
            let pin = try Self.pin(body)
            let number = try Self.version(body)
            let author = options.reviewer
            let note = try await engine { try $0.writeNote(id, version: number, text: text, pin: pin, author: author) }
            return JSONResponse.make(note.json, status: .created)
        }

        router.post("/notes/:note/replies") { request, context -> Response in
            let noteID = try Self.noteID(context)
            let body = try await jsonBody(request)
            try JSONResponse.only(body, ["text"])
            let text = try Self.noteText(body)
            let author = options.reviewer
            let reply = try await engine { try $0.reply(to: noteID, text: text, author: author) }
            return JSONResponse.make(reply.json, status: .created)
        }

        router.get("/notes/:note") { _, context -> Response in
            let noteID = try Self.noteID(context)
            return JSONResponse.make(try await engine { try $0.note(noteID) }.json)
        }

        for state in [Note.State.resolved, .open] {
            router.post("/notes/:note/\(state == .resolved ? "resolve" : "reopen")") { _, context -> Response in
                let noteID = try Self.noteID(context)
                let reviewer = options.reviewer
                let change = try await engine { engine in
                    state == .resolved ? try engine.resolveNote(noteID, reviewer: reviewer) : try engine.reopenNote(noteID, reviewer: reviewer)
                }
                return JSONResponse.make(["note": change.note.json, "changed": .bool(change.changed)])
            }
        }
    }

    /// A note id in the path: a positive integer, else no such note.
    static func noteID(_ context: some RequestContext) throws -> Int64 {
        let text = try context.parameters.require("note")
        guard let id = Int64(text), id > 0 else { throw APIError(.notFound, "No note \(APIError.quoted(text)) in this project.") }
        return id
    }

    static func noteText(_ body: JSONObject) throws -> String {
        guard let text = try JSONResponse.string(body, "text") else {
            throw APIError.validation(["body", "text"], "Field required", type: "missing")
        }
        return text
    }

    static func version(_ body: JSONObject) throws -> Int? {
        guard let value = body["version"], value != .null else { return nil }
        guard case .number(let number) = value, number >= 1, number == number.rounded(), number < 1e9 else {
            throw APIError.validation(["body", "version"], "Input should be a valid integer", type: "int_parsing", input: value)
        }
        return Int(number)
    }

    /// An optional pin: `{"x", "y"}` for a point, with `"w"` and `"h"` for a rectangle.
    static func pin(_ body: JSONObject) throws -> NotePin? {
        guard let value = body["pin"], value != .null else { return nil }
        guard case .object(let object) = value else {
            throw APIError.validation(["body", "pin"], "Input should be an object with x, y (and w, h for a rectangle)", type: "dict_type", input: value)
        }
        try JSONResponse.only(object, ["x", "y", "w", "h"])
        func number(_ key: String) throws -> Double? {
            guard let field = object[key], field != .null else { return nil }
            guard case .number(let number) = field else {
                throw APIError.validation(["body", "pin", key], "Input should be a valid number", type: "float_type", input: field)
            }
            return number
        }
        guard let x = try number("x"), let y = try number("y") else {
            throw APIError.validation(["body", "pin"], "A pin needs x and y", type: "missing", input: value)
        }
        do { return try NotePin.make(x: x, y: y, width: number("w"), height: number("h")) } catch let error as NotePinError {
            throw APIError.validation(["body", "pin"], error.description, type: "value_error", input: value)
        }
    }
}

import ArgumentParser
import AutoDirectorCore
import Foundation

/// Where a note is pinned on the picture: `--at X,Y` or `--box X,Y,W,H` (image coordinates 0…1).
struct PinOptions: ParsableArguments {
    @Option(name: .customLong("at"), help: ArgumentHelp("Pin the note on a point of the picture (0…1 across and down).", valueName: "X,Y"))
    var point: String?

    @Option(name: .customLong("box"), help: ArgumentHelp("Pin the note on a rectangle of the picture (top left X,Y; width, height).", valueName: "X,Y,W,H"))
    var box: String?

    func validate() throws {
        if point != nil && box != nil { throw ValidationError("Give --at or --box, not both.") }
        if let point, case .box = try pin(point) { throw ValidationError("--at takes X,Y; a rectangle is --box X,Y,W,H.") }
        if let box, case .point = try pin(box) { throw ValidationError("--box takes X,Y,W,H; a point is --at X,Y.") }
    }

    var notePin: NotePin? {
        get throws { try (point ?? box).map(pin) }
    }

    private func pin(_ text: String) throws -> NotePin {
        do { return try NotePin.parse(text) } catch let error as NotePinError { throw ValidationError(error.description) }
    }
}

struct NoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "note", abstract: "Write a note on a shot version without changing its status, pinned on the picture or not.")

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var pin: PinOptions

    @Argument(help: "The shot id.")
    var shot: String

    @Argument(help: "The note.")
    var text: String

    @Option(name: .long, help: "The version (default: the latest).")
    var version: Int?

    @Option(name: .long, help: "Who writes it (default: $USER).")
    var reviewer: String?

    func run() throws {
        let note = try project.engine().writeNote(shot, version: version, text: text, pin: pin.notePin, author: Reviewer.resolve(reviewer))
        NoteReport.written(note, json: output.json)
    }
}

struct ReplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reply", abstract: "Answer a note: the reply joins its thread (threads are one level deep).")

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The note answered (its number from `notes`).")
    var note: Int64

    @Argument(help: "The reply.")
    var text: String

    @Option(name: .long, help: "Who writes it (default: $USER).")
    var reviewer: String?

    func run() throws {
        let reply = try project.engine().reply(to: note, text: text, author: Reviewer.resolve(reviewer))
        NoteReport.written(reply, json: output.json)
    }
}

struct NotesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notes", abstract: "A shot version's notes, thread by thread, with their pins, and the retake notes it answers.")

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The shot id.")
    var shot: String

    @Option(name: .long, help: "The version (default: the latest).")
    var version: Int?

    func run() throws {
        let notes = try project.engine().notes(of: shot, version: version)
        if output.json { return Print.json(notes.json) }
        Print.line(NoteReport.lines(notes).joined(separator: "\n"))
    }
}

/// `resolve NOTE…` and `reopen NOTE…`: the state of the threads the notes belong to.
protocol NoteStateCommand: ParsableCommand {
    static var state: Note.State { get }
    var project: ProjectOptions { get }
    var output: OutputOptions { get }
    var notes: [Int64] { get }
    var reviewer: String? { get }
}

extension NoteStateCommand {
    func run() throws {
        let engine = try project.engine()
        let reviewer = Reviewer.resolve(self.reviewer)
        var changes: [NoteStateChange] = []
        for id in notes {
            changes.append(try Self.state == .resolved ? engine.resolveNote(id, reviewer: reviewer) : engine.reopenNote(id, reviewer: reviewer))
        }
        if output.json { return Print.json(.array(changes.map { ["note": $0.note.json, "changed": .bool($0.changed)] })) }
        for change in changes {
            let name = "note \(change.note.id) on \(TextSanitizer.visible(change.note.shotID)) v\(change.note.version)"
            Print.line(change.changed ? "\(Self.state == .resolved ? "Resolved" : "Reopened") \(name)" : "\(name) was already \(Self.state.rawValue)")
        }
    }
}

struct ResolveCommand: NoteStateCommand {
    static let configuration = CommandConfiguration(commandName: "resolve", abstract: "Resolve notes (a reply's id resolves its thread).")
    static let state = Note.State.resolved

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The notes (their numbers from `notes`).")
    var notes: [Int64]

    @Option(name: .long, help: "Who resolves them (default: $USER).")
    var reviewer: String?
}

struct ReopenCommand: NoteStateCommand {
    static let configuration = CommandConfiguration(commandName: "reopen", abstract: "Open resolved notes again.")
    static let state = Note.State.open

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The notes (their numbers from `notes`).")
    var notes: [Int64]

    @Option(name: .long, help: "Who reopens them (default: $USER).")
    var reviewer: String?
}

enum NoteReport {
    static func written(_ note: Note, json: Bool) {
        if json { return Print.json(note.json) }
        let what = note.parentID.map { "Reply \(note.id) to note \($0)" } ?? "Note \(note.id)"
        let pin = note.pin.map { " pinned at \($0.text)" } ?? ""
        Print.line("\(what) on \(TextSanitizer.visible(note.shotID)) v\(note.version)\(pin)")
    }

    /// Threads as `#1 [open] (note 12, ana, pinned at 0.4,0.6): text`, replies indented.
    static func lines(_ notes: VersionNotes) -> [String] {
        var lines = ["\(TextSanitizer.visible(notes.shotID)) v\(notes.version): \(notes.threads.count) notes, \(notes.openCount) open"]
        if !notes.answers.isEmpty {
            let list = notes.answers.map { "#\($0.number) (note \($0.note.id))" }.joined(separator: ", ")
            lines.append("answers the retake notes of v\(notes.version - 1): \(list)")
        }
        for thread in notes.threads {
            let note = thread.note
            let pin = note.pin.map { ", pinned at \($0.text)" } ?? ""
            let retake = note.isRetake ? ", retake" : ""
            lines.append("#\(thread.number) [\(note.state.rawValue)] (note \(note.id), \(note.author), \(note.createdAt.iso8601)\(retake)\(pin)): \(note.body)")
            for reply in thread.replies {
                lines.append("    ↳ (note \(reply.id), \(reply.author), \(reply.createdAt.iso8601)): \(reply.body)")
            }
        }
        return lines.map { TextSanitizer.visible($0) }
    }
}

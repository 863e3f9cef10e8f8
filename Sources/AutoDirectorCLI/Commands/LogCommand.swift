import ArgumentParser
import AutoDirectorCore

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "A shot's audit log: every decision, note, note state change and assignment, with who and when.")

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The shot id.")
    var shot: String

    func run() throws {
        let events = try project.engine().auditLog(of: shot)
        if output.json { return Print.json(.array(events.map(\.json))) }
        if events.isEmpty { return Print.line("Nothing logged for \(TextSanitizer.visible(shot)) yet.") }
        for event in events {
            var line = "\(event.at.iso8601)  \(event.reviewer)  \(event.version.map { "v\($0)" } ?? "--")  \(event.action)"
            if let id = event.noteID { line += " (note \(id))" }
            if let pin = event.pin { line += " pinned at \(pin.text)" }
            if let text = event.text { line += " — \(text)" }
            Print.line(TextSanitizer.visible(line))
        }
    }
}

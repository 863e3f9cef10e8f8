import ArgumentParser
import AutoDirectorCore

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "compare", abstract: "List what changed between two versions of a shot.")

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The shot id.")
    var shot: String

    @Argument(help: "The older version number.")
    var a: Int

    @Argument(help: "The newer version number.")
    var b: Int

    func run() throws {
        let changes = try project.engine().compare(shot, a, b)
        if output.json {
            Print.json(.array(changes.map(JSONRepresentation.change)))
            return
        }
        if changes.isEmpty {
            Print.line("v\(a) and v\(b) of \(TextSanitizer.visible(shot)) are identical.")
            return
        }
        Print.table(
            ["KIND", "PATH", "POINTER", "OLD", "NEW"],
            changes.map {
                [$0.kind.rawValue, $0.dottedPath, $0.pointer.description,
                 $0.oldValue.map(JSONWriter.compact) ?? "-", $0.newValue.map(JSONWriter.compact) ?? "-"]
            })
    }
}

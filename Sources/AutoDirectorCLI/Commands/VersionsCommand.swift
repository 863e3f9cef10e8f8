import ArgumentParser
import AutoDirectorCore

struct VersionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "versions", abstract: "List every version of a shot with its lineage and status.")

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The shot id.")
    var shot: String

    func run() throws {
        let versions = try project.engine().versions(of: shot)
        if output.json {
            Print.json(.array(versions.map { JSONRepresentation.version($0, includeSpec: false) }))
            return
        }
        Print.table(
            ["VER", "HASH", "PARENT", "ORIGIN", "RENDER", "REVIEW", "CREATED"],
            versions.map {
                ["v\($0.number)", $0.shortHash, $0.parentHash.map { String($0.prefix(12)) } ?? "-", $0.origin.rawValue,
                 $0.renderStatus.rawValue, $0.review.rawValue, $0.createdAt.iso8601]
            })
    }
}

import ArgumentParser
import AutoDirectorCore

struct ShotsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "shots", abstract: "List shots with their latest version, render status and review.")

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: "Only the shots of this batch.")
    var batch: String?

    @Option(name: .long, help: "Only shots with this review status (pending, approved, changes_requested, rejected, on_hold).")
    var review: ReviewStatus?

    func run() throws {
        var shots = try project.engine().shots(batchID: batch)
        if let review { shots = shots.filter { $0.review == review } }
        if output.json {
            Print.json(.array(shots.map(JSONRepresentation.summary)))
            return
        }
        Print.table(
            ["SHOT", "SUBJECT", "VER", "RENDER", "REVIEW", "HASH"],
            shots.map { [$0.shot.id, $0.shot.subject, "v\($0.shot.latestVersion)", $0.renderStatus.rawValue, $0.review.label, String($0.hash.prefix(12))] })
    }
}

extension ReviewStatus: ExpressibleByArgument {}

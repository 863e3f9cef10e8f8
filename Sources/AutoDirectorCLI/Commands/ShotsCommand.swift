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

    @Option(name: .long, help: "Only the shots assigned to this reviewer.")
    var assignee: String?

    @Flag(name: .long, help: "Only my queue: shots assigned to me ($USER, or --assignee) still pending.")
    var mine = false

    func run() throws {
        let engine = try project.engine()
        var shots = try engine.shots(batchID: batch)
        if let review { shots = shots.filter { $0.review == review } }
        if assignee != nil || mine {
            let query = ShotQuery(batchID: batch, assignee: assignee ?? Reviewer.resolve(nil), awaitingDecision: mine)
            let assigned = Set(try engine.shotIDs(matching: query))
            shots = shots.filter { assigned.contains($0.shot.id) }
        }
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

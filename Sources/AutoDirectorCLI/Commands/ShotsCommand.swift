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
        // A project with approval stages shows each shot's progress through them.
        let stages = try engine.approvalStages()
        Print.table(
            ["SHOT", "SUBJECT", "VER", "RENDER", "REVIEW"] + (stages.isStaged ? ["STAGES"] : []) + ["HASH"],
            shots.map { shot in
                [shot.shot.id, shot.shot.subject, "v\(shot.shot.latestVersion)", shot.renderStatus.rawValue, shot.review.label]
                    + (stages.isStaged ? [stages.progress(approved: shot.approvedStages, status: shot.review)] : []) + [String(shot.hash.prefix(12))]
            })
    }
}

extension ReviewStatus: ExpressibleByArgument {}

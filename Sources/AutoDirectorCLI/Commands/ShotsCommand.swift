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

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Only shots every term matches, as the TUI's / takes them.",
            discussion: """
                status:pending,on_hold  render:failed  stage:brand (waiting for it)  assignee:ana|@me|none  notes:open                  retakes>=2  new (changed by others since your last TUI visit)  and words of an id or subject.
                """,
            valueName: "TERMS"))
    var filter: String?

    func run() throws {
        let engine = try project.engine()
        var shots = try engine.shots(batchID: batch)
        if let review { shots = shots.filter { $0.review == review } }
        if assignee != nil || mine {
            let query = ShotQuery(batchID: batch, assignee: assignee ?? Reviewer.resolve(nil), awaitingDecision: mine)
            let assigned = Set(try engine.shotIDs(matching: query))
            shots = shots.filter { assigned.contains($0.shot.id) }
        }
        if let filter {
            let me = Reviewer.resolve(nil)
            let query = ShotQuery(batchID: batch, filter: filter, reviewer: me, lastVisit: try engine.lastVisit(reviewer: me))
            let matching = Set(try engine.shotIDs(matching: query))
            shots = shots.filter { matching.contains($0.shot.id) }
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

import Foundation
import AutoDirectorCore

/// Everything that can change the state: keys, the terminal, and results posted by the effect
/// interpreter from its own threads.
public enum AppEvent: Sendable, Equatable {
    case key(Key)
    case resize(width: Int, height: Int)
    case pageLoaded(ShotPage, ShotQuery)
    case detailLoaded(ShotDetail)
    case render(RenderEvent)
    /// An action finished; the text says what happened. Data changed: reload what is shown.
    case done(String)
    case failed(String)
    /// The JSON came back from $EDITOR.
    case edited(shotID: String, json: String)
    /// Another process committed to the project: reload what is shown. (This process's own
    /// writes arrive as `.reviewed`, `.done` and render events instead, once each.)
    case storeChanged
    /// A review decision was written; the rows it names show its status at once.
    case reviewed(ReviewDecision)
    /// The ids matching a query, for `*` (select every shot the filter matches).
    case matching([String], ShotQuery)
    /// The project's latest job, when this process is not the one rendering it.
    case jobLoaded(JobStatus?)
    /// The project's approval stages (read at start and when another process commits).
    case stagesLoaded(ApprovalStages)
    /// This visit is recorded; the one before it (nil: the first) marks what is new.
    case visitRecorded(previous: Date?)
    /// This process's background render stopped (done, failed or paused).
    case renderStopped
    /// The compare view's versions, images and changes.
    case compareLoaded(CompareData)
    /// The compare view of a shot could not be loaded (it closes, saying why).
    case compareFailed(shotID: String, String)
    /// The variants view's pictures, rendered or found in the cache.
    case variantsLoaded(VariantsData)
    /// The variants could not be rendered, or the pick stored (the text says why).
    case variantsFailed(shotID: String, String)
    /// A variant was picked and stored as the shot's next version (the text says which).
    case variantPicked(shotID: String, String)
    /// FIBO's prompt model answered a note: its changes wait for confirmation.
    case refinementProposed(Refinement)
    /// What re-rendering the selected shots will call and cost ("12 provider calls, cost
    /// 0.48"): the question waits for y.
    case rerenderEstimated([String], String)
    /// An image's graphics sequence is encoded (in the `GraphicsCache`): draw again.
    case graphicsReady(String)
    /// An image's graphics sequence could not be made (placement key, and the status line's
    /// sentence saying so): the view draws it in cells instead.
    case graphicsFailed(key: String, String)
}

/// What a review action wrote, as the store answered it.
public struct ReviewDecision: Sendable, Equatable {
    /// Nil when each shot's status depends on where it stands (an approval at a stage).
    public var status: ReviewStatus?
    /// Shots whose latest version now has `status` (changed or already so).
    public var shotIDs: [String]
    public var message: String

    public init(status: ReviewStatus?, shotIDs: [String], message: String) {
        self.status = status
        self.shotIDs = shotIDs
        self.message = message
    }
}

/// Work `update` asks for; the `EffectInterpreter` runs it off the UI thread and posts events back.
public enum Effect: Sendable, Equatable {
    case loadPage(ShotQuery)
    case loadDetail(shotID: String)
    /// An approval, at `stage` in a project with approval stages.
    case approve([String], stage: String?)
    case loadStages
    /// Records this reviewer's visit (at start).
    case recordVisit
    /// A review change; a retake's note pinned where `pin` says.
    case review(ReviewChange, [String], note: String?, pin: NotePin? = nil)
    case writeNote(shotID: String, text: String, pin: NotePin?)
    case assign([String], to: String)
    /// Resolves (or reopens) a thread; `number` is the one shown.
    case setNoteState(noteID: Int64, number: Int, resolved: Bool)
    case undo
    case patch(shotID: String, assignments: String)
    case replaceSpec(shotID: String, json: String)
    case rerender([String])
    /// Counts the provider calls (and their cost) of re-rendering these shots, before asking.
    case estimateRerender([String])
    case editJSON(shotID: String, json: String)
    case cancelJob(Int64)
    case export(batchID: String?)
    case selectMatching(ShotQuery)
    case loadCompare(shotID: String, left: Int?, right: Int?)
    case loadVariants(shotID: String, count: Int)
    /// Makes the variant with `seed` of version `version` the shot's next version.
    case pickVariant(shotID: String, version: Int, seed: UInt32)
    case proposeRefinement(shotID: String, note: String)
    case acceptRefinement(Refinement)
    case loadJob
    case copy(String)
    case quit
}

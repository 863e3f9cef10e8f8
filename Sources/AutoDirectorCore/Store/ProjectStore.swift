import Foundation

/// What the engine needs of a project's database, as small domain protocols with one
/// implementation per database: `SQLiteStore` (the embedded default, GRDB) and `PostgresStore`
/// (a shared project, postgres-nio). Each implementation keeps its own SQL and bulk paths; one
/// conformance suite (`StoreConformanceTests`) holds both to the same behaviour. Every method
/// that writes is one transaction: stored together or not at all.
typealias ProjectStore = ProjectCatalog & ProjectSettings & VisitLog & VersionStore & ReviewStore & NoteStore & AssignmentStore & RenderQueue & SubmissionRecords & ArtifactIndex
    & StoreMaintenance

/// Batches, their stored rows, the project's shot registry, and planning.
protocol ProjectCatalog: Sendable {
    /// Stores an ingested file as a new batch in one transaction, written while the file is still
    /// being read; the same bytes ingested again return the existing batch and store nothing.
    func insertBatch(_ file: IngestedFile, at clock: @autoclosure () -> Date) throws -> (id: String, rows: Int, isNew: Bool)
    func batches() throws -> [Batch]
    func batch(_ id: String) throws -> Batch?
    func storedRows(of batchID: String) throws -> StoredRows?
    /// The stored source row of a shot: its batch, line and the row verbatim.
    func sourceRow(of shotID: String) throws -> (batchID: String, line: Int, value: JSONValue)?
    /// Stores a plan's results in one transaction, each shot as `reconciliation` decides from
    /// the shot's stored versions (SPEC §5), with the planning files it was made from
    /// (`PlanFiles`); returns its summary.
    func applyPlan(
        _ planned: PlanStream, batchID: String, preset: String?, files: PlanFiles, at clock: @autoclosure () -> Date,
        reconciliation: PlanReconciliation
    ) throws -> PlanSummary
    /// The planning files the batch was last planned with (none before its first plan).
    func planFiles(of batchID: String) throws -> PlanFiles
    /// A planned shot (one with versions), or nil.
    func shot(_ id: String) throws -> Shot?
    /// Whether the id was ingested, planned or not.
    func shotIsRegistered(_ id: String) throws -> Bool
    /// The batch table: each planned shot with its latest version's state, in batch and file order.
    func shotSummaries(batchID: String?) throws -> [ShotSummary]
    /// One window of the batch table, with the count of matching shots.
    func shotPage(_ query: ShotQuery, _ filter: ShotFilter) throws -> ShotPage
    /// Every shot id the query's batch and filter match, in its order.
    func shotIDs(matching query: ShotQuery, _ filter: ShotFilter) throws -> [String]
}

/// Versions of shots: the frozen specs, and what was made of them.
protocol VersionStore: Sendable {
    /// Stores a shot made outside ingest in its batch (after every other), with its first
    /// version, and queues its render, in one transaction; `.taken` when the id is not free.
    func insertShot(_ shot: NewShot, at clock: @autoclosure () -> Date) throws -> NewShotInsert
    /// Stores a patched version as the shot's next one and queues its render; `.baseMoved` when
    /// `base` was the latest and another version landed since (nothing is stored then).
    func insertPatchedVersion(_ patched: PatchedSpec, base: ShotVersion, baseWasLatest: Bool, at clock: @autoclosure () -> Date) throws
        -> PatchedInsert
    func versions(of shotID: String) throws -> [ShotVersion]
    func version(of shotID: String, number: Int) throws -> ShotVersion?
    /// The latest version of every planned shot (of one batch, or all; of only `shotIDs` when
    /// given: selected in SQL, so a re-render of one shot reads one row), in batch and file order.
    func latestVersions(batchID: String?, shotIDs: [String]?) throws -> [(shotID: String, version: Int, hash: String)]
    /// Every version an export of the batch lists, in bundle order, and the batch's shot count.
    func exportedVersions(batchID: String, allVersions: Bool) throws -> (shots: Int, versions: [ExportedVersion])
    /// Many versions' specs in one read, by version (an export's provenance).
    func specs(of keys: [VersionKey]) throws -> [VersionKey: JSONObject]
    /// How long the provider took for a version's image (its latest rendered job item).
    func renderDurationMS(shotID: String, version: Int) throws -> Int?
}

/// The project's configuration kept in its database, so every machine of a shared project
/// reads the same (`stages`).
protocol ProjectSettings: Sendable {
    func setting(_ key: String) throws -> String?
    /// Sets a value, or removes it (nil).
    func setSetting(_ key: String, to value: String?) throws
    func settings() throws -> [(key: String, value: String)]
}

/// Each reviewer's latest visit to the project, for "new since I last looked" (SPEC §17).
protocol VisitLog: Sendable {
    /// Records a visit now and returns the one before (nil: the first).
    func recordVisit(reviewer: String, at clock: @autoclosure () -> Date) throws -> Date?
    func lastVisit(reviewer: String) throws -> Date?
}

/// Review decisions and their append-only log (SPEC §8).
protocol ReviewStore: Sendable {
    /// One review action over the requested versions, each as `judge` decides from what is
    /// stored: every change is logged, or (when `judge` refuses any) none is and
    /// `ReviewRefusal` is thrown. `stage` is the approval stage the action is for, as logged. With `opening`, each version changed gets that note (a
    /// retake's), written by the action.
    func review(
        _ requests: [ReviewRequest], stage: String?, note: String?, opening: NoteToOpen?, reviewer: String,
        at clock: @autoclosure () -> Date, judge: (ReviewCandidate) -> ReviewVerdict
    ) throws -> ReviewOutcome
    /// Undoes the reviewer's latest action not yet undone, as a new action that logs what
    /// `judge` decides for each of its versions (in one transaction). The notes the undone
    /// action opened on a version it restores are withdrawn.
    func undoLastReview(reviewer: String, at clock: @autoclosure () -> Date, judge: (UndoCandidate) -> UndoVerdict) throws -> UndoResult
    func reviewLog(of shotID: String) throws -> [ReviewEntry]
    /// The batch's notes (withdrawn ones left out), assignees, retake counts and approved
    /// stages, for its export: a few queries, however many shots.
    func exportedReviews(batchID: String) throws -> ExportedReviews
}

/// Notes on versions and the log of their states (SPEC §17).
protocol NoteStore: Sendable {
    /// Writes a note in one transaction; a reply joins the thread of the note it answers.
    /// `MissingRecord` when the shot, the version or the note answered is not there.
    func writeNote(_ draft: NoteDraft, at clock: @autoclosure () -> Date) throws -> Note
    /// A version's notes, in the order they were written.
    func notes(shotID: String, version: Int) throws -> [Note]
    func note(_ id: Int64) throws -> Note?
    /// Sets the state of the thread `id` belongs to (its first note) and logs the change;
    /// `MissingRecord` when there is no such note.
    func setThreadState(of id: Int64, to state: Note.State, reviewer: String, at clock: @autoclosure () -> Date) throws -> NoteStateChange
    /// Every state change of the shot's notes, in order.
    func noteLog(of shotID: String) throws -> [NoteEvent]
}

/// Who reviews which shot (SPEC §17).
protocol AssignmentStore: Sendable {
    /// Assigns the shots to `assignee` (nil: unassigns them) in one transaction, logging each
    /// change; a shot already so is left alone. `MissingRecord.shot` for the first shot that is
    /// not there: nothing is changed.
    func assign(_ shotIDs: [String], to assignee: String?, by reviewer: String, at clock: @autoclosure () -> Date) throws -> AssignmentOutcome
    func assignee(of shotID: String) throws -> String?
    /// Every assignment change of a shot, in order.
    func assignmentLog(of shotID: String) throws -> [AssignmentEntry]
}

/// Render jobs and their items.
protocol RenderQueue: Sendable {
    func createRenderJob(
        _ items: [(shotID: String, version: Int, hash: String)], reason: String, force: Bool, at clock: @autoclosure () -> Date
    ) throws -> Int64
    func jobs(limit: Int) throws -> [RenderJob]
    func job(_ id: Int64) throws -> RenderJob?
    func jobItems(_ id: Int64, states: [JobItem.State]?) throws -> [JobItem]
    /// Jobs that still have work: queued ones, and running ones whose runner died.
    func unfinishedJobIDs() throws -> [Int64]
    func jobState(_ id: Int64) throws -> RenderJob.State?
    /// Marks a job running. On one machine, items left running by a runner that died go back to
    /// the queue; on a shared project, an item's lease decides (`RenderLeases`).
    func startJob(_ id: Int64, provider: String, at clock: @autoclosure () -> Date) throws
    /// Stores finished items and their artifacts together.
    func recordOutcomes(_ outcomes: [ItemOutcome], jobID: Int64, at clock: @autoclosure () -> Date) throws
    /// Puts a running job back in the queue (its runner stopped).
    func pauseJob(_ id: Int64) throws
    /// Closes a job in the state `decide` gives for what is stored (`JobClosing.finalState`).
    @discardableResult
    func finishJob(_ id: Int64, at clock: @autoclosure () -> Date, decide: (JobClosing) -> RenderJob.State) throws -> RenderJob.State
    /// Cancels a queued or running job; false when it was neither.
    func cancelJob(_ id: Int64, at clock: @autoclosure () -> Date) throws -> Bool
    /// Queues a finished job's failed, blocked and cancelled items again; how many.
    func retryJob(_ id: Int64) throws -> Int
    /// Versions waiting in an unfinished job, each with that job (of only `shotIDs` when given).
    func waitingVersions(shotIDs: [String]?) throws -> [VersionKey: Int64]
    /// The looks of a job's queued items, by id.
    func renderLooks(jobID: Int64) throws -> RenderLooks
    /// Up to `limit` queued items of a job after item id `after`, in queue order.
    func renderRequestPage(jobID: Int64, after: Int64, limit: Int, looks: RenderLooks) throws -> [RenderRequest]
    /// Metrics of the whole project, or of one batch's items.
    func renderMetrics(batchID: String?) throws -> RenderMetrics
    /// The spec hash of every item waiting (queued or running) in an unfinished job.
    func waitingHashes() throws -> [String]
    /// The generation parameters of the versions with these hashes (read from their looks).
    func generationParameters(ofHashes hashes: Set<String>) throws -> [String: GenerationParameters]
    /// The spec hash of every billed item — rendered by the provider, or accepted by it (a
    /// request id) — that ended or was submitted at or after `since` (every one when nil).
    func billedHashes(since: Date?) throws -> [String]
    /// The generation member (compact JSON; nil: the defaults) of every render made outside a
    /// job (`DirectRenderCall`) at or after `since` (every one when nil).
    func directRenderGenerations(since: Date?) throws -> [String?]
}

/// The embedded project's one renderer (a shared project has `RenderLeases` instead).
protocol ExclusiveRendering: Sendable {
    /// Taken without waiting (`EngineError.renderBusy` names the holder), held until released
    /// or the process dies. `projectDirectory`: where the project keeps its lock file.
    func takeRenderLock(projectDirectory: URL) throws -> any RenderLock
}

/// The submission journal's durable states (see `SubmissionJournal`).
protocol SubmissionRecords: Sendable {
    func recordSubmissions(_ states: [(jobID: Int64, items: [VersionKey], state: SubmissionJournal.State)], at now: Date) throws
}

/// Which spec hashes have an image, and where it is.
protocol ArtifactIndex: Sendable {
    /// Records an artifact for its spec hash; the first one stored for a hash wins. `call`: the
    /// provider call of a render made outside a job, recorded with it.
    func insertArtifact(_ artifact: Artifact, compiledPrompt: String?, call: DirectRenderCall?) throws
    /// The forced re-renders whose picture came out other, by hash (of only `hashes` when given).
    func renderDrifts(of hashes: [String]?) throws -> [String: [RenderDriftRecord]]
    func artifact(for hash: String) throws -> Artifact?
    /// The spec hashes that already have an artifact (of only `among` when given).
    func renderedHashes(among hashes: [String]?) throws -> Set<String>
    /// The spec hashes of a job's items that already have an artifact.
    func renderedHashes(inJob jobID: Int64) throws -> Set<String>
}

extension ArtifactIndex {
    /// Records an artifact a job rendered, or one brought in from elsewhere: no call of its own.
    func insertArtifact(_ artifact: Artifact, compiledPrompt: String?) throws {
        try insertArtifact(artifact, compiledPrompt: compiledPrompt, call: nil)
    }
}

/// The database itself: where it is, its schema and health, and who else wrote to it.
protocol StoreMaintenance: Sendable {
    /// Where the database is, for people: a file's path, or a URL without its password.
    var location: String { get }
    /// Opened for reading only: every write is refused with `StoreError.readOnly`.
    var isReadOnly: Bool { get }
    func schemaVersion() throws -> String
    func integrityCheck() throws -> String
    func counts() throws -> StoreCounts
    /// A watcher that tells when another process has committed to the project.
    func changeWatcher() throws -> any ChangeWatching
}

extension RenderQueue {
    func jobs() throws -> [RenderJob] { try jobs(limit: 50) }
    func jobItems(_ id: Int64) throws -> [JobItem] { try jobItems(id, states: nil) }

    /// The render requests of a job's queued items, in job order (all pages at once: for tests
    /// and small jobs).
    func renderRequests(jobID: Int64) throws -> [RenderRequest] {
        let looks = try renderLooks(jobID: jobID)
        var all: [RenderRequest] = []
        var after: Int64 = 0
        while true {
            let page = try renderRequestPage(jobID: jobID, after: after, limit: 4096, looks: looks)
            all += page
            guard let last = page.last, page.count == 4096 else { return all }
            after = last.jobItemID
        }
    }
}

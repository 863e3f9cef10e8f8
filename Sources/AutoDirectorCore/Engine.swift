import Foundation

/// The one facade the command line and the terminal UI call. It owns the project store and the
/// planning assets; it never prints and never parses arguments.
public final class Engine: Sendable {
    /// The project's database: the engine's own, so that every caller goes through the engine's
    /// API (its policy and errors), not around it.
    let store: any ProjectStore

    /// The project directory (where the local configuration, artifacts, uploads and exports
    /// live, and the database unless the project is shared).
    public let projectDirectory: URL
    /// A shared project's database (SPEC §16); nil for the project directory's SQLite file.
    public let database: DatabaseURL?
    public let assets: AssetCatalog
    /// Where this machine keeps and finds image files: the project directory, or a shared
    /// directory or S3 bucket (`AUTODIRECTOR_ARTIFACTS`) every machine of a shared project reaches.
    public let artifacts: ArtifactFiles
    /// Injected so that tests control time; pure logic never reads the clock.
    let clock: @Sendable () -> Date
    let openedAt: Date
    public let provider: String
    /// Bounds on what one patch may cost (`PatchLimits`; the CLI reads them from the environment).
    public let patchLimits: PatchLimits

    /// `database`: a shared project's PostgreSQL database (SPEC §16); nil for the project's own
    /// SQLite file. `artifactsLocation`: a shared directory or S3 bucket for image files (see
    /// `ArtifactFiles`); nil for the project directory's. `onUpgrade`: see `SQLiteStore.init`.
    public init(
        projectDirectory: URL, database: DatabaseURL? = nil, artifactsLocation: ArtifactsLocation? = nil, mode: StoreOpenMode = .existing,
        provider: String = "mock",
        clock: @escaping @Sendable () -> Date = { Date() }, patchLimits: PatchLimits = .standard,
        onUpgrade: (@Sendable ([String]) -> Void)? = nil
    ) throws {
        self.projectDirectory = projectDirectory
        self.database = database
        if let database {
            // The batch is in the database; the directory holds this machine's configuration,
            // images and exports, so a machine joining a shared project makes its own.
            do {
                try FileManager.default.createDirectory(at: projectDirectory, withIntermediateDirectories: true)
            } catch {
                throw StoreError.cannotCreate(projectDirectory.path, FileErrorText.reason(error))
            }
            store = try PostgresStore(url: database, mode: mode, onUpgrade: onUpgrade)
        } else {
            store = try SQLiteStore(directory: projectDirectory, mode: mode, onUpgrade: onUpgrade)
        }
        assets = AssetCatalog(projectDirectory: projectDirectory)
        artifacts = ArtifactFiles(projectDirectory: projectDirectory, location: artifactsLocation)
        self.clock = clock
        self.provider = provider
        self.patchLimits = patchLimits
        openedAt = clock()
    }

    /// `--project DIR`, else `$AUTODIRECTOR_PROJECT`, else `./.autodirector` (SPEC §6).
    public static func projectDirectory(flag: String?, environment: [String: String]) -> URL {
        let path = flag ?? environment["AUTODIRECTOR_PROJECT"] ?? ".autodirector"
        return URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
    }

    // MARK: Ingest and plan

    public struct IngestResult: Sendable, Equatable {
        public var batchID: String
        public var rows: Int
        /// False when the same file had been ingested before: nothing was stored.
        public var isNew: Bool
    }

    /// Reads, validates and stores a file as one batch; all or nothing (SPEC §4).
    public func ingest(_ url: URL, mapping: ColumnMapping = .default, timer: StageTimer? = nil) throws -> IngestResult {
        let timer = timer ?? StageTimer()
        // Reading and storing overlap: rows are stored as they are read (see IngestedFile).
        let (id, rows, isNew) = try timer.measure("ingest") {
            try store.insertBatch(try InputReader.open(url: url, mapping: mapping), at: clock())
        }
        return IngestResult(batchID: id, rows: rows, isNew: isNew)
    }

    /// Plans a batch's stored rows with the rules and an optional preset (SPEC §5).
    public func plan(batchID: String, preset presetID: String? = nil, timer: StageTimer? = nil) throws -> PlanSummary {
        let timer = timer ?? StageTimer()
        let stored = try timer.measure("plan_load") { () throws -> StoredRows in
            guard let stored = try store.storedRows(of: batchID) else { throw try unknownBatch(batchID) }
            return stored
        }
        let catalog = try planningAssets(batchID: batchID).pinned(preset: presetID)
        let planner = Planner(defaults: try catalog.defaults(), rules: try catalog.rules(), preset: try presetID.map(catalog.preset))
        let files = try catalog.planFiles(preset: presetID)
        // Decoding, planning and storing overlap: the store consumes chunks while workers
        // decode and plan the next ones.
        let stream = PlanStream(chunkCount: stored.chunks.count) { chunk in
            try planner.planSequentially(try StoredRowDecoder.items(stored, chunk: chunk)[...])
        }
        return try timer.measure("plan_compute_store") {
            try store.applyPlan(
                stream, batchID: batchID, preset: presetID, files: files, at: clock(), reconciliation: PlanReconciliation(batchID: batchID))
        }
    }

    /// Where planning a batch reads its files: the project directory's, then (on a shared
    /// project) the ones the batch was last planned with, then the built-in ones. On one
    /// machine the stored files are only a record: the directory is the project.
    func planningAssets(batchID: String) throws -> AssetCatalog {
        guard database != nil else { return assets }
        let files = try store.planFiles(of: batchID)
        return files.isEmpty ? assets : AssetCatalog(projectDirectory: projectDirectory, stored: (batchID, files))
    }

    /// The planning files the batch was last planned with (none before its first plan).
    public func planFiles(of batchID: String) throws -> PlanFiles { try store.planFiles(of: batchID) }

    // MARK: Reading

    public func batches() throws -> [Batch] { try store.batches() }

    public func batch(_ id: String) throws -> Batch {
        guard let batch = try store.batch(id) else { throw try unknownBatch(id) }
        return batch
    }

    /// The error for a batch id the project does not have, naming the ones it has.
    private func unknownBatch(_ id: String) throws -> EngineError {
        .unknownBatch(id, known: try store.batches().map(\.id))
    }

    public func shots(batchID: String? = nil) throws -> [ShotSummary] {
        if let batchID { _ = try batch(batchID) }
        return try store.shotSummaries(batchID: batchID)
    }

    /// A window of the batch table: only the rows a view shows are loaded.
    public func shotPage(_ query: ShotQuery) throws -> ShotPage { try store.shotPage(query, try filter(of: query)) }

    /// Every shot id matching a query's batch and filter, in its order (for selecting them all).
    public func shotIDs(matching query: ShotQuery) throws -> [String] { try store.shotIDs(matching: query, try filter(of: query)) }

    /// The query's filter text read as terms (`ShotFilter`), in this project's stages.
    func filter(of query: ShotQuery) throws -> ShotFilter {
        let text = query.filter.trimmingCharacters(in: .whitespaces)
        // Only a `stage:` term needs the project's stages.
        let stages = text.lowercased().contains("stage:") ? try approvalStages() : .single
        return try ShotFilter.parse(text, ShotFilter.Context(me: query.reviewer, lastVisit: query.lastVisit, stages: stages))
    }

    /// A watcher that tells when anyone has committed to the project since it last looked.
    public func changeWatcher() throws -> any ChangeWatching { try store.changeWatcher() }

    public func shot(_ id: String) throws -> Shot {
        guard let shot = try store.shot(id) else {
            throw try store.shotIsRegistered(id) ? EngineError.shotNotPlanned(id) : EngineError.unknownShot(id)
        }
        return shot
    }

    /// A version of a shot: the latest when `number` is nil.
    public func version(of shotID: String, number: Int? = nil) throws -> ShotVersion {
        let shot = try shot(shotID)
        let wanted = number ?? shot.latestVersion
        guard let version = try store.version(of: shotID, number: wanted) else { throw EngineError.unknownVersion(shotID, wanted) }
        return version
    }

    public func versions(of shotID: String) throws -> [ShotVersion] {
        _ = try shot(shotID)
        return try store.versions(of: shotID)
    }

    public func reviewLog(of shotID: String) throws -> [ReviewEntry] {
        _ = try shot(shotID)
        return try store.reviewLog(of: shotID)
    }

    /// The FIBO structured prompt a version renders with (SPEC §3).
    public func compiledPrompt(_ version: ShotVersion) -> JSONObject {
        StructuredPrompt.forSpec(version.spec)
    }

    // MARK: Patch and re-render

    public struct RerenderResult: Sendable {
        public var version: ShotVersion
        public var changes: [JSONChange]
        public var jobID: Int64
    }

    /// Creates version n+1 from the latest (or a chosen) version with the patches applied, and
    /// queues its render (SPEC §9). Nothing is stored when the result is invalid or unchanged,
    /// or when the patch crosses `patchLimits`.
    ///
    /// The patch is applied and validated outside any transaction: a costly patch holds no lock
    /// that another reviewer's approval would wait on. When another version of the shot is
    /// stored meanwhile, the patch is applied again to the new latest (it was written against
    /// "the latest"), so no concurrent edit is lost.
    public func rerender(_ shotID: String, patches: [ShotPatch], from baseNumber: Int? = nil) throws -> RerenderResult {
        let deadline = ContinuousClock.now + patchLimits.timeBudget
        let contentionDeadline = ContinuousClock.now + Self.patchContentionBudget
        var attempt = 0
        while true {
            let base = try version(of: shotID, number: baseNumber)
            let patched = try Patcher.apply(patches, to: base, limits: patchLimits) { ContinuousClock.now >= deadline }
            let inserted = try EngineError.reporting {
                try store.insertPatchedVersion(patched, base: base, baseWasLatest: baseNumber == nil, at: clock())
            }
            if case .inserted(let number, let jobID) = inserted {
                return RerenderResult(version: try version(of: shotID, number: number), changes: patched.changes, jobID: jobID)
            }
            attempt += 1
            if attempt >= Self.patchAttempts && ContinuousClock.now >= contentionDeadline { throw EngineError.shotBusy(shotID) }
            // Lost the race to another writer: wait a jittered, growing moment so that two
            // writers in lockstep fall out of step instead of beating each other every time.
            Thread.sleep(forTimeInterval: Self.patchBackoff(afterAttempt: attempt))
        }
    }

    /// A patch of the latest version is applied again at least this often, and for at least
    /// `patchContentionBudget`, while others keep adding versions; then it is refused as busy.
    static let patchAttempts = 8
    static let patchContentionBudget: Duration = .seconds(5)

    /// 1, 2, 4 … 32 ms, each between half and one and a half times that.
    static func patchBackoff(afterAttempt attempt: Int) -> TimeInterval {
        let base = Double(1 << min(attempt - 1, 5)) / 1000
        return base * Double.random(in: 0.5...1.5)
    }

    /// Replaces a shot's whole spec with an edited one (the TUI's `e`: the JSON edited in
    /// `$EDITOR`) as its next version, and queues its render. The edit must be a JSON object.
    public func rerender(_ shotID: String, replacingSpecWith text: String) throws -> RerenderResult {
        let value = try JSONParser.parse(text)
        return try rerender(shotID, patches: [.jsonPatch([["op": "replace", "path": "", "value": value]])])
    }

    // MARK: Compare

    public func compare(_ shotID: String, _ a: Int, _ b: Int) throws -> [JSONChange] {
        let old = try version(of: shotID, number: a)
        let new = try version(of: shotID, number: b)
        // A refined version froze its structured prompt: compared with one that compiles its
        // own, both are compared as sent, so the refined fields are listed.
        if (old.spec["structured_prompt"] == nil) != (new.spec["structured_prompt"] == nil) {
            return JSONDiff.changes(from: .object(FrozenPrompt.asSent(old.spec)), to: .object(FrozenPrompt.asSent(new.spec)))
        }
        return JSONDiff.changes(from: .object(old.spec), to: .object(new.spec))
    }
}

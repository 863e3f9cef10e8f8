/// A shot made outside ingest (SPEC §18: from a picture), with its first version: stored in a
/// batch after the shots of its file, with no source row (its identity is stored whole).
struct NewShot: Sendable {
    var id: String
    var batchID: String
    var subject: String
    var hashed: HashedSpec
    var rulesApplied: [AppliedRule]
    var origin: ShotVersion.Origin
}

/// What storing a `NewShot` did.
enum NewShotInsert: Sendable, Equatable {
    /// Stored, its render queued as this job.
    case inserted(jobID: Int64)
    /// The id is another shot's (of any batch): nothing was stored.
    case taken
}

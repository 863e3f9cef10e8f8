/// A batch's review records beside its versions, for the export (SPEC §17): read in a few
/// set-based queries, not one per shot.
struct ExportedReviews: Equatable {
    /// Notes of the batch's versions, withdrawn ones left out, in id order.
    var notes: [VersionKey: [Note]] = [:]
    var assignees: [String: String] = [:]
    /// Retakes asked of each shot (changes requested, not undone).
    var retakes: [String: Int] = [:]
    /// The approval stages that have approved each version (only versions with some).
    var approvedStages: [VersionKey: [String]] = [:]

    init() {}
}

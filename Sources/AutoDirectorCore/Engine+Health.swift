import Foundation

/// The state of a project at a glance (SPEC §12).
public struct Health: Sendable, Codable, Equatable {
    public var status: String
    public var provider: String
    public var storePath: String
    /// Where this machine keeps and finds image files (`ArtifactFiles.location`).
    public var artifactsPath: String
    /// The project could only be opened for reading here (see `StoreMaintenance.isReadOnly`).
    public var readOnly: Bool
    public var schemaVersion: String
    public var integrity: String
    public var counts: StoreCounts
    public var uptimeSeconds: Double
}

extension Engine {
    public func health() throws -> Health {
        let integrity = try store.integrityCheck()
        // The provider of the latest render job, as recorded with it (`render --provider bria`
        // says bria here), else the one this process would use.
        let latest = try store.jobs(limit: 1).first?.provider
        return Health(
            status: integrity == "ok" ? "ok" : "degraded", provider: latest ?? provider,
            storePath: store.location, artifactsPath: artifacts.location, readOnly: store.isReadOnly,
            schemaVersion: try store.schemaVersion(), integrity: integrity, counts: try store.counts(),
            uptimeSeconds: max(0, clock().timeIntervalSince(openedAt)))
    }
}

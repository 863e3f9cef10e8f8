import Foundation
import ThrowawayPostgres
@testable import AutoDirectorCore

/// A throwaway project directory with a fixed clock, removed when the value is released; on
/// `.postgres`, with a fresh database of its own on the test process's throwaway server.
final class TestProject {
    let root: URL
    let kind: StoreKind
    /// The shared database, for `.postgres`.
    let database: DatabaseURL?
    var directory: URL { root.appendingPathComponent("project") }

    init(_ kind: StoreKind = .sqlite) throws {
        self.kind = kind
        root = FileManager.default.temporaryDirectory.appendingPathComponent("adtest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        database = kind == .postgres ? try ThrowawayPostgres.freshDatabase() : nil
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    static let fixedDate = Date(timeIntervalSince1970: 1_790_000_000)

    func engine(mode: StoreOpenMode = .create) throws -> Engine {
        try Engine(projectDirectory: directory, database: database, mode: mode, clock: { TestProject.fixedDate })
    }

    /// Writes a file beside the project and returns its URL.
    @discardableResult
    func file(_ name: String, _ text: String) throws -> URL {
        let url = root.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    func file(_ name: String, bytes: [UInt8]) throws -> URL {
        let url = root.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    static let sampleCSV = """
        sku,product_name,category,material,finish
        PROD-001,Wireless Headphones,electronics,plastic,glossy
        PROD-002,Macro Camera Lens,photography,glass,matte
        PROD-003,Ceramic Coffee Mug,homeware,ceramic,glossy

        """

    /// Ingests and plans the reference sample with the reference preset.
    func plannedSample(preset: String? = "brand_neutral_cool") throws -> (Engine, String) {
        let engine = try engine()
        let batch = try engine.ingest(try file("products.csv", Self.sampleCSV)).batchID
        _ = try engine.plan(batchID: batch, preset: preset)
        return (engine, batch)
    }

    /// Marks a version rendered, as the render engine will, so review can approve it.
    func markRendered(_ engine: Engine, _ shotID: String, version: Int? = nil) throws {
        let v = try engine.version(of: shotID, number: version)
        try engine.store.insertArtifact(
            Artifact(hash: v.hash, path: "artifacts/\(v.hash).png", imageSHA256: v.hash, mime: "image/png",
                     width: 8, height: 8, byteCount: 1, provider: "test", createdAt: TestProject.fixedDate),
            compiledPrompt: nil)
    }
}

extension Engine {
    /// The engine's SQLite store, for tests that look at its tables.
    var sqlite: SQLiteStore { store as! SQLiteStore }

    /// The engine on another project directory and the same database, as a second machine
    /// opens a shared project (a second process, for SQLite).
    func secondMachine(of project: TestProject) throws -> Engine {
        guard let database = project.database else { return try project.engine(mode: .existing) }
        return try Engine(
            projectDirectory: project.root.appendingPathComponent("second-machine"), database: database, mode: .existing,
            clock: { TestProject.fixedDate })
    }
}

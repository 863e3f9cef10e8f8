import Foundation
@testable import AutoDirectorCore

/// A throwaway project directory with a fixed clock, removed when the value is released.
final class TestProject {
    let root: URL
    var directory: URL { root.appendingPathComponent("project") }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("adtest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    static let fixedDate = Date(timeIntervalSince1970: 1_790_000_000)

    func engine(mode: StoreOpenMode = .create) throws -> Engine {
        try Engine(projectDirectory: directory, mode: mode, clock: { TestProject.fixedDate })
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
}

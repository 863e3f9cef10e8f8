import Foundation
@testable import AutoDirectorCore
@testable import AutoDirectorTUI

/// Synthetic states for frame tests: no database, no terminal.
enum Fixtures {
    static func summary(_ index: Int, subject: String? = nil, review: ReviewStatus = .pending, render: RenderStatus = .rendered) -> ShotSummary {
        let id = String(format: "PROD-%03d", index)
        return ShotSummary(
            shot: Shot(id: id, batchID: "products", sourceLine: index + 1, subject: subject ?? "Product \(index)", latestVersion: 1),
            hash: String(repeating: String(index % 10), count: 64), renderStatus: render, review: review)
    }

    static func page(total: Int = 40, offset: Int = 0, count: Int = 40) -> ShotPage {
        ShotPage(total: total, offset: offset, rows: (offset..<min(total, offset + count)).map { summary($0 + 1) })
    }

    /// A real planned version of the reference sample's first row (planned once, in a
    /// throwaway project), so patches validate as they do in use.
    static let planned: ShotVersion = {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("adtui-fixture-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        do {
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            let file = root.appendingPathComponent("products.csv")
            try Data(SessionTests.csv.utf8).write(to: file)
            let engine = try Engine(projectDirectory: root.appendingPathComponent("project"), mode: .create, clock: { Date(timeIntervalSince1970: 1_790_000_000) })
            _ = try engine.plan(batchID: try engine.ingest(file).batchID, preset: "brand_neutral_cool")
            return try engine.version(of: "PROD-001")
        } catch {
            fatalError("fixture: \(error)")
        }
    }()

    static func version(_ shotID: String = "PROD-001") -> ShotVersion {
        var version = planned
        version.renderStatus = .rendered
        return version
    }

    static func detail(_ shotID: String = "PROD-001", preview: PreviewImage? = nil) -> ShotDetail {
        let v = version(shotID)
        let json = JSONWriter.pretty(.object(v.spec))
        return ShotDetail(
            version: v, versionCount: 1,
            lines: [.json: json.split(separator: "\n").map(String.init), .versions: ["v1  111111111111  plan  rendered  pending"],
                    .diff: ["v1 has no parent: patch the shot (p) to make v2."], .explain: ["Source: products.csv line 2"], .prompt: ["{", "}"]],
            preview: preview, specJSON: json)
    }

    static func gradient(width: Int = 32, height: Int = 32) -> PreviewImage {
        var rgb: [UInt8] = []
        for y in 0..<height { for x in 0..<width { rgb += [UInt8(x * 255 / width), UInt8(y * 255 / height), 128] } }
        return PreviewImage(width: width, height: height, rgb: rgb, originalWidth: 256, originalHeight: 256, sha256: String(repeating: "ab", count: 32))
    }

    /// A state with a loaded page and detail, as after start-up.
    static func state(width: Int = 80, height: Int = 24, colors: Bool = true, ascii: Bool = false) -> AppState {
        var state = AppState(width: width, height: height, title: "project", batchID: "products", ascii: ascii, colors: colors)
        _ = Update.update(&state, .pageLoaded(page(), state.query))
        _ = Update.update(&state, .detailLoaded(detail()))
        return state
    }
}

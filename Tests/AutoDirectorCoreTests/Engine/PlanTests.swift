import Foundation
import Testing
import ThrowawayPostgres
@testable import AutoDirectorCore

@Suite struct PlanTests {
    @Test(arguments: StoreKind.all) func referenceSampleWithPreset(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (engine, _) = try project.plannedSample()
        let glossy = try engine.version(of: "PROD-001")
        #expect(glossy.spec["lighting"]?["key_light"]?["intensity"] == 0.7)
        #expect(glossy.spec["lighting"]?["rim_light"]?["intensity"] == 0.8)
        #expect(glossy.rulesApplied.contains { $0.id == "glossy_finish" && $0.reason.hasPrefix("finish=glossy → key_light.intensity 0.7, rim_light.intensity 0.8") })

        let matte = try engine.version(of: "PROD-002")
        #expect(matte.spec["lighting"]?["key_light"]?["intensity"] == 1)
        #expect(matte.spec["lighting"]?["rim_light"]?["intensity"] == 0.5)
        #expect(matte.spec["camera"]?["fov"] == 45)
        #expect(!matte.rulesApplied.contains { $0.kind == .rule })

        for id in ["PROD-001", "PROD-002", "PROD-003"] {
            let version = try engine.version(of: id)
            #expect(version.spec["background"]?["hex"] == "#e8f0f5")
            #expect(version.spec["color"]?["palette"] == ["#2c3e50", "#34495e", "#7f8c8d", "#ecf0f1"])
            #expect(version.rulesApplied.contains { $0.kind == .preset && $0.id == "brand_neutral_cool" })
            #expect(version.spec["seed"] == .number(Double(version.seed)))
            #expect(version.parentHash == nil)
        }
    }

    @Test(arguments: StoreKind.all) func hashesAreIdenticalInASecondProject(_ kind: StoreKind) throws {
        let first = try TestProject(kind)
        let second = try TestProject(kind)
        let (a, _) = try first.plannedSample()
        let (b, _) = try second.plannedSample()
        for id in ["PROD-001", "PROD-002", "PROD-003"] {
            let x = try a.version(of: id)
            let y = try b.version(of: id)
            #expect(x.hash == y.hash)
            #expect(x.seed == y.seed)
        }
    }

    @Test(arguments: StoreKind.all) func storedSpecHashesToItsHash(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (engine, _) = try project.plannedSample()
        let version = try engine.version(of: "PROD-003")
        #expect(SHA256Hex.digest(try CanonicalJSON.bytes(.object(version.spec))) == version.hash)
        var withoutSeed = version.spec
        withoutSeed.removeValue(forKey: "seed")
        #expect(SHA256Hex.leadingUInt32(try CanonicalJSON.bytes(.object(withoutSeed))) == version.seed)
    }

    @Test(arguments: StoreKind.all) func macroRule(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let engine = try project.engine()
        let batch = try engine.ingest(try project.file("m.csv", "sku,product_name,category\nM1,Ring,macro\n")).batchID
        _ = try engine.plan(batchID: batch)
        let spec = try engine.version(of: "M1").spec
        #expect(spec["camera"]?["fov"] == 60)
        #expect(spec["lens"]?["aperture"] == 1.4)
    }

    @Test(arguments: StoreKind.all) func replanningIsIdempotentAndOnlyChangedShotsGetVersions(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (engine, batch) = try project.plannedSample(preset: nil)
        let again = try engine.plan(batchID: batch, preset: nil)
        #expect(again.unchanged == 3 && again.created == 0 && again.updated == 0)

        // A preset that only touches glossy-irrelevant fields still changes every spec…
        let withPreset = try engine.plan(batchID: batch, preset: "brand_neutral_cool")
        #expect(withPreset.updated == 3)
        let v2 = try engine.version(of: "PROD-001")
        #expect(v2.number == 2)
        #expect(v2.parentHash == (try engine.version(of: "PROD-001", number: 1)).hash)
        // …and planning it again changes nothing.
        #expect(try engine.plan(batchID: batch, preset: "brand_neutral_cool").unchanged == 3)
    }

    @Test(arguments: StoreKind.all) func projectRulesOverrideTheBuiltInOnes(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let engine = try project.engine()
        let rules = project.directory.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        try Data(#"{"rules":[{"id":"matte","when":{"finish":["matte","satin"]},"set":{"lens.aperture":8},"reason":"matte → f/8"}]}"#.utf8)
            .write(to: rules.appendingPathComponent("rules.json"))
        let batch = try engine.ingest(try project.file("p.csv", TestProject.sampleCSV)).batchID
        _ = try engine.plan(batchID: batch)
        #expect(try engine.version(of: "PROD-002").spec["lens"]?["aperture"] == 8)
        #expect(try engine.version(of: "PROD-001").spec["lighting"]?["key_light"]?["intensity"] == 1)
    }

    /// The files a batch was planned with are kept with it; on a shared project a machine
    /// without its own copy plans the batch again from them (nothing changes), while a machine's
    /// own file still overrides. On one machine the directory stays the only source.
    @Test(arguments: StoreKind.all) func theFilesThatPlannedABatchAreKeptWithIt(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let engine = try project.engine()
        let rules = project.directory.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        let ownRules = #"{"rules":[{"id":"matte","when":{"finish":["matte"]},"set":{"lens.aperture":8},"reason":"matte → f/8"}]}"#
        try Data(ownRules.utf8).write(to: rules.appendingPathComponent("rules.json"))
        let batch = try engine.ingest(try project.file("p.csv", TestProject.sampleCSV)).batchID
        #expect(try engine.planFiles(of: batch).isEmpty)
        _ = try engine.plan(batchID: batch, preset: "brand_neutral_cool")
        let files = try engine.planFiles(of: batch)
        #expect(files.paths == ["presets/brand_neutral_cool.json", "rules/defaults.json", "rules/rules.json"])
        #expect(files["rules/rules.json"] == ownRules)
        #expect(files["rules/defaults.json"] == EmbeddedAssets.files["rules/defaults.json"])

        let other = try engine.secondMachine(of: project)
        #expect(try other.planFiles(of: batch) == files)
        let again = try other.plan(batchID: batch, preset: "brand_neutral_cool")
        #expect(again.unchanged == 3 && again.updated == 0)
        #expect(try other.version(of: "PROD-002").spec["lens"]?["aperture"] == 8)
        guard kind == .postgres else { return }
        // The second machine's own rules override the stored ones; they are stored in turn.
        let otherRules = other.projectDirectory.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: otherRules, withIntermediateDirectories: true)
        try Data(#"{"rules":[]}"#.utf8).write(to: otherRules.appendingPathComponent("rules.json"))
        #expect(try other.plan(batchID: batch, preset: "brand_neutral_cool").updated == 1)
        #expect(try engine.planFiles(of: batch)["rules/rules.json"] == #"{"rules":[]}"#)
    }

    @Test(arguments: StoreKind.all) func unknownPresetAndBatchAreClearErrors(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (engine, batch) = try project.plannedSample()
        let preset = try #require(throws: AssetError.self) { try engine.plan(batchID: batch, preset: "nope") }
        #expect(preset.description.contains("known: brand_neutral_cool"))
        #expect(throws: EngineError.unknownBatch("missing", known: ["products"])) { try engine.plan(batchID: "missing") }
    }

    @Test func embeddedAssetsMatchTheAssetsDirectory() throws {
        let assets = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("assets")
        for (relative, embedded) in EmbeddedAssets.files {
            let onDisk = try JSONParser.parse([UInt8](try Data(contentsOf: assets.appendingPathComponent(relative))))
            #expect(try JSONParser.parse(embedded) == onDisk, "\(relative) drifted: run scripts/embed-assets")
        }
    }
}

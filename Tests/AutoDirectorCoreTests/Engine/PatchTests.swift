import Foundation
import Testing
import ThrowawayPostgres
@testable import AutoDirectorCore

@Suite struct PatchTests {
    @Test(arguments: [
        ["camera.fov=60"],
        [#"{"camera":{"fov":60}}"#],
        [#"[{"op":"test","path":"/camera/fov","value":45},{"op":"replace","path":"/camera/fov","value":60}]"#],
    ])
    func eachFormCreatesTheNextVersion(_ arguments: [String]) throws {
        let project = try TestProject()
        let (engine, _) = try project.plannedSample()
        let v1 = try engine.version(of: "PROD-001")
        let result = try engine.rerender("PROD-001", patches: try ShotPatch.parse(arguments: arguments))
        #expect(result.version.number == 2)
        #expect(result.version.parentHash == v1.hash)
        #expect(result.version.spec["camera"]?["fov"] == 60)
        #expect(result.version.rulesApplied.contains { $0.reason == "patch: camera.fov 45 → 60" })
        #expect(result.version.origin == .patch)
        #expect(result.version.renderStatus == .queued)
        // The parent's seed is kept (SPEC §2): the patched path is the only change.
        let compared = try engine.compare("PROD-001", 1, 2).map(\.dottedPath)
        #expect(compared == ["camera.fov"])
        #expect(result.version.seed == v1.seed)
    }

    @Test(arguments: StoreKind.all) func severalAssignmentsAndExplicitSeed(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (engine, _) = try project.plannedSample()
        let patches = try ShotPatch.parse(arguments: ["camera.fov=60", "lighting.key_light.intensity=0.6", "seed=42", "color.palette[0]=\"#101010\""])
        let result = try engine.rerender("PROD-001", patches: patches)
        #expect(result.version.seed == 42)
        #expect(result.version.spec["color"]?["palette"]?.arrayValue?.first == "#101010")
        #expect(try engine.compare("PROD-001", 1, 2).map(\.dottedPath) == ["camera.fov", "color.palette[0]", "lighting.key_light.intensity", "seed"])
    }

    @Test(arguments: StoreKind.all) func aPatchThatChangesNothingCreatesNoVersion(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (engine, _) = try project.plannedSample()
        #expect(throws: EngineError.patchChangesNothing("PROD-001", 1)) {
            try engine.rerender("PROD-001", patches: try ShotPatch.parse(arguments: ["camera.fov=45"]))
        }
        #expect(try engine.versions(of: "PROD-001").count == 1)
    }

    @Test(arguments: StoreKind.all) func anInvalidResultListsEveryViolationAndStoresNothing(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (engine, _) = try project.plannedSample()
        let error = try #require(throws: InvalidSpecError.self) {
            try engine.rerender("PROD-001", patches: try ShotPatch.parse(arguments: ["camera.fov=180", "background.hex=blue", "output.width=1001", "camra.fov=1"]))
        }
        #expect(Set(error.violations.map(\.path)) == ["camera.fov", "background.hex", "output.width", "camra"])
        #expect(try engine.versions(of: "PROD-001").count == 1)
        #expect(try engine.store.counts().jobs == 0)
    }

    @Test(arguments: StoreKind.all) func failingJSONPatchTestStoresNothing(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (engine, _) = try project.plannedSample()
        #expect(throws: JSONPatchError.self) {
            try engine.rerender("PROD-001", patches: try ShotPatch.parse(arguments: [#"[{"op":"test","path":"/camera/fov","value":1}]"#]))
        }
        #expect(try engine.versions(of: "PROD-001").count == 1)
    }

    @Test(arguments: StoreKind.all) func patchFromAChosenVersionAndFile(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (engine, _) = try project.plannedSample()
        _ = try engine.rerender("PROD-002", patches: try ShotPatch.parse(arguments: ["camera.fov=60"]))
        let fromV1 = try engine.rerender("PROD-002", patches: try ShotPatch.parse(fileText: "# softer\nlens.aperture=4\n"), from: 1)
        #expect(fromV1.version.number == 3)
        #expect(fromV1.version.parentHash == (try engine.version(of: "PROD-002", number: 1)).hash)
        #expect(fromV1.version.spec["camera"]?["fov"] == 45)
    }

    @Test(arguments: StoreKind.all) func shotIDCannotBePatched(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (engine, _) = try project.plannedSample()
        #expect(throws: InvalidSpecError.self) { try engine.rerender("PROD-001", patches: [.merge(["shot_id": "../x"])]) }
    }

    @Test(arguments: StoreKind.all) func aPatchKeepsItsParentsDerivedSeedAndExplainSaysSo(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (engine, _) = try project.plannedSample()
        let v1 = try engine.version(of: "PROD-002")
        let v2 = try engine.rerender("PROD-002", patches: try ShotPatch.parse(arguments: ["camera.fov=60"])).version
        let v3 = try engine.rerender("PROD-002", patches: try ShotPatch.parse(arguments: ["lens.aperture=4"])).version
        #expect(v2.seed == v1.seed && v3.seed == v1.seed)
        #expect(try engine.compare("PROD-002", 1, 2).map(\.dottedPath) == ["camera.fov"])
        #expect(try engine.compare("PROD-002", 2, 3).map(\.dottedPath) == ["lens.aperture"])
        #expect(v3.rulesApplied.filter { $0.kind == .seed }.count == 1)
        let explanation = try engine.explain("PROD-002")
        #expect(explanation.reproducibility.contains { $0.contains("derived from the SHA-256 of v1's canonical spec") && $0.contains("kept by every patch since") })
        // Planning is unchanged: the golden hashes of the sample with the reference preset.
        #expect(v1.hash.hasPrefix("aefe610f0b52"))
        #expect(try engine.version(of: "PROD-001", number: 1).hash.hasPrefix("80d9c1a55095"))
        #expect(try engine.version(of: "PROD-003", number: 1).hash.hasPrefix("0c77fb15a3c8"))
    }

    @Test(arguments: StoreKind.all) func anExplicitSeedIsKeptByLaterPatches(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (engine, _) = try project.plannedSample()
        _ = try engine.rerender("PROD-002", patches: try ShotPatch.parse(arguments: ["camera.fov=47", "seed=42"]))
        let next = try engine.rerender("PROD-002", patches: try ShotPatch.parse(arguments: ["lens.focal_length=35"]))
        #expect(next.version.seed == 42)
        #expect(!next.version.rulesApplied.contains { $0.kind == .seed })
        // Removing the seed hands it back to derivation.
        let derived = try engine.rerender("PROD-002", patches: [.merge(["seed": nil])])
        #expect(derived.version.seed != 42)
        #expect(derived.version.rulesApplied.last?.kind == .seed)
    }

    @Test(arguments: StoreKind.all) func replanningAfterAPatchIsReported(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (engine, batch) = try project.plannedSample(preset: nil)
        _ = try engine.rerender("PROD-001", patches: try ShotPatch.parse(arguments: ["camera.fov=70"]))
        let summary = try engine.plan(batchID: batch, preset: "brand_neutral_cool")
        #expect(summary.updated == 3)
        #expect(summary.replacedPatches == 1)
        #expect(try engine.version(of: "PROD-001").spec["camera"]?["fov"] == 45)
    }
}

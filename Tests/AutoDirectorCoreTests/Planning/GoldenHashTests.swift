import Testing
import ThrowawayPostgres
@testable import AutoDirectorCore

/// The reference sample planned with `brand_neutral_cool` gives these hashes and seeds on every
/// machine, in every release: README's transcript quotes them, and a change here is a change to
/// every user's specs (it needs a migration story, not a new golden value).
@Suite struct GoldenHashTests {
    static let golden: [(shot: String, hash: String, seed: UInt32)] = [
        ("PROD-001", "80d9c1a55095620de7c074fea7228ce280cc331171eac75a9a7c32a4fbfbaa4b", 2_308_289_371),
        ("PROD-002", "aefe610f0b528c1256abd6fb9a55d2e2e11cd0f5a30f4b7dd52e5b9280f52d95", 930_873_564),
        ("PROD-003", "0c77fb15a3c8af85ba3025d924cfb1f566403da0abae5bda54106133664d4b12", 3_989_525_088),
    ]

    @Test(arguments: StoreKind.all) func theSampleWithThePresetKeepsItsHashesAndSeeds(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (engine, _) = try project.plannedSample()
        for (shot, hash, seed) in Self.golden {
            let version = try engine.version(of: shot)
            #expect(version.hash == hash, "\(shot) hash")
            #expect(version.seed == seed, "\(shot) seed")
        }
    }

    @Test(arguments: StoreKind.all) func aPatchKeepsItsParentsSeedAndMovesOnlyItsHash(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (engine, _) = try project.plannedSample()
        let result = try engine.rerender("PROD-002", patches: try ShotPatch.parse(arguments: ["camera.fov=60"]))
        #expect(result.version.seed == 930_873_564)
        #expect(result.version.hash == "59f2571093184fee15cdae7bb4af20fda326b6ea1f8f3d5f53fb09da3d4b4b7c")
        #expect(try engine.compare("PROD-002", 1, 2).map(\.dottedPath) == ["camera.fov"])
    }
}

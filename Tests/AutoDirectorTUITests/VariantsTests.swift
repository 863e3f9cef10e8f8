import Foundation
import Testing
@testable import AutoDirectorCore
@testable import AutoDirectorTUI

/// The seed variants view (`V`, SPEC §18): four seeds of the latest version as a grid, one picked
/// with Enter becomes the shot's next version with its seed.
@Suite struct VariantsTests {
    @Test func vShowsFourSeedsAndEnterPicksOneAsV2() async throws {
        let (root, engine, configuration) = try SessionTests.plannedProject()
        defer { try? FileManager.default.removeItem(at: root) }
        let session = await SessionTests.renderedSession(engine, configuration)
        let base = try engine.version(of: "PROD-001")

        session.press(.character("V"))
        #expect(await session.settled())
        let data = try #require(session.state.variants?.data, "\(session.state.message ?? "")")
        #expect(data.variants.map(\.seed) == Engine.variantSeeds(of: base, count: 4))
        #expect(Set(data.variants.map(\.hash)).count == 4 && Set(data.variants.compactMap { $0.artifact?.imageSHA256 }).count == 4, "four different pictures")
        var text = session.frame.text
        #expect(text.contains("Variants of PROD-001 v1") && text.contains("1/4 · seed \(data.variants[0].seed)") && text.contains("4/4"), "\(text)")

        session.press(.character("l"), .character("l"), .character("f"))
        #expect(session.state.variants?.focus == 2 && session.state.variants?.fullSize == true)
        text = session.frame.text
        #expect(text.contains("3/4 · seed \(data.variants[2].seed)") && !text.contains("1/4"), "full size shows one: \(text)")

        session.press(.enter)
        #expect(await session.settled())
        #expect(session.state.variants == nil, "\(session.state.message ?? "")")
        let picked = try engine.version(of: "PROD-001")
        #expect(picked.number == 2 && picked.origin == .variant && picked.seed == data.variants[2].seed)
        #expect(picked.hash == data.variants[2].hash && picked.renderStatus == .rendered, "its render is the variant's")

        // Opened again on v2 and left with Esc: nothing changes.
        session.press(.character("V"))
        #expect(await session.settled())
        #expect(session.state.variants?.data?.base.number == 2)
        session.press(.escape)
        let count = try engine.versions(of: "PROD-001").count
        #expect(session.state.variants == nil && count == 2)
    }
}
